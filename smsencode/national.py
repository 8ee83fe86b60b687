"""Choice of national language shift tables (TS 23.038 Annex A, TS 23.040 §9.2.3.24.15-16) by cost.

When the caller allows national languages, every pair of a locking shift table and a single shift
table is a candidate — each either the default one or an allowed language's, and the two may be
different languages. A pair that lacks a character of the text is discarded by a set comparison,
without encoding anything. The covering pairs are costed exactly (each shift table in force costs
3 octets of user data header in every part) and the pair with the fewest parts wins, then the one
with the most room left in the last part; on a tie the default tables win, then fewer header
octets. When no pair covers the text the invalid-character policy decides, as for the default
alphabet.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from smsencode.alphabet import DEFAULT, Alphabet, national_alphabet
from smsencode.alphabet.national import LANGUAGE_NAMES, LANGUAGES, LOCKING
from smsencode.errors import InvalidCharactersError, TooManyPartsError
from smsencode.options import Encoding, InvalidCharacters

if TYPE_CHECKING:
    from smsencode.segment import Segmentation

__all__ = ["NationalLanguage", "candidate_alphabets", "parse_languages", "segment_national"]

_ISO_CODES = sorted(code for code in LANGUAGES if len(code) == 2)


@dataclass(frozen=True)
class NationalLanguage:
    """The national language shift tables a message uses.

    ``locking`` and ``single`` are national language identifiers (TS 23.038 §6.2.1.2.4:
    1 Turkish, 2 Spanish, 3 Portuguese, 4 Bengali, ... 13 Urdu), or ``None`` where the default
    alphabet or the default extension table is in force.
    """

    locking: int | None
    single: int | None

    @property
    def locking_name(self) -> str:
        """English name of the locking shift table's language, or ``"default"``."""
        return "default" if self.locking is None else LANGUAGE_NAMES[self.locking]

    @property
    def single_name(self) -> str:
        """English name of the single shift table's language, or ``"default"``."""
        return "default" if self.single is None else LANGUAGE_NAMES[self.single]

    def __str__(self) -> str:
        return f"locking shift: {self.locking_name}, single shift: {self.single_name}"


def parse_languages(languages: Iterable[str] | str) -> tuple[int, ...]:
    """National language identifiers for *languages* (ISO 639-1 codes or English names).

    >>> parse_languages(("tr", "Hindi"))
    (1, 6)
    """
    if isinstance(languages, str):
        languages = [x for x in languages.replace(";", ",").split(",") if x.strip()]
    ids: list[int] = []
    for lang in languages:
        if not isinstance(lang, str):
            msg = f"national_languages must hold str language codes such as 'tr', not {type(lang).__name__}"
            raise TypeError(msg)
        found = LANGUAGES.get(lang.strip().lower())
        if found is None:
            msg = (
                f"unknown national language {lang!r}: use one of {', '.join(_ISO_CODES)} "
                "(ISO 639-1) or the English name, such as 'turkish'"
            )
            raise ValueError(msg)
        if found not in ids:
            ids.append(found)
    return tuple(sorted(ids))


@lru_cache(maxsize=256)
def candidate_alphabets(ids: tuple[int, ...]) -> tuple[Alphabet, ...]:
    """Every (locking, single) table pair the allowed languages *ids* make, default first."""
    lockings: list[int | None] = [None, *(i for i in ids if i in LOCKING)]
    singles: list[int | None] = [None, *ids]
    return tuple(national_alphabet(lock, single) for lock in lockings for single in singles)


