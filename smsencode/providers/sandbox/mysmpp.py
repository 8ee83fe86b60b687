"""A local emulator of the mysmpp JSON API (Webcom Mobi A2P platform).

Served at the root of the sandbox (a client's ``base_url`` is ``sandbox.url``):

=========================  ==================================================================
``POST /json``             send: ``message[]`` of ``{type_send_1, sender, text, phones[]}``
``POST /json/state.php``   state of one id or a list of ids (``detail`` adds parts and price)
``POST /json/balance.php`` money left
=========================  ==================================================================

Document-level problems answer HTTP 400 ``{"error": text}`` with the documented texts (``POST
data is missing``, ``Incorrect JSON document format``, ``Incorrect login or password``, ``Your
account is locked``); problems with one phone answer 200 with that phone's ``information`` entry
carrying ``error`` and no ``id_sms`` (``No sender``, ``No message text``, ``Specify phone
number``, ``Phone number must be less than 15 characters``, the sender length rule, ``Phone
number is on the stop list``, ``Out of SMS``). A ``client_id_sms`` seen before on the account is
not sent again: the answer carries the ``id_sms`` of the message already sent.

Credentials: login ``sandbox`` / password ``sandbox``, or token ``sandbox-token``. Each message
moves one state every time it is read (or on :meth:`MySmppApp.advance`): ``send`` ->
(``partly_deliver`` for multi-part messages) -> ``deliver`` (-> ``read`` for Viber), unless the
number ends in ``0001`` (``not_deliver``) or ``0002`` (``expired``).
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from smsencode.errors import SmsEncodeError
from smsencode.providers._http import HttpRequest, HttpResponse
from smsencode.providers.sandbox._server import RateLimiter, json_response

__all__ = ["SANDBOX_LOGIN", "SANDBOX_PASSWORD", "SANDBOX_TOKEN", "MySmppApp", "MySmppRecord", "create_app"]

SANDBOX_LOGIN = "sandbox"
SANDBOX_PASSWORD = "sandbox"
SANDBOX_TOKEN = "sandbox-token"

_MSK = timezone(timedelta(hours=3))
_FATES = {"0001": "not_deliver", "0002": "expired"}
_VALIDITY = "%Y-%m-%d %H:%M:%S"

MISSING = "POST data is missing"
BAD_JSON = "Incorrect JSON document format"
BAD_LOGIN = "Incorrect login or password"
LOCKED = "Your account is locked"
NO_SENDER = "No sender"
SENDER_LENGTH = (
    "The sender must not exceed 15 characters for numeric numbers and 11 characters for alphanumeric numbers"
)
NO_PHONE = "Specify phone number"
PHONE_LENGTH = "Phone number must be less than 15 characters"
NO_TEXT = "No message text"
STOP_LIST = "Phone number is on the stop list"
OUT_OF_SMS = "Out of SMS"
BAD_VALIDITY = "Incorrect validity period"

_DIGITS = re.compile(r"[0-9]+")


@dataclass
class MySmppRecord:
    """One message the emulator sent (read by tests)."""

    id_sms: int
    account: str
    phone: str
    client_id_sms: str | None
    sender: str
    text: str
    channel: str
    num_parts: int
    price: Decimal
    changed: str
    fate: str
    state: str = "send"

    def step(self, now: str) -> None:
        """Move to the next documented state."""
        before = self.state
        if self.state == "send":
            self.state = "partly_deliver" if self.num_parts > 1 and self.fate == "deliver" else self.fate
        elif self.state == "partly_deliver":
            self.state = "deliver"
        elif self.state == "deliver" and self.channel == "viber":
            self.state = "read"
        if self.state != before:
            self.changed = now


class _DocumentError(Exception):
    def __init__(self, text: str, status: int = 400) -> None:
        super().__init__(text)
        self.text = text
        self.status = status


class MySmppApp:
    """The mysmpp emulator (see the module documentation).

    Args:
        accounts: ``login -> password``.
        tokens: ``token -> login``.
        locked: Logins whose account is locked.
        money: Starting balance per account (RUR).
        price_per_part: What one part costs.
        stop_list: Numbers that are refused.
        rate_limit: Requests per *rate_window* seconds per account before HTTP 429 (``None``: none).
        clock: Seconds since the epoch.
    """

    name = "mysmpp"
    base_path = ""

    def __init__(
        self,
        *,
        accounts: Mapping[str, str] | None = None,
        tokens: Mapping[str, str] | None = None,
        locked: Iterable[str] = (),
        money: Decimal | str = "1000.00",
        price_per_part: Decimal | str = "1.95",
        stop_list: Iterable[str] = (),
        rate_limit: int | None = None,
        rate_window: float = 1.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.accounts = dict(accounts or {SANDBOX_LOGIN: SANDBOX_PASSWORD})
        self.tokens = dict(tokens or {SANDBOX_TOKEN: SANDBOX_LOGIN})
        self.locked = set(locked)
        self.money = {login: Decimal(money) for login in self.accounts}
        self.price_per_part = Decimal(price_per_part)
        self.stop_list = set(stop_list)
        self.limiter = RateLimiter(rate_limit, rate_window, clock)
        self.clock = clock
        self.messages: dict[int, MySmppRecord] = {}
        self.by_client_id: dict[tuple[str, str], int] = {}
        #: Every message actually sent, in order: (account, client_id_sms, phone).
        self.sent: list[tuple[str, str | None, str]] = []
        self.log: list[tuple[str, str, int]] = []
        self._ids = itertools.count(500_000)
        self._lock = threading.RLock()

    def advance(self, steps: int = 1) -> None:
        """Move every message *steps* states forward."""
        with self._lock:
            for _ in range(steps):
                for record in self.messages.values():
                    record.step(self._now())

    def handle(self, request: HttpRequest) -> HttpResponse | None:
        """Answer *request* if it is for ``/json...``, else ``None``."""
        path = request.path.rstrip("/")
        prefix = self.base_path + "/json"
        if path not in (prefix, prefix + "/state.php", prefix + "/balance.php"):
            return None
        with self._lock:
            try:
                response = self._answer(request, path[len(prefix) :])
            except _DocumentError as exc:
                response = json_response(exc.status, {"error": exc.text})
            self.log.append((request.method, request.path, response.status))
            return response

    def _now(self) -> str:
        return datetime.fromtimestamp(self.clock(), _MSK).strftime(_VALIDITY)

    def _answer(self, request: HttpRequest, sub: str) -> HttpResponse:
        if request.method.upper() != "POST" or not request.body:
            raise _DocumentError(MISSING)
        media = (request.header("Content-Type") or "").split(";")[0].strip().lower()
        if media not in ("text/json", "application/json"):
            raise _DocumentError(BAD_JSON)
        try:
            data = request.json()
        except SmsEncodeError:
            raise _DocumentError(BAD_JSON) from None
        if not isinstance(data, Mapping):
            raise _DocumentError(BAD_JSON)
        account = self._login(data)
        wait = self.limiter.hit(account)
        if wait is not None:
            return json_response(
                429, {"error": "Too many requests"}, {"Retry-After": str(max(1, round(wait)))}
            )
        if sub == "":
            return self._send(account, data)
        if sub == "/state.php":
            return self._state(account, data)
        return json_response(
            200,
            {
                "money": str(self.money[account]),
                "currency": "RUR",
                "information": [
                    {
                        "type_sms": "sms",
                        "area": "Russia",
                        "num_sms": str(int(self.money[account] // self.price_per_part)),
                    }
                ],
            },
        )

    def _login(self, data: Mapping[str, Any]) -> str:
        token = data.get("token")
        login: str | None = None
        if isinstance(token, str) and token in self.tokens:
            login = self.tokens[token]
        else:
            user, password = data.get("login"), data.get("password")
            if isinstance(user, str) and user in self.accounts and self.accounts[user] == password:
                login = user
        if login is None:
            raise _DocumentError(BAD_LOGIN)
        if login in self.locked:
            raise _DocumentError(LOCKED)
        return login

    def _send(self, account: str, data: Mapping[str, Any]) -> HttpResponse:
        from smsencode import segment

        messages = data.get("message")
        if isinstance(messages, Mapping):
            messages = [messages]
        if not isinstance(messages, list) or not messages:
            raise _DocumentError(BAD_JSON)
        information: list[dict[str, Any]] = []
        for message in messages:
            if not isinstance(message, Mapping) or message.get("type_send_1") not in ("sms", "viber"):
                raise _DocumentError(BAD_JSON)
            phones = message.get("phones")
            if not isinstance(phones, list) or not phones:
                information.append({"error": NO_PHONE})
                continue
            sender, text = message.get("sender"), message.get("text")
            problem = self._message_problem(sender, text)
            parts = 0
            if problem is None:
                try:
                    parts = segment(str(text)).part_count
                except SmsEncodeError:
                    problem = NO_TEXT
            for phone in phones:
                if problem is not None:
                    information.append({"error": problem})
                    continue
                information.append(self._one(account, message, phone, parts))
        return json_response(200, {"information": information})

    @staticmethod
    def _message_problem(sender: object, text: object) -> str | None:
        if not isinstance(sender, str) or not sender.strip():
            return NO_SENDER
        if len(sender) > (15 if sender.isdigit() else 11):
            return SENDER_LENGTH
        if not isinstance(text, str) or not text:
            return NO_TEXT
        return None

    def _one(self, account: str, message: Mapping[str, Any], phone: object, parts: int) -> dict[str, Any]:
        if not isinstance(phone, Mapping) or phone.get("phone") in (None, ""):
            return {"error": NO_PHONE}
        number = str(phone["phone"])
        if len(number) >= 15 or not _DIGITS.fullmatch(number):
            return {"error": PHONE_LENGTH}
        if number in self.stop_list:
            return {"error": STOP_LIST}
        raw_id = phone.get("client_id_sms")
        client_id = None if raw_id in (None, "") else str(raw_id)
        if client_id is not None:
            previous = self.by_client_id.get((account, client_id))
            if previous is not None:  # documented: not sent again, the earlier id is returned
                return {"state": "send", "id_sms": previous, "error": ""}
        validity = phone.get("validity_period")
        if validity is not None:
            try:
                datetime.strptime(str(validity), _VALIDITY)
            except ValueError:
                return {"error": BAD_VALIDITY}
        price = self.price_per_part * parts
        if self.money[account] < price:
            return {"error": OUT_OF_SMS}
        self.money[account] -= price
        record = MySmppRecord(
            id_sms=next(self._ids),
            account=account,
            phone=number,
            client_id_sms=client_id,
            sender=str(message["sender"]),
            text=str(message["text"]),
            channel=str(message["type_send_1"]),
            num_parts=parts,
            price=price,
            changed="",
            fate=next((f for suffix, f in _FATES.items() if number.endswith(suffix)), "deliver"),
        )
        self.messages[record.id_sms] = record
        if client_id is not None:
            self.by_client_id[(account, client_id)] = record.id_sms
        self.sent.append((account, client_id, number))
        return {"state": "send", "id_sms": record.id_sms, "error": ""}

    def _state(self, account: str, data: Mapping[str, Any]) -> HttpResponse:
        raw = data.get("id_sms")
        ids = raw if isinstance(raw, list) else [raw]
        detail = str(data.get("detail", "0")) == "1"
        out: list[dict[str, Any]] = []
        for value in ids:
            key = int(value) if isinstance(value, (int, str)) and str(value).isdigit() else None
            record = self.messages.get(key) if key is not None else None
            if record is None or record.account != account:
                out.append({"id_sms": value, "state": "", "error": "SMS not found"})
                continue
            item: dict[str, Any] = {
                "id_sms": record.id_sms,
                "time_change_state": record.changed,
                "state": record.state,
            }
            if detail:
                item["num_parts"] = record.num_parts
                item["price"] = str(record.price)
            out.append(item)
            record.step(self._now())  # the next read sees the next state
        return json_response(200, out)


def create_app(clock: Callable[[], float]) -> MySmppApp:
    """The mysmpp app of the default sandbox (see the module documentation for credentials)."""
    return MySmppApp(clock=clock)
