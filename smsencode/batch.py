"""Many messages at once: :func:`segment_many`, CSV and JSON Lines rows in and out, and batch runs.

Strategy: input is read as a stream and cut into chunks of rows; at most a few chunks per worker
process are in flight at any time, so memory stays flat however long the input is. Results come
back in input order. Worker processes receive their configuration (segment options, tariff, output
format) once, when they start, and send back each chunk already formatted, with a small summary,
so that the parent process only reads, writes and adds up.

Everything here works with the ``spawn`` start method: the worker entry points are module-level
functions and all they exchange is picklable.

The ``smsencode batch`` command is the thin pair :func:`add_parser` / :func:`run` at the end.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import functools
import io
import json
import os
import re
import signal
import sys
import time
import unicodedata
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from multiprocessing.context import BaseContext
from typing import IO, Any, BinaryIO, Literal, NamedTuple, TextIO, TypeVar, overload

from smsencode.alphabet import DEFAULT
from smsencode.cost import EXACT, Tariff, format_money, quote
from smsencode.errors import SmsEncodeError
from smsencode.options import Encoding
from smsencode.segment import Segmentation, segment

__all__ = [
    "BatchSummary",
    "InputRow",
    "RowResult",
    "analyze_row",
    "default_jobs",
    "format_rows",
    "read_csv",
    "read_jsonl",
    "run_batch",
    "segment_many",
]

T = TypeVar("T")
R = TypeVar("R")

#: Failed and unpriced rows listed by line in a summary; the output has every one of them.
SUMMARY_LIST_LIMIT = 20

#: Columns of the per-row output, in order (CSV header, JSON Lines keys).
OUTPUT_FIELDS = (
    "line", "status", "recipient", "encoding", "units", "parts", "truncated",
    "replacements", "non_gsm", "cost", "currency", "problem",
)  # fmt: skip

_ZERO = Decimal(0)
_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def default_jobs() -> int:
    """The number of CPU cores this process may run on (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


# --------------------------------------------------------------------------- ordered process map


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _ignore_sigint() -> None:
    # Ctrl-C goes to the whole process group; only the parent handles it, and stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _ordered_map(
    fn: Callable[[T], R],
    chunks: Iterator[T],
    *,
    jobs: int,
    local: Callable[[T], R] | None = None,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    mp_context: BaseContext | None = None,
) -> Iterator[R]:
    """``map(fn, chunks)`` over *jobs* processes, in order, with at most ``2 * jobs`` chunks in flight.

    ``Executor.map`` would read the whole input before yielding anything; this reads a chunk only
    when one has come back. With one job, or when the input is a single chunk (no worth in
    starting processes), *local* (or *fn*) runs in this process instead.
    """
    run_here = local if local is not None else fn
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None) if jobs > 1 else None
    if second is None:
        yield run_here(first)
        for chunk in chunks:
            yield run_here(chunk)
        return
    executor = ProcessPoolExecutor(
        max_workers=jobs, mp_context=mp_context, initializer=_init_worker, initargs=(initializer, initargs)
    )
    pending: deque[Future[R]] = deque()
    try:
        pending.append(executor.submit(fn, first))
        pending.append(executor.submit(fn, second))
        for chunk in chunks:
            while len(pending) >= 2 * jobs:
                yield pending.popleft().result()
            pending.append(executor.submit(fn, chunk))
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()
        executor.shutdown(wait=True, cancel_futures=True)


