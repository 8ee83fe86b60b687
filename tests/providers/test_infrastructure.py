"""The shared provider layer: errors, Secret, the HTTP values and transports, safe retry,
validators and preview records."""

from __future__ import annotations

import asyncio
import pickle
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from email.utils import format_datetime

import pytest

from smsencode.errors import SmsEncodeError
from smsencode.options import Encoding
from smsencode.providers import _validate as v
from smsencode.providers._http import (
    AsyncMockTransport,
    Fault,
    FaultTransport,
    HttpRequest,
    HttpResponse,
    HttpxTransport,
    MockTransport,
    Secret,
    basic_auth,
    build_url,
    encode_json,
    json_request,
)
from smsencode.providers._retry import async_call_with_retry, call_with_retry, parse_retry_after
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
from smsencode.providers.preview import Preview, preview_message

# -- errors and Secret -----------------------------------------------------------------------------


ERRORS: list[ProviderError] = [
    ValidationError("options.src", "x" * 12, "at most 11 characters"),
    MissingDependencyError(),
    AuthenticationError("bad login", status=401, code=1),
    RateLimitedError("slow down", retry_after=10.0),
    RejectedError("invalid characters", status=422, code=422, body={"code": 422}),
    InvalidResponseError("not JSON", status=200, body=b"<html>"),
    TransportError("reset", request_sent=True),
    UnknownOutcomeError("POST /jobs", idempotency_keys=("k1",), recipients=("+49",), detail="timeout"),
    PartialSendError(["job-1"], RejectedError("no", status=400), ["+33"]),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_every_provider_error_is_an_smsencode_error_and_pickles(error: ProviderError) -> None:
    assert isinstance(error, SmsEncodeError)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error) and str(copy) == str(error)
    assert vars(copy) == vars(error) or isinstance(error, PartialSendError)


def test_error_messages_say_what_and_carry_their_fields() -> None:
    err = ValidationError("messages[0].recipients[1].dst", "0176", "must be an international number")
    assert isinstance(err, ValueError)
    assert str(err) == "messages[0].recipients[1].dst='0176' is not accepted: must be an international number"
    long = ValidationError("text", "a" * 500, "too long")
    assert len(str(long)) < 120 and long.value == "a" * 500
    unknown = UnknownOutcomeError(
        "POST /jobs", idempotency_keys=("a", "b", "c", "d"), recipients=("+1", "+2")
    )
    assert unknown.idempotency_key == "a"
    assert "2 recipients" in str(unknown) and "a, b, c, ..." in str(unknown) and "not resent" in str(unknown)
    assert UnknownOutcomeError("x").idempotency_key is None
    assert str(RejectedError("bad", status=400, code=7)) == "HTTP 400 (code 7): bad"
    assert isinstance(MissingDependencyError(), ImportError)
    assert "smsencode[http]" in str(MissingDependencyError())


def test_secret_never_shows_itself() -> None:
    s = Secret("hunter2")
    assert (repr(s), str(s), f"{s}", f"{s:>10}") == ("Secret('***')", "***", "***", "***")
    assert s.reveal() == "hunter2" and Secret(s).reveal() == "hunter2"
    assert s == Secret("hunter2") and s != Secret("other") and hash(s) == hash(Secret("hunter2"))
    assert bool(s) and not Secret("")
    with pytest.raises(TypeError, match="not pickled"):
        pickle.dumps(s)
    with pytest.raises(TypeError, match="must be a str"):
        Secret(42)  # type: ignore[arg-type]
    assert basic_auth("Aladdin", Secret("open sesame")).reveal() == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="


# -- HTTP values --------------------------------------------------------------------------------------


def test_requests_mask_credentials_and_bodies_in_repr() -> None:
    r = HttpRequest(
        "POST", "https://h/p?q=1", {"Authorization": "Basic abc", "X-API-KEY": "live_k", "A": "b"}, b"pw"
    )
    text = repr(r)
    assert "abc" not in text and "live_k" not in text and "pw" not in text
    assert "'A': 'b'" in text and "body=<2 bytes>" in text
    assert r.header("authorization") == "Basic abc" and r.header("x-api-key") == "live_k"
    assert r.header("missing", "d") == "d"
    assert (r.path, r.query) == ("/p", {"q": ["1"]})
    resp = HttpResponse(200, {"Set-Cookie": "ss-id=secret"}, b"{}")
    assert "secret" not in repr(resp) and resp.header("set-cookie") == "ss-id=secret"


