"""Recurring consultations (*terugkerend overleg*)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from m50.core.audit import audit_record, diff
from m50.publicaffairs.models import (
    ConsultationSeries,
)
from m50.publicaffairs.records._common import _check_write, _text

# --- Recurring consultations ------------------------------------------------------------------


@transaction.atomic
def series_create(
    *, actor, name: str, cadence_months: int, counterpart, active: bool = True
) -> ConsultationSeries:
    """A recurring consultation: every ``cadence_months`` months with ``counterpart``."""
    _check_write(actor)
    errors = {}
    name = _text(name)
    if not name:
        errors["name"] = _("Geef het overleg een naam.")
    elif len(name) > 200:
        errors["name"] = _("Gebruik hoogstens 200 tekens voor de naam.")
    elif ConsultationSeries.objects.filter(name__iexact=name).exists():
        errors["name"] = _("Er is al een overleg met deze naam.")
    if not isinstance(cadence_months, int) or not 1 <= cadence_months <= 60:
        errors["cadence_months"] = _("Vul de frequentie in als een aantal maanden (1 tot 60).")
    if counterpart is None:
        errors["counterpart"] = _("Kies de organisatie waarmee het overleg is.")
    if errors:
        raise ValidationError(errors)
    series = ConsultationSeries.objects.create(
        name=name, cadence_months=cadence_months, counterpart=counterpart, active=active
    )
    audit_record(
        action="publicaffairs.series_create",
        obj=series,
        actor=actor,
        changes=diff(
            {},
            {"name": name, "cadence_months": cadence_months, "counterpart": counterpart},
        ),
    )
    return series
