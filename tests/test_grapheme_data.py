"""The generated grapheme table agrees with the regex module's UAX #29 properties."""

from __future__ import annotations

import re

from smsencode._grapheme_data import NOT_SIMPLE_CLASS
from smsencode.alphabet import NOT_SIMPLE


def test_generated_class_matches_regex_for_every_code_point() -> None:
    """If this fails after a regex upgrade, run scripts/gen_grapheme_data.py and commit."""
    every = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x110000)))
    fast = [m.start() for m in re.finditer(NOT_SIMPLE_CLASS, every)]
    slow = [m.start() for m in NOT_SIMPLE.finditer(every)]
    assert fast == slow
    assert len(fast) > 10000  # combining marks, emoji modifiers, regional indicators, Hangul
