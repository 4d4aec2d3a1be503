"""Activities carry themes of the shared list (DESIGN.md §5): set and changed through the
services, audited, the activities' data version raised; a theme no longer in use cannot be
newly chosen."""

import datetime

import pytest
from django.utils import timezone

from m50.activities import services
from m50.activities.models import Cadence, Kind
from m50.core.models import AuditEvent, Theme
from m50.core.versions import ACTIVITIES, data_versions
from tests.activities.conftest import plan
from tests.activities.helpers import refused

pytestmark = pytest.mark.django_db


def theme(slug: str) -> Theme:
    return Theme.objects.get(slug=slug)


def test_an_activity_is_planned_with_themes_and_audited(bureau):
    activity = plan(bureau, themes=[theme("mobiliteit"), theme("wonen")])
    assert [t.slug for t in activity.themes.all()] == ["wonen", "mobiliteit"]
    changes = AuditEvent.objects.get(action="activities.activity_create").changes
    assert changes["themes"] == {"old": [], "new": ["Wonen", "Mobiliteit"]}


def test_an_inactive_theme_is_refused_and_nothing_is_written(bureau):
    Theme.objects.filter(slug="economie").update(active=False)
    with refused("Het thema Economie is niet meer in gebruik"):
        plan(bureau, themes=[theme("economie")])


def test_changing_themes_is_audited_and_raises_the_data_version(bureau):
    activity = plan(bureau, themes=[theme("wonen")])
    version = data_versions([ACTIVITIES])[ACTIVITIES].version
    sequence = activity.sequence
    services.activity_update(activity=activity, actor=bureau, themes=[theme("jeugdzorg")])
    assert [t.slug for t in activity.themes.all()] == ["jeugdzorg"]
    event = AuditEvent.objects.get(action="activities.activity_update")
    assert event.changes == {"themes": {"old": ["Wonen"], "new": ["Jeugdzorg"]}}
    assert data_versions([ACTIVITIES])[ACTIVITIES].version > version
    # Themes are no part of the calendar entry: no new SEQUENCE, no mail.
    activity.refresh_from_db()
    assert activity.sequence == sequence
    # None leaves them; the same themes again are no change.
    services.activity_update(activity=activity, actor=bureau, title="Andere titel")
    services.activity_update(activity=activity, actor=bureau, themes=[theme("jeugdzorg")])
    assert [t.slug for t in activity.themes.all()] == ["jeugdzorg"]
    assert AuditEvent.objects.filter(action="activities.activity_update").count() == 2


def test_a_retired_theme_stays_but_is_not_newly_chosen(bureau):
    activity = plan(bureau, themes=[theme("wonen")])
    Theme.objects.filter(slug__in=["wonen", "economie"]).update(active=False)
    services.activity_update(
        activity=activity, actor=bureau, themes=[theme("wonen"), theme("klimaat-en-energie")]
    )
    assert {t.slug for t in activity.themes.all()} == {"wonen", "klimaat-en-energie"}
    with refused("Het thema Economie is niet meer in gebruik"):
        services.activity_update(
            activity=activity, actor=bureau, title="Nieuw", themes=[theme("economie")]
        )
    assert {t.slug for t in activity.themes.all()} == {"wonen", "klimaat-en-energie"}


def test_each_activity_of_a_series_takes_the_themes(bureau):
    start = timezone.now() + datetime.timedelta(days=7)
    series = services.series_plan(
        actor=bureau,
        title="Wonen-overleg",
        cadence=Cadence.WEEKLY,
        count=3,
        kind=Kind.GENERAL_MEETING,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        themes=(t for t in [theme("wonen")]),
    )
    assert [[t.slug for t in a.themes.all()] for a in series.activities.all()] == [["wonen"]] * 3
