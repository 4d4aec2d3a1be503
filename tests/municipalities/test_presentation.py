"""How the registry pages present sources and forecasts (with the shipped data)."""

import pytest
from django.urls import reverse

from m50.accounts.models import Role
from m50.municipalities import selectors
from m50.municipalities.templatetags.registry import register_name

POLDER = (
    "https://github.com/anneschuth/polder/blob/82b2d3b07f6d8ec2cfc2efe79e60856e56008227/"
    "data/organisaties/gemeenten/diemen.yaml"
)


@pytest.mark.parametrize(
    ("url", "name"),
    [
        (POLDER, "OIN-register van Logius en Register van Overheidsorganisaties (via Polder)"),
        ("https://oinregister.logius.nl/pubproxy/organisations/public", "OIN-register van Logius"),
        ("https://organisaties.overheid.nl/export/", "Register van Overheidsorganisaties"),
        ("https://www.example.org/registers/gemeenten.csv", "example.org"),
    ],
)
def test_a_source_is_named_by_its_register(url, name):
    assert register_name(url) == name


def test_the_identifier_source_shows_the_register_and_its_date_not_the_url(client, registry):
    page = client.get(reverse("municipalities:detail", args=["GM0384"])).text
    source = page[page.index("Bron identificatie") :]
    source = source[: source.index("</dd>")]
    assert (
        "OIN-register van Logius en Register van Overheidsorganisaties (via Polder)</a>, "
        "peildatum 16 mei 2026" in source
    )
    assert f'href="{POLDER}"' in source  # still a link to the record itself
    assert f">{POLDER}<" not in source


def test_a_forecast_is_labelled_as_such_with_its_basis(client, registry, user_for_role):
    _in_band, approaching = selectors.prospect_lists()
    assert approaching, "the shipped data hold municipalities growing into the band"
    prospect = approaching[0]
    client.force_login(user_for_role(Role.BUREAU))
    page = client.get(reverse("municipalities:prospects")).text
    assert "Prognose: in de bandbreedte op 1 januari" in page
    assert "gemiddelde jaarlijkse groei (samengesteld)" in page
    assert "geen prognose van het CBS" in page
    row = page[page.index(f">{prospect.municipality.name}</a>") :]
    row = row[: row.index("</tr>")]
    assert f"{prospect.expected_in_band_in} " in row
    assert f"(prognose, groei {prospect.forecast_from}–{prospect.year})" in row
    assert prospect.forecast_from < prospect.year
