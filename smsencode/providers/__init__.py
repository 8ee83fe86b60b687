"""Clients for SMS provider APIs that check, segment and price a send before anything leaves.

One module per provider, each a pair of pure functions (``build_request`` / ``parse_response``)
under a thin sync client and an async twin over a swappable transport:

- :mod:`smsencode.providers.retarus`: Retarus SMS for Applications REST v1 (``RetarusClient``)
- :mod:`smsencode.providers.bsg`: BSG REST (``BsgClient``)
- :mod:`smsencode.providers.smsgateway`: the ServiceStack "SMS Gateway API" (``SmsGatewayClient``)
- :mod:`smsencode.providers.mysmpp`: mysmpp JSON API (``MySmppClient``)

HTTP goes through ``httpx``, the optional extra: ``pip install 'smsencode[http]'``.
:mod:`smsencode.providers.sandbox` emulates all four APIs on 127.0.0.1.

Shared here: the errors (:mod:`smsencode.providers.errors`), the transport seam and
:class:`Secret` (:mod:`smsencode.providers._http`), retrying what is safe
(:mod:`smsencode.providers._retry`) and the preview records (:mod:`smsencode.providers.preview`).
"""

from __future__ import annotations

import importlib
from typing import Any

from smsencode.providers._http import (
    AsyncFaultTransport,
    AsyncHttpxTransport,
    AsyncMockTransport,
    AsyncTransport,
    Fault,
    FaultTransport,
    HttpRequest,
    HttpResponse,
    HttpxTransport,
    MockTransport,
    Secret,
    Transport,
)
from smsencode.providers.errors import (
    AuthenticationError,
    InvalidResponseError,
    MissingDependencyError,
    PartialSendError,
    ProviderError,
    RateLimitedError,
    RejectedError,
    TransportError,
    UnknownOutcomeError,
    ValidationError,
)
from smsencode.providers.preview import MessagePreview, Preview

__all__ = [
    "AsyncFaultTransport",
    "AsyncHttpxTransport",
    "AsyncMockTransport",
    "AsyncTransport",
    "AuthenticationError",
    "Fault",
    "FaultTransport",
    "HttpRequest",
    "HttpResponse",
    "HttpxTransport",
    "InvalidResponseError",
    "MessagePreview",
    "MissingDependencyError",
    "MockTransport",
    "PartialSendError",
    "Preview",
    "ProviderError",
    "RateLimitedError",
    "RejectedError",
    "Secret",
    "Transport",
    "TransportError",
    "UnknownOutcomeError",
    "ValidationError",
]

# Client classes load with their module on first use, so importing this package stays cheap.
_LAZY = {
    "RetarusClient": "retarus",
    "AsyncRetarusClient": "retarus",
    "BsgClient": "bsg",
    "AsyncBsgClient": "bsg",
    "SmsGatewayClient": "smsgateway",
    "AsyncSmsGatewayClient": "smsgateway",
    "MySmppClient": "mysmpp",
    "AsyncMySmppClient": "mysmpp",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
