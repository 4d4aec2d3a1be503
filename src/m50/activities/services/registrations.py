"""Registrations: a seat or a place on the waiting list, cancelling, moving up, and who
attended.

The activity's row is locked for every change of its registrations, so the count of seats and
the choice between a seat and the waiting list are made one at a time: two people asking for
the last seat at the same moment get one seat and one waiting-list place.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.activities import notifications, rules
from m50.activities.models import (
    Activity,
    Attendance,
    Audience,
    Registration,
    RegistrationState,
)
from m50.activities.services._common import local_zone, long_moment
from m50.contacts import selectors as contacts
from m50.core.audit import audit_record, diff
from m50.core.versions import ACTIVITIES, changes

OPEN_STATES = (RegistrationState.CONFIRMED, RegistrationState.WAITLISTED)


def _municipality_of(person, user=None):
    """The municipality a person registers for: their own account's, else the one where they
    hold a running position (None: the network's own people, parliament, partners)."""
    if user is not None and getattr(user, "person_id", None) == person.pk and user.municipality_id:
        return user.municipality
    position = (
        contacts.current_positions_of_person(person_id=person.pk)
        .filter(organisation__municipality__isnull=False)
        .select_related("organisation__municipality")
        .order_by("pk")
        .first()
    )
    return position.organisation.municipality if position else None


def _refuse_closed(activity: Activity, *, managing: bool) -> None:
    if activity.is_cancelled:
        raise ValidationError(_("Deze activiteit is geannuleerd; aanmelden kan niet meer."))
    now = timezone.now()
    if now >= activity.ends_at:
        raise ValidationError(_("Deze activiteit is voorbij; aanmelden kan niet meer."))
    if managing:  # the organiser registers anyone until the end, also outside the window
        return
    if activity.registration_opens_at and now < activity.registration_opens_at:
        raise ValidationError(
            _("Aanmelden kan vanaf %(moment)s.")
            % {"moment": long_moment(activity.registration_opens_at)}
        )
    closes = activity.registration_closes_at or activity.starts_at
    if now >= closes:
        raise ValidationError(
            _("Aanmelden kon tot %(moment)s; de aanmelding is gesloten.")
            % {"moment": long_moment(closes)}
        )


@changes(ACTIVITIES)
def registration_create(
    *,
    activity: Activity,
    person,
    actor,
    municipality=None,
    note: str = "",
    origin: str = "",
) -> Registration:
    """Registers ``person``: a seat while places are left, else a place at the end of the
    waiting list. ``actor`` registers themself (the activity visible to them, registration
    open), or is its organiser (anyone of its audience, at any moment before the end)."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    managing = actor is not None and rules.may_manage(actor, activity)
    if actor is not None and not managing:
        if getattr(actor, "person_id", None) != person.pk or not rules.may_register_self(actor):
            raise ValidationError(_("U kunt alleen uzelf aanmelden."))
        if not rules.may_view(actor, activity):
            # As for a page that does not exist: who may not see it learns nothing of it.
            raise Activity.DoesNotExist
    if managing and not rules.in_audience(person, activity):
        if activity.audience == Audience.INVITATION:
            raise ValidationError(
                _("Deze activiteit is op uitnodiging: nodig %(person)s eerst uit.")
                % {"person": person.full_name}
            )
        raise ValidationError(
            _("%(person)s hoort niet bij het publiek van deze activiteit (%(audience)s).")
            % {"person": person.full_name, "audience": activity.get_audience_display()}
        )
    _refuse_closed(activity, managing=managing)
    if activity.registrations.filter(person=person, state__in=OPEN_STATES).exists():
        raise ValidationError(
            _("%(person)s is al aangemeld voor deze activiteit.") % {"person": person.full_name}
        )
    if municipality is None:
        municipality = _municipality_of(person, actor)
    counts = activity.registrations.aggregate(
        confirmed=Count("pk", filter=Q(state=RegistrationState.CONFIRMED)),
        of_municipality=Count("pk", filter=Q(state__in=OPEN_STATES, municipality=municipality)),
    )
    if (
        municipality is not None
        and activity.municipality_limit is not None
        and counts["of_municipality"] >= activity.municipality_limit
    ):
        raise ValidationError(
            _(
                "Uit %(municipality)s zijn al %(count)s mensen aangemeld; meer plaatsen per "
                "gemeente zijn er niet."
            )
            % {"municipality": municipality.name, "count": counts["of_municipality"]}
        )
    full = activity.capacity is not None and counts["confirmed"] >= activity.capacity
    registration = Registration.objects.create(
        activity=activity,
        person=person,
        municipality=municipality,
        state=RegistrationState.WAITLISTED if full else RegistrationState.CONFIRMED,
        note=(note or "").strip(),
        registered_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        action="activities.registration_create",
        obj=registration,
        actor=actor,
        origin=origin,
        changes=diff({}, {"state": registration.state, "municipality": municipality}),
    )
    notifications.registration_created(registration=registration)
    return registration


def _promote(activity: Activity, *, actor=None, origin: str = "") -> list[Registration]:
    """Gives free seats to the waiting list in order of registering; each one moved up hears
    it. Called with the activity's row locked."""
    if activity.is_cancelled or timezone.now() >= activity.ends_at:
        return []
    waiting = activity.registrations.filter(state=RegistrationState.WAITLISTED).order_by(
        "registered_at", "pk"
    )
    if activity.capacity is not None:
        confirmed = activity.registrations.filter(state=RegistrationState.CONFIRMED).count()
        free = activity.capacity - confirmed
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = []
    now = timezone.now()
    for registration in waiting:
        registration.state = RegistrationState.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["state", "promoted_at"])
        audit_record(
            action="activities.registration_promote",
            obj=registration,
            actor=actor,
            origin=origin,
            changes=diff(
                {"state": RegistrationState.WAITLISTED}, {"state": RegistrationState.CONFIRMED}
            ),
        )
        notifications.registration_promoted(registration=registration)
        promoted.append(registration)
    return promoted


