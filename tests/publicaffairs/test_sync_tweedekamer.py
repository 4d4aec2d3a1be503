"""``m50 sync-tweedekamer --from-dir``: the saved responses of the Tweede Kamer's API in
tests/publicaffairs/data (see PROVENANCE.md there) and pages written for each messy case."""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from m50.core.models import AuditEvent
from m50.publicaffairs.models import (
    Committee,
    CommitteeMembership,
    Decision,
    Fractie,
    MemberOfParliament,
    Motion,
    MotionSubmitter,
    ParliamentActivity,
    SyncedFile,
    SyncState,
    Vote,
)
from m50.publicaffairs.services import tweedekamer_directory_sync
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
SPREIDINGSWET = "stemming_fractie_expand_besluit_agendapunt_zaak_motie_2023Z20221.sample.json"
BASE = "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/$metadata#"


def page(directory: Path, name: str, context: str | None, records: list[dict]) -> Path:
    path = directory / name
    body = {"@odata.context": BASE + context, "value": records} if context else records
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def ident(n: int) -> str:
    return str(uuid.UUID(int=n))


def zaak(n: int, *, changed="2025-10-03T10:21:32.79+02:00", **fields) -> dict:
    return {
        "Id": ident(n),
        "Nummer": f"2025Z{n:05d}",
        "Soort": "Motie",
        "Titel": "Begroting Volkshuisvesting",
        "Onderwerp": f"Motie {n} over woningbouw",
        "GestartOp": "2025-10-02T00:00:00+02:00",
        "Vergaderjaar": "2025-2026",
        "Volgnummer": n,
        "Status": "Vrijgegeven",
        "Afgedaan": True,
        "Kabinetsappreciatie": "Ontraden",
        "GewijzigdOp": changed,
        "Verwijderd": False,
        **fields,
    }


def besluit(n: int, *, zaak_id: str | None = None, **fields) -> dict:
    record = {
        "Id": ident(n),
        "Agendapunt_Id": ident(n + 1),
        "StemmingsSoort": "Met handopsteken",
        "BesluitSoort": "Stemmen - verworpen",
        "BesluitTekst": "Verworpen.",
        "Status": "Besluit",
        "AgendapuntZaakBesluitVolgorde": 1,
        "GewijzigdOp": "2025-10-07T17:00:00+02:00",
        "Verwijderd": False,
        **fields,
    }
    if zaak_id:
        # As ``$expand=Zaak($select=Id)`` gives it: the link only.
        record["Zaak"] = [{"Id": zaak_id}]
    return record


def stemming(n: int, *, besluit_id: str, soort="Voor", size=10, persoon_id=None, **fields):
    return {
        "Id": ident(n),
        "Besluit_Id": besluit_id,
        "Soort": soort,
        "FractieGrootte": size,
        "ActorNaam": f"Fractie {n}",
        "ActorFractie": f"Fractie {n}",
        "Vergissing": False,
        "Persoon_Id": persoon_id,
        "Fractie_Id": ident(n + 500),
        "GewijzigdOp": "2025-10-07T17:05:00+02:00",
        "Verwijderd": False,
        **fields,
    }


def sync(directory: Path):
    return tweedekamer_directory_sync(directory=directory)


def test_every_saved_response_loads_and_the_service_document_is_passed_over(tmp_path):
    report = sync(DATA)
    assert report.failed == []
    assert len(report.pages) == len(list(DATA.glob("*.json"))) == 11
    notes = {result.name: result.note for result in report.pages if result.note}
    assert list(notes) == ["odata_service_document.capture.json"]
    totals = {entity: counts.as_dict() for entity, counts in report.totals().items()}
    # 11 current fracties, 15 in the spreidingswet vote (10 of them the same), GroenLinks
    # and 2 placeholders in the capture.
    assert totals["Fractie"] == {
        "new": 17,
        "changed": 0,
        "deleted": 0,
        "skipped": 2,
        "unchanged": 10,
    }
    assert totals["Persoon"] == {
        "new": 6,
        "changed": 0,
        "deleted": 0,
        "skipped": 2,
        "unchanged": 0,
    }
    # The deleted vote names nothing we have: nothing to remove.
    assert totals["Stemming"]["new"] == 15 + 2
    assert totals["Stemming"]["deleted"] == 0
    assert totals["Besluit"]["new"] == 3 + 1
    assert totals["Activiteit"]["new"] == 3
    assert Motion.objects.count() == 5 + 1 + 1
    assert Fractie.objects.count() == Fractie.objects.values("tk_id").distinct().count()
    assert SyncState.objects.get(entity="Persoon").last_changed_at.year == 2025


