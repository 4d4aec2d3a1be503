"""The page of a topic: what it is, where it belongs, its status and history, its knowledge
items (each visitor only those they may see), the chair's status form, and its query count."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from m50.accounts.models import Role
from m50.core.models import AuditEvent, Theme
from m50.knowledge.models import Access, Form, Kind, KnowledgeItem, Status
from m50.pillars import services
from m50.pillars.models import Role as PillarRole
from m50.pillars.models import Topic, TopicStatus
from tests.factories import PersonFactory, ThemeGroupFactory, UserFactory
from tests.knowledge.conftest import published
from tests.pillars.conftest import START, Function, official, user_of

pytestmark = pytest.mark.django_db


def topic_url(topic) -> str:
    return reverse("pillars:topic_detail", args=[topic.pk])


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def chair(diemen, sociaal):
    """An alderman of Diemen chairing Sociaal."""
    position = official(diemen, person=PersonFactory(given_name="Anna", surname="Voorzitter"))
    services.participation_register(
        position=position, pillar=sociaal, role=PillarRole.CHAIR, start_date=START
    )
    return user_of(position)


@pytest.fixture
def member(houten, sociaal):
    """A policy advisor of Houten taking part in Sociaal."""
    position = official(houten, Function.POLICY_ADVISOR)
    services.participation_register(position=position, pillar=sociaal, start_date=START)
    return user_of(position)


@pytest.fixture
def topic(chair, sociaal):
    return services.topic_propose(
        pillar=sociaal,
        title="Jeugdzorg",
        owner=chair.person,
        description="Kosten en wachtlijsten",
        themes=[Theme.objects.get(slug="wonen")],
        actor=chair,
    )


def group_topic(group, organisation, title="Wachtlijsten"):
    """A topic of ``group``, proposed by an official of ``organisation`` who takes part in it."""
    position = official(organisation, Function.POLICY_ADVISOR)
    services.participation_register(position=position, theme_group=group, start_date=START)
    return services.topic_propose(theme_group=group, title=title, owner=position.person)


@pytest.fixture
def bureau(db):
    return UserFactory(role=Role.BUREAU)


# --- Content ----------------------------------------------------------------------------------


def test_the_page_shows_the_topic_to_everyone_without_its_people(client, topic, sociaal):
    html = text_of(client.get(topic_url(topic)))
    assert "<h1" in html and "Onderwerp Jeugdzorg" in html
    assert "Kosten en wachtlijsten" in html
    assert "Wonen" in html
    assert "Voorgesteld" in html and topic.created_at.strftime("%Y") in html
    # The breadcrumb: Home, Pijlers, the pillar, the topic (current).
    assert reverse("pillars:detail", args=[sociaal.slug]) in html
    assert f'href="{topic_url(topic)}" aria-current="page"' in html
    # The owner and who changed the status: for logged-in users only, as on the pillar's page.
    assert "Anna Voorzitter" not in html
    assert "Geschiedenis van de status" not in html
    # No status form for a visitor.
    assert reverse("pillars:topic_status", args=[topic.pk]) not in html


def test_a_logged_in_user_sees_the_owner_and_the_status_history(client, chair, member, topic):
    services.topic_status_change(
        topic=topic, status=TopicStatus.ADOPTED, note="Past bij het jaarplan.", actor=chair
    )
    client.force_login(member)
    html = text_of(client.get(topic_url(topic)))
    assert "eigenaar Anna Voorzitter" in html
    assert "Geschiedenis van de status" in html
    assert "van voorgesteld naar aangenomen" in html
    assert "Past bij het jaarplan." in html
    assert re.search(r"<dd[^>]*>aangenomen</dd>", html)


def test_a_topic_of_a_theme_group_names_the_group_and_its_pillar(client, diemen, sociaal):
    group = ThemeGroupFactory(pillar=sociaal, name="Jeugd", slug="jeugd")
    topic = group_topic(group, diemen)
    html = text_of(client.get(topic_url(topic)))
    assert reverse("pillars:group_detail", args=["jeugd"]) in html
    assert reverse("pillars:detail", args=[sociaal.slug]) in html
    assert "themagroep Jeugd" in html


def test_an_unknown_topic_is_a_404(client, bureau):
    assert client.get(reverse("pillars:topic_detail", args=[999_999])).status_code == 404
    client.force_login(bureau)
    assert client.get(reverse("pillars:topic_detail", args=[999_999])).status_code == 404


def test_the_pages_of_a_pillar_and_a_group_link_each_topic(client, diemen, topic, sociaal):
    group = ThemeGroupFactory(pillar=sociaal, name="Jeugd", slug="jeugd")
    other = group_topic(group, diemen)
    pillar_page = text_of(client.get(reverse("pillars:detail", args=[sociaal.slug])))
    assert f'href="{topic_url(topic)}">Jeugdzorg</a>' in pillar_page
    group_page = text_of(client.get(reverse("pillars:group_detail", args=["jeugd"])))
    assert f'href="{topic_url(other)}">Wachtlijsten</a>' in group_page


# --- Knowledge items --------------------------------------------------------------------------


def test_the_topics_items_show_to_whoever_may_see_them(client, bureau, member, topic, sociaal):
    published(bureau, title="Wachtlijstaanpak openbaar", access=Access.PUBLIC, topic=topic)
    published(bureau, title="Notitie voor het netwerk", access=Access.NETWORK, topic=topic)
    published(bureau, title="Alleen het bureau", access=Access.BUREAU, topic=topic)
    # An item of the pillar without this topic is not this topic's.
    published(bureau, title="Ander werk van Sociaal", access=Access.PUBLIC, body=sociaal)
    html = text_of(client.get(topic_url(topic)))
    assert "Wachtlijstaanpak openbaar" in html
    assert "Notitie voor het netwerk" not in html
    assert "Alleen het bureau" not in html
    assert "Ander werk van Sociaal" not in html
    client.force_login(member)
    html = text_of(client.get(topic_url(topic)))
    assert "Wachtlijstaanpak openbaar" in html and "Notitie voor het netwerk" in html
    assert "Alleen het bureau" not in html
    client.force_login(bureau)
    assert "Alleen het bureau" in text_of(client.get(topic_url(topic)))


def test_an_items_page_links_the_topic_it_came_from(client, bureau, topic):
    item = published(bureau, title="Wachtlijstaanpak", access=Access.PUBLIC, topic=topic)
    html = text_of(client.get(reverse("knowledge:detail", args=[item.pk])))
    assert f'href="{topic_url(topic)}">Jeugdzorg</a>' in html


def test_a_topic_without_items_says_so(client, topic):
    assert "Er zijn nog geen kennisitems." in text_of(client.get(topic_url(topic)))


# --- The chair's status form, without JavaScript ----------------------------------------------


def test_the_chair_changes_the_status_on_the_topic_page(client, chair, member, topic):
    client.force_login(member)
    assert reverse("pillars:topic_status", args=[topic.pk]) not in text_of(
        client.get(topic_url(topic))
    )
    client.force_login(chair)
    html = text_of(client.get(topic_url(topic)))
    # A plain form that posts to the existing route: no script needed.
    assert f'action="{reverse("pillars:topic_status", args=[topic.pk])}"' in html
    assert 'name="terug" value="onderwerp"' in html
    assert "<script>" not in html and 'style="' not in html
    response = client.post(
        reverse("pillars:topic_status", args=[topic.pk]),
        {"status": TopicStatus.ADOPTED, "note": "Past bij het jaarplan.", "terug": "onderwerp"},
    )
    assert response.status_code == 302 and response.url == topic_url(topic)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.ADOPTED
    html = text_of(client.get(response.url))
    assert "Het onderwerp Jeugdzorg is nu aangenomen." in html


def test_a_refused_status_change_shows_the_topic_page_with_the_error(client, chair, topic):
    client.force_login(chair)
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("pillars:topic_status", args=[topic.pk]),
        {"status": TopicStatus.PROPOSED, "terug": "onderwerp"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Onderwerp Jeugdzorg" in html and "Kies een waarde uit de lijst" in html
    topic.refresh_from_db()
    assert topic.status == TopicStatus.PROPOSED and AuditEvent.objects.count() == before


def test_the_status_form_of_the_pillar_page_still_returns_there(client, chair, topic, sociaal):
    client.force_login(chair)
    response = client.post(
        reverse("pillars:topic_status", args=[topic.pk]), {"status": TopicStatus.ADOPTED}
    )
    assert response.url == reverse("pillars:detail", args=[sociaal.slug]) + "#onderwerpen"


# --- Query counts -----------------------------------------------------------------------------


def populate(count: int, *, topic, bureau) -> None:
    """``count`` published items of every level on ``topic``, ``count`` other topics in its
    pillar, and ``count`` steps in its history, stored directly."""
    now = timezone.now()
    levels = [Access.PUBLIC, Access.NETWORK, Access.BODY, Access.BUREAU]
    KnowledgeItem.objects.bulk_create(
        KnowledgeItem(
            form=Form.NOTE,
            kind=Kind.EXAMPLE,
            title=f"Voorbeeld {n}",
            note_what="Iets gedaan.",
            date=datetime.date(2020 + n % 6, 1 + n % 12, 1),
            access=levels[n % 4],
            pillar=topic.pillar,
            topic=topic,
            status=Status.PUBLISHED,
            published_at=now,
            created_by=bureau,
        )
        for n in range(count)
    )
    Topic.objects.bulk_create(
        Topic(pillar=topic.pillar, title=f"Onderwerp {n}", owner=topic.owner) for n in range(count)
    )
    topic.status_changes.model.objects.bulk_create(
        topic.status_changes.model(
            topic=topic,
            from_status=TopicStatus.PROPOSED,
            to_status=TopicStatus.PROPOSED,
            changed_by=bureau,
            changed_by_label="Bureau",
        )
        for _ in range(count)
    )


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("who", ["anonymous", "member", "chair", "bureau"])
def test_the_page_costs_the_same_for_10_and_1000_items_and_topics(
    client, django_assert_num_queries, chair, member, bureau, topic, who
):
    users = {"member": member, "chair": chair, "bureau": bureau}

    def log_in():
        client.logout()
        if who in users:
            client.force_login(users[who])

    populate(10, topic=topic, bureau=bureau)
    log_in()
    small = queries_of(client, topic_url(topic))
    populate(990, topic=topic, bureau=bureau)
    log_in()
    with django_assert_num_queries(small):
        response = client.get(topic_url(topic))
    assert response.status_code == 200
    assert response.content.decode().count("Voorbeeld ") >= 1
