"""The shipped reference data in the test database, loaded once per module.

Loading takes about half a second, too much for every test. A module that needs the real data
asks for ``registry``: the data are committed once when the module starts, every test runs in
its own transaction on top of them (rolled back as usual), and the data are removed when the
module ends so that other modules keep starting from an empty registry.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings

from m50.contacts.models import Organisation
from m50.core.models import AuditEvent, SearchEntry
from m50.membership.models import Decision, DecisionProposal, Membership
from m50.municipalities import services
from m50.municipalities.models import (
    BoundaryChange,
    Municipality,
    Network,
    NetworkMembership,
    PopulationCount,
    Province,
)


def reference_data_remove() -> None:
    """Delete everything the reference load writes, dependants first (the links PROTECT)."""
    # The search entries of what the load writes; the shipped pillars' stay, as after migrate.
    SearchEntry.objects.filter(kind__in=("gemeente", "organisatie", "persoon")).delete()
    for model in (
        AuditEvent,
        DecisionProposal,
        Decision,
        Membership,
        Organisation,
        NetworkMembership,
        BoundaryChange,
        PopulationCount,
        Network,
        Municipality,
        Province,
    ):
        model.objects.all().delete()


@contextmanager
def loaded_reference_data(django_db_blocker) -> Iterator[services.LoadReport]:
    with django_db_blocker.unblock():
        report = services.reference_data_load(data_dir=settings.DATA_DIR)
    try:
        yield report
    finally:
        with django_db_blocker.unblock():
            reference_data_remove()


@pytest.fixture(scope="module")
def reference_data(django_db_setup, django_db_blocker) -> Iterator[services.LoadReport]:
    """The report of loading the shipped data into an empty registry (module scope)."""
    with loaded_reference_data(django_db_blocker) as report:
        yield report


@pytest.fixture
def registry(reference_data, db) -> services.LoadReport:
    """The shipped data, for one test in its own transaction."""
    return reference_data
