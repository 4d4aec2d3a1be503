"""Keeping the search index in step: one entry per object, written by its app's services.

``entry_put`` and ``entry_delete`` run inside the caller's transaction, so an entry changes
exactly when its object does. Each app registers a provider of all its entries in its
``AppConfig.ready()``; ``m50 rebuild-search-index`` rebuilds (or checks) the index from them.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from m50.core.models import SearchEntry, SearchEntryFacet, SearchFacet
from m50.core.search import backends
from m50.core.search.access import Access
from m50.core.search.normalise import normalise

BATCH = 1_000


@dataclass(frozen=True)
class EntryData:
    """One entry as a provider yields it: the arguments of :func:`entry_put`."""

    kind: str
    object_id: int
    title: str
    url: str
    access: Access | str
    summary: str = ""
    body: str = ""
    pillar_id: int | None = None
    group_id: int | None = None
    date: datetime.date | None = None
    facets: Mapping[str, list[str]] | None = field(default=None)


_providers: dict[str, Callable[[], Iterable[EntryData]]] = {}
# Per kind: its name on the search page, and the objects a user may see of it (a queryset of
# ids, for the kind's RESTRICTED entries: its own rule, written once in its app).
_labels: dict[str, str] = {}
_visible: dict[str, Callable[[object], QuerySet]] = {}


def provider_register(
    kind: str,
    entries: Callable[[], Iterable[EntryData]],
    *,
    label: str = "",
    visible: Callable[[object], QuerySet] | None = None,
) -> None:
    """Register the callable yielding every entry of ``kind`` (again: replaces it), the kind's
    name for the search page, and ``visible(user)``: the ids of its objects ``user`` may see,
    which decides who sees its RESTRICTED entries."""
    _providers[kind] = entries
    _labels[kind] = label or kind
    if visible is not None:
        _visible[kind] = visible
    else:
        _visible.pop(kind, None)


def providers() -> dict[str, Callable[[], Iterable[EntryData]]]:
    return dict(_providers)


def kind_labels() -> dict[str, str]:
    """The registered kinds' names for the search page."""
    return dict(_labels)


def restricted_for(user) -> dict[str, QuerySet]:
    """Per kind, the subquery of the objects ``user`` may see (no query of its own), for
    :func:`m50.core.search.query.search`'s ``restricted``."""
    return {kind: visible(user) for kind, visible in sorted(_visible.items())}


def _text(value: str | None) -> str:
    # One composed form, so the snippets' word positions are those of the folded text's words.
    return unicodedata.normalize("NFC", value or "")


def _access(value: Access | str) -> Access:
    """An access level by value ("public") or by name ("PUBLIC"), as providers give it."""
    if isinstance(value, str) and value not in Access.values:
        return Access[value.upper()]
    return Access(value)


def _clean(data: EntryData) -> tuple[SearchEntry, list[tuple[str, str]]]:
    """The entry row (unsaved) and its facet pairs; bad data raises ValidationError."""
    if not data.kind or len(data.kind) > 40:
        raise ValidationError(_("De soort van een zoekindexregel is leeg of te lang."))
    try:
        access = _access(data.access)
    except (KeyError, ValueError):
        raise ValidationError(
            _("Onbekend toegangsniveau voor de zoekindex: %(access)s.") % {"access": data.access}
        ) from None
    if not data.url:
        raise ValidationError(_("Een zoekindexregel heeft een adres nodig."))
    facets: set[tuple[str, str]] = set()
    for name, values in (data.facets or {}).items():
        if isinstance(values, str):
            values = [values]
        for value in values:
            if not name or len(name) > 40 or not str(value) or len(str(value)) > 200:
                raise ValidationError(
                    _("Ongeldig facet %(name)s=%(value)s.") % {"name": name, "value": value}
                )
            facets.add((name, str(value)))
    entry = SearchEntry(
        kind=data.kind,
        object_id=int(data.object_id),
        title=_text(data.title)[:500],
        summary=_text(data.summary),
        body=_text(data.body),
        url=data.url,
        access=access.value,
        pillar_id=data.pillar_id,
        group_id=data.group_id,
        date=data.date,
    )
    return entry, sorted(facets)


def _facet_ids(pairs: Iterable[tuple[str, str]], known: dict[tuple[str, str], int]) -> None:
    """Add the ids of the facet values ``pairs`` to ``known``, creating the new ones."""
    missing = sorted(set(pairs) - known.keys())
    if not missing:
        return
    SearchFacet.objects.bulk_create(
        [SearchFacet(name=name, value=value) for name, value in missing], ignore_conflicts=True
    )
    for start in range(0, len(missing), 200):
        wanted = Q()
        for name, value in missing[start : start + 200]:
            wanted |= Q(name=name, value=value)
        for pk, name, value in SearchFacet.objects.filter(wanted).values_list(
            "pk", "name", "value"
        ):
            known[(name, value)] = pk


def _document(entry: SearchEntry) -> tuple[int, str, str, str]:
    return (entry.pk, normalise(entry.title), normalise(entry.summary), normalise(entry.body))