def test_the_spreidingswet_motion_is_adopted_95_to_55_with_15_fractie_votes(tmp_path):
    shutil.copy(DATA / SPREIDINGSWET, tmp_path)
    report = sync(tmp_path)
    assert report.failed == []
    motion = Motion.objects.get(number="2023Z20221")
    assert motion.source == Motion.Source.TWEEDE_KAMER
    assert "spreidingswet" in motion.subject
    assert motion.cabinet_appraisal == "Niet beschikbaar bij gewijzigde moties en/of amendementen"
    decision = motion.decisions.get()
    assert decision.result == "Aangenomen"
    assert decision.vote_count == "95–55"
    assert decision.vote_kind == "Met handopsteken"
    votes = decision.votes.select_related("fractie")
    assert votes.count() == 15
    assert all(vote.fractie is not None and vote.member is None for vote in votes)
    assert votes.get(actor_name="VVD").fractie.seats == 24
    assert sum(vote.fractie_size for vote in votes if vote.kind == "Voor") == 95


def test_placeholders_are_skipped_and_counted(tmp_path):
    shutil.copy(DATA / "persoon_top3.capture.json", tmp_path)
    shutil.copy(DATA / "fractie_top3.capture.json", tmp_path)
    report = sync(tmp_path)
    totals = report.totals()
    assert (totals["Persoon"].skipped, totals["Persoon"].new) == (2, 1)
    assert (totals["Fractie"].skipped, totals["Fractie"].new) == (2, 1)
    assert MemberOfParliament.objects.get().surname == "Claessens"
    groenlinks = Fractie.objects.get()
    assert (groenlinks.abbreviation, groenlinks.seats, groenlinks.is_active) == ("GL", 0, False)
    assert str(groenlinks.active_to) == "2023-10-26"


def test_a_deleted_record_removes_what_it_names(tmp_path):
    page(tmp_path, "a.json", "Besluit", [besluit(10)])
    page(tmp_path, "b.json", "Stemming", [stemming(20, besluit_id=ident(10))])
    sync(tmp_path)
    assert Vote.objects.count() == 1
    assert Decision.objects.get().vote_count == "10–0"
    deleted = {
        **{key: None for key in stemming(20, besluit_id=ident(10))},
        "Id": ident(20),
        "Vergissing": False,
        "GewijzigdOp": "2025-10-08T09:00:00+02:00",
        "Verwijderd": True,
    }
    page(tmp_path, "c.json", "Stemming", [deleted])
    report = sync(tmp_path)
    assert report.totals()["Stemming"].deleted == 1
    assert not Vote.objects.exists()
    assert Decision.objects.get().vote_count == ""
    # Read again, the older page does not bring the vote back.
    again = sync(tmp_path).totals()["Stemming"]
    assert (again.new, again.deleted, again.unchanged) == (0, 0, 2)
    assert not Vote.objects.exists()


def test_a_fractie_deleted_halfway_through_a_run_is_not_linked_to_afterwards(tmp_path):
    """The run keeps the fracties it found; one deleted on a later page is looked up again."""
    fractie = {
        "Id": ident(520),
        "NaamNL": "Fractie 20",
        "Afkorting": "F20",
        "GewijzigdOp": "2025-01-01T10:00:00+01:00",
        "Verwijderd": False,
    }
    page(tmp_path, "1.json", "Fractie", [fractie])
    page(tmp_path, "2.json", "Besluit", [besluit(10)])
    page(tmp_path, "3.json", "Stemming", [stemming(20, besluit_id=ident(10))])
    gone = {**fractie, "GewijzigdOp": "2025-10-08T09:00:00+02:00", "Verwijderd": True}
    page(tmp_path, "4.json", "Fractie", [gone])
    page(
        tmp_path, "5.json", "Stemming", [stemming(21, besluit_id=ident(10), Fractie_Id=ident(520))]
    )
    report = sync(tmp_path)
    assert report.failed == []
    assert Vote.objects.get(tk_id=ident(20)).fractie_id is None  # SET NULL by the deletion
    later = Vote.objects.get(tk_id=ident(21))
    assert (later.fractie_id, str(later.tk_fractie_id)) == (None, ident(520))


