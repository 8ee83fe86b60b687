"""National language shift tables chosen by cost (TS 23.038 Annex A, TS 23.040 §9.2.3.24.15-16)."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import alphabet_greedy_parts

from smsencode import Encoding, InvalidCharactersError, segment
from smsencode.alphabet import DEFAULT, national_alphabet
from smsencode.alphabet.national import LOCKING, SINGLE
from smsencode.national import NationalLanguage, candidate_alphabets, parse_languages
from smsencode.pdu import decode_user_data

TURKISH = "Çok güzel, teşekkürler! Yarın görüşürüz, iyi akşamlar. Şimdi ığdır."


def test_turkish_text_is_utf16_by_default_and_gsm7_with_the_turkish_tables() -> None:
    text = TURKISH * 3
    plain = segment(text)
    turkish = segment(text, national_languages=("tr",))
    assert plain.encoding is Encoding.UTF16
    assert turkish.encoding is Encoding.GSM7
    assert turkish.national_language == NationalLanguage(locking=1, single=None)
    assert turkish.part_count < plain.part_count
    assert turkish.part_capacity == 149  # (140 - 6 - 3) * 8 // 7
    assert turkish.units == len(text)


@pytest.mark.parametrize(
    ("ies", "reference_bits", "single", "multi"),
    [(1, 8, 155, 149), (2, 8, 152, 146), (1, 16, 155, 148), (2, 16, 152, 145)],
)
def test_capacities_charge_three_octets_per_table(
    ies: int, reference_bits: int, single: int, multi: int
) -> None:
    """UDH: 1 (UDHL) + 3 per shift IE alone; + 5 (or 6) for the concatenation IE."""
    # "ğ" is in the Turkish locking table; "ş" forces a table too. With two IEs we need a text
    # only the pair covers: Hindi locking + Turkish single shift.
    if ies == 1:
        short, long = "ğ" * 10, "ğ" * 400
        langs: tuple[str, ...] = ("tr",)
    else:
        short, long = "ह" + "Ğ" * 9, "ह" + "ğ" * 399
        langs = ("tr", "hi")
    a = segment(short, national_languages=langs, reference_bits=reference_bits)
    b = segment(long, national_languages=langs, reference_bits=reference_bits)
    assert a.part_capacity == single
    assert b.part_capacity == multi
    assert a.alphabet is not None and a.alphabet.udh_octets == 3 * ies


def test_single_shift_alone_wins_when_it_is_cheaper() -> None:
    """A text the default locking table carries but for one character of the Turkish single
    shift table needs only that table (1 IE, 155 septets): the Turkish locking table lacks è,
    and a locking+single pair would cost two IEs."""
    assert "è" not in LOCKING[1].values() and "ğ" in SINGLE[1].values()
    s = segment("è" * 10 + "ğ", national_languages=("tr",))
    assert s.national_language == NationalLanguage(locking=None, single=1)
    assert (s.part_capacity, s.units) == (155, 12)


def test_one_table_beats_a_pair_that_also_covers() -> None:
    """(Turkish, Turkish) covers "ğğğ abc" too, but two IEs leave less room than one."""
    s = segment("ğğğ abc", national_languages=("tr",))
    assert s.national_language == NationalLanguage(locking=1, single=None)
    assert s.remaining == 155 - 7


def test_locking_wins_when_it_saves_septets() -> None:
    s = segment("ğ" * 200, national_languages=("tr",))
    assert s.national_language == NationalLanguage(locking=1, single=None)
    assert s.part_units == (149, 51)


def test_spanish_never_uses_a_locking_table() -> None:
    assert 2 not in LOCKING
    s = segment("¿Qué tal? Él está aquí, ñandú: áíóúÁÍÓÚ", national_languages=("es",))
    assert s.national_language == NationalLanguage(locking=None, single=2)
    assert all(a.locking != 2 for a in candidate_alphabets(parse_languages(("es", "tr"))))


def test_headers_carry_iei_0x25_locking_and_0x24_single() -> None:
    s = segment("ğ ह", national_languages=("tr", "hi"))
    (ud,) = s.user_data()
    # UDHL 6, then IEI 0x24 (single shift) len 1 Turkish, IEI 0x25 (locking shift) len 1 Hindi.
    assert ud[:7] == bytes([6, 0x24, 1, 1, 0x25, 1, 6])
    two = segment("ğ" * 200, national_languages=("tr",)).user_data(reference=0x42)
    assert two[0][:9] == bytes([8, 0x00, 3, 0x42, 2, 1, 0x25, 1, 1])
    assert two[1][:9] == bytes([8, 0x00, 3, 0x42, 2, 2, 0x25, 1, 1])


def test_tables_combine_across_languages() -> None:
    s = segment("ğ ह", national_languages=("tr", "hi"))
    assert s.encoding is Encoding.GSM7
    assert s.national_language == NationalLanguage(locking=6, single=1)
    assert str(s.national_language) == "locking shift: Hindi, single shift: Turkish"


def test_uncovered_text_falls_back_under_the_policy() -> None:
    text = "ğ and Ж"
    assert segment(text, national_languages=("tr",)).encoding is Encoding.UTF16
    with pytest.raises(InvalidCharactersError) as info:
        segment(text, national_languages=("tr",), invalid_characters="REFUSE")
    assert info.value.characters == ((6, "Ж"),)
    r = segment(text, national_languages=("tr",), invalid_characters="REPLACE", replacement="?")
    assert r.text == "ğ and ?" and r.encoding is Encoding.GSM7
    assert r.national_language is not None and r.replacements == ((6, "Ж", "?"),)


def test_default_alphabet_wins_ties_and_plain_text_is_unchanged() -> None:
    s = segment("Hello world", national_languages=("tr", "pt", "es"))
    assert s.national_language is None and s.part_capacity == 160


def test_utf16_requested_ignores_national_tables() -> None:
    assert segment("ğ", encoding="UCS-2", national_languages=("tr",)).encoding is Encoding.UTF16


@pytest.mark.parametrize("spelling", [("tr",), ("TR",), ("turkish",), ("Turkish",), "tr", "tr,hi"])
def test_language_spellings(spelling: object) -> None:
    assert 1 in parse_languages(spelling)  # type: ignore[arg-type]


def test_unknown_language_lists_the_valid_codes() -> None:
    with pytest.raises(ValueError, match="bn, es, gu, hi"):
        segment("x", national_languages=("klingon",))
    with pytest.raises(TypeError):
        segment("x", national_languages=(1,))  # type: ignore[arg-type]


def test_candidates_are_every_allowed_pair() -> None:
    pairs = {(a.locking, a.single) for a in candidate_alphabets(parse_languages(("tr", "es")))}
    assert pairs == {(None, None), (None, 1), (None, 2), (1, None), (1, 1), (1, 2)}


LANGS = ["tr", "es", "pt", "bn", "gu", "hi", "kn", "ml", "or", "pa", "ta", "te", "ur"]
IDS = dict(zip(LANGS, range(1, 14)))


@st.composite
def language_text(draw: st.DrawFn) -> tuple[str, tuple[str, ...]]:
    langs = tuple(draw(st.lists(st.sampled_from(LANGS), min_size=1, max_size=2, unique=True)))
    lang = IDS[langs[0]]
    pool = sorted(set(LOCKING.get(lang, {}).values()) | set(SINGLE[lang].values()) | set("abc ,."))
    text = "".join(draw(st.lists(st.sampled_from(pool), max_size=400)))
    return text, langs


@settings(max_examples=80, deadline=None)
@given(case=language_text(), bits=st.sampled_from([8, 16]))
def test_choice_is_the_brute_force_minimum(case: tuple[str, tuple[str, ...]], bits: int) -> None:
    """The chosen pair costs no more parts than UTF-16 or the default alphabet, and its part
    count and room equal a brute-force minimum over all allowed pairs (reference splitter)."""
    text, langs = case
    s = segment(text, national_languages=langs, reference_bits=bits)
    utf16 = segment(text, encoding="UTF16", reference_bits=bits)
    if s.encoding is Encoding.UTF16:
        assert not any(set(text) <= a.chars for a in candidate_alphabets(parse_languages(langs)))
        return
    assert s.part_count <= utf16.part_count
    if DEFAULT.all_re.fullmatch(text):
        assert s.part_count <= segment(text, reference_bits=bits).part_count
    best = None
    for a in candidate_alphabets(parse_languages(langs)):
        if not set(text) <= a.chars:
            continue
        udh = a.udh_octets
        single_cap = (140 - (udh + 1 if udh else 0)) * 8 // 7
        basic = set(a.basic.values())
        units = sum(1 if c in basic else 2 for c in text)
        if units <= single_cap:
            key = (1, -(single_cap - units))
        else:
            cap = (140 - udh - (6 if bits == 8 else 7)) * 8 // 7
            parts = alphabet_greedy_parts(text, basic, set(a.extension.values()), cap)
            last = sum(1 if c in basic else 2 for c in parts[-1])
            key = (len(parts), -(cap - last))
        best = key if best is None or key < best else best
    assert best is not None
    assert (s.part_count, -s.remaining) == best
    chosen = s.alphabet
    assert chosen is not None
    assert chosen is national_alphabet(chosen.locking, chosen.single)
    # The bytes carry the tables: decoding every part (IEs 0x24/0x25 in its header) gives the text.
    for packed in (True, False):
        uds = s.user_data(reference=7, packed=packed)
        udhi = s.part_count > 1 or s.national_language is not None
        lengths = s.user_data_lengths(packed=packed)
        decoded = [
            decode_user_data(ud, s.data_coding(), udhi, udl=udl, packed=packed)
            for ud, udl in zip(uds, lengths)
        ]
        assert "".join(d.text for d in decoded) == s.text
        assert all(len(ud) <= 140 for ud in uds)


def test_pairs_that_lack_a_character_are_never_costed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only pairs whose tables hold every character of the text reach the splitter."""
    segment_module = sys.modules["smsencode.segment"]  # the attribute is the function

    costed: list[tuple[int | None, int | None]] = []
    real = segment_module.split_gsm7

    def spy(text: str, alphabet: Any, *args: Any, **kwargs: Any) -> Any:
        costed.append((alphabet.locking, alphabet.single))
        return real(text, alphabet, *args, **kwargs)

    monkeypatch.setattr(segment_module, "split_gsm7", spy)
    langs = ("tr", "es", "pt", "hi")
    assert len(candidate_alphabets(parse_languages(langs))) == 4 * 5  # (None tr pt hi) x (None tr es pt hi)
    s = segment("Teşekkürler, görüşürüz", national_languages=langs)
    assert s.national_language == NationalLanguage(locking=1, single=None)
    covering = [
        (a.locking, a.single)
        for a in candidate_alphabets(parse_languages(langs))
        if set("Teşekkürler, görüşürüz") <= a.chars
    ]
    assert costed and set(costed) <= set(covering)
    assert len(covering) < 20  # most pairs were discarded by the set comparison alone
