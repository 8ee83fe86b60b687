"""The HTTP seam under every provider client: plain request/response values and transports.

Provider modules never touch a socket. Their pure ``build_request`` functions return an
:class:`HttpRequest`, their ``parse_response`` functions read an :class:`HttpResponse`, and a
client hands the request to a *transport*: anything with ``handle_request(request) -> response``
(:class:`Transport`), or ``async def handle_request`` for the async clients
(:class:`AsyncTransport`).

Transports provided here:

- :class:`HttpxTransport` / :class:`AsyncHttpxTransport`: real HTTP through ``httpx``
  (``pip install 'smsencode[http]'``). Connection failures become
  :class:`~smsencode.providers.errors.TransportError` with ``request_sent`` telling whether the
  request may have reached the provider.
- :class:`MockTransport` / :class:`AsyncMockTransport`: call a function in-process and record
  every request (for fault-injection tests; client tests use the sandbox over real HTTP).
- :class:`FaultTransport` / :class:`AsyncFaultTransport`: wrap a real transport and inject
  :class:`Fault` s: drop a request before it leaves, deliver it and then time out, answer 5xx
  or 429 instead of (or after) forwarding.

Credentials travel as :class:`Secret`, whose ``repr`` and ``str`` are masked; ``repr`` of a
request masks the credential headers and never shows the body.
"""

from __future__ import annotations

import base64
import decimal
import json
import threading
import urllib.parse
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Literal, Protocol, runtime_checkable

from smsencode.providers.errors import InvalidResponseError, MissingDependencyError, TransportError

__all__ = [
    "AsyncFaultTransport",
    "AsyncHttpxTransport",
    "AsyncMockTransport",
    "AsyncTransport",
    "Fault",
    "FaultTransport",
    "HttpRequest",
    "HttpResponse",
    "HttpxTransport",
    "MockTransport",
    "Secret",
    "Transport",
    "basic_auth",
    "build_url",
    "encode_json",
    "json_request",
    "parse_decimal",
]

#: Header names whose values are masked in every ``repr`` (compared lower-case).
SENSITIVE_HEADERS = frozenset({"authorization", "proxy-authorization", "x-api-key", "cookie", "set-cookie"})

_MASK = "***"


class Secret:
    """A credential that does not show itself.

    ``repr(secret)``, ``str(secret)`` and f-strings all give ``'***'``; only
    :meth:`reveal` returns the value, so a credential cannot leak into a log line or an
    exception message by accident.

    >>> token = Secret("hunter2")
    >>> token, f"{token}", token.reveal()
    (Secret('***'), '***', 'hunter2')
    """

    __slots__ = ("_value",)

    def __init__(self, value: str | Secret) -> None:
        if isinstance(value, Secret):
            value = value.reveal()
        if not isinstance(value, str):
            msg = f"a credential must be a str, not {type(value).__name__}"
            raise TypeError(msg)
        self._value = value

    def reveal(self) -> str:
        """Return the credential itself (only to put it on the wire)."""
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return f"Secret({_MASK!r})"

    def __str__(self) -> str:
        return _MASK

    def __format__(self, spec: str) -> str:
        return _MASK

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Secret):
            return self._value == other._value
        return NotImplemented

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __reduce__(self) -> Any:
        msg = "a Secret is not pickled: keep credentials out of serialised state"
        raise TypeError(msg)


def basic_auth(username: str | Secret, password: str | Secret) -> Secret:
    """Return the ``Authorization`` header value for HTTP Basic, as a :class:`Secret`."""
    user = username.reveal() if isinstance(username, Secret) else username
    pwd = password.reveal() if isinstance(password, Secret) else password
    token = base64.b64encode(f"{user}:{pwd}".encode()).decode("ascii")
    return Secret("Basic " + token)


def _masked_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {k: (_MASK if k.lower() in SENSITIVE_HEADERS else v) for k, v in headers.items()}


