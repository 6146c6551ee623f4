"""Look-alike text: skeletons, resemblance, scripts, code points (newsdesk.core.lookalikes)."""

import pytest

from newsdesk.core import lookalikes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jane Doe", "jane doe"),
        ("J\u200bane\u200d Doe", "jane doe"),  # zero-width space and joiner
        ("J\u0430ne D\u043ee", "jane doe"),  # Cyrillic a and o
        ("\u039a\u0391\u03a4\u0395", "kate"),  # Greek capitals
        ("\uff2a\uff41\uff4e\uff45", "jane"),  # full-width
        ("\U0001d409\U0001d41a\U0001d427\U0001d41e", "jane"),  # mathematical bold
        ("J\u00f6rg", "jorg"),  # accents dropped
        ("Jane.Doe_1", "jane doe i"),
        ("Bill", "biii"),  # I, l and 1 are one stroke
        ("Barney", "bamey"),  # "rn" passes for "m"
        ("  ", ""),
    ],
)
def test_skeleton(text, expected):
    assert lookalikes.skeleton(text) == expected


def test_greek_gamma_is_not_taken_for_a_latin_letter():
    assert lookalikes.skeleton("\u0393") == "\u03b3"


@pytest.mark.parametrize(
    ("text", "other", "expected"),
    [
        ("jane doe", "Jane Doe", True),
        ("JaneDoe", "Jane Doe", True),
        ("Jane Doe, editor", "Jane Doe", True),
        ("Janet Doerr", "Jane Doe", False),
        ("Fred", "ed", False),  # a one-word name must match whole
        ("Ed", "ed", True),
        ("", "Jane", False),
        ("Jane", "", False),
    ],
)
def test_resembles(text, other, expected):
    assert lookalikes.resembles(text, other) is expected


def test_scripts_of_a_mixed_word():
    assert lookalikes.scripts("p\u0430ypal-2") == {"LATIN", "CYRILLIC"}


@pytest.mark.parametrize(
    ("text", "plain"), [("Jos\u00e9 O'Neil", True), ("\u041elga", False), ("Ol\u200bga", False), ("Tab\there", False)]
)
def test_is_plain(text, plain):
    assert lookalikes.is_plain(text) is plain


def test_code_points_name_each_character():
    assert lookalikes.code_points("a\u202e") == ["U+0061 LATIN SMALL LETTER A", "U+202E RIGHT-TO-LEFT OVERRIDE"]


def test_bidi_controls_are_removed_and_marks_kept():
    assert lookalikes.without_bidi_controls("a\u202eb\u2067c\u2069\u200fd") == "abc\u200fd"
