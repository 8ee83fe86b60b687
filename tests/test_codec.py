"""The gsm-7 codec: names, error handlers, and every CodecInfo entry point agreeing."""

from __future__ import annotations

import codecs
import io
import itertools

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import smsencode
from smsencode import codec
from smsencode.alphabet import DEFAULT, national_alphabet
from smsencode.alphabet.default import BASIC, EXTENSION
from smsencode.errors import InvalidSeptetError
from tests import strategies

# --- Names and registration


@pytest.mark.parametrize("name", ["gsm-7", "GSM-7", "gsm_7", "Gsm 7", "GSM_7"])
def test_names_resolve(name: str) -> None:
    """Every spelling of the name finds the codec, named gsm-7."""
    assert codecs.lookup(name).name == "gsm-7"


@pytest.mark.parametrize("name", ["gsm0338", "gsm7", "gsm03.38", "gsm23.038-default", "gsm-8", "gsm-7-xx"])
def test_other_packages_names_are_left_alone(name: str) -> None:
    """smsencode answers to none of the names other packages use."""
    assert codec.search(name.lower().replace("-", "_")) is None


@pytest.mark.parametrize(
    "name",
    ["gsm7", "gsm0338", "gsm03.38", "gsm23.038-default", "gsm.7", "gsm-70", "gsm-7-default", "gsm-7-es-es",
     "gsm-7-tr-es-pt", "gsm-7-single", "gsm-7-tr-locking-single"],
)
def test_near_names_are_not_claimed(name: str) -> None:
    """codecs.lookup of a near name never lands on smsencode: it fails, or finds another package's codec."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        return
    assert not info.name.startswith(codec.CODEC_NAME)


def test_coexists_with_the_gsm0338_package() -> None:
    """With the gsm0338 package imported, each name keeps its own codec."""
    pytest.importorskip("gsm0338")
    assert codecs.lookup("gsm03.38").name == "gsm03.38"
    assert codecs.lookup("gsm-7").name == "gsm-7"
    assert "a€".encode("gsm-7") == b"a\x1be"


def test_unknown_names_are_not_remembered() -> None:
    """Looking up arbitrary names (charsets from incoming data, say) does not grow any cache."""
    before = codec._codec_for.cache_info().currsize
    for i in range(300):
        assert codec.search(f"gsm_7_x{i}") is None
        assert codec.search(f"charset_{i}") is None
    assert codec._codec_for.cache_info().currsize == before


def test_register_is_idempotent() -> None:
    """register() registers once: calling it again adds nothing and lookups still work."""
    codec.register()
    codec.register()
    assert "€".encode("gsm-7") == b"\x1be"
    assert codec.search("gsm_7") is codec.search("gsm_7")


@pytest.mark.parametrize(
    ("name", "locking", "single"),
    [
        ("gsm-7-tr", 1, 1),
        ("gsm-7-turkish", 1, 1),
        ("gsm-7-es", None, 2),
        ("gsm-7-es-single", None, 2),
        ("gsm-7-pt-locking", 3, None),
        ("gsm-7-hi-bn", 6, 4),
        ("GSM-7-UR", 13, 13),
    ],
)
def test_national_names(name: str, locking: int | None, single: int | None) -> None:
    """Per-language codecs use the national tables; their canonical name round-trips."""
    info = codecs.lookup(name)
    assert info.name == codec.codec_name(locking, single)
    assert codecs.lookup(info.name).name == info.name
    alphabet = national_alphabet(locking, single)
    sample = "".join(sorted(alphabet.chars))
    assert sample.encode(name) == alphabet.encode(sample)
    assert alphabet.encode(sample).decode(name) == sample


def test_national_names_that_do_not_exist() -> None:
    """A locking table Spanish does not have is no codec."""
    with pytest.raises(LookupError):
        codecs.lookup("gsm-7-es-locking")
    with pytest.raises(ValueError, match=r"1\.\.13"):
        codec.codec_name(14, None)


def test_turkish_codec_differs_from_default() -> None:
    """The Turkish locking table puts Ğ where the default has Ø."""
    assert "Ğ".encode("gsm-7-tr") == b"\x0b"
    assert b"\x0b".decode("gsm-7") == "Ø"


# --- Tables (TS 23.038 §6.2.1)


def test_every_basic_and_extension_character() -> None:
    """Each basic character is its septet; each extension character ESC + its code."""
    for code, ch in BASIC.items():
        assert ch.encode("gsm-7") == bytes((code,))
        assert bytes((code,)).decode("gsm-7") == ch
    for code, ch in EXTENSION.items():
        assert ch.encode("gsm-7") == bytes((0x1B, code))
        assert bytes((0x1B, code)).decode("gsm-7") == ch


def test_section_sign_and_not_backtick() -> None:
    """0x5F is §, and a backtick is not GSM-7 at all."""
    assert b"\x5f".decode("gsm-7") == "§"
    with pytest.raises(UnicodeEncodeError):
        "`".encode("gsm-7")


def test_escape_rules() -> None:
    """An escape before a code without an extension character is that basic character; ESC ESC
    is a space (TS 23.038 §6.2.1.1)."""
    assert b"\x1bA".decode("gsm-7") == "A"
    assert b"\x1b\x0d".decode("gsm-7") == "\r"
    assert b"\x1b\x1b".decode("gsm-7") == " "
    assert b"\x1b\x1b\x1be".decode("gsm-7") == " €"


# --- Errors


def test_encode_error_positions() -> None:
    """UnicodeEncodeError covers each run of unencodable characters, with its positions."""
    with pytest.raises(UnicodeEncodeError) as info:
        "abc`\u00a0d".encode("gsm-7")
    exc = info.value
    assert (exc.encoding, exc.start, exc.end, exc.object) == ("gsm-7", 3, 5, "abc`\u00a0d")


@pytest.mark.parametrize(
    ("errors", "expected"),
    [
        ("replace", b"a??b?"),
        ("ignore", b"ab"),
        ("backslashreplace", b"a\x1b/xe7\x1b/x60b\x1b/u2014"),
        ("xmlcharrefreplace", b"a&#231;&#96;b&#8212;"),
        (
            "namereplace",
            "a\\N{LATIN SMALL LETTER C WITH CEDILLA}\\N{GRAVE ACCENT}b\\N{EM DASH}".encode("gsm-7"),
        ),
    ],
)
def test_standard_encode_handlers(errors: str, expected: bytes) -> None:
    """Every standard encode error handler works (backslash is an extension character)."""
    assert "aç`b—".encode("gsm-7", errors=errors) == expected


def test_surrogateescape_round_trip() -> None:
    """surrogateescape carries bytes above 0x7F through decode and encode."""
    data = b"a\x80b\xffc"
    text = data.decode("gsm-7", errors="surrogateescape")
    assert text == "a\udc80b\udcffc"
    assert text.encode("gsm-7", errors="surrogateescape") == data


def test_custom_handlers_and_positions() -> None:
    """Custom handlers get the exact span, may skip ahead or return bytes."""
    seen: list[tuple[int, int]] = []

    def enc_handler(exc: UnicodeError) -> tuple[str | bytes, int]:
        assert isinstance(exc, UnicodeEncodeError)
        seen.append((exc.start, exc.end))
        return (b"<" if exc.start == 1 else "{"), exc.end + 1  # skip the next character as well

    codecs.register_error("smsencode-test-enc", enc_handler)
    assert "a`bc😀de".encode("gsm-7", errors="smsencode-test-enc") == b"a<c\x1b(e"
    assert seen == [(1, 2), (4, 5)]

    def dec_handler(exc: UnicodeError) -> tuple[str, int]:
        assert isinstance(exc, UnicodeDecodeError)
        return f"[{exc.object[exc.start:exc.end].hex()}@{exc.start}]", exc.end

    codecs.register_error("smsencode-test-dec", dec_handler)
    assert b"a\x80\x1b".decode("gsm-7", errors="smsencode-test-dec") == "a[80@1][1b@2]"


def test_handler_returning_unencodable_text_raises() -> None:
    """A replacement that is itself not GSM-7 raises the original error."""
    codecs.register_error("smsencode-test-bad", lambda exc: ("é̀`", exc.end))  # type: ignore[attr-defined]
    with pytest.raises(UnicodeEncodeError) as info:
        "a`".encode("gsm-7", errors="smsencode-test-bad")
    assert (info.value.start, info.value.end) == (1, 2)


def test_handler_position_out_of_bounds() -> None:
    """A handler resuming outside the input is an IndexError, as with the built-in codecs."""
    codecs.register_error("smsencode-test-far", lambda exc: ("?", 99))  # type: ignore[attr-defined]
    with pytest.raises(IndexError):
        "a`".encode("gsm-7", errors="smsencode-test-far")
    with pytest.raises(IndexError):
        b"\x80".decode("gsm-7", errors="smsencode-test-far")


@pytest.mark.parametrize(
    ("data", "start", "end", "reason"),
    [
        (b"ab\x1b", 2, 3, "escape 0x1B at the end"),
        (b"ab\x80c", 2, 3, "byte 0x80 is not a septet"),
        (b"\x1b\xff", 0, 1, "followed by byte 0xFF"),
    ],
)
def test_decode_error_positions(data: bytes, start: int, end: int, reason: str) -> None:
    """UnicodeDecodeError points at the offending bytes and says why."""
    with pytest.raises(UnicodeDecodeError) as info:
        data.decode("gsm-7")
    assert (info.value.start, info.value.end) == (start, end)
    assert reason in info.value.reason


def test_undefined_national_septet() -> None:
    """A septet the Tamil locking table leaves undefined is a decoding error, and ESC + it too."""
    with pytest.raises(UnicodeDecodeError) as info:
        b"\x00".decode("gsm-7-ta")
    assert (info.value.start, info.value.end) == (0, 1)
    assert b"\x00".decode("gsm-7-ta", errors="replace") == "\ufffd"
    assert b"\x1b\x00".decode("gsm-7-ta-locking", errors="replace") == "\ufffd"


def test_decode_septets_raises_library_error() -> None:
    """The strict septet decoder used by smsencode.pdu raises InvalidSeptetError with an offset."""
    with pytest.raises(InvalidSeptetError) as info:
        codec.decode_septets(b"abc\x1b", offset=10)
    assert info.value.offset == 13
    assert isinstance(info.value, smsencode.DecodeError)


# --- Incremental and stream coders


def test_escape_at_chunk_end_joins_the_next_chunk() -> None:
    """An escape that ends one chunk is held back and joined to the next."""
    dec = codecs.getincrementaldecoder("gsm-7")()
    assert dec.decode(b"10\x1b") == "10"
    assert dec.getstate() == (b"\x1b", 0)
    assert dec.decode(b"e") == "€"
    assert dec.decode(b"\x1b") == ""
    with pytest.raises(UnicodeDecodeError):
        dec.decode(b"", final=True)
    dec.reset()
    assert dec.decode(b"\x1b\x1b", final=True) == " "


def test_incremental_encoder_works() -> None:
    """The incremental encoder encodes (a known failure of another package's codec)."""
    enc = codecs.getincrementalencoder("gsm-7")(errors="replace")
    assert enc.encode("hi") == b"hi"
    assert enc.encode("€`", final=True) == b"\x1be?"


def test_stream_reader_and_writer() -> None:
    """StreamWriter writes septets; StreamReader reads them back, in pieces or all at once."""
    buf = io.BytesIO()
    writer = codecs.getwriter("gsm-7")(buf)
    writer.write("Line one {a}\n")
    writer.write("Line two €\n")
    assert buf.getvalue() == "Line one {a}\nLine two €\n".encode("gsm-7")
    reader = codecs.getreader("gsm-7")(io.BytesIO(buf.getvalue()))
    assert reader.readline() == "Line one {a}\n"
    assert reader.read() == "Line two €\n"
    reader = codecs.getreader("gsm-7")(io.BytesIO(b"ab\x1be\x1b"))
    assert reader.read(3) == "ab€"
    with pytest.raises(UnicodeDecodeError):
        reader.read()  # the lone trailing escape is an error at the end of the stream
    reader = codecs.getreader("gsm-7")(io.BytesIO(b"ab\x1b"), errors="replace")
    assert reader.read() == "ab\ufffd"


def test_stream_reader_writer_pair() -> None:
    """The StreamReaderWriter pair built from the CodecInfo reads what it wrote."""
    raw = io.BytesIO()
    info = codecs.lookup("gsm-7")
    rw = codecs.StreamReaderWriter(raw, info.streamreader, info.streamwriter)
    rw.write("[x]")
    rw.seek(0)
    assert rw.read() == "[x]"


GSM_CHARS = "".join(sorted(DEFAULT.chars))


def _mark_unencodable(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeEncodeError)
    return "".join(f"<{ord(c):X}>" for c in exc.object[exc.start : exc.end]), exc.end


def _mark_undecodable(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeDecodeError)
    return f"<{exc.object[exc.start : exc.end].hex()}>", exc.end


# Custom handlers whose output shows exactly which characters or bytes each error covered.
codecs.register_error("smsencode-test-mark-enc", _mark_unencodable)
codecs.register_error("smsencode-test-mark-dec", _mark_undecodable)


def chunked(data: bytes | str, cuts: list[int]) -> list:
    points = sorted({c % (len(data) + 1) for c in cuts})
    bounds = [0, *points, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(bounds)]


@settings(max_examples=200, deadline=None)
@given(
    text=st.one_of(strategies.gsm_text, strategies.mixed_text, strategies.text_with_surrogates),
    errors=st.sampled_from(
        ["strict", "replace", "ignore", "backslashreplace", "xmlcharrefreplace", "smsencode-test-mark-enc"]
    ),
    cuts=st.lists(st.integers(0, 10_000), max_size=6),
)
@example(text="a€{b", errors="strict", cuts=[2, 3])
def test_every_encode_entry_point_agrees(text: str, errors: str, cuts: list[int]) -> None:
    """str.encode, codecs.encode, iterencode, the incremental encoder and the stream writer give the
    same bytes, or all raise at the same position."""
    try:
        expected: bytes | tuple[int, int] = text.encode("gsm-7", errors=errors)
    except UnicodeEncodeError as exc:
        expected = (exc.start, exc.end)

    def run(f: object) -> bytes | tuple[int, int]:
        try:
            return f()  # type: ignore[operator, no-any-return]
        except UnicodeEncodeError as exc:
            return (exc.start, exc.end)

    pieces = chunked(text, cuts)
    assert run(lambda: codecs.encode(text, "gsm-7", errors)) == expected
    assert run(lambda: codec.encode(text, errors)[0]) == expected
    if not isinstance(expected, tuple):
        # Chunked encoders see positions relative to each chunk, so compare only the successes.
        assert b"".join(codecs.iterencode(iter(pieces), "gsm-7", errors)) == expected
        enc = codecs.getincrementalencoder("gsm-7")(errors)
        assert b"".join(enc.encode(p) for p in pieces) + enc.encode("", final=True) == expected
        buf = io.BytesIO()
        writer = codecs.getwriter("gsm-7")(buf, errors)
        for p in pieces:
            writer.write(p)
        assert buf.getvalue() == expected
    else:
        # Each chunk is encoded on its own: the error comes from the chunk holding the first
        # offending character, at that character's position within the chunk.
        enc = codecs.getincrementalencoder("gsm-7")(errors)
        offset = 0
        with pytest.raises(UnicodeEncodeError) as info:
            for p in pieces:
                enc.encode(p)
                offset += len(p)
        assert offset + info.value.start == expected[0]
        assert info.value.object[info.value.start] == text[expected[0]]
    if errors == "strict" and not isinstance(expected, tuple):
        assert expected.decode("gsm-7") == text


@settings(max_examples=300, deadline=None)
@given(
    data=st.one_of(
        st.binary(max_size=120),
        st.lists(st.sampled_from([b"\x1b", b"a", b"\x1be", b"\x80", b"\x1b\x1b", b"("]), max_size=40).map(
            b"".join
        ),
    ),
    errors=st.sampled_from(
        ["strict", "replace", "ignore", "backslashreplace", "surrogateescape", "smsencode-test-mark-dec"]
    ),
    cuts=st.lists(st.integers(0, 10_000), max_size=6),
)
@example(data=b"ab\x1b\x1b\x1be", errors="strict", cuts=[3, 4])
@example(data=b"\x1b", errors="replace", cuts=[])
def test_every_decode_entry_point_agrees(data: bytes, errors: str, cuts: list[int]) -> None:
    """bytes.decode, codecs.decode, iterdecode, the incremental decoder (any chunking: an escape at
    a chunk end joins the next chunk) and the stream reader give the same text."""
    try:
        expected: str | None = data.decode("gsm-7", errors=errors)
    except UnicodeDecodeError:
        expected = None

    def run(f: object) -> str | None:
        try:
            return f()  # type: ignore[operator, no-any-return]
        except UnicodeDecodeError:
            return None

    pieces = chunked(data, cuts)
    assert run(lambda: codecs.decode(data, "gsm-7", errors)) == expected
    assert run(lambda: "".join(codecs.iterdecode(iter(pieces), "gsm-7", errors))) == expected

    def incremental() -> str:
        dec = codecs.getincrementaldecoder("gsm-7")(errors)
        return "".join(dec.decode(p) for p in pieces) + dec.decode(b"", final=True)

    assert run(incremental) == expected

    def stream(size: int) -> str:
        reader = codecs.getreader("gsm-7")(io.BytesIO(data), errors)
        out = []
        while True:
            got = reader.read(size)
            if not got:
                return "".join(out)
            out.append(got)

    assert run(lambda: stream(-1)) == expected
    assert run(lambda: stream(3)) == expected
    if expected is not None and errors == "strict":
        # Decoded text is GSM-7, so it encodes; ESC + basic code and ESC ESC normalise, once.
        assert expected.encode("gsm-7").decode("gsm-7") == expected


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=GSM_CHARS, max_size=300))
def test_round_trip_for_gsm_text(text: str) -> None:
    """Every GSM-7 text survives encode then decode."""
    assert text.encode("gsm-7").decode("gsm-7") == text


