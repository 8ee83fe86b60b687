"""The ``gsm-7`` Python codec: text to unpacked GSM 7-bit septets and back (3GPP TS 23.038 §6.2.1).

One septet per byte, as SMPP ``short_message`` and AT+CMGS in text mode carry them; an
extension-table character is the escape 0x1B followed by its code. Packing eight septets into
seven octets is the job of :mod:`smsencode.pdu`.

>>> import smsencode
>>> "Price: 10€ [net]".encode("gsm-7")
b'Price: 10\\x1be \\x1b<net\\x1b>'
>>> b"\\x1be".decode("gsm-7")
'€'
>>> "ça va".encode("gsm-7", errors="replace")
b'?a va'

Every ``errors=`` handler is honoured through :func:`codecs.lookup_error`, with the positions of
:class:`UnicodeEncodeError` / :class:`UnicodeDecodeError` pointing at the offending characters or
bytes. Decoding follows TS 23.038 §6.2.1.1: an escape followed by a code with no extension
character decodes to the basic-table character, and ESC ESC to a space. Bytes from 0x80 up, a
lone escape at the very end and (with a national locking table) a septet the table leaves
undefined are decoding errors.

Names: ``gsm-7`` is the default alphabet. With the national language tables of TS 23.038 Annex A
the codec also answers to ``gsm-7-<lang>`` (the language's locking and single-shift tables),
``gsm-7-<lang>-locking``, ``gsm-7-<lang>-single`` and ``gsm-7-<locking lang>-<single lang>``,
*lang* being one of the codes in :data:`NATIONAL_LANGUAGE_IDS`; :func:`codec_name` gives the name
of any table pair. The names are chosen not to collide with other packages' codecs (``gsm0338``,
``gsm7``, ``gsm03.38``, ``gsm23.038-*``).
"""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Callable
from typing import Any, ClassVar, NamedTuple

from smsencode.alphabet import DEFAULT, ESC, LANGUAGES, Alphabet
from smsencode.alphabet import national_alphabet as _national_alphabet
from smsencode.errors import InvalidSeptetError

__all__ = [
    "CODEC_NAME",
    "NATIONAL_LANGUAGE_IDS",
    "codec_info",
    "codec_name",
    "decode",
    "decode_septets",
    "encode",
    "national_alphabet",
    "register",
    "search",
]

#: The name of the codec for the default alphabet (``codecs.lookup`` normalises it to ``gsm_7``).
CODEC_NAME = "gsm-7"

#: National language identifiers of TS 23.038 §6.2.1.2.4 by ISO 639-1 code, as the codec names
#: spell them ("tr" 1 Turkish ... "ur" 13 Urdu); the lower-case English names work in names too.
NATIONAL_LANGUAGE_IDS: dict[str, int] = {k: v for k, v in LANGUAGES.items() if len(k) == 2}
_LANGUAGE_CODES = {v: k for k, v in NATIONAL_LANGUAGE_IDS.items()}

# Strategy for a run already known to be well formed: every escape pair becomes one byte, its
# code with the high bit set (septets never have it), and one codecs.charmap_decode through a
# 256-entry table gives the text. bytes.replace works left to right without overlaps, exactly
# as pairs are read, so ESC ESC goes first (to 0x9B); after it each ESC is followed by a code
# that is not ESC, and the high bit of those codes is set all at once with integer arithmetic
# (a byte 0x01 under each ESC, shifted onto bit 7 of the next byte) before the ESCs are deleted.
# Every step is a C-level pass over the run, however many escapes and table entries there are.
_ESC_ESC = b"\x1b\x1b"
_ESC_ESC_FOLDED = bytes((0x80 | ESC,))
_ESC_MARKS = bytes(1 if b == ESC else 0 for b in range(256))
_UNDEFINED = "\ufffe"  # charmap_decode's "no character here"; valid runs never reach one


def _byte_class(codes: set[int]) -> bytes:
    return b"[" + b"".join(re.escape(bytes((c,))) for c in sorted(codes)) + b"]"


class _Tables(NamedTuple):
    """Decoding structures derived once per alphabet."""

    #: ``match`` covers the longest prefix of well-formed septets.
    valid_run: re.Pattern[bytes]
    #: byte -> character for :func:`codecs.charmap_decode`: a septet below 0x80, an escape
    #: pair folded to its code | 0x80 above.
    charmap: str
    #: finds each run of characters the alphabet cannot carry.
    invalid_run: re.Pattern[str]


