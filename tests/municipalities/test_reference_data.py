"""Loading the shipped reference data: what the registry knows afterwards, and idempotency."""

import datetime
import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Sum

from m50.contacts.models import Organisation
from m50.core.derived import derived_differences
from m50.membership import selectors as membership_selectors
from m50.membership import services as membership_services
from m50.municipalities import selectors, services
from m50.municipalities.models import (
    BoundaryChange,
    Municipality,
    Network,
    NetworkMembership,
    PopulationCount,
    Province,
)
from tests.municipalities.conftest import reference_data_remove

Kind = BoundaryChange.Kind


def municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def series(code: str) -> dict[int, int]:
    return dict(
        PopulationCount.objects.filter(municipality__code=code).values_list("year", "inhabitants")
    )


def test_first_load_reports_what_it_created(registry):
    counts = registry.counts
    assert registry.changed
    assert counts["provinces"].created == 12
    assert counts["municipalities"].created == Municipality.objects.count()
    assert counts["population"].created == 2091
    assert counts["boundary_changes"].created == 59
    assert counts["networks"].created == 5
    assert counts["network_memberships"].created == 143
    assert all(c.updated == 0 and c.unchanged == 0 for c in counts.values())


def test_342_current_municipalities_and_the_dissolved_ones(registry):
    current = Municipality.objects.filter(dissolved_on__isnull=True)
    assert current.count() == 342
    assert Province.objects.count() == 12
    # Every code of the CBS file is there, and so is every predecessor of a merger.
    codes = set(Municipality.objects.values_list("code", flat=True))
    assert set(PopulationCount.objects.values_list("municipality__code", flat=True)) <= codes
    dissolved = Municipality.objects.filter(dissolved_on__isnull=False)
    assert set(dissolved.values_list("code", flat=True)) == set(
        BoundaryChange.objects.exclude(kind=Kind.BOUNDARY_CORRECTION).values_list(
            "predecessor__code", flat=True
        )
    )
    assert dissolved.count() == 52
    assert not dissolved.exclude(
        dissolved_on__range=(datetime.date(2019, 1, 1), datetime.date(2023, 1, 1))
    ).exists()


def test_population_per_year_with_its_source(registry):
    assert series("GM0384") == {
        2019: 29_196,
        2020: 30_780,
        2021: 31_334,
        2022: 31_822,
        2023: 32_785,
        2024: 32_977,
    }
    count = PopulationCount.objects.get(municipality__code="GM0384", year=2019)
    assert count.source == "CBS 37259ENG, PopulationOn1January_1 (periode 2019)"
    assert series("GM0363")[2022] == 882_633  # Amsterdam without Weesp
    assert series("GM0363")[2023] == 918_117  # ... and with it


@pytest.mark.parametrize(
    ("year", "total"),
    [(2019, 17_282_163), (2020, 17_407_585), (2021, 17_475_415), (2024, 17_942_942)],
)
def test_national_totals_match_cbs(registry, year, total):
    assert PopulationCount.objects.filter(year=year).aggregate(s=Sum("inhabitants"))["s"] == total


def test_weesp_dissolved_into_amsterdam_on_24_march_2022(registry):
    weesp = municipality("GM0457")
    assert weesp.dissolved_on == datetime.date(2022, 3, 24)
    assert not weesp.is_active
    (link,) = weesp.successor_links.select_related("successor")
    assert link.successor.code == "GM0363"
    assert link.kind == Kind.MERGER_KEEP_CODE
    assert link.effective_on == datetime.date(2022, 3, 24)
    assert link.predecessor_inhabitants == 20_766
    assert municipality("GM0363").dissolved_on is None
    assert max(series("GM0457")) == 2022  # it still had its own 1 January 2022 figure


def test_haaren_was_split_over_four_successors_in_2021(registry):
    haaren = municipality("GM0788")
    assert haaren.dissolved_on == datetime.date(2021, 1, 1)
    links = haaren.successor_links.select_related("successor")
    assert {link.successor.name for link in links} == {"Boxtel", "Oisterwijk", "Tilburg", "Vught"}
    assert {link.kind for link in links} == {Kind.SPLIT}
    assert sum(link.transferred_inhabitants for link in links) == 14_318
    assert all(link.successor.dissolved_on is None for link in links)


