"""Who sees which activity (rules.visible_q through selectors.activity_list, and rules.may_view):
every audience against anonymous visitors, the bureau, public affairs, an official, a pillar's
participant and chair, an invited person and a bestuurder; and who may not see it cannot
register for it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from m50.accounts.models import Role
from m50.activities import rules, selectors, services
from m50.activities.models import Activity, Audience, Registration
from m50.contacts.models import Position
from m50.pillars import services as pillar_services
from m50.pillars.models import Role as PillarRole
from tests.activities.conftest import participant, plan
from tests.factories import UserFactory
from tests.pillars.conftest import START, official, user_of

pytestmark = pytest.mark.django_db
Function = Position.Function
VIEWERS = (
    "anonymous",
    "bureau",
    "public_affairs",
    "official",
    "sociaal_member",
    "sociaal_chair",
    "invited",
    "bestuurder",
)


@pytest.fixture
def people(bureau, diemen, houten, sociaal):
    member_position = official(diemen, function=Function.POLICY_ADVISOR)
    pillar_services.participation_register(
        position=member_position, pillar=sociaal, start_date=START
    )
    chair_position = official(houten, function=Function.ALDERMAN)
    pillar_services.participation_register(
        position=chair_position, pillar=sociaal, role=PillarRole.CHAIR, start_date=START
    )
    return {
        "anonymous": AnonymousUser(),
        "bureau": bureau,
        "public_affairs": UserFactory(role=Role.PUBLIC_AFFAIRS),
        "official": participant(diemen, Function.POLICY_ADVISOR),
        "sociaal_member": user_of(member_position),
        "sociaal_chair": user_of(chair_position, role=Role.PILLAR_CHAIR),
        "invited": participant(houten, Function.CIVIL_SERVANT),
        "bestuurder": participant(houten, Function.MAYOR),
    }


def seen_by(people, activity) -> set[str]:
    """The viewers who see ``activity``, asked both ways; the two must agree."""
    listed = {
        name
        for name, user in people.items()
        if selectors.activity_list(user=user).filter(pk=activity.pk).exists()
    }
    allowed = {name for name, user in people.items() if rules.may_view(user, activity)}
    assert listed == allowed
    return listed


STAFF = {"bureau", "public_affairs"}
LOGGED_IN = set(VIEWERS) - {"anonymous"}


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        (Audience.PUBLIC, set(VIEWERS)),
        (Audience.MEMBERS, LOGGED_IN),
        (Audience.BODY, STAFF | {"sociaal_member", "sociaal_chair"}),
        # The chair is an alderman: a bestuurder too.
        (Audience.ADMINISTRATORS, STAFF | {"bestuurder", "sociaal_chair"}),
        (Audience.INVITATION, STAFF | {"invited"}),
    ],
)
def test_each_audience_is_seen_by_its_own_and_the_staff(
    people, bureau, sociaal, audience, expected
):
    body = sociaal if audience == Audience.BODY else None
    activity = plan(bureau, audience=audience, audience_body=body, title=f"Voor {audience}")
    if audience == Audience.INVITATION:
        services.invitation_add(activity=activity, person=people["invited"].person, actor=bureau)
    assert seen_by(people, activity) == expected


def test_the_chair_of_the_organising_pillar_sees_what_it_organises_by_invitation(
    people, bureau, sociaal
):
    activity = plan(bureau, organiser=sociaal, audience=Audience.INVITATION)
    assert seen_by(people, activity) == STAFF | {"sociaal_chair"}
    assert rules.may_manage(people["sociaal_chair"], activity)
    assert not rules.may_manage(people["sociaal_member"], activity)


def test_a_participant_of_another_pillar_does_not_see_a_pillar_meeting(people, bureau, financieel):
    activity = plan(bureau, audience=Audience.BODY, audience_body=financieel)
    assert seen_by(people, activity) == STAFF


def test_whoever_holds_a_registration_keeps_seeing_it(people, bureau):
    activity = plan(bureau, audience=Audience.INVITATION)
    invitation = services.invitation_add(
        activity=activity, person=people["official"].person, actor=bureau
    )
    services.registration_create(activity=activity, person=people["official"].person, actor=bureau)
    # The invitation withdrawn, the seat (and so the activity) stays theirs.
    services.invitation_remove(invitation=invitation, actor=bureau)
    assert seen_by(people, activity) == STAFF | {"official"}


def test_an_ended_position_no_longer_makes_a_bestuurder(people, bureau, houten):
    former = participant(houten, Function.MAYOR, username="oud-burgemeester")
    Position.objects.filter(person=former.person).update(end_date=START)
    activity = plan(bureau, audience=Audience.ADMINISTRATORS)
    assert not rules.may_view(former, activity)
    assert rules.may_view(people["bestuurder"], activity)


def test_an_inactive_account_sees_only_what_is_public(people, bureau):
    user = people["bestuurder"]
    user.is_active = False
    user.save()
    public = plan(bureau, audience=Audience.PUBLIC)
    members = plan(bureau, audience=Audience.MEMBERS)
    visible = set(selectors.activity_list(user=user).values_list("pk", flat=True))
    assert visible == {public.pk}
    assert not rules.may_view(user, members)


@pytest.mark.parametrize("audience", [Audience.BODY, Audience.ADMINISTRATORS, Audience.INVITATION])
def test_who_may_not_see_it_cannot_register_and_learns_nothing(people, bureau, sociaal, audience):
    body = sociaal if audience == Audience.BODY else None
    activity = plan(bureau, audience=audience, audience_body=body)
    outsider = people["official"]
    with pytest.raises(Activity.DoesNotExist):
        services.registration_create(activity=activity, person=outsider.person, actor=outsider)
    # Nor can anyone register someone else, unless they organise it.
    with pytest.raises(ValidationError) as info:
        services.registration_create(
            activity=activity, person=people["bestuurder"].person, actor=outsider
        )
    assert "alleen uzelf" in " ".join(info.value.messages)
    assert not Registration.objects.exists()


def test_the_seen_audience_may_register(people, bureau, sociaal):
    activity = plan(bureau, audience=Audience.BODY, audience_body=sociaal)
    member = people["sociaal_member"]
    registration = services.registration_create(
        activity=activity, person=member.person, actor=member
    )
    assert registration.municipality.name == "Diemen"
