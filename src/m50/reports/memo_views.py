"""The council memo's page: a form on the municipality's pages for the bureau and the
municipality's own contact (anyone else finds nothing: 404), downloading DOCX or PDF."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.accounts.models import Role
from m50.accounts.permissions import has_rule
from m50.core.access import rule_required
from m50.municipalities import selectors as registry
from m50.municipalities.models import Municipality
from m50.reports import selectors
from m50.reports.memo import facts
from m50.reports.memo.content import MemoRefused
from m50.reports.memo_forms import CouncilMemoForm


def may_write_memo(user, municipality) -> bool:
    """The bureau for any municipality; a member contact for its own."""
    if not has_rule(user, "reports.council_memo"):
        return False
    if user.role == Role.BUREAU:
        return True
    return user.role == Role.MEMBER_CONTACT and user.municipality_id == municipality.pk


def council_memo_context(request, municipality) -> dict:
    """The link to the memo on the municipality's page, for whoever may write it."""
    if not may_write_memo(request.user, municipality):
        return {}
    return {"council_memo_url": reverse("reports:council_memo", args=[municipality.code])}


def _municipality(code: str, user):
    try:
        municipality = registry.municipality_detail(code=code)
    except Municipality.DoesNotExist as exc:
        raise Http404 from exc
    if not may_write_memo(user, municipality):
        raise Http404
    return municipality


@rule_required("reports.council_memo")
def council_memo(request, code: str):
    municipality = _municipality(code, request.user)
    holder, _people = facts.portfolio_holder_of(municipality.pk, timezone.localdate())
    form = CouncilMemoForm(
        request.POST if request.method == "POST" else None,
        portfolio_holder=holder.name if holder else "",
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            content = selectors.council_memo(
                municipality_code=municipality.code,
                given=form.memo_input(),
                start=data["van"],
                end=data["tot"],
            )
        except MemoRefused as refused:
            for item in refused.missing:
                form.add_error(None, _("Er ontbreekt: %(item)s.") % {"item": item})
        else:
            data_bytes, content_type, extension = selectors.council_memo_file(
                content=content, file_format=data["bestandsvorm"]
            )
            response = HttpResponse(data_bytes, content_type=content_type)
            stem = f"informatie-van-de-burgemeester-m50-{municipality.code}-{data['datum']}"
            response["Content-Disposition"] = f'attachment; filename="{stem}.{extension}"'
            response["X-Content-Type-Options"] = "nosniff"
            return response
    return render(
        request,
        "reports/council_memo.html",
        {
            "municipality": municipality,
            "form": form,
            "title": _("Raadsinformatiebrief over het M50"),
            "error_title": _("De brief is niet gemaakt"),
        },
    )
