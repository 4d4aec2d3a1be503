"""Reads of organisations, people and positions."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from m50.contacts.models import Organisation, Person, Position

# Public (Dutch) names of the kinds of organisation, as used in links and the API.
KIND_PARAMETERS = {
    "gemeente": Organisation.Kind.MUNICIPALITY,
    "ministerie": Organisation.Kind.MINISTRY,
    "partnernetwerk": Organisation.Kind.PARTNER_NETWORK,
    "kennispartner": Organisation.Kind.KNOWLEDGE_PARTNER,
    "fractie": Organisation.Kind.PARLIAMENTARY_GROUP,
    "overig": Organisation.Kind.OTHER,
}


def organisation_list(*, search: str = "", kind: str = "") -> QuerySet[Organisation]:
    qs = Organisation.objects.select_related("municipality", "network").order_by("name", "pk")
    if search:
        term = search.strip()
        qs = qs.filter(Q(name__icontains=term) | Q(abbreviation__iexact=term))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def _positions_with_people() -> QuerySet[Position]:
    return Position.objects.select_related("person").order_by(
        "end_date", "-start_date", "person__surname"
    )


def organisation_detail(*, slug: str) -> Organisation:
    return (
        Organisation.objects.select_related("municipality", "network")
        .prefetch_related(Prefetch("positions", queryset=_positions_with_people()))
        .get(slug=slug)
    )


def person_detail(*, pk: int) -> Person:
    return Person.objects.prefetch_related(
        Prefetch(
            "positions",
            queryset=Position.objects.select_related("organisation").order_by(
                "end_date", "-start_date"
            ),
        )
    ).get(pk=pk)


def positions_at_municipality(*, municipality_id: int) -> QuerySet[Position]:
    return _positions_with_people().filter(organisation__municipality_id=municipality_id)


def split_current(
    positions, on: datetime.date | None = None
) -> tuple[list[Position], list[Position]]:
    """(current, past) from an already-fetched iterable of positions; no queries.

    Current ones latest start first, past ones latest end first. Sorted here rather than in
    SQL because databases disagree on where an empty date sorts.
    """
    on = on or timezone.localdate()
    current, past = [], []
    for position in positions:
        (current if position.is_current(on) else past).append(position)
    current.sort(key=lambda p: p.start_date or datetime.date.min, reverse=True)
    past.sort(key=lambda p: p.end_date or datetime.date.min, reverse=True)
    return current, past


def has_not_ended(position: Position, on: datetime.date | None = None) -> bool:
    """Whether the position runs now or is still to start; no queries."""
    on = on or timezone.localdate()
    return position.end_date is None or position.end_date >= on


def person_at_municipality(
    *, person_id: int, municipality_id: int | None, on: datetime.date | None = None
) -> bool:
    """Whether the person holds a position at the municipality's own organisation now (or one
    still to start). A past position does not count: who moved on is another municipality's."""
    if municipality_id is None:
        return False
    on = on or timezone.localdate()
    return (
        Position.objects.filter(person_id=person_id, organisation__municipality_id=municipality_id)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .exists()
    )


def municipal_organisations(*, municipality_id: int | None) -> list[Organisation]:
    """The organisation of a municipality, as a list of zero or one."""
    if municipality_id is None:
        return []
    return list(Organisation.objects.filter(municipality_id=municipality_id).only("pk", "name"))


def organisation_choices() -> list[Organisation]:
    """Every organisation, by name, with only what a select needs."""
    return list(Organisation.objects.only("pk", "name").order_by("name", "pk"))


def position_detail(*, pk: int) -> Position:
    return Position.objects.select_related("person", "organisation").get(pk=pk)


def current_positions_of_person(
    *, person_id: int, on: datetime.date | None = None
) -> QuerySet[Position]:
    """The person's positions running on ``on``: a queryset other apps use as a subquery."""
    return Position.objects.current(on).filter(person_id=person_id)


def person_search(*, search: str, limit: int = 25) -> list[Person]:
    """People whose name holds every word of ``search`` (for a form that picks a person), by
    surname, with their current positions and organisations: two queries."""
    words = search.split()
    if not words:
        return []
    queryset = Person.objects.all()
    for word in words[:5]:
        queryset = queryset.filter(
            Q(given_name__icontains=word)
            | Q(surname__icontains=word)
            | Q(surname_prefix__icontains=word)
        )
    return list(
        queryset.prefetch_related(
            Prefetch(
                "positions",
                queryset=Position.objects.current().select_related("organisation"),
                to_attr="current_positions",
            )
        ).order_by("surname", "given_name", "pk")[:limit]
    )


def people_by_pk(*, pks) -> list[Person]:
    """The people of ``pks`` with their current positions, as :func:`person_search` gives."""
    return list(
        Person.objects.filter(pk__in=pks)
        .prefetch_related(
            Prefetch(
                "positions",
                queryset=Position.objects.current().select_related("organisation"),
                to_attr="current_positions",
            )
        )
        .order_by("surname", "given_name", "pk")
    )


def person_choices(
    *,
    municipality_id: int | None = None,
    network_code: str = "",
    everyone: bool = False,
    on: datetime.date | None = None,
) -> QuerySet[Person]:
    """People with a position that has not ended (a contact who can still be called), for a
    form that names one, by surname: at any organisation (``everyone``), or at the
    organisation of the municipality ``municipality_id`` or of the network ``network_code``.
    With their not-ended positions and organisations prefetched as ``current_positions``; no
    query of its own (two when read)."""
    on = on or timezone.localdate()
    not_ended = Position.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
    if not everyone:
        where = Q(pk__in=[])
        if municipality_id is not None:
            where |= Q(organisation__municipality_id=municipality_id)
        if network_code:
            where |= Q(organisation__network__code=network_code)
        not_ended = not_ended.filter(where)
    return (
        Person.objects.filter(Exists(not_ended.filter(person=OuterRef("pk"))))
        .prefetch_related(
            Prefetch(
                "positions",
                queryset=not_ended.select_related("organisation").order_by(
                    "organisation__name", "pk"
                ),
                to_attr="current_positions",
            )
        )
        .order_by("surname", "given_name", "pk")
    )
