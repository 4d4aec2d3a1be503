"""Managing people, positions and organisations: the services and the pages, per role."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from m50.accounts.models import Role
from m50.contacts import services
from m50.contacts.models import Organisation, Person, Position
from m50.core.models import AuditEvent
from tests.factories import (
    MunicipalityFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db

Function = Position.Function
JAN_1 = datetime.date(2022, 1, 1)


@pytest.fixture
def diemen():
    municipality = MunicipalityFactory(code="GM0384", name="Diemen")
    organisation = OrganisationFactory(
        kind=Organisation.Kind.MUNICIPALITY,
        name="Gemeente Diemen",
        slug="gemeente-diemen",
        municipality=municipality,
    )
    mayor = PersonFactory(given_name="Jeroen", surname="Dijk", email="j.dijk@diemen.nl")
    position = PositionFactory(
        person=mayor, organisation=organisation, function=Function.MAYOR, start_date=JAN_1
    )
    return {"municipality": municipality, "organisation": organisation, "position": position}


@pytest.fixture
def weesp():
    """Another municipality, with a person of its own."""
    municipality = MunicipalityFactory(code="GM0457", name="Weesp")
    organisation = OrganisationFactory(
        kind=Organisation.Kind.MUNICIPALITY, slug="gemeente-weesp", municipality=municipality
    )
    position = PositionFactory(organisation=organisation, function=Function.ALDERMAN)
    return {"organisation": organisation, "position": position}


@pytest.fixture
def bureau(client, user_for_role):
    user = user_for_role(Role.BUREAU)
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def contact(client, user_for_role, diemen):
    """Diemen's member contact."""
    user = user_for_role(Role.MEMBER_CONTACT, municipality=diemen["municipality"])
    client.force_login(user)
    client.user = user
    return client


def snapshot():
    return (
        list(Person.objects.values_list()),
        list(Position.objects.values_list()),
        list(Organisation.objects.values_list()),
        AuditEvent.objects.count(),
    )


# --- Services ---------------------------------------------------------------------------------


def test_position_create_refuses_an_overlapping_identical_position(diemen):
    position = diemen["position"]
    before = snapshot()
    with pytest.raises(ValidationError) as info:
        services.position_create(
            person=position.person,
            organisation=position.organisation,
            function=Function.MAYOR,
            start_date=datetime.date(2023, 1, 1),
        )
    assert "overlapt" in info.value.messages[0]
    assert "1 januari 2022 tot en met heden" in info.value.messages[0]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("existing", "new", "overlaps"),
    [
        ((JAN_1, datetime.date(2022, 12, 31)), (datetime.date(2023, 1, 1), None), False),
        ((JAN_1, datetime.date(2022, 12, 31)), (datetime.date(2022, 12, 31), None), True),
        ((JAN_1, None), (None, datetime.date(2021, 12, 31)), False),
        ((JAN_1, None), (None, None), True),
        ((None, datetime.date(2020, 5, 1)), (datetime.date(2020, 5, 2), None), False),
    ],
)
def test_position_overlap_is_judged_on_inclusive_periods(existing, new, overlaps):
    first = PositionFactory(
        function=Function.ALDERMAN, start_date=existing[0], end_date=existing[1]
    )
    create = lambda: services.position_create(  # noqa: E731
        person=first.person,
        organisation=first.organisation,
        function=Function.ALDERMAN,
        start_date=new[0],
        end_date=new[1],
    )
    if overlaps:
        with pytest.raises(ValidationError):
            create()
        assert Position.objects.count() == 1
    else:
        create()
        assert Position.objects.count() == 2


def test_another_function_or_organisation_may_overlap(diemen):
    position = diemen["position"]
    services.position_create(
        person=position.person, organisation=position.organisation, function=Function.ALDERMAN
    )
    services.position_create(
        person=position.person, organisation=OrganisationFactory(), function=Function.MAYOR
    )
    assert position.person.positions.count() == 3


def test_writes_are_audited_with_actor_and_origin(bureau_user):
    person = services.person_create(surname="Dijk", actor=bureau_user, origin="webformulier")
    services.person_update(person=person, given_name="Jeroen", actor=bureau_user)
    organisation = services.organisation_create(
        kind=Organisation.Kind.OTHER, name="Platform X", actor=bureau_user
    )
    services.organisation_update(organisation=organisation, website="https://x.nl")
    position = services.position_create(
        person=person, organisation=organisation, function=Function.DIRECTOR, actor=bureau_user
    )
    services.position_end(position=position, end_date=JAN_1, actor=bureau_user)
    events = list(AuditEvent.objects.order_by("pk"))
    assert [e.action for e in events] == [
        "person.create",
        "person.update",
        "organisation.create",
        "organisation.update",
        "position.create",
        "position.end",
    ]
    assert events[0].actor == bureau_user and events[0].origin == "webformulier"
    assert events[1].changes == {"given_name": {"old": "", "new": "Jeroen"}}
    assert events[3].actor_label == "systeem"
    assert events[5].changes == {"end_date": {"old": None, "new": "2022-01-01"}}


