"""Text that imitates other text: look-alike letters, invisible characters, mixed scripts.

Used where a name or a host must not pass for another one (a reader posing as a staff
member, an ad link to a host that looks like a known one). The idea is Unicode Technical
Standard #39's "skeleton" (https://www.unicode.org/reports/tr39/#Confusable_Detection):
two strings that look alike map to the same skeleton. Our table is a small one of our
own covering the Cyrillic and Greek letters that pass for Latin ones, not the full
confusables data, so it catches the usual impersonations, not every possible one.
"""

import re
import unicodedata

# Letters that render like a Latin letter in common fonts, by Unicode name, and the letter
# they pass for. Applied before case folding: capital Greek Eta looks like "H", its small
# letter like "n".
_LOOKALIKE_NAMES = {
    # Cyrillic
    "CYRILLIC CAPITAL LETTER A": "A",
    "CYRILLIC CAPITAL LETTER VE": "B",
    "CYRILLIC CAPITAL LETTER IE": "E",
    "CYRILLIC CAPITAL LETTER KA": "K",
    "CYRILLIC CAPITAL LETTER EM": "M",
    "CYRILLIC CAPITAL LETTER EN": "H",
    "CYRILLIC CAPITAL LETTER O": "O",
    "CYRILLIC CAPITAL LETTER ER": "P",
    "CYRILLIC CAPITAL LETTER ES": "C",
    "CYRILLIC CAPITAL LETTER TE": "T",
    "CYRILLIC CAPITAL LETTER U": "Y",
    "CYRILLIC CAPITAL LETTER HA": "X",
    "CYRILLIC CAPITAL LETTER DZE": "S",
    "CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I": "I",
    "CYRILLIC CAPITAL LETTER JE": "J",
    "CYRILLIC CAPITAL LETTER QA": "Q",
    "CYRILLIC CAPITAL LETTER WE": "W",
    "CYRILLIC CAPITAL LETTER STRAIGHT U": "Y",
    "CYRILLIC CAPITAL LETTER SHHA": "H",
    "CYRILLIC LETTER PALOCHKA": "l",
    "CYRILLIC SMALL LETTER A": "a",
    "CYRILLIC SMALL LETTER VE": "b",
    "CYRILLIC SMALL LETTER IE": "e",
    "CYRILLIC SMALL LETTER KA": "k",
    "CYRILLIC SMALL LETTER EM": "m",
    "CYRILLIC SMALL LETTER EN": "h",
    "CYRILLIC SMALL LETTER O": "o",
    "CYRILLIC SMALL LETTER ER": "p",
    "CYRILLIC SMALL LETTER ES": "c",
    "CYRILLIC SMALL LETTER TE": "t",
    "CYRILLIC SMALL LETTER U": "y",
    "CYRILLIC SMALL LETTER HA": "x",
    "CYRILLIC SMALL LETTER DZE": "s",
    "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I": "i",
    "CYRILLIC SMALL LETTER JE": "j",
    "CYRILLIC SMALL LETTER QA": "q",
    "CYRILLIC SMALL LETTER WE": "w",
    "CYRILLIC SMALL LETTER STRAIGHT U": "y",
    "CYRILLIC SMALL LETTER SHHA": "h",
    "CYRILLIC SMALL LETTER PALOCHKA": "l",
    "CYRILLIC SMALL LETTER KOMI DE": "d",
    "CYRILLIC SMALL LETTER SOFT SIGN": "b",
    # Latin
    "LATIN SMALL LETTER SCRIPT G": "g",
    "LATIN SMALL LETTER DOTLESS I": "i",
    "LATIN SMALL LETTER ALPHA": "a",
    "LATIN SMALL LETTER IOTA": "i",
    # Greek
    "GREEK CAPITAL LETTER ALPHA": "A",
    "GREEK CAPITAL LETTER BETA": "B",
    "GREEK CAPITAL LETTER EPSILON": "E",
    "GREEK CAPITAL LETTER ZETA": "Z",
    "GREEK CAPITAL LETTER ETA": "H",
    "GREEK CAPITAL LETTER IOTA": "I",
    "GREEK CAPITAL LETTER KAPPA": "K",
    "GREEK CAPITAL LETTER MU": "M",
    "GREEK CAPITAL LETTER NU": "N",
    "GREEK CAPITAL LETTER OMICRON": "O",
    "GREEK CAPITAL LETTER RHO": "P",
    "GREEK CAPITAL LETTER TAU": "T",
    "GREEK CAPITAL LETTER UPSILON": "Y",
    "GREEK CAPITAL LETTER CHI": "X",
    "GREEK SMALL LETTER ALPHA": "a",
    "GREEK SMALL LETTER BETA": "b",
    "GREEK SMALL LETTER GAMMA": "y",
    "GREEK SMALL LETTER EPSILON": "e",
    "GREEK SMALL LETTER ETA": "n",
    "GREEK SMALL LETTER IOTA": "i",
    "GREEK SMALL LETTER KAPPA": "k",
    "GREEK SMALL LETTER NU": "v",
    "GREEK SMALL LETTER OMICRON": "o",
    "GREEK SMALL LETTER RHO": "p",
    "GREEK SMALL LETTER TAU": "t",
    "GREEK SMALL LETTER UPSILON": "u",
    "GREEK SMALL LETTER CHI": "x",
    "GREEK LUNATE SIGMA SYMBOL": "c",
    "GREEK LETTER YOT": "j",
}
# After case folding: the classic swaps of Latin letters, digits and bars. "I", "l",
# "1" and "|" are one stroke in many fonts, so all of them become "i".
_FOLDED_LOOKALIKES = {"l": "i", "1": "i", "|": "i", "0": "o"}
_TABLE = str.maketrans({unicodedata.lookup(name): latin for name, latin in _LOOKALIKE_NAMES.items()})
_FOLDED_TABLE = str.maketrans(_FOLDED_LOOKALIKES)
_SEPARATORS = re.compile(r"[\W_]+", re.UNICODE)

