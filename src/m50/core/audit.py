"""Recording audit events. Called from services, inside their transaction.

Who acted: the signed-in user when there is one; otherwise, for a management command, the
operator who ran it (``command_line``), with the origin "opdrachtregel"; only what runs
outside both is "systeem".
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

from django.db import models

from m50.core.models import AuditEvent

SECRET_FIELDS = frozenset({"password", "token", "key", "secret"})
# Stored as the origin of what a management command does (Dutch, like "webformulier", "API").
COMMAND_LINE_ORIGIN = "opdrachtregel"
UNATTENDED_LABEL = "systeem"

# (operator, origin) while a management command runs; None otherwise.
_command_line: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar(
    "m50_audit_command_line", default=None
)


@contextlib.contextmanager
def command_line(*, operator: str, command: str) -> Iterator[None]:
    """Everything audited inside is recorded as done by ``operator`` from the command line."""
    token = _command_line.set((operator, f"{COMMAND_LINE_ORIGIN} ({command})"))
    try:
        yield
    finally:
        _command_line.reset(token)


def audit_actor(actor=None, origin: str = "") -> tuple[Any, str, str]:
    """``(user or None, actor_label, origin)`` as an audit row records them.

    For code that builds ``AuditEvent`` rows itself (a bulk insert) instead of ``audit_record``.
    """
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor, actor.get_username(), origin
    running = _command_line.get()
    if running is not None:
        operator, command_origin = running
        return None, operator, f"{command_origin}: {origin}" if origin else command_origin
    return None, origin or UNATTENDED_LABEL, origin


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{field: {"old": ..., "new": ...}}`` for fields whose value changed; secrets masked."""
    changes = {}
    for field in sorted(set(old) | set(new)):
        before, after = _plain(old.get(field)), _plain(new.get(field))
        if before == after:
            continue
        if field in SECRET_FIELDS:
            before, after = "***", "***"
        changes[field] = {"old": before, "new": after}
    return changes


def audit_record(
    *,
    action: str,
    obj: models.Model,
    actor=None,
    origin: str = "",
    changes: dict[str, dict[str, Any]] | None = None,
    result: str = AuditEvent.Result.SUCCESS,
) -> AuditEvent:
    return audit_record_of(
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        object_repr=str(obj),
        actor=actor,
        origin=origin,
        changes=changes,
        result=result,
    )


def audit_record_of(
    *,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    actor=None,
    origin: str = "",
    changes: dict[str, dict[str, Any]] | None = None,
    result: str = AuditEvent.Result.SUCCESS,
) -> AuditEvent:
    """An audit row for a change that is not one object's: an import of many rows, named by
    their model and what identifies the batch."""
    actor_obj, actor_label, origin = audit_actor(actor, origin)
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_label=actor_label[:200],
        origin=origin[:200],
        action=action,
        object_type=object_type[:100],
        object_id=object_id[:100],
        object_repr=object_repr[:300],
        result=result,
        changes=changes or {},
    )
