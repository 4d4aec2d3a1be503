"""Who may manage which pillar or group: per object, from the participations of the day."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from m50.accounts.models import Role
from m50.accounts.permissions import has_rule
from m50.pillars import rules, services
from m50.pillars.models import Role as PillarRole
from tests.factories import ThemeGroupFactory, UserFactory
from tests.pillars.conftest import START, Function, official, user_of

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2025, 6, 1)


@pytest.fixture
def chair_of_sociaal(diemen, sociaal):
    position = official(diemen)
    participation = services.participation_register(
        position=position, pillar=sociaal, role=PillarRole.CHAIR, start_date=START
    )
    return participation


def test_the_bureau_manages_every_pillar_and_group(sociaal, financieel):
    bureau = UserFactory(role=Role.BUREAU)
    group = ThemeGroupFactory()
    assert all(rules.may_manage(bureau, body) for body in (sociaal, financieel, group))


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.PILLAR_CHAIR, Role.MEMBER_CONTACT])
def test_a_chair_manages_their_own_pillar_only(chair_of_sociaal, sociaal, financieel, role):
    user = user_of(chair_of_sociaal.position, role=role)
    assert rules.may_manage(user, sociaal, on=TODAY)
    assert not rules.may_manage(user, financieel, on=TODAY)
    assert not rules.may_manage(user, ThemeGroupFactory(pillar=sociaal), on=TODAY)


def test_a_chair_whose_chairmanship_ended_no_longer_may(chair_of_sociaal, sociaal):
    user = user_of(chair_of_sociaal.position)
    services.participation_role_change(
        participation=chair_of_sociaal, role=PillarRole.MEMBER, on=D(2025, 1, 1)
    )
    assert rules.may_manage(user, sociaal, on=D(2024, 12, 31))
    assert not rules.may_manage(user, sociaal, on=D(2025, 1, 1))


def test_a_chair_whose_position_ended_no_longer_may(chair_of_sociaal, sociaal):
    from m50.contacts import services as contacts_services

    user = user_of(chair_of_sociaal.position)
    contacts_services.position_end(position=chair_of_sociaal.position, end_date=D(2025, 3, 31))
    assert rules.may_manage(user, sociaal, on=D(2025, 3, 31))
    assert not rules.may_manage(user, sociaal, on=D(2025, 4, 1))


def test_a_chair_to_be_does_not_manage_yet(diemen, sociaal):
    position = official(diemen)
    services.participation_register(
        position=position, pillar=sociaal, role=PillarRole.CHAIR, start_date=D(2025, 9, 1)
    )
    assert not rules.may_manage(user_of(position), sociaal, on=TODAY)


def test_a_member_of_the_pillar_does_not_manage_it(diemen, sociaal):
    position = official(diemen)
    services.participation_register(position=position, pillar=sociaal, start_date=START)
    assert not rules.may_manage(user_of(position), sociaal, on=TODAY)


def test_a_user_without_a_person_or_anonymous_manages_nothing(sociaal):
    assert not rules.may_manage(UserFactory(role=Role.PILLAR_CHAIR), sociaal)
    assert not rules.may_manage(AnonymousUser(), sociaal)


def test_an_inactive_chair_manages_nothing(chair_of_sociaal, sociaal):
    user = user_of(chair_of_sociaal.position, is_active=False)
    assert not rules.may_manage(user, sociaal, on=TODAY)


def test_the_chair_of_a_theme_group_manages_that_group(diemen, sociaal):
    group = ThemeGroupFactory(pillar=sociaal)
    advisor = official(diemen, Function.POLICY_ADVISOR)
    services.participation_register(
        position=advisor, theme_group=group, role=PillarRole.CHAIR, start_date=START
    )
    user = user_of(advisor)
    assert rules.may_manage(user, group, on=TODAY)
    assert not rules.may_manage(user, sociaal, on=TODAY)


def test_a_member_contact_manages_participations_of_its_own_municipality_only(
    diemen, houten, sociaal
):
    contact = UserFactory(role=Role.MEMBER_CONTACT, municipality=diemen.municipality)
    own = services.participation_register(
        position=official(diemen), pillar=sociaal, start_date=START
    )
    other = services.participation_register(
        position=official(houten), pillar=sociaal, start_date=START
    )
    assert rules.may_manage_participation(contact, own)
    assert not rules.may_manage_participation(contact, other)
    assert rules.may_manage_participation_of(contact, municipality_id=diemen.municipality_id)
    assert not rules.may_manage_participation_of(contact, municipality_id=houten.municipality_id)
    # A participant of the municipality is no contact.
    participant = UserFactory(role=Role.PARTICIPANT, municipality=diemen.municipality)
    assert not rules.may_manage_participation(participant, own)


def test_a_chair_manages_the_participations_in_their_pillar(chair_of_sociaal, houten, financieel):
    user = user_of(chair_of_sociaal.position)
    in_sociaal = services.participation_register(
        position=official(houten), pillar=chair_of_sociaal.pillar, start_date=START
    )
    in_financieel = services.participation_register(
        position=official(houten, Function.MAYOR), pillar=financieel, start_date=START
    )
    assert rules.may_manage_participation(user, in_sociaal, on=TODAY)
    assert not rules.may_manage_participation(user, in_financieel, on=TODAY)


def test_a_participant_leaves_their_own_participation_only(chair_of_sociaal, houten):
    other = services.participation_register(
        position=official(houten), pillar=chair_of_sociaal.pillar, start_date=START
    )
    user = user_of(chair_of_sociaal.position)
    assert rules.may_leave(user, chair_of_sociaal)
    assert not rules.may_leave(user, other)


def test_who_takes_part_proposes_topics(chair_of_sociaal, houten, sociaal, financieel):
    member = official(houten)
    services.participation_register(position=member, pillar=sociaal, start_date=START)
    user = user_of(member)
    assert rules.may_propose_topic(user, sociaal, on=TODAY)
    assert not rules.may_propose_topic(user, financieel, on=TODAY)
    assert rules.may_propose_topic(UserFactory(role=Role.BUREAU), financieel)


def test_the_rule_table_names_the_pillar_rules():
    bureau, contact, participant = Role.BUREAU, Role.MEMBER_CONTACT, Role.PARTICIPANT
    assert has_rule(AnonymousUser(), "pillars.view")
    assert not has_rule(AnonymousUser(), "pillars.view_participants")
    assert has_rule(UserFactory.build(role=bureau), "pillars.manage")
    assert not has_rule(UserFactory.build(role=Role.PILLAR_CHAIR), "pillars.manage")
    assert has_rule(UserFactory.build(role=contact), "pillars.manage_participation_own")
    assert not has_rule(UserFactory.build(role=participant), "pillars.manage_participation_own")
