"""What the writes of public affairs' own records share: the write check and text helpers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from m50.publicaffairs import rules

MASKED = "***"
NOTE_CHANGED = "*** (gewijzigd)"


def _check_write(actor) -> None:
    if actor is not None and not rules.may_write(actor):
        raise ValidationError(_("Alleen public affairs en het bureau mogen dit vastleggen."))


def _names(objects) -> list[str]:
    return sorted(str(obj) for obj in objects)


def _text(value) -> str:
    return (value or "").strip()
