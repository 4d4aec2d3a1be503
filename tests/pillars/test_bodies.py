"""Pillars and theme groups kept by the bureau: refusals in Dutch, every change audited."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from m50.core.models import AuditEvent
from m50.pillars import services
from m50.pillars.models import Pillar, PillarSuccession, ThemeGroup
from tests.factories import UserFactory
from tests.pillars.conftest import pillar

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_new_pillar_gets_a_unique_slug_and_is_audited():
    bureau = UserFactory(username="bureau")
    first = services.pillar_create(name="Veiligheid", purpose=" Openbare orde ", actor=bureau)
    second = services.pillar_create(name="Veiligheid", started_on=D(2026, 1, 1))
    assert (first.slug, second.slug) == ("veiligheid", "veiligheid-2")
    assert first.purpose == "Openbare orde" and first.is_running()
    event = AuditEvent.objects.get(action="pillar.create", object_id=str(first.pk))
    assert (event.actor, event.changes["name"]["new"]) == (bureau, "Veiligheid")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "  "}, "Vul een naam in"),
        ({"name": "Sociaal", "slug": "sociaal"}, "al in gebruik"),
        ({"name": "Matrix", "slug": "matrix"}, "gereserveerd"),
    ],
)
def test_a_pillar_refused_writes_nothing(kwargs, message):
    with pytest.raises(ValidationError, match=message):
        services.pillar_create(**kwargs)
    assert Pillar.objects.count() == 8


def test_update_and_end_are_audited_with_old_and_new():
    sociaal = pillar("sociaal")
    services.pillar_update(pillar=sociaal, purpose="Het sociaal domein", name="Sociaal")
    event = AuditEvent.objects.get(action="pillar.update")
    assert event.changes == {"purpose": {"old": "", "new": "Het sociaal domein"}}
    services.pillar_end(pillar=sociaal, ended_on=D(2026, 12, 31))
    event = AuditEvent.objects.get(action="pillar.end")
    assert event.changes["ended_on"] == {"old": None, "new": "2026-12-31"}
    assert sociaal.is_running(D(2026, 12, 31)) and not sociaal.is_running(D(2027, 1, 1))


def test_an_end_before_the_start_is_refused():
    veiligheid = services.pillar_create(name="Veiligheid", started_on=D(2026, 1, 1))
    with pytest.raises(ValidationError, match="ligt vóór de begindatum"):
        services.pillar_end(pillar=veiligheid, ended_on=D(2025, 12, 31))
    veiligheid.refresh_from_db()
    assert not veiligheid.ended


def test_the_database_keeps_an_end_date_with_an_end():
    with pytest.raises(IntegrityError), transaction.atomic():
        Pillar.objects.create(name="X", slug="x", ended_on=D(2024, 1, 1))


def test_successions_are_recorded_once_and_audited():
    bestuur, sociaal = pillar("bestuur"), pillar("sociaal")
    services.pillar_succession_add(predecessor=bestuur, successor=sociaal, note="Burgerschap")
    with pytest.raises(ValidationError, match="al vastgelegd"):
        services.pillar_succession_add(predecessor=bestuur, successor=sociaal)
    with pytest.raises(ValidationError, match="eigen opvolger"):
        services.pillar_succession_add(predecessor=sociaal, successor=sociaal)
    succession = PillarSuccession.objects.get(predecessor=bestuur)
    services.pillar_succession_remove(succession=succession)
    assert not bestuur.successors.exists()
    actions = AuditEvent.objects.filter(object_id=str(bestuur.pk)).values_list("action", flat=True)
    assert sorted(actions) == ["pillar.succession_add", "pillar.succession_remove"]


def test_theme_groups_of_a_pillar_or_of_the_network():
    sociaal = pillar("sociaal")
    group = services.theme_group_create(name="Jeugdzorg", pillar=sociaal, purpose="Jeugdwet")
    network = services.theme_group_create(name="Public affairs")
    assert (group.pillar, network.pillar) == (sociaal, None)
    with pytest.raises(ValidationError, match="De pijler Samenleving is beëindigd"):
        services.theme_group_create(name="Zorg", pillar=pillar("samenleving"))
    with pytest.raises(ValidationError, match="beëindigd"):
        services.theme_group_update(theme_group=group, pillar=pillar("samenleving"))
    services.theme_group_update(theme_group=group, pillar=pillar("financieel"))
    group.refresh_from_db()
    assert group.pillar.slug == "financieel"
    assert AuditEvent.objects.get(action="theme_group.update").changes["pillar"] == {
        "old": "Sociaal",
        "new": "Financieel",
    }
    services.theme_group_end(theme_group=network, ended_on=D(2026, 6, 30))
    assert not ThemeGroup.objects.get(pk=network.pk).is_running(D(2026, 7, 1))
