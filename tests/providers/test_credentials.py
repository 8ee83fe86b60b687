"""Credentials never show: not in a client's repr, an error's message or attributes, nor a log line.

Every client runs, over real HTTP against the sandbox, through a success, wrong credentials, a
lost answer, a refused connection, a 5xx and a local refusal, with logging on at DEBUG (httpx's
own loggers included). Every string those produce is searched for each secret, in clear and in
the forms it travels in (HTTP Basic base64, ``Bearer`` value).
"""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from smsencode.providers import Fault, FaultTransport, ProviderError
from smsencode.providers._http import AsyncFaultTransport, AsyncHttpxTransport, HttpxTransport
from smsencode.providers.bsg import AsyncBsgClient, BsgClient
from smsencode.providers.mysmpp import AsyncMySmppClient, MySmppClient
from smsencode.providers.retarus import AsyncRetarusClient, RetarusClient
from smsencode.providers.sandbox import ManualClock, Sandbox
from smsencode.providers.sandbox.bsg import BsgApp
from smsencode.providers.sandbox.mysmpp import MySmppApp
from smsencode.providers.sandbox.retarus import RetarusApp
from smsencode.providers.sandbox.smsgateway import SmsGatewayApp
from smsencode.providers.smsgateway import (
    ApiKeyAuth,
    AsyncSmsGatewayClient,
    BearerAuth,
    CredentialsAuth,
    SmsGatewayClient,
)

RETARUS_USER, RETARUS_PASSWORD = "rtUserQ7zK", "rtPassW0rdX9v"
BSG_KEY = "live_bsgKeyM4nP8qR"
MYSMPP_LOGIN, MYSMPP_PASSWORD, MYSMPP_TOKEN = "msLoginJ3k", "msPassV6bN2", "msTokenH5gT1w"
GW_USER, GW_PASSWORD, GW_KEY, GW_TOKEN = "gwUserC2x", "gwPassL8mQ4", "gwApiKeyD9sF3", "gwTokenY1rE7"

SECRETS = (
    RETARUS_PASSWORD,
    BSG_KEY,
    MYSMPP_PASSWORD,
    MYSMPP_TOKEN,
    GW_PASSWORD,
    GW_KEY,
    GW_TOKEN,
    base64.b64encode(f"{RETARUS_USER}:{RETARUS_PASSWORD}".encode()).decode(),
    base64.b64encode(f"{GW_KEY}:".encode()).decode(),
)

NUMBER = "+4917612345678"


@pytest.fixture
def sandbox(clock: ManualClock) -> Iterator[Sandbox]:
    apps = [
        RetarusApp(clock, users={RETARUS_USER: RETARUS_PASSWORD}),
        BsgApp(api_keys=(BSG_KEY,), clock=clock),
        SmsGatewayApp(users={GW_USER: GW_PASSWORD}, api_keys=(GW_KEY,), tokens=(GW_TOKEN,), clock=clock),
        MySmppApp(accounts={MYSMPP_LOGIN: MYSMPP_PASSWORD}, tokens={MYSMPP_TOKEN: MYSMPP_LOGIN}, clock=clock),
    ]
    with Sandbox("127.0.0.1", 0, apps=apps, clock=clock) as running:
        yield running


def texts_of(value: object) -> list[str]:
    """Every string an error or a result shows: str, repr, args, attributes, and its causes."""
    out: list[str] = [str(value), repr(value)]
    if isinstance(value, BaseException):
        out += [repr(a) for a in value.args]
        out += [repr(v) for v in vars(value).values()]
        for linked in (value.__cause__, value.__context__):
            if linked is not None:
                out += texts_of(linked)
    return out


def assert_no_secret(texts: list[str]) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, f"a credential shows in {text[:200]!r}"


Send = Callable[..., object]

# (name, make a sync client(base_url, transport, *, good credentials?), one send)
SYNC: list[tuple[str, Callable[..., Any], Send]] = [
    (
        "retarus",
        lambda url, t, ok: RetarusClient(
            RETARUS_USER, RETARUS_PASSWORD if ok else RETARUS_PASSWORD + "x", base_url=url, transport=t,
            max_attempts=1, sleep=lambda s: None, status_urls=(url,),
        ),
        lambda c, text="Hi": c.send(text, [NUMBER], duplicate_detection=False),
    ),
    (
        "bsg",
        lambda url, t, ok: BsgClient(
            BSG_KEY if ok else BSG_KEY + "x", base_url=url, transport=t, max_attempts=1, sleep=lambda s: None
        ),
        lambda c, text="Hi": c.send(text, "380972000000", originator="Shop"),
    ),
    (
        "mysmpp",
        lambda url, t, ok: MySmppClient(
            MYSMPP_LOGIN, MYSMPP_PASSWORD if ok else MYSMPP_PASSWORD + "x", base_url=url, transport=t,
            max_attempts=1, sleep=lambda s: None,
        ),
        lambda c, text="Hi": c.send(text, "79612242243", sender="Shop"),
    ),
    (
        "smsgateway",
        lambda url, t, ok: SmsGatewayClient(
            CredentialsAuth(GW_USER, GW_PASSWORD if ok else GW_PASSWORD + "x"), base_url=url, transport=t,
            max_attempts=1, sleep=lambda s: None,
        ),
        lambda c, text="Hi": c.send(text, NUMBER),
    ),
]  # fmt: skip


