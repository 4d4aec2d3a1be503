"""Pages of the reports app: a municipality's own start page (rendered by core's home) and
the contact's request to change the invoice details."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from m50.accounts.permissions import has_rule
from m50.contacts import selectors as contact_selectors
from m50.core.access import rule_required
from m50.finance.services import BILLING_FIELDS
from m50.finance.views import municipality_invoices_context
from m50.membership import selectors as membership_selectors
from m50.membership.views import dossier_summary
from m50.pillars.views import municipality_pillars_context
from m50.reports import selectors, services
from m50.reports.forms import BillingChangeForm, HandleForm
from m50.reports.memo_views import council_memo_context
from m50.reports.models import BillingChangeRequest

PAGE_SIZE = 100
PAGE_PARAMETER = "pagina"
# What an e-invoice needs (as finance.selectors.members_missing_invoice_details reads it).
REQUIRED_BILLING_FIELDS = ("name", "address_line", "postal_code", "city")


def _billing(municipality):
    # The reverse one-to-one: one query, None when the bureau has not set any details yet.
    try:
        return municipality.billing
    except municipality._meta.get_field("billing").related_model.DoesNotExist:
        return None


def _billing_view(municipality) -> dict:
    details = _billing(municipality)
    values = {name: getattr(details, name, "") if details else "" for name in BILLING_FIELDS}
    missing = [name for name in REQUIRED_BILLING_FIELDS if not values[name]]
    if not values["oin"] and not values["kvk"]:
        missing.append("oin")
    return {"details": details, "values": values, "missing": missing}


def _next_deadline(summary: dict | None) -> dict | None:
    if not summary:
        return None
    if summary["mandate"]:
        mandate = summary["mandate"]
        return {"kind": "mandate", "date": mandate["deadline"], "view": mandate}
    if summary["trial"]:
        return {"kind": "trial", "date": summary["trial"]["end"], "view": summary["trial"]}
    return None


def municipality_home(request, municipality) -> dict:
    """The start page of a municipality's contact or participant: its dossier in brief, its
    proposals with their outcome, its invoices and invoice details (the contact), its people.
    A fixed number of queries."""
    user = request.user
    summary = dossier_summary(municipality)
    membership = summary["membership"] if summary else None
    current_positions, _past = contact_selectors.split_current(
        contact_selectors.positions_at_municipality(municipality_id=municipality.pk)
    )
    context = {
        "municipality": municipality,
        "summary": summary,
        "deadline": _next_deadline(summary),
        "pending_proposals": (
            list(membership_selectors.pending_proposals(membership=membership))
            if membership
            else []
        ),
        "handled_proposals": (
            membership_selectors.handled_proposals(membership=membership) if membership else []
        ),
        "can_propose": membership_selectors.can_propose(user, municipality),
        "positions": current_positions,
        "can_view_contact_details": has_rule(user, "contacts.view_contact_details"),
        "billing": None,
        "can_request_billing_change": has_rule(user, "reports.request_billing_change"),
    }
    context.update(municipality_invoices_context(request, municipality))
    context.update(municipality_pillars_context(request, municipality))
    # The value report and the council memo: the contact's own (empty for a participant).
    context.update(council_memo_context(request, municipality))
    if has_rule(user, "finance.view_own"):
        context["billing"] = _billing_view(municipality)
        context["billing_changes"] = [
            (change, services.change_lines(change.changes))
            for change in selectors.billing_changes_of(municipality=municipality)
        ]
    return context


@rule_required("reports.request_billing_change")
def billing_change(request):
    municipality = request.user.municipality
    if municipality is None:
        raise PermissionDenied
    billing = _billing_view(municipality)
    current = billing["values"]
    initial = dict(current)
    if billing["details"] is None:
        # Nothing set yet: start from the name and numbers in the register, as the bureau's
        # own form does; they count as changes, since no details exist.
        initial.update(
            name=_("Gemeente %(name)s") % {"name": municipality.name},
            oin=municipality.oin,
            kvk=municipality.kvk,
        )
    form = BillingChangeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        proposed = {name: form.cleaned_data[name] for name in BILLING_FIELDS}
        try:
            services.billing_change_request(
                municipality=municipality,
                actor=request.user,
                current=current,
                proposed=proposed,
                remarks=form.cleaned_data["remarks"],
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _(
                    "Uw wijziging is doorgegeven aan het bureau van het M50. Het bureau "
                    "controleert haar en past de factuurgegevens aan; tot dan gelden de "
                    "huidige gegevens."
                ),
            )
            return redirect(reverse("core:home") + "#factuurgegevens")
    return render(
        request,
        "reports/billing_change.html",
        {
            "form": form,
            "municipality": municipality,
            "title": _("Wijziging van de factuurgegevens doorgeven"),
            "error_title": _("Er is niets doorgegeven"),
        },
    )


@rule_required("reports.handle_billing_change")
def billing_change_list(request):
    paginator = Paginator(selectors.pending_billing_changes(), PAGE_SIZE)
    page = paginator.get_page(request.GET.get(PAGE_PARAMETER))
    return render(
        request,
        "reports/billing_change_list.html",
        {
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "rows": [(change, services.change_lines(change.changes)) for change in page],
        },
    )


@rule_required("reports.handle_billing_change")
def billing_change_handle(request, change_id: int):
    change = get_object_or_404(
        BillingChangeRequest.objects.select_related("municipality", "requested_by", "handled_by"),
        pk=change_id,
    )
    form = HandleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["action"] == HandleForm.APPLY:
                services.billing_change_apply(change=change, actor=request.user)
                message = _("De wijziging is verwerkt in de factuurgegevens van %(name)s.")
            else:
                services.billing_change_reject(
                    change=change, reason=form.cleaned_data["reason"], actor=request.user
                )
                message = _("De wijziging van %(name)s is afgewezen.")
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(request, message % {"name": change.municipality.name})
            return redirect("reports:billing_change_list")
    return render(
        request,
        "reports/billing_change_handle.html",
        {
            "form": form,
            "change": change,
            "lines": services.change_lines(change.changes),
            "municipality": change.municipality,
            "current": _billing_view(change.municipality),
            "title": _("Gevraagde wijziging van de factuurgegevens van %(name)s")
            % {"name": change.municipality.name},
            "error_title": _("Er is niets gewijzigd"),
        },
    )
