"""The calendars written from activities, parsed back with the iCalendar library: stable UIDs,
SEQUENCE, cancellation, times across the change to and from summer time, whole days, escaping,
the online link, and the e-mail's entry."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from icalendar import Calendar

from m50.activities import calendar, services
from m50.activities.models import Audience, Cadence
from m50.activities.services import all_day_span
from tests.activities.conftest import participant, plan

pytestmark = pytest.mark.django_db
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
UTC = datetime.UTC
DAY = datetime.timedelta(days=1)


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=AMS)


def parse(content: bytes) -> Calendar:
    parsed = Calendar.from_ical(content)
    assert parsed.get_missing_tzids() == set()  # every TZID has its VTIMEZONE
    return parsed


def events(content: bytes) -> dict[str, object]:
    """The feed's entries by SUMMARY."""
    return {str(event["SUMMARY"]): event for event in parse(content).walk("VEVENT")}


def public_feed() -> bytes:
    return calendar.feed_bytes(calendar.public_activities(), name="M50")


def test_the_calendar_names_itself_and_amsterdam(bureau):
    plan(bureau, audience=Audience.PUBLIC, title="Open dag")
    content = public_feed()
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in content
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in content
    parsed = parse(content)
    assert str(parsed["PRODID"]) == calendar.PRODID
    assert str(parsed["VERSION"]) == "2.0"
    assert str(parsed["CALSCALE"]) == "GREGORIAN"
    assert str(parsed["X-WR-CALNAME"]) == "M50"
    assert [tz.tz_name for tz in parsed.timezones] == ["Europe/Amsterdam"]


def test_times_across_the_change_to_summer_time(bureau):
    before = plan(
        bureau,
        audience=Audience.PUBLIC,
        title="Voor",
        starts_at=at(datetime.date(2027, 3, 27), 10),
    )
    after = plan(
        bureau,
        audience=Audience.PUBLIC,
        title="Na",
        starts_at=at(datetime.date(2027, 3, 29), 10),
    )
    content = public_feed()
    entries = events(content)
    for title in ("Voor", "Na"):
        start = entries[title].decoded("DTSTART")
        assert entries[title]["DTSTART"].params["TZID"] == "Europe/Amsterdam"
        assert (start.hour, start.minute) == (10, 0)
        assert entries[title].decoded("DTEND").hour == 12
    assert entries["Voor"].decoded("DTSTART").astimezone(UTC).hour == 9
    assert entries["Na"].decoded("DTSTART").astimezone(UTC).hour == 8
    assert entries["Voor"].decoded("DTSTART") == before.starts_at
    assert entries["Na"].decoded("DTSTART") == after.starts_at
    assert b"DTSTART;TZID=Europe/Amsterdam:20270327T100000" in content
    assert b"DTSTART;TZID=Europe/Amsterdam:20270329T100000" in content
    # The VTIMEZONE itself knows the change: read with it alone, the times hold.
    (timezone,) = parse(content).timezones
    zone = timezone.to_tz()
    assert datetime.datetime(2027, 3, 27, 10, tzinfo=zone).astimezone(UTC).hour == 9
    assert datetime.datetime(2027, 3, 29, 10, tzinfo=zone).astimezone(UTC).hour == 8


def test_a_series_keeps_its_local_time_across_the_change_from_summer_time(bureau):
    services.series_plan(
        actor=bureau,
        title="Overleg met J&V",
        cadence=Cadence.WEEKLY,
        count=2,
        kind="bestuurlijk-overleg",
        audience=Audience.PUBLIC,
        starts_at=at(datetime.date(2027, 10, 25), 10),
        ends_at=at(datetime.date(2027, 10, 25), 11),
    )
    content = public_feed()
    starts = sorted(e.decoded("DTSTART") for e in parse(content).walk("VEVENT"))
    assert [(s.date(), s.hour) for s in starts] == [
        (datetime.date(2027, 10, 25), 10),
        (datetime.date(2027, 11, 1), 10),
    ]
    assert [s.astimezone(UTC).hour for s in starts] == [8, 9]
    (timezone,) = parse(content).timezones
    zone = timezone.to_tz()
    assert datetime.datetime(2027, 11, 1, 10, tzinfo=zone).utcoffset() == datetime.timedelta(
        hours=1
    )
    assert datetime.datetime(2027, 10, 25, 10, tzinfo=zone).utcoffset() == datetime.timedelta(
        hours=2
    )


