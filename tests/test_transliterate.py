"""The TRANSLITERATE maps: curated tables, the steps around them, and what they never do."""

from __future__ import annotations

import unicodedata
import warnings

import pytest
import regex
from hypothesis import example, given
from hypothesis import strategies as st

import smsencode
from smsencode import transliterate
from smsencode.alphabet import DEFAULT
from smsencode.transliterate import CURATED, CYRILLIC, GREEK, LATIN, PUNCTUATION, SPACES, SYMBOLS, to_gsm
from tests import strategies

TABLES = {
    "SPACES": SPACES,
    "PUNCTUATION": PUNCTUATION,
    "LATIN": LATIN,
    "GREEK": GREEK,
    "CYRILLIC": CYRILLIC,
    "SYMBOLS": SYMBOLS,
}
GRAPHEME = regex.compile(r"\X", regex.DOTALL)


def is_gsm(text: str) -> bool:
    return DEFAULT.all_re.fullmatch(text) is not None


def transliterated(text: str, replacement: str = "?") -> str:
    """The text as the TRANSLITERATE policy builds it: GSM-7 clusters kept, the rest mapped."""
    out = []
    for cluster in GRAPHEME.findall(text):
        if is_gsm(cluster):
            out.append(cluster)
        else:
            found = to_gsm(cluster)
            out.append(replacement if found is None else found)
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# The tables themselves


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_curated_output_is_gsm7(name: str) -> None:
    """Each curated rendering is made of GSM-7 characters only (basic or extension table)."""
    bad = {k: v for k, v in TABLES[name].items() if not is_gsm(v)}
    assert bad == {}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_curated_key_is_one_composed_non_gsm7_code_point(name: str) -> None:
    """Keys are what to_gsm sees after NFC: single code points, NFC-stable, not GSM-7 already."""
    for key in TABLES[name]:
        assert len(key) == 1, key
        assert unicodedata.normalize("NFC", key) == key, f"U+{ord(key):04X} is not NFC-stable"
        assert not is_gsm(key), f"U+{ord(key):04X} is GSM-7 and must be left alone"


def test_no_character_is_curated_twice() -> None:
    """CURATED is the union of the tables with no overlap, so no table silently wins."""
    assert len(CURATED) == sum(len(t) for t in TABLES.values())
    for table in TABLES.values():
        assert all(CURATED[k] == v for k, v in table.items())


def test_merging_a_duplicate_raises() -> None:
    """Two tables claiming one character is a mistake caught at import."""
    with pytest.raises(ValueError, match="U\\+00E7"):
        transliterate._merge({"ç": "c"}, {"ç": "Ç"})


def test_table_sizes() -> None:
    """The curated tables keep their coverage (entries per category)."""
    assert {k: len(v) for k, v in TABLES.items()} == {
        "SPACES": 45,
        "PUNCTUATION": 64,
        "LATIN": 264,
        "GREEK": 70,
        "CYRILLIC": 110,
        "SYMBOLS": 71,
    }


def _fold_oracle(char: str) -> str | None:
    """Slow restatement of the Latin rule: keep the first accent if that letter is GSM-7, else
    the base letter (None when the letter has no canonical decomposition)."""
    decomposed = unicodedata.normalize("NFD", char)
    if len(decomposed) < 2:
        return None
    with_first = unicodedata.normalize("NFC", decomposed[:2])
    return with_first if len(with_first) == 1 and is_gsm(with_first) else decomposed[0]


def test_latin_entries_with_a_decomposition_follow_the_rule() -> None:
    """Every decomposable LATIN entry is the GSM-7 letter keeping the first accent, else the base."""
    checked = 0
    for char, text in LATIN.items():
        expected = _fold_oracle(char)
        if expected is not None:
            assert text == expected, f"{unicodedata.name(char)}: {text!r} != {expected!r}"
            checked += 1
    assert checked > 200


def test_latin_covers_latin1_and_extended_a() -> None:
    """Every letter of Latin-1 Supplement and Latin Extended-A is GSM-7 or curated."""
    missing = [
        chr(cp)
        for cp in range(0xC0, 0x180)
        if unicodedata.category(chr(cp))[0] == "L" and not is_gsm(chr(cp)) and chr(cp) not in LATIN
    ]
    assert missing == []


@pytest.mark.parametrize("table", [LATIN, CYRILLIC], ids=["LATIN", "CYRILLIC"])
def test_small_letters_map_like_their_capitals(table: dict[str, str]) -> None:
    """Case is kept: a small letter's rendering is its capital's, lowercased."""
    pairs = 0
    for char, text in table.items():
        small = char.lower()
        if small != char and small in table:
            assert table[small] == text.lower(), unicodedata.name(char)
            pairs += 1
    assert pairs > 40


