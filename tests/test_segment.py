"""Example tests: the numbers of TS 23.038 / TS 23.040 and every case named in design.md."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest

import smsencode
from smsencode import Encoding, InvalidCharactersError, TooManyPartsError, segment

VECTORS = json.loads((Path(__file__).parent / "vectors" / "segment.json").read_text("utf-8"))


def _text(case: dict[str, Any]) -> str:
    if "text" in case:
        return str(case["text"])
    if "text_repeat" in case:
        piece, n = case["text_repeat"]
        return str(piece) * int(n)
    return "".join(str(p) * int(n) for p, n in case["text_concat"])


@pytest.mark.parametrize("case", VECTORS, ids=[c["label"] for c in VECTORS])
def test_vectors(case: dict[str, Any]) -> None:
    s = segment(
        _text(case),
        encoding=case.get("requested", "GSM7"),
        reference_bits=case.get("reference_bits", 8),
    )
    assert s.encoding.value == case["encoding"]
    assert s.units == case["units"]
    assert list(s.part_units) == case["part_units"]
    assert s.part_count == len(case["part_units"])
    assert s.part_capacity == case["capacity"]
    assert "".join(s.parts) == s.text == _text(case)
    assert s.remaining == case["capacity"] - case["part_units"][-1]


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("GSM7", Encoding.GSM7), ("STANDARD", Encoding.GSM7), ("gsm", Encoding.GSM7),
        ("GSM-7", Encoding.GSM7), (Encoding.GSM7, Encoding.GSM7), ("UTF16", Encoding.UTF16),
        ("UTF-16", Encoding.UTF16), ("UCS-2", Encoding.UTF16), ("ucs2", Encoding.UTF16),
        (Encoding.UTF16, Encoding.UTF16),
    ],
)  # fmt: skip
def test_encoding_spellings(spelling: Any, expected: Encoding) -> None:
    assert segment("hi", encoding=spelling).encoding is expected


def test_max_parts_one_uses_single_part_capacity() -> None:
    s = segment("a" * 200, max_parts=1)
    assert (s.part_count, s.units, s.part_capacity) == (1, 160, 160)
    assert s.truncated and s.dropped == "a" * 40
    u = segment("ж" * 100, max_parts=1)
    assert (u.units, u.part_capacity, u.dropped) == (70, 70, "ж" * 30)


def test_truncation_never_splits_an_escape_or_a_cluster() -> None:
    s = segment("a" * 159 + "€" + "b", max_parts=1)
    assert s.text == "a" * 159 and s.dropped == "€b" and s.units == 159
    t = segment("ж" * 69 + "🇮🇹" + "ж", max_parts=1)
    assert t.text == "ж" * 69 and t.dropped == "🇮🇹ж"
    c = segment("a" * 159 + "\r\n", max_parts=1)
    assert c.text == "a" * 159 and c.dropped == "\r\n"


def test_truncation_to_n_parts() -> None:
    s = segment("x" * 1000, max_parts=3)
    assert s.part_units == (153, 153, 153)
    assert s.truncated and len(s.dropped) == 1000 - 459
    assert s.text + s.dropped == "x" * 1000
    assert s.remaining == 0


def test_max_parts_not_reached_is_not_truncation() -> None:
    s = segment("x" * 200, max_parts=5)
    assert not s.truncated and s.dropped == "" and s.part_count == 2


def test_more_than_255_parts_is_an_error_that_says_what_to_do() -> None:
    with pytest.raises(TooManyPartsError, match="max_parts") as info:
        segment("x" * (255 * 153 + 1))
    assert info.value.parts_needed == 256
    assert segment("x" * (255 * 153)).part_count == 255
    assert segment("x" * 100_000, max_parts=255).part_count == 255


def test_255_parts_limit_counts_boundary_waste() -> None:
    # 255*153 septets, but every part loses a septet to an escape pair that does not fit.
    text = ("a" * 152 + "€") * 255
    with pytest.raises(TooManyPartsError):
        segment(text)


def test_refuse_lists_every_offender_with_its_index() -> None:
    with pytest.raises(InvalidCharactersError) as info:
        segment("a`b\tç", invalid_characters="REFUSE")
    assert info.value.characters == ((1, "`"), (3, "\t"), (4, "ç"))
    msg = str(info.value)
    assert "U+0060" in msg and "index 1" in msg and "TO_UTF16" in msg
    assert isinstance(info.value, ValueError)
    again = pickle.loads(pickle.dumps(info.value))
    assert again.characters == info.value.characters


def test_refuse_accepts_gsm7() -> None:
    s = segment("Ça va? 5€ {ok}", invalid_characters="REFUSE")
    assert s.encoding is Encoding.GSM7 and s.units == 17


def test_replace_one_replacement_per_cluster() -> None:
    s = segment("hi 👨\u200d👩\u200d👧 and e\u0301!", invalid_characters="REPLACE")
    assert s.encoding is Encoding.GSM7
    assert s.text == "hi   and  !"
    assert s.replacements == ((3, "👨\u200d👩\u200d👧", " "), (13, "e\u0301", " "))


def test_replace_with_custom_replacement() -> None:
    s = segment("a😀b", invalid_characters="REPLACE", replacement="?")
    assert s.text == "a?b" and s.replacements == ((1, "😀", "?"),)


def test_replacement_must_be_gsm7() -> None:
    with pytest.raises(ValueError, match="must itself be GSM-7"):
        segment("a😀", invalid_characters="REPLACE", replacement="�")


def test_to_utf16_is_the_default() -> None:
    s = segment("smile 😀")
    assert s.encoding is Encoding.UTF16 and s.units == 8 and s.replacements == ()


def test_lone_surrogate_is_an_offending_character() -> None:
    with pytest.raises(InvalidCharactersError, match="U\\+D800") as info:
        segment("ab\ud800c")
    assert info.value.characters == ((2, "\ud800"),)
    with pytest.raises(InvalidCharactersError):
        segment("ab\udc00c", encoding="UTF16")
    with pytest.raises(InvalidCharactersError):
        segment("ab\udc00c", invalid_characters="REFUSE")
    r = segment("ab\ud800c", invalid_characters="REPLACE")
    assert r.text == "ab c" and r.replacements == ((2, "\ud800", " "),)
    u = segment("😀\udfff", encoding="UTF16", invalid_characters="REPLACE", replacement="?")
    assert u.text == "😀?" and u.units == 3


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"encoding": "latin-1"}, ValueError, "UCS-2"),
        ({"encoding": 7}, TypeError, "encoding must be"),
        ({"invalid_characters": "DROP"}, ValueError, "TRANSLITERATE"),
        ({"invalid_characters": None}, TypeError, "invalid_characters must be"),
        ({"max_parts": 0}, ValueError, "1 to 255"),
        ({"max_parts": 256}, ValueError, "1 to 255"),
        ({"max_parts": "3"}, TypeError, "max_parts must be an int"),
        ({"max_parts": True}, TypeError, "max_parts must be an int"),
        ({"reference_bits": 12}, ValueError, "8 or 16"),
        ({"reference_bits": 8.0}, TypeError, "8 or 16"),
        ({"replacement": None}, TypeError, "replacement must be a str"),
    ],
)
def test_bad_arguments_say_what_is_accepted(kwargs: dict[str, Any], error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        segment("hello", **kwargs)


def test_text_must_be_str() -> None:
    with pytest.raises(TypeError, match="decode it first"):
        segment(b"hello")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="text must be a str"):
        segment(None)  # type: ignore[arg-type]


def test_segmentation_is_immutable_and_picklable() -> None:
    s = segment("a" * 200 + "😀")
    with pytest.raises(AttributeError):
        s.text = "x"  # type: ignore[misc]
    with pytest.raises(TypeError, match="segment"):
        smsencode.Segmentation()
    t = pickle.loads(pickle.dumps(s))
    assert t == s and t.parts == s.parts and t.part_units == s.part_units
    assert "UTF16" in repr(s)


def test_utf16_counts_astral_characters_twice() -> None:
    s = segment("😀" * 35 + "a")
    assert s.units == 71 and s.part_units == (66, 5)
