"""Sending invoices and credit notes by e-mail with their PDF and UBL, and payment reminders
that go once per round however often the command runs."""

from __future__ import annotations

import datetime as dt
import smtplib
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from m50.accounts.models import Role
from m50.finance import sending, services, views
from m50.finance.models import Invoice, InvoiceSequence, PaymentReminder
from tests.finance.test_pages import drafts, invoice, member, run, text

pytestmark = pytest.mark.django_db

D = dt.date
DUE = D(2024, 2, 9)  # 30 days after the run of 10 January 2024


def test_an_invoice_goes_to_the_invoice_address_with_its_pdf_and_ubl():
    member()
    [created] = run()
    sent = sending.invoice_send(invoice=created)
    [message] = mail.outbox
    assert message.to == ["facturen@diemen.nl"]
    assert message.subject == f"Factuur {created.number} van Vereniging M50: contributie 2024"
    assert "uiterlijk op 9 februari 2024" in message.body
    assert "€ 5.000,00" in message.body
    names = [name for name, _content, _type in message.attachments]
    assert names == [f"factuur-{created.number}.pdf", f"factuur-{created.number}.xml"]
    pdf, ubl = (content for _name, content, _type in message.attachments)
    assert pdf.startswith(b"%PDF") and b"<Invoice" in ubl
    assert (sent.state, sent.sent_to) == (Invoice.State.SENT, "facturen@diemen.nl")
    assert sent.sent_at is not None


def test_without_an_invoice_address_it_goes_to_the_member_contacts(user_for_role):
    diemen = member(email="")
    user_for_role(Role.MEMBER_CONTACT, municipality=diemen, email="b@diemen.nl")
    user_for_role(Role.MEMBER_CONTACT, municipality=diemen, email="a@diemen.nl")
    user_for_role(Role.PARTICIPANT, municipality=diemen, email="p@diemen.nl")
    [created] = run()
    sending.invoice_send(invoice=created)
    assert mail.outbox[0].to == ["a@diemen.nl", "b@diemen.nl"]


def unsent(draft: Invoice) -> None:
    """Still the draft it was: no number, nothing taken from the counter."""
    draft.refresh_from_db()
    assert (draft.state, draft.number, draft.sequence) == (Invoice.State.DRAFT, None, None)
    assert not InvoiceSequence.objects.filter(year=2024, last_number__gt=0).exists()


def test_a_draft_sent_gets_its_number_then():
    member()
    [draft] = drafts()
    sent = sending.invoice_send(invoice=draft, issue_date=D(2024, 1, 20))
    assert (sent.number, sent.issue_date, sent.due_date) == (
        "2024-0001",
        D(2024, 1, 20),
        DUE + dt.timedelta(days=10),
    )
    [message] = mail.outbox
    assert message.subject == "Factuur 2024-0001 van Vereniging M50: contributie 2024"
    assert "uiterlijk op 19 februari 2024" in message.body


def test_without_any_address_it_is_refused_and_nothing_changes():
    member(email="")
    [draft] = drafts()
    with pytest.raises(ValidationError, match="geen e-mailadres om het concept voor Diemen"):
        sending.invoice_send(invoice=draft)
    assert mail.outbox == []
    unsent(draft)


def test_an_invoice_that_cannot_be_an_e_invoice_is_not_sent():
    diemen = member()
    services.billing_details_update(municipality=diemen, address_line="")
    [draft] = drafts()
    with pytest.raises(ValidationError) as raised:
        sending.invoice_send(invoice=draft)
    message = " ".join(raised.value.messages)
    assert "Geen e-factuur mogelijk voor het concept voor Diemen (contributie 2024)" in message
    assert "adres van de debiteur is onvolledig" in message and "2024-0001" not in message
    assert mail.outbox == []
    unsent(draft)


