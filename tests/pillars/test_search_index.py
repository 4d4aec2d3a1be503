"""Pillars, theme groups and topics in the search index: every write puts them there as they
are, everyone finds them (their pages are public), and the index stays in step with them."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from m50.accounts.models import Role
from m50.core.models import SearchEntry, Theme
from m50.knowledge import search
from m50.pillars import search as pillar_search
from m50.pillars import services
from m50.pillars.models import Role as PillarRole
from m50.pillars.models import TopicStatus
from tests.factories import PersonFactory, UserFactory
from tests.pillars.conftest import START, official, user_of

pytestmark = pytest.mark.django_db

KINDS = ("pijler", "themagroep", "onderwerp")


def results(user, text, kinds=KINDS, **options):
    return search.search(user=user, text=text, kinds=kinds, **options)


def found(user, text, kinds=KINDS) -> set[tuple[str, int]]:
    return {(hit.kind, hit.object_id) for hit in results(user, text, kinds).hits}


@pytest.fixture
def chair(diemen, sociaal):
    position = official(diemen, person=PersonFactory(given_name="Anna", surname="Voorzitter"))
    services.participation_register(
        position=position, pillar=sociaal, role=PillarRole.CHAIR, start_date=START
    )
    return user_of(position)


@pytest.fixture
def users(chair, houten):
    return {
        "anonymous": AnonymousUser(),
        "bureau": UserFactory(role=Role.BUREAU),
        "public_affairs": UserFactory(role=Role.PUBLIC_AFFAIRS),
        "official": user_of(official(houten)),
        "sociaal_chair": chair,
        "member_contact": UserFactory(role=Role.MEMBER_CONTACT, municipality=houten.municipality),
    }


def check_index_in_step(capsys) -> str:
    call_command("rebuild-search-index", "--check")  # raises CommandError on a difference
    return capsys.readouterr().out


def test_the_shipped_pillars_are_in_the_index_after_migrate(sociaal, capsys):
    assert found(AnonymousUser(), "sociaal", ["pijler"]) == {("pijler", sociaal.pk)}
    report = check_index_in_step(capsys)
    assert "pijler: 8 regels; 0 ontbraken, 0 weken af, 0 waren overbodig." in report


def test_a_new_pillar_and_its_change_of_name_and_purpose_are_found(capsys):
    pillar = services.pillar_create(
        name="Klimaat", purpose="Hittestress in de wijken", started_on=datetime.date(2026, 1, 5)
    )
    anonymous = AnonymousUser()
    assert found(anonymous, "klimaat") == {("pijler", pillar.pk)}
    assert found(anonymous, "hittestress") == {("pijler", pillar.pk)}
    services.pillar_update(pillar=pillar, name="Hittebestendigheid", purpose="Droogte")
    assert found(anonymous, "klimaat") == set()
    assert found(anonymous, "hittestress") == set()
    assert found(anonymous, "hittebestendigheid") == {("pijler", pillar.pk)}
    hit = results(anonymous, "droogte").hits[0]
    assert hit.url == reverse("pillars:detail", kwargs={"pillar": pillar.slug})
    check_index_in_step(capsys)


def test_a_group_names_its_pillar_and_follows_a_move_and_a_rename(sociaal, financieel, capsys):
    group = services.theme_group_create(
        name="Schuldhulp", pillar=sociaal, started_on=datetime.date(2025, 2, 1)
    )
    anonymous = AnonymousUser()
    assert found(anonymous, "schuldhulp") == {("themagroep", group.pk)}
    facets = results(anonymous, "schuldhulp").facets
    assert dict(facets["pillar"]) == {"sociaal": 1}
    assert dict(facets["year"]) == {"2025": 1}
    services.theme_group_update(theme_group=group, pillar=financieel)
    assert dict(results(anonymous, "schuldhulp").facets["pillar"]) == {"financieel": 1}
    services.pillar_update(pillar=financieel, name="Geldzaken")
    assert ("themagroep", group.pk) in found(anonymous, "geldzaken")
    check_index_in_step(capsys)


def test_an_ended_group_stays_findable_marked_as_ended(sociaal, capsys):
    group = services.theme_group_create(name="Armoedebeleid", pillar=sociaal)
    services.theme_group_end(theme_group=group, ended_on=timezone.localdate())
    assert found(AnonymousUser(), "armoedebeleid beeindigd") == {("themagroep", group.pk)}
    check_index_in_step(capsys)


def test_a_topic_is_found_after_each_write(chair, sociaal, capsys):
    wonen = Theme.objects.get(slug="wonen")
    topic = services.topic_propose(
        pillar=sociaal,
        title="Jeugdzorg",
        owner=chair.person,
        description="Kosten en wachtlijsten",
        themes=[wonen],
    )
    anonymous = AnonymousUser()
    assert found(anonymous, "wachtlijst") == {("onderwerp", topic.pk)}
    found_results = results(anonymous, "jeugdzorg", ["onderwerp"])
    assert dict(found_results.facets["theme"]) == {"wonen": 1}
    assert dict(found_results.facets["pillar"]) == {"sociaal": 1}
    assert found_results.hits[0].url == reverse(
        "pillars:topic_detail", kwargs={"topic_id": topic.pk}
    )
    # The owner is shown to logged-in users only: never in the index.
    assert found(anonymous, "voorzitter", ["onderwerp"]) == set()

    services.topic_update(topic=topic, title="Jeugdhulp", themes=[])
    assert found(anonymous, "jeugdzorg") == set()
    assert found(anonymous, "jeugdhulp") == {("onderwerp", topic.pk)}
    assert dict(results(anonymous, "jeugdhulp").facets["theme"]) == {}

    services.topic_status_change(topic=topic, status=TopicStatus.CLOSED)
    assert found(anonymous, "jeugdhulp afgesloten") == {("onderwerp", topic.pk)}
    check_index_in_step(capsys)


def test_a_topic_of_a_group_carries_the_groups_pillar(chair, sociaal):
    group = services.theme_group_create(name="Wijkteams", pillar=sociaal)
    services.participation_register(
        position=chair.person.positions.get(), theme_group=group, start_date=START
    )
    topic = services.topic_propose(theme_group=group, title="Huisbezoeken", owner=chair.person)
    hit_results = results(AnonymousUser(), "huisbezoek")
    assert {hit.object_id for hit in hit_results.hits} == {topic.pk}
    assert dict(hit_results.facets["pillar"]) == {"sociaal": 1}
    services.theme_group_update(theme_group=group, name="Buurtteams")
    assert found(AnonymousUser(), "buurtteams", ["onderwerp"]) == {("onderwerp", topic.pk)}


def test_everyone_finds_pillars_groups_and_topics(users, chair, sociaal):
    group = services.theme_group_create(name="Mantelzorg", pillar=sociaal)
    topic = services.topic_propose(
        pillar=sociaal, title="Respijtzorg", owner=chair.person, description="Mantelzorg"
    )
    expected = {("themagroep", group.pk), ("onderwerp", topic.pk)}
    for name, user in users.items():
        found_results = results(user, "mantelzorg")
        assert {(hit.kind, hit.object_id) for hit in found_results.hits} == expected, name
        assert found_results.total == 2, name
        assert dict(found_results.facets["pillar"]) == {"sociaal": 2}, name


def test_the_loader_and_a_refresh_put_back_what_the_index_lost(sociaal, capsys):
    SearchEntry.objects.filter(kind__in=KINDS).delete()
    assert found(AnonymousUser(), "sociaal", ["pijler"]) == set()
    services.pillars_reference_load()
    assert found(AnonymousUser(), "sociaal", ["pijler"]) == {("pijler", sociaal.pk)}
    check_index_in_step(capsys)


def test_a_refresh_removes_an_entry_whose_object_is_gone(sociaal, capsys):
    stale = SearchEntry.objects.get(kind="pijler", object_id=sociaal.pk)
    SearchEntry.objects.filter(pk=stale.pk).update(object_id=10_000_000)
    pillar_search.kinds_refresh()
    assert not SearchEntry.objects.filter(kind="pijler", object_id=10_000_000).exists()
    check_index_in_step(capsys)


def test_the_search_page_shows_topics_under_their_label(client, chair, sociaal):
    topic = services.topic_propose(pillar=sociaal, title="Vroegsignalering", owner=chair.person)
    response = client.get(reverse("search:page"), {"zoek": "vroegsignalering", "wat": "onderwerp"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Onderwerpen" in content
    assert reverse("pillars:topic_detail", kwargs={"topic_id": topic.pk}) in content
