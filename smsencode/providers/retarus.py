"""Retarus SMS for Applications (SMS4A) REST API v1: checked, previewed and never-doubled sends.

>>> job = Job([Message("Your code is 481516", ["+4917612345678"])], JobOptions(src="Example"))
>>> p = preview(job)
>>> p.messages[0].encoding.value, p.total_parts
('GSM7', 1)

The pure layer builds and reads HTTP exchanges (:func:`prepare_job`, :func:`build_request`,
:func:`parse_response` and the per-operation functions they dispatch to); :class:`RetarusClient`
and :class:`AsyncRetarusClient` run them over a transport.

What the client does beyond passing JSON through, and why:

- **Segments before sending**, with exactly the job's ``encoding``, ``invalidCharacters`` and
  ``maxParts``, and checks every documented limit locally (sender format, E.164 numbers,
  3000 recipients per job, billcode <= 70 and customerRef <= 64 characters, validityMin 0 or
  5..2880, maxParts 1..20, ISO 8601 jobPeriod and blackout periods). A
  :class:`~smsencode.providers.errors.ValidationError` names the field, the value and the rule.
- **Never lets Retarus truncate silently.** Without ``max_parts`` the job asks for as many
  parts as the longest message needs; with ``max_parts`` smaller than that, sending needs
  ``allow_truncation=True`` and the preview says what is cut.
- **Always states its semantics**: ``encoding`` (default ``STANDARD``) and ``invalidCharacters``
  (default ``TO_UTF16``) are always sent, so the preview and Retarus agree.
- **Never sends twice**: ``duplicateDetection`` is on and every job carries a unique
  ``customerRef`` (generated when not given), and the body is encoded once, so a retry is
  byte-identical and Retarus answers 409 if the first attempt got through. A 409 is read as
  "already accepted" and the job ID is recovered by listing jobs and matching the customerRef.
  Retries stop before the 10-minute duplicate window closes; a send whose outcome is still
  unknown raises :class:`~smsencode.providers.errors.UnknownOutcomeError`.
- **Reads both data centres**: sends go to the HA host, status reads try de2 then de1
  (a job lives in the one that accepted it); a 404 from one is not an error.
- **More than 3000 recipients** are refused, or split into several jobs with ``split=True``
  (customerRef gets ``.1``, ``.2``, ... so each stays unique); nothing is dropped.
"""

from __future__ import annotations

import asyncio
import functools
import re
import time
import urllib.parse
import uuid
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, TypeVar

from smsencode.options import Encoding, InvalidCharacters, parse_encoding
from smsencode.providers._http import (
    AsyncHttpxTransport,
    AsyncTransport,
    HttpRequest,
    HttpResponse,
    HttpxTransport,
    Secret,
    Transport,
    basic_auth,
    build_url,
    json_request,
)
from smsencode.providers._retry import (
    Verdict,
    async_call_with_retry,
    call_with_retry,
    exponential_backoff,
    parse_retry_after,
)
from smsencode.providers._validate import (
    check_bool,
    check_choice,
    check_e164,
    check_int_range,
    check_iso8601_interval,
    check_iso8601_timestamp,
    check_length,
    check_pattern,
    check_sender,
    parse_iso8601,
)
from smsencode.providers.errors import (
    AuthenticationError,
    InvalidResponseError,
    PartialSendError,
    ProviderError,
    RateLimitedError,
    RejectedError,
    UnknownOutcomeError,
    ValidationError,
)
from smsencode.providers.preview import MessagePreview, Preview, TariffLike, preview_message

__all__ = [
    "DATA_CENTRE_URLS",
    "DEFAULT_BASE_URL",
    "DUPLICATE_WINDOW",
    "MAX_PARTS",
    "MAX_RECIPIENTS",
    "AsyncRetarusClient",
    "Job",
    "JobOptions",
    "JobReceipt",
    "JobReport",
    "Message",
    "PreparedJob",
    "PreparedRequest",
    "Recipient",
    "RecipientReport",
    "RetarusClient",
    "SendReply",
    "SendResult",
    "VersionInfo",
    "build_get_job_request",
    "build_get_recipients_request",
    "build_list_jobs_request",
    "build_request",
    "build_send_request",
    "build_version_request",
    "parse_job_response",
    "parse_list_jobs_response",
    "parse_recipients_response",
    "parse_response",
    "parse_send_response",
    "parse_version_response",
    "prepare_job",
    "preview",
]

# -- documented facts ----------------------------------------------------------------------------

#: The HA endpoint, DNS-balanced over both data centres: only for sending.
DEFAULT_BASE_URL = "https://sms4a.eu.retarus.com/rest/v1"
#: Status reads go to each data centre in turn (primary de2, then de1).
DATA_CENTRE_URLS = ("https://sms4a.de2.retarus.com/rest/v1", "https://sms4a.de1.retarus.com/rest/v1")

#: "The total number of recipients is limited to 3000 per job."
MAX_RECIPIENTS = 3000
#: ``maxParts``: "Values must be between 1 and 20. Longer messages are truncated."
MAX_PARTS = 20
#: ``validityMin``: 0 (the provider's default) or 5..2880 minutes.
VALIDITY_MIN_RANGE = (5, 2880)
BILLCODE_MAX = 70
#: customerRef: "Recommended max. 64 characters" (job and recipient).
CUSTOMER_REF_MAX = 64
#: Duplicate detection compares requests received within this many seconds.
DUPLICATE_WINDOW = 600.0
#: 429 means "too many requests in the last 10 seconds": wait that long when no Retry-After comes.
RATE_LIMIT_WINDOW = 10.0
#: ``GET /jobs``: the interval fromTs..toTs is at most 30 days; 0 < limit <= 1000.
LIST_MAX_DAYS = 30
LIST_LIMIT_RANGE = (1, 1000)

ENCODINGS = ("STANDARD", "UTF-16")
POLICIES = ("REFUSE", "REPLACE", "TO_UTF16", "TRANSLITERATE")
QOS = ("EXPRESS", "NORMAL")
#: processStatus values after which a recipient's status no longer changes.
FINAL_PROCESS_STATUSES = frozenset({"DONE", "CANCELED", "KILL"})
SUCCESS_STATUSES = frozenset({"SUC_ACC", "SUC_FIN"})
#: Internal errors after which "in most cases, the SMS has arrived anyway": never resend.
DOUBTFUL_STATUSES = frozenset({"SEND_ERR", "STATUS_ERR"})

# Sender: (\+|)[0-9]{1,20} or [a-zA-Z0-9\x20\p{Punct}]{1,11}. The backtick of \p{Punct} is left
# out: it is not a GSM-7 character, so no handset could show it.
_SRC_ALPHA_CHAR = re.compile(r"[A-Za-z0-9 !\"#$%&'()*+,\-./:;<=>?@\[\\\]^_{|}~]")
_JOB_ID_RE = re.compile(r"J\..{18,38}")

