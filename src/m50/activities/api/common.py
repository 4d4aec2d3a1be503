"""What the API modules of activities share: public values, fields, the queries of a page."""

from __future__ import annotations

import datetime

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from m50.activities import selectors
from m50.activities.models import Audience, Kind, RegistrationState, Status
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
    "themes": "themes",
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


# One place for the queries of a page: the API lists as the pages do.
with_registration_counts = selectors.with_registration_counts
with_waiting_position = selectors.with_waiting_position


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
