"""mysmpp client: pure request/response functions, local validation, every operation over real
HTTP against the sandbox, and fault injection (client_id_sms: never sent twice, none lost)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smsencode.cost import Tariff
from smsencode.providers._http import (
    AsyncFaultTransport,
    AsyncHttpxTransport,
    Fault,
    FaultTransport,
    HttpResponse,
    HttpxTransport,
    MockTransport,
    json_request,
)
from smsencode.providers.errors import (
    AuthenticationError,
    PartialSendError,
    ProviderError,
    RejectedError,
    UnknownOutcomeError,
    ValidationError,
)
from smsencode.providers.mysmpp import (
    AsyncMySmppClient,
    MySmppClient,
    MySmppMessage,
    MySmppRecipient,
    MySmppSendResult,
    build_request,
    client_id_for,
    parse_balance_response,
    parse_response,
    parse_status_response,
)
from smsencode.providers.sandbox import ManualClock, RateLimiter, Sandbox
from smsencode.providers.sandbox.mysmpp import SANDBOX_LOGIN, SANDBOX_PASSWORD, SANDBOX_TOKEN, MySmppApp

PHONES = [f"7961224{i:04d}" for i in range(10, 40)]


@pytest.fixture
def smpp(sandbox: Sandbox) -> MySmppApp:
    app = sandbox.app("mysmpp")
    assert isinstance(app, MySmppApp)
    return app


@pytest.fixture
def client(sandbox: Sandbox, transport: HttpxTransport) -> MySmppClient:
    return MySmppClient(
        SANDBOX_LOGIN,
        SANDBOX_PASSWORD,
        base_url=sandbox.base_url("mysmpp"),
        transport=transport,
        sleep=lambda s: None,
    )


# -- pure functions ----------------------------------------------------------------------------


def test_request_has_the_documented_shape_and_header() -> None:
    messages = [
        MySmppMessage(
            "sender 1",
            "message text 1",
            (
                MySmppRecipient("79612242243", 101, "2031-12-31 15:34:54"),
                MySmppRecipient("79612242244", 102, "2031-12-31 15:34:54"),
            ),
        ),
        MySmppMessage("sender 2", "message text 2", (MySmppRecipient("79612242245", 103),)),
    ]
    req = build_request(messages, login="login", password="password", base_url="http://lk.mysmpp.ru")
    assert (req.method, req.url, req.header("Content-Type")) == (
        "POST",
        "http://lk.mysmpp.ru/json",
        "text/json; charset=utf-8",
    )
    assert req.json() == {
        "login": "login",
        "password": "password",
        "message": [
            {
                "type_send_1": "sms",
                "sender": "sender 1",
                "text": "message text 1",
                "phones": [
                    {
                        "phone": "79612242243",
                        "client_id_sms": "101",
                        "validity_period": "2031-12-31 15:34:54",
                    },
                    {
                        "phone": "79612242244",
                        "client_id_sms": "102",
                        "validity_period": "2031-12-31 15:34:54",
                    },
                ],
            },
            {
                "type_send_1": "sms",
                "sender": "sender 2",
                "text": "message text 2",
                "phones": [{"phone": "79612242245", "client_id_sms": "103"}],
            },
        ],
    }
    assert "password" not in repr(req)


def test_token_replaces_login_and_one_of_them_is_required() -> None:
    msg = [MySmppMessage("Shop", "hi", (MySmppRecipient("79612242243", 1),))]
    assert build_request(msg, token="t").json()["token"] == "t"
    with pytest.raises(ValueError, match="needs token=, or login= and password="):
        MySmppClient("only-login")


def test_parse_send_reply_per_phone() -> None:
    msg = [
        MySmppMessage(
            "Shop",
            "hi",
            (
                MySmppRecipient("79612242243", 1),
                MySmppRecipient("79612242244", 2),
                MySmppRecipient("79612242245", 3),
            ),
        )
    ]
    body = {
        "information": [
            {"state": "send", "id_sms": 4242, "error": ""},
            {"error": "Phone number is on the stop list"},
        ]
    }
    result = parse_response(msg, HttpResponse(200, {}, json.dumps(body).encode()))
    assert [(r.outcome, r.id_sms, r.error) for r in result.recipients] == [
        ("accepted", "4242", ""),
        ("rejected", None, "Phone number is on the stop list"),
        ("unknown", None, "the answer did not cover this phone"),
    ]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("Incorrect login or password", AuthenticationError),
        ("Your account is locked", AuthenticationError),
        ("Incorrect JSON document format", RejectedError),
    ],
)
def test_document_errors(text: str, error: type[Exception]) -> None:
    msg = [MySmppMessage("Shop", "hi", (MySmppRecipient("79612242243", 1),))]
    with pytest.raises(error, match=text):
        parse_response(msg, HttpResponse(400, {}, json.dumps({"error": text}).encode()))


def test_parse_status_and_balance_replies() -> None:
    status = parse_status_response(
        HttpResponse(
            200,
            {},
            b'[{"id_sms":"7","time_change_state":"2024-01-01 10:00:00",'
            b'"state":"deliver","num_parts":2,"price":"3.90"}]',
        )
    )
    assert status[0].state == "deliver" and status[0].num_parts == 2 and status[0].price == Decimal("3.90")
    assert not status[0].final
    balance = parse_balance_response(
        HttpResponse(
            200,
            {},
            json.dumps(
                {
                    "money": "19023.9",
                    "currency": "RUR",
                    "information": [{"type_sms": "sms", "area": "Russia", "num_sms": "Unlim"}],
                }
            ).encode(),
        )
    )
    assert balance.money == Decimal("19023.9") and balance.information == (("sms", "Russia", "Unlim"),)


def test_client_ids_are_deterministic_per_key_and_phone() -> None:
    a = client_id_for("order-1", "79612242243")
    assert a == client_id_for("order-1", "79612242243") and 0 < a < 2**63
    assert a != client_id_for("order-1", "79612242244") != client_id_for("order-2", "79612242244")


# -- local validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sender", "ok"),
    [("Twelve_chars", False), ("Eleven_char", True), ("1234567890123456", False), ("123456789012345", True)],
)
def test_sender_lengths(client: MySmppClient, smpp: MySmppApp, sender: str, ok: bool) -> None:
    if ok:
        assert client.send("hi", "79612242243", sender=sender).accepted
    else:
        with pytest.raises(ValidationError) as err:
            client.send("hi", "79612242243", sender=sender)
        assert err.value.field == "message[0].sender" and err.value.value == sender


@pytest.mark.parametrize("phone", ["796122422431234", "7961224224x", "123"])
def test_phone_rules(client: MySmppClient, smpp: MySmppApp, phone: str) -> None:
    with pytest.raises(ValidationError) as err:
        client.send("hi", phone, sender="Shop")
    assert err.value.field == "message[0].phones[0].phone"
    assert smpp.log == []


def test_validity_and_channel_rules(client: MySmppClient) -> None:
    with pytest.raises(ValidationError) as err:
        client.send("hi", "79612242243", sender="Shop", validity_period="31.12.2030 10:00")
    assert err.value.field == "validity_period"
    with pytest.raises(ValidationError) as err:
        client.send("hi", "79612242243", sender="Shop", validity_period="2001-12-31 15:34:54")
    assert "future" in err.value.rule
    with pytest.raises(ValidationError) as err:
        client.send("hi", "79612242243", sender="Shop", type_send_1="fax")
    assert err.value.field == "message[0].type_send_1"
    with pytest.raises(ValidationError):
        client.send("", "79612242243", sender="Shop")
    with pytest.raises(ValidationError):
        client.send("hi", ["79612242243", "+79612242243"], sender="Shop")


def test_aware_validity_is_sent_in_moscow_time(client: MySmppClient, smpp: MySmppApp) -> None:
    when = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    seen: list[dict[str, object]] = []
    spy = MySmppClient(
        token=SANDBOX_TOKEN,
        base_url="http://x",
        transport=MockTransport(
            lambda r: seen.append(r.json()) or HttpResponse(200, {}, b'{"information":[{"id_sms":1}]}')
        ),
    )
    spy.send("hi", "79612242243", sender="Shop", validity_period=when)
    sent = seen[0]["message"][0]["phones"][0]["validity_period"]  # type: ignore[index]
    assert sent == (when + timedelta(hours=3)).strftime("%Y-%m-%d %H:%M:%S")


# -- over HTTP ---------------------------------------------------------------------------------


def test_send_status_and_balance(client: MySmppClient, smpp: MySmppApp) -> None:
    before = client.balance()
    text = "Ваш заказ готов к выдаче. " * 3  # 78 UTF-16 units: 2 parts
    result = client.send(text, ["+79612242243", "79612240001", "79612240002"], sender="Shop")
    assert (result.encoding, result.parts) == ("UTF16", 2)
    assert [r.outcome for r in result.recipients] == ["accepted"] * 3
    ids = [r.id_sms for r in result.recipients]
    assert [s.state for s in client.status(ids)] == ["send", "send", "send"]
    first = client.status(ids)
    assert [s.state for s in first] == ["partly_deliver", "not_deliver", "expired"]
    assert all(s.num_parts == 2 and s.price == Decimal("3.90") for s in first)
    assert client.status(ids[0])[0].state == "deliver"
    (bare,) = client.status(ids[0], detail=False)
    assert bare.num_parts is None
    assert client.balance().money == before.money - 3 * Decimal("3.90")


def test_the_send_result_reports_what_max_parts_cut(client: MySmppClient, smpp: MySmppApp) -> None:
    # 100 Cyrillic letters are UTF-16: 2 parts of 67; max_parts=1 keeps the first 70.
    text = "Ж" * 100
    result = client.send(text, PHONES[:1], sender="Shop", max_parts=1)
    assert result.preview is not None and result.preview.truncated
    (m,) = result.preview.messages
    assert (m.encoding.value, m.parts, m.parts_needed, m.dropped) == ("UTF16", 1, 2, "Ж" * 30)
    assert result.preview == client.preview(text, PHONES[:1], max_parts=1)
    assert [r.text for r in smpp.messages.values()] == ["Ж" * 70]


def test_viber_ends_read(client: MySmppClient, smpp: MySmppApp) -> None:
    (r,) = client.send("hi", "79612242243", sender="Shop", type_send_1="viber").recipients
    smpp.advance(2)
    assert client.status(r.id_sms)[0].state == "read"


def test_token_auth_and_wrong_credentials(
    sandbox: Sandbox, transport: HttpxTransport, smpp: MySmppApp
) -> None:
    url = sandbox.base_url("mysmpp")
    assert MySmppClient(token=SANDBOX_TOKEN, base_url=url, transport=transport).send(
        "hi", "79612242243", sender="Shop"
    )
    bad = MySmppClient(SANDBOX_LOGIN, "hunter2-secret", base_url=url, transport=transport)
    with pytest.raises(AuthenticationError) as err:
        bad.send("hi", "79612242244", sender="Shop")
    assert "Incorrect login or password" in str(err.value)
    assert "hunter2-secret" not in str(err.value) + repr(bad)
    smpp.locked.add(SANDBOX_LOGIN)
    with pytest.raises(AuthenticationError, match="locked"):
        MySmppClient(SANDBOX_LOGIN, SANDBOX_PASSWORD, base_url=url, transport=transport).balance()


def test_per_phone_refusals(client: MySmppClient, smpp: MySmppApp) -> None:
    smpp.stop_list.add("79612242244")
    smpp.money[SANDBOX_LOGIN] = Decimal("1.95")  # one part
    result = client.send("hi", ["79612242243", "79612242244", "79612242245"], sender="Shop")
    assert [(r.outcome, r.error) for r in result.recipients] == [
        ("accepted", ""),
        ("rejected", "Phone number is on the stop list"),
        ("rejected", "Out of SMS"),
    ]


def test_emulator_checks_what_the_client_would_not_send(sandbox: Sandbox, transport: HttpxTransport) -> None:
    url = sandbox.base_url("mysmpp") + "/json"
    auth = {"login": SANDBOX_LOGIN, "password": SANDBOX_PASSWORD}

    def post(payload: object, content_type: str = "text/json; charset=utf-8") -> HttpResponse:
        return transport.handle_request(json_request("POST", url, payload, content_type=content_type))

    reply = post(
        {
            **auth,
            "message": [
                {
                    "type_send_1": "sms",
                    "sender": "TwelveLetters",
                    "text": "x",
                    "phones": [{"phone": "79612242243"}],
                },
                {"type_send_1": "sms", "sender": "Shop", "text": "", "phones": [{"phone": "79612242243"}]},
                {"type_send_1": "sms", "sender": "", "text": "x", "phones": [{"phone": "79612242243"}]},
                {
                    "type_send_1": "sms",
                    "sender": "Shop",
                    "text": "x",
                    "phones": [{"phone": "796122422431234"}, {"phone": ""}],
                },
            ],
        }
    )
    assert reply.status == 200
    assert [i["error"] for i in reply.json()["information"]] == [
        "The sender must not exceed 15 characters for numeric numbers"
        " and 11 characters for alphanumeric numbers",
        "No message text",
        "No sender",
        "Phone number must be less than 15 characters",
        "Specify phone number",
    ]
    empty = transport.handle_request(json_request("POST", url, None))
    assert (empty.status, empty.json()) == (400, {"error": "POST data is missing"})
    assert post({**auth, "message": "nope"}).json() == {"error": "Incorrect JSON document format"}
    assert post({**auth, "message": []}, content_type="text/plain").status == 400


def test_same_idempotency_key_returns_the_first_ids(client: MySmppClient, smpp: MySmppApp) -> None:
    first = client.send("hi", PHONES[:3], sender="Shop", idempotency_key="order-7")
    again = client.send("hi", PHONES[:3], sender="Shop", idempotency_key="order-7")
    assert [r.id_sms for r in again.recipients] == [r.id_sms for r in first.recipients]
    assert len(smpp.sent) == 3


def test_rate_limit_is_waited_out(
    sandbox: Sandbox, transport: HttpxTransport, smpp: MySmppApp, clock: ManualClock
) -> None:
    smpp.limiter = RateLimiter(1, 30.0, clock)
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.advance(seconds)

    client = MySmppClient(
        token=SANDBOX_TOKEN, base_url=sandbox.base_url("mysmpp"), transport=transport, sleep=sleep
    )
    client.balance()
    assert client.send("hi", "79612242243", sender="Shop").accepted
    assert waits == [30.0]


def test_async_client(sandbox: Sandbox, smpp: MySmppApp) -> None:
    async def main() -> tuple[str, str, Decimal]:
        async with AsyncHttpxTransport(trust_env=False) as http:
            client = AsyncMySmppClient(
                token=SANDBOX_TOKEN, base_url=sandbox.base_url("mysmpp"), transport=http
            )
            result = await client.send("async hi", PHONES[:2], sender="Shop")
            (status,) = await client.status(result.recipients[1].id_sms)
            balance = await client.balance()
            return result.recipients[0].outcome, status.state, balance.money

    assert asyncio.run(main()) == ("accepted", "send", Decimal("1000.00") - 2 * Decimal("1.95"))
    assert len(smpp.sent) == 2


def test_preview_without_sending(client: MySmppClient, smpp: MySmppApp) -> None:
    p = client.preview("Привет " * 20, PHONES[:4], tariff=Tariff({"7": "2.50"}, currency="RUB"))
    m = p.messages[0]
    assert (m.encoding.value, m.parts, p.total_parts, p.total_cost) == ("UTF16", 3, 12, Decimal("30.00"))
    t = client.preview("Привет", invalid_characters="TRANSLITERATE").messages[0]
    assert t.encoding.value == "GSM7" and t.replacements
    assert smpp.log == []


# -- fault injection ---------------------------------------------------------------------------


def settle(call: Callable[[], object], phones: list[str]) -> tuple[dict[str, str], set[str], list[str]]:
    """Run a send; return phone -> outcome of settled phones, the unknown ones and those not sent."""
    outcomes: dict[str, str] = {}
    unknown: set[str] = set()
    untried: list[str] = []
    try:
        result = call()
        outcomes = {r.phone: r.outcome for r in result.recipients}  # type: ignore[attr-defined]
    except PartialSendError as err:
        for part in err.accepted:
            outcomes.update({r.phone: r.outcome for r in part.recipients})  # type: ignore[attr-defined]
        untried = list(err.not_attempted)
        if isinstance(err.error, UnknownOutcomeError):
            unknown = set(err.error.recipients)
    except UnknownOutcomeError as err:
        unknown = set(err.recipients)
    except ProviderError:
        untried = list(phones)
    unknown |= {p for p, o in outcomes.items() if o == "unknown"}
    return {p: o for p, o in outcomes.items() if o != "unknown"}, unknown, untried


def check_invariants(
    app: MySmppApp, phones: list[str], outcomes: dict[str, str], unknown: set[str], untried: list[str]
) -> None:
    sent_phones = [p for _, _, p in app.sent]
    assert len(sent_phones) == len(set(sent_phones)), "a phone got the message twice"
    assert set(outcomes) | unknown | set(untried) == set(phones), "a phone was lost"
    assert len(outcomes) + len(unknown) + len(untried) == len(phones), "a phone was reported twice"
    for p in sent_phones:
        assert outcomes.get(p) == "accepted" or p in unknown
    for p, outcome in outcomes.items():
        assert (outcome == "accepted") == (p in sent_phones)


@pytest.mark.parametrize(
    "faults",
    [
        [Fault.deliver_then_timeout(path_contains="/json")],
        [Fault.drop(2)],
        [Fault.deliver_then_respond(502)],
        [Fault.respond(503)],
        [Fault.rate_limited(retry_after=1)],
        [Fault.deliver_then_timeout(), Fault.deliver_then_respond(500)],
    ],
    ids=[
        "timeout-after-delivery",
        "connection-refused",
        "502-after-delivery",
        "503-before",
        "429",
        "timeout-then-500",
    ],
)
def test_recoverable_faults_send_each_phone_once(
    sandbox: Sandbox, transport: HttpxTransport, smpp: MySmppApp, faults: list[Fault]
) -> None:
    faulty = FaultTransport(transport, faults)
    client = MySmppClient(
        token=SANDBOX_TOKEN, base_url=sandbox.base_url("mysmpp"), transport=faulty, sleep=lambda s: None
    )
    outcomes, unknown, untried = settle(lambda: client.send("hi", PHONES[:3], sender="Shop"), PHONES[:3])
    assert faulty.pending == 0
    assert outcomes == dict.fromkeys(PHONES[:3], "accepted") and not unknown and not untried
    check_invariants(smpp, PHONES[:3], outcomes, unknown, untried)


def test_answers_lost_every_time_are_unknown_with_their_client_ids(
    sandbox: Sandbox, transport: HttpxTransport, smpp: MySmppApp
) -> None:
    faulty = FaultTransport(transport, [Fault.deliver_then_timeout(3)])
    client = MySmppClient(
        token=SANDBOX_TOKEN, base_url=sandbox.base_url("mysmpp"), transport=faulty, sleep=lambda s: None
    )
    with pytest.raises(UnknownOutcomeError) as err:
        client.send("hi", PHONES[:2], sender="Shop", idempotency_key="job-3")
    assert set(err.value.recipients) == set(PHONES[:2])
    assert set(err.value.idempotency_keys) == {str(client_id_for("job-3", p)) for p in PHONES[:2]}
    assert len(smpp.sent) == 2
    again = MySmppClient(token=SANDBOX_TOKEN, base_url=sandbox.base_url("mysmpp"), transport=transport)
    assert len(again.send("hi", PHONES[:2], sender="Shop", idempotency_key="job-3").accepted) == 2
    assert len(smpp.sent) == 2


@pytest.mark.parametrize(
    ("faults", "lost"),
    [
        ([Fault.deliver_then_timeout(path_contains="/json")], False),
        ([Fault.drop(2)], False),
        ([Fault.deliver_then_respond(502)], False),
        ([Fault.rate_limited(retry_after=1)], False),
        ([Fault.deliver_then_timeout(3)], True),
    ],
    ids=["timeout-after-delivery", "connection-refused", "502-after-delivery", "429", "lost-every-time"],
)
def test_async_client_under_faults_never_doubles_or_loses_a_message(
    sandbox: Sandbox, smpp: MySmppApp, faults: list[Fault], lost: bool
) -> None:
    phones = PHONES[:3]

    async def no_wait(seconds: float) -> None:
        pass

    async def send() -> MySmppSendResult:
        async with AsyncHttpxTransport(trust_env=False) as http:
            faulty = AsyncFaultTransport(http, faults)
            client = AsyncMySmppClient(
                token=SANDBOX_TOKEN, base_url=sandbox.base_url("mysmpp"), transport=faulty, sleep=no_wait
            )
            result = await client.send("hi", phones, sender="Shop", idempotency_key="async-3")
            assert faulty.pending == 0
            return result

    outcomes, unknown, untried = settle(lambda: asyncio.run(send()), phones)
    if lost:
        assert unknown == set(phones) and not outcomes and not untried
    else:
        assert outcomes == dict.fromkeys(phones, "accepted") and not unknown and not untried
    check_invariants(smpp, phones, outcomes, unknown, untried)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.sampled_from(["drop", "timeout", "500", "503", "429"]), max_size=6),
    st.integers(min_value=1, max_value=5),
    st.sets(st.integers(min_value=0, max_value=4), max_size=2),
)
def test_no_fault_sequence_doubles_or_loses_a_message(
    kinds: list[str], count: int, stopped: set[int]
) -> None:
    """Whatever fails, each phone gets at most one SMS and every phone is accounted for."""
    clock = ManualClock(1_000_000.0)
    phones = PHONES[:count]
    app = MySmppApp(clock=clock, stop_list={phones[i] for i in stopped if i < count})
    box = Sandbox(apps=[app], clock=clock)
    table = {
        "drop": Fault.drop(),
        "timeout": Fault.deliver_then_timeout(),
        "500": Fault.deliver_then_respond(500),
        "503": Fault.respond(503),
        "429": Fault.rate_limited(),
    }
    client = MySmppClient(
        token=SANDBOX_TOKEN,
        base_url="http://sandbox",
        transport=FaultTransport(MockTransport(box.handle), [table[k] for k in kinds]),
        sleep=clock.advance,
    )
    outcomes, unknown, untried = settle(lambda: client.send("hi", phones, sender="Shop"), phones)
    check_invariants(app, phones, outcomes, unknown, untried)
    for i in stopped:
        if i < count and phones[i] in outcomes:
            assert outcomes[phones[i]] == "rejected"
