"""Activities with officials of member municipalities, for the activities tests; everything is
made through the services."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from m50.accounts.models import Role
from m50.activities import services
from m50.activities.models import Audience, Kind
from tests.factories import UserFactory
from tests.pillars.conftest import (  # noqa: F401 - fixtures used by the activities tests
    diemen,
    financieel,
    houten,
    municipality_organisation,
    official,
    pillar,
    sociaal,
    user_of,
)

H = datetime.timedelta(hours=1)


@pytest.fixture
def bureau(db):
    return UserFactory(role=Role.BUREAU, username="bureau-activiteiten")


def plan(actor, **kwargs):
    """An activity a week ahead, two hours long, for all participants of members."""
    start = kwargs.pop("starts_at", timezone.now() + datetime.timedelta(days=7))
    kwargs.setdefault("ends_at", start + 2 * H)
    kwargs.setdefault("kind", Kind.GENERAL_MEETING)
    kwargs.setdefault("title", "Ledenvergadering")
    kwargs.setdefault("audience", Audience.MEMBERS)
    return services.activity_create(actor=actor, starts_at=start, **kwargs)


def participant(organisation, function=None, **kwargs):
    """An official of ``organisation`` with a participant's account linked to their person."""
    position = official(organisation, **({"function": function} if function else {}))
    return user_of(position, **kwargs)
