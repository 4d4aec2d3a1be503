"""The home page and the page shell every page shares (base.html)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

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
    assert "Lidmaatschap" in html and "binnenkort" not in html
    # People, prospects and public affairs are not offered to anonymous visitors.
    assert f'href="{reverse("publicaffairs:overview")}"' not in html
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


# --- A start page for every role --------------------------------------------------------------


def _own_municipality(user_for_role):
    """Houten, an aspirant without a mandate, with one rejected and one pending proposal, an
    invoice, invoice details without a city, and a current alderman."""
    from m50.contacts.models import Organisation
    from m50.finance import services as finance_services
    from m50.membership import services
    from m50.membership.models import DecidingBody, DecisionKind
    from tests.factories import OrganisationFactory, PersonFactory, PositionFactory

    houten = MunicipalityFactory(name="Houten", code="GM0321")
    contact = user_for_role(Role.MEMBER_CONTACT, municipality=houten, email="c@houten.example")
    bureau = user_for_role(Role.BUREAU)
    membership = services.membership_for(municipality=houten)
    today = timezone.localdate()
    decided = today - datetime.timedelta(days=40)
    services.decision_record(
        membership=membership,
        kind=DecisionKind.ASPIRANT,
        deciding_body=DecidingBody.COLLEGE,
        decided_on=decided,
    )
    proposal = services.proposal_create(
        membership=membership,
        actor=contact,
        kind=DecisionKind.DEFINITIVE,
        deciding_body=DecidingBody.COLLEGE,
        decided_on=today - datetime.timedelta(days=2),
        document_title="Concept collegebesluit",
    )
    services.proposal_reject(proposal=proposal, reason="Alleen een concept.", actor=bureau)
    services.proposal_create(
        membership=membership,
        actor=contact,
        kind=DecisionKind.DEFINITIVE,
        deciding_body=DecidingBody.COLLEGE,
        decided_on=today - datetime.timedelta(days=1),
        document_title="Getekend collegebesluit",
    )
    finance_services.billing_details_update(
        municipality=houten, name="Gemeente Houten", address_line="Postbus 30", oin="1" * 20
    )
    organisation = OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY, municipality=houten)
    PositionFactory(
        organisation=organisation,
        person=PersonFactory(given_name="Wim", surname="Wethouder"),
        start_date=datetime.date(2022, 6, 1),
    )
    return houten, contact, decided


def test_a_contact_starts_at_its_own_municipality(client, user_for_role):
    from m50.membership import rules

    houten, contact, decided = _own_municipality(user_for_role)
    client.force_login(contact)
    response = client.get(HOME)
    assert response.status_code == 200
    html = response.text
    page = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "Gemeente Houten in het M50" in page
    end = date_format(rules.add_one_year(decided), "j F Y")
    assert f"aspirant-lid sinds {date_format(decided, 'j F Y')}" in page
    assert f"Het aspirantjaar loopt tot en met {end}" in page
    assert "Reden van afwijzing: Alleen een concept." in page
    assert "In behandeling bij het bureau" in page and "Getekend collegebesluit" in page
    assert "Voor een e-factuur ontbreken nog gegevens" in page
    assert f'href="{reverse("reports:billing_change")}"' in html
    assert f'href="{reverse("membership:proposal_create", args=["GM0321"])}"' in html
    assert "Wim Wethouder" in page
    assert 'id="facturen"' in html  # the contact sees its invoices


def test_a_participant_starts_at_its_municipality_without_money(client, user_for_role):
    houten, _contact, _decided = _own_municipality(user_for_role)
    client.force_login(user_for_role(Role.PARTICIPANT, municipality=houten))
    html = client.get(HOME).text
    assert "Gemeente Houten in het M50" in html
    assert "Reden van afwijzing" in html and "Wim Wethouder" in html
    assert 'id="facturen"' not in html and 'id="factuurgegevens"' not in html
    assert reverse("reports:billing_change") not in html
    assert reverse("membership:proposal_create", args=["GM0321"]) not in html


@pytest.mark.parametrize("role", [Role.PUBLIC_AFFAIRS, Role.PILLAR_CHAIR])
def test_other_roles_keep_the_front_page(client, user_for_role, role):
    client.force_login(user_for_role(role))
    html = client.get(HOME).text
    assert "het netwerk van middelgrote gemeenten" in html
    assert "Werkvoorraad" not in html


def test_municipal_home_query_count_does_not_grow_with_data(client, user_for_role):
    from m50.membership import services
    from m50.membership.models import DecidingBody, DecisionKind
    from tests.factories import PositionFactory

    houten, contact, _decided = _own_municipality(user_for_role)
    client.force_login(contact)
    with CaptureQueriesContext(connection) as small:
        assert client.get(HOME).status_code == 200
    membership = services.membership_for(municipality=houten)
    for number in range(30):
        services.proposal_create(
            membership=membership,
            actor=contact,
            kind=DecisionKind.DEFINITIVE,
            deciding_body=DecidingBody.COLLEGE,
            decided_on=timezone.localdate(),
            document_title=f"Besluit {number}",
        )
    PositionFactory.create_batch(50, organisation=houten.organisation)
    with CaptureQueriesContext(connection) as large:
        assert client.get(HOME).status_code == 200
    assert len(small) == len(large)
