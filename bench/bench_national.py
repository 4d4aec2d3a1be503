"""National-scale benchmark: every list and read page and endpoint, at small, national and XL
scale, beside a bare Django view; then gunicorn under a bounded load.

    python -m bench national                 # full: national (~215 dossiers, ~3,400
                                             # organisations, ~10,000 people, ~2,000 invoices)
                                             # and XL (~1,100 memberships, ~10,000 invoices)
    python -m bench national --quick         # everything scaled down: a few minutes
    python -m bench national --compare var/bench/OLD.json
    python scripts/with_postgres.py .venv/bin/python -m bench national   # on PostgreSQL

The data are built through the project's own services, grown in three stages in one
throw-away database (a temporary SQLite file, or ``test_<name>`` on the PostgreSQL server of
``DATABASE_URL``): *small* (the shipped reference data, a handful of dossiers, two invoice
years), *national* and *XL*. The XL stage adds synthetic municipalities (codes from GM2000,
with synthetic mergers) through the registry's own loader, ``reference_data_load``, on a copy
of the shipped data with rows added. Randomness is seeded: two runs build the same data.

Each stage is measured in this process with Django's test client (the whole middleware
stack, no test instrumentation of templates), as the role that uses the page: one request
per endpoint for the query count, then rounds over all endpoints in turn (round-robin, so
noise of the shared machine falls on all of them alike) for p50/p95. The table is printed
and written as JSON under ``var/bench/`` (a timestamped file and ``latest.json``).

The second part serves the national dataset with gunicorn (2 workers, the version pinned in
pyproject.toml) and loads it from threads with keep-alive connections, fixed concurrency and a
fixed duration, against the same server's bare view. Conditional requests are sent as a
browser would (``If-None-Match``/``If-Modified-Since`` once a response carried validators),
so pages that answer 304 are credited for it.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import http.client
import json
import math
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

SEED = 20_261_206
REPO = Path(__file__).resolve().parent.parent
SELLER_IBAN_DEFAULT = "NL91ABNA0417164300"
SYNTHETIC_FIRST_CODE = 2000  # real CBS codes end below GM2000
SYNTHETIC_PROVINCE = ("PV99", "Benchmarkprovincie")
STAGES = ("small", "national", "xl")

# --- Scales ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """What a stage should hold (totals; a stage adds what the previous one lacks)."""

    memberships: int  # memberships in all, the reference data's listed members included
    organisations: int  # organisations in all, the reference organisations included
    people: int
    invoice_years: tuple[int, int]  # first and last contribution year invoiced
    successions: int  # successions after a merger, at most
    synthetic: int = 0  # synthetic municipalities (for more memberships than real ones)
    synthetic_mergers_every: int = 25  # of the synthetic municipalities, one in N is merged


FULL = {
    "small": Scale(75, 0, 100, (2025, 2026), 2),
    "national": Scale(215, 3_400, 10_000, (2012, 2026), 40),
    "xl": Scale(1_100, 3_400, 10_000, (2012, 2026), 80, synthetic=850),
}
QUICK = {
    "small": Scale(70, 0, 40, (2025, 2026), 1),
    "national": Scale(110, 500, 800, (2022, 2026), 8),
    "xl": Scale(450, 500, 800, (2022, 2026), 16, synthetic=200),
}
FIRST_INVOICE_YEAR = 2012  # the national data invoice from here (M50_FIRST_INVOICE_YEAR)


@dataclass(frozen=True)
class Rounds:
    rounds: int  # rounds over all endpoints, at most
    min_samples: int  # per endpoint, whatever its budget
    budget_seconds: float  # per endpoint and stage: a slow export stops taking samples then


FULL_ROUNDS = Rounds(rounds=30, min_samples=7, budget_seconds=10.0)
QUICK_ROUNDS = Rounds(rounds=12, min_samples=5, budget_seconds=3.0)
# The small stage is there for its query counts: a few rounds suffice.
SMALL_ROUNDS = Rounds(rounds=5, min_samples=3, budget_seconds=2.0)


@dataclass(frozen=True)
class Load:
    concurrency: int
    seconds: float


FULL_LOAD = Load(concurrency=4, seconds=15.0)
QUICK_LOAD = Load(concurrency=4, seconds=4.0)

GOAL_P95_MS = 50.0
GOAL_XL_RATIO = 1.2
GOAL_PUBLIC_SHARE = 25.0
GOAL_LOGGED_IN_SHARE = 5.0

# --- Building the data ----------------------------------------------------------------------

SURNAMES = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
    "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
    "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "Kok",
)  # fmt: skip
GIVEN_NAMES = (
    "Anna", "Daan", "Emma", "Sem", "Julia", "Lucas", "Sophie", "Finn", "Tess", "Levi", "Noor",
    "Bram", "Sara", "Thijs", "Lotte", "Ruben", "Fleur", "Jesse", "Eva", "Stijn", "Iris",
)  # fmt: skip
ORGANISATION_WORDS = (
    "Stichting", "Vereniging", "Platform", "Coöperatie", "Bureau", "Netwerk", "Kenniscentrum",
    "Adviesraad", "Samenwerkingsverband", "Omgevingsdienst", "Veiligheidsregio",
)  # fmt: skip


@dataclass
class BuildReport:
    """What building a stage did and cost: the seconds of each step and the counts after."""

    seconds: dict[str, float] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

    def refuse(self, what: str) -> None:
        self.refused[what] = self.refused.get(what, 0) + 1

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


@contextmanager
def _batches() -> Iterator[None]:
    """Many service calls in one transaction: each service's own ``atomic`` becomes a
    savepoint, and a commit per call (a file sync on SQLite) is not part of the figure."""
    from django.db import transaction

    with transaction.atomic():
        yield


def _day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))


class Builder:
    """Grows one database from stage to stage, only through the services of the apps."""

    def __init__(self, *, workdir: Path, scales: dict[str, Scale], seed: int = SEED):
        self.workdir = workdir
        self.scales = scales
        self.rng = random.Random(seed)
        self.statement_count = 0

    # -- stages --

    def build(self, stage: str) -> BuildReport:
        from django.conf import settings
        from django.test.utils import override_settings

        report = BuildReport()
        scale = self.scales[stage]
        with override_settings(
            M50_FIRST_INVOICE_YEAR=min(FIRST_INVOICE_YEAR, scale.invoice_years[0]),
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ):
            if stage == "small":
                with report.step("reference data"):
                    self._reference_data(Path(settings.DATA_DIR))
                with report.step("users"):
                    self._users()
            if scale.synthetic:
                with report.step("synthetic municipalities"):
                    self._synthetic_municipalities(scale)
            with report.step("organisations"):
                self._organisations(scale.organisations)
            with report.step("people and positions"):
                self._people(scale.people, report)
            with report.step("dossiers"):
                self._successions(scale.successions, report)
                self._dossiers(scale.memberships, report)
            with report.step("invoices"):
                new_invoices = self._invoices(scale.invoice_years, report)
            with report.step("bank statements"):
                self._payments(new_invoices, stage, report)
        report.counts = self.counts()
        _analyze()
        return report

    def counts(self) -> dict[str, int]:
        from m50.contacts.models import Organisation, Person, Position
        from m50.finance.models import Invoice, Payment
        from m50.membership.models import Decision, Membership
        from m50.municipalities.models import Municipality

        return {
            "municipalities": Municipality.objects.count(),
            "organisations": Organisation.objects.count(),
            "people": Person.objects.count(),
            "positions": Position.objects.count(),
            "memberships": Membership.objects.count(),
            "decisions": Decision.objects.count(),
            "invoices": Invoice.objects.count(),
            "payments": Payment.objects.count(),
        }

    # -- reference data and users --

    def _reference_data(self, data_dir: Path) -> None:
        # What `m50 load-reference-data` does, step by step.
        from m50.finance import services as finance_services
        from m50.membership import services as membership_services
        from m50.municipalities import services as registry_services

        registry_services.reference_data_load(data_dir=data_dir)
        membership_services.membership_reference_load()
        finance_services.fee_reference_load()
        finance_services.fee_set(valid_from_year=FIRST_INVOICE_YEAR, amount=Decimal("5000.00"))

    def _users(self) -> None:
        from m50.accounts import services as account_services
        from m50.accounts.models import Role
        from m50.membership.models import Membership

        account_services.user_create(username="bench-bureau", role=Role.BUREAU)
        # A member contact of a listed member: it has invoices from the first run on.
        municipality = (
            Membership.objects.exclude(listed_since="")
            .select_related("municipality")
            .order_by("municipality__code")
            .first()
            .municipality
        )
        account_services.user_create(
            username="bench-contact", role=Role.MEMBER_CONTACT, municipality=municipality
        )

    def _synthetic_municipalities(self, scale: Scale) -> None:
        """Enough new municipalities for the XL memberships, loaded by the registry's loader
        from a copy of the shipped data with rows added (some of them merged in 2021)."""
        from django.conf import settings

        from m50.municipalities import services as registry_services

        count = scale.synthetic
        if count <= 0:
            return
        data_dir = self.workdir / "data-xl"
        if data_dir.exists():
            shutil.rmtree(data_dir)
        shutil.copytree(Path(settings.DATA_DIR), data_dir)
        gemeenten = data_dir / "gemeenten"
        province_code, province = SYNTHETIC_PROVINCE
        codes = [f"GM{SYNTHETIC_FIRST_CODE + i:04d}" for i in range(count)]
        merged = {
            codes[i]: codes[i + 1]
            for i in range(0, count - 1, scale.synthetic_mergers_every)
            if i + 1 < count
        }
        with (gemeenten / "cbs_bevolking_1jan_gemeenten_2019_2024.csv").open(
            "a", newline="", encoding="utf-8"
        ) as handle:
            writer = csv.writer(handle)
            for i, code in enumerate(codes):
                years = range(2019, 2021) if code in merged else range(2019, 2025)
                for year in years:
                    writer.writerow(
                        [
                            f"{year}-01-01",
                            code,
                            f"Benchgemeente {i:05d}",
                            province_code,
                            province,
                            30_000 + (i * 7919) % 50_000 + (year - 2019) * 150,
                            "37230ned",
                            "Bevolking aan het begin van de periode",
                        ]
                    )
        division = gemeenten / "gemeenten_indeling_2023_2025_bevolking.csv"
        with division.open(encoding="utf-8-sig", newline="") as handle:
            columns = next(csv.reader(handle))
        with division.open("a", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            for i, code in enumerate(codes):
                if code in merged:
                    continue
                row = dict.fromkeys(columns, "")
                row.update(
                    gm_code=code,
                    gemeentenaam=f"Benchgemeente {i:05d}",
                    provincie_code=province_code,
                    provincie=province,
                    bestaat_sinds="voor 2019",
                )
                writer.writerow(row)
        changes = gemeenten / "herindelingen_2019_2023.csv"
        with changes.open(encoding="utf-8-sig", newline="") as handle:
            columns = next(csv.reader(handle))
        with changes.open("a", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            for predecessor, successor in merged.items():
                writer.writerow(
                    {
                        "ingangsdatum": "2021-01-01",
                        "type": "samenvoeging (code ontvangende gemeente behouden)",
                        "gm_code_nieuw_of_ontvangend": successor,
                        "gemeentenaam_nieuw_of_ontvangend": f"Benchgemeente {successor}",
                        "provincie_nieuw": province,
                        "gm_code_opgeheven_of_afstaand": predecessor,
                        "gemeentenaam_opgeheven_of_afstaand": f"Benchgemeente {predecessor}",
                        "provincie_opgeheven_of_afstaand": province,
                        "inwoners_afstaand_31dec_voorafgaand": "31000",
                        "inwoners_overgegaan": "31000",
                        "opmerking": "synthetisch (benchmark)",
                    }
                )
        registry_services.reference_data_load(data_dir=data_dir)

    # -- contacts --

    def _organisations(self, total: int) -> None:
        from m50.contacts import services as contact_services
        from m50.contacts.models import Organisation

        kinds = [
            Organisation.Kind.OTHER,
            Organisation.Kind.PARTNER_NETWORK,
            Organisation.Kind.KNOWLEDGE_PARTNER,
            Organisation.Kind.PARLIAMENTARY_GROUP,
        ]
        start = Organisation.objects.count()
        for first in range(start, total, 500):
            with _batches():
                for i in range(first, min(total, first + 500)):
                    contact_services.organisation_create(
                        kind=self.rng.choice(kinds),
                        name=f"{self.rng.choice(ORGANISATION_WORDS)} Bench {i:05d}",
                        website=f"https://bench{i}.example.org",
                        origin="benchmark",
                    )

    def _people(self, total: int, report: BuildReport) -> None:
        from django.core.exceptions import ValidationError

        from m50.contacts import services as contact_services
        from m50.contacts.models import Organisation, Person, Position

        organisations = list(Organisation.objects.order_by("pk"))
        functions = list(Position.Function.values)
        start = Person.objects.count()
        for first in range(start, total, 500):
            with _batches():
                for i in range(first, min(total, first + 500)):
                    person = contact_services.person_create(
                        surname=self.rng.choice(SURNAMES),
                        given_name=self.rng.choice(GIVEN_NAMES),
                        email=f"persoon{i}@bench.example.org",
                        origin="benchmark",
                    )
                    # One function now; one in five also held an earlier one elsewhere.
                    places = self.rng.sample(organisations, 2)
                    started = _day(self.rng, datetime.date(2019, 1, 1), datetime.date(2025, 12, 31))
                    try:
                        contact_services.position_create(
                            person=person,
                            organisation=places[0],
                            function=self.rng.choice(functions),
                            start_date=started,
                            origin="benchmark",
                        )
                        if i % 5 == 0:
                            contact_services.position_create(
                                person=person,
                                organisation=places[1],
                                function=self.rng.choice(functions),
                                start_date=started - datetime.timedelta(days=1500),
                                end_date=started - datetime.timedelta(days=1),
                                origin="benchmark",
                            )
                    except ValidationError:
                        report.refuse("position")

    # -- membership --

    def _free_municipalities(self) -> list:
        """Municipalities of today without a membership, founded before the network's dates
        used here (a new municipality of a merger gets a succession instead)."""
        from m50.municipalities.models import Municipality

        return list(
            Municipality.objects.filter(
                membership__isnull=True, dissolved_on__isnull=True, established_on__isnull=True
            ).order_by("code")
        )

    def _record(self, report: BuildReport, what: str, function: Callable[[], object]):
        from django.core.exceptions import ValidationError

        from m50.membership.services import DecisionRefused

        try:
            return function()
        except (DecisionRefused, ValidationError):
            # Counted and reported: a rule changed elsewhere shows here, not as a crash.
            report.refuse(what)
            return None

    def _member(self, report, membership, start: datetime.date):
        from m50.membership import services
        from m50.membership.models import DecidingBody, DecisionKind

        aspirant = self._record(
            report,
            "aspirant",
            lambda: services.decision_record(
                membership=membership,
                kind=DecisionKind.ASPIRANT,
                deciding_body=DecidingBody.COLLEGE,
                decided_on=start,
                mandated_body=DecidingBody.MAYOR,
                document_title="Besluit aspirant-lidmaatschap M50",
                origin="benchmark",
            ),
        )
        if aspirant is None:
            return None
        return self._record(
            report,
            "definitive",
            lambda: services.decision_record(
                membership=membership,
                kind=DecisionKind.DEFINITIVE,
                deciding_body=DecidingBody.MAYOR,
                decided_on=start + datetime.timedelta(days=self.rng.randint(60, 300)),
                document_title="Besluit definitief lidmaatschap M50",
                origin="benchmark",
            ),
        )

    def _successions(self, wanted: int, report: BuildReport) -> None:
        """Predecessors that were members when they merged, and successors continuing them."""
        from m50.membership import services
        from m50.membership.models import DecidingBody, DecisionKind, Membership
        from m50.municipalities.models import BoundaryChange

        done = Membership.objects.filter(decisions__kind=DecisionKind.SUCCESSION).count()
        if done >= wanted:
            return
        changes = (
            BoundaryChange.objects.exclude(kind=BoundaryChange.Kind.BOUNDARY_CORRECTION)
            .filter(
                predecessor__membership__isnull=True,
                successor__membership__isnull=True,
                predecessor__dissolved_on__isnull=False,
            )
            .select_related("predecessor", "successor")
            .order_by("effective_on", "successor__code", "predecessor__code")
        )
        seen = set()
        with _batches():
            for change in changes:
                if done >= wanted:
                    break
                if change.successor_id in seen or change.predecessor_id in seen:
                    continue
                seen |= {change.successor_id, change.predecessor_id}
                dissolved = change.predecessor.dissolved_on
                predecessor = services.membership_for(municipality=change.predecessor)
                start = _day(
                    self.rng,
                    dissolved - datetime.timedelta(days=3000),
                    dissolved - datetime.timedelta(days=800),
                )
                if self._member(report, predecessor, start) is None:
                    continue
                successor = services.membership_for(municipality=change.successor)
                recorded = self._record(
                    report,
                    "succession",
                    lambda change=change, successor=successor, predecessor=predecessor: (
                        services.decision_record(
                            membership=successor,
                            kind=DecisionKind.SUCCESSION,
                            deciding_body=DecidingBody.BOARD,
                            decided_on=change.effective_on
                            + datetime.timedelta(days=self.rng.randint(0, 60)),
                            predecessor=predecessor,
                            document_title="Besluit voortzetting na herindeling",
                            origin="benchmark",
                        )
                    ),
                )
                done += recorded is not None

    def _dossiers(self, total: int, report: BuildReport) -> None:
        """New dossiers of several shapes until there are ``total`` memberships."""
        from m50.membership import services
        from m50.membership.models import DecidingBody, DecisionKind, Membership

        missing = total - Membership.objects.count()
        if missing <= 0:
            return
        free = self._free_municipalities()
        self.rng.shuffle(free)
        today = datetime.date.today()
        shapes = ["member"] * 55 + ["corrected"] * 10 + ["withdrawn"] * 8
        shapes += ["terminated"] * 12 + ["aspirant"] * 10 + ["mandate"] * 5
        for first in range(0, min(missing, len(free)), 100):
            with _batches():
                for municipality in free[first : min(missing, first + 100)]:
                    membership = services.membership_for(municipality=municipality)
                    shape = self.rng.choice(shapes)
                    if shape in ("aspirant", "mandate"):
                        # A running trial: on the deadlines page; its mandate in the
                        # aspirant decision or in a decision of its own.
                        body = "" if shape == "mandate" else DecidingBody.MAYOR
                        start = _day(
                            self.rng,
                            today - datetime.timedelta(days=330),
                            today - datetime.timedelta(days=20),
                        )
                        aspirant = self._record(
                            report,
                            "aspirant",
                            lambda m=membership, s=start, b=body: services.decision_record(
                                membership=m,
                                kind=DecisionKind.ASPIRANT,
                                deciding_body=DecidingBody.COLLEGE,
                                decided_on=s,
                                mandated_body=b,
                                origin="benchmark",
                            ),
                        )
                        if aspirant is not None and shape == "mandate":
                            self._record(
                                report,
                                "mandate",
                                lambda m=membership, s=start: services.decision_record(
                                    membership=m,
                                    kind=DecisionKind.MANDATE,
                                    deciding_body=DecidingBody.COLLEGE,
                                    decided_on=s + datetime.timedelta(days=10),
                                    mandated_body=DecidingBody.MAYOR,
                                    origin="benchmark",
                                ),
                            )
                        continue
                    start = _day(self.rng, datetime.date(2005, 1, 1), datetime.date(2014, 6, 30))
                    definitive = self._member(report, membership, start)
                    if definitive is None:
                        continue
                    if shape == "corrected":
                        self._record(
                            report,
                            "correction",
                            lambda d=definitive: services.decision_correct(
                                decision=d,
                                document_number=f"BESL-{d.pk:06d}",
                                remarks="Documentnummer aangevuld",
                                origin="benchmark",
                            ),
                        )
                    elif shape in ("withdrawn", "terminated"):
                        decided = _day(
                            self.rng, datetime.date(2019, 1, 1), datetime.date(2024, 6, 30)
                        )
                        termination = self._record(
                            report,
                            "termination",
                            lambda m=membership, d=decided: services.decision_record(
                                membership=m,
                                kind=DecisionKind.TERMINATION,
                                deciding_body=DecidingBody.COLLEGE,
                                decided_on=d,
                                origin="benchmark",
                            ),
                        )
                        if termination is not None and shape == "withdrawn":
                            self._record(
                                report,
                                "withdrawal",
                                lambda t=termination: services.decision_withdraw(
                                    decision=t,
                                    reason="Ten onrechte vastgelegd",
                                    origin="benchmark",
                                ),
                            )

    # -- finance --

    def _invoices(self, years: tuple[int, int], report: BuildReport) -> list:
        """Invoice runs of every year (a rerun adds the members a run did not know yet), each
        invoice sent; one in a hundred credited."""
        from django.core.exceptions import ValidationError

        from m50.finance import services

        today = datetime.date.today()
        sent = []
        for year in range(years[0], years[1] + 1):
            issue_date = datetime.date(year, 1, 15)
            with _batches():
                drafts = services.invoice_run(year=year, issue_date=issue_date)
            for first in range(0, len(drafts), 500):
                with _batches():
                    for invoice in drafts[first : first + 500]:
                        sent.append(
                            services.invoice_mark_sent(
                                invoice=invoice, recipients=["financien@gemeente.example"]
                            )
                        )
            with _batches():
                for invoice in sent[-len(drafts) :] if drafts else []:
                    if self.rng.random() < 0.01:
                        try:
                            services.invoice_credit(
                                invoice=invoice,
                                reason="Dubbel gefactureerd",
                                issue_date=min(today, datetime.date(year, 3, 1)),
                            )
                        except ValidationError:
                            report.refuse("credit")
        return sent

    def _payments(self, invoices: list, stage: str, report: BuildReport) -> None:
        """One CAMT.053 statement per year, imported by the bank statement service: three in
        four invoices paid in full, one in twelve half, the rest open."""
        from m50.finance import camt, payments
        from m50.finance.models import Invoice

        credited = set(
            Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE).values_list(
                "credits_id", flat=True
            )
        )
        by_year: dict[int, list] = {}
        for invoice in invoices:
            if invoice.pk not in credited:
                by_year.setdefault(invoice.issue_date.year, []).append(invoice)
        iban = _seller_iban()
        today = datetime.date.today()
        for year, items in sorted(by_year.items()):
            entries = []
            for invoice in items:
                draw = self.rng.random()
                if draw < 0.75:
                    entries.append((invoice.number, invoice.total))
                elif draw < 0.83:
                    entries.append((invoice.number, (invoice.total / 2).quantize(Decimal("0.01"))))
            if not entries:
                continue
            self.statement_count += 1
            path = self.workdir / f"camt-{stage}-{year}.xml"
            booked = min(today, datetime.date(year, 2, 20))
            write_statement(
                path,
                entries,
                iban=iban,
                message_id=f"BENCH{self.statement_count:04d}{stage.upper()}{year}",
                booked=booked,
            )
            try:
                payments.bank_statement_import(file=path)
            except camt.CamtError:
                report.refuse("bank statement")
            path.unlink()


def _analyze() -> None:
    """PostgreSQL's planner statistics, as autovacuum would have them after such a load (the
    benchmark measures the steady state, not the minutes after a bulk import)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _seller_iban() -> str:
    from django.conf import settings

    for name in dir(settings):
        value = getattr(settings, name, None)
        if name.startswith("M50_") and isinstance(value, dict) and "iban" in value:
            return value["iban"]
    return SELLER_IBAN_DEFAULT


