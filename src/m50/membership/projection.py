"""The status-period projection: every membership's ``rules.segments``, stored.

The decisions stay the single source of truth. The services call :func:`status_periods_refresh`
in the same transaction as every decision they record, so the stored segments always equal a
recomputation; :func:`status_periods_differences` is that recomputation, for
``m50 check-derived``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from m50.core.derived import Difference
from m50.core.versions import MEMBERS, data_version_bump
from m50.membership import rules
from m50.membership.models import Decision, DecisionKind, Membership, StatusPeriod

NAME = "membership.status_periods"


def _row(membership_id: int, item: rules.Segment) -> StatusPeriod:
    mandate = item.mandate
    deadline = mandate.deadline if mandate else item.trial_end
    return StatusPeriod(
        membership_id=membership_id,
        status=item.status,
        start=item.start,
        end=item.end,
        since=item.since,
        decision_id=item.fact_id,
        mandate_decision_id=mandate.fact_id if mandate else None,
        mandate_body=mandate.body if mandate else "",
        mandate_given_on=mandate.given_on if mandate else None,
        mandate_deadline=mandate.deadline if mandate else None,
        trial_end=item.trial_end,
        deadline=deadline if item.status == rules.Status.ASPIRANT else None,
    )


_COMPARED = (
    "status",
    "start",
    "end",
    "since",
    "decision_id",
    "mandate_decision_id",
    "mandate_body",
    "mandate_given_on",
    "mandate_deadline",
    "trial_end",
    "deadline",
)


def _values(row: StatusPeriod) -> tuple:
    return tuple(getattr(row, name) for name in _COMPARED)


def segment_of(row: StatusPeriod) -> rules.Segment:
    """A stored row back as the rules' segment."""
    mandate = None
    if row.mandate_deadline is not None:
        mandate = rules.Mandate(
            row.mandate_body, row.mandate_given_on, row.mandate_deadline, row.mandate_decision_id
        )
    return rules.Segment(
        status=rules.Status(row.status),
        start=row.start,
        end=row.end,
        since=row.since,
        fact_id=row.decision_id,
        mandate=mandate,
        trial_end=row.trial_end,
    )


# --- Writing -----------------------------------------------------------------------------------


def _successor_ids(membership_ids: Iterable[int]) -> set[int]:
    return set(
        Decision.objects.filter(
            kind=DecisionKind.SUCCESSION, predecessor_id__in=list(membership_ids)
        ).values_list("membership_id", flat=True)
    )


def status_periods_refresh(*, memberships: Iterable[Membership]) -> None:
    """Rewrites the segments of ``memberships`` from their decisions, and of every membership
    that continues one of them (a succession reads its predecessor's status). Call inside the
    transaction that changed the decisions, with the dossier locked."""
    from m50.membership.services import dossier_of  # services call this module

    todo = {m.pk: m for m in memberships}
    done: set[int] = set()
    while todo:
        ids = set(todo) - done
        if not ids:
            break
        # Locked: a decision on a successor recorded at the same time waits for this one, so
        # neither writes segments computed from the other's uncommitted state.
        batch = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("municipality")
            .filter(pk__in=ids)
            .order_by("pk")
        )
        rows = []
        for membership in batch:
            for item in rules.segments(dossier_of(membership)):
                rows.append(_row(membership.pk, item))
        StatusPeriod.objects.filter(membership_id__in=ids).delete()
        StatusPeriod.objects.bulk_create(rows)
        done |= ids
        todo = {pk: None for pk in _successor_ids(ids) - done}
    # The public member list reads these rows. Raised last, after every membership lock: a
    # decision on a successor waiting for this one must not hold the version row meanwhile.
    data_version_bump(names=[MEMBERS])


# --- Recomputing from the source ---------------------------------------------------------------


