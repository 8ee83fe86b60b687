"""BSG client: pure request/response functions, local validation, every operation over real HTTP
against the sandbox, and fault injection (no reference accepted twice, no recipient lost)."""

from __future__ import annotations

import asyncio
import json
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
    HttpRequest,
    HttpResponse,
    HttpxTransport,
    MockTransport,
    json_request,
)
from smsencode.providers.bsg import (
    AsyncBsgClient,
    BsgClient,
    BsgMessage,
    BsgRecipient,
    BsgSendResult,
    build_request,
    parse_response,
    reference_for,
)
from smsencode.providers.errors import (
    AuthenticationError,
    PartialSendError,
    ProviderError,
    RejectedError,
    TransportError,
    UnknownOutcomeError,
    ValidationError,
)
from smsencode.providers.sandbox import ManualClock, RateLimiter, Sandbox
from smsencode.providers.sandbox.bsg import SANDBOX_API_KEY, BsgApp

KEY = SANDBOX_API_KEY
NUMBERS = [f"3809720{i:05d}" for i in range(10, 130)]


@pytest.fixture
def bsg(sandbox: Sandbox) -> BsgApp:
    app = sandbox.app("bsg")
    assert isinstance(app, BsgApp)
    return app


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(sandbox: Sandbox, transport: HttpxTransport, sleeps: list[float]) -> BsgClient:
    return BsgClient(KEY, base_url=sandbox.base_url("bsg"), transport=transport, sleep=sleeps.append)


def one(msisdn: str = "380972000000", reference: str = "ext16") -> BsgMessage:
    return BsgMessage("alpha name", "message text", (BsgRecipient(msisdn, reference),))


# -- pure functions ----------------------------------------------------------------------------


def test_single_request_has_the_documented_shape() -> None:
    req = build_request(
        BsgMessage(
            "alpha name", "message text", (BsgRecipient("380972000000", "extid16"),), validity=1, tariff=0
        ),
        api_key="live_k",
        base_url="https://app.bsg.hk/rest",
    )
    assert (req.method, req.url) == ("POST", "https://app.bsg.hk/rest/sms/create")
    assert req.header("X-API-KEY") == "live_k"
    assert req.body == (
        b'{"destination":"phone","originator":"alpha name","body":"message text",'
        b'"msisdn":"380972000000","reference":"extid16","validity":1,"tariff":0}'
    )
    assert "live_k" not in repr(req)


def test_bulk_request_lists_phones_with_their_references() -> None:
    msg = BsgMessage(
        "alpha_name",
        "message text",
        (BsgRecipient("380972000000", "a17"), BsgRecipient("380972000001", "a18")),
    )
    body = build_request(msg, api_key="k").json()
    assert body["destination"] == "phones"
    assert body["phones"] == [
        {"msisdn": "380972000000", "reference": "a17"},
        {"msisdn": "380972000001", "reference": "a18"},
    ]
    assert "msisdn" not in body


def test_parse_the_documented_single_and_bulk_replies() -> None:
    single = HttpResponse(
        200,
        {},
        json.dumps(
            {
                "result": {
                    "error": 0,
                    "errorDescription": "No errors",
                    "reference": "ext16",
                    "id": "213",
                    "price": 0.23,
                    "currency": "EUR",
                }
            }
        ).encode(),
    )
    result, task = parse_response(one(reference="ext16"), single)
    (r,) = result.recipients
    assert (r.outcome, r.id, r.price, r.currency, task) == ("accepted", "213", Decimal("0.23"), "EUR", None)

    msg = BsgMessage(
        "alpha", "text", (BsgRecipient("380972000000", "e17"), BsgRecipient("380972000001", "e18"))
    )
    bulk = HttpResponse(
        200,
        {},
        json.dumps(
            {
                "task_id": "6",
                "result": [
                    {
                        "error": 0,
                        "errorDescription": "No errors",
                        "reference": "e18",
                        "id": "215",
                        "price": 0.23,
                        "currency": "EUR",
                    },
                    {"error": "21", "errorDescription": "Invalid MSISDN", "reference": "e17"},
                ],
                "total_price": 0.23,
                "currency": "EUR",
            }
        ).encode(),
    )
    result, task = parse_response(msg, bulk)
    assert task == "6"
    # Matched by reference, not by position, and reported in the order of the request.
    assert [(x.msisdn, x.outcome, x.code) for x in result.recipients] == [
        ("380972000000", "rejected", 21),
        ("380972000001", "accepted", 0),
    ]
    assert result.recipients[0].description == "Invalid MSISDN"


