"""Batch analysis: segment_many, the CSV / JSON Lines readers and writers, bad rows, the run loop,
the progress bar and the ``smsencode batch`` command (in-process and as a subprocess)."""

from __future__ import annotations

import csv
import io
import itertools
import json
import multiprocessing
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import smsencode
from smsencode.batch import (
    OUTPUT_FIELDS,
    SUMMARY_LIST_LIMIT,
    BatchSummary,
    InputRow,
    ProgressBar,
    RowResult,
    analyze_row,
    format_rows,
    read_csv,
    read_jsonl,
    run_batch,
    segment_many,
)
from smsencode.cli import main
from smsencode.cost import Tariff

TEXTS = ["hi", "x" * 161, "😀" * 70, "a" * 152 + "{" + "a" * 152, "", "Ça va? ç", "€" * 81]

# --------------------------------------------------------------------------------- segment_many


def test_segment_many_equals_segment_in_order() -> None:
    """In-process, segment_many is segment applied to each text."""
    assert list(segment_many(TEXTS)) == [smsencode.segment(t) for t in TEXTS]


def test_segment_many_over_processes_keeps_order_across_chunks() -> None:
    """With two workers and tiny chunks, results still come back in input order."""
    texts = [f"message {i} " + "😀" * (i % 3) + "x" * (i % 200) for i in range(60)]
    got = list(segment_many(texts, jobs=2, chunksize=7, max_parts=2))
    assert got == [smsencode.segment(t, max_parts=2) for t in texts]


def test_segment_many_works_with_the_spawn_start_method() -> None:
    """Workers started by spawn import what they need and return picklable results."""
    texts = [str(i) * (i + 1) for i in range(30)]
    got = list(segment_many(texts, jobs=2, chunksize=5, mp_context=multiprocessing.get_context("spawn")))
    assert [s.part_count for s in got] == [smsencode.segment(t).part_count for t in texts]
    assert got[-1].text == texts[-1]


def test_segment_many_streams_an_endless_input_in_bounded_chunks() -> None:
    """Only a bounded number of texts is read ahead of the results consumed."""
    read = 0

    def endless() -> Iterator[str]:
        nonlocal read
        for i in itertools.count():
            read += 1
            yield f"text {i}"

    results = segment_many(endless(), jobs=2, chunksize=10)
    first = list(itertools.islice(results, 25))
    results.close()  # type: ignore[attr-defined]
    assert [s.text for s in first] == [f"text {i}" for i in range(25)]
    assert read <= (2 * 2 + 3) * 10  # in flight: 2 * jobs chunks, plus the ones being handed out


def test_segment_many_raises_in_place_or_returns_exceptions() -> None:
    """A text that cannot be segmented raises after the results before it, or stands in its place."""
    texts = ["ok", "😀 refused", "fine"]
    it = segment_many(texts, encoding="GSM7", invalid_characters="REFUSE")
    assert next(it).text == "ok"
    with pytest.raises(smsencode.InvalidCharactersError):
        next(it)
    mixed = list(segment_many(texts, invalid_characters="REFUSE", return_exceptions=True))
    assert isinstance(mixed[1], smsencode.InvalidCharactersError)
    assert [m.text for m in (mixed[0], mixed[2])] == ["ok", "fine"]  # type: ignore[union-attr]


@pytest.mark.parametrize("jobs", [1, 2])
def test_segment_many_errors_name_their_item_and_cross_processes_intact(jobs: int) -> None:
    """Over processes as in one: the results before a bad text arrive, the error carries its
    position in a note and its details (the offending characters) survive pickling."""
    texts = [f"ok {i}" for i in range(25)] + ["refused 😀 here"] + ["fine"] * 10
    it = segment_many(texts, jobs=jobs, chunksize=4, invalid_characters="REFUSE")
    assert [s.text for s in itertools.islice(it, 25)] == texts[:25]
    with pytest.raises(smsencode.InvalidCharactersError) as raised:
        next(it)
    assert raised.value.characters == ((8, "😀"),)
    assert "text 25 of the input, counting from 0" in (raised.value.__notes__ or [])
    mixed = list(segment_many(texts, jobs=jobs, chunksize=4, invalid_characters="REFUSE",
                              return_exceptions=True))  # fmt: skip
    assert len(mixed) == 36 and [type(m).__name__ for m in mixed[24:27]] == [
        "Segmentation", "InvalidCharactersError", "Segmentation",
    ]  # fmt: skip
    too_long = list(segment_many(["x" * 40000, "y"], jobs=jobs, chunksize=1, return_exceptions=True))
    assert isinstance(too_long[0], smsencode.TooManyPartsError) and too_long[0].parts_needed == 262


@pytest.mark.parametrize("jobs", [1, 2])
def test_segment_many_raises_type_error_for_a_text_that_is_not_a_str_after_the_ones_before(jobs: int) -> None:
    """A None among the texts is a programming error even with return_exceptions, raised at its turn."""
    it = segment_many(["a", "b", None, "c"], jobs=jobs, chunksize=2, return_exceptions=True)  # type: ignore[list-item]
    assert [s.text for s in itertools.islice(it, 2)] == ["a", "b"]
    with pytest.raises(TypeError) as raised:
        next(it)
    assert "text 2 of the input, counting from 0" in (raised.value.__notes__ or [])


SEGMENT_OPTIONS = [
    {"encoding": "UTF16"},
    {"invalid_characters": "REPLACE", "replacement": "?"},
    {"invalid_characters": "TRANSLITERATE"},
    {"max_parts": 1},
    {"reference_bits": 16},
    {"national_languages": ("tr", "es", "pt")},
    {"encoding": "GSM-7", "invalid_characters": "TO_UTF16", "max_parts": 2, "reference_bits": 16},
]


@pytest.mark.parametrize("options", SEGMENT_OPTIONS, ids=lambda o: ",".join(map(str, o.values())))
def test_segment_many_over_processes_takes_every_segment_option(options: dict[str, object]) -> None:
    """Every option of segment() reaches the workers; results equal segment() and pickle whole."""
    import pickle

    texts = [*TEXTS, "Çok güzel bir gün, ğ ş ı", "Señor “quoted” — ok…", "x" * 400]
    got = list(segment_many(texts, jobs=2, chunksize=2, **options))
    expected = [smsencode.segment(t, **options) for t in texts]  # type: ignore[arg-type]
    assert got == expected
    for seg in got:
        again = pickle.loads(pickle.dumps(seg))
        assert again == seg and again.alphabet is seg.alphabet
        assert again.user_data(reference=7) == seg.user_data(reference=7)


