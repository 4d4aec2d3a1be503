import pytest
from django.core.cache import caches
from django.utils import translation

from m50.accounts.models import MUNICIPAL_ROLES, Role
from tests.factories import MunicipalityFactory, UserFactory

PASSWORD = "correct-horse-battery"


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        metavar="ISO-8601",
        help="run the suite as if it were this moment (e.g. 2026-12-06T23:50:00+00:00, when "
        "the Dutch date is already the next day), the clock ticking on from there",
    )


def pytest_configure(config):
    moment = config.getoption("--clock", default=None)
    if moment:
        import datetime

        import time_machine

        # The stops' CI runs at any hour: a test that holds only by day must fail here first.
        traveller = time_machine.travel(datetime.datetime.fromisoformat(moment), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


DUMMY_CACHE = "django.core.cache.backends.dummy.DummyCache"
LOCMEM_CACHE = "django.core.cache.backends.locmem.LocMemCache"


@pytest.fixture(autouse=True)
def _dutch():
    # A request in English leaves English active in the thread; every test starts in Dutch.
    with translation.override("nl"):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 costs a quarter of a second per user made; the production hasher is checked in
    # tests/accounts/test_accounts.py.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # Rendered public pages are kept per data version, which the services raise; the rows that
    # tests make with factories raise none. So pages are rendered every time (what the query
    # counts measure), except in the tests of the cache itself, which ask for ``page_cache``.
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": DUMMY_CACHE},
        "figures": {"BACKEND": DUMMY_CACHE},
    }


@pytest.fixture
def page_cache(settings):
    """The rendered page cache as configured in production, empty."""
    settings.CACHES = {**settings.CACHES, "pages": {"BACKEND": LOCMEM_CACHE, "LOCATION": "test"}}
    caches["pages"].clear()
    return caches["pages"]


@pytest.fixture
def figure_cache(settings):
    """The cache of counts and totals per data version, as in production, empty."""
    settings.CACHES = {
        **settings.CACHES,
        "figures": {"BACKEND": LOCMEM_CACHE, "LOCATION": "test-figures"},
    }
    caches["figures"].clear()
    return caches["figures"]


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