def write_statement(
    path: Path,
    entries: list[tuple[str, Decimal]],
    *,
    iban: str,
    message_id: str,
    booked: datetime.date,
) -> None:
    """A CAMT.053.001.02 statement, one booked credit per (invoice number, amount); every
    third names the invoice as a structured reference, the others in the free text."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">\n'
            "  <BkToCstmrStmt>\n"
            f"    <GrpHdr><MsgId>{message_id}</MsgId>"
            f"<CreDtTm>{booked.isoformat()}T06:00:00+01:00</CreDtTm></GrpHdr>\n"
            "    <Stmt>\n"
            f"      <Id>{message_id}-1</Id>\n"
            f"      <Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>\n"
        )
        for index, (number, amount) in enumerate(entries):
            remittance = (
                f"<Strd><CdtrRefInf><Ref>{number}</Ref></CdtrRefInf></Strd>"
                if index % 3 == 0
                else f"<Ustrd>Factuur {number} contributie M50</Ustrd>"
            )
            handle.write(
                "      <Ntry>\n"
                f'        <Amt Ccy="EUR">{amount:.2f}</Amt>\n'
                "        <CdtDbtInd>CRDT</CdtDbtInd>\n"
                "        <Sts>BOOK</Sts>\n"
                f"        <BookgDt><Dt>{booked.isoformat()}</Dt></BookgDt>\n"
                f"        <ValDt><Dt>{booked.isoformat()}</Dt></ValDt>\n"
                f"        <AcctSvcrRef>{message_id}-{index:06d}</AcctSvcrRef>\n"
                "        <NtryDtls><TxDtls>\n"
                "          <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>\n"
                "          <RltdPties><Dbtr><Nm>Gemeente</Nm></Dbtr>"
                "<DbtrAcct><Id><IBAN>NL38BNGH0285012345</IBAN></Id></DbtrAcct></RltdPties>\n"
                f"          <RmtInf>{remittance}</RmtInf>\n"
                "        </TxDtls></NtryDtls>\n"
                "      </Ntry>\n"
            )
        handle.write("    </Stmt>\n  </BkToCstmrStmt>\n</Document>\n")


# --- Endpoints ------------------------------------------------------------------------------

ANONYMOUS, BUREAU, CONTACT = "anonymous", "bureau", "member_contact"


@dataclass(frozen=True)
class Endpoint:
    name: str
    role: str
    path: str
    public: bool = False  # a public page or endpoint (for the load goals)
    # A download of every row: its size is the data's, so its goal is a cost per byte that
    # does not grow (it streams), not a page's fixed time.
    export: bool = False


def _samples() -> dict[str, str]:
    """Objects for the detail pages: the same kind of object in every stage."""
    from m50.contacts.models import Organisation, Person
    from m50.finance.models import Invoice
    from m50.membership.models import Membership

    member = (
        Membership.objects.exclude(listed_since="")
        .select_related("municipality")
        .order_by("municipality__code")
        .first()
    )
    invoice = (
        Invoice.objects.filter(number__isnull=False, membership=member)
        .order_by("-issue_date", "number")
        .first()
    )
    return {
        "code": member.municipality.code,
        "number": invoice.number if invoice else "",
        "slug": Organisation.objects.order_by("pk").values_list("slug", flat=True).first(),
        "person": str(Person.objects.order_by("pk").values_list("pk", flat=True).first()),
    }


def endpoints() -> list[Endpoint]:
    """Every page and endpoint that lists or reads data, as the role that uses it; then any
    page without parameters found in the URLconf and not named here (as the bureau)."""
    from bench.national_urls import BARE_PATH

    s = _samples()
    code, number = s["code"], quote(s["number"])
    named = [
        Endpoint("bare view", ANONYMOUS, BARE_PATH),
        # Public: the front page, the registry and the member list, pages and API.
        Endpoint("front page (public)", ANONYMOUS, "/", public=True),
        Endpoint("registry list (public)", ANONYMOUS, "/gemeenten/", public=True),
        Endpoint("registry detail (public)", ANONYMOUS, f"/gemeenten/{code}/", public=True),
        Endpoint("members overview (public)", ANONYMOUS, "/lidmaatschap/", public=True),
        Endpoint("api gemeenten (public)", ANONYMOUS, "/api/v1/gemeenten", public=True),
        Endpoint("api gemeente (public)", ANONYMOUS, f"/api/v1/gemeenten/{code}", public=True),
        Endpoint("api lidmaatschappen (public)", ANONYMOUS, "/api/v1/lidmaatschappen", public=True),
        # The bureau's pages.
        Endpoint("home / work queue", BUREAU, "/"),
        Endpoint("members overview", BUREAU, "/lidmaatschap/"),
        Endpoint("members export CSV", BUREAU, "/lidmaatschap/?formaat=csv", export=True),
        Endpoint("members export XLSX", BUREAU, "/lidmaatschap/?formaat=xlsx", export=True),
        Endpoint("deadlines", BUREAU, "/lidmaatschap/termijnen/"),
        Endpoint("registry list", BUREAU, "/gemeenten/"),
        Endpoint("registry detail", BUREAU, f"/gemeenten/{code}/"),
        Endpoint("prospects", BUREAU, "/gemeenten/kansrijk/"),
        Endpoint("organisations", BUREAU, "/organisaties/"),
        Endpoint("organisation detail", BUREAU, f"/organisaties/{s['slug']}/"),
        Endpoint("person detail", BUREAU, f"/organisaties/personen/{s['person']}/"),
        Endpoint("finance overview", BUREAU, "/financien/"),
        Endpoint("invoice run preview", BUREAU, "/financien/facturatie/"),
        Endpoint("payment reminders", BUREAU, "/financien/herinneringen/"),
        Endpoint("fees", BUREAU, "/financien/contributie/"),
        Endpoint("billing details list", BUREAU, "/financien/factuurgegevens/"),
        Endpoint("billing details", BUREAU, f"/financien/factuurgegevens/{code}/"),
        Endpoint("invoices", BUREAU, "/financien/facturen/"),
        Endpoint("invoices ?status=paid", BUREAU, "/financien/facturen/?status=paid"),
        Endpoint("invoices ?status=overdue", BUREAU, "/financien/facturen/?status=overdue"),
        Endpoint("invoices export CSV", BUREAU, "/financien/facturen/?formaat=csv", export=True),
        Endpoint("invoices export XLSX", BUREAU, "/financien/facturen/?formaat=xlsx", export=True),
        Endpoint("invoice detail", BUREAU, f"/financien/facturen/{number}/"),
        Endpoint("open amounts", BUREAU, "/financien/openstaand/"),
        Endpoint("payments", BUREAU, "/financien/betalingen/"),
        Endpoint("payments export CSV", BUREAU, "/financien/betalingen/?formaat=csv", export=True),
        Endpoint(
            "payments export XLSX", BUREAU, "/financien/betalingen/?formaat=xlsx", export=True
        ),
        Endpoint("bank lines", BUREAU, "/financien/bankregels/"),
        Endpoint("billing change work queue", BUREAU, "/werkvoorraad/factuurgegevens/"),
        Endpoint("api lidmaatschappen", BUREAU, "/api/v1/lidmaatschappen"),
        Endpoint("api besluiten", BUREAU, "/api/v1/besluiten"),
        Endpoint("api organisaties", BUREAU, "/api/v1/organisaties"),
        Endpoint("api facturen", BUREAU, "/api/v1/facturen"),
        Endpoint("api facturen?status=betaald", BUREAU, "/api/v1/facturen?status=betaald"),
        # A municipality's contact: its own invoices and details.
        Endpoint("home (member contact)", CONTACT, "/"),
        Endpoint("own invoice (member contact)", CONTACT, f"/financien/facturen/{number}/"),
        Endpoint(
            "own billing details (member contact)", CONTACT, "/mijn-gemeente/factuurgegevens/"
        ),
    ]
    known = {endpoint.path.split("?")[0] for endpoint in named}
    for path in _parameterless_paths():
        if path not in known:
            named.append(Endpoint(f"{path} (found in URLconf)", BUREAU, path))
    return named


# Pages without parameters that are not lists: logging in and out, forms that only write,
# the admin, the language switch, the OpenAPI document.
NOT_MEASURED = (
    "/account/",
    "/beheer/",
    "/i18n/",
    "/api/v1/openapi.json",
    "/gemeenten/inwoners-importeren/",
    "/financien/facturatie/versturen/",
    "/financien/bankregels/inlezen/",
    "/organisaties/nieuw/",
    "/organisaties/personen/nieuw/",
    "/__bench__/",
)


def _parameterless_paths() -> list[str]:
    from django.urls import URLPattern, URLResolver, get_resolver
    from django.urls.resolvers import RoutePattern

    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            if not isinstance(entry.pattern, RoutePattern):
                continue
            route = prefix + str(entry.pattern)
            if "<" in route:
                continue
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern):
                path = "/" + route
                if not path.startswith(NOT_MEASURED):
                    found.append(path)

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


# --- Measuring ------------------------------------------------------------------------------


@dataclass
class Measurement:
    queries: int
    status: int
    bytes: int
    samples_ms: list[float] = field(default_factory=list)

    def quantile(self, q: float) -> float | None:
        if not self.samples_ms:
            return None
        ordered = sorted(self.samples_ms)
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)]  # nearest rank


def _clients() -> dict[str, object]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    users = get_user_model().objects
    clients = {ANONYMOUS: Client()}
    for role, username in ((BUREAU, "bench-bureau"), (CONTACT, "bench-contact")):
        client = Client()
        client.force_login(users.get(username=username))
        clients[role] = client
    return clients


def _get(client, path: str) -> tuple[int, int]:
    response = client.get(path)
    if getattr(response, "streaming", False):
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    # The client has closed the response (a streaming one once read), as a server would.
    return response.status_code, size


@contextmanager
def bench_urlconf() -> Iterator[None]:
    """The project's URLs with the bare view, the hosts the test client uses, and the first
    invoice year the data were built with (as the gunicorn part has it)."""
    from django.conf import settings
    from django.test.utils import override_settings

    with override_settings(
        ROOT_URLCONF="bench.national_urls",
        M50_FIRST_INVOICE_YEAR=FIRST_INVOICE_YEAR,
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    ):
        yield


@contextmanager
def _quiet_requests() -> Iterator[None]:
    """Refused and missing pages are in the table (its status column), not tracebacks."""
    import logging

    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _use_database(name: str) -> None:
    from django.db import connection

    if connection.settings_dict["NAME"] != name:
        connection.close()
        connection.settings_dict["NAME"] = name
    connection.ensure_connection()  # the connecting is not part of the first figure


def snapshot_database(workdir: Path, label: str) -> str:
    """A copy of the database as it is now (SQLite's online backup; on PostgreSQL a database
    made from it as template): measured later side by side with the grown one."""
    import sqlite3

    from django.db import connection

    name = connection.settings_dict["NAME"]
    connection.close()
    if connection.vendor == "sqlite":
        copy = str(workdir / f"{label}.sqlite3")
        with sqlite3.connect(name) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        source.close()
        target.close()
        return copy
    copy = f"{name}_{label}"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        cursor.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
    return copy


def drop_snapshot(copy: str) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{copy}"')


def measure_stage(
    rounds: Rounds,
    datasets: dict[str, str],
    *,
    progress: Callable[[str], None] = lambda text: None,
) -> dict[str, dict[str, Measurement]]:
    """Query count (one request each) and latencies of every endpoint on every dataset (a
    database name). The rounds go over all endpoints in turn and alternate the datasets, so
    that the noise of a shared machine falls on all of them alike."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results: dict[str, dict[str, Measurement]] = {}
    clients, points = {}, {}
    with bench_urlconf(), _quiet_requests():
        for dataset, name in datasets.items():
            _use_database(name)
            clients[dataset] = _clients()  # sessions live in each dataset's database
            points[dataset] = endpoints()
            results[dataset] = {}
            for endpoint in points[dataset]:
                client = clients[dataset][endpoint.role]
                _get(client, endpoint.path)  # warm up: caches, translations, compiled queries
                with CaptureQueriesContext(connection) as captured:
                    status, size = _get(client, endpoint.path)
                results[dataset][endpoint.name] = Measurement(len(captured), status, size)
        progress(f"query counts taken ({', '.join(datasets)}); timing rounds")
        spent = {dataset: dict.fromkeys(results[dataset], 0.0) for dataset in datasets}
        order = list(datasets)
        for _round in range(rounds.rounds):
            busy = False
            for dataset in order:
                measured = results[dataset]
                active = [
                    e
                    for e in points[dataset]
                    if len(measured[e.name].samples_ms) < rounds.min_samples
                    or spent[dataset][e.name] < rounds.budget_seconds
                ]
                if not active:
                    continue
                busy = True
                _use_database(datasets[dataset])
                for endpoint in active:
                    started = time.perf_counter()
                    _get(clients[dataset][endpoint.role], endpoint.path)
                    elapsed = time.perf_counter() - started
                    spent[dataset][endpoint.name] += elapsed
                    measured[endpoint.name].samples_ms.append(elapsed * 1000)
            if not busy:
                break
            order.reverse()
    return results


