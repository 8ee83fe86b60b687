"""Fault injection on Retarus sends: timeouts after delivery, dropped connections, 5xx and 429.

Whatever fails, the emulator never accepts a message twice, and every recipient ends accepted,
rejected with a reason, or reported as an unknown outcome.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from datetime import UTC

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smsencode.providers._http import (
    AsyncFaultTransport,
    AsyncHttpxTransport,
    Fault,
    FaultTransport,
    HttpxTransport,
    MockTransport,
)
from smsencode.providers.errors import (
    PartialSendError,
    ProviderError,
    RateLimitedError,
    RejectedError,
    TransportError,
    UnknownOutcomeError,
)
from smsencode.providers.retarus import AsyncRetarusClient, Job, JobOptions, Message, RetarusClient
from smsencode.providers.sandbox import ManualClock, Sandbox
from smsencode.providers.sandbox.retarus import RetarusApp

NUMBERS = ["+4917612345678", "+4917612345679", "+33612345678"]


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def app(sandbox: Sandbox) -> RetarusApp:
    found = sandbox.app("retarus")
    assert isinstance(found, RetarusApp)
    return found


def make_client(
    sandbox: Sandbox, transport: HttpxTransport, faults: list[Fault], **kwargs: object
) -> tuple[RetarusClient, FaultTransport, Sleeps]:
    faulty = FaultTransport(transport, faults)
    sleeps = Sleeps()
    client = RetarusClient(
        "sandbox",
        "sandbox",
        base_url=sandbox.base_url("retarus"),
        transport=faulty,
        sleep=sleeps,
        **kwargs,  # type: ignore[arg-type]
    )
    return client, faulty, sleeps


def posts(faulty: FaultTransport) -> list[bytes]:
    return [r.body for r, _ in faulty.log if r.method == "POST"]


def test_timeout_after_delivery_is_recovered_through_duplicate_detection(
    sandbox: Sandbox, transport: HttpxTransport, app: RetarusApp
) -> None:
    """The first POST reaches Retarus but the answer is lost; the byte-identical retry gets 409,
    and the job ID is found again by customerRef. One job, accepted once."""
    client, faulty, sleeps = make_client(sandbox, transport, [Fault.deliver_then_timeout(method="POST")])
    result = client.send("Your code is 1234", NUMBERS)
    (receipt,) = result.jobs
    assert receipt.duplicate
    assert [s.job_id for s in app.accepted] == [receipt.job_id] * 3
    assert [status for _, status in app.received] == [201, 409]
    first, second = posts(faulty)
    assert first == second  # byte-identical: duplicate detection compares the JSON data
    assert sleeps == [0.5]


def test_dropped_connections_are_retried(
    sandbox: Sandbox, transport: HttpxTransport, app: RetarusApp
) -> None:
    client, faulty, sleeps = make_client(sandbox, transport, [Fault.drop(2, method="POST")])
    result = client.send("hello", NUMBERS)
    assert not result.jobs[0].duplicate
    assert [s.dst for s in app.accepted] == NUMBERS
    assert sleeps == [0.5, 1.0]
    assert [kind for _, kind in faulty.log] == ["drop", "drop", "pass"]


def test_503_before_the_emulator_is_retried_once_accepted(
    sandbox: Sandbox, transport: HttpxTransport, app: RetarusApp
) -> None:
    client, _, _ = make_client(sandbox, transport, [Fault.respond(503, 2, method="POST")])
    result = client.send("hello", NUMBERS)
    assert len(app.accepted) == 3 and not result.jobs[0].duplicate


def test_5xx_after_delivery_is_recovered(
    sandbox: Sandbox, transport: HttpxTransport, app: RetarusApp
) -> None:
    client, _, _ = make_client(sandbox, transport, [Fault.deliver_then_respond(502, method="POST")])
    result = client.send("hello", NUMBERS)
    assert result.jobs[0].duplicate
    assert [s.job_id for s in app.accepted] == [result.job_id] * 3


def test_429_honours_retry_after(sandbox: Sandbox, transport: HttpxTransport, app: RetarusApp) -> None:
    client, _, sleeps = make_client(sandbox, transport, [Fault.rate_limited(2, retry_after=3, method="POST")])
    client.send("hello", NUMBERS)
    assert sleeps == [3.0, 3.0]
    assert len(app.accepted) == 3


def test_429_without_retry_after_waits_the_10_second_window(
    sandbox: Sandbox, transport: HttpxTransport, app: RetarusApp
) -> None:
    client, _, sleeps = make_client(sandbox, transport, [Fault.rate_limited(method="POST")])
    client.send("hello", NUMBERS)
    assert sleeps == [10.0]


def test_persistent_429_raises_and_sends_nothing(
    sandbox: Sandbox, transport: HttpxTransport, app: RetarusApp
) -> None:
    client, _, _ = make_client(sandbox, transport, [Fault.rate_limited(5, method="POST")])
    with pytest.raises(RateLimitedError) as err:
        client.send("hello", NUMBERS)
    assert err.value.retry_after == 10.0
    assert app.accepted == []


def test_without_duplicate_detection_a_lost_answer_is_an_unknown_outcome(
    sandbox: Sandbox, transport: HttpxTransport, app: RetarusApp
) -> None:
    """Nothing makes a retry safe, so the send is not repeated: the error says what to reconcile."""
    client, faulty, _ = make_client(sandbox, transport, [Fault.deliver_then_timeout(method="POST")])
    with pytest.raises(UnknownOutcomeError) as err:
        client.send("hello", NUMBERS, duplicate_detection=False, customer_ref="batch-9")
    assert err.value.idempotency_keys == ("batch-9",)
    assert err.value.recipients == tuple(NUMBERS)
    assert "batch-9" in str(err.value) and "not resent" in str(err.value)
    assert len(posts(faulty)) == 1
    assert [s.job_customer_ref for s in app.accepted] == ["batch-9"] * 3
    assert client.find_job("batch-9", _since()) == app.accepted[0].job_id  # reconciliation works


def test_answers_lost_on_every_attempt_end_as_unknown_outcome(
    sandbox: Sandbox, transport: HttpxTransport, app: RetarusApp
) -> None:
    client, faulty, _ = make_client(sandbox, transport, [Fault.deliver_then_timeout(3, method="POST")])
    with pytest.raises(UnknownOutcomeError) as err:
        client.send("hello", NUMBERS)
    assert len(posts(faulty)) == 3
    assert [status for _, status in app.received] == [201, 409, 409]
    assert len(app.accepted) == 3  # accepted once, and the error says the outcome is unknown
    assert err.value.recipients == tuple(NUMBERS)


def test_no_retry_after_the_duplicate_window_closes(
    sandbox: Sandbox, transport: HttpxTransport, app: RetarusApp
) -> None:
    """After ten minutes duplicate detection no longer protects a retry, so none is made."""
    ticks = iter([0.0])  # the send starts at 0; every later reading is past the window

    def clock() -> float:
        return next(ticks, 1000.0)

    client, faulty, _ = make_client(
        sandbox, transport, [Fault.deliver_then_timeout(method="POST")], clock=clock
    )
    with pytest.raises(UnknownOutcomeError):
        client.send("hello", NUMBERS)
    assert len(posts(faulty)) == 1 and len(app.accepted) == 3


def test_a_refused_connection_sends_nothing(
    sandbox: Sandbox, transport: HttpxTransport, app: RetarusApp
) -> None:
    client, _, _ = make_client(sandbox, transport, [Fault.drop(3, method="POST")])
    with pytest.raises(TransportError) as err:
        client.send("hello", NUMBERS)
    assert err.value.request_sent is False
    assert app.accepted == []


def test_a_split_send_that_stops_accounts_for_every_recipient(
    sandbox: Sandbox, transport: HttpxTransport, app: RetarusApp
) -> None:
    numbers = [f"+49176{i:08d}" for i in range(6500)]
    faults = [Fault.passthrough(method="POST"), Fault.deliver_then_timeout(method="POST")]
    client, _, _ = make_client(sandbox, transport, faults)
    job = Job([Message("Sale", numbers)], JobOptions(duplicate_detection=False, customer_ref="sale"))
    with pytest.raises(PartialSendError) as err:
        client.send_job(job, split=True)
    (accepted,) = err.value.accepted
    unknown = err.value.error
    assert isinstance(unknown, UnknownOutcomeError) and err.value.__cause__ is unknown
    assert accepted.customer_ref == "sale.1" and unknown.idempotency_keys == ("sale.2",)
    assert (len(accepted.recipients), len(unknown.recipients), len(err.value.not_attempted)) == (
        3000,
        3000,
        500,
    )
    assert sorted(accepted.recipients + unknown.recipients + err.value.not_attempted) == sorted(numbers)
    assert Counter(s.dst for s in app.accepted).most_common(1)[0][1] == 1
    assert len(app.accepted) == 6000


def test_a_status_read_retries_5xx_and_lost_answers(
    sandbox: Sandbox, transport: HttpxTransport, app: RetarusApp
) -> None:
    faults = [Fault.respond(500, method="GET"), Fault.deliver_then_timeout(method="GET")]
    client, _, sleeps = make_client(sandbox, transport, faults)
    result = client.send("hello", NUMBERS[:1])
    reports = client.get_recipients(result.job_id)
    assert reports is not None and reports[0].dst == NUMBERS[0]
    assert sleeps == [0.5, 1.0]


def test_async_timeout_after_delivery_is_recovered(sandbox: Sandbox, app: RetarusApp) -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def run() -> str:
        async with AsyncHttpxTransport(trust_env=False) as inner:
            faulty = AsyncFaultTransport(
                inner, [Fault.deliver_then_timeout(method="POST"), Fault.drop(method="GET")]
            )
            c = AsyncRetarusClient(
                "sandbox", "sandbox", base_url=sandbox.base_url("retarus"), transport=faulty, sleep=sleep
            )
            result = await c.send("hello", NUMBERS)
            assert result.jobs[0].duplicate
            return result.job_id

    job_id = asyncio.run(run())
    assert [s.job_id for s in app.accepted] == [job_id] * 3
    assert waits == [0.5, 0.5]


def _since() -> object:
    from datetime import datetime, timedelta

    return datetime.now(UTC) - timedelta(hours=1)


# -- the invariant, over random fault sequences ----------------------------------------------------

FAULTS: dict[str, Callable[[], Fault]] = {
    "drop": lambda: Fault.drop(method="POST"),
    "timeout": lambda: Fault.deliver_then_timeout(method="POST"),
    "503": lambda: Fault.respond(503, method="POST"),
    "502-after": lambda: Fault.deliver_then_respond(502, method="POST"),
    "429": lambda: Fault.rate_limited(retry_after=1, method="POST"),
    "pass": lambda: Fault.passthrough(method="POST"),
    "read-drop": lambda: Fault.drop(method="GET"),
    "read-500": lambda: Fault.respond(500, method="GET"),
}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plan=st.lists(st.lists(st.sampled_from(sorted(FAULTS)), max_size=4), min_size=1, max_size=4),
    dedup=st.booleans(),
)
def test_no_recipient_is_accepted_twice_or_lost(plan: list[list[str]], dedup: bool) -> None:
    """Several sends, each meeting its own faults: every recipient ends accepted exactly once,
    rejected (and not accepted), or in an unknown outcome (accepted at most once)."""
    clock = ManualClock()
    app = RetarusApp(clock)
    sandbox = Sandbox(apps=[app], clock=clock)  # in-process: fault injection needs no socket
    faults = [FAULTS[name]() for send_faults in plan for name in send_faults]
    faulty = FaultTransport(MockTransport(sandbox.handle), faults)
    client = RetarusClient(
        "sandbox", "sandbox", base_url="http://sandbox/rest/v1", transport=faulty, sleep=clock.advance
    )
    outcomes: dict[str, str] = {}
    for i, _ in enumerate(plan):
        ref = f"send-{i}"
        numbers = [f"+4917{i:02d}{k:06d}" for k in range(3)]
        try:
            result = client.send(f"message {i}", numbers, customer_ref=ref, duplicate_detection=dedup)
        except UnknownOutcomeError as exc:
            assert exc.recipients == tuple(numbers) and exc.idempotency_keys == (ref,)
            outcomes[ref] = "unknown"
        except (RateLimitedError, RejectedError, TransportError) as exc:
            assert isinstance(exc, ProviderError) and str(exc)
            outcomes[ref] = "refused"
        else:
            assert result.jobs[0].recipients == tuple(numbers)
            outcomes[ref] = "accepted"
    per_ref = Counter(s.job_customer_ref for s in app.accepted)
    per_number = Counter(s.dst for s in app.accepted)
    assert all(n == 1 for n in per_number.values())  # never accepted twice
    for ref, outcome in outcomes.items():
        if outcome == "accepted":
            assert per_ref[ref] == 3
        elif outcome == "refused":
            assert per_ref[ref] == 0
        else:
            assert per_ref[ref] in (0, 3)
    assert len(outcomes) == len(plan)  # every send ended in one of the three outcomes


def test_recovery_pages_through_more_than_1000_jobs() -> None:
    """The job a 409 refers to is found even when it is on the second page of the job list."""
    clock = ManualClock()
    app = RetarusApp(clock)
    sandbox = Sandbox(apps=[app], clock=clock)
    plain = RetarusClient(
        "sandbox", "sandbox", base_url="http://sandbox/rest/v1", transport=MockTransport(sandbox.handle)
    )
    for i in range(1000):
        plain.send(f"old {i}", NUMBERS[:1], duplicate_detection=False)
    faulty = FaultTransport(MockTransport(sandbox.handle), [Fault.deliver_then_timeout(method="POST")])
    client = RetarusClient(
        "sandbox", "sandbox", base_url="http://sandbox/rest/v1", transport=faulty, sleep=clock.advance
    )
    result = client.send("new", NUMBERS[:1], customer_ref="the-new-one")
    assert result.jobs[0].duplicate
    assert result.job_id == app.accepted[-1].job_id and len(app.accepted) == 1001
    assert [
        r.query.get("offset") for r, _ in faulty.log if r.path.endswith("/jobs") and r.method == "GET"
    ] == [
        ["0"],
        ["1000"],
    ]