@pytest.mark.parametrize(("name", "make", "send"), SYNC, ids=[s[0] for s in SYNC])
def test_no_credential_in_reprs_errors_or_logs(
    sandbox: Sandbox,
    transport: HttpxTransport,
    caplog: pytest.LogCaptureFixture,
    name: str,
    make: Callable[..., Any],
    send: Send,
) -> None:
    caplog.set_level(logging.DEBUG)
    url = sandbox.base_url(name)
    seen: list[str] = []
    good = make(url, transport, True)
    seen += texts_of(good) + texts_of(send(good))
    path = {"retarus": "/jobs", "bsg": "/sms/create", "mysmpp": "/json", "smsgateway": "/sendmessage"}[name]
    faults = [
        Fault.deliver_then_timeout(path_contains=path),
        Fault.drop(path_contains=path),
        Fault.deliver_then_respond(500, body=b"upstream failed", path_contains=path),
    ]
    errors: list[BaseException] = []
    for fault in faults:
        faulty = FaultTransport(transport, [fault])
        with pytest.raises(ProviderError) as err:
            send(make(url, faulty, True))
        errors.append(err.value)
        seen += [repr(request) for request, _ in faulty.log]
    with pytest.raises(ProviderError) as err:
        send(make(url, transport, False))
    errors.append(err.value)
    with pytest.raises(ValueError) as invalid:
        send(good, "")
    errors.append(invalid.value)
    kinds = {type(e).__name__ for e in errors}
    assert {"UnknownOutcomeError", "TransportError", "AuthenticationError", "ValidationError"} <= kinds
    for error in errors:
        seen += texts_of(error)
    seen += [record.getMessage() for record in caplog.records]
    seen += [repr(record.args) for record in caplog.records]
    assert caplog.records, "httpx logs each request at DEBUG/INFO: the log check must see lines"
    assert_no_secret(seen)


def test_every_kind_of_gateway_auth_and_mysmpp_token_stay_hidden(
    sandbox: Sandbox, transport: HttpxTransport, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    url = sandbox.base_url("smsgateway")
    seen: list[str] = []
    for auth in (BearerAuth(GW_TOKEN), ApiKeyAuth(GW_KEY), ApiKeyAuth(GW_KEY, as_basic=True)):
        client = SmsGatewayClient(auth, base_url=url, transport=transport)
        seen += texts_of(auth) + texts_of(client) + texts_of(client.send("Hi", NUMBER))
    token = MySmppClient(token=MYSMPP_TOKEN, base_url=sandbox.base_url("mysmpp"), transport=transport)
    seen += texts_of(token) + texts_of(token.send("Hi", "79612242244", sender="Shop"))
    with pytest.raises(ProviderError) as err:
        wrong = MYSMPP_TOKEN + "x"
        MySmppClient(token=wrong, base_url=sandbox.base_url("mysmpp"), transport=transport).balance()
    seen += texts_of(err.value) + [r.getMessage() for r in caplog.records]
    assert_no_secret(seen)


def test_async_clients_keep_credentials_out_of_errors(sandbox: Sandbox) -> None:
    async def main() -> list[str]:
        seen: list[str] = []
        async with AsyncHttpxTransport(trust_env=False) as http:
            lost = AsyncFaultTransport(http, [Fault.deliver_then_timeout(times=9, method="POST")])
            clients: list[tuple[Any, Callable[[Any], Any]]] = [
                (
                    AsyncRetarusClient(
                        RETARUS_USER, RETARUS_PASSWORD, base_url=sandbox.base_url("retarus"),
                        transport=lost, max_attempts=1, status_urls=(sandbox.base_url("retarus"),),
                    ),
                    lambda c: c.send("Hi", [NUMBER], duplicate_detection=False),
                ),
                (
                    AsyncBsgClient(BSG_KEY, base_url=sandbox.base_url("bsg"), transport=lost, max_attempts=1),
                    lambda c: c.send("Hi", "380972000001", originator="Shop"),
                ),
                (
                    AsyncMySmppClient(
                        token=MYSMPP_TOKEN, base_url=sandbox.base_url("mysmpp"), transport=lost,
                        max_attempts=1,
                    ),
                    lambda c: c.send("Hi", "79612242245", sender="Shop"),
                ),
                (
                    AsyncSmsGatewayClient(
                        ApiKeyAuth(GW_KEY), base_url=sandbox.base_url("smsgateway"), transport=lost
                    ),
                    lambda c: c.send("Hi", NUMBER),
                ),
            ]  # fmt: skip
            for client, send in clients:
                try:
                    await send(client)
                except ProviderError as exc:
                    seen += texts_of(client) + texts_of(exc)
                else:  # pragma: no cover - the lost answer must surface
                    raise AssertionError(f"{client!r} reported success for a lost answer")
        return seen

    seen = asyncio.run(main())
    assert len(seen) > 8
    assert_no_secret(seen)
