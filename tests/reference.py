"""A slow, obviously correct reference segmenter: the oracle the fast engine is tested against.

It follows design.md literally: per-character costs, grapheme clusters from ``regex`` ``\\X`` over
the whole text, every allowed boundary enumerated, greedy parts, and a dynamic programme for the
minimal part count.
"""

from __future__ import annotations

import regex

from smsencode.alphabet.default import BASIC, EXTENSION

GSM_SINGLE = set(BASIC.values())
GSM_DOUBLE = set(EXTENSION.values())


def is_gsm7(text: str) -> bool:
    return all(c in GSM_SINGLE or c in GSM_DOUBLE for c in text)


def cost(ch: str, gsm7: bool) -> int:
    if gsm7:
        return 1 if ch in GSM_SINGLE else 2
    return 2 if ord(ch) > 0xFFFF else 1


def allowed_boundaries(text: str, cap: int, gsm7: bool) -> list[int]:
    """Every index where a part may end: cluster boundaries, and code-point boundaries inside a
    cluster too large for a part of its own."""
    out = [0]
    pos = 0
    for cluster in regex.findall(r"\X", text, flags=regex.DOTALL):
        units = sum(cost(c, gsm7) for c in cluster)
        if units > cap:
            out.extend(range(pos + 1, pos + len(cluster)))
        pos += len(cluster)
        out.append(pos)
    return out


def units_between(text: str, a: int, b: int, gsm7: bool) -> int:
    return sum(cost(c, gsm7) for c in text[a:b])


def greedy_parts(text: str, cap: int, gsm7: bool) -> list[str]:
    bounds = allowed_boundaries(text, cap, gsm7)
    parts = []
    s = 0
    while s < len(text):
        best = max(b for b in bounds if b > s and units_between(text, s, b, gsm7) <= cap)
        parts.append(text[s:best])
        s = best
    return parts or [""]


def minimal_part_count(text: str, cap: int, gsm7: bool) -> int:
    bounds = allowed_boundaries(text, cap, gsm7)
    if not text:
        return 1
    best = {0: 0}
    for b in bounds[1:]:
        options = [
            best[a] + 1 for a in best if a < b and units_between(text, a, b, gsm7) <= cap
        ]
        if options:
            best[b] = min(options)
    return best[len(text)]


def reference_segment(text: str, encoding: str = "GSM7", reference_bits: int = 8) -> tuple[str, list[str]]:
    """(encoding, parts) under the default policy TO_UTF16, for text without lone surrogates."""
    gsm7 = encoding == "GSM7" and is_gsm7(text)
    total = sum(cost(c, gsm7) for c in text)
    single = 160 if gsm7 else 70
    if total <= single:
        return ("GSM7" if gsm7 else "UTF16"), [text]
    if gsm7:
        cap = 153 if reference_bits == 8 else 152
    else:
        cap = 67 if reference_bits == 8 else 66
    return ("GSM7" if gsm7 else "UTF16"), greedy_parts(text, cap, gsm7)


def alphabet_greedy_parts(text: str, basic: set[str], extension: set[str], cap: int) -> list[str]:
    """Greedy parts for a text fully in (*basic*, *extension*): basic characters cost one
    septet, extension-only characters two; clusters as in :func:`allowed_boundaries`."""

    def c(ch: str) -> int:
        return 1 if ch in basic else 2

    bounds = [0]
    pos = 0
    for cluster in regex.findall(r"\X", text, flags=regex.DOTALL):
        if sum(map(c, cluster)) > cap:
            bounds.extend(range(pos + 1, pos + len(cluster)))
        pos += len(cluster)
        bounds.append(pos)
    parts = []
    s = 0
    while s < len(text):
        best = max(b for b in bounds if b > s and sum(map(c, text[s:b])) <= cap)
        parts.append(text[s:best])
        s = best
    return parts or [""]
