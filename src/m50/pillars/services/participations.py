"""Participations: registering, ending, changing roles, and ending with a position."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.contacts.models import Person, Position
from m50.core.audit import audit_record, diff
from m50.core.formats import long_date
from m50.membership import selectors as membership
from m50.pillars import notifications, rules
from m50.pillars.models import (
    Category,
    Participation,
    Pillar,
    Role,
    ThemeGroup,
)
from m50.pillars.services._common import (
    PARTICIPATION_FIELDS,
    _body_kind,
    _body_phrase,
    _values,
)

# --- Participations ---------------------------------------------------------------------------


def _open_after(day: datetime.date) -> Q:
    return Q(end_date__isnull=True) | Q(end_date__gt=day)


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    """Whether two periods (inclusive; an empty end is open) share a day."""
    return (a_end is None or b_start <= a_end) and (b_end is None or a_start <= b_end)


def _period(start: datetime.date, end: datetime.date | None) -> str:
    return _("%(start)s tot en met %(end)s") % {
        "start": long_date(start),
        "end": long_date(end) if end else _("heden"),
    }


def _check_participation_dates(start_date, end_date) -> None:
    if start_date is None:
        raise ValidationError({"start_date": _("Vul een begindatum in.")})
    if end_date is not None and end_date < start_date:
        raise ValidationError(
            {
                "end_date": _("De einddatum (%(end)s) ligt vóór de begindatum (%(start)s).")
                % {"end": long_date(end_date), "start": long_date(start_date)}
            }
        )


def _check_within_position(position: Position, start_date, end_date) -> None:
    if position.start_date and start_date < position.start_date:
        raise ValidationError(
            {
                "start_date": _(
                    "%(person)s is pas vanaf %(date)s %(function)s; de deelname kan niet "
                    "eerder beginnen."
                )
                % {
                    "person": position.person.full_name,
                    "date": long_date(position.start_date),
                    "function": position.get_function_display(),
                }
            }
        )
    if position.end_date and (end_date is None or end_date > position.end_date):
        if start_date > position.end_date:
            raise ValidationError(
                {
                    "start_date": _(
                        "De functie van %(person)s is op %(date)s beëindigd; een deelname kan "
                        "daarna niet beginnen."
                    )
                    % {"person": position.person.full_name, "date": long_date(position.end_date)}
                }
            )
        raise ValidationError(
            {
                "end_date": _(
                    "De functie van %(person)s eindigt op %(date)s; de deelname kan niet "
                    "langer lopen."
                )
                % {"person": position.person.full_name, "date": long_date(position.end_date)}
            }
        )


def _check_no_overlap(participation: Participation, body) -> None:
    """One person holds one participation in a pillar or group at a time (through whichever
    position): a second, overlapping one is a duplicate; a new role is a new period."""
    others = (
        Participation.objects.filter(
            position__person_id=participation.position.person_id,
            **{_body_kind(body): body},
        )
        .exclude(pk=participation.pk)
        .only("start_date", "end_date")
    )
    for other in others:
        if _overlaps(
            participation.start_date, participation.end_date, other.start_date, other.end_date
        ):
            raise ValidationError(
                _(
                    "%(person)s neemt al deel aan de %(body)s in een periode die hiermee "
                    "overlapt (%(period)s)."
                )
                % {
                    "person": participation.position.person.full_name,
                    "body": _body_phrase(body),
                    "period": _period(other.start_date, other.end_date),
                },
                code="overlap",
            )


def _check_chair(participation: Participation, body) -> None:
    """A pillar's chair is a bestuurder; a pillar or group has one chair at a time."""
    if participation.role != Role.CHAIR:
        return
    if rules.chair_needs_administrator(body) and participation.category != Category.ADMINISTRATOR:
        raise ValidationError(
            {
                "role": _(
                    "De voorzitter van een pijler is een bestuurder (burgemeester of wethouder)."
                )
            }
        )
    chairs = (
        Participation.objects.filter(role=Role.CHAIR, **{_body_kind(body): body})
        .exclude(pk=participation.pk)
        .select_related("position__person")
    )
    for other in chairs:
        if _overlaps(
            participation.start_date, participation.end_date, other.start_date, other.end_date
        ):
            raise ValidationError(
                {
                    "role": _(
                        "%(person)s is in die periode al voorzitter van de %(body)s "
                        "(%(period)s); wijzig of beëindig dat voorzitterschap eerst."
                    )
                    % {
                        "person": other.position.person.full_name,
                        "body": _body_phrase(body),
                        "period": _period(other.start_date, other.end_date),
                    }
                },
                code="chair_taken",
            )


