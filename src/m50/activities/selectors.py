"""Reads of activities, already scoped to who asks (DESIGN.md §3)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractQuarter, ExtractYear
from django.utils import timezone

from m50.activities import rules
from m50.activities.models import (
    Activity,
    Attendance,
    Kind,
    Registration,
    RegistrationState,
    Status,
)
from m50.activities.services._common import local_moment


def _activities() -> QuerySet[Activity]:
    return Activity.objects.select_related(
        "organiser_pillar",
        "organiser_theme_group",
        "host_municipality",
        "audience_pillar",
        "audience_theme_group",
        "series",
    )


def activity_list(
    *,
    user,
    when: str = "upcoming",
    kind: str = "",
    pillar=None,
    theme_group=None,
    municipality=None,
    theme=None,
    month: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> QuerySet[Activity]:
    """The activities ``user`` may see: ``when`` "upcoming" (not ended, soonest first), "past"
    (ended, latest first) or "all"; ``month`` (its first day) those running in that month;
    ``theme`` those with that theme. A pillar includes what its theme groups organise."""
    now = now or timezone.now()
    queryset = _activities().filter(rules.visible_q(user))
    if month is not None:
        start = local_moment(month.replace(day=1), datetime.time(0))
        following = (month.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        end = local_moment(following, datetime.time(0))
        queryset = queryset.filter(starts_at__lt=end, ends_at__gt=start)
    if when == "upcoming":
        queryset = queryset.filter(ends_at__gt=now).order_by("starts_at", "pk")
    elif when == "past":
        queryset = queryset.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
    else:
        queryset = queryset.order_by("starts_at", "pk")
    if kind:
        queryset = queryset.filter(kind=kind)
    if pillar is not None:
        queryset = queryset.filter(
            Q(organiser_pillar=pillar)
            | Q(organiser_theme_group__pillar=pillar)
            | Q(audience_pillar=pillar)
        )
    if theme_group is not None:
        queryset = queryset.filter(
            Q(organiser_theme_group=theme_group) | Q(audience_theme_group=theme_group)
        )
    if municipality is not None:
        queryset = queryset.filter(host_municipality=municipality)
    if theme is not None:
        # One row per activity: an activity has a theme at most once.
        queryset = queryset.filter(themes=theme)
    return queryset


def activity_choices(*, user) -> QuerySet[Activity]:
    """The activities ``user`` may see, for a form that names one (the activity a knowledge
    item came from): the latest start first, with only what a select needs. No query of its
    own; a page takes it in one."""
    return (
        Activity.objects.filter(rules.visible_q(user))
        .only("pk", "title", "starts_at", "status")
        .order_by("-starts_at", "-pk")
    )


def activity_detail(*, user, pk: int) -> Activity:
    """The activity, if ``user`` may see it; else ``Activity.DoesNotExist`` (a 404: who may not
    see it does not learn it exists)."""
    return _activities().filter(rules.visible_q(user)).get(pk=pk)


@dataclass(frozen=True)
class RegistrationSummary:
    confirmed: int
    waitlisted: int
    capacity: int | None

    @property
    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed, 0)

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.confirmed >= self.capacity


def registration_summary(*, activity: Activity) -> RegistrationSummary:
    counts = activity.registrations.aggregate(
        confirmed=Count("pk", filter=Q(state=RegistrationState.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(state=RegistrationState.WAITLISTED)),
    )
    return RegistrationSummary(counts["confirmed"], counts["waitlisted"], activity.capacity)


def with_waiting_position(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    """Each registration with ``waiting_position`` (1 is next) when it is on the waiting list,
    else None: a subquery in the same query, for one registration or a page of them."""
    ahead = (
        Registration.objects.filter(
            activity_id=OuterRef("activity_id"), state=RegistrationState.WAITLISTED
        )
        .filter(
            Q(registered_at__lt=OuterRef("registered_at"))
            | Q(registered_at=OuterRef("registered_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("activity_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        waiting_position=Case(
            When(
                state=RegistrationState.WAITLISTED,
                then=Coalesce(Subquery(ahead, output_field=IntegerField()), 0) + 1,
            ),
            default=Value(None),
            output_field=IntegerField(),
        )
    )


def registration_of(*, activity: Activity, person_id: int | None) -> Registration | None:
    """The person's registration that is not cancelled, with ``waiting_position``; one query."""
    if person_id is None:
        return None
    return with_waiting_position(
        Registration.objects.filter(activity_id=activity.pk, person_id=person_id).exclude(
            state=RegistrationState.CANCELLED
        )
    ).first()


