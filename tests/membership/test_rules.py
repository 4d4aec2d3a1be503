"""The membership rules as pure functions: status derivation, mandates, consistency."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from m50.membership import rules
from m50.membership.models import DecidingBody as Body
from m50.membership.models import DecisionKind as Kind
from m50.membership.rules import Dossier, Fact, Status

D = dt.date


def fact(id, kind, body, decided, effective=None, **extra):
    return Fact(id, kind, body, decided, effective or decided, **extra)


def diemen() -> Dossier:
    return Dossier(
        (
            fact(
                1,
                Kind.ASPIRANT,
                Body.COLLEGE,
                D(2022, 8, 22),
                mandated_body=Body.MAYOR,
                mandate_deadline=D(2023, 8, 22),
            ),
            fact(2, Kind.DEFINITIVE, Body.MAYOR, D(2023, 5, 16), announced_on=D(2023, 5, 16)),
        )
    )


def codes(dossier, **kwargs):
    return [p.code for p in rules.check_dossier(dossier, **kwargs)]


# --- Status derivation ----------------------------------------------------------------------


def test_diemen_aspirant_then_member():
    dossier = diemen()
    assert rules.status_on(dossier, D(2022, 8, 21)) == Status.NONE
    assert rules.status_on(dossier, D(2022, 8, 22)) == Status.ASPIRANT
    assert rules.status_on(dossier, D(2023, 5, 15)) == Status.ASPIRANT
    assert rules.status_on(dossier, D(2023, 5, 16)) == Status.MEMBER
    summary = rules.summarise(dossier, D(2026, 11, 28))
    assert (summary.status, summary.since) == (Status.MEMBER, D(2023, 5, 16))
    fact_used, mandate = summary.used
    assert fact_used.id == 2 and mandate.deadline == D(2023, 8, 22)
    assert codes(dossier) == []


def test_a_listed_member_is_a_member_without_dates():
    dossier = Dossier(listed=True)
    summary = rules.summarise(dossier, D(2024, 1, 1))
    assert summary.status == Status.MEMBER and summary.since is None and summary.listed_only


def test_termination_takes_effect_at_the_end_of_the_year():
    assert rules.default_termination_date(D(2024, 3, 5)) == D(2025, 1, 1)
    dossier = Dossier(
        (*diemen().facts, fact(3, Kind.TERMINATION, Body.COLLEGE, D(2024, 3, 5), D(2025, 1, 1)))
    )
    assert rules.status_on(dossier, D(2024, 12, 31)) == Status.MEMBER
    assert rules.status_on(dossier, D(2025, 1, 1)) == Status.TERMINATED
    assert codes(dossier) == []


def test_a_dissolved_member_ends_on_the_merger_date():
    dossier = Dossier(listed=True, dissolved_on=D(2023, 1, 1))
    assert rules.status_on(dossier, D(2022, 12, 31)) == Status.MEMBER
    assert rules.status_on(dossier, D(2023, 1, 1)) == Status.TERMINATED


def test_a_succession_continues_the_predecessors_status():
    dossier = Dossier(
        (
            fact(
                1,
                Kind.SUCCESSION,
                Body.BOARD,
                D(2023, 2, 1),
                D(2023, 1, 1),
                continues_status=Status.MEMBER,
            ),
        )
    )
    assert rules.status_on(dossier, D(2023, 1, 1)) == Status.MEMBER
    assert codes(dossier) == []  # recorded after the merger, in effect from its date
    assert codes(
        Dossier(
            (fact(1, Kind.SUCCESSION, Body.BOARD, D(2023, 1, 1), continues_status=Status.NONE),)
        )
    ) == ["nothing_to_continue"]


# --- Mandates and their deadline ------------------------------------------------------------


@pytest.mark.parametrize(
    ("decided", "deadline"),
    [
        (D(2022, 8, 22), D(2023, 8, 22)),
        (D(2024, 2, 29), D(2025, 2, 28)),  # leap day: the last day of February
        (D(2023, 2, 28), D(2024, 2, 28)),
        (D(2023, 12, 31), D(2024, 12, 31)),
    ],
)
def test_default_mandate_deadline_is_one_year(decided, deadline):
    assert rules.default_mandate_deadline(decided) == deadline


LEAP_DAY, LEAP_DEADLINE = D(2024, 2, 29), D(2025, 2, 28)


def aspirant_with_mandate(decided=LEAP_DAY, deadline=LEAP_DEADLINE):
    return fact(
        1, Kind.ASPIRANT, Body.COLLEGE, decided, mandated_body=Body.MAYOR, mandate_deadline=deadline
    )


@pytest.mark.parametrize(
    ("decided", "problems"),
    [
        (D(2025, 2, 27), []),
        (D(2025, 2, 28), []),  # the deadline day itself
        (D(2025, 3, 1), ["mandate_expired"]),  # the day after
    ],
)
def test_mayor_decides_within_the_mandate(decided, problems):
    dossier = Dossier((aspirant_with_mandate(), fact(2, Kind.DEFINITIVE, Body.MAYOR, decided)))
    assert codes(dossier) == problems


def test_the_college_can_always_decide_itself():
    late = D(2026, 6, 1)
    dossier = Dossier((aspirant_with_mandate(), fact(2, Kind.DEFINITIVE, Body.COLLEGE, late)))
    assert codes(dossier) == []


def test_without_a_mandate_the_mayor_cannot_decide():
    dossier = Dossier(
        (
            fact(1, Kind.ASPIRANT, Body.COLLEGE, D(2024, 1, 10)),
            fact(2, Kind.DEFINITIVE, Body.MAYOR, D(2024, 6, 1)),
        )
    )
    assert codes(dossier) == ["no_mandate"]


def test_a_later_mandate_decision_extends_the_mandate():
    dossier = Dossier(
        (
            aspirant_with_mandate(D(2024, 1, 10), D(2025, 1, 10)),
            fact(
                2,
                Kind.MANDATE,
                Body.COLLEGE,
                D(2024, 12, 1),
                mandated_body=Body.MAYOR,
                mandate_deadline=D(2025, 6, 30),
            ),
            fact(3, Kind.DEFINITIVE, Body.MAYOR, D(2025, 5, 1)),
        )
    )
    assert codes(dossier) == []


@pytest.mark.parametrize(
    ("today", "expired", "days_left"),
    [(D(2025, 2, 27), False, 1), (D(2025, 2, 28), False, 0), (D(2025, 3, 1), True, -1)],
)
def test_mandate_expiry_is_flagged_from_the_day_after(today, expired, days_left):
    summary = rules.summarise(Dossier((aspirant_with_mandate(),)), today)
    assert summary.status == Status.ASPIRANT
    assert (summary.mandate_expired, summary.days_left) == (expired, days_left)
    assert rules.mandate_expired(Dossier((aspirant_with_mandate(),)), today) == expired


# --- Decisions that contradict each other ---------------------------------------------------


def test_no_definitive_membership_without_aspirant_unless_direct_entry_is_allowed():
    dossier = Dossier((fact(1, Kind.DEFINITIVE, Body.COLLEGE, D(2024, 1, 1)),))
    assert codes(dossier) == ["definitive_without_aspirant"]
    assert codes(dossier, direct_entry_allowed=True) == []


def test_no_second_aspirant_membership_while_one_runs():
    dossier = Dossier(
        (
            fact(1, Kind.ASPIRANT, Body.COLLEGE, D(2024, 1, 1)),
            fact(2, Kind.ASPIRANT, Body.COLLEGE, D(2024, 6, 1)),
        )
    )
    assert codes(dossier) == ["aspirant_while_running"]


def test_nothing_dated_before_the_decision_it_follows():
    dossier = Dossier(
        (
            fact(1, Kind.ASPIRANT, Body.COLLEGE, D(2024, 6, 1), D(2024, 6, 1)),
            fact(2, Kind.DEFINITIVE, Body.COLLEGE, D(2024, 5, 1), D(2024, 7, 1)),
        )
    )
    assert codes(dossier) == ["dated_before_previous"]


def test_effective_and_announced_not_before_decided():
    dossier = Dossier(
        (
            fact(
                1,
                Kind.ASPIRANT,
                Body.COLLEGE,
                D(2024, 6, 1),
                D(2024, 5, 1),
                announced_on=D(2024, 5, 30),
            ),
        )
    )
    assert codes(dossier) == ["effective_before_decided", "announced_before_decided"]


def test_termination_needs_a_running_membership_and_a_competent_body():
    assert codes(Dossier((fact(1, Kind.TERMINATION, Body.COLLEGE, D(2024, 1, 1)),))) == [
        "not_a_member"
    ]
    dossier = Dossier(
        (*diemen().facts, fact(3, Kind.TERMINATION, Body.MAYOR, D(2024, 1, 1), D(2025, 1, 1)))
    )
    assert codes(dossier) == ["body_not_competent"]


def test_a_correction_replaces_and_a_withdrawal_removes():
    wrong = fact(1, Kind.ASPIRANT, Body.COLLEGE, D(2022, 8, 2))
    right = fact(2, Kind.ASPIRANT, Body.COLLEGE, D(2022, 8, 22), corrects=1)
    assert rules.period_on(Dossier((wrong, right)), D(2022, 9, 1)).start == D(2022, 8, 22)
    withdrawn = Dossier((wrong, fact(2, Kind.WITHDRAWAL, Body.COLLEGE, D(2022, 8, 2), corrects=1)))
    assert rules.status_on(withdrawn, D(2022, 9, 1)) == Status.NONE


def test_a_withdrawal_that_would_orphan_a_later_decision_is_a_contradiction():
    dossier = Dossier(
        (*diemen().facts, fact(3, Kind.WITHDRAWAL, Body.COLLEGE, D(2022, 8, 22), corrects=1))
    )
    assert "definitive_without_aspirant" in codes(dossier)


# --- Property: valid sequences always derive a consistent status ----------------------------


@st.composite
def valid_dossiers(draw):
    """Random dossiers built only from decisions the rules accept at each step."""
    facts: list[Fact] = []
    day = draw(st.dates(min_value=D(2015, 1, 1), max_value=D(2030, 1, 1)))
    for index in range(1, draw(st.integers(0, 8)) + 1):
        day = day + dt.timedelta(days=draw(st.integers(0, 500)))
        dossier = Dossier(tuple(facts))
        status = rules.status_on(dossier, day)
        options = {
            Status.NONE: [Kind.ASPIRANT],
            Status.TERMINATED: [Kind.ASPIRANT],
            Status.ASPIRANT: [Kind.DEFINITIVE, Kind.TERMINATION, Kind.MANDATE],
            Status.MEMBER: [Kind.TERMINATION],
        }[status]
        kind = draw(st.sampled_from(options))
        extra = {}
        body = Body.COLLEGE
        effective = day
        if kind in (Kind.ASPIRANT, Kind.MANDATE) and draw(st.booleans()):
            extra = {
                "mandated_body": Body.MAYOR,
                "mandate_deadline": rules.default_mandate_deadline(day),
            }
        if kind == Kind.MANDATE and not extra:
            extra = {
                "mandated_body": Body.MAYOR,
                "mandate_deadline": rules.default_mandate_deadline(day),
            }
        if kind == Kind.DEFINITIVE:
            mandate = rules.running_mandate(dossier, day)
            if mandate and mandate.deadline >= day and draw(st.booleans()):
                body = Body.MAYOR
        if kind == Kind.TERMINATION:
            effective = rules.default_termination_date(day)
        facts.append(Fact(index, kind, body, day, effective, **extra))
        day = effective
    return Dossier(tuple(facts))


@settings(max_examples=300, deadline=None)
@given(valid_dossiers(), st.dates(min_value=D(2014, 1, 1), max_value=D(2045, 1, 1)))
def test_valid_sequences_derive_a_consistent_status(dossier, day):
    assert rules.check_dossier(dossier) == []
    history = rules.periods(dossier)
    # Periods follow each other without gaps or overlaps, and change status each time.
    for before, after in zip(history, history[1:], strict=False):
        assert before.end == after.start
        assert before.status != after.status
    status = rules.status_on(dossier, day)
    facts = [f for f in rules.effective_facts(dossier.facts) if f.effective_on <= day]
    status_changes = [f for f in facts if f.kind != Kind.MANDATE]
    if not status_changes:
        assert status == Status.NONE
    else:
        expected = {
            Kind.ASPIRANT: Status.ASPIRANT,
            Kind.DEFINITIVE: Status.MEMBER,
            Kind.TERMINATION: Status.TERMINATED,
        }[status_changes[-1].kind]
        assert status == expected
    # Only aspirants can have an expired mandate; members are never flagged.
    if rules.mandate_expired(dossier, day):
        assert status == Status.ASPIRANT


@settings(max_examples=200, deadline=None)
@given(valid_dossiers())
def test_withdrawing_the_last_decision_restores_the_status_before_it(dossier):
    if not dossier.facts:
        return
    last = dossier.facts[-1]
    before = Dossier(dossier.facts[:-1])
    withdrawn = Dossier(
        (
            *dossier.facts,
            Fact(
                99,
                Kind.WITHDRAWAL,
                last.deciding_body,
                last.decided_on,
                last.effective_on,
                corrects=last.id,
            ),
        )
    )
    day = last.effective_on
    assert rules.status_on(withdrawn, day) == rules.status_on(before, day)
    assert rules.check_dossier(withdrawn) == []


@st.composite
def any_dossiers(draw):
    """Dossiers valid or not (a projection stores whatever the decisions say), listed or
    not, dissolved or not, with mandates given during aspirant periods and corrections."""
    if draw(st.booleans()):
        dossier = draw(valid_dossiers())
        facts = list(dossier.facts)
    else:
        facts = []
        for index in range(1, draw(st.integers(0, 7)) + 1):
            decided = draw(st.dates(min_value=D(2018, 1, 1), max_value=D(2026, 12, 31)))
            kind = draw(st.sampled_from([k for k in Kind if k != Kind.WITHDRAWAL]))
            extra = {}
            if draw(st.booleans()):
                extra = {
                    "mandated_body": draw(st.sampled_from([Body.MAYOR, Body.COLLEGE])),
                    "mandate_deadline": decided + dt.timedelta(days=draw(st.integers(0, 400))),
                }
            if kind == Kind.SUCCESSION:
                extra["continues_status"] = draw(st.sampled_from(list(Status)))
            effective = decided + dt.timedelta(days=draw(st.integers(0, 60)))
            facts.append(Fact(index, kind, Body.COLLEGE, decided, effective, **extra))
        if facts and draw(st.booleans()):
            target = draw(st.sampled_from(facts))
            facts.append(
                Fact(
                    len(facts) + 1,
                    Kind.WITHDRAWAL,
                    target.deciding_body,
                    target.decided_on,
                    target.effective_on,
                    corrects=target.id,
                )
            )
    dissolved = draw(st.none() | st.dates(min_value=D(2019, 1, 1), max_value=D(2028, 1, 1)))
    return Dossier(tuple(facts), listed=draw(st.booleans()), dissolved_on=dissolved)


def _days_to_probe(dossier, extra_day):
    days = {extra_day}
    for fact in dossier.facts:
        for day in (fact.decided_on, fact.effective_on, fact.mandate_deadline):
            if day is not None:
                days |= {day - dt.timedelta(days=1), day, day + dt.timedelta(days=1)}
    if dossier.dissolved_on:
        days |= {dossier.dissolved_on - dt.timedelta(days=1), dossier.dissolved_on}
    return sorted(days)


@settings(max_examples=300, deadline=None)
@given(any_dossiers(), st.dates(min_value=D(2014, 1, 1), max_value=D(2035, 1, 1)))
def test_segments_give_on_every_day_what_the_dossier_derives(dossier, extra_day):
    """The stored projection (segments) answers for every day what summarise derives from the
    dossier: status, since when, running mandate, aspirant year."""
    items = rules.segments(dossier)
    for before, after in zip(items, items[1:], strict=False):
        assert before.end is not None and before.end == after.start
    for day in _days_to_probe(dossier, extra_day):
        derived = rules.summarise(dossier, day)
        stored = rules.summary_of_segment(
            rules.segment_on(items, day), day, listed_only=dossier.listed and not dossier.facts
        )
        assert (stored.status, stored.since, stored.mandate, stored.trial_end) == (
            derived.status,
            derived.since,
            derived.mandate,
            derived.trial_end,
        ), day
        assert (stored.mandate_expired, stored.days_left, stored.trial_days_left) == (
            derived.mandate_expired,
            derived.days_left,
            derived.trial_days_left,
        )
        assert stored.listed_only == derived.listed_only