def _participation_values(participation: Participation) -> dict:
    return {
        "person": participation.position.person.full_name,
        "position": str(participation.position),
        "body": str(participation.body),
        **_values(participation, PARTICIPATION_FIELDS),
    }


def _lock_person(person_id: int) -> None:
    # Serialise the participations of one person, so two at once cannot both pass the
    # overlap check.
    Person.objects.select_for_update().filter(pk=person_id).first()


def _lock_body(body) -> None:
    # ... and the chairs of one pillar or group.
    type(body).objects.select_for_update().filter(pk=body.pk).first()


@transaction.atomic
def participation_register(
    *,
    position: Position,
    pillar: Pillar | None = None,
    theme_group: ThemeGroup | None = None,
    role: str = Role.MEMBER,
    category: str = "",
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    actor=None,
    origin: str = "",
) -> Participation:
    """An official takes part in one pillar or theme group, through ``position``.

    Refused unless: the position is at a municipality that is member or aspirant on the start
    date, and runs over the whole participation; the category fits the function (default: the
    one the function gives); the pillar or group runs on the start date; the person holds no
    other participation there in an overlapping period; a pillar's chair is a bestuurder and
    there is no other chair at the time; the dates are in order.
    """
    participation = _participation_checked(
        position=position,
        pillar=pillar,
        theme_group=theme_group,
        role=role,
        category=category,
        start_date=start_date,
        end_date=end_date,
    )
    participation.save()
    audit_record(
        action="participation.register",
        obj=participation,
        actor=actor,
        origin=origin,
        changes=diff({}, _participation_values(participation)),
    )
    return participation