_ENCODING_SPELLING = {Encoding.GSM7: "STANDARD", Encoding.UTF16: "UTF-16"}


# -- what a caller gives ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """One destination of a message.

    Attributes:
        dst: International number, ``+4917612345678`` (``0049...`` is accepted too).
        customer_ref: Your reference for this recipient (<= 64 characters); Retarus uses the
            number when it is not given.
        blackout_periods: ISO 8601 intervals ``start/end`` in which this recipient gets nothing;
            they replace the job's periods for this recipient.
    """

    dst: str
    customer_ref: str | None = None
    blackout_periods: Sequence[str] = ()


@dataclass(frozen=True)
class Message:
    """One text and who gets it (numbers as strings, or :class:`Recipient`)."""

    text: str
    recipients: Sequence[Recipient | str]


@dataclass(frozen=True)
class JobOptions:
    """The ``options`` of a job, named as in Python; each maps to the documented field.

    Attributes:
        src: Sender ID: up to 20 digits with an optional ``+``, or up to 11 letters, digits,
            spaces and ASCII punctuation.
        encoding: ``"STANDARD"`` (GSM-7) or ``"UTF-16"``; other spellings of
            :class:`~smsencode.Encoding` are accepted and sent as these.
        billcode: Billing information, <= 70 characters.
        status_requested: Ask for handset delivery notifications (final status SUC_FIN).
        flash: Flash SMS (shown at once, not stored; extra fee, not in every country).
        customer_ref: The job's reference, <= 64 characters; also the idempotency key, so it is
            generated when not given. Keep it unique per job.
        validity_min: Minutes the SMS stays valid: 0 (provider default) or 5..2880.
        max_parts: Parts per message, 1..20; when not given, the parts the longest message needs.
        invalid_characters: ``REFUSE`` (422 from Retarus, refused locally here), ``REPLACE``
            (blank), ``TO_UTF16`` (whole text as UTF-16, the default) or ``TRANSLITERATE``.
        qos: ``"EXPRESS"`` or ``"NORMAL"``.
        job_period: When to start: ISO 8601 with UTC offset, or an aware ``datetime``.
        duplicate_detection: Let Retarus refuse an identical job within 10 minutes (409).
            Keep it on: it is what makes a retry after a timeout safe.
        blackout_periods: ISO 8601 intervals ``start/end`` in which nothing is delivered;
            periods shorter than an hour are widened to an hour by Retarus.
    """

    src: str | None = None
    encoding: Encoding | str = "STANDARD"
    billcode: str | None = None
    status_requested: bool | None = None
    flash: bool | None = None
    customer_ref: str | None = None
    validity_min: int | None = None
    max_parts: int | None = None
    invalid_characters: InvalidCharacters | str = "TO_UTF16"
    qos: str | None = None
    job_period: str | datetime | None = None
    duplicate_detection: bool = True
    blackout_periods: Sequence[str] = ()


@dataclass(frozen=True)
class Job:
    """A job: messages (each a text for its recipients) and options for all of them."""

    messages: Sequence[Message]
    options: JobOptions = field(default_factory=JobOptions)


# -- what comes back --------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobReceipt:
    """One job Retarus accepted.

    ``duplicate`` is true when Retarus answered 409: an identical job (an earlier attempt of
    this send, or an earlier send of the same job) was already accepted, and ``job_id`` is that
    job's, found again by its ``customer_ref``.
    """

    job_id: str
    customer_ref: str
    recipients: tuple[str, ...]
    duplicate: bool = False


@dataclass(frozen=True)
class SendResult:
    """What :meth:`RetarusClient.send_job` did: the jobs (more than one when split) and the preview."""

    jobs: tuple[JobReceipt, ...]
    preview: Preview

    @property
    def job_id(self) -> str:
        """The ID of the first (usually the only) job."""
        return self.jobs[0].job_id

    @property
    def job_ids(self) -> tuple[str, ...]:
        """The IDs of every job."""
        return tuple(j.job_id for j in self.jobs)


@dataclass(frozen=True)
class SendReply:
    """A parsed ``POST /jobs`` answer: the job ID, or ``duplicate`` (409) without one."""

    job_id: str | None
    duplicate: bool = False


@dataclass(frozen=True)
class JobReport:
    """``GET /jobs/{jobId}``: the job's options as Retarus recorded them, and its SMS IDs."""

    job_id: str
    src: str | None
    encoding: str | None
    billcode: str | None
    status_requested: bool | None
    flash: bool | None
    validity_min: int | None
    customer_ref: str | None
    qos: str | None
    receipt_ts: str | None
    finished_ts: str | None
    recipient_ids: tuple[str, ...]
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def finished(self) -> bool:
        """Whether every SMS of the job has reached a final status."""
        return self.finished_ts is not None


@dataclass(frozen=True)
class RecipientReport:
    """``GET /sms?jobId=``: where one recipient's SMS stands.

    ``process_status`` is OPEN, RUNNING, DONE, CANCELED or KILL; ``status`` the detail
    (SUC_ACC, SUC_FIN, INVALID_DST, ...; ``None`` while there is none).
    """

    sms_id: str | None
    dst: str | None
    process_status: str | None
    status: str | None
    customer_ref: str | None
    reason: str | None
    sent_ts: str | None
    finished_ts: str | None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def final(self) -> bool:
        """Whether this status will not change any more."""
        return self.process_status in FINAL_PROCESS_STATUSES

    @property
    def outcome(self) -> Literal["pending", "delivered", "failed", "unknown"]:
        """``delivered`` (SUC_ACC/SUC_FIN), ``failed``, ``pending`` (not final), or ``unknown``
        for SEND_ERR/STATUS_ERR, which Retarus says usually arrived: do not resend those."""
        if not self.final:
            return "pending"
        if self.status in SUCCESS_STATUSES:
            return "delivered"
        if self.status in DOUBTFUL_STATUSES:
            return "unknown"
        return "failed"


@dataclass(frozen=True)
class VersionInfo:
    """``GET /version``."""

    build_number: int | None
    build_timestamp: str | None
    major_version: int | None
    minor_version: int | None
    version_info: str | None
    message: str | None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


# -- validation, segmentation and the job body --------------------------------------------------


@dataclass(frozen=True)
class PreparedRequest:
    """One ``POST /jobs`` body ready to send: the payload, its customerRef and recipients."""

    payload: Mapping[str, Any]
    customer_ref: str
    recipients: tuple[str, ...]
    duplicate_detection: bool


@dataclass(frozen=True)
class PreparedJob:
    """A checked job: the request bodies (one per job after splitting) and the preview."""

    requests: tuple[PreparedRequest, ...]
    preview: Preview


