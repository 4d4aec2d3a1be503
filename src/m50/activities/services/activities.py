"""Planning, changing and cancelling activities, series of them, and invitations."""

from __future__ import annotations

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.activities import notifications, rules, search
from m50.activities.models import (
    CADENCE_MONTHS,
    Activity,
    ActivitySeries,
    Audience,
    Cadence,
    Invitation,
    Kind,
    RegistrationState,
    Status,
)
from m50.activities.services._common import (
    ACTIVITY_FIELDS,
    CALENDAR_FIELDS,
    local_moment,
    local_zone,
    values,
)
from m50.core.audit import audit_record, diff
from m50.core.versions import ACTIVITIES, changes
from m50.pillars.models import Pillar, ThemeGroup
from m50.pillars.services import theme_names, themes_clean

#: The most occurrences one series plans at once (ten years of a monthly meeting).
SERIES_MAX = 120


def all_day_span(
    first_day: datetime.date, last_day: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """The moments of an all-day activity from ``first_day`` through ``last_day``: midnight
    to midnight after the last day, in Amsterdam."""
    return (
        local_moment(first_day, datetime.time(0)),
        local_moment(last_day + datetime.timedelta(days=1), datetime.time(0)),
    )


def _is_local_midnight(value: datetime.datetime) -> bool:
    return timezone.localtime(value, local_zone()).time() == datetime.time(0)


def _clean(activity: Activity) -> None:
    """Every rule of one activity's own fields; raises with a message per field."""
    errors: dict[str, str] = {}
    activity.title = (activity.title or "").strip()
    activity.description = (activity.description or "").strip()
    activity.address = (activity.address or "").strip()
    if not activity.title:
        errors["title"] = _("Geef de activiteit een titel.")
    if activity.kind not in Kind.values:
        errors["kind"] = _("Kies een soort activiteit.")
    if activity.starts_at is None:
        errors["starts_at"] = _("Vul in wanneer de activiteit begint.")
    if activity.ends_at is None:
        errors["ends_at"] = _("Vul in wanneer de activiteit eindigt.")
    elif activity.starts_at is not None and activity.ends_at <= activity.starts_at:
        errors["ends_at"] = _("De activiteit moet eindigen na het begin.")
    elif activity.all_day and not (
        _is_local_midnight(activity.starts_at) and _is_local_midnight(activity.ends_at)
    ):
        errors["all_day"] = _("Een activiteit van hele dagen begint en eindigt om middernacht.")
    if activity.audience not in Audience.values:
        errors["audience"] = _("Kies voor wie de activiteit is.")
    elif activity.audience == Audience.BODY:
        if (activity.audience_pillar_id is None) == (activity.audience_theme_group_id is None):
            errors["audience"] = _(
                "Kies de pijler of de themagroep waarvoor de activiteit is (één van beide)."
            )
    else:
        activity.audience_pillar = None
        activity.audience_theme_group = None
    if activity.organiser_pillar_id and activity.organiser_theme_group_id:
        errors["organiser"] = _("Een activiteit heeft één organisator.")
    opens, closes = activity.registration_opens_at, activity.registration_closes_at
    if opens and closes and closes <= opens:
        errors["registration_closes_at"] = _("Aanmelden moet sluiten nadat het opengaat.")
    if closes and activity.ends_at and closes > activity.ends_at:
        errors["registration_closes_at"] = _(
            "Aanmelden kan niet langer open blijven dan de activiteit duurt."
        )
    for name in ("capacity", "municipality_limit"):
        value = getattr(activity, name)
        if value is not None and value < 1:
            errors[name] = _("Vul een aantal van minstens 1 in, of laat het leeg (geen grens).")
    if errors:
        raise ValidationError(errors)


def _organiser_fields(organiser) -> dict:
    if organiser is None:
        return {"organiser_pillar": None, "organiser_theme_group": None}
    if isinstance(organiser, Pillar):
        return {"organiser_pillar": organiser, "organiser_theme_group": None}
    if isinstance(organiser, ThemeGroup):
        return {"organiser_pillar": None, "organiser_theme_group": organiser}
    raise TypeError(organiser)


def _check_organiser_running(organiser) -> None:
    if organiser is not None and not organiser.is_running():
        raise ValidationError(
            {
                "organiser": _("%(name)s is beëindigd en organiseert niets meer.")
                % {"name": organiser}
            }
        )


@changes(ACTIVITIES)
def activity_create(
    *,
    actor,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    organiser: Pillar | ThemeGroup | None = None,
    description: str = "",
    all_day: bool = False,
    address: str = "",
    host_municipality=None,
    online_url: str = "",
    audience: str = Audience.MEMBERS,
    audience_body: Pillar | ThemeGroup | None = None,
    topics=(),
    themes=(),
    registration_opens_at: datetime.datetime | None = None,
    registration_closes_at: datetime.datetime | None = None,
    capacity: int | None = None,
    municipality_limit: int | None = None,
    series: ActivitySeries | None = None,
    origin: str = "",
) -> Activity:
    """Plans an activity. ``actor`` must be allowed to organise it (the bureau; the chair of the
    organising pillar or group; public affairs for the bureau's visits and consultations).
    ``themes``: active themes of the shared list."""
    if actor is not None and not rules.may_organise(actor, organiser=organiser, kind=kind):
        raise ValidationError(_("U mag deze activiteit niet organiseren."))
    _check_organiser_running(organiser)
    themes = themes_clean(themes=themes)
    activity = Activity(
        kind=kind,
        title=title,
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        all_day=all_day,
        address=address,
        host_municipality=host_municipality,
        online_url=(online_url or "").strip(),
        audience=audience,
        audience_pillar=audience_body if isinstance(audience_body, Pillar) else None,
        audience_theme_group=audience_body if isinstance(audience_body, ThemeGroup) else None,
        registration_opens_at=registration_opens_at,
        registration_closes_at=registration_closes_at,
        capacity=capacity,
        municipality_limit=municipality_limit,
        series=series,
        created_by=actor if getattr(actor, "pk", None) else None,
        **_organiser_fields(organiser),
    )
    _clean(activity)
    activity.save()
    _set_topics(activity, topics)
    activity.themes.set(themes)
    changed = diff({}, values(activity, ACTIVITY_FIELDS))
    if themes:
        changed["themes"] = {"old": [], "new": theme_names(themes)}
    audit_record(
        action="activities.activity_create",
        obj=activity,
        actor=actor,
        origin=origin,
        changes=changed,
    )
    search.activity_index(activity)
    return activity


def _set_topics(activity: Activity, topics) -> None:
    topics = list(topics)
    organiser = activity.organiser
    if organiser is not None:
        foreign = [
            t
            for t in topics
            if (t.pillar_id, t.theme_group_id)
            != (activity.organiser_pillar_id, activity.organiser_theme_group_id)
        ]
        if foreign:
            raise ValidationError(
                {
                    "topics": _("Het onderwerp %(topic)s hoort niet bij %(organiser)s.")
                    % {"topic": foreign[0].title, "organiser": organiser}
                }
            )
    activity.topics.set(topics)


@changes(ACTIVITIES)
def activity_update(
    *, activity: Activity, actor, origin: str = "", topics=None, themes=None, **fields
):
    """Changes an activity. A change a calendar must take over raises its SEQUENCE and tells
    everyone registered; more places move the waiting list up. ``topics``, ``themes``: None
    leaves them; a theme no longer in use stays if the activity had it."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if actor is not None and not rules.may_manage(actor, activity):
        raise ValidationError(_("U mag deze activiteit niet wijzigen."))
    if activity.is_cancelled:
        raise ValidationError(_("Een geannuleerde activiteit kan niet meer worden gewijzigd."))
    unknown = set(fields) - set(ACTIVITY_FIELDS) - {"audience_body"}
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    before = values(activity, ACTIVITY_FIELDS)
    topics_before = sorted(t.title for t in activity.topics.all()) if topics is not None else None
    if themes is not None:
        themes_before = list(activity.themes.all())
        themes = themes_clean(themes=themes, current=themes_before)
    if "audience_body" in fields:
        body = fields.pop("audience_body")
        activity.audience_pillar = body if isinstance(body, Pillar) else None
        activity.audience_theme_group = body if isinstance(body, ThemeGroup) else None
    for name, value in fields.items():
        setattr(activity, name, value)
    _clean(activity)
    confirmed = activity.registrations.filter(state=RegistrationState.CONFIRMED).count()
    if activity.capacity is not None and activity.capacity < confirmed:
        raise ValidationError(
            {
                "capacity": _(
                    "Er zijn al %(count)s mensen geplaatst; verlaag het aantal plaatsen niet "
                    "onder dat aantal (meld eerst iemand af)."
                )
                % {"count": confirmed}
            }
        )
    after = values(activity, ACTIVITY_FIELDS)
    changed = diff(before, after)
    calendar_changed = [name for name in CALENDAR_FIELDS if name in changed]
    if calendar_changed:
        activity.sequence += 1
    activity.updated_at = timezone.now()
    activity.save()
    if topics is not None:
        _set_topics(activity, topics)
        topics_after = sorted(t.title for t in activity.topics.all())
        if topics_after != topics_before:
            changed["topics"] = {"old": topics_before, "new": topics_after}
    if themes is not None:
        names_before, names_after = theme_names(themes_before), theme_names(themes)
        if names_before != names_after:
            activity.themes.set(themes)
            changed["themes"] = {"old": names_before, "new": names_after}
    if changed:
        audit_record(
            action="activities.activity_update",
            obj=activity,
            actor=actor,
            origin=origin,
            changes=changed,
        )
        search.activity_index(activity)
    from m50.activities.services.registrations import _promote

    _promote(activity, actor=actor, origin=origin)
    if "starts_at" in changed:
        from m50.activities.services.reminders import reminders_rearm

        reminders_rearm(activity=activity)
    if calendar_changed:
        notifications.activity_changed(activity=activity, fields=calendar_changed)
    return activity


@changes(ACTIVITIES)
def activity_cancel(*, activity: Activity, actor, reason: str, origin: str = "") -> Activity:
    """Cancels an activity: it stays (with its registrations) as cancelled, calendars mark it
    cancelled, and everyone registered hears it."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if actor is not None and not rules.may_manage(actor, activity):
        raise ValidationError(_("U mag deze activiteit niet annuleren."))
    if activity.is_cancelled:
        raise ValidationError(_("Deze activiteit is al geannuleerd."))
    if timezone.now() >= activity.ends_at:
        # It took place: cancelling it would strike it from calendars and the attendance.
        raise ValidationError(_("Deze activiteit is voorbij; annuleren kan niet meer."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Geef een reden voor de annulering.")})
    activity.status = Status.CANCELLED
    activity.cancelled_at = timezone.now()
    activity.cancellation_reason = reason
    activity.sequence += 1
    activity.updated_at = activity.cancelled_at
    activity.save()
    audit_record(
        action="activities.activity_cancel",
        obj=activity,
        actor=actor,
        origin=origin,
        changes=diff(
            {"status": Status.SCHEDULED, "cancellation_reason": ""},
            {"status": Status.CANCELLED, "cancellation_reason": reason},
        ),
    )
    search.activity_index(activity)
    notifications.activity_cancelled(activity=activity)
    return activity


def _shift(moment: datetime.datetime, cadence: str, step: int) -> datetime.datetime:
    """``moment`` ``step`` cadences later at the same Amsterdam wall-clock time (so a meeting
    at 10:00 stays at 10:00 across the change to and from summer time)."""
    local = timezone.localtime(moment, local_zone())
    if cadence == Cadence.WEEKLY:
        day = local.date() + datetime.timedelta(weeks=step)
    else:
        months = local.month - 1 + CADENCE_MONTHS[cadence] * step
        year, month = local.year + months // 12, months % 12 + 1
        day = datetime.date(year, month, min(local.day, calendar.monthrange(year, month)[1]))
    return local_moment(day, local.time().replace(tzinfo=None))


def _shift_span(
    starts_at: datetime.datetime, ends_at: datetime.datetime, cadence: str, step: int
) -> tuple[datetime.datetime, datetime.datetime]:
    """The start shifted by :func:`_shift`, the end as long after it in wall-clock time as the
    first one's: shifting the end on its own would, at a month's end (31 January to 28
    February), put an evening meeting's end before its start."""
    zone = local_zone()
    start = _shift(starts_at, cadence, step)
    length = timezone.localtime(ends_at, zone).replace(tzinfo=None) - timezone.localtime(
        starts_at, zone
    ).replace(tzinfo=None)
    end_local = start.astimezone(zone).replace(tzinfo=None) + length
    return start, end_local.replace(tzinfo=zone)


@changes(ACTIVITIES)
def series_plan(
    *, actor, title: str, cadence: str, count: int, origin: str = "", **activity_fields
) -> ActivitySeries:
    """Plans ``count`` activities on ``cadence`` from the first one's moments: each is an
    activity of its own (its own registrations), linked to the series."""
    errors = {}
    if cadence not in Cadence.values:
        errors["cadence"] = _("Kies hoe vaak de reeks terugkomt.")
    if not isinstance(count, int) or not 2 <= count <= SERIES_MAX:
        errors["count"] = _("Een reeks heeft 2 tot %(max)s keer.") % {"max": SERIES_MAX}
    if not (title or "").strip():
        errors["title"] = _("Geef de reeks een titel.")
    if activity_fields.get("starts_at") is None or activity_fields.get("ends_at") is None:
        errors["starts_at"] = _("Vul in wanneer de eerste keer begint en eindigt.")
    if errors:
        raise ValidationError(errors)
    series = ActivitySeries.objects.create(title=title.strip(), cadence=cadence)
    first_start, first_end = activity_fields.pop("starts_at"), activity_fields.pop("ends_at")
    opens = activity_fields.pop("registration_opens_at", None)
    closes = activity_fields.pop("registration_closes_at", None)
    activity_fields.setdefault("title", series.title)
    # Each activity of the series takes the same themes (given once, used ``count`` times).
    activity_fields["themes"] = list(activity_fields.get("themes", ()))
    for step in range(count):
        starts_at, ends_at = _shift_span(first_start, first_end, cadence, step)
        activity_create(
            actor=actor,
            origin=origin,
            series=series,
            starts_at=starts_at,
            ends_at=ends_at,
            registration_opens_at=_shift(opens, cadence, step) if opens else None,
            registration_closes_at=_shift(closes, cadence, step) if closes else None,
            **activity_fields,
        )
    audit_record(
        action="activities.series_plan",
        obj=series,
        actor=actor,
        origin=origin,
        changes=diff({}, {"title": series.title, "cadence": cadence, "count": count}),
    )
    return series


@changes(ACTIVITIES)
def series_cancel_from(
    *, activity: Activity, actor, reason: str, origin: str = ""
) -> list[Activity]:
    """Cancels ``activity`` and the later activities of its series that are not cancelled."""
    if activity.series_id is None:
        raise ValidationError(_("Deze activiteit hoort niet bij een reeks."))
    later = list(
        Activity.objects.filter(
            Q(pk=activity.pk) | Q(starts_at__gt=activity.starts_at),
            series_id=activity.series_id,
            status=Status.SCHEDULED,
            ends_at__gt=timezone.now(),
        ).order_by("starts_at", "pk")
    )
    if not later:
        raise ValidationError(_("Er is vanaf deze activiteit niets meer te annuleren."))
    return [activity_cancel(activity=a, actor=actor, reason=reason, origin=origin) for a in later]


@changes(ACTIVITIES)
def invitation_add(*, activity: Activity, person, actor, origin: str = "") -> Invitation:
    if actor is not None and not rules.may_manage(actor, activity):
        raise ValidationError(_("U mag voor deze activiteit niemand uitnodigen."))
    if activity.audience != Audience.INVITATION:
        raise ValidationError(_("Deze activiteit is niet op uitnodiging."))
    if Invitation.objects.filter(activity=activity, person=person).exists():
        raise ValidationError(_("%(person)s is al uitgenodigd.") % {"person": person.full_name})
    invitation = Invitation.objects.create(
        activity=activity, person=person, invited_by=actor if getattr(actor, "pk", None) else None
    )
    audit_record(
        action="activities.invitation_add",
        obj=invitation,
        actor=actor,
        origin=origin,
        changes=diff({}, {"person": person}),
    )
    notifications.invited(invitation=invitation)
    return invitation


@changes(ACTIVITIES)
def invitation_remove(*, invitation: Invitation, actor, origin: str = "") -> None:
    if actor is not None and not rules.may_manage(actor, invitation.activity):
        raise ValidationError(_("U mag deze uitnodiging niet intrekken."))
    audit_record(
        action="activities.invitation_remove",
        obj=invitation,
        actor=actor,
        origin=origin,
        changes=diff({"person": invitation.person}, {}),
    )
    invitation.delete()