def _lookup(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is not None:
        return value
    low = name.lower()
    for key, val in headers.items():
        if key.lower() == low:
            return val
    return None


def _decode_json(body: bytes, *, status: int | None, what: str) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        shown = body[:120].decode("utf-8", "replace")
        msg = f"{what} is not valid JSON ({exc.__class__.__name__}: {exc}); it starts with {shown!r}"
        raise InvalidResponseError(msg, status=status, body=body) from None


@dataclass(frozen=True)
class HttpRequest:
    """One HTTP request, as bytes ready for the wire.

    ``headers`` holds only what the provider needs (a transport may add ``Host``,
    ``Content-Length`` and ``User-Agent``). ``repr`` masks credential headers and shows only
    the length of the body, which may hold credentials (mysmpp puts them there).
    """

    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str, default: str | None = None) -> str | None:
        """Return the header *name* (case-insensitive), or *default*."""
        value = _lookup(self.headers, name)
        return default if value is None else value

    @property
    def path(self) -> str:
        """The path of :attr:`url`, without query."""
        return urllib.parse.urlsplit(self.url).path

    @property
    def query(self) -> dict[str, list[str]]:
        """The query of :attr:`url`, parsed (values in order, blank values kept)."""
        return urllib.parse.parse_qs(urllib.parse.urlsplit(self.url).query, keep_blank_values=True)

    def json(self) -> Any:
        """Decode the body as UTF-8 JSON (raises :class:`InvalidResponseError` if it is not)."""
        return _decode_json(self.body, status=None, what="request body")

    def __repr__(self) -> str:
        return (
            f"HttpRequest(method={self.method!r}, url={self.url!r}, "
            f"headers={_masked_headers(self.headers)!r}, body=<{len(self.body)} bytes>)"
        )


@dataclass(frozen=True)
class HttpResponse:
    """One HTTP response: status, headers (any case) and the raw body."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str, default: str | None = None) -> str | None:
        """Return the header *name* (case-insensitive), or *default*."""
        value = _lookup(self.headers, name)
        return default if value is None else value

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (undecodable bytes replaced)."""
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        """Decode the body as UTF-8 JSON.

        Raises:
            InvalidResponseError: the body is not JSON (the message quotes its start).
        """
        return _decode_json(self.body, status=self.status, what=f"HTTP {self.status} response body")

    def __repr__(self) -> str:
        return (
            f"HttpResponse(status={self.status}, headers={_masked_headers(self.headers)!r}, "
            f"body=<{len(self.body)} bytes>)"
        )


@runtime_checkable
class Transport(Protocol):
    """Anything that can exchange one :class:`HttpRequest` for one :class:`HttpResponse`.

    Raise :class:`~smsencode.providers.errors.TransportError` when no response arrived,
    with ``request_sent=False`` only when the request certainly never left.
    """

    def handle_request(self, request: HttpRequest) -> HttpResponse: ...


@runtime_checkable
class AsyncTransport(Protocol):
    """The async twin of :class:`Transport`."""

    async def handle_request(self, request: HttpRequest) -> HttpResponse: ...


def encode_json(payload: object) -> bytes:
    """Encode *payload* as compact UTF-8 JSON, the same bytes every time.

    Keys keep their insertion order (providers that compare requests compare what they
    received), separators have no spaces, non-ASCII text is written as UTF-8 and NaN is refused.

    >>> encode_json({"text": "Grüße", "n": [1, 2]})
    b'{"text":"Gr\\xc3\\xbc\\xc3\\x9fe","n":[1,2]}'
    """
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def json_request(
    method: str,
    url: str,
    payload: object = None,
    headers: Mapping[str, str] | None = None,
    *,
    content_type: str = "application/json; charset=utf-8",
) -> HttpRequest:
    """Build a request whose body is *payload* as JSON (see :func:`encode_json`).

    With ``payload=None`` the request has no body and no ``Content-Type``. *headers* are added
    after ``Accept``/``Content-Type`` and win over them.
    """
    hdrs: dict[str, str] = {"Accept": "application/json"}
    body = b""
    if payload is not None:
        body = encode_json(payload)
        hdrs["Content-Type"] = content_type
    if headers:
        hdrs.update(headers)
    return HttpRequest(method.upper(), url, hdrs, body)


