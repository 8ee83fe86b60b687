"""The Retarus client over real HTTP against the sandbox: every operation, option and error path."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from smsencode.cost import Tariff
from smsencode.options import Encoding
from smsencode.providers import retarus
from smsencode.providers._http import AsyncHttpxTransport, HttpResponse, HttpxTransport, Secret, basic_auth
from smsencode.providers.errors import (
    AuthenticationError,
    InvalidResponseError,
    RateLimitedError,
    RejectedError,
    ValidationError,
)
from smsencode.providers.retarus import (
    AsyncRetarusClient,
    Job,
    JobOptions,
    Message,
    Recipient,
    RetarusClient,
)
from smsencode.providers.sandbox import ManualClock, Sandbox
from smsencode.providers.sandbox.retarus import RetarusApp

JOB_ID = re.compile(r"J\..{18,38}")
NUMBER = "+4917612345678"


class Sleeps(list[float]):
    """Records waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def app(sandbox: Sandbox) -> RetarusApp:
    found = sandbox.app("retarus")
    assert isinstance(found, RetarusApp)
    return found


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(sandbox: Sandbox, transport: HttpxTransport, sleeps: Sleeps) -> RetarusClient:
    return RetarusClient(
        "sandbox", "sandbox", base_url=sandbox.base_url("retarus"), transport=transport, sleep=sleeps
    )


@pytest.fixture
def dc_client(sandbox: Sandbox, transport: HttpxTransport, sleeps: Sleeps) -> RetarusClient:
    """Sends through the HA path, reads de2 then de1, like the default configuration."""
    return RetarusClient(
        "sandbox",
        "sandbox",
        base_url=sandbox.base_url("retarus"),
        status_urls=(f"{sandbox.url}/retarus-de2/rest/v1", f"{sandbox.url}/retarus-de1/rest/v1"),
        transport=transport,
        sleep=sleeps,
    )


def seed_job(**options: object) -> Job:
    """The job of the Retarus manual's example request (001 seed), with every option set."""
    period = "2018-09-24T12:00:00.000+02:00/2018-09-24T13:00:00.000+02:00"
    later = "2018-09-24T18:00:00.000+02:00/2018-09-25T08:00:00.000+02:00"
    us = ["2018-09-24T19:00:00.000+02:00/2018-09-24T20:00:00.000+02:00"]
    opts = {
        "src": "retarusREST",
        "encoding": "UTF-16",
        "billcode": "Billingcode",
        "status_requested": True,
        "flash": False,
        "customer_ref": "JOBREF.000001",
        "validity_min": 5,
        "max_parts": 2,
        "invalid_characters": "TRANSLITERATE",
        "qos": "EXPRESS",
        "job_period": "2018-09-24T11:00:00.000+02:00",
        "duplicate_detection": False,
        "blackout_periods": [period, later],
    }
    opts.update(options)
    return Job(
        [
            Message(
                "Hello Germany...",
                [
                    Recipient("+4917615500001", "RECIREF.001"),
                    Recipient("+4917500001", "RECIREF.002", [period]),
                ],
            ),
            Message(
                "Hello USA...",
                [
                    Recipient("+17615500002", "RECIREF.003", us),
                    Recipient("+17500002", "RECIREF.004", us),
                    Recipient("+17500003", "RECIREF.005", us),
                ],
            ),
        ],
        JobOptions(**opts),  # type: ignore[arg-type]
    )


# -- sending -----------------------------------------------------------------------------------------


def test_send_returns_job_id_and_the_emulator_counts_the_parts(
    client: RetarusClient, app: RetarusApp
) -> None:
    """A plain send creates one job; the emulator counts the parts the preview announced."""
    text = "a" * 152 + "{" + "a" * 152  # 3 parts [152, 153, 1]: the escape pair is not split
    result = client.send(text, [NUMBER, "+33612345678"], src="Example")
    assert JOB_ID.fullmatch(result.job_id)
    assert result.preview.total_parts == 6
    accepted = app.accepted
    assert [(s.dst, s.parts, s.encoding) for s in accepted] == [
        (NUMBER, 3, Encoding.GSM7),
        ("+33612345678", 3, Encoding.GSM7),
    ]
    assert {s.job_id for s in accepted} == {result.job_id}
    assert accepted[0].job_customer_ref == result.jobs[0].customer_ref


