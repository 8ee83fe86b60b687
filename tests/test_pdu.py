"""The wire format: septet packing, user data headers, DCS, TP-UD and decoding (smsencode.pdu)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import smsencode
from smsencode import pdu
from smsencode.alphabet import DEFAULT, national_alphabet
from smsencode.alphabet.default import BASIC, EXTENSION
from smsencode.errors import DecodeError, InvalidSeptetError, InvalidUDHError, SmsEncodeError
from tests import strategies

VECTORS = json.loads((Path(__file__).parent / "vectors" / "pdu.json").read_text(encoding="utf-8"))


def text_of(case: dict) -> str:
    if "text" in case:
        return case["text"]
    if "text_repeat" in case:
        piece, n = case["text_repeat"]
        return piece * n
    return "".join(piece * n for piece, n in case["text_concat"])


# --- A slow, obviously correct oracle: bits laid out one by one, LSB first (TS 23.038 §6.1.2.1.1).


def ref_pack(septets: bytes, fill: int) -> bytes:
    bits = [0] * fill
    for s in septets:
        bits += [(s >> k) & 1 for k in range(7)]
    bits += [0] * (-len(bits) % 8)
    return bytes(sum(bits[i + k] << k for k in range(8)) for i in range(0, len(bits), 8))


def ref_unpack(data: bytes, count: int, fill: int) -> bytes:
    bits = [(b >> k) & 1 for b in data for k in range(8)][fill:]
    return bytes(sum(bits[7 * i + k] << k for k in range(7)) for i in range(count))


_GSM_INV = {ch: code for code, ch in BASIC.items()}
_GSM_EXT = {ch: code for code, ch in EXTENSION.items()}


def ref_septets(text: str) -> bytes:
    out: list[int] = []
    for ch in text:
        out += [_GSM_INV[ch]] if ch in _GSM_INV else [0x1B, _GSM_EXT[ch]]
    return bytes(out)


# --- Packing


@pytest.mark.parametrize("case", VECTORS["packing"], ids=lambda c: c["label"])
def test_packing_vectors(case: dict) -> None:
    """Published packing vectors pack and unpack exactly, and the slow oracle agrees."""
    septets = case["text"].encode("gsm-7") if "text" in case else bytes.fromhex(case["septets"])
    packed = bytes.fromhex(case["packed"])
    fill = case["fill_bits"]
    assert pdu.pack_septets(septets, fill) == packed
    assert ref_pack(septets, fill) == packed
    assert pdu.unpack_septets(packed, len(septets), fill) == septets


def test_hellohello() -> None:
    """The acceptance vector, through the codec and the packer."""
    assert pdu.pack_septets("hellohello".encode("gsm-7")).hex().upper() == "E8329BFD4697D9EC37"


def test_eight_n_and_eight_n_minus_one_septets_pack_alike() -> None:
    """7 and 8 septets both take 7 octets: only the count tells them apart; no CR padding."""
    seven, eight = pdu.pack_septets(b"pattern"), pdu.pack_septets(b"pattern\x00")
    assert seven == eight == bytes.fromhex("F0309D5E96BB01")
    assert pdu.unpack_septets(seven, 7) == b"pattern"
    assert pdu.unpack_septets(seven, 8) == b"pattern\x00"


@settings(max_examples=300)
@given(septets=st.binary(max_size=400).map(lambda b: bytes(x & 0x7F for x in b)), fill=st.integers(0, 6))
@example(septets=b"\x7f" * 8, fill=6)
@example(septets=b"", fill=0)
def test_unpack_inverts_pack(septets: bytes, fill: int) -> None:
    """unpack(pack(s, f), len(s), f) == s for every fill, and both match the bit-by-bit oracle."""
    packed = pdu.pack_septets(septets, fill)
    assert packed == ref_pack(septets, fill)
    assert len(packed) == (7 * len(septets) + fill + 7) // 8
    assert pdu.unpack_septets(packed, len(septets), fill) == septets


@settings(max_examples=150)
@given(data=st.binary(max_size=200), fill=st.integers(0, 6), data_=st.data())
def test_unpack_matches_oracle_on_any_bytes(data: bytes, fill: int, data_: st.DataObject) -> None:
    """Any octets unpack as the oracle reads them, whatever the count that fits."""
    most = max(0, (len(data) * 8 - fill) // 7)
    count = data_.draw(st.integers(0, most))
    assert pdu.unpack_septets(data, count, fill) == ref_unpack(data, count, fill)


@pytest.mark.parametrize("n", [8191, 8192, 8193, 20000])
@pytest.mark.parametrize("fill", [0, 5])
def test_long_inputs_cross_chunks(n: int, fill: int) -> None:
    """Inputs longer than one internal chunk pack and unpack like short ones."""
    septets = bytes((i * 37 + 11) % 128 for i in range(n))
    packed = pdu.pack_septets(septets, fill)
    assert packed == ref_pack(septets, fill)
    assert pdu.unpack_septets(packed, n, fill) == septets


def test_packing_argument_errors() -> None:
    """Bad arguments are TypeError / ValueError naming what is accepted; short data is a decode error."""
    with pytest.raises(ValueError, match=r"0x00\.\.0x7F, but byte 1 is 0x80"):
        pdu.pack_septets(b"a\x80")
    with pytest.raises(ValueError, match="fill_bits must be from 0 to 6"):
        pdu.pack_septets(b"a", 7)
    with pytest.raises(TypeError, match="septets must be bytes"):
        pdu.pack_septets("abc")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="fill_bits must be an int"):
        pdu.unpack_septets(b"a", 1, True)
    with pytest.raises(ValueError, match="count must be 0 or more"):
        pdu.unpack_septets(b"a", -1)
    with pytest.raises(InvalidSeptetError) as info:
        pdu.unpack_septets(b"\x00" * 6, 8)
    assert info.value.offset == 6
    assert pdu.pack_septets(bytearray(b"hi")) == pdu.pack_septets(memoryview(b"hi"))


def test_fill_bits() -> None:
    """Fill bits bring the first character to a septet boundary after the header."""
    assert [pdu.fill_bits(n) for n in (0, 6, 7, 9, 11, 12, 13)] == [0, 1, 0, 5, 3, 2, 1]
    for octets in range(0, 141):
        assert (octets * 8 + pdu.fill_bits(octets)) % 7 == 0


# --- Information elements and the user data header


def test_ie_encodings() -> None:
    """Each known IE has its TS 23.040 layout."""
    assert pdu.concatenation_ie(0xCC, 3, 2).to_bytes() == bytes.fromhex("0003CC0302")
    assert pdu.concatenation_ie(0xBEEF, 3, 2, bits=16).to_bytes() == bytes.fromhex("0804BEEF0302")
    assert pdu.application_ports_ie(2948, 9200).to_bytes() == bytes.fromhex("05040B8423F0")
    assert pdu.application_ports_ie(0x10, 0x20, bits=8).to_bytes() == bytes.fromhex("04021020")
    assert pdu.single_shift_ie(1).to_bytes() == bytes.fromhex("240101")
    assert pdu.locking_shift_ie(3).to_bytes() == bytes.fromhex("250103")
    assert pdu.Concatenation(5, 2, 1).to_ie() == pdu.concatenation_ie(5, 2, 1)
    assert pdu.ApplicationPorts(1, 2, 8).to_ie() == pdu.application_ports_ie(1, 2, bits=8)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: pdu.concatenation_ie(256, 2, 1), "reference must be from 0 to 255, not 256"),
        (lambda: pdu.concatenation_ie(-1, 2, 1), "reference must be from 0 to 255"),
        (lambda: pdu.concatenation_ie(65536, 2, 1, bits=16), "reference must be from 0 to 65535"),
        (lambda: pdu.concatenation_ie(1, 0, 1), "total must be from 1 to 255"),
        (lambda: pdu.concatenation_ie(1, 2, 3), "sequence must be from 1 to 2"),
        (lambda: pdu.concatenation_ie(1, 2, 1, bits=12), "bits must be 8 or 16"),  # type: ignore[arg-type]
        (lambda: pdu.application_ports_ie(256, 1, bits=8), "destination must be from 0 to 255"),
        (lambda: pdu.InformationElement(300, b""), "iei must be from 0 to 255"),
        (lambda: pdu.InformationElement(1, b"x" * 256), "at most 255 octets"),
        (lambda: pdu.build_udh([pdu.InformationElement(0x70, b"x" * 138)]), "does not fit"),
    ],
)
def test_ie_argument_errors(call: object, message: str) -> None:
    """Out-of-range values are ValueErrors that say what is accepted."""
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


def test_udh_round_trip_keeps_unknown_elements() -> None:
    """Unknown IEs survive parse -> build, in order; the known ones are interpreted."""
    elements = [
        pdu.InformationElement(0x22, bytes.fromhex("0B912143658709F1")),
        pdu.concatenation_ie(9, 4, 3),
        pdu.InformationElement(0x70, b""),
        pdu.application_ports_ie(5000, 6000),
        pdu.single_shift_ie(2),
        pdu.locking_shift_ie(1),
    ]
    raw = pdu.build_udh(elements)
    header = pdu.parse_udh(raw + b"payload")
    assert header.elements == tuple(elements)
    assert header.to_bytes() == raw
    assert header.octets == len(raw)
    assert header.concatenation == pdu.Concatenation(9, 4, 3, 8)
    assert header.ports == pdu.ApplicationPorts(5000, 6000, 16)
    assert (header.single_shift, header.locking_shift) == (2, 1)


def test_udh_last_occurrence_wins() -> None:
    """Repeated or mutually exclusive IEs: the last one counts (TS 23.040 §9.2.3.24)."""
    header = pdu.parse_udh(
        pdu.build_udh([pdu.concatenation_ie(1, 2, 1), pdu.concatenation_ie(0x0102, 3, 3, bits=16)])
    )
    assert header.concatenation == pdu.Concatenation(0x0102, 3, 3, 16)
    ports = [pdu.application_ports_ie(1, 2), pdu.application_ports_ie(3, 4, bits=8)]
    header = pdu.parse_udh(pdu.build_udh(ports))
    assert header.ports == pdu.ApplicationPorts(3, 4, 8)


@pytest.mark.parametrize("raw", ["050003CC0002", "050003CC0000", "050003CC0203"])
def test_invalid_concatenation_values_are_ignored(raw: str) -> None:
    """A sequence of 0 or above the total, or a total of 0, voids the IE (§9.2.3.24.1) but keeps it."""
    header = pdu.parse_udh(bytes.fromhex(raw))
    assert header.concatenation is None
    assert len(header.elements) == 1


@pytest.mark.parametrize(
    ("raw", "offset", "message"),
    [
        ("", 0, "user data is empty"),
        ("06000301", 0, "UDHL says 6 octets of header but only 3"),
        ("0300030102", 2, "says 3 octets: past the header end"),
        ("0100", 1, "cut off by the end of the header"),
        ("0100414243", 1, "cut off by the end of the header"),
        ("0424010100", 4, "cut off by the end of the header"),
        ("0400020102", 2, "0x00 has length 2, but its length must be 3"),
        ("0424020101", 2, "0x24 has length 2, but its length must be 1"),
        ("050803010203", 2, "0x08 has length 3, but its length must be 4"),
    ],
)
def test_malformed_udh_is_a_clear_error(raw: str, offset: int, message: str) -> None:
    """A malformed header raises InvalidUDHError with the offset of the fault."""
    with pytest.raises(InvalidUDHError, match=message) as info:
        pdu.parse_udh(bytes.fromhex(raw))
    assert info.value.offset == offset
    assert isinstance(info.value, DecodeError)


# --- Data coding scheme


def test_data_coding_values() -> None:
    """0x00 / 0x08, and class 0 (flash) 0x10 / 0x18."""
    assert pdu.data_coding("GSM7") == 0x00
    assert pdu.data_coding("UCS-2") == 0x08
    assert pdu.data_coding(smsencode.Encoding.GSM7, flash=True) == 0x10
    assert pdu.data_coding("UTF16", flash=True) == 0x18


@pytest.mark.parametrize(
    ("dcs", "charset"),
    [
        (0x00, "GSM7"), (0x04, "8BIT"), (0x08, "UCS2"), (0x0C, "GSM7"), (0x10, "GSM7"), (0x18, "UCS2"),
        (0x11, "GSM7"), (0x15, "8BIT"), (0x48, "UCS2"), (0x80, "GSM7"), (0xB8, "GSM7"), (0xC0, "GSM7"),
        (0xD8, "GSM7"), (0xE0, "UCS2"), (0xF0, "GSM7"), (0xF4, "8BIT"), (0xF7, "8BIT"), (0xF3, "GSM7"),
    ],
)
def test_charset_of_dcs(dcs: int, charset: str) -> None:
    """TS 23.038 §4 coding groups; reserved values read as the default alphabet."""
    assert pdu.charset(dcs) == charset


@pytest.mark.parametrize("dcs", [0x20, 0x28, 0x64])
def test_compressed_dcs_is_refused(dcs: int) -> None:
    """Compressed text is a decode error, not garbage."""
    with pytest.raises(DecodeError, match="compressed"):
        pdu.charset(dcs)


# --- User data of a segmentation


@pytest.mark.parametrize("case", VECTORS["user_data"], ids=lambda c: c["label"])
def test_user_data_vectors(case: dict) -> None:
    """Exact TP-UD and TP-UDL of each part; decoding each part gives the part back."""
    s = smsencode.segment(text_of(case), encoding=case["encoding"], reference_bits=case["reference_bits"])
    assert [len(p) for p in s.parts] == case["part_texts_lengths"]
    uds = s.user_data(reference=case["reference"])
    assert [u.hex().upper() for u in uds] == case["user_data"]
    assert s.user_data_lengths() == case["udl"]
    assert s.data_coding() == case["data_coding"]
    for ud, udl, part in zip(uds, case["udl"], s.parts, strict=True):
        assert len(ud) <= pdu.TP_UD_OCTETS
        decoded = pdu.decode_user_data(ud, case["data_coding"], pdu.segmentation_udhi(s), udl=udl)
        assert decoded.text == part


def ref_user_data(case: dict) -> tuple[list[bytes], list[int]]:
    """The TP-UD and TP-UDL of each part of a vector, built by hand from the spec alone.

    The parts are cut at the vector's part lengths (the capacities of design.md §1); the UDH is
    written octet by octet (TS 23.040 §9.2.3.24.1 / §9.2.3.24.8); GSM-7 is looked up character by
    character and packed bit by bit after the fill bits that reach the next septet boundary.
    """
    text, ref, total = text_of(case), case["reference"], len(case["part_texts_lengths"])
    parts, start = [], 0
    for n in case["part_texts_lengths"]:
        parts.append(text[start : start + n])
        start += n
    assert "".join(parts) == text
    uds, udls = [], []
    for seq, part in enumerate(parts, 1):
        if total == 1:
            udh = b""
        elif case["reference_bits"] == 8:
            udh = bytes([5, 0x00, 3, ref, total, seq])
        else:
            udh = bytes([6, 0x08, 4, ref >> 8, ref & 0xFF, total, seq])
        if case["encoding"] == "GSM7":
            fill = next(f for f in range(7) if (8 * len(udh) + f) % 7 == 0)
            septets = ref_septets(part)
            uds.append(udh + ref_pack(septets, fill))
            udls.append((8 * len(udh) + fill) // 7 + len(septets))
        else:
            uds.append(udh + part.encode("utf-16-be"))
            udls.append(len(uds[-1]))
    return uds, udls


@pytest.mark.parametrize("case", VECTORS["user_data"], ids=lambda c: c["label"])
def test_user_data_vectors_match_the_hand_built_reference(case: dict) -> None:
    """The pinned user data is what the spec prescribes, built without the library's code."""
    uds, udls = ref_user_data(case)
    assert [u.hex().upper() for u in uds] == case["user_data"]
    assert udls == case["udl"]