def _init_worker(initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    _ignore_sigint()
    if initializer is not None:
        initializer(*initargs)


# --------------------------------------------------------------------------------- segment_many


def _segment_chunk(
    args: tuple[list[str], dict[str, Any]],
) -> list[Segmentation | Exception]:
    texts, options = args
    out: list[Segmentation | Exception] = []
    for text in texts:
        try:
            out.append(segment(text, **options))
        except (SmsEncodeError, TypeError, ValueError) as err:
            out.append(err)  # in its place: the texts before it still come back
    return out


@overload
def segment_many(
    texts: Iterable[str],
    *,
    jobs: int | None = ...,
    chunksize: int = ...,
    return_exceptions: Literal[False] = ...,
    mp_context: BaseContext | None = ...,
    **segment_options: Any,
) -> Iterator[Segmentation]: ...
@overload
def segment_many(
    texts: Iterable[str],
    *,
    jobs: int | None = ...,
    chunksize: int = ...,
    return_exceptions: Literal[True],
    mp_context: BaseContext | None = ...,
    **segment_options: Any,
) -> Iterator[Segmentation | SmsEncodeError]: ...
def segment_many(
    texts: Iterable[str],
    *,
    jobs: int | None = 1,
    chunksize: int = 1000,
    return_exceptions: bool = False,
    mp_context: BaseContext | None = None,
    **segment_options: Any,
) -> Iterator[Segmentation] | Iterator[Segmentation | SmsEncodeError]:
    """Segment every text of *texts*, in order, optionally over several processes.

    The same as ``(segment(t, **segment_options) for t in texts)``, but with *jobs* worker
    processes each taking *chunksize* texts at a time. It streams: *texts* is read only as fast
    as results are consumed (at most ``2 * jobs`` chunks are in flight), so an endless input
    works in bounded memory. Bad options raise at once, before any process starts.

    >>> [s.part_count for s in segment_many(["hi", "x" * 161, "😀" * 70])]
    [1, 2, 3]

    **Errors, item by item.** A text that cannot be segmented (``REFUSE`` met a character
    outside GSM-7, more than 255 parts without *max_parts*) raises its
    :class:`~smsencode.SmsEncodeError` when its turn comes, after every result before it, with
    a note naming its position (``text 41 of the input, counting from 0``); the iterator is then
    finished. With *return_exceptions* the error is yielded in the text's place and the rest
    follows, so a caller can ``isinstance``-check each item. A text that is not a str is a
    programming error: its TypeError is raised at its turn either way.

    **When processes pay.** Each result travels back to this process as a pickled
    :class:`~smsencode.Segmentation`, and rebuilding one costs about as much as segmenting a short
    text with the default options. Worker processes therefore pay off for costly options
    (``national_languages``, ``TRANSLITERATE``) or long texts; for plain short texts ``jobs=1``
    is faster. To analyse and price a large file at full speed, use the ``smsencode batch``
    command or :func:`run_batch`, whose workers send back finished rows rather than objects.

    Args:
        texts: The messages (any iterable of str, read lazily).
        jobs: Worker processes; 1 (the default) works in this process, ``None`` uses every core.
        chunksize: Texts sent to a worker at a time; larger chunks cost less per text.
        return_exceptions: When true, a text that cannot be segmented yields its
            :class:`~smsencode.SmsEncodeError` in its place instead of raising it.
        mp_context: A :mod:`multiprocessing` context (for example ``get_context("spawn")``).
        segment_options: As :func:`smsencode.segment` takes them.

    Raises:
        SmsEncodeError: a text cannot be segmented (unless *return_exceptions*); the results
            before it have been yielded.
        TypeError: a text is not a str (at its turn), or an option has the wrong type (at once).
        ValueError: an option has a wrong value (at once).
    """
    workers = _check_jobs(jobs)
    if type(chunksize) is not int or chunksize < 1:
        msg = f"chunksize must be an int of at least 1, not {chunksize!r}"
        raise ValueError(msg)
    segment("", **segment_options)  # bad options raise here, in the caller's process
    chunks = ((chunk, segment_options) for chunk in _chunks(texts, chunksize))
    results = _ordered_map(_segment_chunk, chunks, jobs=workers, mp_context=mp_context)
    return _unpack(results, return_exceptions)


def _unpack(results: Iterator[list[Segmentation | Exception]], return_exceptions: bool) -> Iterator[Any]:
    index = 0
    for chunk in results:
        for item in chunk:
            if isinstance(item, Exception):
                item.add_note(f"text {index} of the input, counting from 0")
                if not (return_exceptions and isinstance(item, SmsEncodeError)):
                    raise item
            yield item
            index += 1


def _check_jobs(jobs: object) -> int:
    if jobs is None:
        return default_jobs()
    if type(jobs) is not int or jobs < 1:
        msg = f"jobs must be an int of at least 1, or None for every core; not {jobs!r}"
        raise ValueError(msg)
    return jobs


# -------------------------------------------------------------------------------------- readers


class InputRow(NamedTuple):
    """One message read from batch input: its line number, text, recipient, or why it is bad."""

    line: int
    text: str | None
    recipient: str | None = None
    problem: str | None = None


def _undecodable(value: str, encoding: str) -> str:
    found = _ESCAPED_BYTE.search(value)
    assert found is not None
    byte = ord(found.group()) - 0xDC00
    return f"undecodable input: byte 0x{byte:02X} is not valid {encoding}"


#: The plain-tuple form of :class:`InputRow` used inside a run (cheaper to build and to pickle).
Row = tuple[int, str | None, str | None, str | None]


def read_csv(
    source: BinaryIO | IO[bytes],
    *,
    text_column: str = "text",
    recipient_column: str | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Iterator[InputRow]:
    """Rows of a CSV file with a header line, streamed from the binary file *source*.

    A byte-order mark is skipped. A row whose text is missing or empty, whose recipient is
    missing (when *recipient_column* is given), whose bytes are not valid *encoding*, that the
    CSV parser rejects, or that is longer than :data:`MAX_RECORD_BYTES`, is yielded with its
    ``problem`` set; reading goes on. ``line`` is the line on which the row starts (the header is
    line 1). Blank lines are skipped. Memory stays bounded whatever the input holds.

    Raises:
        ValueError: the input is empty, its header is too long, or it lacks *text_column* or
            *recipient_column*, or names one of them twice (raised at the call).
    """
    layout, chunks = _csv_chunks(source, text_column, recipient_column, delimiter, encoding, framed=True)
    return map(InputRow._make, _chunk_rows(chunks, layout))


def _chunk_rows(chunks: Iterable[Chunk], layout: _CsvLayout | None) -> Iterator[Row]:
    """The rows of CSV chunks, parsed here (what a worker does with them)."""
    for kind, *payload in chunks:
        if kind == "rows":
            yield from payload[0]
        else:
            assert layout is not None
            yield from _csv_block_rows(payload[0], payload[1], layout)


def _csv_rows(
    source: BinaryIO | IO[bytes],
    text_column: str,
    recipient_column: str | None,
    delimiter: str,
    encoding: str,
) -> Iterator[Row]:
    """Rows parsed sequentially, for encodings whose bytes cannot be cut into records safely."""
    stream = io.TextIOWrapper(source, encoding=_sig_codec(encoding), errors="surrogateescape", newline="")
    try:
        lines = _BoundedLines(stream, MAX_RECORD_BYTES)
        reader = csv.reader(lines, delimiter=delimiter)
        try:
            header = next(reader, None)
        except _LineTooLongError:
            msg = f"the header line is longer than {MAX_RECORD_BYTES:,} characters; is this CSV?"
            raise ValueError(msg) from None
        if header is None:
            msg = "the CSV input is empty; it needs a header line naming its columns"
            raise ValueError(msg)
        layout = _layout(header, text_column, recipient_column, delimiter, encoding)
        yield from _csv_records(reader, 0, layout)
    finally:
        if not source.closed:
            stream.detach()  # leave *source* open: it belongs to the caller


class _LineTooLongError(Exception):
    """Raised by :class:`_BoundedLines` in place of a line too long to hold."""


class _BoundedLines:
    """The lines of a text stream (an iterator for csv.reader), none longer than *limit*.

    A longer line is read through and dropped, and ``next`` raises :class:`_LineTooLongError` in its
    place; iteration then goes on with the next line (a class, not a generator, so that it can).
    """

    def __init__(self, stream: IO[str], limit: int) -> None:
        self._readline = stream.readline
        self._limit = limit

    def __iter__(self) -> _BoundedLines:
        return self

    def __next__(self) -> str:
        line = self._readline(self._limit + 1)
        if not line:
            raise StopIteration
        if len(line) > self._limit:
            while line and len(line) > self._limit and not line.endswith(("\n", "\r")):
                line = self._readline(self._limit + 1)
            raise _LineTooLongError
        return line


class _CsvLayout(NamedTuple):
    """Where a CSV file keeps what a batch needs, and how to decode it."""

    encoding: str
    delimiter: str
    i_text: int
    i_to: int | None


def _sig_codec(encoding: str) -> str:
    """*encoding*, reading past a byte-order mark when it is UTF-8."""
    return "utf-8-sig" if codecs.lookup(encoding).name in ("utf-8", "utf-8-sig") else encoding


def _layout(
    header: list[str], text_column: str, recipient_column: str | None, delimiter: str, encoding: str
) -> _CsvLayout:
    names = [h.strip() for h in header]
    if recipient_column == text_column:
        msg = f"--text-column and --recipient-column both name {text_column!r}; they must be two columns"
        raise ValueError(msg)
    i_text = _column(names, text_column, "--text-column")
    i_to = None if recipient_column is None else _column(names, recipient_column, "--recipient-column")
    return _CsvLayout(encoding, delimiter, i_text, i_to)


def _csv_records(reader: Any, base: int, layout: _CsvLayout, *, strict: bool = False) -> Iterator[Row]:
    """Rows from a csv reader positioned at a record start; *base* lines come before its first.

    A record the csv module rejects becomes a failed row, or with *strict* raises csv.Error.
    """
    _, _, i_text, i_to = layout
    escaped = _ESCAPED_BYTE.search
    while True:
        line = base + reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            if strict:
                raise
            yield (line, None, None, f"unreadable CSV: {err}")
            continue
        except _LineTooLongError:
            yield (line, None, None, _too_long())
            base += 1  # the line the reader never saw
            continue
        if not any(row):
            continue  # a blank line, or one of only delimiters
        text = row[i_text] if i_text < len(row) else ""
        to = None if i_to is None else (row[i_to].strip() if i_to < len(row) else "")
        if not text:
            yield (line, None, to, "missing text")
        elif escaped(text) or (to and escaped(to)):
            yield (line, None, None, _undecodable(text + (to or ""), layout.encoding))
        elif to == "":
            yield (line, text, None, "missing recipient")
        else:
            yield (line, text, to, None)


def _column(names: list[str], wanted: str, option: str) -> int:
    have = ", ".join(map(repr, names)) or "none"
    count = names.count(wanted)
    if count == 1:
        return names.index(wanted)
    if count > 1:
        msg = (
            f"the input has {count} columns named {wanted!r} (its columns: {have}); "
            f"rename all but one, or name another column with {option}"
        )
    else:
        msg = f"the input has no column {wanted!r} (its columns: {have}); name it with {option}"
    raise ValueError(msg)


def read_jsonl(
    source: BinaryIO | IO[bytes],
    *,
    text_column: str = "text",
    recipient_column: str | None = None,
) -> Iterator[InputRow]:
    """Rows of a JSON Lines file (one object per line), streamed from the binary file *source*.

    Blank lines are skipped. A line that is not UTF-8, not JSON or not an object, that is longer
    than :data:`MAX_RECORD_BYTES`, or whose text is missing, empty or not a string, or whose
    recipient (when *recipient_column* is given) is missing or neither a string nor an integer,
    is yielded with its ``problem`` set. Memory stays bounded whatever the input holds.
    """
    keys = (text_column, recipient_column)
    for kind, *payload in _jsonl_blocks(source):
        rows = payload[0] if kind == "rows" else _jsonl_block_rows(payload[0], payload[1], keys)
        yield from map(InputRow._make, rows)


def _json_row(line: int, raw: bytes, text_column: str, recipient_column: str | None) -> Row:
    """Parse one JSON Lines line into a row (in the worker: parsing is half the reading cost)."""
    try:
        obj = json.loads(raw)
    except UnicodeDecodeError as err:
        bad = raw[err.start] if err.start < len(raw) else 0
        return (line, None, None, f"undecodable input: byte 0x{bad:02X} is not valid UTF-8")
    except ValueError as err:
        return (line, None, None, f"not JSON: {getattr(err, 'msg', err)}")
    if not isinstance(obj, dict):
        return (line, None, None, f"not a JSON object but {_json_type(obj)}")
    text = obj.get(text_column)
    to: Any = None
    if recipient_column is not None:
        to = obj.get(recipient_column)
        if isinstance(to, int) and not isinstance(to, bool):
            to = str(to)
        elif to is not None and not isinstance(to, str):
            return (line, None, None, f"{recipient_column!r} is a {_json_type(to)}, not a number")
        to = to.strip() if to else None
    if not isinstance(text, str) or not text:
        if text_column not in obj:
            return (line, None, to, f"missing text: {_no_key(obj, text_column)}")
        if text is None or text == "":
            return (line, None, to, "missing text")
        return (line, None, to, f"{text_column!r} is a {_json_type(text)}, not a string")
    if recipient_column is not None and not to:
        if recipient_column not in obj:
            return (line, text, None, f"missing recipient: {_no_key(obj, recipient_column)}")
        return (line, text, None, "missing recipient")
    return (line, text, to, None)


def _no_key(obj: dict[str, Any], key: str, limit: int = 8) -> str:
    """Why *key* is not found in *obj*, naming the keys it has (a misspelt column option)."""
    keys = ", ".join(repr(_clean(k)) for k in list(obj)[:limit]) or "none"
    more = f" and {len(obj) - limit} more" if len(obj) > limit else ""
    return f"no key {key!r} (its keys: {keys}{more})"


def _json_type(value: object) -> str:
    return {dict: "object", list: "array", bool: "boolean", int: "number", float: "number"}.get(
        type(value), type(value).__name__
    )


# -------------------------------------------------------------------------------------- framing
#
# Strategy: the parent only cuts the input into blocks of whole records and the workers parse
# them, so that the parent is not the bottleneck. A JSON Lines record ends at a newline. A CSV
# record may hold newlines inside quotes, so blocks are cut where a regular expression that
# follows the csv module's own states (a quote opens a quoted field only at the start of a field,
# "" inside one is a quote, anything after its closing quote is literal; records end at CR LF, CR
# or LF) says a record ends. Its quantifiers are possessive, so it never backtracks into a reading
# the csv module would not make. Encodings in which these bytes might be part of another
# character are parsed sequentially instead.
#
# Memory: a record longer than MAX_RECORD_BYTES is never held. It becomes one failed row and is
# read through to its end (by the same states, kept across reads) and dropped.

#: Bytes read per block; about 2,000 typical rows.
BLOCK_BYTES = 1 << 18
#: The longest CSV record or JSON line read; a longer one is a failed row, skipped. The longest
#: text 255 parts can carry is far shorter (255 x 153 septets, or 255 x 67 UTF-16 code units).
#: At least twice BLOCK_BYTES, so that every record of a block is known to be short enough.
MAX_RECORD_BYTES = 1 << 20

Chunk = tuple[Any, ...]


def _too_long() -> str:
    return f"record too long: more than {MAX_RECORD_BYTES:,} bytes (skipped)"


@functools.lru_cache(maxsize=8)
def _framing(delimiter: str) -> tuple[Any, Any]:
    """Patterns matching one CSV record and a run of whole records, for *delimiter*.

    ``re`` (possessive quantifiers since Python 3.11) runs these about three times as fast as
    ``regex``, and the parent process runs them over every byte of the input.
    """
    d = re.escape(delimiter.encode("ascii"))
    not_d = b"[^" + d + b"\r\n]"
    field = (
        b'(?:"(?:[^"]++|"")*+"' + not_d + b"*+"  # quoted, then whatever follows its closing quote
        b'|[^"' + d + b"\r\n]" + not_d + b"*+)?+"  # unquoted (its quotes are literal), or empty
    )
    record = field + b"(?:" + d + field + b")*+(?:\r\n|\r|\n)"
    return re.compile(record), re.compile(b"(?:" + record + b")*+")


def _frameable(encoding: str, delimiter: str) -> bool:
    name = codecs.lookup(encoding).name
    ascii_safe = name in ("utf-8", "utf-8-sig", "ascii") or name.startswith(("iso8859-", "cp125"))
    return ascii_safe and len(delimiter) == 1 and delimiter.isascii() and delimiter not in '"\r\n'


def _record_end(pattern: Any, buf: bytes, eof: bool) -> int:
    """Where the whole records *pattern* matches at the start of *buf* end (0: none complete)."""
    found = pattern.match(buf)
    end: int = found.end() if found else 0
    if end == len(buf) and not eof and buf.endswith(b"\r"):
        found = pattern.match(buf, 0, len(buf) - 1)  # the LF of this CR LF may be still unread
        end = found.end() if found else 0
    return end


def _line_breaks(block: bytes) -> int:
    return block.count(b"\n") + block.count(b"\r") - block.count(b"\r\n")


# States of a CSV record being skipped (the csv module's, as the framing pattern follows them).
_FIELD_START, _UNQUOTED, _QUOTED, _QUOTE_IN_QUOTED, _AFTER_QUOTED = range(5)


@functools.lru_cache(maxsize=8)
def _scanners(delimiter: str) -> tuple[Any, Any, Any]:
    """Patterns that run through the inside of a quoted field, the rest of an unquoted field (or
    of one after its closing quote), and a run of unquoted fields and delimiters."""
    d = re.escape(delimiter.encode("ascii"))
    unquoted = b'[^"' + d + b"\r\n][^" + d + b"\r\n]*+"
    return (
        re.compile(b'(?:[^"]++|"")*+'),
        re.compile(b"[^" + d + b"\r\n]*+"),
        re.compile(b"(?:" + unquoted + b")?+(?:" + d + b"(?:" + unquoted + b")?+)*+"),
    )


def _scan_record(piece: bytes, state: int, delimiter: str) -> tuple[int, int]:
    """Follow a CSV record through *piece* from *state*: (index of the line break that ends
    it, or -1 when it goes on past *piece*; the state at the end of *piece*).

    Each step is one pattern match, so that a long record costs C-speed scanning, not a Python
    step per byte.
    """
    in_quotes, rest_of_field, fields = _scanners(delimiter)
    d, quote = ord(delimiter), ord('"')
    i, n = 0, len(piece)
    while True:
        if state == _QUOTE_IN_QUOTED:  # a quote in a quoted field: "" or its closing quote
            if i == n:
                return -1, state
            if piece[i] == quote:
                state, i = _QUOTED, i + 1
            else:
                state = _AFTER_QUOTED
        if state == _QUOTED:
            i = in_quotes.match(piece, i).end()
            if i == n:
                return -1, state
            state, i = _QUOTE_IN_QUOTED, i + 1
            continue
        if state in (_UNQUOTED, _AFTER_QUOTED):  # quotes are literal here
            i = rest_of_field.match(piece, i).end()
            if i == n:
                return -1, state
            if piece[i] != d:
                return i, state
            state, i = _FIELD_START, i + 1
        j = fields.match(piece, i).end()  # stops at a line break, or a quote opening a field
        if j == n:
            return -1, (_FIELD_START if j == i or piece[j - 1] == d else _UNQUOTED)
        if piece[j] != quote:
            return j, state
        state, i = _QUOTED, j + 1


def _skip_csv_record(
    source: BinaryIO | IO[bytes], buf: bytes, eof: bool, delimiter: str
) -> tuple[bytes, bool, int]:
    """Drop the CSV record at the start of *buf*, reading through to its end without holding it:
    (the bytes after it, eof, the line breaks it held)."""
    state, breaks, prev_cr = _FIELD_START, 0, False
    while True:
        at, state = _scan_record(buf, state, delimiter)
        seen = buf if at < 0 else buf[: at + 1]
        breaks += _line_breaks(seen) - (prev_cr and seen[:1] == b"\n")  # a CR LF across reads
        if at >= 0:
            rest = buf[at + 1 :]
            if buf[at] == ord("\r"):  # CR LF is one line break, even when the LF is not read yet
                if not rest and not eof:
                    rest = source.read(BLOCK_BYTES)
                    eof = not rest
                if rest[:1] == b"\n":
                    rest = rest[1:]
            return rest, eof, breaks
        prev_cr = buf.endswith(b"\r")
        if eof:
            return b"", eof, breaks
        buf = source.read(BLOCK_BYTES)
        eof = not buf


def _csv_chunks(
    source: BinaryIO | IO[bytes],
    text_column: str,
    recipient_column: str | None,
    delimiter: str,
    encoding: str,
    *,
    framed: bool,
    chunksize: int = 2000,
) -> tuple[_CsvLayout | None, Iterator[Chunk]]:
    """Read the header (raising for missing columns) and return the chunks of the rest."""
    if not framed or not _frameable(encoding, delimiter):
        rows = _first_checked(_csv_rows(source, text_column, recipient_column, delimiter, encoding))
        return None, (("rows", c) for c in _chunks(rows, chunksize))
    one, _ = _framing(delimiter)
    buf, eof = b"", False
    while True:
        more = source.read(BLOCK_BYTES)
        eof = not more
        buf += more
        end = _record_end(one, buf, eof)
        if end or eof or len(buf) > MAX_RECORD_BYTES:
            break
    head = buf[: end or len(buf)]
    if len(head) > MAX_RECORD_BYTES:
        msg = f"the header line is longer than {MAX_RECORD_BYTES:,} bytes; is this CSV?"
        raise ValueError(msg)
    text = head.decode(_sig_codec(encoding), "surrogateescape")
    header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), None)
    if header is None:
        msg = "the CSV input is empty; it needs a header line naming its columns"
        raise ValueError(msg)
    layout = _layout(header, text_column, recipient_column, delimiter, encoding)
    return layout, _csv_blocks(source, buf[len(head):], 1 + _line_breaks(head), layout, eof)


