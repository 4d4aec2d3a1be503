"""Activities as RFC 5545 calendars: the download of one activity, the subscription feeds
(public, a user's own, a pillar's or theme group's) and the entry an e-mail carries.

Written with the ``icalendar`` library, which escapes text and folds lines. Every entry keeps
its UID for the activity's whole life and carries the activity's SEQUENCE, so a calendar that
took it over updates it on a change and marks it cancelled when it is. Times are written in
Europe/Amsterdam with a VTIMEZONE that covers the years of the entries, so that clients place
10:00 at 10:00 on both sides of the change to and from summer time.

A feed costs three queries whatever its size (the years it spans, then its rows, read as one
stream) and is written entry by entry, so a feed of thousands of activities never sits in
memory as one calendar object.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import BooleanField, Exists, Max, Min, OuterRef, Q, QuerySet, Value
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from m50.activities import notifications, rules
from m50.activities.models import Activity, Audience, Kind, Registration, RegistrationState
from m50.activities.services._common import local_zone
from m50.pillars import selectors as pillars
from m50.pillars.models import Pillar

PRODID = "-//M50//Activiteiten//NL"
TZID = "Europe/Amsterdam"
MIMETYPE = "text/calendar"
CONTENT_TYPE = "text/calendar; charset=utf-8"
#: How far back a feed reaches: older activities leave the subscribed calendars, so a feed
#: stays the same size over the years.
FEED_HISTORY = datetime.timedelta(days=365)
#: Rows read from the database at a time while a feed is written.
CHUNK = 500
END = b"END:VCALENDAR\r\n"


# --- What goes into which calendar -------------------------------------------------------------


def _feed_rows(queryset: QuerySet[Activity], *, person_id: int | None) -> QuerySet[Activity]:
    """The activities of a feed with what an entry shows, and ``seat``: whether ``person_id``
    holds a seat (only then the online link is written)."""
    if person_id is None:
        seat = Value(False, output_field=BooleanField())
    else:
        seat = Exists(
            Registration.objects.filter(
                activity=OuterRef("pk"), person_id=person_id, state=RegistrationState.CONFIRMED
            )
        )
    since = timezone.now() - FEED_HISTORY
    return (
        queryset.filter(ends_at__gte=since)
        .select_related("host_municipality")
        .annotate(seat=seat)
        .order_by("starts_at", "pk")
    )


def public_activities() -> QuerySet[Activity]:
    """The activities for everyone; cancelled ones stay, marked cancelled."""
    return _feed_rows(Activity.objects.filter(audience=Audience.PUBLIC), person_id=None)


def _person_id(user) -> int | None:
    if user is None or not user.is_active:
        return None
    return getattr(user, "person_id", None)


def user_activities(user) -> QuerySet[Activity]:
    """A user's own feed: what they registered for (a registration that is not cancelled),
    and what the pillars and theme groups they take part in today organise or are the audience
    of, as far as the user may see it."""
    person_id = _person_id(user)
    if person_id is None:
        return Activity.objects.none()
    running = pillars.participations_of_person(person_id=person_id)
    pillar_ids = running.filter(pillar__isnull=False).values("pillar_id")
    group_ids = running.filter(theme_group__isnull=False).values("theme_group_id")
    registered = Exists(
        Registration.objects.filter(activity=OuterRef("pk"), person_id=person_id).exclude(
            state=RegistrationState.CANCELLED
        )
    )
    mine = (
        registered
        | Q(organiser_pillar__in=pillar_ids)
        | Q(organiser_theme_group__in=group_ids)
        | Q(audience_pillar__in=pillar_ids)
        | Q(audience_theme_group__in=group_ids)
    )
    return _feed_rows(
        Activity.objects.filter(rules.visible_q(user)).filter(mine), person_id=person_id
    )


def takes_part(user, body) -> bool:
    """Whether ``user`` takes part in the pillar or theme group ``body`` today (one query)."""
    person_id = _person_id(user)
    if person_id is None:
        return False
    running = pillars.participations_of_person(person_id=person_id)
    if isinstance(body, Pillar):
        return running.filter(pillar=body).exists()
    return running.filter(theme_group=body).exists()


def body_activities(user, body) -> QuerySet[Activity]:
    """A pillar's or theme group's feed, for one of its participants: what it organises or is
    the audience of (a pillar: also what its theme groups organise), as far as ``user`` may see
    it."""
    if isinstance(body, Pillar):
        of_body = (
            Q(organiser_pillar=body)
            | Q(organiser_theme_group__pillar=body)
            | Q(audience_pillar=body)
        )
    else:
        of_body = Q(organiser_theme_group=body) | Q(audience_theme_group=body)
    return _feed_rows(
        Activity.objects.filter(rules.visible_q(user)).filter(of_body),
        person_id=_person_id(user),
    )


def holds_seat(activity: Activity, user) -> bool:
    person_id = _person_id(user)
    return (
        person_id is not None
        and Registration.objects.filter(
            activity=activity, person_id=person_id, state=RegistrationState.CONFIRMED
        ).exists()
    )


# --- Writing entries ---------------------------------------------------------------------------


def uid_of(activity: Activity) -> str:
    """The entry's UID: the activity's own id at the platform's host, the same forever."""
    host = urlsplit(settings.M50_SITE_URL).hostname or "m50"
    return f"{activity.uid}@{host}"


