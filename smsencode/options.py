"""The option vocabularies of :func:`smsencode.segment`: encodings and invalid-character policies.

Both are ``str`` enums, so ``Encoding.GSM7 == "GSM7"``. Input is forgiving: the spellings that
SMS providers use (``"STANDARD"``, ``"UTF-16"``, ``"UCS-2"``, ...) are accepted too.
"""

from __future__ import annotations

import enum

__all__ = ["Encoding", "InvalidCharacters", "parse_encoding", "parse_invalid_characters"]


class Encoding(enum.StrEnum):
    """How the text is carried: the GSM 7-bit alphabet or UTF-16 (UCS-2 on older networks)."""

    GSM7 = "GSM7"
    UTF16 = "UTF16"


class InvalidCharacters(enum.StrEnum):
    """What to do with characters GSM-7 cannot carry (Retarus ``invalidCharacters`` vocabulary)."""

    #: Raise :class:`~smsencode.InvalidCharactersError` naming every offending character.
    REFUSE = "REFUSE"
    #: Replace each offending grapheme cluster with the replacement string (default a space).
    REPLACE = "REPLACE"
    #: Send the whole text as UTF-16 (the default: GSM-7 when it fits, else UTF-16).
    TO_UTF16 = "TO_UTF16"
    #: Map what does not fit to the closest GSM-7 text, replacing what still does not fit.
    TRANSLITERATE = "TRANSLITERATE"


_ENCODING_NAMES: dict[str, Encoding] = {
    "GSM7": Encoding.GSM7,
    "GSM-7": Encoding.GSM7,
    "GSM_7": Encoding.GSM7,
    "GSM": Encoding.GSM7,
    "STANDARD": Encoding.GSM7,
    "UTF16": Encoding.UTF16,
    "UTF-16": Encoding.UTF16,
    "UTF_16": Encoding.UTF16,
    "UCS2": Encoding.UTF16,
    "UCS-2": Encoding.UTF16,
    "UCS_2": Encoding.UTF16,
}

_POLICY_NAMES: dict[str, InvalidCharacters] = {p.value: p for p in InvalidCharacters}


def parse_encoding(value: object) -> Encoding:
    """Turn *value* (an :class:`Encoding` or one of its spellings) into an :class:`Encoding`."""
    if isinstance(value, Encoding):
        return value
    if not isinstance(value, str):
        msg = f"encoding must be a str or smsencode.Encoding, not {type(value).__name__}"
        raise TypeError(msg)
    found = _ENCODING_NAMES.get(value.strip().upper())
    if found is None:
        msg = (
            f"unknown encoding {value!r}: use 'GSM7' (also 'STANDARD', 'GSM', 'GSM-7') "
            "or 'UTF16' (also 'UTF-16', 'UCS-2', 'UCS2')"
        )
        raise ValueError(msg)
    return found


def parse_invalid_characters(value: object) -> InvalidCharacters:
    """Turn *value* (an :class:`InvalidCharacters` or its name) into an :class:`InvalidCharacters`."""
    if isinstance(value, InvalidCharacters):
        return value
    if not isinstance(value, str):
        msg = f"invalid_characters must be a str or smsencode.InvalidCharacters, not {type(value).__name__}"
        raise TypeError(msg)
    found = _POLICY_NAMES.get(value.strip().upper().replace("-", "_"))
    if found is None:
        msg = (
            f"unknown invalid_characters policy {value!r}: "
            "use one of 'REFUSE', 'REPLACE', 'TO_UTF16', 'TRANSLITERATE'"
        )
        raise ValueError(msg)
    return found
