"""Applying pages of Tweede Kamer records to the database: the engine of ``m50
sync-tweedekamer``, the same for saved files and for pages read from the API.

Per page and entity: one query for which of the page's records differ from the stored version
(``GewijzigdOp`` as sent, ``tk_version``); for those only, one for the stored rows, one lookup
per foreign key, one insert of the new rows (plain SQL, ``tweedekamer.rows``) and one
``bulk_update`` of the changed ones. A record whose ``GewijzigdOp`` equals (or is older than)
the stored one is not looked at further, so a re-sync of the same data writes nothing. A record
with the same fields but a newer ``GewijzigdOp`` only moves ``tk_changed_at`` (counted as
unchanged). Rows that point to a record not yet known keep its Tweede Kamer id and are linked
when it arrives (``WAITING``); decisions' vote counts and members' current fractie are derived
at the end of each page from what it changed.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, models, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.core.versions import TWEEDE_KAMER, data_version_bump
from m50.municipalities.selectors import municipalities_named
from m50.publicaffairs.models import (
    Committee,
    CommitteeMembership,
    Decision,
    DeletedRecord,
    Fractie,
    FractieMembership,
    MemberOfParliament,
    Motion,
    MotionSubmitter,
    ParliamentActivity,
    SyncedFile,
    SyncState,
    Vote,
)
from m50.publicaffairs.tweedekamer import records as rec
from m50.publicaffairs.tweedekamer.pages import ENTITIES, Page, PageError
from m50.publicaffairs.tweedekamer.rows import Table, aware


@dataclass(frozen=True)
class Spec:
    entity: str
    model: type[models.Model]
    values: object  # (record) -> dict | None; None: not a record we keep (counted as skipped)
    # (foreign key attname, field with the Tweede Kamer id, model pointed to)
    refs: tuple[tuple[str, str, type[models.Model]], ...] = ()
    scope: tuple[tuple[str, object], ...] = ()


SPECS = {
    spec.entity: spec
    for spec in (
        Spec("Fractie", Fractie, rec.fractie_values),
        Spec("Commissie", Committee, rec.committee_values),
        Spec("Persoon", MemberOfParliament, rec.member_values),
        Spec(
            "FractieZetelPersoon",
            FractieMembership,
            rec.fractie_membership_values,
            refs=(
                ("member_id", "tk_member_id", MemberOfParliament),
                ("fractie_id", "tk_fractie_id", Fractie),
            ),
        ),
        Spec(
            "CommissieZetelVastPersoon",
            CommitteeMembership,
            lambda record: rec.membership_values(record, substitute=False),
            refs=(
                ("committee_id", "tk_committee_id", Committee),
                ("member_id", "tk_member_id", MemberOfParliament),
            ),
        ),
        Spec(
            "CommissieZetelVervangerPersoon",
            CommitteeMembership,
            lambda record: rec.membership_values(record, substitute=True),
            refs=(
                ("committee_id", "tk_committee_id", Committee),
                ("member_id", "tk_member_id", MemberOfParliament),
            ),
        ),
        Spec(
            "Zaak",
            Motion,
            lambda record: rec.motion_values(record) if rec.is_motion(record) else None,
            scope=(("source", Motion.Source.TWEEDE_KAMER),),
        ),
        Spec(
            "ZaakActor",
            MotionSubmitter,
            rec.submitter_values,
            refs=(
                ("motion_id", "tk_motion_id", Motion),
                ("member_id", "tk_member_id", MemberOfParliament),
            ),
        ),
        Spec(
            "Besluit", Decision, rec.decision_values, refs=(("motion_id", "tk_motion_id", Motion),)
        ),
        Spec(
            "Stemming",
            Vote,
            rec.vote_values,
            refs=(
                ("decision_id", "tk_decision_id", Decision),
                ("fractie_id", "tk_fractie_id", Fractie),
                ("member_id", "tk_member_id", MemberOfParliament),
            ),
        ),
        Spec(
            "Activiteit",
            ParliamentActivity,
            rec.activity_values,
            refs=(("committee_id", "tk_committee_id", Committee),),
        ),
    )
}
assert tuple(SPECS) == ENTITIES

# For each model, the rows elsewhere that wait for one of its records: filled in when it
# arrives ("a vote before its decision", "a decision before its motion").
WAITING: dict[type[models.Model], list[tuple[type[models.Model], str, str]]] = defaultdict(list)
for _spec in SPECS.values():
    for _fk, _tk_field, _target in _spec.refs:
        if (_spec.model, _fk, _tk_field) not in WAITING[_target]:
            WAITING[_target].append((_spec.model, _fk, _tk_field))
# A member's current fractie, set from the seats by ``_place_members``, waits like the others.
WAITING[Fractie].append((MemberOfParliament, "fractie_id", "tk_fractie_id"))


@dataclass
class Counts:
    new: int = 0
    changed: int = 0
    deleted: int = 0
    skipped: int = 0
    unchanged: int = 0

    def add(self, other: Counts) -> None:
        for name in ("new", "changed", "deleted", "skipped", "unchanged"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def line(self) -> str:
        return _(
            "%(new)d nieuw, %(changed)d gewijzigd, %(deleted)d verwijderd, "
            "%(skipped)d overgeslagen, %(unchanged)d ongewijzigd"
        ) % vars(self)

    def as_dict(self) -> dict[str, int]:
        return dict(vars(self))


@dataclass
class PageResult:
    name: str
    counts: dict[str, Counts] = field(default_factory=dict)
    error: str = ""
    note: str = ""
    # Passed over: the same bytes were applied whole before (``SyncedFile``).
    same_as_before: bool = False


@dataclass
class SyncReport:
    pages: list[PageResult] = field(default_factory=list)

    @property
    def failed(self) -> list[PageResult]:
        return [page for page in self.pages if page.error]

    def totals(self) -> dict[str, Counts]:
        totals: dict[str, Counts] = {}
        for page in self.pages:
            if page.error:
                continue
            for entity, counts in page.counts.items():
                totals.setdefault(entity, Counts()).add(counts)
        return {entity: totals[entity] for entity in ENTITIES if entity in totals}

    def total(self) -> Counts:
        total = Counts()
        for counts in self.totals().values():
            total.add(counts)
        return total

    def lines(self) -> list[str]:
        lines = [f"{entity}: {counts.line()}" for entity, counts in self.totals().items()]
        lines.append(_("Totaal: %(counts)s") % {"counts": self.total().line()})
        lines.append(
            _("%(pages)d bestanden gelezen, %(failed)d mislukt.")
            % {"pages": len(self.pages), "failed": len(self.failed)}
        )
        same = sum(1 for page in self.pages if page.same_as_before)
        if same:
            lines.append(
                _(
                    "%(same)d bestanden hadden dezelfde inhoud als bij een eerdere "
                    "synchronisatie: hun records zijn als ongewijzigd geteld."
                )
                % {"same": same}
            )
        return lines


# Tables of a few hundred rows at most, each named by nearly every page of votes or seats:
# their rows found by Tweede Kamer id are kept for the run (the same 15 fracties were looked up
# 3,000 times in a first sync of 50,000 motions).
KEPT_PKS = (Fractie, Committee, MemberOfParliament)


class SyncSession:
    """What a run learns once and uses for every page: the municipality each place of
    residence names, which entities have deleted records remembered, and the primary keys
    of the ``KEPT_PKS`` tables' rows found so far."""

    def __init__(self):
        self.municipalities: dict[str, int | None] = {}
        self.pks: dict[type[models.Model], dict] = {}
        self.with_deletions: dict[str, bool] = {}
        self.latest_changed_at: dict[str, object] | None = None
        Table.statistics_forget()

    def latest(self, entity: str):
        """The stored last ``GewijzigdOp`` of ``entity`` (read once per run)."""
        if self.latest_changed_at is None:
            self.latest_changed_at = dict(
                SyncState.objects.values_list("entity", "last_changed_at")
            )
        return self.latest_changed_at.get(entity)

    def has_deletions(self, entity: str) -> bool:
        if entity not in self.with_deletions:
            self.with_deletions[entity] = DeletedRecord.objects.filter(entity=entity).exists()
        return self.with_deletions[entity]


