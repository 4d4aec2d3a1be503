"""A real-world bank export in the browser: pending, reversed and unmatched lines on the bank
lines page, a line's page with its suggestions, and marking it "geen factuurbetaling"; a
suspected duplicate's page, marked "geen dubbele boeking"."""

import datetime
import io
import re
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import expect

from m50.accounts.models import Role
from m50.finance import payments, services
from m50.finance.models import StatementLine
from tests.e2e.test_registry import check_page

EXPORT = Path(__file__).parents[1] / "finance" / "data" / "camt053_v08_bank_export.xml"


def test_a_bank_export_on_the_bank_lines_pages(
    page, live_server, login, axe_check, fits_narrow_screen
):
    services.fee_reference_load()
    services.invoice_run(year=2024, issue_date=datetime.date(2024, 1, 16))
    login(Role.BUREAU)

    page.goto(f"{live_server.url}/financien/bankregels/")
    page.get_by_label("Bankafschrift (CAMT.053, XML)").set_input_files(str(EXPORT))
    page.get_by_role("button", name="Afschrift inlezen").click()
    expect(page.get_by_text(re.compile("7 regels ingelezen"))).to_be_visible()
    unbooked = page.get_by_role("heading", name=re.compile("nog niet geboekt door de bank"))
    expect(unbooked).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)

    page.get_by_role("link", name=re.compile("^Bekijken regel van")).first.click()
    expect(page.get_by_role("heading", name="Bankregel", exact=True)).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_label("Reden").fill("Bankkosten")
    page.get_by_role("button", name="Markeren als geen factuurbetaling").click()
    expect(page.get_by_text("De regel is gemarkeerd als geen factuurbetaling.")).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)


def test_a_suspected_duplicate_on_its_line_page(
    page, live_server, login, axe_check, fits_narrow_screen
):
    services.fee_reference_load()
    services.invoice_run(year=2024, issue_date=datetime.date(2024, 1, 16))
    payments.bank_statement_import(file=EXPORT)
    # The bank sends the same day again under another message, statement and sequence number.
    again = (
        EXPORT.read_bytes()
        .replace(b"EXP20240318071500000001", b"EXP20240319071500000002")
        .replace(b"20240315-0417164300", b"20240315-0417164300-B")
        .replace(b"00071", b"00072")
    )
    payments.bank_statement_import(file=io.BytesIO(again))
    line = StatementLine.objects.filter(duplicate=True, credit=True, reversal=False).first()
    login(Role.BUREAU)

    page.goto(f"{live_server.url}{reverse('finance:line_match', args=[line.pk])}")
    expect(page.get_by_role("heading", name="Mogelijk dubbel")).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_role("button", name="Markeren als geen dubbele boeking").click()
    expect(page.get_by_text("Vul dit veld in.").first).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_label("Reden").first.fill("Twee keer betaald")
    page.get_by_role("button", name="Markeren als geen dubbele boeking").click()
    expect(page.get_by_text("De regel is gemarkeerd als geen dubbele boeking")).to_be_visible()
    check_page(page, axe_check, fits_narrow_screen)