# Bidirectional embeddings, overrides and isolates (Unicode Standard Annex #9, section
# 2): inside a name they reorder whatever follows on the line. Marks (LRM, RLM, ALM)
# only nudge neighbouring neutrals and are left alone.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_format_character(char: str) -> bool:
    """Invisible characters that change rendering: zero-width, joiners, bidi controls (category Cf)."""
    return unicodedata.category(char) == "Cf"


def skeleton(text: str) -> str:
    """What the text looks like, as lower-case words separated by single spaces.

    Compatibility forms (full-width, mathematical letters) become plain ones (NFKC),
    invisible format characters go, look-alike letters become the Latin letter they
    imitate, case and accents are dropped, and punctuation separates words.
    """
    text = unicodedata.normalize("NFKC", text)
    text = "".join(char for char in text if not is_format_character(char))
    text = unicodedata.normalize("NFD", text.translate(_TABLE).casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.replace("rn", "m").translate(_FOLDED_TABLE)
    return " ".join(_SEPARATORS.sub(" ", text).split())


def resembles(text: str, other: str) -> bool:
    """True when the two look the same, word breaks aside, or `other` (two words or more)
    appears whole inside `text` ("Jane Doe, editor" imitates "Jane Doe")."""
    mine, theirs = skeleton(text), skeleton(other)
    if not mine or not theirs:
        return False
    if mine.replace(" ", "") == theirs.replace(" ", ""):
        return True
    return " " in theirs and f" {theirs} " in f" {mine} "


def script(char: str) -> str:
    """The script a letter belongs to, by the first word of its Unicode name ("LATIN", "CYRILLIC")."""
    return unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]


def scripts(text: str) -> set[str]:
    """The scripts of the letters in the text (digits, punctuation and marks belong to none)."""
    return {script(char) for char in text if char.isalpha()}


def is_plain(text: str) -> bool:
    """Printable ASCII and Latin letters only: nothing a reader could mistake for something else."""
    return all((" " <= char <= "~") or (char.isalpha() and script(char) == "LATIN") for char in text)


def code_points(text: str) -> list[str]:
    """Each character as "U+XXXX NAME", for a moderator who must see what a name is made of."""
    return [f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed')}" for char in text]


def without_bidi_controls(text: str) -> str:
    return "".join(char for char in text if char not in BIDI_CONTROLS)


def latin_reading(text: str) -> str:
    """The text with look-alike Cyrillic and Greek letters read as the Latin ones they imitate
    ("apple" spelt with a Cyrillic "a", U+0430, reads "apple"); case and everything else kept."""
    return unicodedata.normalize("NFKC", text).translate(_TABLE)