class _Run:
    """The state of applying one page."""

    def __init__(self, result: PageResult, session: SyncSession):
        self.result = result
        self.session = session
        self.decisions_to_count: set[int] = set()
        self.members_to_place: set[uuid.UUID] = set()
        self.latest: dict[str, object] = {}
        self.municipalities = session.municipalities
        # Rows of KEPT_PKS tables found by this page, kept for the run once it commits; a
        # table this page deleted from is looked up again.
        self.found_pks: dict[type[models.Model], dict] = defaultdict(dict)
        self.deleted_from: set[type[models.Model]] = set()
        self.wrote = False  # a write that no count shows (a motion's lead committee)
        # False when reading the page again later could still change something: a record
        # without GewijzigdOp, or a lead committee whose motion or committee is not known yet.
        self.complete = True

    def counts(self, entity: str) -> Counts:
        return self.result.counts.setdefault(entity, Counts())


def page_apply(
    page: Page, *, name: str, session: SyncSession | None = None, digest: str = ""
) -> PageResult:
    """Apply one page in one transaction: all of it, or (on an error) nothing. With the
    ``digest`` of the file's bytes, a page applied whole is remembered (``SyncedFile``)."""
    result = PageResult(name=name)
    if page.entity is None:
        result.note = _("geen records (servicedocument); overgeslagen")
        return result
    if page.entity not in SPECS:
        result.note = _("entiteit %(entity)s wordt niet gesynchroniseerd; overgeslagen") % {
            "entity": page.entity
        }
        return result
    run = _Run(result, session or SyncSession())
    try:
        with transaction.atomic():
            for entity, by_id in page.by_entity.items():
                _apply(SPECS[entity], by_id, run)
            _count_votes(run.decisions_to_count)
            _place_members(run.members_to_place)
            _remember_latest(run.latest, run.session)
            if run.wrote or any(
                counts.new or counts.changed or counts.deleted for counts in result.counts.values()
            ):
                # Counts kept per version of the synced data (the API's list of votes) follow.
                data_version_bump(names=[TWEEDE_KAMER])
            if digest and run.complete:
                _remember_file(digest, name, page.entity, result)
        # Committed: what the page found is known for the rest of the run.
        for model, found in run.found_pks.items():
            run.session.pks.setdefault(model, {}).update(found)
        for model in run.deleted_from:
            run.session.pks.pop(model, None)
    except (rec.RecordError, PageError) as exc:
        result.counts = {}
        result.error = str(exc) if isinstance(exc, PageError) else f"{name}: {exc}"
        # What the session learnt from the page was rolled back with it.
        run.session.latest_changed_at = None
    return result


