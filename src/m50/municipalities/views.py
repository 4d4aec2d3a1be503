"""Pages of the municipality registry: the list, a municipality, the prospects, and the import
of a CBS population file."""

import io
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from m50.accounts.permissions import has_rule
from m50.activities.views import municipality_activities_context
from m50.contacts import selectors as contact_selectors
from m50.core.access import rule_required
from m50.core.conditional import public_page
from m50.core.versions import ACTIVITIES, KNOWLEDGE, MEMBERS, REGISTRY
from m50.finance.views import municipality_invoices_context
from m50.knowledge.views.library import items_section_context
from m50.membership.views import dossier_context
from m50.municipalities import selectors, services
from m50.municipalities.charts import population_bar_chart
from m50.municipalities.eligibility import BandLimits, entered_band_year
from m50.municipalities.forms import (
    MunicipalityFilterForm,
    PopulationConfirmForm,
    PopulationUploadForm,
)
from m50.municipalities.models import Municipality
from m50.pillars.views import municipality_pillars_context
from m50.publicaffairs.views import municipality_public_affairs_context
from m50.reports.memo_views import council_memo_context

PAGE_SIZE = 25
PAGE_PARAMETER = "pagina"
# The prospects page has two lists, each with its own pages.
APPROACHING_PAGE_PARAMETER = "pagina-groei"


@rule_required("registry.view")
@public_page(REGISTRY)
def municipality_list(request):
    form = MunicipalityFilterForm(
        request.GET,
        provinces=selectors.province_list(),
        networks=selectors.network_list(),
    )
    form.is_valid()  # Errors are shown; the valid filters still apply.
    paginator = Paginator(selectors.municipality_list(**form.filters()), PAGE_SIZE)
    page = paginator.get_page(request.GET.get(PAGE_PARAMETER))
    return render(
        request,
        "municipalities/list.html",
        {
            "form": form,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "page_parameter": PAGE_PARAMETER,
            "can_import": has_rule(request.user, "registry.import"),
        },
    )


def _population_rows(counts) -> list[dict]:
    """Table rows of population counts: year, inhabitants, change on the year before, source."""
    rows, previous = [], None
    for count in sorted(counts, key=lambda count: count.year):
        change = None if previous is None else count.inhabitants - previous
        rows.append(
            {
                "year": count.year,
                "inhabitants": count.inhabitants,
                "change": change,
                "source": count.source,
            }
        )
        previous = count.inhabitants
    return rows


@rule_required("registry.view")
# Logged in, the page shows people, invoices and proposals too: validators for anonymous only.
@public_page(REGISTRY, MEMBERS, ACTIVITIES, KNOWLEDGE, logged_in=False)
def municipality_detail(request, code: str):
    try:
        municipality = selectors.municipality_detail(code=code)
    except Municipality.DoesNotExist as exc:
        raise Http404 from exc
    limits = BandLimits.from_settings()
    series = selectors.population_series(municipality)
    context = {
        "municipality": municipality,
        "population_rows": _population_rows(municipality.population_counts.all()),
        "chart": population_bar_chart(municipality.name, series, limits),
        "entered_band_in": entered_band_year(series, limits),
        "memberships": list(municipality.network_memberships.all()),
        # (change, the other municipality) per boundary change, for one table each way.
        "predecessors": [(link, link.predecessor) for link in municipality.predecessor_links.all()],
        "successors": [(link, link.successor) for link in municipality.successor_links.all()],
        "can_view_people": has_rule(request.user, "contacts.view"),
        "can_view_contact_details": has_rule(request.user, "contacts.view_contact_details"),
    }
    if context["can_view_people"]:
        positions = contact_selectors.positions_at_municipality(municipality_id=municipality.pk)
        current, past = contact_selectors.split_current(positions)
        context.update(
            organisation=getattr(municipality, "organisation", None),
            current_positions=current,
            past_positions=past,
        )
    context.update(dossier_context(request, municipality))
    context.update(municipality_invoices_context(request, municipality))
    context.update(municipality_pillars_context(request, municipality))
    context.update(municipality_activities_context(request, municipality))
    context.update(items_section_context(request, municipality=municipality))
    context.update(municipality_public_affairs_context(request, municipality))
    context.update(council_memo_context(request, municipality))
    return render(request, "municipalities/detail.html", context)


def _page_range(page):
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


@rule_required("registry.view_prospects")
def prospects(request):
    pages = selectors.prospect_pages(
        in_band=request.GET.get(PAGE_PARAMETER),
        approaching=request.GET.get(APPROACHING_PAGE_PARAMETER),
    )
    return render(
        request,
        "municipalities/prospects.html",
        {
            "in_band": pages["in_band"],
            "approaching": pages["approaching"],
            "approaching_parameter": APPROACHING_PAGE_PARAMETER,
            "in_band_range": _page_range(pages["in_band"].page),
            "approaching_range": _page_range(pages["approaching"].page),
            "recent_years": settings.M50_BAND_RECENT_YEARS,
            "forecast_years": settings.M50_BAND_FORECAST_YEARS,
        },
    )


