"""Motions entered by hand (the VNG's general meeting), co-submitters and outcomes."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from m50.core.audit import audit_record, diff
from m50.publicaffairs.models import (
    Motion,
    MotionCoSubmitter,
    MotionOutcome,
)
from m50.publicaffairs.records._common import _check_write, _names, _text

# --- Motions: entered by hand, co-submitters, outcome -----------------------------------------


def _co_submitters_clean(organisations) -> list:
    organisations = list(dict.fromkeys(organisations))
    if any(organisation is None for organisation in organisations):
        raise ValidationError({"co_submitters": _("Kies bestaande organisaties.")})
    return organisations


def _outcome_clean(outcome: str) -> str:
    outcome = outcome or ""
    if outcome not in MotionOutcome.Outcome.values:
        raise ValidationError({"outcome": _("Kies een uitkomst uit de lijst.")})
    return outcome


def _vng_motion_clean(*, title, kind, date, number, outcome, co_submitters, motion=None):
    """The checks of a VNG motion's fields (``motion``: the one being changed); raises every
    error at once. Returns the outcome and the co-submitters, cleaned."""
    errors = {}
    if not title:
        errors["title"] = _("Geef de motie een titel.")
    if kind not in ("motie", "resolutie"):
        errors["kind"] = _("Kies of het een motie of een resolutie is.")
    if not isinstance(date, datetime.date):
        errors["date"] = _("Vul de datum van de algemene ledenvergadering in.")
    same_number = Motion.objects.filter(source=Motion.Source.VNG, number=number)
    if motion is not None:
        same_number = same_number.exclude(pk=motion.pk)
    if len(number) > 50:
        errors["number"] = _("Gebruik hoogstens 50 tekens voor het nummer.")
    elif number and same_number.exists():
        errors["number"] = _("Er is al een VNG-motie met dit nummer.")
    try:
        outcome = _outcome_clean(outcome)
        co_submitters = _co_submitters_clean(co_submitters)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    return outcome, co_submitters


def _vng_motion_values(motion: Motion) -> dict:
    outcome = MotionOutcome.objects.filter(motion=motion).first()
    return {
        "kind": motion.kind,
        "number": motion.number,
        "title": motion.title,
        "subject": motion.subject,
        "date": motion.date,
        "co_submitters": ", ".join(
            _names(
                link.organisation for link in motion.co_submitters.select_related("organisation")
            )
        ),
        "dossiers": ", ".join(_names(motion.theme_dossiers.select_related("theme"))),
        "outcome": outcome.outcome if outcome else "",
        "decided_on": outcome.decided_on if outcome else None,
    }


@transaction.atomic
def vng_motion_create(
    *,
    actor,
    title: str,
    date: datetime.date,
    kind: str = "motie",
    number: str = "",
    subject: str = "",
    co_submitters=(),
    dossiers=(),
    outcome: str = "",
    decided_on: datetime.date | None = None,
) -> Motion:
    """A motion or resolution (``kind`` "motie" or "resolutie") of the VNG's general meeting,
    with its co-submitting organisations, the dossiers it belongs to and its outcome."""
    _check_write(actor)
    title, number, subject = _text(title), _text(number), _text(subject)
    outcome, co_submitters = _vng_motion_clean(
        title=title,
        kind=kind,
        date=date,
        number=number,
        outcome=outcome,
        co_submitters=co_submitters,
    )
    motion = Motion.objects.create(
        source=Motion.Source.VNG,
        kind=kind,
        number=number,
        title=title,
        subject=subject,
        date=date,
    )
    MotionCoSubmitter.objects.bulk_create(
        MotionCoSubmitter(motion=motion, organisation=organisation)
        for organisation in co_submitters
    )
    MotionOutcome.objects.create(motion=motion, outcome=outcome, decided_on=decided_on)
    for dossier in dossiers:
        dossier.motions.add(motion)
    audit_record(
        action="publicaffairs.vng_motion_create",
        obj=motion,
        actor=actor,
        changes=diff(
            {},
            {
                "kind": kind,
                "number": number,
                "title": title,
                "date": date,
                "co_submitters": ", ".join(_names(co_submitters)),
                "dossiers": ", ".join(_names(dossiers)),
                "outcome": outcome,
            },
        ),
    )
    return motion


@transaction.atomic
def vng_motion_update(
    *,
    actor,
    motion: Motion,
    title: str,
    date: datetime.date,
    kind: str = "motie",
    number: str = "",
    subject: str = "",
    co_submitters=(),
    dossiers=(),
    outcome: str = "",
    decided_on: datetime.date | None = None,
) -> Motion:
    """Changes a motion or resolution of the VNG's general meeting: every field, its
    co-submitters, dossiers and outcome. A Tweede Kamer motion is the sync's: refused."""
    _check_write(actor)
    motion = Motion.objects.select_for_update().get(pk=motion.pk)
    if motion.source != Motion.Source.VNG:
        raise ValidationError(
            _("Een motie van de Tweede Kamer komt uit haar open data en is hier niet te wijzigen.")
        )
    title, number, subject = _text(title), _text(number), _text(subject)
    outcome, co_submitters = _vng_motion_clean(
        title=title,
        kind=kind,
        date=date,
        number=number,
        outcome=outcome,
        co_submitters=co_submitters,
        motion=motion,
    )
    before = _vng_motion_values(motion)
    motion.kind, motion.number, motion.title = kind, number, title
    motion.subject, motion.date = subject, date
    motion.save(update_fields=["kind", "number", "title", "subject", "date"])
    new = {organisation.pk for organisation in co_submitters}
    MotionCoSubmitter.objects.filter(motion=motion).exclude(organisation_id__in=new).delete()
    have = set(
        MotionCoSubmitter.objects.filter(motion=motion).values_list("organisation_id", flat=True)
    )
    MotionCoSubmitter.objects.bulk_create(
        MotionCoSubmitter(motion=motion, organisation=organisation)
        for organisation in co_submitters
        if organisation.pk not in have
    )
    record, _created = MotionOutcome.objects.get_or_create(motion=motion)
    record.outcome, record.decided_on = outcome, decided_on
    record.save(update_fields=["outcome", "decided_on"])
    motion.theme_dossiers.set(dossiers)
    audit_record(
        action="publicaffairs.vng_motion_update",
        obj=motion,
        actor=actor,
        changes=diff(before, _vng_motion_values(motion)),
    )
    return motion


