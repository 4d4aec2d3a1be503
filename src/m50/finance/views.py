"""Finance pages: the year's invoice run, the fee schedule, billing details, invoices with their
actions, open amounts, payments and bank statement lines, with CSV and XLSX exports.

The views hold no rules: the services refuse what is not allowed, and the forms show why. The
bureau has ``finance.manage``; a municipality's member contact (``finance.view_own``) sees and
downloads its own municipality's invoices only (object-level check here).
"""

from __future__ import annotations

from decimal import Decimal
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from m50.accounts.permissions import has_rule
from m50.core.access import rule_required
from m50.core.conditional import versioned_page
from m50.core.versions import VersionedFigures, query_key
from m50.finance import exports, selectors, sending, services
from m50.finance.forms import (
    BillingForm,
    ConfirmForm,
    CreditForm,
    DismissForm,
    FeeForm,
    InvoiceFilterForm,
    MatchForm,
    NotDuplicateForm,
    PaymentForm,
    RunForm,
    SendAllForm,
    SendForm,
    StatementForm,
    WithdrawForm,
)
from m50.finance.models import (
    DRAFT_KEY_PREFIX,
    BillingDetails,
    Fee,
    Invoice,
    Payment,
    StatementLine,
)
from m50.finance.sending import invoice_recipients, invoice_send
from m50.municipalities import selectors as registry
from m50.municipalities.models import Municipality

PAGE_SIZE = 50
PAGE_PARAMETER = "pagina"
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=12, decimal_places=2)
Status = selectors.Status


def _payments_module():
    """The bank statement import, when it is there (it is built alongside these pages)."""
    try:
        from m50.finance import payments
    except ImportError:  # pragma: no cover - only while the module is being written
        return None
    return payments


# --- Access -----------------------------------------------------------------------------------


def manage_or_own(view):
    """The bureau (``finance.manage``), or a member contact (``finance.view_own``): the view
    then checks that the object is of the contact's own municipality."""
    own = rule_required("finance.view_own")(view)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if has_rule(request.user, "finance.manage"):
            return view(request, *args, **kwargs)
        return own(request, *args, **kwargs)

    wrapped.permission_rule = "finance.view_own"
    return wrapped


def _may_see(user, municipality_id: int) -> bool:
    if has_rule(user, "finance.manage"):
        return True
    return has_rule(user, "finance.view_own") and user.municipality_id == municipality_id


def _may_see_invoice(user, invoice: Invoice) -> bool:
    """A draft is the bureau's until it is sent; a member contact sees its own sent ones."""
    if has_rule(user, "finance.manage"):
        return True
    return not invoice.is_draft and _may_see(user, invoice.membership.municipality_id)


# --- Reads (fixed number of queries, whatever the number of invoices) --------------------------


def invoices() -> QuerySet[Invoice]:
    """Invoices with their municipality and what was paid on them (``paid``: the stored sum of
    their payments, so the rows are filtered on their status, sorted and summed in the
    database)."""
    return Invoice.objects.select_related("membership__municipality", "credits").annotate(
        paid=F("paid_amount")
    )


def _open_condition() -> Q:
    return selectors.open_condition()


def status_q(status: str, today) -> Q:
    """The rows of one derived status (see :func:`selectors.invoice_status_q`)."""
    return selectors.invoice_status_q(status, today)


def invoice_list(*, year=None, status="", search="", municipality_id=None, today=None):
    today = today or timezone.localdate()
    qs = invoices()
    if year:
        qs = qs.filter(fee_year=year)
    if status:
        qs = qs.filter(status_q(status, today))
    if search:
        qs = qs.filter(membership__municipality__name__icontains=search)
    if municipality_id is not None:
        qs = qs.filter(membership__municipality_id=municipality_id)
    # Drafts (no number yet) first, on every database.
    return qs.order_by("-list_order", "-pk")