def test_segment_many_checks_options_before_reading() -> None:
    """Bad options raise at the call, in this process; bad jobs and chunksize too."""
    with pytest.raises(ValueError, match="max_parts"):
        segment_many(["x"], max_parts=0)
    with pytest.raises(ValueError, match="jobs"):
        segment_many(["x"], jobs=0)
    with pytest.raises(ValueError, match="chunksize"):
        segment_many(["x"], chunksize=0)


# -------------------------------------------------------------------------------------- readers


def rows_of(data: bytes, **kw: object) -> list[InputRow]:
    return list(read_csv(io.BytesIO(data), **kw))  # type: ignore[arg-type]


def test_csv_rows_carry_the_line_they_start_on() -> None:
    """Line numbers count physical lines (header is 1), through quoted newlines and blank lines."""
    data = (
        b'id,text,to\r\n1,hello,+4917612345678\r\n2,"two\nlines",+4930123456\r\n'
        b'\r\n3,"a ""quote""",+33612345678\r\n'
    )
    rows = rows_of(data, recipient_column="to")
    assert rows == [
        InputRow(2, "hello", "+4917612345678"),
        InputRow(3, "two\nlines", "+4930123456"),
        InputRow(6, 'a "quote"', "+33612345678"),
    ]


def test_csv_bad_rows_are_reported_and_reading_goes_on() -> None:
    """Missing text, missing recipient and bytes that are not UTF-8 each mark their row."""
    data = b"text,to\n,+4917612345678\nhello,\nbad \xff byte,+4917612345678\nok,+4917612345678\n,,\n"
    rows = rows_of(data, recipient_column="to")
    assert rows == [
        InputRow(2, None, "+4917612345678", "missing text"),
        InputRow(3, "hello", None, "missing recipient"),
        InputRow(4, None, None, "undecodable input: byte 0xFF is not valid utf-8"),
        InputRow(5, "ok", "+4917612345678"),
    ]


def test_csv_bom_delimiter_and_encoding_options() -> None:
    """A UTF-8 BOM does not hide the first column; other delimiters and encodings are accepted."""
    assert rows_of("\ufefftext\nhé\n".encode()) == [InputRow(2, "hé")]
    latin = "a;text\n1;Ça\n".encode("latin-1")
    assert rows_of(latin, delimiter=";", encoding="latin-1") == [InputRow(2, "Ça")]


def test_csv_without_the_named_columns_or_header_is_an_error() -> None:
    """The error names the columns that exist and the option to use."""
    message = r"no column 'text' \(its columns: 'id', 'body'\); name it with --text-column"
    with pytest.raises(ValueError, match=message):
        rows_of(b"id,body\n1,hi\n")
    with pytest.raises(ValueError, match="--recipient-column"):
        rows_of(b"text\nhi\n", recipient_column="to")
    with pytest.raises(ValueError, match="empty"):
        rows_of(b"")


def test_csv_with_a_duplicate_column_is_an_error_naming_it_and_the_columns() -> None:
    """Two 'text' columns are ambiguous: the run refuses rather than pick one silently."""
    message = (
        r"the input has 2 columns named 'text' \(its columns: 'text', 'to', 'text'\); "
        r"rename all but one, or name another column with --text-column"
    )
    with pytest.raises(ValueError, match=message):
        rows_of(b"text,to,text\na,+4917612345678,b\n", recipient_column="to")
    with pytest.raises(ValueError, match=r"2 columns named 'to'.*--recipient-column"):
        rows_of(b"text,to,to\na,b,c\n", recipient_column="to")
    with pytest.raises(ValueError, match="both name 'text'"):
        rows_of(b"text\na\n", recipient_column="text")
    with pytest.raises(ValueError, match=r"no column 'text' \(its columns: none\)"):
        rows_of(b"\ntext\na\n")


def test_jsonl_rows_with_null_or_empty_values_are_missing_without_a_key_list() -> None:
    """A key that is present but null or empty is plain 'missing'; only an absent key lists the keys."""
    data = b'{"text": null, "to": "+4917612345678"}\n{"text": "a", "to": ""}\n'
    rows = jsonl_rows(data, recipient_column="to")
    assert [r.problem for r in rows] == ["missing text", "missing recipient"]


def test_csv_reader_leaves_the_source_open() -> None:
    """The caller's file is not closed when reading ends."""
    source = io.BytesIO(b"text\nhi\n")
    assert len(list(read_csv(source))) == 1
    assert not source.closed


def jsonl_rows(data: bytes, **kw: object) -> list[InputRow]:
    return list(read_jsonl(io.BytesIO(data), **kw))  # type: ignore[arg-type]


def test_jsonl_rows_and_bad_lines() -> None:
    """Each line is one object; bad lines say what is wrong; integer numbers are accepted."""
    data = b"\n".join(
        [
            b'{"text": "hi", "to": "+4917612345678"}',
            b"",
            b'{"text": "x", "to": 4917612345678}',
            b"not json",
            b"[1, 2]",
            b'{"to": "+4917612345678"}',
            b'{"text": 5, "to": "+4917612345678"}',
            b'{"text": "x", "to": true}',
            b'{"text": "x"}',
            b'{"text": "bad \xff"}',
        ]
    )
    rows = jsonl_rows(data, recipient_column="to")
    assert rows[0] == InputRow(1, "hi", "+4917612345678")
    assert rows[1] == InputRow(3, "x", "4917612345678")
    assert rows[2].line == 4 and (rows[2].problem or "").startswith("not JSON")
    assert rows[3] == InputRow(5, None, None, "not a JSON object but array")
    assert rows[4] == InputRow(6, None, "+4917612345678", "missing text: no key 'text' (its keys: 'to')")
    assert rows[5] == InputRow(7, None, "+4917612345678", "'text' is a number, not a string")
    assert rows[6] == InputRow(8, None, None, "'to' is a boolean, not a number")
    assert rows[7] == InputRow(9, "x", None, "missing recipient: no key 'to' (its keys: 'text')")
    assert rows[8] == InputRow(10, None, None, "undecodable input: byte 0xFF is not valid UTF-8")


@settings(max_examples=80, deadline=None)
@given(texts=st.lists(st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\r"), min_size=1,
                              max_size=40), max_size=20))  # fmt: skip
