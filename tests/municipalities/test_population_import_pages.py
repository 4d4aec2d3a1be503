"""Importing a CBS population file from the screens: upload, preview of what changes, confirm."""

import copy
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from m50.accounts.models import Role
from m50.core.models import AuditEvent
from m50.municipalities import services
from m50.municipalities.models import PopulationCount
from tests.municipalities.test_import_cbs import (
    AMSTERDAM_2025,
    DIEMEN_2025,
    csv_line,
    csv_text,
    population,
    value,
)

URL = reverse("municipalities:population_import")
DIEMEN_2024_CORRECTED = (
    "2024-01-01,GM0384,Diemen,PV27,Noord-Holland,33000,37259NED,BevolkingOp1Januari_1"
)


@pytest.fixture
def bureau(client, user_for_role):
    client.force_login(user_for_role(Role.BUREAU))
    return client


def upload(text: str | bytes, name: str = "bevolking.csv") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, name
    return match.group(1)


def preview(client, text, **extra):
    response = client.post(URL, {"bestand": upload(text), **extra})
    assert response.status_code == 200, response.text
    return response


def confirm(client, response, **overrides):
    data = {
        "voorvertoning": hidden(response.text, "voorvertoning"),
        "controle": hidden(response.text, "controle"),
        **overrides,
    }
    return client.post(URL, data, follow=True)


def test_the_list_links_the_import_for_the_bureau_only(bureau, registry, client, user_for_role):
    assert URL in bureau.get(reverse("municipalities:list")).text
    client.force_login(user_for_role(Role.PUBLIC_AFFAIRS))
    assert URL not in client.get(reverse("municipalities:list")).text


def test_preview_then_confirm(bureau, registry):
    before = population()
    response = preview(bureau, csv_text(DIEMEN_2025, AMSTERDAM_2025, DIEMEN_2024_CORRECTED))
    # Nothing is written by the preview.
    assert population() == before
    text = response.text
    assert "Controleer de wijzigingen" in text
    assert re.search(r"Nieuw</dt>\s*<dd[^>]*>2</dd>", text)
    assert re.search(r"Gewijzigd</dt>\s*<dd[^>]*>1</dd>", text)
    assert re.search(r"Ongewijzigd</dt>\s*<dd[^>]*>0</dd>", text)
    # The changed row, old → new.
    old = value("GM0384", 2024)
    assert "Diemen" in text and f"{old:,}".replace(",", ".") in text and "33.000" in text
    assert f"{33_000 - old:+,}".replace(",", ".") in text

    done = confirm(bureau, response)
    assert done.redirect_chain[-1][0] == URL
    assert "inwonertallen nieuw: 2, bijgewerkt: 1, ongewijzigd: 0." in done.text
    assert value("GM0384", 2024) == 33_000
    assert value("GM0363", 2025) == 942_504
    # Audited as the bureau user's work, with the corrected figure old → new.
    event = AuditEvent.objects.get(action="population.import")
    assert event.actor == done.wsgi_request.user
    assert event.changes["GM0384 2024"] == {"old": old, "new": 33_000}


def test_a_bad_file_lists_every_problem_with_its_line_and_writes_nothing(bureau, registry):
    before = population()
    bad = csv_text(
        DIEMEN_2025,
        "2025-01-01,GM9999,Nergens,PV27,Noord-Holland,100,37259NED,x",
        "2025-02-01,GM0363,Amsterdam,PV27,Noord-Holland,veel,37259NED,x",
    )
    response = bureau.post(URL, {"bestand": upload(bad)})
    assert response.status_code == 400
    text = response.text
    assert "Niets ingelezen: 3 problemen in het bestand" in text
    assert "regel 3: onbekende gemeentecode &#x27;GM9999&#x27;." in text
    assert "regel 4: peildatum 2025-02-01 is geen 1 januari." in text
    assert "regel 4: inwoners &#x27;veel&#x27; is geen geheel getal." in text
    assert 'name="voorvertoning"' not in text
    assert population() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Kies een bestand."),
        ({"bestand": upload(b"", "leeg.csv")}, "Het gekozen bestand is leeg."),
        ({"bestand": upload(b"x" * 2048)}, "de grens is 1,0"),
    ],
)
def test_no_file_an_empty_file_or_too_large_a_file(bureau, registry, settings, data, message):
    settings.M50_CBS_UPLOAD_MAX_BYTES = 1024
    before = population()
    response = bureau.post(URL, data)
    assert response.status_code == 400
    assert message in response.text
    assert population() == before


def test_a_file_in_another_encoding_is_refused_with_its_line(bureau, registry):
    data = csv_text(
        DIEMEN_2025
    ).encode() + "2025-01-01,GM0363,Amsterdam,PV27,Noord-Holland,1,é,x\n".encode("latin-1")
    response = bureau.post(URL, {"bestand": upload(data)})
    assert response.status_code == 400
    assert "regel 3: het bestand is geen UTF-8-tekst" in response.text


