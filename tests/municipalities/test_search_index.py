"""Municipalities in the search index: everyone finds them by their official name, their names
in use and their province; the reference load fills the index (and a second load writes
nothing), and a rename or a new name in use follows at once."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from m50.accounts.models import Role
from m50.core.models import SearchEntry
from m50.knowledge import search
from m50.municipalities import search as registry_search
from m50.municipalities import services
from m50.municipalities.models import Municipality, MunicipalityAlias
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

KINDS = ("gemeente",)


def results(user, text, **options):
    return search.search(user=user, text=text, kinds=KINDS, **options)


def found(user, text) -> set[str]:
    return {hit.title for hit in results(user, text).hits}


def test_the_reference_load_puts_every_municipality_in_the_index(registry):
    assert SearchEntry.objects.filter(kind="gemeente").count() == Municipality.objects.count()
    anonymous = AnonymousUser()
    assert found(anonymous, "diemen") == {"Diemen"}
    # By a name in use and by a Frisian name, not only by the official one.
    assert found(anonymous, '"den haag"') == {"'s-Gravenhage"}
    assert found(anonymous, "grins") == {"Groningen"}
    diemen = results(anonymous, "diemen")
    assert diemen.total == 1
    assert diemen.facets["municipality"] == [("GM0384", 1)]
    assert diemen.hits[0].url == "/gemeenten/GM0384/"
    call_command("rebuild-search-index", "--check")


def test_a_second_load_writes_nothing_to_the_index(registry):
    before = list(SearchEntry.objects.filter(kind="gemeente").values_list("pk", "title", "body"))
    with CaptureQueriesContext(connection) as queries:
        assert registry_search.refresh() == 0
    assert not [q for q in queries.captured_queries if q["sql"].lstrip().startswith("INSERT")]
    services.reference_data_load(data_dir=settings.DATA_DIR)
    after = list(SearchEntry.objects.filter(kind="gemeente").values_list("pk", "title", "body"))
    assert after == before


def test_a_dissolved_municipality_stays_findable_and_says_so(registry):
    dissolved = Municipality.objects.filter(dissolved_on__isnull=False).first()
    entry = SearchEntry.objects.get(kind="gemeente", object_id=dissolved.pk)
    assert "opgeheven op" in entry.summary
    assert dissolved.name in found(AnonymousUser(), dissolved.name)


def test_the_search_page_finds_diemen_as_a_municipality(registry, client):
    response = client.get("/zoeken/", {"zoek": "diemen"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Gemeenten" in content
    assert "/gemeenten/GM0384/" in content
    only = client.get("/zoeken/", {"zoek": "diemen", "wat": "gemeente"})
    assert "/gemeenten/GM0384/" in only.content.decode()


def test_a_new_municipality_a_rename_and_a_name_in_use_follow_at_once():
    municipality = MunicipalityFactory(name="Oostermeerland", code="GM9911")
    anonymous = AnonymousUser()
    assert found(anonymous, "oostermeerland") == {"Oostermeerland"}
    municipality.name = "Westermeerland"
    municipality.save()
    assert found(anonymous, "oostermeerland") == set()
    assert found(anonymous, "westermeerland") == {"Westermeerland"}
    alias = MunicipalityAlias.objects.create(
        municipality=municipality,
        name="Meerlân",
        kind=MunicipalityAlias.Kind.FRISIAN,
        source="test",
    )
    assert found(anonymous, "meerlan") == {"Westermeerland"}
    alias.delete()
    assert found(anonymous, "meerlan") == set()
    municipality.dissolved_on = datetime.date(2026, 1, 1)
    municipality.save()
    assert "opgeheven op 1 januari 2026" in (
        SearchEntry.objects.get(kind="gemeente", object_id=municipality.pk).summary
    )
    call_command("rebuild-search-index", "--check")
    pk = municipality.pk
    municipality.delete()
    assert not SearchEntry.objects.filter(kind="gemeente", object_id=pk).exists()
    call_command("rebuild-search-index", "--check")


@pytest.mark.parametrize("role", [None, *Role])
def test_everyone_finds_municipalities(user_for_role, role):
    MunicipalityFactory(name="Zuiderzeestad", code="GM9912")
    user = user_for_role(role) if role else AnonymousUser()
    found_results = results(user, "zuiderzeestad")
    assert [hit.title for hit in found_results.hits] == ["Zuiderzeestad"]
    assert found_results.total == 1
    assert found_results.kinds == [("gemeente", 1)]
    assert found_results.facets["municipality"] == [("GM9912", 1)]


def test_a_bulk_delete_in_the_admin_takes_names_and_municipalities_out(rf):
    municipality = MunicipalityFactory(name="Noorderveld", code="GM9913")
    MunicipalityAlias.objects.create(
        municipality=municipality, name="Noardfjild", kind="frisian", source="test"
    )
    anonymous = AnonymousUser()
    assert found(anonymous, "noardfjild") == {"Noorderveld"}
    request = rf.post("/beheer/")
    admin.site._registry[MunicipalityAlias].delete_queryset(
        request, MunicipalityAlias.objects.filter(municipality=municipality)
    )
    assert found(anonymous, "noardfjild") == set()
    assert found(anonymous, "noorderveld") == {"Noorderveld"}
    admin.site._registry[Municipality].delete_queryset(
        request, Municipality.objects.filter(pk=municipality.pk)
    )
    assert found(anonymous, "noorderveld") == set()
    call_command("rebuild-search-index", "--check")