def test_csv_and_jsonl_round_trip_texts_with_their_line_numbers(texts: list[str]) -> None:
    """Whatever csv.writer or json.dumps wrote comes back whole, on the line it starts on."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["text"])
    expected_lines = []
    line = 2
    for t in texts:
        expected_lines.append(line)
        writer.writerow([t])
        line += 1 + t.count("\n")
    got = rows_of(buf.getvalue().encode())
    assert [(r.line, r.text) for r in got] == list(zip(expected_lines, texts, strict=True))
    data = "".join(json.dumps({"text": t}) + "\n" for t in texts).encode()
    assert [(r.line, r.text) for r in jsonl_rows(data)] == [(i, t) for i, t in enumerate(texts, 1)]


# ------------------------------------------------------------------------------------- framing

csv_cell = st.text(st.sampled_from('ab"\n\r,;\té😀 '), max_size=8)
junk_line = st.text(st.sampled_from('ab"\r\n,;\t'), max_size=12)


@st.composite
def csv_documents(draw: st.DrawFn) -> tuple[bytes, str]:
    """Header, then rows written by csv.writer or raw junk (stray quotes, bare CRs), any terminator."""
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    buf = io.StringIO(newline="")
    buf.write(delimiter.join(["id", "text", "to"]) + draw(st.sampled_from(["\n", "\r\n", "\r"])))
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.booleans()):
            ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
            w = csv.writer(buf, delimiter=delimiter, lineterminator=ending)
            w.writerow(draw(st.lists(csv_cell, min_size=1, max_size=4)))
        else:
            buf.write(draw(junk_line))
    return buf.getvalue().encode("utf-8"), delimiter


def framed_rows(data: bytes, delimiter: str, to: str | None = None) -> list[tuple[object, ...]]:
    from smsencode import batch

    layout, chunks = batch._csv_chunks(io.BytesIO(data), "text", to, delimiter, "utf-8", framed=True)
    rows: list[tuple[object, ...]] = []
    for kind, *payload in chunks:
        if kind == "rows":
            rows.extend(payload[0])
        else:
            assert kind == "csv" and layout is not None
            rows.extend(batch._csv_block_rows(payload[0], payload[1], layout))
    return rows


def sequential_rows(data: bytes, delimiter: str) -> list[tuple[object, ...]]:
    """The oracle: the csv module reading the whole input as one stream."""
    from smsencode import batch

    return list(batch._csv_rows(io.BytesIO(data), "text", None, delimiter, "utf-8"))


def record_sizes(data: bytes, delimiter: str) -> list[tuple[int, int]]:
    """(first line, bytes) of every record, found by handing the csv module one line at a time."""
    import re

    pieces = re.findall(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z", data)
    reader = csv.reader((p.decode("utf-8", "surrogateescape") for p in pieces), delimiter=delimiter)
    sizes = []
    while True:
        start = reader.line_num
        if next(reader, None) is None:
            return sizes
        sizes.append((start + 1, sum(map(len, pieces[start : reader.line_num]))))


@settings(max_examples=300, deadline=None)
@given(doc=csv_documents(), block=st.integers(1, 40), extra=st.sampled_from([0, 7, 40, 10**6]))
def test_framed_csv_reads_exactly_what_sequential_csv_reads(
    doc: tuple[bytes, str], block: int, extra: int
) -> None:
    """Cutting CSV into blocks for the workers never changes a row or its line number, whatever the
    quotes, line terminators or block size; a record longer than the limit is one failed row in its
    place, and the rows after it are read as if it had been short."""
    from unittest import mock

    from smsencode import batch

    data, delimiter = doc
    limit = 2 * block + extra
    sizes = record_sizes(data, delimiter)
    by_line = {r[0]: r for r in sequential_rows(data, delimiter)}
    too_long = f"record too long: more than {limit:,} bytes (skipped)"
    expected = [(n, None, None, too_long) if size > limit else by_line[n] for n, size in sizes[1:]
                if size > limit or n in by_line]  # fmt: skip
    with (
        mock.patch.object(batch, "BLOCK_BYTES", block),
        mock.patch.object(batch, "MAX_RECORD_BYTES", limit),
    ):
        if sizes and sizes[0][1] > limit:
            with pytest.raises(ValueError, match="header line is longer"):
                framed_rows(data, delimiter)
        else:
            assert framed_rows(data, delimiter) == expected


@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(st.sampled_from(['{"text": "hi"}', "", "  ", "junk", '{"text": "a\\nb", "to": 1}', "{}",
                                    '{"text": "' + "y" * 30 + '"}\r'])),
    end=st.sampled_from(["", "\n"]),
    block=st.integers(1, 30),
    extra=st.sampled_from([0, 5, 10**6]),
)  # fmt: skip
def test_framed_jsonl_reads_exactly_what_sequential_jsonl_reads(
    lines: list[str], end: str, block: int, extra: int
) -> None:
    """JSON Lines cut into blocks give the same rows, on the same lines, as reading line by line;
    a line longer than the limit is one failed row."""
    from unittest import mock

    from smsencode import batch

    data = ("\n".join(lines) + end).encode()
    limit = 2 * block + extra
    too_long = (None, None, f"record too long: more than {limit:,} bytes (skipped)")
    expected = [
        (n, *too_long) if len(raw) > limit else batch._json_row(n, raw, "text", "to")
        for n, raw in enumerate(data.split(b"\n"), 1)
        if raw.strip()
    ]
    with (
        mock.patch.object(batch, "BLOCK_BYTES", block),
        mock.patch.object(batch, "MAX_RECORD_BYTES", limit),
    ):
        assert [tuple(r) for r in jsonl_rows(data, recipient_column="to")] == expected


def test_a_record_the_csv_module_rejects_inside_quotes_is_one_failed_row() -> None:
    """An over-long field in a quoted multi-line record fails that record only; the reader does not
    pick up again in the middle of it and invent rows from its lines."""
    big = "\n".join(["x" * 999] * 140)  # 140,000 characters: over the csv module's field limit
    data = f'text\nfirst\n"{big}"\n"a\nb"\nlast\n'.encode()
    rows = rows_of(data)
    assert [(r.line, r.text) for r in rows] == [(2, "first"), (3, None), (143, "a\nb"), (145, "last")]
    assert rows[1].problem == "unreadable CSV: field larger than field limit (131072)"


class Endless(io.RawIOBase):
    """*head*, then *size* bytes of *fill* (made as they are read, never held), then *tail*."""

    def __init__(self, head: bytes, fill: bytes, size: int, tail: bytes) -> None:
        self.parts = [head, None, tail]
        self.fill, self.left, self.phase = fill, size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: memoryview) -> int:  # type: ignore[override]
        while self.parts:
            part = self.parts[0]
            if part is None:
                if self.left <= 0:
                    self.parts.pop(0)
                    continue
                n = min(len(b), self.left)
                b[:n] = (self.fill * (n // len(self.fill) + 2))[self.phase : self.phase + n]
                self.phase = (self.phase + n) % len(self.fill)
                self.left -= n
                return n
            if not part:
                self.parts.pop(0)
                continue
            n = min(len(b), len(part))
            b[:n] = part[:n]
            self.parts[0] = part[n:]
            return n
        return 0


def peak_bytes_while(fn: Callable[[], object]) -> tuple[object, int]:
    import tracemalloc

    tracemalloc.start()
    try:
        result = fn()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


HUGE = 12 << 20  # 12 MiB in one record: three times what a bounded reader may hold


@pytest.mark.parametrize(
    ("head", "fill", "tail", "encoding"),
    [
        (b"text\nfirst\n", b"y", b"\r\nlast", "utf-8"),  # one huge unquoted line, CR LF
        (b"text\nfirst\n\"", b"yy\n\"\"", b'"\nlast\n', "utf-8"),  # a quoted record of many lines
        (b"text\nfirst\n", b"y", b"\nlast", "cp437"),  # read sequentially (not cut into blocks)
    ],
)
def test_csv_reading_holds_a_bounded_amount_of_a_huge_record(
    head: bytes, fill: bytes, tail: bytes, encoding: str
) -> None:
    """A record longer than MAX_RECORD_BYTES is one failed row on the line it starts, read through
    without being held; the rows after it keep their line numbers."""
    from smsencode import batch

    lines_in_fill = (fill * (HUGE // len(fill) + 1))[:HUGE].count(b"\n")
    stream = io.BufferedReader(Endless(head, fill, HUGE, tail))
    rows, peak = peak_bytes_while(lambda: list(read_csv(stream, encoding=encoding)))
    assert rows == [
        InputRow(2, "first"),
        InputRow(3, None, None, f"record too long: more than {batch.MAX_RECORD_BYTES:,} bytes (skipped)"),
        InputRow(4 + lines_in_fill, "last"),
    ]
    assert peak < 4 * batch.MAX_RECORD_BYTES


def test_jsonl_reading_holds_a_bounded_amount_of_a_huge_line() -> None:
    """A JSON line longer than MAX_RECORD_BYTES is one failed row; the next line is read as usual."""
    from smsencode import batch

    stream = io.BufferedReader(Endless(b'{"text": "first"}\n{"text": "', b"y", HUGE, b'"}\n{"text": "last"}'))
    rows, peak = peak_bytes_while(lambda: list(read_jsonl(stream)))
    assert rows == [
        InputRow(1, "first"),
        InputRow(2, None, None, f"record too long: more than {batch.MAX_RECORD_BYTES:,} bytes (skipped)"),
        InputRow(3, "last"),
    ]
    assert peak < 4 * batch.MAX_RECORD_BYTES


def test_a_huge_header_line_is_an_error() -> None:
    """A first line of megabytes is not a header: the run stops with a message, holding little."""
    stream = io.BufferedReader(Endless(b"text,", b"y", HUGE, b"\nhi\n"))
    with pytest.raises(ValueError, match="header line is longer than"):
        read_csv(stream)


def test_framing_falls_back_for_encodings_whose_bytes_could_be_read_wrong() -> None:
    """UTF-16 input is parsed sequentially (its newline is two bytes), with the same rows."""
    data = "text\nhello\n\"two\nlines\"\n".encode("utf-16")
    from smsencode import batch

    layout, chunks = batch._csv_chunks(io.BytesIO(data), "text", None, ",", "utf-16", framed=True)
    assert layout is None
    rows = [row for kind, rows in chunks for row in rows]
    assert rows == [(2, "hello", None, None), (3, "two\nlines", None, None)]


# ------------------------------------------------------------------------------ rows and results

TARIFF = Tariff({"49": "0.075", "4917": "0.0725"}, currency="EUR")


def test_analyze_row_reports_encoding_parts_cost_and_non_gsm_characters() -> None:
    """One ok row: every field of the result."""
    r = analyze_row(InputRow(7, "Grüße 😀😀 ç", "004917612345678"), {}, TARIFF)
    assert r == RowResult(
        7, "ok", "+4917612345678", "UTF16", 12, 1, False, 0, "😀ç", Decimal("0.0725"), "EUR", None
    )


def test_analyze_row_failures_and_unpriced() -> None:
    """Invalid numbers and policy refusals fail the row; an unmatched prefix leaves it unpriced."""
    bad = analyze_row(InputRow(2, "hi", "0176 1234567"), {}, TARIFF)
    assert bad.status == "failed" and "not an E.164 number" in (bad.problem or "")
    refused = analyze_row(InputRow(3, "😀", None), {"invalid_characters": "REFUSE"}, None)
    assert refused.status == "failed" and "cannot be encoded" in (refused.problem or "")
    unpriced = analyze_row(InputRow(4, "x" * 161, "+33612345678"), {}, TARIFF)
    assert (unpriced.status, unpriced.parts, unpriced.cost) == ("unpriced", 2, None)
    assert "no price for +33612345678" in (unpriced.problem or "")
    no_tariff = analyze_row(InputRow(5, "hi", "+33612345678"), {}, None)
    assert (no_tariff.status, no_tariff.recipient, no_tariff.problem) == ("ok", "+33612345678", None)


def test_replacements_and_truncation_are_reported_per_row() -> None:
    """REPLACE counts its replacements; max_parts marks the row truncated."""
    r = analyze_row(InputRow(2, "a😀b`c", None), {"invalid_characters": "REPLACE"}, None)
    assert (r.encoding, r.replacements, r.non_gsm) == ("GSM7", 2, "😀`")
    t = analyze_row(InputRow(3, "x" * 400, None), {"max_parts": 2}, None)
    assert (t.parts, t.truncated, t.units) == (2, True, 306)


def test_lone_surrogates_in_input_are_written_as_escapes() -> None:
    """A recipient holding a lone surrogate is echoed escaped, so the output stays valid UTF-8."""
    r = analyze_row(InputRow(2, "hi", "+49\udcff"), {}, TARIFF)
    assert r.status == "failed" and r.recipient == "+49\\udcff"
    format_rows([r], "csv").encode("utf-8")


def test_csv_and_jsonl_writers() -> None:
    """CSV has a header and empty cells for absent values; JSON Lines has null; money is exact text."""
    results = [
        RowResult(2, "ok", "+4917612345678", "GSM7", 2, 1, False, 0, "", Decimal("0.0725"), "EUR", None),
        RowResult(3, "failed", None, problem="missing text"),
    ]
    text = format_rows(results, "csv", header=True)
    assert text.splitlines() == [
        ",".join(OUTPUT_FIELDS),
        "2,ok,+4917612345678,GSM7,2,1,false,0,,0.0725,EUR,",
        "3,failed,,,,,,,,,,missing text",
    ]
    lines = [json.loads(x) for x in format_rows(results, "jsonl").splitlines()]
    assert lines[0]["cost"] == "0.0725" and lines[0]["truncated"] is False
    failed = {"line": 3, "status": "failed", "non_gsm": "", "problem": "missing text"}
    assert lines[1] == dict.fromkeys(OUTPUT_FIELDS) | failed
    with pytest.raises(ValueError, match="'csv' or 'jsonl'"):
        format_rows(results, "xml")


def test_money_is_written_in_fixed_point_never_exponent() -> None:
    """A tiny price is 0.0000001 in the output, not Decimal's 1E-7."""
    tiny = Tariff.flat("0.0000001", currency="EUR")
    r = analyze_row(InputRow(2, "hi", None), {}, tiny)
    assert r.cost == Decimal("1E-7")
    assert format_rows([r], "csv").split(",")[9] == "0.0000001"
    assert json.loads(format_rows([r], "jsonl"))["cost"] == "0.0000001"
    s = BatchSummary()
    s.add(r)
    assert s.as_dict()["cost"] == {"EUR": "0.0000001"}
    assert "cost:       EUR 0.00 (exactly 0.0000001)" in s.lines()


