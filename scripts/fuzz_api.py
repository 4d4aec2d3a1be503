"""Property-based run of schemathesis against the running API, on a throw-away database.

Creates a SQLite database in a temporary folder, migrates it, loads the reference data,
creates invoices in several statuses, creates a bureau user with an API token, starts
``m50 runserver`` on a free loopback port (without debug), waits until it answers, and runs
schemathesis against every operation and every documented method of
``/api/v1/openapi.json``, authenticated as the bureau. The checks:
no server error, and every response conforms to the document (status code, content type,
body schema). The number of examples is bounded and the seed fixed, so a run is reproducible.

Only the loopback address is contacted: the base URL is given explicitly (the document's own
``servers`` entry names the production host), and proxies from the environment are ignored.
The server is stopped and the folder removed whatever the outcome; the exit status is
schemathesis' own (non-zero on any failure).

Usage: python scripts/fuzz_api.py [--max-examples N] [--seed N] [EXTRA SCHEMATHESIS ARGS...]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

BIN = Path(sys.executable).parent
M50 = str(BIN / "m50")
SCHEMATHESIS = str(BIN / "schemathesis")
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)
USERNAME = "fuzz-bureau"
TOKEN_SCRIPT = f"""
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
user = get_user_model().objects.create_user(username={USERNAME!r}, role="bureau")
print("TOKEN=" + Token.objects.create(user=user).key)
"""
# Invoices in every status, so that /facturen answers with data (and with nulls and
# negative amounts) and not only with an empty list: the runs of 2023 and 2024 for the
# reference members, one sent and partly paid, one sent and paid, one credited.
INVOICE_SCRIPT = """
import datetime
from decimal import Decimal
from m50.finance import services
from m50.finance.models import Invoice
D = datetime.date
services.invoice_run(year=2023, issue_date=D(2023, 6, 1))
services.invoice_run(year=2024, issue_date=D(2024, 1, 15))
invoices = list(Invoice.objects.order_by("year", "sequence"))
for invoice in invoices[:3]:
    services.invoice_mark_sent(invoice=invoice, recipients=["facturen@gemeente.example"])
if invoices:
    services.payment_register(invoice=invoices[0], paid_on=D(2024, 2, 1), amount=invoices[0].total)
if len(invoices) > 1:
    services.payment_register(invoice=invoices[1], paid_on=D(2024, 2, 1), amount=Decimal("1250.50"))
if len(invoices) > 2:
    services.invoice_credit(invoice=invoices[2], reason="Fuzz", issue_date=D(2024, 2, 1))
print("INVOICES=%d" % Invoice.objects.count())
"""
# A theme group, a participation and a topic, so that /themagroepen, /deelnames and
# /onderwerpen answer with data: an alderman of the first member municipality chairs Sociaal
# and proposes a topic there.
PILLARS_SCRIPT = """
import datetime
from m50.contacts import services as contacts
from m50.contacts.models import Organisation
from m50.membership import selectors as membership
from m50.pillars import services
from m50.pillars.models import Pillar
today = datetime.date.today()
ids = membership.running_municipality_ids(on=today)
organisation = Organisation.objects.filter(municipality_id__in=ids).order_by("name").first()
person = contacts.person_create(surname="Wethouder", given_name="Fuzz")
position = contacts.position_create(
    person=person, organisation=organisation, function="wethouder",
    start_date=datetime.date(2022, 6, 1),
)
sociaal = Pillar.objects.get(slug="sociaal")
services.participation_register(position=position, pillar=sociaal, role="chair", start_date=today)
services.topic_propose(title="Jeugdzorg", owner=person, pillar=sociaal)
services.theme_group_create(name="Jeugd", pillar=sociaal)
print("PILLARS=1")
"""
# Activities of every audience, one with a seat and a waiting-list place, one cancelled, so that
# /activiteiten and /aanmeldingen answer with data (and with nulls and a queue).
ACTIVITIES_SCRIPT = """
import datetime
from django.utils import timezone
from m50.activities import services
from m50.contacts import services as contacts
from m50.contacts.models import Person
from m50.municipalities.models import Municipality
from m50.pillars.models import Pillar
start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=14)
end = start + datetime.timedelta(hours=2)
sociaal = Pillar.objects.get(slug="sociaal")
host = Municipality.objects.order_by("code").first()
public = services.activity_create(
    actor=None, kind="webinar", title="Webinar", starts_at=start, ends_at=end,
    audience="iedereen", online_url="https://vergader.example/webinar", capacity=1,
)
services.activity_create(
    actor=None, kind="pijlerbijeenkomst", title="Sociaal", starts_at=start, ends_at=end,
    organiser=sociaal, audience="pijler-of-groep", audience_body=sociaal, host_municipality=host,
    address="Raadhuisplein 1",
)
cancelled = services.activity_create(
    actor=None, kind="werkbezoek", title="Werkbezoek", starts_at=start, ends_at=end,
)
services.activity_cancel(activity=cancelled, actor=None, reason="Fuzz")
people = [*Person.objects.order_by("pk")[:1], contacts.person_create(surname="Deelnemer")]
for person in people:
    services.registration_create(activity=public, person=person, actor=None)