def _csv_blocks(
    source: BinaryIO | IO[bytes], buf: bytes, line: int, layout: _CsvLayout, eof: bool
) -> Iterator[Chunk]:
    one, many = _framing(layout.delimiter)
    limit = MAX_RECORD_BYTES
    while True:
        while not eof and len(buf) < BLOCK_BYTES:
            more = source.read(BLOCK_BYTES)
            eof = not more
            buf += more
        if not buf:
            return
        end = len(buf) if eof else _record_end(many, buf, eof)
        if end == 0 and len(buf) <= limit:  # a record longer than the buffer: read on
            more = source.read(BLOCK_BYTES)
            eof = not more
            buf += more
            continue
        if len(buf) > limit and (end == 0 or (_record_end(one, buf, eof) or len(buf)) > limit):
            yield ("rows", [(line, None, None, _too_long())])
            buf, eof, breaks = _skip_csv_record(source, buf, eof, layout.delimiter)
            line += breaks
            continue
        block, buf = buf[:end], buf[end:]
        yield ("csv", line, block)
        line += _line_breaks(block)


def _csv_block_rows(line: int, block: bytes, layout: _CsvLayout) -> list[Row]:
    text = block.decode(layout.encoding, "surrogateescape")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=layout.delimiter)
    try:
        return list(_csv_records(reader, line - 1, layout, strict=True))
    except csv.Error:
        # The csv module goes on after a bad record at the next line, which may be inside it;
        # parse record by record instead, so that a bad record is one failed row.
        return list(_csv_block_records(line, block, layout))