def test_parse_flat_single_reply_and_string_numbers() -> None:
    flat = HttpResponse(
        200, {}, b'{"error":"0","reference":"ext16","id":"9","price":"0.02","currency":"EUR"}'
    )
    (r,), _ = parse_response(one(), flat)[0].recipients, None
    assert (r.outcome, r.id, r.price) == ("accepted", "9", Decimal("0.02"))


def test_error_23_is_an_accepted_duplicate_and_error_1_is_authentication() -> None:
    dup = HttpResponse(400, {}, b'{"error":23,"errorDescription":"External ID already exists"}')
    (r,) = parse_response(one(), dup)[0].recipients
    assert (r.outcome, r.duplicate, r.code) == ("accepted", True, 23)
    with pytest.raises(AuthenticationError) as err:
        parse_response(one(), HttpResponse(401, {}, b'{"error":1,"errorDescription":"Invalid API key"}'))
    assert err.value.code == 1
    with pytest.raises(RejectedError) as rej:
        parse_response(one(), HttpResponse(400, {}, b'{"error":25,"errorDescription":"Invalid originator"}'))
    assert (rej.value.status, rej.value.code) == (400, 25)


def test_test_keys_are_warned_about() -> None:
    with pytest.warns(UserWarning, match="random answers"):
        BsgClient("test_0123", transport=MockTransport(lambda r: HttpResponse(500)))


def test_reference_is_derived_deterministically() -> None:
    assert reference_for("k", "380972000000") == reference_for("k", "380972000000")
    assert reference_for("k", "380972000000") != reference_for("k", "380972000001")
    assert reference_for("k", "380972000000").isalnum()


# -- local validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"originator": "TwelveChars1"}, "originator"),
        ({"originator": "12"}, "originator"),
        ({"originator": "1234567890123456"}, "originator"),
        ({"validity": 0}, "validity"),
        ({"validity": 73}, "validity"),
        ({"tariff": 10}, "tariff"),
        ({"send_time": "2001-01-01T00:00:00+00:00"}, "send_time"),
        ({"send_time": "tomorrow"}, "send_time"),
    ],
)
def test_documented_limits_are_checked_before_sending(
    client: BsgClient, bsg: BsgApp, kwargs: dict[str, object], field: str
) -> None:
    options: dict[str, object] = {"originator": "Shop"}
    options.update(kwargs)
    with pytest.raises(ValidationError) as err:
        client.send("hello", "380972000000", **options)  # type: ignore[arg-type]
    assert err.value.field == field
    assert bsg.log == []  # nothing left the machine