def test_a_tampered_preview_writes_nothing(bureau, registry):
    before = population()
    response = preview(bureau, csv_text(DIEMEN_2025))
    signed = hidden(response.text, "voorvertoning")
    done = confirm(bureau, response, voorvertoning=signed[:-3] + "abc")
    assert "De voorvertoning is verlopen of onvolledig" in done.text
    done = confirm(bureau, response, voorvertoning="")
    assert "De voorvertoning is verlopen of onvolledig" in done.text
    assert population() == before


def test_an_expired_preview_writes_nothing(bureau, registry, settings):
    response = preview(bureau, csv_text(DIEMEN_2025))
    settings.M50_CBS_PREVIEW_MAX_AGE = -1
    before = population()
    done = confirm(bureau, response)
    assert "De voorvertoning is verlopen" in done.text
    assert population() == before


def test_a_registry_changed_since_the_preview_shows_the_new_plan(bureau, registry):
    response = preview(bureau, csv_text(DIEMEN_2024_CORRECTED))
    # Someone else imports a different figure in the meantime.
    PopulationCount.objects.filter(municipality__code="GM0384", year=2024).update(inhabitants=1)
    before = population()
    again = confirm(bureau, response)
    assert "Sinds de voorvertoning zijn de inwonertallen gewijzigd" in again.text
    assert population() == before
    # The new plan can be confirmed in turn.
    confirm(bureau, again)
    assert value("GM0384", 2024) == 33_000


def test_two_confirmations_at_once_show_the_new_plan_instead_of_failing(
    bureau, registry, monkeypatch
):
    response = preview(bureau, csv_text(DIEMEN_2025))
    before = population()
    manager = PopulationCount.objects
    bulk_create = manager.bulk_create

    def the_other_confirmation_first(objs, *args, **kwargs):
        # The same figures committed by another request between this one's plan and its
        # write: the database refuses the second insert of each.
        monkeypatch.setattr(manager, "bulk_create", bulk_create)
        objs = list(objs)
        bulk_create([copy.copy(obj) for obj in objs], *args, **kwargs)
        return bulk_create(objs, *args, **kwargs)

    monkeypatch.setattr(manager, "bulk_create", the_other_confirmation_first)
    again = confirm(bureau, response)
    assert again.status_code == 200
    assert "Sinds de voorvertoning zijn de inwonertallen gewijzigd" in again.text
    assert population() == before
    confirm(bureau, again)
    assert value("GM0384", 2025) == 33_412


def test_a_given_source_is_kept_through_the_preview(bureau, registry):
    response = preview(bureau, csv_text(DIEMEN_2025), bron="CBS StatLine, 2025")
    assert "CBS StatLine, 2025" in response.text
    confirm(bureau, response)
    count = PopulationCount.objects.get(municipality__code="GM0384", year=2025)
    assert count.source == "CBS StatLine, 2025"


@pytest.mark.parametrize("role", [Role.PUBLIC_AFFAIRS, Role.MEMBER_CONTACT, Role.PARTICIPANT])
def test_only_the_bureau_may_import(client, user_for_role, registry, role):
    client.force_login(user_for_role(role))
    before = population()
    assert client.post(URL, {"bestand": upload(csv_text(DIEMEN_2025))}).status_code == 403
    assert population() == before


def test_the_preview_takes_the_same_queries_for_10_and_1000_changed_rows(bureau, registry):
    rows = list(
        PopulationCount.objects.filter(year__in=(2022, 2023, 2024))
        .select_related("municipality")
        .order_by("municipality__code", "year")
    )

    def corrected(count: int) -> str:
        return csv_text(
            *(
                csv_line(
                    f"{c.year}-01-01",
                    c.municipality.code,
                    c.municipality.name,
                    "PV27",
                    "x",
                    c.inhabitants + 1,
                    "37259NED",
                    "BevolkingOp1Januari_1",
                )
                for c in rows[:count]
            )
        )

    def queries(count: int) -> int:
        with CaptureQueriesContext(connection) as context:
            response = bureau.post(URL, {"bestand": upload(corrected(count))})
        assert response.status_code == 200, re.findall(r"regel \d+: [^<]*", response.text)[:3]
        assert response.text.count('<tr class="utrecht-table__row">') == count + 1
        return len(context)

    assert len(rows) >= 1000
    assert queries(10) == queries(1000)


def test_preview_of_the_service_alone(registry):
    from io import StringIO

    before = population()
    result = services.population_import_preview(file=StringIO(csv_text(DIEMEN_2024_CORRECTED)))
    assert population() == before
    (change,) = result.changes
    assert (change.code, change.year, change.new_inhabitants) == ("GM0384", 2024, 33_000)
    assert change.difference == 33_000 - change.old_inhabitants