def test_three_part_udhs_and_payload_start() -> None:
    """The three-part vector: UDH 050003CC03nn, and the payload starts after one fill bit."""
    case = next(c for c in VECTORS["user_data"] if c["label"].startswith("three GSM-7 parts"))
    uds = [bytes.fromhex(h) for h in case["user_data"]]
    assert [u[:6].hex().upper() for u in uds] == ["050003CC0301", "050003CC0302", "050003CC0303"]
    # 'T' = 0x54 shifted past one fill bit: the low bit of octet 6 is the fill bit (zero).
    assert uds[0][6] == (0x54 << 1) & 0xFF
    assert [len(u) for u in uds] == [140, 140, 6 + (7 * 9 + 1 + 7) // 8]


def test_sixteen_bit_reference_udh() -> None:
    """A 16-bit reference: IEI 0x08, the reference big-endian, no fill bits."""
    s = smsencode.segment("x" * 161, reference_bits=16)
    uds = s.user_data(reference=0xABCD)
    assert [u[:7].hex().upper() for u in uds] == ["060804ABCD0201", "060804ABCD0202"]
    assert uds[0][7:] == pdu.pack_septets(b"x" * 152)


def test_utf16_two_parts() -> None:
    """UTF-16 parts: concatenation UDH then UTF-16-BE, UDL in octets."""
    s = smsencode.segment("😀" * 40)
    uds = s.user_data(reference=1)
    assert s.data_coding() == 0x08
    assert [u[:6].hex() for u in uds] == ["050003010201", "050003010202"]
    assert uds[0][6:] == ("😀" * 33).encode("utf-16-be")
    assert s.user_data_lengths() == [6 + 132, 6 + 28]


def test_single_part_has_no_udh() -> None:
    """One part: no header, no reference needed; a reference given is still checked."""
    s = smsencode.segment("hellohello")
    assert s.user_data() == [bytes.fromhex("E8329BFD4697D9EC37")]
    assert s.user_data(reference=99) == s.user_data()
    assert not pdu.segmentation_udhi(s)
    with pytest.raises(ValueError, match="0 to 255"):
        s.user_data(reference=256)


def test_empty_text_is_one_empty_part() -> None:
    """Empty text is one part of zero units: empty user data, UDL 0."""
    s = smsencode.segment("")
    assert s.user_data() == [b""]
    assert s.user_data_lengths() == [0]


def test_multipart_needs_a_reference() -> None:
    """None for a multipart message is a ValueError that points at the allocator."""
    s = smsencode.segment("a" * 200)
    with pytest.raises(ValueError, match="ReferenceAllocator"):
        s.user_data()
    with pytest.raises(ValueError, match="0 to 255, not 256"):
        s.user_data(reference=256)
    with pytest.raises(ValueError, match="0 to 65535, not 65536"):
        smsencode.segment("a" * 200, reference_bits=16).user_data(reference=65536)
    with pytest.raises(TypeError, match="reference must be an int"):
        s.user_data(reference="1")  # type: ignore[arg-type]
    assert smsencode.segment("a" * 200, reference_bits=16).user_data(reference=65535)[0][3:5] == b"\xff\xff"


def test_unpacked_user_data_for_smpp() -> None:
    """packed=False: header, then one septet per octet (escape pairs as 0x1B + code)."""
    s = smsencode.segment("€" * 81)
    uds = s.user_data(reference=3, packed=False)
    assert uds[0] == bytes.fromhex("050003030201") + b"\x1be" * 76
    assert uds[1] == bytes.fromhex("050003030202") + b"\x1be" * 5
    assert s.user_data_lengths(packed=False) == [6 + 152, 6 + 10]
    assert smsencode.segment("hi").user_data(packed=False) == [b"hi"]


def test_encode_user_data() -> None:
    """The building block for callers with their own headers (ports, say)."""
    ud = pdu.encode_user_data("hi", elements=[pdu.application_ports_ie(2948, 9200)])
    assert ud == bytes.fromhex("0605040B8423F0") + pdu.pack_septets(b"hi", fill_bits=pdu.fill_bits(7))
    assert pdu.encode_user_data("ж", encoding="UCS-2") == "ж".encode("utf-16-be")
    with pytest.raises(smsencode.InvalidCharactersError) as info:
        pdu.encode_user_data("a`b")
    assert info.value.characters == ((1, "`"),)
    with pytest.raises(ValueError, match="does not fit one SMS"):
        pdu.encode_user_data("a" * 161)
    assert pdu.user_data_length(140, udh_octets=6, septets=153) == 160


_PART_DEFAULTS: dict = {
    "encoding": "GSM7", "policy": "TO_UTF16", "max_parts": None, "bits": 8, "reference": 0, "packed": True,
    "languages": (),
}


@settings(max_examples=150, deadline=None)
@given(
    text=strategies.sms_text,
    encoding=st.sampled_from(["GSM7", "UTF16"]),
    policy=st.sampled_from(["TO_UTF16", "TO_UTF16", "REPLACE", "TRANSLITERATE"]),
    max_parts=st.sampled_from([None, None, 1, 2, 3]),
    bits=st.sampled_from([8, 16]),
    reference=st.integers(0, 65535),
    packed=st.booleans(),
    languages=st.sampled_from([(), (), ("tr",), ("es", "pt"), ("hi", "bn"), ("ur",)]),
)
@example(**_PART_DEFAULTS, text="a" * 152 + "{" + "a" * 152)
@example(**_PART_DEFAULTS, text="x" * 159 + "@")
@example(**{**_PART_DEFAULTS, "languages": ("tr",)}, text="")
@example(**{**_PART_DEFAULTS, "bits": 16, "reference": 0xFEDC, "languages": ("tr", "es")}, text="şç" * 100)
def test_every_part_decodes_back(
    text: str,
    encoding: str,
    policy: str,
    max_parts: int | None,
    bits: int,
    reference: int,
    packed: bool,
    languages: tuple[str, ...],
) -> None:
    """For any text and segment options, decoding each user_data() part (with its UDL) and joining
    gives back the text; every packed part fits 140 octets, and the UDL matches the octets."""
    s = smsencode.segment(
        text, encoding=encoding, invalid_characters=policy, max_parts=max_parts, reference_bits=bits,
        national_languages=languages,
    )
    reference &= 0xFF if bits == 8 else 0xFFFF
    uds = s.user_data(reference=reference, packed=packed)
    udls = s.user_data_lengths(packed=packed)
    udhi = pdu.segmentation_udhi(s)
    national = s.alphabet is not None and (s.alphabet.locking, s.alphabet.single) != (None, None)
    assert udhi == (s.part_count > 1 or national) == s.udhi
    assert len(uds) == len(udls) == s.part_count
    texts = []
    for ud, udl in zip(uds, udls, strict=True):
        if packed:
            assert len(ud) <= pdu.TP_UD_OCTETS
            if s.encoding == "GSM7":
                assert len(ud) == (udl * 7 + 7) // 8
                assert udl <= 160
            else:
                assert len(ud) == udl
        else:
            assert len(ud) == udl
        decoded = pdu.decode_user_data(ud, s.data_coding(), udhi, udl=udl if packed else None, packed=packed)
        if s.part_count > 1:
            assert decoded.header is not None
            expected = pdu.Concatenation(reference, s.part_count, len(texts) + 1, bits)  # type: ignore[arg-type]
            assert decoded.header.concatenation == expected
        texts.append(decoded.text)
    assert "".join(texts) == s.text


@settings(max_examples=60, deadline=None)
@given(text=strategies.gsm_text)
def test_decoding_without_udl_when_no_trailing_at(text: str) -> None:
    """Without the UDL, text that does not end in '@' still decodes exactly."""
    text = text.rstrip("@")
    s = smsencode.segment(text, encoding="GSM7")
    uds = s.user_data(reference=5)
    udhi = pdu.segmentation_udhi(s)
    assert "".join(pdu.decode_user_data(u, 0, udhi).text for u in uds) == s.text


# --- Decoding


@pytest.mark.parametrize("case", VECTORS["decoding"], ids=lambda c: c["label"])
def test_decoding_vectors(case: dict) -> None:
    """Published and constructed TP-UD decode to the exact text and header elements."""
    decoded = pdu.decode_user_data(
        bytes.fromhex(case["user_data"]),
        case["data_coding"],
        case["udhi"],
        udl=case.get("udl"),
        packed=case.get("packed", True),
    )
    assert decoded.text == case["text"]
    elements = decoded.header.elements if decoded.header is not None else ()
    assert [[ie.iei, ie.data.hex().upper()] for ie in elements] == case["elements"]
    if "concatenation" in case:
        assert decoded.header is not None
        assert decoded.header.concatenation == pdu.Concatenation(*case["concatenation"])
    if "ports" in case:
        assert decoded.header is not None
        assert decoded.header.ports == pdu.ApplicationPorts(*case["ports"])


def test_seven_zero_pad_bits_are_not_an_at_sign() -> None:
    """Without a UDL, 8n-1 septets: the zero septet in the padding is dropped; with it, it is kept."""
    ud = pdu.pack_septets(b"pattern")
    assert pdu.decode_user_data(ud, 0, False).text == "pattern"
    assert pdu.decode_user_data(ud, 0, False, udl=8).text == "pattern@"
    assert pdu.decode_user_data(ud, 0, False, udl=7).text == "pattern"


@pytest.mark.parametrize(
    ("ud", "dcs", "udhi", "kwargs", "error", "offset", "message"),
    [
        ("411B", 0, False, {"packed": False}, InvalidSeptetError, 1, "escape 0x1B at the end"),
        ("4180", 0, False, {"packed": False}, InvalidSeptetError, 1, "byte 0x80 is not a septet"),
        ("0500030102014180", 0, True, {"packed": False}, InvalidSeptetError, 7, "byte 0x80"),
        ("00410042", 8, False, {}, None, None, None),
        ("004100", 8, False, {}, DecodeError, 2, "odd number of octets"),
        ("0041D83D", 8, False, {}, DecodeError, 2, "surrogate"),
        ("DE00", 8, False, {}, DecodeError, 0, "surrogate"),
        ("E8329BFD06", 0, False, {"udl": 6}, DecodeError, 5, "needs 6 octets"),
        ("E8329BFD06", 0, False, {"udl": 4}, DecodeError, 4, "needs 4 octets"),
        ("0500030102010000", 0, True, {"udl": 3}, DecodeError, 0, "less than the 7 septets"),
        ("00410042", 8, False, {"udl": 3}, DecodeError, 3, "TP-UDL says 3 octets"),
        ("E8329BFD06", 4, False, {}, DecodeError, None, "8-bit data"),
        ("E8329BFD06", 0x24, False, {}, DecodeError, None, "compressed"),
        ("0700030102", 0, True, {}, InvalidUDHError, 0, "UDHL says 7"),
    ],
)
def test_decode_errors_carry_offsets(
    ud: str,
    dcs: int,
    udhi: bool,
    kwargs: dict,
    error: type[Exception] | None,
    offset: int | None,
    message: str,
) -> None:
    """Every malformed input is the library's DecodeError (or subclass) with the offending offset."""
    data = bytes.fromhex(ud)
    if error is None:
        assert pdu.decode_user_data(data, dcs, udhi, **kwargs).text == "AB"
        return
    with pytest.raises(error, match=message) as info:
        pdu.decode_user_data(data, dcs, udhi, **kwargs)
    assert info.value.offset == offset  # type: ignore[attr-defined]


def test_lone_escape_in_packed_data_points_at_its_octet() -> None:
    """The offset of a bad septet in packed data is the octet where that septet starts."""
    septets = b"abcdefgh\x1b"
    ud = pdu.build_udh([pdu.concatenation_ie(1, 2, 1)]) + pdu.pack_septets(septets, 1)
    with pytest.raises(InvalidSeptetError) as info:
        pdu.decode_user_data(ud, 0, True, udl=7 + 9)
    assert info.value.offset == 6 + (1 + 7 * 8) // 8


def test_parse_user_data_gives_8bit_payload() -> None:
    """8-bit data has no text, but its header and payload are available."""
    ud = pdu.build_udh([pdu.application_ports_ie(2948, 9200)]) + b"\x01\x06\xff"
    raw = pdu.parse_user_data(ud, 0xF5, True)
    assert raw.charset is pdu.Charset.DATA_8BIT
    assert raw.payload == b"\x01\x06\xff"
    assert raw.header is not None and raw.header.ports == pdu.ApplicationPorts(2948, 9200, 16)


def _element(iei: int, size: int) -> st.SearchStrategy[bytes]:
    return st.binary(min_size=size, max_size=size).map(lambda d: bytes((iei, len(d))) + d)


# Headers that parse, with the elements that change decoding (shift tables, concatenation),
# followed by anything: the part of the input space where plain random bytes rarely go.
_ELEMENT = st.one_of(
    _element(pdu.IEI_SINGLE_SHIFT, 1),
    _element(pdu.IEI_LOCKING_SHIFT, 1),
    st.integers(0, 15).map(lambda n: bytes((pdu.IEI_SINGLE_SHIFT, 1, n))),
    st.integers(0, 15).map(lambda n: bytes((pdu.IEI_LOCKING_SHIFT, 1, n))),
    _element(pdu.IEI_CONCATENATION_8, 3),
    _element(pdu.IEI_CONCATENATION_16, 4),
    _element(pdu.IEI_APPLICATION_PORT_16, 4),
    st.integers(0, 255).flatmap(lambda iei: st.integers(0, 6).flatmap(lambda n: _element(iei, n))),
)
WELL_HEADED = st.builds(
    lambda elements, rest: bytes((len(b"".join(elements)),)) + b"".join(elements) + rest,
    st.lists(_ELEMENT, max_size=4),
    st.binary(max_size=140),
)


def _off_headed(elements: list[bytes], delta: int, keep: int | None) -> bytes:
    body = b"".join(elements)
    udhl = (len(body) + delta) % 256
    ud = bytes((udhl,)) + body
    return ud if keep is None else ud[: max(0, 1 + udhl + keep)]


# The same with a UDHL a little off, the data often ending near where the UDHL says the header
# does: elements cut off by the header's end or by the data's.
OFF_HEADED = st.builds(
    _off_headed,
    st.lists(_ELEMENT, min_size=1, max_size=3),
    st.integers(-4, 4),
    st.one_of(st.none(), st.integers(-2, 1)),
)
ANY_UD = st.one_of(st.binary(max_size=160), WELL_HEADED, OFF_HEADED)


@settings(max_examples=600)
@given(
    ud=ANY_UD,
    dcs=st.integers(0, 255),
    udhi=st.booleans(),
    packed=st.booleans(),
    udl=st.one_of(st.none(), st.integers(0, 255)),
)
@example(ud=b"\x05\x24\x01\x07\x25\x01", dcs=0, udhi=True, packed=True, udl=None)
@example(ud=b"\x06\x25\x01\x0b\x24\x01\x0b\x09", dcs=0, udhi=True, packed=False, udl=None)
def test_arbitrary_bytes_decode_or_raise_decode_error(
    ud: bytes, dcs: int, udhi: bool, packed: bool, udl: int | None
) -> None:
    """Decoding arbitrary bytes, with every DCS and either UDHI, returns text or raises
    DecodeError — never anything else; splitting them into header and payload likewise."""
    try:
        raw = pdu.parse_user_data(ud, dcs, udhi, udl=udl, packed=packed)
    except DecodeError as exc:
        assert isinstance(exc, SmsEncodeError)
        assert exc.offset is None or 0 <= exc.offset <= len(ud)
    else:
        assert raw.payload_offset == (raw.header.octets if raw.header is not None else 0)
    try:
        decoded = pdu.decode_user_data(ud, dcs, udhi, udl=udl, packed=packed)
    except DecodeError as exc:
        assert exc.offset is None or 0 <= exc.offset <= len(ud)
        return
    assert isinstance(decoded.text, str)
    assert decoded.charset is not pdu.Charset.DATA_8BIT


# --- National language shift tables


def test_national_shift_ies_select_the_tables() -> None:
    """IEs 0x24 / 0x25 in the header decide which tables decode the septets."""
    turkish = national_alphabet(1, 1)
    text = "Ğüzel şey €"
    septets = turkish.encode(text)
    ud = pdu.encode_user_data(
        text, elements=[pdu.single_shift_ie(1), pdu.locking_shift_ie(1)], alphabet=turkish
    )
    udl = pdu.user_data_length(len(ud), udh_octets=7, septets=len(septets))
    decoded = pdu.decode_user_data(ud, 0, True, udl=udl)
    assert decoded.text == text
    assert decoded.alphabet is turkish
    # The same septets read with the default tables are different text.
    assert septets.decode("gsm-7") != text


def test_single_shift_only() -> None:
    """Spanish has a single shift table only: 0x24 with the default locking table."""
    spanish = national_alphabet(None, 2)
    text = "Canción: á é í ó ú"
    ud = pdu.encode_user_data(text, elements=[pdu.single_shift_ie(2)], alphabet=spanish, packed=False)
    assert pdu.decode_user_data(ud, 0, True, packed=False).text == text


def test_unknown_national_language_falls_back_to_default() -> None:
    """An id the library has no table for is read with the default table (§9.2.3.24.15), and
    the result says which tables were used."""
    ud = pdu.build_udh([pdu.locking_shift_ie(99), pdu.single_shift_ie(2)]) + b"\x1b\x09"
    decoded = pdu.decode_user_data(ud, 0, True, packed=False)
    assert decoded.alphabet is national_alphabet(None, 2)
    assert decoded.text == "ç"  # Spanish single shift 0x09 is small c cedilla
    ud = pdu.build_udh([pdu.locking_shift_ie(2)]) + b"A"  # Spanish has no locking table
    assert pdu.decode_user_data(ud, 0, True, packed=False).alphabet is DEFAULT


def test_undefined_septet_of_a_national_locking_table() -> None:
    """A septet a national locking table leaves undefined is an InvalidSeptetError."""
    tamil = national_alphabet(11, None)
    assert 0x00 not in tamil.basic
    ud = pdu.build_udh([pdu.locking_shift_ie(11)]) + b"\x00"
    with pytest.raises(InvalidSeptetError, match="undefined") as info:
        pdu.decode_user_data(ud, 0, True, packed=False)
    assert info.value.offset == 4


def test_national_segmentation_user_data() -> None:
    """A segmentation that chose national tables carries their IEs in every part."""
    try:
        s = smsencode.segment("Ğ" * 200, national_languages=("tr",))
    except NotImplementedError:
        pytest.skip("national language segmentation is not available")
    assert s.alphabet is not None and s.alphabet.locking == 1
    uds = s.user_data(reference=7)
    udls = s.user_data_lengths()
    texts = []
    for ud, udl in zip(uds, udls, strict=True):
        header = pdu.parse_udh(ud)
        assert header.locking_shift == 1
        assert len(ud) <= pdu.TP_UD_OCTETS
        texts.append(pdu.decode_user_data(ud, 0, True, udl=udl).text)
    assert "".join(texts) == s.text


# --- References


def test_reference_allocator_counts_and_wraps() -> None:
    """References come in turn, wrap at 256 (or 65536), and can count per destination."""
    refs = pdu.ReferenceAllocator()
    assert [refs.next() for _ in range(258)][-3:] == [255, 0, 1]
    wide = pdu.ReferenceAllocator(16, start=65535)
    assert (wide.next(), wide.next(), wide.bits) == (65535, 0, 16)
    per = pdu.ReferenceAllocator(start=10)
    assert [per.next("a"), per.next("a"), per.next("b"), per.peek("a"), per.peek("b")] == [10, 11, 10, 12, 11]
    per.forget("a")
    assert per.next("a") == 10
    with pytest.raises(ValueError, match="start must be from 0 to 255"):
        pdu.ReferenceAllocator(start=256)
    with pytest.raises(ValueError, match="bits must be 8 or 16"):
        pdu.ReferenceAllocator(bits=7)  # type: ignore[arg-type]


def test_reference_allocator_is_thread_safe() -> None:
    """Concurrent callers never receive the same reference within one cycle."""
    refs = pdu.ReferenceAllocator(16)
    seen: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        got = [refs.next() for _ in range(2000)]
        with lock:
            seen.extend(got)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(seen) == list(range(16000))
