"""The grapheme-joining memo agrees with the regex module's UAX #29 properties, for any version."""

from __future__ import annotations

import pytest

from smsencode import alphabet
from smsencode.alphabet import NOT_SIMPLE, joins


def test_joins_agrees_with_regex_on_every_bmp_character() -> None:
    for cp in [*range(0xD800), *range(0xE000, 0x10000)]:
        ch = chr(cp)
        assert joins(ch) == (NOT_SIMPLE.match(ch) is not None), hex(cp)
    assert not any(joins(chr(cp)) for cp in range(0x300))  # Latin-1 and below never join


def test_joins_knows_the_emoji_pieces() -> None:
    for ch in ["\u200d", "\ufe0f", "\U0001f3fd", "\U0001f1ee", "\U000e0067", "\u0301", "\u093f"]:
        assert joins(ch), ch  # ZWJ, VS16, skin tone, regional indicator, tag, marks
    for ch in ["a", "€", "😀", "中", "\r", "\n", "ж"]:
        assert not joins(ch), ch


def test_memo_is_bounded_and_still_right_past_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh: dict[str, bool] = {}
    monkeypatch.setattr(alphabet, "JOINS", fresh)
    for cp in range(0x10000, 0x10000 + 70000):
        assert joins(chr(cp)) == (NOT_SIMPLE.match(chr(cp)) is not None)
    assert len(fresh) == 65536
