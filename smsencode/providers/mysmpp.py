"""Client for the mysmpp JSON API (Webcom Mobi A2P platform): send, status, balance.

Credentials travel in the JSON body -- ``login`` and ``password``, or a ``token`` -- with the
header ``Content-type: text/json; charset=utf-8``. Every recipient of a send carries a
``client_id_sms``: the platform never sends two messages with the same id from one account and
answers a repeat with the id of the message already sent. This client always sets it (derived
from ``idempotency_key`` when given, random otherwise), so a send whose answer was lost is
repeated safely with the same ids.

>>> from smsencode.providers.mysmpp import MySmppMessage, MySmppRecipient, build_request
>>> req = build_request(
...     [MySmppMessage("Shop", "Hello", (MySmppRecipient("79612242243", 101),))], token="t0k3n"
... )
>>> req.method, req.url, req.header("Content-Type")
('POST', 'https://lk.mysmpp.ru/json', 'text/json; charset=utf-8')
>>> req.json()["message"][0]["phones"]
[{'phone': '79612242243', 'client_id_sms': '101'}]
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Literal

from smsencode.providers._flow import (
    DEFAULT_MAX_ATTEMPTS,
    Operation,
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
    "CONTENT_TYPE",
    "DEFAULT_BASE_URL",
    "MAX_RECIPIENTS_PER_REQUEST",
    "MOSCOW",
    "STATES",
    "AsyncMySmppClient",
    "MySmppBalance",
    "MySmppClient",
    "MySmppMessage",
    "MySmppRecipient",
    "MySmppRecipientResult",
    "MySmppSendResult",
    "MySmppStatus",
    "build_balance_request",
    "build_request",
    "build_status_request",
    "client_id_for",
    "parse_balance_response",
    "parse_response",
    "parse_status_response",
    "validate_messages",
]

#: The documented host is ``http://lk.mysmpp.ru``; credentials travel in the body, so the client
#: defaults to HTTPS. Pass ``base_url="http://lk.mysmpp.ru"`` to use the documented scheme.
DEFAULT_BASE_URL = "https://lk.mysmpp.ru"

#: The documented request header (some PHP back ends read the raw body only for this type).
CONTENT_TYPE = "text/json; charset=utf-8"

#: No batch limit is documented; requests are kept to this many recipients.
MAX_RECIPIENTS_PER_REQUEST = 1000

#: ``validity_period`` is platform local time; the platform is in Moscow (UTC+3, no DST).
MOSCOW = timezone(timedelta(hours=3), "MSK")

#: The ``state`` vocabulary of the status request, and which states are final.
STATES = ("send", "deliver", "read", "not_deliver", "expired", "partly_deliver")
FINAL_STATES = frozenset({"read", "not_deliver", "expired"})

#: Document-level error texts that mean the credentials cannot be used (EN and RU accounts).
_AUTH_TEXTS = ("incorrect login or password", "your account is locked", "account blocked", "неверный логин")

_VALIDITY_FORMAT = "%Y-%m-%d %H:%M:%S"
_PHONE = re.compile(r"[0-9]{7,14}")
_MAX_CLIENT_ID = 2**63 - 1

Outcome = Literal["accepted", "rejected", "unknown"]


@dataclass(frozen=True)
class MySmppRecipient:
    """One phone of a message: number (digits only, fewer than 15), its ``client_id_sms``, and
    optionally the ``validity_period`` (``YYYY-MM-DD HH:MM:SS``, Moscow time)."""

    phone: str
    client_id_sms: int
    validity_period: str | None = None


@dataclass(frozen=True)
class MySmppMessage:
    """One entry of ``message[]``: one text from one sender to its phones."""

    sender: str
    text: str
    phones: tuple[MySmppRecipient, ...]
    type_send_1: str = "sms"


@dataclass(frozen=True)
class MySmppRecipientResult:
    """What became of one phone: ``"accepted"`` with ``id_sms``, ``"rejected"`` with the
    platform's ``error`` text, or ``"unknown"`` (check with the ``client_id_sms`` before resending)."""

    phone: str
    client_id_sms: int
    outcome: Outcome
    id_sms: str | None = None
    state: str | None = None
    error: str = ""