def _apply(spec: Spec, by_id: dict[str, dict], run: _Run) -> None:
    counts = run.counts(spec.entity)
    model = spec.model
    scope = dict(spec.scope)
    live: list[tuple[str, dict]] = []
    deleted: dict[uuid.UUID, object] = {}
    for tk_text, record in by_id.items():
        # Every real record has a GewijzigdOp; checked first as it decides almost always.
        if record.get("GewijzigdOp") is None and rec.is_placeholder(record):
            counts.skipped += 1
        elif record.get("Verwijderd") is True:
            deleted[_uuid(spec, tk_text)] = _moment(spec, tk_text, record, run)
        else:
            live.append((tk_text, record))

    if deleted:
        # Looked up first: deleting what is not there would still be a write.
        linked = {Vote: "decision_id", FractieMembership: "tk_member_id"}.get(model, "pk")
        doomed = dict(model.objects.filter(tk_id__in=deleted, **scope).values_list("pk", linked))
        if doomed:
            if model is Vote:
                run.decisions_to_count.update(pk for pk in doomed.values() if pk)
            elif model is FractieMembership:
                run.members_to_place.update(tk for tk in doomed.values() if tk)
            model.objects.filter(pk__in=doomed).delete()
            run.deleted_from.add(model)
        counts.deleted += len(doomed)
        counts.unchanged += len(deleted) - len(doomed)
        _remember_deleted(spec.entity, deleted, run)
    if not live:
        return

    table = Table.of(model)
    key = table.key_of_text
    try:
        keys = [key(tk_text) for tk_text, _record in live]
    except ValueError as exc:
        raise rec.RecordError(_("%(entity)s: ongeldig Id") % {"entity": spec.entity}) from exc
    differing = table.differing(
        [
            (db_key, record.get("GewijzigdOp"))
            for db_key, (_tk_text, record) in zip(keys, live, strict=True)
        ]
    )
    unchanged = len(live)
    live = [item for db_key, item in zip(keys, live, strict=True) if db_key in differing]
    counts.unchanged += unchanged - len(live)
    if not live:
        return
    known = {db_key: stored for db_key, stored in differing.items() if stored is not None}
    gone = (
        _deleted_among([_uuid(spec, t) for t, _r in live if key(t) not in known])
        if run.session.has_deletions(spec.entity)
        else {}
    )
    candidates: list[tuple[uuid.UUID, dict]] = []
    new_ids: set[uuid.UUID] = set()
    for tk_text, record in live:
        version = record.get("GewijzigdOp")
        stored = known.get(key(tk_text))
        if stored is not None and version is not None and stored[0] == version:
            counts.unchanged += 1
            continue
        changed_at = _moment(spec, tk_text, record, run)
        tk_id = _uuid(spec, tk_text)
        if stored is not None:
            stored_at = aware(stored[1])
            if stored_at is not None and changed_at is not None and changed_at <= stored_at:
                counts.unchanged += 1
                continue
        else:
            if tk_id in gone:
                deleted_at = gone[tk_id]
                if deleted_at is None or changed_at is None or changed_at <= deleted_at:
                    counts.unchanged += 1
                    continue
            new_ids.add(tk_id)
        try:
            values = spec.values(record)
        except rec.RecordError as exc:
            raise rec.RecordError(f"{spec.entity} {tk_id}: {exc}") from exc
        if values is None:
            counts.skipped += 1
            if spec.entity == "ZaakActor":
                _lead_committee(record, run)
            continue
        values["tk_changed_at"] = changed_at
        values["tk_version"] = version or ""
        candidates.append((tk_id, values))
    if not candidates:
        return
    _resolve(spec, candidates, run)

    new = [(tk_id, values) for tk_id, values in candidates if tk_id in new_ids]
    if new:
        table.insert([{**values, "tk_id": tk_id} for tk_id, values in new])
        counts.new += len(new)
        _link_waiting(model, [tk_id for tk_id, _values in new])
    existing = [(tk_id, values) for tk_id, values in candidates if tk_id not in new_ids]
    if existing:
        _update(spec, existing, counts, run)
    if model is Decision:
        run.decisions_to_count.update(table.pks([tk_id for tk_id, _v in candidates]).values())
    elif model is Vote:
        run.decisions_to_count.update(
            values["decision_id"] for _tk_id, values in candidates if values.get("decision_id")
        )
    elif model is FractieMembership:
        run.members_to_place.update(
            values["tk_member_id"] for _tk_id, values in candidates if values["tk_member_id"]
        )
    elif model is MemberOfParliament:
        run.members_to_place.update(tk_id for tk_id, _values in new)


