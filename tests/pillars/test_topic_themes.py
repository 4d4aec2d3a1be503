"""Topics carry themes of the shared list (DESIGN.md §5), set and changed through the
services, audited; a theme no longer in use cannot be newly chosen."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from m50.accounts.models import Role
from m50.core.models import AuditEvent, Theme
from m50.pillars import services
from m50.pillars.models import Topic
from tests.factories import UserFactory
from tests.pillars.conftest import START, official, user_of

pytestmark = pytest.mark.django_db


def theme(slug: str) -> Theme:
    return Theme.objects.get(slug=slug)


@pytest.fixture
def member(diemen, sociaal):
    position = official(diemen)
    services.participation_register(position=position, pillar=sociaal, start_date=START)
    return position.person


def test_a_topic_is_proposed_with_themes_in_the_lists_order_and_audited(member, sociaal):
    topic = services.topic_propose(
        pillar=sociaal,
        title="Wachtlijsten",
        owner=member,
        themes=[theme("jeugdzorg"), theme("wonen"), theme("jeugdzorg")],
    )
    assert [t.slug for t in topic.themes.all()] == ["wonen", "jeugdzorg"]
    changes = AuditEvent.objects.get(action="topic.propose").changes
    assert changes["themes"] == {"old": [], "new": ["Wonen", "Jeugdzorg"]}


def test_a_topic_without_themes_records_none(member, sociaal):
    topic = services.topic_propose(pillar=sociaal, title="Armoede", owner=member)
    assert not topic.themes.exists()
    assert "themes" not in AuditEvent.objects.get(action="topic.propose").changes


def test_an_inactive_theme_is_refused_and_nothing_is_written(member, sociaal):
    Theme.objects.filter(slug="economie").update(active=False)
    with pytest.raises(ValidationError) as info:
        services.topic_propose(
            pillar=sociaal, title="Bedrijven", owner=member, themes=[theme("economie")]
        )
    assert info.value.message_dict["themes"] == [
        "Het thema Economie is niet meer in gebruik; kies een ander."
    ]
    assert not Topic.objects.exists()
    assert not AuditEvent.objects.filter(action="topic.propose").exists()


def test_changing_the_themes_is_audited_with_old_and_new(member, sociaal):
    topic = services.topic_propose(
        pillar=sociaal, title="Wonen", owner=member, themes=[theme("wonen")]
    )
    services.topic_update(topic=topic, themes=[theme("mobiliteit"), theme("wonen")])
    assert {t.slug for t in topic.themes.all()} == {"wonen", "mobiliteit"}
    event = AuditEvent.objects.get(action="topic.update")
    assert event.changes == {"themes": {"old": ["Wonen"], "new": ["Wonen", "Mobiliteit"]}}
    # The same themes again (in another order) are no change: no second audit event.
    services.topic_update(topic=topic, themes=[theme("wonen"), theme("mobiliteit")])
    assert AuditEvent.objects.filter(action="topic.update").count() == 1
    # None leaves the themes as they are.
    services.topic_update(topic=topic, title="Wonen en verkeer")
    assert topic.themes.count() == 2


def test_a_retired_theme_stays_on_a_topic_that_has_it_but_is_not_newly_chosen(member, sociaal):
    topic = services.topic_propose(
        pillar=sociaal, title="Wonen", owner=member, themes=[theme("wonen")]
    )
    Theme.objects.filter(slug__in=["wonen", "economie"]).update(active=False)
    services.topic_update(topic=topic, themes=[theme("wonen"), theme("mobiliteit")])
    assert {t.slug for t in topic.themes.all()} == {"wonen", "mobiliteit"}
    with pytest.raises(ValidationError, match="Economie is niet meer in gebruik"):
        services.topic_update(topic=topic, title="Iets anders", themes=[theme("economie")])
    topic.refresh_from_db()
    assert topic.title == "Wonen"
    assert {t.slug for t in topic.themes.all()} == {"wonen", "mobiliteit"}
    services.topic_update(topic=topic, themes=[])
    assert not topic.themes.exists()


# --- Pages ------------------------------------------------------------------------------------


@pytest.fixture
def member_user(member):
    return user_of(member.positions.get())


def propose_url() -> str:
    return reverse("pillars:topic_propose", args=["sociaal"])


def test_the_propose_form_offers_the_themes_in_use_as_checkboxes(client, member_user):
    Theme.objects.filter(slug="economie").update(active=False)
    client.force_login(member_user)
    page = client.get(reverse("pillars:detail", args=["sociaal"])).content.decode()
    assert 'type="checkbox" name="themes" value="wonen"' in page
    assert 'value="jeugdzorg"' in page
    assert 'value="economie"' not in page


def test_a_topic_proposed_on_the_page_gets_its_themes_and_shows_them(client, member_user):
    client.force_login(member_user)
    response = client.post(
        propose_url(), {"title": "Armoede", "themes": ["werk-en-inkomen", "wonen"]}
    )
    assert response.status_code == 302
    topic = Topic.objects.get(title="Armoede")
    assert [t.slug for t in topic.themes.all()] == ["wonen", "werk-en-inkomen"]
    page = client.get(reverse("pillars:detail", args=["sociaal"])).content.decode()
    assert "thema's: Wonen, Werk en inkomen" in page


@pytest.mark.parametrize("slug", ["bestaat-niet", "economie"])
def test_an_unknown_or_retired_theme_is_a_form_error_that_writes_nothing(client, member_user, slug):
    Theme.objects.filter(slug="economie").update(active=False)
    client.force_login(member_user)
    response = client.post(propose_url(), {"title": "Armoede", "themes": ["wonen", slug]})
    assert response.status_code == 400
    assert f"Kies thema&#x27;s uit de lijst; {slug} bestaat niet." in response.content.decode()
    assert not Topic.objects.exists()


def test_the_pillar_page_costs_the_same_for_1_and_60_topics_with_themes(
    client, member, member_user, sociaal
):
    themes = list(Theme.objects.all())

    def add(count):
        for n in range(count):
            topic = Topic.objects.create(pillar=sociaal, title=f"Onderwerp {n}", owner=member)
            topic.themes.set(themes[n % 4 : n % 4 + 3])

    client.force_login(member_user)
    url = reverse("pillars:detail", args=["sociaal"])
    add(1)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add(59)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)
    assert page.count("thema's:") == 60


def test_the_bureau_finds_topics_by_theme_in_the_admin(client, member, sociaal):
    services.topic_propose(pillar=sociaal, title="Huizen", owner=member, themes=[theme("wonen")])
    services.topic_propose(pillar=sociaal, title="Bussen", owner=member)
    client.force_login(UserFactory(role=Role.BUREAU, is_staff=True, is_superuser=True))
    response = client.get("/beheer/pillars/topic/", {"themes__id__exact": theme("wonen").pk})
    assert response.status_code == 200
    assert "Huizen" in response.text and "Bussen" not in response.text
