"""Emulator of the Retarus SMS4A REST API v1, as documented.

Paths (under the sandbox URL):

- ``/rest/v1/...``: the HA endpoint. Jobs sent here land alternately in de2 and de1; reads here
  see both data centres.
- ``/retarus-de1/rest/v1/...`` and ``/retarus-de2/rest/v1/...``: one data centre each. A job is
  only known to the centre that accepted it, so reads answer 404 from the other one, as on the
  real service.

Operations: ``POST /jobs``, ``GET /jobs``, ``GET /jobs/{jobId}``, ``GET /sms?jobId=``,
``GET /version``. Credentials (HTTP Basic): ``sandbox`` / ``sandbox`` unless ``users=`` says
otherwise; anything else gets 401 with no content.

What it checks and answers:

- 400 ``{code, message, details}``: not JSON, a wrong type, an unknown ``encoding``, ``qos``
  or ``invalidCharacters``, a malformed ``jobPeriod`` or blackout period; for ``GET /jobs`` a
  bad interval (over 30 days, reversed), ``limit`` outside 1..1000, ``jobIdsOnly`` not true.
- 422: no messages, a message without text or recipients, more than 3000 SMS in one job, or
  characters outside GSM-7 under ``invalidCharacters: REFUSE`` with ``STANDARD``.
- 409: ``duplicateDetection`` on and the same JSON data received in the last 10 minutes.
- 429: more than ``rate_limit`` requests in 10 seconds per user (off unless configured).
- ``validityMin`` and ``maxParts`` out of range are clamped, and text beyond ``maxParts`` is
  cut, as the manual says. Parts are counted with :func:`smsencode.segment`.

Statuses move with the sandbox clock, from each SMS's due time (receipt, or ``jobPeriod``,
pushed to the end of a blackout period it falls in; periods under an hour count as an hour):
``OPEN`` until ``step`` seconds later, then ``DONE``/``SUC_ACC`` (or ``RUNNING`` and, one more
step later, ``DONE``/``SUC_FIN`` with ``statusRequested``). Numbers ending in these digits
take another path, to exercise failure handling:

============  ==========================================================
``...99999``  ``DONE``/``INVALID_DST`` (never sent)
``...99998``  ``DONE``/``BLOCKED``
``...99997``  ``DONE``/``FAILED_FIN`` with statusRequested, else ``SUC_ACC``
``...99996``  ``DONE``/``SEND_ERR`` (Retarus: "in most cases, the SMS has arrived anyway")
============  ==========================================================
"""

from __future__ import annotations

import itertools
import json
import re
import secrets
import string
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from smsencode.errors import InvalidCharactersError, SmsEncodeError
from smsencode.options import Encoding
from smsencode.providers._http import HttpRequest, HttpResponse
from smsencode.providers._validate import parse_iso8601
from smsencode.providers.sandbox._server import RateLimiter, empty_response, json_response, parse_basic_auth
from smsencode.segment import segment

__all__ = ["AcceptedSms", "RetarusApp", "create_app"]

HA_PREFIX = "/rest/v1"
CENTRE_PREFIXES = {"de1": "/retarus-de1/rest/v1", "de2": "/retarus-de2/rest/v1"}
MAX_SMS_PER_JOB = 3000
DUPLICATE_WINDOW = 600.0
RATE_WINDOW = 10.0
VALIDITY_RANGE = (5, 2880)
MAX_PARTS_RANGE = (1, 20)
LIST_MAX = timedelta(days=30)

_ENCODINGS = {"STANDARD": "standard", "UTF-16": "utf-16"}
_POLICIES = ("REFUSE", "REPLACE", "TO_UTF16", "TRANSLITERATE")
_QOS = ("EXPRESS", "NORMAL")
_ID_CHARS = string.ascii_letters + string.digits