@pytest.mark.parametrize(
    ("number", "field"),
    [("38097200000x", "msisdn"), ("38097200", "msisdn"), ("3809720000001234", "msisdn")],
)
def test_msisdn_rules(client: BsgClient, number: str, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        client.send("hello", number, originator="Shop")
    assert err.value.field == field and err.value.value == number


def test_reference_rules(client: BsgClient) -> None:
    with pytest.raises(ValidationError) as err:
        client.send("hello", [("380972000000", "ext_id_16")], originator="Shop")
    assert err.value.field == "reference" and "Latin letters or digits" in err.value.rule
    with pytest.raises(ValidationError) as err:
        client.send("hello", [("380972000000", "same"), ("380972000001", "same")], originator="Shop")
    assert err.value.field == "phones[1].reference"


def test_duplicate_numbers_and_empty_text_are_refused(client: BsgClient) -> None:
    with pytest.raises(ValidationError) as err:
        client.send("hello", ["380972000000", "+380972000000"], originator="Shop")
    assert err.value.field == "recipients[1]"
    with pytest.raises(ValidationError):
        client.send("", "380972000000", originator="Shop")


def test_five_parts_at_most(client: BsgClient, bsg: BsgApp) -> None:
    # 765 GSM-7 characters are five parts of 153; 766 would be six.
    assert client.send("a" * 765, "380972000000", originator="Shop").parts == 5
    with pytest.raises(ValidationError) as err:
        client.send("a" * 766, "380972000001", originator="Shop")
    assert err.value.field == "body" and "at most 5 parts" in err.value.rule
    # 335 UCS-2 characters are five parts of 67.
    assert client.send("ж" * 335, "380972000002", originator="Shop").parts == 5
    with pytest.raises(ValidationError):
        client.send("ж" * 336, "380972000003", originator="Shop")
    # max_parts cuts the text instead, and the cut is visible in the preview.
    assert client.send("a" * 800, "380972000004", originator="Shop", max_parts=5).parts == 5
    assert client.preview("a" * 800, max_parts=5).messages[0].dropped == "a" * 35
    assert len(bsg.accepted) == 3


def test_the_send_result_reports_what_max_parts_cut(client: BsgClient, bsg: BsgApp) -> None:
    # 800 GSM-7 characters need 6 parts; max_parts=5 keeps 5 x 153 = 765 and the result says so.
    result = client.send("a" * 800, NUMBERS[:2], originator="Shop", max_parts=5)
    assert result.preview is not None
    (m,) = result.preview.messages
    assert (m.truncated, m.parts, m.parts_needed, m.dropped) == (True, 5, 6, "a" * 35)
    assert result.preview == client.preview("a" * 800, NUMBERS[:2], max_parts=5)
    assert [r.body for r in bsg.messages.values()] == ["a" * 765] * 2


def test_refuse_policy_names_the_characters(client: BsgClient) -> None:
    with pytest.raises(ValidationError) as err:
        client.send("naïve ç", "380972000000", originator="Shop", invalid_characters="REFUSE")
    assert "ç" in err.value.rule


# -- over HTTP ---------------------------------------------------------------------------------


def test_single_send_status_progression_and_balance(client: BsgClient, bsg: BsgApp) -> None:
    before = client.balance()
    result = client.send("Hello from the sandbox", "+380972000000", originator="Sandbox")
    (r,) = result.recipients
    assert (r.outcome, r.price, r.currency, result.encoding, result.parts) == (
        "accepted",
        Decimal("0.023"),
        "EUR",
        "GSM7",
        1,
    )
    assert [client.status(r.id).status for _ in range(3)] == ["sent", "delivered", "delivered"]
    assert client.status(reference=r.reference).final
    assert client.balance().amount == before.amount - Decimal("0.023")


def test_undeliverable_number_ends_undeliverable(client: BsgClient) -> None:
    r = client.send("x", "380970000001", originator="Shop").recipients[0]
    assert [client.status(r.id).status for _ in range(2)] == ["sent", "undeliverable"]


def test_bulk_send_splits_into_batches_of_50(client: BsgClient, bsg: BsgApp) -> None:
    result = client.send("Sale ends at midnight €", NUMBERS, originator="Shop", validity=24, tariff=0)
    assert len(result.accepted) == 120 and not result.rejected
    assert len(result.task_ids) == 3
    assert [m for m, p, s in bsg.log if p.endswith("/sms/create")] == ["POST"] * 3
    assert [r.msisdn for r in result.recipients] == NUMBERS
    task = client.task(result.task_ids[2])
    assert len(task.messages) == 20 and task.body == "Sale ends at midnight €" and task.validity == 24
    assert task.total_price == Decimal("0.023") * 20
    assert result.total_price == Decimal("0.023") * 120


def test_price_check_sends_nothing(client: BsgClient, bsg: BsgApp) -> None:
    price = client.price("x" * 200, ["380972000000", "380972000001"], originator="Shop")
    assert (price.total_price, price.currency) == (Decimal("0.092"), "EUR")  # 2 parts x 2 x 0.023
    assert bsg.accepted == []


def test_status_of_unknown_message_and_task(client: BsgClient) -> None:
    with pytest.raises(RejectedError) as err:
        client.status("99999")
    assert (err.value.status, err.value.code) == (404, 20)
    with pytest.raises(RejectedError) as err:
        client.task("424242")
    assert err.value.code == 30


def test_wrong_key_is_an_authentication_error_without_the_key(
    sandbox: Sandbox, transport: HttpxTransport
) -> None:
    client = BsgClient("live_wrong_secret", base_url=sandbox.base_url("bsg"), transport=transport)
    with pytest.raises(AuthenticationError) as err:
        client.send("hi", "380972000000", originator="Shop")
    assert err.value.status == 401 and err.value.code == 1
    assert "live_wrong_secret" not in str(err.value) and "live_wrong_secret" not in repr(client)


def test_per_item_errors_of_a_bulk_reply(sandbox: Sandbox, transport: HttpxTransport, bsg: BsgApp) -> None:
    # Sent by hand, past the client's own checks, to see the emulator's per-item codes.
    payload = {
        "destination": "phones",
        "originator": "Shop",
        "body": "hi",
        "phones": [
            {"msisdn": "380972000000", "reference": "ok1"},
            {"msisdn": "12ab", "reference": "bad1"},
            {"msisdn": "380972000000", "reference": "dup1"},
            {"msisdn": "380972000002"},
            {"msisdn": "380972000003", "reference": "not_alnum!"},
        ],
    }
    response = transport.handle_request(
        json_request("POST", sandbox.base_url("bsg") + "/sms/create", payload, {"X-API-KEY": KEY})
    )
    body = response.json()
    assert response.status == 200
    assert [item["error"] for item in body["result"]] == [0, 21, 31, 22, 27]
    assert "id" not in body["result"][1] and body["total_price"] == 0.023
    assert len(bsg.accepted) == 1


GOOD = {
    "destination": "phone",
    "originator": "Shop",
    "body": "hi",
    "msisdn": "380972000000",
    "reference": "r1",
}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"originator": "ThisIsTooLong"}, 25),
        ({"body": ""}, 26),
        ({"body": "a" * 766}, 26),
        ({"validity": 73}, 28),
        ({"validity": "1"}, 0),  # the documentation's own example sends numbers as strings
        ({"tariff": 10}, 6),
        ({"send_time": "2001-01-01T00:00:00+00:00"}, 10),
        ({"destination": "everyone"}, 7),
        (
            {
                "destination": "phones",
                "phones": [{"msisdn": f"3809720{i:05d}", "reference": f"r{i}"} for i in range(51)],
            },
            12,
        ),
        ({"msisdn": "12"}, 21),
        ({"reference": None}, 22),
    ],
)
def test_emulator_answers_each_documented_code(
    sandbox: Sandbox, transport: HttpxTransport, change: dict[str, object], code: int
) -> None:
    payload = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    reply = transport.handle_request(
        json_request("POST", sandbox.base_url("bsg") + "/sms/create", payload, {"X-API-KEY": KEY})
    )
    if code == 0:
        assert reply.status == 200 and reply.json()["result"]["error"] == 0
    else:
        assert (reply.status, reply.json()["error"]) == (400, code)


