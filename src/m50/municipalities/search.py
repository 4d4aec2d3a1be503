"""The municipality registry in the platform's search index (:mod:`m50.core.search`): one
public entry per municipality, found by its official name, its names in use and its province.

Written when a municipality or one of its other names is saved (the model's ``save``, where its
search terms are kept in step too) and, after the reference loader's bulk writes, by
:func:`kind_refresh`, which writes only the entries that differ.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from m50.core.formats import long_date
from m50.core.models import SearchEntry, SearchEntryFacet
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
    return index.EntryData(
        kind=SEARCH_KIND,
        object_id=municipality.pk,
        title=municipality.name,
        summary=summary,
        body="\n".join([*aliases, municipality.province.name, municipality.code]),
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


def kind_refresh(kind: str, entries: Callable[[], Iterable[index.EntryData]]) -> int:
    """Bring the entries of ``kind`` in step with ``entries()`` after a bulk write, writing
    only what differs (a load of current data reads and writes nothing else). Returns the
    number of entries written or removed."""
    stored = {
        row["object_id"]: row
        for row in SearchEntry.objects.filter(kind=kind).values("object_id", *index._FIELDS)
    }
    facets: dict[int, list[tuple[str, str]]] = {}
    for object_id, name, value in (
        SearchEntryFacet.objects.filter(entry__kind=kind)
        .order_by("entry_id", "facet__name", "facet__value")
        .values_list("entry__object_id", "facet__name", "facet__value")
    ):
        facets.setdefault(object_id, []).append((name, value))
    written = 0
    for data in entries():
        # The index's own cleaning, so the comparison is the one `--check` makes.
        entry, pairs = index._clean(data)
        row = stored.pop(entry.object_id, None)
        if (
            row is None
            or any(row[f] != getattr(entry, f) for f in index._FIELDS)
            or pairs != facets.get(entry.object_id, [])
        ):
            index.entry_put(**data.__dict__)
            written += 1
    for object_id in stored:
        index.entry_delete(kind=kind, object_id=object_id)
    return written + len(stored)


def refresh() -> int:
    """All municipalities' entries in step (after the reference loader's bulk writes)."""
    return kind_refresh(SEARCH_KIND, entries)
