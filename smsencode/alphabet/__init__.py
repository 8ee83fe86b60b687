"""GSM 7-bit alphabets: the default table and (with national language tables) its variants.

An :class:`Alphabet` is one pair of tables as TS 23.038 §6.2.1 uses them: a *locking* table
(the 128 septets that stand for one character each; the default alphabet unless a national
locking shift is in force) and a *single-shift* table (the characters reached through ESC,
costing two septets; the default extension table unless a national single shift is in force).
Every lookup structure the hot path needs is derived here once, at import.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import regex

from smsencode.alphabet.default import BASIC, ESC, EXTENSION
from smsencode.alphabet.national import LANGUAGE_NAMES, LANGUAGES, LOCKING, SINGLE

__all__ = [
    "DEFAULT",
    "ESC",
    "GRAPHEME",
    "JOINS",
    "LANGUAGES",
    "NOT_SIMPLE",
    "Alphabet",
    "char_class",
    "definite_break",
    "joins",
    "national_alphabet",
]

#: Characters next to which a grapheme-cluster boundary may *not* fall (UAX #29 rules GB6-GB13):
#: everything whose Grapheme_Cluster_Break property is not Other, Control, CR or LF. Between two
#: characters outside this class the only non-boundary is CR LF (GB3).
NOT_SIMPLE = regex.compile(
    r"[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}\p{GCB=Prepend}\p{GCB=Regional_Indicator}"
    r"\p{GCB=L}\p{GCB=V}\p{GCB=T}\p{GCB=LV}\p{GCB=LVT}]"
)


#: Memo of :func:`joins`: char -> whether it may join a grapheme cluster. Bounded (65,536
#: entries), so it cannot grow with hostile input; hot loops subscript it directly and call
#: :func:`joins` on a miss.
JOINS: dict[str, bool] = {}


def joins(ch: str) -> bool:
    """True when *ch* may join a grapheme cluster (it is in :data:`NOT_SIMPLE`).

    The answer comes from the installed ``regex`` module's Unicode tables, so it always agrees
    with its ``\\X``; it is remembered in :data:`JOINS`. Characters below U+0300 never join.
    """
    found = JOINS.get(ch)
    if found is None:
        found = NOT_SIMPLE.match(ch) is not None
        if len(JOINS) < 65536:
            JOINS[ch] = found
    return found


#: One extended grapheme cluster (UAX #29), as the ``regex`` module defines it.
GRAPHEME = regex.compile(r"\X", regex.DOTALL)


def definite_break(text: str, i: int) -> bool:
    """True when UAX #29 always puts a grapheme boundary between ``text[i-1]`` and ``text[i]``
    (``0 < i < len(text)``): neither character can join a cluster, and they are not CR LF."""
    a = text[i - 1]
    b = text[i]
    if a == "\r":
        return b != "\n"
    return not (joins(a) or joins(b))


def char_class(chars: str | set[str] | frozenset[str], *, negate: bool = False) -> str:
    """A ``re`` character class (``[...]``) matching exactly *chars*, written as ranges."""
    points = sorted({ord(c) for c in chars})
    if not points:  # "[]" is not a valid class: match nothing, or (negated) anything
        return "(?s:.)" if negate else "(?!)"
    pieces: list[str] = []
    i = 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        lo, hi = points[i], points[j]
        pieces.append(_esc(lo) if lo == hi else f"{_esc(lo)}-{_esc(hi)}")
        i = j + 1
    return "[" + ("^" if negate else "") + "".join(pieces) + "]"


def _esc(point: int) -> str:
    return f"\\U{point:08x}" if point > 0xFFFF else f"\\u{point:04x}"


@dataclass(frozen=True, eq=False)
class Alphabet:
    """One locking table and one single-shift table, with everything derived from them.

    ``locking`` and ``single`` are the national language identifiers (TS 23.038 §6.2.1.2.4,
    1 = Turkish ... 13 = Urdu) of the tables in force, or ``None`` for the default ones.
    """

    name: str
    basic: Mapping[int, str]
    extension: Mapping[int, str]
    locking: int | None = None
    single: int | None = None
    #: char -> its septets (one, or ESC + code for a single-shift character).
    encode_map: dict[str, bytes] = field(init=False, repr=False)
    #: ``str.translate`` table: char -> the septets as a str of code points 0..127.
    translate_table: dict[int, str] = field(init=False, repr=False)
    #: every character this alphabet can carry.
    chars: frozenset[str] = field(init=False, repr=False)
    #: characters that cost two septets (reached through ESC only).
    double_chars: frozenset[str] = field(init=False, repr=False)
    #: ``fullmatch`` succeeds when a text is entirely in this alphabet.
    all_re: re.Pattern[str] = field(init=False, repr=False)
    #: ``match(text, pos)`` takes the run of one-septet characters from *pos*, then one
    #: two-septet character if one follows (group 1). Repeated from each match's end, it
    #: validates a text and finds its two-septet characters in one pass: the text is in the
    #: alphabet when a match without group 1 ends at ``len(text)``. The runs are possessive,
    #: so a text that is not in the alphabet fails without backtracking.
    run_re: re.Pattern[str] = field(init=False, repr=False)
    #: finds each character that costs two septets.
    double_re: re.Pattern[str] = field(init=False, repr=False)
    #: finds each character this alphabet cannot carry.
    invalid_re: re.Pattern[str] = field(init=False, repr=False)
    #: True when some character of this alphabet is part of a multi-character grapheme
    #: cluster rule (combining marks of the Indic tables); the default alphabet has none, so
    #: the only cluster to keep whole in plain GSM-7 text is CR LF.
    complex_graphemes: bool = field(init=False, repr=False)
    #: Octets of UDH the shift tables cost in every part (3 per national language IE).
    udh_octets: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        enc: dict[str, bytes] = {}
        for code, ch in self.extension.items():
            enc[ch] = bytes((ESC, code))
        for code, ch in self.basic.items():  # a character in both tables takes one septet
            enc[ch] = bytes((code,))
        chars = frozenset(enc)
        doubles = frozenset(ch for ch, b in enc.items() if len(b) == 2)
        singles = chars - doubles
        s = object.__setattr__
        s(self, "encode_map", enc)
        s(self, "translate_table", {ord(ch): b.decode("latin-1") for ch, b in enc.items()})
        s(self, "chars", chars)
        s(self, "double_chars", doubles)
        s(self, "all_re", re.compile(char_class(chars) + "*"))
        s(self, "run_re", re.compile(f"{char_class(singles)}*+({char_class(doubles)})?"))
        s(self, "double_re", re.compile(char_class(doubles)))
        s(self, "invalid_re", re.compile(char_class(chars, negate=True)))
        s(self, "complex_graphemes", any(NOT_SIMPLE.match(ch) for ch in chars))
        s(self, "udh_octets", 3 * ((self.locking is not None) + (self.single is not None)))

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle by table ids: the unpickled alphabet is the same cached object.
        return (_by_ids, (self.locking, self.single))

    def scan(self, text: str) -> tuple[bool, list[int]]:
        """``(in_alphabet, positions)``: whether *text* is entirely in this alphabet, and the
        indexes of its two-septet characters (up to the first character outside it)."""
        # The pattern matches at every position (possibly empty): never None.
        run: Callable[..., re.Match[str]] = self.run_re.match  # type: ignore[assignment]
        m = run(text)
        wide: list[int] = []
        while m.lastindex is not None:
            end = m.end()
            wide.append(end - 1)
            m = run(text, end)
        return m.end() == len(text), wide

    def encode(self, text: str) -> bytes:
        """The unpacked septets of *text* (one per octet); *text* must be in this alphabet."""
        return text.translate(self.translate_table).encode("latin-1")


#: The GSM 7-bit default alphabet with the default extension table.
DEFAULT = Alphabet("default", BASIC, EXTENSION)


def national_alphabet(locking: int | None, single: int | None) -> Alphabet:
    """The alphabet of a national locking shift table and single shift table (TS 23.038 Annex A).

    *locking* and *single* are national language identifiers (TS 23.038 §6.2.1.2.4, 1 = Turkish
    ... 13 = Urdu; :data:`LANGUAGES` maps language codes and names to them), or ``None`` for the
    default alphabet and the default extension table. The two may be different languages. The
    same pair always gives the same object; ``(None, None)`` gives :data:`DEFAULT`.

    >>> national_alphabet(1, 1).encode("Ğ")
    b'\\x0b'
    >>> national_alphabet(None, 2).encode("á")
    b'\\x1ba'

    Raises:
        TypeError: an identifier that is neither an int nor None.
        ValueError: an identifier outside 1..13, or a locking table the language does not have
            (Spanish has a single shift table only).
    """
    for role, lang in (("locking", locking), ("single", single)):
        if lang is not None and (not isinstance(lang, int) or isinstance(lang, bool)):
            msg = f"{role} must be a national language id (an int 1..13) or None, not {lang!r}"
            raise TypeError(msg)
        if lang is not None and lang not in LANGUAGE_NAMES:
            msg = f"unknown national language id {lang} for {role}: use 1..13 (TS 23.038 §6.2.1.2.4) or None"
            raise ValueError(msg)
    if locking is not None and locking not in LOCKING:
        msg = (
            f"{LANGUAGE_NAMES[locking]} ({locking}) has no locking shift table, only a single shift "
            f"table: pass it as single=, with locking=None or another language"
        )
        raise ValueError(msg)
    return _national_alphabet(locking, single)


@functools.cache
def _national_alphabet(locking: int | None, single: int | None) -> Alphabet:
    if locking is None and single is None:
        return DEFAULT
    name = "+".join(
        "default" if lang is None else LANGUAGE_NAMES[lang].lower() for lang in (locking, single)
    )
    return Alphabet(
        name,
        BASIC if locking is None else LOCKING[locking],
        EXTENSION if single is None else SINGLE[single],
        locking=locking,
        single=single,
    )


def _by_ids(locking: int | None, single: int | None) -> Alphabet:
    """Unpickle an :class:`Alphabet` as the cached one for its tables."""
    return national_alphabet(locking, single)
