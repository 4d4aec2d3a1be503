"""What the activities services share: the fields a calendar sees, and how times are named."""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.utils import formats, timezone

#: The fields whose change a calendar entry must take over (a new SEQUENCE, an e-mail).
CALENDAR_FIELDS = (
    "title",
    "description",
    "starts_at",
    "ends_at",
    "all_day",
    "address",
    "host_municipality",
    "online_url",
)
ACTIVITY_FIELDS = (
    "kind",
    *CALENDAR_FIELDS,
    "audience",
    "audience_pillar",
    "audience_theme_group",
    "registration_opens_at",
    "registration_closes_at",
    "capacity",
    "municipality_limit",
)


def local_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_moment(day: datetime.date, at: datetime.time) -> datetime.datetime:
    """The moment ``at`` o'clock on ``day`` in Amsterdam (the offset of that day: CET or
    CEST)."""
    return datetime.datetime.combine(day, at, tzinfo=local_zone())


def long_moment(value: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(value, local_zone()), "j F Y H:i")


def long_date(value: datetime.date) -> str:
    return formats.date_format(value, "j F Y")


def values(obj, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}
