"""Finance tests. The helpers below build invoices through the services, as the bureau would:
Diemen with its real dossier and register identifiers, members from the April 2023 list."""

from __future__ import annotations

import datetime

from m50.finance import services
from m50.finance.models import Invoice
from m50.membership import services as membership_services
from m50.membership.models import DecidingBody, DecisionKind, Membership
from m50.membership.services import membership_listed_create
from tests.factories import MunicipalityFactory

# Diemen's identifiers from the government registers (shared/data/gemeenten).
DIEMEN_OIN = "00000001001997233000"
DIEMEN_KVK = "34374815"
RUN_DATE = datetime.date(2024, 1, 16)
CREDIT_DATE = datetime.date(2024, 3, 1)


def diemen(**billing) -> Membership:
    """Diemen: aspirant by the college on 2022-08-22, definitive by the mayor on 2023-05-16."""
    municipality = MunicipalityFactory(name="Diemen", code="GM0384", oin=DIEMEN_OIN, kvk=DIEMEN_KVK)
    membership = membership_services.membership_for(municipality=municipality)
    membership_services.decision_record(
        membership=membership,
        kind=DecisionKind.ASPIRANT,
        deciding_body=DecidingBody.COLLEGE,
        decided_on=datetime.date(2022, 8, 22),
        mandated_body=DecidingBody.MAYOR,
    )
    membership_services.decision_record(
        membership=membership,
        kind=DecisionKind.DEFINITIVE,
        deciding_body=DecidingBody.MAYOR,
        decided_on=datetime.date(2023, 5, 16),
    )
    services.billing_details_update(
        municipality=municipality,
        **{
            "address_line": "Raadhuisplein 1",
            "postal_code": "1111 AA",
            "city": "Diemen",
            "email": "crediteuren@diemen.example",
            "contact_name": "Afdeling Financiën",
            **billing,
        },
    )
    return membership


def listed(name: str, code: str, *, oin: str = "", kvk: str = "", **billing) -> Membership:
    """A member known from the April 2023 list, with billing details as given."""
    municipality = MunicipalityFactory(name=name, code=code, oin=oin, kvk=kvk)
    membership = membership_listed_create(
        municipality=municipality, listed_since="2023-04", listed_source=""
    )
    if billing:
        services.billing_details_update(municipality=municipality, **billing)
    return membership


def issue(invoices: list[Invoice], to: str = "facturen@gemeente.example") -> list[Invoice]:
    """The drafts made final and recorded as sent, in the order given: that is the order of
    their numbers (a draft has none until then)."""
    return [services.invoice_mark_sent(invoice=draft, recipients=[to]) for draft in invoices]


def invoice_run_2024(issue_date: datetime.date = RUN_DATE) -> list[Invoice]:
    """The 2024 run, its invoices sent: numbered 2024-0001 onwards."""
    services.fee_reference_load()
    return issue(services.invoice_run(year=2024, issue_date=issue_date))


def diemen_invoice(**billing) -> Invoice:
    membership = diemen(**billing)
    (invoice,) = invoice_run_2024()
    assert invoice.membership == membership
    return invoice


def credit(invoice: Invoice, reason: str = "Dubbel gefactureerd") -> Invoice:
    return services.invoice_credit(invoice=invoice, reason=reason, issue_date=CREDIT_DATE)
