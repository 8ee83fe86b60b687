"""The national language tables of TS 23.038 Annex A: sizes, cells, structure, round trips.

The sizes and cells pinned here were established by comparing five transcriptions of the spec
cell by cell (see the docstring of :mod:`smsencode.alphabet.national`).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Mapping

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from smsencode.alphabet import DEFAULT, ESC, NOT_SIMPLE, Alphabet, national_alphabet
from smsencode.alphabet.default import BASIC, EXTENSION
from smsencode.alphabet.national import LANGUAGE_NAMES, LANGUAGES, LOCKING, SINGLE

TURKISH, SPANISH, PORTUGUESE, BENGALI, GUJARATI, HINDI, KANNADA = 1, 2, 3, 4, 5, 6, 7
MALAYALAM, ORIYA, PUNJABI, TAMIL, TELUGU, URDU = 8, 9, 10, 11, 12, 13
INDIC = (BENGALI, GUJARATI, HINDI, KANNADA, MALAYALAM, ORIYA, PUNJABI, TAMIL, TELUGU)
LATIN = (TURKISH, SPANISH, PORTUGUESE)

#: Characters per locking shift table (A.3.x; the default alphabet has 127 = all but ESC).
LOCKING_SIZES = {
    TURKISH: 127,
    PORTUGUESE: 127,
    BENGALI: 114,
    GUJARATI: 120,
    HINDI: 127,
    KANNADA: 120,
    MALAYALAM: 120,
    ORIYA: 116,
    PUNJABI: 110,
    TAMIL: 102,
    TELUGU: 120,
    URDU: 127,
}

#: Characters per single shift table (A.2.x; the default extension table has 10).
SINGLE_SIZES = {
    TURKISH: 17,
    SPANISH: 19,
    PORTUGUESE: 37,
    BENGALI: 82,
    GUJARATI: 70,
    HINDI: 88,
    KANNADA: 73,
    MALAYALAM: 82,
    ORIYA: 75,
    PUNJABI: 76,
    TAMIL: 77,
    TELUGU: 77,
    URDU: 90,
}

#: Combining marks (``\p{M}``) per locking table: the characters that join the one before them
#: into a grapheme cluster, which splitting must keep whole.
LOCKING_MARKS = {
    BENGALI: 17,
    GUJARATI: 20,
    HINDI: 20,
    KANNADA: 21,
    MALAYALAM: 19,
    ORIYA: 20,
    PUNJABI: 17,
    TAMIL: 14,
    TELUGU: 21,
    URDU: 10,
}

LOCKING_CELLS = [
    # A.3.1 Turkish: the letters that replace è ì Ø ø Æ æ ¡ ¿ of the default alphabet.
    (TURKISH, 0x04, "\N{EURO SIGN}"),
    (TURKISH, 0x07, "\N{LATIN SMALL LETTER DOTLESS I}"),
    (TURKISH, 0x0B, "\N{LATIN CAPITAL LETTER G WITH BREVE}"),
    (TURKISH, 0x0C, "\N{LATIN SMALL LETTER G WITH BREVE}"),
    (TURKISH, 0x1C, "\N{LATIN CAPITAL LETTER S WITH CEDILLA}"),
    (TURKISH, 0x1D, "\N{LATIN SMALL LETTER S WITH CEDILLA}"),
    (TURKISH, 0x1F, "\N{LATIN CAPITAL LETTER E WITH ACUTE}"),
    (TURKISH, 0x40, "\N{LATIN CAPITAL LETTER I WITH DOT ABOVE}"),
    (TURKISH, 0x47, "G"),
    (TURKISH, 0x60, "\N{LATIN SMALL LETTER C WITH CEDILLA}"),
    (TURKISH, 0x67, "g"),
    # A.3.3 Portuguese.
    (PORTUGUESE, 0x04, "\N{LATIN SMALL LETTER E WITH CIRCUMFLEX}"),
    (PORTUGUESE, 0x12, "\N{FEMININE ORDINAL INDICATOR}"),
    (PORTUGUESE, 0x15, "\N{INFINITY}"),
    (PORTUGUESE, 0x16, "\N{CIRCUMFLEX ACCENT}"),
    (PORTUGUESE, 0x17, "\N{REVERSE SOLIDUS}"),
    (PORTUGUESE, 0x18, "\N{EURO SIGN}"),
    (PORTUGUESE, 0x24, "\N{MASCULINE ORDINAL INDICATOR}"),
    (PORTUGUESE, 0x40, "\N{LATIN CAPITAL LETTER I WITH ACUTE}"),
    (PORTUGUESE, 0x5B, "\N{LATIN CAPITAL LETTER A WITH TILDE}"),
    (PORTUGUESE, 0x60, "\N{TILDE}"),
    (PORTUGUESE, 0x7D, "\N{GRAVE ACCENT}"),
    # Indic tables keep digits and some punctuation of the default alphabet, parentheses swapped.
    (BENGALI, 0x00, "\N{BENGALI SIGN CANDRABINDU}"),
    (BENGALI, 0x28, ")"),
    (BENGALI, 0x29, "("),
    (BENGALI, 0x2C, ","),
    (BENGALI, 0x7F, "\N{BENGALI LETTER RA WITH LOWER DIAGONAL}"),
    (HINDI, 0x00, "\N{DEVANAGARI SIGN CANDRABINDU}"),
    (HINDI, 0x01, "\N{DEVANAGARI SIGN ANUSVARA}"),
    (HINDI, 0x02, "\N{DEVANAGARI SIGN VISARGA}"),
    (HINDI, 0x60, "\N{DEVANAGARI OM}"),
    (KANNADA, 0x24, "\N{KANNADA LETTER PA}"),
    (KANNADA, 0x3D, "\N{KANNADA LETTER PA}"),
    (ORIYA, 0x47, "\N{ORIYA LETTER LLA}"),
    (ORIYA, 0x4E, "\N{ORIYA SIGN NUKTA}"),
    (TAMIL, 0x2C, ","),
    (TELUGU, 0x2C, ","),
    (URDU, 0x00, "\N{ARABIC LETTER ALEF}"),
    (URDU, 0x2C, ","),
    (URDU, 0x7F, "\N{ARABIC LETTER SUPERSCRIPT ALEF}"),
]

SINGLE_CELLS = [
    (TURKISH, 0x47, "\N{LATIN CAPITAL LETTER G WITH BREVE}"),
    (TURKISH, 0x49, "\N{LATIN CAPITAL LETTER I WITH DOT ABOVE}"),
    (TURKISH, 0x53, "\N{LATIN CAPITAL LETTER S WITH CEDILLA}"),
    (TURKISH, 0x63, "\N{LATIN SMALL LETTER C WITH CEDILLA}"),
    (TURKISH, 0x65, "\N{EURO SIGN}"),
    (TURKISH, 0x67, "\N{LATIN SMALL LETTER G WITH BREVE}"),
    (TURKISH, 0x69, "\N{LATIN SMALL LETTER DOTLESS I}"),
    (TURKISH, 0x73, "\N{LATIN SMALL LETTER S WITH CEDILLA}"),
    (SPANISH, 0x09, "\N{LATIN SMALL LETTER C WITH CEDILLA}"),
    (SPANISH, 0x41, "\N{LATIN CAPITAL LETTER A WITH ACUTE}"),
    (SPANISH, 0x49, "\N{LATIN CAPITAL LETTER I WITH ACUTE}"),
    (SPANISH, 0x4F, "\N{LATIN CAPITAL LETTER O WITH ACUTE}"),
    (SPANISH, 0x55, "\N{LATIN CAPITAL LETTER U WITH ACUTE}"),
    (SPANISH, 0x61, "\N{LATIN SMALL LETTER A WITH ACUTE}"),
    (SPANISH, 0x65, "\N{EURO SIGN}"),
    (SPANISH, 0x69, "\N{LATIN SMALL LETTER I WITH ACUTE}"),
    (SPANISH, 0x6F, "\N{LATIN SMALL LETTER O WITH ACUTE}"),
    (SPANISH, 0x75, "\N{LATIN SMALL LETTER U WITH ACUTE}"),
    (PORTUGUESE, 0x05, "\N{LATIN SMALL LETTER E WITH CIRCUMFLEX}"),
    (PORTUGUESE, 0x12, "\N{GREEK CAPITAL LETTER PHI}"),
    (PORTUGUESE, 0x41, "\N{LATIN CAPITAL LETTER A WITH GRAVE}"),
    (PORTUGUESE, 0x61, "\N{LATIN CAPITAL LETTER A WITH CIRCUMFLEX}"),
    (PORTUGUESE, 0x7F, "\N{LATIN SMALL LETTER A WITH CIRCUMFLEX}"),
    (BENGALI, 0x00, "\N{COMMERCIAL AT}"),
    (BENGALI, 0x19, "\N{BENGALI DIGIT ZERO}"),
    (HINDI, 0x19, "\N{DEVANAGARI DANDA}"),
    (ORIYA, 0x20, "\N{ORIYA DIGIT FOUR}"),
    (PUNJABI, 0x23, "\N{GURMUKHI DIGIT SEVEN}"),
    (TAMIL, 0x24, "\N{TAMIL DIGIT EIGHT}"),
    (TAMIL, 0x25, "\N{TAMIL DIGIT NINE}"),
    (TELUGU, 0x1C, "\N{TELUGU DIGIT ZERO}"),
    (TELUGU, 0x22, "\N{TELUGU DIGIT SIX}"),
    (TELUGU, 0x23, "\N{TELUGU DIGIT SEVEN}"),
    (URDU, 0x20, "\N{EXTENDED ARABIC-INDIC DIGIT FOUR}"),
    (URDU, 0x65, "\N{EURO SIGN}"),
]

#: The characters the spec itself prints twice in one table, with their codes.
SPEC_DUPLICATES: dict[tuple[str, int], dict[str, tuple[int, ...]]] = {
    ("locking", KANNADA): {"\N{KANNADA LETTER PA}": (0x24, 0x3D)},
    **{
        ("single", lang): {"\N{INVERTED EXCLAMATION MARK}": (0x13, 0x15), "*": (0x0B, 0x18)}
        for lang in (*INDIC, URDU)
    },
}

ALL_TABLES = [("locking", lang, t) for lang, t in LOCKING.items()] + [
    ("single", lang, t) for lang, t in SINGLE.items()
]
TABLE_IDS = [f"{kind}-{LANGUAGE_NAMES[lang].lower()}" for kind, lang, _ in ALL_TABLES]
PAIRS = [(lock, single) for lock in (None, *LOCKING) for single in (None, *SINGLE)]


def reference_decode(septets: bytes, locking: Mapping[int, str], single: Mapping[int, str]) -> str:
    """Unpacked septets to text, one septet at a time (TS 23.038 §6.2.1, §6.2.1.1).

    ESC selects the single shift table for the next septet; a code with no character there
    stands for the locking table's character, and ESC ESC for a space.
    """
    out: list[str] = []
    i = 0
    while i < len(septets):
        code = septets[i]
        if code == ESC:
            nxt = septets[i + 1]
            out.append(" " if nxt == ESC else single.get(nxt, locking.get(nxt, "\ufffd")))
            i += 2
        else:
            out.append(locking[code])
            i += 1
    return "".join(out)


def tables_of(lock: int | None, single: int | None) -> tuple[Mapping[int, str], Mapping[int, str]]:
    return (BASIC if lock is None else LOCKING[lock], EXTENSION if single is None else SINGLE[single])


def test_languages_with_tables() -> None:
    """Thirteen languages have a single shift table; all but Spanish have a locking table."""
    assert sorted(SINGLE) == list(range(1, 14))
    assert sorted(LOCKING) == [lang for lang in range(1, 14) if lang != SPANISH]


def test_locking_table_sizes() -> None:
    """Each locking table has the number of characters the spec's table shows."""
    assert {lang: len(t) for lang, t in LOCKING.items()} == LOCKING_SIZES