def test_every_documented_option_reaches_retarus(client: RetarusClient, app: RetarusApp) -> None:
    """The seed example job: job report and recipient reports echo every option."""
    result = client.send_job(seed_job())
    report = client.get_job(result.job_id)
    assert report is not None
    assert (report.src, report.encoding, report.billcode, report.qos) == (
        "retarusREST", "utf-16", "Billingcode", "EXPRESS",
    )  # fmt: skip
    assert (report.status_requested, report.flash, report.validity_min) == (True, False, 5)
    assert report.customer_ref == "JOBREF.000001"
    assert len(report.recipient_ids) == 5
    recipients = client.get_recipients(result.job_id)
    assert recipients is not None
    assert [r.customer_ref for r in recipients] == [f"RECIREF.00{i}" for i in range(1, 6)]
    assert [s.encoding for s in app.accepted] == [Encoding.UTF16] * 5


def test_send_body_states_encoding_policy_parts_and_dedup(
    sandbox: Sandbox, transport: HttpxTransport
) -> None:
    """The body always carries encoding, invalidCharacters, maxParts, duplicateDetection and a
    customerRef, in the documented order, as compact JSON."""
    from smsencode.providers._http import MockTransport

    seen = MockTransport(transport.handle_request)
    c = RetarusClient(
        "sandbox", "sandbox", base_url=sandbox.base_url("retarus"), transport=seen, reference=lambda: "REF-1"
    )
    c.send("Hi", [NUMBER])
    (request,) = seen.requests
    assert request.method == "POST" and request.path == "/rest/v1/jobs"
    assert request.body == (
        b'{"options":{"encoding":"STANDARD","customerRef":"REF-1","maxParts":1,"invalidCharacters":"TO_UTF16",'
        b'"duplicateDetection":true},"messages":[{"text":"Hi","recipients":[{"dst":"+4917612345678"}]}]}'
    )
    assert request.header("authorization") == basic_auth("sandbox", "sandbox").reveal()


def test_caller_resending_the_same_job_gets_the_first_job_back(
    client: RetarusClient, app: RetarusApp
) -> None:
    """Same customerRef within 10 minutes: Retarus says 409 and the client returns the first job."""
    job = Job([Message("Your code is 1234", [NUMBER])], JobOptions(customer_ref="order-77"))
    first = client.send_job(job)
    second = client.send_job(job)
    assert second.job_id == first.job_id
    assert (first.jobs[0].duplicate, second.jobs[0].duplicate) == (False, True)
    assert len(app.accepted) == 1
    assert [status for _, status in app.received] == [201, 409]


def test_a_job_over_3000_recipients_is_refused_or_split(client: RetarusClient, app: RetarusApp) -> None:
    numbers = [f"+491760000{i:04d}" for i in range(3001)]
    job = Job(
        [Message("Sale!", numbers[:2000]), Message("Sale 2!", numbers[2000:])], JobOptions(customer_ref="x")
    )
    with pytest.raises(ValidationError) as err:
        client.send_job(job)
    assert err.value.value == 3001 and "split=True" in err.value.rule
    assert app.received == []
    result = client.send_job(job, split=True)
    assert [len(j.recipients) for j in result.jobs] == [3000, 1]
    assert [j.customer_ref for j in result.jobs] == ["x.1", "x.2"]
    assert sorted(s.dst for s in app.accepted) == sorted(numbers)
    assert [s.text for s in app.accepted[-1001:]] == ["Sale 2!"] * 1001
    assert result.preview.requests == 2