def _new_reference() -> str:
    return "smsencode-" + uuid.uuid4().hex


def _periods(field_name: str, periods: object) -> list[str]:
    if isinstance(periods, str) or not isinstance(periods, Sequence):
        raise ValidationError(field_name, periods, "must be a list of ISO 8601 intervals 'start/end'")
    return [check_iso8601_interval(f"{field_name}[{i}]", p) for i, p in enumerate(periods)]


def _short_periods(periods: Iterable[str]) -> bool:
    for p in periods:
        a, b = (parse_iso8601(x) for x in p.split("/"))
        if a is not None and b is not None and b - a < timedelta(hours=1):
            return True
    return False


def _options_payload(o: JobOptions, customer_ref: str, max_parts: int) -> dict[str, Any]:
    """The ``options`` object in the documented field order (the body must be the same bytes on
    every attempt, and insertion order is what fixes them)."""
    out: dict[str, Any] = {}
    if o.src is not None:
        out["src"] = check_sender(
            "options.src", o.src, numeric_max=20, alpha_max=11, alpha_chars=_SRC_ALPHA_CHAR, allow_plus=True
        )
    out["encoding"] = _ENCODING_SPELLING[_encoding(o.encoding)]
    if o.billcode is not None:
        out["billcode"] = check_length("options.billcode", o.billcode, max_len=BILLCODE_MAX)
    if o.status_requested is not None:
        out["statusRequested"] = check_bool("options.statusRequested", o.status_requested)
    if o.flash is not None:
        out["flash"] = check_bool("options.flash", o.flash)
    out["customerRef"] = check_length(
        "options.customerRef", customer_ref, min_len=1, max_len=CUSTOMER_REF_MAX
    )
    if o.validity_min is not None:
        out["validityMin"] = check_int_range(
            "options.validityMin", o.validity_min, *VALIDITY_MIN_RANGE, also=(0,)
        )
    out["maxParts"] = max_parts
    out["invalidCharacters"] = _policy(o.invalid_characters).value
    if o.qos is not None:
        out["qos"] = check_choice("options.qos", o.qos, QOS, fold_case=True)
    if o.job_period is not None:
        out["jobPeriod"] = check_iso8601_timestamp("options.jobPeriod", o.job_period)
    out["duplicateDetection"] = check_bool("options.duplicateDetection", o.duplicate_detection)
    if o.blackout_periods:
        out["blackoutPeriods"] = _periods("options.blackoutPeriods", o.blackout_periods)
    return out


def _encoding(value: object) -> Encoding:
    try:
        return parse_encoding(value)
    except (TypeError, ValueError):
        raise ValidationError("options.encoding", value, "must be 'STANDARD' or 'UTF-16'") from None


def _policy(value: object) -> InvalidCharacters:
    if isinstance(value, InvalidCharacters):
        return value
    found = check_choice("options.invalidCharacters", value, POLICIES, fold_case=True)
    return InvalidCharacters(found)


def _recipient(field_name: str, r: object) -> tuple[dict[str, Any], str]:
    if isinstance(r, str):
        r = Recipient(r)
    if not isinstance(r, Recipient):
        raise ValidationError(field_name, r, "must be a number string or a Recipient")
    out: dict[str, Any] = {"dst": check_e164(f"{field_name}.dst", r.dst)}
    if r.customer_ref is not None:
        out["customerRef"] = check_length(
            f"{field_name}.customerRef", r.customer_ref, min_len=1, max_len=CUSTOMER_REF_MAX
        )
    if r.blackout_periods:
        out["blackoutPeriods"] = _periods(f"{field_name}.blackoutPeriods", r.blackout_periods)
    return out, r.dst


def prepare_job(
    job: Job,
    *,
    tariff: TariffLike | None = None,
    allow_truncation: bool = False,
    split: bool = False,
    reference: Callable[[], str] = _new_reference,
) -> PreparedJob:
    """Check *job* against every documented limit, segment its texts and build the bodies.

    Nothing is sent. The result holds one :class:`PreparedRequest` per job to send (several
    when *split* breaks more than 3000 recipients into jobs of at most 3000) and the
    :class:`~smsencode.providers.preview.Preview`.

    Args:
        job: The job.
        tariff: Prices per part by destination, for the preview's cost.
        allow_truncation: Let ``max_parts`` cut a longer text (otherwise refused).
        split: Split more than 3000 recipients into several jobs instead of refusing.
        reference: Makes the customerRef of a job that has none (a unique string <= 64 chars).

    Raises:
        ValidationError: a field breaks a documented limit (field, value and rule named).
    """
    if not isinstance(job, Job):
        raise ValidationError("job", job, "must be a retarus.Job")
    opts = job.options
    messages = list(job.messages) if isinstance(job.messages, Sequence) else None
    if not messages:
        raise ValidationError("messages", job.messages, "a job needs at least one message")
    enc = _encoding(opts.encoding)
    policy = _policy(opts.invalid_characters)
    if opts.max_parts is not None:
        check_int_range("options.maxParts", opts.max_parts, 1, MAX_PARTS)

    notes: list[str] = []
    if policy is InvalidCharacters.TRANSLITERATE:
        notes.append("TRANSLITERATE is applied by Retarus; the preview uses smsencode's transliteration")
    bodies: list[tuple[str, list[dict[str, Any]], list[str]]] = []
    previews: list[MessagePreview] = []
    for i, msg in enumerate(messages):
        where = f"messages[{i}]"
        if not isinstance(msg, Message):
            raise ValidationError(where, msg, "must be a retarus.Message")
        if isinstance(msg.recipients, str) or not isinstance(msg.recipients, Sequence) or not msg.recipients:
            raise ValidationError(
                f"{where}.recipients", msg.recipients, "a message needs at least one recipient"
            )
        recipients = [_recipient(f"{where}.recipients[{j}]", r) for j, r in enumerate(msg.recipients)]
        if any("blackoutPeriods" in r for r, _ in recipients) and _short_periods(
            p for r, _ in recipients for p in r.get("blackoutPeriods", ())
        ):
            notes.append(f"{where}: blackout periods under one hour are widened to one hour by Retarus")
        dsts = [d for _, d in recipients]
        limit = opts.max_parts if opts.max_parts is not None else (MAX_PARTS if allow_truncation else None)
        previews.append(
            preview_message(
                i, msg.text, dsts, encoding=enc, invalid_characters=policy, max_parts=limit,
                tariff=tariff, field=f"{where}.text",
            )
        )  # fmt: skip
        bodies.append((msg.text, [r for r, _ in recipients], dsts))

    needed = max(p.parts_needed for p in previews)
    if needed > MAX_PARTS and not allow_truncation:
        worst = max(previews, key=lambda p: p.parts_needed)
        raise ValidationError(
            f"messages[{worst.index}].text",
            messages[worst.index].text,
            f"needs {needed} parts and Retarus sends at most {MAX_PARTS}: shorten it, or pass "
            "allow_truncation=True to have it cut",
        )
    if opts.max_parts is not None and any(p.truncated for p in previews) and not allow_truncation:
        worst = max(previews, key=lambda p: p.parts_needed)
        raise ValidationError(
            "options.maxParts",
            opts.max_parts,
            f"messages[{worst.index}] needs {worst.parts_needed} parts, so Retarus would cut it: "
            "raise maxParts, or pass allow_truncation=True to accept the cut the preview shows",
        )
    max_parts = (
        opts.max_parts if opts.max_parts is not None else min(max(p.parts for p in previews), MAX_PARTS)
    )
    if any(p.truncated for p in previews):
        notes.append("text beyond maxParts is cut: see each message's dropped text")
    if opts.blackout_periods and _short_periods(_periods("options.blackoutPeriods", opts.blackout_periods)):
        notes.append("job blackout periods under one hour are widened to one hour by Retarus")

    total = sum(len(d) for _, _, d in bodies)
    if total > MAX_RECIPIENTS and not split:
        raise ValidationError(
            "messages[].recipients",
            total,
            f"a job takes at most {MAX_RECIPIENTS} recipients in all: pass split=True to send "
            f"{-(-total // MAX_RECIPIENTS)} jobs, or send fewer",
        )
    chunks = _chunks(bodies, MAX_RECIPIENTS)
    base_ref = opts.customer_ref if opts.customer_ref is not None else reference()
    requests: list[PreparedRequest] = []
    for k, chunk in enumerate(chunks, 1):
        ref = base_ref if len(chunks) == 1 else f"{base_ref}.{k}"
        options = _options_payload(opts, ref, max_parts)
        payload = {
            "options": options,
            "messages": [{"text": text, "recipients": recips} for text, recips, _ in chunk],
        }
        chunk_dsts = tuple(d for _, _, ds in chunk for d in ds)
        requests.append(PreparedRequest(payload, ref, chunk_dsts, opts.duplicate_detection))
    return PreparedJob(tuple(requests), Preview("retarus", tuple(previews), len(requests), tuple(notes)))