@dataclass(frozen=True)
class MySmppSendResult:
    """Per-phone results of a send, in the order given."""

    recipients: tuple[MySmppRecipientResult, ...]
    parts: int = 0
    encoding: str = ""
    #: What was sent, as the client's ``preview()`` shows it beforehand: encoding, parts, what the
    #: invalid-character policy changed and what ``max_parts`` cut (``truncated``, ``dropped``).
    preview: Preview | None = None

    @property
    def accepted(self) -> tuple[MySmppRecipientResult, ...]:
        """Phones whose message the platform took (or had taken under the same id)."""
        return tuple(r for r in self.recipients if r.outcome == "accepted")

    @property
    def rejected(self) -> tuple[MySmppRecipientResult, ...]:
        """Phones the platform refused, with its error text."""
        return tuple(r for r in self.recipients if r.outcome == "rejected")

    @property
    def unknown(self) -> tuple[MySmppRecipientResult, ...]:
        """Phones whose message may or may not have been taken."""
        return tuple(r for r in self.recipients if r.outcome == "unknown")


@dataclass(frozen=True)
class MySmppStatus:
    """The state of one SMS (``/json/state.php``); ``error`` is set when the platform has none."""

    id_sms: str
    state: str
    time_change_state: str | None = None
    num_parts: int | None = None
    price: Decimal | None = None
    error: str = ""

    @property
    def final(self) -> bool:
        """Whether the state will not change any more."""
        return self.state in FINAL_STATES


@dataclass(frozen=True)
class MySmppBalance:
    """Money left and SMS left per type and area (``num_sms`` may be ``"Unlim"``)."""

    money: Decimal
    currency: str
    information: tuple[tuple[str, str, str], ...] = ()


# -- validation -----------------------------------------------------------------------------