def test_unknown_values_of_the_tweede_kamer_lists_are_kept_as_text(tmp_path):
    page(tmp_path, "zaak.json", "Zaak", [zaak(1, Kabinetsappreciatie="Overbodig")])
    page(tmp_path, "besluit.json", "Besluit", [besluit(10, BesluitSoort="Stemmen - uitgesteld")])
    page(
        tmp_path,
        "stemming.json",
        "Stemming",
        [stemming(20, besluit_id=ident(10), soort="Onthouden")],
    )
    assert sync(tmp_path).failed == []
    assert Motion.objects.get().cabinet_appraisal == "Overbodig"
    assert Decision.objects.get().result == "Uitgesteld"
    assert Vote.objects.get().kind == "Onthouden"


def test_votes_and_decisions_before_their_motion_link_up_when_it_arrives(tmp_path):
    first = tmp_path / "first"
    first.mkdir()
    page(first, "1.json", "Stemming", [stemming(20, besluit_id=ident(10), size=30)])
    page(first, "2.json", "Stemming", [stemming(21, besluit_id=ident(10), soort="Tegen")])
    sync(first)
    assert Vote.objects.filter(decision__isnull=True).count() == 2
    second = tmp_path / "second"
    second.mkdir()
    page(second, "1.json", "Besluit", [besluit(10, zaak_id=ident(1))])
    sync(second)
    decision = Decision.objects.get()
    assert decision.votes.count() == 2
    assert decision.vote_count == "30–10"
    # The motion is not known yet: the decision and its votes wait under the decision.
    assert decision.motion is None
    assert decision.tk_motion_id == uuid.UUID(ident(1))
    third = tmp_path / "third"
    third.mkdir()
    page(third, "1.json", "Zaak", [zaak(1)])
    sync(third)
    motion = Motion.objects.get()
    assert list(motion.decisions.all()) == [decision]
    assert Vote.objects.filter(decision__motion=motion).count() == 2


def test_a_second_sync_of_the_same_files_changes_nothing(tmp_path):
    shutil.copytree(DATA, tmp_path / "data")
    first = sync(tmp_path / "data")
    assert first.total().new > 0
    with CaptureQueriesContext(connection) as queries:
        second = sync(tmp_path / "data")
    total = second.total()
    assert (total.new, total.changed, total.deleted) == (0, 0, 0)
    assert total.unchanged == first.total().new + first.total().unchanged
    assert "0 gewijzigd" in next(line for line in second.lines() if line.startswith("Totaal"))
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}
        and "core_auditevent" not in query["sql"]
    ]
    assert writes == []


def test_a_file_applied_whole_before_is_not_read_again_and_an_edited_one_is(tmp_path):
    page(tmp_path, "a.json", "Zaak", [zaak(1), zaak(2, Soort="Wetgeving")])
    page(tmp_path, "b.json", "Besluit", [besluit(10, zaak_id=ident(1))])
    first = sync(tmp_path)
    assert SyncedFile.objects.count() == 2
    assert not any(result.same_as_before for result in first.pages)
    # The same files again: passed over by their digest, counted as a reading would count them.
    second = sync(tmp_path)
    assert all(result.same_as_before for result in second.pages)
    assert second.totals()["Zaak"].as_dict() == {
        "new": 0,
        "changed": 0,
        "deleted": 0,
        "skipped": 1,
        "unchanged": 1,
    }
    assert second.totals()["Besluit"].unchanged == 1
    assert "2 bestanden hadden dezelfde inhoud" in second.lines()[-1]
    # One file edited (a newer version of the motion): that one is read, the other is not.
    page(
        tmp_path,
        "a.json",
        "Zaak",
        [zaak(1, changed="2025-10-09T10:00:00+02:00", Kabinetsappreciatie="Oordeel Kamer")],
    )
    third = sync(tmp_path)
    assert [(r.name, r.same_as_before) for r in third.pages] == [
        ("a.json", False),
        ("b.json", True),
    ]
    assert third.totals()["Zaak"].changed == 1
    assert Motion.objects.get().cabinet_appraisal == "Oordeel Kamer"
    # A copy of a file under another name is the same content.
    shutil.copy(tmp_path / "b.json", tmp_path / "c.json")
    assert [r.same_as_before for r in sync(tmp_path).pages] == [True, True, True]


