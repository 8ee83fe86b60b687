"""Fixtures for the provider tests: the sandbox on 127.0.0.1 (a free port), a hand-moved clock
and real HTTP transports to reach it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from smsencode.providers._http import HttpxTransport
from smsencode.providers.sandbox import ManualClock, Sandbox


@pytest.fixture
def clock() -> ManualClock:
    """A sandbox clock that moves only when a test calls ``clock.advance(seconds)``."""
    return ManualClock()


@pytest.fixture
def sandbox(clock: ManualClock) -> Iterator[Sandbox]:
    """Every provider emulator on 127.0.0.1:<free port>, stopped after the test."""
    with Sandbox("127.0.0.1", 0, clock=clock) as running:
        yield running


@pytest.fixture
def transport() -> Iterator[HttpxTransport]:
    """Real HTTP through httpx, ignoring proxy settings from the environment (loopback only)."""
    with HttpxTransport(timeout=10.0, trust_env=False) as http:
        yield http