def _location(activity: Activity) -> str:
    if activity.address:
        return activity.address
    if activity.host_municipality_id:
        return _("Gemeente %(name)s") % {"name": activity.host_municipality.name}
    if activity.online_url:
        return _("Online")
    return ""


def _description(activity: Activity, *, seat: bool, url: str) -> str:
    parts = []
    if activity.is_cancelled:
        reason = activity.cancellation_reason
        parts.append(_("Geannuleerd: %(reason)s") % {"reason": reason} if reason else "")
    if activity.description:
        parts.append(activity.description)
    if seat and activity.online_url:
        parts.append(_("Online deelnemen: %(url)s") % {"url": activity.online_url})
    parts.append(_("Alle details: %(url)s") % {"url": url})
    return "\n\n".join(part for part in parts if part)


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value, local_zone())


def event_of(
    activity: Activity,
    *,
    seat: bool,
    stamp: datetime.datetime | None = None,
    organizer: bool = False,
    cancel: bool = False,
) -> Event:
    """The VEVENT of ``activity``; the online link only with ``seat``. ``stamp`` is DTSTAMP:
    in a feed the last change (RFC 5545: without METHOD it means LAST-MODIFIED), in a message
    the moment it is sent. ``cancel``: cancelled for the receiver (their registration is)."""
    url = notifications.activity_url(activity)
    event = Event()
    event.add("UID", uid_of(activity))
    event.add("SEQUENCE", activity.sequence)
    event.add("DTSTAMP", stamp or activity.updated_at)
    event.add("CREATED", activity.created_at)
    event.add("LAST-MODIFIED", activity.updated_at)
    if activity.all_day:
        # DTEND of a date is excluded: the activity's end is midnight after its last day.
        event.add("DTSTART", _local(activity.starts_at).date())
        event.add("DTEND", _local(activity.ends_at).date())
    else:
        event.add("DTSTART", _local(activity.starts_at))
        event.add("DTEND", _local(activity.ends_at))
    title = activity.title
    if activity.is_cancelled:
        # Not every client shows STATUS; the title tells it everywhere.
        title = _("Geannuleerd: %(title)s") % {"title": title}
    event.add("SUMMARY", title)
    event.add("DESCRIPTION", _description(activity, seat=seat, url=url))
    location = _location(activity)
    if location:
        event.add("LOCATION", location)
    event.add("URL", url)
    event.add("STATUS", "CANCELLED" if activity.is_cancelled or cancel else "CONFIRMED")
    # The label straight from the choice: get_kind_display() hashes every choice each time.
    event.add("CATEGORIES", [str(Kind(activity.kind).label)])
    # Free for other appointments until someone holds a seat (then it is theirs).
    event.add("TRANSP", "OPAQUE" if seat else "TRANSPARENT")
    if organizer:
        event.add("ORGANIZER", f"mailto:{_address(settings.DEFAULT_FROM_EMAIL)}", {"CN": "M50"})
    return event