def test_a_file_whose_outcome_can_still_change_is_read_again(tmp_path):
    """A lead committee named before its motion is known, and a record without GewijzigdOp:
    reading the file later can still change something, so its bytes are not remembered."""
    page(tmp_path, "1.json", "Commissie", [{"Id": ident(900), "NaamNL": "BZK", "Afkorting": "BZK"}])
    lead = {
        "Id": ident(802),
        "Zaak_Id": ident(1),
        "Commissie_Id": ident(900),
        "Relatie": "Voortouwcommissie",
        "ActorNaam": "BZK",
        "GewijzigdOp": "2025-10-03T10:21:32+02:00",
    }
    page(tmp_path, "2.json", "ZaakActor", [lead])
    sync(tmp_path)
    assert list(SyncedFile.objects.values_list("name", flat=True)) == []
    # The motion arrives (read first, by its name): the lead committee is now applied.
    page(tmp_path, "0.json", "Zaak", [zaak(1)])
    report = sync(tmp_path)
    assert [r.same_as_before for r in report.pages] == [False, False, False]
    assert Motion.objects.get().committee.abbreviation == "BZK"
    # The committee has no GewijzigdOp: its file is read every time.
    assert set(SyncedFile.objects.values_list("name", flat=True)) == {"0.json", "2.json"}


def test_a_newer_record_with_other_values_is_updated(tmp_path):
    page(tmp_path, "a.json", "Zaak", [zaak(1)])
    sync(tmp_path)
    page(
        tmp_path,
        "a.json",
        "Zaak",
        [zaak(1, changed="2025-10-09T10:00:00+02:00", Kabinetsappreciatie="Oordeel Kamer")],
    )
    report = sync(tmp_path)
    assert report.totals()["Zaak"].changed == 1
    assert Motion.objects.get().cabinet_appraisal == "Oordeel Kamer"
    # An older copy of the record does not take the motion back.
    page(tmp_path, "a.json", "Zaak", [zaak(1, Kabinetsappreciatie="Ontraden")])
    assert sync(tmp_path).totals()["Zaak"].unchanged == 1
    assert Motion.objects.get().cabinet_appraisal == "Oordeel Kamer"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"@odata.context": "x$metadata#Zaak", "value": [', "geen geldige JSON"),
        ('{"@odata.context": "x$metadata#Zaak", "value": {"Id": 1}}', "geen lijst"),
        ('[{"Id": "1"}]', "bestandsnaam"),
        (
            '{"@odata.context": "x$metadata#Zaak", "value": [{"Id": "geen-uuid"}]}',
            "zonder geldig Id",
        ),
        (
            '{"@odata.context": "x$metadata#Zaak", "value": [{"Id": "%s", "Soort": "Motie", '
            '"GewijzigdOp": "2025-10-03T10:21:32+02:00", "Verwijderd": false}]}' % ("x" * 36),
            "ongeldig Id",
        ),
    ],
)
def test_a_bad_file_is_named_and_changes_nothing_while_the_rest_goes_on(tmp_path, content, message):
    page(tmp_path, "a_good.json", "Zaak", [zaak(1)])
    (tmp_path / "b_bad.json").write_text(content, encoding="utf-8")
    report = sync(tmp_path)
    assert [result.name for result in report.failed] == ["b_bad.json"]
    assert "b_bad.json" in report.failed[0].error
    assert message in report.failed[0].error
    assert Motion.objects.count() == 1


def test_a_bad_record_halfway_leaves_the_whole_file_unapplied(tmp_path):
    records = [zaak(1), zaak(2), zaak(3, GewijzigdOp="gisteren")]
    page(tmp_path, "zaak.json", "Zaak", records)
    page(tmp_path, "besluit.json", "Besluit", [besluit(10)])
    report = sync(tmp_path)
    assert [result.name for result in report.failed] == ["zaak.json"]
    assert "GewijzigdOp" in report.failed[0].error
    assert not Motion.objects.exists()
    assert Decision.objects.count() == 1
    assert not SyncState.objects.filter(entity="Zaak").exists()


