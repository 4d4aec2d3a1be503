"""What is owed and the invoice run: derived from decisions, idempotent, numbered without gaps."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from m50.core.models import AuditEvent
from m50.finance import rules, selectors, services
from m50.finance.models import Invoice, InvoiceSequence
from m50.membership import rules as membership_rules
from m50.membership import services as membership_services
from m50.membership.models import DecidingBody, DecisionKind, Membership
from m50.membership.services import membership_listed_create
from tests.factories import MunicipalityFactory

D = dt.date
Fact, Dossier = membership_rules.Fact, membership_rules.Dossier


def diemen() -> Dossier:
    return Dossier(
        (
            Fact(
                1,
                DecisionKind.ASPIRANT,
                DecidingBody.COLLEGE,
                D(2022, 8, 22),
                D(2022, 8, 22),
                mandated_body=DecidingBody.MAYOR,
                mandate_deadline=D(2023, 8, 22),
            ),
            Fact(2, DecisionKind.DEFINITIVE, DecidingBody.MAYOR, D(2023, 5, 16), D(2023, 5, 16)),
        )
    )


# --- Years owed (pure) ----------------------------------------------------------------------


def test_nothing_for_the_aspirant_year_and_the_fee_for_every_definitive_year():
    assert rules.owed_years(diemen(), listed_from_year=None, through_year=2026) == [
        2023,
        2024,
        2025,
        2026,
    ]


def test_the_year_in_which_a_membership_ends_is_owed_in_full():
    ended = Dossier(
        (
            *diemen().facts,
            Fact(3, DecisionKind.TERMINATION, DecidingBody.COLLEGE, D(2024, 6, 1), D(2025, 1, 1)),
        )
    )
    assert rules.owed_years(ended, listed_from_year=None, through_year=2026) == [2023, 2024]
    early = Dossier(
        (
            *diemen().facts,
            Fact(3, DecisionKind.TERMINATION, DecidingBody.COLLEGE, D(2024, 6, 1), D(2024, 7, 1)),
        )
    )
    assert rules.owed_years(early, listed_from_year=None, through_year=2026) == [2023, 2024]


@pytest.mark.parametrize(
    ("effective", "years"),
    [(D(2023, 12, 31), [2023, 2024]), (D(2024, 1, 1), [2024])],
)
def test_one_definitive_day_in_a_year_owes_that_year(effective, years):
    dossier = Dossier(
        (
            Fact(1, DecisionKind.ASPIRANT, DecidingBody.COLLEGE, D(2023, 1, 5), D(2023, 1, 5)),
            Fact(2, DecisionKind.DEFINITIVE, DecidingBody.COLLEGE, effective, effective),
        )
    )
    assert rules.owed_years(dossier, listed_from_year=None, through_year=2024) == years


def test_a_listed_member_owes_from_the_year_of_the_list():
    assert rules.owed_years(Dossier(listed=True), listed_from_year=2023, through_year=2025) == [
        2023,
        2024,
        2025,
    ]


def test_pro_rata_only_when_set_and_only_for_the_year_of_entry():
    fee = Decimal("5000")
    days = rules.member_days_by_year(diemen(), listed_from_year=None, through_year=2024)
    assert days == {2023: 230, 2024: 366}
    assert rules.amount_owed(
        fee=fee, year=2023, member_days=230, entry_year=True, pro_rata=False
    ) == Decimal("5000.00")
    assert rules.amount_owed(
        fee=fee, year=2023, member_days=230, entry_year=True, pro_rata=True
    ) == Decimal("3150.68")
    assert rules.amount_owed(
        fee=fee, year=2024, member_days=366, entry_year=False, pro_rata=True
    ) == Decimal("5000.00")


def test_the_fee_of_a_year_is_the_latest_valid_row():
    fees = [(2023, Decimal("5000.00")), (2027, Decimal("5250.00"))]
    assert rules.fee_for(fees, 2022) is None
    assert rules.fee_for(fees, 2026) == Decimal("5000.00")
    assert rules.fee_for(fees, 2028) == Decimal("5250.00")


# --- The invoice run (database) -------------------------------------------------------------


def diemen_membership() -> Membership:
    municipality = MunicipalityFactory(code="GM0384", name="Diemen", oin="00000001001997233000")
    membership = membership_services.membership_for(municipality=municipality)
    for kind, body, decided, extra in (
        (
            DecisionKind.ASPIRANT,
            DecidingBody.COLLEGE,
            D(2022, 8, 22),
            {"mandated_body": DecidingBody.MAYOR},
        ),
        (DecisionKind.DEFINITIVE, DecidingBody.MAYOR, D(2023, 5, 16), {}),
    ):
        membership_services.decision_record(
            membership=membership, kind=kind, deciding_body=body, decided_on=decided, **extra
        )
    return membership


def listed(n: int) -> list[Membership]:
    return [
        membership_listed_create(
            municipality=MunicipalityFactory(), listed_since="2023-04", listed_source=""
        )
        for _ in range(n)
    ]


def send(invoices, issue_date=None) -> list[Invoice]:
    """Records the drafts as sent, in the order given: they get their numbers then."""
    return [
        services.invoice_mark_sent(invoice=i, recipients=["f@gemeente.nl"], issue_date=issue_date)
        for i in invoices
    ]


@pytest.mark.django_db
def test_diemen_owes_nothing_for_2022_and_5000_for_2023():
    services.fee_reference_load()
    diemen_membership()
    assert services.invoice_run(year=2022, issue_date=D(2022, 12, 1)) == []
    [draft] = services.invoice_run(year=2023, issue_date=D(2023, 6, 1))
    assert (draft.number, draft.year, draft.sequence, draft.state) == (None, None, None, "draft")
    assert (draft.amount, draft.total) == (Decimal("5000.00"), Decimal("5000.00"))
    assert draft.due_date == D(2023, 7, 1)
    assert (draft.vat_category, draft.vat_amount) == ("O", Decimal("0.00"))
    assert draft.debtor_name == "Gemeente Diemen"
    assert draft.debtor_oin == "00000001001997233000"
    [invoice] = send([draft])
    assert (invoice.number, invoice.issue_date, invoice.state) == (
        "2023-0001",
        D(2023, 6, 1),
        "sent",
    )


@pytest.mark.django_db
def test_a_second_run_creates_nothing_and_numbers_have_no_gaps():
    services.fee_reference_load()
    listed(3)
    first = services.invoice_run(year=2024, issue_date=D(2024, 1, 10))
    assert [i.number for i in first] == [None, None, None]
    assert services.invoice_run(year=2024, issue_date=D(2024, 1, 11)) == []
    assert [i.number for i in send(first)] == ["2024-0001", "2024-0002", "2024-0003"]
    listed(1)
    assert [i.number for i in send(services.invoice_run(year=2024, issue_date=D(2024, 2, 1)))] == [
        "2024-0004"
    ]
    assert InvoiceSequence.objects.get(year=2024).last_number == 4


@pytest.mark.django_db
def test_numbers_follow_the_year_of_the_invoice_date_at_sending():
    services.fee_reference_load()
    listed(2)
    late, early = services.invoice_run(year=2024, issue_date=D(2023, 12, 20))
    # The draft of December 2023 goes out in January: dated then, numbered in 2024.
    [sent] = send([late], issue_date=D(2024, 1, 5))
    assert (sent.number, sent.issue_date, sent.due_date) == (
        "2024-0001",
        D(2024, 1, 5),
        D(2024, 2, 4),
    )
    # One sent on its own date of December 2023 is numbered in 2023.
    [kept] = send([early])
    assert (kept.number, kept.year, kept.issue_date) == ("2023-0001", 2023, D(2023, 12, 20))


@pytest.mark.django_db
def test_the_debtor_is_copied_as_it_was_on_the_invoice_date():
    services.fee_reference_load()
    [membership] = listed(1)
    services.billing_details_update(
        municipality=membership.municipality, purchase_order="PO-123", city="Diemen"
    )
    [invoice] = send(services.invoice_run(year=2024, issue_date=D(2024, 1, 10)))
    services.billing_details_update(municipality=membership.municipality, purchase_order="PO-999")
    invoice.refresh_from_db()
    assert (invoice.purchase_order, invoice.debtor_city) == ("PO-123", "Diemen")


@pytest.mark.django_db
def test_a_draft_is_brought_up_to_date_and_takes_the_details_of_the_day_it_is_sent():
    services.fee_reference_load()
    [membership] = listed(1)
    municipality = membership.municipality
    [draft] = services.invoice_run(year=2024, issue_date=D(2024, 1, 10))
    assert draft.debtor_city == ""
    services.billing_details_update(municipality=municipality, city="Gouda", postal_code="2801jg")
    refreshed = services.invoice_draft_refresh(invoice=draft)
    assert (refreshed.debtor_city, refreshed.debtor_postal_code) == ("Gouda", "2801 JG")
    assert refreshed.number is None
    event = AuditEvent.objects.get(action="invoice.refresh")
    assert event.changes["debtor_city"] == {"old": "", "new": "Gouda"}
    # Nothing changed: nothing audited.
    services.invoice_draft_refresh(invoice=draft)
    assert AuditEvent.objects.filter(action="invoice.refresh").count() == 1
    # Sending takes the details as they are then.
    services.billing_details_update(municipality=municipality, purchase_order="PO-7")
    [sent] = send([draft])
    assert (sent.purchase_order, sent.debtor_city) == ("PO-7", "Gouda")
    with pytest.raises(ValidationError, match="al definitief"):
        services.invoice_draft_refresh(invoice=sent)


@pytest.mark.django_db
def test_a_withdrawn_draft_leaves_no_gap_and_its_year_can_be_invoiced_again():
    services.fee_reference_load()
    first_member, second_member, _third = listed(3)
    first, second, third = services.invoice_run(year=2024, issue_date=D(2024, 1, 10))
    send([first])
    services.invoice_draft_withdraw(invoice=second, reason="lid per 2024 vertrokken")
    assert not Invoice.objects.filter(pk=second.pk).exists()
    event = AuditEvent.objects.get(action="invoice.withdraw")
    assert event.object_id == str(second.pk)
    assert event.changes["reason"]["new"] == "lid per 2024 vertrokken"
    assert event.changes["fee_year"]["old"] == 2024
    [sent_third] = send([third])
    assert [i.number for i in Invoice.objects.filter(number__isnull=False)] == [
        "2024-0001",
        "2024-0002",
    ]
    assert sent_third.number == "2024-0002"
    # The year can be invoiced again for the withdrawn draft's membership.
    [again] = services.invoice_run(year=2024, issue_date=D(2024, 2, 1))
    assert again.membership == second.membership
    # A sent invoice is credited, not withdrawn; a withdrawn draft is gone.
    with pytest.raises(ValidationError, match="al definitief"):
        services.invoice_draft_withdraw(invoice=sent_third)
    with pytest.raises(ValidationError, match="bestaat niet meer"):
        services.invoice_draft_withdraw(invoice=second)


@pytest.mark.django_db
def test_a_draft_is_neither_credited_nor_paid():
    services.fee_reference_load()
    listed(1)
    [draft] = services.invoice_run(year=2024, issue_date=D(2024, 1, 10))
    with pytest.raises(ValidationError, match="trek het in"):
        services.invoice_credit(invoice=draft, reason="fout")
    with pytest.raises(ValidationError, match="nog niet verstuurd"):
        services.payment_register(invoice=draft, paid_on=D(2024, 1, 20), amount=Decimal("10"))
    assert Invoice.objects.count() == 1 and not draft.payments.exists()


@pytest.mark.django_db
def test_a_credit_note_references_the_invoice_and_frees_the_year():
    services.fee_reference_load()
    [membership] = listed(1)
    [invoice] = send(services.invoice_run(year=2024, issue_date=D(2024, 1, 10)))
    note = services.invoice_credit(
        invoice=invoice, reason="verkeerd adres", issue_date=D(2024, 2, 1)
    )
    assert (note.number, note.kind, note.credits, note.total) == (
        "2024-0002",
        Invoice.Kind.CREDIT_NOTE,
        invoice,
        Decimal("-5000.00"),
    )
    with pytest.raises(ValidationError):
        services.invoice_credit(invoice=invoice, reason="nog eens")
    [again] = services.invoice_run(year=2024, issue_date=D(2024, 2, 2))
    assert again.number is None and again.membership == membership
    statuses = {
        i.key: selectors.invoice_status(i, D(2024, 3, 1))
        for i in selectors.invoices_for_year(year=2024)
    }
    assert statuses == {
        "2024-0001": "credited",
        "2024-0002": "credit_note",
        again.key: "draft",
    }


@pytest.mark.django_db
def test_partial_payments_add_up():
    services.fee_reference_load()
    listed(1)
    [invoice] = send(services.invoice_run(year=2024, issue_date=D(2024, 1, 10)))
    services.payment_register(invoice=invoice, paid_on=D(2024, 1, 20), amount=Decimal("2000"))

    def status():
        return selectors.invoice_status(
            selectors.invoice_by_number(number=invoice.number), D(2024, 1, 25)
        )

    assert status() == "partly_paid"
    services.payment_register(invoice=invoice, paid_on=D(2024, 1, 22), amount=Decimal("3000"))
    assert status() == "paid"
    with pytest.raises(ValidationError):
        services.payment_register(invoice=invoice, paid_on=D(2024, 1, 22), amount=Decimal("0"))


def _at_once(count: int, target) -> tuple[list, list]:
    results, errors = [], []
    start = threading.Barrier(count)

    def run(index):
        try:
            start.wait()
            results.append(target(index))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_create_no_duplicates():
    services.fee_reference_load()
    listed(20)
    results, errors = _at_once(
        2, lambda _i: services.invoice_run(year=2024, issue_date=D(2024, 1, 10))
    )
    assert errors == []
    assert sorted(len(r) for r in results) == [0, 20]
    assert Invoice.objects.count() == 20


@pytest.mark.django_db(transaction=True)
def test_drafts_sent_at_the_same_moment_get_consecutive_numbers():
    services.fee_reference_load()
    listed(6)
    drafts = services.invoice_run(year=2024, issue_date=D(2024, 1, 10))
    results, errors = _at_once(
        6,
        lambda i: services.invoice_mark_sent(invoice=drafts[i], recipients=["f@gemeente.nl"]),
    )
    assert errors == []
    assert sorted(Invoice.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert InvoiceSequence.objects.get(year=2024).last_number == 6


@pytest.mark.django_db(transaction=True)
def test_the_same_draft_sent_twice_at_once_is_numbered_once():
    services.fee_reference_load()
    listed(1)
    [draft] = services.invoice_run(year=2024, issue_date=D(2024, 1, 10))
    results, errors = _at_once(
        2, lambda _i: services.invoice_mark_sent(invoice=draft, recipients=["f@gemeente.nl"])
    )
    assert errors == []
    assert {r.number for r in results} == {"2024-0001"}
    assert InvoiceSequence.objects.get(year=2024).last_number == 1


@pytest.mark.django_db
def test_a_payment_beyond_the_open_amount_is_refused():
    services.fee_reference_load()
    listed(1)
    [invoice] = send(services.invoice_run(year=2024, issue_date=D(2024, 1, 10)))
    services.payment_register(invoice=invoice, paid_on=D(2024, 1, 20), amount=Decimal("4000"))
    with pytest.raises(ValidationError, match="hoger dan wat openstaat"):
        services.payment_register(
            invoice=invoice, paid_on=D(2024, 1, 21), amount=Decimal("1000.01")
        )
    assert invoice.payments.count() == 1