def test_emulator_refuses_bad_payloads_paths_and_methods(sandbox: Sandbox, transport: HttpxTransport) -> None:
    base, key = sandbox.base_url("bsg"), {"X-API-KEY": KEY}
    garbage = transport.handle_request(HttpRequest("POST", base + "/sms/create", key, b"{not json"))
    assert (garbage.status, garbage.json()["error"]) == (400, 24)
    assert (
        transport.handle_request(json_request("GET", base + "/sms/nothing/here", None, key)).json()["error"]
        == 4
    )
    assert transport.handle_request(json_request("DELETE", base + "/sms/create", None, key)).status == 405
    assert (
        transport.handle_request(json_request("GET", base + "/sms/task/abc", None, key)).json()["error"] == 29
    )


def test_request_level_refusals_reject_every_recipient(
    sandbox: Sandbox, transport: HttpxTransport, bsg: BsgApp
) -> None:
    bsg.balance = Decimal("0.03")  # one message
    client = BsgClient(KEY, base_url=sandbox.base_url("bsg"), transport=transport)
    result = client.send("hi", ["380972000000", "380972000001"], originator="Shop")
    assert [(r.outcome, r.code, r.description) for r in result.recipients] == [
        ("rejected", 8, "Not enough money")
    ] * 2
    bsg.tariffs = {0: Decimal("0.01")}
    (r,) = client.send("hi", "380972000000", originator="Shop", tariff=3).recipients
    assert (r.outcome, r.code, r.description) == ("rejected", 9, "Inactive price grid")
    assert bsg.accepted == []


