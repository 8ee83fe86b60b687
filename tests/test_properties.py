"""Hypothesis properties of segment(): the laws of design.md §1, checked against tests/reference.py."""

from __future__ import annotations

import regex
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from reference import (
    allowed_boundaries,
    cost,
    is_gsm7,
    minimal_part_count,
    reference_segment,
)
from strategies import PIECES, gsm_text, sms_text, text_with_surrogates

from smsencode import InvalidCharactersError, segment

settings.register_profile(
    "default", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("default")


@given(text=sms_text, bits=st.sampled_from([8, 16]))
@example(text="a" * 152 + "{" + "a" * 152, bits=8)
@example(text="]" * 153, bits=8)
@example(text="😀" * 70, bits=8)
@example(text="中" * 65 + "🇮🇹" + "中" * 64, bits=8)
@example(text="🇩🇪" * 40, bits=8)
@example(text="e" + "\u0301" * 200, bits=16)
@example(text="a" * 152 + "\r\n" * 20, bits=8)
def test_fast_engine_agrees_with_the_reference(text: str, bits: int) -> None:
    """Encoding and every part equal the slow, obviously correct greedy segmenter's."""
    s = segment(text, reference_bits=bits)
    encoding, parts = reference_segment(text, reference_bits=bits)
    assert s.encoding.value == encoding
    assert list(s.parts) == parts
    assert s.part_count == len(parts)


@given(text=sms_text, bits=st.sampled_from([8, 16]), encoding=st.sampled_from(["GSM7", "UTF16"]))
def test_parts_are_safe_full_and_minimal(text: str, bits: int, encoding: str) -> None:
    """Parts join to the text, none exceeds its capacity, each boundary is allowed, the greedy
    count is minimal, and units add up."""
    s = segment(text, reference_bits=bits, encoding=encoding)
    gsm = s.encoding.value == "GSM7"
    assert "".join(s.parts) == s.text == text
    assert s.units == sum(cost(c, gsm) for c in text)
    assert sum(s.part_units) == s.units
    assert all(u <= s.part_capacity for u in s.part_units)
    assert s.part_capacity in ((160, 153, 152) if gsm else (70, 67, 66))
    if s.part_count > 1:
        bounds = set(allowed_boundaries(text, s.part_capacity, gsm))
        pos = 0
        for part in s.parts[:-1]:
            pos += len(part)
            assert pos in bounds, f"boundary {pos} inside a cluster that fits a part"
        assert s.part_count == minimal_part_count(text, s.part_capacity, gsm)
    assert 0 <= s.remaining <= s.part_capacity


@given(text=sms_text, max_parts=st.integers(1, 4), bits=st.sampled_from([8, 16]))
@example(text="中" + "क्ष" * 45, max_parts=2, bits=8)  # the truncation cut is checked too
@example(text="ж" * 133 + "👍🏽", max_parts=2, bits=8)
def test_truncation_keeps_whole_pieces(text: str, max_parts: int, bits: int) -> None:
    """text + dropped is the input; the cut is a boundary the splitter would make; no more than
    max_parts parts; max_parts=1 gets the single-part capacity."""
    s = segment(text, max_parts=max_parts, reference_bits=bits)
    assert s.text + s.dropped == text
    assert s.truncated == bool(s.dropped)
    assert s.part_count <= max_parts
    full = segment(text, reference_bits=bits) if len(text) < 30000 else None
    if full is not None:
        if full.part_count <= max_parts:
            assert not s.truncated and s.parts == full.parts
        else:
            assert s.truncated
            if max_parts > 1:
                assert s.parts == full.parts[:max_parts]
    if max_parts == 1:
        assert s.part_capacity == (160 if s.encoding.value == "GSM7" else 70)
    assert all(u <= s.part_capacity for u in s.part_units)


@given(text=sms_text)
def test_refuse_raises_exactly_when_not_gsm7(text: str) -> None:
    """REFUSE raises iff some character is outside GSM-7, and lists exactly those."""
    try:
        s = segment(text, invalid_characters="REFUSE")
    except InvalidCharactersError as err:
        assert not is_gsm7(text)
        assert [c for _, c in err.characters] == [c for c in text if not is_gsm7(c)]
        assert all(text[i] == c for i, c in err.characters)
    else:
        assert is_gsm7(text) and s.encoding.value == "GSM7"


@given(text=st.one_of(sms_text, text_with_surrogates), replacement=st.sampled_from([" ", "?", "", "[?]"]))
def test_replace_reports_every_change(text: str, replacement: str) -> None:
    """REPLACE yields GSM-7, one replacement per offending cluster, each reported at its index."""
    s = segment(text, invalid_characters="REPLACE", replacement=replacement)
    assert s.encoding.value == "GSM7"
    assert is_gsm7(s.text)
    rebuilt = []
    pos = 0
    for index, original, new in s.replacements:
        assert new == replacement
        assert text[index : index + len(original)] == original
        assert not is_gsm7(original)
        rebuilt.append(text[pos:index])
        rebuilt.append(new)
        pos = index + len(original)
    rebuilt.append(text[pos:])
    assert "".join(rebuilt) == s.text + s.dropped


@given(text=text_with_surrogates)
def test_lone_surrogates_raise_or_are_replaced(text: str) -> None:
    has_lone = any(0xD800 <= ord(c) <= 0xDFFF for c in text)
    for policy in ("TO_UTF16", "REFUSE"):
        try:
            segment(text, invalid_characters=policy)
        except InvalidCharactersError:
            assert has_lone or policy == "REFUSE"
        else:
            assert not has_lone
    s = segment(text, encoding="UTF16", invalid_characters="REPLACE")
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in s.text)


@given(text=gsm_text)
def test_gsm_text_stays_gsm(text: str) -> None:
    s = segment(text)
    assert s.encoding.value == "GSM7" and s.replacements == ()


@given(piece=st.sampled_from(PIECES), n=st.integers(60, 200))
def test_grapheme_clusters_never_split_when_they_fit(piece: str, n: int) -> None:
    text = piece * n
    s = segment(text)
    clusters = set(regex.findall(r"\X", piece * 2, flags=regex.DOTALL))
    for part in s.parts:
        # every part starts where a cluster of the repeated piece starts
        assert any(part.startswith(c) for c in clusters) or part == ""
