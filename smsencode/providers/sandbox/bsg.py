"""A local emulator of the BSG REST API, for developing and testing without spending money.

Served under ``/rest`` (so a client's ``base_url`` is ``sandbox.url + "/rest"``):

==============================  =============================================================
``POST|PUT /sms/create``        single (``destination: phone``) or bulk (``phones``, at most
                                50) send; per-item errors in a bulk reply
``PUT|POST /sms/price``         what the same body would cost
``GET /sms/{id}``               status by message id
``GET /sms/reference/{ref}``    status by client reference
``GET /sms/task/{task_id}``     a bulk task and its messages
``GET /common/balance``         the account balance
==============================  =============================================================

It checks the ``X-API-KEY`` header (error 1, HTTP 401), every documented field (originator,
msisdn, reference, validity, tariff, send_time, batch size, text length counted with the engine:
at most five parts), refuses a reference it has seen before with error 23, charges
``price_per_part`` per part from the balance (error 8 when it runs out), and answers HTTP 429
beyond ``rate_limit`` requests per ``rate_window`` seconds.

Each message moves one step through the documented statuses every time it is read (or on
:meth:`BsgApp.advance`): ``scheduled`` (when ``send_time`` is given) -> ``sent`` -> a final
status. The final status is ``delivered`` unless the number ends in one of the test suffixes
of :data:`FATES` (``...0001`` undeliverable, ``...0002`` expired, ``...0003`` rejected).
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from smsencode.errors import SmsEncodeError
from smsencode.providers._http import HttpRequest, HttpResponse
from smsencode.providers._validate import parse_iso8601
from smsencode.providers.bsg import ERRORS
from smsencode.providers.sandbox._server import RateLimiter, json_response

__all__ = ["FATES", "SANDBOX_API_KEY", "BsgApp", "BsgRecord", "create_app"]

#: The API key the sandbox accepts unless told otherwise.
SANDBOX_API_KEY = "live_sandbox"

#: Final status by the last digits of the number (anything else is delivered).
FATES: Mapping[str, str] = {"0001": "undeliverable", "0002": "expired", "0003": "rejected"}

# Codes and texts of BSG's error table (bsg.world/developers/rest-api/errors), kept once with the client.
_DESCRIPTIONS = ERRORS

_MSISDN = re.compile(r"[0-9]{9,15}")
_REFERENCE = re.compile(r"[A-Za-z0-9]{1,32}")
_NUMERIC_ORIGINATOR = re.compile(r"[0-9]{3,15}")
_ALPHA_ORIGINATOR = re.compile(r"[\x20-\x7e]{3,11}")
_MAX_PHONES = 50
_MAX_PARTS = 5


class _RefusalError(Exception):
    """A whole-request error: BSG's code and the HTTP status it travels with."""

    def __init__(self, code: int, status: int = 400) -> None:
        super().__init__(_DESCRIPTIONS.get(code, "Error"))
        self.code = code
        self.status = status


@dataclass
class BsgRecord:
    """One message the emulator accepted (its state is read by tests)."""

    id: str
    msisdn: str
    reference: str
    originator: str
    body: str
    parts: int
    price: Decimal
    time_in: str
    scheduled: bool
    fate: str
    task_id: str | None = None
    status: str = "sent"
    time_sent: str | None = None
    time_dr: str | None = None

    def step(self, now: str) -> None:
        """Move to the next documented status."""
        if self.status == "scheduled":
            self.status, self.time_sent = "sent", now
        elif self.status == "sent":
            self.status, self.time_dr = self.fate, now


@dataclass
class _Task:
    task_id: str
    originator: str
    body: str
    validity: int | None
    ids: list[str] = field(default_factory=list)


def _error(code: int, status: int = 400) -> HttpResponse:
    return json_response(status, {"error": code, "errorDescription": _DESCRIPTIONS.get(code, "Error")})


def _as_int(value: object) -> int | None:
    # The documentation's own examples send numbers as strings ("validity":"1").
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


