"""Requests to join a pillar or theme group."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.contacts.models import Position
from m50.core.audit import audit_actor, audit_record, diff
from m50.pillars.models import (
    Participation,
    ParticipationRequest,
    Pillar,
    Role,
    ThemeGroup,
)
from m50.pillars.services._common import (
    _body_kind,
    _body_phrase,
)
from m50.pillars.services.participations import _participation_checked, participation_register

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