# --------------------------------------------------------------------------------- run and summary


def make_rows(n: int) -> list[InputRow]:
    rows = []
    for i in range(n):
        if i % 17 == 5:
            rows.append(InputRow(i + 2, None, "+4917612345678", "missing text"))
        else:
            to = ["+4917612345678", "+4930123456", "+33612345678", "12"][i % 4]
            rows.append(InputRow(i + 2, f"Offer {i} " + ("😀" if i % 3 == 0 else "") + "ç" * (i % 2), to))
    return rows


def test_run_batch_gives_the_same_output_and_summary_with_one_or_two_jobs() -> None:
    """Parallel runs write exactly what a single process writes, in input order."""
    rows = make_rows(300)
    single, double = io.StringIO(), io.StringIO()
    s1 = run_batch(rows, single, jobs=1, tariff=TARIFF, chunksize=16)
    s2 = run_batch(iter(rows), double, jobs=2, tariff=TARIFF, chunksize=16)
    assert single.getvalue() == double.getvalue()
    s1.seconds = s2.seconds = 0
    assert s1 == s2
    lines = single.getvalue().splitlines()
    assert len(lines) == 301 and [int(x.split(",")[0]) for x in lines[1:]] == [r.line for r in rows]


def test_summary_counts_parts_cost_offenders_and_failures() -> None:
    """The summary adds up what the rows say, exactly; lists are capped, counts are not."""
    rows = make_rows(300)
    out = io.StringIO()
    s = run_batch(rows, out, jobs=1, tariff=TARIFF)
    results = [analyze_row(r, {}, TARIFF) for r in rows]
    assert s.rows == 300
    assert s.failed == sum(r.status == "failed" for r in results) == 18 + 71
    assert s.unpriced == sum(r.status == "unpriced" for r in results) == 70
    assert s.parts == sum(r.parts or 0 for r in results if r.status != "failed")
    assert s.costs == {"EUR": sum((r.cost for r in results if r.cost is not None), Decimal(0))}
    assert s.utf16_rows == sum(r.encoding == "UTF16" for r in results)
    top = dict(s.top_offenders())
    assert top["ç"] == sum("ç" in r.non_gsm for r in results) and top["😀"] > 0
    assert len(s.failures) == SUMMARY_LIST_LIMIT and s.failures[1] == (7, "missing text")
    assert s.failures[0][0] == 5 and "'12' is not an E.164 number" in s.failures[0][1]
    text = "\n".join(s.lines())
    assert f"rows:       300 (141 ok, 70 unpriced, {s.failed} failed)" in text
    assert f"and {s.failed - SUMMARY_LIST_LIMIT} more (see the output)" in text
    assert "cost incomplete: 70 rows have no price" in text
    assert s.as_dict()["cost"] == {"EUR": str(s.costs["EUR"])}


