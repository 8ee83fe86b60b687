"""Retrying what is safe to retry, and nothing else.

:func:`call_with_retry` (and :func:`async_call_with_retry`) run one HTTP exchange up to
``max_attempts`` times. The rules, from the providers' documented behaviour:

- a :class:`~smsencode.providers.errors.TransportError` with ``request_sent=False`` (the request
  never left) is always retried;
- 429 is retried after ``Retry-After`` seconds when the provider says so, else after
  ``rate_limit_wait`` (or the backoff); when the wait would exceed ``max_wait`` or the attempts
  run out, the 429 response is returned for the caller to raise ``RateLimitedError``;
- a response that ``classify`` calls ``"retry"`` (a transient code: the provider did not take
  the request) is retried, and returned when the attempts run out;
- a response that ``classify`` calls ``"unknown"`` (e.g. a 5xx on a send: the provider may have
  taken it) and a ``TransportError`` with ``request_sent=True`` are retried only when the request
  is ``idempotent`` (a read, or a send carrying a key the provider deduplicates on). Otherwise,
  or when the attempts run out, a send raises
  :class:`~smsencode.providers.errors.UnknownOutcomeError` and is never repeated; a
  ``read_only`` request returns the last response or re-raises the transport error.

``sleep``, ``backoff`` and ``clock`` are injectable so tests never wait.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Literal

from smsencode.providers._http import HttpResponse
from smsencode.providers.errors import TransportError, UnknownOutcomeError

__all__ = [
    "Verdict",
    "async_call_with_retry",
    "call_with_retry",
    "default_classify",
    "exponential_backoff",
    "parse_retry_after",
]

#: What :func:`call_with_retry` should do with a response: return it (``"done"``), repeat the
#: request because the provider did not take it (``"retry"``), or treat the outcome as unknown.
Verdict = Literal["done", "retry", "unknown"]


def default_classify(response: HttpResponse) -> Verdict:
    """5xx: the outcome is unknown; anything else is final. (429 is handled before this.)"""
    return "unknown" if response.status >= 500 else "done"


def exponential_backoff(attempt: int) -> float:
    """Seconds to wait after failed attempt number *attempt* (1-based): 0.5, 1, 2, ... capped at 30."""
    return float(min(0.5 * 2 ** (attempt - 1), 30.0))


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Read a ``Retry-After`` header: delay seconds or an HTTP date; ``None`` when absent or unreadable.

    >>> parse_retry_after("12"), parse_retry_after(None), parse_retry_after("soon")
    (12.0, None, None)
    """
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


class _Retrier:
    """The decisions of one retried call; the sync and async loops only sleep and send."""

    def __init__(
        self,
        *,
        classify: Callable[[HttpResponse], Verdict],
        max_attempts: int,
        backoff: Callable[[int], float],
        idempotent: bool,
        read_only: bool,
        operation: str,
        idempotency_keys: Sequence[str],
        recipients: Sequence[str],
        rate_limit_wait: float | None,
        max_wait: float,
        deadline: float | None,
        clock: Callable[[], float],
    ) -> None:
        if max_attempts < 1:
            msg = f"max_attempts must be at least 1, not {max_attempts}"
            raise ValueError(msg)
        self.classify = classify
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.idempotent = idempotent or read_only
        self.read_only = read_only
        self.operation = operation
        self.keys = tuple(idempotency_keys)
        self.recipients = tuple(recipients)
        self.rate_limit_wait = rate_limit_wait
        self.max_wait = max_wait
        self.deadline = deadline
        self.clock = clock
        self.attempt = 0
        self.maybe_delivered = False  # an earlier attempt may have reached the provider

    def _allowed(self, delay: float) -> bool:
        if self.attempt >= self.max_attempts or delay > self.max_wait:
            return False
        return self.deadline is None or self.clock() + delay < self.deadline

    def unknown(self, detail: str) -> UnknownOutcomeError:
        return UnknownOutcomeError(
            self.operation, idempotency_keys=self.keys, recipients=self.recipients, detail=detail
        )

    def after_error(self, exc: TransportError) -> float:
        """Return the delay before the next attempt, or raise what the caller should see."""
        delay = self.backoff(self.attempt)
        if not exc.request_sent:
            if self._allowed(delay):
                return delay
            if self.maybe_delivered and not self.read_only:
                raise self.unknown(f"{exc}; an earlier attempt may have been received") from exc
            raise exc
        self.maybe_delivered = True
        if self.idempotent and self._allowed(delay):
            return delay
        if self.read_only:
            raise exc
        raise self.unknown(str(exc)) from exc

    def _give_up(self, response: HttpResponse) -> float | None:
        # The last answer says "not taken", but an earlier attempt of a send may have been.
        if self.maybe_delivered and not self.read_only:
            raise self.unknown(
                f"an earlier attempt may have been received, the last one got HTTP {response.status}"
            )
        return None

    def after_response(self, response: HttpResponse) -> float | None:
        """Return the delay before the next attempt, ``None`` to return *response*, or raise."""
        if response.status == 429:
            wait = parse_retry_after(response.header("Retry-After"))
            if wait is None:
                wait = (
                    self.rate_limit_wait if self.rate_limit_wait is not None else self.backoff(self.attempt)
                )
            return wait if self._allowed(wait) else self._give_up(response)
        verdict = self.classify(response)
        if verdict == "done":
            return None
        delay = self.backoff(self.attempt)
        if verdict == "retry" or self.read_only:
            return delay if self._allowed(delay) else self._give_up(response)
        self.maybe_delivered = True
        if self.idempotent and self._allowed(delay):
            return delay
        raise self.unknown(f"HTTP {response.status} from the provider: {response.text[:200]!r}")