def segment_national(
    text: str,
    encoding: Encoding,
    policy: InvalidCharacters,
    max_parts: int | None,
    reference_bits: int,
    national_languages: Iterable[str],
    replacement: str,
) -> Segmentation:
    """:func:`smsencode.segment` with national language tables allowed."""
    from smsencode import policies
    from smsencode.segment import _check_gsm_replacement, split_utf16

    ids = parse_languages(national_languages)
    if encoding is Encoding.UTF16 or not ids:
        from smsencode.segment import segment

        return segment(
            text, encoding=encoding, invalid_characters=policy, max_parts=max_parts,
            reference_bits=reference_bits, replacement=replacement,
        )  # fmt: skip
    alphabets = candidate_alphabets(ids)
    needed = frozenset(text)
    covering = [a for a in alphabets if needed <= a.chars]
    if covering:
        return _cheapest(text, needed, covering, max_parts, reference_bits, ())
    # No pair carries the text as it stands: the policy decides, against the pair that carries
    # most of it.
    counts = Counter(text)
    best = max(alphabets, key=lambda a: sum(n for c, n in counts.items() if c in a.chars))
    if policy is InvalidCharacters.TO_UTF16:
        return split_utf16(text, max_parts, reference_bits, (), policy, replacement)
    if policy is InvalidCharacters.REFUSE:
        err = policies.refusal(text, best)
        raise InvalidCharactersError(
            err.characters,
            hint=(
                "no allowed pair of national language tables carries them, and "
                "invalid_characters='REFUSE' was asked for; allow another language, remove them, "
                "or pass invalid_characters='TO_UTF16', 'REPLACE' or 'TRANSLITERATE'"
            ),
        )
    _check_gsm_replacement(replacement, best)
    if policy is InvalidCharacters.REPLACE:
        new, changes = policies.replace(text, best, replacement)
    else:
        new, changes = policies.transliterate(text, best, replacement)
    needed = frozenset(new)
    covering = [a for a in alphabets if needed <= a.chars]
    return _cheapest(new, needed, covering, max_parts, reference_bits, changes)


def _cheapest(
    text: str,
    chars: frozenset[str],
    covering: list[Alphabet],
    max_parts: int | None,
    reference_bits: int,
    replacements: tuple[tuple[int, str, str], ...],
) -> Segmentation:
    """The cheapest split of *text* among the *covering* alphabets (see module docstring).

    Every pair gets an optimistic key from arithmetic alone: its septets (a character of the
    single-shift table costs two) at its capacity, as if no cut had to move back to keep an
    escape pair or a cluster whole. Pairs are split in the order of those keys, and the search
    stops at the first pair whose optimistic key cannot beat the best exact one.
    """
    from smsencode.segment import gsm7_capacity, split_gsm7

    n = len(text)
    concat = 6 if reference_bits == 8 else 7
    candidates = []
    for order, alphabet in enumerate(covering):
        doubles = sum(map(text.count, alphabet.double_chars.intersection(chars)))
        units = n + doubles
        udh = alphabet.udh_octets
        cap = gsm7_capacity(udh + 1 if udh else 0)
        parts = 1
        if units > cap:
            cap = gsm7_capacity(udh + concat)
            parts = -(-units // cap)
        # Fewest parts; then the most room left in the last part; then the default tables and
        # fewer header octets (the candidates come in that order).
        candidates.append(((parts, parts * cap - units, order), alphabet, doubles))
    if max_parts is None:
        candidates.sort(key=lambda c: (c[0][0], -c[0][1], c[0][2]))
    best: Segmentation | None = None
    best_key: tuple[int, int, int, int] | None = None
    error: TooManyPartsError | None = None
    for (parts, room, order), alphabet, doubles in candidates:
        if max_parts is None and best_key is not None and (parts, 0, -room, order) >= best_key:
            break  # neither this pair nor any after it can do better
        try:
            seg = split_gsm7(
                text, alphabet, max_parts, reference_bits, replacements,
                [] if doubles == 0 else None, _label(alphabet),
            )  # fmt: skip
        except TooManyPartsError as err:
            error = err
            continue
        # With max_parts, a pair that keeps more of the text wins before room is compared.
        key = (seg.part_count, len(seg.dropped), -seg.remaining, order)
        if best_key is None or key < best_key:
            best, best_key = seg, key
    if best is None:
        assert error is not None
        raise error
    return best


def _label(alphabet: Alphabet) -> NationalLanguage | None:
    if alphabet is DEFAULT or (alphabet.locking is None and alphabet.single is None):
        return None
    return NationalLanguage(alphabet.locking, alphabet.single)
