"""The exceptions smsencode raises, all under one root.

::

    SmsEncodeError                      base of everything below
    ├── EncodeError (ValueError)        text cannot travel as asked
    │   ├── InvalidCharactersError      characters outside the alphabet (REFUSE, lone surrogates)
    │   └── TooManyPartsError           more than 255 parts and no max_parts to cut it
    ├── DecodeError (ValueError)        bytes that are not valid user data
    │   ├── InvalidSeptetError          a septet stream that cannot be decoded
    │   └── InvalidUDHError             a malformed user data header
    └── ProviderError                   anything that went wrong talking to a provider
        (defined in :mod:`smsencode.providers.errors`)

A caller's bad argument (a wrong type, a value outside the accepted range) is a plain
:class:`TypeError` or :class:`ValueError` whose message says what is accepted.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "DecodeError",
    "EncodeError",
    "InvalidCharactersError",
    "InvalidSeptetError",
    "InvalidUDHError",
    "SmsEncodeError",
    "TooManyPartsError",
]


class SmsEncodeError(Exception):
    """Base class of every exception smsencode raises."""


class EncodeError(SmsEncodeError, ValueError):
    """The text cannot be sent the way it was asked for."""


def _describe(characters: tuple[tuple[int, str], ...], limit: int = 8) -> str:
    shown = ", ".join(f"{c!r} (U+{ord(c):04X}) at index {i}" for i, c in characters[:limit])
    if len(characters) > limit:
        shown += f", and {len(characters) - limit} more"
    return shown


class InvalidCharactersError(EncodeError):
    """The text holds characters the chosen encoding cannot carry.

    ``characters`` lists every offending character as ``(index, char)``, index into the
    text as given.
    """

    def __init__(self, characters: tuple[tuple[int, str], ...], hint: str = "") -> None:
        self.characters = tuple(characters)
        self.hint = hint
        n = len(self.characters)
        msg = f"{n} character{'s' if n != 1 else ''} cannot be encoded: {_describe(self.characters)}"
        if hint:
            msg += f"; {hint}"
        super().__init__(msg)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.characters, self.hint))


class TooManyPartsError(EncodeError):
    """The text needs more parts than a concatenated SMS can have (255)."""

    def __init__(self, message: str, parts_needed: int | None = None) -> None:
        self.parts_needed = parts_needed
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.args[0], self.parts_needed))


class DecodeError(SmsEncodeError, ValueError):
    """Bytes that cannot be decoded as SMS user data.

    ``offset`` is the byte offset where decoding failed, when it is known.
    """

    def __init__(self, message: str, offset: int | None = None) -> None:
        self.offset = offset
        self.reason = message
        super().__init__(message if offset is None else f"{message} (at byte offset {offset})")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.reason, self.offset))


class InvalidSeptetError(DecodeError):
    """A septet stream that cannot be decoded (for example a lone trailing escape)."""


class InvalidUDHError(DecodeError):
    """A user data header whose lengths or information elements are malformed."""