class BsgApp:
    """The BSG emulator (see the module documentation for what it does).

    Args:
        api_keys: Keys accepted in ``X-API-KEY``.
        balance: Money on the account.
        currency: Currency of prices and balance.
        tariffs: Active price grids: tariff code -> price per part (codes 0..9; others are
            error 6, inactive codes error 9).
        rate_limit: Requests per *rate_window* seconds per key before HTTP 429 (``None``: no limit).
        clock: Seconds since the epoch (a :class:`~smsencode.providers.sandbox._server.ManualClock`
            in tests).
    """

    name = "bsg"
    base_path = "/rest"

    def __init__(
        self,
        *,
        api_keys: Iterable[str] = (SANDBOX_API_KEY,),
        balance: Decimal | str = "100.00",
        currency: str = "EUR",
        tariffs: Mapping[int, Decimal | str] | None = None,
        rate_limit: int | None = None,
        rate_window: float = 1.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.api_keys = set(api_keys)
        self.balance = Decimal(balance)
        self.currency = currency
        self.tariffs = {k: Decimal(v) for k, v in (tariffs or {0: "0.023"}).items()}
        self.limiter = RateLimiter(rate_limit, rate_window, clock)
        self.clock = clock
        self.messages: dict[str, BsgRecord] = {}
        self.by_reference: dict[str, str] = {}
        self.tasks: dict[str, _Task] = {}
        #: Every acceptance, in order: (reference, msisdn). A reference never appears twice.
        self.accepted: list[tuple[str, str]] = []
        #: Every request the app answered: (method, path, status).
        self.log: list[tuple[str, str, int]] = []
        self._ids = itertools.count(1000)
        self._tasks = itertools.count(1)
        self._injected: list[tuple[int, bool]] = []
        self._lock = threading.RLock()

    # -- test controls ---------------------------------------------------------------------

    def inject_error(self, code: int, times: int = 1, *, after_accepting: bool = False) -> None:
        """Answer the next *times* sends with error *code* (e.g. 11 busy, 5 unknown).

        With *after_accepting* the messages are accepted first and the error is answered
        anyway -- the ambiguous case a client must resolve through the reference.
        """
        with self._lock:
            self._injected.extend([(code, after_accepting)] * times)

    def advance(self, steps: int = 1) -> None:
        """Move every message *steps* statuses forward."""
        with self._lock:
            for _ in range(steps):
                for record in self.messages.values():
                    record.step(self._now())

    # -- dispatch ----------------------------------------------------------------------------

    def handle(self, request: HttpRequest) -> HttpResponse | None:
        """Answer *request* if its path is this API's, else ``None``."""
        path = request.path
        if not path.startswith(self.base_path + "/"):
            return None
        sub = path[len(self.base_path) :].rstrip("/")
        if not (sub.startswith("/sms") or sub.startswith("/common")):
            return None
        with self._lock:
            response = self._answer(request, sub)
            self.log.append((request.method, path, response.status))
            return response

    def _answer(self, request: HttpRequest, sub: str) -> HttpResponse:
        key = request.header("X-API-KEY")
        if not key or key not in self.api_keys:
            return _error(1, 401)
        wait = self.limiter.hit(key)
        if wait is not None:
            response = _error(11, 429)
            return HttpResponse(
                429, {**response.headers, "Retry-After": str(max(1, int(-(-wait // 1))))}, response.body
            )
        method = request.method.upper()
        try:
            if sub == "/sms/create":
                self._allow(method, "POST", "PUT")
                return self._create(request)
            if sub == "/sms/price":
                self._allow(method, "POST", "PUT")
                return self._price(request)
            if sub == "/common/balance":
                self._allow(method, "GET")
                return json_response(
                    200,
                    {
                        "error": 0,
                        "errorDescription": "No errors",
                        "amount": float(self.balance),
                        "currency": self.currency,
                        "limit": 0,
                    },
                )
            if sub.startswith("/sms/reference/"):
                self._allow(method, "GET")
                found = self.by_reference.get(sub[len("/sms/reference/") :])
                return self._status(found)
            if sub.startswith("/sms/task/"):
                self._allow(method, "GET")
                return self._task(sub[len("/sms/task/") :])
            if sub.startswith("/sms/") and sub.count("/") == 2:
                self._allow(method, "GET")
                return self._status(sub[len("/sms/") :])
        except _RefusalError as refusal:
            return _error(refusal.code, refusal.status)
        return _error(4, 404)

    @staticmethod
    def _allow(method: str, *allowed: str) -> None:
        if method not in allowed:
            raise _RefusalError(4, 405)

    def _now(self) -> str:
        return datetime.fromtimestamp(self.clock(), UTC).strftime("%Y-%m-%d %H:%M:%S")

    # -- sends -------------------------------------------------------------------------------

    def _common(self, data: Any) -> tuple[str, str, int, int | None, Decimal, str | None]:
        """Check the fields shared by every recipient; return them with the price per message."""
        from smsencode import segment

        if not isinstance(data, Mapping):
            raise _RefusalError(24)
        originator = data.get("originator")
        if not isinstance(originator, str) or not (
            _NUMERIC_ORIGINATOR.fullmatch(originator)
            if originator.isdigit()
            else _ALPHA_ORIGINATOR.fullmatch(originator)
        ):
            raise _RefusalError(25)
        body = data.get("body")
        if not isinstance(body, str) or not body:
            raise _RefusalError(26)
        try:
            parts = segment(body).part_count
        except SmsEncodeError:
            raise _RefusalError(26) from None
        if parts > _MAX_PARTS:
            raise _RefusalError(26)
        validity = None
        if "validity" in data:
            validity = _as_int(data["validity"])
            if validity is None or not 1 <= validity <= 72:
                raise _RefusalError(28)
        tariff = 0
        if "tariff" in data:
            code = _as_int(data["tariff"])
            if code is None or not 0 <= code <= 9:
                raise _RefusalError(6)
            tariff = code
        if tariff not in self.tariffs:
            raise _RefusalError(9)
        send_time = data.get("send_time")
        if send_time is not None:
            when = parse_iso8601(send_time) if isinstance(send_time, str) else None
            now = datetime.fromtimestamp(self.clock(), UTC)
            if when is None or when.tzinfo is None or when < now or when > now + timedelta(days=30):
                raise _RefusalError(10)
        return originator, body, parts, validity, self.tariffs[tariff] * parts, send_time

    def _phones(self, data: Mapping[str, Any]) -> tuple[bool, list[tuple[object, object]]]:
        destination = data.get("destination")
        if destination == "phone":
            return True, [(data.get("msisdn"), data.get("reference"))]
        if destination == "phones":
            phones = data.get("phones")
            if not isinstance(phones, list) or not phones:
                raise _RefusalError(7)
            if len(phones) > _MAX_PHONES:
                raise _RefusalError(12)
            items = [
                (p.get("msisdn"), p.get("reference")) if isinstance(p, Mapping) else (None, None)
                for p in phones
            ]
            return False, items
        raise _RefusalError(7)

    def _item_code(
        self,
        msisdn: object,
        reference: object,
        seen_numbers: set[str],
        seen_refs: set[str],
        *,
        check_refs: bool,
    ) -> int:
        number = str(msisdn) if isinstance(msisdn, (str, int)) and not isinstance(msisdn, bool) else ""
        if not _MSISDN.fullmatch(number):
            return 21
        if number in seen_numbers:
            return 31
        seen_numbers.add(number)
        if not check_refs:
            return 0
        if reference is None or reference == "":
            return 22
        if not isinstance(reference, str) or not _REFERENCE.fullmatch(reference):
            return 27
        if reference in self.by_reference or reference in seen_refs:
            return 23
        seen_refs.add(reference)
        return 0

    def _create(self, request: HttpRequest) -> HttpResponse:
        data = self._json(request)
        originator, body, parts, validity, price, send_time = self._common(data)
        single, items = self._phones(data)
        seen_numbers: set[str] = set()
        seen_refs: set[str] = set()
        codes = [self._item_code(m, r, seen_numbers, seen_refs, check_refs=True) for m, r in items]
        payable = sum(1 for c in codes if c == 0)
        if price * payable > self.balance:
            raise _RefusalError(8)
        injected = self._injected.pop(0) if self._injected else None
        if injected is not None and not injected[1]:
            raise _RefusalError(injected[0])
        task: _Task | None = None
        if not single:
            task = _Task(str(next(self._tasks)), originator, body, validity)
        results: list[dict[str, Any]] = []
        for (msisdn, reference), code in zip(items, codes, strict=True):
            ref = reference if isinstance(reference, str) else ""
            if code:
                results.append({"error": code, "errorDescription": _DESCRIPTIONS[code], "reference": ref})
                continue
            record = self._accept(str(msisdn), ref, originator, body, parts, price, send_time, task)
            results.append(
                {
                    "error": 0,
                    "errorDescription": "No errors",
                    "reference": ref,
                    "id": record.id,
                    "price": float(price),
                    "currency": self.currency,
                }
            )
        if injected is not None:
            raise _RefusalError(injected[0])
        if single:
            (only,) = results
            if only["error"]:
                return _error(only["error"])
            return json_response(200, {"result": only})
        assert task is not None
        self.tasks[task.task_id] = task
        total = price * payable
        return json_response(
            200,
            {
                "task_id": task.task_id,
                "result": results,
                "total_price": float(total),
                "currency": self.currency,
            },
        )

    def _accept(
        self,
        msisdn: str,
        reference: str,
        originator: str,
        body: str,
        parts: int,
        price: Decimal,
        send_time: str | None,
        task: _Task | None,
    ) -> BsgRecord:
        record = BsgRecord(
            id=str(next(self._ids)),
            msisdn=msisdn,
            reference=reference,
            originator=originator,
            body=body,
            parts=parts,
            price=price,
            time_in=self._now(),
            scheduled=send_time is not None,
            fate=next((f for suffix, f in FATES.items() if msisdn.endswith(suffix)), "delivered"),
            task_id=task.task_id if task else None,
            status="scheduled" if send_time is not None else "sent",
        )
        if send_time is None:
            record.time_sent = record.time_in
        self.messages[record.id] = record
        self.by_reference[reference] = record.id
        self.accepted.append((reference, msisdn))
        self.balance -= price
        if task is not None:
            task.ids.append(record.id)
        return record

    def _price(self, request: HttpRequest) -> HttpResponse:
        data = self._json(request)
        _originator, _body, _parts, _validity, price, _send_time = self._common(data)
        _single, items = self._phones(data)
        seen: set[str] = set()
        codes = [self._item_code(m, r, seen, set(), check_refs=False) for m, r in items]
        if any(codes):
            raise _RefusalError(next(c for c in codes if c))
        return json_response(
            200, {"error": 0, "totalprice": float(price * len(items)), "currency": self.currency}
        )

    @staticmethod
    def _json(request: HttpRequest) -> Any:
        try:
            return request.json()
        except SmsEncodeError:
            raise _RefusalError(24) from None

    # -- reads -------------------------------------------------------------------------------

    def _status_object(self, record: BsgRecord) -> dict[str, Any]:
        return {
            "id": record.id,
            "msisdn": record.msisdn,
            "reference": record.reference,
            "time_in": record.time_in,
            "time_sent": record.time_sent,
            "time_dr": record.time_dr,
            "status": record.status,
            "price": float(record.price),
            "currency": self.currency,
        }

    def _status(self, message_id: str | None) -> HttpResponse:
        record = self.messages.get(message_id or "")
        if record is None:
            return _error(20, 404)
        answer = self._status_object(record)
        record.step(self._now())  # the next read sees the next status
        return json_response(200, answer)

    def _task(self, task_id: str) -> HttpResponse:
        if not task_id.isdigit():
            return _error(29)
        task = self.tasks.get(task_id)
        if task is None:
            return _error(30, 404)
        records = [self.messages[i] for i in task.ids]
        return json_response(
            200,
            {
                "task_id": task.task_id,
                "originator": task.originator,
                "body": task.body,
                "validity": task.validity,
                "totalprice": float(sum((r.price for r in records), Decimal(0))),
                "currency": self.currency,
                "messages": [self._status_object(r) for r in records],
            },
        )


def create_app(clock: Callable[[], float]) -> BsgApp:
    """The BSG app of the default sandbox: key :data:`SANDBOX_API_KEY`, 100.00 EUR, no rate limit."""
    return BsgApp(clock=clock)