def test_single_table_sizes() -> None:
    """Each single shift table has the number of characters the spec's table shows."""
    assert {lang: len(t) for lang, t in SINGLE.items()} == SINGLE_SIZES


@pytest.mark.parametrize(("lang", "code", "char"), LOCKING_CELLS)
def test_locking_cells(lang: int, code: int, char: str) -> None:
    """Known cells of the locking tables, including those where sources disagree."""
    assert LOCKING[lang][code] == char


@pytest.mark.parametrize(("lang", "code", "char"), SINGLE_CELLS)
def test_single_cells(lang: int, code: int, char: str) -> None:
    """Known cells of the single shift tables, including those where sources disagree."""
    assert SINGLE[lang][code] == char


def test_cells_the_spec_leaves_empty() -> None:
    """Cells some sources fill but the spec leaves empty stay empty."""
    assert 0x65 not in SINGLE[TELUGU]  # no EURO SIGN in the Telugu single shift table
    assert 0x11 not in LOCKING[TAMIL] and 0x11 not in LOCKING[TELUGU]
    assert "\N{KANNADA LETTER DDA}" not in LOCKING[KANNADA].values()
    assert all(0x65 in SINGLE[lang] for lang in SINGLE if lang != TELUGU)


@pytest.mark.parametrize(("kind", "lang", "table"), ALL_TABLES, ids=TABLE_IDS)
def test_codes_are_septets_and_never_escape(kind: str, lang: int, table: dict[int, str]) -> None:
    """Every key is a septet other than ESC, and every value one named character."""
    assert all(isinstance(code, int) and 0 <= code <= 0x7F for code in table)
    assert ESC not in table
    for ch in table.values():
        assert len(ch) == 1
        assert ch in "\n\r\x0c" or unicodedata.name(ch, None) is not None  # no unassigned code point


