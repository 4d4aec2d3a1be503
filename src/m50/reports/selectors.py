"""The bureau's work queue: what waits for the bureau, counted, each with the page where the
work is done. A fixed number of queries, whatever the number of members or invoices."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from m50.finance import selectors as finance
from m50.finance.models import Invoice
from m50.finance.payments import unmatched_lines
from m50.membership import selectors as membership
from m50.membership.models import DecisionProposal
from m50.reports.models import BillingChangeRequest


@dataclass(frozen=True)
class QueueItem:
    key: str
    label: str
    count: int
    url: str
    explanation: str

    @property
    def waiting(self) -> bool:
        return self.count > 0


def _url(name: str, anchor: str = "", **query) -> str:
    url = reverse(name)
    if query:
        url += "?" + urlencode(query)
    return url + (f"#{anchor}" if anchor else "")


def mandate_horizon() -> int:
    """Days ahead a deadline counts as running out: the earliest reminder's (60 by default)."""
    return max(settings.M50_MANDATE_REMINDER_DAYS, default=60)


def deadlines_running_out(*, today: datetime.date) -> int:
    return membership.deadlines_due_count(today=today, horizon=mandate_horizon())


def invoice_counts(*, today: datetime.date) -> dict[str, int]:
    """Drafts not sent and overdue invoices, as ``finance.selectors.invoice_status`` derives
    them (so the counts match the invoice list filtered on those statuses): one query."""
    return (
        Invoice.objects.filter(finance.open_condition())
        .order_by()
        .aggregate(
            draft=Count("pk", filter=Q(state=Invoice.State.DRAFT, paid_amount=0)),
            overdue=Count(
                "pk",
                filter=Q(due_date__lt=today) & (Q(paid_amount__gt=0) | Q(state=Invoice.State.SENT)),
            ),
        )
    )


def _finance_counts(today: datetime.date) -> dict[str, int]:
    return {
        **invoice_counts(today=today),
        "unmatched": unmatched_lines(credit_only=True).count(),
        "missing_details": finance.members_missing_invoice_details_count(year=today.year),
    }


def bureau_work_queue(*, today: datetime.date | None = None) -> list[QueueItem]:
    today = today or timezone.localdate()
    # Counted over every invoice and bank line: once per version of the data and per day.
    counts = finance.figures().get(
        f"work-queue:{today.isoformat()}", lambda: _finance_counts(today)
    )
    horizon = mandate_horizon()
    return [
        QueueItem(
            "proposals",
            _("Voorstellen die wachten op bevestiging"),
            DecisionProposal.objects.filter(state=DecisionProposal.State.PENDING).count(),
            _url("membership:deadlines", "voorstellen"),
            _("Besluiten die gemeenten voorstellen: bevestigen of afwijzen, met een reden."),
        ),
        QueueItem(
            "deadlines",
            _("Termijnen van aspirant-leden die aflopen"),
            deadlines_running_out(today=today),
            _url("membership:deadlines", "mandaten"),
            _("Mandaten en aspirantjaren die binnen %(days)d dagen aflopen of al zijn verlopen.")
            % {"days": horizon},
        ),
        QueueItem(
            "drafts",
            _("Conceptfacturen die nog niet zijn verstuurd"),
            counts["draft"],
            _url("finance:invoice_list", status=finance.Status.DRAFT),
            _("Facturen die zijn aangemaakt maar nog niet verzonden."),
        ),
        QueueItem(
            "overdue",
            _("Facturen die te laat zijn"),
            counts["overdue"],
            _url("finance:invoice_list", status=finance.Status.OVERDUE),
            _("Verzonden facturen waarvan de vervaldatum voorbij is en die niet betaald zijn."),
        ),
        QueueItem(
            "bank_lines",
            _("Bijschrijvingen die niet aan een factuur zijn gekoppeld"),
            counts["unmatched"],
            _url("finance:bank_lines"),
            _("Ingelezen bankregels met geld dat binnenkwam, zonder betaalde factuur."),
        ),
        QueueItem(
            "billing_changes",
            _("Gevraagde wijzigingen van factuurgegevens"),
            pending_billing_changes().count(),
            _url("reports:billing_change_list"),
            _("Wijzigingen die contactpersonen van gemeenten doorgaven: verwerken of afwijzen."),
        ),
        QueueItem(
            "billing",
            _("Leden zonder volledige factuurgegevens"),
            counts["missing_details"],
            _url("finance:billing_list"),
            _(
                "Leden die dit jaar contributie verschuldigd zijn en van wie naam, adres, "
                "postcode, plaats, OIN/KvK-nummer of e-mailadres ontbreekt, zodat er geen "
                "e-factuur kan worden gemaakt of verzonden."
            ),
        ),
    ]


