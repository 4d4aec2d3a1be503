"""Writes of public affairs' own records (issue 12): theme dossiers and their positions,
stakeholders, contacts (*contactmomenten*) and follow-ups, recurring consultations, motions
entered by hand, the watch list. The Tweede Kamer sync's writes are in ``services``.

Every write is one function, keyword-only, atomic, audited, its permission checked in
``rules`` (``actor=None`` is a management command, audited as the operator who ran it). Bad
input raises ValidationError with a Dutch message per field and writes nothing. A confidential
note never enters the audit trail: its change is recorded as masked.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.core.audit import audit_record, audit_record_of, diff
from m50.core.search.normalise import normalise
from m50.pillars.services import theme_names, themes_clean
from m50.publicaffairs import rules
from m50.publicaffairs.models import (
    ConsultationSeries,
    FollowUp,
    Interaction,
    Motion,
    MotionCoSubmitter,
    MotionOutcome,
    ParliamentActivity,
    PositionVersion,
    Stakeholder,
    ThemeDossier,
    WatchMatch,
)

MASKED = "***"
NOTE_CHANGED = "*** (gewijzigd)"
MAX_WATCH_TERMS = 50
MAX_WATCH_TERM_LENGTH = 100


def _check_write(actor) -> None:
    if actor is not None and not rules.may_write(actor):
        raise ValidationError(_("Alleen public affairs en het bureau mogen dit vastleggen."))


def _names(objects) -> list[str]:
    return sorted(str(obj) for obj in objects)


def _text(value) -> str:
    return (value or "").strip()


# --- Theme dossiers and positions -------------------------------------------------------------


def _clean_watch_terms(terms) -> list[str]:
    """The terms as typed, trimmed, without doubles (same normal form); refuses a term that
    is only stop words, which would match nothing."""
    cleaned: list[str] = []
    seen: set[str] = set()
    for term in terms:
        term = " ".join(str(term).split())
        if not term:
            continue
        if len(term) > MAX_WATCH_TERM_LENGTH:
            raise ValidationError(
                {
                    "watch_terms": _("Een zoekterm is hoogstens %(max)d tekens lang.")
                    % {"max": MAX_WATCH_TERM_LENGTH}
                }
            )
        normal = normalise(term)
        if not normal:
            raise ValidationError(
                {
                    "watch_terms": _(
                        "De zoekterm ‘%(term)s’ bestaat alleen uit veelvoorkomende woorden en "
                        "vindt niets; kies een specifiekere term."
                    )
                    % {"term": term}
                }
            )
        if normal not in seen:
            seen.add(normal)
            cleaned.append(term)
    if len(cleaned) > MAX_WATCH_TERMS:
        raise ValidationError(
            {"watch_terms": _("Gebruik hoogstens %(max)d zoektermen.") % {"max": MAX_WATCH_TERMS}}
        )
    return cleaned


def _dossier_values(dossier: ThemeDossier) -> dict:
    return {
        "goals": dossier.goals,
        "goals_public": dossier.goals_public,
        "watch_terms": ", ".join(dossier.watch_terms),
        "committees": ", ".join(_names(dossier.committees.all())),
    }


@transaction.atomic
def dossier_create(
    *, actor, theme, goals: str = "", watch_terms=(), committees=(), goals_public: bool = False
):
    """The dossier of ``theme`` (one per theme of the shared list); ``goals_public``: its
    goals are shown with the published position on the public site."""
    _check_write(actor)
    if ThemeDossier.objects.filter(theme=theme).exists():
        raise ValidationError(
            {"theme": _("Het thema %(name)s heeft al een dossier.") % {"name": theme.name}}
        )
    dossier = ThemeDossier.objects.create(
        theme=theme,
        goals=_text(goals),
        goals_public=bool(goals_public),
        watch_terms=_clean_watch_terms(watch_terms),
    )
    dossier.committees.set(committees)
    audit_record(
        action="publicaffairs.dossier_create",
        obj=dossier,
        actor=actor,
        changes=diff({}, _dossier_values(dossier)),
    )
    return dossier


@transaction.atomic
def dossier_update(
    *,
    actor,
    dossier: ThemeDossier,
    goals=None,
    watch_terms=None,
    committees=None,
    goals_public=None,
):
    """Changes what is given (None: left as it is)."""
    _check_write(actor)
    dossier = ThemeDossier.objects.select_for_update().get(pk=dossier.pk)
    before = _dossier_values(dossier)
    if watch_terms is not None:
        dossier.watch_terms = _clean_watch_terms(watch_terms)
    if goals is not None:
        dossier.goals = _text(goals)
    if goals_public is not None:
        dossier.goals_public = bool(goals_public)
    dossier.save()
    if committees is not None:
        dossier.committees.set(committees)
    audit_record(
        action="publicaffairs.dossier_update",
        obj=dossier,
        actor=actor,
        changes=diff(before, _dossier_values(dossier)),
    )
    return dossier


@transaction.atomic
def position_add(*, actor, dossier: ThemeDossier, text: str) -> PositionVersion:
    """A new version of the network's position on the dossier's theme, which becomes the
    current one; earlier versions are kept as they were."""
    _check_write(actor)
    text = _text(text)
    if not text:
        raise ValidationError({"text": _("Schrijf het standpunt.")})
    # Numbered under the dossier's lock, so two authors at once get 1 and 2, not 1 twice.
    dossier = ThemeDossier.objects.select_for_update().get(pk=dossier.pk)
    latest = dossier.positions.order_by("-number").first()
    if latest is not None and latest.text == text:
        raise ValidationError({"text": _("Het standpunt is niet gewijzigd.")})
    version = PositionVersion.objects.create(
        dossier=dossier,
        number=(latest.number + 1) if latest else 1,
        text=text,
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        action="publicaffairs.position_add",
        obj=version,
        actor=actor,
        changes={"text": {"old": latest.text if latest else None, "new": text}},
    )
    return version


@transaction.atomic
def position_publish(*, actor, version: PositionVersion) -> PositionVersion:
    """Marks ``version`` for the public site; the dossier's earlier published one is no
    longer shown."""
    _check_write(actor)
    ThemeDossier.objects.select_for_update().get(pk=version.dossier_id)
    previous = PositionVersion.objects.filter(dossier_id=version.dossier_id, published=True)
    old = previous.first()
    previous.update(published=False)
    PositionVersion.objects.filter(pk=version.pk).update(
        published=True, published_at=timezone.now()
    )
    version.refresh_from_db()
    audit_record(
        action="publicaffairs.position_publish",
        obj=version,
        actor=actor,
        changes={"published_version": {"old": old.number if old else None, "new": version.number}},
    )
    return version


@transaction.atomic
def position_unpublish(*, actor, dossier: ThemeDossier) -> None:
    """The dossier's position is no longer shown on the public site."""
    _check_write(actor)
    published = PositionVersion.objects.select_for_update().filter(dossier=dossier, published=True)
    old = published.first()
    if old is None:
        return
    published.update(published=False)
    audit_record(
        action="publicaffairs.position_unpublish",
        obj=old,
        actor=actor,
        changes={"published_version": {"old": old.number, "new": None}},
    )


