"""The wire format: septet packing, user data headers, DCS, TP-UD, decoding and reassembly.

Follows 3GPP TS 23.038 §4 (data coding scheme) and §6.1.2.1 (packing of 7-bit characters), and
TS 23.040 §9.2.3.16 (TP-UDL) and §9.2.3.24 (TP-UD and its user data header).

>>> from smsencode import pdu
>>> pdu.pack_septets("hellohello".encode("gsm-7")).hex().upper()
'E8329BFD4697D9EC37'
>>> ud = pdu.build_udh([pdu.concatenation_ie(0x2A, 2, 1)]) + pdu.pack_septets(b"hi", fill_bits=1)
>>> decoded = pdu.decode_user_data(ud, 0x00, udhi=True)
>>> decoded.text, decoded.header.concatenation
('hi', Concatenation(reference=42, total=2, sequence=1, bits=8))

Everything here is pure: no clocks, no I/O. The two stateful helpers, :class:`ReferenceAllocator`
and :class:`Reassembler`, are objects the caller owns (and, for reassembly, feeds the time to).
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from smsencode.alphabet import DEFAULT, ESC, Alphabet
from smsencode.codec import decode_septets, national_alphabet
from smsencode.errors import DecodeError, InvalidSeptetError, InvalidUDHError

if TYPE_CHECKING:
    from smsencode.segment import Segmentation

#: What the functions taking octets accept.
BytesLike = bytes | bytearray | memoryview

__all__ = [
    "IEI_APPLICATION_PORT_8",
    "IEI_APPLICATION_PORT_16",
    "IEI_CONCATENATION_8",
    "IEI_CONCATENATION_16",
    "IEI_LOCKING_SHIFT",
    "IEI_SINGLE_SHIFT",
    "TP_UD_OCTETS",
    "AddResult",
    "ApplicationPorts",
    "Charset",
    "Concatenation",
    "InformationElement",
    "PartStatus",
    "PendingMessage",
    "RawUserData",
    "Reassembler",
    "ReferenceAllocator",
    "UserData",
    "UserDataHeader",
    "application_ports_ie",
    "build_udh",
    "charset",
    "concatenation_ie",
    "data_coding",
    "decode_user_data",
    "encode_user_data",
    "fill_bits",
    "locking_shift_ie",
    "pack_septets",
    "parse_udh",
    "parse_user_data",
    "segmentation_data_coding",
    "segmentation_udhi",
    "segmentation_user_data",
    "segmentation_user_data_lengths",
    "single_shift_ie",
    "unpack_septets",
    "user_data_length",
]

#: Octets of TP-UD in one SMS, user data header included (TS 23.040 §9.2.3.24).
TP_UD_OCTETS = 140

# Information element identifiers (TS 23.040 §9.2.3.24, table 9.2.3.24).
#: Concatenated short messages, 8-bit reference (§9.2.3.24.1).
IEI_CONCATENATION_8 = 0x00
#: Application port addressing, 8-bit ports (§9.2.3.24.3).
IEI_APPLICATION_PORT_8 = 0x04
#: Application port addressing, 16-bit ports (§9.2.3.24.4).
IEI_APPLICATION_PORT_16 = 0x05
#: Concatenated short messages, 16-bit reference (§9.2.3.24.8).
IEI_CONCATENATION_16 = 0x08
#: National language single shift (§9.2.3.24.15).
IEI_SINGLE_SHIFT = 0x24
#: National language locking shift (§9.2.3.24.16).
IEI_LOCKING_SHIFT = 0x25

# The data length each known IE must have; anything else is a malformed header.
_KNOWN_IE_LENGTHS = {
    IEI_CONCATENATION_8: 3,
    IEI_APPLICATION_PORT_8: 2,
    IEI_APPLICATION_PORT_16: 4,
    IEI_CONCATENATION_16: 4,
    IEI_SINGLE_SHIFT: 1,
    IEI_LOCKING_SHIFT: 1,
}


# --------------------------------------------------------------------------------------------
# Septet packing (TS 23.038 §6.1.2.1)
#
# Packing: the septets are read as one little-endian integer with a septet in every octet,
# then squeezed in three mask-and-shift rounds (8 -> 7 bits per 16-bit slot holding two septets,
# 16 -> 14 in 32-bit slots, 32 -> 28 in 64-bit slots); every 64-bit slot then holds 56 bits, and
# deleting every eighth octet leaves the packed stream.
#
# Unpacking: the packed stream is one integer with septet i at bit 7i, and septet i must move
# up by i bits. Round k (from the highest bit of the last index down to 0) moves every septet
# whose index has bit k set up by 2**k bits; before it, septet i sits at 7i plus the part of i
# above bit k, so the septets that move form blocks of 7 * 2**k bits repeating every 2**(k+4)
# bits, and no septet ever lands on another. That is log2(count) rounds of four big-integer
# operations, all in C.
#
# The masks are built once for a chunk of _CHUNK septets; longer inputs are handled chunk by
# chunk (a chunk packs to whole octets).
# --------------------------------------------------------------------------------------------

_CHUNK = 8192  # septets per chunk; a multiple of 8, so that it packs to exactly 7 * _CHUNK / 8 octets
_CHUNK_OCTETS = _CHUNK * 7 // 8
_LOW8_OF_16 = int.from_bytes(b"\xff\x00" * (_CHUNK // 2), "little")
_LOW16_OF_32 = int.from_bytes(b"\xff\xff\x00\x00" * (_CHUNK // 4), "little")
_LOW32_OF_64 = int.from_bytes(b"\xff\xff\xff\xff\x00\x00\x00\x00" * (_CHUNK // 8), "little")


def _spread_mask(k: int) -> int:
    """The septets unpacking round *k* moves: bits [7 * 2**k, 14 * 2**k) of every 2**(k+4)."""
    period = ((1 << (7 << k)) - 1) << (7 << k)
    return int.from_bytes(period.to_bytes(2 << k, "little") * (_CHUNK >> (k + 1)), "little")


_SPREAD_MASKS = tuple(_spread_mask(k) for k in range((_CHUNK - 1).bit_length()))


def _pack_chunk(septets: bytes) -> bytes:
    n = len(septets)
    octets = -(-n // 8) * 8
    x = int.from_bytes(septets, "little")
    lo = x & _LOW8_OF_16
    x = lo | ((x ^ lo) >> 1)
    lo = x & _LOW16_OF_32
    x = lo | ((x ^ lo) >> 2)
    lo = x & _LOW32_OF_64
    x = lo | ((x ^ lo) >> 4)
    out = bytearray(x.to_bytes(octets, "little"))
    del out[7::8]
    return bytes(out[: -(-7 * n // 8)])


def _unpack_chunk(x: int, count: int) -> bytes:
    """*count* septets (at most _CHUNK) from *x*, which holds septet i at bit 7i."""
    x &= (1 << 7 * count) - 1  # bits past the last septet would be moved onto it
    for k in range((count - 1).bit_length() - 1, -1, -1):
        moving = x & _SPREAD_MASKS[k]
        x = (x ^ moving) | (moving << (1 << k))
    return x.to_bytes(count, "little")


def _check_fill_bits(fill_bits: object) -> int:
    if isinstance(fill_bits, bool) or not isinstance(fill_bits, int):
        msg = f"fill_bits must be an int from 0 to 6, not {type(fill_bits).__name__}"
        raise TypeError(msg)
    if not 0 <= fill_bits <= 6:
        msg = f"fill_bits must be from 0 to 6, not {fill_bits}"
        raise ValueError(msg)
    return fill_bits


def _as_bytes(data: object, what: str) -> bytes:
    if isinstance(data, bytes):
        return data
    if isinstance(data, (bytearray, memoryview)):
        return bytes(data)
    msg = f"{what} must be bytes, bytearray or memoryview, not {type(data).__name__}"
    raise TypeError(msg)


def pack_septets(septets: BytesLike, fill_bits: int = 0) -> bytes:
    """Pack septets (one per byte, 0x00..0x7F) eight into seven octets (TS 23.038 §6.1.2.1.1).

    The first septet takes the low bits of the first octet, after *fill_bits* zero bits; the
    unused high bits of the last octet are zero. There is no CR padding: that is USSD's rule
    (§6.1.2.3.1), not SMS's, whose TP-UDL gives the septet count.

    >>> pack_septets(b"\\x68\\x65\\x6c\\x6c\\x6f").hex()
    'e8329bfd06'
    >>> pack_septets(b"\\x68\\x65\\x6c\\x6c\\x6f", fill_bits=1).hex()  # after a 6-octet UDH
    'd06536fb0d'

    Args:
        septets: Unpacked septets, e.g. from ``text.encode("gsm-7")``.
        fill_bits: Zero bits before the first septet (0..6): those that bring the first character
            to a septet boundary after a user data header (see :func:`fill_bits`).

    Raises:
        ValueError: A byte is 0x80 or above, or *fill_bits* is outside 0..6.
    """
    septets = _as_bytes(septets, "septets")
    fill = _check_fill_bits(fill_bits)
    if not septets.isascii():
        pos = next(i for i, b in enumerate(septets) if b >= 0x80)
        msg = f"septets must be 0x00..0x7F, but byte {pos} is 0x{septets[pos]:02X}"
        raise ValueError(msg)
    return _pack_valid(septets, fill)


def unpack_septets(data: BytesLike, count: int, fill_bits: int = 0) -> bytes:
    """Unpack *count* septets from packed *data*, skipping *fill_bits* first (TS 23.038 §6.1.2.1.1).

    *count* is required: 8n and 8n−1 septets pack into the same number of octets, and only the
    TP-UDL tells them apart.

    >>> unpack_septets(bytes.fromhex("E8329BFD4697D9EC37"), 10).decode("gsm-7")
    'hellohello'

    Raises:
        InvalidSeptetError: *data* is shorter than *count* septets need; ``offset`` is its length.
        ValueError: *count* is negative, or *fill_bits* outside 0..6.
    """
    data = _as_bytes(data, "data")
    fill = _check_fill_bits(fill_bits)
    if isinstance(count, bool) or not isinstance(count, int):
        msg = f"count must be an int, not {type(count).__name__}"
        raise TypeError(msg)
    if count < 0:
        msg = f"count must be 0 or more, not {count}"
        raise ValueError(msg)
    needed = (7 * count + fill + 7) // 8 if count else 0
    if len(data) < needed:
        msg = f"{count} septets after {fill} fill bits need {needed} octets, but there are only {len(data)}"
        raise InvalidSeptetError(msg, len(data))
    return _unpack_valid(data, count, fill)


def _unpack_valid(data: bytes, count: int, fill: int) -> bytes:
    """:func:`unpack_septets` for arguments known to be valid (*data* holds *count* septets)."""
    needed = (7 * count + fill + 7) // 8
    if count <= _CHUNK:
        return _unpack_chunk(int.from_bytes(data[:needed], "little") >> fill, count) if count else b""
    data = data[:needed]
    if fill:
        data = (int.from_bytes(data, "little") >> fill).to_bytes(needed, "little")
    return b"".join(
        _unpack_chunk(int.from_bytes(data[j : j + _CHUNK_OCTETS], "little"), min(_CHUNK, count - i))
        for i, j in zip(range(0, count, _CHUNK), range(0, needed, _CHUNK_OCTETS), strict=False)
    )


def fill_bits(udh_octets: int) -> int:
    """Fill bits between a user data header of *udh_octets* (UDHL included) and GSM-7 text.

    TS 23.040 §9.2.3.24: the first character starts on a septet boundary of the whole TP-UD.

    >>> fill_bits(6), fill_bits(7), fill_bits(0)
    (1, 0, 0)
    """
    return (7 - (udh_octets * 8) % 7) % 7


def _udh_septets(udh_octets: int) -> int:
    return (udh_octets * 8 + 6) // 7


# --------------------------------------------------------------------------------------------
# Information elements and the user data header (TS 23.040 §9.2.3.24)
# --------------------------------------------------------------------------------------------


def _check_int(value: object, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"{name} must be an int from {low} to {high}, not {type(value).__name__}"
        raise TypeError(msg)
    if not low <= value <= high:
        msg = f"{name} must be from {low} to {high}, not {value}"
        raise ValueError(msg)
    return value


def _check_bits(bits: object, name: str = "bits") -> Literal[8, 16]:
    if bits == 8 and not isinstance(bits, bool):
        return 8
    if bits == 16:
        return 16
    msg = f"{name} must be 8 or 16, not {bits!r}"
    raise ValueError(msg)


@dataclass(frozen=True)
class InformationElement:
    """One information element of a user data header: its identifier and its data, as on the wire.

    Elements the library does not interpret are kept as they are, so a header can be parsed
    and rebuilt without loss.
    """

    iei: int
    data: bytes

    def __post_init__(self) -> None:
        if type(self.iei) is not int or not 0 <= self.iei <= 255:
            _check_int(self.iei, "iei", 0, 255)
        if type(self.data) is not bytes:
            object.__setattr__(self, "data", _as_bytes(self.data, "data"))
        if len(self.data) > 255:
            msg = f"an information element holds at most 255 octets of data, not {len(self.data)}"
            raise ValueError(msg)

    def to_bytes(self) -> bytes:
        """IEI, IEDL and the data."""
        return bytes((self.iei, len(self.data))) + self.data


@dataclass(frozen=True)
class Concatenation:
    """A concatenated-message IE: *sequence* (1-based) of *total* parts sharing *reference*."""

    reference: int
    total: int
    sequence: int
    bits: Literal[8, 16] = 8

    def to_ie(self) -> InformationElement:
        """The IE (0x00 with an 8-bit reference, 0x08 with a 16-bit one)."""
        return concatenation_ie(self.reference, self.total, self.sequence, bits=self.bits)


@dataclass(frozen=True)
class ApplicationPorts:
    """An application port addressing IE (8-bit ports: IEI 0x04, 16-bit: IEI 0x05)."""

    destination: int
    source: int
    bits: Literal[8, 16] = 16

    def to_ie(self) -> InformationElement:
        """The IE (0x04 or 0x05)."""
        return application_ports_ie(self.destination, self.source, bits=self.bits)


def concatenation_ie(
    reference: int, total: int, sequence: int, *, bits: Literal[8, 16] = 8
) -> InformationElement:
    """The concatenation IE (TS 23.040 §9.2.3.24.1, §9.2.3.24.8).

    >>> concatenation_ie(0x2A, 3, 1).to_bytes().hex()
    '00032a0301'
    >>> concatenation_ie(0x1234, 2, 2, bits=16).to_bytes().hex()
    '080412340202'

    Raises:
        ValueError: *reference* outside 0..255 (8-bit) or 0..65535 (16-bit), *total* outside
            1..255, or *sequence* outside 1..*total*.
    """
    bits = _check_bits(bits)
    _check_int(reference, "reference", 0, 0xFF if bits == 8 else 0xFFFF)
    _check_int(total, "total", 1, 255)
    _check_int(sequence, "sequence", 1, total)
    if bits == 8:
        return InformationElement(IEI_CONCATENATION_8, bytes((reference, total, sequence)))
    return InformationElement(IEI_CONCATENATION_16, reference.to_bytes(2, "big") + bytes((total, sequence)))


def application_ports_ie(destination: int, source: int, *, bits: Literal[8, 16] = 16) -> InformationElement:
    """The application port addressing IE (TS 23.040 §9.2.3.24.3, §9.2.3.24.4).

    >>> application_ports_ie(2948, 9200).to_bytes().hex()  # WAP push
    '05040b8423f0'
    """
    bits = _check_bits(bits)
    high = 0xFF if bits == 8 else 0xFFFF
    _check_int(destination, "destination", 0, high)
    _check_int(source, "source", 0, high)
    if bits == 8:
        return InformationElement(IEI_APPLICATION_PORT_8, bytes((destination, source)))
    ports = destination.to_bytes(2, "big") + source.to_bytes(2, "big")
    return InformationElement(IEI_APPLICATION_PORT_16, ports)


def single_shift_ie(language: int) -> InformationElement:
    """The national language single shift IE (TS 23.040 §9.2.3.24.15); ids 1..13 are defined."""
    return InformationElement(IEI_SINGLE_SHIFT, bytes((_check_int(language, "language", 0, 255),)))


def locking_shift_ie(language: int) -> InformationElement:
    """The national language locking shift IE (TS 23.040 §9.2.3.24.16); ids 1..13 are defined."""
    return InformationElement(IEI_LOCKING_SHIFT, bytes((_check_int(language, "language", 0, 255),)))


@dataclass(frozen=True)
class UserDataHeader:
    """A parsed user data header: every IE in order, with the ones smsencode knows interpreted.

    Where an element that cannot repeat appears more than once, or two exclude each other (8-bit
    and 16-bit concatenation or ports), the last one counts (TS 23.040 §9.2.3.24). A
    concatenation IE with a total or sequence of zero, or a sequence above the total, is ignored
    as the spec asks (it stays in :attr:`elements`, but :attr:`concatenation` is None).
    """

    elements: tuple[InformationElement, ...]
    concatenation: Concatenation | None = field(init=False)
    ports: ApplicationPorts | None = field(init=False)
    single_shift: int | None = field(init=False)
    locking_shift: int | None = field(init=False)

    def __post_init__(self) -> None:
        concat: Concatenation | None = None
        ports: ApplicationPorts | None = None
        single: int | None = None
        locking: int | None = None
        for ie in self.elements:
            d = ie.data
            if ie.iei in (IEI_CONCATENATION_8, IEI_CONCATENATION_16):
                ref = d[0] if ie.iei == IEI_CONCATENATION_8 else int.from_bytes(d[:2], "big")
                total, seq = d[-2], d[-1]
                valid = total >= 1 and 1 <= seq <= total
                bits: Literal[8, 16] = 8 if ie.iei == IEI_CONCATENATION_8 else 16
                concat = Concatenation(ref, total, seq, bits) if valid else None
            elif ie.iei == IEI_APPLICATION_PORT_8:
                ports = ApplicationPorts(d[0], d[1], 8)
            elif ie.iei == IEI_APPLICATION_PORT_16:
                ports = ApplicationPorts(int.from_bytes(d[:2], "big"), int.from_bytes(d[2:], "big"), 16)
            elif ie.iei == IEI_SINGLE_SHIFT:
                single = d[0]
            elif ie.iei == IEI_LOCKING_SHIFT:
                locking = d[0]
        s = object.__setattr__
        s(self, "concatenation", concat)
        s(self, "ports", ports)
        s(self, "single_shift", single)
        s(self, "locking_shift", locking)

    @property
    def octets(self) -> int:
        """Length of the header on the wire, UDHL included."""
        return 1 + sum(2 + len(ie.data) for ie in self.elements)

    def to_bytes(self) -> bytes:
        """UDHL followed by the elements."""
        return build_udh(self.elements)


def build_udh(elements: Iterable[InformationElement]) -> bytes:
    """A user data header: UDHL, then each element (IEI, IEDL, data).

    >>> build_udh([concatenation_ie(0x2A, 3, 1)]).hex()
    '0500032a0301'

    Raises:
        ValueError: The elements do not fit the 140-octet TP-UD.
    """
    body = b"".join(ie.to_bytes() for ie in elements)
    if len(body) + 1 > TP_UD_OCTETS:
        msg = f"a user data header of {len(body) + 1} octets does not fit {TP_UD_OCTETS} octets of user data"
        raise ValueError(msg)
    return bytes((len(body),)) + body


def parse_udh(ud: BytesLike) -> UserDataHeader:
    """Parse the user data header at the start of *ud* (its first octet is the UDHL).

    Unknown elements are kept. The payload starts at ``header.octets``.

    >>> parse_udh(bytes.fromhex("050003CC0302") + b"...").concatenation
    Concatenation(reference=204, total=3, sequence=2, bits=8)

    Raises:
        InvalidUDHError: The header is empty, longer than *ud*, or its elements do not exactly
            fill it, or a known element has the wrong length; ``offset`` points at the fault.
    """
    ud = _as_bytes(ud, "ud")
    if not ud:
        raise InvalidUDHError("user data header indicated but the user data is empty", 0)
    udhl = ud[0]
    end = 1 + udhl
    if end > len(ud):
        msg = f"UDHL says {udhl} octets of header but only {len(ud) - 1} octets follow"
        raise InvalidUDHError(msg, 0)
    elements: list[InformationElement] = []
    pos = 1
    while pos < end:
        if pos + 2 > end:
            msg = f"information element at octet {pos} is cut off by the end of the header (UDHL {udhl})"
            raise InvalidUDHError(msg, pos)
        iei, iedl = ud[pos], ud[pos + 1]
        if pos + 2 + iedl > end:
            msg = f"information element 0x{iei:02X} says {iedl} octets: past the header end (UDHL {udhl})"
            raise InvalidUDHError(msg, pos + 1)
        expected = _KNOWN_IE_LENGTHS.get(iei)
        if expected is not None and iedl != expected:
            msg = f"information element 0x{iei:02X} has length {iedl}, but its length must be {expected}"
            raise InvalidUDHError(msg, pos + 1)
        elements.append(InformationElement(iei, ud[pos + 2 : pos + 2 + iedl]))
        pos += 2 + iedl
    return UserDataHeader(tuple(elements))


# --------------------------------------------------------------------------------------------
# Data coding scheme (TS 23.038 §4)
# --------------------------------------------------------------------------------------------


class Charset(enum.StrEnum):
    """The character set a data coding scheme announces (TS 23.038 §4)."""

    GSM7 = "GSM7"
    DATA_8BIT = "8BIT"
    UCS2 = "UCS2"

    def __str__(self) -> str:
        return self.value


def data_coding(encoding: str, *, flash: bool = False) -> int:
    """The TP-DCS (and SMPP ``data_coding``) for *encoding* ("GSM7" or "UTF16").

    0x00 for the GSM 7-bit default alphabet, 0x08 for UCS-2 / UTF-16; a flash message (class 0,
    shown at once and not stored) sets bit 4 with class bits 0: 0x10 and 0x18.

    >>> data_coding("GSM7"), data_coding("UTF16")
    (0, 8)
    >>> data_coding("GSM7", flash=True), data_coding("UCS2", flash=True)
    (16, 24)
    """
    from smsencode.options import Encoding, parse_encoding

    enc = parse_encoding(encoding)
    value = 0x00 if enc is Encoding.GSM7 else 0x08
    return value | 0x10 if flash else value


def charset(data_coding: int) -> Charset:
    """The character set of a TP-DCS value (TS 23.038 §4).

    Reserved values are taken as the GSM 7-bit default alphabet, as §4 asks of receivers. The
    value is read as a TS 23.038 DCS: SMPP's own ``data_coding`` values 0x01..0x07 (IA5,
    Latin-1, JIS, ...) mean something else in SMPP and are not interpreted here; pass the DCS.

    >>> charset(0x00), charset(0x08), charset(0xF4), charset(0x19)
    (<Charset.GSM7: 'GSM7'>, <Charset.UCS2: 'UCS2'>, <Charset.DATA_8BIT: '8BIT'>, <Charset.UCS2: 'UCS2'>)

    Raises:
        DecodeError: The DCS announces compressed text, which smsencode does not decompress.
    """
    if type(data_coding) is not int or not 0 <= data_coding <= 255:
        _check_int(data_coding, "data_coding", 0, 255)
    found = _CHARSET_OF_DCS[data_coding]
    if found is None:
        msg = f"data_coding 0x{data_coding:02X} announces compressed text (TS 23.038 §4): not supported"
        raise DecodeError(msg)
    return found


def _charset_of(dcs: int) -> Charset | None:
    """The character set of a DCS by its coding group (TS 23.038 §4); None for compressed text."""
    group = dcs >> 4
    if group <= 0x7:  # general data coding (0x) and automatic deletion (4x..7x)
        if dcs & 0x20:
            return None
        return (Charset.GSM7, Charset.DATA_8BIT, Charset.UCS2, Charset.GSM7)[(dcs >> 2) & 0x3]
    if group == 0xE:  # message waiting indication, store message, UCS-2
        return Charset.UCS2
    if group == 0xF:  # data coding / message class
        return Charset.DATA_8BIT if dcs & 0x04 else Charset.GSM7
    return Charset.GSM7  # 0xC, 0xD (MWI, GSM-7) and reserved groups 0x8..0xB


_CHARSET_OF_DCS = tuple(_charset_of(dcs) for dcs in range(256))


# --------------------------------------------------------------------------------------------
# User data (TS 23.040 §9.2.3.24)
# --------------------------------------------------------------------------------------------


def encode_user_data(
    text: str,
    *,
    encoding: str = "GSM7",
    elements: Sequence[InformationElement] = (),
    alphabet: Alphabet = DEFAULT,
    packed: bool = True,
) -> bytes:
    """The TP-UD of one part: the header (when there are *elements*), then *text*.

    GSM-7 text is packed after the fill bits that start it on a septet boundary, or written one
    septet per octet with ``packed=False`` (SMPP ``short_message``, which the SMSC packs); UTF-16
    text is UTF-16-BE. National language shift IEs are *not* added from *alphabet*: pass them in
    *elements*.

    >>> encode_user_data("hellohello").hex()
    'e8329bfd4697d9ec37'

    Raises:
        smsencode.InvalidCharactersError: *text* has characters *alphabet* cannot carry.
        ValueError: The result does not fit 140 octets.
    """
    from smsencode.options import Encoding, parse_encoding

    udh = build_udh(elements) if elements else b""
    if parse_encoding(encoding) is Encoding.GSM7:
        septets = _gsm_septets(text, alphabet)
        payload = pack_septets(septets, fill_bits(len(udh))) if packed else septets
    else:
        payload = text.encode("utf-16-be")
    ud = udh + payload
    if len(ud) > TP_UD_OCTETS and packed:
        msg = f"user data of {len(ud)} octets does not fit one SMS ({TP_UD_OCTETS} octets): segment the text"
        raise ValueError(msg)
    return ud


def _gsm_septets(text: str, alphabet: Alphabet) -> bytes:
    bad = alphabet.invalid_re.search(text)
    if bad is not None:
        from smsencode.errors import InvalidCharactersError

        chars = tuple((m.start(), m.group()) for m in alphabet.invalid_re.finditer(text))
        raise InvalidCharactersError(chars, f"they are not in the {alphabet.name} GSM-7 tables")
    return alphabet.encode(text)


def user_data_length(ud_octets: int, *, udh_octets: int = 0, septets: int | None = None) -> int:
    """The TP-UDL (TS 23.040 §9.2.3.16) of a part.

    For GSM-7 pass *septets* (the payload's septets): the UDL counts septets, the header's
    included (``ceil(udh_octets * 8 / 7)``). Otherwise the UDL is the octet count *ud_octets*.

    >>> user_data_length(140, udh_octets=6, septets=153), user_data_length(140)
    (160, 140)
    """
    if septets is None:
        return ud_octets
    return _udh_septets(udh_octets) + septets


@dataclass(frozen=True)
class RawUserData:
    """The TP-UD of one part split into its header and payload, not yet turned into text."""

    #: The user data header, or None when TP-UDHI was not set.
    header: UserDataHeader | None
    #: The character set the data coding scheme announced.
    charset: Charset
    #: The payload: unpacked septets for GSM-7 (one per byte), UTF-16-BE octets for UCS-2, the
    #: octets as sent for 8-bit data.
    payload: bytes
    #: Where the payload starts in the TP-UD (the header's octets).
    payload_offset: int = 0


@dataclass(frozen=True)
class UserData(RawUserData):
    """A decoded TP-UD: header, payload and text."""

    #: The decoded text.
    text: str = ""
    #: The GSM-7 tables the text was decoded with (national shifts from the header), or None
    #: for UCS-2. When the header names a national table smsencode does not have, the default
    #: table is used, as TS 23.040 §9.2.3.24.15/16 ask of receivers; compare
    #: ``alphabet.locking`` / ``alphabet.single`` with the header's to notice it.
    alphabet: Alphabet | None = None


def parse_user_data(
    ud: BytesLike,
    data_coding: int,
    udhi: bool,
    *,
    udl: int | None = None,
    packed: bool = True,
) -> RawUserData:
    """Split a TP-UD into its header and payload (see :func:`decode_user_data` for the arguments).

    Works for 8-bit data too, which has no text.
    """
    return RawUserData(*_split_user_data(ud, data_coding, udhi, udl, packed))


def _split_user_data(
    ud: BytesLike, data_coding: int, udhi: bool, udl: int | None, packed: bool
) -> tuple[UserDataHeader | None, Charset, bytes, int]:
    """(header, charset, payload, payload offset) of a TP-UD: :func:`parse_user_data`'s work."""
    ud = _as_bytes(ud, "ud")
    cs = charset(data_coding)
    header = parse_udh(ud) if udhi else None
    start = header.octets if header is not None else 0
    if udl is not None:
        _check_int(udl, "udl", 0, 255)
    if cs is not Charset.GSM7 or not packed:
        if udl is not None and udl != len(ud):
            msg = f"TP-UDL says {udl} octets but the user data has {len(ud)}"
            raise DecodeError(msg, min(udl, len(ud)))
        return header, cs, ud[start:], start
    fill = fill_bits(start)
    available = (len(ud) - start) * 8 - fill
    if available < 0:  # a header of whole octets leaves a partial septet: nothing follows it
        available = 0
    if udl is None:
        count = available // 7
        # 8n-1 septets leave seven zero bits at the end, which read as one more '@': without a
        # UDL, a zero septet lying wholly in the final octet's spare bits is taken as padding.
        if count and (7 * (count - 1) + fill + 7) // 8 == len(ud) - start:
            tail = _unpack_valid(ud[start:], count, fill)
            return header, cs, tail[:-1] if tail[-1] == 0 else tail, start
    else:
        count = udl - _udh_septets(start)
        if count < 0:
            msg = f"TP-UDL {udl} septets is less than the {_udh_septets(start)} septets of the header"
            raise DecodeError(msg, 0)
        needed = start + (7 * count + fill + 7) // 8
        if needed != len(ud) and not (count == 0 and len(ud) == start):  # fill octet left out
            msg = f"TP-UDL {udl} septets needs {needed} octets of user data, but there are {len(ud)}"
            raise DecodeError(msg, min(needed, len(ud)))
    return header, cs, _unpack_valid(ud[start:], count, fill), start


def decode_user_data(
    ud: BytesLike,
    data_coding: int,
    udhi: bool,
    *,
    udl: int | None = None,
    packed: bool = True,
) -> UserData:
    """Decode the TP-UD of one part: its header elements and its text.

    >>> decode_user_data(bytes.fromhex("E8329BFD4697D9EC37"), 0x00, False).text
    'hellohello'
    >>> decode_user_data("€".encode("utf-16-be"), 0x08, False).text
    '€'

    National language shift IEs (0x24, 0x25) in the header select the GSM-7 tables. Following
    TS 23.038 §6.2.1.1, an escape followed by a code with no extension character decodes to the
    basic character, and ESC ESC to a space.

    Args:
        ud: The TP-UD (SMPP ``short_message``, or the user data of an SMS-DELIVER PDU).
        data_coding: The TP-DCS / SMPP ``data_coding``.
        udhi: TP-UDHI (SMPP ``esm_class & 0x40``): whether *ud* starts with a header.
        udl: The TP-UDL when known: septets (header included) for packed GSM-7, octets otherwise.
            Without it, 8n−1 septets are told from 8n by taking a final zero septet that lies
            wholly in padding bits for padding (so a genuine '@' there needs the UDL).
        packed: False for GSM-7 written one septet per octet (SMPP).

    Raises:
        InvalidUDHError: The header is malformed.
        InvalidSeptetError: A lone escape at the end, a byte above 0x7F (unpacked), or a septet
            the locking table leaves undefined.
        DecodeError: UTF-16 with an odd octet count or a broken surrogate pair, a UDL that does not
            match the data, 8-bit data (it has no text: use :func:`parse_user_data`) or compressed
            text. ``offset`` is the octet of *ud* where the problem lies, when known.
    """
    header, cs, payload, start = _split_user_data(ud, data_coding, udhi, udl, packed)
    if cs is Charset.DATA_8BIT:
        msg = f"data_coding 0x{data_coding:02X} is 8-bit data, which has no text: see parse_user_data()"
        raise DecodeError(msg)
    if cs is Charset.UCS2:
        return UserData(header, cs, payload, start, _decode_utf16(payload, start), None)
    alphabet = alphabet_for(header)
    return UserData(header, cs, payload, start, _decode_gsm(payload, alphabet, start, packed), alphabet)


def _decode_utf16(payload: bytes, offset: int) -> str:
    if len(payload) % 2:
        msg = f"UTF-16 user data has an odd number of octets ({len(payload)}): the last one is cut off"
        raise DecodeError(msg, offset + len(payload) - 1)
    try:
        return payload.decode("utf-16-be")
    except UnicodeDecodeError as exc:
        msg = f"broken UTF-16 surrogate pair: {exc.reason}"
        raise DecodeError(msg, offset + exc.start) from exc


def _decode_gsm(septets: bytes, alphabet: Alphabet, start: int, packed: bool, first: int = 0) -> str:
    """Decode a part's septets (from septet *first* of its payload); errors point at the octet of
    the TP-UD where the septet starts."""
    try:
        return decode_septets(septets, alphabet, offset=first)
    except InvalidSeptetError as exc:
        index = exc.offset or 0
        if packed:
            index = (fill_bits(start) + 7 * index) // 8
        raise InvalidSeptetError(_reason(exc), start + index) from None


def _reason(exc: DecodeError) -> str:
    return str(exc.args[0]).rsplit(" (at byte offset", 1)[0]


def alphabet_for(header: UserDataHeader | None) -> Alphabet:
    """The GSM-7 tables a part's header selects (the default when it names none or unknown ones)."""
    if header is None or (header.locking_shift is None and header.single_shift is None):
        return DEFAULT
    locking, single = header.locking_shift, header.single_shift
    for pair in ((locking, single), (None, single), (locking, None)):
        if pair == (None, None):
            continue
        found = national_alphabet(*pair)
        if found is not None:
            return found
    return DEFAULT


# --------------------------------------------------------------------------------------------
# Segmentation -> wire (the methods of smsencode.Segmentation delegate here)
# --------------------------------------------------------------------------------------------


def _national_elements(alphabet: Alphabet | None) -> list[InformationElement]:
    out: list[InformationElement] = []
    if alphabet is not None:
        # The order follows TS 23.040's table of IEs: single shift 0x24 before locking 0x25.
        if alphabet.single is not None:
            out.append(single_shift_ie(alphabet.single))
        if alphabet.locking is not None:
            out.append(locking_shift_ie(alphabet.locking))
    return out


def segmentation_udhi(seg: Segmentation) -> bool:
    """Whether the parts of *seg* carry a user data header (TP-UDHI; SMPP ``esm_class`` 0x40)."""
    return len(seg.parts) > 1 or bool(_national_elements(seg.alphabet))


def segmentation_user_data(seg: Segmentation, *, reference: int | None, packed: bool) -> list[bytes]:
    """The TP-UD of each part of *seg* (see :meth:`smsencode.Segmentation.user_data`)."""
    bits = _check_bits(seg.reference_bits, "reference_bits")
    total = len(seg.parts)
    if reference is not None:
        _check_int(reference, "reference", 0, 0xFF if bits == 8 else 0xFFFF)
    elif total > 1:
        high = 255 if bits == 8 else 65535
        msg = (
            f"a message of {total} parts needs a concatenation reference: pass reference= (0..{high}), "
            "for example from smsencode.pdu.ReferenceAllocator, so that the handset does not mix "
            "its parts with another message's"
        )
        raise ValueError(msg)
    gsm = seg.encoding == "GSM7"
    alphabet = seg.alphabet if seg.alphabet is not None else DEFAULT
    national = b"".join(ie.to_bytes() for ie in _national_elements(seg.alphabet)) if gsm else b""
    # The header is the same for every part but the sequence number: build it once, as
    # UDHL, the concatenation IE up to its sequence octet, then (after it) the shift IEs.
    if total > 1:
        assert reference is not None
        if bits == 8:
            concat = bytes((IEI_CONCATENATION_8, 3, reference, total))
        else:
            concat = bytes((IEI_CONCATENATION_16, 4, reference >> 8, reference & 0xFF, total))
        head = bytes((len(concat) + 1 + len(national),)) + concat
        headers = [head + bytes((sequence,)) + national for sequence in range(1, total + 1)]
    else:
        headers = [bytes((len(national),)) + national if national else b""]
    if not gsm:
        return [udh + part.encode("utf-16-be") for udh, part in zip(headers, seg.parts)]
    # One translation of the whole text into septets, cut at the parts' septet counts.
    septets = alphabet.encode(seg.text)
    fill = fill_bits(len(headers[0]))
    out: list[bytes] = []
    start = 0
    for udh, units in zip(headers, seg.part_units):
        chunk = septets[start : start + units]
        start += units
        if packed:
            chunk = _pack_valid(chunk, fill)
        out.append(udh + chunk)
    return out


def _pack_valid(septets: bytes, fill: int) -> bytes:
    """:func:`pack_septets` for septets known to be valid (0x00..0x7F) and fill bits 0..6."""
    n = len(septets)
    if n <= _CHUNK:
        packed = _pack_chunk(septets)
    else:
        packed = b"".join(_pack_chunk(septets[i : i + _CHUNK]) for i in range(0, n, _CHUNK))
    if fill:
        size = (7 * n + fill + 7) // 8
        packed = (int.from_bytes(packed, "little") << fill).to_bytes(size, "little")
    return packed


def segmentation_user_data_lengths(seg: Segmentation, *, packed: bool) -> list[int]:
    """The length of each part's TP-UD: the TP-UDL when *packed* (septets, header included, for
    GSM-7; octets for UTF-16), else the octets of the unpacked user data (SMPP ``sm_length``)."""
    total = len(seg.parts)
    gsm = seg.encoding == "GSM7"
    udh = len(_national_elements(seg.alphabet) if gsm else []) * 3
    if total > 1:
        udh += 5 if seg.reference_bits == 8 else 6
    if udh:
        udh += 1  # UDHL
    # part_units are the septets (GSM-7) or UTF-16 code units of each part: no need to encode.
    if not gsm:
        return [udh + 2 * units for units in seg.part_units]
    head = _udh_septets(udh) if packed else udh
    return [head + units for units in seg.part_units]


def segmentation_data_coding(seg: Segmentation, *, flash: bool) -> int:
    """The TP-DCS of *seg* (see :meth:`smsencode.Segmentation.data_coding`)."""
    return data_coding(str(seg.encoding), flash=flash)


# --------------------------------------------------------------------------------------------
# Concatenation references
# --------------------------------------------------------------------------------------------


class ReferenceAllocator:
    """Hands out concatenation references in turn, so messages in flight do not share one.

    A random reference collides with another message's after a few dozen messages (the
    birthday bound of 256 values), and a constant one always does; a counter repeats only after
    256 (or 65536) messages. Counting per destination (``next(destination)``) stretches that to
    256 messages *to each recipient*, which is what a handset sees. Thread-safe.

    >>> refs = ReferenceAllocator(start=254)
    >>> [refs.next() for _ in range(3)], refs.next("+4915112345678")
    ([254, 255, 0], 254)

    Args:
        bits: 8 or 16, as the messages' ``reference_bits``.
        start: The first reference handed out (for instance one saved at shutdown via
            :meth:`peek`, so that a restart does not reuse recent references).
    """

    def __init__(self, bits: Literal[8, 16] = 8, *, start: int = 0) -> None:
        self._bits = _check_bits(bits)
        self._modulus = 1 << self._bits
        self._start = _check_int(start, "start", 0, self._modulus - 1)
        self._next: dict[Hashable, int] = {}
        self._lock = threading.Lock()

    @property
    def bits(self) -> Literal[8, 16]:
        """The reference width: 8 or 16."""
        return self._bits

    def next(self, destination: Hashable = None) -> int:
        """The next reference (for *destination*, when given; a shared counter otherwise)."""
        with self._lock:
            value = self._next.get(destination, self._start)
            self._next[destination] = (value + 1) % self._modulus
            return value

    def peek(self, destination: Hashable = None) -> int:
        """The reference :meth:`next` would hand out, without taking it."""
        with self._lock:
            return self._next.get(destination, self._start)

    def forget(self, destination: Hashable) -> None:
        """Drop the counter of *destination* (its next reference starts again from ``start``)."""
        with self._lock:
            self._next.pop(destination, None)


# --------------------------------------------------------------------------------------------
# Reassembly
# --------------------------------------------------------------------------------------------


class PartStatus(enum.StrEnum):
    """What :meth:`Reassembler.add` did with a part."""

    #: The message is complete (or was never split): ``text`` is set.
    COMPLETE = "COMPLETE"
    #: Held; other parts are still missing.
    PENDING = "PENDING"
    #: A part with this sequence number was already held; the new one was not used.
    DUPLICATE = "DUPLICATE"

    def __str__(self) -> str:
        return self.value


#: (sender, reference, total): the parts of one message share it (TS 23.040 §9.2.3.24.1).
MessageKey = tuple[Hashable, int, int]


@dataclass(frozen=True)
class AddResult:
    """The outcome of :meth:`Reassembler.add`."""

    status: PartStatus
    #: The message the part belongs to; None for a message that was not split.
    key: MessageKey | None
    #: The whole text, when ``status`` is COMPLETE.
    text: str | None = None
    #: Sequence numbers held for this message (after this part), and those still missing.
    received: tuple[int, ...] = ()
    missing: tuple[int, ...] = ()
    #: For a DUPLICATE: True when its user data differs from the part already held.
    conflicting: bool = False


@dataclass(frozen=True)
class PendingMessage:
    """A message whose parts have not all arrived."""

    key: MessageKey
    received: tuple[int, ...]
    missing: tuple[int, ...]
    #: The earliest and the latest time passed to :meth:`Reassembler.add` with one of its parts.
    first_seen: float
    last_seen: float


@dataclass
class _Held:
    parts: dict[int, RawUserData]
    #: Each part's own text, or None for a part that decodes only together with its neighbours
    #: (it ends in the first half of an escape or surrogate pair, or starts with the second).
    texts: dict[int, str | None]
    first_seen: float
    last_seen: float


class Reassembler:
    """Collects the parts of concatenated messages, in any order, into whole texts.

    Parts belong together when they share (sender, reference, total). Duplicates are reported
    and ignored, gaps are listed by :meth:`pending`, and messages that never complete are
    dropped by :meth:`expire`, which returns them so nothing vanishes unreported. There is no
    clock inside: every call takes the time from the caller. Not thread-safe: use one per
    thread, or a lock around it.

    >>> import smsencode
    >>> s = smsencode.segment("x" * 200)
    >>> r = Reassembler()
    >>> parts = s.user_data(reference=7)
    >>> r.add("+15550100", parts[1], 0x00, udhi=True, now=0.0).missing
    (1,)
    >>> r.add("+15550100", parts[0], 0x00, udhi=True, now=1.0).text == "x" * 200
    True

    Each part is checked as it arrives, so a part that cannot be decoded is refused at once and
    the message keeps waiting for a good copy of it. A surrogate pair or a GSM-7 escape that a
    sender split between two parts is mended when the message completes. Parts may differ in
    data coding and national language tables: each is read with its own. A copy of a part that
    arrives after its message completed is held as the start of a new message (nothing tells
    the two apart), which :meth:`expire` reports in due course.
    """

    def __init__(self) -> None:
        self._held: dict[MessageKey, _Held] = {}

    def add(
        self,
        sender: Hashable,
        ud: BytesLike,
        data_coding: int,
        udhi: bool,
        *,
        now: float,
        udl: int | None = None,
        packed: bool = True,
    ) -> AddResult:
        """Take one part (its TP-UD, as for :func:`decode_user_data`), received at time *now*.

        Raises:
            DecodeError: The part cannot be decoded (it is not kept; the message it belongs to
                keeps its other parts), or the completed message cannot be, because of what lies
                between two parts (the message is dropped, and the error says so).
        """
        raw = parse_user_data(ud, data_coding, udhi, udl=udl, packed=packed)
        if raw.charset is Charset.DATA_8BIT:
            msg = f"data_coding 0x{data_coding:02X} announces 8-bit data, which has no text to reassemble"
            raise DecodeError(msg)
        concat = raw.header.concatenation if raw.header is not None else None
        if concat is None or concat.total == 1:
            return AddResult(PartStatus.COMPLETE, None, _payload_text(raw, packed), (1,), ())
        total, sequence = concat.total, concat.sequence
        key: MessageKey = (sender, concat.reference, total)
        held = self._held.get(key)
        if held is not None and sequence in held.parts:
            held.last_seen = max(held.last_seen, now)
            return AddResult(
                PartStatus.DUPLICATE, key, None, tuple(sorted(held.parts)), _missing(held, total),
                conflicting=_content(held.parts[sequence]) != _content(raw),
            )
        text = _part_text(raw, packed, sequence, total)
        if held is None:
            held = self._held[key] = _Held({}, {}, now, now)
        else:
            held.first_seen = min(held.first_seen, now)
            held.last_seen = max(held.last_seen, now)
        held.parts[sequence] = raw
        held.texts[sequence] = text
        if len(held.parts) < total:
            return AddResult(PartStatus.PENDING, key, None, tuple(sorted(held.parts)), _missing(held, total))
        del self._held[key]
        texts = [t for t in (held.texts[i] for i in range(1, total + 1)) if t is not None]
        if len(texts) == total:
            return AddResult(PartStatus.COMPLETE, key, "".join(texts), tuple(range(1, total + 1)), ())
        try:
            joined = _join_text([held.parts[i] for i in range(1, total + 1)])
        except DecodeError as exc:
            msg = f"message {key!r} is complete but cannot be decoded and was dropped: {_reason(exc)}"
            raise type(exc)(msg, exc.offset) from exc
        return AddResult(PartStatus.COMPLETE, key, joined, tuple(range(1, total + 1)), ())

    def pending(self) -> list[PendingMessage]:
        """Every incomplete message, oldest first part first."""
        out = [
            PendingMessage(key, tuple(sorted(h.parts)), _missing(h, key[2]), h.first_seen, h.last_seen)
            for key, h in self._held.items()
        ]
        out.sort(key=lambda p: p.first_seen)
        return out

    def expire(self, before: float) -> list[PendingMessage]:
        """Drop and return the incomplete messages whose latest part came before *before*."""
        gone = [p for p in self.pending() if p.last_seen < before]
        for p in gone:
            del self._held[p.key]
        return gone

    def __len__(self) -> int:
        return len(self._held)


def _missing(held: _Held, total: int) -> tuple[int, ...]:
    return tuple(i for i in range(1, total + 1) if i not in held.parts)


def _content(raw: RawUserData) -> tuple[object, ...]:
    """What decides a part's text: two copies of a part conflict when this differs."""
    shifts = (raw.header.locking_shift, raw.header.single_shift) if raw.header is not None else (None, None)
    return (raw.charset, raw.payload, shifts)


def _payload_text(raw: RawUserData, packed: bool, first: int = 0, stop: int | None = None) -> str:
    """The text of ``raw.payload[first:stop]`` (septets for GSM-7, octets for UCS-2), strictly;
    errors give the octet of the TP-UD."""
    payload = raw.payload[first:stop]
    if raw.charset is Charset.UCS2:
        return _decode_utf16(payload, raw.payload_offset + first)
    return _decode_gsm(payload, alphabet_for(raw.header), raw.payload_offset, packed, first)


def _part_text(raw: RawUserData, packed: bool, sequence: int, total: int) -> str | None:
    """The text of one part of a message, or None when it can be read only with its neighbours.

    Raises DecodeError when the part is bad whatever its neighbours hold.
    """
    try:
        return _payload_text(raw, packed)
    except DecodeError:
        payload = raw.payload
        first, stop = 0, len(payload)
        if raw.charset is Charset.UCS2:
            if sequence > 1 and stop >= 2 and 0xDC <= payload[0] <= 0xDF:
                first = 2  # the low half of a surrogate pair begun in the part before
            if sequence < total and stop % 2 == 0 and stop - first >= 2 and 0xD8 <= payload[-2] <= 0xDB:
                stop -= 2  # the high half of a pair ended in the part after
        else:
            if sequence < total and (stop - len(payload.rstrip(b"\x1b"))) % 2:
                stop -= 1  # an escape whose code is the next part's first septet
            if sequence > 1 and stop and payload[0] != ESC:
                first = 1  # maybe the code of an escape ending the part before
        if (first, stop) == (0, len(payload)):
            raise
        _payload_text(raw, packed, first, stop)
        return None


def _join_text(parts: list[RawUserData]) -> str:
    """Decode the parts of one message in order, mending escapes and surrogate pairs split
    between neighbouring parts of the same character set."""
    pieces: list[str] = []
    carry = b""
    carry_kind: Charset | None = None
    for i, raw in enumerate(parts):
        last = i == len(parts) - 1
        payload = raw.payload
        if carry and carry_kind is not raw.charset:
            what = "escape" if carry_kind is Charset.GSM7 else "high surrogate"
            msg = f"part {i} ends with a lone {what} and part {i + 1} is in another character set"
            raise DecodeError(msg)
        payload, carry = carry + payload, b""
        try:
            if raw.charset is Charset.UCS2:
                if not last and len(payload) % 2 == 0 and len(payload) >= 2 and 0xD8 <= payload[-2] <= 0xDB:
                    payload, carry = payload[:-2], payload[-2:]
                pieces.append(_decode_utf16(payload, 0))
            else:
                if not last and (len(payload) - len(payload.rstrip(b"\x1b"))) % 2:
                    payload, carry = payload[:-1], payload[-1:]
                pieces.append(decode_septets(payload, alphabet_for(raw.header)))
        except DecodeError as exc:
            msg = f"part {i + 1}: {_reason(exc)}"
            raise type(exc)(msg, exc.offset) from exc
        carry_kind = raw.charset
    return "".join(pieces)
