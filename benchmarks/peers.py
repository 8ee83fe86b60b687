"""Adapters that ask each peer library, through its public API, how many parts a text takes.

Each adapter gives two callables: ``count(text) -> int`` for the agreement check, and
``batch(texts)`` for timing, which makes the same call inline in a loop (as a caller would),
so every subject pays the same loop overhead and no extra function layer. A peer that raises
on a text (some do past 255 parts) is timed up to the raise: ``try`` costs nothing on
CPython 3.11 until something is raised.

The peers come from the ``bench`` extra (``pip install 'smsencode[bench]'``); one that is not
installed is skipped with a note. For every peer, counting parts means splitting the text: none
offers a cheaper count.

Two peers register a codec under the same name ``gsm0338`` (python-messaging and smsutil). Codec
lookup takes the first registered search function, so python-messaging is imported first:
its own ``SmsSubmit`` then encodes with its own codec, as it does when used alone. smsutil's
splitter does not go through the codec.
"""

from __future__ import annotations

import importlib.metadata
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["Peer", "load_peers"]

Counter = Callable[[str], int]
Batch = Callable[[Sequence[str]], None]


@dataclass(frozen=True)
class Peer:
    """One peer library, ready to run."""

    name: str
    distribution: str
    version: str
    count: Counter
    batch: Batch
    #: What the peer is known to get wrong (shown beside its disagreements).
    known: str


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def _python_messaging() -> tuple[Counter, Batch]:
    from messaging.sms import SmsSubmit

    # Any valid number: SmsSubmit needs one, and it does not change the user data.
    number = "+15550100000"

    def count(text: str) -> int:
        return len(SmsSubmit(number, text).to_pdu())

    def batch(texts: Sequence[str]) -> None:
        for t in texts:
            try:
                len(SmsSubmit(number, t).to_pdu())
            except Exception:  # past 255 UTF-16 parts its header arithmetic overflows
                pass

    return count, batch


def _smsutil() -> tuple[Counter, Batch]:
    from smsutil import split

    def count(text: str) -> int:
        return len(split(text).parts)

    def batch(texts: Sequence[str]) -> None:
        for t in texts:
            try:
                len(split(t).parts)
            except Exception:
                pass

    return count, batch


def _smpplib() -> tuple[Counter, Batch]:
    from smpplib.gsm import make_parts

    def count(text: str) -> int:
        return len(make_parts(text)[0])

    def batch(texts: Sequence[str]) -> None:
        for t in texts:
            try:
                len(make_parts(t)[0])
            except Exception:  # MessageTooLong beyond 255 parts: the time to fail still counts
                pass

    return count, batch


def _gsm0338() -> tuple[Counter, Batch]:
    # gsm0338 is a codec only: a caller counts parts from the encoded length, falling back to
    # UTF-16 when the codec refuses a character. That arithmetic is what this adapter adds.
    import gsm0338  # noqa: F401  (registers the "gsm03.38" codec)

    def count(text: str) -> int:
        try:
            n = len(text.encode("gsm03.38"))
            single, multi = 160, 153
        except UnicodeEncodeError:
            n = len(text.encode("utf-16-le")) // 2
            single, multi = 70, 67
        return 1 if n <= single else -(-n // multi)

    def batch(texts: Sequence[str]) -> None:
        for t in texts:
            try:
                count(t)
            except Exception:
                pass

    return count, batch


def _sms_counter() -> tuple[Counter, Batch]:
    from sms.counter import SMSCounter

    counter = SMSCounter()

    def count(text: str) -> int:
        return int(counter.count(text).segment)

    def batch(texts: Sequence[str]) -> None:
        c = counter.count
        for t in texts:
            try:
                _ = c(t).segment
            except Exception:
                pass

    return count, batch


#: (name, distribution, loader, what it is known to get wrong); python-messaging first (see above).
_PEERS: tuple[tuple[str, str, Callable[[], tuple[Counter, Batch]], str], ...] = (
    (
        "python-messaging",
        "python-messaging",
        _python_messaging,
        "UTF-16 counted in code points (astral emoji as 1 unit), escape pairs split, not grapheme-aware",
    ),
    (
        "smsutil",
        "smsutil",
        _smsutil,
        "splits at code points, not grapheme clusters (flags, ZWJ sequences, skin tones cut)",
    ),
    (
        "smpplib",
        "smpplib",
        _smpplib,
        "§ and FF not GSM-7 in its table, escape pairs and surrogate pairs split at fixed offsets",
    ),
    (
        "gsm0338",
        "gsm0338",
        _gsm0338,
        "codec only: parts from the encoded length, so escape pairs and clusters are split",
    ),
    (
        "sms-counter",
        "sms-counter",
        _sms_counter,
        "UTF-16 counted in code points, units divided by 153/67 without any boundary rule",
    ),
)


def load_peers() -> tuple[list[Peer], list[str]]:
    """The installed peers, and a note for each one that could not be loaded."""
    peers: list[Peer] = []
    notes: list[str] = []
    for name, dist, loader, known in _PEERS:
        try:
            with warnings.catch_warnings():
                # Old peers import with deprecation warnings of their own dependencies.
                warnings.simplefilter("ignore")
                count, batch = loader()
        except Exception as exc:  # an import that fails in any way means: not available here
            notes.append(
                f"{name}: skipped ({type(exc).__name__}: {exc}); install with pip install 'smsencode[bench]'"
            )
            continue
        peers.append(Peer(name, dist, _version(dist), count, batch, known))
    return peers, notes
