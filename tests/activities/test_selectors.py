"""The reads: the filters of the agenda list, and one query whatever the number of rows."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from m50.activities import selectors, services
from m50.activities.models import Audience, Kind
from tests.activities.conftest import participant, plan

pytestmark = pytest.mark.django_db
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
H = datetime.timedelta(hours=1)


def test_upcoming_past_and_month(bureau):
    now = timezone.now()
    past = plan(bureau, starts_at=now - 3 * H, ends_at=now - H, title="Voorbij")
    running = plan(bureau, starts_at=now - H, ends_at=now + H, title="Bezig")
    march = datetime.datetime(2027, 3, 31, 22, tzinfo=AMS)
    late_march = plan(bureau, starts_at=march, ends_at=march + H, title="Eind maart")
    titles = lambda qs: [a.title for a in qs]  # noqa: E731
    upcoming = titles(selectors.activity_list(user=bureau))
    assert upcoming == ["Bezig", "Eind maart"]
    assert titles(selectors.activity_list(user=bureau, when="past")) == ["Voorbij"]
    # 31 March 22:00 in Amsterdam is 20:00 UTC: in March, not April.
    in_march = selectors.activity_list(user=bureau, when="all", month=datetime.date(2027, 3, 1))
    assert titles(in_march) == ["Eind maart"]
    assert not selectors.activity_list(user=bureau, when="all", month=datetime.date(2027, 4, 1))
    assert {past.pk, running.pk, late_march.pk} == set(
        selectors.activity_list(user=bureau, when="all").values_list("pk", flat=True)
    )


def test_filters_by_kind_pillar_and_host(bureau, sociaal, financieel, diemen):
    meeting = plan(bureau, kind=Kind.PILLAR_MEETING, organiser=sociaal, title="Sociaal")
    plan(bureau, kind=Kind.PILLAR_MEETING, organiser=financieel, title="Financieel")
    for_sociaal = plan(bureau, audience=Audience.BODY, audience_body=sociaal, title="Voor Sociaal")
    hosted = plan(bureau, kind=Kind.WORK_VISIT, host_municipality=diemen.municipality)
    pks = lambda qs: set(qs.values_list("pk", flat=True))  # noqa: E731
    assert pks(selectors.activity_list(user=bureau, pillar=sociaal)) == {meeting.pk, for_sociaal.pk}
    assert pks(selectors.activity_list(user=bureau, kind=Kind.WORK_VISIT)) == {hosted.pk}
    assert pks(selectors.activity_list(user=bureau, municipality=diemen.municipality)) == {
        hosted.pk
    }
    assert pks(selectors.hosted_by(municipality=diemen.municipality, user=bureau)) == {hosted.pk}


@pytest.mark.parametrize("rows", [1, 12])
def test_the_list_with_counts_is_one_query(
    bureau, diemen, sociaal, rows, django_assert_num_queries
):
    user = participant(diemen)
    for n in range(rows):
        activity = plan(bureau, capacity=1, title=f"Bijeenkomst {n}")
        services.registration_create(activity=activity, person=user.person, actor=user)
        services.registration_create(
            activity=activity, person=participant(diemen).person, actor=bureau
        )
    with django_assert_num_queries(1):
        listed = list(selectors.with_registration_counts(selectors.activity_list(user=user)))
        assert [(a.confirmed_count, a.waitlisted_count) for a in listed] == [(1, 1)] * rows
        assert all(a.organiser is None and a.series is None for a in listed)
    with django_assert_num_queries(1):
        mine = selectors.registration_of(activity=listed[-1], person_id=user.person_id)
    # A seat has no place on the waiting list.
    assert (mine.state, mine.waiting_position) == ("geplaatst", None)