def test_json_bodies_are_deterministic_compact_utf8() -> None:
    payload = {"b": 1, "a": ["ü", None, True], "c": {"z": 1.5}}
    assert encode_json(payload) == '{"b":1,"a":["ü",null,true],"c":{"z":1.5}}'.encode()
    with pytest.raises(ValueError):
        encode_json({"x": float("nan")})
    req = json_request("post", "https://h/x", payload, {"Accept": "text/json"})
    assert req.method == "POST" and req.body == encode_json(payload)
    assert req.headers == {"Accept": "text/json", "Content-Type": "application/json; charset=utf-8"}
    assert req.json() == payload
    get = json_request("GET", "https://h/x")
    assert get.body == b"" and "Content-Type" not in get.headers


def test_bad_json_answers_raise_invalid_response() -> None:
    with pytest.raises(InvalidResponseError, match=r"not valid JSON.*starts with '<html>'") as err:
        HttpResponse(502, {}, b"<html>").json()
    assert err.value.status == 502 and err.value.body == b"<html>"
    with pytest.raises(InvalidResponseError):
        HttpResponse(200, {}, b"\xff\xfe").json()
    assert HttpResponse(200, {}, b"\xff").text == "\ufffd"


def test_build_url() -> None:
    assert build_url("https://h/rest/", "/sms/create") == "https://h/rest/sms/create"
    assert build_url("https://h", "") == "https://h"
    assert (
        build_url("https://h", "jobs", [("a", 1), ("a", 2), ("b", False)]) == "https://h/jobs?a=1&a=2&b=false"
    )
    assert (
        build_url("https://h", "x", {"t": "2018-09-24T11:00:00+02:00"})
        == "https://h/x?t=2018-09-24T11%3A00%3A00%2B02%3A00"
    )


# -- transports ---------------------------------------------------------------------------------------


def ok(_: HttpRequest) -> HttpResponse:
    return HttpResponse(200, {}, b"ok")


def test_fault_transport_applies_each_kind_then_passes_through() -> None:
    inner = MockTransport(ok)
    faulty = FaultTransport(
        inner,
        [
            Fault.passthrough(),
            Fault.drop(),
            Fault.deliver_then_timeout(),
            Fault.respond(503, body=b"busy"),
            Fault.deliver_then_respond(500),
            Fault.rate_limited(retry_after=2.5),
        ],
    )
    req = HttpRequest("POST", "http://h/jobs")
    assert faulty.handle_request(req).body == b"ok"
    with pytest.raises(TransportError) as dropped:
        faulty.handle_request(req)
    assert dropped.value.request_sent is False
    with pytest.raises(TransportError) as lost:
        faulty.handle_request(req)
    assert lost.value.request_sent is True
    assert faulty.handle_request(req).body == b"busy"
    assert faulty.handle_request(req).status == 500
    limited = faulty.handle_request(req)
    assert (limited.status, limited.header("retry-after")) == (429, "2.5")
    assert faulty.pending == 0 and faulty.handle_request(req).status == 200
    assert len(inner.requests) == 4  # pass, deliver_then_timeout, deliver_then_respond, final pass
    assert [kind for _, kind in faulty.log] == [
        "pass", "drop", "deliver_then_timeout", "respond", "deliver_then_respond", "respond", "pass",
    ]  # fmt: skip


def test_faults_aim_at_method_and_path() -> None:
    faulty = FaultTransport(MockTransport(ok), [Fault.respond(503, 2, method="POST", path_contains="/jobs")])
    assert faulty.handle_request(HttpRequest("GET", "http://h/jobs")).status == 200
    assert faulty.handle_request(HttpRequest("POST", "http://h/version")).status == 200
    assert faulty.handle_request(HttpRequest("post", "http://h/jobs")).status == 503
    assert faulty.pending == 1


