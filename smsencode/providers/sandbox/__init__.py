"""A local emulator of the provider APIs, for developing and testing without spending money.

:class:`Sandbox` runs a standard-library HTTP server on loopback and serves every provider app
under the paths that provider documents, so a client only needs ``base_url=`` pointed at it::

    from smsencode.providers.sandbox import Sandbox
    with Sandbox() as sandbox:                      # 127.0.0.1, a free port
        print(sandbox.url, sandbox.base_url("retarus"))

or from a shell: ``smsencode sandbox --port 8025`` (also ``python -m smsencode sandbox``).

The apps validate requests as documented, answer with the documented shapes and status codes,
count parts with the segmentation engine and move each message through the provider's status
vocabulary as the sandbox clock advances. Pass ``clock=ManualClock()`` to move time by hand in
tests. Each app's module documents its credentials, paths and magic numbers.

Writing an app: implement :class:`ProviderApp` (``name``, ``base_path``,
``handle(request) -> HttpResponse | None``) and pass it in ``apps=``; a module under
``smsencode.providers.sandbox`` joins the default set by defining
``create_app(clock) -> ProviderApp`` and being listed in :data:`DEFAULT_APPS`.
"""

from __future__ import annotations

import argparse
import importlib
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any, TextIO

from smsencode.providers._http import HttpRequest, HttpResponse
from smsencode.providers.sandbox._server import (
    LOOPBACK_HOSTS,
    ManualClock,
    ProviderApp,
    RateLimiter,
    _Server,
    empty_response,
    json_response,
    parse_basic_auth,
)

__all__ = [
    "DEFAULT_APPS",
    "LOOPBACK_HOSTS",
    "ManualClock",
    "ProviderApp",
    "RateLimiter",
    "Sandbox",
    "add_parser",
    "default_apps",
    "empty_response",
    "json_response",
    "parse_basic_auth",
]

#: Modules under ``smsencode.providers.sandbox`` that make up the default sandbox, in dispatch order.
DEFAULT_APPS = ("retarus", "bsg", "smsgateway", "mysmpp")


def default_apps(clock: Callable[[], float]) -> list[ProviderApp]:
    """One app per module in :data:`DEFAULT_APPS` that is present, all sharing *clock*."""
    apps: list[ProviderApp] = []
    for name in DEFAULT_APPS:
        module_name = f"{__name__}.{name}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue  # that provider's emulator is not part of this installation
            raise
        apps.append(module.create_app(clock))
    return apps


