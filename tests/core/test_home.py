"""The home page and the page shell every page shares (base.html)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from m50.accounts.models import Role
from m50.municipalities.models import Municipality, PopulationCount
from tests.factories import (
    MunicipalityFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    PopulationCountFactory,
    ProvinceFactory,
)

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")


@pytest.fixture
def registry_sample(db):
    network = NetworkFactory(code="M50")
    for number, inhabitants in enumerate((12_000, 45_000, 52_000, 79_999, 120_000)):
        item = MunicipalityFactory(name=f"Plaats {number}", code=f"GM05{number:02d}")
        PopulationCountFactory(municipality=item, year=2024, inhabitants=inhabitants)
        if inhabitants in (45_000, 120_000):
            NetworkMembershipFactory(network=network, municipality=item)


def test_home_says_what_the_network_is(client, registry_sample):
    response = client.get(HOME)
    assert response.status_code == 200
    html = response.text
    assert 'lang="nl"' in html
    assert re.findall(r"<h1[ >]", html) == ["<h1 "]
    assert "het netwerk van middelgrote gemeenten" in html
    assert "30.000 tot 80.000 inwoners" in html


def test_home_shows_the_registry_summary(client, registry_sample):
    html = client.get(HOME).text
    figures = html[html.index('class="m50-figures"') :]
    figures = figures[: figures.index("</dl>")]
    numbers = re.findall(r"<dd[^>]*>\s*([\d.]+)\s*</dd>", figures)
    assert numbers == ["5", "3", "2"]
    assert "1 januari 2024" in html
    assert f'href="{reverse("municipalities:list")}"' in html


def test_home_summary_uses_thousand_separators(client):
    province = ProvinceFactory()
    items = Municipality.objects.bulk_create(
        Municipality(name=f"G {number}", code=f"GM{number:04d}", province=province)
        for number in range(1200)
    )
    PopulationCount.objects.bulk_create(
        PopulationCount(municipality=item, year=2024, inhabitants=40_000) for item in items
    )
    html = client.get(HOME).text
    assert ">1.200<" in html.replace(" ", "").replace("\n", "")


def test_home_works_on_an_empty_registry(client):
    response = client.get(HOME)
    assert response.status_code == 200
    assert "Het register is nog leeg." in response.text


def test_page_shell_has_skip_link_navigation_and_language_switch(client):
    html = client.get(HOME).text
    assert '<a class="utrecht-skip-link' in html and 'href="#main"' in html
    assert 'id="main"' in html
    assert re.search(r'<nav class="m50-nav" aria-label="Hoofdmenu"', html)
    assert f'href="{reverse("municipalities:list")}"' in html
    assert "Lidmaatschap" in html and "binnenkort" in html
    # People and prospects are not offered to anonymous visitors.
    assert f'href="{reverse("contacts:organisation_list")}"' not in html
    assert f'href="{reverse("municipalities:prospects")}"' not in html
    assert f'action="{reverse("set_language")}"' in html
    assert '<label class="utrecht-form-label" for="language">' in html
    assert "Inloggen" in html


def test_page_shell_marks_the_current_section(client):
    html = client.get(reverse("municipalities:list")).text
    link = re.search(r'<a class="m50-nav__link"[^>]*aria-current="page"[^>]*>([^<]+)</a>', html)
    assert link and link.group(1).strip() == "Gemeenten"


def test_logged_in_user_gets_logout_as_a_post_form(client, user_for_role):
    client.force_login(user_for_role(Role.BUREAU, first_name="Bea", last_name="Bureau"))
    html = client.get(HOME).text
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', html, re.S)
    assert form and form.group(1) == reverse("accounts:logout")
    assert "csrfmiddlewaretoken" in form.group(2)
    assert "Uitloggen" in form.group(2)
    assert "Bea Bureau" in html
    assert f'href="{reverse("contacts:organisation_list")}"' in html
    assert f'href="{reverse("municipalities:prospects")}"' in html


def test_home_query_count_does_not_grow_with_data(client):
    province = ProvinceFactory()

    def add(count: int, start: int) -> None:
        items = Municipality.objects.bulk_create(
            Municipality(name=f"G {number}", code=f"GM{number:04d}", province=province)
            for number in range(start, start + count)
        )
        PopulationCount.objects.bulk_create(
            PopulationCount(municipality=item, year=2024, inhabitants=30_000 + number)
            for number, item in enumerate(items)
        )

    add(10, 1000)
    with CaptureQueriesContext(connection) as small:
        client.get(HOME)
    add(990, 2000)
    with CaptureQueriesContext(connection) as large:
        client.get(HOME)
    assert len(small) == len(large)


@pytest.mark.django_db
def test_only_the_exact_page_is_the_current_page_in_the_menu(client, user_for_role):
    client.force_login(user_for_role(Role.BUREAU))
    html = client.get("/gemeenten/kansrijk/").text
    assert html.count('aria-current="page"') == 1
    assert 'href="/gemeenten/kansrijk/" aria-current="page"' in html
    assert 'href="/gemeenten/" aria-current' not in html
    html = client.get("/organisaties/?soort=ministerie").text
    assert 'href="/organisaties/" aria-current="page"' in html