@functools.lru_cache(maxsize=64)
def _tables(alphabet: Alphabet) -> _Tables:
    basic = {c for c in alphabet.basic if 0 <= c < 0x80 and c != ESC}
    # TS 23.038 §6.2.1.1: a code without an extension character shows the basic character;
    # ESC ESC (reserved for a further extension table) is shown as a space.
    escaped = {c for c in range(0x80) if c in alphabet.extension or c in basic or c == ESC}
    charmap = [_UNDEFINED] * 256
    for c in basic:
        charmap[c] = alphabet.basic[c]
    for c in escaped:
        charmap[0x80 | c] = alphabet.extension.get(c) or alphabet.basic.get(c) or " "
    single, pair = _byte_class(basic), b"\x1b" + _byte_class(escaped)
    valid = re.compile(single + b"*(?:" + pair + single + b"*)*")
    invalid = re.compile("(?:" + alphabet.invalid_re.pattern + ")+")
    return _Tables(valid, "".join(charmap), invalid)


def _valid_end(tables: _Tables, data: bytes, pos: int = 0) -> int:
    """End of the longest well-formed run of septets from *pos* (the pattern also matches empty)."""
    m = tables.valid_run.match(data, pos)
    return pos if m is None else m.end()


def _decode_run(run: bytes, tables: _Tables) -> str:
    """Characters of *run*, a sequence the ``valid_run`` pattern accepted whole."""
    if b"\x1b" in run:
        run = run.replace(_ESC_ESC, _ESC_ESC_FOLDED)
        n = len(run)
        marks = int.from_bytes(run.translate(_ESC_MARKS), "little") << 15
        run = (int.from_bytes(run, "little") | marks).to_bytes(n + 1, "little")[:n].replace(b"\x1b", b"")
    return codecs.charmap_decode(run, "strict", tables.charmap)[0]


def _error_at(data: bytes, pos: int, tables: _Tables, alphabet: Alphabet) -> tuple[int, str]:
    """End and reason of the decoding error that starts at *pos*."""
    b = data[pos]
    if b == ESC:
        if pos + 1 == len(data):
            return pos + 1, "escape 0x1B at the end of the data, with no septet after it"
        nxt = data[pos + 1]
        if nxt >= 0x80:
            return pos + 1, f"escape 0x1B followed by byte 0x{nxt:02X}, which is not a septet"
        return pos + 2, f"escape 0x1B then 0x{nxt:02X}, which the {alphabet.name} tables leave undefined"
    if b >= 0x80:
        return pos + 1, f"byte 0x{b:02X} is not a septet (septets are 0x00..0x7F, one per byte)"
    return pos + 1, f"septet 0x{b:02X} is undefined in the {alphabet.name} locking shift table"


def decode_septets(septets: bytes, alphabet: Alphabet = DEFAULT, *, offset: int = 0) -> str:
    """The text of unpacked *septets* (one per byte), strictly.

    >>> decode_septets(b"\\x1be10")
    '€10'

    Args:
        septets: One septet per byte, extension characters as 0x1B + code.
        alphabet: The locking and single-shift tables in force.
        offset: Added to the position reported in errors, so that it can point into a
            larger buffer.

    Raises:
        InvalidSeptetError: A byte from 0x80 up, a lone escape at the end, or an undefined septet;
            ``offset`` is its position.
    """
    tables = _tables(alphabet)
    end = _valid_end(tables, septets)
    if end != len(septets):
        _, reason = _error_at(septets, end, tables, alphabet)
        raise InvalidSeptetError(reason, offset + end)
    return _decode_run(septets, tables)


def encode(
    text: str, errors: str = "strict", alphabet: Alphabet = DEFAULT, name: str = CODEC_NAME
) -> tuple[bytes, int]:
    """Encode *text* to unpacked septets: the codec's stateless encoder.

    Characters the alphabet lacks go to the *errors* handler (any name registered with
    :func:`codecs.register_error`), one run of consecutive such characters at a time; a handler
    may return text (encoded in turn; it must itself be encodable) or bytes (used as given).

    Returns:
        The septets and the number of characters consumed (always ``len(text)``).
    """
    tables = _tables(alphabet)
    first = tables.invalid_run.search(text)
    if first is None:
        return alphabet.encode(text), len(text)
    out = bytearray()
    pos = 0
    match: re.Match[str] | None = first
    handler: Callable[[UnicodeError], tuple[str | bytes, int]] | None = None
    while match is not None:
        start, end = match.span()
        out += alphabet.encode(text[pos:start])
        exc = UnicodeEncodeError(name, text, start, end, "character not in the GSM 7-bit alphabet")
        if handler is None:
            handler = codecs.lookup_error(errors)
        replacement, pos = handler(exc)
        if isinstance(replacement, str):
            if tables.invalid_run.search(replacement) is not None:
                raise exc
            out += alphabet.encode(replacement)
        else:
            out += replacement
        pos = _resume(pos, len(text))
        match = tables.invalid_run.search(text, pos)
    out += alphabet.encode(text[pos:])
    return bytes(out), len(text)


