"""What the API modules of activities share: public values, fields, the queries of a page."""

from __future__ import annotations

import datetime

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from m50.activities.models import Audience, Kind, Registration, RegistrationState, Status
from m50.api.fields import MappedChoiceField

ORIGIN = "API"
# Moments outside these years are typing errors (and stay clear of date overflows).
EARLIEST_YEAR, LATEST_YEAR = 1900, 2099
# The most places an activity can have (a limit, not a plan: the largest hall of the network).
MAX_PLACES = 100_000

# Public (Dutch) values: the models' own values are Dutch already.
KIND_VALUES = {value: value for value in Kind.values}
AUDIENCE_VALUES = {value: value for value in Audience.values}
STATUS_VALUES = {value: value for value in Status.values}
STATE_VALUES = {value: value for value in RegistrationState.values}

# Model and service field names as the API names them, for a service's refusal.
ACTIVITY_FIELDS = {
    "kind": "kind",
    "title": "title",
    "description": "description",
    "starts_at": "startsAt",
    "ends_at": "endsAt",
    "all_day": "allDay",
    "address": "address",
    "host_municipality": "hostMunicipality",
    "online_url": "onlineUrl",
    "audience": "audience",
    "registration_opens_at": "registrationOpensAt",
    "registration_closes_at": "registrationClosesAt",
    "capacity": "capacity",
    "municipality_limit": "municipalityLimit",
    "topics": "topicIds",
    "reason": "reason",
}
REGISTRATION_FIELDS = {"person": "personId", "note": "note", "municipality": "nonFieldErrors"}


class MomentField(serializers.DateTimeField):
    """A moment with its offset (``2027-03-04T10:00:00+01:00``); without an offset it is read as
    Amsterdam time. Years 1900 up to and including 2099."""

    def to_internal_value(self, value):
        try:
            moment = super().to_internal_value(value)
        except (OverflowError, ValueError) as exc:  # an offset that takes it past year 9999
            raise serializers.ValidationError(
                _("Geef een tijdstip van 1900 tot en met 2099."), code="out_of_range"
            ) from exc
        local = timezone.localtime(moment)
        if not EARLIEST_YEAR <= local.year <= LATEST_YEAR:
            raise serializers.ValidationError(
                _("Geef een tijdstip van 1900 tot en met 2099."), code="out_of_range"
            )
        return moment


def _count_of(state: str):
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


def with_registration_counts(queryset):
    """Each activity with ``confirmed_count`` and ``waitlisted_count``: subqueries in the same
    query, so a page costs one query however many registrations there are."""
    return queryset.annotate(
        confirmed_count=_count_of(RegistrationState.CONFIRMED),
        waitlisted_count=_count_of(RegistrationState.WAITLISTED),
    )


def with_waiting_position(queryset):
    """Each registration with ``waiting_position`` (1 is next) when it is on the waiting list,
    else None; as :func:`m50.activities.selectors.registration_of` counts it, for many rows."""
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


def queue_order(queryset):
    """Seats, then the waiting list in its order, then the cancelled."""
    return queryset.annotate(
        queue=Case(
            When(state=RegistrationState.CONFIRMED, then=Value(0)),
            When(state=RegistrationState.WAITLISTED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("queue", "registered_at", "pk")


def day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(0)))


class ActivityReferenceSerializer(serializers.Serializer):
    """Een activiteit waarnaar verwezen wordt."""

    id = serializers.IntegerField(help_text=gettext_lazy("Het nummer van de activiteit."))
    title = serializers.CharField(help_text=gettext_lazy("Titel."))
    startsAt = serializers.DateTimeField(source="starts_at", help_text=gettext_lazy("Begin."))
    endsAt = serializers.DateTimeField(source="ends_at", help_text=gettext_lazy("Einde."))
    status = MappedChoiceField(
        STATUS_VALUES,
        enum_name="ActivityStatus",
        help_text=gettext_lazy("gepland of geannuleerd."),
    )
