"""The invalid-character policies REFUSE, REPLACE and TRANSLITERATE (TO_UTF16 is a choice of
encoding, made in :mod:`smsencode.segment`).

Both REPLACE and TRANSLITERATE work on whole grapheme clusters (UAX #29): a flag, a ZWJ family or
a letter with its combining marks is replaced once, never half. Each change is reported as
``(index, original, replacement)`` with *index* counting code points of the text as given.
"""

from __future__ import annotations

from collections.abc import Callable

from smsencode.alphabet import GRAPHEME, Alphabet, definite_break
from smsencode.errors import InvalidCharactersError

__all__ = ["refusal", "replace", "transliterate"]


Replacements = tuple[tuple[int, str, str], ...]


def refusal(text: str, alphabet: Alphabet) -> InvalidCharactersError:
    """The error REFUSE raises: every character of *text* outside *alphabet*, with its index."""
    found = tuple((m.start(), m.group()) for m in alphabet.invalid_re.finditer(text))
    return InvalidCharactersError(
        found,
        hint=(
            "GSM-7 was asked for with invalid_characters='REFUSE'; remove them, or pass "
            "invalid_characters='TO_UTF16' (send as UTF-16), 'REPLACE' or 'TRANSLITERATE'"
        ),
    )


def replace(text: str, alphabet: Alphabet, replacement: str) -> tuple[str, Replacements]:
    """Replace each grapheme cluster that holds a character outside *alphabet* by *replacement*."""
    return _rewrite(text, alphabet, lambda cluster: replacement)


def transliterate(text: str, alphabet: Alphabet, replacement: str) -> tuple[str, Replacements]:
    """Map each grapheme cluster outside *alphabet* to the closest GSM-7 text.

    Curated maps first (see :mod:`smsencode.transliterate`), ``unidecode`` as the fallback, and
    *replacement* for what still has no GSM-7 rendering.
    """
    from smsencode.transliterate import to_gsm

    chars = alphabet.chars

    def closest(cluster: str) -> str:
        found = to_gsm(cluster)
        if found is None or not all(c in chars for c in found):
            return replacement
        return found

    return _rewrite(text, alphabet, closest)


def _rewrite(text: str, alphabet: Alphabet, render: Callable[[str], str]) -> tuple[str, Replacements]:
    offenders = alphabet.invalid_re.finditer(text)
    first = next(offenders, None)
    if first is None:
        return text, ()
    # Clusters are only looked at from a boundary before the first offender on: the GSM-7 text
    # ahead of it is kept as it stands.
    start = first.start()
    while start > 0 and not definite_break(text, start):
        start -= 1
    out = [text[:start]]
    changes = []
    invalid = alphabet.invalid_re
    for m in GRAPHEME.finditer(text, start):
        cluster = m.group()
        if invalid.search(cluster) is None:
            out.append(cluster)
            continue
        new = render(cluster)
        out.append(new)
        changes.append((m.start(), cluster, new))
    return "".join(out), tuple(changes)
