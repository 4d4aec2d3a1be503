"""What the activities services share: the fields a calendar sees, and how times are named."""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from m50.core.formats import long_date

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


def values(obj, fields) -> dict:
    """The fields' values, moments in UTC: the same moment given in another zone is no
    change (it would raise SEQUENCE and mail everyone for nothing)."""
    return {
        name: value.astimezone(datetime.UTC) if isinstance(value, datetime.datetime) else value
        for name, value in ((name, getattr(obj, name)) for name in fields)
    }


def long_span(activity) -> str:
    """When an activity takes place, in words: ``3 maart 2027 10:00–12:00``, ``3 maart 2027``
    (all day), ``3 maart 2027 t/m 5 maart 2027``, or both moments when it runs overnight."""
    zone = local_zone()
    start = timezone.localtime(activity.starts_at, zone)
    end = timezone.localtime(activity.ends_at, zone)
    if activity.all_day:
        # The end is midnight after the last day (RFC 5545's exclusive end).
        last = (end - datetime.timedelta(days=1)).date()
        if last <= start.date():
            return long_date(start.date())
        return _("%(first)s t/m %(last)s") % {
            "first": long_date(start.date()),
            "last": long_date(last),
        }
    if start.date() == end.date():
        return f"{long_date(start.date())} {start:%H:%M}–{end:%H:%M}"
    return f"{long_moment(activity.starts_at)} – {long_moment(activity.ends_at)}"
