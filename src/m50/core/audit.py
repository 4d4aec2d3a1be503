"""Recording audit events. Called from services, inside their transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from m50.core.models import AuditEvent

SECRET_FIELDS = frozenset({"password", "token", "key", "secret"})


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
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_label, actor_obj = actor.get_username(), actor
    else:
        actor_label, actor_obj = origin or "systeem", None
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_label=actor_label,
        origin=origin,
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        result=result,
        changes=changes or {},
    )