def test_a_boundary_correction_does_not_dissolve_the_ceding_municipality(registry):
    corrections = BoundaryChange.objects.filter(kind=Kind.BOUNDARY_CORRECTION).select_related(
        "predecessor", "successor"
    )
    assert {(c.predecessor.name, c.successor.name) for c in corrections} == {
        ("Nijmegen", "Berg en Dal"),
        ("Noordoostpolder", "Urk"),
        ("Rotterdam", "Lansingerland"),
    }
    for correction in corrections:
        assert not correction.dissolves_predecessor
        assert correction.predecessor.dissolved_on is None
        assert correction.successor.dissolved_on is None
    assert corrections.get(predecessor__code="GM0268").transferred_inhabitants == 25


def test_2019_predecessors_come_from_the_merger_file(registry):
    # Dissolved on the very day the CBS file starts, so they have no population row.
    onderbanken = municipality("GM0881")
    assert onderbanken.name == "Onderbanken"
    assert onderbanken.province.name == "Limburg"
    assert onderbanken.dissolved_on == datetime.date(2019, 1, 1)
    assert not onderbanken.population_counts.exists()
    # Leerdam went to Utrecht only with its merger: it keeps its own province.
    assert municipality("GM0545").province.name == "Zuid-Holland"
    assert municipality("GM1961").province.name == "Utrecht"
    # Winsum was divided over two new municipalities.
    winsum = municipality("GM0053")
    assert winsum.dissolved_on == datetime.date(2019, 1, 1)
    assert {link.successor.name for link in winsum.successor_links.all()} == {
        "Het Hogeland",
        "Westerkwartier",
    }


def test_established_on_is_the_date_of_the_merger_that_created_the_code(registry):
    assert municipality("GM1954").established_on == datetime.date(2019, 1, 1)  # Beekdaelen
    assert municipality("GM1979").established_on == datetime.date(2021, 1, 1)  # Eemsdelta
    assert municipality("GM1980").established_on == datetime.date(2022, 1, 1)  # Dijk en Waard
    assert municipality("GM1992").established_on == datetime.date(2023, 1, 1)  # Voorne aan Zee
    # "voor 2019", also for one that kept its code when others merged into it.
    assert municipality("GM0384").established_on is None
    assert municipality("GM0014").established_on is None  # Groningen
    # Each municipality has figures exactly for the 1 Januaries on which it existed.
    for m in Municipality.objects.prefetch_related("population_counts"):
        for year in (c.year for c in m.population_counts.all()):
            day = datetime.date(year, 1, 1)
            assert m.established_on is None or m.established_on <= day, m
            assert m.dissolved_on is None or day < m.dissolved_on, m


def test_identifiers_with_source_and_as_of_date(registry):
    diemen = municipality("GM0384")
    assert diemen.kvk == "34374815"
    assert len(diemen.oin) == 20 and diemen.oin.startswith("00000001")
    assert diemen.identifiers_as_of == datetime.date(2026, 5, 16)
    assert diemen.identifiers_source.startswith("https://github.com/anneschuth/polder/")
    assert municipality("GM0363").oin == "00000001002564440000"
    dijk_en_waard = municipality("GM1980")
    assert dijk_en_waard.rsin == ""
    assert dijk_en_waard.oin and dijk_en_waard.kvk
    current = Municipality.objects.filter(dissolved_on__isnull=True)
    assert current.exclude(oin="").count() == 342
    assert current.exclude(rsin="").count() == 340
    assert not Municipality.objects.filter(dissolved_on__isnull=False).exclude(oin="").exists()


def test_networks_and_their_published_members(registry):
    assert list(Network.objects.values_list("code", flat=True)) == [
        "G4",
        "G40",
        "K80",
        "M50",
        "P10",
    ]
    m50 = Network.objects.get(code="M50")
    assert m50.name == "M50, netwerk van middelgrote gemeenten"
    assert m50.list_completeness.startswith("volledig (61 leden")
    assert Network.objects.get(code="P10").list_completeness.startswith("gedeeltelijk")
    assert m50.memberships.count() == 61
    assert Network.objects.get(code="G40").memberships.count() == 41
    diemen = NetworkMembership.objects.get(network=m50, municipality__code="GM0384")
    assert (diemen.as_of, diemen.status) == ("2023-04", "lid")
    assert diemen.source_url == "http://www.middelgrotegemeenten.nl/strag+m50/default.aspx"
    assert selectors.registry_summary().m50_members == 61


