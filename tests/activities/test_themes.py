"""Activities carry themes of the shared list (DESIGN.md §5): set and changed through the
services, audited, the activities' data version raised; a theme no longer in use cannot be
newly chosen."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from m50.activities import services
from m50.activities.models import Activity, Audience, Cadence, Kind
from m50.activities.services._common import local_moment
from m50.core.models import AuditEvent, Theme
from m50.core.versions import ACTIVITIES, data_versions
from tests.activities.conftest import plan
from tests.activities.helpers import refused
from tests.activities.test_agenda_pages import AGENDA, MONTH
from tests.activities.test_manage_pages import CREATE, day, form
from tests.activities.test_manage_pages import refused as form_refused

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


# --- Pages ------------------------------------------------------------------------------------


def edit_url(activity) -> str:
    return reverse("activities:edit", args=[activity.pk])


def test_the_planning_form_offers_the_themes_in_use_and_plans_with_them(client, bureau):
    Theme.objects.filter(slug="economie").update(active=False)
    client.force_login(bureau)
    page = client.get(CREATE).content.decode()
    assert 'type="checkbox" name="themes" value="wonen"' in page
    assert 'value="economie"' not in page
    response = client.post(CREATE, form(themes=["jeugdzorg", "wonen"]))
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert [t.slug for t in activity.themes.all()] == ["wonen", "jeugdzorg"]


@pytest.mark.parametrize("slug", ["bestaat-niet", "economie"])
def test_an_unknown_or_retired_theme_is_a_form_error_that_plans_nothing(client, bureau, slug):
    Theme.objects.filter(slug="economie").update(active=False)
    client.force_login(bureau)
    form_refused(
        client,
        CREATE,
        form(themes=["wonen", slug]),
        f"Kies thema&#x27;s uit de lijst; {slug} bestaat niet.",
    )


def test_the_edit_form_shows_the_themes_and_keeps_a_retired_one(client, bureau):
    starts_at = local_moment(day(30), datetime.time(14))
    activity = plan(
        bureau,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2, minutes=30),
        themes=[theme("wonen"), theme("economie")],
    )
    Theme.objects.filter(slug="economie").update(active=False)
    client.force_login(bureau)
    page = client.get(edit_url(activity)).content.decode()
    assert re.search(r'value="wonen"[^>]*checked', page)
    assert "Economie (niet meer in gebruik)" in page
    data = form(themes=["economie", "mobiliteit"])
    del data["organiser"]
    response = client.post(edit_url(activity), data)
    assert response.status_code == 302, response.content.decode()
    assert [t.slug for t in activity.themes.all()] == ["mobiliteit", "economie"]


def test_the_activity_page_links_its_themes_to_the_agenda(client, bureau):
    activity = plan(bureau, audience=Audience.PUBLIC, themes=[theme("mobiliteit")])
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert f'href="{AGENDA}?thema=mobiliteit">Mobiliteit</a>' in page


def test_the_agenda_filters_on_a_theme(client, bureau):
    plan(bureau, title="Over wonen", audience=Audience.PUBLIC, themes=[theme("wonen")])
    plan(
        bureau,
        title="Over wonen en verkeer",
        audience=Audience.PUBLIC,
        themes=[theme("wonen"), theme("mobiliteit")],
    )
    plan(bureau, title="Zonder thema", audience=Audience.PUBLIC)
    page = client.get(AGENDA, {"thema": "wonen"}).content.decode()
    assert "Over wonen" in page and "Over wonen en verkeer" in page
    assert "Zonder thema" not in page
    page = client.get(AGENDA, {"thema": "mobiliteit"}).content.decode()
    assert "Over wonen en verkeer" in page and "Over wonen<" not in page
    # The month shows the same.
    month = timezone.localtime(timezone.now() + datetime.timedelta(days=7)).strftime("%Y-%m")
    page = client.get(MONTH, {"thema": "mobiliteit", "maand": month}).content.decode()
    assert "Over wonen en verkeer" in page and "Zonder thema" not in page


def test_an_unknown_theme_in_the_agenda_is_reported_and_left_out(client, bureau):
    plan(bureau, title="Zonder thema", audience=Audience.PUBLIC)
    response = client.get(AGENDA, {"thema": "bestaat-niet"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kies een thema uit de lijst; bestaat-niet bestaat niet." in page
    assert "Zonder thema" in page


def test_a_retired_theme_still_filters_the_agenda(client, bureau):
    plan(bureau, title="Oud thema", audience=Audience.PUBLIC, themes=[theme("economie")])
    Theme.objects.filter(slug="economie").update(active=False)
    page = client.get(AGENDA, {"thema": "economie"}).content.decode()
    assert "Oud thema" in page and "Kies een thema uit de lijst" not in page


def test_the_agenda_filtered_on_a_theme_and_the_activity_page_cost_the_same_for_more(
    client, bureau
):
    themes = list(Theme.objects.all())
    first = plan(bureau, audience=Audience.PUBLIC, themes=themes[:3])

    def add(count):
        start = timezone.now() + datetime.timedelta(days=3)
        activities = Activity.objects.bulk_create(
            Activity(
                kind=Kind.GENERAL_MEETING,
                title=f"Bijeenkomst {n}",
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=1),
                audience=Audience.PUBLIC,
            )
            for n in range(count)
        )
        Activity.themes.through.objects.bulk_create(
            Activity.themes.through(activity=a, theme=t) for a in activities for t in themes[:2]
        )

    urls = [
        (AGENDA, {"thema": themes[0].slug}),
        (MONTH, {"thema": themes[1].slug}),
        (reverse("activities:detail", args=[first.pk]), {}),
    ]
    add(10)
    small = [queries_of(client, url, params) for url, params in urls]
    add(990)
    first.themes.set(themes)
    assert [queries_of(client, url, params) for url, params in urls] == small


def queries_of(client, url, params) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params).status_code == 200
    return len(context.captured_queries)