def test_busy_code_11_is_retried_with_the_same_references(
    client: BsgClient, bsg: BsgApp, sleeps: list[float]
) -> None:
    bsg.inject_error(11)
    result = client.send("hi", ["380972000000", "380972000001"], originator="Shop")
    assert len(result.accepted) == 2 and sleeps == [0.5]
    assert len(bsg.accepted) == 2


def test_unknown_error_5_after_accepting_resolves_to_duplicates(client: BsgClient, bsg: BsgApp) -> None:
    bsg.inject_error(5, after_accepting=True)
    result = client.send("hi", ["380972000000", "380972000001"], originator="Shop")
    assert [(r.outcome, r.duplicate) for r in result.recipients] == [("accepted", True)] * 2
    assert all(r.id for r in result.recipients)  # read back through /sms/reference/{reference}
    assert len(bsg.accepted) == 2


def test_rate_limit_is_waited_out(
    sandbox: Sandbox, transport: HttpxTransport, bsg: BsgApp, clock: ManualClock
) -> None:
    bsg.limiter = RateLimiter(1, 60.0, clock)
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.advance(seconds)

    client = BsgClient(KEY, base_url=sandbox.base_url("bsg"), transport=transport, sleep=sleep)
    client.send("one", "380972000000", originator="Shop")
    assert client.send("two", "380972000001", originator="Shop").accepted
    assert waits == [60.0]  # the emulator's Retry-After


def test_same_idempotency_key_never_sends_twice(client: BsgClient, bsg: BsgApp) -> None:
    first = client.send("hi", NUMBERS[:3], originator="Shop", idempotency_key="order-1")
    again = client.send("hi", NUMBERS[:3], originator="Shop", idempotency_key="order-1")
    assert [r.id for r in again.recipients] == [r.id for r in first.recipients]
    assert all(r.duplicate for r in again.recipients)
    assert len(bsg.accepted) == 3


def test_async_client(sandbox: Sandbox, bsg: BsgApp) -> None:
    async def main() -> tuple[str, str, Decimal]:
        async with AsyncHttpxTransport(trust_env=False) as http:
            client = AsyncBsgClient(KEY, base_url=sandbox.base_url("bsg"), transport=http)
            result = await client.send("async hello", NUMBERS[:60], originator="Shop")
            status = await client.status(result.recipients[0].id)
            task = await client.task(result.task_ids[0])
            price = await client.price("x", NUMBERS[:2], originator="Shop")
            balance = await client.balance()
            assert len(task.messages) == 50 and price.total_price == Decimal("0.046")
            return result.recipients[59].outcome, status.status, balance.amount

    outcome, status, amount = asyncio.run(main())
    assert (outcome, status) == ("accepted", "sent")
    assert amount == Decimal("100.00") - Decimal("0.023") * 60
    assert len(bsg.accepted) == 60


def test_preview_counts_parts_and_cost_without_sending(client: BsgClient, bsg: BsgApp) -> None:
    tariff = Tariff({"380": "0.02"}, currency="EUR")
    p = client.preview("Ціна: 5€ " * 10, NUMBERS[:51], tariff=tariff)
    m = p.messages[0]
    assert (m.encoding.value, m.units, m.parts, p.requests) == ("UTF16", 90, 2, 2)
    assert m.switched_to_utf16 and p.total_parts == 102 and p.total_cost == Decimal("2.04")
    assert client.preview("a" * 900).notes and bsg.log == []


# -- fault injection ---------------------------------------------------------------------------


def settle(call: object, numbers: list[str]) -> tuple[dict[str, str], set[str], list[str]]:
    """Run a send; return msisdn -> outcome for settled recipients, the unknown ones, and those
    not sent (a plain error such as a refused connection means nothing was accepted)."""
    outcomes: dict[str, str] = {}
    unknown: set[str] = set()
    untried: list[str] = []
    try:
        result = call()  # type: ignore[operator]
        outcomes = {r.msisdn: r.outcome for r in result.recipients}
    except PartialSendError as err:
        for part in err.accepted:
            outcomes.update({r.msisdn: r.outcome for r in part.recipients})
        untried = list(err.not_attempted)
        if isinstance(err.error, UnknownOutcomeError):
            unknown = set(err.error.recipients)
    except UnknownOutcomeError as err:
        unknown = set(err.recipients)
    except ProviderError:
        untried = list(numbers)
    # A result may itself carry "unknown" recipients (a batch in doubt before a later one failed).
    unknown |= {n for n, outcome in outcomes.items() if outcome == "unknown"}
    outcomes = {n: outcome for n, outcome in outcomes.items() if outcome != "unknown"}
    return outcomes, unknown, untried


