"""Participations through the services: every rule refuses in Dutch and writes nothing."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from m50.accounts.models import Role
from m50.contacts import services as contacts_services
from m50.core.models import AuditEvent
from m50.pillars import services
from m50.pillars.models import Category, Participation
from m50.pillars.models import Role as PillarRole
from tests.factories import OrganisationFactory, ThemeGroupFactory, UserFactory
from tests.pillars.conftest import START, Function, municipality_organisation, official, pillar

pytestmark = pytest.mark.django_db
D = datetime.date


def register(position, body, **kwargs):
    kwargs.setdefault("start_date", START)
    key = "pillar" if body._meta.model_name == "pillar" else "theme_group"
    return services.participation_register(position=position, **{key: body}, **kwargs)


def refused(position, body, **kwargs) -> str:
    before = Participation.objects.count()
    with pytest.raises(ValidationError) as info:
        register(position, body, **kwargs)
    assert Participation.objects.count() == before
    return " ".join(info.value.messages)


# --- Registering ------------------------------------------------------------------------------


def test_an_alderman_of_a_member_takes_part_as_bestuurder_and_it_is_audited(diemen, sociaal):
    alderman = official(diemen)
    participation = register(alderman, sociaal, actor=UserFactory(role=Role.BUREAU))
    assert participation.category == Category.ADMINISTRATOR
    assert participation.role == PillarRole.MEMBER
    assert participation.is_running()
    event = AuditEvent.objects.get(action="participation.register")
    assert event.object_id == str(participation.pk)
    assert event.changes["body"] == {"old": None, "new": "Sociaal"}
    assert event.changes["category"]["new"] == "bestuurder"


def test_an_official_of_an_aspirant_takes_part(db, sociaal):
    zeist = municipality_organisation("Zeist", status="aspirant")
    assert register(official(zeist, Function.POLICY_ADVISOR), sociaal).category == "adviseur"


@pytest.mark.parametrize("status", ["none", "terminated"])
def test_only_officials_of_members_and_aspirants_take_part(db, sociaal, status):
    organisation = municipality_organisation("Buitenstad", status=status)
    assert "geen lid of aspirant-lid van het M50" in refused(official(organisation), sociaal)


def test_an_official_of_another_organisation_takes_no_part(db, sociaal):
    ministry = OrganisationFactory(name="Ministerie van Financiën")
    assert "geen gemeente" in refused(official(ministry), sociaal)


def test_a_councillor_takes_no_part(diemen, sociaal):
    assert "neemt niet deel" in refused(official(diemen, Function.COUNCILLOR), sociaal)


def test_the_category_follows_the_function(diemen, sociaal):
    message = refused(official(diemen, Function.POLICY_ADVISOR), sociaal, category="bestuurder")
    assert "neemt deel als adviseur, niet als bestuurder" in message
    secretary = official(diemen, Function.MUNICIPAL_SECRETARY)
    assert register(secretary, sociaal).category == Category.MUNICIPAL_SECRETARY


def test_an_ended_pillar_takes_no_new_participants(diemen):
    samenleving = pillar("samenleving")
    assert "neemt geen nieuwe deelnemers aan" in refused(official(diemen), samenleving)


def test_a_pillar_takes_participants_until_its_known_end(diemen, sociaal):
    alderman = official(diemen)
    services.pillar_end(pillar=sociaal, ended_on=D(2024, 6, 30))
    assert register(alderman, sociaal, end_date=D(2024, 6, 30)).is_running(D(2024, 6, 30))
    other = official(diemen, Function.MAYOR)
    assert "loopt op 1 juli 2024 niet" in refused(other, sociaal, start_date=D(2024, 7, 1))


def test_an_ended_theme_group_takes_no_new_participants(diemen, sociaal):
    group = ThemeGroupFactory(pillar=sociaal)
    services.theme_group_end(theme_group=group, ended_on=D(2023, 12, 31))
    assert "themagroep" in refused(official(diemen), group)


def test_one_person_holds_one_running_participation_per_pillar(diemen, sociaal):
    alderman = official(diemen)
    register(alderman, sociaal)
    assert "overlapt (1 maart 2024 tot en met heden)" in refused(
        alderman, sociaal, start_date=D(2025, 1, 1)
    )
    # Also through another position of the same person (mayor after being alderman).
    mayor = official(diemen, Function.MAYOR, person=alderman.person)
    assert "neemt al deel" in refused(mayor, sociaal, start_date=D(2025, 1, 1))


def test_one_person_may_take_part_in_another_pillar_or_after_the_first_ended(
    diemen, sociaal, financieel
):
    alderman = official(diemen)
    first = register(alderman, sociaal)
    register(alderman, financieel)
    services.participation_end(participation=first, end_date=D(2024, 12, 31))
    again = register(alderman, sociaal, start_date=D(2025, 1, 1))
    assert again.start_date == D(2025, 1, 1)


def test_dates_in_order(diemen, sociaal):
    alderman = official(diemen)
    message = refused(alderman, sociaal, start_date=D(2024, 3, 1), end_date=D(2024, 2, 1))
    assert "De einddatum (1 februari 2024) ligt vóór de begindatum (1 maart 2024)." in message
    participation = register(alderman, sociaal)
    with pytest.raises(ValidationError):
        services.participation_end(participation=participation, end_date=D(2024, 2, 1))
    participation.refresh_from_db()
    assert participation.end_date is None


def test_the_database_keeps_dates_in_order_and_one_pillar_or_group(diemen, sociaal):
    alderman = official(diemen)
    group = ThemeGroupFactory(pillar=sociaal)
    bad = [
        {"pillar": sociaal, "start_date": START, "end_date": D(2024, 1, 1)},
        {"pillar": sociaal, "theme_group": group, "start_date": START},
        {"start_date": START},
    ]
    for values in bad:
        with pytest.raises(IntegrityError), transaction.atomic():
            Participation.objects.create(position=alderman, category="bestuurder", **values)


def test_a_participation_stays_within_its_position(diemen, sociaal):
    alderman = official(diemen, start_date=D(2024, 5, 1), end_date=D(2026, 4, 30))
    assert "pas vanaf 1 mei 2024" in refused(alderman, sociaal)
    assert "eindigt op 30 april 2026" in refused(
        alderman, sociaal, start_date=D(2024, 6, 1), end_date=D(2026, 5, 1)
    )
    assert "is op 30 april 2026 beëindigd" in refused(alderman, sociaal, start_date=D(2026, 5, 1))
    # Without an end date it ends with the position.
    participation = register(alderman, sociaal, start_date=D(2024, 6, 1))
    assert (participation.end_date, participation.end_reason) == (D(2026, 4, 30), "position_ended")


def test_a_participation_ends_no_later_than_its_pillars_planned_end(diemen, sociaal):
    services.pillar_end(pillar=sociaal, ended_on=D(2027, 6, 30))
    message = refused(official(diemen), sociaal, end_date=D(2027, 7, 1))
    assert "De pijler Sociaal eindigt op 30 juni 2027" in message
    participation = register(official(diemen, Function.MAYOR), sociaal)
    assert (participation.end_date, participation.end_reason) == (D(2027, 6, 30), "body_ended")


def test_a_pillar_chair_is_a_bestuurder_and_there_is_one_at_a_time(diemen, houten, sociaal):
    advisor = official(diemen, Function.POLICY_ADVISOR)
    assert "De voorzitter van een pijler is een bestuurder" in refused(
        advisor, sociaal, role=PillarRole.CHAIR
    )
    register(official(diemen), sociaal, role=PillarRole.CHAIR)
    assert "al voorzitter van de pijler Sociaal" in refused(
        official(houten), sociaal, role=PillarRole.CHAIR
    )


def test_a_theme_group_may_be_chaired_by_an_advisor(diemen, sociaal):
    group = ThemeGroupFactory(pillar=sociaal, name="Jeugdzorg")
    advisor = official(diemen, Function.POLICY_ADVISOR)
    assert register(advisor, group, role=PillarRole.CHAIR).role == PillarRole.CHAIR


def test_a_participation_is_in_one_pillar_or_one_group(diemen, sociaal):
    with pytest.raises(ValidationError, match="één pijler of aan één themagroep"):
        services.participation_register(position=official(diemen), start_date=START)
    with pytest.raises(ValidationError):
        services.participation_register(
            position=official(diemen),
            pillar=sociaal,
            theme_group=ThemeGroupFactory(pillar=sociaal),
            start_date=START,
        )


# --- Ending and changing roles ----------------------------------------------------------------


def test_ending_is_audited(diemen, sociaal):
    participation = register(official(diemen), sociaal)
    services.participation_end(participation=participation, end_date=D(2025, 1, 31))
    participation.refresh_from_db()
    assert (participation.end_date, participation.end_reason) == (D(2025, 1, 31), "left")
    event = AuditEvent.objects.get(action="participation.end")
    assert event.changes["end_date"] == {"old": None, "new": "2025-01-31"}


def test_a_role_change_keeps_the_history(diemen, sociaal):
    participation = register(official(diemen), sociaal)
    chair = services.participation_role_change(
        participation=participation, role=PillarRole.CHAIR, on=D(2025, 1, 1)
    )
    participation.refresh_from_db()
    assert (participation.role, participation.end_date) == (PillarRole.MEMBER, D(2024, 12, 31))
    assert participation.end_reason == "role_changed"
    assert (chair.role, chair.start_date, chair.end_date) == (PillarRole.CHAIR, D(2025, 1, 1), None)
    assert AuditEvent.objects.filter(action="participation.role_change").count() == 1


def test_a_role_change_on_the_first_day_corrects_the_role(diemen, sociaal):
    participation = register(official(diemen), sociaal)
    same = services.participation_role_change(
        participation=participation, role=PillarRole.OBSERVER, on=START
    )
    assert same.pk == participation.pk and same.role == PillarRole.OBSERVER
    assert Participation.objects.count() == 1


def test_a_role_change_to_chair_follows_the_chair_rules(diemen, houten, sociaal):
    register(official(houten), sociaal, role=PillarRole.CHAIR)
    advisor = register(official(diemen, Function.POLICY_ADVISOR), sociaal)
    alderman = register(official(diemen), sociaal)
    for participation, message in [
        (advisor, "is een bestuurder"),
        (alderman, "al voorzitter"),
    ]:
        with pytest.raises(ValidationError, match=message):
            services.participation_role_change(
                participation=participation, role=PillarRole.CHAIR, on=D(2025, 1, 1)
            )
        participation.refresh_from_db()
        assert participation.end_date is None
    assert Participation.objects.count() == 3


# --- A participation ends with its position ---------------------------------------------------


def test_a_participation_ends_with_its_position_and_the_contact_is_told(
    diemen, houten, sociaal, financieel, django_capture_on_commit_callbacks
):
    municipality = diemen.municipality
    UserFactory(role=Role.MEMBER_CONTACT, municipality=municipality, email="contact@diemen.nl")
    UserFactory(role=Role.MEMBER_CONTACT, municipality=houten.municipality, email="c@houten.nl")
    alderman = official(diemen)
    in_sociaal = register(alderman, sociaal, role=PillarRole.CHAIR)
    in_group = register(alderman, ThemeGroupFactory(pillar=financieel, name="Grondbeleid"))
    ended_before = register(alderman, financieel, end_date=D(2024, 6, 30))
    mail.outbox.clear()

    # Inside a transaction that fails, the participations stay as they were.
    with pytest.raises(RuntimeError), transaction.atomic():
        contacts_services.position_end(position=alderman, end_date=D(2026, 3, 25))
        raise RuntimeError
    in_sociaal.refresh_from_db()
    alderman.refresh_from_db()
    assert in_sociaal.end_date is None and alderman.end_date is None

    with django_capture_on_commit_callbacks(execute=True):
        contacts_services.position_end(position=alderman, end_date=D(2026, 3, 25))
    for participation in (in_sociaal, in_group, ended_before):
        participation.refresh_from_db()
    assert in_sociaal.end_date == in_group.end_date == D(2026, 3, 25)
    assert in_sociaal.end_reason == "position_ended"
    assert ended_before.end_date == D(2024, 6, 30)
    assert AuditEvent.objects.filter(action="participation.end").count() == 2
    [message] = mail.outbox
    assert message.to == ["contact@diemen.nl"]
    assert alderman.person.full_name in message.subject
    assert "eindigt op 25 maart 2026" in message.body
    assert "pijler Sociaal (voorzitter, bestuurder), tot en met 25 maart 2026" in message.body
    assert "themagroep Grondbeleid" in message.body
    assert "Financieel" not in message.body.replace("themagroep Grondbeleid", "")


def test_a_participation_that_would_start_after_the_position_ended_is_removed(diemen, sociaal):
    alderman = official(diemen)
    future = register(alderman, sociaal, start_date=D(2026, 6, 1))
    contacts_services.position_end(position=alderman, end_date=D(2026, 3, 25))
    assert not Participation.objects.filter(pk=future.pk).exists()
    assert AuditEvent.objects.filter(action="participation.cancel").count() == 1


def test_ending_a_position_without_participations_mails_nobody(
    diemen, django_capture_on_commit_callbacks
):
    UserFactory(role=Role.MEMBER_CONTACT, municipality=diemen.municipality)
    alderman = official(diemen)
    with django_capture_on_commit_callbacks(execute=True):
        contacts_services.position_end(position=alderman, end_date=D(2026, 3, 25))
    assert mail.outbox == []


def test_ending_a_pillar_ends_its_participations(diemen, sociaal):
    running = register(official(diemen), sociaal)
    services.pillar_end(pillar=sociaal, ended_on=D(2026, 1, 31))
    running.refresh_from_db()
    assert (running.end_date, running.end_reason) == (D(2026, 1, 31), "body_ended")
    with pytest.raises(ValidationError, match="al beëindigd"):
        services.pillar_end(pillar=sociaal, ended_on=D(2026, 2, 1))


def test_a_corrected_later_position_end_moves_the_participations_along(
    diemen, sociaal, financieel, django_capture_on_commit_callbacks
):
    UserFactory(role=Role.MEMBER_CONTACT, municipality=diemen.municipality)
    alderman = official(diemen)
    with_position = register(alderman, sociaal)
    left_before = register(alderman, financieel)
    services.participation_end(participation=left_before, end_date=D(2026, 3, 25))
    contacts_services.position_end(position=alderman, end_date=D(2026, 3, 25))
    with django_capture_on_commit_callbacks(execute=True):
        contacts_services.position_end(position=alderman, end_date=D(2026, 4, 30))
    with_position.refresh_from_db()
    left_before.refresh_from_db()
    assert with_position.end_date == D(2026, 4, 30)
    assert left_before.end_date == D(2026, 3, 25)
    assert mail.outbox == []