def _chunks(
    bodies: list[tuple[str, list[dict[str, Any]], list[str]]], size: int
) -> list[list[tuple[str, list[dict[str, Any]], list[str]]]]:
    """Cut the recipients into jobs of at most *size*, keeping message order and grouping."""
    out: list[list[tuple[str, list[dict[str, Any]], list[str]]]] = [[]]
    room = size
    for text, recips, dsts in bodies:
        start = 0
        while start < len(recips):
            if room == 0:
                out.append([])
                room = size
            take = min(room, len(recips) - start)
            out[-1].append((text, recips[start : start + take], dsts[start : start + take]))
            start += take
            room -= take
    return out


def preview(
    job: Job, *, tariff: TariffLike | None = None, allow_truncation: bool = False, split: bool = False
) -> Preview:
    """What sending *job* would do (encoding, parts, policy changes, cut text, cost); sends nothing.

    Raises:
        ValidationError: as :func:`prepare_job`.
    """
    return prepare_job(job, tariff=tariff, allow_truncation=allow_truncation, split=split).preview


# -- requests ------------------------------------------------------------------------------------


def _auth_headers(auth: Secret) -> dict[str, str]:
    return {"Authorization": auth.reveal()}


def build_send_request(
    payload: Mapping[str, Any], *, auth: Secret, base_url: str = DEFAULT_BASE_URL
) -> HttpRequest:
    """``POST /jobs`` with *payload* (from :func:`prepare_job`) as compact JSON.

    *auth* is the ``Authorization`` value (:func:`~smsencode.providers._http.basic_auth`).
    """
    return json_request("POST", build_url(base_url, "jobs"), payload, _auth_headers(auth))


def _ts(field_name: str, value: str | datetime) -> tuple[str, datetime]:
    text = check_iso8601_timestamp(field_name, value)
    parsed = value if isinstance(value, datetime) else parse_iso8601(text)
    assert parsed is not None
    return text, parsed


def build_list_jobs_request(
    from_ts: str | datetime,
    to_ts: str | datetime,
    *,
    auth: Secret,
    base_url: str = DATA_CENTRE_URLS[0],
    limit: int = 100,
    offset: int = 0,
    open: bool | None = None,
) -> HttpRequest:
    """``GET /jobs?jobIdsOnly=true&fromTs=..&toTs=..`` (interval <= 30 days, limit 1..1000).

    Raises:
        ValidationError: an interval over 30 days or reversed, a limit outside 1..1000, a
            negative offset.
    """
    from_text, start = _ts("fromTs", from_ts)
    to_text, end = _ts("toTs", to_ts)
    if not start < end:
        raise ValidationError("toTs", to_text, f"must be after fromTs ({from_text})")
    if end - start > timedelta(days=LIST_MAX_DAYS):
        raise ValidationError(
            "toTs", to_text, f"must be at most {LIST_MAX_DAYS} days after fromTs ({from_text})"
        )
    check_int_range("limit", limit, *LIST_LIMIT_RANGE)
    check_int_range("offset", offset, 0, 2**63 - 1)
    if open is not None:
        check_bool("open", open)
    query = {
        "jobIdsOnly": True,
        "fromTs": from_text,
        "toTs": to_text,
        "open": open,
        "offset": offset,
        "limit": limit,
    }
    return json_request("GET", build_url(base_url, "jobs", query), None, _auth_headers(auth))


def _job_id(job_id: object) -> str:
    return check_pattern(
        "jobId", job_id, _JOB_ID_RE, "must look like 'J.20221116-102407.583-0lajfsfmoXIZJO93PQ'"
    )


def build_get_job_request(job_id: str, *, auth: Secret, base_url: str = DATA_CENTRE_URLS[0]) -> HttpRequest:
    """``GET /jobs/{jobId}`` on one data centre."""
    path = "jobs/" + _quote(_job_id(job_id))
    return json_request("GET", build_url(base_url, path), None, _auth_headers(auth))


def build_get_recipients_request(
    job_id: str, *, auth: Secret, base_url: str = DATA_CENTRE_URLS[0]
) -> HttpRequest:
    """``GET /sms?jobId=`` on one data centre."""
    return json_request(
        "GET", build_url(base_url, "sms", {"jobId": _job_id(job_id)}), None, _auth_headers(auth)
    )


def build_version_request(*, auth: Secret, base_url: str = DEFAULT_BASE_URL) -> HttpRequest:
    """``GET /version``."""
    return json_request("GET", build_url(base_url, "version"), None, _auth_headers(auth))


