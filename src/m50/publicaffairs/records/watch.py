"""The watch list: motions and Kamer activities matching a dossier, accepted or dismissed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.core.audit import audit_record, audit_record_of
from m50.core.search.normalise import normalise
from m50.publicaffairs.models import (
    Motion,
    ParliamentActivity,
    ThemeDossier,
    WatchMatch,
)
from m50.publicaffairs.records._common import _check_write

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