def totals(qs: QuerySet[Invoice], figures: VersionedFigures) -> dict:
    """Invoiced (net of credit notes), paid and open over the selection: one query, once per
    version of the data."""
    open_amount = Case(
        When(_open_condition(), then=F("total") - F("paid")),
        default=Value(ZERO),
        output_field=MONEY,
    )
    result = figures.aggregate(
        qs.order_by(),
        invoiced=Coalesce(Sum("total"), Value(ZERO), output_field=MONEY),
        paid_total=Coalesce(Sum("paid"), Value(ZERO), output_field=MONEY),
        open=Coalesce(Sum(open_amount), Value(ZERO), output_field=MONEY),
    )
    return {"invoiced": result["invoiced"], "paid": result["paid_total"], "open": result["open"]}


def open_by_municipality(*, today):
    late = status_q(Status.OVERDUE, today)
    return (
        invoices()
        .filter(_open_condition())
        .values(
            "membership__municipality__code",
            "membership__municipality__name",
        )
        .annotate(
            open=Sum(F("total") - F("paid"), output_field=MONEY),
            overdue=Coalesce(
                Sum(Case(When(late, then=F("total") - F("paid")), output_field=MONEY)),
                Value(ZERO),
                output_field=MONEY,
            ),
            count=Count("pk"),
            oldest_due=Min("due_date"),
        )
        .order_by("membership__municipality__name")
    )


# The badge of each status (NL Design System status badge modifiers).
STATUS_BADGES = {
    Status.PAID: "utrecht-status-badge--safe",
    Status.OVERDUE: "utrecht-status-badge--danger",
    Status.PARTLY_PAID: "utrecht-status-badge--warning",
    Status.CREDITED: "utrecht-status-badge--inactive",
    Status.CREDIT_NOTE: "utrecht-status-badge--inactive",
}


def _row(invoice: Invoice, today) -> dict:
    status = selectors.invoice_status(invoice, today)
    return {
        "invoice": invoice,
        "status": status,
        "status_label": Status.LABELS[status],
        "status_badge": STATUS_BADGES.get(status, ""),
        "open": selectors.open_amount(invoice),
    }


def _invoice_or_404(key: str) -> Invoice:
    """By its number, or a draft by ``concept-<id>`` (see ``Invoice.key``)."""
    draft_id = key.removeprefix(DRAFT_KEY_PREFIX) if key.startswith(DRAFT_KEY_PREFIX) else ""
    if draft_id:
        if not draft_id.isdigit():
            raise Http404
        invoice = invoices().filter(pk=int(draft_id), number__isnull=True).first()
    else:
        invoice = invoices().filter(number=key).first()
    if invoice is None:
        raise Http404
    return invoice


def _page(request, items, figures: VersionedFigures):
    paginator = figures.paginator(items, PAGE_SIZE)
    page = paginator.get_page(request.GET.get(PAGE_PARAMETER))
    return page, paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


RETURN_PARAMETER = "terug"