class _Source:
    """Every dossier from the decisions alone, in three queries; a succession's predecessor
    dossier is built once and remembered."""

    def __init__(self, membership_model=Membership, decision_model=Decision):
        # The models are parameters so that a data migration can pass its historical ones.
        memberships = membership_model.objects.all()
        decisions = decision_model.objects.all()
        self.memberships = {
            pk: (listed, dissolved_on)
            for pk, listed, dissolved_on in memberships.values_list(
                "pk", "listed_since", "municipality__dissolved_on"
            ).iterator(chunk_size=2000)
        }
        self.decisions: dict[int, list[Decision]] = defaultdict(list)
        for decision in decisions.order_by("effective_on", "decided_on", "pk").iterator(
            chunk_size=2000
        ):
            self.decisions[decision.membership_id].append(decision)
        self._dossiers: dict[int, rules.Dossier] = {}
        self._building: set[int] = set()

    def dossier(self, membership_id: int) -> rules.Dossier:
        if membership_id in self._dossiers:
            return self._dossiers[membership_id]
        from m50.membership.services import fact_of  # services call this module

        self._building.add(membership_id)
        facts = tuple(fact_of(d, self._predecessor) for d in self.decisions.get(membership_id, ()))
        self._building.discard(membership_id)
        listed, dissolved_on = self.memberships[membership_id]
        dossier = rules.Dossier(facts=facts, listed=bool(listed), dissolved_on=dissolved_on)
        self._dossiers[membership_id] = dossier
        return dossier

    def _predecessor(self, membership_id: int) -> rules.Dossier | None:
        # A cycle of successions continues nothing (the rules then refuse it).
        return None if membership_id in self._building else self.dossier(membership_id)


def _computed(
    membership_model=Membership, decision_model=Decision
) -> Iterator[tuple[int, list[StatusPeriod]]]:
    source = _Source(membership_model, decision_model)
    for membership_id in sorted(source.memberships):
        yield (
            membership_id,
            [_row(membership_id, item) for item in rules.segments(source.dossier(membership_id))],
        )


def status_periods_differences() -> Iterator[Difference]:
    stored: dict[int, list[tuple]] = defaultdict(list)
    for row in StatusPeriod.objects.order_by("membership_id", "start", "pk").iterator(
        chunk_size=2000
    ):
        stored[row.membership_id].append(_values(row))
    codes = dict(Membership.objects.values_list("pk", "municipality__code"))
    for membership_id, rows in _computed():
        computed = sorted(
            (_values(row) for row in rows), key=lambda v: (v[1] is not None, v[1] or 0)
        )
        have = sorted(stored.pop(membership_id, []), key=lambda v: (v[1] is not None, v[1] or 0))
        if have != computed:
            yield Difference(
                NAME,
                codes.get(membership_id, str(membership_id)),
                _describe(have),
                _describe(computed),
            )
    for membership_id, rows in stored.items():  # rows of a membership that no longer exists
        yield Difference(NAME, str(membership_id), _describe(rows), "-")


def _describe(rows: list[tuple]) -> str:
    if not rows:
        return "geen perioden"
    return "; ".join(
        f"{status} {start or '…'}–{end or '…'}" + (f" mandaat tot {deadline}" if deadline else "")
        for status, start, end, _since, _fact, _mf, _mb, _mg, deadline, *_rest in rows
    )


def status_periods_rebuild(
    membership_model=Membership, decision_model=Decision, period_model=StatusPeriod
) -> int:
    """Rewrites the whole projection from the decisions; returns the rows written."""
    rows = [
        period_model(**{f.attname: getattr(row, f.attname) for f in StatusPeriod._meta.fields})
        for _pk, items in _computed(membership_model, decision_model)
        for row in items
    ]
    period_model.objects.all().delete()
    period_model.objects.bulk_create(rows, batch_size=1000)
    if period_model is StatusPeriod:  # not in a migration, before the versions exist
        data_version_bump(names=[MEMBERS])
    return len(rows)