@transaction.atomic
def motion_co_submitters_set(*, actor, motion: Motion, organisations) -> None:
    """The organisations that submitted ``motion`` together (any source)."""
    _check_write(actor)
    organisations = _co_submitters_clean(organisations)
    before = list(MotionCoSubmitter.objects.filter(motion=motion).select_related("organisation"))
    old = {link.organisation_id: link.organisation for link in before}
    new = {organisation.pk: organisation for organisation in organisations}
    MotionCoSubmitter.objects.filter(motion=motion).exclude(organisation_id__in=new).delete()
    MotionCoSubmitter.objects.bulk_create(
        MotionCoSubmitter(motion=motion, organisation=organisation)
        for pk, organisation in new.items()
        if pk not in old
    )
    audit_record(
        action="publicaffairs.motion_co_submitters_set",
        obj=motion,
        actor=actor,
        changes=diff(
            {"co_submitters": ", ".join(_names(old.values()))},
            {"co_submitters": ", ".join(_names(new.values()))},
        ),
    )


@transaction.atomic
def motion_outcome_set(
    *,
    actor,
    motion: Motion,
    outcome: str,
    decided_on: datetime.date | None = None,
    note: str = "",
) -> MotionOutcome:
    """The outcome as the network records it (for a VNG motion; a Tweede Kamer motion's
    decisions come from the sync)."""
    _check_write(actor)
    outcome = _outcome_clean(outcome)
    record, _created = MotionOutcome.objects.select_for_update().get_or_create(motion=motion)
    before = {"outcome": record.outcome, "decided_on": record.decided_on, "note": record.note}
    record.outcome, record.decided_on, record.note = outcome, decided_on, _text(note)
    record.save()
    audit_record(
        action="publicaffairs.motion_outcome_set",
        obj=motion,
        actor=actor,
        changes=diff(before, {"outcome": outcome, "decided_on": decided_on, "note": record.note}),
    )
    return record