def _uuid(spec: Spec, tk_text: str) -> uuid.UUID:
    try:
        return uuid.UUID(tk_text)
    except ValueError as exc:
        raise rec.RecordError(
            _("%(entity)s: ongeldig Id %(id)s") % {"entity": spec.entity, "id": tk_text[:50]}
        ) from exc


def _moment(spec: Spec, tk_text: str, record: dict, run: _Run):
    """The record's ``GewijzigdOp``, remembered as the entity's latest when it is."""
    try:
        changed_at = rec.moment(record, "GewijzigdOp")
    except rec.RecordError as exc:
        raise rec.RecordError(f"{spec.entity} {tk_text}: {exc}") from exc
    if changed_at is None:
        run.complete = False
    else:
        latest = run.latest.get(spec.entity)
        if latest is None or changed_at > latest:
            run.latest[spec.entity] = changed_at
    return changed_at


def _deleted_among(tk_ids: list[uuid.UUID]) -> dict[uuid.UUID, object]:
    if not tk_ids:
        return {}
    return dict(
        DeletedRecord.objects.filter(tk_id__in=tk_ids).values_list("tk_id", "tk_changed_at")
    )


def _remember_deleted(entity: str, deleted: dict[uuid.UUID, object], run: _Run) -> None:
    run.session.with_deletions[entity] = True
    known = dict(
        DeletedRecord.objects.filter(tk_id__in=list(deleted)).values_list("tk_id", "tk_changed_at")
    )
    DeletedRecord.objects.bulk_create(
        [
            DeletedRecord(tk_id=tk_id, entity=entity, tk_changed_at=changed_at)
            for tk_id, changed_at in deleted.items()
            if tk_id not in known
        ]
    )
    for tk_id, changed_at in deleted.items():
        stored = known.get(tk_id)
        if tk_id in known and changed_at is not None and (stored is None or changed_at > stored):
            DeletedRecord.objects.filter(tk_id=tk_id).update(tk_changed_at=changed_at)


