"""Contacts (*contactmomenten*) and their follow-ups."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.core.audit import audit_record, diff
from m50.pillars.services import theme_names, themes_clean
from m50.publicaffairs import rules
from m50.publicaffairs.models import (
    FollowUp,
    Interaction,
)
from m50.publicaffairs.records._common import MASKED, NOTE_CHANGED, _check_write, _names, _text

# --- Interactions and follow-ups --------------------------------------------------------------

INTERACTION_FIELDS = (
    "kind",
    "date",
    "subject",
    "municipality",
    "activity",
    "series",
    "outcome",
    "confidential_note",
)
INTERACTION_LINKS = (
    "network_people",
    "other_people",
    "members",
    "fracties",
    "organisations",
    "themes",
)


def _interaction_clean(interaction: Interaction) -> None:
    errors: dict[str, str] = {}
    interaction.subject = _text(interaction.subject)
    interaction.outcome = _text(interaction.outcome)
    interaction.confidential_note = _text(interaction.confidential_note)
    if interaction.kind not in Interaction.Kind.values:
        errors["kind"] = _("Kies wat voor contactmoment het is.")
    if not isinstance(interaction.date, datetime.date):
        errors["date"] = _("Vul de datum van het contactmoment in.")
    if not interaction.subject:
        errors["subject"] = _("Vul het onderwerp in.")
    elif len(interaction.subject) > 300:
        errors["subject"] = _("Gebruik hoogstens 300 tekens voor het onderwerp.")
    activity = interaction.activity
    if activity is not None and interaction.municipality_id is None:
        # A work visit planned in the activities app is hosted by the municipality visited.
        interaction.municipality_id = activity.host_municipality_id
    if (
        activity is not None
        and activity.host_municipality_id is not None
        and interaction.municipality_id != activity.host_municipality_id
    ):
        errors["activity"] = _("De activiteit is in een andere gemeente dan het werkbezoek.")
    if interaction.kind == Interaction.Kind.WORK_VISIT and interaction.municipality_id is None:
        errors["municipality"] = _("Kies de gemeente van het werkbezoek.")
    if interaction.series_id is not None and interaction.kind != Interaction.Kind.CONSULTATION:
        errors["series"] = _("Alleen een overleg hoort bij een terugkerend overleg.")
    if errors:
        raise ValidationError(errors)


def _interaction_values(interaction: Interaction, links: dict | None = None) -> dict:
    values = {name: getattr(interaction, name) for name in INTERACTION_FIELDS}
    # The note's content stays out of the audit trail, which other readers may see.
    values["confidential_note"] = MASKED if interaction.confidential_note else ""
    if links is None:
        links = {name: list(getattr(interaction, name).all()) for name in INTERACTION_LINKS}
    for name, objects in links.items():
        values[name] = ", ".join(theme_names(objects) if name == "themes" else _names(objects))
    return values


def _links_clean(links: dict, current_themes=()) -> dict:
    cleaned = {name: list(dict.fromkeys(objects)) for name, objects in links.items()}
    if "themes" in cleaned:
        cleaned["themes"] = themes_clean(themes=cleaned["themes"], current=current_themes)
    return cleaned


@transaction.atomic
def interaction_create(
    *,
    actor,
    kind: str,
    date: datetime.date,
    subject: str,
    network_people=(),
    other_people=(),
    members=(),
    fracties=(),
    organisations=(),
    themes=(),
    municipality=None,
    activity=None,
    series=None,
    outcome: str = "",
    confidential_note: str = "",
) -> Interaction:
    """A contact: a talk, a work visit (in ``municipality``, possibly also ``activity`` of the
    activities app), a letter or contribution, a meeting of ``series``, a MIRT table, ...; the
    network's people (``network_people``, from the contacts register) and the other side
    (``members`` of parliament, ``fracties``, ``other_people``, ``organisations``)."""
    _check_write(actor)
    interaction = Interaction(
        kind=kind,
        date=date,
        subject=subject,
        municipality=municipality,
        activity=activity,
        series=series,
        outcome=outcome,
        confidential_note=confidential_note,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _interaction_clean(interaction)
    links = _links_clean(
        {
            "network_people": network_people,
            "other_people": other_people,
            "members": members,
            "fracties": fracties,
            "organisations": organisations,
            "themes": themes,
        }
    )
    interaction.save()
    for name, objects in links.items():
        getattr(interaction, name).set(objects)
    audit_record(
        action="publicaffairs.interaction_create",
        obj=interaction,
        actor=actor,
        changes=diff({}, _interaction_values(interaction, links)),
    )
    return interaction


@transaction.atomic
def interaction_update(*, actor, interaction: Interaction, **changes) -> Interaction:
    """Changes the given fields and links (a link's whole list)."""
    _check_write(actor)
    unknown = set(changes) - set(INTERACTION_FIELDS) - set(INTERACTION_LINKS)
    if unknown:
        raise TypeError(f"interaction_update: unknown fields {sorted(unknown)}")
    # Read again in full: the instance given may come from a selector without the note.
    interaction = Interaction.objects.select_for_update().get(pk=interaction.pk)
    before = _interaction_values(interaction)
    note_before = interaction.confidential_note
    for name in INTERACTION_FIELDS:
        if name in changes:
            setattr(interaction, name, changes[name])
    _interaction_clean(interaction)
    links = _links_clean(
        {name: changes[name] for name in INTERACTION_LINKS if name in changes},
        current_themes=interaction.themes.all(),
    )
    interaction.save()
    for name, objects in links.items():
        getattr(interaction, name).set(objects)
    changed = diff(before, _interaction_values(interaction))
    if (
        note_before
        and interaction.confidential_note
        and note_before != interaction.confidential_note
    ):
        # Both masked, so ``diff`` sees no change; that there was one is recorded.
        changed["confidential_note"] = {"old": MASKED, "new": NOTE_CHANGED}
    audit_record(
        action="publicaffairs.interaction_update", obj=interaction, actor=actor, changes=changed
    )
    return interaction


@transaction.atomic
def follow_up_create(
    *,
    actor,
    interaction: Interaction,
    description: str,
    owner,
    due_date: datetime.date | None = None,
) -> FollowUp:
    """An action agreed in ``interaction``: ``owner`` does it, before ``due_date``."""
    _check_write(actor)
    errors = {}
    description = _text(description)
    if not description:
        errors["description"] = _("Beschrijf de vervolgactie.")
    if owner is None or not rules.may_read(owner):
        errors["owner"] = _("Kies als eigenaar een actieve gebruiker van het netwerk.")
    if due_date is not None and not isinstance(due_date, datetime.date):
        errors["due_date"] = _("Vul een geldige datum in.")
    if errors:
        raise ValidationError(errors)
    follow_up = FollowUp.objects.create(
        interaction_id=interaction.pk, description=description, owner=owner, due_date=due_date
    )
    audit_record(
        action="publicaffairs.follow_up_create",
        obj=follow_up,
        actor=actor,
        changes=diff(
            {},
            {
                "interaction": interaction.subject,
                "description": description,
                "owner": owner,
                "due_date": due_date,
            },
        ),
    )
    return follow_up


@transaction.atomic
def follow_up_complete(
    *, actor, follow_up: FollowUp, now: datetime.datetime | None = None
) -> FollowUp:
    """Marks the follow-up done (by public affairs, the bureau or its owner)."""
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if actor is not None and not rules.may_complete_follow_up(actor, follow_up):
        raise ValidationError(_("U mag deze vervolgactie niet afronden."))
    if follow_up.done_at is not None:
        raise ValidationError(_("Deze vervolgactie is al afgerond."))
    follow_up.done_at = now or timezone.now()
    follow_up.save(update_fields=["done_at"])
    audit_record(
        action="publicaffairs.follow_up_complete",
        obj=follow_up,
        actor=actor,
        changes={"done_at": {"old": None, "new": follow_up.done_at.isoformat()}},
    )
    return follow_up


@transaction.atomic
def follow_up_delete(*, actor, follow_up: FollowUp) -> None:
    """Removes a follow-up agreed by mistake (public affairs and the bureau); what it was is
    kept in the audit trail."""
    _check_write(actor)
    follow_up = FollowUp.objects.select_for_update().select_related("owner").get(pk=follow_up.pk)
    audit_record(
        action="publicaffairs.follow_up_delete",
        obj=follow_up,
        actor=actor,
        changes=diff(
            {
                "description": follow_up.description,
                "owner": follow_up.owner,
                "due_date": follow_up.due_date,
                "done_at": follow_up.done_at.isoformat() if follow_up.done_at else None,
            },
            {},
        ),
    )
    follow_up.delete()
