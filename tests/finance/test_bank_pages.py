"""The bank lines pages with real-world statements: pending, reversed, duplicate and
dismissed lines and payments to check are shown and labelled; a line's page suggests invoices,
marks a line "geen factuurbetaling" and undoes it, and marks a payment as checked; an upload
over the size cap is refused; query counts do not grow with the lines or the invoices."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from m50.core.models import AuditEvent
from m50.finance import payments
from m50.finance.models import BankStatement, Payment, StatementLine
from tests.finance.test_camt_real_world import EXPORT_V08, IBANS, document, make_invoices, ntry
from tests.finance.test_pages import bulk_invoices, count_queries, text
from tests.municipalities.test_pages import assert_sound_headings

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau(client, bureau_user):
    client.force_login(bureau_user)
    return client


def test_the_bank_lines_page_shows_what_was_not_booked_and_why(bureau):
    make_invoices(5)
    payments.bank_statement_import(file=EXPORT_V08)
    # A duplicate (the day re-sent under other ids), a stranger's payment and a dismissed line.
    entry = ntry("2500.00", ustrd=("Factuur 2024-0005",), payer=4)
    stranger = ntry("5000.00", ustrd=("2024-0004",), payer=4, name="Stichting Onbekend")
    payments.bank_statement_import(file=document([entry, stranger], statement_id="S-1"))
    payments.bank_statement_import(file=document([entry], statement_id="S-2", sequence="2"))
    rente = StatementLine.objects.get(amount=Decimal("1.90"))
    payments.statement_line_dismiss(line=rente, reason="Bankkosten", actor=None)

    response = bureau.get(reverse("finance:bank_lines"))

    assert response.status_code == 200
    assert_sound_headings(response.text)
    page = text(response.text)
    assert "1 regel niet gekoppeld" in page and "Mogelijk dubbel" in page
    assert "1 betaling van een onbekende betaler te controleren" in page
    assert "betaald door Stichting Onbekend" in page
    assert "1 terugboeking" in page and "factuur 2024-0001" in page
    assert "2 regels nog niet geboekt door de bank" in page
    assert "in afwachting" in page and "ter informatie" in page
    assert "1 regel gemarkeerd als geen factuurbetaling" in page and "Bankkosten" in page
    payments_page = text(bureau.get(reverse("finance:payment_list")).text)
    assert "te controleren : betaald door Stichting Onbekend" in payments_page


def test_an_import_with_a_reversal_warns_the_bureau(bureau):
    make_invoices(4)
    with EXPORT_V08.open("rb") as handle:
        response = bureau.post(reverse("finance:statement_import"), {"file": handle}, follow=True)
    page = text(response.text)
    assert "Teruggeboekt, de factuur staat weer open: € 5.000,00 op factuur 2024-0001" in page


def test_a_statement_of_another_account_is_refused_on_the_page(bureau):
    data = document([ntry("5000.00")], account=f"<IBAN>{IBANS[0]}</IBAN>")
    upload = SimpleUploadedFile("afschrift.xml", data, content_type="text/xml")
    response = bureau.post(reverse("finance:statement_import"), {"file": upload})
    assert response.status_code == 400
    assert f"rekening {IBANS[0]} is geen rekening van het netwerk" in text(response.text)
    assert BankStatement.objects.count() == 0


def test_an_upload_over_the_size_cap_is_refused_with_a_dutch_message(bureau):
    upload = SimpleUploadedFile("groot.xml", document([ntry("5000.00")]), content_type="text/xml")
    with override_settings(M50_CAMT_MAX_UPLOAD_BYTES=100):
        response = bureau.post(reverse("finance:statement_import"), {"file": upload})
    assert response.status_code == 400
    assert "een bankafschrift mag ten hoogste 0,0 MB zijn" in text(response.text)
    assert BankStatement.objects.count() == 0


def test_a_line_page_suggests_invoices_and_books_the_one_chosen(bureau):
    make_invoices(3)
    # C-Modelveen pays without naming its invoice.
    payments.bank_statement_import(file=document([ntry("5000.00", ustrd=("bijdrage",), payer=2)]))
    (line,) = payments.unmatched_lines()
    url = reverse("finance:line_match", args=[line.pk])

    page = text(bureau.get(url).text)

    assert "Waarschijnlijke facturen" in page
    assert "2024-0003" in page and "naam van de betaler" in page
    response = bureau.post(url, {"actie": "koppelen", "number": "2024-0003"}, follow=True)
    assert "geboekt op factuur 2024-0003" in text(response.text)
    assert Payment.objects.filter(statement_line=line, invoice__number="2024-0003").exists()


def test_mark_a_line_no_invoice_payment_and_undo_it(bureau):
    payments.bank_statement_import(file=document([ntry("12.00", ustrd=("rente",))]))
    (line,) = payments.unmatched_lines()
    url = reverse("finance:line_match", args=[line.pk])

    refused = bureau.post(url, {"actie": "geen-factuurbetaling", "reason": ""})
    assert refused.status_code == 400 and "Vul dit veld in." in text(refused.text)

    bureau.post(url, {"actie": "geen-factuurbetaling", "reason": "Rente"})
    assert list(payments.unmatched_lines()) == []
    page = text(bureau.get(url).text)
    assert "Geen factuurbetaling" in page and "Rente" in page and "Ongedaan maken" in page

    bureau.post(url, {"actie": "herstellen"})
    assert list(payments.unmatched_lines()) == [line]
    assert AuditEvent.objects.filter(action="statement_line.restore").count() == 1


def test_a_suspected_duplicate_is_explained_and_booked_only_once_marked_no_duplicate(
    bureau, bureau_user
):
    make_invoices(1)
    entry = ntry("2500.00", ustrd=("Factuur 2024-0001",))
    payments.bank_statement_import(file=document([entry], statement_id="S-1"))
    payments.bank_statement_import(file=document([entry], statement_id="S-2", sequence="2"))
    line = StatementLine.objects.get(duplicate=True)
    url = reverse("finance:line_match", args=[line.pk])

    response = bureau.get(url)
    assert_sound_headings(response.text)
    page = text(response.text)
    assert "wordt hij niet geboekt en worden er geen facturen voorgesteld" in page
    assert "Waarschijnlijke facturen" not in page and "Markeren als geen dubbele boeking" in page
    refused = bureau.post(url, {"actie": "koppelen", "number": "2024-0001"})
    assert refused.status_code == 400 and "mogelijk een dubbele boeking" in text(refused.text)
    no_reason = bureau.post(url, {"actie": "geen-dubbel", "why": ""})
    assert no_reason.status_code == 400 and "Vul dit veld in." in text(no_reason.text)
    assert Payment.objects.count() == 1 and StatementLine.objects.get(pk=line.pk).duplicate

    response = bureau.post(url, {"actie": "geen-dubbel", "why": "Twee keer betaald"}, follow=True)

    page = text(response.text)
    assert "De regel is gemarkeerd als geen dubbele boeking" in page
    assert f"door {bureau_user.username} gemarkeerd als geen dubbele boeking: Twee keer" in page
    assert "Waarschijnlijke facturen" in page and "2024-0001" in page
    (event,) = AuditEvent.objects.filter(action="statement_line.not_duplicate")
    assert event.actor == bureau_user
    bureau.post(url, {"actie": "koppelen", "number": "2024-0001"})
    assert Payment.objects.filter(statement_line=line, invoice__number="2024-0001").exists()


def test_mark_a_flagged_payment_as_checked(bureau):
    make_invoices(1)
    stranger = ntry("5000.00", ustrd=("2024-0001",), payer=4, name="Stichting Onbekend")
    payments.bank_statement_import(file=document([stranger]))
    payment = Payment.objects.get()
    url = reverse("finance:line_match", args=[payment.statement_line_id])
    assert "Markeren als gecontroleerd" in text(bureau.get(url).text)

    response = bureau.post(url, {"actie": "gecontroleerd"}, follow=True)

    assert "De betaling is gemarkeerd als gecontroleerd." in text(response.text)
    payment.refresh_from_db()
    assert payment.reviewed_at is not None
    assert list(payments.payments_to_review()) == []


def _lines(count: int, start: int) -> None:
    entries = []
    for n in range(count):
        kind = n % 5
        if kind == 0:
            entries.append(ntry("5000.00", status="PDNG", ustrd=(f"p{start + n}",), booked=None))
        elif kind == 1:
            entries.append(ntry("7.50", credit=False, reversal=True, ustrd=(f"r{start + n}",)))
        elif kind == 2:
            entries.append(ntry("10.00", ustrd=(f"u{start + n}",), name="Stichting Onbekend"))
        elif kind == 3:
            entries.append(ntry("3.00", credit=False, ustrd=(f"k{start + n}",)))
        else:
            entries.append(ntry("1.00", ustrd=(f"d{start + n}",), bank_ref=f"R{start + n}"))
    payments.bank_statement_import(file=document(entries, statement_id=f"S-{start}"))
    for line in StatementLine.objects.filter(remittance__startswith="d")[:5]:
        if line.dismissed_at is None:
            payments.statement_line_dismiss(line=line, reason="rente", actor=None)


def test_the_bank_lines_page_costs_the_same_for_10_and_300_lines(bureau):
    make_invoices(2)
    _lines(10, 0)
    url = reverse("finance:bank_lines")
    small = count_queries(bureau, url)
    _lines(300, 1000)
    assert count_queries(bureau, url) == small


def test_a_line_page_costs_the_same_for_few_and_many_open_invoices(bureau):
    make_invoices(2)
    payments.bank_statement_import(file=document([ntry("5000.00", ustrd=("bijdrage",))]))
    (line,) = payments.unmatched_lines()
    url = reverse("finance:line_match", args=[line.pk])
    small = count_queries(bureau, url)
    bulk_invoices(300)  # many open invoices of the same amount: suggested, still one query
    assert count_queries(bureau, url) == small
