"""Client for the BSG REST API (``/rest/sms/create`` and friends, header ``X-API-KEY``).

A send goes to one number (``destination: "phone"``) or to up to 50 numbers with the same text
(``destination: "phones"``); longer recipient lists are split into several requests. Every
recipient carries a ``reference`` -- BSG's client-side message id -- that the provider refuses to
accept twice (error 23, "external ID already exists"). That makes a send safe to repeat with the
*same* references: a repeat after a timeout either goes through once or answers 23, which this
client reads as "already accepted".

>>> from smsencode.providers.bsg import BsgMessage, BsgRecipient, build_request
>>> req = build_request(
...     BsgMessage("Sandbox", "Hello", (BsgRecipient("380972000000", "ref1"),)), api_key="live_x"
... )
>>> req.method, req.url
('POST', 'https://api.bsg.world/rest/sms/create')
>>> req.json()["destination"], req.json()["msisdn"], req.json()["reference"]
('phone', '380972000000', 'ref1')

The pure functions (:func:`build_request`, :func:`parse_response` and their status, task, price
and balance twins) do no I/O; :class:`BsgClient` and :class:`AsyncBsgClient` drive them over a
transport.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import re
import time
import uuid
import warnings
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from smsencode.providers._flow import (
    DEFAULT_MAX_ATTEMPTS,
    Operation,
    Sleep,
    backoff_delay,
    exchange,
    halted,
    read,
    retry_after_seconds,
    run,
    run_async,
    unknown_outcome,
)
from smsencode.providers._http import (
    AsyncHttpxTransport,
    AsyncTransport,
    HttpRequest,
    HttpResponse,
    HttpxTransport,
    Secret,
    Transport,
    build_url,
    json_request,
    parse_decimal,
)
from smsencode.providers.errors import (
    AuthenticationError,
    InvalidResponseError,
    ProviderError,
    RateLimitedError,
    RejectedError,
    ValidationError,
)
from smsencode.providers.preview import Preview, TariffLike, preview_text

__all__ = [
    "DEFAULT_BASE_URL",
    "ERRORS",
    "MAX_PARTS",
    "MAX_RECIPIENTS_PER_REQUEST",
    "STATUSES",
    "AsyncBsgClient",
    "BsgBalance",
    "BsgClient",
    "BsgMessage",
    "BsgPrice",
    "BsgRecipient",
    "BsgRecipientResult",
    "BsgSendResult",
    "BsgStatus",
    "BsgTask",
    "build_balance_request",
    "build_price_request",
    "build_request",
    "build_status_request",
    "build_task_request",
    "parse_balance_response",
    "parse_price_response",
    "parse_response",
    "parse_status_response",
    "parse_task_response",
    "reference_for",
    "validate_message",
]

#: The REST root of the current documentation (bsg.world/documentations/rest-api/); the older
#: ``https://app.bsg.hk/rest`` pages describe the same paths under it.
DEFAULT_BASE_URL = "https://api.bsg.world/rest"

#: "Per request, a max of 50 phones can be entered" (BSG, Send a message).
MAX_RECIPIENTS_PER_REQUEST = 50

#: BSG caps a message at 765 GSM-7 / 335 UCS-2 characters: five concatenated parts.
MAX_PARTS = 5

#: ``validity`` in hours (current documentation: integer 1..72, default 72).
VALIDITY_HOURS = (1, 72)

#: ``tariff``: code of a price grid, integer 0..9.
TARIFFS = (0, 9)

#: How far ahead ``send_time`` may lie.
MAX_SCHEDULE_AHEAD = timedelta(days=30)

#: BSG error codes (bsg.world/developers/rest-api/errors).
ERRORS: Mapping[int, str] = {
    0: "No errors",
    1: "Invalid API key",
    2: "Not enough parameters",
    3: "Account is blocked",
    4: "Invalid request or API method does not exist",
    5: "Unknown error",
    6: "Invalid or non-existent price grid",
    7: "Invalid or missing parameters",
    8: "Not enough money",
    9: "Inactive price grid",
    10: "Invalid send time",
    11: "Exceeded limit for messages processed simultaneously",
    12: "Exceeded batch size limit",
    20: "SMS not found",
    21: "Invalid MSISDN",
    22: "External ID (reference) is absent",
    23: "External ID already exists",
    24: "Invalid request payload",
    25: "Invalid originator",
    26: "SMS text is empty or too long",
    27: "Invalid external ID",
    28: "Invalid validity time",
    29: "Invalid task ID",
    30: "Task not found",
    31: "MSISDN already present in request",
    32: "Originator not allowed",
    33: "Direction not allowed",
}

#: Status values of an SMS (bsg.world/developers/rest-api/sms/view-an-sms-status).
STATUSES = ("scheduled", "sent", "delivered", "expired", "undeliverable", "rejected", "unknown")
FINAL_STATUSES = frozenset({"delivered", "expired", "undeliverable", "rejected"})

ERR_INVALID_KEY = 1
ERR_UNKNOWN = 5
ERR_BUSY = 11
ERR_REFERENCE_EXISTS = 23
#: Codes that mean "try again later": a repeat carries the same references, so it cannot double.
TRANSIENT_ERRORS = frozenset({ERR_UNKNOWN, ERR_BUSY})
AUTH_ERRORS = frozenset({ERR_INVALID_KEY, 3})

_MSISDN = re.compile(r"[0-9]{9,15}")
_REFERENCE = re.compile(r"[A-Za-z0-9]{1,32}")
_NUMERIC_ORIGINATOR = re.compile(r"[0-9]{3,15}")
_ALPHA_ORIGINATOR = re.compile(r"[\x20-\x7e]{3,11}")

Outcome = Literal["accepted", "rejected", "unknown"]


# -- values ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BsgRecipient:
    """One number and the reference that makes its message unique at BSG.

    ``msisdn`` is the number in international format, digits only (a leading ``+`` is
    accepted by the client and stripped). ``reference`` is 1..32 Latin letters and digits,
    never reused on the account.
    """

    msisdn: str
    reference: str


@dataclass(frozen=True)
class BsgMessage:
    """One ``/sms/create`` request: one text from one originator to 1..50 recipients."""

    originator: str
    body: str
    recipients: tuple[BsgRecipient, ...]
    validity: int | None = None  # hours
    tariff: int | None = None
    send_time: str | None = None  # ISO 8601


@dataclass(frozen=True)
class BsgRecipientResult:
    """What became of one recipient of a send.

    ``outcome`` is ``"accepted"`` (``id`` set, unless the acceptance was learnt from error 23
    and the id could not be read back), ``"rejected"`` (``code`` and ``description`` say why)
    or ``"unknown"`` (the request may have arrived; check with the reference before resending).
    ``duplicate`` is true when BSG answered 23: a message with this reference was accepted
    earlier (typically by an attempt whose answer was lost).
    """

    msisdn: str
    reference: str
    outcome: Outcome
    id: str | None = None
    price: Decimal | None = None
    currency: str | None = None
    code: int | None = None
    description: str = ""
    duplicate: bool = False


@dataclass(frozen=True)
class BsgSendResult:
    """Per-recipient results of a send, in the order the recipients were given."""

    recipients: tuple[BsgRecipientResult, ...]
    task_ids: tuple[str, ...] = ()
    parts: int = 0
    encoding: str = ""
    #: What was sent, as the client's ``preview()`` shows it beforehand: encoding, parts, what the
    #: invalid-character policy changed and what ``max_parts`` cut (``truncated``, ``dropped``).
    preview: Preview | None = None

    @property
    def accepted(self) -> tuple[BsgRecipientResult, ...]:
        """Recipients whose message BSG accepted."""
        return tuple(r for r in self.recipients if r.outcome == "accepted")

    @property
    def rejected(self) -> tuple[BsgRecipientResult, ...]:
        """Recipients BSG refused, each with its code and description."""
        return tuple(r for r in self.recipients if r.outcome == "rejected")

    @property
    def unknown(self) -> tuple[BsgRecipientResult, ...]:
        """Recipients whose message may or may not have been accepted."""
        return tuple(r for r in self.recipients if r.outcome == "unknown")

    @property
    def total_price(self) -> Decimal:
        """Sum of the prices BSG quoted for the accepted messages."""
        return sum((r.price for r in self.recipients if r.price is not None), Decimal(0))


@dataclass(frozen=True)
class BsgStatus:
    """The status object of one SMS (``GET /sms/{id}`` or ``/sms/reference/{reference}``)."""

    id: str
    msisdn: str
    reference: str
    status: str
    time_in: str | None = None
    time_sent: str | None = None
    time_dr: str | None = None
    price: Decimal | None = None
    currency: str | None = None

    @property
    def final(self) -> bool:
        """Whether the status will not change any more."""
        return self.status in FINAL_STATUSES


@dataclass(frozen=True)
class BsgTask:
    """A bulk task (``GET /sms/task/{task_id}``) and the status of each of its messages."""

    task_id: str
    originator: str
    body: str
    validity: int | None
    total_price: Decimal | None
    currency: str | None
    messages: tuple[BsgStatus, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class BsgPrice:
    """What a send would cost (``PUT /sms/price``)."""

    total_price: Decimal
    currency: str


@dataclass(frozen=True)
class BsgBalance:
    """Account balance (``GET /common/balance``); ``limit`` is the post-paid credit limit."""

    amount: Decimal
    currency: str
    limit: Decimal | None = None


# -- validation -----------------------------------------------------------------------------


def reference_for(key: str, msisdn: str) -> str:
    """Derive the 32-character reference of *msisdn* in the send identified by *key*.

    The same key and number always give the same reference, so repeating a send with the same
    ``idempotency_key`` is answered "already accepted" (error 23) instead of sending again.

    >>> reference_for("order-17", "380972000000") == reference_for("order-17", "380972000000")
    True
    >>> len(reference_for("order-17", "380972000000"))
    32
    """
    return hashlib.sha256(f"bsg\0{key}\0{msisdn}".encode()).hexdigest()[:32]


def _check_int(field_name: str, value: object, low: int, high: int, unit: str = "") -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(field_name, value, f"must be an integer from {low} to {high}{unit}")


def _parse_iso(field_name: str, value: str) -> datetime:
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(field_name, value, "must be an ISO 8601 date and time") from None
    if when.tzinfo is None:
        raise ValidationError(field_name, value, "must carry a UTC offset (e.g. 2030-01-31T10:00:00+00:00)")
    return when


def validate_originator(originator: object, field_name: str = "originator") -> str:
    """Check a BSG sender: 3..15 digits, or 3..11 Latin letters, digits, spaces and symbols."""
    if not isinstance(originator, str):
        raise ValidationError(field_name, originator, "must be a str")
    if originator.isdigit():
        if not _NUMERIC_ORIGINATOR.fullmatch(originator):
            raise ValidationError(field_name, originator, "a numeric originator has 3 to 15 digits")
    elif not _ALPHA_ORIGINATOR.fullmatch(originator):
        raise ValidationError(
            field_name,
            originator,
            "an alphanumeric originator has 3 to 11 Latin letters, digits, spaces or symbols",
        )
    return originator


def validate_message(message: BsgMessage, *, now: datetime | None = None) -> None:
    """Check *message* against every documented BSG limit; raise :class:`ValidationError`.

    *now* (aware) enables the check that ``send_time`` lies in the next 30 days.
    """
    from smsencode import segment

    validate_originator(message.originator)
    if not isinstance(message.body, str) or not message.body:
        raise ValidationError("body", message.body, "must be a non-empty str")
    s = segment(message.body)
    if s.part_count > MAX_PARTS:
        raise ValidationError(
            "body",
            message.body,
            f"at most {MAX_PARTS} parts (765 GSM-7 or 335 UCS-2 characters); this text needs "
            f"{s.part_count} {s.encoding.value} parts",
        )
    n = len(message.recipients)
    if not 1 <= n <= MAX_RECIPIENTS_PER_REQUEST:
        raise ValidationError(
            "phones", n, f"one request carries 1 to {MAX_RECIPIENTS_PER_REQUEST} recipients"
        )
    seen_numbers: set[str] = set()
    seen_refs: set[str] = set()
    for i, r in enumerate(message.recipients):
        where = "msisdn" if n == 1 else f"phones[{i}]"
        if not isinstance(r.msisdn, str) or not _MSISDN.fullmatch(r.msisdn):
            raise ValidationError(
                f"{where}.msisdn" if n > 1 else where, r.msisdn, "9 to 15 digits, country code first, no '+'"
            )
        if r.msisdn in seen_numbers:
            raise ValidationError(
                f"{where}.msisdn" if n > 1 else where, r.msisdn, "a number appears once per request"
            )
        seen_numbers.add(r.msisdn)
        ref_field = "reference" if n == 1 else f"phones[{i}].reference"
        if not isinstance(r.reference, str) or not _REFERENCE.fullmatch(r.reference):
            raise ValidationError(ref_field, r.reference, "1 to 32 Latin letters or digits")
        if r.reference in seen_refs:
            raise ValidationError(ref_field, r.reference, "every recipient needs its own reference")
        seen_refs.add(r.reference)
    if message.validity is not None:
        _check_int("validity", message.validity, *VALIDITY_HOURS, " (hours)")
    if message.tariff is not None:
        _check_int("tariff", message.tariff, *TARIFFS)
    if message.send_time is not None:
        if not isinstance(message.send_time, str):
            raise ValidationError("send_time", message.send_time, "must be an ISO 8601 str")
        when = _parse_iso("send_time", message.send_time)
        if now is not None:
            if when < now:
                raise ValidationError("send_time", message.send_time, "must not lie in the past")
            if when > now + MAX_SCHEDULE_AHEAD:
                raise ValidationError("send_time", message.send_time, "at most 30 days ahead")


# -- requests -------------------------------------------------------------------------------


def _headers(api_key: str | Secret) -> dict[str, str]:
    key = api_key.reveal() if isinstance(api_key, Secret) else api_key
    return {"X-API-KEY": key}


def _payload(message: BsgMessage) -> dict[str, Any]:
    payload: dict[str, Any]
    if len(message.recipients) == 1:
        (only,) = message.recipients
        payload = {
            "destination": "phone",
            "originator": message.originator,
            "body": message.body,
            "msisdn": only.msisdn,
            "reference": only.reference,
        }
    else:
        payload = {
            "destination": "phones",
            "originator": message.originator,
            "body": message.body,
            "phones": [{"msisdn": r.msisdn, "reference": r.reference} for r in message.recipients],
        }
    if message.validity is not None:
        payload["validity"] = message.validity
    if message.tariff is not None:
        payload["tariff"] = message.tariff
    if message.send_time is not None:
        payload["send_time"] = message.send_time
    return payload


def build_request(
    message: BsgMessage,
    *,
    api_key: str | Secret,
    base_url: str = DEFAULT_BASE_URL,
    now: datetime | None = None,
) -> HttpRequest:
    """Validate *message* and return its ``POST /rest/sms/create`` request.

    Raises:
        ValidationError: a field breaks a documented limit (nothing is built).
    """
    validate_message(message, now=now)
    return json_request("POST", build_url(base_url, "/sms/create"), _payload(message), _headers(api_key))


def build_price_request(
    message: BsgMessage, *, api_key: str | Secret, base_url: str = DEFAULT_BASE_URL
) -> HttpRequest:
    """Return the ``PUT /rest/sms/price`` request: what *message* would cost, nothing sent."""
    validate_message(message)
    return json_request("PUT", build_url(base_url, "/sms/price"), _payload(message), _headers(api_key))


def build_status_request(
    *,
    api_key: str | Secret,
    id: str | None = None,
    reference: str | None = None,
    base_url: str = DEFAULT_BASE_URL,
) -> HttpRequest:
    """Return ``GET /rest/sms/{id}`` or ``GET /rest/sms/reference/{reference}`` (give exactly one)."""
    if (id is None) == (reference is None):
        msg = "give exactly one of id= or reference="
        raise TypeError(msg)
    if id is not None:
        if not isinstance(id, str) or not id.isdigit():
            raise ValidationError("id", id, "a BSG message id is a string of digits")
        path = f"/sms/{id}"
    else:
        if not isinstance(reference, str) or not _REFERENCE.fullmatch(reference):
            raise ValidationError("reference", reference, "1 to 32 Latin letters or digits")
        path = f"/sms/reference/{reference}"
    return json_request("GET", build_url(base_url, path), None, _headers(api_key))


def build_task_request(
    task_id: str, *, api_key: str | Secret, base_url: str = DEFAULT_BASE_URL
) -> HttpRequest:
    """Return ``GET /rest/sms/task/{task_id}``."""
    if not isinstance(task_id, str) or not task_id.isdigit():
        raise ValidationError("task_id", task_id, "a BSG task id is a string of digits")
    return json_request("GET", build_url(base_url, f"/sms/task/{task_id}"), None, _headers(api_key))


def build_balance_request(*, api_key: str | Secret, base_url: str = DEFAULT_BASE_URL) -> HttpRequest:
    """Return ``GET /rest/common/balance``."""
    return json_request("GET", build_url(base_url, "/common/balance"), None, _headers(api_key))


# -- responses ------------------------------------------------------------------------------


def _int(value: object) -> int | None:
    # BSG sends numbers as numbers or as strings, depending on the endpoint and the page.
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def _body(response: HttpResponse) -> Any:
    if not response.body:
        return None
    return response.json()


def _raise_for_request_error(response: HttpResponse, data: Any) -> None:
    """Raise the typed error for a reply that refuses the whole request."""
    code = _int(data.get("error")) if isinstance(data, Mapping) else None
    text = str(data.get("errorDescription") or "") if isinstance(data, Mapping) else ""
    text = text or (ERRORS.get(code, "") if code is not None else "") or response.text[:200]
    if response.status in (401, 403) or code in AUTH_ERRORS:
        raise AuthenticationError(f"BSG refused the API key: {text}", status=response.status, code=code)
    if response.status == 429:
        raise RateLimitedError(
            f"BSG rate limit: {text}", retry_after=retry_after_seconds(response), status=response.status
        )
    raise RejectedError(
        text or f"BSG answered HTTP {response.status}", status=response.status, code=code, body=data
    )


def _item_result(recipient: BsgRecipient, item: Mapping[str, Any]) -> BsgRecipientResult:
    code = _int(item.get("error"))
    description = str(item.get("errorDescription") or ERRORS.get(code or 0, ""))
    if code == 0 and item.get("id") is not None:
        return BsgRecipientResult(
            recipient.msisdn,
            recipient.reference,
            "accepted",
            id=_str(item.get("id")),
            price=parse_decimal(item.get("price")),
            currency=_str(item.get("currency")),
            code=0,
            description=description,
        )
    if code == ERR_REFERENCE_EXISTS:
        return BsgRecipientResult(
            recipient.msisdn,
            recipient.reference,
            "accepted",
            code=code,
            description=description,
            duplicate=True,
        )
    if code == ERR_UNKNOWN:
        return BsgRecipientResult(
            recipient.msisdn, recipient.reference, "unknown", code=code, description=description
        )
    return BsgRecipientResult(
        recipient.msisdn,
        recipient.reference,
        "rejected",
        code=code,
        description=description or "no id returned",
    )


def parse_response(message: BsgMessage, response: HttpResponse) -> tuple[BsgSendResult, str | None]:
    """Read the answer to :func:`build_request` for *message*: one result per recipient.

    Returns the results (in the order of ``message.recipients``) and the bulk ``task_id``.
    A refusal of one recipient (an item with a non-zero ``error``, or a single send answered
    with an error object) is a ``"rejected"`` result carrying BSG's code; error 23 is an
    ``"accepted"`` result with ``duplicate=True``; error 5 ("unknown error") is ``"unknown"``.

    Raises:
        AuthenticationError: the API key was refused (HTTP 401/403, code 1 or 3).
        RateLimitedError: HTTP 429.
        RejectedError: the whole request was refused (a bad originator, a text too long, no
            money...); the code and description are BSG's.
        InvalidResponseError: the answer is not the documented shape.
    """
    data = _body(response)
    single = len(message.recipients) == 1
    if response.status in (401, 403, 429) or response.status >= 500:
        _raise_for_request_error(response, data)
    if not isinstance(data, Mapping):
        raise InvalidResponseError(
            f"BSG answered HTTP {response.status} without a JSON object",
            status=response.status,
            body=response.body,
        )
    result = data.get("result")
    if single:
        item = result if isinstance(result, Mapping) else data  # newer pages show the keys flat
        code = _int(item.get("error"))
        if code is None:
            raise InvalidResponseError(
                "BSG reply has no 'error' field", status=response.status, body=response.body
            )
        if code in AUTH_ERRORS or (code != 0 and code not in _PER_RECIPIENT and code not in TRANSIENT_ERRORS):
            _raise_for_request_error(response, item)
        return BsgSendResult((_item_result(message.recipients[0], item),)), None
    if not isinstance(result, list):
        _raise_for_request_error(response, data)
        raise AssertionError  # unreachable: the call above always raises
    by_reference = {r.reference: r for r in message.recipients}
    results: dict[str, BsgRecipientResult] = {}
    for position, item in enumerate(result):
        if not isinstance(item, Mapping):
            raise InvalidResponseError(
                "BSG result item is not an object", status=response.status, body=response.body
            )
        ref = _str(item.get("reference"))
        recipient = by_reference.get(ref or "")
        if recipient is None and position < len(message.recipients):
            recipient = message.recipients[position]
        if recipient is None:
            continue
        results[recipient.reference] = _item_result(recipient, item)
    missing = [r for r in message.recipients if r.reference not in results]
    for r in missing:
        # BSG said nothing about this recipient: the request reached it, so it may be queued.
        results[r.reference] = BsgRecipientResult(
            r.msisdn, r.reference, "unknown", description="BSG's reply did not mention this reference"
        )
    task_id = _str(data.get("task_id"))
    return BsgSendResult(
        tuple(results[r.reference] for r in message.recipients), (task_id,) if task_id else ()
    ), task_id


#: Error codes that concern one recipient of a single send rather than the request as a whole.
_PER_RECIPIENT = frozenset({20, 21, 22, 23, 27, 31, 33})


def _status_from(item: Mapping[str, Any]) -> BsgStatus:
    return BsgStatus(
        id=str(item.get("id", "")),
        msisdn=str(item.get("msisdn", "")),
        reference=str(item.get("reference", "")),
        status=str(item.get("status", "unknown")),
        time_in=_str(item.get("time_in")),
        time_sent=_str(item.get("time_sent")),
        time_dr=_str(item.get("time_dr")),
        price=parse_decimal(item.get("price")),
        currency=_str(item.get("currency")),
    )


def _ok_object(response: HttpResponse) -> Mapping[str, Any]:
    data = _body(response)
    if response.status != 200 or not isinstance(data, Mapping):
        _raise_for_request_error(response, data)
    assert isinstance(data, Mapping)
    code = _int(data.get("error"))
    if code not in (None, 0):
        _raise_for_request_error(response, data)
    return data


def parse_status_response(response: HttpResponse) -> BsgStatus:
    """Read a status reply; error 20 ("SMS not found") raises :class:`RejectedError` with code 20."""
    return _status_from(_ok_object(response))


def parse_task_response(response: HttpResponse) -> BsgTask:
    """Read a task reply (error 30, "task not found", raises :class:`RejectedError`)."""
    data = _ok_object(response)
    messages = data.get("messages") or []
    return BsgTask(
        task_id=str(data.get("task_id", "")),
        originator=str(data.get("originator", "")),
        body=str(data.get("body", "")),
        validity=_int(data.get("validity")),
        total_price=parse_decimal(data.get("totalprice", data.get("total_price"))),
        currency=_str(data.get("currency")),
        messages=tuple(_status_from(m) for m in messages if isinstance(m, Mapping)),
    )


def parse_price_response(response: HttpResponse) -> BsgPrice:
    """Read a price reply (``{error, totalprice, currency}``)."""
    data = _ok_object(response)
    total = parse_decimal(data.get("totalprice", data.get("total_price")))
    if total is None:
        raise InvalidResponseError(
            "BSG price reply has no totalprice", status=response.status, body=response.body
        )
    return BsgPrice(total, str(data.get("currency", "")))


def parse_balance_response(response: HttpResponse) -> BsgBalance:
    """Read a balance reply (``{error, amount, currency, limit}``)."""
    data = _ok_object(response)
    amount = parse_decimal(data.get("amount"))
    if amount is None:
        raise InvalidResponseError(
            "BSG balance reply has no amount", status=response.status, body=response.body
        )
    return BsgBalance(amount, str(data.get("currency", "")), parse_decimal(data.get("limit")))


# -- operations (shared by the sync and async clients) ----------------------------------------


def _request_code(response: HttpResponse) -> int | None:
    """The error code of a reply that answers for the whole request, if it is one."""
    if response.status not in (200, 400):
        return None
    try:
        data = response.json()
    except InvalidResponseError:
        return None
    if not isinstance(data, Mapping):
        return None
    item = data.get("result") if isinstance(data.get("result"), Mapping) else data
    return _int(item.get("error")) if isinstance(item, Mapping) else None


def _transient(response: HttpResponse) -> bool:
    # A whole-request "busy"/"unknown" code: repeating with the same references is safe.
    return _request_code(response) in TRANSIENT_ERRORS


def _ambiguous(response: HttpResponse) -> bool:
    # "Unknown error": the request may have been stored before it failed.
    return _request_code(response) == ERR_UNKNOWN


def _send_batch(
    message: BsgMessage,
    *,
    api_key: Secret,
    base_url: str,
    max_attempts: int,
    now: datetime | None,
) -> Operation[tuple[BsgSendResult, ProviderError | None]]:
    """Send one request's worth of recipients, repeating only the recipients still in doubt.

    Returns the per-recipient results and, when the request as a whole was refused before any
    of it was accepted, the error (so the caller can stop or report it).
    """
    final: dict[str, BsgRecipientResult] = {}
    pending = list(message.recipients)
    task_ids: list[str] = []
    maybe_delivered: set[str] = set()
    attempts_left = max_attempts
    last_error: ProviderError | None = None
    while pending and attempts_left > 0:
        batch = BsgMessage(
            message.originator,
            message.body,
            tuple(pending),
            message.validity,
            message.tariff,
            message.send_time,
        )
        request = build_request(batch, api_key=api_key, base_url=base_url, now=now)
        attempt = yield from exchange(
            request,
            idempotent=True,
            max_attempts=attempts_left,
            transient_status=_transient,
            ambiguous_status=_ambiguous,
        )
        attempts_left -= attempt.attempts
        if attempt.maybe_delivered:
            maybe_delivered.update(r.reference for r in pending)
        if attempt.response is None:
            assert attempt.error is not None
            last_error = attempt.error
            break
        try:
            parsed, task_id = parse_response(batch, attempt.response)
        except (RateLimitedError, RejectedError) as exc:
            if (
                isinstance(exc, RejectedError)
                and exc.code not in TRANSIENT_ERRORS
                and (exc.status is None or exc.status < 500)
            ):
                # A definite refusal of the whole request: nothing in it was accepted.
                for r in pending:
                    final[r.reference] = BsgRecipientResult(
                        r.msisdn, r.reference, "rejected", code=_int(exc.code), description=exc.message
                    )
                pending = []
                break
            last_error = exc
            if isinstance(exc, RejectedError) and exc.code == ERR_UNKNOWN:
                maybe_delivered.update(r.reference for r in pending)
            break
        if task_id:
            task_ids.append(task_id)
        still: list[BsgRecipient] = []
        for r, res in zip(batch.recipients, parsed.recipients, strict=True):
            if res.outcome == "unknown" or res.code in TRANSIENT_ERRORS:
                if res.outcome == "unknown":
                    maybe_delivered.add(r.reference)
                still.append(r)
                final[r.reference] = res
            else:
                final[r.reference] = res
        pending = still
        if pending and attempts_left > 0:
            yield Sleep(backoff_delay(max_attempts - attempts_left))
    for r in pending:
        previous = final.get(r.reference)
        if r.reference in maybe_delivered:
            detail = (
                previous.description
                if previous is not None and previous.description
                else str(last_error or "")
            )
            final[r.reference] = BsgRecipientResult(
                r.msisdn, r.reference, "unknown", code=previous.code if previous else None, description=detail
            )
        elif previous is not None:
            final[r.reference] = BsgRecipientResult(
                r.msisdn, r.reference, "rejected", code=previous.code, description=previous.description
            )
    # Read back the ids of messages BSG already had (error 23): best effort, reads are safe.
    for ref, res in list(final.items()):
        if res.duplicate and res.id is None:
            lookup = yield from exchange(
                build_status_request(api_key=api_key, reference=ref, base_url=base_url), idempotent=True
            )
            if lookup.response is not None and lookup.response.status == 200:
                try:
                    status = parse_status_response(lookup.response)
                except ProviderError:
                    continue
                final[ref] = BsgRecipientResult(
                    res.msisdn,
                    ref,
                    "accepted",
                    id=status.id or None,
                    price=status.price,
                    currency=status.currency,
                    code=res.code,
                    description=res.description,
                    duplicate=True,
                )
    results = tuple(final[r.reference] for r in message.recipients if r.reference in final)
    fatal = last_error if len(results) < len(message.recipients) else None
    return BsgSendResult(results, tuple(task_ids)), fatal


def _send(
    messages: Sequence[BsgMessage],
    *,
    api_key: Secret,
    base_url: str,
    max_attempts: int,
    now: datetime | None,
    preview: Preview,
) -> Operation[BsgSendResult]:
    (sent,) = preview.messages
    parts, encoding = sent.parts, sent.encoding.value
    results: list[BsgRecipientResult] = []
    task_ids: list[str] = []
    for index, message in enumerate(messages):
        batch, fatal = yield from _send_batch(
            message, api_key=api_key, base_url=base_url, max_attempts=max_attempts, now=now
        )
        results.extend(batch.recipients)
        task_ids.extend(batch.task_ids)
        if fatal is not None:
            done = {r.reference for r in batch.recipients}
            left = [r.msisdn for r in message.recipients if r.reference not in done]
            left += [r.msisdn for m in messages[index + 1 :] for r in m.recipients]
            partial = BsgSendResult(tuple(results), tuple(task_ids), parts, encoding, preview)
            raise halted(partial if results else None, fatal, left)
    result = BsgSendResult(tuple(results), tuple(task_ids), parts, encoding, preview)
    unknown = result.unknown
    if unknown:
        settled = tuple(r for r in result.recipients if r.outcome != "unknown")
        raise unknown_outcome(
            "BSG sms/create",
            [(r.msisdn, r.reference) for r in unknown],
            unknown[0].description or "no answer",
            BsgSendResult(settled, result.task_ids, parts, encoding, preview) if settled else None,
        )
    return result


# -- clients --------------------------------------------------------------------------------


def _normalise_recipients(
    recipients: str | BsgRecipient | Iterable[str | BsgRecipient | tuple[str, str]],
    idempotency_key: str | None,
) -> list[BsgRecipient]:
    if isinstance(recipients, (str, BsgRecipient)):
        recipients = [recipients]
    out: list[BsgRecipient] = []
    for i, item in enumerate(recipients):
        if isinstance(item, BsgRecipient):
            number, reference = item.msisdn, item.reference
        elif isinstance(item, tuple) and len(item) == 2:
            number, reference = item
        elif isinstance(item, str):
            number, reference = item, ""
        else:
            msg = (
                f"recipients[{i}] must be a phone number str, a (msisdn, reference) tuple or a "
                f"BsgRecipient, not {type(item).__name__}"
            )
            raise TypeError(msg)
        if not isinstance(number, str):
            raise ValidationError(f"recipients[{i}]", number, "a phone number is a str of digits")
        number = number.strip()
        number = number[1:] if number.startswith("+") else number
        if not reference:
            reference = reference_for(idempotency_key, number) if idempotency_key else uuid.uuid4().hex
        out.append(BsgRecipient(number, reference))
    if not out:
        raise ValidationError("recipients", out, "at least one recipient")
    return out


class _BsgBase:
    """Configuration and operations shared by :class:`BsgClient` and :class:`AsyncBsgClient`."""

    def __init__(
        self,
        api_key: str | Secret,
        *,
        base_url: str = DEFAULT_BASE_URL,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    ) -> None:
        self._api_key = Secret(api_key)
        if not self._api_key:
            msg = "api_key must not be empty: BSG authenticates every request with X-API-KEY"
            raise ValueError(msg)
        if self._api_key.reveal().startswith("test_"):
            warnings.warn(
                "a BSG test_ key gets random answers (BSG: 'for system debugging'); "
                "use a live_ key, or the sandbox, to see real behaviour",
                UserWarning,
                stacklevel=3,
            )
        self.base_url = base_url
        self.max_attempts = max_attempts

    def __repr__(self) -> str:
        return f"{type(self).__name__}(api_key={self._api_key!r}, base_url={self.base_url!r})"

    def _prepare(
        self,
        text: str,
        recipients: Any,
        *,
        originator: str,
        validity: int | None,
        tariff: int | None,
        send_time: str | datetime | None,
        idempotency_key: str | None,
        encoding: str,
        invalid_characters: str,
        max_parts: int | None,
    ) -> tuple[list[BsgMessage], Preview, datetime]:
        if not isinstance(text, str):
            msg = f"text must be a str, not {type(text).__name__}"
            raise TypeError(msg)
        if max_parts is not None:
            _check_int("max_parts", max_parts, 1, MAX_PARTS)
        people = _normalise_recipients(recipients, idempotency_key)
        preview = _preview(text, [r.msisdn for r in people], None, encoding, invalid_characters, max_parts)
        body = preview.messages[0].text
        if isinstance(send_time, datetime):
            if send_time.tzinfo is None:
                raise ValidationError("send_time", send_time, "must be an aware datetime (with tzinfo)")
            send_time = send_time.isoformat()
        seen: dict[str, int] = {}
        for i, r in enumerate(people):
            if r.msisdn in seen:
                raise ValidationError(
                    f"recipients[{i}]",
                    r.msisdn,
                    f"the same number as recipients[{seen[r.msisdn]}]: send it once",
                )
            seen[r.msisdn] = i
        messages = [
            BsgMessage(
                originator,
                body,
                tuple(people[i : i + MAX_RECIPIENTS_PER_REQUEST]),
                validity,
                tariff,
                send_time,
            )
            for i in range(0, len(people), MAX_RECIPIENTS_PER_REQUEST)
        ]
        now = datetime.now(UTC)
        for m in messages:  # all of them before anything leaves
            validate_message(m, now=now)
        return messages, preview, now

    def preview(
        self,
        text: str,
        recipients: Any = (),
        *,
        tariff: TariffLike | None = None,
        encoding: str = "GSM7",
        invalid_characters: str = "TO_UTF16",
        max_parts: int | None = None,
    ) -> Preview:
        """What a send would be -- encoding, parts, policy changes, cut text, cost -- without
        sending (no I/O, so not a coroutine on the async client either)."""
        numbers = [r.msisdn for r in _normalise_recipients(recipients, "preview")] if recipients else []
        return _preview(text, numbers, tariff, encoding, invalid_characters, max_parts)

    def _send_op(self, text: str, recipients: Any, **options: Any) -> Operation[BsgSendResult]:
        messages, preview, now = self._prepare(text, recipients, **options)
        return _send(
            messages,
            api_key=self._api_key,
            base_url=self.base_url,
            max_attempts=self.max_attempts,
            now=now,
            preview=preview,
        )

    def _price_op(self, text: str, recipients: Any, **options: Any) -> Operation[BsgPrice]:
        messages = self._prepare(text, recipients, **options)[0]

        def op() -> Operation[BsgPrice]:
            total = Decimal(0)
            currency = ""
            for m in messages:
                price = yield from read(
                    build_price_request(m, api_key=self._api_key, base_url=self.base_url),
                    parse_price_response,
                )
                total += price.total_price
                currency = price.currency
            return BsgPrice(total, currency)

        return op()

    def _status_op(self, id: str | None, reference: str | None) -> Operation[BsgStatus]:
        req = build_status_request(api_key=self._api_key, id=id, reference=reference, base_url=self.base_url)
        return read(req, parse_status_response)

    def _task_op(self, task_id: str) -> Operation[BsgTask]:
        return read(
            build_task_request(task_id, api_key=self._api_key, base_url=self.base_url), parse_task_response
        )

    def _balance_op(self) -> Operation[BsgBalance]:
        return read(
            build_balance_request(api_key=self._api_key, base_url=self.base_url), parse_balance_response
        )


_SEND_DOC = """
        Args:
            text: The message. It is segmented first (*encoding*, *invalid_characters*,
                *max_parts* as :func:`smsencode.segment` takes them) and the text the policy
                produced is what BSG receives; empty text is refused.
            recipients: A number, or numbers, ``(msisdn, reference)`` pairs or
                :class:`BsgRecipient` s. More than 50 are sent in several requests.
            originator: The sender shown on the handset.
            validity: Hours the message stays deliverable (1..72).
            tariff: Price grid code (0..9).
            send_time: When to send (aware ``datetime`` or ISO 8601 string, within 30 days).
            idempotency_key: Derive every missing reference from this key and the number, so
                that repeating the same send (after an :class:`UnknownOutcomeError`) is
                answered "already accepted" instead of sending again. Without it, each call
                draws fresh random references.

        Returns:
            One :class:`BsgRecipientResult` per recipient, accepted or rejected with BSG's code.

        Raises:
            ValidationError: a documented limit is broken (nothing was sent).
            UnknownOutcomeError: some recipients' messages may have been accepted; their
                numbers and references are on the error. Not resent.
            PartialSendError: some recipients were settled (``accepted[0]`` is the
                :class:`BsgSendResult`) before an error stopped or clouded the rest.
            AuthenticationError, RateLimitedError, TransportError: nothing was accepted.