def test_a_multi_day_activity_is_written_as_dates_with_the_day_after_as_end(bureau):
    starts_at, ends_at = all_day_span(datetime.date(2027, 3, 27), datetime.date(2027, 3, 29))
    plan(
        bureau,
        audience=Audience.PUBLIC,
        title="Congres",
        all_day=True,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    content = public_feed()
    entry = events(content)["Congres"]
    assert entry.decoded("DTSTART") == datetime.date(2027, 3, 27)
    assert entry.decoded("DTEND") == datetime.date(2027, 3, 30)
    assert b"DTSTART;VALUE=DATE:20270327" in content
    assert b"DTEND;VALUE=DATE:20270330" in content


def test_text_is_escaped_and_read_back_unchanged(bureau, diemen):
    host = diemen.municipality
    title = "Wonen, zorg; en veiligheid"
    description = "Agenda:\n1. Opening, welkom; mededelingen\n2. Sluiting \\ borrel"
    plan(
        bureau,
        audience=Audience.PUBLIC,
        title=title,
        description=description,
        host_municipality=host,
    )
    content = public_feed()
    assert b"SUMMARY:Wonen\\, zorg\\; en veiligheid" in content
    entry = events(content)[title]
    assert str(entry["DESCRIPTION"]).startswith(description + "\n\n")
    assert str(entry["LOCATION"]) == f"Gemeente {host.name}"


def test_the_entry_carries_what_a_calendar_needs(bureau, settings):
    settings.M50_SITE_URL = "https://platform.m50.nl"
    activity = plan(
        bureau,
        audience=Audience.PUBLIC,
        title="Webinar",
        kind="webinar",
        address="Stadhuis, Raadhuisplein 1",
    )
    entry = events(public_feed())["Webinar"]
    assert str(entry["UID"]) == f"{activity.uid}@platform.m50.nl"
    assert entry["SEQUENCE"] == 0
    assert str(entry["STATUS"]) == "CONFIRMED"
    assert entry.categories == ["webinar"]
    assert str(entry["LOCATION"]) == "Stadhuis, Raadhuisplein 1"
    assert str(entry["URL"]).startswith("https://platform.m50.nl/activiteiten/")
    # iCalendar counts in whole seconds.
    changed = activity.updated_at.replace(microsecond=0)
    assert entry.decoded("LAST-MODIFIED") == changed
    assert entry.decoded("DTSTAMP") == changed
    assert entry.decoded("CREATED") == activity.created_at.replace(microsecond=0)


def test_the_uid_stays_and_the_sequence_rises_with_every_change(bureau):
    activity = plan(bureau, audience=Audience.PUBLIC, title="Ledenvergadering")
    first = events(public_feed())["Ledenvergadering"]
    services.activity_update(
        activity=activity, actor=bureau, starts_at=activity.starts_at + datetime.timedelta(hours=1)
    )
    second = events(public_feed())["Ledenvergadering"]
    services.activity_update(activity=activity, actor=bureau, title="Algemene ledenvergadering")
    third = events(public_feed())["Algemene ledenvergadering"]
    assert str(first["UID"]) == str(second["UID"]) == str(third["UID"])
    assert (first["SEQUENCE"], second["SEQUENCE"], third["SEQUENCE"]) == (0, 1, 2)
    assert second.decoded("DTSTART") == first.decoded("DTSTART") + datetime.timedelta(hours=1)


def test_a_cancelled_activity_stays_in_the_feed_as_cancelled(bureau):
    activity = plan(bureau, audience=Audience.PUBLIC, title="Pijlerbijeenkomst")
    services.activity_cancel(activity=activity, actor=bureau, reason="Te weinig aanmeldingen")
    (entry,) = parse(public_feed()).walk("VEVENT")
    assert str(entry["STATUS"]) == "CANCELLED"
    assert entry["SEQUENCE"] == 1
    assert str(entry["SUMMARY"]) == "Geannuleerd: Pijlerbijeenkomst"
    assert "Te weinig aanmeldingen" in str(entry["DESCRIPTION"])
    assert str(entry["UID"]).startswith(str(activity.uid))


def test_the_public_feed_holds_only_activities_for_everyone(bureau):
    plan(bureau, audience=Audience.PUBLIC, title="Open")
    plan(bureau, audience=Audience.MEMBERS, title="Leden")
    plan(bureau, audience=Audience.ADMINISTRATORS, title="Bestuurders")
    assert set(events(public_feed())) == {"Open"}


def test_the_online_link_only_for_whoever_holds_a_seat(bureau, diemen, houten):
    activity = plan(
        bureau, title="Webinar", capacity=1, online_url="https://meet.example.org/m50-webinar"
    )
    seated, waiting = participant(diemen), participant(houten)
    services.registration_create(activity=activity, person=seated.person, actor=seated)
    services.registration_create(activity=activity, person=waiting.person, actor=waiting)

    def shown_to(user) -> bool:
        content = calendar.feed_bytes(calendar.user_activities(user), name="M50")
        (entry,) = parse(content).walk("VEVENT")
        return "meet.example.org" in str(entry["DESCRIPTION"])

    assert shown_to(seated)
    assert not shown_to(waiting)
    download = calendar.activity_ics(activity, seat=False)
    assert b"meet.example.org" not in download
    assert b"meet.example.org" in calendar.activity_ics(activity, seat=True)


def test_the_email_entry_requests_and_cancels(bureau):
    activity = plan(bureau, title="Ledenvergadering", online_url="https://meet.example.org/x")
    filename, content, mimetype = calendar.email_attachment(activity)
    assert (filename, mimetype) == (f"activiteit-{activity.pk}.ics", "text/calendar")
    request = parse(content)
    assert str(request["METHOD"]) == "REQUEST"
    (entry,) = request.walk("VEVENT")
    assert str(entry["STATUS"]) == "CONFIRMED"
    assert str(entry["ORGANIZER"]).startswith("mailto:")
    # The same mail goes to the waiting list: no online link unless asked for.
    assert b"meet.example.org" not in content
    assert b"meet.example.org" in calendar.email_attachment(activity, seat=True)[1]

    _, personal, _ = calendar.email_attachment(activity, attendee="wethouder@diemen.nl")
    (entry,) = parse(personal).walk("VEVENT")
    assert str(entry["ATTENDEE"]) == "mailto:wethouder@diemen.nl"
    assert entry["ATTENDEE"].params["RSVP"] == "FALSE"

    services.activity_cancel(activity=activity, actor=bureau, reason="Ziekte")
    activity.refresh_from_db()
    _, content, _ = calendar.email_attachment(activity, cancel=True)
    cancel = parse(content)
    assert str(cancel["METHOD"]) == "CANCEL"
    (entry,) = cancel.walk("VEVENT")
    assert (str(entry["STATUS"]), entry["SEQUENCE"]) == ("CANCELLED", 1)
    assert str(entry["UID"]) == calendar.uid_of(activity)


def test_a_feed_reaches_a_year_back(bureau):
    now = datetime.datetime.now(tz=UTC)
    plan(bureau, audience=Audience.PUBLIC, title="Vorige maand", starts_at=now - 30 * DAY)
    plan(bureau, audience=Audience.PUBLIC, title="Vorig jaar", starts_at=now - 400 * DAY)
    assert set(events(public_feed())) == {"Vorige maand"}