@pytest.mark.parametrize("lang", sorted(LOCKING))
def test_locking_tables_keep_the_controls(lang: int) -> None:
    """LF, CR and SPACE keep their default-alphabet septets in every locking table."""
    table = LOCKING[lang]
    assert (table[0x0A], table[0x0D], table[0x20]) == ("\n", "\r", " ")
    assert "\x0c" not in table.values()


@pytest.mark.parametrize("lang", sorted(SINGLE))
def test_single_tables_keep_form_feed_and_no_cr2(lang: int) -> None:
    """0x0A is FORM FEED in every single shift table; 0x0D (CR2) is no character."""
    table = SINGLE[lang]
    assert table[0x0A] == "\x0c"
    assert 0x0D not in table
    assert "\n" not in table.values() and "\r" not in table.values()


@pytest.mark.parametrize("lang", [*INDIC, URDU])
def test_indic_single_tables_carry_the_latin_capitals(lang: int) -> None:
    """The Indic and Urdu single shift tables hold A-Z at their default-alphabet codes."""
    table = SINGLE[lang]
    assert [table[code] for code in range(0x41, 0x5B)] == [chr(c) for c in range(0x41, 0x5B)]


@pytest.mark.parametrize(("kind", "lang", "table"), ALL_TABLES, ids=TABLE_IDS)
def test_no_duplicates_but_the_specs_own(kind: str, lang: int, table: dict[int, str]) -> None:
    """A character appears once per table, except where the spec itself repeats it."""
    counts = Counter(table.values())
    found = {ch: tuple(code for code, c in table.items() if c == ch) for ch, n in counts.items() if n > 1}
    assert found == SPEC_DUPLICATES.get((kind, lang), {})