def _return_to(request) -> str:
    """The page to go back to after a form (``?terug=``), when it is one of this site's."""
    target = request.GET.get(RETURN_PARAMETER, "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target if target.startswith("/") else ""
    return ""


def _bound(request):
    return request.POST if request.method == "POST" else None


def _names(created: list[Invoice]) -> str:
    names = [invoice.membership.municipality.name for invoice in created]
    if len(names) <= 10:
        return ", ".join(names)
    return f"{names[0]} … {names[-1]}"


# --- Overview and the run ---------------------------------------------------------------------


@rule_required("finance.manage")
@versioned_page(*selectors.FIGURES_DATA)
def overview(request):
    today = timezone.localdate()
    payments = _payments_module()
    figures = selectors.figures()
    return render(
        request,
        "finance/overview.html",
        {
            "totals": totals(invoices().filter(kind=Invoice.Kind.INVOICE, credited=False), figures),
            "overdue": figures.count(invoices().filter(status_q(Status.OVERDUE, today))),
            "unmatched": (
                figures.count(payments.unmatched_lines(credit_only=True)) if payments else None
            ),
            "year": today.year,
        },
    )


@rule_required("finance.manage")
def invoice_run(request):
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else (request.GET if request.GET else None)
    if data is not None and "issue_date" not in data:  # a link with the year only
        data = data.copy()
        data["issue_date"] = today.isoformat()
    form = RunForm(data, initial={"year": today.year, "issue_date": today})
    plan = None
    if data is not None and form.is_valid():
        year = form.cleaned_data["year"]
        if request.method == "POST":
            try:
                created = services.invoice_run(
                    year=year, issue_date=form.cleaned_data["issue_date"], actor=request.user
                )
            except ValidationError as error:
                form.add_refusal(error)  # shown with the preview below
            else:
                return _after_run(request, created, year, form.cleaned_data["issue_date"])
        plan = services.invoice_run_preview(year=year)
    return render(
        request,
        "finance/run.html",
        {
            "form": form,
            "plan": plan,
            "incomplete": selectors.members_missing_invoice_details(
                memberships=[item.membership for item in plan]
            )
            if plan
            else [],
            "return_to": request.get_full_path(),
            "plan_total": sum((item.amount for item in plan or ()), ZERO),
            "year": form.cleaned_data.get("year") if plan is not None else None,
        },
        status=400 if form.errors else 200,
    )


def _after_run(request, created: list[Invoice], year: int, issue_date):
    if created:
        messages.success(
            request,
            ngettext(
                "%(count)d factuur voor %(year)d aangemaakt, als concept: %(names)s. "
                "Bij het versturen krijgt zij haar nummer.",
                "%(count)d facturen voor %(year)d aangemaakt, als concept: %(names)s. "
                "Bij het versturen krijgen zij hun nummer.",
                len(created),
            )
            % {"count": len(created), "year": year, "names": _names(created)},
        )
        return redirect(reverse("finance:invoice_send_all") + f"?jaar={year}")
    messages.info(
        request,
        _("Niets te doen: alle facturen voor %(year)d bestaan al.") % {"year": year}
        if Fee.objects.filter(valid_from_year__lte=year).exists()
        else _("Niets te doen: er is geen contributie vastgesteld voor %(year)d.") % {"year": year},
    )
    return redirect(
        reverse("finance:invoice_run") + f"?year={year}&issue_date={issue_date.isoformat()}"
    )


# --- Fees and billing details -----------------------------------------------------------------


@rule_required("finance.manage")
def fees(request):
    form = FeeForm(_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            fee = services.fee_set(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _("De contributie vanaf %(year)d is vastgesteld op € %(amount)s.")
                % {"year": fee.valid_from_year, "amount": exports.money_text(fee.amount)},
            )
            return redirect("finance:fees")
    return render(
        request,
        "finance/fees.html",
        {"form": form, "fees": list(Fee.objects.all())},
        status=400 if form.errors else 200,
    )


def _municipality(code: str) -> Municipality:
    try:
        return registry.municipality_queryset().get(code=code.upper())
    except Municipality.DoesNotExist as exc:
        raise Http404 from exc


@rule_required("finance.manage")
def billing_list(request):
    """Every municipality with a membership and its billing details (or none yet): two
    queries, whatever the number of members."""
    qs = (
        Municipality.objects.filter(membership__isnull=False)
        .select_related("billing")
        .order_by("name", "code")
    )
    page, page_range = _page(request, qs, selectors.figures())
    return render(
        request,
        "finance/billing_list.html",
        {
            "page": page,
            "page_range": page_range,
            "rows": [
                (municipality, getattr(municipality, "billing", None))
                for municipality in page.object_list
            ],
        },
    )


@rule_required("finance.manage")
def billing_details(request, code: str):
    municipality = _municipality(code)
    back = _return_to(request)
    details = BillingDetails.objects.filter(municipality=municipality).first()
    if details is not None:
        initial = {name: getattr(details, name) for name in services.BILLING_FIELDS}
    else:
        initial = services._billing_defaults(municipality)
    form = BillingForm(_bound(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.billing_details_update(
                municipality=municipality, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _(
                    "De factuurgegevens van %(name)s zijn opgeslagen; ze gelden voor nieuwe "
                    "facturen en voor concepten zodra die worden verstuurd."
                )
                % {"name": municipality.name},
            )
            return redirect(
                back or reverse("municipalities:detail", args=[municipality.code]) + "#facturen"
            )
    return render(
        request,
        "finance/billing_form.html",
        {"form": form, "municipality": municipality, "details": details, "back": back},
        status=400 if form.errors else 200,
    )


# --- Invoices ---------------------------------------------------------------------------------


@rule_required("finance.manage")
@versioned_page(*selectors.FIGURES_DATA)
def invoice_index(request):
    today = timezone.localdate()
    form = InvoiceFilterForm(request.GET)
    form.is_valid()  # Errors are shown; the valid filters still apply.
    filters = form.filters()
    qs = invoice_list(today=today, **filters)
    export_format = request.GET.get("formaat", "")
    if export_format in exports.FORMATS:
        return exports.invoices_response(qs, export_format, today=today)
    figures = selectors.figures()
    page, page_range = _page(request, qs, figures)
    return render(
        request,
        "finance/invoice_list.html",
        {
            "form": form,
            "page": page,
            "page_range": page_range,
            "rows": [_row(invoice, today) for invoice in page.object_list],
            "totals": totals(qs, figures),
            "unknown_format": export_format,
            "today": today,
        },
    )


@manage_or_own
def invoice_detail(request, number: str):
    invoice = _invoice_or_404(number)
    municipality = invoice.membership.municipality
    if not _may_see_invoice(request.user, invoice):
        raise Http404  # as the API: another municipality's invoice number says nothing
    today = timezone.localdate()
    manage = has_rule(request.user, "finance.manage")
    context = {
        "row": _row(invoice, today),
        "invoice": invoice,
        "municipality": municipality,
        "payments": list(invoice.payments.select_related("statement_line")),
        "credit_note": Invoice.objects.filter(credits=invoice).first(),
        "can_manage": manage,
    }
    if manage:
        from m50.finance.ubl import ubl_problems

        context.update(
            reminders=list(invoice.reminders.all()),
            ubl_problems=ubl_problems(invoice),
            recipients=invoice_recipients(invoice),
        )
    return render(request, "finance/invoice_detail.html", context)


@rule_required("finance.manage")
def invoice_send_view(request, number: str):
    invoice = _invoice_or_404(number)
    form = SendForm(
        _bound(request), for_draft=invoice.is_draft, initial={"issue_date": invoice.issue_date}
    )
    if request.method == "POST" and form.is_valid():
        try:
            sent = invoice_send(
                invoice=invoice,
                issue_date=form.cleaned_data.get("issue_date"),
                actor=request.user,
            )
        except ValidationError as error:
            form.add_refusal(error)
        except sending.SEND_ERRORS as error:
            form.add_refusal(ValidationError(sending.send_failure(error)))
        else:
            messages.success(
                request,
                _("%(number)s is verstuurd naar %(to)s.")
                % {"number": sent.number, "to": sent.sent_to},
            )
            return redirect("finance:invoice_detail", number=sent.key)
    return render(
        request,
        "finance/invoice_send.html",
        {"form": form, "invoice": invoice, "recipients": invoice_recipients(invoice)},
        status=400 if form.errors else 200,
    )


@rule_required("finance.manage")
def invoice_refresh(request, draft: str):
    """Brings a draft up to date with the current invoice details (POST; GET asks)."""
    invoice = _draft_or_404(draft)
    form = ConfirmForm(_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.invoice_draft_refresh(invoice=invoice, actor=request.user)
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _("Het concept voor %(name)s heeft nu de huidige factuurgegevens.")
                % {"name": invoice.membership.municipality.name},
            )
            return redirect("finance:invoice_detail", number=invoice.key)
    return render(
        request,
        "finance/invoice_draft_action.html",
        {"form": form, "invoice": invoice, "action": "refresh"},
        status=400 if form.errors else 200,
    )


@rule_required("finance.manage")
def invoice_withdraw(request, draft: str):
    invoice = _draft_or_404(draft)
    form = WithdrawForm(_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.invoice_draft_withdraw(
                invoice=invoice, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _(
                    "Het concept voor %(name)s (contributie %(year)d) is ingetrokken; het jaar "
                    "kan opnieuw worden gefactureerd."
                )
                % {"name": invoice.membership.municipality.name, "year": invoice.fee_year},
            )
            return redirect(reverse("finance:invoice_list") + f"?jaar={invoice.fee_year}")
    return render(
        request,
        "finance/invoice_draft_action.html",
        {"form": form, "invoice": invoice, "action": "withdraw"},
        status=400 if form.errors else 200,
    )


def _draft_or_404(key: str) -> Invoice:
    invoice = _invoice_or_404(key)
    if not invoice.is_draft:
        raise Http404
    return invoice


@rule_required("finance.manage")
def invoice_send_all(request):
    """The drafts of a contribution year, with what keeps some from going out; POST sends
    them all and shows which went out and which could not, and why."""
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = SendAllForm(data, initial={"jaar": today.year, "issue_date": today})
    year = form.cleaned_data["jaar"] if data is not None and form.is_valid() else today.year
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = sending.invoices_send_all(
                year=year, issue_date=form.cleaned_data.get("issue_date"), actor=request.user
            )
        except ValidationError as error:
            form.add_refusal(error)
    if report is not None:
        if report.sent:
            messages.success(
                request,
                ngettext(
                    "%(count)d factuur verstuurd.",
                    "%(count)d facturen verstuurd.",
                    len(report.sent),
                )
                % {"count": len(report.sent)},
            )
        if report.not_sent_count:
            messages.warning(
                request,
                ngettext(
                    "%(count)d concept kon niet worden verstuurd; zie hieronder waarom.",
                    "%(count)d concepten konden niet worden verstuurd; zie hieronder waarom.",
                    report.not_sent_count,
                )
                % {"count": report.not_sent_count},
            )
        if report.already_sent:
            messages.info(
                request,
                ngettext(
                    "%(count)d concept was intussen al verstuurd; het is niet opnieuw verstuurd.",
                    "%(count)d concepten waren intussen al verstuurd; ze zijn niet opnieuw "
                    "verstuurd.",
                    len(report.already_sent),
                )
                % {"count": len(report.already_sent)},
            )
        if not report.sent and not report.not_sent_count and not report.already_sent:
            messages.info(request, _("Er waren geen concepten voor %(year)d.") % {"year": year})
    drafts = list(
        invoices()
        .filter(kind=Invoice.Kind.INVOICE, fee_year=year, credited=False, state=Invoice.State.DRAFT)
        .select_related("membership__municipality__billing")
        .order_by("membership__municipality__name", "pk")
    )
    missing = {
        item.membership.pk: item.missing
        for item in selectors.members_missing_invoice_details(
            memberships=[draft.membership for draft in drafts]
        )
    }
    return render(
        request,
        "finance/send_all.html",
        {
            "form": form,
            "year": year,
            "report": report,
            "drafts": [(draft, missing.get(draft.membership_id, ())) for draft in drafts],
            "drafts_total": sum((draft.total for draft in drafts), ZERO),
            "return_to": reverse("finance:invoice_send_all") + f"?jaar={year}",
        },
        status=400 if form.errors else 200,
    )


@rule_required("finance.manage")
def reminders(request):
    """Overdue invoices with the reminders sent and the round due today; POST sends the
    reminders that are due (each round once, as the daily command does)."""
    today = timezone.localdate()
    form = ConfirmForm(_bound(request))
    if request.method == "POST" and form.is_valid():
        unaddressed: list[str] = []
        failed: list[tuple[str, str]] = []
        sent = sending.payment_reminders_send(today=today, unaddressed=unaddressed, failed=failed)
        if sent:
            messages.success(
                request,
                ngettext(
                    "%(count)d betalingsherinnering verstuurd: %(numbers)s.",
                    "%(count)d betalingsherinneringen verstuurd: %(numbers)s.",
                    len(sent),
                )
                % {"count": len(sent), "numbers": ", ".join(r.number for r in sent)},
            )
        else:
            messages.info(request, _("Er was vandaag geen herinnering te versturen."))
        if unaddressed:
            messages.warning(
                request,
                _(
                    "Geen e-mailadres om een herinnering naar te sturen voor: %(numbers)s. Vul "
                    "de factuurgegevens of een contactpersoon van de gemeente aan."
                )
                % {"numbers": ", ".join(unaddressed)},
            )
        for number, reason in failed:
            messages.warning(
                request,
                _("Niet verstuurd: %(number)s. %(reason)s") % {"number": number, "reason": reason},
            )
        return redirect("finance:reminders")
    figures = selectors.figures()
    page, page_range = _page(request, sending.overdue_queryset(today=today), figures)
    return render(
        request,
        "finance/reminders.html",
        {
            "form": form,
            "page": page,
            "page_range": page_range,
            "rows": sending.reminder_rows(invoices=list(page.object_list), today=today),
            "due_count": figures.get(
                f"reminders-due:{today.isoformat()}",
                lambda: sending.reminders_due_count(today=today),
            ),
            "today": today,
        },
    )


@rule_required("finance.manage")
def invoice_credit(request, number: str):
    invoice = _invoice_or_404(number)
    form = CreditForm(_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            note = services.invoice_credit(
                invoice=invoice, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _("Factuur %(number)s is gecrediteerd met creditnota %(note)s.")
                % {"number": invoice.number, "note": note.number},
            )
            return redirect("finance:invoice_detail", number=note.number)
    return render(
        request,
        "finance/invoice_credit.html",
        {"form": form, "invoice": invoice, "row": _row(invoice, timezone.localdate())},
        status=400 if form.errors else 200,
    )


@rule_required("finance.manage")
def payment_create(request, number: str):
    invoice = _invoice_or_404(number)
    form = PaymentForm(_bound(request), initial={"paid_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            payment = services.payment_register(
                invoice=invoice, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _("Betaling van € %(amount)s op %(number)s geregistreerd.")
                % {"amount": exports.money_text(payment.amount), "number": invoice.number},
            )
            return redirect("finance:invoice_detail", number=invoice.number)
    return render(
        request,
        "finance/payment_form.html",
        {"form": form, "invoice": invoice, "row": _row(invoice, timezone.localdate())},
        status=400 if form.errors else 200,
    )


def _download(request, number: str, render_document, extension: str, content_type: str):
    invoice = _invoice_or_404(number)
    if not _may_see_invoice(request.user, invoice):
        raise Http404
    if invoice.is_draft:
        problems = [
            _(
                "Een concept heeft nog geen factuurnummer. De PDF en de e-factuur worden "
                "gemaakt wanneer het wordt verstuurd."
            )
        ]
        return render(
            request,
            "finance/download_refused.html",
            {"invoice": invoice, "problems": problems},
            status=409,
        )
    try:
        content = render_document(invoice)
    except ValidationError as error:
        return render(
            request,
            "finance/download_refused.html",
            {"invoice": invoice, "problems": error.messages},
            status=409,
        )
    stem = "creditnota" if invoice.kind == Invoice.Kind.CREDIT_NOTE else "factuur"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{invoice.number}.{extension}"'
    return response


@manage_or_own
def invoice_pdf(request, number: str):
    from m50.finance.pdf import invoice_pdf as render_pdf

    return _download(request, number, render_pdf, "pdf", "application/pdf")


@manage_or_own
def invoice_ubl(request, number: str):
    from m50.finance.ubl import invoice_ubl as render_ubl

    return _download(request, number, render_ubl, "xml", "application/xml")


# --- Open amounts, payments, bank lines -------------------------------------------------------


@rule_required("finance.manage")
@versioned_page(*selectors.FIGURES_DATA)
def open_amounts(request):
    today = timezone.localdate()
    figures = selectors.figures()
    qs = open_by_municipality(today=today)
    # One row per municipality, grouped over all invoices: kept whole per version of the data.
    rows = figures.get("open-by-municipality:" + query_key(qs), lambda: list(qs))
    page, page_range = _page(request, rows, figures)
    return render(
        request,
        "finance/open_amounts.html",
        {
            "page": page,
            "page_range": page_range,
            "rows": list(page.object_list),
            "totals": totals(invoices().filter(_open_condition()), figures),
            "today": today,
        },
    )


def payment_list_queryset() -> QuerySet[Payment]:
    return Payment.objects.select_related(
        "invoice__membership__municipality", "statement_line__statement"
    ).order_by("-paid_on", "-pk")


@rule_required("finance.manage")
@versioned_page(*selectors.FIGURES_DATA)
def payment_index(request):
    qs = payment_list_queryset()
    export_format = request.GET.get("formaat", "")
    today = timezone.localdate()
    if export_format in exports.FORMATS:
        return exports.payments_response(qs, export_format, today=today)
    figures = selectors.figures()
    page, page_range = _page(request, qs, figures)
    return render(
        request,
        "finance/payment_list.html",
        {
            "page": page,
            "page_range": page_range,
            "payments": list(page.object_list),
            "total": figures.aggregate(
                qs.order_by(), total=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY)
            )["total"],
            "unknown_format": export_format,
        },
    )


# The other lists on the bank lines page show the latest few, each with its count.
SIDE_LIST_SIZE = 20


def _bank_lines_context(request, upload_form=None) -> dict:
    payments = _payments_module()
    if payments is None:
        raise Http404
    figures = selectors.figures()
    page, page_range = _page(request, payments.unmatched_lines(), figures)
    unbooked = payments.unbooked_lines()
    dismissed = payments.dismissed_lines()
    reversed_lines = payments.reversed_lines()
    to_review = payments.payments_to_review()
    return {
        "page": page,
        "page_range": page_range,
        "lines": list(page.object_list),
        "upload_form": upload_form or StatementForm(),
        "unbooked": list(unbooked[:SIDE_LIST_SIZE]),
        "unbooked_count": figures.count(unbooked),
        "dismissed": list(dismissed[:SIDE_LIST_SIZE]),
        "dismissed_count": figures.count(dismissed),
        "reversed_lines": list(reversed_lines[:SIDE_LIST_SIZE]),
        "reversed_count": figures.count(reversed_lines),
        "to_review": list(to_review[:SIDE_LIST_SIZE]),
        "to_review_count": figures.count(to_review),
    }


@rule_required("finance.manage")
@versioned_page(*selectors.FIGURES_DATA)
def bank_lines(request):
    return render(request, "finance/bank_lines.html", _bank_lines_context(request))


@rule_required("finance.manage")
def statement_import(request):
    """The upload form (GET shows the bank lines page with it); POST imports the file."""
    payments = _payments_module()
    if payments is None:
        raise Http404
    form = StatementForm(_bound(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = payments.bank_statement_import(
                file=form.cleaned_data["file"], actor=request.user
            )
        except ValidationError as error:  # a malformed file (CamtError) lists its problems
            form.add_refusal(error)
        else:
            notify = messages.success if report.changed else messages.info
            if report.reversed_payments or report.duplicates or report.to_review:
                notify = messages.warning
            notify(request, report.summary())
            return redirect("finance:bank_lines")
    return render(
        request,
        "finance/bank_lines.html",
        _bank_lines_context(request, upload_form=form),
        status=400 if form.errors else 200,
    )


# What a POST on a bank line does, by its "actie".
MATCH, DISMISS = "koppelen", "geen-factuurbetaling"
RESTORE, REVIEWED = "herstellen", "gecontroleerd"
NOT_DUPLICATE = "geen-dubbel"


@rule_required("finance.manage")
def line_match(request, line_id: int):
    """One bank line: match it to an invoice (suggestions first), mark it "geen
    factuurbetaling" or undo that, mark a suspected duplicate "geen dubbele boeking", and mark
    its payment's payer as checked."""
    payments = _payments_module()
    if payments is None:
        raise Http404
    line = (
        StatementLine.objects.select_related("statement", "reverses", "dismissed_by")
        .filter(pk=line_id)
        .first()
    )
    if line is None:
        raise Http404
    payment = Payment.objects.filter(statement_line=line).select_related("invoice").first()
    reversal = StatementLine.objects.filter(reverses=line).first()
    action = request.POST.get("actie", MATCH) if request.method == "POST" else ""
    named = payments.line_candidates(line).all
    form = MatchForm(
        _bound(request) if action == MATCH else None,
        initial={"number": named[0] if len(named) == 1 else ""},
    )
    dismiss_form = DismissForm(_bound(request) if action == DISMISS else None)
    duplicate_form = NotDuplicateForm(_bound(request) if action == NOT_DUPLICATE else None)
    if action == MATCH and form.is_valid():
        number = form.cleaned_data["number"].strip()
        invoice = Invoice.objects.filter(number=number).first()
        if invoice is None:
            form.add_error("number", _("Er is geen factuur met nummer %(n)s.") % {"n": number})
        else:
            try:
                payments.statement_line_match(line=line, invoice=invoice, actor=request.user)
            except ValidationError as error:
                form.add_refusal(error)
            else:
                messages.success(
                    request,
                    _("De bijschrijving van € %(amount)s is geboekt op factuur %(number)s.")
                    % {"amount": exports.money_text(line.amount), "number": invoice.number},
                )
                return redirect("finance:bank_lines")
    elif action == DISMISS and dismiss_form.is_valid():
        try:
            payments.statement_line_dismiss(
                line=line, reason=dismiss_form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as error:
            dismiss_form.add_refusal(error)
        else:
            messages.success(request, _("De regel is gemarkeerd als geen factuurbetaling."))
            return redirect("finance:bank_lines")
    elif action == NOT_DUPLICATE and duplicate_form.is_valid():
        try:
            payments.statement_line_not_duplicate(
                line=line, reason=duplicate_form.cleaned_data["why"], actor=request.user
            )
        except ValidationError as error:
            duplicate_form.add_refusal(error)
        else:
            messages.success(
                request, _("De regel is gemarkeerd als geen dubbele boeking; koppel hem nu.")
            )
            return redirect("finance:line_match", line_id=line.pk)
    elif action in (RESTORE, REVIEWED):
        try:
            if action == RESTORE:
                payments.statement_line_restore(line=line, actor=request.user)
                done = _("De regel staat weer bij de niet-gekoppelde regels.")
            else:
                if payment is None:
                    raise ValidationError(_("Deze regel heeft geen betaling."))
                payments.payment_review(payment=payment, actor=request.user)
                done = _("De betaling is gemarkeerd als gecontroleerd.")
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(request, done)
            return redirect("finance:line_match", line_id=line.pk)
    elif action and action not in (MATCH, DISMISS, NOT_DUPLICATE):
        form.add_error(None, _("Onbekende actie."))
    open_line = (
        payment is None
        and reversal is None
        and line.reverses_id is None
        and line.dismissed_at is None
        and line.credit
        and line.status == "BOOK"
        and not line.reversal
        and not line.duplicate  # not booked until marked "geen dubbele boeking"
    )
    errors = form.errors or dismiss_form.errors or duplicate_form.errors
    error_form = form
    for other in (dismiss_form, duplicate_form):
        if other.errors:
            error_form = other
    return render(
        request,
        "finance/line_match.html",
        {
            "form": form,
            "dismiss_form": dismiss_form,
            "duplicate_form": duplicate_form,
            "error_form": error_form,
            "not_duplicate": payments.not_duplicate_event(line),
            "line": line,
            "payment": payment,
            "reversal": reversal,
            "open_line": open_line,
            "can_dismiss": payment is None and line.dismissed_at is None,
            "suggestions": payments.match_suggestions(line) if open_line else [],
        },
        status=400 if errors else 200,
    )


# --- The municipality page --------------------------------------------------------------------


def municipality_invoices_context(request, municipality: Municipality) -> dict:
    """The invoices section of a municipality's page, as ``{"finance": {...}}``; None for who
    may not see them. One query: a municipality has one invoice a year (and a credit note for
    a corrected one), so all of them are shown, and the totals are summed from the rows."""
    if not _may_see(request.user, municipality.pk):
        return {"finance": None}
    today = timezone.localdate()
    qs = invoice_list(municipality_id=municipality.pk, today=today)
    if not has_rule(request.user, "finance.manage"):
        qs = qs.filter(number__isnull=False)  # a draft is the bureau's until it is sent
    rows = [_row(invoice, today) for invoice in qs]
    return {
        "finance": {
            "rows": rows,
            "totals": {
                "invoiced": sum((row["invoice"].total for row in rows), ZERO),
                "paid": sum((row["invoice"].paid for row in rows), ZERO),
                "open": sum((row["open"] for row in rows), ZERO),
            },
            "can_manage": has_rule(request.user, "finance.manage"),
            "municipality": municipality,
        }
    }
