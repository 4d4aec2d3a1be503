"""Decision dates outside a plausible window are refused: before the network existed, before
the municipality existed, more than a year ahead. By the service, so forms, proposals and the
API all refuse them, with the rule's code."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from m50.accounts.models import Role
from m50.core.models import AuditEvent
from m50.membership import rules, services
from m50.membership.models import DecidingBody, Decision, DecisionKind, DecisionProposal
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 12, 6)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(services, "_today", lambda: TODAY)


@pytest.fixture
def membership():
    return services.membership_for(municipality=MunicipalityFactory(name="Proefstad"))


def aspirant(membership, decided, **extra):
    return services.decision_record(
        membership=membership,
        kind=DecisionKind.ASPIRANT,
        deciding_body=DecidingBody.COLLEGE,
        decided_on=decided,
        mandated_body=DecidingBody.MAYOR,
        **extra,
    )


def refusal(call) -> list[rules.Problem]:
    before = (Decision.objects.count(), AuditEvent.objects.count())
    with pytest.raises(services.DecisionRefused) as excinfo:
        call()
    assert (Decision.objects.count(), AuditEvent.objects.count()) == before
    return excinfo.value.problems


def test_the_founding_of_the_network_is_a_setting_with_a_conservative_default():
    assert D(2000, 1, 1) == settings.M50_NETWORK_FOUNDED


def test_1_january_1800_is_refused_before_the_network_existed(membership):
    problems = refusal(lambda: aspirant(membership, D(1800, 1, 1)))
    assert [(p.code, p.field) for p in problems] == [("date_before_network", "decided_on")]
    assert problems[0].message == (
        "De besluitdatum (1 januari 1800) ligt vóór het ontstaan van het netwerk (1 januari 2000)."
    )


def test_the_day_the_network_was_founded_is_the_first_date_accepted(membership):
    problems = refusal(lambda: aspirant(membership, D(1999, 12, 31)))
    assert [p.code for p in problems] == ["date_before_network"]
    assert aspirant(membership, D(2000, 1, 1)).decided_on == D(2000, 1, 1)


def test_the_founding_follows_the_setting(membership, settings):
    settings.M50_NETWORK_FOUNDED = D(2010, 6, 1)
    assert [p.code for p in refusal(lambda: aspirant(membership, D(2010, 5, 31)))] == [
        "date_before_network"
    ]
    assert aspirant(membership, D(2010, 6, 1))


def test_a_date_before_the_municipality_existed_is_refused():
    merged = MunicipalityFactory(name="Nieuwgem", established_on=D(2023, 1, 1))
    membership = services.membership_for(municipality=merged)
    problems = refusal(lambda: aspirant(membership, D(2022, 12, 31)))
    assert [p.code for p in problems] == ["date_before_municipality"]
    assert "(1 januari 2023)" in problems[0].message
    assert aspirant(membership, D(2023, 1, 1))


def test_one_year_ahead_is_the_last_date_accepted(membership):
    problems = refusal(lambda: aspirant(membership, D(2027, 12, 7)))
    assert [(p.code, p.field) for p in problems] == [("date_too_far_ahead", "decided_on")]
    assert "uiterlijk 6 december 2027" in problems[0].message
    assert aspirant(membership, D(2027, 12, 6))


def test_a_date_in_2031_is_refused_and_so_cannot_block_later_decisions(membership):
    assert [p.code for p in refusal(lambda: aspirant(membership, D(2031, 3, 1)))] == [
        "date_too_far_ahead"
    ]
    # The dossier is untouched: a decision of today is recorded as usual.
    decision = aspirant(membership, TODAY)
    definitive = services.decision_record(
        membership=membership,
        kind=DecisionKind.DEFINITIVE,
        deciding_body=DecidingBody.MAYOR,
        decided_on=TODAY + dt.timedelta(days=30),
    )
    assert decision.pk and definitive.pk


def test_an_effective_or_announcement_date_far_ahead_is_refused_with_its_field(membership):
    problems = refusal(lambda: aspirant(membership, TODAY, effective_on=D(2031, 1, 1)))
    assert [(p.code, p.field) for p in problems] == [("date_too_far_ahead", "effective_on")]
    assert problems[0].message.startswith("De ingangsdatum (1 januari 2031)")
    problems = refusal(lambda: aspirant(membership, TODAY, announced_on=D(2031, 1, 1)))
    assert [(p.code, p.field) for p in problems] == [("date_too_far_ahead", "announced_on")]


def test_a_termination_may_take_effect_at_the_end_of_next_year(membership):
    aspirant(membership, D(2025, 1, 6))
    services.decision_record(
        membership=membership,
        kind=DecisionKind.DEFINITIVE,
        deciding_body=DecidingBody.COLLEGE,
        decided_on=D(2025, 6, 1),
    )
    # Decided a year ahead, it takes effect on 1 January after that: more than a year ahead.
    termination = services.decision_record(
        membership=membership,
        kind=DecisionKind.TERMINATION,
        deciding_body=DecidingBody.COLLEGE,
        decided_on=D(2027, 12, 6),
    )
    assert termination.effective_on == D(2028, 1, 1)


def test_a_correction_is_held_to_the_window_but_a_wrong_date_can_be_withdrawn(membership):
    # A decision recorded before the window existed, dated 1800.
    wrong = Decision.objects.create(
        membership=membership,
        kind=DecisionKind.ASPIRANT,
        deciding_body=DecidingBody.COLLEGE,
        decided_on=D(1800, 1, 1),
        effective_on=D(1800, 1, 1),
    )
    problems = refusal(
        lambda: services.decision_correct(
            decision=wrong, decided_on=D(1801, 1, 1), effective_on=D(1801, 1, 1)
        )
    )
    assert [p.code for p in problems] == ["date_before_network"]
    # Withdrawing it repeats its dates, and is what removes it: allowed.
    withdrawal = services.decision_withdraw(decision=wrong, reason="Typefout in het jaar.")
    assert withdrawal.kind == DecisionKind.WITHDRAWAL and withdrawal.corrects == wrong
    corrected = aspirant(membership, D(2024, 1, 1))
    assert corrected.pk


def test_a_proposal_is_held_to_the_same_window(membership, user_for_role):
    contact = user_for_role(Role.MEMBER_CONTACT, municipality=membership.municipality)
    problems = refusal(
        lambda: services.proposal_create(
            membership=membership,
            actor=contact,
            kind=DecisionKind.ASPIRANT,
            deciding_body=DecidingBody.COLLEGE,
            decided_on=D(1800, 1, 1),
            document_title="Collegebesluit",
        )
    )
    assert [p.code for p in problems] == ["date_before_network"]
    assert not DecisionProposal.objects.exists()


def test_the_form_shows_the_refusal_at_the_date_and_writes_nothing(client, bureau_user):
    municipality = MunicipalityFactory(name="Proefstad", code="GM0999")
    client.force_login(bureau_user)
    response = client.post(
        reverse("membership:decision_create", args=[municipality.code]),
        {
            "kind": DecisionKind.ASPIRANT,
            "deciding_body": DecidingBody.COLLEGE,
            "decided_on": "1800-01-01",
            "mandated_body": DecidingBody.MAYOR,
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["decided_on"] == [
        "De besluitdatum (1 januari 1800) ligt vóór het ontstaan van het netwerk (1 januari 2000)."
    ]
    assert not Decision.objects.exists()
    # Nothing of it is shown publicly.
    client.logout()
    html = client.get(reverse("municipalities:detail", args=[municipality.code])).text
    assert "1800" not in html


def test_the_api_answers_400_naming_the_rule(user_for_role):
    MunicipalityFactory(name="Proefstad", code="GM0999")
    api = APIClient()
    token = Token.objects.create(user=user_for_role(Role.BUREAU))
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    body = {
        "municipalityCode": "GM0999",
        "kind": "aspirant",
        "decidingBody": "college",
        "decidedOn": "2031-03-01",
        "mandate": {"body": "burgemeester"},
    }
    response = api.post("/api/v1/besluiten", body, format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    params = response.json()["invalidParams"]
    assert [param["code"] for param in params] == ["date_too_far_ahead"]
    assert params[0]["reason"].startswith("De besluitdatum (1 maart 2031) ligt meer dan een jaar")
    assert not Decision.objects.exists()


def test_an_announcement_date_edited_later_is_held_to_the_window(membership):
    decision = aspirant(membership, D(2026, 1, 5))
    problems = refusal(
        lambda: services.decision_document_update(
            decision=decision, expected_version=1, announced_on=D(2031, 1, 1)
        )
    )
    assert [(p.code, p.field) for p in problems] == [("date_too_far_ahead", "announced_on")]
    decision.refresh_from_db()
    assert decision.announced_on is None and decision.version == 1
    updated = services.decision_document_update(
        decision=decision, expected_version=1, announced_on=D(2026, 1, 12)
    )
    assert updated.announced_on == D(2026, 1, 12) and updated.version == 2
