"""Past ``EXACT_LIMIT`` matches the counts are estimated from a sample and the page is taken
from the full-text index's best-ranked matches: the same hits, counts close to the truth, and
still nothing of what the viewer may not see."""

import datetime

import pytest

from m50.core.search import index, query
from m50.core.search.access import Access, Viewer
from m50.core.search.index import EntryData
from tests.core.search.conftest import ANONYMOUS, BUREAU

pytestmark = pytest.mark.django_db

MEMBER = Viewer(authenticated=True, role="participant", pillar_ids=frozenset({1}))


def _entries(count: int, access=None) -> None:
    for kind, numbers in (
        ("knowledge", [n for n in range(count) if n % 5]),
        ("activity", [n for n in range(count) if not n % 5]),
    ):
        _register(kind, numbers, access)
    index.index_rebuild()


def _register(kind, numbers, access) -> None:
    index.provider_register(
        kind,
        lambda: (
            EntryData(
                kind=kind,
                object_id=n,
                title=f"Aanpak {n} van de wachtlijsten",
                summary="Hoe een gemeente de jeugdzorg regelt.",
                body="Het netwerk deelt de aanpak." + " Met een toelichting." * (n % 37),
                url=f"/k/{n}",
                access=access(n) if access else [Access.PUBLIC, Access.NETWORK, Access.BODY][n % 3],
                pillar_id=1 + n % 2,
                date=datetime.date(2020 + n % 4, 1, 1),
                facets={"year": [str(2020 + n % 4)], "theme": ["jeugdzorg"]},
            )
            for n in numbers
        ),
    )


def _search(monkeypatch, exact_limit, **options):
    monkeypatch.setattr(query, "EXACT_LIMIT", exact_limit)
    return query.search(**{"text": "jeugdzorg", "viewer": MEMBER, **options})


@pytest.fixture
def sampled(monkeypatch, no_providers):
    monkeypatch.setattr(query, "SAMPLE", 300)
    monkeypatch.setattr(query, "MIN_SAMPLE", 20)
    _entries(1200)


@pytest.mark.parametrize("page", [1, 2, 7])
def test_an_estimate_gives_the_same_hits_as_counting_all(monkeypatch, sampled, page):
    exact = _search(monkeypatch, 10_000, page=page)
    estimate = _search(monkeypatch, 100, page=page)
    assert not exact.estimated and estimate.estimated
    assert [(h.kind, h.object_id) for h in estimate.hits] == [
        (h.kind, h.object_id) for h in exact.hits
    ]
    assert len(estimate.hits) == 20


def test_an_estimate_is_close_and_rounded(monkeypatch, sampled):
    exact = _search(monkeypatch, 10_000)
    estimate = _search(monkeypatch, 100)
    # 1,200 matches, the member sees the public, network and own pillar's third: 1,000.
    assert exact.total == 1000
    assert 800 <= estimate.total <= 1200 and estimate.total % 10 == 0
    assert {kind for kind, _n in estimate.kinds} == {"knowledge", "activity"}
    assert dict(estimate.kinds)["knowledge"] > dict(estimate.kinds)["activity"]
    assert {value for value, _n in estimate.facets["year"]} == {"2020", "2021", "2022", "2023"}
    assert estimate.facets["theme"][0][0] == "jeugdzorg"


def test_a_sparse_sample_is_taken_from_the_counting_pass(
    monkeypatch, no_providers, django_assert_num_queries
):
    # 1,200 matches, a sample of about 50: one in 24, so sparse that the ids the first pass
    # keeps (one in 16) hold it, and no second pass over the matches picks it.
    monkeypatch.setattr(query, "SAMPLE", 50)
    monkeypatch.setattr(query, "MIN_SAMPLE", 20)
    monkeypatch.setattr(query, "PRESAMPLE_STEP", 16)
    _entries(1200)
    with django_assert_num_queries(4):
        kept = _search(monkeypatch, 100, page=2)
    monkeypatch.setattr(query, "PRESAMPLE_STEP", 10_000)
    walked = _search(monkeypatch, 100, page=2)
    assert kept.estimated and walked.estimated
    assert (kept.total, kept.kinds, kept.facets) == (walked.total, walked.kinds, walked.facets)
    assert [h.object_id for h in kept.hits] == [h.object_id for h in walked.hits]
    # The estimate still counts only what the member sees: 1,000 of the 1,200.
    assert 700 <= kept.total <= 1300 and len(kept.hits) == 20


def test_an_estimate_offers_at_most_the_estimated_pages(monkeypatch, sampled):
    monkeypatch.setattr(query, "ESTIMATED_PAGES", 3)
    results = _search(monkeypatch, 100, page=40)
    assert (results.pages, results.page, len(results.hits)) == (3, 3, 20)


def test_an_estimate_counts_nothing_the_viewer_may_not_see(monkeypatch, no_providers):
    monkeypatch.setattr(query, "SAMPLE", 300)
    monkeypatch.setattr(query, "MIN_SAMPLE", 20)
    # Of 1,200 matches, five are public: too few in any sample, so they are counted one by one.
    _entries(1200, access=lambda n: Access.PUBLIC if n % 240 == 7 else Access.BUREAU)
    results = _search(monkeypatch, 100, viewer=ANONYMOUS)
    assert (results.total, results.estimated) == (5, False)
    assert sorted(h.object_id for h in results.hits) == [7, 247, 487, 727, 967]
    assert results.facets["year"] == [("2023", 5)]
    bureau = _search(monkeypatch, 100, viewer=BUREAU)
    assert bureau.estimated and 1000 <= bureau.total <= 1400


def test_a_filter_past_the_limit_narrows_the_estimate(monkeypatch, sampled):
    exact = _search(monkeypatch, 10_000, filters={"year": "2021"})
    estimate = _search(monkeypatch, 100, filters={"year": "2021"})
    assert [h.object_id for h in estimate.hits] == [h.object_id for h in exact.hits]
    assert estimate.facets["year"] == [("2021", estimate.total)]


@pytest.mark.parametrize(
    ("count", "shown"), [(1, 1), (99, 99), (150, 150), (1234, 1200), (12_345, 12_000), (995, 1000)]
)
def test_estimates_are_shown_to_two_figures(count, shown):
    assert query._rounded(count) == shown