def decode(
    data: bytes | bytearray | memoryview,
    errors: str = "strict",
    alphabet: Alphabet = DEFAULT,
    final: bool = True,
    name: str = CODEC_NAME,
) -> tuple[str, int]:
    """Decode unpacked septets: the codec's stateless decoder (``final=False`` for incremental use).

    With ``final=False`` an escape at the very end is left unconsumed, to be joined to the next
    chunk; otherwise it is an error.

    Returns:
        The text and the number of bytes consumed.
    """
    data = bytes(data)
    tables = _tables(alphabet)
    n = len(data)
    end = _valid_end(tables, data)
    if end == n:
        return _decode_run(data, tables), n
    pieces: list[str] = []
    pos = 0
    handler: Callable[[UnicodeError], tuple[str | bytes, int]] | None = None
    while True:
        pieces.append(_decode_run(data[pos:end], tables))
        if end == n:
            break
        if not final and end == n - 1 and data[end] == ESC:
            return "".join(pieces), end
        bad_end, reason = _error_at(data, end, tables, alphabet)
        exc = UnicodeDecodeError(name, data, end, bad_end, reason)
        if handler is None:
            handler = codecs.lookup_error(errors)
        replacement, pos = handler(exc)
        if not isinstance(replacement, str):
            msg = f"decoding error handler must return (str, int), not ({type(replacement).__name__}, int)"
            raise TypeError(msg)
        pieces.append(replacement)
        pos = _resume(pos, n)
        end = _valid_end(tables, data, pos)
    return "".join(pieces), n


def _resume(pos: int, n: int) -> int:
    if pos < 0:
        pos += n
    if not 0 <= pos <= n:
        msg = f"position {pos} from error handler out of bounds"
        raise IndexError(msg)
    return pos


class _IncrementalEncoder(codecs.IncrementalEncoder):
    _alphabet: ClassVar[Alphabet] = DEFAULT
    _name: ClassVar[str] = CODEC_NAME

    def encode(self, input: str, final: bool = False) -> bytes:
        return encode(input, self.errors, self._alphabet, self._name)[0]


class _IncrementalDecoder(codecs.BufferedIncrementalDecoder):
    """Keeps an escape that ends one chunk and joins it to the next chunk."""

    _alphabet: ClassVar[Alphabet] = DEFAULT
    _name: ClassVar[str] = CODEC_NAME

    def _buffer_decode(self, input: Any, errors: str, final: bool) -> tuple[str, int]:
        return decode(input, errors, self._alphabet, final, self._name)


class _StreamWriter(codecs.StreamWriter):
    _alphabet: ClassVar[Alphabet] = DEFAULT
    _name: ClassVar[str] = CODEC_NAME

    def encode(self, input: str, errors: str = "strict") -> tuple[bytes, int]:
        return encode(input, errors, self._alphabet, self._name)


class _StreamReader(codecs.StreamReader):
    _alphabet: ClassVar[Alphabet] = DEFAULT
    _name: ClassVar[str] = CODEC_NAME

    def decode(self, input: Any, errors: str = "strict") -> tuple[str, int]:
        # StreamReader.read keeps what decode leaves unconsumed in self.bytebuffer and calls
        # decode once more with exactly that buffer when the stream has nothing more: that call
        # is the final one, where a lone trailing escape is an error and not data to wait for.
        final = bool(self.bytebuffer) and bytes(input) == self.bytebuffer
        return decode(input, errors, self._alphabet, final, self._name)


