"""Asking to join a pillar or group: the chair or the bureau accepts or refuses."""

import pytest
from django.core.exceptions import ValidationError

from m50.accounts.models import Role
from m50.core.models import AuditEvent
from m50.pillars import rules, selectors, services
from m50.pillars.models import Participation, ParticipationRequest
from m50.pillars.models import Role as PillarRole
from tests.factories import UserFactory
from tests.pillars.conftest import START, Function, official, pillar, user_of

pytestmark = pytest.mark.django_db
State = ParticipationRequest.State


@pytest.fixture
def chair(houten, sociaal):
    position = official(houten)
    services.participation_register(
        position=position, pillar=sociaal, role=PillarRole.CHAIR, start_date=START
    )
    return user_of(position)


@pytest.fixture
def advisor(diemen):
    return official(diemen, Function.POLICY_ADVISOR)


def test_an_official_asks_and_the_chair_accepts(advisor, sociaal, chair):
    asker = user_of(advisor)
    assert rules.may_request_to_join(asker, advisor)
    request = services.participation_request_create(
        position=advisor, pillar=sociaal, note="Beleid jeugd", actor=asker
    )
    assert list(selectors.participation_request_list(body=sociaal)) == [request]
    assert rules.may_handle_request(chair, request)
    participation = services.participation_request_accept(request=request, actor=chair)
    request.refresh_from_db()
    assert (request.state, request.participation, request.handled_by) == (
        State.ACCEPTED,
        participation,
        chair,
    )
    assert participation.category == "adviseur" and participation.is_running()
    assert list(selectors.participation_request_list(body=sociaal)) == []
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"participation_request.create", "participation_request.accepted"} <= actions


def test_the_chair_of_another_pillar_may_not_handle_it(advisor, sociaal, financieel, chair):
    request = services.participation_request_create(position=advisor, pillar=financieel)
    assert not rules.may_handle_request(chair, request)
    assert rules.may_handle_request(UserFactory(role=Role.BUREAU), request)


def test_a_refusal_needs_a_reason_and_a_handled_request_stays_handled(advisor, sociaal):
    request = services.participation_request_create(position=advisor, pillar=sociaal)
    with pytest.raises(ValidationError, match="reden"):
        services.participation_request_refuse(request=request, reason=" ")
    services.participation_request_refuse(request=request, reason="Vol")
    with pytest.raises(ValidationError, match="al behandeld"):
        services.participation_request_accept(request=request)
    assert not Participation.objects.exists()
    request.refresh_from_db()
    assert (request.state, request.refusal_reason) == (State.REFUSED, "Vol")


def test_asking_follows_the_rules_of_taking_part(advisor, sociaal):
    with pytest.raises(ValidationError, match="neemt geen nieuwe deelnemers aan"):
        services.participation_request_create(position=advisor, pillar=pillar("samenleving"))
    services.participation_request_create(position=advisor, pillar=sociaal)
    with pytest.raises(ValidationError, match="loopt nog"):
        services.participation_request_create(position=advisor, pillar=sociaal)
    assert ParticipationRequest.objects.count() == 1


def test_withdrawing_and_who_may(advisor, houten, sociaal):
    request = services.participation_request_create(position=advisor, pillar=sociaal)
    assert rules.may_withdraw_request(user_of(advisor), request)
    assert not rules.may_withdraw_request(user_of(official(houten)), request)
    services.participation_request_withdraw(request=request)
    request.refresh_from_db()
    assert request.state == State.WITHDRAWN
    # Asking again after withdrawing is fine.
    services.participation_request_create(position=advisor, pillar=sociaal)