def parse_decimal(value: object) -> decimal.Decimal | None:
    """Read a money amount from a JSON answer, exactly: providers send ``0.23`` or ``"0.23"``.

    ``None`` for a missing, empty, Boolean or unreadable value.

    >>> parse_decimal(0.23), parse_decimal("19023.9"), parse_decimal(""), parse_decimal(None)
    (Decimal('0.23'), Decimal('19023.9'), None, None)
    """
    if value is None or isinstance(value, bool):
        return None
    try:
        return decimal.Decimal(str(value))
    except decimal.InvalidOperation:
        return None


def build_url(
    base: str, path: str = "", query: Mapping[str, object] | Iterable[tuple[str, object]] = ()
) -> str:
    """Join *base* and *path* with exactly one slash and append *query*.

    Query values of ``None`` are left out, booleans are written ``true``/``false``.

    >>> build_url("https://h/rest/v1/", "/jobs", {"limit": 10, "open": True, "fromTs": None})
    'https://h/rest/v1/jobs?limit=10&open=true'
    """
    url = base.rstrip("/")
    if path:
        url += "/" + path.lstrip("/")
    items = query.items() if isinstance(query, Mapping) else query
    pairs = [
        (k, ("true" if v else "false") if isinstance(v, bool) else str(v)) for k, v in items if v is not None
    ]
    if pairs:
        url += "?" + urllib.parse.urlencode(pairs)
    return url


def _redact_url(url: str) -> str:
    # Query strings can hold credentials on some APIs; messages show scheme, host and path only.
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))


# -- httpx --------------------------------------------------------------------------------------


def _import_httpx() -> Any:
    try:
        import httpx
    except ImportError as exc:  # pragma: no cover - exercised only without the extra installed
        raise MissingDependencyError() from exc
    return httpx


def _map_httpx_error(httpx: Any, exc: Exception, request: HttpRequest) -> TransportError:
    where = f"{request.method} {_redact_url(request.url)}"
    # Failures before the first byte of the request left: repeating is always safe.
    before = (
        httpx.ConnectError,
        httpx.ConnectTimeout,
        httpx.PoolTimeout,
        httpx.UnsupportedProtocol,
        httpx.LocalProtocolError,
        httpx.ProxyError,
    )
    if isinstance(exc, before):
        return TransportError(f"{type(exc).__name__} before {where} was sent: {exc}", request_sent=False)
    # Anything later (read/write timeouts, resets, a server closing mid-answer) may have
    # delivered the request.
    return TransportError(
        f"{type(exc).__name__} after {where} may have been received: {exc}", request_sent=True
    )


def _httpx_response(response: Any) -> HttpResponse:
    return HttpResponse(
        status=response.status_code,
        headers={k.lower(): v for k, v in response.headers.items()},
        body=response.content,
    )


class HttpxTransport:
    """Real HTTP through an ``httpx.Client``.

    Args:
        timeout: Seconds for connect, read, write and pool waits.
        trust_env: Whether httpx reads proxy settings and certificates from the environment.
        client: An ``httpx.Client`` to use instead of a new one (then :meth:`close` leaves it open).

    Raises:
        MissingDependencyError: httpx is not installed (``pip install 'smsencode[http]'``).
    """

    def __init__(self, *, timeout: float = 10.0, trust_env: bool = True, client: Any = None) -> None:
        self._httpx = _import_httpx()
        self._owned = client is None
        self._client = client or self._httpx.Client(timeout=timeout, trust_env=trust_env)

    def handle_request(self, request: HttpRequest) -> HttpResponse:
        """Send *request* and return the answer (see :class:`Transport`)."""
        try:
            response = self._client.request(
                request.method, request.url, headers=dict(request.headers), content=request.body or None
            )
        except self._httpx.TransportError as exc:
            raise _map_httpx_error(self._httpx, exc, request) from exc
        return _httpx_response(response)

    def close(self) -> None:
        """Close the connection pool (if this transport created it)."""
        if self._owned:
            self._client.close()

    def __enter__(self) -> HttpxTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncHttpxTransport:
    """Real HTTP through an ``httpx.AsyncClient`` (see :class:`HttpxTransport`)."""

    def __init__(self, *, timeout: float = 10.0, trust_env: bool = True, client: Any = None) -> None:
        self._httpx = _import_httpx()
        self._owned = client is None
        self._client = client or self._httpx.AsyncClient(timeout=timeout, trust_env=trust_env)

    async def handle_request(self, request: HttpRequest) -> HttpResponse:
        """Send *request* and return the answer (see :class:`AsyncTransport`)."""
        try:
            response = await self._client.request(
                request.method, request.url, headers=dict(request.headers), content=request.body or None
            )
        except self._httpx.TransportError as exc:
            raise _map_httpx_error(self._httpx, exc, request) from exc
        return _httpx_response(response)

    async def aclose(self) -> None:
        """Close the connection pool (if this transport created it)."""
        if self._owned:
            await self._client.aclose()

    async def __aenter__(self) -> AsyncHttpxTransport:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()