def _csv_block_records(line: int, block: bytes, layout: _CsvLayout) -> Iterator[Row]:
    one, _ = _framing(layout.delimiter)
    pos, size = 0, len(block)
    while pos < size:
        found = one.match(block, pos)
        end = found.end() if found else size  # at the end of the input: its last record
        record = block[pos:end]
        text = record.decode(layout.encoding, "surrogateescape")
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=layout.delimiter)
        try:
            yield from _csv_records(reader, line - 1, layout, strict=True)
        except csv.Error as err:
            yield (line, None, None, f"unreadable CSV: {err}")
        line += _line_breaks(record)
        pos = end


def _jsonl_blocks(source: BinaryIO | IO[bytes]) -> Iterator[Chunk]:
    buf, line, eof = b"", 1, False
    limit = MAX_RECORD_BYTES
    while not eof:
        more = source.read(BLOCK_BYTES)
        eof = not more
        buf += more
        end = len(buf) if eof else buf.rfind(b"\n") + 1
        if end:
            block, buf = buf[:end], buf[end:]
            yield ("jsonl", line, block)
            line += block.count(b"\n")
        elif len(buf) > limit:  # one line longer than the limit: drop it as it is read
            yield ("rows", [(line, None, None, _too_long())])
            while not eof:
                buf = source.read(BLOCK_BYTES)
                eof = not buf
                at = buf.find(b"\n")
                if at >= 0:
                    buf, line = buf[at + 1 :], line + 1
                    break
            else:
                buf = b""


