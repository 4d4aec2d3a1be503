"""The national benchmark's data builder and one measuring round, at a tiny scale: so that
``python -m bench national`` keeps working while the services and pages change."""

import json

import pytest

from bench import bench_national as bench
from m50.finance.models import Payment
from m50.membership.models import Decision, DecisionKind
from m50.municipalities.models import Municipality

TINY = {
    "small": bench.Scale(64, 0, 4, (2025, 2026), 1),
    "xl": bench.Scale(70, 362, 8, (2025, 2026), 2, synthetic=6, synthetic_mergers_every=3),
}


@pytest.fixture
def built(db, tmp_path):
    builder = bench.Builder(workdir=tmp_path, scales=TINY)
    return {stage: builder.build(stage) for stage in TINY}


def test_the_builder_grows_the_data_through_the_services(built):
    small, xl = built["small"].counts, built["xl"].counts
    assert small["memberships"] == 64
    assert xl["memberships"] == 70
    assert xl["municipalities"] - small["municipalities"] == 6
    assert xl["people"] == 8 and xl["positions"] >= 8
    assert xl["organisations"] == max(362, small["organisations"])
    assert xl["invoices"] > small["invoices"] > 0
    assert Payment.objects.exists()
    # A synthetic municipality merged into the next one, and a succession recorded on it.
    assert Municipality.objects.filter(code="GM2000", dissolved_on__isnull=False).exists()
    assert Decision.objects.filter(kind=DecisionKind.SUCCESSION).count() == 2
    assert built["xl"].refused == {}


def test_one_round_measures_every_endpoint_and_reports(built, tmp_path):
    from django.db import connection

    rounds = bench.Rounds(rounds=1, min_samples=1, budget_seconds=0.0)
    name = connection.settings_dict["NAME"]
    stages = bench.measure_stage(rounds, {"national": name})
    with bench.bench_urlconf():
        points = bench.endpoints()
    assert {"bare view", "members overview", "api facturen?status=betaald"} <= {
        point.name for point in points
    }
    statuses = {point.name: stages["national"][point.name].status for point in points}
    assert set(statuses.values()) == {200}, statuses
    assert all(len(m.samples_ms) == 1 for m in stages["national"].values())
    assert stages["national"]["bare view"].queries == 0

    summary = bench.summarise(
        stages, built, [], quick=True, database=connection.vendor, points=points
    )
    assert "members overview" in bench.table(summary)
    assert "| members overview `/lidmaatschap/` | bureau |" in bench.markdown(summary)
    path = bench.write_json(summary, tmp_path)
    again = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    assert json.loads(path.read_text(encoding="utf-8")) == again
    assert "members overview" in bench.compare(again, summary)