def test_async_mock_transport_takes_sync_and_async_handlers() -> None:
    async def handler(_: HttpRequest) -> HttpResponse:
        return HttpResponse(201)

    async def run() -> tuple[int, int]:
        a = await AsyncMockTransport(ok).handle_request(HttpRequest("GET", "http://h/"))
        b = await AsyncMockTransport(handler).handle_request(HttpRequest("GET", "http://h/"))
        return a.status, b.status

    assert asyncio.run(run()) == (200, 201)


@pytest.fixture
def raw_server() -> Iterator[Callable[[Callable[[socket.socket], None]], int]]:
    """A loopback socket server running *behaviour* on each connection (for failures httpx maps)."""
    servers: list[tuple[socket.socket, threading.Thread]] = []
    stop = threading.Event()

    def start(behaviour: Callable[[socket.socket], None]) -> int:
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.1)

        def loop() -> None:
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except OSError:
                    continue
                with conn:
                    behaviour(conn)

        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        servers.append((listener, thread))
        return int(listener.getsockname()[1])

    yield start
    stop.set()
    for listener, thread in servers:
        thread.join()
        listener.close()


def test_httpx_failures_say_whether_the_request_left(
    raw_server: Callable[[Callable[[socket.socket], None]], int],
) -> None:
    def hang_up(conn: socket.socket) -> None:
        conn.recv(65536)  # the request arrived ...and no answer comes

    def stall(conn: socket.socket) -> None:
        conn.recv(65536)
        stalled.wait(5)

    stalled = threading.Event()
    with HttpxTransport(timeout=0.3, trust_env=False) as http:
        port = raw_server(hang_up)
        with pytest.raises(TransportError) as closed:
            http.handle_request(HttpRequest("POST", f"http://127.0.0.1:{port}/jobs", {}, b"{}"))
        assert closed.value.request_sent is True and "may have been received" in str(closed.value)
        port = raw_server(stall)
        with pytest.raises(TransportError) as timed_out:
            http.handle_request(
                HttpRequest("POST", f"http://user:pw@127.0.0.1:{port}/jobs?key=secret", {}, b"{}")
            )
        stalled.set()
        assert timed_out.value.request_sent is True
        assert "secret" not in str(timed_out.value) and "pw@" not in str(timed_out.value)
        free = socket.socket()
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
        free.close()  # nothing listens there now
        with pytest.raises(TransportError) as refused:
            http.handle_request(HttpRequest("GET", f"http://127.0.0.1:{port}/"))
        assert refused.value.request_sent is False


# -- retry --------------------------------------------------------------------------------------------


class Script:
    """Plays back answers (responses or exceptions) and counts attempts."""

    def __init__(self, *steps: HttpResponse | Exception) -> None:
        self.steps = list(steps)
        self.calls = 0

    def __call__(self) -> HttpResponse:
        step = self.steps[min(self.calls, len(self.steps) - 1)]
        self.calls += 1
        if isinstance(step, Exception):
            raise step
        return step


NOT_SENT = TransportError("refused", request_sent=False)
SENT = TransportError("timeout", request_sent=True)
OK = HttpResponse(200)


def retry(script: Script, **kwargs: object) -> tuple[HttpResponse, list[float]]:
    waits: list[float] = []
    response = call_with_retry(script, sleep=waits.append, **kwargs)  # type: ignore[arg-type]
    return response, waits


def test_retry_repeats_what_never_left() -> None:
    assert retry(Script(NOT_SENT, NOT_SENT, OK)) == (OK, [0.5, 1.0])
    with pytest.raises(TransportError):
        retry(Script(NOT_SENT), max_attempts=2)


def test_a_send_that_may_have_arrived_is_not_repeated() -> None:
    script = Script(SENT, OK)
    with pytest.raises(UnknownOutcomeError) as err:
        retry(script, operation="send", idempotency_keys=["k"], recipients=["+49"])
    assert script.calls == 1
    assert (err.value.operation, err.value.idempotency_keys, err.value.recipients) == (
        "send",
        ("k",),
        ("+49",),
    )
    assert err.value.__cause__ is SENT