# --- Importing a CBS population file: upload, preview, confirm ---------------------------------

PREVIEW_SALT = "m50.municipalities.population-preview"


def _named_text(text: str, name: str) -> io.StringIO:
    stream = io.StringIO(text)
    stream.name = name  # the fallback source names the file, in the preview and the import
    return stream


def _signed_upload(name: str, source: str | None, text: str) -> str:
    # The file travels with the confirmation, signed: nothing is kept on the server between
    # the two steps, and what is written is exactly what was previewed.
    return signing.dumps({"n": name, "s": source, "t": text}, salt=PREVIEW_SALT, compress=True)


def _preview_page(request, *, preview, signed: str, name: str, source, notice: str = ""):
    form = PopulationConfirmForm(initial={"voorvertoning": signed, "controle": preview.fingerprint})
    return render(
        request,
        "municipalities/population_import.html",
        {
            "preview": preview,
            "confirm_form": form,
            "file_name": name,
            "source": source,
            "notice": notice,
        },
    )


def _upload_page(request, form, problems=(), status=200):
    return render(
        request,
        "municipalities/population_import.html",
        {"form": form, "problems": problems, "upload_max": settings.M50_CBS_UPLOAD_MAX_BYTES},
        status=status,
    )


@rule_required("registry.import")
def population_import(request):
    """Step 1 (GET, or POST of a file): check the file and show what would change.
    Step 2 (POST of the signed preview): import it, if the plan is still the same."""
    if request.method == "POST" and "voorvertoning" in request.POST:
        return _population_import_confirm(request)
    form = PopulationUploadForm(
        request.POST if request.method == "POST" else None, request.FILES or None
    )
    if request.method != "POST":
        return _upload_page(request, form)
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    upload = form.cleaned_data["bestand"]
    source = form.cleaned_data["bron"] or None
    name = Path(upload.name or "").name
    data = upload.read()
    try:
        preview = services.population_import_preview(file=_named_bytes(data, name), source=source)
    except services.PopulationImportError as error:
        return _upload_page(request, form, problems=error.problems, status=400)
    signed = _signed_upload(name, source, data.decode("utf-8-sig"))
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and len(signed) > limit - 64 * 1024:
        form.add_error(
            "bestand",
            _("Dit bestand is te groot om in één keer te bevestigen; splits het per jaar."),
        )
        return _upload_page(request, form, status=400)
    return _preview_page(request, preview=preview, signed=signed, name=name, source=source)


def _named_bytes(data: bytes, name: str) -> io.BytesIO:
    stream = io.BytesIO(data)
    stream.name = name
    return stream


def _population_import_confirm(request):
    confirm = PopulationConfirmForm(request.POST)
    restart = _("De voorvertoning is verlopen of onvolledig; kies het bestand opnieuw.")
    if not confirm.is_valid():
        messages.error(request, restart)
        return redirect("municipalities:population_import")
    try:
        upload = signing.loads(
            confirm.cleaned_data["voorvertoning"],
            salt=PREVIEW_SALT,
            max_age=settings.M50_CBS_PREVIEW_MAX_AGE,
        )
    except signing.BadSignature:  # also when expired
        messages.error(request, restart)
        return redirect("municipalities:population_import")
    name, source, text = upload["n"], upload["s"], upload["t"]

    def changed_meanwhile(preview):
        return _preview_page(
            request,
            preview=preview,
            signed=confirm.cleaned_data["voorvertoning"],
            name=name,
            source=source,
            notice=_(
                "Sinds de voorvertoning zijn de inwonertallen gewijzigd. Hieronder staat "
                "wat het bestand nu zou veranderen; er is niets ingelezen."
            ),
        )

    try:
        try:
            with transaction.atomic():
                preview = services.population_import_preview(
                    file=_named_text(text, name), source=source
                )
                if preview.fingerprint != confirm.cleaned_data["controle"]:
                    # The registry changed since the preview: show the new plan, write nothing.
                    transaction.set_rollback(True)
                    return changed_meanwhile(preview)
                report = services.population_import(
                    file=_named_text(text, name), source=source, actor=request.user
                )
        except IntegrityError:
            # Another import of the same figures committed between our plan and our write (two
            # confirmations at once): nothing of ours is written; show the plan as it is now.
            return changed_meanwhile(
                services.population_import_preview(file=_named_text(text, name), source=source)
            )
    except services.PopulationImportError as error:
        # The registry changed so that the file no longer fits (e.g. a code removed).
        form = PopulationUploadForm()
        return _upload_page(request, form, problems=error.problems, status=400)
    (messages.success if report.changed else messages.info)(request, report.summary())
    return redirect("municipalities:population_import")