RUSSIAN = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"


def test_cyrillic_covers_russian_and_the_extra_letters() -> None:
    """All 33 Russian letters in both cases, plus Ukrainian, Belarusian, Serbian and Macedonian."""
    assert len(RUSSIAN) == 33
    letters = RUSSIAN + "ЄЇІҐЎЂЈЉЊЋЏЃЌЅ"
    for char in letters + letters.lower():
        assert char in CYRILLIC, unicodedata.name(char)


def test_cyrillic_romanisation() -> None:
    """BGN/PCGN without diacritics, as pinned in the module docstring."""
    assert [CYRILLIC[c] for c in RUSSIAN] == [
        "A", "B", "V", "G", "D", "E", "E", "Zh", "Z", "I", "Y", "K", "L", "M", "N", "O", "P",
        "R", "S", "T", "U", "F", "Kh", "Ts", "Ch", "Sh", "Shch", "'", "Y", "'", "E", "Yu", "Ya",
    ]  # fmt: skip
    assert [CYRILLIC[c] for c in "ЄЇІҐЎЂЈЉЊЋЏЃЌЅ"] == [
        "Ye", "Yi", "I", "G", "U", "Dj", "J", "Lj", "Nj", "C", "Dz", "Gj", "Kj", "Dz",
    ]  # fmt: skip


GREEK_CAPITALS = "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ"
GSM_GREEK = "ΔΦΓΛΩΠΨΣΘΞ"


def test_greek_letters_become_one_gsm7_capital() -> None:
    """Every Greek letter, small or capital, with or without tonos, is one GSM-7 capital: the
    GSM-7 Greek capital where the alphabet has it, else the Latin look-alike."""
    assert len(GREEK_CAPITALS) == 24
    for capital in GREEK_CAPITALS:
        expected = capital if capital in GSM_GREEK else GREEK[capital]
        assert len(expected) == 1 and expected.isupper() and expected.isascii() != (capital in GSM_GREEK)
        assert to_gsm(capital) == expected
        assert to_gsm(capital.lower()) == expected, unicodedata.name(capital)
    assert to_gsm("ς") == "Σ"
    for accented, plain in zip("άέήίόύώϊϋΐΰΆΈΉΊΌΎΏΪΫ", "AEHIOYΩIYIYAEHIOYΩIY", strict=True):
        assert to_gsm(accented) == plain, unicodedata.name(accented)


# ---------------------------------------------------------------------------------------------
# Pinned examples, one cluster at a time

CLUSTERS = [
    # composition first: GSM-7 letters in decomposed form come back composed
    ("e\u0301", "é"),
    ("A\u030a", "Å"),
    ("n\u0303", "ñ"),
    ("U\u0308", "Ü"),
    # GSM-aware letters
    ("ç", "c"),
    ("á", "a"),
    ("ë", "e"),
    ("È", "E"),
    ("ã", "a"),
    ("õ", "o"),
    ("Ê", "E"),
    ("ǘ", "ü"),
    ("ǻ", "å"),
    ("ǿ", "ø"),
    ("Ǽ", "Æ"),
    ("œ", "oe"),
    ("Œ", "OE"),
    ("ł", "l"),
    ("đ", "d"),
    ("ð", "d"),
    ("þ", "th"),
    ("ĳ", "ij"),
    ("ı", "i"),
    ("İ", "I"),
    ("ș", "s"),
    ("ə", "e"),
    ("ẞ", "SS"),
    # Greek and Cyrillic
    ("ω", "Ω"),
    ("ώ", "Ω"),
    ("σ", "Σ"),
    ("ᾧ", "Ω"),  # polytonic: marks dropped
    ("Ж", "Zh"),
    ("щ", "shch"),
    ("е\u0308", "e"),  # decomposed ё
    ("и\u0306", "y"),  # decomposed й
    ("а\u0301", "a"),  # stress mark
    ("ї\u0301", "yi"),
    ("Ә", "Ä"),
    ("ң", "ñ"),
    # punctuation and spaces
    ("—", "-"),
    ("–", "-"),
    ("\u2212", "-"),
    ("“", '"'),
    ("”", '"'),
    ("„", '"'),
    ("‘", "'"),
    ("’", "'"),
    ("«", '"'),
    ("›", "'"),
    ("`", "'"),
    ("…", "..."),
    ("•", "-"),
    ("·", "."),
    ("\t", " "),
    ("\u000b", "\n"),
    ("\u2028", "\n"),
    ("\u00a0", " "),
    ("\u202f", " "),
    ("\u3000", " "),
    ("\u2003", " "),
    ("\u2000", " "),  # EN QUAD composes to EN SPACE
    ("\u200b", ""),
    ("\u00ad", ""),
    ("\ufeff", ""),
    ("\u2060", ""),
    ("\u200e", ""),
    ("\ufe0f", ""),
    ("\u0301", ""),  # a combining mark with no letter
    # symbols
    ("™", "TM"),
    ("©", "(C)"),
    ("©\ufe0f", "(C)"),  # emoji presentation of a curated symbol
    ("®", "(R)"),
    ("°", "o"),
    ("℃", "oC"),
    ("½", " 1/2"),
    ("¾", " 3/4"),
    ("²", "2"),
    ("×", "x"),
    ("÷", "/"),
    ("±", "+/-"),
    ("≤", "<="),
    ("≥", ">="),
    ("≠", "!="),
    ("→", "->"),
    ("₹", "Rs"),
    ("₽", "RUB"),
    ("¢", "c"),
    ("µ", "u"),
    ("№", "No."),
    # compatibility decomposition and unidecode
    ("ﬁ", "fi"),
    ("Ａ", "A"),
    ("①", "1"),
    ("ǆ", "dz"),
    ("ℓ", "l"),
    ("Ⅻ", "XII"),
    ("㎏", "kg"),
    ("ʻ", "'"),
    ("Թ", "T'"),  # unidecode's backtick becomes an apostrophe
    ("ệ", "e"),
    ("한", "han"),
    ("\u0915\u093f", "ki"),  # Devanagari consonant + vowel sign: the vowel is kept
    ("\u1100\u1161\u11a8", "gag"),  # Hangul jamo L V T
    ("中", "Zhong "),
]