def _quote(segment: str) -> str:
    return urllib.parse.quote(segment, safe=".-_~")


Operation = Literal["send_job", "list_jobs", "get_job", "get_recipients", "version"]

_BUILDERS: dict[str, Callable[..., HttpRequest]] = {
    "send_job": build_send_request,
    "list_jobs": build_list_jobs_request,
    "get_job": build_get_job_request,
    "get_recipients": build_get_recipients_request,
    "version": build_version_request,
}


def build_request(
    operation: Operation, *args: Any, auth: Secret, base_url: str, **params: Any
) -> HttpRequest:
    """Build the request of *operation* (``send_job``, ``list_jobs``, ``get_job``,
    ``get_recipients``, ``version``); *args* and *params* are those of its ``build_*`` function."""
    try:
        builder = _BUILDERS[operation]
    except KeyError:
        msg = f"unknown Retarus operation {operation!r}: use one of {', '.join(_BUILDERS)}"
        raise ValueError(msg) from None
    return builder(*args, auth=auth, base_url=base_url, **params)


# -- responses ------------------------------------------------------------------------------------


def _error_text(response: HttpResponse) -> tuple[object, str, object]:
    """The ``(code, message, body)`` of an error answer: Retarus sends ``{code, message, details}``
    for 400/409/422 and no content for 401/429."""
    if not response.body:
        return None, "", None
    try:
        data = response.json()
    except InvalidResponseError:
        return None, response.text[:300], response.text
    if isinstance(data, Mapping):
        message = str(data.get("message") or "")
        details = data.get("details")
        if details:
            message = f"{message}: {details}" if message else str(details)
        return data.get("code"), message, data
    return None, str(data)[:300], data


_MEANING = {
    400: "invalid job request data (qos, encoding, blackout periods, ...)",
    404: "not found",
    409: "duplicate job (duplicate detection)",
    422: "invalid job request data (invalid characters under REFUSE, no messages, ...)",
    500: "Retarus could not process the request",
}


def _raise_for_status(response: HttpResponse, what: str) -> None:
    status = response.status
    if 200 <= status < 300:
        return
    code, message, body = _error_text(response)
    if status in (401, 403):
        msg = f"Retarus refused the credentials for {what} (HTTP {status}): check the username and password"
        raise AuthenticationError(msg, status=status, code=code)
    if status == 429:
        wait = response.header("Retry-After")
        retry_after = parse_retry_after(wait)
        raise RateLimitedError(
            f"Retarus: too many requests in the last 10 seconds ({what}); retry later",
            retry_after=RATE_LIMIT_WINDOW if retry_after is None else retry_after,
        )
    raise RejectedError(
        message or _MEANING.get(status, f"{what} failed"), status=status, code=code, body=body
    )


def _object(response: HttpResponse, what: str) -> Mapping[str, Any]:
    data = response.json()
    if not isinstance(data, Mapping):
        msg = f"{what}: expected a JSON object, got {type(data).__name__}"
        raise InvalidResponseError(msg, status=response.status, body=response.body)
    return data


def parse_send_response(response: HttpResponse) -> SendReply:
    """Read a ``POST /jobs`` answer: 200/201 carry the job ID, 409 means duplicate.

    Raises:
        AuthenticationError: 401.
        RateLimitedError: 429 (``retry_after`` 10 s unless the answer names one).
        RejectedError: 400, 422 and any other refusal (status, code, message).
        InvalidResponseError: a success without a job ID.
    """
    if response.status == 409:
        return SendReply(None, duplicate=True)
    _raise_for_status(response, "POST /jobs")
    job_id = _object(response, "POST /jobs").get("jobId")
    if not isinstance(job_id, str) or not job_id:
        msg = f"POST /jobs answered {response.status} without a jobId"
        raise InvalidResponseError(msg, status=response.status, body=response.body)
    return SendReply(job_id)


def parse_list_jobs_response(response: HttpResponse) -> tuple[str, ...]:
    """Read ``GET /jobs``: the job IDs, in the order given."""
    _raise_for_status(response, "GET /jobs")
    data = response.json()
    if not isinstance(data, list):
        msg = f"GET /jobs: expected a JSON array, got {type(data).__name__}"
        raise InvalidResponseError(msg, status=response.status, body=response.body)
    ids = []
    for item in data:
        job_id = item.get("jobId") if isinstance(item, Mapping) else item
        if not isinstance(job_id, str):
            msg = f"GET /jobs: an entry without a jobId: {item!r}"
            raise InvalidResponseError(msg, status=response.status, body=response.body)
        ids.append(job_id)
    return tuple(ids)


def _opt(data: Mapping[str, Any], key: str, kind: type) -> Any:
    value = data.get(key)
    return value if isinstance(value, kind) and not (kind is int and isinstance(value, bool)) else None


def parse_job_response(response: HttpResponse) -> JobReport | None:
    """Read ``GET /jobs/{jobId}``; ``None`` for 404 (the job is not in this data centre)."""
    if response.status == 404:
        return None
    _raise_for_status(response, "GET /jobs/{jobId}")
    d = _object(response, "GET /jobs/{jobId}")
    job_id = d.get("jobId")
    if not isinstance(job_id, str):
        msg = "GET /jobs/{jobId}: the report has no jobId"
        raise InvalidResponseError(msg, status=response.status, body=response.body)
    ids = d.get("recipientIds") or []
    return JobReport(
        job_id=job_id,
        src=_opt(d, "src", str),
        encoding=_opt(d, "encoding", str),
        billcode=_opt(d, "billcode", str),
        status_requested=_opt(d, "statusRequested", bool),
        flash=_opt(d, "flash", bool),
        validity_min=_opt(d, "validityMin", int),
        customer_ref=_opt(d, "customerRef", str),
        qos=_opt(d, "qos", str),
        receipt_ts=_opt(d, "receiptTs", str),
        finished_ts=_opt(d, "finishedTs", str),
        recipient_ids=tuple(str(x) for x in ids) if isinstance(ids, list) else (),
        raw=d,
    )


def parse_recipients_response(response: HttpResponse) -> tuple[RecipientReport, ...] | None:
    """Read ``GET /sms?jobId=``; ``None`` for 404 (the job is not in this data centre)."""
    if response.status == 404:
        return None
    _raise_for_status(response, "GET /sms")
    data = response.json()
    if not isinstance(data, list) or not all(isinstance(x, Mapping) for x in data):
        msg = "GET /sms: expected a JSON array of recipient reports"
        raise InvalidResponseError(msg, status=response.status, body=response.body)
    return tuple(
        RecipientReport(
            sms_id=_opt(d, "smsId", str),
            dst=_opt(d, "dst", str),
            process_status=_opt(d, "processStatus", str),
            status=_opt(d, "status", str) or None,
            customer_ref=_opt(d, "customerRef", str),
            reason=_opt(d, "reason", str),
            sent_ts=_opt(d, "sentTs", str),
            finished_ts=_opt(d, "finishedTs", str),
            raw=d,
        )
        for d in data
    )


