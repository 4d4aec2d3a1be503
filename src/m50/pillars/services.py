"""Writes on pillars, theme groups, participations and topics. Each enforces the rules (see
:mod:`m50.pillars.rules`), is atomic, and is audited; a refusal is a ``ValidationError`` in
Dutch that changes nothing. Who may call which write is checked by the caller (the view or
API) through :mod:`m50.pillars.rules`."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from m50.contacts.models import Person, Position
from m50.core.audit import audit_actor, audit_record, diff
from m50.membership import selectors as membership
from m50.pillars import notifications, reference, rules
from m50.pillars.models import (
    Category,
    Participation,
    ParticipationRequest,
    Pillar,
    PillarSuccession,
    Role,
    ThemeGroup,
    Topic,
    TopicStatus,
    TopicStatusChange,
)

BODY_FIELDS = ("name", "purpose", "started_on")
PARTICIPATION_FIELDS = ("role", "category", "start_date", "end_date", "end_reason")
TOPIC_FIELDS = ("title", "description", "owner")
SLUG_MAX_LENGTH = Pillar._meta.get_field("slug").max_length
# Path segments the pages of pillars and groups will use; a slug must not take them.
RESERVED_SLUGS = frozenset({"nieuw", "matrix", "deelnames", "onderwerpen", "themagroepen"})


def _long_date(value: datetime.date) -> str:
    return formats.date_format(value, "j F Y")


def _values(obj, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _body_kind(body) -> str:
    return "pillar" if isinstance(body, Pillar) else "theme_group"


def _body_phrase(body) -> str:
    if isinstance(body, Pillar):
        return _("pijler %(name)s") % {"name": body.name}
    return _("themagroep %(name)s") % {"name": body.name}


# --- Pillars and theme groups -----------------------------------------------------------------


def _unique_slug(model, text: str) -> str:
    base = slugify(text)[: SLUG_MAX_LENGTH - 4].strip("-") or "pijler"
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _check_body_dates(started_on, ended_on) -> None:
    if started_on and ended_on and ended_on < started_on:
        raise ValidationError(
            {
                "ended_on": _("De einddatum (%(end)s) ligt vóór de begindatum (%(start)s).")
                % {"end": _long_date(ended_on), "start": _long_date(started_on)}
            }
        )


def _body_create(model, *, name, slug, purpose, started_on, actor, origin, **extra):
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Vul een naam in.")})
    if slug and model.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("Deze slug is al in gebruik.")})
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("Deze slug is gereserveerd.")})
    body = model(
        name=name,
        slug=slug or _unique_slug(model, name),
        purpose=purpose.strip(),
        started_on=started_on,
        **extra,
    )
    body.full_clean()
    body.save()
    audit_record(
        action=f"{_body_kind(body)}.create",
        obj=body,
        actor=actor,
        origin=origin,
        changes=diff({}, _values(body, (*BODY_FIELDS, "slug", *extra))),
    )
    return body


def _body_update(body, *, actor, origin, changes: dict, allowed=BODY_FIELDS):
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    changes = {name: _strip(value) for name, value in changes.items()}
    if "name" in changes and not changes["name"]:
        raise ValidationError({"name": _("Vul een naam in.")})
    _check_body_dates(changes.get("started_on", body.started_on), body.ended_on)
    old = _values(body, allowed)
    for name, value in changes.items():
        setattr(body, name, value)
    body.full_clean()
    changed = diff(old, _values(body, allowed))
    if changed:
        body.save(update_fields=[name for name in allowed if name in changes])
        audit_record(
            action=f"{_body_kind(body)}.update",
            obj=body,
            actor=actor,
            origin=origin,
            changes=changed,
        )
    return body


def _body_end(body, *, ended_on: datetime.date, actor, origin):
    """End a pillar or group on ``ended_on`` (its last day); the participations running then
    end with it."""
    if body.ended:
        raise ValidationError(_("De %(body)s is al beëindigd.") % {"body": _body_phrase(body)})
    _check_body_dates(body.started_on, ended_on)
    old = {"ended": body.ended, "ended_on": body.ended_on}
    body.ended, body.ended_on = True, ended_on
    body.save(update_fields=["ended", "ended_on"])
    audit_record(
        action=f"{_body_kind(body)}.end",
        obj=body,
        actor=actor,
        origin=origin,
        changes=diff(old, {"ended": True, "ended_on": ended_on}),
    )
    running = Participation.objects.filter(**{_body_kind(body): body}).filter(_open_after(ended_on))
    _end_or_cancel(
        running,
        end_date=ended_on,
        reason=Participation.EndReason.BODY_ENDED,
        actor=actor,
        origin=origin,
    )
    return body


@transaction.atomic
def pillar_create(
    *,
    name: str,
    slug: str = "",
    purpose: str = "",
    started_on: datetime.date | None = None,
    actor=None,
    origin: str = "",
) -> Pillar:
    """A new, running pillar; without ``slug`` a unique one is made from the name."""
    return _body_create(
        Pillar,
        name=name,
        slug=slug,
        purpose=purpose,
        started_on=started_on,
        actor=actor,
        origin=origin,
    )


@transaction.atomic
def pillar_update(*, pillar: Pillar, actor=None, origin: str = "", **changes) -> Pillar:
    """Change a pillar's name, purpose or start date."""
    return _body_update(pillar, actor=actor, origin=origin, changes=changes)