def _resolve(spec: Spec, candidates: list[tuple[uuid.UUID, dict]], run: _Run) -> None:
    """Foreign keys from the Tweede Kamer ids: one query per kind of link for the page."""
    for fk, tk_field, target in spec.refs:
        wanted = {values[tk_field] for _tk, values in candidates if values.get(tk_field)}
        table = Table.of(target)
        if target in KEPT_PKS:
            kept = run.session.pks.get(target, {})
            found = {key: kept[key] for tk_id in wanted if (key := table.key(tk_id)) in kept}
            if len(found) < len(wanted):
                looked_up = table.pks([tk for tk in wanted if table.key(tk) not in found])
                found.update(looked_up)
                run.found_pks[target].update(looked_up)
        else:
            found = table.pks(list(wanted))
        for _tk, values in candidates:
            if tk_field in values:
                tk_id = values[tk_field]
                values[fk] = found.get(table.key(tk_id)) if tk_id is not None else None
    if spec.model is MemberOfParliament:
        for _tk, values in candidates:
            values["municipality_id"] = _municipality_of(values["residence"], run)


def _municipality_of(residence: str, run: _Run) -> int | None:
    """The municipality a place of residence names, when it names exactly one (a current one
    before a dissolved one); a village inside a municipality ("Klazienaveen") names none."""
    if not residence:
        return None
    if residence not in run.municipalities:
        matches = list(municipalities_named(text=residence).values_list("pk", "dissolved_on"))
        current = [pk for pk, dissolved_on in matches if dissolved_on is None]
        if len(current) == 1:
            run.municipalities[residence] = current[0]
        elif len(matches) == 1:
            run.municipalities[residence] = matches[0][0]
        else:
            run.municipalities[residence] = None
    return run.municipalities[residence]


def _update(spec: Spec, existing: list[tuple[uuid.UUID, dict]], counts: Counts, run) -> None:
    model = spec.model
    rows = model.objects.in_bulk([tk_id for tk_id, _values in existing], field_name="tk_id")
    to_save = []
    fields: set[str] = set()
    for tk_id, values in existing:
        row = rows[tk_id]
        different = [name for name, value in values.items() if getattr(row, name) != value]
        if not different:
            counts.unchanged += 1
            continue
        if set(different) <= {"tk_changed_at", "tk_version"}:
            counts.unchanged += 1
        else:
            counts.changed += 1
            if model is Vote and row.decision_id:
                run.decisions_to_count.add(row.decision_id)
        for name in different:
            setattr(row, name, values[name])
        fields.update(different)
        to_save.append(row)
    if to_save:
        model.objects.bulk_update(to_save, sorted(fields))


def _link_waiting(model: type[models.Model], tk_ids: list[uuid.UUID]) -> None:
    """Rows that arrived before the record they point to now point to it."""
    for child, fk, tk_field in WAITING.get(model, ()):
        # The conditions of the partial index of waiting rows (``waiting_index``), spelt out.
        waiting = {f"{fk}__isnull": True, f"{tk_field}__isnull": False, f"{tk_field}__in": tk_ids}
        child.objects.filter(**waiting).update(
            **{fk: Subquery(model.objects.filter(tk_id=OuterRef(tk_field)).values("pk")[:1])}
        )


def _lead_committee(record: dict, run: _Run) -> None:
    committee_tk = rec.lead_committee_of(record)
    motion_tk = rec.ref(record, "Zaak_Id")
    if committee_tk is None or motion_tk is None:
        return
    committee = Committee.objects.filter(tk_id=committee_tk).values_list("pk", flat=True).first()
    if committee is None:
        run.complete = False
    elif (
        Motion.objects.filter(tk_id=motion_tk)
        .exclude(committee_id=committee)
        .update(committee_id=committee)
    ):
        run.wrote = True
    elif not Motion.objects.filter(tk_id=motion_tk).exists():
        run.complete = False


def _tally(kind: str, size: str) -> str:
    # SQL of the sum of ``size`` over the votes of ``kind`` ("voor", "tegen"), 0 for none.
    return f"CAST(COALESCE(SUM(CASE WHEN lower(v.kind) = '{kind}' THEN {size} END), 0) AS TEXT)"