def test_an_update_that_changes_nothing_is_not_audited():
    person = PersonFactory(surname="Dijk")
    services.person_update(person=person, surname=" Dijk ")
    assert not AuditEvent.objects.exists()


def test_organisation_update_keeps_the_registry_fields_of_a_seeded_one(diemen):
    organisation = diemen["organisation"]
    with pytest.raises(ValidationError) as info:
        services.organisation_update(organisation=organisation, name="Gemeente Duivendrecht")
    assert "register" in info.value.message_dict["name"][0]
    organisation.refresh_from_db()
    assert organisation.name == "Gemeente Diemen"
    services.organisation_update(organisation=organisation, description="Aan de A10.")
    organisation.refresh_from_db()
    assert organisation.description == "Aan de A10."


def test_organisation_update_refuses_bad_input():
    organisation = OrganisationFactory(name="Platform X")
    with pytest.raises(ValidationError) as info:
        services.organisation_update(organisation=organisation, name=" ", kind="koninkrijk")
    assert set(info.value.message_dict) <= {"name", "kind"}
    organisation.refresh_from_db()
    assert organisation.name == "Platform X"


def test_person_update_refuses_an_empty_surname_and_a_bad_address():
    person = PersonFactory(surname="Dijk")
    with pytest.raises(ValidationError):
        services.person_update(person=person, surname="")
    with pytest.raises(ValidationError):
        services.person_update(person=person, email="geen-adres")
    person.refresh_from_db()
    assert person.surname == "Dijk"
    assert not AuditEvent.objects.exists()


def test_a_new_slug_never_takes_a_path_of_the_pages():
    organisation = services.organisation_create(kind=Organisation.Kind.OTHER, name="Nieuw")
    assert organisation.slug == "nieuw-2"


# --- Pages: the bureau ------------------------------------------------------------------------


def test_bureau_adds_a_person_then_a_position(bureau, diemen):
    response = bureau.post(
        reverse("contacts:person_create"),
        {"given_name": "Marieke", "surname": "Jansen", "email": "m.jansen@diemen.nl"},
    )
    person = Person.objects.get(surname="Jansen")
    assert response.status_code == 302
    assert response.url == reverse("contacts:position_create", args=[person.pk])
    page = bureau.get(response.url)
    assert "Gemeente Diemen" in page.text
    response = bureau.post(
        reverse("contacts:position_create", args=[person.pk]),
        {
            "organisation": diemen["organisation"].pk,
            "function": Function.ALDERMAN,
            "portfolio": "Wonen",
            "start_date": "16-05-2023",
        },
    )
    assert response.status_code == 302
    position = person.positions.get()
    assert (position.function, position.start_date) == (
        Function.ALDERMAN,
        datetime.date(2023, 5, 16),
    )
    page = bureau.get(reverse("contacts:person_detail", args=[person.pk]))
    assert "De functie is vastgelegd: wethouder bij Gemeente Diemen." in page.text
    event = AuditEvent.objects.get(action="position.create")
    assert event.actor == bureau.user and event.origin == "webformulier"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"function": Function.MAYOR, "start_date": "01-01-2024"},
            "overlapt (1 januari 2022 tot en met heden)",
        ),
        (
            {"function": Function.ALDERMAN, "start_date": "2024-01-01", "end_date": "2023-01-01"},
            "De einddatum ligt vóór de begindatum.",
        ),
        ({"function": "koning"}, "Kies een waarde uit de lijst; koning bestaat niet."),
        ({"function": Function.ALDERMAN, "start_date": "31-02-2024"}, "Vul een datum in als"),
        ({"function": ""}, "Maak een keuze."),
    ],
)
def test_a_bad_position_writes_nothing_and_says_why(bureau, diemen, data, message):
    position = diemen["position"]
    before = snapshot()
    response = bureau.post(
        reverse("contacts:position_create", args=[position.person_id]),
        {"organisation": diemen["organisation"].pk, **data},
    )
    assert response.status_code == 200
    assert message in response.text
    assert "Er is niets vastgelegd" in response.text
    assert snapshot() == before


