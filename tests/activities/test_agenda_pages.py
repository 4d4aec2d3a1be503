"""The agenda, the month, an activity's page with registering and cancelling, and your own
registrations, through the Django test client: filters, pages, who sees what, the Dutch
refusals that change nothing, and the query counts at 10 and 1,000 activities."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import escape

from m50.accounts.models import Role
from m50.activities import services
from m50.activities.models import (
    Activity,
    ActivityDocument,
    Audience,
    DocumentKind,
    Kind,
    Registration,
    RegistrationState,
)
from m50.activities.views.agenda import when_text
from m50.contacts.models import Person
from m50.core.models import AuditEvent
from m50.pillars import services as pillar_services
from m50.pillars.models import Pillar
from tests.activities.conftest import H, participant, plan
from tests.factories import ThemeGroupFactory, UserFactory
from tests.pillars.conftest import START, official

pytestmark = pytest.mark.django_db
D = datetime.date
AGENDA = reverse("activities:agenda")
MONTH = reverse("activities:month")
MINE = reverse("activities:mine")
CONFIRMED, WAITLISTED, CANCELLED = (
    RegistrationState.CONFIRMED,
    RegistrationState.WAITLISTED,
    RegistrationState.CANCELLED,
)
MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def text(response) -> str:
    return text_of(response.content.decode())


def detail_url(activity) -> str:
    return reverse("activities:detail", args=[activity.pk])


def register_url(activity) -> str:
    return reverse("activities:register", args=[activity.pk])


def cancel_url(activity) -> str:
    return reverse("activities:cancel_registration", args=[activity.pk])


def titles(response) -> list[str]:
    """The activities' titles in the order of the agenda's rows."""
    return re.findall(
        r'<th class="utrecht-table__header-cell m50-cell-name" scope="row">'
        r"<a [^>]*>([^<]+)</a>",
        response.content.decode(),
    )


def local(day: D, hour: int, minute: int = 0) -> datetime.datetime:
    return services._common.local_moment(day, datetime.time(hour, minute))


def days_ahead(days: int) -> D:
    return timezone.localdate() + datetime.timedelta(days=days)


# --- How a moment reads -----------------------------------------------------------------------


def test_moments_read_in_dutch(bureau):
    day = D(2027, 3, 3)
    timed = plan(bureau, starts_at=local(day, 10), ends_at=local(day, 12))
    assert when_text(timed) == "3 maart 2027, 10:00–12:00"
    one_day = plan(bureau, all_day=True, starts_at=local(day, 0), ends_at=local(D(2027, 3, 4), 0))
    assert when_text(one_day) == "3 maart 2027, hele dag"
    start, end = services.all_day_span(day, D(2027, 3, 5))
    three_days = plan(bureau, all_day=True, starts_at=start, ends_at=end)
    assert when_text(three_days) == "3 maart 2027 t/m 5 maart 2027"
    # Across the change to summer time (28 March 2027): Amsterdam wall-clock times.
    across = plan(bureau, starts_at=local(D(2027, 3, 27), 14), ends_at=local(D(2027, 3, 28), 16))
    assert when_text(across) == "27 maart 2027, 14:00 – 28 maart 2027, 16:00"


# --- The agenda -------------------------------------------------------------------------------


def test_anonymous_visitors_see_the_public_activities_only(client, bureau):
    plan(bureau, title="Open webinar", audience=Audience.PUBLIC, kind=Kind.WEBINAR)
    members = plan(bureau, title="Ledenvergadering voorjaar")
    response = client.get(AGENDA)
    assert response.status_code == 200
    assert titles(response) == ["Open webinar"]
    assert client.get(detail_url(members)).status_code == 404


def test_the_agenda_shows_upcoming_soonest_first_and_past_latest_first(client, bureau, diemen):
    client.force_login(participant(diemen))
    plan(bureau, title="Later", starts_at=timezone.now() + datetime.timedelta(days=20))
    plan(bureau, title="Eerst", starts_at=timezone.now() + datetime.timedelta(days=2))
    plan(bureau, title="Lang geleden", starts_at=timezone.now() - datetime.timedelta(days=40))
    plan(bureau, title="Onlangs", starts_at=timezone.now() - datetime.timedelta(days=4))
    assert titles(client.get(AGENDA)) == ["Eerst", "Later"]
    assert titles(client.get(AGENDA, {"wanneer": "verleden"})) == ["Onlangs", "Lang geleden"]


def test_a_row_says_when_what_who_where_and_the_places_left(client, bureau, diemen, houten):
    user = participant(diemen)
    client.force_login(user)
    day = days_ahead(10)
    full = plan(
        bureau,
        title="Werkbezoek Diemen",
        kind=Kind.WORK_VISIT,
        starts_at=local(day, 10),
        ends_at=local(day, 12),
        host_municipality=diemen.municipality,
        capacity=1,
    )
    services.registration_create(activity=full, person=user.person, actor=user)
    plan(bureau, title="Met plaatsen", capacity=30, address="Stadhuis\nPlein 1, Houten")
    cancelled = plan(bureau, title="Gaat niet door")
    services.activity_cancel(activity=cancelled, actor=bureau, reason="Te weinig aanmeldingen")
    page = text(client.get(AGENDA))
    date = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    row = "Werkbezoek Diemen werkbezoek Het bureau van het M50 Diemen vol — wachtlijst"
    assert f"{date}, 10:00–12:00 {row}" in page
    assert "Met plaatsen ledenvergadering Het bureau van het M50 Stadhuis 30 plaatsen vrij" in page
    assert "Gaat niet door geannuleerd" in page
    assert "gaat niet door" in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"soort": "webinar"}, ["Webinar Sociaal"]),
        ({"pijler": "sociaal"}, ["Webinar Sociaal", "Sessie Jeugd"]),
        ({"themagroep": "jeugd"}, ["Sessie Jeugd"]),
        ({"gemeente": "GM9001"}, ["Werkbezoek Diemen"]),
        ({"maand": "month+1"}, ["Volgende maand"]),
        ({"soort": "webinar", "pijler": "financieel"}, []),
    ],
)
def test_the_filters(client, bureau, diemen, params, expected):
    diemen.municipality.code = "GM9001"
    diemen.municipality.save()
    sociaal = Pillar.objects.get(slug="sociaal")
    jeugd = ThemeGroupFactory(name="Jeugd", slug="jeugd", pillar=sociaal)
    soon = timezone.now() + datetime.timedelta(days=1)
    plan(bureau, title="Webinar Sociaal", kind=Kind.WEBINAR, organiser=sociaal, starts_at=soon)
    plan(
        bureau,
        title="Sessie Jeugd",
        kind=Kind.GROUP_SESSION,
        organiser=jeugd,
        starts_at=soon + H,
    )
    plan(
        bureau,
        title="Werkbezoek Diemen",
        kind=Kind.WORK_VISIT,
        host_municipality=diemen.municipality,
        starts_at=soon + 2 * H,
    )
    following = (timezone.localdate().replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    following = (following + datetime.timedelta(days=32)).replace(day=1)  # past the others
    plan(bureau, title="Volgende maand", starts_at=local(following.replace(day=10), 10))
    if params.get("maand") == "month+1":
        params = {"maand": following.strftime("%Y-%m")}
    client.force_login(UserFactory(role=Role.BUREAU))
    response = client.get(AGENDA, params)
    assert response.status_code == 200
    assert titles(response) == expected


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"soort": "feest"}, "Kies een soort uit de lijst; feest bestaat niet."),
        ({"pijler": "onbekend"}, "Kies een pijler uit de lijst; onbekend bestaat niet."),
        ({"gemeente": "GM0000"}, "Kies een gemeente uit de lijst; GM0000 is geen gastgemeente."),
        ({"maand": "maart"}, "Vul de maand in als jaar en maand, bijvoorbeeld 2027-03."),
        ({"maand": "2027-13"}, "Vul de maand in als jaar en maand, bijvoorbeeld 2027-03."),
    ],
)
def test_a_wrong_filter_is_a_dutch_message_and_the_rest_applies(client, bureau, params, message):
    plan(bureau, title="Open", audience=Audience.PUBLIC, kind=Kind.WEBINAR)
    response = client.get(AGENDA, {**params, "wanneer": "komend"})
    assert response.status_code == 200
    assert message in text(response)
    assert titles(response) == ["Open"]
    assert client.get(MONTH, params).status_code == 200


def test_the_agenda_is_paginated_by_25_keeping_the_filters(client, bureau):
    soon = timezone.now() + datetime.timedelta(days=1)
    for n in range(30):
        plan(
            bureau,
            title=f"Webinar {n:02d}",
            kind=Kind.WEBINAR,
            audience=Audience.PUBLIC,
            starts_at=soon + n * H,
        )
    plan(bureau, title="Geen webinar", audience=Audience.PUBLIC, starts_at=soon)
    first = client.get(AGENDA, {"soort": "webinar"})
    assert titles(first) == [f"Webinar {n:02d}" for n in range(25)]
    assert "30 activiteiten gevonden" in text(first)
    assert 'href="?soort=webinar&amp;pagina=2"' in first.content.decode()
    second = client.get(AGENDA, {"soort": "webinar", "pagina": 2})
    assert titles(second) == [f"Webinar {n:02d}" for n in range(25, 30)]


def test_a_body_audience_shows_to_its_participants_only(client, bureau, diemen, houten, sociaal):
    member = participant(diemen)
    pillar_services.participation_register(
        position=member.person.positions.get(), pillar=sociaal, start_date=START
    )
    outsider = participant(houten)
    activity = plan(bureau, title="Alleen Sociaal", audience=Audience.BODY, audience_body=sociaal)
    client.force_login(member)
    assert titles(client.get(AGENDA)) == ["Alleen Sociaal"]
    assert client.get(detail_url(activity)).status_code == 200
    client.force_login(outsider)
    assert titles(client.get(AGENDA)) == []
    assert client.get(detail_url(activity)).status_code == 404
    # Posting to it as well: who may not see it learns nothing and writes nothing.
    assert client.post(register_url(activity)).status_code == 404
    assert not Registration.objects.exists()


def test_the_link_to_plan_shows_for_who_may_organise(client, bureau, diemen):
    # The planning form is another part's page; the link shows once its route exists.
    try:
        create_url = reverse("activities:create")
    except NoReverseMatch:
        create_url = None
    client.force_login(participant(diemen))
    response = client.get(AGENDA)
    assert response.context["can_create"] is False
    assert "Nieuwe activiteit" not in text(response)
    client.force_login(bureau)
    assert client.get(AGENDA).context["can_create"] is True
    assert client.get(MONTH).context["can_create"] is True
    if create_url:
        assert create_url in client.get(AGENDA).content.decode()


# --- The month --------------------------------------------------------------------------------


def test_the_month_is_a_calendar_with_activities_in_their_days(client, bureau):
    start, end = services.all_day_span(D(2027, 3, 30), D(2027, 4, 2))
    plan(bureau, title="Congres", all_day=True, starts_at=start, ends_at=end, audience="iedereen")
    plan(
        bureau,
        title="Webinar",
        starts_at=local(D(2027, 3, 3), 10),
        ends_at=local(D(2027, 3, 3), 12),
        audience=Audience.PUBLIC,
    )
    plan(bureau, title="April", starts_at=local(D(2027, 4, 20), 10), audience=Audience.PUBLIC)
    response = client.get(MONTH, {"maand": "2027-03"})
    assert response.status_code == 200
    html = response.content.decode()
    page = text(response)
    assert "Activiteiten in maart 2027" in page
    # Weeks from Monday: 1 March 2027 is a Monday, the last row runs to Sunday 4 April.
    assert page.index("Maandag") < page.index("Zondag")
    assert "woensdag 3 maart 2027 10:00 Webinar" in page
    assert "dinsdag 30 maart 2027 Congres" in page
    assert "woensdag 31 maart 2027 Congres (vervolg, begon 30 maart)" in page
    assert "vrijdag 2 april 2027 Congres (vervolg" in page
    assert "zaterdag 3 april 2027 Congres" not in page
    assert "April" not in titles(response)
    assert "?maand=2027-02" in html and "?maand=2027-04" in html
    assert "2 activiteiten in deze maand" in page


def test_the_month_keeps_the_filters_on_its_links(client, bureau):
    response = client.get(MONTH, {"maand": "2027-12", "soort": "webinar"})
    html = response.content.decode()
    assert "?maand=2027-11&amp;soort=webinar" in html
    assert "?maand=2028-01&amp;soort=webinar" in html


# --- An activity's page, registering and cancelling -------------------------------------------


def test_the_page_shows_everything_of_the_activity(client, bureau, diemen, sociaal):
    owner = official(diemen)
    pillar_services.participation_register(position=owner, pillar=sociaal, start_date=START)
    topic = pillar_services.topic_propose(pillar=sociaal, title="Jeugdzorg", owner=owner.person)
    activity = plan(
        bureau,
        title="Pijlerbijeenkomst Sociaal",
        kind=Kind.PILLAR_MEETING,
        organiser=sociaal,
        description="Over de kosten van de jeugdzorg.",
        host_municipality=diemen.municipality,
        address="Raadhuis Diemen",
        topics=[topic],
        capacity=20,
        audience=Audience.PUBLIC,
    )
    page = text(client.get(detail_url(activity)))
    for part in (
        "Pijlerbijeenkomst Sociaal",
        "pijlerbijeenkomst",
        "Pijler Sociaal",
        "Raadhuis Diemen",
        "Gastgemeente Diemen",
        "Jeugdzorg",
        "Over de kosten van de jeugdzorg.",
        "20 van de 20 plaatsen vrij",
        "Wachtlijst 0 personen",
        "Log in om u aan te melden.",
    ):
        assert part in page, part
    html = client.get(detail_url(activity)).content.decode()
    assert reverse("pillars:detail", args=["sociaal"]) in html
    assert reverse("municipalities:detail", args=[diemen.municipality.code]) in html


def test_register_the_waiting_list_and_moving_up_through_the_page(client, bureau, diemen, houten):
    activity = plan(
        bureau, title="Bestuurlijk overleg", capacity=1, online_url="https://meet.example/m50"
    )
    first, second = participant(diemen), participant(houten)

    client.force_login(first)
    response = client.post(register_url(activity), {"note": "vegetarisch"}, follow=True)
    assert "U bent aangemeld voor Bestuurlijk overleg." in text(response)
    assert "U bent aangemeld." in text(response)
    assert "https://meet.example/m50" in response.content.decode()

    client.force_login(second)
    page = text(client.get(detail_url(activity)))
    assert "vol (1 plaats, bezet)" in page
    assert "Aanmelden voor de wachtlijst" in page
    response = client.post(register_url(activity), follow=True)
    page = text(response)
    assert "Bestuurlijk overleg is vol. U staat op plaats 1 van de wachtlijst." in page
    assert "U staat op plaats 1 van de wachtlijst." in page
    # The online link is for whoever holds a seat.
    assert "https://meet.example/m50" not in response.content.decode()
    assert "De link staat hier voor wie een plaats heeft." in page

    client.force_login(first)
    response = client.post(cancel_url(activity), follow=True)
    assert "U bent afgemeld voor Bestuurlijk overleg." in text(response)
    assert "https://meet.example/m50" not in response.content.decode()

    client.force_login(second)
    response = client.get(detail_url(activity))
    assert "U bent aangemeld." in text(response)
    assert "https://meet.example/m50" in response.content.decode()
    assert Registration.objects.get(person=second.person).state == CONFIRMED
    assert Registration.objects.get(person=first.person).note == "vegetarisch"


def test_registering_twice_is_a_dutch_message_and_changes_nothing(client, bureau, diemen):
    activity = plan(bureau, title="Ledenvergadering")
    user = participant(diemen)
    client.force_login(user)
    assert client.post(register_url(activity)).status_code == 302
    before = (Registration.objects.count(), AuditEvent.objects.count())
    response = client.post(register_url(activity))
    assert response.status_code == 400
    # Escaped as the page writes it: a generated surname may hold an apostrophe.
    name = escape(user.person.full_name)
    assert f"{name} is al aangemeld voor deze activiteit." in text(response)
    assert (Registration.objects.count(), AuditEvent.objects.count()) == before


def test_a_closed_window_is_a_dutch_message_and_changes_nothing(client, bureau, diemen):
    closes = timezone.now() + datetime.timedelta(days=1)
    activity = plan(
        bureau,
        registration_opens_at=closes - datetime.timedelta(days=3),
        registration_closes_at=closes,
    )
    Activity.objects.filter(pk=activity.pk).update(
        registration_opens_at=timezone.now() - datetime.timedelta(days=3),
        registration_closes_at=timezone.now() - datetime.timedelta(hours=1),
    )
    client.force_login(participant(diemen))
    page = text(client.get(detail_url(activity)))
    assert "De aanmelding is gesloten." in page
    assert "Aanmelden" in page and 'action="' + register_url(activity) not in page
    response = client.post(register_url(activity))
    assert response.status_code == 400
    assert "de aanmelding is gesloten." in text(response)
    assert not Registration.objects.exists()


def test_cancelling_without_a_registration_is_refused(client, bureau, diemen):
    activity = plan(bureau)
    client.force_login(participant(diemen))
    response = client.post(cancel_url(activity))
    assert response.status_code == 400
    assert "U bent niet aangemeld voor deze activiteit." in text(response)


def test_a_get_of_the_forms_goes_back_to_the_page(client, bureau, diemen):
    activity = plan(bureau)
    client.force_login(participant(diemen))
    assert client.get(register_url(activity)).url == detail_url(activity) + "#aanmelding"
    assert client.get(cancel_url(activity)).url == detail_url(activity) + "#aanmelding"
    assert not Registration.objects.exists()


def test_a_cancelled_activity_takes_no_registrations(client, bureau, diemen):
    activity = plan(bureau)
    services.activity_cancel(activity=activity, actor=bureau, reason="Zaal niet beschikbaar")
    client.force_login(participant(diemen))
    page = text(client.get(detail_url(activity)))
    assert "Deze activiteit is geannuleerd op" in page and "Zaal niet beschikbaar" in page
    response = client.post(register_url(activity))
    assert response.status_code == 400
    assert "Deze activiteit is geannuleerd; aanmelden kan niet meer." in text(response)


def test_a_series_links_its_other_dates(client, bureau):
    day = days_ahead(30)
    series = services.series_plan(
        actor=bureau,
        title="Overleg J&V",
        cadence="halfjaarlijks",
        count=3,
        kind=Kind.CONSULTATION,
        starts_at=local(day, 10),
        ends_at=local(day, 12),
        audience=Audience.PUBLIC,
    )
    first, *others = series.activities.order_by("starts_at")
    page = text(client.get(detail_url(first)))
    assert (
        "Andere data van de reeks Overleg J&amp;V" in page
        or "Andere data van de reeks Overleg J&V" in page
    )
    for other in others:
        assert when_text(other) in page


def test_the_manage_link_shows_for_who_manages_it(client, bureau, diemen):
    try:
        manage_url = reverse("activities:manage", args=[1])
    except NoReverseMatch:  # the organiser's page is another part; the link shows once it exists
        manage_url = None
    activity = plan(bureau)
    client.force_login(participant(diemen))
    assert "Beheren" not in text(client.get(detail_url(activity)))
    if manage_url:
        client.force_login(bureau)
        assert "Beheren" in text(client.get(detail_url(activity)))


# --- Your own registrations -------------------------------------------------------------------


def test_mine_lists_upcoming_and_past_with_their_state(client, bureau, diemen, houten):
    user, other = participant(diemen), participant(houten)
    full = plan(bureau, title="Vol", capacity=1)
    services.registration_create(activity=full, person=other.person, actor=other)
    services.registration_create(activity=full, person=user.person, actor=user)
    seat = plan(bureau, title="Met plaats", starts_at=timezone.now() + datetime.timedelta(days=3))
    services.registration_create(activity=seat, person=user.person, actor=user)
    gone = plan(bureau, title="Afgemeld")
    registration = services.registration_create(activity=gone, person=user.person, actor=user)
    services.registration_cancel(registration=registration, actor=user)
    past = plan(bureau, title="Vorig jaar", starts_at=timezone.now() + datetime.timedelta(days=2))
    services.registration_create(activity=past, person=user.person, actor=user)
    Activity.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=300),
        ends_at=timezone.now() - datetime.timedelta(days=300) + H,
    )
    client.force_login(user)
    response = client.get(MINE)
    assert response.status_code == 200
    html = response.content.decode()
    upcoming = text_of(html[html.index('id="komend"') : html.index('id="verleden"')])
    past_part = text_of(html[html.index('id="verleden"') :])
    assert titles(response) == ["Met plaats", "Vol", "Vorig jaar"]
    assert "Vorig jaar" in past_part and "Vorig jaar" not in upcoming
    assert "Met plaats" in upcoming and "aangemeld" in upcoming
    assert "plaats 1 op de wachtlijst" in upcoming
    assert "Afgemeld" not in html


def test_mine_asks_for_a_login(client):
    assert client.get(MINE).status_code == 302


# --- The pillar's and municipality's pages ----------------------------------------------------


def test_the_pillar_and_group_pages_show_their_activities(client, bureau, sociaal):
    jeugd = ThemeGroupFactory(name="Jeugd", slug="jeugd", pillar=sociaal)
    plan(bureau, title="Komt nog", organiser=sociaal, audience=Audience.PUBLIC)
    plan(
        bureau,
        title="Was al",
        organiser=jeugd,
        audience=Audience.PUBLIC,
        starts_at=timezone.now() - datetime.timedelta(days=30),
    )
    plan(bureau, title="Voor leden", organiser=sociaal)
    page = text(client.get(reverse("pillars:detail", args=["sociaal"])))
    assert "Komt nog" in page and "Was al" in page
    assert "Voor leden" not in page  # anonymous: the public ones only
    html = client.get(reverse("pillars:detail", args=["sociaal"])).content.decode()
    assert f"{AGENDA}?pijler=sociaal" in html
    group = text(client.get(reverse("pillars:group_detail", args=["jeugd"])))
    assert "Was al" in group and "Komt nog" not in group


def test_the_municipality_page_shows_hosted_activities_and_attendance(client, bureau, diemen):
    municipality = diemen.municipality
    visit = plan(
        bureau,
        title="Werkbezoek Kamerleden",
        kind=Kind.WORK_VISIT,
        host_municipality=municipality,
        audience=Audience.PUBLIC,
    )
    user = participant(diemen)
    registration = services.registration_create(activity=visit, person=user.person, actor=user)
    Activity.objects.filter(pk=visit.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3) + H,
    )
    visit.refresh_from_db()
    services.attendance_record(activity=visit, actor=bureau, present=[registration])
    url = reverse("municipalities:detail", args=[municipality.code])
    page = text(client.get(url))
    assert "Werkbezoek Kamerleden" in page
    assert "Aanwezig bij activiteiten" not in page  # the figures are for logged-in users
    client.force_login(user)
    page = text(client.get(url))
    year = timezone.localtime(visit.starts_at).year
    assert f"{year} 1 1" in page


# --- Query counts -----------------------------------------------------------------------------


def populate(count: int, municipalities, person=None) -> list[Activity]:
    """``count`` activities (stored in bulk: only their number matters), every other one a
    year back, each with a seat and a waiting-list place taken; ``person`` waits for all."""
    base = local(days_ahead(1).replace(day=1), 9)
    year = datetime.timedelta(days=400)
    starts = [
        base + datetime.timedelta(minutes=n) - (year if n % 2 else H * 0) for n in range(count)
    ]
    activities = Activity.objects.bulk_create(
        Activity(
            kind=Kind.GENERAL_MEETING,
            title=f"Activiteit {n:05d}",
            starts_at=start,
            ends_at=start + H,
            audience=Audience.MEMBERS,
            capacity=1,
            host_municipality=municipalities[n % len(municipalities)],
        )
        for n, start in enumerate(starts)
    )
    people = Person.objects.bulk_create(Person(surname=f"Naam {n:05d}") for n in range(2 * count))
    Registration.objects.bulk_create(
        Registration(
            activity=activity,
            person=people[2 * n + k],
            state=CONFIRMED if k == 0 else WAITLISTED,
        )
        for n, activity in enumerate(activities)
        for k in range(2)
    )
    if person is not None:
        Registration.objects.bulk_create(
            Registration(activity=activity, person=person, state=WAITLISTED)
            for activity in activities
        )
    return activities


def queries_of(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
        assert response.status_code == 200, (url, response.status_code)
    return len(context.captured_queries)


@pytest.mark.parametrize("who", ["anonymous", "participant", "bureau"])
def test_the_pages_cost_the_same_for_10_and_10000_activities(
    client, django_assert_num_queries, bureau, diemen, houten, sociaal, who
):
    user = None
    if who == "participant":
        user = participant(diemen)
        pillar_services.participation_register(
            position=user.person.positions.get(), pillar=sociaal, start_date=START
        )
    elif who == "bureau":
        user = bureau
    hosts = [diemen.municipality, houten.municipality]
    own = plan(
        bureau, title="Eigen", audience=Audience.PUBLIC, capacity=5, host_municipality=hosts[0]
    )
    if user is not None and user.person_id:
        services.registration_create(activity=own, person=user.person, actor=user)
    month = days_ahead(1).strftime("%Y-%m")
    urls = [
        (AGENDA, {}),
        (AGENDA, {"wanneer": "verleden", "gemeente": hosts[0].code, "soort": "ledenvergadering"}),
        (MONTH, {"maand": month}),
        (detail_url(own), {}),
        (reverse("pillars:detail", args=["sociaal"]), {}),
        (reverse("municipalities:detail", args=[hosts[0].code]), {}),
    ]
    if user is not None:
        urls.append((MINE, {}))
    person = user.person if user is not None and user.person_id else None
    populate(10, hosts, person)

    def log_in():
        if user is not None:
            client.force_login(user)

    log_in()
    small = [queries_of(client, url, **params) for url, params in urls]
    populate(9990, hosts, person)
    assert Activity.objects.count() > 10_000
    log_in()
    for (url, params), expected in zip(urls, small, strict=True):
        with django_assert_num_queries(expected):
            response = client.get(url, params)
        assert response.status_code == 200


def test_a_note_too_long_is_a_dutch_error_and_registers_nothing(client, bureau, diemen):
    activity = plan(bureau)
    client.force_login(participant(diemen))
    response = client.post(register_url(activity), {"note": "x" * 501})
    assert response.status_code == 400
    assert "Uw aanmelding is niet verwerkt." in text(response)
    assert "Gebruik hoogstens 500 tekens." in text(response)
    assert not Registration.objects.exists()


def test_an_account_without_a_person_cannot_register_itself(client, bureau):
    activity = plan(bureau)
    client.force_login(bureau)
    page = text(client.get(detail_url(activity)))
    assert "Uw account is niet gekoppeld aan een persoon; u kunt zich niet zelf aanmelden." in page
    response = client.post(register_url(activity))
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_the_documents_are_listed_for_who_sees_the_activity(client, bureau, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    activity = plan(bureau, audience=Audience.PUBLIC)
    ActivityDocument.objects.create(
        activity=activity,
        kind=DocumentKind.AGENDA,
        title="Agenda van de vergadering",
        file=ContentFile(b"%PDF-1.4", name="agenda.pdf"),
        filename="agenda.pdf",
        content_type="application/pdf",
        size=8,
    )
    page = text(client.get(detail_url(activity)))
    assert "Documenten Agenda van de vergadering (agenda, 8 bytes)" in page


def test_past_activities_show_no_places(client, bureau):
    plan(
        bureau,
        title="Voorbij",
        capacity=10,
        audience=Audience.PUBLIC,
        starts_at=timezone.now() - datetime.timedelta(days=3),
    )
    response = client.get(AGENDA, {"wanneer": "verleden"})
    assert titles(response) == ["Voorbij"]
    assert "plaatsen vrij" not in text(response)
    assert "Eerdere activiteiten met datum, soort, organisator en plaats" in text(response)
