"""Reads of pillars, theme groups, participations and topics, for pages, API and exports.

Each read costs a fixed number of queries, whatever the number of participations: joins
and aggregates in the database, grouping in Python over one result.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import CharField, Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from m50.core.models import AuditEvent, Theme
from m50.membership import selectors as membership
from m50.municipalities import selectors as registry
from m50.pillars.models import (
    Category,
    Participation,
    ParticipationRequest,
    Pillar,
    PillarSuccession,
    Role,
    ThemeGroup,
    Topic,
    TopicStatus,
    running_q,
)


def _today(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


def _body_filter(body: Pillar | ThemeGroup) -> dict:
    return {"pillar": body} if isinstance(body, Pillar) else {"theme_group": body}


# --- Pillars and theme groups -----------------------------------------------------------------


def pillar_list(*, running: bool | None = None, on: datetime.date | None = None):
    """Pillars by name, the running ones first; ``running`` True/False keeps only those."""
    pillars = Pillar.objects.all()
    if running is not None:
        condition = running_q(_today(on))
        pillars = pillars.filter(condition) if running else pillars.exclude(condition)
    return pillars.order_by("ended", "name")


def pillar_detail(*, slug: str) -> Pillar:
    """One pillar (``Pillar.DoesNotExist`` if none)."""
    return Pillar.objects.get(slug=slug)


def theme_group_list(
    *,
    pillar: Pillar | None = None,
    network_wide: bool = False,
    running: bool | None = None,
    on: datetime.date | None = None,
) -> QuerySet[ThemeGroup]:
    """Theme groups, with their pillar: of ``pillar``, or only the network's own
    (``network_wide``), or all."""
    groups = ThemeGroup.objects.select_related("pillar")
    if pillar is not None:
        groups = groups.filter(pillar=pillar)
    elif network_wide:
        groups = groups.filter(pillar__isnull=True)
    if running is not None:
        condition = running_q(_today(on))
        groups = groups.filter(condition) if running else groups.exclude(condition)
    return groups.order_by("ended", "name")


def theme_group_detail(*, slug: str) -> ThemeGroup:
    return ThemeGroup.objects.select_related("pillar").get(slug=slug)


def open_participation_count(*, body: Pillar | ThemeGroup, on: datetime.date | None = None):
    """How many participations in ``body`` have not ended by ``on`` (running, or yet to
    start): those that ending ``body`` on that day would end. One query."""
    return (
        Participation.objects.filter(**_body_filter(body))
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=_today(on)))
        .count()
    )


@dataclass(frozen=True)
class Generations:
    """The running pillars and the ended ones, each with its successions prefetched:
    ``pillar.successions_out.all()`` (to the successors) and ``successions_in.all()``."""

    current: list[Pillar]
    ended: list[Pillar]


def pillar_generations(*, on: datetime.date | None = None) -> Generations:
    """Pillars with where their work went and where it came from: three queries."""
    successions = PillarSuccession.objects.select_related("predecessor", "successor")
    pillars = list(
        Pillar.objects.prefetch_related(
            Prefetch("successions_out", queryset=successions.order_by("successor__name")),
            Prefetch("successions_in", queryset=successions.order_by("predecessor__name")),
        ).order_by("name")
    )
    day = _today(on)
    return Generations(
        current=[p for p in pillars if p.is_running(day)],
        ended=[p for p in pillars if not p.is_running(day)],
    )


# --- Participations ---------------------------------------------------------------------------


def _participations() -> QuerySet[Participation]:
    return Participation.objects.select_related(
        "position__person",
        "position__organisation__municipality",
        "pillar",
        "theme_group",
    )


def participation_list(
    *,
    municipality_id: int | None = None,
    pillar: Pillar | None = None,
    theme_group: ThemeGroup | None = None,
    category: str = "",
    on: datetime.date | None = None,
    running_only: bool = True,
) -> QuerySet[Participation]:
    """Participations with their person, municipality and pillar or group: those running on
    ``on`` (default today), or all of them (``running_only=False``), filtered."""
    items = _participations()
    if running_only:
        items = items.running(_today(on))
    if municipality_id is not None:
        items = items.filter(position__organisation__municipality_id=municipality_id)
    if pillar is not None:
        items = items.filter(pillar=pillar)
    if theme_group is not None:
        items = items.filter(theme_group=theme_group)
    if category:
        items = items.filter(category=category)
    return items.order_by(
        "position__organisation__municipality__name",
        "category",
        "position__person__surname",
        "position__person__given_name",
        "pk",
    )


def participation_detail(*, pk: int) -> Participation:
    return _participations().get(pk=pk)


def person_chairs(
    *, person_id: int, body: Pillar | ThemeGroup, on: datetime.date | None = None
) -> bool:
    """Whether the person chairs ``body`` on ``on``: a running participation as chair."""
    return (
        Participation.objects.running(_today(on))
        .filter(position__person_id=person_id, role=Role.CHAIR, **_body_filter(body))
        .exists()
    )


def person_takes_part(
    *, person_id: int, body: Pillar | ThemeGroup, on: datetime.date | None = None
) -> bool:
    """Whether the person takes part in ``body`` on ``on`` (in any role)."""
    return (
        Participation.objects.running(_today(on))
        .filter(position__person_id=person_id, **_body_filter(body))
        .exists()
    )


def chaired_by(*, person_id: int, on: datetime.date | None = None) -> list[Pillar | ThemeGroup]:
    """The pillars and groups the person chairs on ``on``: one query."""
    return [
        p.body
        for p in Participation.objects.running(_today(on))
        .filter(position__person_id=person_id, role=Role.CHAIR)
        .select_related("pillar", "theme_group")
        .order_by("pk")
    ]


def chairs_of(*, bodies, on: datetime.date | None = None) -> dict[tuple[str, int], Participation]:
    """The running chair of each of ``bodies`` (pillars and groups, mixed), keyed by
    ``("pillar", pk)`` or ``("theme_group", pk)``, with person and municipality: one query."""
    pillar_ids = [b.pk for b in bodies if isinstance(b, Pillar)]
    group_ids = [b.pk for b in bodies if isinstance(b, ThemeGroup)]
    chairs = (
        _participations()
        .running(_today(on))
        .filter(role=Role.CHAIR)
        .filter(Q(pillar_id__in=pillar_ids) | Q(theme_group_id__in=group_ids))
    )
    return {
        ("pillar", c.pillar_id) if c.pillar_id else ("theme_group", c.theme_group_id): c
        for c in chairs
    }


@dataclass
class MunicipalityParticipants:
    """The participants of one municipality in a pillar or group, by category."""

    municipality: object
    by_category: dict[str, list[Participation]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(len(items) for items in self.by_category.values())


def participants_by_municipality(
    *, body: Pillar | ThemeGroup, on: datetime.date | None = None
) -> list[MunicipalityParticipants]:
    """The running participants of ``body`` grouped by municipality (by name), and within it
    by category (bestuurder, gemeentesecretaris, adviseur): one query."""
    order = {value: index for index, value in enumerate(Category.values)}
    rows = list(participation_list(on=on, **_body_filter(body)))
    result = []
    for _municipality_id, items in groupby(
        rows, key=lambda p: p.position.organisation.municipality_id
    ):
        items = list(items)
        group = MunicipalityParticipants(municipality=items[0].position.organisation.municipality)
        for participation in sorted(items, key=lambda p: order[p.category]):
            group.by_category.setdefault(participation.category, []).append(participation)
        result.append(group)
    return result


@dataclass(frozen=True)
class BodyCount:
    """How many officials of a municipality take part in one pillar or group, by category."""

    kind: str  # "pillar" or "theme_group"
    pk: int
    name: str
    slug: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def participation_counts_of_municipality(
    *, municipality_id: int, on: datetime.date | None = None
) -> list[BodyCount]:
    """Which pillars and groups the municipality takes part in today, with how many of its
    officials per category; pillars first, by name. One query."""
    rows = (
        Participation.objects.running(_today(on))
        .filter(position__organisation__municipality_id=municipality_id)
        .values(
            "pillar_id",
            "pillar__name",
            "pillar__slug",
            "theme_group_id",
            "theme_group__name",
            "theme_group__slug",
            "category",
        )
        .annotate(count=Count("pk"))
        .order_by()
    )
    found: dict[tuple[str, int], BodyCount] = {}
    for row in rows:
        if row["pillar_id"]:
            key = ("pillar", row["pillar_id"])
            name, slug = row["pillar__name"], row["pillar__slug"]
        else:
            key = ("theme_group", row["theme_group_id"])
            name, slug = row["theme_group__name"], row["theme_group__slug"]
        item = found.setdefault(key, BodyCount(key[0], key[1], name, slug, {}))
        item.counts[row["category"]] = row["count"]
    return sorted(found.values(), key=lambda b: (b.kind != "pillar", b.name))


def participation_counts(
    *, on: datetime.date | None = None
) -> dict[int, dict[tuple[str, int], dict[str, int]]]:
    """For every municipality taking part on ``on``: ``{(kind, pk): {category: count}}``,
    the cells of a municipalities × pillars/groups matrix. One query."""
    rows = (
        Participation.objects.running(_today(on))
        .values(
            "position__organisation__municipality_id", "pillar_id", "theme_group_id", "category"
        )
        .annotate(count=Count("pk"))
        .values_list(
            "position__organisation__municipality_id",
            "pillar_id",
            "theme_group_id",
            "category",
            "count",
        )
        .order_by()
    )
    result: dict[int, dict[tuple[str, int], dict[str, int]]] = defaultdict(dict)
    for municipality_id, pillar_id, group_id, category, count in rows:
        key = ("pillar", pillar_id) if pillar_id else ("theme_group", group_id)
        result[municipality_id].setdefault(key, {})[category] = count
    return dict(result)


def municipalities_without_pillar(*, on: datetime.date | None = None):
    """Members and aspirants on ``on`` of which no official takes part in any pillar (theme
    groups do not count: the network advises at least one pillar). One query, by name."""
    day = _today(on)
    in_pillar = Participation.objects.running(day).filter(
        pillar__isnull=False, position__organisation__municipality_id=OuterRef("pk")
    )
    return (
        registry.municipality_queryset()
        .filter(pk__in=membership.running_municipality_ids(on=day))
        .filter(~Exists(in_pillar))
        .order_by("name", "pk")
    )


def participation_request_list(
    *, body: Pillar | ThemeGroup | None = None, state: str = ParticipationRequest.State.PENDING
) -> QuerySet[ParticipationRequest]:
    """Requests to join (default: those not yet answered), oldest first, with the person,
    their municipality and the pillar or group: one query."""
    requests = ParticipationRequest.objects.select_related(
        "position__person", "position__organisation__municipality", "pillar", "theme_group"
    )
    if body is not None:
        requests = requests.filter(**_body_filter(body))
    if state:
        requests = requests.filter(state=state)
    return requests.order_by("requested_at", "pk")


# --- Topics -----------------------------------------------------------------------------------


def theme_list(*, active_only: bool = False) -> QuerySet[Theme]:
    """The shared list of themes (DESIGN.md §5) in its order; ``active_only``: those that may
    be newly chosen."""
    themes = Theme.objects.order_by("position", "name", "pk")
    return themes.filter(active=True) if active_only else themes


def theme_choices(*, current=()) -> list[Theme]:
    """The themes a form offers: those in use, and of ``current`` (what the object has) also
    those no longer in use, so that keeping them is no refusal. One query."""
    current_ids = [theme.pk for theme in current]
    return list(theme_list().filter(Q(active=True) | Q(pk__in=current_ids)))


def topic_list(
    *,
    pillar: Pillar | None = None,
    theme_group: ThemeGroup | None = None,
    status: str = "",
    theme: Theme | None = None,
) -> QuerySet[Topic]:
    """Topics by title, with their themes (one query more, whatever their number)."""
    topics = Topic.objects.select_related("owner", "pillar", "theme_group").prefetch_related(
        Prefetch("themes", queryset=theme_list())
    )
    if pillar is not None:
        topics = topics.filter(pillar=pillar)
    if theme_group is not None:
        topics = topics.filter(theme_group=theme_group)
    if status:
        topics = topics.filter(status=status)
    if theme is not None:
        topics = topics.filter(themes=theme)
    return topics.order_by("title", "pk")


def topics_by_status(*, body: Pillar | ThemeGroup) -> dict[str, list[Topic]]:
    """The topics of ``body`` per status, in the order proposed, adopted, parked, closed
    (every status present, possibly empty), with their themes: two queries."""
    result: dict[str, list[Topic]] = {status: [] for status in TopicStatus.values}
    for topic in topic_list(**_body_filter(body)):
        result[topic.status].append(topic)
    return result


def topic_detail(*, pk: int) -> Topic:
    """A topic with its history (``status_changes.all()``, oldest first) and its themes."""
    return (
        Topic.objects.select_related("owner", "pillar", "theme_group__pillar")
        .prefetch_related("status_changes__changed_by", Prefetch("themes", queryset=theme_list()))
        .get(pk=pk)
    )


# --- Pages: recent changes and the participation matrix ----------------------------------------

RECENT_CHANGES_SHOWN = 15


def _ids_as_text(queryset) -> QuerySet:
    # The audit trail names objects by their id as text.
    return queryset.annotate(key=Cast("pk", CharField())).values("key")


def recent_changes(
    *, body: Pillar | ThemeGroup, limit: int = RECENT_CHANGES_SHOWN
) -> list[AuditEvent]:
    """What changed lately in ``body``: its own audit events and those of its participations,
    topics and requests to join, newest first, at most ``limit``. One query."""
    kind = Pillar._meta.label if isinstance(body, Pillar) else ThemeGroup._meta.label
    of_body = _body_filter(body)
    condition = Q(object_type=kind, object_id=str(body.pk))
    for model in (Participation, Topic, ParticipationRequest):
        condition |= Q(
            object_type=model._meta.label,
            object_id__in=_ids_as_text(model.objects.filter(**of_body)),
        )
    return list(AuditEvent.objects.filter(condition).order_by("-timestamp", "-pk")[:limit])


def matrix_bodies(*, on: datetime.date | None = None) -> list[Pillar | ThemeGroup]:
    """The columns of the participation matrix: the running pillars, then the running theme
    groups (by name). Two queries."""
    return [*pillar_list(running=True, on=on), *theme_group_list(running=True, on=on)]


def matrix_municipalities(
    *,
    on: datetime.date | None = None,
    statuses=None,
    province: str = "",
    band: str = "",
) -> QuerySet:
    """The rows of the participation matrix: the municipalities that are member or aspirant
    on ``on`` (or have one of ``statuses``), filtered by province and size band, by name,
    each with its status (``membership_status``) and whether any of its officials takes part
    in a pillar (``in_pillar``). One query for any slice."""
    day = _today(on)
    ids = (
        membership.municipality_ids_with_status(on=day, statuses=statuses)
        if statuses
        else membership.municipality_ids_with_status(on=day)
    )
    in_pillar = Participation.objects.running(day).filter(
        pillar__isnull=False, position__organisation__municipality_id=OuterRef("pk")
    )
    return (
        registry.municipality_list(province=province, band=band, status="alle")
        .filter(pk__in=ids)
        .annotate(
            membership_status=membership.running_status_of(on=day),
            in_pillar=Exists(in_pillar),
        )
        .order_by("name", "pk")
    )


def matrix_cells(
    *, municipality_ids=None, on: datetime.date | None = None
) -> dict[int, dict[tuple[str, int], dict[str, int]]]:
    """Like :func:`participation_counts`, for ``municipality_ids`` only (None: all). One
    query."""
    rows = Participation.objects.running(_today(on))
    if municipality_ids is not None:
        rows = rows.filter(position__organisation__municipality_id__in=list(municipality_ids))
    rows = (
        rows.values(
            "position__organisation__municipality_id", "pillar_id", "theme_group_id", "category"
        )
        .annotate(count=Count("pk"))
        .values_list(
            "position__organisation__municipality_id",
            "pillar_id",
            "theme_group_id",
            "category",
            "count",
        )
        .order_by()
    )
    result: dict[int, dict[tuple[str, int], dict[str, int]]] = defaultdict(dict)
    for municipality_id, pillar_id, group_id, category, count in rows:
        key = ("pillar", pillar_id) if pillar_id else ("theme_group", group_id)
        result[municipality_id].setdefault(key, {})[category] = count
    return dict(result)


def participations_of_person(
    *, person_id: int, on: datetime.date | None = None, chair: bool = False
) -> QuerySet[Participation]:
    """The person's running participations (as chair only, with ``chair``): a queryset other
    apps use as a subquery (``.values("pillar_id")``), so a check costs no query of its own."""
    queryset = Participation.objects.running(_today(on)).filter(position__person_id=person_id)
    return queryset.filter(role=Role.CHAIR) if chair else queryset


@dataclass(frozen=True)
class PillarCount:
    """One pillar on a day: how many municipalities and officials take part in it."""

    pk: int
    name: str
    slug: str
    municipalities: int
    officials: int


def pillar_counts(*, on: datetime.date | None = None) -> list[PillarCount]:
    """The pillars running on ``on``, by name, each with the municipalities and officials
    taking part that day: two queries."""
    day = _today(on)
    rows = {
        row["pillar_id"]: row
        for row in Participation.objects.running(day)
        .filter(pillar__isnull=False)
        .values("pillar_id")
        .annotate(
            municipalities=Count("position__organisation__municipality", distinct=True),
            officials=Count("pk"),
        )
        .order_by()
    }
    return [
        PillarCount(
            pillar.pk,
            pillar.name,
            pillar.slug,
            rows.get(pillar.pk, {}).get("municipalities", 0),
            rows.get(pillar.pk, {}).get("officials", 0),
        )
        for pillar in pillar_list(running=True, on=day)
    ]
