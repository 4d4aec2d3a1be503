"""The shipped pillars: present after migrate, both generations, and where the work went."""

import pytest

from m50.pillars import reference, selectors, services
from m50.pillars.models import Pillar, PillarSuccession

pytestmark = pytest.mark.django_db

FORMER = {
    "Bestuur",
    "Economie & Fysieke Leefomgeving",
    "Financiën",
    "Samenleving",
    "Duurzaamheid",
}
CURRENT = {"Ruimtelijk", "Sociaal", "Financieel"}


def test_migrate_ships_five_ended_and_three_current_pillars():
    pillars = {p.name: p for p in Pillar.objects.all()}
    assert set(pillars) == FORMER | CURRENT
    assert {name for name, p in pillars.items() if p.ended} == FORMER
    assert {name for name, p in pillars.items() if p.is_running()} == CURRENT
    # No source gives a date: they stay unknown, never invented.
    assert all(p.started_on is None and p.ended_on is None for p in pillars.values())


def test_migrate_ships_where_the_former_pillars_work_went():
    mapping = {
        (s.predecessor.name, s.successor.name)
        for s in PillarSuccession.objects.select_related("predecessor", "successor")
    }
    assert mapping == {
        ("Economie & Fysieke Leefomgeving", "Ruimtelijk"),
        ("Duurzaamheid", "Ruimtelijk"),
        ("Samenleving", "Sociaal"),
        ("Financiën", "Financieel"),
    }
    assert not Pillar.objects.get(slug="bestuur").successors.exists()


def test_loading_again_creates_nothing_and_keeps_the_bureaus_changes():
    sociaal = Pillar.objects.get(slug="sociaal")
    services.pillar_update(pillar=sociaal, purpose="Het sociaal domein")
    counts = services.pillars_reference_load()
    assert (counts.pillars, counts.successions) == (0, 0)
    assert Pillar.objects.count() == 8
    sociaal.refresh_from_db()
    assert sociaal.purpose == "Het sociaal domein"


def test_a_missing_pillar_is_loaded_again_with_its_succession():
    Pillar.objects.filter(slug="duurzaamheid").delete()
    counts = services.pillars_reference_load()
    assert (counts.pillars, counts.successions) == (1, 1)
    assert Pillar.objects.get(slug="duurzaamheid").successors.get().slug == "ruimtelijk"


def test_the_data_file_names_its_source():
    data = reference.read_data()
    assert "DESIGN.md" in data["source"]
    assert (reference.DATA_FILE.parent / "PROVENANCE.md").is_file()


def test_generations_in_three_queries(django_assert_num_queries):
    with django_assert_num_queries(3):
        generations = selectors.pillar_generations()
        current = {
            p.name: [s.predecessor.name for s in p.successions_in.all()]
            for p in generations.current
        }
        ended = {
            p.name: [s.successor.name for s in p.successions_out.all()] for p in generations.ended
        }
    assert current == {
        "Financieel": ["Financiën"],
        "Ruimtelijk": ["Duurzaamheid", "Economie & Fysieke Leefomgeving"],
        "Sociaal": ["Samenleving"],
    }
    assert ended["Bestuur"] == []
    assert ended["Duurzaamheid"] == ["Ruimtelijk"]
