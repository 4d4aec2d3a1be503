"""The Tweede Kamer benchmark's pages at a tiny scale: so that ``python -m bench tweedekamer``
keeps working, and its pages are what the sync reads."""

import random

import pytest

from bench import bench_tweedekamer as bench
from m50.publicaffairs.models import Decision, Motion, Vote
from m50.publicaffairs.services import tweedekamer_directory_sync

pytestmark = pytest.mark.django_db


def test_the_generated_pages_sync_into_motions_decisions_and_fractie_votes(tmp_path):
    files = bench.pages_write(tmp_path, 260, random.Random(bench.SEED))
    # 1 Fractie page, 2 Zaak and 2 Besluit pages, 260 × 15 votes in pages of 250.
    assert files == 1 + 2 + 2 + 16 == len(list(tmp_path.glob("*.json")))
    report = tweedekamer_directory_sync(directory=tmp_path)
    assert report.failed == []
    assert report.total().new == 15 + 260 + 260 + 260 * 15
    assert Motion.objects.count() == Decision.objects.filter(motion__isnull=False).count() == 260
    assert not Vote.objects.filter(decision__isnull=True).exists()
    assert not Decision.objects.filter(vote_count="").exists()
    again = tweedekamer_directory_sync(directory=tmp_path).total()
    assert (again.new, again.changed, again.unchanged) == (0, 0, report.total().new)
