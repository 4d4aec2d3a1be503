"""Reads: what they return, and that their cost does not grow with the data."""

import datetime

import pytest

from m50.contacts.models import Person, Position
from m50.pillars import selectors, services
from m50.pillars.models import Category, Participation, Topic
from m50.pillars.models import Role as PillarRole
from tests.factories import ThemeGroupFactory
from tests.pillars.conftest import START, Function, municipality_organisation, official, pillar

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2025, 6, 1)


def register(position, body, **kwargs):
    key = "pillar" if body._meta.model_name == "pillar" else "theme_group"
    return services.participation_register(
        position=position, start_date=START, **{key: body}, **kwargs
    )


@pytest.fixture
def world(diemen, houten, sociaal, financieel):
    """Diemen: a chair and an advisor in Sociaal, its secretary in a theme group; Houten: an
    alderman in Financieel and one who left Sociaal; Zeist (aspirant) and Bunnik (member)
    only in a theme group or nowhere; Buitenstad is no member."""
    group = ThemeGroupFactory(pillar=sociaal, name="Jeugdzorg")
    register(official(diemen), sociaal, role=PillarRole.CHAIR)
    register(official(diemen, Function.POLICY_ADVISOR), sociaal)
    register(official(diemen, Function.MUNICIPAL_SECRETARY), group)
    register(official(houten), financieel)
    left = register(official(houten, Function.MAYOR), sociaal)
    services.participation_end(participation=left, end_date=D(2024, 12, 31))
    zeist = municipality_organisation("Zeist", status="aspirant")
    register(official(zeist, Function.POLICY_ADVISOR), group)
    municipality_organisation("Bunnik")
    municipality_organisation("Buitenstad", status="none")
    return {"group": group}


def test_participation_of_a_municipality_by_pillar_and_category(world, diemen):
    counts = selectors.participation_counts_of_municipality(
        municipality_id=diemen.municipality_id, on=TODAY
    )
    assert [(c.kind, c.name, c.counts, c.total) for c in counts] == [
        ("pillar", "Sociaal", {"bestuurder": 1, "adviseur": 1}, 2),
        ("theme_group", "Jeugdzorg", {"gemeentesecretaris": 1}, 1),
    ]


def test_members_and_aspirants_in_no_pillar(world):
    names = [m.name for m in selectors.municipalities_without_pillar(on=TODAY)]
    # Houten's mayor left Sociaal, but its alderman is in Financieel; Zeist is only in a group.
    assert names == ["Bunnik", "Zeist"]
    assert [m.name for m in selectors.municipalities_without_pillar(on=D(2024, 1, 1))] == [
        "Bunnik",
        "Diemen",
        "Houten",
        "Zeist",
    ]


def test_participants_grouped_by_municipality_and_category(world, sociaal):
    groups = selectors.participants_by_municipality(body=sociaal, on=TODAY)
    assert [g.municipality.name for g in groups] == ["Diemen"]
    assert list(groups[0].by_category) == [Category.ADMINISTRATOR, Category.ADVISOR]
    assert groups[0].count == 2
    earlier = selectors.participants_by_municipality(body=sociaal, on=D(2024, 6, 1))
    assert [(g.municipality.name, g.count) for g in earlier] == [("Diemen", 2), ("Houten", 1)]


def test_chairs_and_what_a_person_chairs(world, sociaal, financieel):
    chairs = selectors.chairs_of(bodies=[sociaal, financieel, world["group"]], on=TODAY)
    assert list(chairs) == [("pillar", sociaal.pk)]
    person_id = chairs[("pillar", sociaal.pk)].position.person_id
    assert selectors.chaired_by(person_id=person_id, on=TODAY) == [sociaal]