def _participation_checked(
    *, position, pillar, theme_group, role, category, start_date, end_date
) -> Participation:
    """The participation :func:`participation_register` would write, after every rule (and
    the locks that keep the checks true until the caller's transaction ends); not saved."""
    if (pillar is None) == (theme_group is None):
        raise ValidationError(_("Een deelname is aan één pijler of aan één themagroep."))
    body = pillar or theme_group
    start_date = start_date or timezone.localdate()
    _check_participation_dates(start_date, end_date)
    if role not in Role.values:
        raise ValidationError({"role": _("Onbekende rol: %(role)s.") % {"role": role}})
    position = Position.objects.select_related("person", "organisation").get(pk=position.pk)
    municipality_id = position.organisation.municipality_id
    if municipality_id is None:
        raise ValidationError(
            {
                "position": _(
                    "Alleen functionarissen van een gemeente nemen deel; %(organisation)s is "
                    "geen gemeente."
                )
                % {"organisation": position.organisation.name}
            }
        )
    if not membership.is_running(municipality_id=municipality_id, on=start_date):
        raise ValidationError(
            {
                "position": _(
                    "%(organisation)s is op %(date)s geen lid of aspirant-lid van het M50; "
                    "alleen functionarissen van (aspirant-)leden nemen deel."
                )
                % {"organisation": position.organisation.name, "date": long_date(start_date)}
            }
        )
    expected = rules.category_for(position.function)
    if expected is None:
        raise ValidationError(
            {
                "position": _("Een %(function)s neemt niet deel aan pijlers of themagroepen.")
                % {"function": position.get_function_display()}
            }
        )
    category = category or expected
    if category not in Category.values:
        raise ValidationError(
            {"category": _("Onbekende categorie: %(category)s.") % {"category": category}}
        )
    if position.function not in rules.CATEGORY_FUNCTIONS[category]:
        raise ValidationError(
            {
                "category": _("Een %(function)s neemt deel als %(expected)s, niet als %(given)s.")
                % {
                    "function": position.get_function_display(),
                    "expected": Category(expected).label,
                    "given": Category(category).label,
                }
            }
        )
    _lock_body(body)
    body.refresh_from_db()
    if not body.is_running(start_date):
        raise ValidationError(
            _("De %(body)s loopt op %(date)s niet en neemt geen nieuwe deelnemers aan.")
            % {"body": _body_phrase(body), "date": long_date(start_date)},
            code="body_ended",
        )
    # Without an end date, a participation ends when its position or its pillar or group is
    # known to end (a planned end); it cannot be given a later one.
    end_reason = ""
    if end_date is None and position.end_date and position.end_date >= start_date:
        end_date, end_reason = position.end_date, Participation.EndReason.POSITION_ENDED
    if body.ended_on and (end_date is None or end_date > body.ended_on):
        if end_reason or end_date is None:
            end_date, end_reason = body.ended_on, Participation.EndReason.BODY_ENDED
        else:
            raise ValidationError(
                {
                    "end_date": _(
                        "De %(body)s eindigt op %(date)s; de deelname kan niet langer lopen."
                    )
                    % {"body": _body_phrase(body), "date": long_date(body.ended_on)}
                }
            )
    _check_within_position(position, start_date, end_date)
    _lock_person(position.person_id)
    participation = Participation(
        position=position,
        pillar=pillar,
        theme_group=theme_group,
        role=role,
        category=category,
        start_date=start_date,
        end_date=end_date,
        end_reason=end_reason,
    )
    _check_no_overlap(participation, body)
    _check_chair(participation, body)
    participation.full_clean()
    return participation


def _participation_close(participation, *, end_date, reason, actor, origin) -> None:
    old = _participation_values(participation)
    participation.end_date, participation.end_reason = end_date, reason
    participation.save(update_fields=["end_date", "end_reason"])
    audit_record(
        action="participation.end",
        obj=participation,
        actor=actor,
        origin=origin,
        changes=diff(old, _participation_values(participation)),
    )


def _end_or_cancel(participations, *, end_date, reason, actor, origin) -> list[Participation]:
    """End ``participations`` on ``end_date``; one that would only start after it never ran
    and is removed (audited). Returns the ended ones."""
    ended = []
    for participation in participations.select_related(
        "position__person", "position__organisation", "pillar", "theme_group"
    ):
        if participation.start_date > end_date:
            audit_record(
                action="participation.cancel",
                obj=participation,
                actor=actor,
                origin=origin,
                changes=diff(_participation_values(participation), {}),
            )
            participation.delete()
            continue
        _participation_close(
            participation, end_date=end_date, reason=reason, actor=actor, origin=origin
        )
        ended.append(participation)
    return ended


@transaction.atomic
def participation_end(
    *,
    participation: Participation,
    end_date: datetime.date | None = None,
    reason: str = Participation.EndReason.LEFT,
    actor=None,
    origin: str = "",
) -> Participation:
    """End a participation on ``end_date`` (its last day; default today); a correction may
    move an end date, but not past the position's end."""
    end_date = end_date or timezone.localdate()
    if reason not in Participation.EndReason.values:
        raise ValidationError({"end_reason": _("Onbekende reden van beëindiging.")})
    participation = Participation.objects.select_related(
        "position__person", "position__organisation", "pillar", "theme_group"
    ).get(pk=participation.pk)
    _check_participation_dates(participation.start_date, end_date)
    _check_within_position(participation.position, participation.start_date, end_date)
    if participation.end_date != end_date or participation.end_reason != reason:
        _participation_close(
            participation, end_date=end_date, reason=reason, actor=actor, origin=origin
        )
    return participation


