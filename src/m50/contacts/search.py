"""Organisations and people in the platform's search index (:mod:`m50.core.search`).

Both are for logged-in users only, as their pages (``contacts.view``): NETWORK. The index never
holds contact details (e-mail address, telephone number): whoever finds a person opens their
page, which shows those only to who may see them. A person's entry holds their name and the
functions they hold or will hold (not the ended ones), with their organisations.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from m50.contacts.models import Organisation, Person, Position
from m50.core.search import index
from m50.core.search.access import Access

ORGANISATION_KIND = "organisatie"
PERSON_KIND = "persoon"


def _organisations():
    return Organisation.objects.select_related("municipality")


def organisation_entry(organisation: Organisation) -> index.EntryData:
    municipality = organisation.municipality
    return index.EntryData(
        kind=ORGANISATION_KIND,
        object_id=organisation.pk,
        title=organisation.name,
        summary=organisation.get_kind_display(),
        # Not the municipality's name: a rename in the registry would leave this entry behind
        # (a municipality's organisation carries that name in its own, from the seed).
        body="\n".join(
            part for part in (organisation.abbreviation, organisation.description) if part
        ),
        url=reverse("contacts:organisation_detail", kwargs={"slug": organisation.slug}),
        access=Access.NETWORK,
        facets={
            "kind": [organisation.kind],
            **({"municipality": [municipality.code]} if municipality else {}),
        },
    )


def _not_ended(on: datetime.date | None = None) -> Q:
    on = on or timezone.localdate()
    return Q(end_date__isnull=True) | Q(end_date__gte=on)


def _people():
    positions = (
        Position.objects.filter(_not_ended())
        .select_related("organisation__municipality")
        .order_by("organisation__name", "function", "pk")
    )
    return Person.objects.prefetch_related(Prefetch("positions", queryset=positions))


def person_entry(person: Person) -> index.EntryData:
    """The entry of ``person`` (their not-ended positions prefetched as ``_people`` does)."""
    positions = list(person.positions.all())
    functions = [
        f"{position.title or position.get_function_display()}, {position.organisation.name}"
        for position in positions
    ]
    codes = sorted(
        {p.organisation.municipality.code for p in positions if p.organisation.municipality}
    )
    return index.EntryData(
        kind=PERSON_KIND,
        object_id=person.pk,
        title=person.full_name,
        summary="; ".join(functions),
        body="\n".join(
            part
            for position in positions
            for part in (position.get_function_display(), position.portfolio)
            if part
        ),
        url=reverse("contacts:person_detail", kwargs={"pk": person.pk}),
        access=Access.NETWORK,
        facets={
            "kind": sorted({position.function for position in positions}),
            **({"municipality": codes} if codes else {}),
        },
    )


def organisation_entries() -> Iterator[index.EntryData]:
    for organisation in _organisations().order_by("pk").iterator(chunk_size=index.BATCH):
        yield organisation_entry(organisation)


def person_entries() -> Iterator[index.EntryData]:
    for person in _people().order_by("pk").iterator(chunk_size=index.BATCH):
        yield person_entry(person)


def organisation_index(organisation: Organisation) -> None:
    """Put ``organisation`` in the index as it is now, and the people working there (their
    entries name it)."""
    index.entry_put(**organisation_entry(_organisations().get(pk=organisation.pk)).__dict__)
    people_index(person_ids=Position.objects.filter(organisation=organisation).values("person_id"))


def people_index(*, person_ids: Iterable[int]) -> None:
    for person in _people().filter(pk__in=person_ids):
        index.entry_put(**person_entry(person).__dict__)


def person_index(person: Person) -> None:
    people_index(person_ids=[person.pk])


def person_unindex(*, person_id: int) -> None:
    index.entry_delete(kind=PERSON_KIND, object_id=person_id)


def organisations_refresh() -> int:
    """Organisations and people in step after a bulk write of organisations (the reference
    seed): only what differs is written."""
    return index.kind_refresh(ORGANISATION_KIND) + index.kind_refresh(PERSON_KIND)