def client_id_for(key: str, phone: str) -> int:
    """The ``client_id_sms`` of *phone* in the send identified by *key* (a positive 62-bit int).

    >>> client_id_for("order-17", "79612242243") == client_id_for("order-17", "79612242243")
    True
    """
    digest = hashlib.sha256(f"mysmpp\0{key}\0{phone}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 2 or 1


def validate_sender(sender: object, field: str = "sender") -> str:
    """``sender``: at most 15 digits, or at most 11 characters when it has anything but digits."""
    if not isinstance(sender, str) or not sender.strip():
        raise ValidationError(field, sender, "a sender is required (No sender)")
    if sender.isdigit():
        if len(sender) > 15:
            raise ValidationError(field, sender, "a numeric sender has at most 15 digits")
    elif len(sender) > 11:
        raise ValidationError(field, sender, "an alphanumeric sender has at most 11 characters")
    return sender


def format_validity(value: str | datetime, field: str = "validity_period") -> str:
    """``validity_period`` as ``YYYY-MM-DD HH:MM:SS``; an aware datetime is moved to Moscow time."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(MOSCOW)
        return value.strftime(_VALIDITY_FORMAT)
    if isinstance(value, str):
        try:
            datetime.strptime(value, _VALIDITY_FORMAT)
        except ValueError:
            pass
        else:
            return value
    raise ValidationError(field, value, "a date and time 'YYYY-MM-DD HH:MM:SS' (Moscow time)")


def validate_messages(messages: Sequence[MySmppMessage], *, now: datetime | None = None) -> None:
    """Check *messages* against the documented limits; raise :class:`ValidationError`.

    *now* (aware) enables the check that every ``validity_period`` lies in the future.
    """
    if not messages:
        raise ValidationError("message", list(messages), "at least one message")
    seen_ids: set[int] = set()
    total = 0
    for m, message in enumerate(messages):
        where = f"message[{m}]"
        if message.type_send_1 not in ("sms", "viber"):
            raise ValidationError(f"{where}.type_send_1", message.type_send_1, "'sms' or 'viber'")
        validate_sender(message.sender, f"{where}.sender")
        if not isinstance(message.text, str) or not message.text:
            raise ValidationError(f"{where}.text", message.text, "a message needs text (No message text)")
        if not message.phones:
            raise ValidationError(f"{where}.phones", [], "at least one phone (Specify phone number)")
        for p, r in enumerate(message.phones):
            pwhere = f"{where}.phones[{p}]"
            if not isinstance(r.phone, str) or not _PHONE.fullmatch(r.phone):
                raise ValidationError(
                    f"{pwhere}.phone", r.phone, "7 to 14 digits, country code first, no '+' (fewer than 15)"
                )
            cid = r.client_id_sms
            if isinstance(cid, bool) or not isinstance(cid, int) or not 1 <= cid <= _MAX_CLIENT_ID:
                raise ValidationError(f"{pwhere}.client_id_sms", cid, "a positive integer below 2**63")
            if cid in seen_ids:
                raise ValidationError(
                    f"{pwhere}.client_id_sms", cid, "unique: the platform sends one SMS per id"
                )
            seen_ids.add(cid)
            if r.validity_period is not None:
                text = format_validity(r.validity_period, f"{pwhere}.validity_period")
                if now is not None:
                    when = datetime.strptime(text, _VALIDITY_FORMAT).replace(tzinfo=MOSCOW)
                    if when <= now:
                        raise ValidationError(f"{pwhere}.validity_period", text, "must lie in the future")
        total += len(message.phones)
    if total > MAX_RECIPIENTS_PER_REQUEST:
        raise ValidationError("message", total, f"at most {MAX_RECIPIENTS_PER_REQUEST} phones per request")


# -- requests -------------------------------------------------------------------------------


def _auth(
    login: str | Secret | None, password: str | Secret | None, token: str | Secret | None
) -> dict[str, str]:
    def reveal(value: str | Secret | None) -> str:
        return value.reveal() if isinstance(value, Secret) else (value or "")

    if token:
        return {"token": reveal(token)}
    if login and password:
        return {"login": reveal(login), "password": reveal(password)}
    msg = "mysmpp needs token=, or login= and password="
    raise ValueError(msg)


def _post(base_url: str, path: str, payload: dict[str, Any]) -> HttpRequest:
    return json_request("POST", build_url(base_url, path), payload, content_type=CONTENT_TYPE)


def build_request(
    messages: Sequence[MySmppMessage],
    *,
    login: str | Secret | None = None,
    password: str | Secret | None = None,
    token: str | Secret | None = None,
    base_url: str = DEFAULT_BASE_URL,
    now: datetime | None = None,
) -> HttpRequest:
    """Validate *messages* and return the ``POST /json`` send request.

    Numbers and ids are written as strings, as in the documentation's example.
    """
    validate_messages(messages, now=now)
    payload: dict[str, Any] = _auth(login, password, token)
    entries = []
    for message in messages:
        phones = []
        for r in message.phones:
            phone: dict[str, str] = {"phone": r.phone, "client_id_sms": str(r.client_id_sms)}
            if r.validity_period is not None:
                phone["validity_period"] = format_validity(r.validity_period)
            phones.append(phone)
        entries.append(
            {
                "type_send_1": message.type_send_1,
                "sender": message.sender,
                "text": message.text,
                "phones": phones,
            }
        )
    payload["message"] = entries
    return _post(base_url, "/json", payload)


def build_status_request(
    id_sms: str | int | Sequence[str | int],
    *,
    detail: bool = True,
    login: str | Secret | None = None,
    password: str | Secret | None = None,
    token: str | Secret | None = None,
    base_url: str = DEFAULT_BASE_URL,
) -> HttpRequest:
    """Return ``POST /json/state.php`` for one id or several (``detail`` adds parts and price)."""
    ids = [id_sms] if isinstance(id_sms, (str, int)) else list(id_sms)
    if not ids:
        raise ValidationError("id_sms", ids, "at least one id")
    for i in ids:
        if isinstance(i, bool) or not str(i).isdigit():
            raise ValidationError("id_sms", i, "an id_sms is a number")
    payload: dict[str, Any] = _auth(login, password, token)
    payload["id_sms"] = str(ids[0]) if len(ids) == 1 else [str(i) for i in ids]
    payload["detail"] = 1 if detail else 0
    return _post(base_url, "/json/state.php", payload)


def build_balance_request(
    *,
    login: str | Secret | None = None,
    password: str | Secret | None = None,
    token: str | Secret | None = None,
    base_url: str = DEFAULT_BASE_URL,
) -> HttpRequest:
    """Return ``POST /json/balance.php``."""
    return _post(base_url, "/json/balance.php", _auth(login, password, token))


# -- responses ------------------------------------------------------------------------------


def _raise_document_error(response: HttpResponse, data: Any) -> None:
    text = str(data.get("error")) if isinstance(data, Mapping) and data.get("error") else response.text[:200]
    if response.status == 429:
        raise RateLimitedError(
            f"mysmpp rate limit: {text}", retry_after=retry_after_seconds(response), status=response.status
        )
    if response.status in (401, 403) or any(t in text.lower() for t in _AUTH_TEXTS):
        raise AuthenticationError(f"mysmpp refused the credentials: {text}", status=response.status)
    raise RejectedError(text or f"mysmpp answered HTTP {response.status}", status=response.status, body=data)


def _json(response: HttpResponse) -> Any:
    return response.json() if response.body else None


def parse_response(messages: Sequence[MySmppMessage], response: HttpResponse) -> MySmppSendResult:
    """Read the answer to :func:`build_request`: one result per phone, in order.

    ``information[]`` lists the phones in request order; an entry with ``id_sms`` is accepted,
    one with only ``error`` refused. Phones the answer does not cover are ``"unknown"``.

    Raises:
        AuthenticationError: wrong login/password or token, or a locked account.
        RateLimitedError: HTTP 429.
        RejectedError: the document as a whole was refused (``{"error": ...}``).
        InvalidResponseError: the answer is not the documented shape.
    """
    data = _json(response)
    if response.status != 200 or not isinstance(data, Mapping) or "information" not in data:
        if response.status == 200 and not (isinstance(data, Mapping) and data.get("error")):
            raise InvalidResponseError(
                "mysmpp answered 200 without 'information'", status=response.status, body=response.body
            )
        _raise_document_error(response, data)
    assert isinstance(data, Mapping)
    info = data["information"]
    if not isinstance(info, list):
        raise InvalidResponseError(
            "mysmpp 'information' is not a list", status=response.status, body=response.body
        )
    phones = [r for m in messages for r in m.phones]
    out: list[MySmppRecipientResult] = []
    for i, r in enumerate(phones):
        item = info[i] if i < len(info) and isinstance(info[i], Mapping) else None
        if item is None:
            out.append(
                MySmppRecipientResult(
                    r.phone, r.client_id_sms, "unknown", error="the answer did not cover this phone"
                )
            )
        elif item.get("id_sms") not in (None, ""):
            out.append(
                MySmppRecipientResult(
                    r.phone,
                    r.client_id_sms,
                    "accepted",
                    id_sms=str(item["id_sms"]),
                    state=str(item.get("state") or ""),
                )
            )
        else:
            text = str(item.get("error") or "refused without a reason")
            out.append(MySmppRecipientResult(r.phone, r.client_id_sms, "rejected", error=text))
    return MySmppSendResult(tuple(out))


def parse_status_response(response: HttpResponse) -> tuple[MySmppStatus, ...]:
    """Read a status answer: one :class:`MySmppStatus` per id asked for."""
    data = _json(response)
    if response.status != 200 or (isinstance(data, Mapping) and "error" in data and "id_sms" not in data):
        _raise_document_error(response, data)
    items = data if isinstance(data, list) else [data]
    out = []
    for item in items:
        if not isinstance(item, Mapping):
            raise InvalidResponseError(
                "mysmpp status item is not an object", status=response.status, body=response.body
            )
        parts = item.get("num_parts")
        out.append(
            MySmppStatus(
                id_sms=str(item.get("id_sms", "")),
                state=str(item.get("state") or ""),
                time_change_state=str(item["time_change_state"]) if item.get("time_change_state") else None,
                num_parts=int(parts) if isinstance(parts, (int, str)) and str(parts).isdigit() else None,
                price=parse_decimal(item.get("price")),
                error=str(item.get("error") or ""),
            )
        )
    return tuple(out)


def parse_balance_response(response: HttpResponse) -> MySmppBalance:
    """Read a balance answer (numbers arrive as strings)."""
    data = _json(response)
    if response.status != 200 or not isinstance(data, Mapping) or "money" not in data:
        _raise_document_error(response, data)
    assert isinstance(data, Mapping)
    money = parse_decimal(data.get("money"))
    if money is None:
        raise InvalidResponseError("mysmpp balance has no money", status=response.status, body=response.body)
    info = tuple(
        (str(i.get("type_sms", "")), str(i.get("area", "")), str(i.get("num_sms", "")))
        for i in data.get("information") or []
        if isinstance(i, Mapping)
    )
    return MySmppBalance(money, str(data.get("currency", "")), info)


# -- operations -----------------------------------------------------------------------------


def _send(
    messages: Sequence[MySmppMessage],
    *,
    credentials: dict[str, Secret | None],
    base_url: str,
    max_attempts: int,
    now: datetime,
    preview: Preview,
) -> Operation[MySmppSendResult]:
    (sent,) = preview.messages
    parts, encoding = sent.parts, sent.encoding.value
    results: list[MySmppRecipientResult] = []
    for index, message in enumerate(messages):
        request = build_request([message], base_url=base_url, now=now, **credentials)
        # Every phone carries a client_id_sms, so repeating after a lost answer cannot double.
        attempt = yield from exchange(request, idempotent=True, max_attempts=max_attempts)
        error: ProviderError | None = None
        if attempt.response is None:
            assert attempt.error is not None
            error = attempt.error
        else:
            try:
                batch = parse_response([message], attempt.response)
            except (AuthenticationError, RateLimitedError, RejectedError) as exc:
                if isinstance(exc, RejectedError) and (exc.status or 0) < 500:
                    results.extend(
                        MySmppRecipientResult(r.phone, r.client_id_sms, "rejected", error=exc.message)
                        for r in message.phones
                    )
                    continue
                error = exc
            else:
                results.extend(batch.recipients)
                continue
        if attempt.maybe_delivered:
            results.extend(
                MySmppRecipientResult(r.phone, r.client_id_sms, "unknown", error=attempt.detail)
                for r in message.phones
            )
            continue
        left = [r.phone for m in messages[index:] for r in m.phones]
        done = MySmppSendResult(tuple(results), parts, encoding, preview) if results else None
        raise halted(done, error, left)
    result = MySmppSendResult(tuple(results), parts, encoding, preview)
    unknown = result.unknown
    if unknown:
        settled = tuple(r for r in results if r.outcome != "unknown")
        raise unknown_outcome(
            "mysmpp send",
            [(r.phone, str(r.client_id_sms)) for r in unknown],
            unknown[0].error,
            MySmppSendResult(settled, parts, encoding, preview) if settled else None,
        )
    return result


# -- clients --------------------------------------------------------------------------------


def _normalise(
    recipients: str | int | MySmppRecipient | Iterable[str | int | MySmppRecipient],
    idempotency_key: str | None,
    validity_period: str | datetime | None,
) -> list[MySmppRecipient]:
    if isinstance(recipients, (str, int, MySmppRecipient)):
        recipients = [recipients]
    validity = None if validity_period is None else format_validity(validity_period)
    out: list[MySmppRecipient] = []
    for i, item in enumerate(recipients):
        if isinstance(item, MySmppRecipient):
            out.append(item)
            continue
        if isinstance(item, bool) or not isinstance(item, (str, int)):
            kind = type(item).__name__
            msg = f"recipients[{i}] must be a phone number (str or int) or a MySmppRecipient, not {kind}"
            raise TypeError(msg)
        phone = str(item).strip()
        phone = phone[1:] if phone.startswith("+") else phone
        cid = client_id_for(idempotency_key, phone) if idempotency_key else secrets.randbits(62) + 1
        out.append(MySmppRecipient(phone, cid, validity))
    if not out:
        raise ValidationError("phones", out, "at least one recipient")
    seen: dict[str, int] = {}
    for i, r in enumerate(out):
        if r.phone in seen:
            raise ValidationError(
                f"recipients[{i}]", r.phone, f"the same number as recipients[{seen[r.phone]}]"
            )
        seen[r.phone] = i
    return out


class _MySmppBase:
    def __init__(
        self,
        login: str | Secret | None = None,
        password: str | Secret | None = None,
        *,
        token: str | Secret | None = None,
        base_url: str = DEFAULT_BASE_URL,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    ) -> None:
        self._credentials: dict[str, Secret | None] = {
            "login": Secret(login) if login else None,
            "password": Secret(password) if password else None,
            "token": Secret(token) if token else None,
        }
        _auth(**self._credentials)  # refuse a client that could never authenticate
        self.base_url = base_url
        self.max_attempts = max_attempts

    def __repr__(self) -> str:
        how = "token" if self._credentials["token"] else "login/password"
        return f"{type(self).__name__}(auth={how}, base_url={self.base_url!r})"

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
        """Encoding, parts, policy changes, cut text and cost of a send, without sending (no I/O,
        so not a coroutine on the async client either)."""
        phones = [p.phone for p in _normalise(recipients, "preview", None)] if recipients else []
        return _preview(text, phones, tariff, encoding, invalid_characters, max_parts)

    def _send_op(
        self,
        text: str,
        recipients: Any,
        *,
        sender: str,
        type_send_1: str,
        validity_period: str | datetime | None,
        idempotency_key: str | None,
        encoding: str,
        invalid_characters: str,
        max_parts: int | None,
    ) -> Operation[MySmppSendResult]:
        if not isinstance(text, str):
            msg = f"text must be a str, not {type(text).__name__}"
            raise TypeError(msg)
        phones = _normalise(recipients, idempotency_key, validity_period)
        preview = _preview(text, [p.phone for p in phones], None, encoding, invalid_characters, max_parts)
        (seg,) = preview.messages
        messages = [
            MySmppMessage(sender, seg.text, tuple(phones[i : i + MAX_RECIPIENTS_PER_REQUEST]), type_send_1)
            for i in range(0, len(phones), MAX_RECIPIENTS_PER_REQUEST)
        ]
        now = datetime.now(UTC)
        for m in messages:
            validate_messages([m], now=now)
        return _send(
            messages,
            credentials=self._credentials,
            base_url=self.base_url,
            max_attempts=self.max_attempts,
            now=now,
            preview=preview,
        )

    def _status_op(self, id_sms: Any, detail: bool) -> Operation[tuple[MySmppStatus, ...]]:
        req = build_status_request(id_sms, detail=detail, base_url=self.base_url, **self._credentials)
        return read(req, parse_status_response)

    def _balance_op(self) -> Operation[MySmppBalance]:
        return read(
            build_balance_request(base_url=self.base_url, **self._credentials), parse_balance_response
        )


class MySmppClient(_MySmppBase):
    """Send SMS and read states and the balance through the mysmpp JSON API.

    >>> MySmppClient(token="s3cret", base_url="http://127.0.0.1:8000")
    MySmppClient(auth=token, base_url='http://127.0.0.1:8000')

    Args:
        login, password: Account credentials; or
        token: The secret key that replaces them.
        base_url: Scheme and host (``/json`` paths are appended).
        transport: How requests travel (default: httpx).
        max_attempts: Tries per request (sends are safe to repeat: every phone has a client_id_sms).
        sleep: How to wait between attempts.
    """

    def __init__(
        self,
        login: str | Secret | None = None,
        password: str | Secret | None = None,
        *,
        token: str | Secret | None = None,
        base_url: str = DEFAULT_BASE_URL,
        transport: Transport | None = None,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        super().__init__(login, password, token=token, base_url=base_url, max_attempts=max_attempts)
        self.transport: Transport = transport if transport is not None else HttpxTransport()
        self._sleep = sleep

    def send(
        self,
        text: str,
        recipients: Any,
        *,
        sender: str,
        type_send_1: str = "sms",
        validity_period: str | datetime | None = None,
        idempotency_key: str | None = None,
        encoding: str = "GSM7",
        invalid_characters: str = "TO_UTF16",
        max_parts: int | None = None,
    ) -> MySmppSendResult:
        """Send *text* to *recipients* (numbers, or :class:`MySmppRecipient` s).

        The text is segmented first (*encoding*, *invalid_characters*, *max_parts* as
        :func:`smsencode.segment` takes them) and the resulting text is sent. Every phone gets a
        ``client_id_sms`` -- derived from *idempotency_key* and the number when given, so that
        repeating the same call returns the ids of the messages already sent.

        Raises:
            ValidationError: a documented limit is broken (nothing was sent).
            UnknownOutcomeError: the answer was lost even after repeating; the ``client_id_sms``
                values are on the error.
            PartialSendError: some phones were settled before an error stopped the rest.
            AuthenticationError, RateLimitedError, TransportError: nothing was sent.
        """
        op = self._send_op(
            text,
            recipients,
            sender=sender,
            type_send_1=type_send_1,
            validity_period=validity_period,
            idempotency_key=idempotency_key,
            encoding=encoding,
            invalid_characters=invalid_characters,
            max_parts=max_parts,
        )
        return run(op, self.transport, self._sleep)

    def status(
        self, id_sms: str | int | Sequence[str | int], *, detail: bool = True
    ) -> tuple[MySmppStatus, ...]:
        """The state of one or several SMS (``detail`` adds parts and price)."""
        return run(self._status_op(id_sms, detail), self.transport, self._sleep)

    def balance(self) -> MySmppBalance:
        """Money and SMS left."""
        return run(self._balance_op(), self.transport, self._sleep)


class AsyncMySmppClient(_MySmppBase):
    """The async twin of :class:`MySmppClient`."""

    def __init__(
        self,
        login: str | Secret | None = None,
        password: str | Secret | None = None,
        *,
        token: str | Secret | None = None,
        base_url: str = DEFAULT_BASE_URL,
        transport: AsyncTransport | None = None,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        super().__init__(login, password, token=token, base_url=base_url, max_attempts=max_attempts)
        self.transport: AsyncTransport = transport if transport is not None else AsyncHttpxTransport()
        self._sleep = sleep

    async def send(
        self,
        text: str,
        recipients: Any,
        *,
        sender: str,
        type_send_1: str = "sms",
        validity_period: str | datetime | None = None,
        idempotency_key: str | None = None,
        encoding: str = "GSM7",
        invalid_characters: str = "TO_UTF16",
        max_parts: int | None = None,
    ) -> MySmppSendResult:
        """See :meth:`MySmppClient.send`."""
        op = self._send_op(
            text,
            recipients,
            sender=sender,
            type_send_1=type_send_1,
            validity_period=validity_period,
            idempotency_key=idempotency_key,
            encoding=encoding,
            invalid_characters=invalid_characters,
            max_parts=max_parts,
        )
        return await run_async(op, self.transport, self._sleep)

    async def status(
        self, id_sms: str | int | Sequence[str | int], *, detail: bool = True
    ) -> tuple[MySmppStatus, ...]:
        """See :meth:`MySmppClient.status`."""
        return await run_async(self._status_op(id_sms, detail), self.transport, self._sleep)

    async def balance(self) -> MySmppBalance:
        """See :meth:`MySmppClient.balance`."""
        return await run_async(self._balance_op(), self.transport, self._sleep)


def _preview(
    text: str,
    numbers: Sequence[str],
    tariff: TariffLike | None,
    encoding: str,
    invalid_characters: str,
    max_parts: int | None,
) -> Preview:
    return preview_text(
        "mysmpp",
        text,
        numbers,
        field="text",
        encoding=encoding,
        invalid_characters=invalid_characters,
        max_parts=max_parts,
        tariff=tariff,
        batch_size=MAX_RECIPIENTS_PER_REQUEST,
    )
