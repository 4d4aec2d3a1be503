"""Membership services on a real database: rules enforced, nothing half-written, audited."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from m50.accounts.models import Role
from m50.core.models import AuditEvent
from m50.membership import rules, selectors, services
from m50.membership.models import DecidingBody, Decision, DecisionKind, DecisionProposal
from m50.municipalities.models import BoundaryChange, NetworkMembership
from tests.factories import MunicipalityFactory, NetworkMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def membership():
    return services.membership_for(municipality=MunicipalityFactory(name="Proefstad"))


def record(membership, kind, body, decided, **extra):
    return services.decision_record(
        membership=membership, kind=kind, deciding_body=body, decided_on=decided, **extra
    )


DIEMEN_ASPIRANT = D(2022, 8, 22)


def aspirant(membership, decided=DIEMEN_ASPIRANT):
    return record(
        membership,
        DecisionKind.ASPIRANT,
        DecidingBody.COLLEGE,
        decided,
        mandated_body=DecidingBody.MAYOR,
    )


def test_the_aspirant_decision_gets_the_default_mandate_deadline(membership):
    decision = aspirant(membership)
    assert decision.mandate_deadline == D(2023, 8, 22)
    assert decision.effective_on == D(2022, 8, 22)
    event = AuditEvent.objects.get(action="decision.record")
    assert event.changes["kind"] == {"old": None, "new": "aspirant"}


def test_a_refused_decision_writes_nothing_and_names_the_rule(membership):
    aspirant(membership)
    before = (Decision.objects.count(), AuditEvent.objects.count())
    with pytest.raises(services.DecisionRefused) as excinfo:
        record(membership, DecisionKind.DEFINITIVE, DecidingBody.MAYOR, D(2023, 8, 23))
    assert [p.code for p in excinfo.value.problems] == ["mandate_expired"]
    assert "22 augustus 2023" in excinfo.value.problems[0].message
    assert (Decision.objects.count(), AuditEvent.objects.count()) == before


def test_a_decision_cannot_be_slipped_in_before_the_last_one(membership):
    aspirant(membership)
    record(membership, DecisionKind.DEFINITIVE, DecidingBody.MAYOR, D(2023, 5, 16))
    with pytest.raises(services.DecisionRefused) as excinfo:
        record(
            membership,
            DecisionKind.TERMINATION,
            DecidingBody.COLLEGE,
            D(2023, 1, 1),
            effective_on=D(2023, 1, 2),
        )
    assert "dated_before_previous" in [p.code for p in excinfo.value.problems]


def test_termination_defaults_to_the_end_of_the_year(membership):
    aspirant(membership)
    decision = record(membership, DecisionKind.TERMINATION, DecidingBody.COLLEGE, D(2023, 3, 3))
    assert decision.effective_on == D(2024, 1, 1)
    dossier = services.dossier_of(membership)
    assert rules.status_on(dossier, D(2023, 12, 31)) == rules.Status.ASPIRANT
    assert rules.status_on(dossier, D(2024, 1, 1)) == rules.Status.TERMINATED


def test_a_correction_replaces_the_wrong_decision_and_keeps_it(membership):
    wrong = aspirant(membership, D(2022, 8, 2))
    right = services.decision_correct(
        decision=wrong,
        decided_on=D(2022, 8, 22),
        effective_on=D(2022, 8, 22),
        mandate_deadline=None,
    )
    assert right.corrects == wrong and Decision.objects.count() == 2
    summary = selectors.membership_summary(membership, D(2022, 9, 1))
    assert summary.since == D(2022, 8, 22)
    assert summary.mandate.deadline == D(2023, 8, 22)
    event = AuditEvent.objects.get(action="decision.correct")
    assert event.changes["decided_on"] == {"old": "2022-08-02", "new": "2022-08-22"}


def test_a_decision_is_corrected_once(membership):
    wrong = aspirant(membership)
    services.decision_correct(decision=wrong, remarks="eerste correctie")
    with pytest.raises(services.DecisionRefused):
        services.decision_correct(decision=wrong, remarks="tweede")


def test_a_withdrawal_that_would_leave_a_member_without_aspirant_is_refused(membership):
    first = aspirant(membership)
    record(membership, DecisionKind.DEFINITIVE, DecidingBody.MAYOR, D(2023, 5, 16))
    with pytest.raises(services.DecisionRefused) as excinfo:
        services.decision_withdraw(decision=first, reason="verkeerd ingevoerd")
    assert "definitive_without_aspirant" in [p.code for p in excinfo.value.problems]


def test_withdrawing_needs_a_reason_and_removes_the_decision(membership):
    first = aspirant(membership)
    with pytest.raises(services.DecisionRefused):
        services.decision_withdraw(decision=first, reason="  ")
    services.decision_withdraw(decision=first, reason="dubbel ingevoerd")
    assert selectors.membership_summary(membership, D(2023, 1, 1)).status == rules.Status.NONE


def test_documentary_fields_are_edited_with_optimistic_concurrency(membership):
    decision = aspirant(membership)
    updated = services.decision_document_update(
        decision=decision, expected_version=1, document_number="B&W 2022/123"
    )
    assert updated.version == 2
    with pytest.raises(services.ConcurrentEdit):
        services.decision_document_update(decision=decision, expected_version=1, remarks="x")
    with pytest.raises(ValidationError):
        services.decision_document_update(
            decision=decision, expected_version=2, decided_on=D(2022, 1, 1)
        )
    assert Decision.objects.get(pk=decision.pk).remarks == ""


def test_a_proposal_is_checked_then_confirmed_by_the_bureau(membership):
    contact = UserFactory(role=Role.MEMBER_CONTACT, municipality=membership.municipality)
    bureau = UserFactory(role=Role.BUREAU)
    with pytest.raises(services.DecisionRefused):
        services.proposal_create(
            membership=membership,
            actor=contact,
            kind=DecisionKind.DEFINITIVE,
            deciding_body=DecidingBody.COLLEGE,
            decided_on=D(2024, 1, 1),
            document_title="Besluit",
        )
    proposal = services.proposal_create(
        membership=membership,
        actor=contact,
        kind=DecisionKind.ASPIRANT,
        deciding_body=DecidingBody.COLLEGE,
        decided_on=D(2024, 1, 10),
        mandated_body=DecidingBody.MAYOR,
        document_title="Collegebesluit 10 januari",
    )
    assert not Decision.objects.exists()
    decision = services.proposal_confirm(proposal=proposal, actor=bureau)
    proposal.refresh_from_db()
    assert proposal.state == DecisionProposal.State.CONFIRMED and proposal.decision == decision
    assert decision.recorded_by == bureau and decision.mandate_deadline == D(2025, 1, 10)
    with pytest.raises(ValidationError):
        services.proposal_confirm(proposal=proposal, actor=bureau)


def test_a_merger_proposes_and_records_the_succession():
    old = MunicipalityFactory(name="Oudgem", dissolved_on=D(2023, 1, 1))
    new = MunicipalityFactory(name="Nieuwgem", established_on=D(2023, 1, 1))
    BoundaryChange.objects.create(
        effective_on=D(2023, 1, 1), kind="merger_new_code", successor=new, predecessor=old
    )
    predecessor = services.membership_for(municipality=old)
    aspirant(predecessor, D(2021, 3, 1))
    record(predecessor, DecisionKind.DEFINITIVE, DecidingBody.COLLEGE, D(2021, 9, 1))
    assert selectors.succession_proposals(today=D(2024, 1, 1)) == [(predecessor, new)]
    successor = services.membership_for(municipality=new)
    decision = record(
        successor,
        DecisionKind.SUCCESSION,
        DecidingBody.BOARD,
        D(2023, 1, 1),
        predecessor=predecessor,
    )
    assert decision.effective_on == D(2023, 1, 1)
    summary = selectors.membership_summary(successor, D(2024, 1, 1))
    assert (summary.status, summary.since) == (rules.Status.MEMBER, D(2023, 1, 1))
    assert selectors.summary_status_of(predecessor, D(2024, 1, 1)) == rules.Status.TERMINATED
    assert selectors.succession_proposals(today=D(2024, 1, 1)) == []


def test_a_succession_needs_a_merger_between_the_two(membership):
    other = services.membership_for(municipality=MunicipalityFactory())
    with pytest.raises(services.DecisionRefused) as excinfo:
        record(
            membership,
            DecisionKind.SUCCESSION,
            DecidingBody.BOARD,
            D(2023, 1, 1),
            predecessor=other,
        )
    assert [p.code for p in excinfo.value.problems] == ["succession_without_merger"]


def test_the_reference_dossier_lists_members_and_loads_diemen():
    diemen = MunicipalityFactory(code="GM0384", name="Diemen")
    zeist = MunicipalityFactory(code="GM0355", name="Zeist")
    for municipality in (diemen, zeist):
        NetworkMembershipFactory(municipality=municipality)
    report = services.membership_reference_load()
    assert (report.listed_created, report.decisions_created) == (1, 2)
    assert not services.membership_reference_load().changed
    zeist_summary = selectors.membership_summary(zeist.membership, D(2026, 1, 1))
    assert zeist_summary.listed_only and zeist_summary.since is None
    assert zeist.membership.listed_since == "2023-04"
    summary = selectors.membership_summary(diemen.membership, D(2026, 11, 28))
    assert (summary.status, summary.since) == (rules.Status.MEMBER, D(2023, 5, 16))
    fact, mandate = summary.used
    assert fact.deciding_body == DecidingBody.MAYOR and mandate.deadline == D(2023, 8, 22)
    assert NetworkMembership.objects.count() == 2