def _jsonl_block_rows(line: int, block: bytes, keys: tuple[str, str | None]) -> Iterator[Row]:
    text_key, to_key = keys
    limit = MAX_RECORD_BYTES
    for n, raw in enumerate(block.split(b"\n"), line):
        if len(raw) > limit:
            yield (n, None, None, _too_long())
        elif raw.strip():
            yield _json_row(n, raw, text_key, to_key)


# ------------------------------------------------------------------------------ rows and results


class RowResult(NamedTuple):
    """What one input row costs, or why it failed (``status`` "ok", "unpriced" or "failed").

    ``non_gsm`` holds the characters outside GSM-7 that made the row UTF-16 or were replaced, each
    once, in order of appearance. ``cost`` is exact (parts x price per part).
    """

    line: int
    status: str
    recipient: str | None = None
    encoding: str | None = None
    units: int | None = None
    parts: int | None = None
    truncated: bool | None = None
    replacements: int | None = None
    non_gsm: str = ""
    cost: Decimal | None = None
    currency: str | None = None
    problem: str | None = None


def _clean(value: str) -> str:
    """*value* with lone surrogates written as escapes, so that it can be written out as UTF-8."""
    if _SURROGATE.search(value) is None:
        return value
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def analyze_row(
    row: InputRow | Row, segment_options: Mapping[str, Any], tariff: Tariff | None = None
) -> RowResult:
    """Segment and price one input row; never raises for bad data (the result says what failed)."""
    return RowResult._make(_analyze(row, segment_options, tariff))


def _analyze(row: Row, options: Mapping[str, Any], tariff: Tariff | None) -> tuple[Any, ...]:
    """The hot path of a batch: one row in, the fields of its :class:`RowResult` out."""
    line, text, recipient, problem = row
    shown = recipient if recipient is None or _SURROGATE.search(recipient) is None else _clean(recipient)
    if problem is not None or text is None:
        failure = problem or "missing text"
        return (line, "failed", shown, None, None, None, None, None, "", None, None, failure)
    try:
        seg = segment(text, **options)
    except SmsEncodeError as err:
        return (line, "failed", shown, None, None, None, None, None, "", None, None, str(err))
    parts = seg.part_count
    encoding = seg.encoding
    replacements = seg.replacements
    non_gsm = ""
    if encoding is _UTF16 or replacements:
        non_gsm = _clean("".join(dict.fromkeys(_find_non_gsm(text))))
    status = "ok"
    cost: Decimal | None = None
    currency: str | None = None
    why: str | None = None
    if tariff is not None or recipient is not None:
        number, _prefix, price, cost, why = quote(tariff, recipient, parts)
        if recipient is not None:
            if number is None:
                return (line, "failed", shown, None, None, None, None, None, "", None, None, why)
            shown = number
        if tariff is None:
            why = None  # nothing to price with: the number was only checked
        elif price is None:
            status = "unpriced"
        else:
            currency = price.currency
    return (
        line, status, shown, _ENCODING_NAMES[encoding], seg.units, parts, seg.truncated,
        len(replacements), non_gsm, cost, currency, why,
    )  # fmt: skip


_find_non_gsm = DEFAULT.invalid_re.findall
_UTF16 = Encoding.UTF16
_ENCODING_NAMES = {e: e.value for e in Encoding}  # Enum.value is a Python-level property


def _row_writer(buf: io.StringIO, fmt: str) -> Callable[[tuple[Any, ...]], object]:
    if fmt == "csv":
        writerow = csv.writer(buf, lineterminator="\n").writerow

        def write_csv(r: tuple[Any, ...]) -> object:
            t, c = r[6], r[9]
            cut = "" if t is None else "true" if t else "false"
            return writerow((*r[:6], cut, r[7], r[8], None if c is None else f"{c:f}", *r[10:]))

        return write_csv
    if fmt == "jsonl":
        encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        write = buf.write
        keys = OUTPUT_FIELDS

        def write_jsonl(r: tuple[Any, ...]) -> object:
            d = dict(zip(keys, r, strict=True))
            if r[9] is not None:
                d["cost"] = f"{r[9]:f}"
            return write(encode(d) + "\n")

        return write_jsonl
    msg = f"unknown output format {fmt!r}: use 'csv' or 'jsonl'"
    raise ValueError(msg)


def format_rows(results: Iterable[RowResult | tuple[Any, ...]], fmt: str, *, header: bool = False) -> str:
    """*results* as CSV (with the header line first when *header*) or JSON Lines text.

    Money is written as exact decimal text (``"0.150"``), never a float; absent values are empty
    CSV cells or JSON ``null``; ``truncated`` is ``true``/``false``.
    """
    buf = io.StringIO()
    write = _row_writer(buf, fmt)
    if header and fmt == "csv":
        buf.write(",".join(OUTPUT_FIELDS) + "\n")
    for r in results:
        write(r)
    return buf.getvalue()


# -------------------------------------------------------------------------------------- summary