def test_an_idempotent_send_is_repeated_until_the_attempts_run_out() -> None:
    assert retry(Script(SENT, OK), idempotent=True) == (OK, [0.5])
    script = Script(SENT)
    with pytest.raises(UnknownOutcomeError):
        retry(script, idempotent=True)
    assert script.calls == 3


def test_a_read_is_repeated_and_never_an_unknown_outcome() -> None:
    assert retry(Script(SENT, HttpResponse(503), OK), read_only=True) == (OK, [0.5, 1.0])
    with pytest.raises(TransportError):
        retry(Script(SENT), read_only=True)
    assert retry(Script(HttpResponse(503)), read_only=True)[0].status == 503


def test_429_waits_as_told() -> None:
    limited = HttpResponse(429, {"Retry-After": "2"})
    assert retry(Script(limited, OK)) == (OK, [2.0])
    assert retry(Script(HttpResponse(429), OK), rate_limit_wait=10.0) == (OK, [10.0])
    assert retry(Script(HttpResponse(429), OK)) == (OK, [0.5])
    assert retry(Script(HttpResponse(429, {"Retry-After": "120"}), OK)) == (
        HttpResponse(429, {"Retry-After": "120"}),
        [],
    )
    assert retry(Script(limited), max_attempts=2) == (limited, [2.0])


def test_classify_decides_for_other_responses() -> None:
    busy = HttpResponse(503)
    assert retry(Script(busy, OK), classify=lambda r: "retry" if r.status == 503 else "done") == (OK, [0.5])
    assert retry(Script(busy), classify=lambda r: "done") == (busy, [])
    with pytest.raises(UnknownOutcomeError, match="HTTP 503"):
        retry(Script(busy, OK))  # the default: a 5xx on a send may have been taken
    assert retry(Script(busy, OK), idempotent=True) == (OK, [0.5])


def test_a_later_refusal_does_not_hide_an_earlier_delivery() -> None:
    """Attempt 1 may have arrived; if the last attempts only say "not taken", it is still unknown."""
    with pytest.raises(UnknownOutcomeError, match="earlier attempt"):
        retry(Script(SENT, HttpResponse(429)), idempotent=True, max_attempts=2)
    with pytest.raises(UnknownOutcomeError, match="earlier attempt"):
        retry(Script(SENT, NOT_SENT), idempotent=True, max_attempts=2)
    with pytest.raises(UnknownOutcomeError):
        retry(Script(SENT, HttpResponse(503)), idempotent=True, max_attempts=2, classify=lambda r: "retry")


def test_no_attempt_starts_after_the_deadline() -> None:
    script = Script(SENT, OK)
    with pytest.raises(UnknownOutcomeError):
        retry(script, idempotent=True, deadline=100.0, clock=lambda: 99.8)
    assert script.calls == 1
    with pytest.raises(ValueError, match="at least 1"):
        retry(Script(OK), max_attempts=0)


def test_async_retry_follows_the_same_rules() -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def run(script: Script, **kwargs: object) -> HttpResponse:
        async def send() -> HttpResponse:
            return script()

        return await async_call_with_retry(send, sleep=sleep, **kwargs)  # type: ignore[arg-type]

    assert asyncio.run(run(Script(NOT_SENT, HttpResponse(429, {"Retry-After": "1"}), OK))) == OK
    assert waits == [0.5, 1.0]
    with pytest.raises(UnknownOutcomeError):
        asyncio.run(run(Script(SENT)))


def test_parse_retry_after() -> None:
    now = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now=now) == 30.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now=now) == 0.0
    assert [parse_retry_after(x) for x in ("7", " 1.5 ", "-3", "nan", "soon", None)] == [
        7.0,
        1.5,
        0.0,
        None,
        None,
        None,
    ]


# -- validators ---------------------------------------------------------------------------------------


def rule_of(check: Callable[[], object]) -> str:
    with pytest.raises(ValidationError) as err:
        check()
    return err.value.rule


