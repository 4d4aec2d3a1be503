"""Member municipalities with officials, and the shipped pillars, for the pillars tests."""

import datetime

import pytest

from m50.accounts.models import Role
from m50.contacts.models import Organisation, Position
from m50.membership import services as membership_services
from m50.membership.models import DecidingBody, DecisionKind
from m50.pillars.models import Pillar
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    PositionFactory,
    UserFactory,
)

D = datetime.date
START = D(2024, 3, 1)
Function = Position.Function


def municipality_organisation(name: str, *, status: str = "member"):
    """A municipality's organisation; ``status``: member (listed), aspirant (college decision
    of 2022-08-22), terminated (left in 2023) or none."""
    municipality = MunicipalityFactory(name=name)
    organisation = OrganisationFactory(
        kind=Organisation.Kind.MUNICIPALITY, municipality=municipality, name=f"Gemeente {name}"
    )
    if status == "member":
        membership_services.membership_listed_create(municipality=municipality)
    elif status in ("aspirant", "terminated"):
        membership = membership_services.membership_for(municipality=municipality)
        membership_services.decision_record(
            membership=membership,
            kind=DecisionKind.ASPIRANT,
            deciding_body=DecidingBody.COLLEGE,
            decided_on=D(2022, 8, 22),
        )
        if status == "terminated":
            membership_services.decision_record(
                membership=membership,
                kind=DecisionKind.TERMINATION,
                deciding_body=DecidingBody.COLLEGE,
                decided_on=D(2023, 3, 1),
            )
    return organisation


def official(organisation, function=Function.ALDERMAN, **kwargs) -> Position:
    kwargs.setdefault("start_date", D(2022, 6, 1))
    return PositionFactory(organisation=organisation, function=function, **kwargs)


def pillar(slug: str) -> Pillar:
    return Pillar.objects.get(slug=slug)


@pytest.fixture
def diemen(db):
    return municipality_organisation("Diemen")


@pytest.fixture
def houten(db):
    return municipality_organisation("Houten")


@pytest.fixture
def sociaal(db):
    return pillar("sociaal")


@pytest.fixture
def financieel(db):
    return pillar("financieel")


def user_of(position, role=Role.PARTICIPANT, **kwargs):
    """An account of the position's person, at its municipality."""
    return UserFactory(
        role=role,
        person=position.person,
        municipality=position.organisation.municipality,
        **kwargs,
    )