class Sandbox:
    """The emulator of every provider API, on ``http://127.0.0.1:<port>``.

    Use it as a context manager, or call :meth:`start` and :meth:`stop`.

    Args:
        host: A loopback address (``127.0.0.1``, ``localhost`` or ``::1``); the sandbox accepts
            whatever it is sent and never listens beyond this machine.
        port: TCP port; 0 picks a free one (read it back from :attr:`port` or :attr:`url`).
        apps: The provider apps to serve; default :func:`default_apps`.
        clock: Seconds since the epoch, shared by the default apps (``time.time`` unless given;
            a :class:`ManualClock` makes status progressions deterministic).
        verbose: Log each request to standard error.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        apps: Iterable[ProviderApp] | None = None,
        clock: Callable[[], float] | None = None,
        verbose: bool = False,
    ) -> None:
        if host not in LOOPBACK_HOSTS:
            msg = f"the sandbox listens on loopback only ({', '.join(sorted(LOOPBACK_HOSTS))}), not {host!r}"
            raise ValueError(msg)
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
            msg = f"port must be an integer 0..65535 (0 picks a free port), not {port!r}"
            raise ValueError(msg)
        self.host = host
        self.clock: Callable[[], float] = clock or time.time
        self.apps: list[ProviderApp] = list(apps) if apps is not None else default_apps(self.clock)
        self.verbose = verbose
        self._requested_port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- dispatch ---------------------------------------------------------------------------

    def app(self, name: str) -> ProviderApp:
        """The app called *name* (e.g. ``"retarus"``)."""
        for app in self.apps:
            if app.name == name:
                return app
        known = ", ".join(a.name for a in self.apps)
        msg = f"no sandbox app named {name!r}; this sandbox serves: {known}"
        raise KeyError(msg)

    def handle(self, request: HttpRequest) -> HttpResponse:
        """Answer *request* in-process, exactly as the HTTP server would."""
        for app in self.apps:
            try:
                response = app.handle(request)
            except Exception as exc:  # an emulator bug must surface as a 500, not hang a client
                return json_response(500, {"error": f"sandbox app {app.name!r} failed: {exc!r}"})
            if response is not None:
                return response
        paths = {a.name: a.base_path for a in self.apps}
        return json_response(404, {"error": f"no emulated API under {request.path!r}", "apis": paths})

    # -- lifecycle --------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether the server is listening."""
        return self._server is not None

    @property
    def port(self) -> int:
        """The port the server listens on (only while running)."""
        if self._server is None:
            msg = "the sandbox is not running: call start() or use it in a with block"
            raise RuntimeError(msg)
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """``http://host:port``, the root every provider path hangs from (only while running)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def base_url(self, name: str) -> str:
        """The ``base_url=`` to give the client of provider *name*."""
        return self.url + self.app(name).base_path

    def _bind(self) -> _Server:
        server_cls = _Server
        if ":" in self.host:

            class _Server6(_Server):
                address_family = socket.AF_INET6

            server_cls = _Server6
        return server_cls((self.host, self._requested_port), self.handle, self.verbose)

    def start(self) -> Sandbox:
        """Start listening in a background thread; return ``self``."""
        if self._server is not None:
            return self
        self._server = self._bind()
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="smsencode-sandbox",
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self, ready: Callable[[Sandbox], object] | None = None) -> None:
        """Listen in the calling thread until interrupted (what ``smsencode sandbox`` does).

        *ready* is called with the sandbox once it listens (to print :attr:`url`).
        """
        if self._server is not None:
            msg = "the sandbox is already running in the background"
            raise RuntimeError(msg)
        self._server = self._bind()
        try:
            if ready is not None:
                ready(self)
            self._server.serve_forever(poll_interval=0.2)
        finally:
            self._server.server_close()
            self._server = None

    def stop(self) -> None:
        """Stop listening and wait for the server thread to end."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.url if self.running else "stopped"
        return f"<Sandbox {where} apps={[a.name for a in self.apps]}>"


# -- the ``smsencode sandbox`` command ------------------------------------------------------------

#: Port of ``smsencode sandbox`` when none is given (``--port 0`` picks a free one).
DEFAULT_PORT = 8025


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``sandbox`` subcommand to *subparsers* (from ``ArgumentParser.add_subparsers``)."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "sandbox",
        help="run the local emulator of the provider APIs (Retarus, BSG, SMS Gateway, mysmpp)",
        description="Serve an emulator of every provider API on 127.0.0.1 until interrupted "
        "(Ctrl-C). Point a client's base_url at the URL it prints; nothing leaves this machine "
        "and nothing is billed.",
    )
    p.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"TCP port (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        choices=sorted(LOOPBACK_HOSTS),
        help="loopback address (default 127.0.0.1)",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log every request to standard error")
    p.set_defaults(handler=run_command)
    return p


def run_command(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``smsencode sandbox`` with parsed *args*, printing where each API lives to *out*."""
    sandbox = Sandbox(args.host, args.port, verbose=args.verbose)

    def ready(running: Sandbox) -> None:
        print(f"smsencode sandbox listening on {running.url}", file=out, flush=True)
        for app in running.apps:
            hint = getattr(app, "login_hint", "")
            print(f"  {app.name:<11} {running.base_url(app.name)}  {hint}".rstrip(), file=out, flush=True)
        print("Press Ctrl-C to stop.", file=out, flush=True)

    try:
        sandbox.serve_forever(ready)
    except KeyboardInterrupt:
        return 0
    except OSError as exc:
        print(f"smsencode: error: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    return 0
