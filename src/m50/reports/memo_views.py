"""The council memo's page: a form on the municipality's pages for the bureau and the
municipality's own contact (anyone else finds nothing: 404), downloading DOCX or PDF."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from m50.accounts.models import Role
from m50.accounts.permissions import has_rule
from m50.core.access import rule_required
from m50.municipalities import selectors as registry
from m50.municipalities.models import Municipality
from m50.reports import selectors, services
from m50.reports.memo import facts
from m50.reports.memo.content import MemoRefused
from m50.reports.memo.house_template import PLACEHOLDERS, TemplateRefused
from m50.reports.memo.render import DOCX_TYPE
from m50.reports.memo_forms import CouncilMemoForm, HouseTemplateForm, ValuePeriodForm


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
    value_report_url = reverse("reports:value_report", args=[municipality.code])
    return {
        "council_memo_url": reverse("reports:council_memo", args=[municipality.code]),
        "value_report_url": value_report_url,
        # The default period (the running aspirant year, otherwise the calendar year).
        "value_report_pdf_url": f"{value_report_url}?{urlencode({'formaat': 'pdf'})}",
    }


def _municipality(code: str, user):
    try:
        municipality = registry.municipality_detail(code=code)
    except Municipality.DoesNotExist as exc:
        raise Http404 from exc
    if not may_write_memo(user, municipality):
        raise Http404
    return municipality


def _page(request, municipality, form, upload_form=None, template=None):
    return render(
        request,
        "reports/council_memo.html",
        {
            "municipality": municipality,
            "form": form,
            "upload_form": upload_form or HouseTemplateForm(),
            "has_template": template is not None,
            "placeholders": list(PLACEHOLDERS.items()),
            "title": _("Raadsinformatiebrief over het M50"),
            "error_title": _("De brief is niet gemaakt"),
        },
    )


def _memo_form(request, municipality, template, data=None):
    holder, _people = facts.portfolio_holder_of(municipality.pk, timezone.localdate())
    return CouncilMemoForm(
        data,
        portfolio_holder=holder.name if holder else "",
        house_template=template is not None,
    )


@rule_required("reports.council_memo")
def council_memo(request, code: str):
    municipality = _municipality(code, request.user)
    template = selectors.house_template_of(municipality=municipality)
    form = _memo_form(
        request, municipality, template, request.POST if request.method == "POST" else None
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
            if data["bestandsvorm"] == "huisstijl":
                try:
                    data_bytes = selectors.council_memo_in_house_template(
                        content=content, template=template
                    )
                except TemplateRefused as refused:
                    form.add_error(None, str(refused))
                    return _page(request, municipality, form, template=template)
                content_type, extension = DOCX_TYPE, "docx"
            else:
                data_bytes, content_type, extension = selectors.council_memo_file(
                    content=content, file_format=data["bestandsvorm"]
                )
            response = HttpResponse(data_bytes, content_type=content_type)
            stem = f"informatie-van-de-burgemeester-m50-{municipality.code}-{data['datum']}"
            response["Content-Disposition"] = f'attachment; filename="{stem}.{extension}"'
            response["X-Content-Type-Options"] = "nosniff"
            return response
    return _page(request, municipality, form, template=template)


@rule_required("reports.council_memo")
def council_memo_template(request, code: str):
    """Upload (or remove) the municipality's house template; a GET goes back to the page."""
    municipality = _municipality(code, request.user)
    page_url = reverse("reports:council_memo", args=[municipality.code])
    if request.method != "POST":
        return redirect(page_url)
    if request.POST.get("actie") == "verwijderen":
        if services.house_template_remove(
            municipality=municipality, actor=request.user, origin="web"
        ):
            messages.success(request, _("Het huisstijlsjabloon is verwijderd."))
        return redirect(page_url)
    upload_form = HouseTemplateForm(request.POST, request.FILES)
    if upload_form.is_valid():
        upload = upload_form.cleaned_data["sjabloon"]
        limit = settings.M50_MEMO_TEMPLATE_MAX_BYTES
        # Read one byte past the cap at most: a huge upload is refused without reading it.
        data = upload.read(limit + 1)
        try:
            used = services.house_template_store(
                municipality=municipality,
                data=data,
                filename=upload.name,
                actor=request.user,
                origin="web",
            )
        except TemplateRefused as refused:
            upload_form.add_error("sjabloon", str(refused))
        else:
            messages.success(
                request,
                _("Het huisstijlsjabloon is opgeslagen. Het gebruikt: %(names)s.")
                % {"names": ", ".join(used)},
            )
            return redirect(page_url)
    template = selectors.house_template_of(municipality=municipality)
    return _page(
        request,
        municipality,
        _memo_form(request, municipality, template),
        upload_form,
        template=template,
    )


@rule_required("reports.value_report")
def value_report(request, code: str):
    """What membership brought the municipality: a page, and the same as PDF."""
    municipality = _municipality(code, request.user)
    form = ValuePeriodForm(request.GET or None)
    period = {}
    if form.is_bound and form.is_valid():
        given = {"start": form.cleaned_data["van"], "end": form.cleaned_data["tot"]}
        start, end = selectors.value_period(municipality_code=municipality.code, **given)
        if start > end:
            # One end given, the default of the other before it: no period at all.
            form.add_error(
                "tot" if given["end"] else "van",
                _("Het einde van de periode ligt vóór het begin."),
            )
        else:
            period = {"start": start, "end": end}
    report = selectors.value_report(municipality_code=municipality.code, **period)
    if request.GET.get("formaat") == "pdf" and not form.errors:
        response = HttpResponse(selectors.value_report_pdf(report), content_type="application/pdf")
        stem = f"waarde-van-het-m50-{municipality.code}-{report.facts.start}-{report.facts.end}"
        response["Content-Disposition"] = f'attachment; filename="{stem}.pdf"'
        response["X-Content-Type-Options"] = "nosniff"
        return response
    query = {"formaat": "pdf", "van": report.facts.start, "tot": report.facts.end}
    return render(
        request,
        "reports/value_report.html",
        {
            "municipality": municipality,
            "report": report,
            "form": form,
            "title": report.title,
            "error_title": _("De periode is niet toegepast"),
            "pdf_url": f"{request.path}?{urlencode(query)}",
        },
    )