"""


class BsgClient(_BsgBase):
    """Send SMS and read statuses, prices and the balance through BSG's REST API.

    >>> client = BsgClient("live_0123456789abcdef", base_url="http://127.0.0.1:8000")
    >>> client
    BsgClient(api_key=Secret('***'), base_url='http://127.0.0.1:8000')

    Args:
        api_key: The ``X-API-KEY`` (``live_...``; ``test_...`` keys get random answers).
        base_url: The REST root (scheme, host and ``/rest``); paths such as ``/sms/create`` are appended.
        transport: How requests travel (default: :class:`~smsencode.providers.HttpxTransport`).
        max_attempts: Tries per request for what is safe to repeat.
        sleep: How to wait between attempts (tests pass a fake).
    """

    def __init__(
        self,
        api_key: str | Secret,
        *,
        base_url: str = DEFAULT_BASE_URL,
        transport: Transport | None = None,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        super().__init__(api_key, base_url=base_url, max_attempts=max_attempts)
        self.transport: Transport = transport if transport is not None else HttpxTransport()
        self._sleep = sleep

    def send(
        self,
        text: str,
        recipients: Any,
        *,
        originator: str,
        validity: int | None = None,
        tariff: int | None = None,
        send_time: str | datetime | None = None,
        idempotency_key: str | None = None,
        encoding: str = "GSM7",
        invalid_characters: str = "TO_UTF16",
        max_parts: int | None = None,
    ) -> BsgSendResult:
        op = self._send_op(
            text,
            recipients,
            originator=originator,
            validity=validity,
            tariff=tariff,
            send_time=send_time,
            idempotency_key=idempotency_key,
            encoding=encoding,
            invalid_characters=invalid_characters,
            max_parts=max_parts,
        )
        return run(op, self.transport, self._sleep)

    send.__doc__ = "Send *text* to *recipients*; never twice to the same reference.\n" + _SEND_DOC

    def price(
        self,
        text: str,
        recipients: Any,
        *,
        originator: str,
        validity: int | None = None,
        tariff: int | None = None,
        encoding: str = "GSM7",
        invalid_characters: str = "TO_UTF16",
        max_parts: int | None = None,
    ) -> BsgPrice:
        """Ask BSG what sending *text* to *recipients* would cost (``PUT /sms/price``); nothing is sent."""
        op = self._price_op(
            text,
            recipients,
            originator=originator,
            validity=validity,
            tariff=tariff,
            send_time=None,
            idempotency_key=None,
            encoding=encoding,
            invalid_characters=invalid_characters,
            max_parts=max_parts,
        )
        return run(op, self.transport, self._sleep)

    def status(self, id: str | None = None, *, reference: str | None = None) -> BsgStatus:
        """Status of one SMS by BSG id or by your reference."""
        return run(self._status_op(id, reference), self.transport, self._sleep)

    def task(self, task_id: str) -> BsgTask:
        """A bulk task and the status of each of its messages."""
        return run(self._task_op(task_id), self.transport, self._sleep)

    def balance(self) -> BsgBalance:
        """The account balance."""
        return run(self._balance_op(), self.transport, self._sleep)


class AsyncBsgClient(_BsgBase):
    """The async twin of :class:`BsgClient` (same arguments; methods are coroutines)."""

    def __init__(
        self,
        api_key: str | Secret,
        *,
        base_url: str = DEFAULT_BASE_URL,
        transport: AsyncTransport | None = None,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        super().__init__(api_key, base_url=base_url, max_attempts=max_attempts)
        self.transport: AsyncTransport = transport if transport is not None else AsyncHttpxTransport()
        self._sleep = sleep

    async def send(
        self,
        text: str,
        recipients: Any,
        *,
        originator: str,
        validity: int | None = None,
        tariff: int | None = None,
        send_time: str | datetime | None = None,
        idempotency_key: str | None = None,
        encoding: str = "GSM7",
        invalid_characters: str = "TO_UTF16",
        max_parts: int | None = None,
    ) -> BsgSendResult:
        op = self._send_op(
            text,
            recipients,
            originator=originator,
            validity=validity,
            tariff=tariff,
            send_time=send_time,
            idempotency_key=idempotency_key,
            encoding=encoding,
            invalid_characters=invalid_characters,
            max_parts=max_parts,
        )
        return await run_async(op, self.transport, self._sleep)

    send.__doc__ = BsgClient.send.__doc__

    async def price(
        self,
        text: str,
        recipients: Any,
        *,
        originator: str,
        validity: int | None = None,
        tariff: int | None = None,
        encoding: str = "GSM7",
        invalid_characters: str = "TO_UTF16",
        max_parts: int | None = None,
    ) -> BsgPrice:
        """See :meth:`BsgClient.price`."""
        op = self._price_op(
            text,
            recipients,
            originator=originator,
            validity=validity,
            tariff=tariff,
            send_time=None,
            idempotency_key=None,
            encoding=encoding,
            invalid_characters=invalid_characters,
            max_parts=max_parts,
        )
        return await run_async(op, self.transport, self._sleep)

    async def status(self, id: str | None = None, *, reference: str | None = None) -> BsgStatus:
        """See :meth:`BsgClient.status`."""
        return await run_async(self._status_op(id, reference), self.transport, self._sleep)

    async def task(self, task_id: str) -> BsgTask:
        """See :meth:`BsgClient.task`."""
        return await run_async(self._task_op(task_id), self.transport, self._sleep)

    async def balance(self) -> BsgBalance:
        """See :meth:`BsgClient.balance`."""
        return await run_async(self._balance_op(), self.transport, self._sleep)


def _preview(
    text: str,
    numbers: Sequence[str],
    tariff: TariffLike | None,
    encoding: str,
    invalid_characters: str,
    max_parts: int | None,
) -> Preview:
    preview = preview_text(
        "bsg",
        text,
        numbers,
        field="body",
        encoding=encoding,
        invalid_characters=invalid_characters,
        max_parts=max_parts,
        tariff=tariff,
        batch_size=MAX_RECIPIENTS_PER_REQUEST,
    )
    parts = preview.messages[0].parts
    if parts <= MAX_PARTS:
        return preview
    note = (
        f"BSG accepts at most {MAX_PARTS} parts and this text needs {parts}: "
        f"pass max_parts={MAX_PARTS} to cut it, or shorten it"
    )
    return dataclasses.replace(preview, notes=(note,))
