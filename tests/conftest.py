import pytest
from django.utils import translation

from m50.accounts.models import MUNICIPAL_ROLES, Role
from tests.factories import MunicipalityFactory, UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _dutch():
    # A request in English leaves English active in the thread; every test starts in Dutch.
    with translation.override("nl"):
        yield


@pytest.fixture
def user_for_role(db):
    """Builds a user of a role; municipal roles get a municipality of their own."""

    def make(role: Role, **kwargs):
        if role in MUNICIPAL_ROLES and "municipality" not in kwargs:
            kwargs["municipality"] = MunicipalityFactory()
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def bureau_user(user_for_role):
    return user_for_role(Role.BUREAU)
