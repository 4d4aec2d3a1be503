"""Dutch tokens and the query language, the same at index and query time."""

import pytest

from m50.core.search.normalise import STOP_WORDS, normalise, stem, tokens
from m50.core.search.parser import MAX_TERMS, Phrase, Prefix, Word, parse


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("gemeente", "gemeenten"),
        ("woningen", "woning"),
        ("beëindigd", "beeindigd"),
        ("Beëindigd", "BEEINDIGD"),
        ("Súdwest-Fryslân", "sudwest fryslan"),
        ("kosten", "kost"),
        ("voorbeelden", "voorbeeld"),
    ],
)
def test_forms_of_a_word_give_the_same_tokens(one, other):
    assert tokens(one) == tokens(other)


@pytest.mark.parametrize(("one", "other"), [("woningbouw", "bouw"), ("jeugdzorg", "zorg")])
def test_compounds_are_not_split(one, other):
    assert tokens(one) != tokens(other)


def test_stop_words_are_snowballs_dutch_list_and_left_out():
    assert len(STOP_WORDS) == 101
    assert {"de", "het", "van", "een", "en", "niet", "andere"} <= STOP_WORDS
    assert "gemeente" not in STOP_WORDS
    assert tokens("De gemeente en het netwerk van de toekomst") == [
        stem("gemeente"),
        stem("netwerk"),
        stem("toekomst"),
    ]


def test_the_classic_stemmer_keeps_unrelated_words_apart():
    # snowballstemmer 3's new "dutch" strips "ge-": gezondheid would find zon, gemeente menen.
    assert tokens("gezondheid") != tokens("zon")
    assert tokens("gemeente") != tokens("menen")


def test_normalise_is_tokens_as_text():
    assert normalise("Woningen, gemeenten!") == "woning gemeent"
    assert normalise("") == ""


def test_words_are_anded():
    query = parse("gemeenten woningen")
    assert query.terms == (Word("gemeent"), Word("woning"))
    assert not query.empty and query.message == ""


def test_a_quoted_phrase_keeps_its_words_in_order_without_stop_words():
    query = parse('"huis van de toekomst" wonen')
    assert query.terms == (Phrase(("huis", "toekomst")), Word(stem("wonen")))
    assert query.ignored == ("van", "de")


def test_an_unclosed_quote_runs_to_the_end():
    assert parse('"huis toekomst').terms == (Phrase(("huis", "toekomst")),)


def test_a_star_makes_a_prefix_of_the_folded_word_and_its_stem():
    assert parse("woningbouw*").terms == (Prefix(("woningbouw",)),)
    assert parse("Gemeenten*").terms == (Prefix(("gemeent", "gemeenten")),)


def test_type_ahead_makes_the_last_word_a_prefix_until_a_space_follows():
    assert parse("jeugd", prefix=True).terms == (Prefix(("jeugd",)),)
    assert parse("kosten jeugd", prefix=True).terms == (Word("kost"), Prefix(("jeugd",)))
    assert parse("jeugd ", prefix=True).terms == (Word("jeugd"),)
    assert parse('"jeugd"', prefix=True).terms == (Word("jeugd"),)
    # A stop word being typed may be the start of a word: "de" → "delft".
    assert parse("de", prefix=True).terms == (Prefix(("de",)),)
    assert parse("de", prefix=False).empty


def test_a_hyphenated_word_is_a_phrase():
    assert parse("COVID-19").terms == (Phrase(("covid", "19")),)
    query = parse("s-Hertogen", prefix=True)
    assert query.terms == (Word("s"), Prefix(("hertog", "hertogen")))


def test_a_query_of_stop_words_only_says_so_in_dutch():
    query = parse("de het van")
    assert query.empty
    assert "veelvoorkomende woorden (de, het, van)" in query.message


def test_an_empty_query_asks_for_words():
    assert parse('  * " ').empty
    assert parse("").message == "Typ een of meer woorden om te zoeken."


def test_repeated_terms_count_once_and_a_long_query_is_cut():
    assert parse("woning woningen WONING").terms == (Word("woning"),)
    many = " ".join(f"woord{n}" for n in range(40))
    assert len(parse(many).terms) == MAX_TERMS
