"""The operator's commands: ``m50 invoice-run`` and ``m50 invoice-export``."""

from __future__ import annotations

import datetime
import io
import os
import stat
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from lxml import etree

from m50.finance import services
from m50.finance.models import Invoice
from tests.finance import credit, diemen, diemen_invoice, issue, listed
from tests.finance.test_ubl import schema

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def members(count: int) -> None:
    for n in range(count):
        listed(f"Lid {n:02d}", f"GM{7000 + n}", oin=f"000000010000000{n:02d}000")


# -- invoice-run ------------------------------------------------------------------------------


def test_invoice_run_prints_what_it_created_and_then_that_there_is_nothing_to_do():
    services.fee_reference_load()
    members(61)
    assert run("invoice-run", "--year", "2024", "--datum", "2024-01-16") == (
        "61 facturen aangemaakt als concept; zij krijgen hun nummer bij het versturen.\n"
    )
    assert Invoice.objects.filter(fee_year=2024, number__isnull=True).count() == 61
    assert set(Invoice.objects.values_list("issue_date", flat=True)) == {datetime.date(2024, 1, 16)}

    # Idempotent: a second run creates nothing and says so.
    assert run("invoice-run", "--year", "2024", "--datum", "2024-01-20") == (
        "Niets te doen: alle facturen voor 2024 bestaan al.\n"
    )
    assert Invoice.objects.count() == 61


def test_invoice_run_of_one_invoice_and_of_a_year_without_fee():
    services.fee_reference_load()
    diemen()
    # Diemen was aspirant only in 2022, and there is no fee before 2023.
    assert run("invoice-run", "--year", "2022", "--datum", "2024-01-16") == (
        "Niets te doen: er is geen contributie vastgesteld voor 2022.\n"
    )
    assert run("invoice-run", "--year", "2023", "--datum", "2024-01-16") == (
        "1 factuur aangemaakt als concept; zij krijgt haar nummer bij het versturen.\n"
    )


def test_invoices_numbered_after_a_credit_note_have_no_gaps():
    invoice = diemen_invoice()  # 2024-0001, sent
    credit(invoice)  # 2024-0002
    run("invoice-run", "--year", "2024", "--datum", "2024-03-02")
    (again,) = issue(list(Invoice.objects.filter(number__isnull=True)))
    assert again.number == "2024-0003"


@pytest.mark.parametrize("datum", ["16-01-2024", "2024-02-30", "morgen"])
def test_invoice_run_refuses_a_bad_date_in_dutch_and_creates_nothing(datum):
    services.fee_reference_load()
    members(2)
    with pytest.raises(CommandError, match="Ongeldige datum"):
        run("invoice-run", "--year", "2024", "--datum", datum)
    assert not Invoice.objects.exists()


def test_invoice_run_refuses_an_impossible_year():
    with pytest.raises(CommandError, match="Ongeldig jaar: 24"):
        run("invoice-run", "--year", "24")


# -- invoice-export ---------------------------------------------------------------------------


def test_invoice_export_writes_a_pdf(tmp_path: Path):
    invoice = diemen_invoice()
    target = tmp_path / "2024-0001.pdf"
    out = run("invoice-export", invoice.number, "--format", "pdf", "--output", str(target))
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    assert f"2024-0001 geschreven naar {target} ({len(data)} bytes)." in out
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_invoice_export_writes_valid_ubl_for_an_invoice_and_a_credit_note(tmp_path: Path):
    invoice = diemen_invoice()
    note = credit(invoice)
    for item, name in ((invoice, "Invoice"), (note, "CreditNote")):
        target = tmp_path / f"{item.number}.xml"
        run("invoice-export", item.number, "--format", "ubl", "--output", str(target))
        document = etree.parse(str(target))
        schema(name).assertValid(document)
        assert (
            document.getroot().findtext(
                "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}ID"
            )
            == item.number
        )


def test_invoice_export_replaces_an_existing_file_whole(tmp_path: Path):
    invoice = diemen_invoice()
    target = tmp_path / "factuur.xml"
    target.write_bytes(b"old")
    run("invoice-export", invoice.number, "--format", "ubl", "--output", str(target))
    assert target.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    # A new file gets the usual permissions, not the temporary file's private ones.
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert sorted(p.name for p in tmp_path.iterdir()) == ["factuur.xml"]


def test_invoice_export_of_an_unknown_number_fails_in_dutch_and_writes_nothing(tmp_path: Path):
    diemen_invoice()
    target = tmp_path / "factuur.pdf"
    with pytest.raises(CommandError, match="Onbekend factuurnummer: 2024-0999"):
        run("invoice-export", "2024-0999", "--format", "pdf", "--output", str(target))
    assert list(tmp_path.iterdir()) == []


def test_invoice_export_of_an_invoice_that_cannot_be_an_e_invoice_writes_nothing(tmp_path):
    listed("Gouda", "GM0513", oin="00000001001849680000")  # no address
    services.fee_reference_load()
    (invoice,) = issue(services.invoice_run(year=2024))
    target = tmp_path / "factuur.xml"
    target.write_bytes(b"keep")
    with pytest.raises(CommandError, match="Geen e-factuur voor .*adres van de debiteur"):
        run("invoice-export", invoice.number, "--format", "ubl", "--output", str(target))
    assert target.read_bytes() == b"keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["factuur.xml"]


def test_invoice_export_refuses_a_missing_folder_and_an_unknown_format(tmp_path: Path):
    invoice = diemen_invoice()
    with pytest.raises(CommandError, match="bestaat niet"):
        run(
            "invoice-export",
            invoice.number,
            "--format",
            "pdf",
            "--output",
            str(tmp_path / "nergens" / "f.pdf"),
        )
    with pytest.raises(CommandError, match="is een map"):
        run("invoice-export", invoice.number, "--format", "pdf", "--output", str(tmp_path))
    with pytest.raises(CommandError):
        run(
            "invoice-export",
            invoice.number,
            "--format",
            "docx",
            "--output",
            str(tmp_path / "f.docx"),
        )
    assert list(tmp_path.iterdir()) == []