@transaction.atomic
def participation_role_change(
    *,
    participation: Participation,
    role: str,
    on: datetime.date | None = None,
    actor=None,
    origin: str = "",
) -> Participation:
    """Give a participant another role from ``on`` (default today), e.g. make them chair.

    The history stays: the participation ends the day before and a new one with the new role
    starts on ``on`` (on its own start date the role is simply corrected). Returns the
    participation that carries the new role.
    """
    on = on or timezone.localdate()
    if role not in Role.values:
        raise ValidationError({"role": _("Onbekende rol: %(role)s.") % {"role": role}})
    participation = Participation.objects.select_related(
        "position__person", "position__organisation", "pillar", "theme_group"
    ).get(pk=participation.pk)
    if participation.role == role:
        raise ValidationError(
            {
                "role": _("%(person)s heeft die rol al.")
                % {"person": participation.position.person.full_name}
            }
        )
    if not participation.is_running(on):
        raise ValidationError(
            _(
                "De deelname loopt op %(date)s niet; alleen een lopende deelname krijgt een "
                "andere rol."
            )
            % {"date": long_date(on)}
        )
    body = participation.body
    _lock_body(body)
    if on <= participation.start_date:
        old = _participation_values(participation)
        participation.role = role
        _check_chair(participation, body)
        participation.save(update_fields=["role"])
        audit_record(
            action="participation.role_change",
            obj=participation,
            actor=actor,
            origin=origin,
            changes=diff(old, _participation_values(participation)),
        )
        return participation
    successor = Participation(
        position=participation.position,
        pillar=participation.pillar,
        theme_group=participation.theme_group,
        role=role,
        category=participation.category,
        start_date=on,
        end_date=participation.end_date,
        end_reason=participation.end_reason,
    )
    _check_chair(successor, body)
    _participation_close(
        participation,
        end_date=on - datetime.timedelta(days=1),
        reason=Participation.EndReason.ROLE_CHANGED,
        actor=actor,
        origin=origin,
    )
    successor.full_clean()
    successor.save()
    audit_record(
        action="participation.role_change",
        obj=successor,
        actor=actor,
        origin=origin,
        changes=diff(
            {**_participation_values(participation), "end_date": None, "end_reason": ""},
            _participation_values(successor),
        ),
    )
    return successor


@transaction.atomic
def participations_end_with_position(
    *,
    position: Position,
    end_date: datetime.date,
    previous_end_date: datetime.date | None = None,
    actor=None,
    origin: str = "",
) -> list[Participation]:
    """When a position ends (or its end moves earlier), what rests on it ends with it: the
    participations running after ``end_date`` end that day, and the municipality's contacts
    are told (after commit), so the seat can be filled. One that would only have started
    after the position ended never ran: it is removed (audited). Returns the ended ones.

    A correction that moves the end later (``previous_end_date`` before ``end_date``) moves
    the participations that ended with the position along; nobody is mailed again."""
    if previous_end_date is not None and end_date > previous_end_date:
        moved = Participation.objects.filter(
            position_id=position.pk,
            end_date=previous_end_date,
            end_reason=Participation.EndReason.POSITION_ENDED,
        ).select_related("position__person", "position__organisation", "pillar", "theme_group")
        for participation in moved:
            _participation_close(
                participation,
                end_date=end_date,
                reason=Participation.EndReason.POSITION_ENDED,
                actor=actor,
                origin=origin,
            )
        return []
    ended = _end_or_cancel(
        Participation.objects.filter(position_id=position.pk).filter(_open_after(end_date)),
        end_date=end_date,
        reason=Participation.EndReason.POSITION_ENDED,
        actor=actor,
        origin=origin,
    )
    if ended:
        notifications.participations_ended(position=position, participations=ended)
    return ended
