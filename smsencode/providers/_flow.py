"""Client operations written once, run sync or async.

Strategy: an operation (a send, a status read, a login) is a generator. It yields the
:class:`~smsencode.providers._http.HttpRequest` it wants sent, or a :class:`Sleep` it wants
waited, and receives the :class:`~smsencode.providers._http.HttpResponse` back (or has the
transport's :class:`~smsencode.providers.errors.TransportError` thrown in). The generator holds
every decision -- batching, retries, backoff, what an answer means -- and does no I/O, so the
sync and async clients are two short loops over the same code: :func:`run` and :func:`run_async`.

:func:`exchange` is the one retry loop the operations share. It is told whether the request is
*idempotent* (safe to repeat even if an earlier copy may have arrived: reads, and sends whose
every recipient carries a provider-side de-duplication key) and repeats only what that allows.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from smsencode.providers._http import AsyncTransport, HttpRequest, HttpResponse, Transport
from smsencode.providers.errors import PartialSendError, ProviderError, TransportError, UnknownOutcomeError

__all__ = [
    "DEFAULT_MAX_ATTEMPTS",
    "Attempt",
    "Operation",
    "Sleep",
    "backoff_delay",
    "exchange",
    "halted",
    "read",
    "retry_after_seconds",
    "run",
    "run_async",
    "unknown_outcome",
]

T = TypeVar("T")

#: How many times one request is tried before its failure is reported.
DEFAULT_MAX_ATTEMPTS = 3

#: First backoff delay in seconds; doubled on every attempt, capped at ``_MAX_DELAY``.
_BASE_DELAY = 0.5
_MAX_DELAY = 30.0


@dataclass(frozen=True)
class Sleep:
    """A pause an operation asks its runner for (backoff between attempts)."""

    seconds: float


Step = HttpRequest | Sleep
#: A client operation: yields requests and sleeps, returns its result.
Operation = Generator[Step, Any, T]


@dataclass(frozen=True)
class Attempt:
    """How one request ended after :func:`exchange` gave up or succeeded.

    Exactly one of ``response`` and ``error`` is set. ``maybe_delivered`` is true when any copy
    of the request may have reached the provider without a definite answer (a timeout after
    sending, a reset, a 5xx): for a send that is not idempotent this is an unknown outcome.
    """

    response: HttpResponse | None
    error: TransportError | None
    attempts: int
    maybe_delivered: bool

    @property
    def detail(self) -> str:
        """What happened, in words, for error messages."""
        if self.error is not None:
            return f"{self.error} (after {self.attempts} attempt{'s' if self.attempts != 1 else ''})"
        assert self.response is not None
        return f"HTTP {self.response.status} (after {self.attempts} attempts)"


def backoff_delay(attempt: int, retry_after: float | None = None) -> float:
    """Seconds to wait before attempt ``attempt + 1``: the provider's own word first.

    >>> backoff_delay(1), backoff_delay(2), backoff_delay(3, retry_after=7)
    (0.5, 1.0, 7.0)
    """
    if retry_after is not None and retry_after >= 0:
        return float(retry_after)
    return float(min(_MAX_DELAY, _BASE_DELAY * 2 ** (attempt - 1)))


def retry_after_seconds(response: HttpResponse) -> float | None:
    """The ``Retry-After`` header of *response* in seconds, if it holds a number."""
    value = response.header("Retry-After")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def exchange(
    request: HttpRequest,
    *,
    idempotent: bool,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    transient_status: Callable[[HttpResponse], bool] | None = None,
    ambiguous_status: Callable[[HttpResponse], bool] | None = None,
) -> Generator[Step, Any, Attempt]:
    """Send *request*, repeating it only where that cannot deliver a message twice.

    Always repeated (the provider did not take the request): a :class:`TransportError` with
    ``request_sent=False`` and an HTTP 429 (after ``Retry-After`` or an exponential backoff).
    Repeated only when *idempotent*: a :class:`TransportError` after the request left, any 5xx,
    and responses *transient_status* flags (a provider's "try again later" code). Anything else
    is returned at once for the caller to interpret. Responses *ambiguous_status* flags (a
    provider's "unknown error") count, like a 5xx, as possibly delivered.
    """
    maybe_delivered = False
    attempt = 0
    while True:
        attempt += 1
        try:
            response = yield request
        except TransportError as exc:
            maybe_delivered = maybe_delivered or exc.request_sent
            if (exc.request_sent and not idempotent) or attempt >= max_attempts:
                return Attempt(None, exc, attempt, maybe_delivered)
            yield Sleep(backoff_delay(attempt))
            continue
        status = response.status
        if ambiguous_status is not None and ambiguous_status(response):
            maybe_delivered = True
        retryable = status == 429
        if status >= 500:
            maybe_delivered = True
            retryable = idempotent
        elif transient_status is not None and idempotent and transient_status(response):
            retryable = True
        if not retryable or attempt >= max_attempts:
            return Attempt(response, None, attempt, maybe_delivered)
        delay = retry_after_seconds(response) if status == 429 else None
        yield Sleep(backoff_delay(attempt, delay))


def read(request: HttpRequest, parse: Callable[[HttpResponse], T]) -> Operation[T]:
    """Send a request that changes nothing at the provider (a status, a price, a login), repeated
    as :func:`exchange` allows for an idempotent request, and return ``parse(response)``.

    Raises:
        TransportError: no answer came, after every attempt.
    """
    attempt = yield from exchange(request, idempotent=True)
    if attempt.response is None:
        assert attempt.error is not None
        raise attempt.error
    return parse(attempt.response)


def halted(settled: object | None, error: ProviderError, not_attempted: Sequence[str] = ()) -> ProviderError:
    """The error that ends a send part-way: *error* itself when no recipient was settled yet, else a
    :class:`PartialSendError` carrying the *settled* result (caused by *error*) and the recipients
    never attempted."""
    if settled is None:
        return error
    partial = PartialSendError((settled,), error, not_attempted)
    partial.__cause__ = error
    return partial


def unknown_outcome(
    operation: str, doubtful: Sequence[tuple[str, str]], detail: str, settled: object | None
) -> ProviderError:
    """The error of a send some of whose recipients are in doubt: an :class:`UnknownOutcomeError`
    naming them and their idempotency keys (*doubtful* holds ``(recipient, key)`` pairs), inside a
    :class:`PartialSendError` with the *settled* result when other recipients were settled."""
    error = UnknownOutcomeError(
        operation,
        idempotency_keys=[key for _, key in doubtful],
        recipients=[recipient for recipient, _ in doubtful],
        detail=detail,
    )
    return halted(settled, error)


def run(operation: Operation[T], transport: Transport, sleep: Callable[[float], object] = time.sleep) -> T:
    """Drive *operation* to its result over a synchronous *transport*."""
    reply: Any = None
    thrown: TransportError | None = None
    while True:
        try:
            step = operation.throw(thrown) if thrown is not None else operation.send(reply)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]
        reply, thrown = None, None
        if isinstance(step, Sleep):
            if step.seconds > 0:
                sleep(step.seconds)
            continue
        try:
            reply = transport.handle_request(step)
        except TransportError as exc:
            thrown = exc


async def run_async(
    operation: Operation[T],
    transport: AsyncTransport,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> T:
    """Drive *operation* to its result over an asynchronous *transport*."""
    reply: Any = None
    thrown: TransportError | None = None
    while True:
        try:
            step = operation.throw(thrown) if thrown is not None else operation.send(reply)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]
        reply, thrown = None, None
        if isinstance(step, Sleep):
            if step.seconds > 0:
                await sleep(step.seconds)
            continue
        try:
            reply = await transport.handle_request(step)
        except TransportError as exc:
            thrown = exc