def codec_info(alphabet: Alphabet = DEFAULT, name: str | None = None) -> codecs.CodecInfo:
    """A complete :class:`codecs.CodecInfo` for *alphabet* (stateless, incremental and stream coders)."""
    if name is None:
        name = codec_name(alphabet.locking, alphabet.single)
    attrs = {"_alphabet": alphabet, "_name": name}

    def enc(text: str, errors: str = "strict") -> tuple[bytes, int]:
        return encode(text, errors, alphabet, name)

    def dec(data: Any, errors: str = "strict") -> tuple[str, int]:
        return decode(data, errors, alphabet, True, name)

    reader: type[_StreamReader] = type("StreamReader", (_StreamReader,), attrs)
    writer: type[_StreamWriter] = type("StreamWriter", (_StreamWriter,), attrs)
    inc_enc: type[_IncrementalEncoder] = type("IncrementalEncoder", (_IncrementalEncoder,), attrs)
    inc_dec: type[_IncrementalDecoder] = type("IncrementalDecoder", (_IncrementalDecoder,), attrs)
    return codecs.CodecInfo(
        enc,
        dec,
        streamreader=reader,
        streamwriter=writer,
        incrementalencoder=inc_enc,
        incrementaldecoder=inc_dec,
        name=name,
    )


def codec_name(locking: int | None = None, single: int | None = None) -> str:
    """The codec name for a locking / single-shift table pair (national language ids, or None).

    >>> codec_name(), codec_name(1, 1), codec_name(None, 2), codec_name(3, None), codec_name(1, 2)
    ('gsm-7', 'gsm-7-tr', 'gsm-7-es-single', 'gsm-7-pt-locking', 'gsm-7-tr-es')
    """
    for lang in (locking, single):
        if lang is not None and lang not in _LANGUAGE_CODES:
            msg = f"unknown national language id {lang!r}: use 1..13 (TS 23.038 §6.2.1.2.4) or None"
            raise ValueError(msg)
    if locking is None and single is None:
        return CODEC_NAME
    if locking is None:
        return f"{CODEC_NAME}-{_LANGUAGE_CODES[single]}-single"  # type: ignore[index]
    if single is None:
        return f"{CODEC_NAME}-{_LANGUAGE_CODES[locking]}-locking"
    if locking == single:
        return f"{CODEC_NAME}-{_LANGUAGE_CODES[locking]}"
    return f"{CODEC_NAME}-{_LANGUAGE_CODES[locking]}-{_LANGUAGE_CODES[single]}"


def national_alphabet(locking: int | None, single: int | None) -> Alphabet | None:
    """The :class:`~smsencode.alphabet.Alphabet` of a national table pair, or None if not available.

    ``None`` for either id means the default table. The result is ``None`` when the library has
    no such table (an id outside 1..13, or a locking table the language does not have).
    """
    if locking is None and single is None:
        return DEFAULT
    try:
        return _national_alphabet(locking, single)
    except (TypeError, ValueError):
        return None


def _parse_name(name: str) -> tuple[int | None, int | None] | None:
    """The (locking, single) table pair a normalised codec name asks for, or None if not ours."""
    words = name.split("_")
    if words[:2] != ["gsm", "7"] or len(words) > 4:
        return None
    rest = words[2:]
    if not rest:
        return (None, None)
    first = LANGUAGES.get(rest[0])
    if first is None:
        return None
    if len(rest) == 1:
        # "gsm-7-<lang>": both of the language's tables, or the one it has (Spanish has only
        # a single shift table).
        for pair in ((first, first), (None, first), (first, None)):
            if national_alphabet(*pair) is not None:
                return pair
        return None
    if rest[1] == "locking":
        return (first, None)
    if rest[1] == "single":
        return (None, first)
    second = LANGUAGES.get(rest[1])
    return None if second is None else (first, second)


def search(name: str) -> codecs.CodecInfo | None:
    """The codec search function: a :class:`codecs.CodecInfo` for the names above, else None."""
    pair = _parse_name(name.lower().replace("-", "_").replace(" ", "_"))
    return None if pair is None else _codec_for(*pair)


# Keyed by table pair, not by name: names that are not ours are never remembered, so looking up
# arbitrary names (say, charsets from incoming messages) cannot grow it.
@functools.cache
def _codec_for(locking: int | None, single: int | None) -> codecs.CodecInfo | None:
    alphabet = national_alphabet(locking, single)
    return None if alphabet is None else codec_info(alphabet)


@functools.cache
def register() -> None:
    """Register :func:`search` with :mod:`codecs` (once; later calls do nothing).

    Importing :mod:`smsencode` calls this.
    """
    codecs.register(search)