@transaction.atomic
def entry_put(
    *,
    kind: str,
    object_id: int,
    title: str,
    summary: str = "",
    body: str = "",
    url: str,
    access: Access | str,
    pillar_id: int | None = None,
    group_id: int | None = None,
    date: datetime.date | None = None,
    facets: dict[str, list[str]] | None = None,
) -> None:
    """Replace the entry of (kind, object_id), its facets and its full-text document."""
    entry, pairs = _clean(
        EntryData(
            kind=kind,
            object_id=object_id,
            title=title,
            summary=summary,
            body=body,
            url=url,
            access=access,
            pillar_id=pillar_id,
            group_id=group_id,
            date=date,
            facets=facets,
        )
    )
    fields = {f: getattr(entry, f) for f in _FIELDS}
    stored, created = SearchEntry.objects.update_or_create(
        kind=entry.kind, object_id=entry.object_id, defaults=fields
    )
    if not created:
        SearchEntryFacet.objects.filter(entry=stored).delete()
    known: dict[tuple[str, str], int] = {}
    _facet_ids(pairs, known)
    SearchEntryFacet.objects.bulk_create(
        SearchEntryFacet(entry=stored, facet_id=known[pair]) for pair in pairs
    )
    backends.documents_write([_document(stored)])


_FIELDS = ("title", "summary", "body", "url", "access", "pillar_id", "group_id", "date")


@transaction.atomic
def entry_delete(*, kind: str, object_id: int) -> None:
    """Remove the entry of (kind, object_id), if there is one (its facets and document too)."""
    SearchEntry.objects.filter(kind=kind, object_id=object_id).delete()


def _expected(kinds: Iterable[str]) -> Iterable[tuple[SearchEntry, list[tuple[str, str]]]]:
    for kind in kinds:
        for data in _providers[kind]():
            if isinstance(data, Mapping):
                data = EntryData(**{"kind": kind, **data})
            if data.kind != kind:
                raise ValidationError(
                    _("De bron van %(kind)s gaf een regel van soort %(other)s.")
                    % {"kind": kind, "other": data.kind}
                )
            yield _clean(data)


@dataclass
class KindReport:
    kind: str
    entries: int = 0  # what the provider gives
    missing: int = 0  # given but not in the index
    different: int = 0  # in the index, but not as given
    extra: int = 0  # in the index, but not given

    @property
    def differences(self) -> int:
        return self.missing + self.different + self.extra


def _stored_facets(kind: str) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = {}
    rows = (
        SearchEntryFacet.objects.filter(entry__kind=kind)
        .order_by("entry_id", "facet__name", "facet__value")
        .values_list("entry__object_id", "facet__name", "facet__value")
    )
    for object_id, name, value in rows.iterator(chunk_size=BATCH):
        found.setdefault(object_id, []).append((name, value))
    return found


def index_check() -> list[KindReport]:
    """Per kind (registered, or only in the index), how the index differs from its providers.

    A kind in the index that no provider gives is reported with all its entries as extra.
    """
    stored_kinds = set(SearchEntry.objects.values_list("kind", flat=True).distinct())
    reports = []
    for kind in sorted(set(_providers) | stored_kinds):
        report = KindReport(kind)
        stored = {
            row["object_id"]: row
            for row in SearchEntry.objects.filter(kind=kind).values("object_id", *_FIELDS)
        }
        stored_facets = _stored_facets(kind)
        if kind in _providers:
            for entry, pairs in _expected([kind]):
                report.entries += 1
                row = stored.pop(entry.object_id, None)
                if row is None:
                    report.missing += 1
                    continue
                same_fields = all(row[f] == getattr(entry, f) for f in _FIELDS)
                if not same_fields or pairs != stored_facets.get(entry.object_id, []):
                    report.different += 1
        report.extra = len(stored)
        reports.append(report)
    return reports


@transaction.atomic
def kind_refresh(kind: str) -> int:
    """Bring the entries of ``kind`` in step with its provider after a write that went around
    the services (a loader's bulk write, a data migration), writing only what differs: a load
    of current data writes nothing. Entries whose object is gone are removed. Returns the
    number of entries written or removed."""
    stored = {
        row["object_id"]: row
        for row in SearchEntry.objects.filter(kind=kind).values("object_id", *_FIELDS)
    }
    stored_facets = _stored_facets(kind)
    changed = 0
    for data in _providers[kind]():
        if isinstance(data, Mapping):
            data = EntryData(**{"kind": kind, **data})
        # The same cleaning as entry_put and index_check, so "the same" means the same.
        entry, pairs = _clean(data)
        row = stored.pop(entry.object_id, None)
        if (
            row is None
            or any(row[f] != getattr(entry, f) for f in _FIELDS)
            or pairs != stored_facets.get(entry.object_id, [])
        ):
            entry_put(**{f.name: getattr(data, f.name) for f in fields(EntryData)})
            changed += 1
    for object_id in sorted(stored):
        entry_delete(kind=kind, object_id=object_id)
    return changed + len(stored)


def index_documents_in_step() -> bool:
    """Whether every entry has its full-text document and no document is left without one."""
    return backends.documents_count() == SearchEntry.objects.count()


@transaction.atomic
def index_rebuild() -> list[KindReport]:
    """Replace the whole index with what the providers give, in one transaction.

    Returns, per kind, how many entries were written and how the old index differed.
    """
    reports = index_check()
    SearchEntryFacet.objects.all().delete()
    SearchEntry.objects.all().delete()
    SearchFacet.objects.all().delete()
    backends.documents_clear()
    batch: list[tuple[SearchEntry, list[tuple[str, str]]]] = []
    known: dict[tuple[str, str], int] = {}

    def flush() -> None:
        entries = SearchEntry.objects.bulk_create([entry for entry, _pairs in batch])
        _facet_ids((pair for _entry, pairs in batch for pair in pairs), known)
        SearchEntryFacet.objects.bulk_create(
            (
                SearchEntryFacet(entry=entry, facet_id=known[pair])
                for entry, (_unsaved, pairs) in zip(entries, batch, strict=True)
                for pair in pairs
            ),
            batch_size=BATCH * 10,
        )
        backends.documents_write([_document(entry) for entry in entries])
        batch.clear()

    for item in _expected(sorted(_providers)):
        batch.append(item)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    return reports