def check_invariants(
    app: BsgApp, numbers: list[str], outcomes: dict[str, str], unknown: set[str], untried: list[str]
) -> None:
    accepted_refs = [ref for ref, _ in app.accepted]
    accepted_numbers = [n for _, n in app.accepted]
    assert len(accepted_refs) == len(set(accepted_refs)), "a reference was accepted twice"
    assert len(accepted_numbers) == len(set(accepted_numbers)), "a number got the message twice"
    reported = set(outcomes) | unknown | set(untried)
    assert reported == set(numbers), "a recipient was lost"
    assert len(outcomes) + len(unknown) + len(untried) == len(numbers), "a recipient was reported twice"
    for n in accepted_numbers:
        assert outcomes.get(n) == "accepted" or n in unknown, (
            f"{n} accepted by BSG but reported {outcomes.get(n)}"
        )
    for n, outcome in outcomes.items():
        assert (outcome == "accepted") == (n in accepted_numbers)


@pytest.mark.parametrize(
    "faults",
    [
        [Fault.deliver_then_timeout(method="POST")],
        [Fault.drop(2, method="POST")],
        [Fault.deliver_then_respond(502, method="POST")],
        [Fault.respond(503, method="POST")],
        [Fault.rate_limited(retry_after=2, method="POST")],
        [Fault.deliver_then_timeout(method="POST"), Fault.rate_limited(method="POST")],
    ],
    ids=[
        "timeout-after-delivery",
        "connection-refused",
        "502-after-delivery",
        "503-before",
        "429",
        "timeout-then-429",
    ],
)
def test_recoverable_faults_end_with_every_message_accepted_once(
    sandbox: Sandbox, transport: HttpxTransport, bsg: BsgApp, faults: list[Fault]
) -> None:
    faulty = FaultTransport(transport, faults)
    client = BsgClient(KEY, base_url=sandbox.base_url("bsg"), transport=faulty, sleep=lambda s: None)
    outcomes, unknown, untried = settle(
        lambda: client.send("hi", NUMBERS[:3], originator="Shop"), NUMBERS[:3]
    )
    assert faulty.pending == 0
    assert outcomes == dict.fromkeys(NUMBERS[:3], "accepted") and not unknown and not untried
    check_invariants(bsg, NUMBERS[:3], outcomes, unknown, untried)


def test_answers_lost_every_time_are_reported_unknown_with_their_references(
    sandbox: Sandbox, transport: HttpxTransport, bsg: BsgApp
) -> None:
    faulty = FaultTransport(transport, [Fault.deliver_then_timeout(3, method="POST")])
    client = BsgClient(KEY, base_url=sandbox.base_url("bsg"), transport=faulty, sleep=lambda s: None)
    with pytest.raises(UnknownOutcomeError) as err:
        client.send("hi", NUMBERS[:2], originator="Shop", idempotency_key="job-9")
    assert set(err.value.recipients) == set(NUMBERS[:2])
    assert set(err.value.idempotency_keys) == {reference_for("job-9", n) for n in NUMBERS[:2]}
    assert len(bsg.accepted) == 2  # delivered three times, accepted once
    # Reconciling: the same key again is answered "already accepted", nothing is sent twice.
    client = BsgClient(KEY, base_url=sandbox.base_url("bsg"), transport=transport)
    again = client.send("hi", NUMBERS[:2], originator="Shop", idempotency_key="job-9")
    assert all(r.duplicate and r.id for r in again.recipients) and len(bsg.accepted) == 2


