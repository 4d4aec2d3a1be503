"""``m50 sync-tweedekamer`` online: against a local HTTP server that serves fixture pages as
the Gegevensmagazijn does (never the real internet)."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from m50.core.models import AuditEvent
from m50.publicaffairs.models import Motion, SyncState
from m50.publicaffairs.services import tweedekamer_online_sync
from tests.publicaffairs.test_sync_tweedekamer import BASE, zaak

pytestmark = pytest.mark.django_db


class FakeGegevensmagazijn:
    """Serves ``Zaak`` in two pages (the second behind ``@odata.nextLink``), every other
    entity empty; ``fail_second`` makes the second page answer 500 once."""

    def __init__(self):
        self.requests: list[str] = []
        self.fail_second = False
        self.foreign_next = False
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the http.server API)
                server.requests.append(urllib.parse.unquote(self.path))
                status, body = server.answer(self.path)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_port}/OData/v4/2.0/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, path: str):
        entity = urllib.parse.urlsplit(path).path.rsplit("/", 1)[-1]
        if entity != "Zaak":
            return 200, {"@odata.context": BASE + entity, "value": []}
        if "skip=2" in path:
            if self.fail_second:
                self.fail_second = False
                return 500, {"error": "tijdelijk niet beschikbaar"}
            return 200, {"@odata.context": BASE + "Zaak", "value": [zaak(3)]}
        next_base = "http://elders.example/" if self.foreign_next else self.base
        return 200, {
            "@odata.context": BASE + "Zaak",
            "value": [zaak(1), zaak(2)],
            "@odata.nextLink": next_base + "Zaak?$skip=2",
        }

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def magazijn(settings):
    server = FakeGegevensmagazijn()
    settings.M50_TWEEDEKAMER_API_URL = server.base
    settings.M50_TWEEDEKAMER_REQUEST_DELAY = 0.25
    yield server
    server.close()


def test_pages_are_followed_with_a_pause_and_the_next_run_asks_only_what_changed(magazijn):
    pauses: list[float] = []
    report = tweedekamer_online_sync(entities=("Fractie", "Zaak"), sleep=pauses.append)
    assert report.failed == []
    assert Motion.objects.count() == 3
    assert pauses == [0.25, 0.25]  # between the three requests, not before the first
    fractie, first, second = magazijn.requests
    assert "/Fractie?" in fractie and "$orderby=GewijzigdOp" in fractie
    assert "$filter=Soort eq 'Motie'" in first and "GewijzigdOp ge" not in first
    assert "$expand=Document" in first
    assert second.endswith("Zaak?$skip=2")
    state = SyncState.objects.get(entity="Zaak")
    assert state.resume_url == ""
    assert state.last_changed_at.isoformat() == "2025-10-03T08:21:32.790000+00:00"

    magazijn.requests.clear()
    again = tweedekamer_online_sync(entities=("Zaak",), sleep=pauses.append)
    assert (
        "Soort eq 'Motie' and GewijzigdOp ge 2025-10-03T08:21:32.790000+00:00"
        in (magazijn.requests[0])
    )
    total = again.total()
    assert (total.new, total.changed, total.unchanged) == (0, 0, 3)
    assert AuditEvent.objects.filter(action="tweedekamer.sync").count() == 2


def test_a_failure_halfway_keeps_what_was_applied_and_the_next_run_resumes_there(magazijn):
    magazijn.fail_second = True
    report = tweedekamer_online_sync(entities=("Zaak",), sleep=lambda seconds: None)
    assert [page.name for page in report.failed] == ["Zaak pagina 2"]
    assert "500" in report.failed[0].error
    assert Motion.objects.count() == 2
    state = SyncState.objects.get(entity="Zaak")
    assert state.resume_url == magazijn.base + "Zaak?$skip=2"

    magazijn.requests.clear()
    report = tweedekamer_online_sync(entities=("Zaak",), sleep=lambda seconds: None)
    assert report.failed == []
    assert magazijn.requests == ["/OData/v4/2.0/Zaak?$skip=2"]
    assert Motion.objects.count() == 3
    assert SyncState.objects.get(entity="Zaak").resume_url == ""


def test_a_next_link_to_another_host_is_not_followed(magazijn):
    magazijn.foreign_next = True
    report = tweedekamer_online_sync(entities=("Zaak",), sleep=lambda seconds: None)
    assert "elders.example" in report.failed[0].error
    assert Motion.objects.count() == 0
    assert len(magazijn.requests) == 1


def test_the_command_reads_the_api_without_a_directory_and_fails_on_a_failed_page(magazijn, capsys):
    magazijn.fail_second = True
    with pytest.raises(CommandError):
        call_command("sync-tweedekamer", "--entity", "Zaak")
    assert "Zaak pagina 2" in capsys.readouterr().err
    call_command("sync-tweedekamer", "--entity", "Zaak")
    assert "Zaak: 1 nieuw" in capsys.readouterr().out