@transaction.atomic
def dossier_motion_link(*, actor, dossier: ThemeDossier, motion: Motion) -> None:
    """Links a motion (synced or entered by hand) to the dossier's theme."""
    _check_write(actor)
    if dossier.motions.filter(pk=motion.pk).exists():
        return
    dossier.motions.add(motion)
    audit_record(
        action="publicaffairs.dossier_motion_link",
        obj=dossier,
        actor=actor,
        changes={"motion": {"old": None, "new": str(motion)}},
    )


@transaction.atomic
def dossier_motion_unlink(*, actor, dossier: ThemeDossier, motion: Motion) -> None:
    _check_write(actor)
    if not dossier.motions.filter(pk=motion.pk).exists():
        return
    dossier.motions.remove(motion)
    audit_record(
        action="publicaffairs.dossier_motion_unlink",
        obj=dossier,
        actor=actor,
        changes={"motion": {"old": str(motion), "new": None}},
    )


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


# --- Watch list -------------------------------------------------------------------------------


def _padded(text: str) -> str:
    # Spaces around, so that a term matches whole tokens only: " woning " in " sociaal woning ".
    return f" {text} "


@dataclass(frozen=True)
class _Watcher:
    dossier_id: int
    terms: tuple[tuple[str, str], ...]  # (as typed, padded normal form)
    committee_ids: frozenset[int]

    def matches(self, normal_text: str | None, committee_id: int | None) -> tuple[list, bool]:
        terms = [typed for typed, normal in self.terms if normal_text and normal in normal_text]
        return terms, committee_id is not None and committee_id in self.committee_ids


@dataclass(frozen=True)
class WatchRefresh:
    motions: int
    activities: int

    @property
    def total(self) -> int:
        return self.motions + self.activities


def _watchers() -> list[_Watcher]:
    watchers = []
    for dossier in ThemeDossier.objects.prefetch_related("committees").order_by("pk"):
        terms = tuple(
            (term, _padded(normal)) for term in dossier.watch_terms if (normal := normalise(term))
        )
        committees = frozenset(c.pk for c in dossier.committees.all())
        if terms or committees:
            watchers.append(_Watcher(dossier.pk, terms, committees))
    return watchers


