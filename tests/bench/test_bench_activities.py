"""The activities benchmark's builder keeps the model's rules, and every scenario runs."""

from __future__ import annotations

import random

import pytest
from django.db.models import Count, F, Q

from bench import bench_activities as bench
from m50.activities.models import Activity, Registration, RegistrationState

pytestmark = pytest.mark.django_db


def test_the_bulk_keeps_the_rules_and_each_scenario_is_one_query_or_a_page(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    data = bench.build(40, random.Random(bench.SEED))
    assert Activity.objects.count() == 41
    assert Registration.objects.count() == 40 * bench.REGISTRATIONS_PER_ACTIVITY + 6
    over = Activity.objects.annotate(
        seats=Count("registrations", filter=Q(registrations__state=RegistrationState.CONFIRMED))
    ).filter(capacity__isnull=False, seats__gt=F("capacity"))
    assert not over.exists()
    for name, function in bench.scenarios(data):
        result = bench.timed(function, rounds=1)
        if name.startswith("selectors"):
            assert result.queries == 1, name
        else:
            assert result.status == 200, name