def test_max_parts_never_truncates_silently(client: RetarusClient, app: RetarusApp) -> None:
    text = "x" * 400  # 3 parts of 153
    job = Job([Message(text, [NUMBER])], JobOptions(max_parts=2))
    with pytest.raises(ValidationError) as err:
        client.send_job(job)
    assert err.value.field == "options.maxParts" and err.value.value == 2
    assert app.received == []
    p = client.preview(job, allow_truncation=True)
    (m,) = p.messages
    assert (m.parts, m.parts_needed, m.truncated, len(m.dropped)) == (2, 3, True, 400 - 306)
    client.send_job(job, allow_truncation=True)
    (sms,) = app.accepted
    assert (sms.parts, sms.text) == (2, m.text)


def test_text_over_20_parts_is_refused_unless_truncation_is_allowed(
    client: RetarusClient, app: RetarusApp
) -> None:
    text = "y" * (153 * 21)
    with pytest.raises(ValidationError, match="at most 20"):
        client.send(text, [NUMBER])
    result = client.send_job(Job([Message(text, [NUMBER])]), allow_truncation=True)
    assert result.preview.messages[0].parts == 20
    assert app.accepted[0].parts == 20


@pytest.mark.parametrize(
    ("text", "policy", "encoding", "parts", "sent"),
    [
        ("Grüße aus Köln", "TO_UTF16", Encoding.GSM7, 1, "Grüße aus Köln"),  # ü, ö are GSM-7
        ("Merci ç", "TO_UTF16", Encoding.UTF16, 1, "Merci ç"),
        ("Merci ç", "REPLACE", Encoding.GSM7, 1, "Merci  "),
        ("😀" * 70, "TO_UTF16", Encoding.UTF16, 3, "😀" * 70),
    ],
)
def test_policy_and_encoding_match_between_preview_and_emulator(
    client: RetarusClient, app: RetarusApp, text: str, policy: str, encoding: Encoding, parts: int, sent: str
) -> None:
    result = client.send(text, [NUMBER], invalid_characters=policy)
    (m,) = result.preview.messages
    (sms,) = app.accepted
    assert (m.encoding, m.parts, m.text) == (encoding, parts, sent)
    assert (sms.encoding, sms.parts, sms.text) == (encoding, parts, sent)
    assert m.policy_changed == (text != sent or encoding is Encoding.UTF16)


