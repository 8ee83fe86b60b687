"""The generated grapheme table agrees with the regex module's UAX #29 properties."""

from __future__ import annotations

from smsencode._grapheme_data import NOT_SIMPLE_CHARS, NOT_SIMPLE_RANGES
from smsencode.alphabet import NOT_SIMPLE


def test_generated_set_matches_regex_for_every_code_point() -> None:
    """If this fails after a regex upgrade, run scripts/gen_grapheme_data.py and commit."""
    every = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x110000)))
    assert frozenset(NOT_SIMPLE.findall(every)) == NOT_SIMPLE_CHARS
    # combining marks, emoji modifiers, ZWJ, regional indicators, Hangul jamo and syllables
    assert len(NOT_SIMPLE_CHARS) > 10000
    assert all(lo <= hi for lo, hi in NOT_SIMPLE_RANGES)
    assert min(map(ord, NOT_SIMPLE_CHARS)) >= 0x300  # Latin-1 and below are all simple