@pytest.mark.parametrize(("cluster", "expected"), CLUSTERS)
def test_pinned_cluster(cluster: str, expected: str) -> None:
    """Each pinned cluster maps to its pinned GSM-7 text."""
    assert is_gsm(expected)
    assert to_gsm(cluster) == expected


NOTHING = [
    "👍",
    "👍🏽",
    "🏽",  # a skin tone on its own
    "🇮🇹",
    "🇮",
    "👨\u200d👩\u200d👧\u200d👦",
    "❤\ufe0f",
    "1\ufe0f\u20e3",  # keycap
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # tag sequence flag
    "ℹ\ufe0f",
    "\x00",
    "\x07",
    "\x1b",  # a raw ESC is not a character of the alphabet
    "\x7f",
    "\x01",
    "\ue000",  # private use
    "\ud83d",  # lone surrogate
    "\U0010ffff",
]


@pytest.mark.parametrize("cluster", NOTHING)
def test_no_sensible_rendering_is_none(cluster: str) -> None:
    """Emoji, flags, controls, private use and lone surrogates are left to the replacement."""
    assert to_gsm(cluster) is None


def test_gsm7_characters_are_never_degraded() -> None:
    """Every GSM-7 character maps to itself, and so does its canonical decomposition."""
    for char in DEFAULT.chars:
        assert to_gsm(char) == char
        decomposed = unicodedata.normalize("NFD", char)
        assert to_gsm(decomposed) == char, f"U+{ord(char):04X}"


def test_wrong_type_raises_type_error() -> None:
    """Bytes are not a grapheme cluster."""
    with pytest.raises(TypeError, match="str, not bytes"):
        to_gsm(b"e")  # type: ignore[arg-type]


def test_unusable_unidecode_output_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """unidecode's "[?]", empty and non-GSM-7 answers are never passed on as text."""
    transliterate._convert.cache_clear()
    transliterate._code_point.cache_clear()
    try:
        for answer in ("[?]", "", "\t", "x[?]"):
            monkeypatch.setattr(transliterate, "unidecode", lambda _c, a=answer: a)
            transliterate._convert.cache_clear()
            transliterate._code_point.cache_clear()
            assert to_gsm("\u0531") is None, answer  # ARMENIAN CAPITAL LETTER AYB
    finally:
        monkeypatch.undo()
        transliterate._convert.cache_clear()
        transliterate._code_point.cache_clear()
    assert to_gsm("\u0531") == "A"


# ---------------------------------------------------------------------------------------------
# Whole texts, as the policy puts them together

