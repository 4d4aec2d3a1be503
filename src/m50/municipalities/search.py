"""The municipality registry in the platform's search index (:mod:`m50.core.search`): one
public entry per municipality, found by its official name, its names in use and its province.

Written when a municipality or one of its other names is saved (the model's ``save``, where its
search terms are kept in step too) and, after the reference loader's bulk writes, by
:func:`m50.core.search.index.kind_refresh`, which writes only the entries that differ.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from m50.core.formats import long_date
from m50.core.search import index
from m50.core.search.access import Access
from m50.municipalities.models import Municipality, MunicipalityAlias

SEARCH_KIND = "gemeente"


def _queryset():
    return Municipality.objects.select_related("province").prefetch_related(
        Prefetch("aliases", queryset=MunicipalityAlias.objects.order_by("name"))
    )


def entry_of(municipality: Municipality) -> index.EntryData:
    """The entry of ``municipality`` (its province and aliases fetched or prefetched)."""
    aliases = [alias.name for alias in municipality.aliases.all()]
    summary = _("Gemeente in %(province)s") % {"province": municipality.province.name}
    if municipality.dissolved_on:
        summary += ", " + _("opgeheven op %(date)s") % {
            "date": long_date(municipality.dissolved_on)
        }
    if aliases:
        # In the summary, not the body: the names people use are suggested as they type.
        summary += "; " + _("ook: %(names)s") % {"names": ", ".join(aliases)}
    return index.EntryData(
        kind=SEARCH_KIND,
        object_id=municipality.pk,
        title=municipality.name,
        summary=summary,
        body="\n".join([municipality.province.name, municipality.code]),
        url=reverse("municipalities:detail", kwargs={"code": municipality.code}),
        access=Access.PUBLIC,
        facets={"municipality": [municipality.code]},
    )


def entries() -> Iterator[index.EntryData]:
    for municipality in _queryset().order_by("pk").iterator(chunk_size=index.BATCH):
        yield entry_of(municipality)


def municipalities_index(*, municipality_ids: Iterable[int]) -> None:
    """Put these municipalities in the index as they are now (their names, province, end)."""
    for municipality in _queryset().filter(pk__in=list(municipality_ids)):
        index.entry_put(**entry_of(municipality).__dict__)


def refresh() -> int:
    """All municipalities' entries in step (after the reference loader's bulk writes)."""
    return index.kind_refresh(SEARCH_KIND)