def test_spanish_has_no_locking_table() -> None:
    """Spanish can be a single shift table only; asking for its locking table says so."""
    assert SPANISH not in LOCKING
    with pytest.raises(ValueError, match=r"Spanish .* no locking shift table"):
        national_alphabet(SPANISH, None)
    alphabet = national_alphabet(None, SPANISH)
    assert alphabet.encode("\N{LATIN SMALL LETTER N WITH TILDE}a\N{LATIN SMALL LETTER A WITH ACUTE}") == (
        b"\x7da\x1ba"
    )


@pytest.mark.parametrize("bad", [0, 14, -1])
def test_unknown_ids_are_refused(bad: int) -> None:
    """Identifiers outside 1..13 raise ValueError naming the accepted range."""
    with pytest.raises(ValueError, match=r"1\.\.13"):
        national_alphabet(bad, None)
    with pytest.raises(ValueError, match=r"1\.\.13"):
        national_alphabet(None, bad)


@pytest.mark.parametrize("bad", ["1", 1.0, True])
def test_ids_of_the_wrong_type_are_refused(bad: object) -> None:
    """An identifier that is not an int (bool included) raises TypeError."""
    with pytest.raises(TypeError, match=r"int 1\.\.13"):
        national_alphabet(bad, None)  # type: ignore[arg-type]


