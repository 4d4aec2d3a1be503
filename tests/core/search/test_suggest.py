"""Type-ahead over the corpus: the last word a prefix, the best few first, only what the viewer
may see, in one query. Run on SQLite and on PostgreSQL (scripts/with_postgres.py)."""

import pytest

from m50.core.models import Theme
from m50.core.search import index, query
from m50.core.search.access import Access
from tests.core.search.conftest import ANONYMOUS, BUREAU, PARTICIPANT, VIEWERS, VISIBLE

pytestmark = pytest.mark.django_db


def urls(text, viewer=BUREAU, **options) -> list[str]:
    return [s.url for s in query.suggest(text=text, viewer=viewer, **options)]


def test_the_word_being_typed_is_a_prefix(corpus):
    suggestions = query.suggest(text="wonin", viewer=ANONYMOUS)
    assert suggestions[0] == query.Suggestion(
        kind="knowledge", title="Woningbouw versnellen in middelgrote gemeenten", url="/knowledge/1"
    )
    # The earlier words are whole words; a space after the last ends it as well.
    assert urls("den bos") == ["/municipality/796"]
    assert urls("den bos ") == []
    assert urls("verslag pijler") == ["/knowledge/3"]
    # Titles and summaries only: "Diemen" is in the body of /knowledge/1 (and in the title of
    # the restricted activity 7).
    assert urls("woningbouw") and urls("diemen") == []


@pytest.mark.parametrize("name", sorted(VIEWERS))
def test_each_viewer_is_suggested_only_what_it_may_see(corpus, name):
    suggested = urls("netw", viewer=VIEWERS[name], limit=20)
    assert suggested and len(suggested) == len(set(suggested))
    # The entries with "netwerk" in their summary, 7 restricted.
    assert {int(url.rsplit("/", 1)[1]) for url in suggested} == VISIBLE[name] & {4, 796, 9, 10}


def test_a_bureau_entry_is_never_suggested_to_others(corpus):
    assert urls("begrot", viewer=BUREAU) == ["/knowledge/4"]
    for name in ("anonymous", "participant", "pillar member", "group member", "public affairs"):
        assert urls("begrot", viewer=VIEWERS[name]) == []


def test_restricted_entries_need_their_kinds_subquery(corpus):
    assert urls("werkbez", viewer=BUREAU) == []
    wonen = Theme.objects.filter(slug="wonen")
    assert urls("werkbez", viewer=PARTICIPANT, restricted={"activity": wonen}) == [
        f"/activity/{corpus['activity']}"
    ]


def test_at_most_the_limit_best_first(db):
    for number in range(25):
        index.entry_put(
            kind="knowledge",
            object_id=number,
            title=f"Parkeerbeleid {number}" if number != 5 else "Verslag",
            body="parkeerbeleid" if number == 5 else "",
            url=f"/knowledge/{number}",
            access=Access.PUBLIC,
        )
    suggested = urls("parkeer", viewer=ANONYMOUS)
    assert len(suggested) == 8
    # A title match ranks above a body match: the body-only entry is not among the best eight.
    assert "/knowledge/5" not in suggested
    assert len(urls("parkeer", viewer=ANONYMOUS, limit=1000)) == query.MAX_SUGGESTIONS
    assert len(urls("parkeer", viewer=ANONYMOUS, limit=0)) == 1


def test_one_query_and_none_for_nothing_to_search(corpus, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert urls("wonin", viewer=PARTICIPANT)
    with django_assert_num_queries(0):
        for text in ("", "   ", "?!.,", "de het ", '"""', "*"):
            assert query.suggest(text=text, viewer=BUREAU) == []