def ref_decode(data: bytes, basic: dict[int, str], extension: dict[int, str]) -> str | None:
    """A slow reading of TS 23.038 §6.2.1.1, byte by byte; None where the data is invalid."""
    out, i = [], 0
    while i < len(data):
        b = data[i]
        if b == 0x1B:
            if i + 1 == len(data) or data[i + 1] >= 0x80:
                return None
            c = data[i + 1]
            if c == 0x1B:
                out.append(extension.get(c, " "))
            elif c in extension:
                out.append(extension[c])
            elif c in basic:
                out.append(basic[c])
            else:
                return None
            i += 2
        elif b in basic:
            out.append(basic[b])
            i += 1
        else:
            return None
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(
    data=st.lists(
        st.one_of(st.integers(0, 0x7F), st.just(0x1B), st.just(0x1B), st.integers(0x80, 0xFF)), max_size=80
    ).map(bytes),
    pair=st.sampled_from([(None, None), (1, 1), (None, 2), (11, 11), (6, 4), (10, None)]),
)
@example(data=b"\x1b\x1b\x1b(", pair=(None, None))
def test_decoder_matches_the_slow_reading(data: bytes, pair: tuple[int | None, int | None]) -> None:
    """The table-driven decoder agrees with a byte-by-byte reading of the spec, national tables too."""
    alphabet = national_alphabet(*pair)
    expected = ref_decode(data, dict(alphabet.basic), dict(alphabet.extension))
    try:
        got: str | None = data.decode(codec.codec_name(*pair))
    except UnicodeDecodeError:
        got = None
    assert got == expected