@transaction.atomic
def pillar_end(*, pillar: Pillar, ended_on: datetime.date, actor=None, origin: str = "") -> Pillar:
    """End a pillar on ``ended_on``: it takes no new participants or topics after it, and
    its running participations end that day. Its theme groups run on (they may move on to
    another pillar); end them separately."""
    return _body_end(pillar, ended_on=ended_on, actor=actor, origin=origin)


@transaction.atomic
def pillar_succession_add(
    *, predecessor: Pillar, successor: Pillar, note: str = "", actor=None, origin: str = ""
) -> PillarSuccession:
    """Record that (part of) ``predecessor``'s work went to ``successor``."""
    if predecessor.pk == successor.pk:
        raise ValidationError(_("Een pijler kan niet zijn eigen opvolger zijn."))
    if PillarSuccession.objects.filter(predecessor=predecessor, successor=successor).exists():
        raise ValidationError(
            _("%(successor)s is al vastgelegd als opvolger van %(predecessor)s.")
            % {"successor": successor.name, "predecessor": predecessor.name}
        )
    succession = PillarSuccession.objects.create(
        predecessor=predecessor, successor=successor, note=note.strip()
    )
    audit_record(
        action="pillar.succession_add",
        obj=predecessor,
        actor=actor,
        origin=origin,
        changes=diff({}, {"successor": successor.name, "note": succession.note}),
    )
    return succession


@transaction.atomic
def pillar_succession_remove(*, succession: PillarSuccession, actor=None, origin: str = "") -> None:
    audit_record(
        action="pillar.succession_remove",
        obj=succession.predecessor,
        actor=actor,
        origin=origin,
        changes=diff({"successor": succession.successor.name, "note": succession.note}, {}),
    )
    succession.delete()


@transaction.atomic
def theme_group_create(
    *,
    name: str,
    pillar: Pillar | None = None,
    slug: str = "",
    purpose: str = "",
    started_on: datetime.date | None = None,
    actor=None,
    origin: str = "",
) -> ThemeGroup:
    """A new theme group of ``pillar`` (None: of the network as a whole); an ended pillar
    gets no new groups."""
    if pillar is not None and not pillar.is_running(started_on or timezone.localdate()):
        raise ValidationError(
            {"pillar": _("De pijler %(name)s is beëindigd.") % {"name": pillar.name}}
        )
    return _body_create(
        ThemeGroup,
        name=name,
        slug=slug,
        purpose=purpose,
        started_on=started_on,
        actor=actor,
        origin=origin,
        pillar=pillar,
    )