def call_with_retry(
    send: Callable[[], HttpResponse],
    *,
    classify: Callable[[HttpResponse], Verdict] = default_classify,
    max_attempts: int = 3,
    sleep: Callable[[float], object] = time.sleep,
    backoff: Callable[[int], float] = exponential_backoff,
    idempotent: bool = False,
    read_only: bool = False,
    operation: str = "request",
    idempotency_keys: Sequence[str] = (),
    recipients: Sequence[str] = (),
    rate_limit_wait: float | None = None,
    max_wait: float = 60.0,
    deadline: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> HttpResponse:
    """Call ``send()`` until it gives a final response, retrying only what is safe (see module doc).

    Args:
        send: Makes one attempt: sends the request (the same bytes every time) and returns the
            response, or raises ``TransportError``.
        classify: Sorts non-429 responses into ``"done"``, ``"retry"`` or ``"unknown"``.
        max_attempts: Attempts in total, the first included.
        sleep: Waits between attempts.
        backoff: Seconds to wait after attempt *n* (1-based).
        idempotent: Repeating the request cannot make the provider act twice (it carries a key the
            provider deduplicates on), so unknown outcomes are retried.
        read_only: The request changes nothing (a status or balance read): unknown outcomes are
            retried and never reported as :class:`UnknownOutcomeError`.
        operation, idempotency_keys, recipients: Put on the ``UnknownOutcomeError``.
        rate_limit_wait: Seconds to wait after a 429 that names no ``Retry-After``.
        max_wait: Longest single wait; a 429 asking for more is returned instead.
        deadline: A ``clock()`` value after which no attempt starts (e.g. the end of a provider's
            duplicate-detection window).
        clock: Monotonic seconds, for *deadline*.

    Raises:
        UnknownOutcomeError: a send may have been taken and could not be safely repeated.
        TransportError: no response, and no retry left (or not safe for a read).
    """
    retrier = _Retrier(
        classify=classify,
        max_attempts=max_attempts,
        backoff=backoff,
        idempotent=idempotent,
        read_only=read_only,
        operation=operation,
        idempotency_keys=idempotency_keys,
        recipients=recipients,
        rate_limit_wait=rate_limit_wait,
        max_wait=max_wait,
        deadline=deadline,
        clock=clock,
    )
    while True:
        retrier.attempt += 1
        try:
            response = send()
        except TransportError as exc:
            delay = retrier.after_error(exc)
        else:
            found = retrier.after_response(response)
            if found is None:
                return response
            delay = found
        sleep(delay)


async def async_call_with_retry(
    send: Callable[[], Awaitable[HttpResponse]],
    *,
    classify: Callable[[HttpResponse], Verdict] = default_classify,
    max_attempts: int = 3,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    backoff: Callable[[int], float] = exponential_backoff,
    idempotent: bool = False,
    read_only: bool = False,
    operation: str = "request",
    idempotency_keys: Sequence[str] = (),
    recipients: Sequence[str] = (),
    rate_limit_wait: float | None = None,
    max_wait: float = 60.0,
    deadline: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> HttpResponse:
    """The async twin of :func:`call_with_retry` (*send* and *sleep* are awaited)."""
    retrier = _Retrier(
        classify=classify,
        max_attempts=max_attempts,
        backoff=backoff,
        idempotent=idempotent,
        read_only=read_only,
        operation=operation,
        idempotency_keys=idempotency_keys,
        recipients=recipients,
        rate_limit_wait=rate_limit_wait,
        max_wait=max_wait,
        deadline=deadline,
        clock=clock,
    )
    while True:
        retrier.attempt += 1
        try:
            response = await send()
        except TransportError as exc:
            delay = retrier.after_error(exc)
        else:
            found = retrier.after_response(response)
            if found is None:
                return response
            delay = found
        await sleep(delay)
