"""The bureau's work queue: each count as the page it links to would show it, and a fixed
number of queries whatever the number of members, invoices, proposals and bank lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from m50.accounts.models import Role
from m50.finance import selectors as finance
from m50.finance import services as finance_services
from m50.finance.models import BankStatement, Invoice, StatementLine
from m50.membership import services
from m50.membership.models import DecidingBody, DecisionKind, DecisionProposal, Membership
from m50.reports import selectors
from tests.factories import MunicipalityFactory
from tests.finance.test_pages import bulk_invoices, member
from tests.membership.builders import aspirant, bulk_memberships, count_queries, text

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")
DAY = dt.timedelta(days=1)


def today() -> dt.date:
    return timezone.localdate()


def counts() -> dict[str, int]:
    return {item.key: item.count for item in selectors.bureau_work_queue()}


def proposal(municipality, contact, days_ago=5):
    return services.proposal_create(
        membership=services.membership_for(municipality=municipality),
        actor=contact,
        kind=DecisionKind.ASPIRANT,
        deciding_body=DecidingBody.COLLEGE,
        decided_on=today() - days_ago * DAY,
        document_title="Collegebesluit M50",
    )


def statement(lines: list[tuple[Decimal, bool]], statement_id="1") -> None:
    item = BankStatement.objects.create(
        message_id=f"MSG-{statement_id}",
        statement_id=statement_id,
        account_iban="NL91ABNA0417164300",
    )
    StatementLine.objects.bulk_create(
        StatementLine(statement=item, booking_date=today(), amount=amount, credit=credit)
        for amount, credit in lines
    )


def test_an_empty_platform_has_nothing_waiting():
    assert counts() == {
        "proposals": 0,
        "deadlines": 0,
        "drafts": 0,
        "overdue": 0,
        "bank_lines": 0,
        "billing_changes": 0,
        "billing": 0,
    }


def test_proposals_waiting_are_the_pending_ones(user_for_role, bureau_user):
    houten = MunicipalityFactory(name="Houten")
    contact = user_for_role(Role.MEMBER_CONTACT, municipality=houten)
    first = proposal(houten, contact)
    services.proposal_reject(proposal=first, reason="Concept.", actor=bureau_user)
    proposal(houten, contact)
    assert counts()["proposals"] == 1


def test_deadlines_within_the_reminder_horizon_or_past(settings):
    # With reminders at 60, 30 and 7 days: a mandate ending in 60 days counts, in 61 not.
    settings.M50_MANDATE_REMINDER_DAYS = [60, 30, 7]
    aspirant(MunicipalityFactory(), today() - 300 * DAY, mandate_deadline=today() + 60 * DAY)
    aspirant(MunicipalityFactory(), today() - 300 * DAY, mandate_deadline=today() + 61 * DAY)
    aspirant(MunicipalityFactory(), today() - 400 * DAY, mandate_deadline=today() - DAY)
    # Without a mandate, its aspirant year: past (counts) and far ahead (does not).
    aspirant(MunicipalityFactory(), today() - 380 * DAY, mandated_body="")
    aspirant(MunicipalityFactory(), today() - 10 * DAY, mandated_body="")
    assert counts()["deadlines"] == 3
    settings.M50_MANDATE_REMINDER_DAYS = [90]
    assert counts()["deadlines"] == 4


def test_draft_and_overdue_invoices_match_the_invoice_list(client, bureau_user):
    created = bulk_invoices(30)
    # Sent invoices gone past their due date (a draft has no due date to pass).
    late = [item for item in created if item.number][3:9]
    Invoice.objects.filter(pk__in=[i.pk for i in late]).update(
        state=Invoice.State.SENT, due_date=today() - DAY
    )
    expected = {"drafts": 0, "overdue": 0}
    for item in finance.invoice_queryset():
        status = finance.invoice_status(item)
        expected["drafts"] += status == finance.Status.DRAFT
        expected["overdue"] += status == finance.Status.OVERDUE
    assert expected["drafts"] > 0 and expected["overdue"] >= len(late)
    queue = {item.key: item for item in selectors.bureau_work_queue()}
    client.force_login(bureau_user)
    for key in ("drafts", "overdue"):
        assert queue[key].count == expected[key]
        response = client.get(queue[key].url)
        assert response.context["page"].paginator.count == expected[key]


def test_unmatched_bank_lines_count_money_in_only():
    statement([(Decimal("5000.00"), True), (Decimal("12.50"), False), (Decimal("1.00"), True)])
    assert counts()["bank_lines"] == 2


def test_members_missing_invoice_details():
    complete = member("Compleet", "GM0001")
    only_kvk = member("Alleenkvk", "GM0002")
    finance_services.billing_details_update(municipality=only_kvk, oin="", kvk="12345678")
    no_city = member("Zonderplaats", "GM0003")
    finance_services.billing_details_update(municipality=no_city, city="")
    no_number = member("Zondernummer", "GM0004")
    finance_services.billing_details_update(municipality=no_number, oin="", kvk="")
    none = MunicipalityFactory(name="Zondergegevens", code="GM0005")
    aspirant(none, today() - 10 * DAY)
    MunicipalityFactory(name="Geenlid", code="GM0006")  # not a member: not asked
    ended = MunicipalityFactory(name="Opgezegd", code="GM0007")
    aspirant(ended, dt.date(2021, 1, 4))
    services.decision_record(
        membership=services.membership_for(municipality=ended),
        kind=DecisionKind.TERMINATION,
        deciding_body=DecidingBody.COLLEGE,
        decided_on=dt.date(2021, 6, 1),
    )
    names = [item.municipality.name for item in finance.members_missing_invoice_details()]
    # The aspirant owes nothing this year, so no invoice of it is due yet.
    assert names == ["Zondernummer", "Zonderplaats"]
    assert complete.name not in names and only_kvk.name not in names
    assert counts()["billing"] == 2


def test_the_bureau_home_is_the_queue_with_counts_and_links(client, bureau_user, user_for_role):
    houten = MunicipalityFactory(name="Houten", code="GM0321")
    contact = user_for_role(Role.MEMBER_CONTACT, municipality=houten)
    pending = proposal(houten, contact)
    client.force_login(bureau_user)
    response = client.get(HOME)
    assert response.status_code == 200
    html = response.text
    row = html[html.index('id="werk-proposals">') + len('id="werk-proposals">') :]
    row = text(row[: row.index("</tr>")])
    assert row.startswith("Voorstellen die wachten op bevestiging 1")
    for url in (
        reverse("membership:deadlines") + "#voorstellen",
        reverse("membership:deadlines") + "#mandaten",
        reverse("finance:invoice_list") + "?status=draft",
        reverse("finance:invoice_list") + "?status=overdue",
        reverse("finance:bank_lines"),
        reverse("finance:billing_list"),
        reverse("reports:billing_change_list"),
    ):
        assert f'href="{url}"' in html
    # The link leads to the waiting proposal.
    deadlines = client.get(reverse("membership:deadlines")).text
    assert reverse("membership:proposal_confirm", args=[pending.pk]) in deadlines


def test_the_bureau_home_query_count_is_the_same_at_10_and_1000_rows(
    client, bureau_user, user_for_role
):
    def add(count: int, start: int) -> None:
        # Codes stay within GM1000-GM5999 (four digits, as CBS codes are).
        bulk_memberships(count, start=start)
        bulk_memberships(count, start=start + 2000, mandated=False)
        bulk_invoices(count, start=start + 4000)
        memberships = list(Membership.objects.order_by("-pk")[:count])
        DecisionProposal.objects.bulk_create(
            DecisionProposal(
                membership=m,
                kind=DecisionKind.ASPIRANT,
                deciding_body=DecidingBody.COLLEGE,
                decided_on=today(),
                document_title="Besluit",
            )
            for m in memberships
        )
        statement([(Decimal("10.00"), n % 2 == 0) for n in range(count)], statement_id=str(start))

    client.force_login(bureau_user)
    add(10, 1000)
    small = count_queries(client, HOME)
    add(990, 1010)
    assert count_queries(client, HOME) == small
    queue = counts()
    assert queue["proposals"] == 1000 and queue["bank_lines"] == 500