def own_registrations(*, person_id: int | None) -> QuerySet[Registration]:
    """The person's registrations that are not cancelled, with their activity and, on the
    waiting list, their place."""
    return with_waiting_position(
        Registration.objects.filter(person_id=person_id)
        .exclude(state=RegistrationState.CANCELLED)
        .select_related(
            "activity__organiser_pillar",
            "activity__organiser_theme_group",
            "activity__host_municipality",
        )
    )


def registration_list(*, activity: Activity, state: str = "") -> QuerySet[Registration]:
    """The registrations in the order of the queue: seats, then the waiting list in order, then
    the cancelled; with the person and municipality."""
    queryset = Registration.objects.filter(activity=activity).select_related(
        "person", "municipality", "attendance"
    )
    if state:
        queryset = queryset.filter(state=state)
    # The states' names do not sort in the queue's order ("afgemeld" would come first).
    queue = Case(
        When(state=RegistrationState.CONFIRMED, then=Value(0)),
        When(state=RegistrationState.WAITLISTED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return queryset.order_by(queue, "registered_at", "pk")


def waiting_list(*, activity: Activity) -> QuerySet[Registration]:
    return registration_list(activity=activity, state=RegistrationState.WAITLISTED)


def open_registrations(*, activity: Activity) -> QuerySet[Registration]:
    """Every seat and waiting-list place with its person, for a mail to all of them."""
    return (
        Registration.objects.filter(activity=activity)
        .exclude(state=RegistrationState.CANCELLED)
        .select_related("person__user")
        .order_by("pk")
    )


def attendance_list(*, activity: Activity) -> QuerySet[Attendance]:
    return activity.attendances.select_related("municipality", "registration").order_by(
        "name", "pk"
    )


@dataclass(frozen=True)
class YearCount:
    year: int
    activities: int
    people: int


def attendance_per_year(*, municipality_id: int) -> list[YearCount]:
    """Per year: at how many activities the municipality was present, and with how many people
    in all (the member's value report reads this)."""
    rows = (
        Attendance.objects.filter(municipality_id=municipality_id)
        .values("year")
        .annotate(activities=Count("activity", distinct=True), people=Count("pk"))
        .order_by("-year")
    )
    return [YearCount(r["year"], r["activities"], r["people"]) for r in rows]


def attendance_per_municipality(*, year: int) -> QuerySet:
    """Per municipality in ``year``: activities attended and people present."""
    return (
        Attendance.objects.filter(year=year, municipality__isnull=False)
        .values("municipality_id", "municipality__name", "municipality__code")
        .annotate(activities=Count("activity", distinct=True), people=Count("pk"))
        .order_by("municipality__name")
    )


def hosted_by(*, municipality, user) -> QuerySet[Activity]:
    return activity_list(user=user, when="all", municipality=municipality).order_by(
        "-starts_at", "-pk"
    )


def with_registration_counts(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    """``queryset`` with ``confirmed_count`` and ``waitlisted_count`` per activity, as
    subqueries in the same query (a list shows places left without a query per row)."""

    def count(state: str):
        return Coalesce(
            Subquery(
                Registration.objects.filter(activity_id=OuterRef("pk"), state=state)
                .order_by()
                .values("activity_id")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            0,
        )

    return queryset.annotate(
        confirmed_count=count(RegistrationState.CONFIRMED),
        waitlisted_count=count(RegistrationState.WAITLISTED),
    )


# --- Activities held and attendance over time (the bureau's dashboard, the network's year) ----


@dataclass(frozen=True)
class QuarterCount:
    year: int
    quarter: int
    activities: int
    attendance: int


def _held(now: datetime.datetime) -> QuerySet[Activity]:
    """Activities that took place: begun before ``now`` and not cancelled."""
    return Activity.objects.filter(status=Status.SCHEDULED, starts_at__lt=now)


def held_per_quarter(*, since: datetime.date, now: datetime.datetime) -> list[QuarterCount]:
    """Per quarter (in the platform's time zone) from ``since``: the activities held and the
    attendance recorded at them. One query, oldest quarter first; quarters without any
    activity held are not in it."""
    rows = (
        _held(now)
        .filter(starts_at__gte=local_moment(since, datetime.time.min))
        .annotate(year=ExtractYear("starts_at"), quarter=ExtractQuarter("starts_at"))
        .values("year", "quarter")
        .annotate(activities=Count("pk", distinct=True), attendance=Count("attendances"))
        .order_by("year", "quarter")
    )
    return [QuarterCount(r["year"], r["quarter"], r["activities"], r["attendance"]) for r in rows]


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    activities: int
    attendance: int


@dataclass(frozen=True)
class ActivityYear:
    by_kind: list[KindCount]
    municipalities_present: int

    @property
    def activities(self) -> int:
        return sum(item.activities for item in self.by_kind)

    @property
    def attendance(self) -> int:
        return sum(item.attendance for item in self.by_kind)


def held_in_year(*, year: int, now: datetime.datetime) -> ActivityYear:
    """The activities held in ``year`` per kind with their attendance, and how many
    municipalities were present at any of them: two queries."""
    labels = dict(Kind.choices)
    held = _held(now).filter(
        starts_at__gte=local_moment(datetime.date(year, 1, 1), datetime.time.min),
        starts_at__lt=local_moment(datetime.date(year + 1, 1, 1), datetime.time.min),
    )
    rows = (
        held.values("kind")
        .annotate(activities=Count("pk", distinct=True), attendance=Count("attendances"))
        .order_by("kind")
    )
    present = (
        Attendance.objects.filter(activity__in=held.values("pk"), municipality__isnull=False)
        .values("municipality_id")
        .distinct()
        .count()
    )
    return ActivityYear(
        by_kind=[
            KindCount(
                r["kind"], str(labels.get(r["kind"], r["kind"])), r["activities"], r["attendance"]
            )
            for r in rows
        ],
        municipalities_present=present,
    )


def attendance_in_period(*, municipality_id: int, start: datetime.date, end: datetime.date):
    """Activities of ``start``..``end`` (inclusive) at which the municipality was present, each
    with how many of its people attended, oldest first: one query (the council memo)."""
    return (
        Attendance.objects.filter(
            municipality_id=municipality_id,
            activity__starts_at__date__gte=start,
            activity__starts_at__date__lte=end,
        )
        # An activity cancelled after attendance was recorded did not take place.
        .exclude(activity__status=Status.CANCELLED)
        .values("activity_id", "activity__title", "activity__starts_at", "activity__kind")
        .annotate(people=Count("pk"))
        .order_by("activity__starts_at", "activity_id")
    )


def hosted_in_period(*, municipality_id: int, start: datetime.date, end: datetime.date):
    """Activities the municipality hosted in ``start``..``end``, not cancelled: one query."""
    from m50.activities.models import Status

    return (
        Activity.objects.filter(
            host_municipality_id=municipality_id,
            starts_at__date__gte=start,
            starts_at__date__lte=end,
        )
        .exclude(status=Status.CANCELLED)
        .only("pk", "title", "kind", "starts_at")
        .order_by("starts_at", "pk")
    )


def attended_counts_by_municipality(*, start: datetime.date, end: datetime.date) -> dict[int, int]:
    """Per municipality: at how many activities of ``start``..``end`` it was present (one
    query; the value report compares a member with the members of its size)."""
    rows = (
        Attendance.objects.filter(
            municipality__isnull=False,
            activity__starts_at__date__gte=start,
            activity__starts_at__date__lte=end,
        )
        # An activity cancelled after attendance was recorded did not take place.
        .exclude(activity__status=Status.CANCELLED)
        .values("municipality_id")
        .annotate(activities=Count("activity", distinct=True))
        .order_by()
    )
    return {row["municipality_id"]: row["activities"] for row in rows}
