"""Stakeholders: who in the network owns a relation, and its next step."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from m50.core.audit import audit_record, diff
from m50.publicaffairs import rules
from m50.publicaffairs.models import (
    Stakeholder,
)
from m50.publicaffairs.records._common import _check_write, _text

# --- Stakeholders -----------------------------------------------------------------------------

STAKEHOLDER_FIELDS = ("owner", "next_step", "next_step_date")


def _stakeholder_values(stakeholder: Stakeholder) -> dict:
    return {name: getattr(stakeholder, name) for name in STAKEHOLDER_FIELDS}


def _check_owner(owner) -> None:
    if owner is not None and not rules.may_read(owner):
        raise ValidationError(
            {"owner": _("Kies als eigenaar een actieve gebruiker van het netwerk.")}
        )


@transaction.atomic
def stakeholder_create(
    *,
    actor,
    organisation=None,
    member=None,
    fractie=None,
    owner=None,
    next_step: str = "",
    next_step_date: datetime.date | None = None,
) -> Stakeholder:
    """The relation with one organisation, Kamerlid or fractie (exactly one)."""
    _check_write(actor)
    parties = [p for p in (organisation, member, fractie) if p is not None]
    if len(parties) != 1:
        raise ValidationError(
            {"organisation": _("Kies één organisatie, één Kamerlid of één fractie.")}
        )
    _check_owner(owner)
    party = {"organisation": organisation, "member": member, "fractie": fractie}
    party = {name: value for name, value in party.items() if value is not None}
    if Stakeholder.objects.filter(**party).exists():
        raise ValidationError(
            {"organisation": _("Voor %(name)s is de relatie al vastgelegd.") % {"name": parties[0]}}
        )
    stakeholder = Stakeholder.objects.create(
        **party, owner=owner, next_step=_text(next_step), next_step_date=next_step_date
    )
    audit_record(
        action="publicaffairs.stakeholder_create",
        obj=stakeholder,
        actor=actor,
        changes=diff({}, _stakeholder_values(stakeholder)),
    )
    return stakeholder


@transaction.atomic
def stakeholder_update(*, actor, stakeholder: Stakeholder, **changes) -> Stakeholder:
    """Changes the owner and the next step (text and date)."""
    _check_write(actor)
    unknown = set(changes) - set(STAKEHOLDER_FIELDS)
    if unknown:
        raise TypeError(f"stakeholder_update: unknown fields {sorted(unknown)}")
    if "owner" in changes:
        _check_owner(changes["owner"])
    stakeholder = Stakeholder.objects.select_for_update().get(pk=stakeholder.pk)
    before = _stakeholder_values(stakeholder)
    for name, value in changes.items():
        setattr(stakeholder, name, _text(value) if name == "next_step" else value)
    stakeholder.save()
    audit_record(
        action="publicaffairs.stakeholder_update",
        obj=stakeholder,
        actor=actor,
        changes=diff(before, _stakeholder_values(stakeholder)),
    )
    return stakeholder