# -- in-process transports ----------------------------------------------------------------------


class MockTransport:
    """Answer requests with a function, in-process, recording every request.

    ``handler(request) -> HttpResponse`` may also raise
    :class:`~smsencode.providers.errors.TransportError`. ``requests`` lists what was handled, in order.
    """

    def __init__(self, handler: Callable[[HttpRequest], HttpResponse]) -> None:
        self.handler = handler
        self.requests: list[HttpRequest] = []
        self._lock = threading.Lock()

    def handle_request(self, request: HttpRequest) -> HttpResponse:
        with self._lock:
            self.requests.append(request)
        return self.handler(request)


class AsyncMockTransport:
    """The async twin of :class:`MockTransport`; *handler* may be sync or async."""

    def __init__(self, handler: Callable[[HttpRequest], HttpResponse | Awaitable[HttpResponse]]) -> None:
        self.handler = handler
        self.requests: list[HttpRequest] = []

    async def handle_request(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        result = self.handler(request)
        if isinstance(result, HttpResponse):
            return result
        return await result


FaultKind = Literal["pass", "drop", "deliver_then_timeout", "respond", "deliver_then_respond"]


@dataclass(frozen=True)
class Fault:
    """One injected failure, applied to the next *times* matching requests.

    Build them with the class methods; *method* and *path_contains* restrict which requests a
    fault applies to (e.g. only ``POST``, only paths containing ``/jobs``).
    """

    kind: FaultKind
    times: int = 1
    status: int = 503
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    method: str | None = None
    path_contains: str | None = None

    @classmethod
    def passthrough(
        cls, times: int = 1, *, method: str | None = None, path_contains: str | None = None
    ) -> Fault:
        """Forward the next *times* matching requests untouched (to aim a later fault at the Nth)."""
        return cls("pass", times, method=method, path_contains=path_contains)

    @classmethod
    def drop(cls, times: int = 1, *, method: str | None = None, path_contains: str | None = None) -> Fault:
        """Fail before sending (as a refused connection): the server never sees the request."""
        return cls("drop", times, method=method, path_contains=path_contains)

    @classmethod
    def deliver_then_timeout(
        cls, times: int = 1, *, method: str | None = None, path_contains: str | None = None
    ) -> Fault:
        """Deliver the request, then lose the answer (as a read timeout or a reset)."""
        return cls("deliver_then_timeout", times, method=method, path_contains=path_contains)

    @classmethod
    def respond(
        cls,
        status: int,
        times: int = 1,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
        method: str | None = None,
        path_contains: str | None = None,
    ) -> Fault:
        """Answer *status* without forwarding (e.g. a 503 from a load balancer, a 429)."""
        return cls("respond", times, status, dict(headers or {}), body, method, path_contains)

    @classmethod
    def rate_limited(
        cls,
        times: int = 1,
        *,
        retry_after: float | None = None,
        method: str | None = None,
        path_contains: str | None = None,
    ) -> Fault:
        """Answer 429 without forwarding, with a ``Retry-After`` header when given."""
        headers = {} if retry_after is None else {"Retry-After": f"{retry_after:g}"}
        return cls.respond(429, times, headers=headers, method=method, path_contains=path_contains)

    @classmethod
    def deliver_then_respond(
        cls,
        status: int,
        times: int = 1,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
        method: str | None = None,
        path_contains: str | None = None,
    ) -> Fault:
        """Deliver the request, then replace the real answer with *status* (a 5xx from a proxy)."""
        return cls("deliver_then_respond", times, status, dict(headers or {}), body, method, path_contains)

    def matches(self, request: HttpRequest) -> bool:
        """Whether this fault applies to *request*."""
        if self.method is not None and request.method.upper() != self.method.upper():
            return False
        return self.path_contains is None or self.path_contains in request.url


class _FaultPlan:
    """The shared bookkeeping of the fault transports: which fault the next request gets."""

    def __init__(self, faults: Sequence[Fault]) -> None:
        self._faults = list(faults)
        self._left = [f.times for f in self._faults]
        self._lock = threading.Lock()
        self.log: list[tuple[HttpRequest, str]] = []

    def next_fault(self, request: HttpRequest) -> Fault | None:
        with self._lock:
            for i, fault in enumerate(self._faults):
                if self._left[i] > 0 and fault.matches(request):
                    self._left[i] -= 1
                    self.log.append((request, fault.kind))
                    return fault
            self.log.append((request, "pass"))
            return None

    @property
    def pending(self) -> int:
        with self._lock:
            return sum(self._left)


def _dropped(request: HttpRequest) -> TransportError:
    return TransportError(
        f"injected connection failure before {request.method} {_redact_url(request.url)} was sent",
        request_sent=False,
    )


def _lost(request: HttpRequest) -> TransportError:
    return TransportError(
        f"injected read timeout after {request.method} {_redact_url(request.url)} was delivered",
        request_sent=True,
    )


class FaultTransport:
    """Wrap *inner* and inject *faults* in order, then pass requests through untouched.

    Each request takes the first fault with uses left that matches it. ``log`` records
    ``(request, kind)`` for every request (``"pass"`` when no fault applied) and ``pending``
    counts the fault uses not consumed yet.

    >>> t = FaultTransport(MockTransport(lambda r: HttpResponse(200)), [Fault.respond(503)])
    >>> [t.handle_request(HttpRequest("GET", "http://x/")).status for _ in range(2)]
    [503, 200]
    """

    def __init__(self, inner: Transport, faults: Sequence[Fault]) -> None:
        self.inner = inner
        self._plan = _FaultPlan(faults)

    @property
    def log(self) -> list[tuple[HttpRequest, str]]:
        return self._plan.log

    @property
    def pending(self) -> int:
        return self._plan.pending

    def handle_request(self, request: HttpRequest) -> HttpResponse:
        fault = self._plan.next_fault(request)
        if fault is None or fault.kind == "pass":
            return self.inner.handle_request(request)
        if fault.kind == "drop":
            raise _dropped(request)
        if fault.kind == "respond":
            return HttpResponse(fault.status, dict(fault.headers), fault.body)
        self.inner.handle_request(request)
        if fault.kind == "deliver_then_timeout":
            raise _lost(request)
        return HttpResponse(fault.status, dict(fault.headers), fault.body)


class AsyncFaultTransport:
    """The async twin of :class:`FaultTransport`."""

    def __init__(self, inner: AsyncTransport, faults: Sequence[Fault]) -> None:
        self.inner = inner
        self._plan = _FaultPlan(faults)

    @property
    def log(self) -> list[tuple[HttpRequest, str]]:
        return self._plan.log

    @property
    def pending(self) -> int:
        return self._plan.pending

    async def handle_request(self, request: HttpRequest) -> HttpResponse:
        fault = self._plan.next_fault(request)
        if fault is None or fault.kind == "pass":
            return await self.inner.handle_request(request)
        if fault.kind == "drop":
            raise _dropped(request)
        if fault.kind == "respond":
            return HttpResponse(fault.status, dict(fault.headers), fault.body)
        await self.inner.handle_request(request)
        if fault.kind == "deliver_then_timeout":
            raise _lost(request)
        return HttpResponse(fault.status, dict(fault.headers), fault.body)
