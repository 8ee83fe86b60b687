"""Units, boundaries, parts and truncation: the hot path of smsencode.

Strategy: every decision is made with a handful of C-level scans (``re`` and ``str`` methods), and
the Python-level work is per part or per two-unit character, never per character.

* GSM-7: one possessive ``re`` match takes the run of one-septet characters; repeated from each
  extension character it finds, it validates the text and locates its two-septet characters in
  one pass. UTF-16: the units are the length of ``text.encode("utf-16-le")`` halved.
* A message that fits one part is done there.
* Splitting walks *parts*. In GSM-7 the furthest code-point boundary that fits a part comes from
  the positions of the extension characters by arithmetic (``bisect``); in UTF-16 with astral
  characters, from the encoded bytes (a cut never follows a high surrogate) decoded once per part.
  Only that one boundary is then checked for grapheme-cluster safety (UAX #29): in default-alphabet
  GSM-7 the only multi-character cluster is CR LF; elsewhere the two characters around the cut are
  looked up in a memo of the ``regex`` module's grapheme properties, and ``regex`` ``\\X`` is asked
  for the clusters only when one of them can join a cluster. A cut therefore never falls inside an
  escape pair (an extension character is one code point), a surrogate pair (one code point in a
  Python str), or a grapheme cluster that could fit a part of its own.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from smsencode import policies
from smsencode.alphabet import DEFAULT, GRAPHEME, JOINS, Alphabet, definite_break, joins
from smsencode.errors import InvalidCharactersError, TooManyPartsError
from smsencode.options import (
    Encoding,
    InvalidCharacters,
    parse_encoding,
    parse_invalid_characters,
)

if TYPE_CHECKING:
    from smsencode.national import NationalLanguage

__all__ = [
    "MAX_PARTS",
    "Segmentation",
    "gsm7_capacity",
    "segment",
    "utf16_capacity",
]

#: The concatenation information element numbers parts in one octet (TS 23.040 §9.2.3.24.1).
MAX_PARTS = 255

#: Octets of TP-UD in one SMS (TS 23.040 §9.2.3.24: 140 octets, user data header included).
_TP_UD_OCTETS = 140

#: UDH octets of the concatenation IE, UDHL included: IEI 0x00 (8-bit reference) takes
#: 1 + 2 + 3, IEI 0x08 (16-bit reference) 1 + 2 + 4 (TS 23.040 §9.2.3.24.1, §9.2.3.24.8).
_CONCAT_UDH_OCTETS = {8: 6, 16: 7}

_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")

# Enum members as module constants: an attribute of an Enum class costs several times a global.
_GSM7_ENC = Encoding.GSM7
_UTF16_ENC = Encoding.UTF16
_TO_UTF16_POLICY = InvalidCharacters.TO_UTF16
_REFUSE = InvalidCharacters.REFUSE
_REPLACE = InvalidCharacters.REPLACE
_TRANSLITERATE = InvalidCharacters.TRANSLITERATE

# The defaults of segment(), recognised by identity on its fast path.
_GSM7 = "GSM7"
_TO_UTF16 = "TO_UTF16"
# The run pattern matches at every position (possibly empty), so its matches are never None.
_DEFAULT_RUN: Callable[..., re.Match[str]] = DEFAULT.run_re.match  # type: ignore[assignment]

# Fast paths for the spellings most callers pass; anything else goes through the parsers, which
# give the helpful errors.
_FAST_ENCODINGS = {"GSM7": Encoding.GSM7, "UTF16": Encoding.UTF16}
_FAST_POLICIES = {p.value: p for p in InvalidCharacters}


def gsm7_capacity(udh_octets: int) -> int:
    """Septets that fit in one part beside *udh_octets* of user data header (UDHL included).

    >>> gsm7_capacity(0), gsm7_capacity(6), gsm7_capacity(7)
    (160, 153, 152)
    """
    return (_TP_UD_OCTETS - udh_octets) * 8 // 7


def utf16_capacity(udh_octets: int) -> int:
    """UTF-16 code units that fit in one part beside *udh_octets* of user data header.

    >>> utf16_capacity(0), utf16_capacity(6), utf16_capacity(7)
    (70, 67, 66)
    """
    return (_TP_UD_OCTETS - udh_octets) // 2


class Segmentation:
    """How one text travels as SMS: its encoding, its parts and what was done to it.

    Returned by :func:`segment`; its public attributes are read-only.
    ``"".join(s.parts) == s.text`` always holds, and
    ``s.text + s.dropped`` is the text after the invalid-character policy.
    """

    __slots__ = (
        "_alphabet",
        "_capacity",
        "_dropped",
        "_encoding",
        "_national",
        "_part_units",
        "_parts",
        "_reference_bits",
        "_replacements",
        "_text",
        "_units",
    )

    _text: str
    _encoding: Encoding
    _parts: tuple[str, ...]
    _units: int
    _capacity: int
    _dropped: str
    _replacements: tuple[tuple[int, str, str], ...]
    _alphabet: Alphabet | None
    _reference_bits: int
    _national: NationalLanguage | None
    _part_units: tuple[int, ...]

    def __init__(self, **fields: Any) -> None:
        msg = "Segmentation objects are made by smsencode.segment(); call that instead"
        raise TypeError(msg)

    @property
    def text(self) -> str:
        """The text that is sent: after the invalid-character policy and truncation."""
        return self._text

    @property
    def encoding(self) -> Encoding:
        """:attr:`Encoding.GSM7` or :attr:`Encoding.UTF16`."""
        return self._encoding

    @property
    def parts(self) -> tuple[str, ...]:
        """The text of each part, in order; they join to :attr:`text`."""
        return self._parts

    @property
    def part_count(self) -> int:
        """How many SMS are sent (and billed): ``len(parts)``."""
        return len(self._parts)

    @property
    def units(self) -> int:
        """Septets (GSM-7) or UTF-16 code units of :attr:`text`, user data headers not included."""
        return self._units

    @property
    def part_capacity(self) -> int:
        """Units that fit in each part of this message (160/153/152 or 70/67/66, less with
        national language shift tables)."""
        return self._capacity

    @property
    def part_units(self) -> tuple[int, ...]:
        """Units in each part."""
        return self._part_units

    @property
    def remaining(self) -> int:
        """Units still free in the last part."""
        return self._capacity - self._part_units[-1]

    @property
    def truncated(self) -> bool:
        """True when ``max_parts`` cut the text; the cut text is in :attr:`dropped`."""
        return bool(self._dropped)

    @property
    def dropped(self) -> str:
        """The text cut off by ``max_parts`` (empty when nothing was cut)."""
        return self._dropped

    @property
    def replacements(self) -> tuple[tuple[int, str, str], ...]:
        """Each change the REPLACE or TRANSLITERATE policy made: ``(index, original, replacement)``,
        *index* counting code points of the text as given."""
        return self._replacements

    @property
    def national_language(self) -> NationalLanguage | None:
        """The national language shift tables in force, or ``None`` for the default alphabet."""
        return self._national

    @property
    def reference_bits(self) -> int:
        """Width of the concatenation reference the parts were sized for (8 or 16)."""
        return self._reference_bits

    @property
    def alphabet(self) -> Alphabet | None:
        """The GSM-7 tables used (``None`` for UTF-16)."""
        return self._alphabet

    def user_data(self, reference: int | None = None, *, packed: bool = True) -> list[bytes]:
        """The TP-UD of each part: user data header when multipart, then the payload.

        GSM-7 is packed into septets with the fill bits that align the first character, or one
        septet per octet with ``packed=False`` (SMPP ``short_message``); UTF-16 is UTF-16-BE.
        *reference* is the concatenation reference (0..255, or 0..65535 with 16-bit references);
        a message of more than one part needs one: see :class:`smsencode.pdu.ReferenceAllocator`.
        """
        from smsencode import pdu

        return pdu.segmentation_user_data(self, reference=reference, packed=packed)

    def user_data_lengths(self, *, packed: bool = True) -> list[int]:
        """The TP-UDL of each part: septets (header included) for packed GSM-7, octets otherwise
        (with ``packed=False``, the SMPP ``sm_length`` of each unpacked part)."""
        from smsencode import pdu

        return pdu.segmentation_user_data_lengths(self, packed=packed)

    @property
    def udhi(self) -> bool:
        """TP-UDHI (SMPP ``esm_class`` bit 0x40): whether each part starts with a user data
        header (a concatenated message, or national language shift tables)."""
        return len(self._parts) > 1 or self._national is not None

    def data_coding(self, *, flash: bool = False) -> int:
        """The TP-DCS / SMPP ``data_coding`` value: 0x00 GSM-7, 0x08 UCS-2; class 0 (flash) 0x10 / 0x18."""
        from smsencode import pdu

        return pdu.segmentation_data_coding(self, flash=flash)

    def __repr__(self) -> str:
        extra = ""
        if self._dropped:
            extra += f", dropped={len(self._dropped)} chars"
        if self._replacements:
            extra += f", replacements={len(self._replacements)}"
        if self._national is not None:
            extra += f", national_language={self._national}"
        return (
            f"<Segmentation {self._encoding.value} units={self._units} "
            f"parts={len(self._parts)}x{self._capacity}{extra}>"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Segmentation):
            return NotImplemented
        return (
            self._text == other._text
            and self._encoding == other._encoding
            and self._parts == other._parts
            and self._capacity == other._capacity
            and self._dropped == other._dropped
            and self._replacements == other._replacements
            and self._national == other._national
            and self._reference_bits == other._reference_bits
        )

    def __hash__(self) -> int:
        return hash((self._text, self._encoding, self._parts, self._capacity, self._dropped))

    def __reduce__(self) -> tuple[Any, ...]:
        # Positional fields, rebuilt by _make: compact and quick for results crossing processes.
        return (
            _make,
            (
                self._text, self._encoding, self._parts, self._units, self._capacity,
                self._dropped, self._replacements, self._alphabet, self._reference_bits,
                self._national, self._part_units,
            ),
        )  # fmt: skip


_new = object.__new__


def _make(
    text: str,
    encoding: Encoding,
    parts: tuple[str, ...],
    units: int,
    capacity: int,
    dropped: str,
    replacements: tuple[tuple[int, str, str], ...],
    alphabet: Alphabet | None,
    reference_bits: int,
    national: NationalLanguage | None,
    part_units: tuple[int, ...],
) -> Segmentation:
    # Built field by field, bypassing __init__: this runs once per message on the hot path.
    seg = _new(Segmentation)
    seg._text = text
    seg._encoding = encoding
    seg._parts = parts
    seg._units = units
    seg._capacity = capacity
    seg._dropped = dropped
    seg._replacements = replacements
    seg._alphabet = alphabet
    seg._reference_bits = reference_bits
    seg._national = national
    seg._part_units = part_units
    return seg


def segment(
    text: str,
    *,
    encoding: Encoding | str = _GSM7,
    invalid_characters: InvalidCharacters | str = _TO_UTF16,
    max_parts: int | None = None,
    reference_bits: int = 8,
    national_languages: Iterable[str] = (),
    replacement: str = " ",
) -> Segmentation:
    """Decide how *text* travels as SMS: encoding, policy, parts and truncation.

    >>> s = smsencode.segment("Price: 10€ {promo}")
    >>> s.encoding.value, s.units, s.part_count, s.remaining
    ('GSM7', 21, 1, 139)
    >>> smsencode.segment("a" * 152 + "{" + "a" * 152).part_units  # no escape pair is split
    (152, 153, 1)
    >>> smsencode.segment("Ok 👍", invalid_characters="REPLACE").text
    'Ok  '

    Args:
        text: The message.
        encoding: ``"GSM7"`` (also ``"STANDARD"``, ``"GSM"``, ``"GSM-7"``) or ``"UTF16"`` (also
            ``"UTF-16"``, ``"UCS-2"``, ``"UCS2"``), or an :class:`Encoding`.
        invalid_characters: What to do when GSM-7 is asked for and *text* has characters outside
            it: ``"REFUSE"``, ``"REPLACE"``, ``"TO_UTF16"`` (the default) or ``"TRANSLITERATE"``.
        max_parts: Cut the text after this many parts (1..255); ``None`` allows up to 255 and
            raises beyond.
        reference_bits: 8 or 16, the width of the concatenation reference; 16 leaves one
            septet (or code unit) less per part.
        national_languages: Languages whose TS 23.038 national shift tables the receiving
            network supports (ISO 639-1 codes such as ``("tr",)``); the cheapest tables are chosen.
        replacement: What REPLACE puts in place of each offending grapheme cluster, and what
            TRANSLITERATE uses when nothing closer exists.

    Raises:
        InvalidCharactersError: the policy is REFUSE and *text* is not GSM-7, or *text* has a lone
            surrogate that the policy does not replace.
        TooManyPartsError: more than 255 parts are needed and *max_parts* is not given.
    """
    if (
        encoding is _GSM7
        and invalid_characters is _TO_UTF16
        and max_parts is None
        and reference_bits == 8
        and type(reference_bits) is int
        and not national_languages
        and type(text) is str
        and type(replacement) is str
    ):
        # The default options, which most traffic uses: nothing else to check. One pass of
        # the GSM-7 run pattern validates the text and finds its extension characters.
        m = _DEFAULT_RUN(text)
        if m.lastindex is None:
            if m.end() == len(text):  # one septet per character: most traffic
                units = len(text)
                if units <= 160:
                    return _make(
                        text, _GSM7_ENC, (text,), units, 160, "", (), DEFAULT, 8, None, (units,)
                    )
                return split_gsm7(text, DEFAULT, None, 8, (), [])
        else:
            wide = []
            while m.lastindex is not None:
                end = m.end()
                wide.append(end - 1)
                m = _DEFAULT_RUN(text, end)
            if m.end() == len(text):
                return split_gsm7(text, DEFAULT, None, 8, (), wide)
        try:
            encoded = text.encode("utf-16-le")
        except UnicodeEncodeError:  # a lone surrogate: split_utf16 says which
            return split_utf16(text, None, 8, (), _TO_UTF16_POLICY, replacement)
        units = len(encoded) >> 1
        if units <= 70:
            return _make(text, _UTF16_ENC, (text,), units, 70, "", (), None, 8, None, (units,))
        return split_utf16(text, None, 8, (), _TO_UTF16_POLICY, replacement, encoded)
    if type(text) is not str:
        if not isinstance(text, str):
            msg = f"text must be a str, not {type(text).__name__}"
            if isinstance(text, (bytes, bytearray)):
                msg += "; decode it first (for GSM-7 bytes: data.decode('gsm-7'))"
            raise TypeError(msg)
        text = str(text)
    enc = _FAST_ENCODINGS.get(encoding) if type(encoding) is str else None
    if enc is None:
        enc = parse_encoding(encoding)
    policy = _FAST_POLICIES.get(invalid_characters) if type(invalid_characters) is str else None
    if policy is None:
        policy = parse_invalid_characters(invalid_characters)
    if max_parts is not None:
        _check_max_parts(max_parts)
    if (reference_bits != 8 and reference_bits != 16) or type(reference_bits) is not int:
        _check_reference_bits(reference_bits)
    if type(replacement) is not str:
        msg = f"replacement must be a str, not {type(replacement).__name__}"
        raise TypeError(msg)
    if national_languages:
        from smsencode import national

        return national.segment_national(
            text, enc, policy, max_parts, reference_bits, national_languages, replacement
        )

    replacements: tuple[tuple[int, str, str], ...] = ()
    if enc is _GSM7_ENC:
        alphabet = DEFAULT
        ok, wide = alphabet.scan(text)
        if ok:
            return split_gsm7(text, alphabet, max_parts, reference_bits, (), wide)
        if policy is _TO_UTF16_POLICY:
            return split_utf16(text, max_parts, reference_bits, (), policy, replacement)
        if policy is _REFUSE:
            raise policies.refusal(text, alphabet)
        _check_gsm_replacement(replacement, alphabet)
        if policy is _REPLACE:
            text, replacements = policies.replace(text, alphabet, replacement)
        else:
            text, replacements = policies.transliterate(text, alphabet, replacement)
        return split_gsm7(text, alphabet, max_parts, reference_bits, replacements, None)
    return split_utf16(text, max_parts, reference_bits, replacements, policy, replacement)


def split_gsm7(
    text: str,
    alphabet: Alphabet,
    max_parts: int | None,
    reference_bits: int,
    replacements: tuple[tuple[int, str, str], ...],
    wide: list[int] | None,
    national: NationalLanguage | None = None,
) -> Segmentation:
    """Split *text*, known to be entirely in *alphabet*, into GSM-7 parts.

    *wide* holds the indexes of its two-septet characters, or is None to have them found.
    """
    udh = alphabet.udh_octets
    if udh:
        single_cap = gsm7_capacity(udh + 1)
        multi_cap = gsm7_capacity(udh + _CONCAT_UDH_OCTETS[reference_bits])
    else:
        single_cap, multi_cap = 160, (153 if reference_bits == 8 else 152)
    n = len(text)
    # Only the part of the text that can still be sent matters when max_parts cuts it: every
    # character takes at least one septet, so max_parts parts hold at most max_parts*cap chars.
    scan_end = n
    if max_parts is not None:
        scan_end = min(n, max_parts * (single_cap if max_parts == 1 else multi_cap) + 1)
    # Positions of the two-septet characters; ordinary text has few, so few Match objects.
    if wide is None:
        wide = _double_positions(text, alphabet, scan_end)
    units = n + len(wide) if scan_end == n else -1
    if 0 <= units <= single_cap:
        return _make(
            text, _GSM7_ENC, (text,), units, single_cap, "", replacements,
            alphabet, reference_bits, national, (units,),
        )  # fmt: skip
    if max_parts == 1:
        cap, limit = single_cap, 1
    else:
        cap = multi_cap
        limit = max_parts if max_parts is not None else MAX_PARTS
        if max_parts is None and units > MAX_PARTS * cap:
            raise _too_many(units, cap, _GSM7_ENC)
    complex_graphemes = alphabet.complex_graphemes
    parts: list[str] = []
    part_units: list[int] = []
    s = 0  # start of the current part (character index)
    if not wide:
        if not complex_graphemes and "\r" not in text:
            # One septet per character and no cluster to keep whole: parts of cap characters.
            stop = min(n, limit * cap)
            if max_parts is None and stop < n:
                raise _too_many(units, cap, _GSM7_ENC, at_least=limit + 1)
            return _sliced(
                text, _GSM7_ENC, stop, cap, single_cap, replacements, alphabet,
                reference_bits, national,
            )  # fmt: skip
        # One septet per character: a part is cap characters, less a CR that would leave its LF.
        while s < n:
            if len(parts) == limit:
                if max_parts is None:
                    raise _too_many(units, cap, _GSM7_ENC, at_least=limit + 1)
                break
            e = s + cap
            if e >= n:
                e = n
            elif not complex_graphemes:
                if text[e - 1] == "\r" and text[e] == "\n":
                    e -= 1
            elif not definite_break(text, e):
                e = _cluster_safe_cut(text, s, e, cap, _plain_units)
            parts.append(text[s:e])
            part_units.append(e - s)
            s = e
        return _finish(
            text, _GSM7_ENC, parts, part_units, s, single_cap, cap, replacements, alphabet,
            reference_bits, national,
        )  # fmt: skip

    # starts[j]: septet offset at which two-septet character j begins; j counts the two-septet
    # characters before a position, so septets(s..e) = (e - s) + (j_e - j_s).
    starts = [p + j for j, p in enumerate(wide)]
    nwide = len(wide)

    def units_between(a: int, b: int) -> int:
        return b - a + bisect_left(wide, b) - bisect_left(wide, a)

    js = 0
    while s < n:
        if len(parts) == limit:
            if max_parts is None:
                raise _too_many(units, cap, _GSM7_ENC, at_least=limit + 1)
            break
        # The furthest code-point boundary e with septets(s..e) <= cap, by arithmetic on the
        # positions of the two-septet characters: an escape pair is never split.
        target = s + js + cap
        j = bisect_right(starts, target - 2)
        e = target - j
        if j < nwide and wide[j] < e:
            e = wide[j]
        if e >= n:
            e = n
            j = nwide
        elif not complex_graphemes:
            if text[e - 1] == "\r" and text[e] == "\n":
                e -= 1
        elif not definite_break(text, e):
            e = _cluster_safe_cut(text, s, e, cap, units_between)
            j = bisect_left(wide, e)
        parts.append(text[s:e])
        part_units.append(e - s + j - js)
        s, js = e, j
    return _finish(
        text, _GSM7_ENC, parts, part_units, s, single_cap, cap, replacements, alphabet,
        reference_bits, national,
    )  # fmt: skip


def _double_positions(text: str, alphabet: Alphabet, end: int) -> list[int]:
    """Sorted indexes of the two-septet characters in ``text[:end]``."""
    doubles = alphabet.double_chars
    if end < 2000 or len(doubles) > 16:
        # Short texts, and national single shift tables with many characters: one regex scan.
        return [m.start() for m in alphabet.double_re.finditer(text, 0, end)]
    # On long texts str.find runs at memory-scan speed, several times faster than a regex
    # character class, and the default extension table has only ten characters.
    out: list[int] = []
    find = text.find
    for ch in doubles:
        i = find(ch, 0, end)
        while i >= 0:
            out.append(i)
            i = find(ch, i + 1, end)
    out.sort()
    return out


def _plain_units(a: int, b: int) -> int:
    return b - a


def split_utf16(
    text: str,
    max_parts: int | None,
    reference_bits: int,
    replacements: tuple[tuple[int, str, str], ...],
    policy: InvalidCharacters,
    replacement: str,
    encoded: bytes | None = None,
) -> Segmentation:
    """Split *text* into UTF-16 parts (lone surrogates handled by *policy*).

    *encoded*, when given, is ``text.encode("utf-16-le")``.
    """
    if encoded is not None:
        units = len(encoded) >> 1
    elif text.isascii():
        units = len(text)
        encoded = b""
    else:
        try:
            encoded = text.encode("utf-16-le")
        except UnicodeEncodeError:
            text, more = _lone_surrogates(text, policy, replacement)
            replacements += more
            encoded = text.encode("utf-16-le")
        units = len(encoded) >> 1
    if units <= 70:
        return _make(
            text, _UTF16_ENC, (text,), units, 70, "", replacements, None,
            reference_bits, None, (units,),
        )  # fmt: skip
    if max_parts == 1:
        cap, limit = 70, 1
    else:
        cap = 67 if reference_bits == 8 else 66  # utf16_capacity(6 or 7)
        limit = max_parts if max_parts is not None else MAX_PARTS
        if max_parts is None and units > MAX_PARTS * cap:
            raise _too_many(units, cap, _UTF16_ENC)
    n = len(text)
    parts: list[str] = []
    part_units: list[int] = []
    s = o = 0  # start of the current part: character index, code-unit offset
    memo = JOINS
    if units == n:  # no astral characters: a code unit per character
        while s < n:
            if len(parts) == limit:
                if max_parts is None:
                    raise _too_many(units, cap, _UTF16_ENC, at_least=limit + 1)
                break
            e = s + cap
            if e >= n:
                e = n
            else:
                a, b = text[e - 1], text[e]  # inlined definite_break(): once per part
                try:
                    joined = memo[a] or memo[b]
                except KeyError:
                    joined = joins(a) or joins(b)
                if joined or (a == "\r" and b == "\n"):
                    e = _cluster_safe_cut(text, s, e, cap, _plain_units)
            parts.append(text[s:e])
            part_units.append(e - s)
            s = e
        # Built here rather than by _finish: this is the path of most UTF-16 traffic.
        seg = _new(Segmentation)
        if s < n:
            seg._text, seg._dropped = text[:s], text[s:]
        else:
            seg._text, seg._dropped = text, ""
        seg._encoding = _UTF16_ENC
        seg._parts = tuple(parts)
        seg._units = s
        seg._capacity = cap if len(parts) > 1 else 70
        seg._replacements = replacements
        seg._alphabet = None
        seg._reference_bits = reference_bits
        seg._national = None
        seg._part_units = tuple(part_units)
        return seg

    def units_between(a: int, b: int) -> int:
        return len(text[a:b].encode("utf-16-le")) >> 1

    while s < n:
        if len(parts) == limit:
            if max_parts is None:
                raise _too_many(units, cap, _UTF16_ENC, at_least=limit + 1)
            break
        t = o + cap
        if t >= units:
            parts.append(text[s:])
            part_units.append(units - o)
            s = n
            break
        # Work in code units on the UTF-16 bytes: never end on a high surrogate; the part's
        # text is those bytes decoded (both C-level).
        if 0xD8 <= encoded[2 * t - 1] <= 0xDB:
            t -= 1
        part = encoded[2 * o : 2 * t].decode("utf-16-le")
        e = s + len(part)
        a, b = text[e - 1], text[e]
        try:
            joined = memo[a] or memo[b]
        except KeyError:
            joined = joins(a) or joins(b)
        if joined or (a == "\r" and b == "\n"):
            e2 = _cluster_safe_cut(text, s, e, cap, units_between)
            if e2 != e:
                part = text[s:e2]
                t = o + units_between(s, e2)
                e = e2
        parts.append(part)
        part_units.append(t - o)
        s, o = e, t
    return _finish(
        text, _UTF16_ENC, parts, part_units, s, 70, cap, replacements, None, reference_bits,
        None,
    )  # fmt: skip


def _sliced(
    text: str,
    encoding: Encoding,
    stop: int,
    cap: int,
    single_cap: int,
    replacements: tuple[tuple[int, str, str], ...],
    alphabet: Alphabet | None,
    reference_bits: int,
    national: NationalLanguage | None,
) -> Segmentation:
    """The result for ``text[:stop]`` in parts of *cap* characters of one unit each."""
    full, rest = divmod(stop, cap)
    part_units = (cap,) * full + ((rest,) if rest else ())
    seg = _new(Segmentation)
    seg._text = text[:stop] if stop < len(text) else text
    seg._encoding = encoding
    seg._parts = tuple([text[i : i + cap] for i in range(0, stop, cap)])
    seg._units = stop
    # a text cut to one part is a single SMS, without UDH
    seg._capacity = single_cap if len(part_units) == 1 else cap
    seg._dropped = text[stop:]
    seg._replacements = replacements
    seg._alphabet = alphabet
    seg._reference_bits = reference_bits
    seg._national = national
    seg._part_units = part_units
    return seg


def _finish(
    text: str,
    encoding: Encoding,
    parts: list[str],
    part_units: list[int],
    kept: int,
    single_cap: int,
    cap: int,
    replacements: tuple[tuple[int, str, str], ...],
    alphabet: Alphabet | None,
    reference_bits: int,
    national: NationalLanguage | None,
) -> Segmentation:
    """The result of a split that kept ``text[:kept]`` in *parts*."""
    dropped = ""
    if kept < len(text):
        dropped = text[kept:]
        text = text[:kept]
    if len(parts) == 1:
        cap = single_cap  # a text cut to one part is a single SMS, without UDH
    seg = _new(Segmentation)
    seg._text = text
    seg._encoding = encoding
    seg._parts = tuple(parts)
    seg._units = sum(part_units)
    seg._capacity = cap
    seg._dropped = dropped
    seg._replacements = replacements
    seg._alphabet = alphabet
    seg._reference_bits = reference_bits
    seg._national = national
    seg._part_units = tuple(part_units)
    return seg


def _lone_surrogates(
    text: str, policy: InvalidCharacters, replacement: str
) -> tuple[str, tuple[tuple[int, str, str], ...]]:
    found = tuple((m.start(), m.group()) for m in _LONE_SURROGATE.finditer(text))
    if policy is _REPLACE or policy is _TRANSLITERATE:
        if _LONE_SURROGATE.search(replacement):
            msg = f"replacement {replacement!r} holds a lone surrogate; pick a printable replacement"
            raise ValueError(msg)
        return _LONE_SURROGATE.sub(replacement, text), tuple((i, c, replacement) for i, c in found)
    raise InvalidCharactersError(
        found,
        hint=(
            "a lone surrogate is half of a UTF-16 pair and cannot be sent in any encoding; fix "
            "the input (it was split inside a pair or decoded with 'surrogateescape'), or pass "
            "invalid_characters='REPLACE' to replace it"
        ),
    )


def _cluster_safe_cut(
    text: str, s: int, e: int, cap: int, units_between: Callable[[int, int], int]
) -> int:
    """Move the code-point boundary *e* (``s < e < len(text)``, not a grapheme boundary for
    sure) back to the start of the cluster that crosses it, when that cluster fits a part.

    A cluster larger than a part (or one that began before this part, having been cut already)
    is cut at *e* itself, a code-point boundary.
    """
    # Find a boundary to start \X from: walk back to a pair of characters that cannot join.
    anchor = e - 1
    while anchor > s and not definite_break(text, anchor):
        anchor -= 1
    for m in GRAPHEME.finditer(text, anchor, min(len(text), e + cap + 1)):
        start, stop = m.span()
        if stop > e:
            if start == e:
                return e
            if start > s and units_between(start, stop) <= cap:
                return int(start)
            return e
    return e


def _too_many(units: int, cap: int, encoding: Encoding, at_least: int | None = None) -> TooManyPartsError:
    needed = at_least if at_least is not None else -(-units // cap)
    unit = "septets" if encoding is _GSM7_ENC else "UTF-16 code units"
    what = f"at least {needed}" if at_least is not None else f"{needed}"
    msg = (
        f"the text needs {what} parts ({units if units >= 0 else 'over ' + str(MAX_PARTS * cap)} "
        f"{unit} at {cap} per part) but a concatenated SMS has at most {MAX_PARTS}; "
        f"pass max_parts=N (1..{MAX_PARTS}) to cut it, or shorten it"
    )
    return TooManyPartsError(msg, parts_needed=needed)


def _check_max_parts(max_parts: object) -> None:
    if type(max_parts) is not int:
        msg = f"max_parts must be an int from 1 to {MAX_PARTS} or None, not {type(max_parts).__name__}"
        raise TypeError(msg)
    if not 1 <= max_parts <= MAX_PARTS:
        msg = f"max_parts must be from 1 to {MAX_PARTS} (or None for no limit), not {max_parts}"
        raise ValueError(msg)


def _check_reference_bits(reference_bits: object) -> None:
    if type(reference_bits) is not int:
        msg = f"reference_bits must be the int 8 or 16, not {type(reference_bits).__name__}"
        raise TypeError(msg)
    msg = f"reference_bits must be 8 or 16 (the concatenation reference width), not {reference_bits}"
    raise ValueError(msg)


def _check_gsm_replacement(replacement: str, alphabet: Alphabet) -> None:
    if alphabet.all_re.fullmatch(replacement) is None:
        bad = alphabet.invalid_re.search(replacement)
        assert bad is not None
        msg = (
            f"replacement {replacement!r} must itself be GSM-7, but {bad.group()!r} "
            f"(U+{ord(bad.group()):04X}) is not; use for example ' ' or '?'"
        )
        raise ValueError(msg)
