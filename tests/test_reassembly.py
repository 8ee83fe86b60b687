"""Reassembly of concatenated messages (smsencode.pdu.Reassembler)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import smsencode
from smsencode import pdu
from smsencode.alphabet import DEFAULT, national_alphabet
from smsencode.errors import DecodeError, InvalidSeptetError
from tests import strategies
from tests.test_pdu import ANY_UD

SENDER = "+4915112345678"


def parts_of(text: str, **options: object) -> tuple[list[bytes], int, bool]:
    s = smsencode.segment(text, **options)  # type: ignore[arg-type]
    return s.user_data(reference=42), s.data_coding(), pdu.segmentation_udhi(s)


@settings(max_examples=100, deadline=None)
@given(
    text=strategies.sms_text,
    encoding=st.sampled_from(["GSM7", "UTF16"]),
    bits=st.sampled_from([8, 16]),
    languages=st.sampled_from([(), ("tr",), ("pt", "es")]),
    order=st.randoms(use_true_random=False),
)
@example(text="a" * 500, encoding="GSM7", bits=8, languages=(), order=None)
def test_shuffled_parts_give_back_the_text(
    text: str, encoding: str, bits: int, languages: tuple[str, ...], order: object
) -> None:
    """Parts added in any order complete the message exactly once, with the original text."""
    s = smsencode.segment(text, encoding=encoding, reference_bits=bits, national_languages=languages)
    uds = s.user_data(reference=200)
    udls = s.user_data_lengths()
    indexed = list(enumerate(zip(uds, udls, strict=True)))
    if order is not None:
        order.shuffle(indexed)  # type: ignore[attr-defined]
    r = pdu.Reassembler()
    results = [
        r.add(SENDER, ud, s.data_coding(), pdu.segmentation_udhi(s), now=float(t), udl=udl)
        for t, (_, (ud, udl)) in enumerate(indexed)
    ]
    assert [x.status for x in results[:-1]] == [pdu.PartStatus.PENDING] * (len(results) - 1)
    assert results[-1].status is pdu.PartStatus.COMPLETE
    assert results[-1].text == s.text
    assert len(r) == 0


def test_single_part_passes_straight_through() -> None:
    """A message that was not split is complete at once, with no key."""
    r = pdu.Reassembler()
    result = r.add(SENDER, bytes.fromhex("E8329BFD4697D9EC37"), 0x00, False, now=0.0, udl=10)
    assert (result.status, result.key, result.text) == (pdu.PartStatus.COMPLETE, None, "hellohello")


def test_gaps_are_reported() -> None:
    """Each add says which parts are held and which are missing; pending() lists them."""
    uds, dcs, udhi = parts_of("x" * 500)  # 4 parts
    r = pdu.Reassembler()
    first = r.add(SENDER, uds[2], dcs, udhi, now=5.0)
    assert first.status is pdu.PartStatus.PENDING
    assert (first.key, first.received, first.missing) == ((SENDER, 42, 4), (3,), (1, 2, 4))
    second = r.add(SENDER, uds[0], dcs, udhi, now=7.0)
    assert (second.received, second.missing) == ((1, 3), (2, 4))
    [pending] = r.pending()
    assert pending == pdu.PendingMessage((SENDER, 42, 4), (1, 3), (2, 4), 5.0, 7.0)


def test_duplicates_are_reported_not_used() -> None:
    """A second copy of a part is a DUPLICATE; a different payload under the same number is flagged."""
    uds, dcs, udhi = parts_of("x" * 200)
    other, _, _ = parts_of("y" * 200)
    r = pdu.Reassembler()
    r.add(SENDER, uds[0], dcs, udhi, now=0.0)
    dup = r.add(SENDER, uds[0], dcs, udhi, now=1.0)
    assert dup.status is pdu.PartStatus.DUPLICATE
    assert not dup.conflicting
    assert (dup.received, dup.missing) == ((1,), (2,))
    clash = r.add(SENDER, other[0], dcs, udhi, now=2.0)
    assert clash.status is pdu.PartStatus.DUPLICATE and clash.conflicting
    done = r.add(SENDER, uds[1], dcs, udhi, now=3.0)
    assert done.text == "x" * 200


def test_messages_are_kept_apart_by_sender_reference_and_total() -> None:
    """Same reference from two senders, or with another total, are different messages."""
    a, dcs, udhi = parts_of("a" * 200)  # 2 parts
    b, _, _ = parts_of("b" * 200)
    c, _, _ = parts_of("c" * 400)  # 3 parts, same reference
    r = pdu.Reassembler()
    r.add("alice", a[0], dcs, udhi, now=0)
    r.add("bob", b[1], dcs, udhi, now=0)
    r.add("alice", c[2], dcs, udhi, now=0)
    assert len(r) == 3
    assert r.add("bob", b[0], dcs, udhi, now=1).text == "b" * 200
    assert r.add("alice", a[1], dcs, udhi, now=1).text == "a" * 200
    assert [p.key for p in r.pending()] == [("alice", 42, 3)]


def test_expire_drops_and_returns_stale_messages() -> None:
    """expire(before) removes the messages whose latest part is older, and returns them."""
    uds, dcs, udhi = parts_of("x" * 200)
    r = pdu.Reassembler()
    r.add("old", uds[0], dcs, udhi, now=10.0)
    r.add("new", uds[0], dcs, udhi, now=100.0)
    gone = r.expire(before=50.0)
    assert [p.key[0] for p in gone] == ["old"]
    assert gone[0].missing == (2,)
    assert [p.key[0] for p in r.pending()] == ["new"]
    assert r.expire(before=50.0) == []


def test_surrogate_pair_split_by_a_sender_is_mended() -> None:
    """Some senders cut a surrogate pair between parts; joined UTF-16 decodes whole."""
    payload = ("a" * 66 + "😀" + "b").encode("utf-16-be")  # 😀 occupies code units 67 and 68
    cut = 67 * 2
    p1 = pdu.build_udh([pdu.concatenation_ie(9, 2, 1)]) + payload[:cut]
    p2 = pdu.build_udh([pdu.concatenation_ie(9, 2, 2)]) + payload[cut:]
    with pytest.raises(DecodeError):
        pdu.decode_user_data(p1, 0x08, True)  # on its own the first part is broken UTF-16
    r = pdu.Reassembler()
    r.add(SENDER, p2, 0x08, True, now=0)
    assert r.add(SENDER, p1, 0x08, True, now=1).text == "a" * 66 + "😀b"


def test_escape_split_by_a_sender_is_mended() -> None:
    """An escape at the end of one part joins the first septet of the next."""
    p1 = pdu.build_udh([pdu.concatenation_ie(3, 2, 1)]) + b"price \x1b"
    p2 = pdu.build_udh([pdu.concatenation_ie(3, 2, 2)]) + b"e5"
    r = pdu.Reassembler()
    r.add(SENDER, p1, 0x00, True, now=0, packed=False)
    assert r.add(SENDER, p2, 0x00, True, now=0, packed=False).text == "price €5"


def test_undecodable_part_is_refused_and_the_message_waits_for_a_good_copy() -> None:
    """A part that cannot be decoded whatever its neighbours hold is refused as it arrives, with
    the offset of the fault in its TP-UD; the message keeps its other parts."""
    head = pdu.build_udh([pdu.concatenation_ie(3, 3, 2)])
    tail = pdu.build_udh([pdu.concatenation_ie(3, 3, 3)])
    r = pdu.Reassembler()
    r.add(SENDER, pdu.build_udh([pdu.concatenation_ie(3, 3, 1)]) + b"ok ", 0x00, True, now=0, packed=False)
    with pytest.raises(InvalidSeptetError, match="0x80") as info:
        r.add(SENDER, head + b"b\x80d", 0x00, True, now=1, packed=False)
    assert info.value.offset == 7
    with pytest.raises(InvalidSeptetError, match="escape 0x1B at the end"):
        r.add(SENDER, tail + b"x\x1b", 0x00, True, now=1, packed=False)
    with pytest.raises(DecodeError, match="odd number of octets"):
        r.add(SENDER, head + b"\x00b\x00", 0x08, True, now=1)
    [pending] = r.pending()
    assert (pending.received, pending.missing) == ((1,), (2, 3))
    r.add(SENDER, head + b"\x00b\x00a", 0x08, True, now=2)
    done = r.add(SENDER, tail + b"d!", 0x00, True, now=3, packed=False)
    assert done.text == "ok bad!"


def test_packed_part_error_points_at_its_octet() -> None:
    """In a packed part the error offset is the octet of the TP-UD where the bad septet starts."""
    r = pdu.Reassembler()
    ud = pdu.build_udh([pdu.concatenation_ie(3, 2, 2)]) + pdu.pack_septets(b"abcdefgh\x1b", 1)
    with pytest.raises(InvalidSeptetError) as info:
        r.add(SENDER, ud, 0x00, True, now=0, udl=7 + 9)
    assert info.value.offset == 6 + (1 + 7 * 8) // 8
    assert len(r) == 0


def test_halves_that_cannot_join_drop_the_message_with_an_error() -> None:
    """An escape ending part 1 may be mended by part 2, so part 1 is held; when part 2 turns out to
    be UCS-2 the message cannot be decoded: the error says so and the message is not kept."""
    p1 = pdu.build_udh([pdu.concatenation_ie(3, 2, 1)]) + b"ok\x1b"
    p2 = pdu.build_udh([pdu.concatenation_ie(3, 2, 2)]) + "é".encode("utf-16-be")
    r = pdu.Reassembler()
    assert r.add(SENDER, p1, 0x00, True, now=0, packed=False).status is pdu.PartStatus.PENDING
    with pytest.raises(DecodeError, match="was dropped: part 1 ends with a lone escape"):
        r.add(SENDER, p2, 0x08, True, now=0)
    assert len(r) == 0


def test_sixteen_bit_references_keep_messages_apart() -> None:
    """16-bit references: two messages from one sender whose references differ only in the high
    octet stay apart, and the key carries the whole reference."""
    a = smsencode.segment("a" * 200, reference_bits=16).user_data(reference=0x0107)
    b = smsencode.segment("b" * 200, reference_bits=16).user_data(reference=0x0207)
    r = pdu.Reassembler()
    assert r.add(SENDER, a[0], 0x00, True, now=0).key == (SENDER, 0x0107, 2)
    assert r.add(SENDER, b[1], 0x00, True, now=1).key == (SENDER, 0x0207, 2)
    assert r.add(SENDER, b[0], 0x00, True, now=2).text == "b" * 200
    assert r.add(SENDER, a[1], 0x00, True, now=3).text == "a" * 200


def test_each_part_is_read_with_its_own_national_tables() -> None:
    """Parts may name different shift tables (or none): each is decoded with its own."""
    turkish = [pdu.single_shift_ie(1), pdu.locking_shift_ie(1)]
    p1 = pdu.encode_user_data(
        "Ğüzel ", elements=[pdu.concatenation_ie(8, 2, 1), *turkish], alphabet=national_alphabet(1, 1)
    )
    p2 = pdu.encode_user_data("Øre", elements=[pdu.concatenation_ie(8, 2, 2)])
    r = pdu.Reassembler()
    r.add(SENDER, p2, 0x00, True, now=0)
    assert r.add(SENDER, p1, 0x00, True, now=1).text == "Ğüzel Øre"


def test_same_payload_under_other_tables_is_a_conflicting_duplicate() -> None:
    """A second copy with the same septets but other shift tables would read differently: conflicting."""
    septets = b"\x0b"  # Ø in the default table, Ğ in the Turkish locking table
    plain = pdu.build_udh([pdu.concatenation_ie(8, 2, 1)]) + septets
    turkish = pdu.build_udh([pdu.concatenation_ie(8, 2, 1), pdu.locking_shift_ie(1)]) + septets
    r = pdu.Reassembler()
    r.add(SENDER, plain, 0x00, True, now=0, packed=False)
    assert r.add(SENDER, plain, 0x00, True, now=1, packed=False).conflicting is False
    assert r.add(SENDER, turkish, 0x00, True, now=2, packed=False).conflicting is True


def test_times_may_arrive_out_of_order() -> None:
    """first_seen and last_seen are the earliest and latest times given, whatever the order."""
    uds, dcs, udhi = parts_of("x" * 500)
    r = pdu.Reassembler()
    r.add(SENDER, uds[0], dcs, udhi, now=10.0)
    r.add(SENDER, uds[1], dcs, udhi, now=4.0)
    r.add(SENDER, uds[1], dcs, udhi, now=12.0)  # a duplicate still shows the message is alive
    [pending] = r.pending()
    assert (pending.first_seen, pending.last_seen) == (4.0, 12.0)
    assert r.expire(before=12.0) == []
    assert [p.key for p in r.expire(before=12.5)] == [(SENDER, 42, 4)]


def test_bad_parts_are_refused_at_the_door() -> None:
    """A malformed header or 8-bit data raises before anything is stored."""
    r = pdu.Reassembler()
    with pytest.raises(DecodeError):
        r.add(SENDER, b"\x09\x00\x03", 0x00, True, now=0)
    with pytest.raises(DecodeError, match="8-bit"):
        r.add(SENDER, pdu.build_udh([pdu.concatenation_ie(1, 2, 1)]) + b"\x01", 0xF4, True, now=0)
    assert len(r) == 0


def test_mixed_character_sets_in_one_message() -> None:
    """Parts may each have their own DCS; a GSM-7 part and a UCS-2 part join."""
    p1 = pdu.build_udh([pdu.concatenation_ie(5, 2, 1)]) + b"Hi "
    p2 = pdu.build_udh([pdu.concatenation_ie(5, 2, 2)]) + "мир".encode("utf-16-be")
    r = pdu.Reassembler()
    r.add(SENDER, p1, 0x00, True, now=0, packed=False)
    assert r.add(SENDER, p2, 0x08, True, now=0).text == "Hi мир"


def _garbage_part() -> st.SearchStrategy[tuple[bytes, int, bool, bool]]:
    concat_head = st.builds(
        lambda ref, total, seq, rest: bytes((5, 0, 3, ref, total, seq)) + rest,
        st.integers(0, 2),
        st.integers(0, 4),
        st.integers(0, 4),
        st.binary(max_size=20),
    )
    return st.tuples(
        st.one_of(ANY_UD, concat_head),
        st.sampled_from([0x00, 0x04, 0x08, 0x10, 0x24, 0xF0, 0xF4, 0xE0]),
        st.booleans(),
        st.booleans(),
    )


@settings(max_examples=150, deadline=None)
@given(
    parts=st.lists(st.tuples(st.sampled_from(["a", "b"]), _garbage_part()), max_size=12),
    horizon=st.floats(0, 12),
)
def test_garbage_is_held_reported_or_refused(
    parts: list[tuple[str, tuple[bytes, int, bool, bool]]], horizon: float
) -> None:
    """Arbitrary parts are held, completed or refused with DecodeError, never anything else; the
    bookkeeping stays consistent (pending lists every held message, expire removes exactly the
    stale ones)."""
    r = pdu.Reassembler()
    for t, (sender, (ud, dcs, udhi, packed)) in enumerate(parts):
        try:
            result = r.add(sender, ud, dcs, udhi, now=float(t), packed=packed)
        except DecodeError:
            continue
        if result.status is pdu.PartStatus.COMPLETE:
            assert isinstance(result.text, str)
        else:
            assert result.key is not None and result.text is None
            assert set(result.received).isdisjoint(result.missing)
            assert sorted(result.received + result.missing) == list(range(1, result.key[2] + 1))
    pending = r.pending()
    assert len(pending) == len(r)
    gone = r.expire(horizon)
    assert all(p.last_seen < horizon for p in gone)
    assert all(p.last_seen >= horizon for p in r.pending())
    assert len(gone) + len(r) == len(pending)


@settings(max_examples=150, deadline=None)
@given(
    text=st.one_of(strategies.gsm_text, strategies.mixed_text),
    cuts=st.lists(st.integers(0, 2000), max_size=5),
    order=st.randoms(use_true_random=False),
)
@example(text="€€", cuts=[1, 3], order=None)
@example(text="😀😀", cuts=[2, 6], order=None)
def test_parts_cut_anywhere_by_a_sender_are_mended(text: str, cuts: list[int], order: object) -> None:
    """A sender that cuts the payload at any septet (GSM-7) or code unit (UCS-2), even inside an
    escape or surrogate pair, still has its message reassembled exactly, in any order."""
    gsm = DEFAULT.invalid_re.search(text) is None
    payload = DEFAULT.encode(text) if gsm else text.encode("utf-16-be")
    step = 1 if gsm else 2
    units = len(payload) // step
    points = sorted({c % (units + 1) * step for c in cuts})
    bounds = [0, *points, len(payload)]
    total = len(bounds) - 1
    parts = [
        (seq, pdu.build_udh([pdu.concatenation_ie(77, total, seq)]) + payload[a:b])
        for seq, (a, b) in enumerate(itertools.pairwise(bounds), 1)
    ]
    if order is not None:
        order.shuffle(parts)  # type: ignore[attr-defined]
    r = pdu.Reassembler()
    results = [r.add(SENDER, ud, 0x00 if gsm else 0x08, True, now=0, packed=False) for _, ud in parts]
    assert results[-1].status is pdu.PartStatus.COMPLETE
    assert results[-1].text == text
    assert len(r) == 0