#: Final status by the last digits of the number (see the module docstring).
_MAGIC = {"99999": "INVALID_DST", "99998": "BLOCKED", "99997": "FAILED_FIN", "99996": "SEND_ERR"}
_REASONS = {
    "SUC_ACC": "Accepted.",
    "SUC_FIN": "Delivered to destination.",
    "INVALID_DST": "Invalid destination number.",
    "BLOCKED": "Destination is blocklisted.",
    "FAILED_FIN": "message_state:UNDELIVERABLE (Final) (Message is undeliverable.)",
    "SEND_ERR": "Internal error while sending.",
}

_REPORT_ORDER = ("smsId", "dst", "processStatus", "status", "customerRef", "reason", "sentTs", "finishedTs")

VERSION = {
    "buildNumber": 1,
    "buildTimestamp": "2026-01-01 00:00:00 +0000",
    "majorVersion": 2015,
    "minorVersion": 10,
    "versionInfo": "REST Interface (smsencode sandbox)",
    "message": "Emulator of the Retarus SMS4A REST API v1.",
}


class _BadRequestError(Exception):
    """A request the emulator refuses: status and the documented error body."""

    def __init__(self, status: int, message: str, details: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details

    def response(self) -> HttpResponse:
        body: dict[str, Any] = {"code": self.status, "message": self.message}
        if self.details:
            body["details"] = self.details
        return json_response(self.status, body)


@dataclass
class AcceptedSms:
    """One SMS the emulator accepted: what a test inspects to prove nothing was sent twice."""

    job_id: str
    sms_id: str
    dst: str
    customer_ref: str
    job_customer_ref: str | None
    text: str
    encoding: Encoding
    parts: int
    due: float
    blackout: tuple[tuple[float, float], ...] = ()


@dataclass
class _Job:
    job_id: str
    centre: str
    user: str
    options: Mapping[str, Any]
    receipt: float
    sms: list[AcceptedSms] = field(default_factory=list)


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="milliseconds")