@transaction.atomic
def theme_group_update(
    *, theme_group: ThemeGroup, actor=None, origin: str = "", **changes
) -> ThemeGroup:
    """Change a group's name, purpose, start date or pillar."""
    pillar = changes.get("pillar", theme_group.pillar)
    if "pillar" in changes and pillar is not None and not pillar.is_running():
        raise ValidationError(
            {"pillar": _("De pijler %(name)s is beëindigd.") % {"name": pillar.name}}
        )
    return _body_update(
        theme_group,
        actor=actor,
        origin=origin,
        changes=changes,
        allowed=(*BODY_FIELDS, "pillar"),
    )


@transaction.atomic
def theme_group_end(
    *, theme_group: ThemeGroup, ended_on: datetime.date, actor=None, origin: str = ""
) -> ThemeGroup:
    """End a theme group on ``ended_on``; its running participations end that day."""
    return _body_end(theme_group, ended_on=ended_on, actor=actor, origin=origin)


@transaction.atomic
def pillars_reference_load() -> reference.LoadCounts:
    """The shipped pillars and their successions, where missing (see ``data/PROVENANCE.md``)."""
    return reference.pillars_load(Pillar, PillarSuccession)


# --- Participations ---------------------------------------------------------------------------


def _open_after(day: datetime.date) -> Q:
    return Q(end_date__isnull=True) | Q(end_date__gt=day)


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    """Whether two periods (inclusive; an empty end is open) share a day."""
    return (a_end is None or b_start <= a_end) and (b_end is None or a_start <= b_end)


def _period(start: datetime.date, end: datetime.date | None) -> str:
    return _("%(start)s tot en met %(end)s") % {
        "start": _long_date(start),
        "end": _long_date(end) if end else _("heden"),
    }