def test_summary_totals_each_currency_apart_and_names_invisible_offenders() -> None:
    """Prices in GBP and EUR give two totals; a variation selector or no-break space that forced
    UTF-16 is named, since it cannot be seen in a list of characters."""
    tariff = Tariff({"44": ("0.040", "GBP"), "49": "0.075"}, currency="EUR")
    rows = [
        InputRow(2, "I \u2764\ufe0f you", "+447700900123"),
        InputRow(3, "50\u00a0EUR", "+4917612345678"),
        InputRow(4, "x" * 161, "+447700900124"),
    ]
    out = io.StringIO()
    s = run_batch(rows, out, jobs=1, tariff=tariff)
    assert s.costs == {"GBP": Decimal("0.120"), "EUR": Decimal("0.075")}
    text = "\n".join(s.lines())
    assert "cost:       EUR 0.08 (exactly 0.075)\ncost:       GBP 0.12\n" in text
    assert ("characters outside GSM-7 by rows: U+00A0 NO-BREAK SPACE in 1, '❤' U+2764 in 1, "
            "U+FE0F VARIATION SELECTOR-16 in 1") in text  # fmt: skip
    top = s.as_dict()["top_non_gsm"]
    assert top[2] == {"char": "\ufe0f", "code_point": "U+FE0F", "name": "VARIATION SELECTOR-16", "rows": 1}
    assert s.as_dict()["cost"] == {"EUR": "0.075", "GBP": "0.120"}