@changes(ACTIVITIES)
def registration_cancel(*, registration: Registration, actor, origin: str = "") -> Registration:
    """Cancels a registration (the person themself, or the organiser). A seat set free goes to
    the first on the waiting list."""
    activity = Activity.objects.select_for_update().get(pk=registration.activity_id)
    registration = Registration.objects.select_related("person").get(pk=registration.pk)
    registration.activity = activity
    if actor is not None and not rules.may_cancel_registration(actor, registration):
        raise ValidationError(_("U mag deze aanmelding niet intrekken."))
    if registration.state == RegistrationState.CANCELLED:
        raise ValidationError(_("Deze aanmelding is al ingetrokken."))
    if timezone.now() >= activity.ends_at:
        raise ValidationError(_("Deze activiteit is voorbij; afmelden kan niet meer."))
    before = registration.state
    registration.state = RegistrationState.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["state", "cancelled_at"])
    audit_record(
        action="activities.registration_cancel",
        obj=registration,
        actor=actor,
        origin=origin,
        changes=diff({"state": before}, {"state": registration.state}),
    )
    notifications.registration_cancelled(registration=registration)
    if before == RegistrationState.CONFIRMED:
        _promote(activity, actor=actor, origin=origin)
    return registration


# --- Attendance -------------------------------------------------------------------------------


def _check_may_record(activity: Activity, actor) -> None:
    if actor is not None and not rules.may_manage(actor, activity):
        raise ValidationError(_("U mag de aanwezigheid van deze activiteit niet vastleggen."))
    if activity.is_cancelled:
        raise ValidationError(_("Deze activiteit is geannuleerd; er was niemand aanwezig."))
    if timezone.now() < activity.starts_at:
        raise ValidationError(
            _("De aanwezigheid wordt vastgelegd als de activiteit begonnen is (%(moment)s).")
            % {"moment": long_moment(activity.starts_at)}
        )


def _year_of(activity: Activity) -> int:
    # Amsterdam's year, whatever zone the request activated (New Year's Eve at 23:30 counts
    # for the year it ends).
    return timezone.localtime(activity.starts_at, local_zone()).year


