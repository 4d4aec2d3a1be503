"""Theme dossiers, their versioned positions and what is published, linked motions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.core.audit import audit_record, diff
from m50.core.search.normalise import normalise
from m50.publicaffairs.models import (
    Motion,
    PositionVersion,
    ThemeDossier,
)
from m50.publicaffairs.records._common import _check_write, _names, _text

MAX_WATCH_TERMS = 50
MAX_WATCH_TERM_LENGTH = 100


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
