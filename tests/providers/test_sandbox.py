"""The sandbox: its server and lifecycle, the `smsencode sandbox` command, and the Retarus
emulator's answers to requests the client would never send, over real HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from smsencode.providers._http import HttpRequest, HttpResponse, HttpxTransport, basic_auth, json_request
from smsencode.providers.errors import TransportError
from smsencode.providers.sandbox import (
    DEFAULT_APPS,
    ManualClock,
    RateLimiter,
    Sandbox,
    default_apps,
    json_response,
    parse_basic_auth,
)
from smsencode.providers.sandbox.retarus import RetarusApp

AUTH = {"Authorization": basic_auth("sandbox", "sandbox").reveal()}
NUMBER = "+4917612345678"


@pytest.fixture
def retarus(sandbox: Sandbox) -> RetarusApp:
    app = sandbox.app("retarus")
    assert isinstance(app, RetarusApp)
    return app


def call(
    transport: HttpxTransport,
    sandbox: Sandbox,
    method: str,
    path: str,
    payload: object = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    return transport.handle_request(
        json_request(method, sandbox.url + path, payload, AUTH if headers is None else headers)
    )


# -- the server ---------------------------------------------------------------------------------------


def test_the_sandbox_listens_on_loopback_only() -> None:
    for host in ("0.0.0.0", "192.168.1.10", "example.org", ""):
        with pytest.raises(ValueError, match="loopback only"):
            Sandbox(host)
    for port in (-1, 65536, True):
        with pytest.raises(ValueError, match="port must be"):
            Sandbox(port=port)


def test_start_serves_every_default_app_and_stop_closes_the_port(transport: HttpxTransport) -> None:
    sandbox = Sandbox(clock=ManualClock())
    assert not sandbox.running and "stopped" in repr(sandbox)
    with pytest.raises(RuntimeError, match="not running"):
        _ = sandbox.url
    sandbox.start()
    url = sandbox.url
    assert url.startswith("http://127.0.0.1:") and sandbox.port > 0
    assert [a.name for a in sandbox.apps] == list(DEFAULT_APPS)
    response = transport.handle_request(HttpRequest("GET", url + "/nowhere"))
    assert response.status == 404
    assert response.json()["apis"]["retarus"] == "/rest/v1"
    sandbox.stop()
    assert not sandbox.running
    with pytest.raises(TransportError) as err:
        transport.handle_request(HttpRequest("GET", url + "/rest/v1/version"))
    assert err.value.request_sent is False


def test_base_url_joins_the_app_path(sandbox: Sandbox) -> None:
    assert sandbox.base_url("retarus") == sandbox.url + "/rest/v1"
    with pytest.raises(KeyError, match="no sandbox app named 'twilio'"):
        sandbox.app("twilio")


def test_an_app_that_fails_answers_500_and_the_server_goes_on(transport: HttpxTransport) -> None:
    class Broken:
        name = "broken"
        base_path = "/broken"

        def handle(self, request: HttpRequest) -> HttpResponse | None:
            if request.path.startswith("/broken"):
                raise RuntimeError("emulator bug")
            return None

    class Echo:
        name = "echo"
        base_path = "/echo"

        def handle(self, request: HttpRequest) -> HttpResponse | None:
            if not request.path.startswith("/echo"):
                return None
            return json_response(
                200, {"method": request.method, "body": request.body.decode(), "q": request.query}
            )

    with Sandbox(apps=[Broken(), Echo()]) as sb:
        failed = transport.handle_request(HttpRequest("GET", sb.url + "/broken"))
        assert failed.status == 500 and "emulator bug" in failed.json()["error"]
        echoed = transport.handle_request(HttpRequest("PUT", sb.url + "/echo?a=1&a=2", {}, "zß".encode()))
        assert echoed.json() == {"method": "PUT", "body": "zß", "q": {"a": ["1", "2"]}}


def test_default_apps_share_the_clock() -> None:
    clock = ManualClock(1000.0)
    apps = default_apps(clock)
    assert [a.name for a in apps] == list(DEFAULT_APPS)
    retarus = next(a for a in apps if isinstance(a, RetarusApp))
    assert retarus.clock is clock


def test_manual_clock_and_rate_limiter() -> None:
    clock = ManualClock(100.0)
    limiter = RateLimiter(2, 10.0, clock)
    assert [limiter.hit("u"), limiter.hit("u"), limiter.hit("v")] == [None, None, None]
    assert limiter.hit("u") == 10.0
    clock.advance(4)
    assert limiter.hit("u") == 6.0
    clock.advance(6)
    assert limiter.hit("u") is None
    assert RateLimiter(None, 10.0, clock).hit("u") is None
    with pytest.raises(ValueError, match="forward"):
        clock.advance(-1)


def test_parse_basic_auth() -> None:
    def req(value: str) -> HttpRequest:
        return HttpRequest("GET", "http://x/", {"authorization": value})

    assert parse_basic_auth(req(basic_auth("me", "pa:ss").reveal())) == ("me", "pa:ss")
    assert parse_basic_auth(req("Bearer abc")) is None
    assert parse_basic_auth(req("Basic !!!")) is None
    assert parse_basic_auth(req("Basic bm9jb2xvbg==")) is None  # "nocolon"
    assert parse_basic_auth(HttpRequest("GET", "http://x/")) is None


# -- the command --------------------------------------------------------------------------------------


@pytest.fixture
def sandbox_process() -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`python -m smsencode sandbox --port 0`, stopped (by its own pid) after the test."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "smsencode", "sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("smsencode sandbox listening on http://127.0.0.1:"), first
        yield proc, first.rsplit(" ", 1)[1].strip()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def test_python_m_smsencode_sandbox_serves_the_apis(
    sandbox_process: tuple[subprocess.Popen[str], str], transport: HttpxTransport
) -> None:
    proc, url = sandbox_process
    assert proc.stdout is not None
    listing = [proc.stdout.readline() for _ in DEFAULT_APPS]
    assert listing[0].split()[:2] == ["retarus", url + "/rest/v1"]
    assert "sandbox:sandbox" in listing[0]
    response = transport.handle_request(json_request("GET", url + "/rest/v1/version", None, AUTH))
    assert response.status == 200 and response.json()["majorVersion"] == 2015


def test_the_command_reports_a_port_in_use(sandbox: Sandbox) -> None:
    from smsencode import cli

    with open(os.devnull, "w") as devnull:
        assert cli.main(["sandbox", "--port", str(sandbox.port)], out=devnull) == 2


# -- the Retarus emulator, request by request ---------------------------------------------------------


def job(text: str = "Hello", **options: object) -> dict[str, object]:
    return {"options": options, "messages": [{"text": text, "recipients": [{"dst": NUMBER}]}]}


def test_retarus_needs_basic_auth(sandbox: Sandbox, transport: HttpxTransport, retarus: RetarusApp) -> None:
    for headers in (
        {},
        {"Authorization": basic_auth("sandbox", "wrong").reveal()},
        {"Authorization": "Bearer x"},
    ):
        response = call(transport, sandbox, "POST", "/rest/v1/jobs", job(), headers)
        assert response.status == 401 and response.body == b""
    assert retarus.accepted == []


@pytest.mark.parametrize(
    ("payload", "status", "words"),
    [
        ("not json", 400, "not JSON"),
        ([1, 2], 400, "JSON object"),
        (job(encoding="ASCII"), 400, "encoding"),
        (job(qos="SLOW"), 400, "qos"),
        (job(invalidCharacters="DROP"), 400, "invalidCharacters"),
        (job(flash="yes"), 400, "flash"),
        (job(validityMin="5"), 400, "validityMin"),
        (job(jobPeriod="monday"), 400, "jobPeriod"),
        (job(blackoutPeriods=["2018-09-24T13:00:00Z/2018-09-24T12:00:00Z"]), 400, "before the end"),
        ({"options": {}}, 422, "no messages"),
        ({"messages": [{"text": "", "recipients": [{"dst": NUMBER}]}]}, 422, "text"),
        ({"messages": [{"text": "x", "recipients": []}]}, 422, "no recipients"),
        ({"messages": [{"text": "x", "recipients": [{"customerRef": "a"}]}]}, 422, "dst"),
        (job("ça", invalidCharacters="REFUSE"), 422, "'ç' at 0"),
        (job("x" * 256 * 153), 422, "255"),
        ({"messages": [{"text": "x", "recipients": [{"dst": NUMBER}] * 3001}]}, 422, "3001 SMS"),
    ],
)
def test_retarus_refuses_with_the_documented_codes(
    sandbox: Sandbox, transport: HttpxTransport, retarus: RetarusApp, payload: object, status: int, words: str
) -> None:
    if isinstance(payload, str):
        request = HttpRequest("POST", sandbox.url + "/rest/v1/jobs", AUTH, payload.encode())
        response = transport.handle_request(request)
    else:
        response = call(transport, sandbox, "POST", "/rest/v1/jobs", payload)
    assert response.status == status
    body = response.json()
    assert body["code"] == status and words in body["message"] + body.get("details", "")
    assert retarus.accepted == []


def test_retarus_clamps_validity_and_max_parts_and_cuts_the_text(
    sandbox: Sandbox, transport: HttpxTransport, retarus: RetarusApp
) -> None:
    """Out-of-range validityMin/maxParts are clamped (manual), and maxParts cuts the text."""
    created = call(
        transport, sandbox, "POST", "/rest/v1/jobs", job("z" * (153 * 25), validityMin=1, maxParts=50)
    )
    assert created.status == 201
    job_id = created.json()["jobId"]
    report = call(transport, sandbox, "GET", f"/rest/v1/jobs/{job_id}").json()
    assert report["validityMin"] == 5
    (sms,) = retarus.accepted
    assert sms.parts == 20 and len(sms.text) == 153 * 20
    capped = call(
        transport, sandbox, "POST", "/rest/v1/jobs", job("short", validityMin=9999, maxParts=0)
    ).json()
    assert call(transport, sandbox, "GET", f"/rest/v1/jobs/{capped['jobId']}").json()["validityMin"] == 2880


def test_retarus_duplicate_detection_window(
    sandbox: Sandbox, transport: HttpxTransport, retarus: RetarusApp, clock: ManualClock
) -> None:
    """Identical JSON data within 10 minutes is a 409; key order does not matter; after the window
    the same job is accepted again; without duplicateDetection nothing is compared."""
    a = {"options": {"duplicateDetection": True, "src": "Shop"}, "messages": job()["messages"]}
    b = {"messages": job()["messages"], "options": {"src": "Shop", "duplicateDetection": True}}
    assert call(transport, sandbox, "POST", "/rest/v1/jobs", a).status == 201
    conflict = call(transport, sandbox, "POST", "/rest/v1/jobs", b)
    assert conflict.status == 409 and conflict.json()["code"] == 409
    clock.advance(599)
    assert call(transport, sandbox, "POST", "/rest/v1/jobs", a).status == 409
    clock.advance(2)
    assert call(transport, sandbox, "POST", "/rest/v1/jobs", a).status == 201
    plain = job()
    assert [call(transport, sandbox, "POST", "/rest/v1/jobs", plain).status for _ in range(2)] == [201, 201]
    assert len(retarus.accepted) == 4


def test_retarus_data_centres_know_only_their_own_jobs(
    sandbox: Sandbox, transport: HttpxTransport, retarus: RetarusApp
) -> None:
    job_id = call(transport, sandbox, "POST", "/retarus-de1/rest/v1/jobs", job()).json()["jobId"]
    assert retarus.job_centre(job_id) == "de1"
    assert call(transport, sandbox, "GET", f"/retarus-de1/rest/v1/jobs/{job_id}").status == 200
    assert call(transport, sandbox, "GET", f"/retarus-de2/rest/v1/jobs/{job_id}").status == 404
    assert call(transport, sandbox, "GET", f"/retarus-de2/rest/v1/sms?jobId={job_id}").status == 404
    assert call(transport, sandbox, "GET", f"/rest/v1/sms?jobId={job_id}").status == 200


def test_retarus_reports_follow_the_documented_shapes(
    sandbox: Sandbox, transport: HttpxTransport, clock: ManualClock
) -> None:
    payload = job("Hi", src="Shop", statusRequested=True, customerRef="C1", qos="express", encoding="utf-16")
    job_id = call(transport, sandbox, "POST", "/rest/v1/jobs", payload).json()["jobId"]
    report = call(transport, sandbox, "GET", f"/rest/v1/jobs/{job_id}").json()
    assert list(report) == [
        "jobId",
        "src",
        "encoding",
        "statusRequested",
        "customerRef",
        "qos",
        "receiptTs",
        "recipientIds",
    ]
    assert (report["encoding"], report["qos"]) == ("utf-16", "EXPRESS")
    clock.advance(10)
    (recipient,) = call(transport, sandbox, "GET", f"/rest/v1/sms?jobId={job_id}").json()
    assert list(recipient) == [
        "smsId", "dst", "processStatus", "status", "customerRef", "reason", "sentTs", "finishedTs",
    ]  # fmt: skip
    assert (recipient["processStatus"], recipient["status"], recipient["customerRef"]) == (
        "DONE",
        "SUC_FIN",
        NUMBER,
    )
    assert (
        recipient["smsId"].startswith("S.")
        and "finishedTs" in call(transport, sandbox, "GET", f"/rest/v1/jobs/{job_id}").json()
    )


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("jobIdsOnly=false", "jobIdsOnly"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=ten", "integer"),
        ("offset=-1", "offset"),
        ("open=maybe", "open"),
        ("fromTs=2024-01-01T00:00:00Z&toTs=2024-02-01T00:00:00Z", "30 days"),
        ("fromTs=2024-01-02T00:00:00Z&toTs=2024-01-01T00:00:00Z", "after fromTs"),
        ("fromTs=yesterday", "fromTs"),
    ],
)
def test_retarus_list_parameters_are_checked(
    sandbox: Sandbox, transport: HttpxTransport, query: str, words: str
) -> None:
    response = call(transport, sandbox, "GET", f"/rest/v1/jobs?{query}")
    assert response.status == 400
    body = response.json()
    assert words in body["message"] + body.get("details", "")


def test_retarus_other_paths_and_methods(sandbox: Sandbox, transport: HttpxTransport) -> None:
    assert call(transport, sandbox, "DELETE", "/rest/v1/jobs").status == 405
    assert call(transport, sandbox, "GET", "/rest/v1/faxes").status == 404
    assert call(transport, sandbox, "GET", "/rest/v1/sms").status == 400
    assert (
        call(transport, sandbox, "GET", "/rest/v1/jobs/J.20180924-131731.737-0iey4kxqyTQCQDIFN1").status
        == 404
    )
    version = call(transport, sandbox, "GET", "/rest/v1/version").json()
    assert set(version) == {
        "buildNumber",
        "buildTimestamp",
        "majorVersion",
        "minorVersion",
        "versionInfo",
        "message",
    }


def test_retarus_rate_limit_answers_429_with_optional_retry_after(transport: HttpxTransport) -> None:
    clock = ManualClock()
    with Sandbox(apps=[RetarusApp(clock, rate_limit=1, retry_after=True)], clock=clock) as sb:
        assert call(transport, sb, "GET", "/rest/v1/version").status == 200
        limited = call(transport, sb, "GET", "/rest/v1/version")
        assert (limited.status, limited.body, limited.header("retry-after")) == (429, b"", "10")
        clock.advance(10)
        assert call(transport, sb, "GET", "/rest/v1/version").status == 200


def test_retarus_accepts_the_manual_example_verbatim(
    sandbox: Sandbox, transport: HttpxTransport, retarus: RetarusApp
) -> None:
    """The manual's example request (lower-case "utf-16" included) creates a 5-recipient job."""
    example = json.loads(
        """{"options":{"src":"retarusREST","encoding":"utf-16","billcode":"Billingcode","statusRequested":true,
        "flash":false,"customerRef":"JOBREF.000001","validityMin":5,"maxParts":2,
        "invalidCharacters":"TRANSLITERATE",
        "qos":"EXPRESS","jobPeriod":"2018-09-24T11:00:00.000+02:00","duplicateDetection":false,
        "blackoutPeriods":["2018-09-24T12:00:00.000+02:00/2018-09-24T13:00:00.000+02:00"]},
        "messages":[{"text":"Hello Germany...","recipients":[
        {"dst":"+4917615500001","customerRef":"RECIREF.001"},
        {"dst":"+4917500001","customerRef":"RECIREF.002"}]},{"text":"Hello USA...","recipients":[
        {"dst":"+17615500002","customerRef":"RECIREF.003"},{"dst":"+17500002","customerRef":"RECIREF.004"},
        {"dst":"+17500003","customerRef":"RECIREF.005"}]}]}"""
    )
    response = call(transport, sandbox, "POST", "/rest/v1/jobs", example)
    assert response.status == 201 and response.json()["jobId"].startswith("J.")
    assert [s.customer_ref for s in retarus.accepted] == [f"RECIREF.00{i}" for i in range(1, 6)]