TEXTS = [
    ("Привет, мир", "Privet, mir"),
    ("Καλημέρα", "KAΛHMEPA"),
    ("Crème brûlée — “très” bon…", 'Crème brulée - "très" bon...'),
    ("Zażółć gęślą jaźń", "Zazolc gesla jazn"),
    ("ğüşıöç", "güsiöc"),
    ("Příliš žluťoučký kůň", "Prilis zlutoucky kun"),
    ("Tiếng Việt", "Tieng Viet"),
    (
        "Съешь же ещё этих мягких французских булок, да выпей чаю",
        "S'esh' zhe eshche etikh myagkikh frantsuzskikh bulok, da vypey chayu",
    ),
    ("Ђорђе Џаџић, Љубљана, Њујорк", "Djordje Dzadzic, Ljubljana, Njujork"),
    ("Європа, Ґанок", "Yevropa, Ganok"),
    ("Größe: 1½ m², 25 °C", "Größe: 1 1/2 m2, 25 oC"),
    ("Ça coûte 10 €\u00a0— d’accord ?", "Ça coute 10 € - d'accord ?"),
    ("Ok 👍🏽 🇮🇹!", "Ok ? ?!"),
    ("zero\u200bwidth\u00adsoft", "zerowidthsoft"),
]


@pytest.mark.parametrize(("text", "expected"), TEXTS)
def test_pinned_text(text: str, expected: str) -> None:
    """Whole sentences in several languages come out as pinned."""
    assert transliterated(text) == expected


def test_segment_transliterate_uses_these_maps() -> None:
    """smsencode.segment(..., invalid_characters="TRANSLITERATE") sends what to_gsm chose."""
    s = smsencode.segment("Привет, мир — “ok”", invalid_characters="TRANSLITERATE")
    assert s.encoding is smsencode.Encoding.GSM7
    assert s.text == 'Privet, mir - "ok"'
    assert len(s.replacements) == 12  # 9 Cyrillic letters, the dash and two quotes


# ---------------------------------------------------------------------------------------------
# Properties


def test_every_bmp_code_point_gives_gsm7_or_none() -> None:
    """For each code point of the Basic Multilingual Plane, to_gsm gives GSM-7 text or None,
    raises nothing and warns nothing (unidecode warns about surrogates if asked)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bad = []
        for cp in range(0x10000):
            found = to_gsm(chr(cp))
            if found is not None and not is_gsm(found):
                bad.append(cp)
    assert bad == []


def test_accented_letters_of_the_curated_scripts_always_get_a_rendering() -> None:
    """Letters of Latin Extended Additional (Vietnamese ...) and Greek Extended (polytonic), and
    the Cyrillic letters with a canonical decomposition, never fall through to the replacement."""
    letters = [
        chr(cp)
        for cp in [
            *range(0x1E00, 0x1E9C),
            *range(0x1EA0, 0x1EFA),
            *range(0x1F00, 0x2000),
            *range(0x400, 0x500),
        ]
        if unicodedata.category(chr(cp))[0] == "L"
        and (cp >= 0x1E00 or unicodedata.decomposition(chr(cp))[:1] not in ("", "<"))
    ]
    assert len(letters) > 450
    assert [c for c in letters if not to_gsm(c)] == []


any_code_point = st.integers(0, 0x10FFFF).map(chr)
any_text = st.one_of(
    st.text(st.characters(codec=None), max_size=60),
    strategies.mixed_text,
    strategies.text_with_surrogates,
    st.lists(st.sampled_from([*CURATED, *strategies.PIECES, "\u0301", "\u0308", "\ufe0f"]), max_size=40).map(
        "".join
    ),
)


@given(char=any_code_point)
@example(char="\ud800")
@example(char="\U0001f44d")
def test_any_code_point_gives_gsm7_or_none(char: str) -> None:
    """A single code point maps to GSM-7 text or None, and never raises."""
    found = to_gsm(char)
    assert found is None or is_gsm(found)


@given(text=any_text)
@example(text="a\u0308\u0323e\u0301\u0302\u200d👍🏽x\u20e3")
@example(text="\r\n\u0301\ufe0f\U000e0067")
def test_any_cluster_gives_gsm7_or_none(text: str) -> None:
    """Every grapheme cluster of any text maps to GSM-7 text or None, without warnings, and a
    cluster that is GSM-7 once composed maps to its composed self."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for cluster in GRAPHEME.findall(text):
            found = to_gsm(cluster)
            assert found is None or is_gsm(found)
            composed = unicodedata.normalize("NFC", cluster)
            if is_gsm(composed):
                assert found == composed


@given(text=any_text)
def test_transliterated_text_is_gsm7(text: str) -> None:
    """Putting the clusters back together (None -> a GSM-7 replacement) always gives GSM-7 text."""
    assert is_gsm(transliterated(text))