def _check_participation_dates(start_date, end_date) -> None:
    if start_date is None:
        raise ValidationError({"start_date": _("Vul een begindatum in.")})
    if end_date is not None and end_date < start_date:
        raise ValidationError(
            {
                "end_date": _("De einddatum (%(end)s) ligt vóór de begindatum (%(start)s).")
                % {"end": _long_date(end_date), "start": _long_date(start_date)}
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
                    "date": _long_date(position.start_date),
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
                    % {"person": position.person.full_name, "date": _long_date(position.end_date)}
                }
            )
        raise ValidationError(
            {
                "end_date": _(
                    "De functie van %(person)s eindigt op %(date)s; de deelname kan niet "
                    "langer lopen."
                )
                % {"person": position.person.full_name, "date": _long_date(position.end_date)}
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
                % {"organisation": position.organisation.name, "date": _long_date(start_date)}
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
    _check_within_position(position, start_date, end_date)
    _lock_body(body)
    body.refresh_from_db()
    if not body.is_running(start_date):
        raise ValidationError(
            _("De %(body)s loopt op %(date)s niet en neemt geen nieuwe deelnemers aan.")
            % {"body": _body_phrase(body), "date": _long_date(start_date)},
            code="body_ended",
        )
    _lock_person(position.person_id)
    participation = Participation(
        position=position,
        pillar=pillar,
        theme_group=theme_group,
        role=role,
        category=category,
        start_date=start_date,
        end_date=end_date,
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
            % {"date": _long_date(on)}
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


# --- Requests to join -----------------------------------------------------------------------


def _pending_request(request: ParticipationRequest) -> ParticipationRequest:
    request = (
        # Only the request's row: its pillar or group is the nullable side of a join.
        ParticipationRequest.objects.select_for_update(of=("self",))
        .select_related("position__person", "pillar", "theme_group")
        .get(pk=request.pk)
    )
    if request.state != ParticipationRequest.State.PENDING:
        raise ValidationError(
            _("Deze aanmelding is al behandeld (%(state)s).")
            % {"state": request.get_state_display()},
            code="handled",
        )
    return request


def _request_values(request: ParticipationRequest) -> dict:
    return {
        "person": request.position.person.full_name,
        "body": str(request.body),
        "state": request.state,
        "note": request.note,
        "refusal_reason": request.refusal_reason,
    }


@transaction.atomic
def participation_request_create(
    *,
    position: Position,
    pillar: Pillar | None = None,
    theme_group: ThemeGroup | None = None,
    note: str = "",
    actor=None,
    origin: str = "",
) -> ParticipationRequest:
    """An official asks to join: refused now if registering them today would be refused
    (the same rules), or if they already asked and no one has answered yet."""
    _participation_checked(
        position=position,
        pillar=pillar,
        theme_group=theme_group,
        role=Role.MEMBER,
        category="",
        start_date=timezone.localdate(),
        end_date=None,
    )
    body = pillar or theme_group
    pending = ParticipationRequest.objects.filter(
        position__person_id=position.person_id,
        state=ParticipationRequest.State.PENDING,
        **{_body_kind(body): body},
    )
    if pending.exists():
        raise ValidationError(
            _("%(person)s heeft zich al aangemeld voor de %(body)s; die aanmelding loopt nog.")
            % {"person": position.person.full_name, "body": _body_phrase(body)},
            code="pending",
        )
    user, _label, _origin = audit_actor(actor, origin)
    request = ParticipationRequest.objects.create(
        position=position,
        pillar=pillar,
        theme_group=theme_group,
        note=note.strip(),
        requested_by=user,
    )
    audit_record(
        action="participation_request.create",
        obj=request,
        actor=actor,
        origin=origin,
        changes=diff({}, _request_values(request)),
    )
    return request


def _handle(request, *, state, actor, origin, **values) -> ParticipationRequest:
    old = _request_values(request)
    user, _label, _origin = audit_actor(actor, origin)
    request.state = state
    request.handled_at = timezone.now()
    request.handled_by = user
    for name, value in values.items():
        setattr(request, name, value)
    request.save()
    audit_record(
        action=f"participation_request.{state}",
        obj=request,
        actor=actor,
        origin=origin,
        changes=diff(old, _request_values(request)),
    )
    return request


@transaction.atomic
def participation_request_accept(
    *,
    request: ParticipationRequest,
    role: str = Role.MEMBER,
    start_date: datetime.date | None = None,
    actor=None,
    origin: str = "",
) -> Participation:
    """The chair or the bureau accepts: the participation is registered (all its rules
    apply, from ``start_date``, default today). Returns the participation."""
    request = _pending_request(request)
    participation = participation_register(
        position=request.position,
        pillar=request.pillar,
        theme_group=request.theme_group,
        role=role,
        start_date=start_date,
        actor=actor,
        origin=origin,
    )
    _handle(
        request,
        state=ParticipationRequest.State.ACCEPTED,
        actor=actor,
        origin=origin,
        participation=participation,
    )
    return participation


@transaction.atomic
def participation_request_refuse(
    *, request: ParticipationRequest, reason: str, actor=None, origin: str = ""
) -> ParticipationRequest:
    """The chair or the bureau refuses, saying why (the official reads it)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"refusal_reason": _("Geef de reden van de afwijzing.")})
    request = _pending_request(request)
    return _handle(
        request,
        state=ParticipationRequest.State.REFUSED,
        actor=actor,
        origin=origin,
        refusal_reason=reason,
    )


@transaction.atomic
def participation_request_withdraw(
    *, request: ParticipationRequest, actor=None, origin: str = ""
) -> ParticipationRequest:
    """The official withdraws their own request before it is answered."""
    request = _pending_request(request)
    return _handle(request, state=ParticipationRequest.State.WITHDRAWN, actor=actor, origin=origin)


# --- Topics -----------------------------------------------------------------------------------


def _record_status(topic: Topic, *, from_status: str, note: str, actor, origin) -> None:
    user, label, _origin = audit_actor(actor, origin)
    TopicStatusChange.objects.create(
        topic=topic,
        from_status=from_status,
        to_status=topic.status,
        changed_by=user,
        changed_by_label=label[:200],
        note=note.strip(),
    )


@transaction.atomic
def topic_propose(
    *,
    title: str,
    owner: Person,
    pillar: Pillar | None = None,
    theme_group: ThemeGroup | None = None,
    description: str = "",
    note: str = "",
    actor=None,
    origin: str = "",
) -> Topic:
    """A topic proposed for a running pillar or group; its owner takes part there today."""
    if (pillar is None) == (theme_group is None):
        raise ValidationError(_("Een onderwerp hoort bij één pijler of bij één themagroep."))
    body = pillar or theme_group
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Vul een titel in.")})
    today = timezone.localdate()
    if not body.is_running(today):
        raise ValidationError(
            _("De %(body)s loopt niet en neemt geen nieuwe onderwerpen aan.")
            % {"body": _body_phrase(body)},
            code="body_ended",
        )
    _check_owner(owner, body, today)
    topic = Topic(
        pillar=pillar,
        theme_group=theme_group,
        title=title,
        description=description.strip(),
        owner=owner,
        status=TopicStatus.PROPOSED,
    )
    topic.full_clean()
    topic.save()
    _record_status(topic, from_status="", note=note, actor=actor, origin=origin)
    audit_record(
        action="topic.propose",
        obj=topic,
        actor=actor,
        origin=origin,
        changes=diff({}, {**_values(topic, TOPIC_FIELDS), "status": topic.status}),
    )
    return topic


def _check_owner(owner: Person | None, body, on: datetime.date) -> None:
    from m50.pillars import selectors

    if owner is None:
        raise ValidationError({"owner": _("Een onderwerp heeft een eigenaar.")})
    if not selectors.person_takes_part(person_id=owner.pk, body=body, on=on):
        raise ValidationError(
            {
                "owner": _("%(person)s neemt niet deel aan de %(body)s.")
                % {"person": owner.full_name, "body": _body_phrase(body)}
            }
        )


@transaction.atomic
def topic_update(*, topic: Topic, actor=None, origin: str = "", **changes) -> Topic:
    """Change a topic's title, description or owner (who takes part there today)."""
    unknown = set(changes) - set(TOPIC_FIELDS)
    if unknown:
        raise TypeError(f"unknown topic fields: {sorted(unknown)}")
    changes = {name: _strip(value) for name, value in changes.items()}
    if "title" in changes and not changes["title"]:
        raise ValidationError({"title": _("Vul een titel in.")})
    if "owner" in changes and changes["owner"] != topic.owner:
        _check_owner(changes["owner"], topic.body, timezone.localdate())
    old = _values(topic, TOPIC_FIELDS)
    for name, value in changes.items():
        setattr(topic, name, value)
    topic.full_clean()
    changed = diff(old, _values(topic, TOPIC_FIELDS))
    if changed:
        topic.save(update_fields=list(changed))
        audit_record(action="topic.update", obj=topic, actor=actor, origin=origin, changes=changed)
    return topic


@transaction.atomic
def topic_status_change(
    *, topic: Topic, status: str, note: str = "", actor=None, origin: str = ""
) -> Topic:
    """Adopt, park, close or reopen a topic (``rules.TOPIC_TRANSITIONS``), with its history.
    In a pillar or group that no longer runs a topic can only be closed."""
    if status not in TopicStatus.values:
        raise ValidationError({"status": _("Onbekende status: %(status)s.") % {"status": status}})
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if status not in rules.TOPIC_TRANSITIONS[topic.status]:
        raise ValidationError(
            {
                "status": _("Een onderwerp met status %(old)s kan niet naar %(new)s.")
                % {"old": TopicStatus(topic.status).label, "new": TopicStatus(status).label}
            },
            code="transition",
        )
    body = topic.body
    if status != TopicStatus.CLOSED and not body.is_running():
        raise ValidationError(
            _("De %(body)s loopt niet meer; een onderwerp ervan kan alleen nog worden afgesloten.")
            % {"body": _body_phrase(body)},
            code="body_ended",
        )
    old = topic.status
    topic.status = status
    topic.save(update_fields=["status"])
    _record_status(topic, from_status=old, note=note, actor=actor, origin=origin)
    audit_record(
        action="topic.status_change",
        obj=topic,
        actor=actor,
        origin=origin,
        changes={**diff({"status": old}, {"status": status}), **_note(note)},
    )
    return topic


def _note(note: str) -> dict:
    return {"note": {"old": "", "new": note.strip()}} if note.strip() else {}
