"""Themes in the API: topics and activities give their themes as slugs, take them as slugs
(an unknown slug is a 400 problem naming it, a retired theme cannot be newly chosen), and
their lists filter on ?thema=; the lists cost the same queries for more rows and themes."""

from __future__ import annotations

import pytest

from m50.activities.models import Activity, Audience
from m50.core.models import AuditEvent, Theme
from m50.pillars.models import Topic
from tests.activities.conftest import plan
from tests.api.test_activities import SIZES, _count_queries, _plan, client_of, snapshot
from tests.api.test_activities import world as world  # noqa: PLC0414 - the fixture, by name
from tests.api.test_design_rules import assert_problem

pytestmark = pytest.mark.django_db


def reasons(problem) -> list[tuple[str, str]]:
    return [(param["name"], param["reason"]) for param in problem["invalidParams"]]


def theme(slug: str) -> Theme:
    return Theme.objects.get(slug=slug)


def _propose(user, **extra):
    body = {"pillar": "sociaal", "title": "Wachtlijsten", **extra}
    return client_of(user).post("/api/v1/onderwerpen", body, format="json")


# --- Topics -----------------------------------------------------------------------------------


def test_a_topic_is_proposed_with_theme_slugs_and_gives_them_back(world):
    response = _propose(world["member"], themes=["jeugdzorg", "wonen", "jeugdzorg"])
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["themes"] == ["wonen", "jeugdzorg"]
    topic = Topic.objects.get(pk=body["id"])
    assert [t.slug for t in topic.themes.all()] == ["wonen", "jeugdzorg"]
    listed = client_of(world["member"]).get("/api/v1/onderwerpen").json()["results"]
    assert listed[0]["themes"] == ["wonen", "jeugdzorg"]
    assert AuditEvent.objects.get(action="topic.propose").origin == "API"


@pytest.mark.parametrize(
    ("themes", "reason"),
    [
        (["wonen", "bestaat-niet"], "Er is geen thema bestaat-niet."),
        (["economie"], "Het thema Economie is niet meer in gebruik; kies een ander."),
        ("wonen", None),
        ([""], None),
        (["niet geldig!"], None),
    ],
)
def test_a_bad_theme_is_a_400_problem_and_no_topic_is_proposed(world, themes, reason):
    Theme.objects.filter(slug="economie").update(active=False)
    problem = assert_problem(_propose(world["member"], themes=themes), 400)
    [param] = problem["invalidParams"]
    assert param["name"].startswith("themes")
    if reason:
        assert param["reason"] == reason
    assert not Topic.objects.exists()


def test_the_topics_list_filters_on_a_theme(world):
    _propose(world["member"], title="Wonen", themes=["wonen"])
    _propose(world["member"], title="Wonen en verkeer", themes=["wonen", "mobiliteit"])
    _propose(world["member"], title="Zonder")
    client = client_of(world["member"])

    def titles(slug):
        response = client.get("/api/v1/onderwerpen", {"thema": slug})
        assert response.status_code == 200, response.content
        return [t["title"] for t in response.json()["results"]]

    assert titles("wonen") == ["Wonen", "Wonen en verkeer"]
    assert titles("mobiliteit") == ["Wonen en verkeer"]
    assert titles("economie") == []
    problem = assert_problem(client.get("/api/v1/onderwerpen", {"thema": "bestaat-niet"}), 400)
    assert reasons(problem) == [("thema", "Er is geen thema bestaat-niet.")]


def test_the_topics_list_filtered_on_a_theme_costs_the_same_for_more(world):
    themes = list(Theme.objects.all())
    client = client_of(world["member"])
    counts = []
    for size in SIZES:
        for n in range(Topic.objects.count(), size):
            topic = Topic.objects.create(pillar=world["sociaal"], title=f"Onderwerp {n}")
            topic.themes.set(themes[: 1 + n % 4])
        count, body = _count_queries(
            client, "/api/v1/onderwerpen", {"thema": themes[0].slug, "pageSize": 500}
        )
        assert len(body["results"]) == min(size, 500)
        assert all(r["themes"] for r in body["results"])
        counts.append(count)
    assert counts[0] == counts[1], counts


