"""Public affairs' own records (issue 12): theme dossiers and their versioned position,
stakeholders and their last contact, contacts (*contactmomenten*) and follow-ups, recurring
consultations, VNG motions with co-submitters and outcome; every write through its service,
refused with a Dutch message and nothing written on bad input, audited."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from m50.accounts.models import Role
from m50.activities.models import Activity
from m50.contacts.models import Organisation
from m50.core.models import AuditEvent
from m50.pillars.models import Pillar, Topic
from m50.publicaffairs import records, selectors
from m50.publicaffairs.models import (
    ConsultationSeries,
    FollowUp,
    Interaction,
    Motion,
    MotionCoSubmitter,
    MotionSubmitter,
    PositionVersion,
    Stakeholder,
    ThemeDossier,
)
from tests.factories import MunicipalityFactory, OrganisationFactory, PersonFactory
from tests.publicaffairs.records_helpers import (
    TODAY,
    audit_count,
    fractie,
    messages,
    mp,
    refused,
    theme,
    tk_motion,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lobbyist(user_for_role):
    return user_for_role(Role.PUBLIC_AFFAIRS, username="lobbyist")


@pytest.fixture
def bureau(user_for_role):
    return user_for_role(Role.BUREAU, username="bureau")


@pytest.fixture
def participant(user_for_role):
    return user_for_role(Role.PARTICIPANT, username="deelnemer")


@pytest.fixture
def wonen(lobbyist):
    return records.dossier_create(actor=lobbyist, theme=theme("wonen"), watch_terms=["woning"])


def org(abbreviation: str, kind=Organisation.Kind.PARTNER_NETWORK) -> Organisation:
    return OrganisationFactory(kind=kind, name=abbreviation, abbreviation=abbreviation)


def months_before(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 - months
    return day.replace(year=day.year + index // 12, month=index % 12 + 1)


# --- Dossiers and positions -------------------------------------------------------------------


def test_each_change_of_the_position_is_a_new_version_and_the_latest_is_current(
    lobbyist, bureau, wonen
):
    first = records.position_add(actor=lobbyist, dossier=wonen, text="Meer sociale huur.")
    second = records.position_add(
        actor=bureau, dossier=wonen, text="Meer sociale huur, ook in middelgrote gemeenten."
    )

    assert (first.number, second.number) == (1, 2)
    assert selectors.position_current(user=lobbyist, dossier=wonen) == second
    history = list(selectors.position_history(user=lobbyist, dossier=wonen))
    assert [(v.number, v.author) for v in history] == [(2, bureau), (1, lobbyist)]
    assert history[1].text == "Meer sociale huur."  # the earlier text is kept as written
    audit = AuditEvent.objects.get(action="publicaffairs.position_add", object_id=str(second.pk))
    assert audit.actor == bureau
    assert audit.changes["text"]["old"] == "Meer sociale huur."


def test_one_version_at_a_time_is_published_on_the_public_site(lobbyist, wonen):
    first = records.position_add(actor=lobbyist, dossier=wonen, text="Versie een.")
    second = records.position_add(actor=lobbyist, dossier=wonen, text="Versie twee.")
    assert selectors.position_published(theme=wonen.theme) is None

    records.position_publish(actor=lobbyist, version=first)
    assert selectors.position_published(theme=wonen.theme) == first
    records.position_publish(actor=lobbyist, version=second)

    assert selectors.position_published(theme=wonen.theme) == second
    assert list(PositionVersion.objects.filter(published=True)) == [second]
    records.position_unpublish(actor=lobbyist, dossier=wonen)
    assert selectors.position_published(theme=wonen.theme) is None


def test_an_empty_or_unchanged_position_is_refused_and_nothing_written(lobbyist, wonen):
    records.position_add(actor=lobbyist, dossier=wonen, text="Standpunt.")
    before = audit_count()

    empty = refused(records.position_add, actor=lobbyist, dossier=wonen, text="   ")
    same = refused(records.position_add, actor=lobbyist, dossier=wonen, text=" Standpunt. ")

    assert messages(empty) == "Schrijf het standpunt."
    assert messages(same) == "Het standpunt is niet gewijzigd."
    assert PositionVersion.objects.count() == 1
    assert audit_count() == before


def test_a_theme_has_one_dossier_and_a_watch_term_of_stop_words_is_refused(lobbyist, wonen):
    twice = refused(records.dossier_create, actor=lobbyist, theme=theme("wonen"))
    only_stop_words = refused(
        records.dossier_create, actor=lobbyist, theme=theme("mobiliteit"), watch_terms=["de en"]
    )

    assert messages(twice) == "Het thema Wonen heeft al een dossier."
    assert "bestaat alleen uit veelvoorkomende woorden" in messages(only_stop_words)
    assert ThemeDossier.objects.count() == 1


def test_the_dossier_gives_its_motions_topics_and_knowledge_of_the_theme(lobbyist, wonen):
    motion = tk_motion("Motie over betaalbare huur")
    other = tk_motion("Motie over wegen")
    records.dossier_motion_link(actor=lobbyist, dossier=wonen, motion=motion)
    topic = Topic.objects.create(pillar=Pillar.objects.first(), title="Woningbouw")
    topic.themes.add(wonen.theme)
    Topic.objects.create(pillar=Pillar.objects.first(), title="Zonder thema")

    assert list(selectors.dossier_motions(user=lobbyist, dossier=wonen)) == [motion]
    assert other not in selectors.dossier_motions(user=lobbyist, dossier=wonen)
    assert list(selectors.theme_topics(user=lobbyist, theme=wonen.theme)) == [topic]
    # Knowledge decides itself what the reader sees; none are recorded here.
    assert list(selectors.theme_knowledge_items(user=lobbyist, theme=wonen.theme)) == []


# --- Interactions -----------------------------------------------------------------------------


def test_a_work_visit_with_two_mps_is_recorded_with_both_sides_and_audited(lobbyist, wonen):
    town = MunicipalityFactory(name="Houten")
    vvd = fractie("VVD")
    de_vries, jansen = mp("De Vries", vvd), mp("Jansen")
    ours, mayor = PersonFactory(surname="Lobbyist"), PersonFactory(surname="Burgemeester")

    visit = records.interaction_create(
        actor=lobbyist,
        kind=Interaction.Kind.WORK_VISIT,
        date=TODAY,
        subject="  Werkbezoek woningbouw Houten ",
        municipality=town,
        members=[de_vries, jansen],
        network_people=[ours],
        other_people=[mayor],
        themes=[wonen.theme],
        outcome="Kamerleden stellen vragen over de woondeal.",
        confidential_note="Jansen twijfelt over haar fractie.",
    )

    visit = selectors.interaction_detail(user=lobbyist, pk=visit.pk)
    assert visit.subject == "Werkbezoek woningbouw Houten"
    assert set(visit.members.all()) == {de_vries, jansen}
    assert list(visit.network_people.all()) == [ours]
    assert list(visit.other_people.all()) == [mayor]
    assert visit.confidential_note == "Jansen twijfelt over haar fractie."
    assert list(selectors.theme_interactions(user=lobbyist, theme=wonen.theme)) == [visit]
    assert list(selectors.interaction_list(user=lobbyist, fractie=vvd)) == [visit]
    audit = AuditEvent.objects.get(action="publicaffairs.interaction_create")
    assert audit.changes["members"]["new"] == "De Vries, Jansen"
    assert audit.changes["confidential_note"]["new"] == "***"
    assert "twijfelt" not in str(audit.changes)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"kind": "borrel"}, "kind", "Kies wat voor contactmoment het is."),
        ({"subject": " "}, "subject", "Vul het onderwerp in."),
        ({"date": None}, "date", "Vul de datum van het contactmoment in."),
        ({"municipality": None}, "municipality", "Kies de gemeente van het werkbezoek."),
    ],
)
def test_bad_input_for_a_contact_is_refused_in_dutch_and_nothing_written(
    lobbyist, changes, field, message
):
    values = {
        "kind": Interaction.Kind.WORK_VISIT,
        "date": TODAY,
        "subject": "Werkbezoek",
        "municipality": MunicipalityFactory(),
        "members": [mp("De Vries")],
        **changes,
    }
    before = audit_count()

    error = refused(records.interaction_create, actor=lobbyist, **values)

    assert error.message_dict[field] == [message]
    assert Interaction.objects.count() == 0
    assert Interaction.members.through.objects.count() == 0
    assert audit_count() == before


def test_only_public_affairs_and_the_bureau_record_contacts(user_for_role, bureau):
    for role in (Role.PARTICIPANT, Role.PILLAR_CHAIR, Role.MEMBER_CONTACT):
        error = refused(
            records.interaction_create,
            actor=user_for_role(role),
            kind=Interaction.Kind.TALK,
            date=TODAY,
            subject="Gesprek",
        )
        assert messages(error) == "Alleen public affairs en het bureau mogen dit vastleggen."
    assert Interaction.objects.count() == 0
    records.interaction_create(
        actor=bureau, kind=Interaction.Kind.TALK, date=TODAY, subject="Gesprek"
    )
    assert Interaction.objects.count() == 1


def test_changing_a_contact_keeps_the_note_when_read_without_it(lobbyist, participant):
    talk = records.interaction_create(
        actor=lobbyist,
        kind=Interaction.Kind.TALK,
        date=TODAY,
        subject="Gesprek",
        confidential_note="Geheim.",
    )
    seen_by_participant = selectors.interaction_detail(user=participant, pk=talk.pk)

    records.interaction_update(actor=lobbyist, interaction=seen_by_participant, outcome="Akkoord")

    talk.refresh_from_db()
    assert (talk.outcome, talk.confidential_note) == ("Akkoord", "Geheim.")
    audit = AuditEvent.objects.get(action="publicaffairs.interaction_update")
    assert audit.changes == {"outcome": {"old": "", "new": "Akkoord"}}


# --- Follow-ups -------------------------------------------------------------------------------


def test_my_open_follow_ups_flag_the_overdue_ones(lobbyist, bureau, participant):
    talk = records.interaction_create(
        actor=lobbyist, kind=Interaction.Kind.TALK, date=TODAY, subject="Gesprek met SZW"
    )
    late = records.follow_up_create(
        actor=lobbyist,
        interaction=talk,
        description="Notitie Jeugdwet sturen",
        owner=lobbyist,
        due_date=TODAY - datetime.timedelta(days=1),
    )
    due_today = records.follow_up_create(
        actor=lobbyist, interaction=talk, description="Bellen", owner=lobbyist, due_date=TODAY
    )
    undated = records.follow_up_create(
        actor=lobbyist, interaction=talk, description="Ooit", owner=lobbyist
    )
    done = records.follow_up_create(
        actor=lobbyist, interaction=talk, description="Klaar", owner=lobbyist, due_date=TODAY
    )
    records.follow_up_create(
        actor=lobbyist, interaction=talk, description="Van een ander", owner=bureau, due_date=TODAY
    )
    records.follow_up_complete(actor=lobbyist, follow_up=done)

    mine = list(selectors.my_open_follow_ups(user=lobbyist, today=TODAY))

    assert [(f.pk, f.overdue) for f in mine] == [
        (late.pk, True),
        (due_today.pk, False),
        (undated.pk, False),
    ]
    assert mine[0].interaction.subject == "Gesprek met SZW"
    assert list(selectors.my_open_follow_ups(user=participant, today=TODAY)) == []


def test_the_owner_completes_their_follow_up_and_others_are_refused(
    lobbyist, participant, user_for_role
):
    talk = records.interaction_create(
        actor=lobbyist, kind=Interaction.Kind.TALK, date=TODAY, subject="Gesprek"
    )
    follow_up = records.follow_up_create(
        actor=lobbyist, interaction=talk, description="Cijfers aanleveren", owner=participant
    )
    stranger = user_for_role(Role.PARTICIPANT)

    error = refused(records.follow_up_complete, actor=stranger, follow_up=follow_up)
    assert messages(error) == "U mag deze vervolgactie niet afronden."
    records.follow_up_complete(actor=participant, follow_up=follow_up)
    again = refused(records.follow_up_complete, actor=participant, follow_up=follow_up)

    assert messages(again) == "Deze vervolgactie is al afgerond."
    assert FollowUp.objects.get().done_at is not None
    assert AuditEvent.objects.filter(action="publicaffairs.follow_up_complete").count() == 1


def test_a_follow_up_needs_a_description_and_an_owner(lobbyist):
    talk = records.interaction_create(
        actor=lobbyist, kind=Interaction.Kind.TALK, date=TODAY, subject="Gesprek"
    )

    error = refused(
        records.follow_up_create, actor=lobbyist, interaction=talk, description="", owner=None
    )

    assert error.message_dict == {
        "description": ["Beschrijf de vervolgactie."],
        "owner": ["Kies als eigenaar een actieve gebruiker van het netwerk."],
    }
    assert FollowUp.objects.count() == 0


# --- Recurring consultations ------------------------------------------------------------------


def test_the_half_yearly_jv_meeting_last_held_eight_months_ago_is_overdue(lobbyist):
    jenv = org("JenV", Organisation.Kind.MINISTRY)
    szw = org("SZW", Organisation.Kind.MINISTRY)
    jv = records.series_create(
        actor=lobbyist,
        name="Halfjaarlijks overleg J&V: openbare orde, veiligheid en ondermijning",
        cadence_months=6,
        counterpart=jenv,
    )
    jeugdwet = records.series_create(
        actor=lobbyist, name="Overleg SZW over de Jeugdwet", cadence_months=6, counterpart=szw
    )
    never = records.series_create(
        actor=lobbyist, name="Nog nooit gehouden", cadence_months=3, counterpart=szw
    )
    held = months_before(TODAY, 8)
    for day, series in [
        (months_before(TODAY, 14), jv),
        (held, jv),
        (months_before(TODAY, 2), jeugdwet),
    ]:
        records.interaction_create(
            actor=lobbyist,
            kind=Interaction.Kind.CONSULTATION,
            date=day,
            subject=series.name,
            series=series,
        )
    # Planned, not yet held: does not count as the last meeting.
    records.interaction_create(
        actor=lobbyist,
        kind=Interaction.Kind.CONSULTATION,
        date=TODAY + datetime.timedelta(days=30),
        subject="Gepland",
        series=jv,
    )

    status = {s.series: s for s in selectors.series_status_list(user=lobbyist, today=TODAY)}

    assert (status[jv].last_held, status[jv].overdue) == (held, True)
    assert status[jv].next_due == months_before(TODAY, 2)
    assert status[jeugdwet].overdue is False
    assert (status[never].last_held, status[never].overdue) == (None, False)


def test_a_consultation_series_needs_a_cadence_and_only_meetings_belong_to_it(lobbyist):
    jenv = org("JenV", Organisation.Kind.MINISTRY)
    error = refused(
        records.series_create, actor=lobbyist, name="Overleg", cadence_months=0, counterpart=jenv
    )
    assert error.message_dict["cadence_months"] == [
        "Vul de frequentie in als een aantal maanden (1 tot 60)."
    ]
    assert ConsultationSeries.objects.count() == 0
    series = records.series_create(
        actor=lobbyist, name="Overleg", cadence_months=6, counterpart=jenv
    )

    error = refused(
        records.interaction_create,
        actor=lobbyist,
        kind=Interaction.Kind.TALK,
        date=TODAY,
        subject="Gesprek",
        series=series,
    )

    assert error.message_dict["series"] == ["Alleen een overleg hoort bij een terugkerend overleg."]


def test_months_are_added_by_the_calendar():
    assert selectors.add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert selectors.add_months(datetime.date(2026, 12, 2), 1) == datetime.date(2027, 1, 2)
    assert selectors.add_months(datetime.date(2023, 8, 31), 6) == datetime.date(2024, 2, 29)


# --- Stakeholders -----------------------------------------------------------------------------


def test_last_contact_is_derived_from_the_contacts(lobbyist, bureau):
    vng = org("VNG")
    jenv = org("JenV", Organisation.Kind.MINISTRY)
    cda = fractie("CDA")
    member = mp("Bontenbal", cda)
    other_member = mp("Ander")
    for party in ({"organisation": vng}, {"organisation": jenv}, {"member": member}):
        records.stakeholder_create(actor=lobbyist, owner=bureau, **party)
    records.stakeholder_create(actor=lobbyist, fractie=cda, next_step="Uitnodigen", owner=bureau)
    records.stakeholder_create(actor=lobbyist, member=other_member)
    series = records.series_create(
        actor=lobbyist, name="Overleg J&V", cadence_months=6, counterpart=jenv
    )
    for day, links in [
        (datetime.date(2026, 3, 1), {"organisations": [vng]}),
        (datetime.date(2026, 5, 1), {"organisations": [vng]}),
        (datetime.date(2026, 6, 1), {"members": [member]}),
        (datetime.date(2026, 4, 1), {"series": series}),
    ]:
        kind = Interaction.Kind.CONSULTATION if "series" in links else Interaction.Kind.TALK
        records.interaction_create(actor=lobbyist, kind=kind, date=day, subject="Contact", **links)

    last = {
        str(s): s.last_contact for s in selectors.stakeholder_list(user=lobbyist).order_by("pk")
    }

    assert last == {
        "VNG": datetime.date(2026, 5, 1),
        "JenV": datetime.date(2026, 4, 1),
        "Bontenbal": datetime.date(2026, 6, 1),
        "CDA": datetime.date(2026, 6, 1),  # through its member
        "Ander": None,
    }
    assert [str(s) for s in selectors.stakeholder_list(user=lobbyist, owner=bureau)] == [
        "VNG",
        "JenV",
        "Bontenbal",
        "CDA",
    ]


def test_a_stakeholder_is_one_party_once(lobbyist):
    vng = org("VNG")
    cda = fractie("CDA")
    both = refused(records.stakeholder_create, actor=lobbyist, organisation=vng, fractie=cda)
    records.stakeholder_create(actor=lobbyist, organisation=vng)
    twice = refused(records.stakeholder_create, actor=lobbyist, organisation=vng)

    assert messages(both) == "Kies één organisatie, één Kamerlid of één fractie."
    assert messages(twice) == "Voor VNG is de relatie al vastgelegd."
    assert Stakeholder.objects.count() == 1


def test_the_next_step_is_changed_and_audited(lobbyist, bureau):
    stakeholder = records.stakeholder_create(actor=lobbyist, organisation=org("G40"))

    records.stakeholder_update(
        actor=lobbyist,
        stakeholder=stakeholder,
        owner=bureau,
        next_step=" Gezamenlijke brief ",
        next_step_date=datetime.date(2027, 1, 15),
    )

    stakeholder.refresh_from_db()
    assert (stakeholder.owner, stakeholder.next_step) == (bureau, "Gezamenlijke brief")
    audit = AuditEvent.objects.get(action="publicaffairs.stakeholder_update")
    assert audit.changes["next_step_date"] == {"old": None, "new": "2027-01-15"}


# --- Motions entered by hand ------------------------------------------------------------------


def test_a_vng_motion_with_its_co_submitters_outcome_and_theme(lobbyist, wonen):
    networks = [org(name) for name in ("M50", "G40", "P10", "K80")]

    motion = records.vng_motion_create(
        actor=lobbyist,
        title="Motie structurele middelen volkshuisvesting",
        kind="motie",
        number="ALV-2026-3",
        date=datetime.date(2026, 6, 4),
        co_submitters=networks,
        dossiers=[wonen],
        outcome="aangenomen",
    )

    motion = selectors.dossier_motions(user=lobbyist, dossier=wonen).get()
    assert motion.source == Motion.Source.VNG
    assert motion.network_outcome.get_outcome_display() == "aangenomen"
    assert sorted(str(c.organisation) for c in motion.co_submitters.all()) == [
        "G40",
        "K80",
        "M50",
        "P10",
    ]
    audit = AuditEvent.objects.get(action="publicaffairs.vng_motion_create")
    assert audit.changes["co_submitters"]["new"] == "G40, K80, M50, P10"


def test_a_vng_motion_with_bad_input_is_refused_and_nothing_written(lobbyist):
    records.vng_motion_create(
        actor=lobbyist, title="Eerste", number="ALV-1", date=datetime.date(2026, 6, 4)
    )
    before = (Motion.objects.count(), MotionCoSubmitter.objects.count(), audit_count())

    error = refused(
        records.vng_motion_create,
        actor=lobbyist,
        title=" ",
        kind="amendement",
        number="ALV-1",
        date=None,
        co_submitters=[org("G40")],
        outcome="gewonnen",
    )

    assert error.message_dict == {
        "title": ["Geef de motie een titel."],
        "kind": ["Kies of het een motie of een resolutie is."],
        "date": ["Vul de datum van de algemene ledenvergadering in."],
        "number": ["Er is al een VNG-motie met dit nummer."],
        "outcome": ["Kies een uitkomst uit de lijst."],
    }
    assert (Motion.objects.count(), MotionCoSubmitter.objects.count(), audit_count()) == before


def test_a_synced_motion_gets_co_submitters_without_changing_its_fields(lobbyist):
    motion = tk_motion("Motie-Bontenbal over het Gemeentefonds")
    m50, g40, p10 = org("M50"), org("G40"), org("P10")

    records.motion_co_submitters_set(actor=lobbyist, motion=motion, organisations=[m50, g40])
    records.motion_co_submitters_set(actor=lobbyist, motion=motion, organisations=[g40, p10])

    assert sorted(str(c.organisation) for c in motion.co_submitters.all()) == ["G40", "P10"]
    motion.refresh_from_db()
    assert motion.source == Motion.Source.TWEEDE_KAMER
    last = AuditEvent.objects.filter(action="publicaffairs.motion_co_submitters_set").latest("pk")
    assert last.changes == {"co_submitters": {"old": "G40, M50", "new": "G40, P10"}}


def test_a_work_visit_planned_as_an_activity_takes_its_municipality(lobbyist):
    town, elsewhere = MunicipalityFactory(name="Houten"), MunicipalityFactory(name="Zeist")
    start = timezone.make_aware(datetime.datetime(2026, 12, 2, 10))
    planned = Activity.objects.create(
        kind="werkbezoek",
        title="Werkbezoek Houten",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        host_municipality=town,
    )

    visit = records.interaction_create(
        actor=lobbyist,
        kind=Interaction.Kind.WORK_VISIT,
        date=TODAY,
        subject="Werkbezoek Houten",
        activity=planned,
    )
    error = refused(
        records.interaction_create,
        actor=lobbyist,
        kind=Interaction.Kind.WORK_VISIT,
        date=TODAY,
        subject="Werkbezoek Zeist",
        activity=planned,
        municipality=elsewhere,
    )

    assert (visit.municipality, visit.activity) == (town, planned)
    assert error.message_dict == {
        "activity": ["De activiteit is in een andere gemeente dan het werkbezoek."]
    }
    assert Interaction.objects.count() == 1


def test_the_theme_stakeholder_map_lists_the_mps_of_its_motions_and_last_contact(
    lobbyist, wonen, django_assert_num_queries
):
    cda = fractie("CDA")
    submitter, co_signer, outsider = mp("Bontenbal", cda), mp("Jansen"), mp("Buiten")
    theirs = [tk_motion("Motie over woningen"), tk_motion("Motie over huur")]
    other = tk_motion("Motie over het spoor")
    for motion in theirs:
        records.dossier_motion_link(actor=lobbyist, dossier=wonen, motion=motion)
    for motion, member, role in [
        (theirs[0], submitter, MotionSubmitter.Role.SUBMITTER),
        (theirs[1], submitter, MotionSubmitter.Role.SUBMITTER),
        (theirs[1], co_signer, MotionSubmitter.Role.CO_SIGNER),
        (other, outsider, MotionSubmitter.Role.SUBMITTER),
    ]:
        MotionSubmitter.objects.create(
            tk_id=uuid.uuid4(), motion=motion, member=member, role=role, name=str(member)
        )
    records.interaction_create(
        actor=lobbyist,
        kind=Interaction.Kind.TALK,
        date=datetime.date(2026, 11, 3),
        subject="Gesprek",
        members=[submitter],
    )

    with django_assert_num_queries(1):
        members = [
            (str(m), str(m.fractie), m.motion_count, m.last_contact)
            for m in selectors.theme_members(user=lobbyist, dossier=wonen)
        ]

    assert members == [
        ("Bontenbal", "CDA", 2, datetime.date(2026, 11, 3)),
        ("Jansen", "None", 1, None),
    ]


def test_lists_cost_the_same_queries_for_one_row_or_ten(lobbyist, wonen):
    def read() -> int:
        shown = []
        with CaptureQueriesContext(connection) as queries:
            for s in selectors.stakeholder_list(user=lobbyist):
                shown.append((s.last_contact, str(s), s.owner))
            for f in selectors.my_open_follow_ups(user=lobbyist, today=TODAY):
                shown.append((f.overdue, f.interaction.subject, f.owner))
            for status in selectors.series_status_list(user=lobbyist, today=TODAY):
                shown.append((status.overdue, status.series.counterpart.name))
            for m in selectors.dossier_motions(user=lobbyist, dossier=wonen):
                shown.append((m.committee, list(m.co_submitters.all()), m.network_outcome))
        assert len(shown) == 4 * selectors.stakeholder_list(user=lobbyist).count()
        return len(queries.captured_queries)

    def add(n: int) -> None:
        member = mp(f"Kamerlid {n}")
        records.stakeholder_create(actor=lobbyist, member=member, owner=lobbyist)
        series = records.series_create(
            actor=lobbyist, name=f"Overleg {n}", cadence_months=6, counterpart=org(f"O{n}")
        )
        talk = records.interaction_create(
            actor=lobbyist,
            kind=Interaction.Kind.CONSULTATION,
            date=TODAY,
            subject="Overleg",
            members=[member],
            series=series,
        )
        records.follow_up_create(
            actor=lobbyist, interaction=talk, description="Actie", owner=lobbyist, due_date=TODAY
        )
        records.vng_motion_create(
            actor=lobbyist,
            title=f"Motie {n}",
            date=TODAY,
            dossiers=[wonen],
            co_submitters=[org(f"N{n}")],
        )

    add(0)
    one = read()
    for n in range(1, 10):
        add(n)

    assert read() == one
    assert selectors.stakeholder_list(user=lobbyist).count() == 10
