from django.http import Http404
from django.shortcuts import render

from m50.core.access import rule_required
from m50.municipalities import selectors
from m50.municipalities.models import Municipality


@rule_required("registry.view")
def municipality_list(request):
    municipalities = selectors.municipality_list()
    return render(request, "municipalities/list.html", {"municipalities": municipalities[:50]})


@rule_required("registry.view")
def municipality_detail(request, code: str):
    try:
        municipality = selectors.municipality_detail(code=code)
    except Municipality.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "municipalities/detail.html", {"municipality": municipality})


@rule_required("registry.view_prospects")
def prospects(request):
    in_band, approaching = selectors.prospect_lists()
    return render(
        request, "municipalities/prospects.html", {"in_band": in_band, "approaching": approaching}
    )
