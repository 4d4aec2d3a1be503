"""Shared checks of the activities tests: a refusal changes nothing and says why in Dutch."""

from __future__ import annotations

import contextlib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from m50.activities.models import (
    Activity,
    ActivitySeries,
    Attendance,
    Invitation,
    Registration,
    ReminderSent,
)
from m50.core.models import AuditEvent

COUNTED = (Activity, ActivitySeries, Registration, Attendance, Invitation, ReminderSent, AuditEvent)


def snapshot() -> dict:
    state = {model.__name__: model.objects.count() for model in COUNTED}
    state["registration states"] = sorted(Registration.objects.values_list("pk", "state"))
    state["activities"] = sorted(
        Activity.objects.values_list("pk", "status", "sequence", "title", "capacity")
    )
    state["mails"] = len(mail.outbox)
    return state


@contextlib.contextmanager
def refused(*words: str, error=ValidationError):
    """Expects ``error`` with every one of ``words`` in its message, and no change at all."""
    before = snapshot()
    with pytest.raises(error) as info:
        yield info
    assert snapshot() == before
    if words:
        message = " ".join(info.value.messages)
        for word in words:
            assert word in message, message
