"""The participation matrix: member and aspirant municipalities × running pillars and theme
groups, filtered, paginated, and exported as CSV and XLSX."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from m50.core.access import rule_required
from m50.membership import rules as membership_rules
from m50.municipalities import selectors as registry
from m50.pillars import exports, selectors
from m50.pillars.forms import MatrixFilterForm
from m50.pillars.views._common import (
    MATRIX_PAGE_SIZE,
    PAGE_PARAMETER,
    _chair_key,
    _count_parts,
    _is_pillar,
    body_url,
)

MATRIX_STATUSES = {
    MatrixFilterForm.ALL: None,
    MatrixFilterForm.MEMBER: (membership_rules.Status.MEMBER,),
    MatrixFilterForm.ASPIRANT: (membership_rules.Status.ASPIRANT,),
}


@rule_required("pillars.view_participants")
def matrix(request):
    today = timezone.localdate()
    form = MatrixFilterForm(request.GET, provinces=registry.province_list())
    form.is_valid()  # An invalid filter is reported; the others still apply.
    filters = form.filters()
    municipalities = selectors.matrix_municipalities(
        on=today,
        statuses=MATRIX_STATUSES[filters["status"]],
        province=filters["province"],
        band=filters["band"],
    )
    bodies = selectors.matrix_bodies(on=today)
    export_format = request.GET.get("formaat", "")
    if export_format in exports.FORMATS:
        return exports.export_response(
            municipalities, bodies, selectors.matrix_cells(on=today), export_format, today=today
        )
    paginator = Paginator(municipalities, MATRIX_PAGE_SIZE)
    page = paginator.get_page(request.GET.get(PAGE_PARAMETER))
    cells = selectors.matrix_cells(municipality_ids=[m.pk for m in page.object_list], on=today)
    keys = [_chair_key(b) for b in bodies]
    rows = [
        {
            "municipality": m,
            "status": membership_rules.STATUS_LABELS.get(m.membership_status, ""),
            "cells": [
                {
                    "total": sum(cells.get(m.pk, {}).get(key, {}).values()),
                    "parts": _count_parts(cells.get(m.pk, {}).get(key, {})),
                }
                for key in keys
            ],
        }
        for m in page.object_list
    ]
    return render(
        request,
        "pillars/matrix.html",
        {
            "form": form,
            "columns": [
                {"body": b, "url": body_url(b), "is_pillar": _is_pillar(b)} for b in bodies
            ],
            "rows": rows,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "unknown_format": export_format,
            "without_pillar": municipalities.filter(in_pillar=False).count(),
            "today": today,
        },
    )
