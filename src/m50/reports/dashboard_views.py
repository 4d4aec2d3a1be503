"""The bureau's dashboard and the network's year as pages. The figures come from
:mod:`m50.reports.dashboard`; the views only turn them into charts and tables."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.core.access import rule_required
from m50.core.formats import long_date
from m50.municipalities.charts import format_count
from m50.reports import annual, dashboard
from m50.reports.dashboard_charts import Series, grouped_bar_chart


def _euros(value: float) -> str:
    return f"€ {format_count(round(value))}"


def _figures(values) -> str:
    return "; ".join(values)


def _quarters(quarters: list[tuple[int, int]]) -> list[tuple[str, str]]:
    """ "K1" over its year, the year written under the first quarter and every first one."""
    return [
        (f"K{quarter}", str(year) if index == 0 or quarter == 1 else "")
        for index, (year, quarter) in enumerate(quarters)
    ]


def _status_chart(data: dashboard.Dashboard):
    points = data.status_points
    if not data.has_members:
        return None
    return grouped_bar_chart(
        chart_id="leden-grafiek",
        title=_("Leden en aspirant-leden aan het eind van elk kwartaal"),
        description=_(
            "Staafdiagram; per kwartaal een staaf voor de leden en een voor de aspirant-leden. "
            "Per kwartaal: %(values)s."
        )
        % {
            "values": _figures(
                _("%(label)s: %(members)s leden, %(aspirants)s aspirant-leden")
                % {"label": p.label, "members": p.members, "aspirants": p.aspirants}
                for p in points
            )
        },
        categories=_quarters([(p.day.year, (p.day.month - 1) // 3 + 1) for p in points]),
        series=[
            Series(_("leden"), "m50-series--member", [p.members for p in points]),
            Series(_("aspirant-leden"), "m50-series--aspirant", [p.aspirants for p in points]),
        ],
    )


def _contribution_chart(data: dashboard.Dashboard):
    rows = data.contributions
    if not rows:
        return None
    return grouped_bar_chart(
        chart_id="contributie-grafiek",
        title=_("Contributie per jaar: gefactureerd, betaald en openstaand"),
        description=_("Staafdiagram; per contributiejaar drie staven. Per jaar: %(values)s.")
        % {
            "values": _figures(
                _("%(year)s: %(invoiced)s gefactureerd, %(paid)s betaald, %(open)s open")
                % {
                    "year": row.year,
                    "invoiced": _euros(row.invoiced),
                    "paid": _euros(row.paid),
                    "open": _euros(row.open),
                }
                for row in rows
            )
        },
        categories=[str(row.year) for row in rows],
        series=[
            Series(_("gefactureerd"), "m50-series--invoiced", [row.invoiced for row in rows]),
            Series(_("betaald"), "m50-series--paid", [row.paid for row in rows]),
            Series(_("openstaand"), "m50-series--open", [row.open for row in rows]),
        ],
        label=_euros,
    )


def _attendance_chart(data: dashboard.Dashboard):
    rows = data.quarters
    if not rows:
        return None
    return grouped_bar_chart(
        chart_id="aanwezigheid-grafiek",
        title=_("Aanwezigen bij activiteiten per kwartaal"),
        description=_("Staafdiagram; per kwartaal het aantal aanwezigen. Per kwartaal: %(values)s.")
        % {
            "values": _figures(
                _("%(label)s: %(attendance)s aanwezigen bij %(activities)s activiteiten")
                % {"label": r.label, "attendance": r.attendance, "activities": r.activities}
                for r in rows
            )
        },
        categories=_quarters([(row.year, row.quarter) for row in rows]),
        series=[Series(_("aanwezigen"), "m50-series--member", [r.attendance for r in rows])],
    )


def _contacts_chart(data: dashboard.Dashboard):
    rows = data.months
    if not rows:
        return None
    return grouped_bar_chart(
        chart_id="contacten-grafiek",
        title=_("Contactmomenten van public affairs per maand"),
        description=_("Staafdiagram; per maand het aantal contactmomenten. Per maand: %(values)s.")
        % {"values": _figures(f"{row.label}: {row.count}" for row in rows)},
        categories=[
            (row.short, str(row.year) if index == 0 or row.month == 1 else "")
            for index, row in enumerate(rows)
        ],
        series=[Series(_("contactmomenten"), "m50-series--member", [r.count for r in rows])],
    )


@rule_required("reports.view_dashboard")
def dashboard_view(request):
    data = dashboard.dashboard()
    return render(
        request,
        "reports/dashboard.html",
        {
            "data": data,
            "stand": long_date(data.today),
            "horizon": dashboard.MANDATE_HORIZON_DAYS,
            "status_chart": _status_chart(data),
            "contribution_chart": _contribution_chart(data),
            "attendance_chart": _attendance_chart(data),
            "contacts_chart": _contacts_chart(data),
            "years": list(range(data.today.year, data.today.year - 4, -1)),
            "title": _("Dashboard van het netwerk"),
        },
    )


def _network_year_or_404(year: int):
    today = timezone.localdate()
    if not settings.M50_NETWORK_FOUNDED.year <= year <= today.year:
        raise Http404
    return today


@rule_required("reports.view_network_year")
def network_year_view(request, year: int):
    today = _network_year_or_404(year)
    data = dashboard.network_year(year=year, today=today)
    return render(
        request,
        "reports/network_year.html",
        {
            "data": data,
            "change_groups": [
                (_("Aspirant-lid geworden"), data.joined_aspirant),
                (_("Definitief lid geworden"), data.joined_member),
                (_("Lidmaatschap voortgezet na herindeling"), data.continued),
                (_("Lidmaatschap beëindigd"), data.left),
            ],
            "stand": long_date(data.end),
            "previous": year - 1 if year - 1 >= settings.M50_NETWORK_FOUNDED.year else None,
            "next": year + 1 if year + 1 <= today.year else None,
            "title": _("Het netwerk in %(year)s") % {"year": year},
        },
    )


@rule_required("reports.view_network_year")
def network_year_file(request, year: int):
    """The year page's figures as the annual report: ``?formaat=docx`` (the default) or
    ``?formaat=pdf``."""
    today = _network_year_or_404(year)
    file_format = request.GET.get("formaat", "docx")
    if file_format not in annual.FORMATS:
        raise Http404
    data, content_type, extension = annual.annual_report_file(
        year=year, file_format=file_format, today=today
    )
    response = HttpResponse(data, content_type=content_type)
    filename = annual.annual_report_filename(year, extension)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