def _stamp(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y%m%d-%H%M%S.%f")[:-3]


def _parse_ts(value: object, what: str) -> float:
    parsed = parse_iso8601(value) if isinstance(value, str) else None
    if parsed is None:
        raise _BadRequestError(400, f"Invalid {what}", f"{what} must be an ISO-8601 timestamp, got {value!r}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def _parse_periods(value: object, what: str) -> tuple[tuple[float, float], ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _BadRequestError(400, f"Invalid {what}", f"{what} must be an array of 'start/end' intervals")
    out = []
    for item in value:
        if not isinstance(item, str) or item.count("/") != 1:
            raise _BadRequestError(
                400, f"Invalid {what}", f"{item!r} is not an ISO-8601 interval 'start/end'"
            )
        a, b = (_parse_ts(x, what) for x in item.split("/"))
        if not a < b:
            raise _BadRequestError(400, f"Invalid {what}", f"{item!r}: the start must be before the end")
        out.append((a, max(b, a + 3600.0)))  # "periods under one hour are expanded to one hour"
    return tuple(out)


def _shift_out_of(due: float, periods: tuple[tuple[float, float], ...]) -> float:
    moved = True
    while moved:  # the end of one period may fall inside another
        moved = False
        for a, b in periods:
            if a <= due < b:
                due, moved = b, True
    return due


def _clamp(value: object, lo: int, hi: int, what: str, zero_ok: bool = False) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _BadRequestError(400, f"Invalid {what}", f"{what} must be an integer")
    if zero_ok and value == 0:
        return 0
    return min(max(value, lo), hi)


def _choice(value: object, choices: tuple[str, ...], what: str, default: str | None) -> str | None:
    if value is None:
        return default
    if isinstance(value, str) and value.upper() in choices:
        return value.upper()
    raise _BadRequestError(
        400, f"Invalid {what}", f"{what} must be one of {', '.join(choices)}, got {value!r}"
    )


def _bool(value: object, what: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise _BadRequestError(400, f"Invalid {what}", f"{what} must be true or false")


class RetarusApp:
    """The Retarus SMS4A emulator (see the module docstring for its behaviour).

    Args:
        clock: Seconds since the epoch (the sandbox's clock).
        users: Accepted ``{username: password}``.
        step: Seconds between status changes of an SMS.
        rate_limit: Requests allowed per user in 10 seconds; ``None`` never answers 429.
        retry_after: Send ``Retry-After`` with 429 (Retarus documents none, so off by default).
    """

    name = "retarus"
    base_path = HA_PREFIX

    def __init__(
        self,
        clock: Callable[[], float] = time.time,
        *,
        users: Mapping[str, str] | None = None,
        step: float = 5.0,
        rate_limit: int | None = None,
        retry_after: bool = False,
    ) -> None:
        self.clock = clock
        self.users = dict(users if users is not None else {"sandbox": "sandbox"})
        self.step = step
        self.retry_after = retry_after
        self.limiter = RateLimiter(rate_limit, RATE_WINDOW, clock)
        self._lock = threading.Lock()
        self._jobs: dict[str, _Job] = {}
        self._recent: dict[tuple[str, str], tuple[float, str]] = {}  # (user, data) -> (time, jobId)
        self._next_centre = itertools.cycle(("de2", "de1"))
        self._serial = itertools.count(1)
        #: Every POST /jobs the emulator received, accepted or not: (user, status).
        self.received: list[tuple[str, int]] = []

    # -- inspection, for tests and users -----------------------------------------------------------

    @property
    def accepted(self) -> list[AcceptedSms]:
        """Every SMS accepted so far, in order."""
        with self._lock:
            return [sms for job in self._jobs.values() for sms in job.sms]

    @property
    def login_hint(self) -> str:
        """The accepted logins, as printed by ``smsencode sandbox``."""
        return "HTTP Basic " + ", ".join(f"{u}:{p}" for u, p in self.users.items())

    def job_centre(self, job_id: str) -> str | None:
        """Which data centre (``"de1"``/``"de2"``) holds *job_id*."""
        with self._lock:
            job = self._jobs.get(job_id)
            return job.centre if job else None

    # -- dispatch --------------------------------------------------------------------------------

    def handle(self, request: HttpRequest) -> HttpResponse | None:
        """Answer a request under one of the Retarus paths; ``None`` for any other path."""
        path = request.path
        centre: str | None = None
        rest: str | None = None
        if path == HA_PREFIX or path.startswith(HA_PREFIX + "/"):
            rest = path[len(HA_PREFIX) :]
        else:
            for name, prefix in CENTRE_PREFIXES.items():
                if path == prefix or path.startswith(prefix + "/"):
                    centre, rest = name, path[len(prefix) :]
        if rest is None:
            return None
        user = self._authenticate(request)
        if user is None:
            return empty_response(401, {"WWW-Authenticate": 'Basic realm="sms4a"'})
        wait = self.limiter.hit(user)
        if wait is not None:
            headers = {"Retry-After": str(max(1, round(wait)))} if self.retry_after else None
            return empty_response(429, headers)
        try:
            return self._route(request, rest.rstrip("/") or "/", centre, user)
        except _BadRequestError as bad:
            return bad.response()

    def _authenticate(self, request: HttpRequest) -> str | None:
        creds = parse_basic_auth(request)
        if creds is None:
            return None
        user, password = creds
        expected = self.users.get(user)
        if expected is None or not secrets.compare_digest(expected.encode(), password.encode()):
            return None
        return user

    def _route(self, request: HttpRequest, rest: str, centre: str | None, user: str) -> HttpResponse:
        method = request.method
        if rest == "/jobs" and method == "POST":
            return self._create(request, centre, user)
        if rest == "/jobs" and method == "GET":
            return self._list(request, centre, user)
        if rest.startswith("/jobs/") and method == "GET":
            return self._report(rest[len("/jobs/") :], centre, user)
        if rest == "/sms" and method == "GET":
            return self._recipients(request, centre, user)
        if rest == "/version" and method == "GET":
            return json_response(200, VERSION)
        if rest in ("/jobs", "/sms", "/version") or rest.startswith("/jobs/"):
            return json_response(405, {"code": 405, "message": f"{method} is not allowed on {rest}"})
        return json_response(404, {"code": 404, "message": f"no resource {rest}"})

    # -- POST /jobs ----------------------------------------------------------------------------------

    def _create(self, request: HttpRequest, centre: str | None, user: str) -> HttpResponse:
        try:
            data = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            self.received.append((user, 400))
            raise _BadRequestError(400, "Invalid JobRequest-data", f"the body is not JSON: {exc}") from None
        try:
            job = self._check_job(data)
        except _BadRequestError as bad:
            self.received.append((user, bad.status))
            raise
        now = self.clock()
        key = (user, json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")))
        with self._lock:
            if job["options"].get("duplicateDetection"):
                seen = self._recent.get(key)
                if seen is not None and now - seen[0] < DUPLICATE_WINDOW:
                    self.received.append((user, 409))
                    return json_response(
                        409,
                        {
                            "code": 409,
                            "message": f"Duplicate job: identical to {seen[1]} (duplicate detection)",
                        },
                    )
            job_id = self._new_id("J", now)
            where = centre or next(self._next_centre)
            record = _Job(job_id, where, user, job["options"], now)
            for _text, recipients, seg in job["messages"]:
                for r in recipients:
                    sms_id = self._new_id("S", now)
                    record.sms.append(
                        AcceptedSms(
                            job_id=job_id,
                            sms_id=sms_id,
                            dst=r["dst"],
                            customer_ref=r.get("customerRef") or r["dst"],
                            job_customer_ref=job["options"].get("customerRef"),
                            text=seg.text,
                            encoding=seg.encoding,
                            parts=seg.part_count,
                            due=_shift_out_of(max(now, job["start"]), r["blackout"]),
                            blackout=r["blackout"],
                        )
                    )
            self._jobs[job_id] = record
            if job["options"].get("duplicateDetection"):
                if len(self._recent) > 1000:  # forget what the window no longer covers
                    self._recent = {k: v for k, v in self._recent.items() if now - v[0] < DUPLICATE_WINDOW}
                self._recent[key] = (now, job_id)
            self.received.append((user, 201))
        return json_response(201, {"jobId": job_id})

    def _new_id(self, kind: str, now: float) -> str:
        # Matches the documented shape J.20221116-102407.583-0lajfsfmoXIZJO93PQ (18 characters of
        # random tail), with a serial folded in so IDs never collide within one sandbox.
        tail = f"{next(self._serial):06d}" + "".join(secrets.choice(_ID_CHARS) for _ in range(12))
        return f"{kind}.{_stamp(now)}-{tail}"

    def _check_job(self, data: object) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise _BadRequestError(400, "Invalid JobRequest-data", "the body must be a JSON object")
        options = data.get("options") or {}
        if not isinstance(options, dict):
            raise _BadRequestError(400, "Invalid JobRequest-data", "options must be an object")
        encoding = _choice(options.get("encoding"), tuple(_ENCODINGS), "encoding", "STANDARD") or "STANDARD"
        policy = (
            _choice(options.get("invalidCharacters"), _POLICIES, "invalidCharacters", "TO_UTF16")
            or "TO_UTF16"
        )
        qos = _choice(options.get("qos"), _QOS, "qos", None)
        for name in ("statusRequested", "flash", "duplicateDetection"):
            _bool(options.get(name), name)
        for name in ("src", "billcode", "customerRef"):
            if options.get(name) is not None and not isinstance(options[name], str):
                raise _BadRequestError(400, f"Invalid {name}", f"{name} must be a string")
        validity = _clamp(options.get("validityMin"), *VALIDITY_RANGE, "validityMin", zero_ok=True)
        max_parts = _clamp(options.get("maxParts"), *MAX_PARTS_RANGE, "maxParts")
        start = _parse_ts(options["jobPeriod"], "jobPeriod") if options.get("jobPeriod") is not None else 0.0
        job_blackout = _parse_periods(options.get("blackoutPeriods"), "blackoutPeriods")

        messages = data.get("messages")
        if not isinstance(messages, list) or not messages:
            raise _BadRequestError(422, "Invalid JobRequest-data", "no messages")
        checked = []
        total = 0
        for i, msg in enumerate(messages):
            if not isinstance(msg, dict):
                raise _BadRequestError(422, "Invalid JobRequest-data", f"messages[{i}] must be an object")
            text, recipients = msg.get("text"), msg.get("recipients")
            if not isinstance(text, str) or not text:
                raise _BadRequestError(
                    422, "Invalid JobRequest-data", f"messages[{i}].text is missing or empty"
                )
            if not isinstance(recipients, list) or not recipients:
                raise _BadRequestError(422, "Invalid JobRequest-data", f"messages[{i}] has no recipients")
            recips = []
            for j, r in enumerate(recipients):
                if not isinstance(r, dict) or not isinstance(r.get("dst"), str) or not r["dst"]:
                    raise _BadRequestError(
                        422, "Invalid JobRequest-data", f"messages[{i}].recipients[{j}].dst is missing"
                    )
                periods = _parse_periods(r.get("blackoutPeriods"), "blackoutPeriods")
                recips.append({**r, "blackout": periods or job_blackout})
            total += len(recips)
            try:
                seg = segment(text, encoding=encoding, invalid_characters=policy, max_parts=max_parts)
            except InvalidCharactersError as exc:
                shown = ", ".join(f"{c!r} at {k}" for k, c in exc.characters[:10])
                raise _BadRequestError(422, "Invalid characters", f"messages[{i}].text: {shown}") from None
            except SmsEncodeError as exc:
                raise _BadRequestError(422, "Invalid JobRequest-data", f"messages[{i}].text: {exc}") from None
            checked.append((text, recips, seg))
        if total > MAX_SMS_PER_JOB:
            raise _BadRequestError(
                422, "Invalid JobRequest-data", f"{total} SMS in one job; at most {MAX_SMS_PER_JOB}"
            )
        recorded = {
            k: v
            for k, v in options.items()
            if k not in ("encoding", "invalidCharacters", "qos", "validityMin", "maxParts")
        }
        recorded.update(
            encoding=_ENCODINGS[encoding or "STANDARD"],
            invalidCharacters=policy,
            qos=qos,
            validityMin=validity,
            maxParts=max_parts,
        )
        return {"options": recorded, "messages": checked, "start": start}

    # -- reads ---------------------------------------------------------------------------------------

    def _visible(self, centre: str | None, user: str) -> list[_Job]:
        with self._lock:
            return [
                j for j in self._jobs.values() if j.user == user and (centre is None or j.centre == centre)
            ]

    def _find(self, job_id: str, centre: str | None, user: str) -> _Job | None:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or job.user != user or (centre is not None and job.centre != centre):
            return None
        return job

    def _list(self, request: HttpRequest, centre: str | None, user: str) -> HttpResponse:
        q = {k: v[-1] for k, v in request.query.items()}
        if q.get("jobIdsOnly", "true").lower() != "true":
            raise _BadRequestError(
                400, "Invalid request-parameter", "jobIdsOnly must currently always be true"
            )
        now = self.clock()
        to_ts = _parse_ts(q["toTs"], "toTs") if "toTs" in q else now
        from_ts = _parse_ts(q["fromTs"], "fromTs") if "fromTs" in q else to_ts - LIST_MAX.total_seconds()
        if not from_ts < to_ts:
            raise _BadRequestError(400, "Invalid request-parameter", "toTs must be after fromTs")
        if to_ts - from_ts > LIST_MAX.total_seconds():
            raise _BadRequestError(
                400, "Invalid request-parameter", "fromTs may be at most 30 days before toTs"
            )
        limit = self._int_param(q, "limit", 100)
        offset = self._int_param(q, "offset", 0)
        if not 0 < limit <= 1000:
            raise _BadRequestError(400, "Invalid request-parameter", "0 < limit <= 1000")
        if offset < 0:
            raise _BadRequestError(400, "Invalid request-parameter", "offset must not be negative")
        open_q = q.get("open", "").lower()
        if open_q not in ("", "true", "false"):
            raise _BadRequestError(400, "Invalid request-parameter", "open must be true or false")
        jobs = [j for j in self._visible(centre, user) if from_ts <= j.receipt <= to_ts]
        if open_q:
            want_open = open_q == "true"
            jobs = [j for j in jobs if (self._finished(j, now) is None) == want_open]
        jobs.sort(key=lambda j: j.receipt)
        return json_response(200, [{"jobId": j.job_id} for j in jobs[offset : offset + limit]])

    @staticmethod
    def _int_param(q: Mapping[str, str], name: str, default: int) -> int:
        if name not in q:
            return default
        if not re.fullmatch(r"-?\d+", q[name]):
            raise _BadRequestError(400, "Invalid request-parameter", f"{name} must be an integer")
        return int(q[name])

    def _status(self, job: _Job, sms: AcceptedSms, now: float) -> dict[str, Any]:
        """The RecipientReport of *sms* at time *now*, fields in the documented order."""
        report = self._status_fields(job, sms, now)
        return {k: report[k] for k in _REPORT_ORDER if k in report}

    def _status_fields(self, job: _Job, sms: AcceptedSms, now: float) -> dict[str, Any]:
        report: dict[str, Any] = {
            "smsId": sms.sms_id,
            "dst": sms.dst,
            "processStatus": "OPEN",
            "customerRef": sms.customer_ref,
        }
        sent = sms.due + self.step
        if now < sent:
            return report
        wants_dlr = bool(job.options.get("statusRequested"))
        final = next((v for k, v in _MAGIC.items() if sms.dst.endswith(k)), None)
        if final == "FAILED_FIN" and not wants_dlr:
            final = None
        if final in ("INVALID_DST", "BLOCKED", "SEND_ERR"):
            report.update(processStatus="DONE", status=final, reason=_REASONS[final], finishedTs=_iso(sent))
            if final == "SEND_ERR":
                report["sentTs"] = _iso(sent)
            return report
        report["sentTs"] = _iso(sent)
        if not wants_dlr:
            report.update(
                processStatus="DONE", status="SUC_ACC", reason=_REASONS["SUC_ACC"], finishedTs=_iso(sent)
            )
            return report
        if now < sent + self.step:
            report.update(processStatus="RUNNING")
            return report
        final = final or "SUC_FIN"
        report.update(
            processStatus="DONE", status=final, reason=_REASONS[final], finishedTs=_iso(sent + self.step)
        )
        return report

    def _finished(self, job: _Job, now: float) -> str | None:
        reports = [self._status(job, s, now) for s in job.sms]
        if all(r["processStatus"] == "DONE" for r in reports):
            return str(max(r["finishedTs"] for r in reports))
        return None

    def _report(self, job_id: str, centre: str | None, user: str) -> HttpResponse:
        if not job_id:
            raise _BadRequestError(400, "No job-id given")
        job = self._find(job_id, centre, user)
        if job is None:
            return json_response(404, {"code": 404, "message": f"job {job_id} not found"})
        o = job.options
        body: dict[str, Any] = {"jobId": job.job_id}
        for key in (
            "src",
            "encoding",
            "billcode",
            "statusRequested",
            "flash",
            "validityMin",
            "customerRef",
            "qos",
        ):
            if o.get(key) is not None:
                body[key] = o[key]
        body["receiptTs"] = _iso(job.receipt)
        finished = self._finished(job, self.clock())
        if finished is not None:
            body["finishedTs"] = finished
        body["recipientIds"] = [s.sms_id for s in job.sms]
        return json_response(200, body)

    def _recipients(self, request: HttpRequest, centre: str | None, user: str) -> HttpResponse:
        job_id = (request.query.get("jobId") or [""])[-1]
        if not job_id:
            raise _BadRequestError(400, "No job-id given")
        job = self._find(job_id, centre, user)
        if job is None:
            return json_response(404, {"code": 404, "message": f"job {job_id} not found"})
        now = self.clock()
        return json_response(200, [self._status(job, s, now) for s in job.sms])


def create_app(clock: Callable[[], float]) -> RetarusApp:
    """The Retarus app of the default sandbox."""
    return RetarusApp(clock)
