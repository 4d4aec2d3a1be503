"""Reading one saved page of the Gegevensmagazijn's OData API (a JSON file) into records.

A page is at most 250 records (the API's page size), so ``json.load`` of one file is bounded
and the sync reads a directory file by file: memory stays that of one page, however many files.
(A streaming parser such as ijson is not available, and not needed at this size.)

Accepted shapes:

* the API's envelope ``{"@odata.context": ".../$metadata#Stemming(Besluit(...))", "value":
  [...]}``: the entity is the name after ``#``; the expanded records are nested in each record;
* the same envelope inside a saved capture ``{"url": ..., "status": ..., "data": {...}}``;
* without the envelope (a bare ``value`` list, or a single record), only when the file's name
  begins with the entity's name (``zaak_...json``, ``Stemming-3.json``); otherwise the file is
  refused, as the entity cannot be told.

The service document (the list of entity sets) holds no records and is passed over.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

# The entities the sync stores, in the order their records are applied within a page: what
# others point to comes first.
ENTITIES = (
    "Fractie",
    "Commissie",
    "Persoon",
    "FractieZetelPersoon",
    "CommissieZetelVastPersoon",
    "CommissieZetelVervangerPersoon",
    "Zaak",
    "ZaakActor",
    "Besluit",
    "Stemming",
    "Activiteit",
)
_BY_LOWER = {name.lower(): name for name in ENTITIES}
_CONTEXT = re.compile(r"\$metadata#([A-Za-z]+)")
_FILE_NAME = re.compile(r"[A-Za-z]+")


class PageError(Exception):
    """A file that is not a page the sync can read; nothing of it is applied."""


@dataclass
class Page:
    entity: str | None  # None: a page without records of an entity (the service document)
    records: list[dict]
    next_link: str = ""
    # {entity: {id: record}}: the page's records and the expanded ones inside them.
    by_entity: dict[str, dict[str, dict]] = field(default_factory=dict)


def entity_from_context(context: str) -> str | None:
    match = _CONTEXT.search(context)
    return match.group(1) if match else None


def entity_from_file_name(path: Path) -> str | None:
    match = _FILE_NAME.match(path.name)
    return _BY_LOWER.get(match.group(0).lower()) if match else None


def page_parse(data, *, name: str, path: Path | None = None) -> Page:
    """The page in ``data`` (parsed JSON); ``name`` names it in messages."""
    if isinstance(data, dict) and "data" in data and "url" in data and "@odata.context" not in data:
        data = data["data"]
    entity = None
    next_link = ""
    if isinstance(data, dict) and "@odata.context" in data:
        context = data["@odata.context"]
        if not isinstance(context, str):
            raise PageError(_("%(file)s: @odata.context is geen tekst.") % {"file": name})
        entity = entity_from_context(context)
        records = data.get("value")
        if not isinstance(records, list):
            raise PageError(_("%(file)s: 'value' ontbreekt of is geen lijst.") % {"file": name})
        if entity is None:
            if context.rstrip("/").endswith("$metadata"):
                return Page(entity=None, records=[])
            raise PageError(
                _("%(file)s: uit @odata.context '%(context)s' blijkt geen entiteit.")
                % {"file": name, "context": context}
            )
        next_link = data.get("@odata.nextLink") or ""
    else:
        entity = entity_from_file_name(path) if path is not None else None
        if entity is None:
            raise PageError(
                _(
                    "%(file)s: geen OData-envelop met @odata.context, en de bestandsnaam begint "
                    "niet met een bekende entiteit (%(entities)s); niet te zeggen wat erin staat."
                )
                % {"file": name, "entities": ", ".join(ENTITIES)}
            )
        if isinstance(data, dict) and isinstance(data.get("value"), list):
            records = data["value"]
        elif isinstance(data, dict):
            records = [data]
        elif isinstance(data, list):
            records = data
        else:
            raise PageError(_("%(file)s: geen lijst of object met records.") % {"file": name})
    page = Page(entity=entity, records=records, next_link=next_link)
    page.by_entity = collect(entity, records, name=name)
    return page


def page_load(content: bytes, *, path: Path) -> Page:
    """The page in ``content``, the bytes of the file at ``path``."""
    try:
        data = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PageError(
            _("%(file)s: geen geldige JSON (%(error)s).") % {"file": path.name, "error": exc}
        ) from exc
    return page_parse(data, name=path.name, path=path)


# Per entity (or container the sync does not store), the navigation properties that can hold
# records it keeps: only these are looked into, a page holds 250 records or more.
NESTED = {
    "Stemming": ("Besluit", "Fractie", "Persoon"),
    "Besluit": ("Agendapunt", "Zaak"),
    "Agendapunt": ("Zaak",),
    "Zaak": ("ZaakActor",),
    "ZaakActor": ("Persoon", "Fractie", "Commissie"),
    "FractieZetelPersoon": ("FractieZetel", "Persoon"),
    "FractieZetel": ("Fractie",),
    "CommissieZetelVastPersoon": ("CommissieZetel", "Persoon"),
    "CommissieZetelVervangerPersoon": ("CommissieZetel", "Persoon"),
    "CommissieZetel": ("Commissie",),
}


def _check_id(record, entity: str, name: str) -> str:
    """The record's ``Id`` in its canonical (lower-case) form."""
    if not isinstance(record, dict):
        raise PageError(
            _("%(file)s: een record van %(entity)s is geen object.")
            % {"file": name, "entity": entity}
        )
    value = record.get("Id")
    # Only its form here; the sync refuses an Id that is no UUID when it needs one.
    if isinstance(value, str) and len(value) == 36:
        return value.lower()
    raise PageError(
        _("%(file)s: record van %(entity)s zonder geldig Id (%(value)s).")
        % {"file": name, "entity": entity, "value": value}
    )


def collect(entity: str, records: list, *, name: str) -> dict[str, dict[str, dict]]:
    """Every record of the page by entity and id, the expanded ones (``Stemming(Besluit(
    Agendapunt(Zaak())))``) included, each once. Containers the sync does not store
    (``Agendapunt``, ``CommissieZetel``) are looked into for the entities they hold."""
    found: dict[str, dict[str, dict]] = {kind: {} for kind in ENTITIES}

    def visit(kind: str, record) -> None:
        if kind in found:
            # ``$expand=Zaak($select=Id)`` gives a link, not a record: the parent reads it.
            if isinstance(record, dict) and len(record) == 1 and "Id" in record:
                return
            found[kind][_check_id(record, kind, name)] = record
        elif not isinstance(record, dict):
            return
        for key in NESTED.get(kind, ()):
            value = record.get(key)
            if isinstance(value, dict):
                visit(key, value)
            elif isinstance(value, list):
                for item in value:
                    visit(key, item)

    if entity not in ENTITIES:
        return {}
    # The page's own records inline (a function call each costs as much as the rest).
    bucket = found[entity]
    nested_keys = NESTED.get(entity, ())
    for record in records:
        identifier = record.get("Id") if type(record) is dict else None
        if type(identifier) is str and len(identifier) == 36:
            bucket[identifier.lower()] = record
        else:
            bucket[_check_id(record, entity, name)] = record
        for key in nested_keys:
            value = record.get(key)
            if value is not None:
                if isinstance(value, list):
                    for item in value:
                        visit(key, item)
                else:
                    visit(key, value)
    return {kind: found[kind] for kind in ENTITIES if found[kind]}