def parse_version_response(response: HttpResponse) -> VersionInfo:
    """Read ``GET /version``."""
    _raise_for_status(response, "GET /version")
    d = _object(response, "GET /version")
    return VersionInfo(
        build_number=_opt(d, "buildNumber", int),
        build_timestamp=_opt(d, "buildTimestamp", str),
        major_version=_opt(d, "majorVersion", int),
        minor_version=_opt(d, "minorVersion", int),
        version_info=_opt(d, "versionInfo", str),
        message=_opt(d, "message", str),
        raw=d,
    )


_PARSERS: dict[str, Callable[[HttpResponse], Any]] = {
    "send_job": parse_send_response,
    "list_jobs": parse_list_jobs_response,
    "get_job": parse_job_response,
    "get_recipients": parse_recipients_response,
    "version": parse_version_response,
}


def parse_response(operation: Operation, response: HttpResponse) -> Any:
    """Read the answer to *operation* with its ``parse_*`` function."""
    try:
        parser = _PARSERS[operation]
    except KeyError:
        msg = f"unknown Retarus operation {operation!r}: use one of {', '.join(_PARSERS)}"
        raise ValueError(msg) from None
    return parser(response)


# -- flows: the client logic once, for the sync and the async client ------------------------------
#
# A flow is a generator that yields _Exchange steps and gets back the response (or has the
# ProviderError thrown into it); the two clients only differ in how they run a step.

T = TypeVar("T")


@dataclass(frozen=True)
class _Exchange:
    request: HttpRequest
    read_only: bool = True
    idempotent: bool = False
    operation: str = "request"
    keys: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    deadline: float | None = None


Flow = Generator[_Exchange, HttpResponse, T]


def _classify_send(response: HttpResponse) -> Verdict:
    # 5xx after the body was received: Retarus may have created the job.
    return "unknown" if response.status >= 500 else "done"


def _classify_read(response: HttpResponse) -> Verdict:
    return "retry" if response.status >= 500 else "done"


class _Core:
    """State and flows shared by both clients."""

    def __init__(
        self,
        username: str | Secret,
        password: str | Secret,
        base_url: str,
        status_urls: Sequence[str] | None,
        max_attempts: int,
        backoff: Callable[[int], float],
        clock: Callable[[], float],
        now: Callable[[], datetime],
        reference: Callable[[], str],
    ) -> None:
        if not (isinstance(username, (str, Secret)) and username) or not (
            isinstance(password, (str, Secret)) and password
        ):
            msg = "Retarus needs a username and a password (HTTP Basic): both must be non-empty strings"
            raise ValueError(msg)
        self._auth = basic_auth(username, password)
        self.base_url = base_url.rstrip("/")
        if status_urls is None:
            status_urls = DATA_CENTRE_URLS if self.base_url == DEFAULT_BASE_URL else (self.base_url,)
        self.status_urls = tuple(u.rstrip("/") for u in status_urls)
        if not self.status_urls:
            msg = "status_urls needs at least one data centre URL"
            raise ValueError(msg)
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.clock = clock
        self.now = now
        self.reference = reference

    def __repr__(self) -> str:
        return f"<{type(self).__name__} base_url={self.base_url!r} status_urls={self.status_urls!r}>"

    def retry_args(self, step: _Exchange) -> dict[str, Any]:
        return {
            "classify": _classify_read if step.read_only else _classify_send,
            "max_attempts": self.max_attempts,
            "backoff": self.backoff,
            "idempotent": step.idempotent,
            "read_only": step.read_only,
            "operation": step.operation,
            "idempotency_keys": step.keys,
            "recipients": step.recipients,
            "rate_limit_wait": RATE_LIMIT_WINDOW,
            "deadline": step.deadline,
            "clock": self.clock,
        }

    # flows ------------------------------------------------------------------------------------

    def send_flow(self, prepared: PreparedJob) -> Flow[SendResult]:
        receipts: list[JobReceipt] = []
        for k, req in enumerate(prepared.requests):
            try:
                receipt = yield from self._send_one(req)
            except ProviderError as exc:
                if not receipts:
                    raise
                later = tuple(d for r in prepared.requests[k + 1 :] for d in r.recipients)
                raise PartialSendError(receipts, exc, later) from exc
            receipts.append(receipt)
        return SendResult(tuple(receipts), prepared.preview)

    def _send_one(self, req: PreparedRequest) -> Flow[JobReceipt]:
        started_wall = self.now()
        # Duplicate detection covers 10 minutes: no attempt may start after it closes, or a
        # retry could create a second job. A minute of margin covers clock skew and latency.
        deadline = self.clock() + DUPLICATE_WINDOW - 60.0 if req.duplicate_detection else None
        request = build_send_request(req.payload, auth=self._auth, base_url=self.base_url)
        response = yield _Exchange(
            request,
            read_only=False,
            idempotent=req.duplicate_detection,
            operation="Retarus POST /jobs",
            keys=(req.customer_ref,),
            recipients=req.recipients,
            deadline=deadline,
        )
        reply = parse_send_response(response)
        if reply.job_id is not None:
            return JobReceipt(reply.job_id, req.customer_ref, req.recipients)
        # 409: an identical job was accepted within the last 10 minutes; find it by customerRef.
        try:
            job_id = yield from self.find_job_flow(req.customer_ref, started_wall - timedelta(hours=1))
        except ProviderError as exc:
            raise UnknownOutcomeError(
                "Retarus POST /jobs",
                idempotency_keys=(req.customer_ref,),
                recipients=req.recipients,
                detail=f"Retarus answered 409 (already accepted) and looking the job up failed: {exc}",
            ) from exc
        if job_id is None:
            raise UnknownOutcomeError(
                "Retarus POST /jobs",
                idempotency_keys=(req.customer_ref,),
                recipients=req.recipients,
                detail="Retarus answered 409 (an identical job was accepted) but no job with this "
                "customerRef was listed yet",
            )
        return JobReceipt(job_id, req.customer_ref, req.recipients, duplicate=True)

    def find_job_flow(self, customer_ref: str, since: datetime) -> Flow[str | None]:
        until = self.now() + timedelta(hours=1)
        last_error: ProviderError | None = None
        for url in self.status_urls:
            ids: list[str] = []
            try:
                while True:  # page through everything received in the window
                    page = yield from self._list_one(url, since, until, LIST_LIMIT_RANGE[1], len(ids), None)
                    ids.extend(page)
                    if len(page) < LIST_LIMIT_RANGE[1] or len(ids) >= 20 * LIST_LIMIT_RANGE[1]:
                        break
            except ProviderError as exc:
                last_error = exc
                if not ids:
                    continue
            for job_id in reversed(ids):  # the newest is the likeliest
                try:
                    report = yield from self._get_job_one(url, job_id)
                except ProviderError as exc:
                    last_error = exc
                    continue
                if report is not None and report.customer_ref == customer_ref:
                    return report.job_id
        if last_error is not None:
            raise last_error
        return None

    def _list_one(
        self,
        url: str,
        start: str | datetime,
        end: str | datetime,
        limit: int,
        offset: int,
        open_: bool | None,
    ) -> Flow[tuple[str, ...]]:
        request = build_list_jobs_request(
            start, end, auth=self._auth, base_url=url, limit=limit, offset=offset, open=open_
        )
        response = yield _Exchange(request, operation="Retarus GET /jobs")
        return parse_list_jobs_response(response)

    def list_flow(
        self, start: str | datetime, end: str | datetime, limit: int, offset: int, open_: bool | None
    ) -> Flow[tuple[str, ...]]:
        seen: dict[str, None] = {}
        for url in self.status_urls:
            for job_id in (yield from self._list_one(url, start, end, limit, offset, open_)):
                seen.setdefault(job_id)
        return tuple(seen)

    def _get_job_one(self, url: str, job_id: str) -> Flow[JobReport | None]:
        request = build_get_job_request(job_id, auth=self._auth, base_url=url)
        response = yield _Exchange(request, operation="Retarus GET /jobs/{jobId}")
        return parse_job_response(response)

    def _each_centre(
        self, build: Callable[[str], HttpRequest], parse: Callable[[HttpResponse], T | None]
    ) -> Flow[T | None]:
        """Ask each data centre in turn; the first that knows the job answers. A 404 moves on;
        an error from one centre matters only if no other knows the job."""
        error: ProviderError | None = None
        for url in self.status_urls:
            try:
                response = yield _Exchange(build(url), operation="Retarus status read")
                found = parse(response)
            except ProviderError as exc:
                error = error or exc
                continue
            if found is not None:
                return found
        if error is not None:
            raise error
        return None

    def get_job_flow(self, job_id: str) -> Flow[JobReport | None]:
        _job_id(job_id)
        return (
            yield from self._each_centre(
                lambda url: build_get_job_request(job_id, auth=self._auth, base_url=url), parse_job_response
            )
        )

    def recipients_flow(self, job_id: str) -> Flow[tuple[RecipientReport, ...] | None]:
        _job_id(job_id)
        return (
            yield from self._each_centre(
                lambda url: build_get_recipients_request(job_id, auth=self._auth, base_url=url),
                parse_recipients_response,
            )
        )

    def version_flow(self) -> Flow[VersionInfo]:
        response = yield _Exchange(build_version_request(auth=self._auth, base_url=self.base_url))
        return parse_version_response(response)

    def job(
        self,
        messages: Job | Sequence[Message] | str,
        to: Sequence[Recipient | str] | str | None,
        options: dict[str, Any],
    ) -> Job:
        if isinstance(messages, Job):
            if to is not None or options:
                msg = "pass either a Job, or a text with to= and options, not both"
                raise TypeError(msg)
            return messages
        if isinstance(messages, str):
            if to is None:
                msg = "a text needs recipients: send(text, to=[...])"
                raise TypeError(msg)
            # One number given as a string is one recipient, not a list of characters.
            messages = [Message(messages, [to] if isinstance(to, str) else list(to))]
        return Job(list(messages), JobOptions(**options))