def test_refuse_is_checked_locally_naming_the_characters(client: RetarusClient, app: RetarusApp) -> None:
    with pytest.raises(ValidationError) as err:
        client.send("Merci ç", [NUMBER], invalid_characters="REFUSE")
    assert err.value.field == "messages[0].text" and "'ç' at 6" in err.value.rule
    assert app.received == []


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"src": "ThisIsTwelve"}, "options.src"),
        ({"src": "+" + "1" * 21}, "options.src"),
        ({"src": "back`tick"}, "options.src"),
        ({"encoding": "LATIN1"}, "options.encoding"),
        ({"billcode": "b" * 71}, "options.billcode"),
        ({"customer_ref": "c" * 65}, "options.customerRef"),
        ({"validity_min": 4}, "options.validityMin"),
        ({"validity_min": 2881}, "options.validityMin"),
        ({"max_parts": 0}, "options.maxParts"),
        ({"max_parts": 21}, "options.maxParts"),
        ({"invalid_characters": "DROP"}, "options.invalidCharacters"),
        ({"qos": "FAST"}, "options.qos"),
        ({"job_period": "tomorrow"}, "options.jobPeriod"),
        ({"job_period": "2018-09-24T11:00:00"}, "options.jobPeriod"),
        ({"blackout_periods": ["2018-09-24T13:00:00Z/2018-09-24T12:00:00Z"]}, "options.blackoutPeriods[0]"),
        ({"blackout_periods": "2018-09-24T12:00:00Z/2018-09-24T13:00:00Z"}, "options.blackoutPeriods"),
        ({"status_requested": "yes"}, "options.statusRequested"),
        ({"flash": 1}, "options.flash"),
        ({"duplicate_detection": None}, "options.duplicateDetection"),
    ],
)
def test_every_option_limit_is_checked_before_sending(
    client: RetarusClient, app: RetarusApp, options: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as err:
        client.send("Hello", [NUMBER], **options)
    assert err.value.field == field
    assert field in str(err.value) and err.value.rule in str(err.value)
    assert app.received == []


@pytest.mark.parametrize(
    ("message", "field"),
    [
        (Message("", [NUMBER]), "messages[0].text"),
        (Message("Hi", []), "messages[0].recipients"),
        (Message("Hi", ["017612345678"]), "messages[0].recipients[0].dst"),
        (Message("Hi", ["+49 176 1234"]), "messages[0].recipients[0].dst"),
        (Message("Hi", ["+0123456"]), "messages[0].recipients[0].dst"),
        (Message("Hi", ["+1234567890123456"]), "messages[0].recipients[0].dst"),
        (Message("Hi", [Recipient(NUMBER, "r" * 65)]), "messages[0].recipients[0].customerRef"),
        (
            Message("Hi", [Recipient(NUMBER, blackout_periods=["x/y"])]),
            "messages[0].recipients[0].blackoutPeriods[0]",
        ),
    ],
)
def test_every_message_limit_is_checked_before_sending(
    client: RetarusClient, app: RetarusApp, message: Message, field: str
) -> None:
    with pytest.raises(ValidationError) as err:
        client.send_job(Job([message]))
    assert err.value.field == field
    assert app.received == []


def test_a_job_without_messages_is_refused(client: RetarusClient) -> None:
    with pytest.raises(ValidationError, match="at least one message"):
        client.send_job(Job([]))


def test_numbers_with_00_prefix_and_numeric_senders_are_accepted(
    client: RetarusClient, app: RetarusApp
) -> None:
    client.send("Hi", ["004917612345678"], src="+4917612345678")
    assert app.accepted[0].dst == "004917612345678"


# -- statuses ------------------------------------------------------------------------------------------


def test_statuses_move_through_the_documented_vocabulary(client: RetarusClient, clock: ManualClock) -> None:
    """With statusRequested: OPEN, RUNNING, then DONE with SUC_FIN or the failure the number asks for."""
    numbers = [NUMBER, "+4917600099999", "+4917600099998", "+4917600099997", "+4917600099996"]
    result = client.send("Status check", numbers, status_requested=True)
    seen = []
    for _ in range(3):
        reports = client.get_recipients(result.job_id)
        assert reports is not None
        seen.append([(r.process_status, r.status, r.outcome) for r in reports])
        clock.advance(5)
    assert seen[0] == [("OPEN", None, "pending")] * 5
    assert seen[1] == [
        ("RUNNING", None, "pending"),
        ("DONE", "INVALID_DST", "failed"),
        ("DONE", "BLOCKED", "failed"),
        ("RUNNING", None, "pending"),
        ("DONE", "SEND_ERR", "unknown"),
    ]
    assert seen[2] == [
        ("DONE", "SUC_FIN", "delivered"),
        ("DONE", "INVALID_DST", "failed"),
        ("DONE", "BLOCKED", "failed"),
        ("DONE", "FAILED_FIN", "failed"),
        ("DONE", "SEND_ERR", "unknown"),
    ]
    report = client.get_job(result.job_id)
    assert report is not None and report.finished and report.finished_ts is not None


def test_without_status_request_success_is_suc_acc(client: RetarusClient, clock: ManualClock) -> None:
    result = client.send("No DLR", [NUMBER, "+4917600099997"])
    clock.advance(5)
    reports = client.get_recipients(result.job_id)
    assert reports is not None
    assert [(r.process_status, r.status) for r in reports] == [("DONE", "SUC_ACC"), ("DONE", "SUC_ACC")]
    assert all(r.sent_ts and r.finished_ts for r in reports)


def test_job_period_and_blackout_delay_the_send(client: RetarusClient, clock: ManualClock) -> None:
    start = datetime.fromtimestamp(clock(), UTC)
    later = start + timedelta(minutes=30)
    blackout = f"{(start - timedelta(minutes=1)).isoformat()}/{(start + timedelta(minutes=10)).isoformat()}"
    scheduled = client.send("Later", [NUMBER], job_period=later.isoformat())
    blacked = client.send("Blackout", [NUMBER], blackout_periods=[blackout])

    def status(job_id: str) -> str | None:
        reports = client.get_recipients(job_id)
        assert reports is not None
        return reports[0].process_status

    clock.advance(60)
    assert (status(scheduled.job_id), status(blacked.job_id)) == ("OPEN", "OPEN")
    clock.advance(60 * 60)  # the 11-minute blackout was widened to an hour; both are due now
    assert (status(scheduled.job_id), status(blacked.job_id)) == ("DONE", "DONE")
    assert any("widened" in note for note in blacked.preview.notes)


def test_reads_try_both_data_centres(dc_client: RetarusClient, app: RetarusApp) -> None:
    """A job lives in one data centre; the other's 404 is not an error."""
    first = dc_client.send("one", [NUMBER])
    second = dc_client.send("two", [NUMBER])
    assert {app.job_centre(first.job_id), app.job_centre(second.job_id)} == {"de1", "de2"}
    for job_id in (first.job_id, second.job_id):
        report = dc_client.get_job(job_id)
        assert report is not None and report.job_id == job_id
        recipients = dc_client.get_recipients(job_id)
        assert recipients is not None and recipients[0].dst == NUMBER
    assert set(dc_client.list_jobs(*_window())) == {first.job_id, second.job_id}


def test_an_unknown_job_is_none_from_every_data_centre(dc_client: RetarusClient) -> None:
    unknown = "J.20180924-131731.737-0iey4kxqyTQCQDIFN1"
    assert dc_client.get_job(unknown) is None
    assert dc_client.get_recipients(unknown) is None


def test_a_malformed_job_id_is_refused_locally(client: RetarusClient) -> None:
    with pytest.raises(ValidationError) as err:
        client.get_job("12345")
    assert err.value.field == "jobId"


def _window() -> tuple[datetime, datetime]:
    now = datetime.now(UTC)
    return now - timedelta(days=1), now + timedelta(days=1)


def test_list_jobs_filters_pages_and_validates(client: RetarusClient, clock: ManualClock) -> None:
    ids = [client.send(f"job {i}", [NUMBER], status_requested=True).job_id for i in range(3)]
    start, end = _window()
    assert client.list_jobs(start, end) == tuple(ids)
    assert client.list_jobs(start, end, limit=2) == tuple(ids[:2])
    assert client.list_jobs(start, end, limit=2, offset=2) == (ids[2],)
    assert client.list_jobs(start, end, open=True) == tuple(ids)
    clock.advance(10)
    assert client.list_jobs(start, end, open=False) == tuple(ids)
    assert client.list_jobs(start.isoformat(), end.isoformat(), open=True) == ()
    with pytest.raises(ValidationError, match="at most 30 days"):
        client.list_jobs(start, start + timedelta(days=30, seconds=1))
    with pytest.raises(ValidationError, match="after fromTs"):
        client.list_jobs(end, start)
    for bad in (0, 1001):
        with pytest.raises(ValidationError) as err:
            client.list_jobs(start, end, limit=bad)
        assert err.value.field == "limit"
    with pytest.raises(ValidationError):
        client.list_jobs("yesterday", end)


def test_version(client: RetarusClient) -> None:
    info = client.version()
    assert (info.major_version, info.minor_version) == (2015, 10)
    assert info.version_info and info.build_number == 1


# -- errors over HTTP ---------------------------------------------------------------------------------


def test_wrong_credentials_raise_authentication_error_without_them(
    sandbox: Sandbox, transport: HttpxTransport, app: RetarusApp
) -> None:
    bad = RetarusClient("sandbox", "hunter2", base_url=sandbox.base_url("retarus"), transport=transport)
    for call in (lambda: bad.send("Hi", [NUMBER]), bad.version, lambda: bad.list_jobs(*_window())):
        with pytest.raises(AuthenticationError) as err:
            call()
        assert err.value.status == 401
        assert "hunter2" not in str(err.value) and "hunter2" not in repr(err.value)
    assert "hunter2" not in repr(bad)
    assert app.accepted == []


def test_rate_limit_waits_the_documented_window_then_succeeds(
    clock: ManualClock, transport: HttpxTransport
) -> None:
    """429 without Retry-After: wait 10 s (the documented window) and try again."""
    app = RetarusApp(clock, rate_limit=2)
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.advance(seconds)

    with Sandbox(apps=[app], clock=clock) as sb:
        c = RetarusClient(
            "sandbox", "sandbox", base_url=sb.base_url("retarus"), transport=transport, sleep=sleep
        )
        c.version()
        c.version()
        result = c.send("after the limit", [NUMBER])
    assert waits == [10.0]
    assert [s.job_id for s in app.accepted] == [result.job_id]


def test_rate_limit_that_persists_raises_with_retry_after(
    clock: ManualClock, transport: HttpxTransport
) -> None:
    app = RetarusApp(clock, rate_limit=1, retry_after=True)
    with Sandbox(apps=[app], clock=clock) as sb:
        c = RetarusClient(
            "sandbox", "sandbox", base_url=sb.base_url("retarus"), transport=transport, sleep=lambda s: None
        )
        c.version()
        with pytest.raises(RateLimitedError) as err:
            c.send("limited", [NUMBER])
    assert err.value.retry_after == 10.0
    assert app.accepted == []


def test_emulator_refusals_surface_as_rejected_errors(sandbox: Sandbox, transport: HttpxTransport) -> None:
    """Requests the client would never build, sent through the pure layer: 400, 409, 422."""
    auth = basic_auth("sandbox", "sandbox")
    base = sandbox.base_url("retarus")

    def post(payload: dict[str, object]) -> HttpResponse:
        return transport.handle_request(retarus.build_send_request(payload, auth=auth, base_url=base))

    msg = [{"text": "Merci ç", "recipients": [{"dst": NUMBER}]}]
    cases = [
        ({"options": {"encoding": "LATIN1"}, "messages": msg}, 400, "encoding"),
        ({"options": {"blackoutPeriods": ["noon/1pm"]}, "messages": msg}, 400, "blackoutPeriods"),
        ({"messages": []}, 422, "no messages"),
        ({"options": {"invalidCharacters": "REFUSE"}, "messages": msg}, 422, "'ç' at 6"),
    ]
    for payload, status, words in cases:
        with pytest.raises(RejectedError) as err:
            retarus.parse_send_response(post(payload))
        assert err.value.status == status and err.value.code == status
        assert words in str(err.value)
    dup = {"options": {"duplicateDetection": True}, "messages": msg}
    assert retarus.parse_send_response(post(dup)).job_id is not None
    assert retarus.parse_send_response(post(dup)) == retarus.SendReply(None, duplicate=True)


def test_parse_errors_map_to_typed_errors() -> None:
    with pytest.raises(AuthenticationError):
        retarus.parse_version_response(HttpResponse(403))
    with pytest.raises(RateLimitedError) as limited:
        retarus.parse_send_response(HttpResponse(429, {"Retry-After": "3"}))
    assert limited.value.retry_after == 3.0
    with pytest.raises(RejectedError) as rejected:
        retarus.parse_list_jobs_response(HttpResponse(500, {}, b"Can't list jobs"))
    assert rejected.value.status == 500 and "Can't list jobs" in str(rejected.value)
    with pytest.raises(InvalidResponseError):
        retarus.parse_send_response(HttpResponse(201, {}, b"<html>"))
    with pytest.raises(InvalidResponseError):
        retarus.parse_send_response(HttpResponse(201, {}, b"{}"))
    with pytest.raises(InvalidResponseError):
        retarus.parse_recipients_response(HttpResponse(200, {}, b'{"a":1}'))


def test_parse_reads_the_documented_examples() -> None:
    """The response examples of the Retarus manual (001 seed) parse field by field."""
    job = retarus.parse_response(
        "get_job",
        HttpResponse(
            200,
            {},
            b'{"jobId":"J.20180924-121731.737-0iey4kxqyTQCQDIFN1","src":"retarusREST","encoding":"standard",'
            b'"billcode":"Billingcode","statusRequested":true,"flash":false,"validityMin":5,'
            b'"customerRef":"JOBREF.000001","qos":"EXPRESS","receiptTs":"2018-09-24T12:17:44.653+02:00",'
            b'"finishedTs":"2018-09-24T12:19:42.668+02:00","recipientIds":["S.20180924-121800-00001"]}',
        ),
    )
    assert job.finished and job.validity_min == 5 and job.recipient_ids == ("S.20180924-121800-00001",)
    reports = retarus.parse_response(
        "get_recipients",
        HttpResponse(
            200,
            {},
            b'[{"smsId":"S.1","dst":"+4917615500002","processStatus":"OPEN","status":"SUC_ACC",'
            b'"customerRef":"RECIREF.002","reason":"Accepted.","sentTs":"2018-09-24T18:09:47.445+02:00"},'
            b'{"smsId":"S.2","dst":"+4917615500003","processStatus":"OPEN","customerRef":"RECIREF.003"}]',
        ),
    )
    assert [(r.status, r.outcome, r.final) for r in reports] == [
        ("SUC_ACC", "pending", False),
        (None, "pending", False),
    ]
    listed = retarus.parse_response("list_jobs", HttpResponse(200, {}, b'[{"jobId":"J.1"},{"jobId":"J.2"}]'))
    assert listed == ("J.1", "J.2")
    sent = retarus.parse_response(
        "send_job", HttpResponse(200, {}, b'{"jobId":"J.20180924-131731.737-0iey4kxqyTQCQDIFN1"}')
    )
    assert sent.job_id == "J.20180924-131731.737-0iey4kxqyTQCQDIFN1"
    with pytest.raises(ValueError, match="unknown Retarus operation"):
        retarus.parse_response("cancel", HttpResponse(200))  # type: ignore[arg-type]


def test_build_request_is_byte_identical_and_keeps_credentials_out_of_repr() -> None:
    auth = basic_auth("user", Secret("s3cret-pw"))
    prepared = retarus.prepare_job(Job([Message("Hi", [NUMBER])]), reference=lambda: "R1")
    a = retarus.build_request(
        "send_job", prepared.requests[0].payload, auth=auth, base_url="https://h/rest/v1"
    )
    b = retarus.build_request(
        "send_job", prepared.requests[0].payload, auth=auth, base_url="https://h/rest/v1"
    )
    assert a.body == b.body and a.url == "https://h/rest/v1/jobs"
    assert "s3cret" not in repr(a) and "Authorization': '***'" in repr(a)
    get = retarus.build_request("get_recipients", "J.20180924-131731.737-0iey4kxqyTQCQDIFN1", auth=auth,
                                base_url="https://h/rest/v1")  # fmt: skip
    assert get.url == "https://h/rest/v1/sms?jobId=J.20180924-131731.737-0iey4kxqyTQCQDIFN1"
    assert repr(auth) == "Secret('***')"


def test_default_urls_send_via_ha_and_read_both_data_centres() -> None:
    c = RetarusClient("u", "p", transport=HttpxTransport(trust_env=False))
    assert "sms4a.eu.retarus.com" in repr(c)
    assert "sms4a.de2.retarus.com" in repr(c) and "sms4a.de1.retarus.com" in repr(c)
    with pytest.raises(ValueError, match="username and a password"):
        RetarusClient("u", "", transport=HttpxTransport(trust_env=False))


# -- preview and cost -------------------------------------------------------------------------------


def test_preview_prices_parts_per_destination(client: RetarusClient, app: RetarusApp) -> None:
    tariff = Tariff({"49": "0.075", "4917": "0.068", "1": "0.0075"}, currency="EUR")
    job = Job(
        [
            Message("x" * 200, [NUMBER, "+4930123456"]),  # 2 parts each
            Message("Merci ç", ["+12025550123", "+33612345678"]),  # UTF-16, 1 part; France unpriced
        ]
    )
    p = client.preview(job, tariff=tariff)
    assert [m.total_parts for m in p.messages] == [4, 2]
    assert p.messages[0].cost == Decimal("0.068") * 2 + Decimal("0.075") * 2
    assert p.messages[1].cost == Decimal("0.0075")
    assert p.total_cost == Decimal("0.2935") and p.currency == "EUR"
    assert p.unpriced == ("+33612345678",)
    assert p.messages[1].switched_to_utf16 and p.policy_changed and not p.truncated
    assert app.received == []  # a preview sends nothing
    result = client.send_job(job, tariff=tariff)
    assert result.preview == p
    assert sum(s.parts for s in app.accepted) == p.total_parts


def test_preview_reports_replacements_and_transliteration_notes() -> None:
    job = Job([Message("Ça coûte 5€ – «ok»", [NUMBER])], JobOptions(invalid_characters="TRANSLITERATE"))
    p = retarus.preview(job)
    (m,) = p.messages
    assert m.encoding is Encoding.GSM7 and m.replacements and m.policy_changed
    assert all(isinstance(change, str) for change in m.changes)
    assert any("TRANSLITERATE" in n for n in p.notes)


# -- async ------------------------------------------------------------------------------------------


def test_async_client_does_every_operation(sandbox: Sandbox, app: RetarusApp, clock: ManualClock) -> None:
    async def run() -> None:
        async with AsyncHttpxTransport(trust_env=False) as t:
            c = AsyncRetarusClient("sandbox", "sandbox", base_url=sandbox.base_url("retarus"), transport=t)
            result = await c.send("async hello", [NUMBER], customer_ref="async-1")
            again = await c.send_job(
                Job([Message("async hello", [NUMBER])], JobOptions(customer_ref="async-1"))
            )
            assert again.job_id == result.job_id and again.jobs[0].duplicate
            clock.advance(5)
            reports = await c.get_recipients(result.job_id)
            assert reports is not None and reports[0].status == "SUC_ACC"
            report = await c.get_job(result.job_id)
            assert report is not None and report.customer_ref == "async-1"
            assert await c.list_jobs(*_window()) == (result.job_id,)
            assert (await c.version()).major_version == 2015
            assert (
                await c.find_job("async-1", datetime.now(UTC) - timedelta(hours=1)) == result.job_id
            )
            with pytest.raises(ValidationError):
                await c.send("", [NUMBER])

    asyncio.run(run())
    assert len(app.accepted) == 1


@pytest.fixture
def no_httpx(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    import sys

    monkeypatch.setitem(sys.modules, "httpx", None)
    yield


@pytest.mark.usefixtures("no_httpx")
def test_missing_httpx_names_the_extra() -> None:
    from smsencode.providers.errors import MissingDependencyError

    with pytest.raises(MissingDependencyError, match=r"pip install 'smsencode\[http\]'") as err:
        RetarusClient("u", "p")
    assert isinstance(err.value, ImportError)


def test_one_number_as_a_string_is_one_recipient(client: RetarusClient, app: RetarusApp) -> None:
    client.send("Hi", NUMBER)
    assert [s.dst for s in app.accepted] == [NUMBER]
