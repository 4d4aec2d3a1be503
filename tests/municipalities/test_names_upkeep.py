"""The names of municipalities kept in step: on create and rename, when a name in use is added
or removed, by the refresh; a bad alias file refused; the name search's query count."""

from __future__ import annotations

import html
import importlib
import shutil
from io import StringIO
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from m50.municipalities import selectors, services
from m50.municipalities.models import Municipality, MunicipalityAlias, MunicipalitySearchTerm
from tests.factories import MunicipalityFactory, ProvinceFactory
from tests.municipalities.test_pages import bulk_municipalities

pytestmark = pytest.mark.django_db

LIST = reverse("municipalities:list")
API_LIST = "/api/v1/gemeenten"


def found(text: str, **filters) -> list[str]:
    return [m.name for m in selectors.municipality_list(search=text, **filters)]


# --- Kept in step --------------------------------------------------------------------------


def test_a_new_municipality_is_found_at_once_and_a_renamed_one_by_its_new_name_only():
    municipality = MunicipalityFactory(name="Oud-Súdwest", code="GM8001")
    assert municipality.search_name == "oud sudwest"
    assert found("oud sudwest") == ["Oud-Súdwest"]
    municipality = Municipality.objects.get(pk=municipality.pk)
    municipality.name = "Nij Fryslân"
    municipality.save()
    assert found("oud sudwest") == []
    assert found("Nij Fryslan") == ["Nij Fryslân"]
    assert Municipality.objects.get(pk=municipality.pk).search_name == "nij fryslan"
    assert set(municipality.search_terms.values_list("term", flat=True)) == {
        "nij",
        "fryslan",
        "nijfryslan",
    }


def test_an_alias_added_or_removed_is_found_or_no_longer_found():
    municipality = MunicipalityFactory(name="'s-Gravenhage", code="GM0518")
    assert found("Den Haag") == []
    alias = MunicipalityAlias.objects.create(
        municipality=municipality,
        name="Den Haag",
        kind=MunicipalityAlias.Kind.REGISTER,
        source="Logius",
    )
    assert alias.search_name == "den haag"
    assert found("Den Haag") == ["'s-Gravenhage"]
    alias.delete()
    assert found("Den Haag") == []
    assert found("Gravenhage") == ["'s-Gravenhage"]


def test_refreshing_current_names_reads_three_times_and_writes_nothing(django_assert_num_queries):
    province = ProvinceFactory()
    bulk_municipalities(50, 1000, province)  # in bulk: no search terms yet
    assert found("Gemeente 1001") == []
    counts = services.municipality_names_refresh()
    assert counts.created == 50 * 3  # "gemeente", the number, and the two run together
    assert found("Gemeente 1001") == ["Gemeente 1001"]
    with django_assert_num_queries(3):
        counts = services.municipality_names_refresh()
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 150)


def test_a_stale_search_term_is_removed():
    municipality = MunicipalityFactory(name="Diemen", code="GM0384")
    MunicipalitySearchTerm.objects.create(municipality=municipality, term="verkeerd")
    assert found("verkeerd") == ["Diemen"]
    counts = services.municipality_names_refresh(municipality_ids=[municipality.pk])
    assert counts.updated == 1
    assert found("verkeerd") == []