def _new_matches(watchers, rows, field: str, seen: set) -> list[WatchMatch]:
    """WatchMatch rows for ``rows`` ((pk, text, committee_id)) that match a watcher and are
    neither matched before (any status) nor linked to its dossier already."""
    any_terms = any(w.terms for w in watchers)
    found = []
    for pk, text, committee_id in rows:
        waiting = [w for w in watchers if (w.dossier_id, pk) not in seen]
        if not waiting:
            continue  # judged or linked in every dossier: not normalised again
        normal_text = _padded(normalise(text)) if any_terms else None
        for watcher in waiting:
            terms, by_committee = watcher.matches(normal_text, committee_id)
            if terms or by_committee:
                found.append(
                    WatchMatch(
                        dossier_id=watcher.dossier_id,
                        matched_terms=terms,
                        by_committee=by_committee,
                        **{f"{field}_id": pk},
                    )
                )
    return found


@transaction.atomic
def watch_matches_refresh(*, actor=None, today: datetime.date | None = None) -> WatchRefresh:
    """Lists the motions and the Kamer activities (from ``today`` on) that match a dossier's
    watch terms (after Dutch search normalisation: "woningen" matches "woning") or its
    committees. Idempotent: what was listed, accepted, dismissed or linked before is not
    listed again."""
    _check_write(actor)
    today = today or timezone.localdate()
    watchers = _watchers()
    if not watchers:
        return WatchRefresh(0, 0)
    through_motions = ThemeDossier.motions.through.objects
    through_activities = ThemeDossier.activities.through.objects
    seen_motions = set(
        WatchMatch.objects.filter(motion__isnull=False).values_list("dossier_id", "motion_id")
    ) | set(through_motions.values_list("themedossier_id", "motion_id"))
    seen_activities = set(
        WatchMatch.objects.filter(activity__isnull=False).values_list("dossier_id", "activity_id")
    ) | set(through_activities.values_list("themedossier_id", "parliamentactivity_id"))
    motions = (
        (pk, f"{title} {subject}", committee_id)
        for pk, title, subject, committee_id in Motion.objects.order_by("pk")
        .values_list("pk", "title", "subject", "committee_id")
        .iterator(chunk_size=2000)
    )
    new_motions = _new_matches(watchers, motions, "motion", seen_motions)
    activities = (
        (pk, subject, committee_id)
        for pk, subject, committee_id in ParliamentActivity.objects.filter(date__gte=today)
        .order_by("pk")
        .values_list("pk", "subject", "committee_id")
        .iterator(chunk_size=2000)
    )
    new_activities = _new_matches(watchers, activities, "activity", seen_activities)
    # ignore_conflicts: a refresh running at the same time may have listed the same ones.
    WatchMatch.objects.bulk_create(
        new_motions + new_activities, batch_size=500, ignore_conflicts=True
    )
    result = WatchRefresh(len(new_motions), len(new_activities))
    if result.total:
        audit_record_of(
            action="publicaffairs.watch_matches_refresh",
            object_type="publicaffairs.WatchMatch",
            object_id="refresh",
            object_repr=_("signaleringen"),
            actor=actor,
            changes={
                "moties": {"old": None, "new": result.motions},
                "activiteiten": {"old": None, "new": result.activities},
            },
        )
    return result


def _decide(*, actor, match: WatchMatch, status: str) -> WatchMatch:
    _check_write(actor)
    match = WatchMatch.objects.select_for_update().get(pk=match.pk)
    if match.status != WatchMatch.Status.OPEN:
        raise ValidationError(_("Deze signalering is al beoordeeld."))
    match.status = status
    match.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    match.decided_at = timezone.now()
    match.save(update_fields=["status", "decided_by", "decided_at"])
    return match


@transaction.atomic
def watch_match_accept(*, actor, match: WatchMatch) -> WatchMatch:
    """Accepts the match: its motion or activity is linked to the dossier's theme."""
    match = _decide(actor=actor, match=match, status=WatchMatch.Status.ACCEPTED)
    dossier = match.dossier
    if match.motion_id:
        dossier.motions.add(match.motion_id)
    else:
        dossier.activities.add(match.activity_id)
    audit_record(
        action="publicaffairs.watch_match_accept",
        obj=match,
        actor=actor,
        changes={"status": {"old": WatchMatch.Status.OPEN, "new": match.status}},
    )
    return match


@transaction.atomic
def watch_match_dismiss(*, actor, match: WatchMatch) -> WatchMatch:
    """Dismisses the match; a later refresh does not list it again."""
    match = _decide(actor=actor, match=match, status=WatchMatch.Status.DISMISSED)
    audit_record(
        action="publicaffairs.watch_match_dismiss",
        obj=match,
        actor=actor,
        changes={"status": {"old": WatchMatch.Status.OPEN, "new": match.status}},
    )
    return match
