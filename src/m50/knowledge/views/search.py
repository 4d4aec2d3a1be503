"""The search page (``/zoeken/``): one Dutch search box over what the visitor may see, with
the hits ranked and marked, filters by kind, theme, pillar, year and municipality with their
counts, pages, and the municipalities the words name; and the suggestions its box in the
header shows while typing (``/zoeken/suggesties``, JSON, one query of the index).

A page costs the same queries for ten entries as for a hundred thousand: the counts and the
page of hits are one statement each (:mod:`m50.core.search.query`), and the labels of the
filters one query per facet.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from m50.core.access import rule_required
from m50.core.models import Theme
from m50.core.search import index
from m50.knowledge import search as library_search
from m50.knowledge.models import Kind
from m50.municipalities import selectors as registry
from m50.pillars import selectors as pillars

# The query string's names (Dutch, as the other pages) of the index's facets.
FILTERS = {
    "soort": "kind",
    "thema": "theme",
    "pijler": "pillar",
    "jaar": "year",
    "gemeente": "municipality",
}
FACET_LEGENDS = {
    "kind": _("Soort"),
    "theme": _("Thema"),
    "pillar": _("Pijler"),
    "year": _("Jaar"),
    "municipality": _("Gemeente"),
}
KIND_PARAMETER = "wat"  # the entry kind: knowledge, and what other apps put in the index
MUNICIPALITIES_SHOWN = 5
MAX_QUERY = 200  # characters of the search box kept in the page's links
SUGGESTIONS = 8
MIN_SUGGEST = 2  # characters typed before anything is suggested


class _SearchedPage:
    """The hits of one page, already searched, for Django's Paginator (which asks the count
    and slices the page): the page links of the other lists work unchanged."""

    def __init__(self, results):
        self.results = results

    def count(self) -> int:
        # An estimated total offers no more pages than the search will give.
        return min(self.results.total, self.results.pages * self.results.per_page)

    def __getitem__(self, _slice):
        return self.results.hits


def _labels(facets: dict[str, list[tuple[str, int]]]) -> dict[str, dict[str, str]]:
    """The names of the facets' values: themes, pillars and municipalities by their slug or
    code, one query each and only for the facets that have values."""
    labels: dict[str, dict[str, str]] = {"kind": {k.value: k.label for k in Kind}}
    if facets.get("theme"):
        labels["theme"] = dict(
            Theme.objects.filter(slug__in=[v for v, _n in facets["theme"]]).values_list(
                "slug", "name"
            )
        )
    if facets.get("pillar"):
        labels["pillar"] = dict(pillars.pillar_list().values_list("slug", "name"))
    if facets.get("municipality"):
        codes = [v for v, _n in facets["municipality"]]
        labels["municipality"] = dict(
            registry.municipality_queryset().filter(code__in=codes).values_list("code", "name")
        )
    return labels


def _toggled(query: QueryDict, parameter: str, value: str) -> str:
    """The query string with the filter ``parameter`` set to ``value``, or taken off when it
    is already that; back to the first page either way."""
    toggled = query.copy()
    toggled.pop("pagina", None)
    if toggled.get(parameter) == value:
        toggled.pop(parameter)
    else:
        toggled[parameter] = value
    return f"?{toggled.urlencode()}"


def _facet_groups(results, chosen: dict[str, str], query: QueryDict) -> list[dict]:
    """Per facet: its legend, and values with label, count, whether chosen and the link that
    chooses it (or takes it off); first what kind of thing was found."""
    labels = _labels(results.facets)
    kind_labels = index.kind_labels()
    groups = []
    if results.kinds:
        groups.append(
            {
                "legend": _("Wat"),
                "values": [
                    {
                        "label": kind_labels.get(kind, kind),
                        "count": count,
                        "chosen": chosen.get(KIND_PARAMETER) == kind,
                        "url": _toggled(query, KIND_PARAMETER, kind),
                    }
                    for kind, count in results.kinds
                ],
            }
        )
    for parameter, name in FILTERS.items():
        values = [
            {
                "label": labels.get(name, {}).get(value, value),
                "count": count,
                "chosen": chosen.get(parameter) == value,
                "url": _toggled(query, parameter, value),
            }
            for value, count in results.facets.get(name, [])
        ]
        if name == "year":
            values.sort(key=lambda v: v["label"], reverse=True)
        if values:
            groups.append({"legend": FACET_LEGENDS[name], "values": values})
    return groups


@rule_required("core.view_public")
def search(request):
    text = request.GET.get("zoek", "")[:MAX_QUERY].strip()
    chosen = {
        parameter: request.GET[parameter][:100]
        for parameter in (KIND_PARAMETER, *FILTERS)
        if request.GET.get(parameter, "").strip()
    }
    try:
        page_number = max(1, int(request.GET.get("pagina", "1")))
    except ValueError:
        page_number = 1
    context = {"text": text, "chosen": chosen, "searched": bool(text)}
    if text:
        results = library_search.search(
            user=request.user,
            text=text,
            filters={
                FILTERS[parameter]: value
                for parameter, value in chosen.items()
                if parameter in FILTERS
            },
            kinds=[chosen[KIND_PARAMETER]] if KIND_PARAMETER in chosen else None,
            page=page_number,
        )
        page = Paginator(_SearchedPage(results), results.per_page).get_page(results.page)
        context.update(
            results=results,
            page=page,
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            hits=[
                {"hit": hit, "kind": index.kind_labels().get(hit.kind, hit.kind)}
                for hit in results.hits
            ],
            facet_groups=_facet_groups(results, chosen, request.GET),
            municipalities=list(
                registry.municipalities_by_typed_name(text=text)[:MUNICIPALITIES_SHOWN]
            ),
        )
    return render(request, "knowledge/search.html", context)


@rule_required("search.suggest")
def suggestions(request):
    """Type-ahead for the header's search box, as JSON: at most eight of what the visitor may
    see, the last word a prefix. Per user, so never stored by a cache."""
    text = request.GET.get("zoek", "")[:MAX_QUERY].lstrip()
    found = []
    if len(text.strip()) >= MIN_SUGGEST:
        labels = index.kind_labels()
        found = [
            {"title": hit.title, "kind": str(labels.get(hit.kind, hit.kind)), "url": hit.url}
            for hit in library_search.suggest(user=request.user, text=text, limit=SUGGESTIONS)
        ]
    response = JsonResponse(found, safe=False)
    response["Cache-Control"] = "private, no-store"
    return response