def test_topics_by_status(world, sociaal):
    owner = Participation.objects.filter(pillar=sociaal, role=PillarRole.CHAIR).get()
    person = owner.position.person
    wonen = services.topic_propose(pillar=sociaal, title="Wonen", owner=person)
    services.topic_propose(pillar=sociaal, title="Armoede", owner=person)
    services.topic_status_change(topic=wonen, status="adopted")
    by_status = selectors.topics_by_status(body=sociaal)
    assert list(by_status) == ["proposed", "adopted", "parked", "closed"]
    assert [t.title for t in by_status["proposed"]] == ["Armoede"]
    assert [t.title for t in by_status["adopted"]] == ["Wonen"]


def test_the_matrix_cells(world, diemen, sociaal):
    cells = selectors.participation_counts(on=TODAY)
    assert cells[diemen.municipality_id] == {
        ("pillar", sociaal.pk): {"bestuurder": 1, "adviseur": 1},
        ("theme_group", world["group"].pk): {"gemeentesecretaris": 1},
    }


# --- Cost ------------------------------------------------------------------------------------


def populate(count: int) -> dict:
    """``count`` running participations, over (up to) 40 member municipalities, three pillars
    and a theme group, and ``count`` topics; written in bulk (the services are tested above).
    Every municipality has someone in a pillar; "Zonder" has no one anywhere."""
    towns = min(count, 40)
    municipalities = [municipality_organisation(f"Stad {n:02d}") for n in range(towns)]
    municipality_organisation("Zonder")
    bodies = [pillar("sociaal"), pillar("financieel"), pillar("ruimtelijk")]
    group = ThemeGroupFactory(pillar=bodies[0])
    people = Person.objects.bulk_create(Person(surname=f"Naam {n:05d}") for n in range(count))
    positions = Position.objects.bulk_create(
        Position(
            person=person,
            organisation=municipalities[n % towns],
            function=Function.POLICY_ADVISOR,
        )
        for n, person in enumerate(people)
    )
    Participation.objects.bulk_create(
        Participation(
            position=position,
            pillar=None if in_group(n) else bodies[n % 3],
            theme_group=group if in_group(n) else None,
            category=Category.ADVISOR,
            role=PillarRole.MEMBER,
            start_date=START,
        )
        for n, position in enumerate(positions)
    )
    Topic.objects.bulk_create(
        Topic(pillar=bodies[0], title=f"Onderwerp {n}", owner=people[n]) for n in range(count)
    )
    return {"municipality": municipalities[0], "bodies": [*bodies, group]}


def in_group(n: int) -> bool:
    return (n // 40) % 4 == 3


@pytest.mark.parametrize("count", [10, 1000])
def test_reads_cost_the_same_for_10_and_1000_participations(django_assert_num_queries, count):
    data = populate(count)
    municipality_id = data["municipality"].municipality_id
    sociaal = data["bodies"][0]
    with django_assert_num_queries(1):
        assert selectors.participation_counts_of_municipality(
            municipality_id=municipality_id, on=TODAY
        )
    with django_assert_num_queries(1):
        assert [m.name for m in selectors.municipalities_without_pillar(on=TODAY)] == ["Zonder"]
    with django_assert_num_queries(1):
        groups = selectors.participants_by_municipality(body=sociaal, on=TODAY)
        in_sociaal = sum(1 for n in range(count) if not in_group(n) and n % 3 == 0)
        assert sum(g.count for g in groups) == in_sociaal
        for g in groups:
            for items in g.by_category.values():
                assert all(p.position.person.surname and p.pillar.name for p in items)
    with django_assert_num_queries(2):  # the topics, and their themes
        assert sum(len(t) for t in selectors.topics_by_status(body=sociaal).values()) == count
    with django_assert_num_queries(1):
        assert len(selectors.participation_counts(on=TODAY)) == min(count, 40)
    with django_assert_num_queries(1):
        rows = list(selectors.participation_list(on=TODAY))
        assert len(rows) == count
        assert all(p.body.name and p.position.organisation.municipality.name for p in rows)
    with django_assert_num_queries(1):
        selectors.chairs_of(bodies=data["bodies"], on=TODAY)