# --- Activities -------------------------------------------------------------------------------


def test_an_activity_is_planned_and_changed_with_theme_slugs(world):
    response = _plan(world["bureau"], kind="ledenvergadering", themes=["mobiliteit", "wonen"])
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["themes"] == ["wonen", "mobiliteit"]
    url = f"/api/v1/activiteiten/{body['id']}"
    client = client_of(world["bureau"])
    changed = client.patch(url, {"themes": ["jeugdzorg"]}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["themes"] == ["jeugdzorg"]
    event = AuditEvent.objects.get(action="activities.activity_update")
    assert event.changes == {"themes": {"old": ["Wonen", "Mobiliteit"], "new": ["Jeugdzorg"]}}
    # Left out: the themes stay.
    assert client.patch(url, {"title": "Nieuw"}, format="json").json()["themes"] == ["jeugdzorg"]
    assert client.patch(url, {"themes": []}, format="json").json()["themes"] == []


def test_themes_are_public_with_a_public_activity(world):
    activity = plan(world["bureau"], audience=Audience.PUBLIC, themes=[theme("economie")])
    body = client_of(None).get(f"/api/v1/activiteiten/{activity.pk}").json()
    assert body["themes"] == ["economie"]


@pytest.mark.parametrize(
    ("themes", "reason"),
    [
        (["bestaat-niet"], "Er is geen thema bestaat-niet."),
        (["wonen", "economie"], "Het thema Economie is niet meer in gebruik; kies een ander."),
    ],
)
def test_a_bad_theme_plans_and_changes_nothing(world, themes, reason):
    Theme.objects.filter(slug="economie").update(active=False)
    activity = plan(world["bureau"], themes=[theme("wonen")])
    before = snapshot()
    problem = assert_problem(_plan(world["bureau"], kind="ledenvergadering", themes=themes), 400)
    assert reasons(problem) == [("themes", reason)]
    url = f"/api/v1/activiteiten/{activity.pk}"
    response = client_of(world["bureau"]).patch(
        url, {"title": "Anders", "themes": themes}, format="json"
    )
    problem = assert_problem(response, 400)
    assert reasons(problem) == [("themes", reason)]
    assert snapshot() == before
    assert [t.slug for t in activity.themes.all()] == ["wonen"]


def test_a_retired_theme_an_activity_has_may_stay(world):
    activity = plan(world["bureau"], themes=[theme("economie")])
    Theme.objects.filter(slug="economie").update(active=False)
    response = client_of(world["bureau"]).patch(
        f"/api/v1/activiteiten/{activity.pk}", {"themes": ["economie", "wonen"]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["themes"] == ["wonen", "economie"]


def test_the_activities_list_filters_on_a_theme(world):
    bureau = world["bureau"]
    plan(bureau, title="Wonen", audience=Audience.PUBLIC, themes=[theme("wonen")])
    plan(bureau, title="Verkeer", audience=Audience.PUBLIC, themes=[theme("mobiliteit")])
    plan(bureau, title="Zonder", audience=Audience.PUBLIC)
    client = client_of(None)
    response = client.get("/api/v1/activiteiten", {"thema": "wonen"})
    assert [a["title"] for a in response.json()["results"]] == ["Wonen"]
    problem = assert_problem(client.get("/api/v1/activiteiten", {"thema": "geen"}), 400)
    assert reasons(problem) == [("thema", "Er is geen thema geen.")]


@pytest.mark.parametrize("who", [None, "member"])
def test_the_activities_list_with_themes_costs_the_same_for_more(world, who):
    themes = list(Theme.objects.all())
    client = client_of(world[who] if who else None)
    counts = []
    for size in SIZES:
        for n in range(Activity.objects.count(), size):
            plan(
                world["bureau"],
                title=f"A {n}",
                audience=Audience.PUBLIC,
                themes=themes[: 1 + n % 5],
            )
        count, body = _count_queries(
            client, "/api/v1/activiteiten", {"thema": themes[0].slug, "pageSize": 500}
        )
        assert len(body["results"]) == min(size, 500)
        assert all(r["themes"] for r in body["results"])
        counts.append(count)
    assert counts[0] == counts[1], counts