# --- Load test with gunicorn ----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _gunicorn_env(database: dict) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "M50_SQLITE_PATH", "DJANGO_SETTINGS_MODULE")
    }
    env["DJANGO_SETTINGS_MODULE"] = "bench.national_settings"
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), *[p for p in sys.path if p]])
    env["M50_FIRST_INVOICE_YEAR"] = str(FIRST_INVOICE_YEAR)
    if database["ENGINE"].endswith("sqlite3"):
        env["M50_SQLITE_PATH"] = str(database["NAME"])
    else:
        user = quote(database.get("USER") or "", safe="")
        password = quote(database.get("PASSWORD") or "", safe="")
        auth = f"{user}:{password}@" if user else ""
        host = database.get("HOST") or "localhost"
        port = f":{database['PORT']}" if database.get("PORT") else ""
        env["DATABASE_URL"] = f"postgres://{auth}{host}{port}/{database['NAME']}"
    return env


@contextmanager
def gunicorn_server(database: dict, workdir: Path) -> Iterator[int]:
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn)] if gunicorn.exists() else [sys.executable, "-m", "gunicorn"]
    log = (workdir / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603 - our own interpreter's gunicorn, fixed arguments
        [
            *command,
            "m50.conf.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
        ],
        env=_gunicorn_env(database),
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=str(workdir),
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: see {workdir / 'gunicorn.log'}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start within 60 s")
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@dataclass
class LoadResult:
    name: str
    path: str
    role: str
    requests: int
    errors: int
    not_modified: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def load(
    port: int,
    path: str,
    *,
    cookie: str = "",
    concurrency: int,
    seconds: float,
    conditional: bool = True,
) -> tuple[int, int, int, float]:
    """(successful requests, errors, 304s, seconds) of ``concurrency`` threads, each with its
    own keep-alive connection and cookies, requesting ``path`` until ``seconds`` have passed.
    Bounded in time, and only ever to 127.0.0.1."""
    counts = [0, 0, 0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker():
        done = errors = not_modified = 0
        validators: dict[str, str] = {}
        jar: dict[str, str] = {}  # the cookies the server set (the CSRF cookie), as a browser
        connection = None
        while time.monotonic() < stop_at:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            headers = {"Accept-Language": "nl", **validators}
            cookies = [cookie] if cookie else []
            cookies += [f"{name}={value}" for name, value in jar.items()]
            if cookies:
                headers["Cookie"] = "; ".join(cookies)
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
                connection = None
                continue
            for set_cookie in response.msg.get_all("Set-Cookie") or ():
                name, _, value = set_cookie.split(";", 1)[0].partition("=")
                jar[name.strip()] = value.strip()
            if response.status in (200, 304):
                done += 1
                not_modified += response.status == 304
                if conditional and response.getheader("ETag"):
                    validators["If-None-Match"] = response.getheader("ETag")
                if conditional and response.getheader("Last-Modified"):
                    validators["If-Modified-Since"] = response.getheader("Last-Modified")
            else:
                errors += 1
            if response.will_close:
                connection.close()
                connection = None
        if connection is not None:
            connection.close()
        with lock:
            counts[0] += done
            counts[1] += errors
            counts[2] += not_modified

    started = time.monotonic()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts[0], counts[1], counts[2], time.monotonic() - started


def _session_cookie() -> str:
    """A logged-in bureau session, stored in the database the server reads."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-bureau"))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


# (name, role, path, conditional): a browser sends the validators it was given; a first
# visit (a new tab, another user) has none, which the last two show for comparison.
LOAD_TARGETS = (
    ("bare view", ANONYMOUS, "/__bench__/bare", True),
    ("registry list (public)", ANONYMOUS, "/gemeenten/", True),
    ("members overview (public)", ANONYMOUS, "/lidmaatschap/", True),
    ("home / work queue", BUREAU, "/", True),
    ("invoices", BUREAU, "/financien/facturen/", True),
    ("registry list (public), first visits", ANONYMOUS, "/gemeenten/", False),
    ("invoices, first visits", BUREAU, "/financien/facturen/", False),
)


def load_test(workdir: Path, settings: Load) -> list[LoadResult]:
    from django.db import connection

    cookie = _session_cookie()
    database = dict(connection.settings_dict)
    connection.close()  # the server has the database to itself
    results = []
    with gunicorn_server(database, workdir) as port:
        for _name, role, path, _conditional in LOAD_TARGETS:  # warm both workers up
            load(port, path, cookie=cookie if role != ANONYMOUS else "", concurrency=2, seconds=1)
        for name, role, path, conditional in LOAD_TARGETS:
            done, errors, not_modified, seconds = load(
                port,
                path,
                cookie=cookie if role != ANONYMOUS else "",
                concurrency=settings.concurrency,
                seconds=settings.seconds,
                conditional=conditional,
            )
            results.append(LoadResult(name, path, role, done, errors, not_modified, seconds))
    return results


# --- The run, the table and the JSON --------------------------------------------------------


@contextmanager
def _database(prefix: str) -> Iterator[Path]:
    """A throw-away database, like ``bench.harness.throwaway_database`` but without the test
    environment's template instrumentation, which would add to every page's time."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        workdir = Path(tmp)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "m50.conf.settings")
        import django

        django.setup()
        from django.db import connection

        if connection.vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = str(workdir / "bench-national.sqlite3")
        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        try:
            yield workdir
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def _machine() -> dict:
    memory = ""
    try:
        with open("/proc/meminfo") as handle:
            kib = int(handle.readline().split()[1])
            memory = f"{kib / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cores": os.cpu_count(),
        "memory": memory,
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def _fmt(value, spec: str = ".0f", empty: str = "—") -> str:
    return empty if value is None else format(value, spec)


def summarise(
    stages: dict[str, dict[str, Measurement]],
    builds: dict[str, BuildReport],
    load_results: list[LoadResult],
    *,
    quick: bool,
    database: str,
    points: list[Endpoint],
) -> dict:
    rows = []
    for endpoint in points:
        row = {
            "name": endpoint.name,
            "role": endpoint.role,
            "path": endpoint.path,
            "export": endpoint.export,
        }
        for stage, results in stages.items():
            m = results.get(endpoint.name)
            if m is None:
                continue
            row[stage] = {
                "queries": m.queries,
                "status": m.status,
                "bytes": m.bytes,
                "samples": len(m.samples_ms),
                "p50_ms": round(m.quantile(0.5), 2),
                "p95_ms": round(m.quantile(0.95), 2),
            }
        national, xl = row.get("national"), row.get("xl")
        row["xl_national_p50"] = (
            round(xl["p50_ms"] / national["p50_ms"], 2) if national and xl else None
        )
        if endpoint.export and national and xl and national["bytes"] and xl["bytes"]:
            # The time per byte sent, XL against national: 1.0 when the cost follows the size.
            row["xl_national_per_byte"] = round(
                row["xl_national_p50"] / (xl["bytes"] / national["bytes"]), 2
            )
        rows.append(row)
    bare = next(r for r in load_results if r.name == "bare view") if load_results else None
    load_rows = [
        {
            "name": r.name,
            "role": r.role,
            "path": r.path,
            "requests": r.requests,
            "errors": r.errors,
            "not_modified": r.not_modified,
            "seconds": round(r.seconds, 2),
            "per_second": round(r.per_second, 1),
            "percent_of_bare": round(100 * r.per_second / bare.per_second, 1)
            if bare and bare.per_second
            else None,
        }
        for r in load_results
    ]
    return {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "quick": quick,
        "database": database,
        "machine": _machine(),
        "seed": SEED,
        "build": {
            stage: {
                "seconds": round(report.total_seconds, 1),
                "steps": {k: round(v, 1) for k, v in report.seconds.items()},
                "refused": report.refused,
                "counts": report.counts,
            }
            for stage, report in builds.items()
        },
        "endpoints": rows,
        "load": load_rows,
        "goals": goals(rows, load_rows),
    }


def goals(rows: list[dict], load_rows: list[dict]) -> list[dict]:
    measured = [r for r in rows if r["name"] != "bare view" and "national" in r]
    pages = [r for r in measured if not r.get("export")]
    exports = [r for r in measured if r.get("export")]
    growing_exports = [
        r["name"]
        for r in exports
        if r.get("xl_national_per_byte") is not None and r["xl_national_per_byte"] > GOAL_XL_RATIO
    ]
    slow = [r["name"] for r in pages if r["national"]["p95_ms"] > GOAL_P95_MS]
    growing = [
        r["name"]
        for r in pages
        if r.get("xl_national_p50") is not None and r["xl_national_p50"] > GOAL_XL_RATIO
    ]
    result = [
        {
            "goal": f"every page p95 ≤ {GOAL_P95_MS:.0f} ms on national",
            "pass": not slow,
            "detail": f"{len(pages) - len(slow)}/{len(pages)} pass"
            + (f"; over: {', '.join(slow)}" if slow else ""),
        },
        {
            "goal": f"XL ÷ national p50 ≤ {GOAL_XL_RATIO}",
            "pass": not growing if any("xl" in r for r in pages) else None,
            "detail": f"{len(pages) - len(growing)}/{len(pages)} pass"
            + (f"; over: {', '.join(growing)}" if growing else ""),
        },
        {
            "goal": f"exports: time per byte XL ÷ national ≤ {GOAL_XL_RATIO} (they stream)",
            "pass": not growing_exports if any("xl" in r for r in exports) else None,
            "detail": f"{len(exports) - len(growing_exports)}/{len(exports)} pass"
            + (f"; over: {', '.join(growing_exports)}" if growing_exports else ""),
        },
    ]
    for name, target in (
        ("registry list (public)", GOAL_PUBLIC_SHARE),
        ("members overview (public)", GOAL_PUBLIC_SHARE),
        ("home / work queue", GOAL_LOGGED_IN_SHARE),
        ("invoices", GOAL_LOGGED_IN_SHARE),
    ):
        row = next((r for r in load_rows if r["name"] == name), None)
        share = row["percent_of_bare"] if row else None
        result.append(
            {
                "goal": f"{name} under load ≥ {target:.0f} % of the bare view",
                "pass": None if share is None else share >= target,
                "detail": "not measured" if share is None else f"{share:.1f} %",
            }
        )
    return result


def _per_byte(row: dict) -> str:
    per_byte = row.get("xl_national_per_byte")
    return "" if per_byte is None else f" ({per_byte:.2f}× per byte)"


def table(summary: dict) -> str:
    lines = [
        f"National-scale benchmark, {summary['when']}, {summary['database']}, "
        f"{summary['machine']['cores']} cores, {summary['machine']['memory']}"
        + (" (--quick)" if summary["quick"] else ""),
        "",
        "Building the data (through the services):",
    ]
    for stage, build in summary["build"].items():
        counts = ", ".join(f"{v:,} {k}" for k, v in build["counts"].items())
        steps = ", ".join(f"{k} {v:.1f}" for k, v in build["steps"].items())
        refused = (
            f"; refused by the rules: {', '.join(f'{k} {v}' for k, v in build['refused'].items())}"
            if build["refused"]
            else ""
        )
        lines.append(f"  {stage:<8} {build['seconds']:>7.1f} s ({steps}): {counts}{refused}")
    lines += [
        "",
        f"{'endpoint':<42} {'role':<14} {'queries s→n→XL':>16} {'p50 n':>7} {'p95 n':>7} "
        f"{'p50 XL':>7} {'p95 XL':>7} {'XL÷n':>6}  status",
        "-" * 124,
    ]
    for row in summary["endpoints"]:
        queries = "→".join(str(row[s]["queries"]) if s in row else "—" for s in STAGES)
        national, xl = row.get("national", {}), row.get("xl", {})
        statuses = sorted({str(row[s]["status"]) for s in STAGES if s in row})
        lines.append(
            f"{row['name'][:42]:<42} {row['role']:<14} {queries:>16} "
            f"{_fmt(national.get('p50_ms'), '.1f'):>7} {_fmt(national.get('p95_ms'), '.1f'):>7} "
            f"{_fmt(xl.get('p50_ms'), '.1f'):>7} {_fmt(xl.get('p95_ms'), '.1f'):>7} "
            f"{_fmt(row['xl_national_p50'], '.2f'):>6}  {'/'.join(statuses)}" + _per_byte(row)
        )
    lines.append("(milliseconds; n = national; s = small)")
    if summary["load"]:
        lines += [
            "",
            "Under load: gunicorn, 2 workers, national data "
            f"({summary['load'][0]['seconds']:.0f} s per target):",
            f"{'target':<32} {'role':<14} {'req/s':>8} {'% bare':>7} {'304s':>6} {'errors':>6}",
        ]
        for row in summary["load"]:
            lines.append(
                f"{row['name']:<32} {row['role']:<14} {row['per_second']:>8.1f} "
                f"{_fmt(row['percent_of_bare'], '.1f'):>7} {row['not_modified']:>6} "
                f"{row['errors']:>6}"
            )
    lines += ["", "Goals:"]
    for goal in summary["goals"]:
        verdict = {True: "PASS", False: "FAIL", None: "n/a "}[goal["pass"]]
        lines.append(f"  {verdict}  {goal['goal']}: {goal['detail']}")
    return "\n".join(lines)


def markdown(summary: dict) -> str:
    """The table of a run in Markdown, for the README."""
    machine = summary["machine"]
    builds = summary["build"].items()
    lines = [
        f"Measured {summary['when'][:10]} on {summary['database']}, {machine['cores']} cores, "
        f"{machine['memory']}, Python {machine['python']}"
        + (" (--quick)" if summary["quick"] else "")
        + "; building the data took "
        + ", ".join(f"{stage} {build['seconds']:.0f} s" for stage, build in builds)
        + f"; the whole run {summary.get('seconds', 0):.0f} s.",
        "",
        "| endpoint | role | queries small → national → XL | p50 / p95 national (ms) "
        "| p50 / p95 XL (ms) | XL ÷ national (p50) |",
        "|---|---|---|---|---|---|",
    ]
    for row in summary["endpoints"]:
        national, xl = row.get("national", {}), row.get("xl", {})
        queries = " → ".join(str(row[s]["queries"]) if s in row else "—" for s in STAGES)
        statuses = {row[s]["status"] for s in STAGES if s in row} - {200}
        name = row["name"] + (f" (HTTP {', '.join(map(str, statuses))})" if statuses else "")
        lines.append(
            f"| {name} `{row['path']}` | {row['role']} | {queries} "
            f"| {_fmt(national.get('p50_ms'), '.0f')} / {_fmt(national.get('p95_ms'), '.0f')} "
            f"| {_fmt(xl.get('p50_ms'), '.0f')} / {_fmt(xl.get('p95_ms'), '.0f')} "
            f"| {_fmt(row['xl_national_p50'], '.1f')}×{_per_byte(row)} |"
        )
    if summary["load"]:
        lines += [
            "",
            "Under load (gunicorn, 2 workers, national data, "
            f"{summary['load'][0]['seconds']:.0f} s per target):",
            "",
            "| target | role | requests/s | % of bare view | answered 304 |",
            "|---|---|---|---|---|",
        ]
        for row in summary["load"]:
            share_304 = 100 * row.get("not_modified", 0) / row["requests"] if row["requests"] else 0
            lines.append(
                f"| {row['name']} `{row['path']}` | {row['role']} | {row['per_second']:.1f} "
                f"| {_fmt(row['percent_of_bare'], '.1f')} % | {share_304:.0f} % |"
            )
    lines += ["", "| goal | result |", "|---|---|"]
    for goal in summary["goals"]:
        verdict = {True: "pass", False: "**fail**", None: "n/a"}[goal["pass"]]
        lines.append(f"| {goal['goal']} | {verdict}: {goal['detail']} |")
    return "\n".join(lines)


def compare(old: dict, new: dict) -> str:
    """The differences per endpoint between two runs' JSON: queries and p95 on national,
    the XL ratio; and throughput under load."""
    lines = [
        f"Compared with {old['when']} ({old['database']}"
        + (", --quick" if old.get("quick") else "")
        + ")",
        f"{'endpoint':<42} {'queries n':>12} {'p95 n (ms)':>20} {'XL÷n':>14}",
    ]
    before = {row["name"]: row for row in old["endpoints"]}
    for row in new["endpoints"]:
        was = before.get(row["name"])
        if was is None:
            continue
        n_old, n_new = was.get("national", {}), row.get("national", {})
        lines.append(
            f"{row['name'][:42]:<42} "
            f"{_fmt(n_old.get('queries'), 'd'):>5} → {_fmt(n_new.get('queries'), 'd'):<4} "
            f"{_fmt(n_old.get('p95_ms'), '.1f'):>8} → {_fmt(n_new.get('p95_ms'), '.1f'):<9} "
            f"{_fmt(was.get('xl_national_p50'), '.2f'):>5} → "
            f"{_fmt(row.get('xl_national_p50'), '.2f'):<5}"
        )
    old_load = {row["name"]: row for row in old.get("load", [])}
    for row in new.get("load", []):
        was = old_load.get(row["name"])
        if was:
            lines.append(
                f"load {row['name']:<37} {was['per_second']:>8.1f} → {row['per_second']:.1f} "
                f"req/s ({_fmt(was['percent_of_bare'], '.1f')} → "
                f"{_fmt(row['percent_of_bare'], '.1f')} % of bare)"
            )
    return "\n".join(lines)


def write_json(summary: dict, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = summary["when"].replace(":", "").replace("-", "").replace("+0000", "Z")
    path = folder / f"national-{stamp}{'-quick' if summary['quick'] else ''}.json"
    text = json.dumps(summary, indent=1, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    (folder / "latest.json").write_text(text, encoding="utf-8")
    return path


def run(*, quick: bool, with_load: bool = True) -> dict:
    from django.conf import settings
    from django.db import connection

    scales = QUICK if quick else FULL
    rounds = QUICK_ROUNDS if quick else FULL_ROUNDS
    started = time.perf_counter()

    def say(text: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f} s] {text}", flush=True)

    with _database("m50-bench-national-") as workdir:
        main_database = connection.settings_dict["NAME"]
        database = f"{connection.vendor} ({main_database})"
        say(f"Database: {database}")
        builder = Builder(workdir=workdir, scales=scales)
        builds, stages, load_results = {}, {}, []
        national_copy = None
        try:
            for stage in STAGES:
                say(f"building {stage}")
                builds[stage] = builder.build(stage)
                say(
                    f"built {stage} in {builds[stage].total_seconds:.1f} s: "
                    + ", ".join(f"{v:,} {k}" for k, v in builds[stage].counts.items())
                )
                if stage == "small":
                    stages.update(
                        measure_stage(SMALL_ROUNDS, {"small": main_database}, progress=say)
                    )
                    say("measured small")
                if stage == "national":
                    national_copy = snapshot_database(workdir, "national")
                    if with_load:
                        say("load test: gunicorn on the national data")
                        load_results = load_test(workdir, QUICK_LOAD if quick else FULL_LOAD)
                        say("load test done")
            # National and XL side by side, round by round.
            stages.update(
                measure_stage(
                    rounds, {"national": national_copy, "xl": main_database}, progress=say
                )
            )
            say("measured national and xl")
        finally:
            _use_database(main_database)
            if national_copy:
                drop_snapshot(national_copy)
        with bench_urlconf():
            points = endpoints()
        summary = summarise(
            stages,
            builds,
            load_results,
            quick=quick,
            database=connection.vendor,
            points=points,
        )
        summary["seconds"] = round(time.perf_counter() - started, 1)
        summary["var_dir"] = str(settings.VAR_DIR)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench national", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="everything scaled down")
    parser.add_argument("--no-load", action="store_true", help="skip the gunicorn part")
    parser.add_argument("--compare", type=Path, help="an earlier run's JSON to compare with")
    parser.add_argument(
        "--markdown",
        type=Path,
        metavar="JSON",
        help="only print the table of an earlier run (its JSON) in Markdown, for the README",
    )
    args = parser.parse_args(argv)
    if args.markdown:
        print(markdown(json.loads(args.markdown.read_text(encoding="utf-8"))))
        return 0
    # Read first: the run rewrites latest.json, which may be the file to compare with.
    old = json.loads(args.compare.read_text(encoding="utf-8")) if args.compare else None
    summary = run(quick=args.quick, with_load=not args.no_load)
    print()
    print(table(summary))
    print(f"\nWhole benchmark: {summary['seconds']:.0f} s")
    path = write_json(summary, Path(summary["var_dir"]) / "bench")
    print(f"Written: {path} (and latest.json beside it)")
    if old is not None:
        print()
        print(compare(old, summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