def test_national_alphabet_is_cached_and_labelled() -> None:
    """The same pair gives the same object, carrying its ids; no tables give DEFAULT."""
    assert national_alphabet(None, None) is DEFAULT
    alphabet = national_alphabet(TURKISH, SPANISH)
    assert alphabet is national_alphabet(TURKISH, SPANISH)
    assert (alphabet.locking, alphabet.single, alphabet.udh_octets) == (TURKISH, SPANISH, 6)
    assert alphabet.name == "turkish+spanish"
    assert national_alphabet(None, URDU).udh_octets == 3


@pytest.mark.parametrize(("lock", "single"), PAIRS)
def test_every_character_round_trips(lock: int | None, single: int | None) -> None:
    """Each table character encodes (one septet, or ESC and a code) and decodes back."""
    alphabet = national_alphabet(lock, single)
    locking_table, single_table = tables_of(lock, single)
    chars = "".join(sorted(set(locking_table.values()) | set(single_table.values())))
    assert alphabet.chars == frozenset(chars)
    septets = alphabet.encode(chars)
    assert reference_decode(septets, locking_table, single_table) == chars
    expected_length = sum(1 if ch in locking_table.values() else 2 for ch in chars)
    assert len(septets) == expected_length
    assert alphabet.double_chars == frozenset(chars) - frozenset(locking_table.values())


def test_repeated_characters_encode_to_a_code_every_receiver_reads_alike() -> None:
    """PA is written as 0x3D, which receivers that read 0x24 as DDA decode as PA too."""
    assert national_alphabet(KANNADA, None).encode("\N{KANNADA LETTER PA}") == b"\x3d"
    for lang in (*INDIC, URDU):
        septets = national_alphabet(lang, lang).encode("\N{INVERTED EXCLAMATION MARK}*")
        assert septets[0] == septets[2] == ESC
        assert {septets[1], septets[3]} <= {0x13, 0x15, 0x0B, 0x18}


@settings(max_examples=60, deadline=None)
@given(data=st.data(), pair=st.sampled_from(PAIRS))
def test_random_texts_round_trip(data: st.DataObject, pair: tuple[int | None, int | None]) -> None:
    """Any text over a pair's characters survives encode then the reference decode."""
    alphabet = national_alphabet(*pair)
    text = data.draw(st.text(alphabet=sorted(alphabet.chars), max_size=80))
    assert alphabet.all_re.fullmatch(text)
    assert reference_decode(alphabet.encode(text), *tables_of(*pair)) == text


def test_every_language_code_and_name_resolves() -> None:
    """ISO 639-1 codes and lower-case English names map to the identifiers 1..13."""
    codes = {"tr": 1, "es": 2, "pt": 3, "bn": 4, "gu": 5, "hi": 6, "kn": 7, "ml": 8, "or": 9,
             "pa": 10, "ta": 11, "te": 12, "ur": 13}  # fmt: skip
    assert {k: LANGUAGES[k] for k in codes} == codes
    assert sorted(LANGUAGE_NAMES) == list(range(1, 14))
    for lang, name in LANGUAGE_NAMES.items():
        assert LANGUAGES[name.lower()] == lang
    assert set(LANGUAGES) == set(codes) | {name.lower() for name in LANGUAGE_NAMES.values()}
    assert LANGUAGES["spanish"] == SPANISH and LANGUAGES["urdu"] == URDU


@pytest.mark.parametrize("lang", [*INDIC, URDU])
def test_indic_and_urdu_tables_have_combining_marks(lang: int) -> None:
    """Their locking tables carry combining marks, so grapheme clusters matter."""
    marks = [ch for ch in LOCKING[lang].values() if regex.match(r"\p{M}", ch)]
    assert len(marks) == LOCKING_MARKS[lang]
    assert all(NOT_SIMPLE.match(ch) for ch in marks)
    assert national_alphabet(lang, lang).complex_graphemes is True
    assert national_alphabet(lang, None).complex_graphemes is True


@pytest.mark.parametrize(("lock", "single"), [(TURKISH, TURKISH), (None, SPANISH), (TURKISH, SPANISH),
                                              (PORTUGUESE, PORTUGUESE), (PORTUGUESE, None)])  # fmt: skip
def test_latin_tables_have_no_combining_marks(lock: int | None, single: int | None) -> None:
    """Turkish, Spanish and Portuguese tables hold precomposed letters only."""
    alphabet: Alphabet = national_alphabet(lock, single)
    assert not any(regex.match(r"\p{M}", ch) for ch in alphabet.chars)
    assert alphabet.complex_graphemes is False