@changes(ACTIVITIES)
def attendance_record(
    *, activity: Activity, actor, present: list[Registration], origin: str = ""
) -> list[Attendance]:
    """Records which of the registered were there: ``present`` (seats and waiting list alike:
    who came, came). The registered not in ``present`` lose a recorded attendance; walk-ins
    stay."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _check_may_record(activity, actor)
    present_ids = {r.pk for r in present}
    registrations = {
        r.pk: r
        for r in activity.registrations.select_related("person", "municipality").exclude(
            state=RegistrationState.CANCELLED
        )
    }
    stray = present_ids - set(registrations)
    if stray:
        raise ValidationError(_("Alleen wie aangemeld is kan hier als aanwezig worden gemarkeerd."))
    # An attendance whose registration went with its person (AVG) stays: the municipality's
    # count for the year must not change by recording someone else.
    existing = {
        a.registration_id: a
        for a in activity.attendances.filter(walk_in=False, registration__isnull=False)
    }
    # Who was noted as a walk-in and registered afterwards is there once.
    walked_in = set(
        activity.attendances.filter(walk_in=True, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    removed = [a for rid, a in existing.items() if rid not in present_ids]
    for attendance in removed:
        audit_record(
            action="activities.attendance_remove",
            obj=attendance,
            actor=actor,
            origin=origin,
            changes=diff({"name": attendance.name}, {}),
        )
        attendance.delete()
    year = _year_of(activity)
    added = []
    for rid in sorted(present_ids - set(existing)):
        registration = registrations[rid]
        if registration.person_id in walked_in:
            continue
        attendance = Attendance.objects.create(
            activity=activity,
            registration=registration,
            person=registration.person,
            name=registration.person.full_name,
            municipality=registration.municipality,
            year=year,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(
            action="activities.attendance_add",
            obj=attendance,
            actor=actor,
            origin=origin,
            changes=diff({}, {"name": attendance.name, "municipality": attendance.municipality}),
        )
        added.append(attendance)
    activity.attendance_recorded_at = timezone.now()
    activity.save(update_fields=["attendance_recorded_at"])
    return added


@changes(ACTIVITIES)
def attendance_add_walk_in(
    *,
    activity: Activity,
    actor,
    person=None,
    name: str = "",
    municipality=None,
    origin: str = "",
) -> Attendance:
    """Someone who came without registering: a known person, or a name (and municipality)."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _check_may_record(activity, actor)
    if person is not None:
        if activity.attendances.filter(person=person).exists():
            raise ValidationError(
                _("%(person)s staat al als aanwezig genoteerd.") % {"person": person.full_name}
            )
        if activity.registrations.filter(person=person, state__in=OPEN_STATES).exists():
            raise ValidationError(
                _("%(person)s is aangemeld; markeer de aanmelding als aanwezig.")
                % {"person": person.full_name}
            )
        name = person.full_name
        if municipality is None:
            municipality = _municipality_of(person)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Vul de naam in van wie er was.")})
    attendance = Attendance.objects.create(
        activity=activity,
        person=person,
        name=name[:200],
        municipality=municipality,
        year=_year_of(activity),
        walk_in=True,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    activity.attendance_recorded_at = timezone.now()
    activity.save(update_fields=["attendance_recorded_at"])
    audit_record(
        action="activities.attendance_add",
        obj=attendance,
        actor=actor,
        origin=origin,
        changes=diff({}, {"name": name, "municipality": municipality, "walk_in": True}),
    )
    return attendance


@changes(ACTIVITIES)
def attendance_remove(*, attendance: Attendance, actor, origin: str = "") -> None:
    activity = Activity.objects.select_for_update().get(pk=attendance.activity_id)
    _check_may_record(activity, actor)
    audit_record(
        action="activities.attendance_remove",
        obj=attendance,
        actor=actor,
        origin=origin,
        changes=diff({"name": attendance.name}, {}),
    )
    attendance.delete()