# Each decision's vote count, "95–55": the seats for and against (fractie votes), or in a
# roll call (a vote with a member) the members; "" without votes. In one statement that
# writes only the counts that differ: per page of votes, three statements (the votes, the
# decisions, the updates) took 7 s of a first sync of 50,000 motions on PostgreSQL.
VOTE_COUNT_SQL = (
    "UPDATE {decision} SET vote_count = tally.text FROM ("  # noqa: S608 (names from the models)
    "SELECT d.id AS id, CASE WHEN COUNT(v.id) = 0 THEN '' "
    "WHEN MAX(CASE WHEN v.tk_member_id IS NOT NULL THEN 1 ELSE 0 END) = 1 THEN "
    f"{_tally('voor', '1')} || '–' || {_tally('tegen', '1')} "
    f"ELSE {_tally('voor', 'v.fractie_size')} || '–' || {_tally('tegen', 'v.fractie_size')} "
    "END AS text "
    "FROM {decision} AS d LEFT JOIN {vote} AS v ON v.decision_id = d.id "
    "WHERE d.id IN ({ids}) GROUP BY d.id) AS tally "
    "WHERE {decision}.id = tally.id AND {decision}.vote_count <> tally.text"
)


def _count_votes(decision_ids: set[int]) -> None:
    """Each decision's vote count from its votes, written only where it changed."""
    if not decision_ids:
        return
    ids = sorted(decision_ids)
    sql = VOTE_COUNT_SQL.format(
        decision=Table.of(Decision).name,
        vote=Table.of(Vote).name,
        ids=", ".join(["%s"] * len(ids)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)


def _place_members(tk_member_ids: set[uuid.UUID]) -> None:
    """Each member's current fractie: that of the seat without an end (or ending today or
    later), the latest begun if several; written only where it changed."""
    if not tk_member_ids:
        return
    today = timezone.localdate()
    current: dict[uuid.UUID, uuid.UUID | None] = {}
    seats = FractieMembership.objects.filter(tk_member_id__in=tk_member_ids).values_list(
        "tk_member_id", "tk_fractie_id", "start", "end"
    )
    for member, fractie, _start, end in sorted(
        seats, key=lambda seat: seat[2] or datetime.date.min
    ):
        if end is None or end >= today:
            current[member] = fractie
    fracties = Table.of(Fractie)
    found = fracties.pks([tk for tk in current.values() if tk])
    changed = []
    for member in MemberOfParliament.objects.filter(tk_id__in=tk_member_ids).only(
        "pk", "tk_id", "tk_fractie_id", "fractie_id"
    ):
        tk_fractie = current.get(member.tk_id)
        fractie = found.get(fracties.key(tk_fractie)) if tk_fractie else None
        if (member.tk_fractie_id, member.fractie_id) != (tk_fractie, fractie):
            member.tk_fractie_id, member.fractie_id = tk_fractie, fractie
            changed.append(member)
    if changed:
        MemberOfParliament.objects.bulk_update(changed, ["tk_fractie_id", "fractie_id"])


def _remember_latest(latest: dict[str, object], session: SyncSession) -> None:
    """Move each entity's last seen ``GewijzigdOp`` forward (never back)."""
    for entity, changed_at in latest.items():
        stored = session.latest(entity)
        if stored is not None and changed_at <= stored:
            continue
        state, _created = SyncState.objects.get_or_create(entity=entity)
        state.last_changed_at = changed_at
        state.save(update_fields=["last_changed_at"])
        session.latest_changed_at[entity] = changed_at


def _remember_file(digest: str, name: str, entity: str, result: PageResult) -> None:
    """The page as applied whole, with the counts reading it again would give: each record
    unchanged, or skipped as it was now."""
    again = {
        kind: {
            "unchanged": counts.new + counts.changed + counts.deleted + counts.unchanged,
            "skipped": counts.skipped,
        }
        for kind, counts in result.counts.items()
    }
    # A sync beside this one may have remembered the same bytes: then that row stands.
    SyncedFile.objects.bulk_create(
        [SyncedFile(digest=digest, name=name[:255], entity=entity, counts=again)],
        ignore_conflicts=True,
    )


def synced_files_counts(*, digests: list[str]) -> dict[str, dict]:
    """``{digest: counts}`` of the files among ``digests`` applied whole before."""
    return dict(SyncedFile.objects.filter(digest__in=digests).values_list("digest", "counts"))


def synced_file_result(*, name: str, counts: dict) -> PageResult:
    """The result of a file applied whole before (``counts`` as remembered): its records
    counted as unchanged, or skipped as they were."""
    return PageResult(
        name=name,
        counts={
            kind: Counts(unchanged=kind_counts["unchanged"], skipped=kind_counts["skipped"])
            for kind, kind_counts in counts.items()
        },
        note=_("zelfde inhoud als bij een eerdere synchronisatie; niet opnieuw gelezen"),
        same_as_before=True,
    )