def test_e164_and_digits() -> None:
    assert v.check_e164("dst", "+4917612345678") == "+4917612345678"
    assert v.check_e164("dst", "004917612345678") == "004917612345678"
    assert v.check_e164("dst", "+6834002") == "+6834002"  # Niue: 7 digits in all
    for bad in (
        "4917612345678",
        "+0917612345678",
        "+49 176",
        "+1234567890123456",
        "",
        None,
        "0049",
        "+683400",
    ):
        assert "international number" in rule_of(lambda bad=bad: v.check_e164("dst", bad))
    assert "'+'" in rule_of(lambda: v.check_e164("dst", "0049176", allow_00=False))
    assert v.check_digits("msisdn", 491761234567, min_len=9, max_len=15) == "491761234567"
    assert "digits only" in rule_of(lambda: v.check_digits("msisdn", "+49176", min_len=1, max_len=15))
    assert "9..15 digits, not 5" in rule_of(lambda: v.check_digits("msisdn", "49176", min_len=9, max_len=15))


def test_sender_lengths_and_characters() -> None:
    def sender(value: object) -> str:
        return v.check_sender("src", value, numeric_max=15, alpha_max=11, alpha_min=3, allow_plus=True)

    assert sender("+491761234") == "+491761234" and sender("Shop 24") == "Shop 24"
    assert "1..15 digits" in rule_of(lambda: sender("1" * 16))
    assert "3..11 characters" in rule_of(lambda: sender("AB"))
    assert "3..11 characters" in rule_of(lambda: sender("A" * 12))
    assert "'!'" in rule_of(lambda: sender("Shop!"))
    assert "non-empty" in rule_of(lambda: sender(""))


def test_lengths_ranges_choices_and_uniqueness() -> None:
    assert v.check_length("billcode", "x" * 70, max_len=70) == "x" * 70
    assert "0..70 characters long, not 71" in rule_of(
        lambda: v.check_length("billcode", "x" * 71, max_len=70)
    )
    assert v.check_int_range("validityMin", 0, 5, 2880, also=(0,)) == 0
    assert "5..2880 or 0" in rule_of(lambda: v.check_int_range("validityMin", 4, 5, 2880, also=(0,)))
    assert "integer" in rule_of(lambda: v.check_int_range("maxParts", True, 1, 20))
    assert v.check_choice("qos", "express", ("EXPRESS", "NORMAL"), fold_case=True) == "EXPRESS"
    assert "'EXPRESS', 'NORMAL'" in rule_of(lambda: v.check_choice("qos", "express", ("EXPRESS", "NORMAL")))
    assert "twice" in rule_of(lambda: v.check_unique("reference", ["a", "b", "a"]))
    assert v.check_non_empty("text", "x") == "x" and "non-empty" in rule_of(
        lambda: v.check_non_empty("text", " ")
    )
    assert v.check_bool("flash", False) is False and "true or false" in rule_of(
        lambda: v.check_bool("flash", 0)
    )
    assert (
        v.check_guid("CommId", "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}")
        == "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
    )
    assert "GUID" in rule_of(lambda: v.check_guid("CommId", "nope"))