def test_summary_merge_is_addition() -> None:
    """Merging chunk summaries equals summarising all rows at once."""
    results = [analyze_row(r, {}, TARIFF) for r in make_rows(100)]
    whole, a, b = BatchSummary(), BatchSummary(), BatchSummary()
    for r in results:
        whole.add(r)
    for r in results[:40]:
        a.add(r)
    for r in results[40:]:
        b.add(r)
    a.merge(b)
    assert a == whole


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_percent_and_rate_on_one_line() -> None:
    """The bar is redrawn in place with \\r and ends with a newline."""
    term = FakeTerminal()
    bar = ProgressBar(term, total_bytes=1000)
    bar.update(50, 500, force=True)
    assert term.getvalue().startswith("\r[###############---------------]  50% 50 rows")
    bar.close(100)
    assert term.getvalue().endswith("100% 100 rows, " + term.getvalue().rsplit("100% 100 rows, ", 1)[1])
    assert term.getvalue().endswith("\n")
    unknown = FakeTerminal()
    ProgressBar(unknown, None).update(7, 0, force=True)
    assert unknown.getvalue().startswith("\r7 rows, ")


# ------------------------------------------------------------------------------------- the command

INPUT_CSV = (
    "id,text,to\n"
    "1,Hello there,+4917612345678\n"
    "2,Caf\u00e9 \U0001f600 promo,+447700900123\n"
    "3,,+4917612345678\n"
    "4,ok,0176 1234567\n"
    '5,"two\nlines",+4930123456\n'
)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "in.csv").write_text(INPUT_CSV, encoding="utf-8")
    (tmp_path / "tariff.csv").write_text("prefix,price\n49,0.075\n4917,0.0725\n", encoding="utf-8")
    return tmp_path