def test_m50_members_outside_the_band_are_exactly_five(registry):
    assert sorted(m.name for m in selectors.m50_members_outside_band()) == [
        "Dijk en Waard",
        "Meierijstad",
        "Oost Gelre",
        "Wassenaar",
        "Winterswijk",
    ]


def test_diemen_is_no_prospect_while_it_is_an_m50_member(registry):
    assert NetworkMembership.objects.filter(
        network__code="M50", municipality__code="GM0384"
    ).exists()
    in_band, approaching = selectors.prospect_lists()
    prospect_codes = {p.municipality.code for p in in_band + approaching}
    assert "GM0384" not in prospect_codes
    assert not prospect_codes & set(
        NetworkMembership.objects.filter(network__code="M50").values_list(
            "municipality__code", flat=True
        )
    )
    assert [p.inhabitants for p in in_band] == sorted(
        (p.inhabitants for p in in_band), reverse=True
    )


def test_without_its_membership_diemen_is_a_prospect_that_entered_in_2020(registry):
    NetworkMembership.objects.filter(network__code="M50", municipality__code="GM0384").delete()
    in_band, _approaching = selectors.prospect_lists()
    (diemen,) = [p for p in in_band if p.municipality.code == "GM0384"]
    assert (diemen.inhabitants, diemen.year, diemen.entered_band_in) == (32_977, 2024, 2020)


def test_every_current_municipality_gets_an_organisation(registry):
    organisations = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
    assert organisations.count() == 342
    assert not organisations.filter(municipality__dissolved_on__isnull=False).exists()
    assert Organisation.objects.get(municipality__code="GM0384").name == "Gemeente Diemen"
    assert Organisation.objects.get(network__code="M50").kind == Organisation.Kind.OTHER


def test_a_second_run_changes_nothing_and_says_so(registry):
    before = _snapshot()
    report = services.reference_data_load(data_dir=settings.DATA_DIR)
    assert not report.changed
    assert all(c.created == 0 and c.updated == 0 for c in report.counts.values())
    assert report.counts["population"].unchanged == 2091
    assert report.summary() == "Niets gewijzigd: de referentiegegevens waren al actueel."
    assert _snapshot() == before

    # The command also loads the membership dossier the first time; then it has nothing to do.
    call_command("load-reference-data", stdout=StringIO())
    out = StringIO()
    call_command("load-reference-data", stdout=out)
    assert out.getvalue().strip() == "Niets gewijzigd: de referentiegegevens waren al actueel."


def test_a_changed_row_is_put_right_and_reported(registry):
    Municipality.objects.filter(code="GM0384").update(name="Diemen (fout)", kvk="")
    report = services.reference_data_load(data_dir=settings.DATA_DIR)
    assert report.changed
    assert report.counts["municipalities"].updated == 1
    assert municipality("GM0384").name == "Diemen"
    assert municipality("GM0384").kvk == "34374815"


def test_a_population_correction_survives_the_next_load(registry):
    PopulationCount.objects.filter(municipality__code="GM0384", year=2024).update(
        inhabitants=33_000, source="CBS 37259NED, correctie"
    )
    report = services.reference_data_load(data_dir=settings.DATA_DIR)
    assert not report.changed
    assert report.counts["population"].kept == 1
    assert series("GM0384")[2024] == 33_000
    assert any("1 afwijkend gelaten" in line for line in report.lines())


def test_the_command_on_an_empty_registry_prints_the_counts(registry):
    reference_data_remove()  # rolled back with the test's transaction
    out = StringIO()
    call_command("load-reference-data", "--data-dir", str(settings.DATA_DIR), stdout=out)
    output = out.getvalue()
    assert "Referentiegegevens geladen." in output
    assert "Inwonertallen: 2091 nieuw, 0 bijgewerkt, 0 ongewijzigd" in output
    assert "Netwerklidmaatschappen: 143 nieuw" in output
    assert Municipality.objects.filter(dissolved_on__isnull=True).count() == 342


