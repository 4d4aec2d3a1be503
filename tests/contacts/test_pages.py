"""The pages of organisations and people through the Django test client."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from m50.accounts.models import Role
from m50.contacts.models import Organisation, Person, Position
from tests.factories import (
    MunicipalityFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("contacts:organisation_list")
TODAY = timezone.localdate()


def organisation_url(slug: str) -> str:
    return reverse("contacts:organisation_detail", args=[slug])


def person_url(pk: int) -> str:
    return reverse("contacts:person_detail", args=[pk])


class Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.levels: list[int] = []

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))


def assert_sound_headings(html: str) -> None:
    parser = Headings()
    parser.feed(html)
    levels = parser.levels
    assert levels.count(1) == 1 and levels[0] == 1, levels
    for previous, level in zip(levels, levels[1:], strict=False):
        assert level <= previous + 1, levels


def row_names(html: str) -> list[str]:
    return re.findall(
        r'<th class="utrecht-table__header-cell m50-cell-name" scope="row">\s*<a [^>]*>([^<]+)</a>',
        html,
    )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(context)


@pytest.fixture
def participant(client, user_for_role):
    client.force_login(user_for_role(Role.PARTICIPANT))
    return client


@pytest.fixture
def bureau(client, user_for_role):
    client.force_login(user_for_role(Role.BUREAU))
    return client


@pytest.fixture
def sample(db):
    diemen = MunicipalityFactory(name="Diemen", code="GM0384")
    network = NetworkFactory(code="G40", name="G40-stedennetwerk")
    town_hall = OrganisationFactory(
        kind=Organisation.Kind.MUNICIPALITY,
        name="Gemeente Diemen",
        slug="gemeente-diemen",
        website="https://www.diemen.nl/",
        municipality=diemen,
    )
    g40 = OrganisationFactory(
        kind=Organisation.Kind.PARTNER_NETWORK,
        name="G40-stedennetwerk",
        abbreviation="G40",
        slug="g40",
        network=network,
    )
    bzk = OrganisationFactory(
        kind=Organisation.Kind.MINISTRY,
        name="Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
        abbreviation="BZK",
        slug="bzk",
    )
    platform31 = OrganisationFactory(
        kind=Organisation.Kind.KNOWLEDGE_PARTNER, name="Platform31", slug="platform31"
    )
    anna = PersonFactory(
        given_name="Anna",
        surname_prefix="de",
        surname="Vries",
        email="anna@diemen.example",
        phone="020 765 4321",
    )
    PositionFactory(
        person=anna,
        organisation=town_hall,
        function=Position.Function.ALDERMAN,
        portfolio="Wonen en Financiën",
        start_date=datetime.date(2022, 6, 1),
    )
    PositionFactory(
        person=anna,
        organisation=bzk,
        function=Position.Function.POLICY_ADVISOR,
        title="Senior beleidsadviseur",
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2022, 5, 31),
    )
    return {"town_hall": town_hall, "g40": g40, "bzk": bzk, "platform31": platform31, "anna": anna}


# --- Access -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["list", "organisation", "person"])
def test_pages_need_login(client, sample, name):
    url = {
        "list": LIST,
        "organisation": organisation_url("bzk"),
        "person": person_url(sample["anna"].pk),
    }[name]
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_the_pages(client, sample, user_for_role, role):
    client.force_login(user_for_role(role))
    for url in (LIST, organisation_url("bzk"), person_url(sample["anna"].pk)):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_sound_headings(response.text)


# --- The list -----------------------------------------------------------------------------


def test_list_shows_organisations(participant, sample):
    html = participant.get(LIST).text
    assert "4 organisaties gevonden" in html
    assert row_names(html) == [
        "G40-stedennetwerk",
        "Gemeente Diemen",
        "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
        "Platform31",
    ]
    assert "ministerie" in html and "kennispartner" in html
    assert f'href="{organisation_url("bzk")}"' in html
    assert f'href="{reverse("municipalities:detail", args=["GM0384"])}"' in html
    assert "<caption" in html and 'scope="col"' in html
    assert 'for="id_zoek"' in html and 'for="id_soort"' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?soort=ministerie", ["Ministerie van Binnenlandse Zaken en Koninkrijksrelaties"]),
        ("?zoek=platform", ["Platform31"]),
        ("?zoek=bzk", ["Ministerie van Binnenlandse Zaken en Koninkrijksrelaties"]),
        ("?zoek=g&soort=partnernetwerk", ["G40-stedennetwerk"]),
        ("?zoek=niets", []),
    ],
)
def test_list_filters(participant, sample, query, expected):
    response = participant.get(LIST + query)
    assert response.status_code == 200
    assert row_names(response.text) == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?soort=bank", "Kies een soort organisatie uit de lijst; bank is geen geldige keuze."),
        ("?zoek=" + "y" * 101, "Gebruik voor de zoekterm hoogstens 100 tekens."),
    ],
)
def test_list_invalid_filter_gets_a_dutch_message(participant, sample, query, message):
    response = participant.get(LIST + query)
    assert response.status_code == 200
    assert "Niet alle filters konden worden toegepast" in response.text
    assert message in response.text
    assert len(row_names(response.text)) == 4  # the invalid filter is ignored


def test_list_paginates_and_keeps_the_filters(participant, sample):
    for number in range(30):
        OrganisationFactory(kind=Organisation.Kind.MINISTRY, name=f"Ministerie {number:02d}")
    first = participant.get(LIST + "?soort=ministerie")
    assert "31 organisaties gevonden" in first.text
    assert len(row_names(first.text)) == 25
    assert 'href="?soort=ministerie&amp;pagina=2"' in first.text
    assert 'aria-current="page"' in first.text
    second = participant.get(LIST + "?soort=ministerie&pagina=2")
    assert len(row_names(second.text)) == 6
    assert "Pagina 2 van 2" in second.text


def test_list_query_count_does_not_grow_with_data(participant):
    municipalities = MunicipalityFactory.create_batch(5)

    def add(count: int, start: int) -> None:
        Organisation.objects.bulk_create(
            Organisation(
                kind=Organisation.Kind.OTHER,
                name=f"Organisatie {number:04d}",
                slug=f"organisatie-{number:04d}",
            )
            for number in range(start, start + count)
        )

    for item in municipalities:
        OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY, municipality=item)
    add(5, 1000)
    url = LIST + "?zoek=organisatie&pagina=2"
    small = (count_queries(participant, LIST), count_queries(participant, url))
    add(990, 2000)
    assert (count_queries(participant, LIST), count_queries(participant, url)) == small


# --- An organisation ----------------------------------------------------------------------


def test_organisation_detail_shows_facts_and_positions(participant, sample):
    response = participant.get(organisation_url("gemeente-diemen"))
    assert response.status_code == 200
    html = response.text
    assert "<h1" in html and "Gemeente Diemen</h1>" in html
    assert "gemeente" in html
    assert 'href="https://www.diemen.nl/"' in html
    assert f'href="{reverse("municipalities:detail", args=["GM0384"])}"' in html
    current = html[html.index('id="huidige-functies-caption"') :]
    assert f'href="{person_url(sample["anna"].pk)}">Anna de Vries</a>' in current
    assert "wethouder" in current and "Wonen en Financiën" in current
    assert "1 juni 2022" in current and "heden" in current
    assert "Er zijn geen eerdere functies bekend." in html


def test_organisation_detail_links_its_network(participant, sample):
    html = participant.get(organisation_url("g40")).text
    assert f'href="{reverse("municipalities:list")}?netwerk=G40"' in html
    assert "partnernetwerk" in html


def test_organisation_detail_shows_past_positions(participant, sample):
    html = participant.get(organisation_url("bzk")).text
    past = html[html.index('id="eerdere-functies-caption"') :]
    assert "Anna de Vries" in past
    assert "Senior beleidsadviseur" in past
    assert "1 januari 2015" in past and "31 mei 2022" in past
    assert "Er zijn geen huidige functies bekend." in html


def test_organisation_detail_hides_contact_details_from_a_participant(participant, sample):
    html = participant.get(organisation_url("gemeente-diemen")).text
    assert "anna@diemen.example" not in html
    assert "020 765 4321" not in html
    assert "E-mailadres" not in html


@pytest.mark.parametrize("role", [Role.BUREAU, Role.PUBLIC_AFFAIRS])
def test_organisation_detail_shows_contact_details_to_who_may(client, sample, user_for_role, role):
    client.force_login(user_for_role(role))
    html = client.get(organisation_url("gemeente-diemen")).text
    assert 'href="mailto:anna@diemen.example"' in html
    assert 'href="tel:0207654321"' in html


def test_organisation_detail_unknown_slug_is_404(participant, sample):
    response = participant.get(organisation_url("bestaat-niet"))
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.text


def test_organisation_detail_query_count_does_not_grow_with_positions(bureau):
    organisation = OrganisationFactory(slug="groot")

    def add(count: int) -> None:
        people = Person.objects.bulk_create(
            Person(given_name="Piet", surname=f"Persoon {number}") for number in range(count)
        )
        Position.objects.bulk_create(
            Position(
                person=person,
                organisation=organisation,
                function=Position.Function.POLICY_ADVISOR,
                start_date=datetime.date(2010, 1, 1),
                end_date=None if number % 2 else datetime.date(2015, 1, 1),
            )
            for number, person in enumerate(people)
        )

    add(10)
    small = count_queries(bureau, organisation_url("groot"))
    add(990)
    assert count_queries(bureau, organisation_url("groot")) == small
    assert small <= 6


# --- A person -----------------------------------------------------------------------------


def test_person_detail_shows_current_and_past_positions(participant, sample):
    anna = sample["anna"]
    response = participant.get(person_url(anna.pk))
    assert response.status_code == 200
    html = response.text
    assert "Anna de Vries</h1>" in html
    current = html[
        html.index('id="huidige-functies-caption"') : html.index("Eerdere functies</h2>")
    ]
    past = html[html.index('id="eerdere-functies-caption"') :]
    assert f'href="{organisation_url("gemeente-diemen")}">Gemeente Diemen</a>' in current
    assert "Wonen en Financiën" in current
    assert f'href="{organisation_url("bzk")}"' in past
    assert "31 mei 2022" in past


def test_person_detail_hides_contact_details_from_a_participant(participant, sample):
    html = participant.get(person_url(sample["anna"].pk)).text
    assert "anna@diemen.example" not in html
    assert "020 765 4321" not in html
    assert "Contactgegevens" not in html


@pytest.mark.parametrize("role", [Role.BUREAU, Role.PUBLIC_AFFAIRS])
def test_person_detail_shows_contact_details_to_who_may(client, sample, user_for_role, role):
    client.force_login(user_for_role(role))
    html = client.get(person_url(sample["anna"].pk)).text
    assert "Contactgegevens" in html
    assert 'href="mailto:anna@diemen.example"' in html
    assert "020 765 4321" in html


def test_person_detail_unknown_id_is_404(participant, sample):
    assert participant.get(person_url(999_999)).status_code == 404


def test_person_detail_query_count_does_not_grow_with_positions(bureau):
    person = PersonFactory()

    def add(count: int, start: int) -> None:
        organisations = Organisation.objects.bulk_create(
            Organisation(kind=Organisation.Kind.OTHER, name=f"Org {number}", slug=f"org-{number}")
            for number in range(start, start + count)
        )
        Position.objects.bulk_create(
            Position(
                person=person,
                organisation=organisation,
                function=Position.Function.OTHER,
                end_date=datetime.date(2020, 1, 1) if number % 2 else None,
            )
            for number, organisation in enumerate(organisations)
        )

    add(10, 0)
    small = count_queries(bureau, person_url(person.pk))
    add(990, 10)
    assert count_queries(bureau, person_url(person.pk)) == small
    assert small <= 5


def test_anonymous_client_is_not_shown_people(sample):
    response = Client().get(person_url(sample["anna"].pk))
    assert response.status_code == 302
