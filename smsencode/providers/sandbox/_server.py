"""The HTTP side of the sandbox: a stdlib threading server on loopback, and helpers for apps.

The server turns each HTTP exchange into an :class:`~smsencode.providers._http.HttpRequest`,
offers it to the provider apps in turn and writes back the first
:class:`~smsencode.providers._http.HttpResponse` one returns. Apps never see sockets, so they
can be driven in-process too (:meth:`Sandbox.handle`).
"""

from __future__ import annotations

import base64
import binascii
import collections
import sys
import threading
import time
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

from smsencode.providers._http import HttpRequest, HttpResponse, encode_json

__all__ = [
    "LOOPBACK_HOSTS",
    "ManualClock",
    "ProviderApp",
    "RateLimiter",
    "empty_response",
    "json_response",
    "parse_basic_auth",
]

#: The sandbox listens on these only: it accepts any request it is sent and must not be reachable
#: from other machines.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

#: Largest request body the sandbox reads (a 3000-recipient Retarus job is well under this).
MAX_BODY = 8 * 1024 * 1024


class ProviderApp(Protocol):
    """One emulated provider API inside the sandbox.

    ``name`` identifies the app (``"retarus"``, ``"bsg"``, ...), ``base_path`` is where its API
    lives on the sandbox (``"/rest/v1"``), so a client's ``base_url`` is
    ``sandbox.url + app.base_path``. :meth:`handle` answers a request, or returns ``None`` when
    the path is not this app's. Apps keep their state (jobs, messages, idempotency keys) behind a
    lock: the server calls them from many threads.
    """

    name: str
    base_path: str

    def handle(self, request: HttpRequest) -> HttpResponse | None: ...


def json_response(status: int, payload: object, headers: Mapping[str, str] | None = None) -> HttpResponse:
    """A response with *payload* as UTF-8 JSON."""
    hdrs = {"Content-Type": "application/json; charset=utf-8"}
    if headers:
        hdrs.update(headers)
    return HttpResponse(status, hdrs, encode_json(payload))


def empty_response(status: int, headers: Mapping[str, str] | None = None) -> HttpResponse:
    """A response with no body (as documented for Retarus 401/429)."""
    return HttpResponse(status, dict(headers or {}), b"")


def parse_basic_auth(request: HttpRequest) -> tuple[str, str] | None:
    """The ``(username, password)`` of an HTTP Basic ``Authorization`` header, or ``None``."""
    value = request.header("Authorization")
    if not value or not value[:6].lower() == "basic ":
        return None
    try:
        decoded = base64.b64decode(value[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, sep, password = decoded.partition(":")
    return (user, password) if sep else None


class ManualClock:
    """A clock that moves only when told to, for deterministic status progressions in tests.

    Calling it returns seconds since the epoch, like :func:`time.time`.

    >>> clock = ManualClock(1_000.0)
    >>> clock.advance(30); clock()
    1030.0
    """

    def __init__(self, start: float | None = None) -> None:
        self._now = float(time.time() if start is None else start)
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        """Move the clock forward by *seconds*."""
        if seconds < 0:
            msg = f"a clock only moves forward; got {seconds}"
            raise ValueError(msg)
        with self._lock:
            self._now += seconds


class RateLimiter:
    """At most *limit* requests per *window* seconds per key (a sliding window).

    ``limit=None`` never limits. :meth:`hit` records a request and returns ``None`` when it is
    allowed, else the seconds until the oldest request leaves the window.
    """

    def __init__(self, limit: int | None, window: float, clock: Callable[[], float]) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._hits: dict[str, collections.deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> float | None:
        if self.limit is None:
            return None
        now = self.clock()
        with self._lock:
            hits = self._hits.setdefault(key, collections.deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(0.0, hits[0] + self.window - now)
            hits.append(now)
            return None


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    # HTTP/1.0: one exchange per connection, so no keep-alive connection outlives a stop().
    protocol_version = "HTTP/1.0"
    server_version = "smsencode-sandbox"
    sys_version = ""

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._write(json_response(413, {"error": f"request body over {MAX_BODY} bytes"}))
            return
        body = self.rfile.read(length) if length else b""
        host, port = self.server.server_address[:2]
        request = HttpRequest(
            self.command,
            f"http://{host!s}:{port}{self.path}",
            {k: v for k, v in self.headers.items()},
            body,
        )
        self._write(self.server.dispatch(request))

    def _write(self, response: HttpResponse) -> None:
        self.send_response(response.status)
        for key, value in response.headers.items():
            if key.lower() not in ("content-length", "connection"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD" and response.body:
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve  # noqa: N815 - stdlib names

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            sys.stderr.write(f"sandbox: {self.address_string()} {format % args}\n")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self, address: tuple[str, int], dispatch: Callable[[HttpRequest], HttpResponse], verbose: bool
    ) -> None:
        self.dispatch = dispatch
        self.verbose = verbose
        super().__init__(address, _Handler)
