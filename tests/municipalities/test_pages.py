"""The registry pages through the Django test client: list, municipality, prospects."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from m50.accounts.models import Role
from m50.contacts.models import Organisation, Position
from m50.core.versions import REGISTRY, data_version_bump
from m50.municipalities.models import BoundaryChange, Municipality, PopulationCount
from tests.factories import (
    MunicipalityFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    PersonFactory,
    PopulationCountFactory,
    PositionFactory,
    ProvinceFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("municipalities:list")
PROSPECTS = reverse("municipalities:prospects")
YEARS = range(2019, 2025)


def detail_url(code: str) -> str:
    return reverse("municipalities:detail", args=[code])


def municipality(name: str, code: str, series: dict[int, int], **kwargs) -> Municipality:
    item = MunicipalityFactory(name=name, code=code, **kwargs)
    for year, inhabitants in series.items():
        PopulationCountFactory(municipality=item, year=year, inhabitants=inhabitants, source="CBS")
    return item


def bulk_municipalities(count: int, start: int, province, series=None) -> list[Municipality]:
    """``count`` municipalities with codes from GM``start`` on, each with a population series.

    ``series(number)`` gives the series of the municipality with that number. Created in bulk
    and with explicit codes, so large sizes are quick and never exhaust the factory sequence.
    """
    items = Municipality.objects.bulk_create(
        Municipality(name=f"Gemeente {number:04d}", code=f"GM{number:04d}", province=province)
        for number in range(start, start + count)
    )
    if series:
        PopulationCount.objects.bulk_create(
            PopulationCount(municipality=item, year=year, inhabitants=inhabitants, source="CBS")
            for number, item in enumerate(items, start)
            for year, inhabitants in series(number).items()
        )
    return items


def linear(first: int, last: int) -> dict[int, int]:
    """A series from 2019 to 2024 growing evenly from ``first`` to ``last``."""
    return {year: first + (last - first) * (year - 2019) // 5 for year in YEARS}


class Outline(HTMLParser):
    """The headings (level, text) and table rows of a page, for assertions on structure."""

    def __init__(self):
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self._heading: int | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self._heading, self._text = int(tag[1]), []

    def handle_endtag(self, tag):
        if self._heading and tag == f"h{self._heading}":
            self.headings.append((self._heading, " ".join("".join(self._text).split())))
            self._heading = None

    def handle_data(self, data):
        if self._heading:
            self._text.append(data)


def assert_sound_headings(html: str) -> list[tuple[int, str]]:
    outline = Outline()
    outline.feed(html)
    levels = [level for level, _ in outline.headings]
    assert levels.count(1) == 1, outline.headings
    assert levels[0] == 1, outline.headings
    for previous, level in zip(levels, levels[1:], strict=False):
        assert level <= previous + 1, f"heading level skipped: {outline.headings}"
    return outline.headings


def row_names(html: str) -> list[str]:
    """The municipality names in the order of the table rows."""
    return re.findall(
        r'<th class="utrecht-table__header-cell m50-cell-name" scope="row">'
        r"<a [^>]*>([^<]+)</a>",
        html,
    )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(context)


@pytest.fixture
def sample(db):
    """A small registry: members in and out of the band, prospects, a merger."""
    holland = ProvinceFactory(code="PV27", name="Noord-Holland")
    utrecht = ProvinceFactory(code="PV26", name="Utrecht")
    m50 = NetworkFactory(code="M50", name="M50")
    g40 = NetworkFactory(code="G40", name="G40-stedennetwerk")
    diemen = municipality(
        "Diemen",
        "GM0384",
        {2019: 29_000, 2020: 30_100, 2021: 30_500, 2022: 31_000, 2023: 31_600, 2024: 32_100},
        province=holland,
        oin="00000001002306608000",
        kvk="34366966",
    )
    amstelveen = municipality("Amstelveen", "GM0362", linear(90_000, 92_000), province=holland)
    houten = municipality("Houten", "GM0321", linear(49_000, 50_500), province=utrecht)
    zeist = municipality("Zeist", "GM0355", linear(63_000, 66_000), province=utrecht)
    small = municipality("Kleindorp", "GM0999", linear(26_000, 28_900), province=utrecht)
    oldtown = municipality(
        "Oudstad",
        "GM0998",
        {2019: 12_000, 2020: 12_100, 2021: 12_200, 2022: 12_300},
        province=utrecht,
        dissolved_on=datetime.date(2023, 1, 1),
    )
    newtown = municipality(
        "Nieuwstad",
        "GM1999",
        {2023: 61_000, 2024: 61_500},
        province=utrecht,
        established_on=datetime.date(2023, 1, 1),
    )
    BoundaryChange.objects.create(
        effective_on=datetime.date(2023, 1, 1),
        kind=BoundaryChange.Kind.MERGER_NEW_CODE,
        successor=newtown,
        predecessor=oldtown,
        predecessor_inhabitants=12_345,
        transferred_inhabitants=12_345,
    )
    for member in (houten, amstelveen):
        NetworkMembershipFactory(
            network=m50,
            municipality=member,
            as_of="2023-04",
            source_url="https://m50.example/leden",
        )
    NetworkMembershipFactory(
        network=g40, municipality=zeist, as_of="2022-07-01", source_url="https://g40.example/"
    )
    return {
        "diemen": diemen,
        "amstelveen": amstelveen,
        "houten": houten,
        "zeist": zeist,
        "small": small,
        "oldtown": oldtown,
        "newtown": newtown,
    }


# --- The list -----------------------------------------------------------------------------


def test_list_is_public_and_shows_the_registry(client, sample):
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.text
    assert_sound_headings(html)
    assert "6 gemeenten gevonden" in html  # the dissolved one is not shown by default
    assert row_names(html) == ["Amstelveen", "Diemen", "Houten", "Kleindorp", "Nieuwstad", "Zeist"]
    assert "32.100" in html and "(2024)" in html
    assert f'href="{detail_url("GM0384")}"' in html
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    assert 'role="region"' in html and 'tabindex="0"' in html
    assert 'for="id_zoek"' in html and 'for="id_provincie"' in html
    assert "Bron: CBS" in html


def test_list_badges_say_band_and_membership_in_words(client, sample):
    html = client.get(LIST).text
    assert "binnen bandbreedte" in html and "boven bandbreedte" in html
    assert "onder bandbreedte" in html
    assert html.count("M50-lid") == 2
    # Amstelveen is a member with 92,000 inhabitants: flagged, not removed.
    assert html.count("lid buiten bandbreedte") == 1
    amstelveen_row = html[html.index(">Amstelveen<") : html.index(">Diemen<")]
    assert "lid buiten bandbreedte" in amstelveen_row


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?zoek=diem", ["Diemen"]),
        ("?zoek=GM0321", ["Houten"]),
        ("?provincie=PV27", ["Amstelveen", "Diemen"]),
        ("?bandbreedte=binnen", ["Diemen", "Houten", "Nieuwstad", "Zeist"]),
        ("?bandbreedte=buiten", ["Amstelveen", "Kleindorp"]),
        ("?netwerk=M50", ["Amstelveen", "Houten"]),
        ("?netwerk=G40&provincie=PV26", ["Zeist"]),
        ("?status=opgeheven", ["Oudstad"]),
        ("?status=alle&provincie=PV26", ["Houten", "Kleindorp", "Nieuwstad", "Oudstad", "Zeist"]),
        (
            "?sorteer=-inwoners",
            ["Amstelveen", "Zeist", "Nieuwstad", "Houten", "Diemen", "Kleindorp"],
        ),
        ("?sorteer=inwoners&bandbreedte=binnen", ["Diemen", "Houten", "Nieuwstad", "Zeist"]),
    ],
)
def test_list_filters_search_and_sorting(client, sample, query, expected):
    response = client.get(LIST + query)
    assert response.status_code == 200
    assert row_names(response.text) == expected


def test_list_filter_form_keeps_its_values(client, sample):
    html = client.get(LIST + "?zoek=diem&provincie=PV27&sorteer=-inwoners").text
    assert 'value="diem"' in html
    assert '<option value="PV27" selected>Noord-Holland</option>' in html
    assert '<option value="-inwoners" selected>' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?provincie=PV99", "Kies een provincie uit de lijst; PV99 bestaat niet."),
        ("?bandbreedte=misschien", "Kies bij bandbreedte"),
        ("?netwerk=XYZ", "Kies een netwerk uit de lijst; XYZ bestaat niet."),
        ("?status=weg", "Kies een status uit de lijst"),
        ("?sorteer=hoogte", "Kies een sortering uit de lijst"),
        ("?zoek=" + "x" * 101, "Gebruik voor de zoekterm hoogstens 100 tekens."),
        ("?pagina=abc", None),
        ("?pagina=999", None),
    ],
)
def test_list_invalid_filters_get_a_dutch_message_not_an_error(client, sample, query, message):
    response = client.get(LIST + query)
    assert response.status_code == 200
    html = response.text
    if message:
        assert "Niet alle filters konden worden toegepast" in html
        assert message in html
        assert 'aria-invalid="true"' in html
        assert 'aria-describedby="id_' in html
    assert_sound_headings(html)


def test_list_invalid_filter_is_ignored_but_the_others_apply(client, sample):
    html = client.get(LIST + "?provincie=PV27&bandbreedte=misschien").text
    assert "Kies bij bandbreedte" in html
    assert row_names(html) == ["Amstelveen", "Diemen"]


def test_list_empty_result_says_so(client, sample):
    html = client.get(LIST + "?zoek=bestaatniet").text
    assert "0 gemeenten gevonden" in html
    assert "Geen gemeenten gevonden die aan deze filters voldoen." in html


def test_list_paginates_by_25_and_page_links_keep_the_filters(client, sample):
    province = sample["houten"].province
    for number in range(40):
        municipality(f"Band {number:02d}", f"GM7{number:03d}", {2024: 40_000}, province=province)
    first = client.get(LIST + "?bandbreedte=binnen")
    assert "44 gemeenten gevonden" in first.text
    assert len(row_names(first.text)) == 25
    assert "Pagina 1 van 2" in first.text
    assert 'aria-current="page"' in first.text
    assert 'href="?bandbreedte=binnen&amp;pagina=2"' in first.text
    second = client.get(LIST + "?bandbreedte=binnen&pagina=2")
    names = row_names(second.text)
    assert len(names) == 19
    assert names[-1] == "Zeist"
    assert 'href="?bandbreedte=binnen&amp;pagina=1"' in second.text
    current = re.search(
        r'<a class="[^"]*--current" aria-current="page" href="([^"]+)"', second.text
    )
    assert current and current.group(1) == "?bandbreedte=binnen&amp;pagina=2"


def test_list_query_count_does_not_grow_with_data(client):
    province = ProvinceFactory()
    network = NetworkFactory(code="M50")

    def add(count: int, start: int) -> None:
        items = bulk_municipalities(
            count, start, province, lambda n: {2023: 39_000 + n, 2024: 40_000 + n}
        )
        for item in items[::3]:
            NetworkMembershipFactory(network=network, municipality=item)

    url = LIST + "?bandbreedte=binnen&netwerk=M50&sorteer=-inwoners&pagina=2"
    add(10, 1000)
    small = (count_queries(client, LIST), count_queries(client, url))
    add(990, 2000)
    large = (count_queries(client, LIST), count_queries(client, url))
    assert small == large
    assert small[0] <= 5


def test_list_query_count_does_not_grow_for_a_logged_in_user(client, user_for_role):
    client.force_login(user_for_role(Role.PARTICIPANT))
    province = ProvinceFactory()
    bulk_municipalities(10, 1000, province, lambda n: {2024: 30_000 + 100 * n})
    small = count_queries(client, LIST)
    bulk_municipalities(990, 2000, province, lambda n: {2024: 100 * n})
    assert count_queries(client, LIST) == small


# --- A municipality ------------------------------------------------------------------------


def test_detail_shows_key_figures(client, sample):
    response = client.get(detail_url("GM0384"))
    assert response.status_code == 200
    html = response.text
    headings = assert_sound_headings(html)
    assert (1, "Diemen") in headings
    assert (2, "Inwoners 2019–2024") in headings
    assert "GM0384" in html and "Noord-Holland" in html
    assert "32.100 op 1 januari 2024" in html
    assert "binnen bandbreedte" in html
    assert "in de bandbreedte sinds 1 januari 2020" in html
    assert "00000001002306608000" in html and "34366966" in html
    assert 'aria-current="page"' in html  # the breadcrumb


@pytest.mark.parametrize("role", [None, *Role])
def test_registry_pages_render_for_every_role(client, sample, user_for_role, role):
    if role:
        client.force_login(user_for_role(role))
    for url in (LIST, LIST + "?bandbreedte=binnen&sorteer=-inwoners", detail_url("GM0384")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_sound_headings(response.text)


def test_years_and_coordinates_stay_plain_with_thousand_separators_on(client, sample, settings):
    settings.USE_THOUSAND_SEPARATOR = True
    html = client.get(detail_url("GM0384")).text
    assert ">2019</text>" in html and ">2.019<" not in html
    assert "32.100 op 1 januari 2024" in html
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert not re.search(r'(?:x|y|width|height|x1|x2|y1|y2)="[^"]*[,.]\d{3}', svg)
    assert "(2024)" in client.get(LIST).text


def test_detail_code_is_case_insensitive(client, sample):
    assert client.get(detail_url("gm0384")).status_code == 200


def test_detail_unknown_code_is_404(client, sample):
    response = client.get(detail_url("GM9999"))
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.text


def test_detail_chart_is_an_accessible_svg_with_the_numbers(client, sample):
    html = client.get(detail_url("GM0384")).text
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg
    assert re.search(r'aria-labelledby="(\S+)-title \1-desc"', svg)
    title = re.search(r"<title[^>]*>([^<]+)</title>", svg).group(1)
    assert title == "Inwoners van Diemen op 1 januari, 2019–2024"
    desc = re.search(r"<desc[^>]*>([^<]+)</desc>", svg).group(1)
    assert "groeide van 29.000 op 1 januari 2019 naar 32.100 op 1 januari 2024 (+10,7%)" in desc
    assert "30.000 en 80.000" in desc
    assert svg.count("<rect") == 7  # six bars and the band
    for value in ("29.000", "30.100", "30.500", "31.000", "31.600", "32.100"):
        assert f">{value}</text>" in svg
    for year in YEARS:
        assert f">{year}</text>" in svg
    # Axis titles and the band limits as labelled reference lines.
    assert ">Inwoners</text>" in svg and ">Jaar (peildatum 1 januari)</text>" in svg
    assert ">ondergrens</text>" in svg and ">bovengrens</text>" in svg
    assert ">80.000</text>" in svg
    # Coordinates are never localised: no decimal commas inside attributes.
    assert not re.search(r'(?:x|y|width|height|x1|x2|y1|y2)="[^"]*,', svg)


def test_detail_table_has_the_same_numbers_and_the_source(client, sample):
    html = client.get(detail_url("GM0384")).text
    table = html[html.index('id="inwoners-caption"') :]
    table = table[: table.index("</table>")]
    for year, value, change in (
        (2019, "29.000", None),
        (2020, "30.100", "+1.100"),
        (2024, "32.100", "+500"),
    ):
        assert f'<th class="utrecht-table__header-cell" scope="row">{year}</th>' in table
        assert value in table
        if change:
            assert change in table
    assert "Bron: CBS" in html


def test_detail_without_population_has_no_chart(client, sample):
    MunicipalityFactory(name="Leeg", code="GM0001")
    html = client.get(detail_url("GM0001")).text
    assert "<svg" not in html
    assert "Van deze gemeente zijn geen inwonertallen bekend." in html


def test_detail_shows_network_memberships_as_facts(client, sample):
    html = client.get(detail_url("GM0321")).text
    assert "Netwerken waarvan Houten lid is" in html
    assert "2023-04" in html
    assert 'href="https://m50.example/leden"' in html
    assert f'href="{LIST}?netwerk=M50"' in html
    assert "lid buiten bandbreedte" not in html
    assert "Lid buiten de bandbreedte." not in html


def test_detail_flags_a_member_outside_the_band(client, sample):
    html = client.get(detail_url("GM0362")).text
    assert "Lid buiten de bandbreedte." in html
    assert "92.000 inwoners" in html
    assert "boven bandbreedte" in html


def test_detail_shows_predecessors_of_a_merger(client, sample):
    html = client.get(detail_url("GM1999")).text
    assert (2, "Inwoners 2023–2024") in assert_sound_headings(html)
    assert "Voorgangers: gemeenten die (deels) opgingen in Nieuwstad" in html
    assert f'href="{detail_url("GM0998")}"' in html
    assert "1 januari 2023" in html
    assert "samenvoeging (nieuwe code)" in html
    assert "12.345" in html


def test_detail_shows_the_successor_of_a_dissolved_municipality(client, sample):
    html = client.get(detail_url("GM0998")).text
    assert "Deze gemeente is op 1 januari 2023 opgeheven." in html
    assert "Opvolgers: gemeenten waarin Oudstad (deels) opging" in html
    assert f'href="{detail_url("GM1999")}"' in html
    assert "opgeheven" in html


@pytest.fixture
def people(sample):
    organisation = OrganisationFactory(
        kind=Organisation.Kind.MUNICIPALITY,
        name="Gemeente Diemen",
        slug="gemeente-diemen",
        municipality=sample["diemen"],
    )
    mayor = PersonFactory(
        given_name="Jan", surname="Burgemeester", email="jan@diemen.example", phone="020 123 4567"
    )
    former = PersonFactory(given_name="Piet", surname="Oudwethouder", email="piet@diemen.example")
    PositionFactory(
        person=mayor,
        organisation=organisation,
        function=Position.Function.MAYOR,
        start_date=datetime.date(2020, 3, 1),
    )
    PositionFactory(
        person=former,
        organisation=organisation,
        function=Position.Function.ALDERMAN,
        portfolio="Financiën",
        start_date=datetime.date(2018, 5, 1),
        end_date=datetime.date(2022, 3, 30),
    )
    return organisation


def test_detail_hides_people_from_anonymous_visitors(client, people):
    html = client.get(detail_url("GM0384")).text
    assert "Burgemeester" not in html
    assert "Huidige functies" not in html
    assert "jan@diemen.example" not in html


def test_detail_shows_people_without_contact_details_to_a_participant(
    client, people, user_for_role
):
    client.force_login(user_for_role(Role.PARTICIPANT))
    html = client.get(detail_url("GM0384")).text
    assert_sound_headings(html)
    current = html[
        html.index('id="huidige-functies-caption"') : html.index("Eerdere functies</h3>")
    ]
    past = html[html.index('id="eerdere-functies-caption"') :]
    assert "Jan Burgemeester" in current and "burgemeester" in current
    assert "1 maart 2020" in current and "heden" in current
    assert "Piet Oudwethouder" in past and "Financiën" in past and "30 maart 2022" in past
    assert 'href="/organisaties/gemeente-diemen/"' in html
    assert "jan@diemen.example" not in html
    assert "020 123 4567" not in html


@pytest.mark.parametrize("role", [Role.BUREAU, Role.PUBLIC_AFFAIRS])
def test_detail_shows_contact_details_to_who_may_see_them(client, people, user_for_role, role):
    client.force_login(user_for_role(role))
    html = client.get(detail_url("GM0384")).text
    assert 'href="mailto:jan@diemen.example"' in html
    assert 'href="tel:0201234567"' in html


def test_detail_query_count_does_not_grow_with_data(client, sample, user_for_role):
    client.force_login(user_for_role(Role.BUREAU))
    diemen = sample["diemen"]
    organisation = OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY, municipality=diemen)
    network = NetworkFactory(code="M50")
    PositionFactory.create_batch(10, organisation=organisation)
    small = count_queries(client, detail_url("GM0384"))
    anonymous_small = count_queries(client.__class__(), detail_url("GM0384"))

    # 1,000 positions (current and past), 1,000 municipalities, more networks and mergers.
    PositionFactory.create_batch(495, organisation=organisation)
    PositionFactory.create_batch(
        495,
        organisation=organisation,
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2014, 1, 1),
    )
    others = bulk_municipalities(990, 2000, ProvinceFactory(), lambda n: {2024: 10 * n})
    for other in others[:50]:
        NetworkMembershipFactory(network=network, municipality=other)
        BoundaryChange.objects.create(
            effective_on=datetime.date(2021, 1, 1),
            kind=BoundaryChange.Kind.BOUNDARY_CORRECTION,
            successor=diemen,
            predecessor=other,
        )
    NetworkMembershipFactory(network=network, municipality=diemen)
    assert count_queries(client, detail_url("GM0384")) == small
    assert count_queries(client.__class__(), detail_url("GM0384")) == anonymous_small
    # Ten, two for the participation in pillars, two for the activities hosted and the
    # attendance (logged in), one for the knowledge items of the municipality, and two for
    # the Kamerleden living there and the contacts held there (public affairs).
    assert small <= 17


# --- Prospects -----------------------------------------------------------------------------


def test_prospects_need_login(client, sample):
    response = client.get(PROSPECTS)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.MEMBER_CONTACT])
def test_prospects_are_forbidden_for_municipal_roles(client, sample, user_for_role, role):
    client.force_login(user_for_role(role))
    assert client.get(PROSPECTS).status_code == 403


@pytest.mark.parametrize("role", [Role.BUREAU, Role.PUBLIC_AFFAIRS, Role.PILLAR_CHAIR])
def test_prospects_list_in_band_non_members_and_approaching_ones(
    client, sample, user_for_role, role
):
    client.force_login(user_for_role(role))
    response = client.get(PROSPECTS)
    assert response.status_code == 200
    html = response.text
    assert_sound_headings(html)
    in_band = html[html.index('id="in-band-caption"') : html.index('id="approaching-caption"')]
    approaching = html[html.index('id="approaching-caption"') :]
    # Largest first; members (Houten) and dissolved municipalities are not prospects.
    assert row_names(in_band) == ["Zeist", "Nieuwstad", "Diemen"]
    assert "in de bandbreedte sinds 2020" in in_band
    assert row_names(approaching) == ["Kleindorp"]
    assert "2026" in approaching
    assert "28.900" in approaching


def test_prospects_query_count_does_not_grow_with_data(client, user_for_role):
    client.force_login(user_for_role(Role.BUREAU))
    province = ProvinceFactory()

    def growing(number: int) -> dict[int, int]:
        return {year: 25_000 + 1_000 * (year - 2019) + number for year in YEARS}

    bulk_municipalities(10, 1000, province, growing)
    small = count_queries(client, PROSPECTS)
    bulk_municipalities(990, 2000, province, growing)
    assert count_queries(client, PROSPECTS) == small


def test_prospects_are_computed_once_per_registry_version(
    client, sample, user_for_role, figure_cache
):
    client.force_login(user_for_role(Role.BUREAU))
    first = count_queries(client, PROSPECTS)
    assert count_queries(client, PROSPECTS) == first - 2  # no municipalities, no series read
    # A municipality made without a service is not seen until the registry's version rises,
    # as every service that changes the registry makes it do.
    in_band = MunicipalityFactory(name="Aanwas", code="GM0990")
    PopulationCountFactory(municipality=in_band, year=2024, inhabitants=50_000)
    assert "Aanwas" not in client.get(PROSPECTS).text
    data_version_bump(names=[REGISTRY])
    assert "Aanwas" in client.get(PROSPECTS).text


def test_prospects_come_in_pages_each_list_with_its_own(client, user_for_role, figure_cache):
    """120 in the band and 60 growing into it: pages of 50, each list with its own page
    parameter, keeping the other's; the second request of a page is read from the cache."""
    client.force_login(user_for_role(Role.BUREAU))
    province = ProvinceFactory()
    bulk_municipalities(120, 1000, province, lambda n: linear(40_000 + n, 41_000 + n))
    bulk_municipalities(60, 3000, province, lambda n: linear(23_000 + n, 26_000 + n))

    def lists(query: str) -> tuple[list[str], list[str]]:
        html = client.get(PROSPECTS + query).text
        middle = html.index('id="approaching-caption"')
        return row_names(html[:middle]), row_names(html[middle:])

    in_band, approaching = lists("")
    assert len(in_band) == 50 and in_band[0] == "Gemeente 1119"  # largest first
    assert len(approaching) == 50
    in_band, approaching = lists("?pagina=3&pagina-groei=2")
    assert in_band == [f"Gemeente {n}" for n in range(1019, 999, -1)]
    assert len(approaching) == 10
    html = client.get(PROSPECTS + "?pagina=3").text
    assert "120 gemeenten, grootste eerst" in html
    # The other list's links keep this list's page.
    assert 'href="?pagina=3&amp;pagina-groei=2"' in html
    assert 'href="?pagina=2"' in html
    assert count_queries(client, PROSPECTS + "?pagina=3") == 3  # session, user, version