def _run(core: _Core, transport: Transport, sleep: Callable[[float], object], flow: Flow[T]) -> T:
    try:
        step = next(flow)
        while True:
            try:
                response = call_with_retry(
                    functools.partial(transport.handle_request, step.request),
                    sleep=sleep,
                    **core.retry_args(step),
                )
            except ProviderError as exc:
                step = flow.throw(exc)
            else:
                step = flow.send(response)
    except StopIteration as stop:
        result: T = stop.value
        return result


async def _arun(core: _Core, transport: AsyncTransport, sleep: Callable[[float], Any], flow: Flow[T]) -> T:
    try:
        step = next(flow)
        while True:
            try:
                response = await async_call_with_retry(
                    functools.partial(transport.handle_request, step.request),
                    sleep=sleep,
                    **core.retry_args(step),
                )
            except ProviderError as exc:
                step = flow.throw(exc)
            else:
                step = flow.send(response)
    except StopIteration as stop:
        result: T = stop.value
        return result


def _utc_now() -> datetime:
    return datetime.now(UTC)


class RetarusClient:
    """Synchronous Retarus SMS4A client.

    ::

        with RetarusClient("user", "password") as client:
            result = client.send("Your code is 481516", ["+4917612345678"], src="Example")
            reports = client.get_recipients(result.job_id)

    Args:
        username, password: The Login ID's credentials (HTTP Basic); kept as
            :class:`~smsencode.providers.Secret`, never shown.
        base_url: Where jobs are sent: the HA endpoint by default, or e.g.
            ``sandbox.base_url("retarus")``.
        status_urls: Where status is read, in order. Default: de2 then de1 with the default
            ``base_url``, else ``base_url`` alone.
        transport: A :class:`~smsencode.providers.Transport`; default
            :class:`~smsencode.providers.HttpxTransport` (needs ``smsencode[http]``).
        timeout: Seconds per exchange for the default transport.
        max_attempts: Attempts per exchange, counting the first (see :mod:`._retry`).
        sleep, backoff, clock, now: Injectable waits and clocks (tests never wait).
        reference: Makes a customerRef for jobs without one.
    """

    def __init__(
        self,
        username: str | Secret,
        password: str | Secret,
        *,
        base_url: str = DEFAULT_BASE_URL,
        status_urls: Sequence[str] | None = None,
        transport: Transport | None = None,
        timeout: float = 10.0,
        max_attempts: int = 3,
        sleep: Callable[[float], object] = time.sleep,
        backoff: Callable[[int], float] = exponential_backoff,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = _utc_now,
        reference: Callable[[], str] = _new_reference,
    ) -> None:
        self._core = _Core(
            username, password, base_url, status_urls, max_attempts, backoff, clock, now, reference
        )
        self._owns_transport = transport is None
        self.transport: Transport = transport if transport is not None else HttpxTransport(timeout=timeout)
        self._sleep = sleep

    def __repr__(self) -> str:
        return repr(self._core).replace("_Core", type(self).__name__)

    def close(self) -> None:
        """Close the default transport (a transport you passed in stays open)."""
        if self._owns_transport and isinstance(self.transport, HttpxTransport):
            self.transport.close()

    def __enter__(self) -> RetarusClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self, flow: Flow[T]) -> T:
        return _run(self._core, self.transport, self._sleep, flow)

    def preview(
        self,
        job: Job,
        *,
        tariff: TariffLike | None = None,
        allow_truncation: bool = False,
        split: bool = False,
    ) -> Preview:
        """What :meth:`send_job` would do, without sending (see :func:`preview`)."""
        return preview(job, tariff=tariff, allow_truncation=allow_truncation, split=split)

    def send_job(
        self,
        job: Job,
        *,
        tariff: TariffLike | None = None,
        allow_truncation: bool = False,
        split: bool = False,
    ) -> SendResult:
        """Check, segment and send *job*; retry only what cannot send twice.

        Args:
            job: The job.
            tariff: Prices per part, for the preview attached to the result.
            allow_truncation: Accept that ``max_parts`` cuts a longer text.
            split: Send more than 3000 recipients as several jobs instead of refusing.

        Raises:
            ValidationError: the job breaks a documented limit; nothing was sent.
            AuthenticationError, RateLimitedError, RejectedError: Retarus refused it.
            UnknownOutcomeError: it may have been accepted; check before sending again.
            PartialSendError: a split send stopped after some jobs were accepted.
            TransportError: no connection (nothing was sent).
        """
        prepared = prepare_job(
            job, tariff=tariff, allow_truncation=allow_truncation, split=split, reference=self._core.reference
        )
        return self._run(self._core.send_flow(prepared))

    def send(self, text: str, to: Sequence[Recipient | str] | str, **options: Any) -> SendResult:
        """Send one *text* to *to* (numbers or :class:`Recipient` s, or one number) with
        :class:`JobOptions` given as keywords (``src="Shop"``, ``status_requested=True``, ...)."""
        return self.send_job(self._core.job(text, to, options))

    def list_jobs(
        self,
        from_ts: str | datetime,
        to_ts: str | datetime,
        *,
        limit: int = 100,
        offset: int = 0,
        open: bool | None = None,
    ) -> tuple[str, ...]:
        """Job IDs received between *from_ts* and *to_ts* (<= 30 days apart), from every data
        centre in turn (*limit* and *offset* apply to each); *open* ``True``/``False`` keeps only
        unfinished/finished jobs."""
        return self._run(self._core.list_flow(from_ts, to_ts, limit, offset, open))

    def get_job(self, job_id: str) -> JobReport | None:
        """The report of *job_id*, or ``None`` when no data centre knows it (yet)."""
        return self._run(self._core.get_job_flow(job_id))

    def get_recipients(self, job_id: str) -> tuple[RecipientReport, ...] | None:
        """Per-recipient reports of *job_id*, or ``None`` when no data centre knows it (yet)."""
        return self._run(self._core.recipients_flow(job_id))

    def find_job(self, customer_ref: str, since: datetime) -> str | None:
        """The ID of the job with *customer_ref* received after *since*, or ``None``."""
        return self._run(self._core.find_job_flow(customer_ref, since))

    def version(self) -> VersionInfo:
        """The web service's version (a cheap connectivity and credentials check)."""
        return self._run(self._core.version_flow())


