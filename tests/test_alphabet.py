"""The GSM 7-bit default alphabet and extension table against TS 23.038 §6.2.1 and §6.2.1.1."""

from __future__ import annotations

import unicodedata

import pytest

from smsencode.alphabet import DEFAULT
from smsencode.alphabet.default import BASIC, ESC, EXTENSION

# TS 23.038 §6.2.1 figure, row by row (columns 0x00-0x7F), as one string; ESC shown as "\x1b".
SPEC_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)


def test_basic_table_matches_the_spec_figure() -> None:
    """All 127 characters sit at the septet the spec gives them; 0x1B is the escape."""
    assert len(SPEC_BASIC) == 128
    expected = {i: c for i, c in enumerate(SPEC_BASIC) if i != ESC}
    assert expected == BASIC
    assert ESC == 0x1B and ESC not in BASIC


def test_extension_table_matches_the_spec() -> None:
    """The ten extension characters, each at its code after ESC (TS 23.038 §6.2.1.1)."""
    assert EXTENSION == {
        0x0A: "\x0c", 0x14: "^", 0x28: "{", 0x29: "}", 0x2F: "\\",
        0x3C: "[", 0x3D: "~", 0x3E: "]", 0x40: "|", 0x65: "€",
    }  # fmt: skip


def test_alphabet_has_137_characters_without_duplicates() -> None:
    assert len(set(BASIC.values())) == 127
    assert not set(BASIC.values()) & set(EXTENSION.values())
    assert len(DEFAULT.chars) == 137
    assert DEFAULT.double_chars == frozenset(EXTENSION.values())


@pytest.mark.parametrize(
    ("char", "septets"),
    [
        ("Ç", b"\x09"),  # capital C cedilla at 0x09 (GSM0338.TXT's small ç is wrong)
        ("_", b"\x11"),
        ("§", b"\x5f"),  # not a backtick
        ("¿", b"\x60"),
        ("@", b"\x00"),
        ("\n", b"\x0a"),
        ("\r", b"\x0d"),
        ("\x0c", b"\x1b\x0a"),  # form feed is an extension character
        ("€", b"\x1b\x65"),
        ("^", b"\x1b\x14"),
        ("à", b"\x7f"),
    ],
)
def test_known_positions(char: str, septets: bytes) -> None:
    assert DEFAULT.encode_map[char] == septets
    assert DEFAULT.encode(char) == septets


@pytest.mark.parametrize(
    "char",
    ["ç", "`", "\t", "\u00a0", "\x1b", "\u0301", "á", "€\u0301"[1], "\x00", "\x7f", "’"],
)
def test_traps_are_not_gsm7(char: str) -> None:
    """Characters other tables put in GSM-7 by mistake are outside it."""
    assert char not in DEFAULT.chars
    assert DEFAULT.all_re.fullmatch(char) is None
    assert DEFAULT.invalid_re.fullmatch(char) is not None


def test_every_character_is_written_by_a_real_name() -> None:
    """Each entry is a single named Unicode character (the table is checkable by eye)."""
    for ch in [*BASIC.values(), *EXTENSION.values()]:
        assert len(ch) == 1
        assert ch in "\n\r\x0c" or unicodedata.name(ch)


def test_derived_patterns_agree_with_the_tables() -> None:
    for cp in range(0x3000):
        ch = chr(cp)
        inside = ch in BASIC.values() or ch in EXTENSION.values()
        assert (DEFAULT.all_re.fullmatch(ch) is not None) == inside
        assert (DEFAULT.double_re.fullmatch(ch) is not None) == (ch in EXTENSION.values())
        ok, wide = DEFAULT.scan(ch)
        assert ok == inside and wide == ([0] if ch in EXTENSION.values() else [])


def test_default_alphabet_has_no_multi_character_clusters() -> None:
    """No default-alphabet character joins a grapheme cluster (only CR LF does, handled apart)."""
    assert DEFAULT.complex_graphemes is False