print("ACTIVITIES=3")
"""
# Knowledge items of every form, level and status, a document with two versions and one whose
# text cannot be read, so that /kennisitems answers with data (nulls, links, notes, files).
KNOWLEDGE_SCRIPT = """
import datetime
from django.core.files.uploadedfile import SimpleUploadedFile
from m50.core.models import Theme
from m50.knowledge import services
from m50.municipalities.models import Municipality
from m50.pillars.models import Pillar
sociaal = Pillar.objects.get(slug="sociaal")
place = Municipality.objects.order_by("code").first()
themes = list(Theme.objects.order_by("position")[:2])
PDF = b"%PDF-1.4\\n1 0 obj<<>>endobj\\ntrailer<<>>\\n%%EOF\\n"
document = services.item_create(
    actor=None, form="document", kind="handreiking", title="Handreiking wonen",
    summary="Hoe gemeenten sneller bouwen.", access="openbaar", themes=themes, body=sociaal,
    uploaded_file=SimpleUploadedFile("handreiking.pdf", PDF),
)
services.document_version_add(
    actor=None, item=document, uploaded_file=SimpleUploadedFile("versie-2.pdf", PDF + b" "),
)
services.item_accept(actor=None, item=document)
link = services.item_create(
    actor=None, form="link", kind="publicatie", title="Platform31 over wonen",
    link_url="https://www.platform31.nl/wonen", link_publisher="Platform31",
    link_published_on=datetime.date(2024, 3, 1), access="netwerk",
)
services.item_accept(actor=None, item=link)
note = services.item_create(
    actor=None, form="notitie", kind="voorbeeld", title="Wijkteams", municipality=place,
    note_what="Een wijkteam per wijk.", note_cost="Twee fte.", note_contact_text="Het wijkteam",
    access="pijler-of-groep", body=sociaal,
)
services.item_accept(actor=None, item=note)
withdrawn = services.item_create(
    actor=None, form="notitie", kind="overig", title="Oud", note_what="Verouderd.",
    access="bureau",
)
services.item_withdraw(actor=None, item=withdrawn, reason="Verouderd")
services.item_create(
    actor=None, form="link", kind="verslag", title="Concept", link_url="https://example.org/",
)
print("KNOWLEDGE=5")
"""
# Public affairs: fracties, Kamerleden with a committee seat, a Tweede Kamer motion with its
# decision and votes (one roll call, one waiting for its decision), a VNG motion, a theme
# dossier with a position, and a contact with a confidential note and a follow-up, so that
# /themas, /kamerleden, /fracties, /moties, /stemmingen and /contactmomenten answer with data.
PUBLICAFFAIRS_SCRIPT = """
import datetime
import uuid
from django.contrib.auth import get_user_model
from m50.core.models import Theme
from m50.publicaffairs import records
from m50.publicaffairs.models import (
    Committee, CommitteeMembership, Decision, Fractie, MemberOfParliament, Motion,
    MotionSubmitter, Vote,
)
from m50.municipalities.models import Municipality
vvd = Fractie.objects.create(tk_id=uuid.uuid4(), name="VVD", abbreviation="VVD", seats=24)
old = Fractie.objects.create(
    tk_id=uuid.uuid4(), name="Oud", active_from=datetime.date(2010, 1, 1),
    active_to=datetime.date(2017, 3, 22),
)
housing = Committee.objects.create(tk_id=uuid.uuid4(), name="Volkshuisvesting")
member = MemberOfParliament.objects.create(
    tk_id=uuid.uuid4(), surname="Jansen", display_name="Jansen", fractie=vvd,
    residence="Diemen", municipality=Municipality.objects.order_by("code").first(),
)
MemberOfParliament.objects.create(tk_id=uuid.uuid4())
CommitteeMembership.objects.create(
    tk_id=uuid.uuid4(), committee=housing, member=member, function="Lid",
)
motion = Motion.objects.create(
    source="tweede_kamer", tk_id=uuid.uuid4(), number="36200-12", title="Meer woningen",
    date=datetime.date(2026, 11, 5), committee=housing,
)
MotionSubmitter.objects.create(
    tk_id=uuid.uuid4(), motion=motion, member=member, role="submitter", name="Jansen",
    fractie_name="VVD",
)
decision = Decision.objects.create(
    tk_id=uuid.uuid4(), motion=motion, result="Aangenomen", vote_count="95-55",
)
Vote.objects.create(tk_id=uuid.uuid4(), decision=decision, fractie=vvd, kind="Voor")
Vote.objects.create(
    tk_id=uuid.uuid4(), decision=decision, member=member, kind="Tegen", mistake=True,
)
Vote.objects.create(tk_id=uuid.uuid4(), tk_decision_id=uuid.uuid4(), kind="Voor")
wonen = Theme.objects.get(slug="wonen")
dossier = records.dossier_create(actor=None, theme=wonen, watch_terms=["woningbouw"],
    committees=[housing])