class AsyncRetarusClient:
    """The async twin of :class:`RetarusClient` (same arguments; ``sleep`` is awaited)."""

    def __init__(
        self,
        username: str | Secret,
        password: str | Secret,
        *,
        base_url: str = DEFAULT_BASE_URL,
        status_urls: Sequence[str] | None = None,
        transport: AsyncTransport | None = None,
        timeout: float = 10.0,
        max_attempts: int = 3,
        sleep: Callable[[float], Any] | None = None,
        backoff: Callable[[int], float] = exponential_backoff,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = _utc_now,
        reference: Callable[[], str] = _new_reference,
    ) -> None:
        self._core = _Core(
            username, password, base_url, status_urls, max_attempts, backoff, clock, now, reference
        )
        self._owns_transport = transport is None
        self.transport: AsyncTransport = (
            transport if transport is not None else AsyncHttpxTransport(timeout=timeout)
        )
        self._sleep = sleep or asyncio.sleep

    def __repr__(self) -> str:
        return repr(self._core).replace("_Core", type(self).__name__)

    async def aclose(self) -> None:
        """Close the default transport (a transport you passed in stays open)."""
        if self._owns_transport and isinstance(self.transport, AsyncHttpxTransport):
            await self.transport.aclose()

    async def __aenter__(self) -> AsyncRetarusClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _run(self, flow: Flow[T]) -> T:
        return await _arun(self._core, self.transport, self._sleep, flow)

    def preview(
        self,
        job: Job,
        *,
        tariff: TariffLike | None = None,
        allow_truncation: bool = False,
        split: bool = False,
    ) -> Preview:
        """What :meth:`send_job` would do, without sending (no I/O, so not a coroutine)."""
        return preview(job, tariff=tariff, allow_truncation=allow_truncation, split=split)

    async def send_job(
        self,
        job: Job,
        *,
        tariff: TariffLike | None = None,
        allow_truncation: bool = False,
        split: bool = False,
    ) -> SendResult:
        """See :meth:`RetarusClient.send_job`."""
        prepared = prepare_job(
            job, tariff=tariff, allow_truncation=allow_truncation, split=split, reference=self._core.reference
        )
        return await self._run(self._core.send_flow(prepared))

    async def send(self, text: str, to: Sequence[Recipient | str] | str, **options: Any) -> SendResult:
        """See :meth:`RetarusClient.send`."""
        return await self.send_job(self._core.job(text, to, options))

    async def list_jobs(
        self,
        from_ts: str | datetime,
        to_ts: str | datetime,
        *,
        limit: int = 100,
        offset: int = 0,
        open: bool | None = None,
    ) -> tuple[str, ...]:
        """See :meth:`RetarusClient.list_jobs`."""
        return await self._run(self._core.list_flow(from_ts, to_ts, limit, offset, open))

    async def get_job(self, job_id: str) -> JobReport | None:
        """See :meth:`RetarusClient.get_job`."""
        return await self._run(self._core.get_job_flow(job_id))

    async def get_recipients(self, job_id: str) -> tuple[RecipientReport, ...] | None:
        """See :meth:`RetarusClient.get_recipients`."""
        return await self._run(self._core.recipients_flow(job_id))

    async def find_job(self, customer_ref: str, since: datetime) -> str | None:
        """See :meth:`RetarusClient.find_job`."""
        return await self._run(self._core.find_job_flow(customer_ref, since))

    async def version(self) -> VersionInfo:
        """See :meth:`RetarusClient.version`."""
        return await self._run(self._core.version_flow())