def test_a_mail_server_that_refuses_leaves_the_invoice_unsent(monkeypatch):
    member()
    [draft] = drafts()

    def refuse(self, *args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with pytest.raises(OSError):
        sending.invoice_send(invoice=draft)
    unsent(draft)


def test_send_all_sends_what_can_go_and_says_why_the_rest_cannot(user_for_role):
    member()
    member("Zeist", "GM0355", email="")  # no address, no contact
    gouda = member("Gouda", "GM0513")
    services.billing_details_update(municipality=gouda, address_line="")
    member("Houten", "GM0321")
    run(2024)  # 2024 sent already: not part of 2025
    services.fee_reference_load()
    drafts(2025, D(2025, 1, 10))
    report = sending.invoices_send_all(year=2025, issue_date=D(2025, 1, 12))
    assert [(i.membership.municipality.name, i.number) for i in report.sent] == [
        ("Diemen", "2025-0001"),
        ("Houten", "2025-0002"),
    ]
    refused = {i.membership.municipality.name: " ".join(r) for i, r in report.refused}
    assert list(refused) == ["Gouda", "Zeist"]
    assert "adres van de debiteur is onvolledig" in refused["Gouda"]
    assert "geen e-mailadres" in refused["Zeist"]
    assert Invoice.objects.filter(fee_year=2025, number__isnull=True).count() == 2
    assert len(mail.outbox) == 2
    # Fixed, the rest goes on a second send; nothing is sent twice.
    services.billing_details_update(municipality=gouda, address_line="Markt 1")
    second = sending.invoices_send_all(year=2025)
    assert [(i.membership.municipality.name, i.number) for i in second.sent] == [
        ("Gouda", "2025-0003")
    ]
    assert second.sent[0].issue_date == D(2025, 1, 10)  # its own date, none was chosen
    assert InvoiceSequence.objects.get(year=2025).last_number == 3


def test_a_credit_note_is_sent_the_same_way_and_a_credited_invoice_not():
    member()
    [created] = run()
    note = services.invoice_credit(invoice=created, reason="verkeerd adres")
    with pytest.raises(ValidationError, match="verstuur de creditnota"):
        sending.invoice_send(invoice=invoice(created.number))
    sending.invoice_send(invoice=invoice(note.number))
    [message] = mail.outbox
    assert message.subject == f"Creditnota {note.number} van Vereniging M50"
    assert f"crediteert factuur {created.number}" not in message.body  # phrased as a sentence
    assert f"die factuur {created.number} crediteert" in message.body
    names = [name for name, _content, _type in message.attachments]
    assert names == [f"creditnota-{note.number}.pdf", f"creditnota-{note.number}.xml"]
    assert b"<CreditNote" in message.attachments[1][1]


def test_the_bureau_sends_from_the_invoice_page(client, bureau_user):
    member()
    [created] = run()
    client.force_login(bureau_user)
    url = reverse("finance:invoice_send", args=[created.number])
    assert "facturen@diemen.nl" in text(client.get(url).text)
    response = client.post(url, follow=True)
    assert f"{created.number} is verstuurd naar facturen@diemen.nl." in text(response.text)
    assert len(mail.outbox) == 1 and len(mail.outbox[0].attachments) == 2


def test_the_send_page_shows_a_refusal_and_sends_nothing(client, bureau_user):
    member(email="")
    [created] = run()
    client.force_login(bureau_user)
    response = client.post(reverse("finance:invoice_send", args=[created.number]))
    assert response.status_code == 400
    assert "Er is niets verstuurd" in response.text
    assert "geen e-mailadres" in response.text
    assert mail.outbox == []


# --- Payment reminders ------------------------------------------------------------------------


def sent_invoice(name="Diemen", code="GM0384"):
    member(name, code, email=f"facturen@{name.lower()}.nl")
    created = run()[-1]
    services.invoice_mark_sent(invoice=created, recipients=["x"])
    return created


def test_an_overdue_invoice_gets_one_reminder_per_round():
    created = sent_invoice()
    assert sending.payment_reminders_send(today=DUE) == []  # due today: not late yet
    [first] = sending.payment_reminders_send(today=DUE + dt.timedelta(days=1))
    assert (first.number, first.round, first.recipients) == (
        created.number,
        1,
        ("facturen@diemen.nl",),
    )
    [message] = mail.outbox
    assert message.subject == (
        f"Herinnering: factuur {created.number} van Vereniging M50 is nog niet betaald"
    )
    assert "Nog te betalen: € 5.000,00" in message.body
    # Again the same day, and the days after: nothing until the second round.
    assert sending.payment_reminders_send(today=DUE + dt.timedelta(days=1)) == []
    assert sending.payment_reminders_send(today=DUE + dt.timedelta(days=30)) == []
    [second] = sending.payment_reminders_send(today=DUE + dt.timedelta(days=31))
    assert second.round == 2
    assert mail.outbox[-1].subject.startswith("Tweede herinnering")
    assert sending.payment_reminders_send(today=DUE + dt.timedelta(days=90)) == []
    assert list(PaymentReminder.objects.values_list("round", "sent_on")) == [
        (1, DUE + dt.timedelta(days=1)),
        (2, DUE + dt.timedelta(days=31)),
    ]
    assert len(mail.outbox) == 2


def test_the_count_of_reminders_due_agrees_with_the_rows_on_every_day():
    """The page counts in the database what it would send; the rows decide per invoice."""
    first = sent_invoice("Diemen", "GM0384")
    sent_invoice("Zeist", "GM0355")
    member("Houten", "GM0321", email="")  # no address: overdue, never due
    houten = run()[-1]
    services.invoice_mark_sent(invoice=houten, recipients=["x"])
    partly = sent_invoice("Ede", "GM0228")
    services.payment_register(invoice=partly, paid_on=D(2024, 2, 1), amount=Decimal("100"))
    for offset in (0, 1, 2, 31, 45, 90):
        day = DUE + dt.timedelta(days=offset)
        rows = sending.reminder_rows(invoices=sending.overdue_invoices(today=day), today=day)
        assert sending.reminders_due_count(today=day) == sum(row.due for row in rows), offset
        if offset == 1:
            assert sending.reminders_due_count(today=day) == 3
            sending.payment_reminders_send(today=day)
            assert sending.reminders_due_count(today=day) == 0
    assert first.pk and len(mail.outbox) == 3


def test_the_reminders_page_comes_in_pages(client, bureau_user):
    for n in range(views.PAGE_SIZE + 3):
        sent_invoice(f"Stad{n:03d}", f"GM{1000 + n:04d}")
    client.force_login(bureau_user)
    url = reverse("finance:reminders")
    first, second = text(client.get(url).text), text(client.get(url + "?pagina=2").text)
    assert f"{views.PAGE_SIZE + 3} facturen te laat" in first
    assert "Stad000" in first and "Stad052" not in first and "Stad052" in second
    assert f"{views.PAGE_SIZE + 3} herinneringen versturen" in first


def test_after_a_missed_month_only_the_latest_round_goes():
    sent_invoice()
    [reminder] = sending.payment_reminders_send(today=DUE + dt.timedelta(days=45))
    assert reminder.round == 2
    assert sending.payment_reminders_send(today=DUE + dt.timedelta(days=46)) == []
    assert len(mail.outbox) == 1


def test_paid_credited_and_unsent_invoices_get_no_reminder():
    paid = sent_invoice("Diemen", "GM0384")
    services.payment_register(invoice=paid, paid_on=D(2024, 2, 1), amount=Decimal("5000"))
    credited = sent_invoice("Zeist", "GM0355")
    services.invoice_credit(invoice=credited, reason="fout")
    member("Houten", "GM0321")
    drafts()  # Houten's invoice is a draft: never sent, not overdue
    assert sending.payment_reminders_send(today=DUE + dt.timedelta(days=40)) == []
    assert mail.outbox == []


def test_a_partly_paid_overdue_invoice_is_reminded_of_what_is_open():
    created = sent_invoice()
    services.payment_register(invoice=created, paid_on=D(2024, 2, 1), amount=Decimal("1500"))
    sending.payment_reminders_send(today=DUE + dt.timedelta(days=3))
    assert "Nog te betalen: € 3.500,00" in mail.outbox[0].body
    assert "nog niet volledig betaald" in mail.outbox[0].body


def test_the_command_sends_once_and_reports(capsys):
    created = sent_invoice()
    out = StringIO()
    call_command("send-payment-reminders", "--datum", "2024-02-15", stdout=out)
    assert f"{created.number} (Diemen): herinnering 1 aan facturen@diemen.nl" in out.getvalue()
    out = StringIO()
    call_command("send-payment-reminders", "--datum", "2024-02-15", stdout=out)
    assert "Geen betalingsherinneringen te versturen." in out.getvalue()
    assert len(mail.outbox) == 1


def test_the_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Ongeldige datum"):
        call_command("send-payment-reminders", "--datum", "15-02-2024")


def test_the_command_names_overdue_invoices_without_an_address():
    member(email="")
    [created] = run()
    services.invoice_mark_sent(invoice=created, recipients=["x"])
    out, err = StringIO(), StringIO()
    call_command("send-payment-reminders", "--datum", "2024-03-01", stdout=out, stderr=err)
    assert f"Geen e-mailadres voor de herinnering van: {created.number}." in err.getvalue()
    assert "Geen betalingsherinneringen te versturen." in out.getvalue()
    assert PaymentReminder.objects.count() == 0


# --- Sending twice, and a mail server that fails ----------------------------------------------


def another_request_sends_first(monkeypatch, module=sending, action=None):
    """Another request (a double click, a second bureau user) that sends the invoice, or does
    ``action`` with it, after this one read it and before this one sends it: the first call of
    ``invoice_send`` through ``module``."""
    original = sending.invoice_send

    def meanwhile(*, invoice, **kwargs):
        monkeypatch.setattr(module, "invoice_send", original)  # once
        fresh = Invoice.objects.get(pk=invoice.pk)
        if action is None:
            original(invoice=fresh)
        else:
            action(fresh)
        return original(invoice=invoice, **kwargs)

    monkeypatch.setattr(module, "invoice_send", meanwhile)


def test_a_draft_sent_meanwhile_is_not_mailed_again(monkeypatch):
    member()
    [draft] = drafts()
    stale = Invoice.objects.get(pk=draft.pk)
    sending.invoice_send(invoice=draft)  # the other request
    with pytest.raises(sending.InvoiceAlreadySent, match="2024-0001 is intussen al verstuurd"):
        sending.invoice_send(invoice=stale)
    assert len(mail.outbox) == 1
    assert InvoiceSequence.objects.get(year=2024).last_number == 1


def test_sending_again_is_deliberate_but_a_double_click_sends_once(monkeypatch):
    member()
    [created] = run()
    sending.invoice_send(invoice=invoice(created.number))
    sending.invoice_send(invoice=invoice(created.number))  # "Opnieuw versturen", read afresh
    stale = invoice(created.number)
    sending.invoice_send(invoice=invoice(created.number))  # the first click
    with pytest.raises(sending.InvoiceAlreadySent):
        sending.invoice_send(invoice=stale)  # the second, read before the first was sent
    assert len(mail.outbox) == 3


def test_a_second_send_all_with_the_same_drafts_mails_none_of_them_again(monkeypatch):
    member()
    member("Houten", "GM0321")
    drafts()
    # The second request read the drafts before the first committed.
    stale = sending.unsent_drafts(year=2024)
    first = sending.invoices_send_all(year=2024)
    assert len(first.sent) == 2 and len(mail.outbox) == 2
    monkeypatch.setattr(sending, "unsent_drafts", lambda *, year: stale)
    second = sending.invoices_send_all(year=2024)
    assert (second.sent, second.refused) == ([], [])
    assert [i.number for i in second.already_sent] == ["2024-0001", "2024-0002"]
    assert len(mail.outbox) == 2
    assert InvoiceSequence.objects.get(year=2024).last_number == 2


def test_the_send_page_refuses_a_draft_sent_meanwhile(client, bureau_user, monkeypatch):
    member()
    [draft] = drafts()
    client.force_login(bureau_user)
    another_request_sends_first(monkeypatch, views)
    response = client.post(reverse("finance:invoice_send", args=[draft.key]))
    assert response.status_code == 400
    assert "2024-0001 is intussen al verstuurd" in text(response.text)
    assert "er is niets opnieuw verstuurd" in text(response.text)
    assert len(mail.outbox) == 1


def test_the_send_all_page_reports_drafts_sent_meanwhile(client, bureau_user, monkeypatch):
    member()
    member("Houten", "GM0321")
    drafts()
    client.force_login(bureau_user)
    another_request_sends_first(monkeypatch)  # Diemen, the first, by another request
    response = client.post(reverse("finance:invoice_send_all"), {"jaar": 2024}, follow=True)
    page = text(response.text)
    assert "1 factuur verstuurd" in page
    assert "1 concept was intussen al verstuurd" in page
    assert "2024-0001 — Diemen" in page
    assert len(mail.outbox) == 2


class RefusingBackend:
    """A mail server that refuses one address and takes the others (as locmem does)."""

    def __new__(cls, *args, **kwargs):
        from django.core.mail.backends.locmem import EmailBackend

        class Backend(EmailBackend):
            def send_messages(self, messages):
                for message in messages:
                    if "facturen@houten.nl" in message.to:
                        raise smtplib.SMTPRecipientsRefused(
                            {"facturen@houten.nl": (550, b"mailbox unavailable")}
                        )
                return super().send_messages(messages)

        return Backend(*args, **kwargs)


@pytest.fixture
def houten_refused(settings):
    settings.EMAIL_BACKEND = "tests.finance.test_sending.RefusingBackend"


def test_send_all_goes_on_past_a_mail_server_error_and_reports_it(houten_refused):
    member()
    member("Houten", "GM0321", email="facturen@houten.nl")
    member("Zeist", "GM0355", email="facturen@zeist.nl")
    drafts()
    report = sending.invoices_send_all(year=2024)
    assert [(i.membership.municipality.name, i.number) for i in report.sent] == [
        ("Diemen", "2024-0001"),
        ("Zeist", "2024-0002"),
    ]
    assert report.refused == []
    [(houten, reason)] = report.failed
    assert houten.membership.municipality.name == "Houten"
    assert "Het versturen is mislukt" in reason and "facturen@houten.nl" in reason
    unsent_houten = Invoice.objects.get(membership__municipality__name="Houten")
    assert (unsent_houten.state, unsent_houten.number) == (Invoice.State.DRAFT, None)
    assert [m.to for m in mail.outbox] == [["facturen@diemen.nl"], ["facturen@zeist.nl"]]


def test_the_send_all_page_reports_a_mail_server_error(client, bureau_user, houten_refused):
    member()
    member("Houten", "GM0321", email="facturen@houten.nl")
    drafts()
    client.force_login(bureau_user)
    response = client.post(reverse("finance:invoice_send_all"), {"jaar": 2024}, follow=True)
    page = text(response.text)
    assert "1 factuur verstuurd" in page and "1 concept niet verstuurd" in page
    assert "Houten: Het versturen is mislukt" in page
    assert "Factuurgegevens van Houten aanvullen" not in page  # nothing to fix there
    assert len(mail.outbox) == 1


def test_send_all_reports_a_draft_withdrawn_meanwhile(monkeypatch):
    member()
    member("Houten", "GM0321")
    drafts()
    another_request_sends_first(
        monkeypatch,
        action=lambda draft: services.invoice_draft_withdraw(invoice=draft, reason="weg"),
    )
    report = sending.invoices_send_all(year=2024)
    [(diemen, reason)] = report.failed
    assert diemen.membership.municipality.name == "Diemen"
    assert "intussen ingetrokken" in reason
    assert [i.number for i in report.sent] == ["2024-0001"]  # Houten
    assert len(mail.outbox) == 1


def test_the_send_page_shows_a_mail_server_error(client, bureau_user, houten_refused):
    member("Houten", "GM0321", email="facturen@houten.nl")
    [draft] = drafts()
    client.force_login(bureau_user)
    response = client.post(reverse("finance:invoice_send", args=[draft.key]))
    assert response.status_code == 400
    assert "Het versturen is mislukt" in text(response.text)
    unsent(draft)


def test_reminders_go_on_past_a_mail_server_error_and_report_it(houten_refused):
    diemen = sent_invoice("Diemen", "GM0384")
    houten = sent_invoice("Houten", "GM0321")
    failed: list[tuple[str, str]] = []
    sent = sending.payment_reminders_send(today=DUE + dt.timedelta(days=1), failed=failed)
    assert [r.number for r in sent] == [diemen.number]
    [(number, reason)] = failed
    assert number == houten.number and "Het versturen is mislukt" in reason
    # Not recorded: it goes on the next run.
    assert list(PaymentReminder.objects.values_list("invoice__number", flat=True)) == [
        diemen.number
    ]


def test_the_reminders_page_and_command_report_a_mail_server_error(
    client, bureau_user, houten_refused
):
    diemen = sent_invoice("Diemen", "GM0384")
    houten = sent_invoice("Houten", "GM0321")
    client.force_login(bureau_user)
    page = text(client.post(reverse("finance:reminders"), follow=True).text)
    assert f"1 betalingsherinnering verstuurd: {diemen.number}." in page
    assert f"Niet verstuurd: {houten.number}" in page and "Het versturen is mislukt" in page
    err = StringIO()
    call_command("send-payment-reminders", stdout=StringIO(), stderr=err)
    assert f"Niet verstuurd: {houten.number}" in err.getvalue()


def test_the_mail_server_has_a_timeout():
    from django.conf import settings

    assert settings.EMAIL_TIMEOUT == 30  # M50_EMAIL_TIMEOUT; bounds the locks held meanwhile
