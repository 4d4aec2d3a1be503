import pytest

from m50.core.text import fold, words


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Beëindigd", "beeindigd"),
        ("Súdwest-Fryslân", "sudwest-fryslan"),
        ("CAFÉ", "cafe"),
        ("Straße", "strasse"),
        ("ĳsbaan", "ijsbaan"),
    ],
)
def test_case_and_accents_fold_away(typed, folded):
    assert fold(typed) == folded


def test_punctuation_separates_words():
    assert words("'s-Hertogenbosch") == ["s", "hertogenbosch"]
    assert words("Súdwest-Fryslân, 2024!") == ["sudwest", "fryslan", "2024"]
    assert words("") == []