def test_bureau_adds_a_person_at_an_organisation_in_one_step(bureau, diemen):
    url = reverse("contacts:organisation_person_create", args=["gemeente-diemen"])
    response = bureau.post(
        url,
        {"surname": "Vries", "surname_prefix": "de", "function": Function.MUNICIPAL_SECRETARY},
    )
    assert response.status_code == 302
    assert response.url == reverse("contacts:organisation_detail", args=["gemeente-diemen"])
    person = Person.objects.get(surname="Vries")
    assert person.positions.get().organisation == diemen["organisation"]


def test_a_person_with_a_bad_position_is_not_added_either(bureau, diemen):
    before = snapshot()
    response = bureau.post(
        reverse("contacts:organisation_person_create", args=["gemeente-diemen"]),
        {
            "surname": "Vries",
            "function": Function.ALDERMAN,
            "start_date": "2024-02-01",
            "end_date": "2024-01-01",
        },
    )
    assert response.status_code == 200
    assert snapshot() == before


def test_bureau_edits_a_person(bureau, diemen):
    person = diemen["position"].person
    url = reverse("contacts:person_edit", args=[person.pk])
    assert 'value="j.dijk@diemen.nl"' in bureau.get(url).text
    response = bureau.post(
        url, {"given_name": "Jeroen", "surname": "Dijk", "email": "burgemeester@diemen.nl"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email == "burgemeester@diemen.nl"


def test_a_bad_person_edit_writes_nothing(bureau, diemen):
    person = diemen["position"].person
    before = snapshot()
    response = bureau.post(
        reverse("contacts:person_edit", args=[person.pk]), {"surname": "", "email": "geen"}
    )
    assert response.status_code == 200
    assert "Vul dit veld in." in response.text
    assert "Vul een geldig e-mailadres in" in response.text
    assert snapshot() == before


def test_bureau_ends_a_position(bureau, diemen):
    position = diemen["position"]
    url = reverse("contacts:position_end", args=[position.pk])
    response = bureau.post(url, {"end_date": "2021-12-31"})
    assert response.status_code == 200
    assert "De einddatum ligt vóór de begindatum (1 januari 2022)." in response.text
    position.refresh_from_db()
    assert position.end_date is None
    response = bureau.post(url, {"end_date": "2026-03-31"}, follow=True)
    position.refresh_from_db()
    assert position.end_date == datetime.date(2026, 3, 31)
    assert "eindigt op 31 maart 2026" in response.text


def test_bureau_creates_and_edits_an_organisation(bureau):
    response = bureau.post(
        reverse("contacts:organisation_create"),
        {
            "kind": Organisation.Kind.KNOWLEDGE_PARTNER,
            "name": "Kennisplatform X",
            "website": "kennisplatform.nl",
        },
    )
    organisation = Organisation.objects.get(name="Kennisplatform X")
    assert response.url == reverse("contacts:organisation_detail", args=[organisation.slug])
    assert organisation.website == "https://kennisplatform.nl"
    response = bureau.post(
        reverse("contacts:organisation_edit", args=[organisation.slug]),
        {"kind": Organisation.Kind.OTHER, "name": "Kennisplatform Y", "website": ""},
    )
    organisation.refresh_from_db()
    assert (organisation.name, organisation.kind) == ("Kennisplatform Y", "other")


def test_a_seeded_organisation_offers_only_website_and_description(bureau, diemen):
    url = reverse("contacts:organisation_edit", args=["gemeente-diemen"])
    page = bureau.get(url).text
    assert 'name="name"' not in page and 'name="website"' in page
    # A name sent anyway is not a field of the form: it is ignored, not written.
    bureau.post(url, {"name": "Gemeente Elders", "website": "https://www.diemen.nl"})
    organisation = Organisation.objects.get(slug="gemeente-diemen")
    assert (organisation.name, organisation.website) == ("Gemeente Diemen", "https://www.diemen.nl")


def test_network_organisation_is_seeded_too(bureau):
    OrganisationFactory(slug="g40", network=NetworkFactory(code="G40"))
    assert 'name="kind"' not in bureau.get(reverse("contacts:organisation_edit", args=["g40"])).text


def test_the_pages_link_to_the_forms(bureau, diemen):
    position = diemen["position"]
    listing = bureau.get(reverse("contacts:organisation_list")).text
    assert reverse("contacts:person_create") in listing
    assert reverse("contacts:organisation_create") in listing
    organisation = bureau.get(reverse("contacts:organisation_detail", args=["gemeente-diemen"]))
    assert (
        reverse("contacts:organisation_person_create", args=["gemeente-diemen"])
        in organisation.text
    )
    assert reverse("contacts:organisation_edit", args=["gemeente-diemen"]) in organisation.text
    assert reverse("contacts:position_end", args=[position.pk]) in organisation.text
    person = bureau.get(reverse("contacts:person_detail", args=[position.person_id])).text
    assert reverse("contacts:person_edit", args=[position.person_id]) in person
    assert reverse("contacts:position_create", args=[position.person_id]) in person
    assert reverse("contacts:position_end", args=[position.pk]) in person


# --- Pages: a member contact, for its own municipality only ------------------------------------


def test_contact_adds_and_ends_positions_of_its_own_municipality(contact, diemen):
    response = contact.post(
        reverse("contacts:organisation_person_create", args=["gemeente-diemen"]),
        {"surname": "Bakker", "function": Function.ALDERMAN, "start_date": "2026-04-01"},
    )
    assert response.status_code == 302
    alderman = Person.objects.get(surname="Bakker")
    # The organisation to choose is its own municipality's, and only that one.
    OrganisationFactory(name="Elders")
    form = contact.get(reverse("contacts:position_create", args=[alderman.pk])).text
    assert "Gemeente Diemen" in form and "Elders" not in form
    response = contact.post(
        reverse("contacts:position_end", args=[diemen["position"].pk]), {"end_date": "2026-03-31"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(actor=contact.user).count() == 3


def test_contact_cannot_choose_another_organisation(contact, diemen):
    other = OrganisationFactory(name="Elders")
    person = diemen["position"].person
    before = snapshot()
    response = contact.post(
        reverse("contacts:position_create", args=[person.pk]),
        {"organisation": other.pk, "function": Function.ALDERMAN},
    )
    assert response.status_code == 200
    assert snapshot() == before


def test_another_municipality_does_not_exist_for_a_contact(contact, weesp):
    position = weesp["position"]
    before = snapshot()
    urls = [
        reverse("contacts:person_edit", args=[position.person_id]),
        reverse("contacts:position_create", args=[position.person_id]),
        reverse("contacts:position_end", args=[position.pk]),
        reverse("contacts:organisation_person_create", args=["gemeente-weesp"]),
    ]
    for url in urls:
        assert contact.get(url).status_code == 404, url
        assert contact.post(url, {"surname": "X", "end_date": "2026-01-01"}).status_code == 404
    assert snapshot() == before
    # ... and no management links show on its pages.
    page = contact.get(reverse("contacts:organisation_detail", args=["gemeente-weesp"])).text
    assert reverse("contacts:position_end", args=[position.pk]) not in page
    assert "Persoon toevoegen" not in page


@pytest.fixture
def moved_to_weesp(diemen, weesp):
    """A former Diemen official, now at Weesp, with contact details."""
    person = PersonFactory(email="nu.in.weesp@weesp.nl", phone="06 12345678")
    old = PositionFactory(
        person=person,
        organisation=diemen["organisation"],
        function=Function.ALDERMAN,
        start_date=datetime.date(2018, 1, 1),
        end_date=datetime.date(2020, 1, 1),
    )
    PositionFactory(
        person=person,
        organisation=weesp["organisation"],
        function=Function.ALDERMAN,
        start_date=datetime.date(2020, 1, 2),
    )
    return {"person": person, "old_position": old}


def test_a_person_who_moved_on_is_no_longer_the_old_municipalitys(contact, moved_to_weesp):
    person, old = moved_to_weesp["person"], moved_to_weesp["old_position"]
    before = snapshot()
    urls = [
        reverse("contacts:person_edit", args=[person.pk]),
        reverse("contacts:position_create", args=[person.pk]),
        reverse("contacts:position_end", args=[old.pk]),
    ]
    for url in urls:
        assert contact.get(url).status_code == 404, url
        data = {"surname": "X", "email": "aanvaller@diemen.nl", "end_date": "2019-06-30"}
        assert contact.post(url, data).status_code == 404, url
    assert snapshot() == before
    # ... and neither page offers to manage the person or the old position.
    for url in (
        reverse("contacts:person_detail", args=[person.pk]),
        reverse("contacts:organisation_detail", args=["gemeente-diemen"]),
    ):
        page = contact.get(url).text
        assert reverse("contacts:person_edit", args=[person.pk]) not in page
        assert reverse("contacts:position_end", args=[old.pk]) not in page


def test_a_person_still_to_start_is_the_contacts_to_manage(contact, diemen):
    person = PersonFactory()
    PositionFactory(
        person=person,
        organisation=diemen["organisation"],
        function=Function.ALDERMAN,
        start_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    assert contact.get(reverse("contacts:person_edit", args=[person.pk])).status_code == 200


def test_a_contact_neither_sees_nor_writes_contact_details(contact, diemen):
    person = diemen["position"].person
    person.phone = "06 87654321"
    person.save()
    url = reverse("contacts:person_edit", args=[person.pk])
    page = contact.get(url).text
    assert "j.dijk@diemen.nl" not in page and "06 87654321" not in page
    assert 'name="email"' not in page and 'name="phone"' not in page
    response = contact.post(
        url, {"given_name": "J.", "surname": "Dijk", "email": "aanvaller@diemen.nl", "phone": ""}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.given_name, person.email, person.phone) == (
        "J.",
        "j.dijk@diemen.nl",
        "06 87654321",
    )
    # Nor when adding a person: what is sent anyway is not a field of the form.
    create = reverse("contacts:organisation_person_create", args=["gemeente-diemen"])
    assert 'name="email"' not in contact.get(create).text
    contact.post(
        create, {"surname": "Bakker", "function": Function.ALDERMAN, "email": "x@diemen.nl"}
    )
    assert Person.objects.get(surname="Bakker").email == ""


def test_the_bureau_still_sees_and_writes_contact_details(bureau, diemen):
    person = diemen["position"].person
    assert 'name="phone"' in bureau.get(reverse("contacts:person_edit", args=[person.pk])).text
    create = reverse("contacts:organisation_person_create", args=["gemeente-diemen"])
    assert 'name="email"' in bureau.get(create).text
    bureau.post(
        create, {"surname": "Bakker", "function": Function.ALDERMAN, "email": "b@diemen.nl"}
    )
    assert Person.objects.get(surname="Bakker").email == "b@diemen.nl"


def test_contact_does_not_manage_organisations(contact, diemen):
    assert (
        contact.get(reverse("contacts:organisation_edit", args=["gemeente-diemen"])).status_code
        == 403
    )
    assert contact.get(reverse("contacts:person_create")).status_code == 403
    page = contact.get(reverse("contacts:organisation_detail", args=["gemeente-diemen"])).text
    assert reverse("contacts:organisation_person_create", args=["gemeente-diemen"]) in page
    assert reverse("contacts:organisation_edit", args=["gemeente-diemen"]) not in page


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.PUBLIC_AFFAIRS, Role.PILLAR_CHAIR])
def test_other_roles_manage_nothing(client, user_for_role, diemen, role):
    client.force_login(user_for_role(role))
    position = diemen["position"]
    before = snapshot()
    for url in (
        reverse("contacts:person_edit", args=[position.person_id]),
        reverse("contacts:position_end", args=[position.pk]),
        reverse("contacts:organisation_person_create", args=["gemeente-diemen"]),
    ):
        assert client.post(url, {"surname": "X", "end_date": "2026-01-01"}).status_code == 403
    assert snapshot() == before
    page = client.get(reverse("contacts:person_detail", args=[position.person_id])).text
    assert reverse("contacts:person_edit", args=[position.person_id]) not in page


# --- Query counts -----------------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(context)


def test_position_form_query_count_does_not_grow_with_organisations(bureau, diemen):
    url = reverse("contacts:position_create", args=[diemen["position"].person_id])
    Organisation.objects.bulk_create(
        Organisation(name=f"Organisatie {n}", slug=f"o-{n}") for n in range(9)
    )
    small = count_queries(bureau, url)
    Organisation.objects.bulk_create(
        Organisation(name=f"Organisatie {n}", slug=f"o-{n}") for n in range(9, 1000)
    )
    assert count_queries(bureau, url) == small


def test_person_page_query_count_does_not_grow_with_managed_positions(contact, diemen):
    person = diemen["position"].person

    def add(count: int) -> None:
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Org {n}", slug=f"org-{Organisation.objects.count()}-{n}")
            for n in range(count)
        )
        Position.objects.bulk_create(
            Position(person=person, organisation=o, function=Function.OTHER) for o in organisations
        )

    add(9)
    small = count_queries(contact, reverse("contacts:person_detail", args=[person.pk]))
    add(990)
    assert count_queries(contact, reverse("contacts:person_detail", args=[person.pk])) == small
