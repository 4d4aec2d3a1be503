"""Benchmark of ``m50 sync-tweedekamer --from-dir``: 50,000 motions with their decisions and
15 fractie votes each (750,000 votes), as the API's pages of 250 records, synced into an
empty database and then again with nothing changed.

    python -m bench tweedekamer                 # 50,000 motions
    python -m bench tweedekamer --quick         # 5,000 motions
    python scripts/with_postgres.py .venv/bin/python -m bench tweedekamer

The pages are written to a temporary directory first, in the shapes the API sends: ``Fractie``,
``Zaak`` (Soort Motie), ``Besluit`` with ``$expand=Zaak($select=Id)`` (the link to the motion),
``Stemming`` (per fractie, with ``Besluit_Id`` and ``Fractie_Id``). Targets: the first sync in
under 60 s, the re-sync in under 5 s: once as it runs (every file passed over by its digest,
``SyncedFile``) and once with those digests forgotten, each record looked up and compared.
Memory: the peak resident size of the process (the database's cache included), and the Python
heap's peak during the re-sync under tracemalloc, run separately as tracemalloc slows Python
down. Randomness is seeded.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import resource
import time
import tracemalloc
import uuid
from pathlib import Path

from bench.harness import throwaway_database

SEED = 20_261_206
MOTIONS = 50_000
PAGE = 250
TARGET_FIRST_S = 60.0
TARGET_AGAIN_S = 5.0
CONTEXT = "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/$metadata#"
FRACTIES = [
    ("PVV", 37),
    ("GroenLinks-PvdA", 25),
    ("VVD", 24),
    ("NSC", 20),
    ("D66", 9),
    ("BBB", 7),
    ("CDA", 5),
    ("SP", 5),
    ("DENK", 3),
    ("PvdD", 3),
    ("FVD", 3),
    ("SGP", 3),
    ("ChristenUnie", 3),
    ("Volt", 2),
    ("JA21", 1),
]
TOPICS = ["woningbouw", "jeugdzorg", "gemeentefonds", "openbaar vervoer", "asielopvang", "energie"]


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _changed(rng: random.Random) -> str:
    moment = datetime.datetime(2024, 1, 1, 10, tzinfo=datetime.UTC) + datetime.timedelta(
        seconds=rng.randrange(60 * 60 * 24 * 600)
    )
    return moment.astimezone(datetime.timezone(datetime.timedelta(hours=1))).isoformat(
        timespec="milliseconds"
    )


def _write(directory: Path, name: str, entity: str, records: list[dict]) -> None:
    body = {"@odata.context": CONTEXT + entity, "value": records}
    (directory / name).write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")


def pages_write(directory: Path, motions: int, rng: random.Random) -> int:
    """Write the pages; returns how many files."""
    fracties = [
        {
            "Id": _id(rng),
            "Nummer": 1000 + n,
            "Afkorting": name,
            "NaamNL": name,
            "NaamEN": name,
            "AantalZetels": seats,
            "AantalStemmen": seats * 70_000,
            "DatumActief": "2023-11-22T00:00:00+01:00",
            "DatumInactief": None,
            "ContentType": None,
            "ContentLength": None,
            "GewijzigdOp": _changed(rng),
            "ApiGewijzigdOp": None,
            "Verwijderd": False,
        }
        for n, (name, seats) in enumerate(FRACTIES)
    ]
    _write(directory, "1_fractie_0001.json", "Fractie", fracties)
    files = 1
    vote_buffer: list[dict] = []
    vote_file = 0
    for first in range(0, motions, PAGE):
        zaken, besluiten = [], []
        for n in range(first, min(first + PAGE, motions)):
            zaak_id, besluit_id = _id(rng), _id(rng)
            topic = rng.choice(TOPICS)
            zaken.append(
                {
                    "Id": zaak_id,
                    "Nummer": f"2025Z{n:05d}",
                    "Soort": "Motie",
                    "Titel": "Vaststelling van de begrotingsstaat voor het jaar 2026",
                    "Citeertitel": None,
                    "Alias": None,
                    "Status": "Vrijgegeven",
                    "Onderwerp": f"Motie van het lid Jansen c.s. over {topic} ({n})",
                    "GestartOp": "2025-10-02T00:00:00+02:00",
                    "Organisatie": "Tweede Kamer",
                    "Grondslagvoorhang": None,
                    "Termijn": None,
                    "Vergaderjaar": "2025-2026",
                    "Volgnummer": n % 400,
                    "HuidigeBehandelstatus": None,
                    "Afgedaan": True,
                    "GrootProject": False,
                    "GewijzigdOp": _changed(rng),
                    "ApiGewijzigdOp": None,
                    "Verwijderd": False,
                    "Kabinetsappreciatie": rng.choice(["Ontraden", "Oordeel Kamer", "Overbodig"]),
                }
            )
            adopted = rng.random() < 0.45
            besluiten.append(
                {
                    "Id": besluit_id,
                    "Agendapunt_Id": _id(rng),
                    "StemmingsSoort": "Met handopsteken",
                    "BesluitSoort": "Stemmen - aangenomen" if adopted else "Stemmen - verworpen",
                    "BesluitTekst": "Aangenomen." if adopted else "Verworpen.",
                    "Opmerking": None,
                    "Status": "Besluit",
                    "AgendapuntZaakBesluitVolgorde": 1,
                    "GewijzigdOp": _changed(rng),
                    "ApiGewijzigdOp": None,
                    "Verwijderd": False,
                    "Zaak": [{"Id": zaak_id}],
                }
            )
            for fractie in fracties:
                vote_buffer.append(
                    {
                        "Id": _id(rng),
                        "Besluit_Id": besluit_id,
                        "Soort": rng.choice(["Voor", "Tegen", "Voor", "Tegen", "Niet deelgenomen"]),
                        "FractieGrootte": fractie["AantalZetels"],
                        "ActorNaam": fractie["NaamNL"],
                        "ActorFractie": fractie["NaamNL"],
                        "Vergissing": False,
                        "SidActorLid": None,
                        "SidActorFractie": None,
                        "Persoon_Id": None,
                        "Fractie_Id": fractie["Id"],
                        "GewijzigdOp": _changed(rng),
                        "ApiGewijzigdOp": None,
                        "Verwijderd": False,
                    }
                )
            while len(vote_buffer) >= PAGE:
                vote_file += 1
                _write(
                    directory, f"4_stemming_{vote_file:05d}.json", "Stemming", vote_buffer[:PAGE]
                )
                del vote_buffer[:PAGE]
                files += 1
        number = first // PAGE + 1
        _write(directory, f"2_zaak_{number:05d}.json", "Zaak", zaken)
        _write(directory, f"3_besluit_{number:05d}.json", "Besluit", besluiten)
        files += 2
    if vote_buffer:
        _write(directory, f"4_stemming_{vote_file + 1:05d}.json", "Stemming", vote_buffer)
        files += 1
    return files


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench tweedekamer", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="5,000 motions")
    parser.add_argument("--motions", type=int, default=None)
    options = parser.parse_args(argv)
    motions = options.motions or (MOTIONS // 10 if options.quick else MOTIONS)
    with throwaway_database("m50-bench-tweedekamer-") as workdir:
        from m50.publicaffairs.models import Decision, Motion, SyncedFile, Vote
        from m50.publicaffairs.services import tweedekamer_directory_sync

        pages = workdir / "pages"
        pages.mkdir()
        started = time.perf_counter()
        files = pages_write(pages, motions, random.Random(SEED))
        size = sum(path.stat().st_size for path in pages.iterdir())
        print(
            f"Wrote {files:,} pages ({size / 2**20:,.0f} MiB) for {motions:,} motions "
            f"in {time.perf_counter() - started:.1f} s; peak RSS {_peak_rss_mib():,.0f} MiB"
        )
        # CPU seconds beside the wall clock: on a shared machine the wall clock also counts
        # the time other processes had the CPU (the database's own work is in this process).
        print(
            f"{'run':<22} {'seconds':>8} {'cpu s':>6} {'target':>7} {'records/s':>10} "
            f"{'peak RSS':>9}  result"
        )
        print("-" * 97)
        failures = 0
        for label, target in (
            ("first sync", TARGET_FIRST_S),
            ("re-sync, no change", TARGET_AGAIN_S),
            ("re-sync, compared", TARGET_AGAIN_S),
        ):
            if label == "re-sync, compared":
                # As when the same records come in files with other bytes: each record is
                # looked up and compared, none passed over by its file's digest.
                SyncedFile.objects.all().delete()
            started, cpu_started = time.perf_counter(), time.process_time()
            report = tweedekamer_directory_sync(directory=pages)
            seconds = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
            total = report.total()
            records = total.new + total.changed + total.unchanged + total.skipped + total.deleted
            # A page that failed is an error (exit status 1); a time over its target is
            # reported, not an error: on a shared machine it holds the load of others too.
            failures += len(report.failed)
            verdict = (
                "FAILED PAGES" if report.failed else ("ok" if seconds < target else "OVER TARGET")
            )
            print(
                f"{label:<22} {seconds:>8.1f} {cpu:>6.1f} {target:>7.0f} "
                f"{records / seconds:>10,.0f} {_peak_rss_mib():>6,.0f} MiB  "
                f"{total.line()} [{verdict}]",
                flush=True,
            )
        tracemalloc.start()
        tweedekamer_directory_sync(directory=pages)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"Python heap peak during a re-sync (tracemalloc): {peak / 2**20:.1f} MiB")
        adopted = Decision.objects.filter(result="Aangenomen").count()
        print(
            f"Stored: {Motion.objects.count():,} motions, {Decision.objects.count():,} decisions "
            f"({adopted:,} adopted), {Vote.objects.count():,} votes; "
            f"{Decision.objects.filter(motion__isnull=True).count()} decisions without motion"
        )
    return 1 if failures else 0
