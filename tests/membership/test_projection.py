"""The status-period projection equals a recomputation from the decisions, after any sequence
of the services, and ``m50 check-derived`` reports and repairs a projection tampered with."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from m50.core.derived import derived_differences
from m50.core.models import AuditEvent
from m50.membership import rules, selectors, services
from m50.membership.models import DecidingBody, Decision, DecisionKind, StatusPeriod
from m50.municipalities.models import Municipality
from m50.municipalities.services import dissolutions_changed
from tests.membership.builders import merger, municipality

D = datetime.date
Kind = DecisionKind
Body = DecidingBody
MERGED_ON = D(2022, 1, 1)


def _world():
    """Two independent municipalities, and a third that merged into a fourth in 2022."""
    items = [
        municipality("Aadorp", "GM0901"),
        municipality("Beekstad", "GM0902"),
        municipality("Oudgem", "GM0903"),
        municipality("Nieuwgem", "GM0904", established_on=MERGED_ON),
    ]
    merger(items[2], items[3], MERGED_ON)
    return items


STEP = st.one_of(
    st.tuples(
        st.just("record"),
        st.integers(0, 3),
        st.sampled_from([Kind.ASPIRANT, Kind.MANDATE, Kind.DEFINITIVE, Kind.TERMINATION]),
        st.sampled_from([Body.COLLEGE, Body.MAYOR]),
        st.integers(0, 7 * 365),
        st.booleans(),
    ),
    st.tuples(st.just("correct"), st.integers(0, 40), st.integers(-200, 200)),
    st.tuples(st.just("withdraw"), st.integers(0, 40)),
    st.tuples(st.just("succession")),
    st.tuples(st.just("undissolve")),
)


def _apply(step, items):
    memberships = [services.membership_for(municipality=item) for item in items]
    decisions = list(Decision.objects.order_by("pk"))
    try:
        if step[0] == "record":
            _, index, kind, body, offset, mandated = step
            decided = D(2019, 1, 1) + datetime.timedelta(days=offset)
            services.decision_record(
                membership=memberships[index],
                kind=kind,
                deciding_body=body,
                decided_on=decided,
                mandated_body=Body.MAYOR if mandated or kind == Kind.MANDATE else "",
            )
        elif step[0] == "correct" and decisions:
            decision = decisions[step[1] % len(decisions)]
            services.decision_correct(
                decision=decision,
                decided_on=decision.decided_on + datetime.timedelta(days=step[2]),
                effective_on=None,
            )
        elif step[0] == "withdraw" and decisions:
            services.decision_withdraw(
                decision=decisions[step[1] % len(decisions)], reason="Onjuist vastgelegd."
            )
        elif step[0] == "succession":
            services.decision_record(
                membership=memberships[3],
                kind=Kind.SUCCESSION,
                deciding_body=Body.BOARD,
                decided_on=D(2022, 3, 1),
                predecessor=memberships[2],
            )
        elif step[0] == "undissolve":
            # The registry learns a different end date: the projection follows it.
            old = Municipality.objects.get(pk=items[2].pk)
            old.dissolved_on = None if old.dissolved_on else MERGED_ON
            old.save(update_fields=["dissolved_on"])
            dissolutions_changed.send(sender=Municipality, municipality_ids=[old.pk])
    except (services.DecisionRefused, services.ValidationError):
        pass


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, max_size=14))
def test_the_projection_equals_a_recomputation_after_any_sequence_of_services(db, steps):
    with transaction.atomic():
        items = _world()
        for step in steps:
            _apply(step, items)
            assert list(derived_differences()) == [], step
        # What the pages read equals what the dossier derives, for every membership.
        for membership in services.Membership.objects.select_related("municipality"):
            for day in (D(2020, 6, 1), D(2022, 1, 1), D(2025, 1, 1), D(2027, 1, 1)):
                stored = rules.segment_on(
                    [selectors.projection.segment_of(p) for p in membership.status_periods.all()],
                    day,
                )
                derived = rules.status_on(services.dossier_of(membership), day)
                assert (stored.status if stored else rules.Status.NONE) == derived
        transaction.set_rollback(True)


def _diemen_like():
    item = municipality("Diemen", "GM0384")
    membership = services.membership_for(municipality=item)
    services.decision_record(
        membership=membership,
        kind=Kind.ASPIRANT,
        deciding_body=Body.COLLEGE,
        decided_on=D(2022, 8, 22),
        mandated_body=Body.MAYOR,
    )
    return membership


def test_check_derived_reports_a_tampered_projection_and_repairs_it(db, capsys):
    membership = _diemen_like()
    call_command("check-derived")
    assert "membership.status_periods: 0 afwijkingen." in capsys.readouterr().out

    StatusPeriod.objects.filter(membership=membership).update(status=rules.Status.MEMBER)
    with pytest.raises(CommandError, match="1 afgeleid gegeven wijkt af van de bron"):
        call_command("check-derived")
    out = capsys.readouterr().out
    assert "membership.status_periods GM0384: opgeslagen member" in out
    assert "berekend aspirant" in out

    call_command("check-derived", "--repair", "--operator", "beheerder")
    assert "hersteld" in capsys.readouterr().out
    assert list(derived_differences()) == []
    event = AuditEvent.objects.get(action="derived.repair")
    assert event.object_id == "membership.status_periods"
    assert event.actor_label.startswith("beheerder")


def test_check_derived_reports_missing_and_orphaned_rows(db, capsys):
    membership = _diemen_like()
    StatusPeriod.objects.filter(membership=membership).delete()
    with pytest.raises(CommandError):
        call_command("check-derived")
    assert "GM0384: opgeslagen geen perioden" in capsys.readouterr().out


def _continued_aspirant():
    """An aspirant since 2020 that merged into a new municipality, which continues it."""
    old, new = (
        municipality("Oudgem", "GM0903"),
        municipality("Nieuwgem", "GM0904", established_on=MERGED_ON),
    )
    merger(old, new, MERGED_ON)
    predecessor = services.membership_for(municipality=old)
    services.decision_record(
        membership=predecessor,
        kind=Kind.ASPIRANT,
        deciding_body=Body.COLLEGE,
        decided_on=D(2020, 3, 1),
    )
    successor = services.membership_for(municipality=new)
    services.decision_record(
        membership=successor,
        kind=Kind.SUCCESSION,
        deciding_body=Body.BOARD,
        decided_on=D(2022, 2, 1),
        predecessor=predecessor,
    )
    return predecessor, successor


def test_a_later_decision_of_the_predecessor_updates_the_successor(db):
    predecessor, successor = _continued_aspirant()
    assert selectors.summary_status_of(successor, D(2022, 6, 1)) == rules.Status.ASPIRANT
    services.decision_record(
        membership=predecessor,
        kind=Kind.DEFINITIVE,
        deciding_body=Body.COLLEGE,
        decided_on=D(2021, 3, 1),
    )
    rows = selectors.membership_rows(today=D(2022, 6, 1), municipality_code="GM0904")
    assert [row.summary.status for row in rows] == [rules.Status.MEMBER]
    assert list(derived_differences()) == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_decisions_on_a_predecessor_and_its_successor_stay_consistent():
    predecessor, successor = _continued_aspirant()
    start = threading.Barrier(2)
    errors = []

    def run(membership, kind, decided_on):
        try:
            start.wait()
            services.decision_record(
                membership=membership,
                kind=kind,
                deciding_body=Body.COLLEGE,
                decided_on=decided_on,
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(predecessor, Kind.DEFINITIVE, D(2021, 3, 1))),
        threading.Thread(target=run, args=(successor, Kind.TERMINATION, D(2023, 3, 1))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert list(derived_differences()) == []
    assert selectors.summary_status_of(successor, D(2023, 6, 1)) == rules.Status.MEMBER