def _address(from_email: str) -> str:
    """The bare address of ``Name <address>``."""
    if "<" in from_email and from_email.endswith(">"):
        return from_email.rsplit("<", 1)[1][:-1]
    return from_email


@functools.lru_cache(maxsize=16)
def _timezone(first_year: int, last_year: int) -> Timezone:
    """Europe/Amsterdam's VTIMEZONE for the years ``first_year`` through ``last_year``: every
    change to and from summer time in them (computing it takes a moment, so it is kept)."""
    return Timezone.from_tzinfo(
        local_zone(),
        tzid=TZID,
        first_date=datetime.date(first_year, 1, 1),
        last_date=datetime.date(last_year + 1, 1, 1),
    )


def _calendar(name: str, *, years: tuple[int, int], method: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    if method:
        calendar.add("METHOD", method)
    calendar.add("X-WR-CALNAME", name)
    calendar.add("X-WR-TIMEZONE", TZID)
    # How often a subscribing client asks again (RFC 7986, and Outlook's own name for it).
    calendar.add("REFRESH-INTERVAL", datetime.timedelta(hours=1), {"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", "PT1H")  # an X- property: written as given
    calendar.add_component(_timezone(*years))
    return calendar


def _years(starts: Iterable[datetime.datetime | None]) -> tuple[int, int]:
    years = [_local(moment).year for moment in starts if moment is not None]
    if not years:
        this = timezone.localdate().year
        return this, this
    return min(years), max(years)


def _head(calendar: Calendar) -> bytes:
    text = calendar.to_ical()
    assert text.endswith(END)
    return text[: -len(END)]


def feed(queryset: QuerySet[Activity], *, name: str) -> Iterator[bytes]:
    """The calendar ``name`` of the activities of ``queryset`` (one of the ``*_activities``
    above), written entry by entry (the language set per entry, not held across a yield)."""
    span = queryset.order_by().aggregate(first=Min("starts_at"), last=Max("ends_at"))
    with translation.override("nl"):
        head = _head(_calendar(name, years=_years(span.values())))
    yield head
    for activity in queryset.iterator(chunk_size=CHUNK):
        with translation.override("nl"):
            entry = event_of(activity, seat=activity.seat).to_ical()
        yield entry
    yield END


def feed_bytes(queryset: QuerySet[Activity], *, name: str) -> bytes:
    return b"".join(feed(queryset, name=name))


def activity_ics(activity: Activity, *, seat: bool) -> bytes:
    """The download of one activity (its online link only with ``seat``)."""
    with translation.override("nl"):
        calendar = _calendar(activity.title, years=_years((activity.starts_at, activity.ends_at)))
        calendar.add_component(event_of(activity, seat=seat))
        return calendar.to_ical()


def email_attachment(
    activity: Activity, *, cancel: bool = False, seat: bool = False, attendee: str = ""
) -> tuple[str, bytes, str]:
    """The calendar entry an e-mail about ``activity`` carries (RFC 5546): METHOD:REQUEST adds
    or updates it in the receiver's calendar, METHOD:CANCEL removes it (an activity cancelled,
    or the receiver's registration). The online link only with ``seat``: the same mail goes to
    the waiting list. ``attendee``: the receiver's address, when the mail is theirs alone."""
    with translation.override("nl"):
        calendar = _calendar(
            activity.title,
            years=_years((activity.starts_at, activity.ends_at)),
            method="CANCEL" if cancel else "REQUEST",
        )
        event = event_of(
            activity,
            seat=seat and not cancel,
            stamp=timezone.now(),
            organizer=True,
            cancel=cancel,
        )
        if attendee:
            # Registered on the platform already: the client asks no answer (RSVP=FALSE).
            event.add(
                "ATTENDEE",
                f"mailto:{attendee}",
                {
                    "ROLE": "REQ-PARTICIPANT",
                    "PARTSTAT": "DECLINED" if cancel else "ACCEPTED",
                    "RSVP": "FALSE",
                },
            )
        calendar.add_component(event)
        content = calendar.to_ical()
    return f"activiteit-{activity.pk}.ics", content, MIMETYPE
