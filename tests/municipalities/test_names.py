"""Municipalities found by the names people use, on the shipped reference data: official names,
with or without accents, case and punctuation, a word of a long name, the names in use (Den Haag,
Den Bosch), codes; through the selectors, the registry page and the API."""

from __future__ import annotations

import csv
import html

import pytest
from django.conf import settings
from django.urls import reverse

from m50.municipalities import selectors, services
from m50.municipalities.models import (
    Municipality,
    MunicipalityAlias,
    search_form,
)
from tests.municipalities.test_pages import row_names

pytestmark = pytest.mark.django_db

LIST = reverse("municipalities:list")
API_LIST = "/api/v1/gemeenten"


def found(text: str, **filters) -> list[str]:
    return [m.name for m in selectors.municipality_list(search=text, **filters)]


# --- The examples, on the shipped reference data -------------------------------------------

EXAMPLES = [
    # Names in use rather than the official ones.
    ("Den Haag", ["'s-Gravenhage"]),
    ("den haag", ["'s-Gravenhage"]),
    ("DEN HAAG", ["'s-Gravenhage"]),
    ("denhaag", ["'s-Gravenhage"]),
    ("Den Bosch", ["'s-Hertogenbosch"]),
    ("den-bosch", ["'s-Hertogenbosch"]),
    ("Ljouwert", ["Leeuwarden"]),
    ("Grins", ["Groningen"]),
    ("De Friese Meren", ["De Fryske Marren"]),
    ("Dantumadeel", ["Dantumadiel"]),
    ("Tietjerksteradeel", ["Tytsjerksteradiel"]),
    ("Zuidwest-Friesland", ["Súdwest-Fryslân"]),
    ("Nuenen c.a.", ["Nuenen, Gerwen en Nederwetten"]),
    # Official names with an apostrophe, typed in every way.
    ("'s-Hertogenbosch", ["'s-Hertogenbosch"]),
    ("s hertogenbosch", ["'s-Hertogenbosch"]),
    ("s-hertogenbosch", ["'s-Hertogenbosch"]),
    ("shertogenbosch", ["'s-Hertogenbosch"]),
    ("’s-Hertogenbosch", ["'s-Hertogenbosch"]),  # a typographic apostrophe
    ("Hertogenbosch", ["'s-Hertogenbosch"]),
    ("'s-Gravenhage", ["'s-Gravenhage"]),
    ("s Gravenhage", ["'s-Gravenhage"]),
    ("Gravenhage", ["'s-Gravenhage"]),
    # Frisian spellings, accents optional.
    ("Súdwest-Fryslân", ["Súdwest-Fryslân"]),
    ("Sudwest-Fryslan", ["Súdwest-Fryslân"]),
    ("sudwest fryslan", ["Súdwest-Fryslân"]),
    ("SUDWEST FRYSLAN", ["Súdwest-Fryslân"]),
    ("sudwestfryslan", ["Súdwest-Fryslân"]),
    ("Noardeast-Fryslan", ["Noardeast-Fryslân"]),
    # A word of a long official name.
    ("Fryslan", ["Noardeast-Fryslân", "Súdwest-Fryslân"]),
    ("Noardeast", ["Noardeast-Fryslân"]),
    ("Marren", ["De Fryske Marren"]),
    ("Nuenen", ["Nuenen, Gerwen en Nederwetten"]),
    ("Nederwetten", ["Nuenen, Gerwen en Nederwetten"]),
    ("Voorburg", ["Leidschendam-Voorburg"]),
    # Hyphens and spaces as the CBS does not write them; IJ in any case.
    ("Hendrik-Ido Ambacht", ["Hendrik-Ido-Ambacht"]),
    ("Oost-Gelre", ["Oost Gelre"]),
    ("capelle aan den ijssel", ["Capelle aan den IJssel"]),
    # The two Bergens and their province letters.
    # "Berg en Dal" run together begins with "bergen" too.
    ("Bergen", ["Berg en Dal", "Bergen (L.)", "Bergen (NH.)", "Bergen op Zoom"]),
    ("Bergen NH", ["Bergen (NH.)"]),
    ("bergen (l)", ["Bergen (L.)"]),
    # Codes, with or without the prefix and leading zeros.
    ("GM0384", ["Diemen"]),
    ("gm0384", ["Diemen"]),
    ("GM 0384", ["Diemen"]),
    ("0384", ["Diemen"]),
    ("384", ["Diemen"]),
    # The beginning of a name as it is typed.
    ("diem", ["Diemen"]),
    ("s-herto", ["'s-Hertogenbosch"]),
    # Nothing to match: letters inside a word, a name that is not one, no letters at all.
    ("ertogenbosch", []),
    ("Den Haag Bosch", []),
    ("!!!", []),
    ("GM9999", []),
]