@dataclass
class BatchSummary:
    """The totals of a batch run. Money is exact; :meth:`as_dict` and :meth:`lines` present it.

    ``offenders`` counts, for each character outside GSM-7, the rows it appears in among the
    rows that became UTF-16 or had characters replaced: the characters to fix in templates.
    ``failures`` and ``unpriced_lines`` hold the first few rows only (the output has them all).
    """

    rows: int = 0
    ok: int = 0
    failed: int = 0
    unpriced: int = 0
    parts: int = 0
    costs: dict[str, Decimal] = field(default_factory=dict)
    encodings: Counter[str] = field(default_factory=Counter)
    truncated: int = 0
    replacements: int = 0
    offenders: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[int, str]] = field(default_factory=list)
    unpriced_lines: list[int] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, result: tuple[Any, ...]) -> None:
        """Count one row (a :class:`RowResult`, or its fields as a plain tuple)."""
        self.add_all((result,))

    def add_all(self, results: Iterable[tuple[Any, ...]]) -> None:
        """Count every row of *results* (one loop with local counters: this runs per row)."""
        rows = ok = failed = unpriced = parts = truncated = replaced = 0
        encodings: dict[str, int] = {}
        offenders = self.offenders
        costs = self.costs
        failures, unpriced_lines = self.failures, self.unpriced_lines
        for line, status, _, encoding, _, n, cut, changes, non_gsm, cost, currency, why in results:
            rows += 1
            if status == "failed":
                failed += 1
                if len(failures) < SUMMARY_LIST_LIMIT:
                    failures.append((line, why or ""))
                continue
            if status == "unpriced":
                unpriced += 1
                if len(unpriced_lines) < SUMMARY_LIST_LIMIT:
                    unpriced_lines.append(line)
            else:
                ok += 1
            parts += n
            encodings[encoding] = encodings.get(encoding, 0) + 1
            if cut:
                truncated += 1
            if changes:
                replaced += changes
            if non_gsm:
                offenders.update(non_gsm)
            if cost is not None:
                costs[currency] = EXACT.add(costs.get(currency, _ZERO), cost)
        self.rows += rows
        self.ok += ok
        self.failed += failed
        self.unpriced += unpriced
        self.parts += parts
        self.truncated += truncated
        self.replacements += replaced
        self.encodings.update(encodings)

    def merge(self, other: BatchSummary) -> None:
        """Add the counts of *other*, a summary of the rows that follow these."""
        self.rows += other.rows
        self.ok += other.ok
        self.failed += other.failed
        self.unpriced += other.unpriced
        self.parts += other.parts
        for currency, amount in other.costs.items():
            self.costs[currency] = EXACT.add(self.costs.get(currency, _ZERO), amount)
        self.encodings.update(other.encodings)
        self.truncated += other.truncated
        self.replacements += other.replacements
        self.offenders.update(other.offenders)
        self.failures.extend(other.failures[: SUMMARY_LIST_LIMIT - len(self.failures)])
        self.unpriced_lines.extend(other.unpriced_lines[: SUMMARY_LIST_LIMIT - len(self.unpriced_lines)])

    @property
    def utf16_rows(self) -> int:
        """Rows sent as UTF-16."""
        return self.encodings.get(Encoding.UTF16.value, 0)

    def top_offenders(self, n: int = 10) -> list[tuple[str, int]]:
        """The *n* characters outside GSM-7 found in the most rows, with their row counts."""
        return sorted(self.offenders.items(), key=lambda kv: (-kv[1], kv[0]))[:n]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view; money as exact decimal text."""
        return {
            "rows": self.rows,
            "ok": self.ok,
            "failed": self.failed,
            "unpriced": self.unpriced,
            "parts": self.parts,
            "cost": {c: f"{a:f}" for c, a in sorted(self.costs.items())},
            "encodings": dict(sorted(self.encodings.items())),
            "utf16_rows": self.utf16_rows,
            "truncated": self.truncated,
            "replacements": self.replacements,
            "top_non_gsm": [
                {
                    "char": _clean(c),
                    "code_point": f"U+{ord(c):04X}",
                    "name": unicodedata.name(c, ""),
                    "rows": k,
                }
                for c, k in self.top_offenders()
            ],
            "failures": [{"line": n, "problem": p} for n, p in self.failures],
            "unpriced_lines": list(self.unpriced_lines),
            "seconds": round(self.seconds, 3),
        }

    def lines(self) -> list[str]:
        """The summary as text lines, for people."""
        out = [f"rows:       {self.rows} ({self.ok} ok, {self.unpriced} unpriced, {self.failed} failed)"]
        out.append(f"parts:      {self.parts}")
        for currency, amount in sorted(self.costs.items()):
            shown = format_money(amount, currency)
            exact = "" if Decimal(shown) == amount else f" (exactly {amount:f})"
            out.append(f"cost:       {currency} {shown}{exact}")
        if self.unpriced:
            out.append(f"            cost incomplete: {self.unpriced} rows have no price")
        enc = ", ".join(f"{k} {v}" for k, v in sorted(self.encodings.items()))
        out.append(f"encodings:  {enc or '-'}")
        if self.offenders:
            top = ", ".join(f"{_character(c)} in {k}" for c, k in self.top_offenders())
            out.append(f"UTF-16:     {self.utf16_rows} rows; characters outside GSM-7 by rows: {top}")
        if self.truncated:
            out.append(f"truncated:  {self.truncated} rows cut by --max-parts")
        if self.replacements:
            out.append(f"replaced:   {self.replacements} characters")
        out.extend(_listed("failed", [f"line {n}: {p}" for n, p in self.failures], self.failed))
        out.extend(_listed("unpriced", [f"line {n}" for n in self.unpriced_lines], self.unpriced))
        rate = f", {self.rows / self.seconds:,.0f} rows/s" if self.seconds > 0 else ""
        out.append(f"time:       {self.seconds:.2f} s{rate}")
        return out


#: Characters that cannot be seen on their own (marks, formats, spaces, controls, surrogates).
_INVISIBLE = frozenset({"Mn", "Me", "Cf", "Cc", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})


def _character(c: str) -> str:
    """One character for a summary: quoted with its code point, or for one that cannot be seen
    on its own (a combining mark, a variation selector, a no-break space) its code point and name."""
    if unicodedata.category(c) in _INVISIBLE:
        name = unicodedata.name(c, "")
        return f"U+{ord(c):04X}" + (f" {name}" if name else "")
    return f"{c!r} U+{ord(c):04X}"


def _listed(label: str, items: list[str], total: int) -> list[str]:
    if not items:
        return []
    more = total - len(items)
    tail = [f"            and {more} more (see the output)"] if more > 0 else []
    return [f"{label + ':':<11} {items[0]}", *(f"            {i}" for i in items[1:]), *tail]


# ------------------------------------------------------------------------------------- the run


@dataclass(frozen=True)
class _Job:
    segment_options: Mapping[str, Any]
    tariff: Tariff | None
    fmt: str
    #: How to parse chunks of raw CSV records, and the (text, recipient) keys of raw JSON Lines.
    csv: _CsvLayout | None = None
    json_keys: tuple[str, str | None] = ("text", None)


# Set once per worker process by its initializer: the configuration every chunk shares.
_worker_job: _Job | None = None


def _set_worker_job(job: _Job) -> None:
    global _worker_job
    _worker_job = job


def _work(job: _Job, chunk: tuple[Chunk, int]) -> tuple[str, BatchSummary, int]:
    (kind, *payload), position = chunk
    items: Iterable[Row]
    if kind == "rows":
        items = payload[0]
    elif kind == "csv":
        assert job.csv is not None
        items = _csv_block_rows(payload[0], payload[1], job.csv)
    else:
        items = _jsonl_block_rows(payload[0], payload[1], job.json_keys)
    buf = io.StringIO()
    write = _row_writer(buf, job.fmt)
    options, tariff = job.segment_options, job.tariff
    results = [_analyze(row, options, tariff) for row in items]
    for result in results:
        write(result)
    summary = BatchSummary()
    summary.add_all(results)
    return buf.getvalue(), summary, position


def _work_in_worker(chunk: tuple[Chunk, int]) -> tuple[str, BatchSummary, int]:
    assert _worker_job is not None
    return _work(_worker_job, chunk)


def run_batch(
    rows: Iterable[InputRow],
    out: TextIO,
    *,
    fmt: str = "csv",
    jobs: int | None = None,
    tariff: Tariff | None = None,
    segment_options: Mapping[str, Any] | None = None,
    chunksize: int = 2000,
    progress: Callable[[int, int], None] | None = None,
    position: Callable[[], int] | None = None,
    mp_context: BaseContext | None = None,
) -> BatchSummary:
    """Analyze every row, write one result per row to *out* (in input order) and sum them up.

    Args:
        rows: Input rows, read lazily (see :func:`read_csv`, :func:`read_jsonl`).
        out: Where the per-row results go, as CSV (header first) or JSON Lines (*fmt*).
        jobs: Worker processes; ``None`` uses every core, 1 works in this process.
        tariff: Prices per part, or ``None`` to count parts only.
        segment_options: As :func:`smsencode.segment` takes them.
        chunksize: Rows handed to a worker at a time.
        progress: Called after each chunk with (rows done, input position).
        position: Returns how far the input has been read (bytes), for *progress*.

    Raises:
        ValueError, TypeError: bad options (checked before any row is read).
    """
    options = dict(segment_options or {})
    segment("", **options)  # bad options fail here, once
    if fmt not in ("csv", "jsonl"):
        msg = f"unknown output format {fmt!r}: use 'csv' or 'jsonl'"
        raise ValueError(msg)
    plain = (r if type(r) is tuple else tuple(r) for r in rows)  # plain tuples pickle faster
    chunks = (("rows", c) for c in _chunks(plain, chunksize))
    return _run(
        _Job(options, tariff, fmt), chunks, out, jobs=_check_jobs(jobs),
        progress=progress, position=position, mp_context=mp_context,
    )  # fmt: skip


def _run(
    job: _Job,
    items: Iterator[Chunk],
    out: TextIO,
    *,
    jobs: int,
    progress: Callable[[int, int], None] | None,
    position: Callable[[], int] | None,
    mp_context: BaseContext | None = None,
) -> BatchSummary:
    where = position or (lambda: 0)
    chunks = ((chunk, where()) for chunk in items)
    summary = BatchSummary()
    started = time.perf_counter()
    if job.fmt == "csv":
        out.write(format_rows((), "csv", header=True))
    results = _ordered_map(
        _work_in_worker, chunks, jobs=jobs, local=lambda c: _work(job, c),
        initializer=_set_worker_job, initargs=(job,), mp_context=mp_context,
    )  # fmt: skip
    for text, part, pos in results:
        out.write(text)
        summary.merge(part)
        if progress is not None:
            progress(summary.rows, pos)
    summary.seconds = time.perf_counter() - started
    return summary


# ------------------------------------------------------------------------------------- progress


class ProgressBar:
    """A one-line progress bar on a terminal stream, redrawn at most ten times a second."""

    def __init__(self, stream: TextIO, total_bytes: int | None, width: int = 30) -> None:
        self.stream = stream
        self.total = total_bytes if total_bytes else None
        self.width = width
        self.started = time.perf_counter()
        self._last = 0.0

    def update(self, rows: int, position: int, *, force: bool = False) -> None:
        """Redraw with *rows* done and the input read up to byte *position*."""
        now = time.perf_counter()
        if not force and now - self._last < 0.1:
            return
        self._last = now
        elapsed = max(now - self.started, 1e-9)
        rate = f"{rows / elapsed:,.0f} rows/s"
        if self.total:
            frac = min(1.0, position / self.total)
            filled = int(frac * self.width)
            bar = "#" * filled + "-" * (self.width - filled)
            eta = f", {elapsed * (1 - frac) / frac:.0f} s left" if 0 < frac < 1 else ""
            line = f"[{bar}] {frac:4.0%} {rows:,} rows, {rate}{eta}"
        else:
            line = f"{rows:,} rows, {rate}"
        self.stream.write("\r" + line + "\x1b[K")
        self.stream.flush()

    def close(self, rows: int) -> None:
        """Draw the final state and end the line."""
        self.update(rows, self.total or 0, force=True)
        self.stream.write("\n")
        self.stream.flush()


# ---------------------------------------------------------------------------------- the command


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``batch`` subcommand to *subparsers* (from ``ArgumentParser.add_subparsers``)."""
    from smsencode import cli

    p: argparse.ArgumentParser = subparsers.add_parser(
        "batch",
        help="analyze and price every message of a CSV or JSON Lines file",
        description="Read messages from INPUT (CSV with a header line, or JSON Lines), write one "
        "result per row (encoding, units, parts, truncated, replacements, characters outside "
        "GSM-7, cost) and print a summary. Bad rows are reported by line and the run goes on; a "
        "record longer than 1 MiB is a bad row. Exit status: 0 every row ok, 1 some rows failed, "
        "2 the run could not be done, 130 interrupted, 141 the output was closed early.",
    )
    p.add_argument("input", metavar="INPUT", help="the input file, or - for standard input")
    p.add_argument("-o", "--output", default="-", help="per-row results file (default: standard output)")
    p.add_argument("--input-format", choices=("csv", "jsonl"), help="default: by INPUT's extension, else csv")
    p.add_argument(
        "--format", dest="output_format", choices=("csv", "jsonl"),
        help="per-row output format (default: by --output's extension, else the input's)",
    )  # fmt: skip
    p.add_argument("--text-column", default="text", help="column or JSON key of the message (default: text)")
    p.add_argument("--recipient-column", default=None, help="column (or JSON key) of the recipient's number")
    p.add_argument("--delimiter", default=",", help="CSV field delimiter: one character, or tab (default: ,)")
    p.add_argument("--input-encoding", default="utf-8", help="CSV input encoding (default: utf-8)")
    p.add_argument("-j", "--jobs", type=int, default=None, help="worker processes (default: every core)")
    p.add_argument("--summary-json", metavar="FILE", help="also write the summary as JSON to FILE")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show a progress bar on standard error (default: when it is a terminal "
                        "and the rows are not written to that terminal)")  # fmt: skip
    cli.add_segment_options(p)
    from smsencode.cost import add_cost_options

    add_cost_options(p, recipients=False)
    p.set_defaults(handler=run)
    return p