def test_a_bad_alias_file_is_refused_with_its_lines_and_nothing_is_written(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(settings.DATA_DIR, data_dir)
    path = data_dir / services.ALIASES_FILE
    rows = path.read_text(encoding="utf-8").splitlines()
    rows.append("GM9999,Nergens,Nergensdorp,algemeen gebruik,algemeen taalgebruik,")
    rows.append("GM0518,'s-Gravenhage,Haagje,bijnaam,algemeen taalgebruik,")
    rows.append("GM0518,'s-Gravenhage,!!!,algemeen gebruik,,")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(services.ReferenceDataError) as caught:
        services.reference_data_load(data_dir=data_dir)
    messages = [str(problem) for problem in caught.value.problems]
    assert messages == [
        "regel 23: onbekende gemeentecode GM9999",
        "regel 24: onbekende soort naam 'bijnaam'",
        "regel 25: ongeldige naam '!!!'",
        "regel 25: bron ontbreekt",
    ]
    assert not Municipality.objects.exists()
    assert not MunicipalityAlias.objects.exists()


# --- Query counts --------------------------------------------------------------------------


def count_queries(client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context)


def test_a_name_search_costs_the_same_queries_for_10_as_for_1000_municipalities(client):
    province = ProvinceFactory()
    haag = MunicipalityFactory(name="'s-Gravenhage", code="GM0518", province=province)
    MunicipalityAlias.objects.create(
        municipality=haag, name="Den Haag", kind=MunicipalityAlias.Kind.REGISTER, source="Logius"
    )
    searches = [{"zoek": "Den Haag"}, {"zoek": "gemeente"}, {"zoek": "0518"}]

    def counts() -> list[int]:
        return [
            count_queries(client, url, params) for url in (LIST, API_LIST) for params in searches
        ]

    bulk_municipalities(10, 1000, province, lambda n: {2024: 40_000 + n})
    services.municipality_names_refresh()
    small = counts()
    bulk_municipalities(990, 2000, province, lambda n: {2024: 40_000 + n})
    services.municipality_names_refresh()
    assert counts() == small
    page = html.unescape(client.get(LIST, {"zoek": "gem"}).text)
    assert "1.000 gemeenten gevonden" in page  # all "Gemeente NNNN", not 's-Gravenhage


# --- The migration and the index -----------------------------------------------------------


def test_the_migration_fills_the_search_forms_of_existing_municipalities():
    from django.apps import apps

    migration = importlib.import_module("m50.municipalities.migrations.0002_names")
    province = ProvinceFactory()
    bulk_municipalities(2, 1000, province)
    Municipality.objects.bulk_create(
        [Municipality(name="Súdwest-Fryslân", code="GM1900", province=province)]
    )
    assert found("Sudwest") == []
    # The function reads only the connection of its schema editor.
    migration.fill_search_forms(apps, SimpleNamespace(connection=connection))
    assert Municipality.objects.get(code="GM1900").search_name == "sudwest fryslan"
    assert found("Sudwest") == ["Súdwest-Fryslân"]
    assert found("gemeente 1001") == ["Gemeente 1001"]


def test_the_name_lookup_is_an_index_search():
    """Each typed word is looked up in the index on the search terms, on both databases."""
    MunicipalityFactory(name="'s-Hertogenbosch", code="GM0796")
    sql, params = selectors.municipality_list(search="den bosch").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert (
                plan.count("USING INDEX municipalities_search_term_nocase (term>? AND term<?)") == 2
            )
        else:
            # The tables are tiny: without this the planner rightly scans them.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "municipalitysearchterm_term_" in plan and "_like" in plan
            assert "~>=~ 'den'" in plan


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("!!!", "Een naam heeft ten minste één letter of cijfer."),
        ("'s Gravenhage", "Dit is de officiële naam van de gemeente al."),
        ("den-haag", "Deze gemeente heeft deze naam al."),
    ],
)
def test_an_alias_that_adds_nothing_is_refused_in_dutch(name, message):
    haag = MunicipalityFactory(name="'s-Gravenhage", code="GM0518")
    MunicipalityAlias.objects.create(
        municipality=haag, name="Den Haag", kind=MunicipalityAlias.Kind.REGISTER, source="Logius"
    )
    alias = MunicipalityAlias(
        municipality=haag, name=name, kind=MunicipalityAlias.Kind.COMMON, source="gebruik"
    )
    with pytest.raises(ValidationError) as caught:
        alias.full_clean(exclude=["search_name"])  # as the admin's form does
    assert caught.value.message_dict == {"name": [message]}
    assert MunicipalityAlias.objects.count() == 1


def test_load_reference_data_on_a_fresh_database_makes_the_names_searchable():
    """What ``make run`` does on a new database: migrate (the test database is), then load."""
    out = StringIO()
    call_command("load-reference-data", stdout=out)
    assert "Andere namen van gemeenten: 21 nieuw, 0 bijgewerkt, 0 ongewijzigd" in out.getvalue()
    assert found("Den Haag") == ["'s-Gravenhage"]
    assert found("Sudwest-Fryslan") == ["Súdwest-Fryslân"]
    assert not Municipality.objects.filter(search_name="").exists()
    assert MunicipalitySearchTerm.objects.filter(municipality__code="GM0518").count() == 6