@pytest.mark.parametrize(("text", "expected"), EXAMPLES)
def test_the_selector_finds_the_municipality_people_mean(registry, text, expected):
    assert found(text) == expected


def test_every_current_municipality_is_found_by_its_own_name_in_any_form(registry):
    current = list(Municipality.objects.filter(dissolved_on__isnull=True))
    assert len(current) == 342
    for municipality in current:
        for text in (municipality.name, municipality.name.upper(), search_form(municipality.name)):
            assert municipality.name in found(text), text
        assert found(municipality.code[2:]) == [municipality.name]


def test_every_shipped_alias_names_its_municipality(registry):
    with (settings.DATA_DIR / services.ALIASES_FILE).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == MunicipalityAlias.objects.count() == 21
    for row in rows:
        named = [m.code for m in selectors.municipalities_named(text=row["naam"])]
        assert named == [row["gm_code"]], row["naam"]
        assert row["gm_code"] in [
            m.code for m in selectors.municipalities_by_typed_name(text=row["naam"])
        ]


def test_the_status_filter_applies_to_a_name_search(registry):
    # Weesp went into Amsterdam in 2022: a dissolved municipality is found when asked for.
    assert found("Weesp") == []
    assert found("Weesp", status=selectors.Status.ALL) == ["Weesp"]
    assert found("Weesp", status=selectors.Status.DISSOLVED) == ["Weesp"]


def test_municipalities_named_is_exact_and_by_typed_name_puts_the_exact_one_first(registry):
    assert [m.name for m in selectors.municipalities_named(text="den haag")] == ["'s-Gravenhage"]
    assert list(selectors.municipalities_named(text="Bergen")) == []
    assert list(selectors.municipalities_named(text="Fryslan")) == []
    assert [m.code for m in selectors.municipalities_named(text="0518")] == ["GM0518"]
    typed = [m.name for m in selectors.municipalities_by_typed_name(text="utrecht")]
    assert typed == ["Utrecht", "Utrechtse Heuvelrug"]
    typed = [m.name for m in selectors.municipalities_by_typed_name(text="Bergen op Zoom")]
    assert typed == ["Bergen op Zoom"]
    typed = [m.name for m in selectors.municipalities_by_typed_name(text="bergen")]
    assert typed == ["Berg en Dal", "Bergen (L.)", "Bergen (NH.)", "Bergen op Zoom"]


def test_the_code_of_a_typed_text():
    assert selectors.municipality_code_of("gm 384") == "GM0384"
    assert selectors.municipality_code_of(" 0518 ") == "GM0518"
    assert selectors.municipality_code_of("GM12345") is None
    assert selectors.municipality_code_of("Diemen") is None


# --- Through the registry page and the API ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Den Haag", ["'s-Gravenhage"]),
        ("Den Bosch", ["'s-Hertogenbosch"]),
        ("s hertogenbosch", ["'s-Hertogenbosch"]),
        ("Sudwest-Fryslan", ["Súdwest-Fryslân"]),
        ("Fryslan", ["Noardeast-Fryslân", "Súdwest-Fryslân"]),
        ("Noardeast", ["Noardeast-Fryslân"]),
        ("GM0384", ["Diemen"]),
        ("0384", ["Diemen"]),
    ],
)
def test_the_registry_page_and_the_api_find_the_same(client, registry, text, expected):
    response = client.get(LIST, {"zoek": text})
    assert response.status_code == 200
    assert [html.unescape(name) for name in row_names(response.text)] == expected
    response = client.get(API_LIST, {"zoek": text})
    assert response.status_code == 200
    assert [item["name"] for item in response.json()["results"]] == expected


# --- The reference load --------------------------------------------------------------------


def test_the_reference_load_ships_the_aliases_and_a_second_run_changes_nothing(registry):
    assert registry.counts["aliases"].created == 21
    haag = MunicipalityAlias.objects.get(name="Den Haag")
    assert haag.municipality.code == "GM0518"
    assert haag.kind == MunicipalityAlias.Kind.REGISTER
    assert "Logius" in haag.source
    assert MunicipalityAlias.objects.get(name="Den Bosch").kind == MunicipalityAlias.Kind.COMMON
    assert not Municipality.objects.filter(search_name="").exists()
    report = services.reference_data_load(data_dir=settings.DATA_DIR)
    assert not report.changed
    assert report.counts["aliases"].unchanged == 21
    assert "Andere namen van gemeenten: 0 nieuw, 0 bijgewerkt, 21 ongewijzigd" in report.lines()
