"""Pages of the municipality registry: the list, a municipality, and the prospects."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from m50.accounts.permissions import has_rule
from m50.contacts import selectors as contact_selectors
from m50.core.access import rule_required
from m50.finance.views import municipality_invoices_context
from m50.membership.views import dossier_context
from m50.municipalities import selectors
from m50.municipalities.charts import population_bar_chart
from m50.municipalities.eligibility import BandLimits, entered_band_year
from m50.municipalities.forms import MunicipalityFilterForm
from m50.municipalities.models import Municipality

PAGE_SIZE = 25
PAGE_PARAMETER = "pagina"


@rule_required("registry.view")
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
    return render(request, "municipalities/detail.html", context)


@rule_required("registry.view_prospects")
def prospects(request):
    in_band, approaching = selectors.prospect_lists()
    return render(
        request,
        "municipalities/prospects.html",
        {
            "in_band": in_band,
            "approaching": approaching,
            "recent_years": settings.M50_BAND_RECENT_YEARS,
            "forecast_years": settings.M50_BAND_FORECAST_YEARS,
        },
    )
