"""A municipality's participation on its page, registering and ending it there, the
participation matrix with its filters and exports, and the query counts of the pages."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from m50.accounts.models import Role
from m50.contacts.models import Person, Position
from m50.core.models import AuditEvent
from m50.pillars import services
from m50.pillars.models import Category, Participation, ParticipationRequest, Topic
from m50.pillars.models import Role as PillarRole
from tests.factories import MunicipalityFactory, PersonFactory, ThemeGroupFactory, UserFactory
from tests.pillars.conftest import START, Function, municipality_organisation, official, pillar

pytestmark = pytest.mark.django_db
D = datetime.date


def contact_of(organisation):
    return UserFactory(role=Role.MEMBER_CONTACT, municipality=organisation.municipality)


def municipality_url(organisation) -> str:
    return reverse("municipalities:detail", args=[organisation.municipality.code])


def register_url(organisation) -> str:
    return reverse("pillars:participation_register", args=[organisation.municipality.code])


# --- The municipality's page ------------------------------------------------------------------


def test_the_municipality_page_shows_who_takes_part_where(client, diemen, sociaal):
    alderman = official(diemen, person=PersonFactory(given_name="Wim", surname="Wethouder"))
    services.participation_register(position=alderman, pillar=sociaal, start_date=START)
    client.force_login(UserFactory(role=Role.PUBLIC_AFFAIRS))
    text = client.get(municipality_url(diemen)).content.decode()
    assert 'id="pijlers"' in text
    assert "Pijler Sociaal</a>: 1 bestuurder" in text
    assert "Wim Wethouder" in text
    assert "neemt aan geen enkele pijler deel" not in text
    # Only the bureau and the municipality's own contact register participants.
    assert register_url(diemen) not in text


def test_anonymous_visitors_see_no_participation_on_the_municipality_page(client, diemen, sociaal):
    services.participation_register(position=official(diemen), pillar=sociaal, start_date=START)
    text = client.get(municipality_url(diemen)).content.decode()
    assert 'id="pijlers"' not in text


def test_a_member_in_no_pillar_is_flagged(client, diemen):
    client.force_login(contact_of(diemen))
    text = client.get(municipality_url(diemen)).content.decode()
    assert "neemt aan geen enkele pijler deel" in text
    assert register_url(diemen) in text


def test_the_contacts_home_page_shows_the_participation(client, diemen, sociaal):
    services.participation_register(position=official(diemen), pillar=sociaal, start_date=START)
    client.force_login(contact_of(diemen))
    text = client.get(reverse("core:home")).content.decode()
    assert "Pijler Sociaal</a>: 1 bestuurder" in text
    assert register_url(diemen) in text


def test_the_member_contact_registers_an_alderman(client, diemen, sociaal):
    alderman = official(diemen)
    client.force_login(contact_of(diemen))
    assert client.get(register_url(diemen)).status_code == 200
    response = client.post(
        register_url(diemen),
        {"position": alderman.pk, "body": f"pijler-{sociaal.pk}", "role": PillarRole.MEMBER},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#pijlers")
    participation = Participation.objects.get(position=alderman)
    assert participation.pillar == sociaal and participation.category == Category.ADMINISTRATOR
    assert AuditEvent.objects.filter(action="participation.register").count() == 1


def test_a_refused_registration_is_a_form_error_and_writes_nothing(client, diemen, sociaal):
    secretary = official(diemen, Function.MUNICIPAL_SECRETARY)
    client.force_login(UserFactory(role=Role.BUREAU))
    before = AuditEvent.objects.count()
    # A pillar's chair is a bestuurder.
    response = client.post(
        register_url(diemen),
        {"position": secretary.pk, "body": f"pijler-{sociaal.pk}", "role": PillarRole.CHAIR},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Fout:" in text and "De voorzitter van een pijler is een bestuurder" in text
    assert not Participation.objects.exists() and AuditEvent.objects.count() == before


def test_a_contact_registers_members_and_observers_not_chairs(client, diemen, sociaal):
    alderman = official(diemen)
    client.force_login(contact_of(diemen))
    response = client.post(
        register_url(diemen),
        {"position": alderman.pk, "body": f"pijler-{sociaal.pk}", "role": PillarRole.CHAIR},
    )
    assert response.status_code == 400
    assert "chair bestaat niet" in response.content.decode()
    assert not Participation.objects.exists()


def test_an_ended_pillar_is_not_offered(client, diemen):
    alderman = official(diemen)
    client.force_login(contact_of(diemen))
    bestuur = pillar("bestuur")
    response = client.post(
        register_url(diemen), {"position": alderman.pk, "body": f"pijler-{bestuur.pk}"}
    )
    assert response.status_code == 400
    assert not Participation.objects.exists()


def test_a_contact_may_not_register_for_another_municipality(client, diemen, houten, sociaal):
    alderman = official(houten)
    client.force_login(contact_of(diemen))
    assert client.get(register_url(houten)).status_code == 403
    response = client.post(
        register_url(houten), {"position": alderman.pk, "body": f"pijler-{sociaal.pk}"}
    )
    assert response.status_code == 403
    assert not Participation.objects.exists()


def test_the_contact_ends_a_participation_of_its_municipality_only(client, diemen, houten, sociaal):
    own = services.participation_register(
        position=official(diemen), pillar=sociaal, start_date=START
    )
    other = services.participation_register(
        position=official(houten), pillar=sociaal, start_date=START
    )
    client.force_login(contact_of(diemen))
    url = reverse("pillars:participation_end", args=[other.pk])
    assert client.post(url, {}).status_code == 403
    other.refresh_from_db()
    assert other.end_date is None
    response = client.post(
        reverse("pillars:participation_end", args=[own.pk]), {"terug": "gemeente"}
    )
    assert response.status_code == 302
    assert response["Location"] == municipality_url(diemen) + "#pijlers"
    own.refresh_from_db()
    assert own.end_date is not None


# --- The matrix -------------------------------------------------------------------------------

MATRIX = reverse("pillars:matrix")


@pytest.fixture
def towns(diemen, houten, sociaal):
    """Diemen (member) in Sociaal with an alderman and an advisor; Houten (member) in a theme
    group only; Zeist an aspirant in nothing; Baarn, no member, in nothing."""
    services.participation_register(position=official(diemen), pillar=sociaal, start_date=START)
    services.participation_register(
        position=official(diemen, Function.POLICY_ADVISOR), pillar=sociaal, start_date=START
    )
    group = ThemeGroupFactory(pillar=None, name="Digitalisering", slug="digitalisering")
    services.participation_register(position=official(houten), theme_group=group, start_date=START)
    municipality_organisation("Zeist", status="aspirant")
    municipality_organisation("Baarn", status="none")
    return group


def test_the_matrix_needs_login(client, towns):
    response = client.get(MATRIX)
    assert response.status_code == 302


@pytest.mark.parametrize("role", list(Role))
def test_every_logged_in_user_sees_the_matrix(client, towns, role):
    municipality = (
        MunicipalityFactory() if role in (Role.MEMBER_CONTACT, Role.PARTICIPANT) else None
    )
    client.force_login(UserFactory(role=role, municipality=municipality))
    assert client.get(MATRIX).status_code == 200


def test_the_matrix_counts_and_flags(client, towns):
    client.force_login(UserFactory(role=Role.BUREAU))
    text = client.get(MATRIX).content.decode()
    assert "Diemen" in text and "Houten" in text and "Zeist" in text
    assert "Baarn" not in text
    assert '2 <span class="m50-muted">(1 bestuurder, 1 adviseur)</span>' in text
    # Houten takes part in a theme group only; Zeist in nothing: both are flagged.
    assert text.count("in geen pijler") == 2
    assert "2 van deze gemeenten nemen aan geen enkele pijler deel." in text
    assert "Digitalisering" in text


def test_the_matrix_filters_by_status(client, towns):
    client.force_login(UserFactory(role=Role.BUREAU))
    text = client.get(MATRIX, {"status": "aspirant"}).content.decode()
    assert "Zeist" in text and "Diemen" not in text
    assert "Fout" not in text
    response = client.get(MATRIX, {"status": "onzin", "formaat": "pdf"})
    assert response.status_code == 200
    assert "onzin bestaat niet" in response.content.decode()
    assert "Het bestandsformaat pdf bestaat niet" in response.content.decode()


def test_the_matrix_filters_by_province_and_band(client, towns, diemen):
    client.force_login(UserFactory(role=Role.BUREAU))
    province = diemen.municipality.province
    text = client.get(MATRIX, {"provincie": province.code}).content.decode()
    assert "Diemen" in text and "Houten" not in text
    text = client.get(MATRIX, {"bandbreedte": "binnen"}).content.decode()
    assert "0 gemeenten" in text  # the factories' towns have no population


def test_the_matrix_as_csv(client, towns, sociaal):
    client.force_login(UserFactory(role=Role.PARTICIPANT, municipality=MunicipalityFactory()))
    response = client.get(MATRIX, {"formaat": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    header = rows[0]
    assert header[:6] == [
        "Gemeente",
        "CBS-code",
        "Provincie",
        "Lidmaatschap",
        "Inwoners",
        "In een pijler",
    ]
    diemen = next(row for row in rows if row[0] == "Diemen")
    assert diemen[header.index("Pijler Sociaal: bestuurder")] == "1"
    assert diemen[header.index("Pijler Sociaal: adviseur")] == "1"
    assert diemen[header.index("In een pijler")] == "ja"
    zeist = next(row for row in rows if row[0] == "Zeist")
    assert zeist[header.index("In een pijler")] == "nee" and zeist[3] == "aspirant-lid"
    assert [row[0] for row in rows[1:]] == ["Diemen", "Houten", "Zeist"]


def test_the_matrix_as_xlsx(client, towns):
    client.force_login(UserFactory(role=Role.BUREAU))
    response = client.get(MATRIX, {"formaat": "xlsx", "status": "lid"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert [row[0] for row in rows[1:]] == ["Diemen", "Houten"]
    assert rows[1][header.index("Pijler Sociaal: bestuurder")] == 1
    assert rows[2][header.index("Themagroep Digitalisering: bestuurder")] == 1


# --- Query counts -----------------------------------------------------------------------------


def populate(count: int, towns: int = 40):
    """``count`` participations spread over ``towns`` member municipalities, in the three
    pillars and a theme group, each with a topic."""
    organisations = [municipality_organisation(f"Gemeente {n:03d}") for n in range(towns)]
    bodies = [pillar("sociaal"), pillar("financieel"), pillar("ruimtelijk")]
    group = ThemeGroupFactory(pillar=bodies[0])
    people = Person.objects.bulk_create(Person(surname=f"Naam {n:05d}") for n in range(count))
    positions = Position.objects.bulk_create(
        Position(
            person=person,
            organisation=organisations[n % towns],
            function=Function.POLICY_ADVISOR,
        )
        for n, person in enumerate(people)
    )
    Participation.objects.bulk_create(
        Participation(
            position=position,
            pillar=None if n % 5 == 4 else bodies[n % 3],
            theme_group=group if n % 5 == 4 else None,
            category=Category.ADVISOR,
            start_date=START,
        )
        for n, position in enumerate(positions)
    )
    Topic.objects.bulk_create(
        Topic(pillar=bodies[0], title=f"Onderwerp {n}", owner=people[n]) for n in range(count)
    )
    # Requests to join waiting for the chair (stored directly: only their number matters).
    ParticipationRequest.objects.bulk_create(
        ParticipationRequest(position=position, pillar=bodies[0])
        for position in positions[: max(count // 10, 1)]
    )
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor_label="test",
            action="participation.register",
            object_type="pillars.Participation",
            object_id=str(p.pk),
            object_repr="deelname",
            result="success",
        )
        for p in Participation.objects.filter(pillar=bodies[0])
    )
    return organisations


def queries_of(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
        assert response.status_code == 200
    return len(context.captured_queries)


def user_who(who: str):
    """The bureau; the chair of Sociaal (an alderman of a member); an official of a member
    who takes part nowhere (the page offers them to join)."""
    if who == "bureau":
        return UserFactory(role=Role.BUREAU)
    organisation = municipality_organisation("Eigen")
    position = official(organisation)
    if who == "chair":
        services.participation_register(
            position=position, pillar=pillar("sociaal"), role=PillarRole.CHAIR, start_date=START
        )
    return UserFactory(
        role=Role.PILLAR_CHAIR if who == "chair" else Role.PARTICIPANT,
        person=position.person,
        municipality=organisation.municipality,
    )


@pytest.mark.parametrize("who", ["bureau", "chair", "official"])
def test_pages_cost_the_same_for_10_and_1000_participations(client, who):
    user = user_who(who)
    organisations = populate(10)
    urls = [
        reverse("pillars:list"),
        reverse("pillars:detail", args=["sociaal"]),
        MATRIX,
        reverse("municipalities:detail", args=[organisations[0].municipality.code]),
        reverse("core:home"),
    ]
    client.force_login(user)
    small = [queries_of(client, url) for url in urls]
    anonymous_small = [queries_of(client.__class__(), url) for url in urls[:2]]

    # 990 more participations, and as many member municipalities as there are today (342).
    populate(990, towns=301)
    client.force_login(user)
    if who == "chair":
        assert client.get(urls[1]).content.decode().count("Besluit vastleggen") == 100
    assert [queries_of(client, url) for url in urls] == small
    assert [queries_of(client.__class__(), url) for url in urls[:2]] == anonymous_small