def test_the_command_refuses_a_missing_data_dir(registry, tmp_path):
    with pytest.raises(CommandError, match="niet gevonden"):
        call_command("load-reference-data", "--data-dir", str(tmp_path / "nergens"))
    with pytest.raises(CommandError, match="ontbreekt"):
        call_command("load-reference-data", "--data-dir", str(tmp_path))


def test_inconsistent_data_are_refused_and_nothing_is_written(registry, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(settings.DATA_DIR, data_dir)
    changes = data_dir / services.BOUNDARY_CHANGES_FILE
    changes.write_text(
        changes.read_text(encoding="utf-8").replace("grenscorrectie", "grenswijziging", 1),
        encoding="utf-8",
    )
    Municipality.objects.filter(code="GM0384").update(name="Diemen (fout)")
    err = StringIO()
    with pytest.raises(CommandError, match="niet consistent"):
        call_command("load-reference-data", "--data-dir", str(data_dir), stderr=err)
    assert "onbekend type herindeling 'grenswijziging'" in err.getvalue()
    line = (
        changes.read_text(encoding="utf-8")
        .splitlines()
        .index(
            next(
                x for x in changes.read_text(encoding="utf-8").splitlines() if "grenswijziging" in x
            )
        )
    )
    assert f"regel {line + 1}:" in err.getvalue()
    assert municipality("GM0384").name == "Diemen (fout)"  # not even the valid parts


def _snapshot():
    return (
        list(Province.objects.values_list()),
        list(Municipality.objects.values_list()),
        list(PopulationCount.objects.values_list()),
        list(BoundaryChange.objects.values_list()),
        list(Network.objects.values_list()),
        list(NetworkMembership.objects.values_list()),
        list(Organisation.objects.values_list()),
    )


def test_a_dissolution_learnt_from_the_data_ends_the_membership_with_it(registry):
    """The end date of a municipality comes from the registry's data; the membership's status
    periods follow it in the same load."""
    weesp = municipality("GM0457")
    Municipality.objects.filter(pk=weesp.pk).update(dissolved_on=None)  # not yet known
    membership = membership_services.membership_for(municipality=municipality("GM0457"))
    membership_services.decision_record(
        membership=membership,
        kind="aspirant",
        deciding_body="college",
        decided_on=datetime.date(2021, 5, 1),
    )
    day = datetime.date(2023, 1, 1)
    assert membership_selectors.summary_status_of(membership, day) == "aspirant"
    services.reference_data_load(data_dir=settings.DATA_DIR)
    rows = membership_selectors.membership_rows(
        today=day, statuses=("aspirant", "terminated"), municipality_code="GM0457"
    )
    assert [(row.summary.status, row.summary.since) for row in rows] == [
        ("terminated", datetime.date(2022, 3, 24))
    ]
    assert list(derived_differences()) == []


def test_the_command_puts_back_the_shipped_pillars_of_an_emptied_database(registry):
    from m50.pillars.models import Pillar

    Pillar.objects.all().delete()  # as a flushed database has them: none
    out = StringIO()
    call_command("load-reference-data", stdout=out)
    assert "Pijlers: 8 aangemaakt, 4 opvolgingen." in out.getvalue()
    assert Pillar.objects.filter(ended=False).count() == 3
    again = StringIO()
    call_command("load-reference-data", stdout=again)
    assert "Pijlers" not in again.getvalue()


def test_the_demo_pillar_chair_chairs_sociaal_and_the_participant_takes_part(capsys, registry):
    """On the reference data (Diemen a member): the rights of the demo chair are per pillar,
    so the demo gives it a pillar to chair, through the services; a second run adds nothing."""
    from m50.accounts.models import User
    from m50.membership.services import membership_reference_load
    from m50.pillars import rules
    from m50.pillars.models import Participation, Pillar

    membership_reference_load()
    call_command("create-demo-accounts")
    out = capsys.readouterr().out
    assert "pijlervoorzitter neemt deel aan Sociaal als voorzitter." in out
    chair = User.objects.get(username="pijlervoorzitter")
    sociaal, financieel = Pillar.objects.get(slug="sociaal"), Pillar.objects.get(slug="financieel")
    assert rules.may_manage(chair, sociaal) and not rules.may_manage(chair, financieel)
    participant = User.objects.get(username="deelnemer")
    assert Participation.objects.running().filter(position__person=participant.person).count() == 1
    call_command("create-demo-accounts")
    assert Participation.objects.count() == 2