records.position_add(actor=None, dossier=dossier, text="Bouwen.")
records.dossier_motion_link(actor=None, dossier=dossier, motion=motion)
records.vng_motion_create(
    actor=None, title="Jeugdzorg", date=datetime.date(2026, 6, 12), outcome="aangenomen",
)
talk = records.interaction_create(
    actor=None, kind="bestuurlijk_gesprek", date=datetime.date(2026, 12, 2), subject="Gesprek",
    members=[member], fracties=[vvd], themes=[wonen], confidential_note="Vertrouwelijk.",
)
owner = get_user_model().objects.create_user(username="fuzz-lobbyist", role="public_affairs")
records.follow_up_create(actor=None, interaction=talk, description="Bellen", owner=owner)
print("PUBLICAFFAIRS=1")
"""
PROXY_VARIABLES = (
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("M50_DEBUG", "DATABASE_URL", "M50_SECRET_KEY", *PROXY_VARIABLES):
        env.pop(name, None)
    env["M50_SQLITE_PATH"] = str(workdir / "fuzz.sqlite3")
    env["M50_STATIC_ROOT"] = str(workdir / "static")
    env["M50_MEDIA_ROOT"] = str(workdir / "media")  # the library's files, thrown away after
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    return env


def run(args: list[str], env: dict[str, str], cwd: Path) -> str:
    result = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"fuzz_api: '{' '.join(args[:2])}' failed ({result.returncode})")
    return result.stdout


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"fuzz_api: the server stopped ({server.returncode}) before answering")
        try:
            with opener.open(url, timeout=2) as response:  # noqa: S310 (loopback http only)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise SystemExit(f"fuzz_api: no answer from {url} within {timeout:.0f} s")


REQUEST_LINE = re.compile(r'"([A-Z]+) (/api/v1/[^ ?"]*)[^"]*" (\d{3}) ')
# /api/v1/<collection>/<key>[/<sub-resource>]: the key, whatever it is, as {key}.
ITEM_PATH = re.compile(r"^(/api/v1/[a-z-]+)/[^/]+(/[a-z-]+)?$")


def request_summary(server_log: str) -> str:
    """How many requests each operation got, by status, from the server's access log."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for method, path, status in REQUEST_LINE.findall(server_log):
        path = ITEM_PATH.sub(lambda m: f"{m[1]}/{{key}}{m[2] or ''}", path)
        counts[method, path, status] += 1
    by_operation: dict[tuple[str, str], list[str]] = {}
    for (method, path, status), count in sorted(counts.items()):
        by_operation.setdefault((method, path), []).append(f"{status}: {count}")
    return "\n".join(
        f"  {method:6} {path:40} {', '.join(statuses)}"
        for (method, path), statuses in sorted(by_operation.items(), key=lambda i: i[0][::-1])
    )


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=50)
    parser.add_argument("--seed", type=int, default=50)
    options, extra = parser.parse_known_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="m50-fuzz-"))
    server = None
    try:
        env = environment(workdir)
        run([M50, "migrate", "--noinput", "-v", "0"], env, workdir)
        run([M50, "load-reference-data", "-v", "0"], env, workdir)
        output = run([M50, "shell", "-c", INVOICE_SCRIPT], env, workdir)
        invoices = next(
            line.removeprefix("INVOICES=")
            for line in output.splitlines()
            if line.startswith("INVOICES=")
        )
        print(f"fuzz_api: {invoices} invoices and credit notes", flush=True)
        run([M50, "shell", "-c", PILLARS_SCRIPT], env, workdir)
        run([M50, "shell", "-c", ACTIVITIES_SCRIPT], env, workdir)
        run([M50, "shell", "-c", KNOWLEDGE_SCRIPT], env, workdir)
        run([M50, "shell", "-c", PUBLICAFFAIRS_SCRIPT], env, workdir)
        output = run([M50, "shell", "-c", TOKEN_SCRIPT], env, workdir)
        token = next(
            line.removeprefix("TOKEN=") for line in output.splitlines() if line.startswith("TOKEN=")
        )

        port = free_port()
        base = f"http://127.0.0.1:{port}/api/v1"
        log = (workdir / "server.log").open("w")
        server = subprocess.Popen(
            [M50, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until_up(f"{base}/openapi.json", server)

        command = [
            SCHEMATHESIS,
            "run",
            f"{base}/openapi.json",
            "--url",
            base,
            "--checks",
            ",".join(CHECKS),
            "--header",
            f"Authorization: Token {token}",
            "--max-examples",
            str(options.max_examples),
            "--seed",
            str(options.seed),
            "--workers",
            "1",
            "--generation-database",
            "none",
            "--request-timeout",
            "30",
            "--no-color",
            *extra,
        ]
        print(f"fuzz_api: schemathesis against {base} (seed {options.seed})", flush=True)
        status = subprocess.run(command, env=env, cwd=workdir, check=False).returncode
        stop(server)
        log.close()
        server_log = (workdir / "server.log").read_text(errors="replace")
        print("fuzz_api: requests the server answered, per operation and status:")
        print(request_summary(server_log))
        tracebacks = [part for part in server_log.split("\n\n") if "Traceback" in part]
        if tracebacks:
            print("fuzz_api: server tracebacks:\n" + "\n\n".join(tracebacks[:5]))
        return status
    finally:
        if server is not None:
            stop(server)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