# --- Requested changes of invoice details -----------------------------------------------------


def pending_billing_changes() -> QuerySet[BillingChangeRequest]:
    """Requests waiting for the bureau, oldest first, with who asked and for which municipality."""
    return (
        BillingChangeRequest.objects.filter(state=BillingChangeRequest.State.PENDING)
        .select_related("municipality", "requested_by")
        .order_by("requested_at", "pk")
    )


def billing_changes_of(*, municipality, limit: int = 5) -> list[BillingChangeRequest]:
    """A municipality's latest requests, newest first, with their outcome."""
    return list(
        BillingChangeRequest.objects.filter(municipality=municipality)
        .select_related("handled_by")
        .order_by("-requested_at", "-pk")[:limit]
    )


# --- The council memo ---------------------------------------------------------------------


def council_memo(
    *,
    municipality_code: str,
    given,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
):
    """The council memo's content (``memo.content.MemoContent``) for the municipality: the
    period runs by default from its first decision to the date of the college meeting.
    Raises ``MemoRefused`` with what is missing before anything is rendered."""
    from m50.reports.memo import content, facts

    end = end or given.datum or timezone.localdate()
    found = facts.memo_facts(municipality_code=municipality_code, start=start, end=end)
    return content.memo_content(found, given)


def council_memo_file(*, content, file_format: str) -> tuple[bytes, str, str]:
    """(bytes, content type, file extension) of the memo in ``docx`` or ``pdf``."""
    from m50.reports.memo import render

    if file_format == "pdf":
        return render.memo_pdf(content), render.PDF_TYPE, "pdf"
    return render.memo_docx(content), render.DOCX_TYPE, "docx"


def house_template_of(*, municipality) -> bytes | None:
    """The municipality's house template for the memo, or None."""
    from m50.reports.memo.house_template import template_path

    path = template_path(municipality)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def council_memo_in_house_template(*, content, template: bytes) -> bytes:
    from m50.reports.memo.house_template import template_fill

    return template_fill(template, content.values)


def value_report(
    *, municipality_code: str, start: datetime.date | None = None, end: datetime.date | None = None
):
    """A member's value report (``memo.value.ValueReport``) for the period: by default the
    aspirant year while it runs, otherwise the calendar year."""
    from m50.reports.memo import value

    start, end = value_period(municipality_code=municipality_code, start=start, end=end)
    return value.value_report(municipality_code=municipality_code, start=start, end=end)


def value_period(
    *, municipality_code: str, start: datetime.date | None = None, end: datetime.date | None = None
) -> tuple[datetime.date, datetime.date]:
    """The value report's period: what is given, the default for what is not."""
    from m50.reports.memo import value

    if start is None or end is None:
        default_start, default_end = value.default_period(municipality_code, timezone.localdate())
        start, end = start or default_start, end or default_end
    return start, end


def value_report_pdf(report) -> bytes:
    from m50.reports.memo import render
    from m50.reports.memo.content import MemoContent, period_text

    facts = report.facts
    as_memo = MemoContent(
        title=report.title,
        fields=((_("Gemeente"), facts.registry.name), (_("Periode"), period_text(facts))),
        sections=report.sections,
        values={},
    )
    return render.memo_pdf(as_memo)


def value_report_attachment(
    *, municipality_code: str, start: datetime.date, end: datetime.date
) -> tuple[str, bytes]:
    """(file name, PDF bytes) of the value report for the period, as the mandate reminders
    attach it: ``waarderapport-diemen-2022-2023.pdf``. A fixed number of queries."""
    report = value_report(municipality_code=municipality_code, start=start, end=end)
    name = slugify(report.facts.registry.name)
    return f"waarderapport-{name}-{start.year}-{end.year}.pdf", value_report_pdf(report)
