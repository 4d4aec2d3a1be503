"""Cost does not grow with data: a list endpoint makes as many queries for 10 rows as for 1,000."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from m50.contacts.models import Organisation, Person, Position
from m50.municipalities.models import (
    Municipality,
    Network,
    NetworkMembership,
    PopulationCount,
    Province,
)
from m50.municipalities.services import municipality_names_refresh

pytestmark = pytest.mark.django_db

SIZES = (10, 1_000)


def _municipalities(count: int) -> None:
    """``count`` municipalities in four provinces, of all sizes, every other one in the M50."""
    provinces = [
        Province.objects.get_or_create(code=f"PV{20 + n}", defaults={"name": f"Provincie {n}"})[0]
        for n in range(4)
    ]
    m50, _ = Network.objects.get_or_create(code="M50", defaults={"name": "M50"})
    existing = Municipality.objects.count()
    municipalities = Municipality.objects.bulk_create(
        Municipality(
            code=f"GM{existing + n:04d}",
            name=f"Gemeente {existing + n:04d}",
            province=provinces[n % len(provinces)],
        )
        for n in range(count - existing)
    )
    PopulationCount.objects.bulk_create(
        PopulationCount(
            municipality=municipality,
            year=year,
            inhabitants=25_000 + (n * 7_919) % 70_000 + year,
            source="t",
        )
        for n, municipality in enumerate(municipalities)
        for year in (2022, 2023, 2024)
    )
    NetworkMembership.objects.bulk_create(
        NetworkMembership(
            network=m50,
            municipality=municipality,
            as_of="2023-04",
            status="lid",
            source_url="https://example.org/bron",
        )
        for municipality in municipalities[::2]
    )
    # Written in bulk, past Municipality.save: their names become searchable here.
    municipality_names_refresh()


def _organisations(count: int) -> None:
    """``count`` organisations, three linked to a municipality, each with a position."""
    _municipalities(max(Municipality.objects.count(), 10))
    municipalities = list(Municipality.objects.order_by("pk")[:3])
    existing = Organisation.objects.count()
    organisations = Organisation.objects.bulk_create(
        Organisation(
            kind=Organisation.Kind.OTHER,
            name=f"Organisatie {existing + n:05d}",
            slug=f"organisatie-{existing + n:05d}",
        )
        for n in range(count - existing)
    )
    for organisation, municipality in zip(organisations, municipalities, strict=False):
        if not hasattr(municipality, "organisation"):
            organisation.municipality = municipality
            organisation.kind = Organisation.Kind.MUNICIPALITY
            organisation.save()
    people = Person.objects.bulk_create(Person(surname=f"Persoon {n}") for n in range(count))
    Position.objects.bulk_create(
        Position(
            person=person,
            organisation=organisation,
            function=Position.Function.POLICY_ADVISOR,
            start_date=datetime.date(2020, 1, 1),
        )
        for person, organisation in zip(people, organisations, strict=False)
    )


def _count_queries(client, url, params) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(queries), response.json()


# Every filter at once, so that each adds its part of the query at both sizes.
MUNICIPALITY_PARAMS = [
    {},
    {"pageSize": 500, "sorteer": "-inwoners"},
    {"provincie": "PV20", "netwerk": "M50", "bandbreedte": "binnen", "zoek": "gemeente"},
    {"status": "alle", "sorteer": "inwoners", "page": 2, "pageSize": 3},
]


@pytest.mark.parametrize("params", MUNICIPALITY_PARAMS)
def test_municipality_list_query_count_does_not_grow(api_client, params):
    counts = []
    for size in SIZES:
        _municipalities(size)
        count, body = _count_queries(api_client, "/api/v1/gemeenten", params)
        assert body["results"], "the list must not be empty, or it proves nothing"
        counts.append(count)
    assert counts[0] == counts[1], counts
    # The data versions (for the ETag), a count and a page; plus one look-up per validated code
    # (province, network).
    assert counts[0] == 3 + ("provincie" in params) + ("netwerk" in params)


ORGANISATION_PARAMS = [{}, {"pageSize": 500}, {"soort": "overig", "zoek": "organisatie"}]


@pytest.mark.parametrize("params", ORGANISATION_PARAMS)
def test_organisation_list_query_count_does_not_grow(token_client, params):
    counts = []
    for size in SIZES:
        _organisations(size)
        count, body = _count_queries(token_client, "/api/v1/organisaties", params)
        assert body["results"]
        counts.append(count)
    assert counts[0] == counts[1], counts
    assert counts[0] == 3  # the token with its user, a count and a page


def test_organisation_detail_query_count_does_not_grow_with_positions(token_client):
    _organisations(10)
    organisation = Organisation.objects.order_by("pk").first()
    url = f"/api/v1/organisaties/{organisation.slug}"
    counts = []
    for extra in (1, 50):
        people = Person.objects.bulk_create(Person(surname=f"Extra {n}") for n in range(extra))
        Position.objects.bulk_create(
            Position(person=p, organisation=organisation, function=Position.Function.ALDERMAN)
            for p in people
        )
        count, body = _count_queries(token_client, url, {})
        assert len(body["currentPositions"]) > extra
        counts.append(count)
    assert counts[0] == counts[1], counts


def test_municipality_detail_query_count_does_not_grow_with_history(api_client):
    _municipalities(10)
    municipality = Municipality.objects.order_by("pk").first()
    url = f"/api/v1/gemeenten/{municipality.code}"
    first, _ = _count_queries(api_client, url, {})
    PopulationCount.objects.bulk_create(
        PopulationCount(municipality=municipality, year=year, inhabitants=30_000, source="t")
        for year in range(1990, 2022)
    )
    for code in ("G4", "G40", "P10"):
        network = Network.objects.create(code=code, name=code)
        NetworkMembership.objects.create(
            network=network,
            municipality=municipality,
            as_of="2024",
            status="lid",
            source_url="https://example.org/bron",
        )
    second, body = _count_queries(api_client, url, {})
    assert len(body["populationSeries"]) == 35
    assert first == second


# --- Pillars, theme groups, participations, topics -------------------------------------------


def _participations(count: int) -> None:
    """``count`` running participations of officials of one municipality, over the three
    current pillars and as many theme groups, each group chaired; and as many topics."""
    from m50.pillars.models import Participation, Pillar, ThemeGroup, Topic

    province = Province.objects.get_or_create(code="PV27", defaults={"name": "Noord-Holland"})[0]
    municipality = Municipality.objects.get_or_create(
        code="GM0384", defaults={"name": "Diemen", "province": province}
    )[0]
    organisation, _ = Organisation.objects.get_or_create(
        slug="gemeente-diemen",
        defaults={
            "kind": Organisation.Kind.MUNICIPALITY,
            "name": "Gemeente Diemen",
            "municipality": municipality,
        },
    )
    pillars = list(Pillar.objects.filter(ended=False).order_by("pk"))
    existing = Participation.objects.count()
    groups = ThemeGroup.objects.bulk_create(
        ThemeGroup(pillar=pillars[n % 3], name=f"Groep {existing + n}", slug=f"g-{existing + n}")
        for n in range(3)
    )
    bodies = [*pillars, *groups]
    people = Person.objects.bulk_create(
        Person(surname=f"Deelnemer {existing + n}") for n in range(count - existing)
    )
    positions = Position.objects.bulk_create(
        Position(
            person=person,
            organisation=organisation,
            function=Position.Function.ALDERMAN,
            start_date=datetime.date(2020, 1, 1),
        )
        for person in people
    )
    Participation.objects.bulk_create(
        Participation(
            position=position,
            role="chair" if n < len(groups) else "member",
            category="bestuurder",
            start_date=datetime.date(2024, 1, 1),
            **(
                {"theme_group": groups[n]}
                if n < len(groups)
                else {"pillar": bodies[n % 3]}
                if n % 2
                else {"theme_group": bodies[3 + n % 3]}
            ),
        )
        for n, position in enumerate(positions)
    )
    Topic.objects.bulk_create(
        Topic(title=f"Onderwerp {n}", owner=position.person, pillar=pillars[n % 3])
        for n, position in enumerate(positions)
    )


PARTICIPATION_PARAMS = [
    {},
    {"pageSize": 500},
    {"gemeente": "GM0384", "pijler": "sociaal", "categorie": "bestuurder"},
    {"peildatum": "2024-06-01", "page": 2, "pageSize": 3},
]


@pytest.mark.parametrize("params", PARTICIPATION_PARAMS)
def test_participation_list_query_count_does_not_grow(token_client, params):
    counts = []
    for size in SIZES:
        _participations(size)
        count, body = _count_queries(token_client, "/api/v1/deelnames", params)
        assert body["results"]
        counts.append(count)
    assert counts[0] == counts[1], counts
    # The token with its user, a count and a page; a look-up per validated code or slug.
    assert counts[0] == 3 + ("gemeente" in params) + ("pijler" in params)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/v1/pijlers", {}),
        ("/api/v1/pijlers/sociaal", {}),
        ("/api/v1/themagroepen", {"pageSize": 500}),
        ("/api/v1/themagroepen", {"pijler": "sociaal"}),
        ("/api/v1/onderwerpen", {"pageSize": 500}),
        ("/api/v1/onderwerpen", {"pijler": "sociaal", "status": "voorgesteld"}),
    ],
)
def test_pillar_reads_query_count_does_not_grow(token_client, url, params):
    counts = []
    for size in SIZES:
        _participations(size)
        count, body = _count_queries(token_client, url, params)
        assert body.get("results", [body]), "nothing listed proves nothing"
        counts.append(count)
    assert counts[0] == counts[1], counts


def test_topic_detail_query_count_does_not_grow_with_its_history(token_client):
    from m50.pillars.models import Topic, TopicStatusChange

    _participations(10)
    topic = Topic.objects.order_by("pk").first()
    url = f"/api/v1/onderwerpen/{topic.pk}"
    counts = []
    for extra in (1, 50):
        TopicStatusChange.objects.bulk_create(
            TopicStatusChange(topic=topic, from_status="proposed", to_status="parked")
            for _ in range(extra)
        )
        count, body = _count_queries(token_client, url, {})
        assert len(body["history"]) >= extra
        counts.append(count)
    assert counts[0] == counts[1], counts