def test_iso8601_timestamps_and_intervals() -> None:
    assert v.parse_iso8601("2018-09-24T11:00:00.000+02:00") == datetime(
        2018, 9, 24, 11, tzinfo=timezone(timedelta(hours=2))
    )
    assert v.parse_iso8601("2018-09-24T11:00Z") == datetime(2018, 9, 24, 11, tzinfo=UTC)
    assert v.parse_iso8601("2018-09-24 11:00:00.123456789") == datetime(2018, 9, 24, 11, 0, 0, 123456)
    for bad in ("2018-02-30T11:00:00Z", "2018-09-24", "11:00", "2018-09-24T11:00:00+25:00"):
        assert v.parse_iso8601(bad) is None
    assert v.check_iso8601_timestamp("jobPeriod", "2018-09-24T11:00:00Z") == "2018-09-24T11:00:00Z"
    aware = datetime(2018, 9, 24, 11, tzinfo=UTC)
    assert v.check_iso8601_timestamp("jobPeriod", aware) == "2018-09-24T11:00:00.000+00:00"
    assert v.format_iso8601(aware) == "2018-09-24T11:00:00.000+00:00"
    assert "UTC offset" in rule_of(lambda: v.check_iso8601_timestamp("jobPeriod", "2018-09-24T11:00:00"))
    assert "time zone" in rule_of(lambda: v.check_iso8601_timestamp("jobPeriod", datetime(2018, 1, 1)))
    assert v.check_iso8601_interval("p", (aware, aware + timedelta(hours=1))).count("/") == 1
    assert "before the end" in rule_of(
        lambda: v.check_iso8601_interval("p", "2018-09-24T12:00Z/2018-09-24T11:00Z")
    )
    assert "interval" in rule_of(lambda: v.check_iso8601_interval("p", "2018-09-24T12:00Z"))
    assert "both" in rule_of(
        lambda: v.check_iso8601_interval("p", "2018-09-24T11:00/2018-09-24T12:00Z", require_offset=False)
    )
    assert v.check_datetime_format("validity_period", "2024-01-02 03:04:05", "%Y-%m-%d %H:%M:%S", "x")
    assert "like 'YYYY'" in rule_of(
        lambda: v.check_datetime_format("validity_period", "2024-01-02", "%Y-%m-%d %H:%M:%S", "YYYY")
    )


# -- preview records ----------------------------------------------------------------------------------


class FlatTariff:
    def __init__(self, prices: dict[str, tuple[str, str]]) -> None:
        self.prices = prices

    def price_for(self, number: str | None) -> object:
        found = self.prices.get(number or "")
        if found is None:
            return None

        class P:
            amount = Decimal(found[0])
            currency = found[1]

        return P()


def test_preview_message_counts_prices_and_reports_changes() -> None:
    tariff = FlatTariff({"+1": ("0.01", "USD"), "+2": ("0.02", "USD")})
    m = preview_message(0, "é" * 100, ["+1", "+2", "+3"], invalid_characters="TO_UTF16", tariff=tariff)  # type: ignore[arg-type]
    assert (m.encoding, m.parts, m.total_parts) == (Encoding.GSM7, 1, 3)  # é is GSM-7
    cut = preview_message(1, "ç" * 100, ["+1"], max_parts=1, tariff=tariff)  # type: ignore[arg-type]
    assert (cut.encoding, cut.parts, cut.parts_needed, len(cut.dropped)) == (Encoding.UTF16, 1, 2, 30)
    assert cut.switched_to_utf16 and cut.truncated and len(cut.changes) == 2
    assert (m.cost, m.unpriced, cut.cost) == (Decimal("0.03"), ("+3",), Decimal("0.01"))
    p = Preview("test", (m, cut))
    assert (p.total_recipients, p.total_parts, p.total_cost, p.currency) == (4, 4, Decimal("0.04"), "USD")
    assert p.truncated and p.policy_changed and p.unpriced == ("+3",)
    assert Preview("test", (preview_message(0, "x", ["+1"]),)).total_cost is None


def test_preview_message_refusals_name_the_field() -> None:
    with pytest.raises(ValidationError) as empty:
        preview_message(0, "", ["+1"], field="messages[3].text")
    assert empty.value.field == "messages[3].text"
    with pytest.raises(ValidationError, match="REFUSE"):
        preview_message(0, "ç", ["+1"], invalid_characters="REFUSE")
    with pytest.raises(ValidationError, match="255"):
        preview_message(0, "x" * 160 * 256, ["+1"])
    huge = preview_message(0, "x" * 153 * 300, ["+1"], max_parts=2)
    assert huge.parts == 2 and huge.parts_needed >= 256
    mixed = FlatTariff({"+1": ("0.01", "USD"), "+2": ("0.02", "EUR")})
    with pytest.raises(ValueError, match="mixes currencies"):
        preview_message(0, "x", ["+1", "+2"], tariff=mixed)  # type: ignore[arg-type]