@pytest.mark.parametrize(
    ("faults", "lost"),
    [
        ([Fault.deliver_then_timeout(method="POST")], False),
        ([Fault.drop(2, method="POST")], False),
        ([Fault.deliver_then_respond(502, method="POST")], False),
        ([Fault.rate_limited(retry_after=2, method="POST")], False),
        ([Fault.deliver_then_timeout(3, method="POST")], True),
    ],
    ids=["timeout-after-delivery", "connection-refused", "502-after-delivery", "429", "lost-every-time"],
)
def test_async_client_under_faults_never_doubles_or_loses_a_message(
    sandbox: Sandbox, bsg: BsgApp, faults: list[Fault], lost: bool
) -> None:
    numbers = NUMBERS[:3]

    async def send() -> BsgSendResult:
        async with AsyncHttpxTransport(trust_env=False) as http:
            faulty = AsyncFaultTransport(http, faults)
            client = AsyncBsgClient(KEY, base_url=sandbox.base_url("bsg"), transport=faulty, sleep=no_wait)
            result = await client.send("hi", numbers, originator="Shop", idempotency_key="async-7")
            assert faulty.pending == 0
            # The ids of messages learnt from error 23 are read back by reference.
            first = result.recipients[0]
            assert (await client.status(reference=first.reference)).id == first.id
            return result

    outcomes, unknown, untried = settle(lambda: asyncio.run(send()), numbers)
    if lost:
        assert unknown == set(numbers) and not outcomes and not untried
    else:
        assert outcomes == dict.fromkeys(numbers, "accepted") and not unknown and not untried
    check_invariants(bsg, numbers, outcomes, unknown, untried)


async def no_wait(seconds: float) -> None:
    """An async sleep that does not wait."""


class LoseAnswers:
    """Deliver every request, but lose the answer of the create requests numbered in *lost*."""

    def __init__(self, inner: HttpxTransport, lost: set[int]) -> None:
        self.inner, self.lost, self.creates = inner, lost, 0

    def handle_request(self, request: HttpRequest) -> HttpResponse:
        response = self.inner.handle_request(request)
        if request.path.endswith("/sms/create"):
            self.creates += 1
            if self.creates in self.lost:
                raise TransportError("read timeout (injected)", request_sent=True)
        return response


def test_a_lost_middle_batch_leaves_the_others_settled(
    sandbox: Sandbox, transport: HttpxTransport, bsg: BsgApp
) -> None:
    # Create requests: 1 = batch 1; 2, 3, 4 = batch 2 and its two repeats, all answers lost; 5 = batch 3.
    lossy = LoseAnswers(transport, {2, 3, 4})
    client = BsgClient(KEY, base_url=sandbox.base_url("bsg"), transport=lossy, sleep=lambda s: None)
    outcomes, unknown, untried = settle(lambda: client.send("hi", NUMBERS, originator="Shop"), NUMBERS)
    assert lossy.creates == 5
    assert unknown == set(NUMBERS[50:100])
    assert outcomes == dict.fromkeys(NUMBERS[:50] + NUMBERS[100:], "accepted")
    check_invariants(bsg, NUMBERS, outcomes, unknown, untried)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.sampled_from(["drop", "timeout", "502", "503", "429", "busy", "unknown5"]), min_size=0, max_size=6
    ),
    st.integers(min_value=1, max_value=70),
)
def test_no_fault_sequence_doubles_or_loses_a_message(kinds: list[str], count: int) -> None:
    """Whatever fails and in which order, each number gets at most one message and every
    recipient is reported accepted, rejected, unknown or not attempted."""
    clock = ManualClock(1_000_000.0)
    app = BsgApp(clock=clock)
    box = Sandbox(apps=[app], clock=clock)  # driven in-process: no server needed
    faults = []
    for kind in kinds:
        if kind == "busy":
            app.inject_error(11)
        elif kind == "unknown5":
            app.inject_error(5, after_accepting=True)
        else:
            faults.append(
                {
                    "drop": Fault.drop(),
                    "timeout": Fault.deliver_then_timeout(),
                    "502": Fault.deliver_then_respond(502),
                    "503": Fault.respond(503),
                    "429": Fault.rate_limited(),
                }[kind]
            )
    client = BsgClient(
        KEY,
        base_url="http://sandbox/rest",
        transport=FaultTransport(MockTransport(box.handle), faults),
        sleep=clock.advance,
    )
    numbers = NUMBERS[:count]
    outcomes, unknown, untried = settle(lambda: client.send("hi", numbers, originator="Shop"), numbers)
    check_invariants(app, numbers, outcomes, unknown, untried)