def test_the_command_reports_per_entity_exits_non_zero_on_a_bad_file_and_audits(tmp_path, capsys):
    page(tmp_path, "zaak.json", "Zaak", [zaak(1), zaak(2, Soort="Wetgeving")])
    call_command("sync-tweedekamer", "--from-dir", str(tmp_path))
    out = capsys.readouterr().out
    assert "Zaak: 1 nieuw, 0 gewijzigd, 0 verwijderd, 1 overgeslagen, 0 ongewijzigd" in out
    event = AuditEvent.objects.get(action="tweedekamer.sync")
    assert event.changes["Zaak"]["new"]["new"] == 1
    assert event.origin.startswith("opdrachtregel")
    (tmp_path / "kapot.json").write_text("{", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("sync-tweedekamer", "--from-dir", str(tmp_path))
    assert raised.value.returncode == 1
    assert "kapot.json" in capsys.readouterr().err
    assert AuditEvent.objects.filter(action="tweedekamer.sync").count() == 2


def test_members_keep_no_personal_data_beyond_the_work_and_live_in_a_municipality(tmp_path):
    heerlen = MunicipalityFactory(name="Heerlen")
    shutil.copy(DATA / "persoon_list_page.sample.json", tmp_path)
    assert sync(tmp_path).failed == []
    member = MemberOfParliament.objects.get(surname="Beer")
    assert (member.display_name, member.residence) == ("Martin de Beer", "Heerlen")
    assert member.municipality == heerlen
    # A village inside a municipality names none.
    assert MemberOfParliament.objects.get(residence="Klazienaveen").municipality is None
    fields = {f.name for f in MemberOfParliament._meta.get_fields()}
    assert not fields & {"birth_date", "date_of_birth", "birthplace", "gender"}
    assert "1980-02-08" not in json.dumps(list(MemberOfParliament.objects.values()), default=str)


def test_a_motion_keeps_links_to_its_documents(tmp_path):
    shutil.copy(DATA / "zaak_motie_2025Z18661_expand_document.sample.json", tmp_path)
    assert sync(tmp_path).failed == []
    motion = Motion.objects.get(number="2025Z18661")
    (document,) = motion.documents
    assert document["identifier"] == "kst-36800-IX-35"
    urls = [file["url"] for file in document["files"]]
    assert "https://zoek.officielebekendmakingen.nl/kst-36800-IX-35.pdf" in urls
    # A later page without the documents expanded keeps them.
    page(tmp_path, "zaak.json", "Zaak", [zaak(1)])
    (tmp_path / "zaak_motie_2025Z18661_expand_document.sample.json").unlink()
    record = json.loads((DATA / "zaak_motie_2025Z18661_expand_document.sample.json").read_text())
    del record["Document"]
    record["GewijzigdOp"] = "2025-12-01T10:00:00+01:00"
    page(tmp_path, "zaak2.json", "Zaak", [record])
    sync(tmp_path)
    assert Motion.objects.get(number="2025Z18661").documents == motion.documents


def test_a_roll_call_is_stored_per_member(tmp_path):
    persons = [
        {"Id": ident(700 + n), "Achternaam": f"Lid{n}", "Roepnaam": "Anna", "Verwijderd": False}
        for n in range(3)
    ]
    page(tmp_path, "1.json", "Persoon", persons)
    page(tmp_path, "2.json", "Besluit", [besluit(10, StemmingsSoort="Hoofdelijk")])
    votes = [
        stemming(20 + n, besluit_id=ident(10), soort=soort, size=None, persoon_id=ident(700 + n))
        for n, soort in enumerate(["Voor", "Voor", "Tegen"])
    ]
    votes[2]["Vergissing"] = True
    page(tmp_path, "3.json", "Stemming", votes)
    assert sync(tmp_path).failed == []
    decision = Decision.objects.get()
    assert decision.vote_count == "2–1"
    assert [v.member.surname for v in decision.votes.order_by("member__surname")] == [
        "Lid0",
        "Lid1",
        "Lid2",
    ]
    assert decision.votes.get(member__surname="Lid2").mistake is True


def test_submitters_lead_committee_memberships_and_activities(tmp_path):
    page(
        tmp_path,
        "1.json",
        "Commissie",
        [{"Id": ident(900), "NaamNL": "vaste commissie voor BZK", "Afkorting": "BZK"}],
    )
    page(
        tmp_path,
        "2.json",
        "Persoon",
        [{"Id": ident(700), "Achternaam": "Dijk", "Roepnaam": "Jimmy"}],
    )
    page(tmp_path, "3.json", "Zaak", [zaak(1)])
    actors = [
        {
            "Id": ident(800),
            "Zaak_Id": ident(1),
            "Persoon_Id": ident(700),
            "Relatie": "Indiener",
            "ActorNaam": "J.P. Dijk",
            "ActorFractie": "SP",
        },
        {
            "Id": ident(801),
            "Zaak_Id": ident(1),
            "Persoon_Id": None,
            "Relatie": "Medeindiener",
            "ActorNaam": "Iemand",
            "ActorFractie": "Volt",
        },
        {
            "Id": ident(802),
            "Zaak_Id": ident(1),
            "Commissie_Id": ident(900),
            "Relatie": "Voortouwcommissie",
            "ActorNaam": "BZK",
        },
    ]
    page(tmp_path, "4.json", "ZaakActor", actors)
    seat = {"Id": ident(950), "Commissie_Id": ident(900)}
    page(
        tmp_path,
        "5.json",
        "CommissieZetelVastPersoon(CommissieZetel())",
        [
            {
                "Id": ident(960),
                "Persoon_Id": ident(700),
                "Functie": "Lid",
                "Van": "2023-12-06",
                "TotEnMet": None,
                "CommissieZetel": seat,
            }
        ],
    )
    shutil.copy(DATA / "activiteit_top3.capture.json", tmp_path)
    assert sync(tmp_path).failed == []
    motion = Motion.objects.get()
    assert motion.committee.abbreviation == "BZK"
    submitters = {(s.role, s.name, s.member_id is not None) for s in MotionSubmitter.objects.all()}
    assert submitters == {("submitter", "J.P. Dijk", True), ("co_signer", "Iemand", False)}
    membership = CommitteeMembership.objects.get()
    assert (membership.committee.abbreviation, membership.member.surname) == ("BZK", "Dijk")
    assert ParliamentActivity.objects.get(kind="Werkbezoek").committee_name == (
        "vaste commissie voor Defensie"
    )
    assert Committee.objects.count() == 1


def seat(n: int, *, fractie: int, start: str, end: str | None = None) -> dict:
    return {
        "Id": ident(n),
        "Persoon_Id": ident(700),
        "Functie": "Lid",
        "Van": start,
        "TotEnMet": end,
        "GewijzigdOp": "2025-01-01T10:00:00+01:00",
        "Verwijderd": False,
        "FractieZetel": {"Id": ident(n + 100), "Fractie_Id": ident(fractie)},
    }


def test_a_members_current_fractie_comes_from_the_seat_without_an_end(tmp_path):
    context = "FractieZetelPersoon(FractieZetel(),Persoon())"
    first = tmp_path / "first"
    first.mkdir()
    # The seats arrive before the member and before the fractie.
    page(
        first,
        "1.json",
        context,
        [
            seat(610, fractie=601, start="2017-03-23", end="2023-10-26"),
            seat(611, fractie=602, start="2023-10-27"),
        ],
    )
    page(first, "2.json", "Persoon", [{"Id": ident(700), "Achternaam": "Klaver"}])
    assert sync(first).failed == []
    member = MemberOfParliament.objects.get()
    assert member.tk_fractie_id == uuid.UUID(ident(602))
    assert member.fractie is None
    second = tmp_path / "second"
    second.mkdir()
    fracties = [
        {"Id": ident(601), "Afkorting": "GL", "NaamNL": "GroenLinks"},
        {"Id": ident(602), "Afkorting": "GL-PvdA", "NaamNL": "GroenLinks-PvdA"},
    ]
    page(second, "1.json", "Fractie", fracties)
    sync(second)
    member.refresh_from_db()
    assert member.fractie.abbreviation == "GL-PvdA"
    assert member.fractie_memberships.count() == 2
    # The current seat deleted: no current fractie.
    gone = {"Id": ident(611), "GewijzigdOp": "2025-06-01T10:00:00+02:00", "Verwijderd": True}
    page(second, "2.json", "FractieZetelPersoon", [gone])
    sync(second)
    member.refresh_from_db()
    assert member.fractie is None