_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")


def _format_of(name: str, fallback: str) -> str:
    lowered = name.lower()
    if lowered.endswith(_JSONL_SUFFIXES):
        return "jsonl"
    if lowered.endswith((".csv", ".tsv")):
        return "csv"
    return fallback


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run ``smsencode batch`` with parsed *args*; returns the exit status.

    0 every row ok, 1 some rows failed, 2 the run could not be done, 130 interrupted (Ctrl-C),
    141 the output was closed early (``| head``). The last two end quietly, without a traceback.
    """
    stdout = out if out is not None else sys.stdout
    try:
        return _command(args, stdout, sys.stderr)
    except KeyboardInterrupt:
        _print_error("\nsmsencode batch: interrupted")
        return 130
    except BrokenPipeError:
        # The reader went away: nothing more can be said. Point the standard streams at devnull
        # so that flushing them at exit does not raise again.
        for stream in (sys.stdout, sys.stderr):
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, stream.fileno())
                os.close(devnull)
            except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
                pass
        return 141


def _print_error(message: str) -> None:
    try:
        print(message, file=sys.stderr)
    except (OSError, ValueError):
        pass  # standard error is closed too


def _command(args: argparse.Namespace, stdout: TextIO, err: TextIO) -> int:
    from smsencode.cost import tariff_from_options

    try:
        tariff = tariff_from_options(args)
        options = _segment_options(args)
        segment("", **options)
        jobs = _check_jobs(args.jobs)
    except (ValueError, TypeError, OSError) as exc:
        print(f"smsencode batch: error: {exc}", file=err)
        return 2
    if args.delimiter in ("tab", "\\t"):
        args.delimiter = "\t"
    if len(args.delimiter) != 1 or args.delimiter in '"\r\n':
        print(f"smsencode batch: error: --delimiter must be one character (not a quote or newline), "
              f"not {args.delimiter!r}", file=err)  # fmt: skip
        return 2
    in_fmt = args.input_format or _format_of(args.input, "csv")
    out_fmt = args.output_format or _format_of(args.output, in_fmt)
    try:
        source: BinaryIO = sys.stdin.buffer if args.input == "-" else open(args.input, "rb")
    except OSError as exc:
        print(f"smsencode batch: error: cannot read {args.input}: {exc.strerror or exc}", file=err)
        return 2
    chunks: Iterator[Chunk] = iter(())
    try:
        total = _size(source)
        if in_fmt == "csv":
            layout, chunks = _csv_chunks(
                source, args.text_column, args.recipient_column, args.delimiter, args.input_encoding,
                framed=True,  # records are cut here and parsed by the workers (or here, with one job)
            )  # fmt: skip
            job = _Job(options, tariff, out_fmt, csv=layout)
        else:
            job = _Job(options, tariff, out_fmt, json_keys=(args.text_column, args.recipient_column))
            chunks = _jsonl_blocks(source)
        to_stdout = args.output == "-"
        # The bar goes to standard error when it is a terminal, unless the rows are written to
        # that same terminal (they would be drawn over).
        show = args.progress
        if show is None:
            show = _isatty(err) and not (to_stdout and _isatty(stdout))
        bar = ProgressBar(err, total) if show else None
        sink = _utf8(stdout) if to_stdout else open(args.output, "w", encoding="utf-8", newline="")
        try:
            summary = _run(
                job, chunks, sink, jobs=jobs,
                progress=bar.update if bar else None, position=lambda: _tell(source),
            )  # fmt: skip
            sink.flush()
        finally:
            if sink is not stdout:
                if to_stdout:
                    sink.detach()  # type: ignore[attr-defined]
                else:
                    sink.close()
        if bar is not None:
            bar.close(summary.rows)
    except BrokenPipeError:
        raise
    except (ValueError, OSError, LookupError) as exc:
        print(f"smsencode batch: error: {exc}", file=err)
        return 2
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()  # before the source, so that no reader is left holding it
        if source is not sys.stdin.buffer:
            source.close()
    report = stdout if not to_stdout else err
    if tariff is not None and args.recipient_column is None and tariff.prices:
        report.write("note:       no --recipient-column: every row priced at the default price\n")
    report.write("\n".join(summary.lines()) + "\n")
    if args.summary_json:
        try:
            with open(args.summary_json, "w", encoding="utf-8") as f:
                json.dump(summary.as_dict(), f, ensure_ascii=False, indent=2)
                f.write("\n")
        except OSError as exc:
            where = args.summary_json
            print(f"smsencode batch: error: cannot write {where}: {exc.strerror or exc}", file=err)
            return 2
    return 1 if summary.failed else 0


def _utf8(stream: TextIO) -> TextIO:
    """*stream*, or a UTF-8 writer over its bytes when it encodes otherwise (a C or Latin-1
    locale): the results are UTF-8 wherever they go, as with ``-o FILE``."""
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "").replace("_", "")
    buffer = getattr(stream, "buffer", None)
    if encoding == "utf8" or buffer is None:
        return stream
    stream.flush()
    return io.TextIOWrapper(buffer, encoding="utf-8", newline="")


def _first_checked(rows: Iterator[T]) -> Iterator[T]:
    # Generators run lazily: pull the header check (a missing column) forward, so that it is
    # reported before the output is started.
    first = next(rows, None)
    if first is None:
        return iter(())
    return _chain(first, rows)


def _chain(first: T, rest: Iterator[T]) -> Iterator[T]:
    yield first
    yield from rest


def _segment_options(args: argparse.Namespace) -> dict[str, Any]:
    languages = tuple(x.strip() for x in args.national_languages.split(",") if x.strip())
    return {
        "encoding": args.encoding,
        "invalid_characters": args.invalid_characters,
        "max_parts": args.max_parts,
        "reference_bits": args.reference_bits,
        "national_languages": languages,
        "replacement": args.replacement,
    }


def _isatty(stream: IO[Any]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _size(source: BinaryIO) -> int | None:
    try:
        return os.fstat(source.fileno()).st_size or None
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        return None


def _tell(source: BinaryIO) -> int:
    try:
        return source.tell()
    except (OSError, ValueError):
        return 0