def run_cli(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    return main(argv, out=out), out.getvalue()


def test_batch_command_writes_rows_and_summary_and_fails_on_bad_rows(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Per-row CSV on stdout, summary on stderr, exit 1 because two rows failed; no progress bar."""
    status, out = run_cli(
        ["batch", str(files / "in.csv"), "--tariff", str(files / "tariff.csv"),
         "--recipient-column", "to", "-j", "1"]
    )
    err = capsys.readouterr().err
    assert status == 1
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["line"], r["status"]) for r in rows] == [
        ("2", "ok"), ("3", "unpriced"), ("4", "failed"), ("5", "failed"), ("6", "ok"),
    ]  # fmt: skip
    assert rows[0]["cost"] == "0.0725" and rows[4]["cost"] == "0.075"
    assert rows[1]["non_gsm"] == "😀" and rows[1]["encoding"] == "UTF16"
    assert "rows:       5 (2 ok, 1 unpriced, 2 failed)" in err
    assert "cost:       EUR 0.15 (exactly 0.1475)" in err
    assert "line 4: missing text" in err and "line 5: invalid number" in err
    assert "\r" not in err


def test_batch_command_to_files_in_jsonl_with_json_summary(files: Path) -> None:
    """-o FILE takes its format from the extension; the summary then goes to stdout and to JSON."""
    (files / "ok.jsonl").write_text(
        '{"body": "hi", "n": "+4917612345678"}\n{"body": "' + "x" * 200 + '", "n": 4930123456}\n',
        encoding="utf-8",
    )
    status, out = run_cli([
        "batch", str(files / "ok.jsonl"), "-o", str(files / "out.jsonl"), "--text-column", "body",
        "--recipient-column", "n", "--price-per-part", "0.05", "--currency", "usd",
        "--summary-json", str(files / "summary.json"),
    ])  # fmt: skip
    assert status == 0
    results = [json.loads(x) for x in (files / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["line"], r["parts"], r["cost"], r["currency"]) for r in results] == [
        (1, 1, "0.05", "USD"), (2, 2, "0.10", "USD"),
    ]  # fmt: skip
    assert "cost:       USD 0.15" in out
    summary = json.loads((files / "summary.json").read_text(encoding="utf-8"))
    assert summary["rows"] == 2 and summary["parts"] == 3 and summary["cost"] == {"USD": "0.15"}


def test_batch_command_reads_standard_input(
    files: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """INPUT '-' reads standard input; --format jsonl switches the output."""
    stdin = io.TextIOWrapper(io.BytesIO(b"text\nhello\n\xf0\x9f\x98\x80\n"), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    status, out = run_cli(["batch", "-", "--format", "jsonl"])
    assert status == 0
    assert [json.loads(x)["encoding"] for x in out.splitlines()] == ["GSM7", "UTF16"]
    top = "UTF-16:     1 rows; characters outside GSM-7 by rows: '😀' U+1F600 in 1"
    assert top in capsys.readouterr().err


def test_batch_command_setup_errors_exit_2(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing column, a missing file or a bad option stop the run before any output."""
    status, out = run_cli(["batch", str(files / "in.csv"), "--text-column", "body"])
    assert (status, out) == (2, "")
    assert "no column 'body'" in capsys.readouterr().err
    assert run_cli(["batch", str(files / "nope.csv")])[0] == 2
    assert "cannot read" in capsys.readouterr().err
    assert run_cli(["batch", str(files / "in.csv"), "--max-parts", "300"])[0] == 2
    assert run_cli(["batch", str(files / "in.csv"), "--jobs", "0"])[0] == 2
    assert run_cli(["batch", str(files / "in.csv"), "--delimiter", ";;"])[0] == 2
    assert "--delimiter must be one character" in capsys.readouterr().err


def test_batch_command_reads_tab_separated_files(tmp_path: Path) -> None:
    """--delimiter tab (or a literal tab) reads TSV."""
    (tmp_path / "in.tsv").write_text("id\ttext\n1\thi, there\n", encoding="utf-8")
    status, out = run_cli(["batch", str(tmp_path / "in.tsv"), "--delimiter", "tab", "-j", "1"])
    assert status == 0 and out.splitlines()[1].startswith("2,ok,,GSM7,9,1,")


def test_batch_command_shows_progress_when_asked(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--progress draws the bar on stderr even when it is not a terminal."""
    run_cli(["batch", str(files / "in.csv"), "--progress", "-o", str(files / "o.csv")])
    err = capsys.readouterr().err
    assert err.startswith("\r[") and "100%" in err


def test_batch_as_a_subprocess_with_two_jobs(tmp_path: Path) -> None:
    """The installed command, piped: CSV on stdout, summary on stderr, no bar, exit status 1."""
    lines = ["text,to"] + [f"Message {i} {'😀' if i % 2 else ''},+4917612345{i:03d}" for i in range(5000)]
    lines.append(",+4917612345678")
    (tmp_path / "in.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "smsencode", "batch", str(tmp_path / "in.csv"), "--recipient-column", "to",
         "--price-per-part", "0.01", "-j", "2"],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(rows) == 5001 and [int(r["line"]) for r in rows] == list(range(2, 5003))
    assert "rows:       5001 (5000 ok, 0 unpriced, 1 failed)" in proc.stderr
    assert "cost:       EUR 50.00" in proc.stderr
    assert "UTF-16:     2500 rows" in proc.stderr
    assert "\r" not in proc.stderr


def smsencode_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "smsencode", "batch", *args]


UTF8_ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}


def many_rows_file(path: Path, rows: int) -> Path:
    lines = (f"Message {i} \u00e7,+4917612345{i % 1000:03d}\n" for i in range(rows))
    path.write_text("text,to\n" + "".join(lines), encoding="utf-8")
    return path


def read_terminal(master: int, timeout: float = 120.0) -> bytes:
    """Everything written to a pseudo-terminal until its other end is closed (or *timeout*
    seconds pass: a test must end even if the command under test hangs)."""
    import select
    import time

    deadline = time.monotonic() + timeout
    chunks = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([master], [], [], remaining)[0]:
            break
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the other end is closed
            break
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_progress_bar_on_a_real_terminal_and_not_over_rows_on_it(tmp_path: Path, jobs: str) -> None:
    """With standard error a terminal (a pseudo-terminal here) the bar is drawn there, ending at 100%,
    while the rows go elsewhere; when the rows go to that same terminal, no bar is drawn over them."""
    import pty

    data = many_rows_file(tmp_path / "in.csv", 3000)
    master, slave = pty.openpty()
    try:
        with (tmp_path / "rows.csv").open("wb") as rows:  # a file, so that nothing waits on a pipe
            proc = subprocess.Popen(smsencode_command(str(data), "-j", jobs), stdout=rows, stderr=slave,
                                    env=UTF8_ENV)  # fmt: skip
        os.close(slave)
        terminal = read_terminal(master)
        proc.wait(timeout=120)
    finally:
        os.close(master)
    out = (tmp_path / "rows.csv").read_bytes()
    assert proc.returncode == 0
    assert len(out.decode().splitlines()) == 3001 and b"\r" not in out
    assert terminal.startswith(b"\r[") and b"] 100% 3,000 rows" in terminal
    assert b"rows:       3000 (3000 ok" in terminal

    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(smsencode_command(str(data), "-j", jobs), stdout=slave, stderr=slave,
                                env=UTF8_ENV)  # fmt: skip
        os.close(slave)
        terminal = read_terminal(master)
        proc.wait(timeout=120)
    finally:
        os.close(master)
    assert proc.returncode == 0
    assert b"2,ok,,UTF16," in terminal and b"rows:       3000 (3000 ok" in terminal
    assert b"\r[" not in terminal and b"100%" not in terminal


@pytest.mark.parametrize(("jobs", "fmt"), [("1", "csv"), ("2", "csv"), ("2", "jsonl")])
def test_a_reader_that_goes_away_ends_the_run_quietly(tmp_path: Path, jobs: str, fmt: str) -> None:
    """`smsencode batch big.csv | head -1`: exit status 141 and not a word on standard error."""
    data = many_rows_file(tmp_path / "in.csv", 30000)
    proc = subprocess.Popen(smsencode_command(str(data), "-j", jobs, "--format", fmt),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=UTF8_ENV)  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 141
    assert first.startswith(b"line,status" if fmt == "csv" else b'{"line":2,')
    assert err == b""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_ends_the_run_quietly_with_status_130(tmp_path: Path, jobs: str) -> None:
    """SIGINT to the whole process group (what Ctrl-C sends), workers included, mid-run: one line
    saying so, no traceback, status 130."""
    import signal

    data = many_rows_file(tmp_path / "in.csv", 60000)
    proc = subprocess.Popen(smsencode_command(str(data), "-j", jobs), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=UTF8_ENV, start_new_session=True)  # fmt: skip
    assert proc.stdout is not None
    assert proc.stdout.readline().startswith(b"line,status")  # running, and blocked on the full pipe
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert err.decode().strip() == "smsencode batch: interrupted"


def tricky_inputs(tmp_path: Path) -> list[Path]:
    """Inputs with everything a reader can trip on, long enough to be cut into several blocks."""
    def row(i: int) -> str:
        if i % 3 == 0:
            return f"{i},plain {i},{'0176 123' if i % 11 == 0 else '+4930123456'}\r\n"
        odd = "😀" if i % 7 == 0 else "ç" if i % 5 == 0 else ""
        return f'{i},"line {i}\r\nwith ""quotes"", {odd}",+4917612345{i:03d}\r\n'

    body = "".join(map(row, range(6000))).encode()
    bad = b"6000,bad \xff byte,+4917612345678\r\n6001,,+4917612345678\r\n"
    huge = b'6002,"' + b"z" * (3 << 20) + b'",+4917612345678\r\n'
    csv_path = tmp_path / "tricky.csv"
    csv_path.write_bytes(b"\xef\xbb\xbfid,text,to\r\n" + body + bad + huge + b"6003,last,+4917612345678")
    lines = [json.dumps({"text": f"line {i} " + "😀" * (i % 3), "to": f"+4917612{i:06d}"})
             for i in range(5000)]  # fmt: skip
    lines[10] = '{"text": "bad \xff"}'
    jsonl = ("\ufeff" + "\r\n".join(lines)).encode("utf-8", "surrogateescape").replace(b"\xc3\xbf", b"\xff")
    jsonl_path = tmp_path / "tricky.jsonl"
    last = b'\n{"text": "last", "to": 4917612345678}'
    jsonl_path.write_bytes(jsonl + b'\n{"text": "' + b"z" * (3 << 20) + b'"}' + last)
    return [csv_path, jsonl_path]


def test_one_and_two_jobs_write_byte_identical_output_for_tricky_inputs(tmp_path: Path) -> None:
    """BOM, CR LF, quoted newlines, bad bytes, a 3 MiB record, no newline at the end: --jobs 2 writes
    exactly what --jobs 1 writes, in CSV and in JSON Lines, with the bad rows on their lines."""
    for path in tricky_inputs(tmp_path):
        for fmt in ("csv", "jsonl"):
            outputs = []
            for jobs in ("1", "2"):
                out = tmp_path / f"out-{jobs}.{fmt}"
                status, _ = run_cli(["batch", str(path), "--recipient-column", "to", "-j", jobs,
                                     "--price-per-part", "0.05", "-o", str(out)])  # fmt: skip
                assert status == 1
                outputs.append(out.read_bytes())
            assert outputs[0] == outputs[1], (path.name, fmt)
            text = outputs[0].decode("utf-8")
            rows = (list(csv.DictReader(io.StringIO(text))) if fmt == "csv"
                    else [json.loads(x) for x in text.splitlines()])  # fmt: skip
            failed = {int(r["line"]): r["problem"] for r in rows if r["status"] == "failed"}
            if path.suffix == ".csv":
                # Rows 0, 3, 6... take one line, the others two: row n starts on line 2 + 5n // 3.
                assert len(rows) == 6004 and rows[-1]["line"] in ("10005", 10005)
                assert failed[10002].startswith("undecodable input: byte 0xFF")
                assert failed[10003] == "missing text"
                assert failed[10004] == "record too long: more than 1,048,576 bytes (skipped)"
                assert failed[57].startswith("invalid number: '0176 123'")  # row 33
            else:
                assert len(rows) == 5002 and rows[-1]["line"] in ("5002", 5002)
                assert failed == {11: "undecodable input: byte 0xFF is not valid UTF-8",
                                  5001: "record too long: more than 1,048,576 bytes (skipped)"}  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_an_empty_file_and_a_header_only_file(
    tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Empty CSV: no header to find the columns in, exit 2 saying so. Empty JSON Lines, or a CSV
    header alone: zero rows, exit 0, and a CSV output that is its header line."""
    empty = tmp_path / f"empty.{fmt}"
    empty.write_bytes(b"")
    status, out = run_cli(["batch", str(empty), "-j", "2"])
    err = capsys.readouterr().err
    if fmt == "csv":
        assert (status, out) == (2, "")
        assert "the CSV input is empty; it needs a header line" in err
        header = tmp_path / "header.csv"
        header.write_bytes(b"\xef\xbb\xbftext,to\r\n")
        status, out = run_cli(["batch", str(header), "--recipient-column", "to", "-j", "2"])
        assert (status, out) == (0, ",".join(OUTPUT_FIELDS) + "\n")
        assert "rows:       0 (0 ok, 0 unpriced, 0 failed)" in capsys.readouterr().err
    else:
        assert (status, out) == (0, "")
        assert "rows:       0 (0 ok, 0 unpriced, 0 failed)" in err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_duplicate_column_stops_the_command_naming_it(tmp_path: Path, jobs: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Exit 2 before any output, naming the column and the columns present."""
    path = tmp_path / "dup.csv"
    path.write_text("text,to,text\na,+4917612345678,b\n", encoding="utf-8")
    assert run_cli(["batch", str(path), "-j", jobs]) == (2, "")
    assert "2 columns named 'text' (its columns: 'text', 'to', 'text')" in capsys.readouterr().err


# Runs the command and then reports the peak resident memory of its process (VmHWM: unlike
# ru_maxrss it does not carry over the high-water mark of the process that started it).
PEAK_REPORTER = """
import sys
from smsencode.cli import main
status = main(sys.argv[1:])
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print("peak_kib", peak.split()[1], file=sys.stderr)
sys.exit(status)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc (Linux)")
def test_a_huge_line_keeps_the_command_small() -> None:
    """64 MiB in one line down a pipe: the process reading it stays far below that (each job count)."""
    for jobs, fmt in (("1", "csv"), ("2", "csv"), ("1", "jsonl"), ("2", "jsonl")):
        command = [sys.executable, "-c", PEAK_REPORTER, "batch", "-", "-j", jobs, "--input-format", fmt,
                   "-o", os.devnull]  # fmt: skip
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=UTF8_ENV)  # fmt: skip
        assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
        head, tail = (b"text\nfirst\n", b"\nlast\n")
        if fmt == "jsonl":
            head, tail = (b'{"text":"first"}\n{"text":"', b'"}\n{"text":"last"}\n')
        proc.stdin.write(head)
        block = b"y" * (1 << 20)
        for _ in range(64):
            proc.stdin.write(block)
        proc.stdin.write(tail)
        proc.stdin.close()
        summary = proc.stdout.read().decode()  # with -o FILE the summary goes to standard output
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=120) == 1, err
        assert "rows:       3 (2 ok, 0 unpriced, 1 failed)" in summary
        assert "record too long: more than 1,048,576 bytes (skipped)" in summary
        peak_kib = int(err.split("peak_kib")[1])
        assert peak_kib < 60 * 1024  # about 30 MiB is the interpreter and the library


def test_rows_on_standard_output_are_utf8_whatever_the_locale(tmp_path: Path) -> None:
    """Under a Latin-1 standard output the rows are still UTF-8 (as with -o FILE), not an encoding
    error in the middle of the run."""
    (tmp_path / "in.csv").write_text("text\nhi 😀\n", encoding="utf-8")
    proc = subprocess.run(smsencode_command(str(tmp_path / "in.csv")), capture_output=True, timeout=120,
                          env={**os.environ, "PYTHONIOENCODING": "latin-1"})  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("utf-8").splitlines()[1] == "2,ok,,UTF16,5,1,false,0,😀,,,"


def test_an_unwritable_summary_file_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Exit 2 with the path and the reason, after the rows were written."""
    (tmp_path / "in.csv").write_text("text\nhi\n", encoding="utf-8")
    nowhere = str(tmp_path / "no" / "s.json")
    status, out = run_cli(["batch", str(tmp_path / "in.csv"), "--summary-json", nowhere])
    assert status == 2 and out.startswith("line,status")
    assert "cannot write" in capsys.readouterr().err


def test_the_batch_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    """benchmarks/batch_bench.py --quick runs every size and job count (so that it cannot rot)."""
    from benchmarks import batch_bench

    out = tmp_path / "bench.json"
    assert batch_bench.main(["--quick", "--json", str(out)]) == 0
    results = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["input_rows"], r["jobs"]) for r in results] == [(2000, 1), (2000, 2), (20000, 1), (20000, 2)]
    assert all(r["rows"] == r["input_rows"] and r["max_process_mib"] > 0 for r in results)
