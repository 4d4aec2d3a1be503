"""Activities in the search index: every write of an activity puts it there as it is, and a search
shows each user exactly the activities the agenda shows them — in the hits, the total and the
facet counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from m50.activities import search as activity_search
from m50.activities import selectors, services
from m50.activities.models import Audience, Cadence, Kind
from m50.contacts.models import Position
from m50.core.models import SearchEntry, Theme
from m50.core.search.access import Access
from m50.knowledge import search
from m50.pillars import services as pillar_services
from tests.activities.conftest import plan
from tests.activities.test_audience import VIEWERS, people  # noqa: F401 - the viewers fixture
from tests.pillars.conftest import START, official, user_of

pytestmark = pytest.mark.django_db
KIND = "activiteit"


def found(user, text, **options) -> set[int]:
    results = search.search(user=user, text=text, kinds=[KIND], **options)
    return {hit.object_id for hit in results.hits}


def test_an_activity_is_found_by_its_title_description_place_host_and_organiser(
    bureau, diemen, sociaal
):
    activity = plan(
        bureau,
        audience=Audience.PUBLIC,
        title="Werkconferentie energietransitie",
        description="Over warmtenetten in bestaande wijken.",
        address="Raadhuisplein 1",
        host_municipality=diemen.municipality,
        organiser=sociaal,
    )
    for text in ("energietransitie", "warmtenet", "raadhuisplein", "diemen", sociaal.name):
        assert found(None, text) == {activity.pk}, text
    assert found(None, "fietsenstalling") == set()
    hit = search.search(user=None, text="warmtenetten").hits[0]
    assert hit.url == f"/activiteiten/{activity.pk}/"
    assert hit.date == timezone.localtime(activity.starts_at).date()


def test_a_change_follows_at_once_and_a_cancelled_activity_stays_findable_marked(
    people,  # noqa: F811 - the fixture imported above
):
    bureau = people["bureau"]
    activity = plan(bureau, audience=Audience.PUBLIC, title="Zwembadoverleg")
    services.activity_update(
        activity=activity, actor=bureau, title="Sportoverleg", audience=Audience.MEMBERS
    )
    assert found(people["anonymous"], "sportoverleg") == set()
    assert found(people["official"], "sportoverleg") == {activity.pk}
    assert found(people["official"], "zwembadoverleg") == set()
    services.activity_cancel(activity=activity, actor=bureau, reason="Te weinig aanmeldingen")
    hits = search.search(user=people["official"], text="sportoverleg").hits
    assert [(hit.object_id, hit.title) for hit in hits] == [
        (activity.pk, "Sportoverleg (geannuleerd)")
    ]


@pytest.mark.parametrize(
    ("audience", "access"),
    [
        (Audience.PUBLIC, Access.PUBLIC),
        (Audience.MEMBERS, Access.NETWORK),
        (Audience.BODY, Access.RESTRICTED),
        (Audience.ADMINISTRATORS, Access.RESTRICTED),
        (Audience.INVITATION, Access.RESTRICTED),
    ],
)
def test_search_shows_each_user_what_the_agenda_shows_them(
    people,  # noqa: F811 - the fixture imported above
    sociaal,
    audience,
    access,
):
    bureau = people["bureau"]
    wonen = Theme.objects.get(slug="wonen")
    body = sociaal if audience == Audience.BODY else None
    activity = plan(
        bureau,
        audience=audience,
        audience_body=body,
        title="Starterswoningen",
        kind=Kind.WEBINAR,
        themes=[wonen],
    )
    other = plan(bureau, audience=Audience.PUBLIC, title="Starterswoningen in de regio")
    if audience == Audience.INVITATION:
        services.invitation_add(activity=activity, person=people["invited"].person, actor=bureau)
    entry = SearchEntry.objects.get(kind=KIND, object_id=activity.pk)
    assert entry.access == access
    assert entry.pillar_id is None
    shown_somewhere = set()
    for name in VIEWERS:
        user = people[name]
        listed = set(selectors.activity_list(user=user).values_list("pk", flat=True))
        results = search.search(user=user, text="starterswoning", kinds=[KIND])
        hits = {hit.object_id for hit in results.hits}
        assert hits == listed & {activity.pk, other.pk}, name
        assert results.total == len(hits), name
        seen = activity.pk in hits
        assert dict(results.facets["theme"]).get("wonen", 0) == (1 if seen else 0), name
        assert dict(results.facets["kind"]).get(Kind.WEBINAR, 0) == (1 if seen else 0), name
        if seen:
            shown_somewhere.add(name)
    # The test means something: the narrower audiences are hidden from someone.
    assert ("anonymous" in shown_somewhere) == (audience == Audience.PUBLIC)


def test_who_holds_a_registration_outside_the_pillar_finds_it_as_its_page_shows_it(
    people,  # noqa: F811 - the fixture imported above
    sociaal,
    diemen,
):
    bureau = people["bureau"]
    position = official(diemen, function=Position.Function.POLICY_ADVISOR)
    participation = pillar_services.participation_register(
        position=position, pillar=sociaal, start_date=START
    )
    wonen = Theme.objects.get(slug="wonen")
    activity = plan(
        bureau,
        audience=Audience.BODY,
        audience_body=sociaal,
        title="Pijlerbijeenkomst kinderopvangtoeslag",
        kind=Kind.WEBINAR,
        themes=[wonen],
    )
    holder, other = user_of(position), people["official"]
    services.registration_create(activity=activity, person=holder.person, actor=bureau)
    # They left the pillar; their seat, and so the activity's page, stays theirs.
    pillar_services.participation_end(
        participation=participation, end_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert selectors.activity_detail(user=holder, pk=activity.pk) == activity
    assert not selectors.activity_list(user=other, when="all").filter(pk=activity.pk).exists()
    for user, seen in ((holder, True), (other, False), (people["sociaal_member"], True)):
        results = search.search(user=user, text="kinderopvangtoeslag")
        assert {hit.object_id for hit in results.hits} == ({activity.pk} if seen else set())
        assert results.total == int(seen)
        count = 1 if seen else 0
        assert dict(results.facets["theme"]).get("wonen", 0) == count
        assert dict(results.facets["kind"]).get(Kind.WEBINAR, 0) == count
        assert sum(n for _value, n in results.facets["year"]) == count


def test_the_facets_are_kind_themes_organising_pillar_year_and_host(bureau, diemen, sociaal):
    wonen = Theme.objects.get(slug="wonen")
    start = timezone.now() + datetime.timedelta(days=30)
    plan(
        bureau,
        audience=Audience.PUBLIC,
        title="Pijlerbijeenkomst jeugdhulp",
        kind=Kind.PILLAR_MEETING,
        organiser=sociaal,
        host_municipality=diemen.municipality,
        themes=[wonen],
        starts_at=start,
    )
    results = search.search(user=None, text="jeugdhulp")
    assert results.total == 1
    local_year = str(timezone.localtime(start).year)
    assert results.facets["kind"] == [(Kind.PILLAR_MEETING, 1)]
    assert results.facets["theme"] == [("wonen", 1)]
    assert results.facets["pillar"] == [("sociaal", 1)]
    assert results.facets["year"] == [(local_year, 1)]
    assert results.facets["municipality"] == [(diemen.municipality.code, 1)]
    assert found(None, "jeugdhulp", filters={"pillar": "financieel"}) == set()


def test_the_rebuilt_index_equals_the_one_kept_in_step(
    people,  # noqa: F811 - the fixture imported above
    capsys,
):
    bureau = people["bureau"]
    series = services.series_plan(
        actor=bureau,
        title="Netwerkontbijt",
        cadence=Cadence.MONTHLY,
        count=3,
        kind=Kind.OTHER,
        audience=Audience.PUBLIC,
        starts_at=timezone.now() + datetime.timedelta(days=7),
        ends_at=timezone.now() + datetime.timedelta(days=7, hours=2),
    )
    first, second, third = series.activities.order_by("starts_at")
    services.activity_update(activity=first, actor=bureau, description="Met koffie")
    services.series_cancel_from(activity=third, actor=bureau, reason="Zaal niet beschikbaar")
    plan(bureau, audience=Audience.INVITATION, title="Besloten overleg")
    assert found(people["anonymous"], "netwerkontbijt") == {first.pk, second.pk, third.pk}
    call_command("rebuild-search-index", "--check")  # raises CommandError on a difference
    report = capsys.readouterr().out
    assert "activiteit: 4 regels; 0 ontbraken, 0 weken af, 0 waren overbodig." in report


def test_the_search_page_lists_activities_under_their_own_name(client, bureau):
    public = plan(bureau, audience=Audience.PUBLIC, title="Regiodag mobiliteit")
    plan(bureau, audience=Audience.INVITATION, title="Besloten mobiliteitsoverleg")
    html = client.get(reverse("search:page"), {"zoek": "mobiliteit*"}).content.decode()
    # The filter "Wat" names the kind and counts only what the visitor may see.
    assert 'href="?zoek=mobiliteit%2A&amp;wat=activiteit">Activiteiten (1)</a>' in html
    html = client.get(reverse("search:page"), {"zoek": "mobiliteit*", "wat": KIND}).content.decode()
    assert f'href="/activiteiten/{public.pk}/"' in html
    assert "Besloten" not in html


def test_one_body_organising_for_another_is_found_by_the_organisers_chair_too(
    people,  # noqa: F811 - the fixture imported above
    sociaal,
    financieel,
):
    activity = plan(
        people["bureau"],
        organiser=sociaal,
        audience=Audience.BODY,
        audience_body=financieel,
        title="Kruisbestuiving",
    )
    assert SearchEntry.objects.get(kind=KIND, object_id=activity.pk).access == Access.RESTRICTED
    for name in VIEWERS:
        user = people[name]
        listed = selectors.activity_list(user=user).filter(pk=activity.pk).exists()
        assert (found(user, "kruisbestuiving") == {activity.pk}) == listed, name
    assert found(people["sociaal_chair"], "kruisbestuiving") == {activity.pk}
    assert found(people["sociaal_member"], "kruisbestuiving") == set()


def test_the_entries_for_a_rebuild_take_as_many_queries_for_ten_as_for_one(bureau, diemen, sociaal):
    wonen = Theme.objects.get(slug="wonen")

    def one():
        plan(
            bureau,
            organiser=sociaal,
            host_municipality=diemen.municipality,
            themes=[wonen],
        )

    one()
    with CaptureQueriesContext(connection) as first:
        assert len(list(activity_search.entries())) == 1
    for _ in range(9):
        one()
    with CaptureQueriesContext(connection) as then:
        assert len(list(activity_search.entries())) == 10
    assert len(then) == len(first)
