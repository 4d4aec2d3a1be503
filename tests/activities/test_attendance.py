"""Recording who attended: from the registrations, walk-ins, the refusals, and the figures per
municipality per year that a member's value report reads."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from m50.activities import selectors, services
from m50.activities.models import Attendance
from m50.core.models import AuditEvent
from tests.activities.conftest import participant, plan
from tests.activities.helpers import refused

pytestmark = pytest.mark.django_db
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
H = datetime.timedelta(hours=1)


def running(bureau, **kwargs):
    """An activity that began an hour ago and ends in an hour."""
    return plan(bureau, starts_at=timezone.now() - H, ends_at=timezone.now() + H, **kwargs)


def registered(bureau, activity, *users):
    return [
        services.registration_create(activity=activity, person=u.person, actor=bureau)
        for u in users
    ]


def test_recording_from_the_registrations_and_correcting_it(bureau, diemen, houten):
    activity = running(bureau, capacity=2)
    a, b, c = participant(diemen), participant(houten), participant(diemen)
    ra, rb, rc = registered(bureau, activity, a, b, c)  # c is on the waiting list: came anyway
    added = services.attendance_record(activity=activity, actor=bureau, present=[ra, rc])
    assert sorted(x.person_id for x in added) == sorted([a.person_id, c.person_id])
    assert {(x.municipality.name, x.year, x.walk_in) for x in added} == {
        ("Diemen", timezone.localtime(activity.starts_at, AMS).year, False)
    }
    activity.refresh_from_db()
    assert activity.attendance_recorded_at is not None
    # A second round: b came after all, a did not.
    services.attendance_record(activity=activity, actor=bureau, present=[rb, rc])
    assert sorted(Attendance.objects.values_list("person_id", flat=True)) == sorted(
        [b.person_id, c.person_id]
    )
    assert AuditEvent.objects.filter(action="activities.attendance_add").count() == 3
    assert AuditEvent.objects.filter(action="activities.attendance_remove").count() == 1


def test_walk_ins_stay_when_the_registrations_are_recorded_again(bureau, diemen, houten):
    activity = running(bureau)
    a = participant(diemen)
    (ra,) = registered(bureau, activity, a)
    walk_in = services.attendance_add_walk_in(
        activity=activity, actor=bureau, name=" Jan Jansen ", municipality=houten.municipality
    )
    known = participant(houten)
    known_walk_in = services.attendance_add_walk_in(
        activity=activity, actor=bureau, person=known.person
    )
    assert walk_in.name == "Jan Jansen" and walk_in.walk_in
    assert known_walk_in.municipality.name == "Houten"
    services.attendance_record(activity=activity, actor=bureau, present=[ra])
    services.attendance_record(activity=activity, actor=bureau, present=[])
    assert set(Attendance.objects.values_list("name", flat=True)) == {
        "Jan Jansen",
        known.person.full_name,
    }
    services.attendance_remove(attendance=walk_in, actor=bureau)
    assert Attendance.objects.count() == 1


def test_a_walk_in_who_registers_afterwards_is_counted_once(bureau, diemen):
    activity = running(bureau)
    user = participant(diemen)
    services.attendance_add_walk_in(activity=activity, actor=bureau, person=user.person)
    (registration,) = registered(bureau, activity, user)
    services.attendance_record(activity=activity, actor=bureau, present=[registration])
    assert Attendance.objects.filter(person=user.person).count() == 1


def test_an_attendance_outlives_its_removed_person(bureau, diemen):
    activity = running(bureau)
    gone, stays = participant(diemen), participant(diemen)
    r_gone, r_stays = registered(bureau, activity, gone, stays)
    services.attendance_record(activity=activity, actor=bureau, present=[r_gone, r_stays])
    gone.person.delete()  # removed on request (AVG): the registration goes with the person
    services.attendance_record(activity=activity, actor=bureau, present=[r_stays])
    assert Attendance.objects.count() == 2
    figures = selectors.attendance_per_year(municipality_id=diemen.municipality.pk)
    assert [(f.activities, f.people) for f in figures] == [(1, 2)]


def test_attendance_refused(bureau, diemen, houten):
    activity = running(bureau)
    user, other = participant(diemen), participant(houten)
    (registration,) = registered(bureau, activity, user)
    elsewhere = running(bureau, title="Elders")
    (stray,) = registered(bureau, elsewhere, other)
    with refused("niet vastleggen"):
        services.attendance_record(activity=activity, actor=user, present=[registration])
    with refused("Alleen wie aangemeld is"):
        services.attendance_record(activity=activity, actor=bureau, present=[stray])
    with refused("markeer de aanmelding"):
        services.attendance_add_walk_in(activity=activity, actor=bureau, person=user.person)
    with refused("naam"):
        services.attendance_add_walk_in(activity=activity, actor=bureau, name="  ")
    services.attendance_add_walk_in(activity=activity, actor=bureau, person=other.person)
    with refused("al als aanwezig"):
        services.attendance_add_walk_in(activity=activity, actor=bureau, person=other.person)
    future = plan(bureau)
    with refused("begonnen"):
        services.attendance_add_walk_in(activity=future, actor=bureau, name="Te vroeg")
    services.activity_cancel(activity=future, actor=bureau, reason="Gaat niet door")
    with refused("geannuleerd"):
        services.attendance_add_walk_in(activity=future, actor=bureau, name="Niemand")


def test_the_year_is_amsterdams_whatever_zone_is_active(bureau, diemen):
    # Half past midnight on New Year's Day in Amsterdam is still the old year in UTC.
    start = datetime.datetime(2026, 1, 1, 0, 30, tzinfo=AMS)
    activity = plan(bureau, starts_at=start, ends_at=start + H, title="Nieuwjaarsborrel")
    with timezone.override(datetime.UTC):
        attendance = services.attendance_add_walk_in(
            activity=activity, actor=bureau, name="Piet", municipality=diemen.municipality
        )
    assert attendance.year == 2026


def test_attendance_per_municipality_per_year(bureau, diemen, houten):
    def past(year, title):
        start = datetime.datetime(year, 6, 1, 10, tzinfo=AMS)
        return plan(bureau, starts_at=start, ends_at=start + H, title=title)

    diemen_m, houten_m = diemen.municipality, houten.municipality
    for activity, names in (
        (past(2024, "Voorjaar"), [("A", diemen_m), ("B", diemen_m), ("C", houten_m)]),
        (past(2025, "Zomer"), [("D", diemen_m)]),
        (past(2025, "Herfst"), [("E", diemen_m), ("F", None)]),
    ):
        for name, municipality in names:
            services.attendance_add_walk_in(
                activity=activity, actor=bureau, name=name, municipality=municipality
            )
    per_year = selectors.attendance_per_year(municipality_id=diemen_m.pk)
    assert [(f.year, f.activities, f.people) for f in per_year] == [(2025, 2, 2), (2024, 1, 2)]
    rows = list(selectors.attendance_per_municipality(year=2024))
    assert [(r["municipality__name"], r["activities"], r["people"]) for r in rows] == [
        ("Diemen", 1, 2),
        ("Houten", 1, 1),
    ]
    assert [r["municipality__name"] for r in selectors.attendance_per_municipality(year=2025)] == [
        "Diemen"
    ]
