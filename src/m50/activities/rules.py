"""Who may see, register for and organise which activity (DESIGN.md §2, issue 10).

Decisions recorded here (issue 10 leaves them open):

* Seeing an activity. The bureau and public affairs see every activity. Anyone sees one for
  *iedereen*. Every logged-in user of the network sees one for *alle deelnemers van leden*. One
  for a pillar or theme group: who takes part in it today. *Alleen bestuurders*: whoever holds a
  running position as mayor or alderman. *Op uitnodiging*: the invited. Besides: the chair of the
  organising pillar or group, and whoever holds a registration (the bureau may register someone
  on their behalf).
* Organising. The bureau any activity; a pillar's or group's chair those their body organises;
  public affairs the work visits and administrative consultations the bureau organises.
* Registering. A person registers themself while registration is open; the organiser may
  register anyone of the activity's audience (in_audience: for a pillar or group its
  participants, for bestuurders a mayor or alderman, by invitation the invited), also outside
  the window. A member's officials
  register for their municipality (their user's municipality, else their running position's).
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from m50.accounts.permissions import has_rule
from m50.activities.models import (
    Activity,
    Audience,
    Invitation,
    Kind,
    Registration,
    RegistrationState,
)
from m50.contacts import selectors as contacts
from m50.contacts.models import Position
from m50.pillars import rules as pillar_rules
from m50.pillars import selectors as pillars

ADMINISTRATOR_FUNCTIONS = (Position.Function.MAYOR, Position.Function.ALDERMAN)
PUBLIC_AFFAIRS_KINDS = frozenset({Kind.WORK_VISIT, Kind.CONSULTATION})


def _person_id(user) -> int | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return getattr(user, "person_id", None)


def sees_everything(user) -> bool:
    return has_rule(user, "activities.view_all")


def visible_q(user, *, on: datetime.date | None = None) -> Q:
    """The activities ``user`` may see, as one condition (subqueries, no query of its own)."""
    if sees_everything(user):
        return Q()
    condition = Q(audience=Audience.PUBLIC)
    if not has_rule(user, "activities.view_members"):
        return condition
    condition |= Q(audience=Audience.MEMBERS)
    person_id = _person_id(user)
    if person_id is None:
        return condition
    chaired = pillars.participations_of_person(person_id=person_id, on=on, chair=True)
    condition |= audience_q(person_id, on=on)
    condition |= Q(
        organiser_pillar__in=chaired.filter(pillar__isnull=False).values("pillar_id")
    ) | Q(
        organiser_theme_group__in=chaired.filter(theme_group__isnull=False).values("theme_group_id")
    )
    condition |= Exists(
        Registration.objects.filter(activity=OuterRef("pk"), person_id=person_id).exclude(
            state=RegistrationState.CANCELLED
        )
    )
    return condition


def audience_q(person_id: int, *, on: datetime.date | None = None) -> Q:
    """The activities for a narrower audience that the person belongs to: a pillar or group
    they take part in, bestuurders (they hold a running position as mayor or alderman), or by
    invitation (they are invited)."""
    running = pillars.participations_of_person(person_id=person_id, on=on)
    return (
        Q(audience=Audience.BODY)
        & (
            Q(audience_pillar__in=running.filter(pillar__isnull=False).values("pillar_id"))
            | Q(
                audience_theme_group__in=running.filter(theme_group__isnull=False).values(
                    "theme_group_id"
                )
            )
        )
        | Q(audience=Audience.ADMINISTRATORS)
        & Exists(
            contacts.current_positions_of_person(person_id=person_id, on=on).filter(
                function__in=ADMINISTRATOR_FUNCTIONS
            )
        )
        | Q(audience=Audience.INVITATION)
        & Exists(Invitation.objects.filter(activity=OuterRef("pk"), person_id=person_id))
    )


def in_audience(person, activity: Activity) -> bool:
    """Whether ``person`` belongs to the activity's audience: the organiser registers only
    them (anyone for an activity for everyone or for all participants of members)."""
    if activity.audience in (Audience.PUBLIC, Audience.MEMBERS):
        return True
    return Activity.objects.filter(audience_q(person.pk), pk=activity.pk).exists()


def may_view(user, activity: Activity) -> bool:
    if sees_everything(user):
        return True
    if activity.audience == Audience.PUBLIC:
        return True
    return Activity.objects.filter(visible_q(user), pk=activity.pk).exists()


def may_manage(user, activity: Activity, *, on: datetime.date | None = None) -> bool:
    """Change, cancel, see the registrations of, and record the attendance of ``activity``."""
    if has_rule(user, "activities.manage"):
        return True
    if (
        has_rule(user, "activities.manage_public_affairs")
        and activity.organiser is None
        and activity.kind in PUBLIC_AFFAIRS_KINDS
    ):
        return True
    organiser = activity.organiser
    return organiser is not None and pillar_rules.may_manage(user, organiser, on=on)


def may_organise(user, *, organiser=None, kind: str = "") -> bool:
    """Plan a new activity organised by ``organiser`` (a pillar or group; None: the bureau)."""
    if has_rule(user, "activities.manage"):
        return True
    if organiser is None:
        return has_rule(user, "activities.manage_public_affairs") and (
            not kind or kind in PUBLIC_AFFAIRS_KINDS
        )
    return pillar_rules.may_manage(user, organiser)


def may_organise_any(user) -> bool:
    """Whether ``user`` may plan some activity (the link to the form)."""
    if has_rule(user, "activities.manage") or has_rule(user, "activities.manage_public_affairs"):
        return True
    person_id = _person_id(user)
    return (
        person_id is not None
        and pillars.participations_of_person(person_id=person_id, chair=True).exists()
    )


def registration_window_open(activity: Activity, *, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    if activity.registration_opens_at and now < activity.registration_opens_at:
        return False
    closes = activity.registration_closes_at or activity.starts_at
    return now < closes


def may_register_self(user) -> bool:
    return _person_id(user) is not None and has_rule(user, "activities.register")


def may_cancel_registration(user, registration: Registration) -> bool:
    """The registered person themself, and whoever manages the activity."""
    person_id = _person_id(user)
    if person_id is not None and registration.person_id == person_id:
        return True
    return may_manage(user, registration.activity)
