"""A local emulator of the "SMS Gateway API" (a ServiceStack service), under ``/api``.

``SMSSend`` answers on its six documented routes (``/sendmessage``, ``/sendmessage/immediate``,
``/send``, ``/sms/send``, ``/send/immediate``, ``/sms/send/immediate``) and on the ServiceStack
pre-defined route ``/json/reply/SMSSend``; ``/auth/credentials`` (and ``/auth``) log in.

Authentication, as ServiceStack does it: ``Authorization: Bearer <token or API key>``, an API key
as the HTTP Basic user name, the user's own Basic credentials, or the ``ss-id`` / ``ss-pid``
session cookie of a login. Sandbox credentials: user ``sandbox`` / password ``sandbox``, API key
``sandbox-api-key``, bearer token ``sandbox-token``. :meth:`SmsGatewayApp.expire_sessions` ends
every login (the next request is answered 401).

Errors come back as ServiceStack's ``ErrorResponse`` (``ResponseStatus`` with ``ErrorCode``,
``Message`` and per-field ``Errors``): 400 for a body that is not JSON or breaks a rule (``To``
empty, a ``PhoneNumber`` that is not E.164, an empty ``MessageBody``, a malformed Guid,
``ReplyIsRequired`` without ``ReplyIsAllowed``), 401 without valid authentication, 429 beyond
the rate limit. A request that is valid but cannot be carried out -- a ``LicenseeId`` other than
the account's, a number on the block list -- is answered 200 with ``Status: false``.

The service documents no de-duplication, and the emulator has none: every accepted request is a
new message (``messages``). A queued message moves ``Initiated`` -> ``Successful`` (the platform's
published task vocabulary) on :meth:`SmsGatewayApp.advance`; an immediate one is ``Successful``
at once; numbers ending in ``0001`` end ``JobError``.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import re
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from smsencode.errors import SmsEncodeError
from smsencode.providers._http import HttpRequest, HttpResponse
from smsencode.providers.sandbox._server import RateLimiter, json_response

__all__ = [
    "SANDBOX_API_KEY",
    "SANDBOX_PASSWORD",
    "SANDBOX_TOKEN",
    "SANDBOX_USER",
    "SmsGatewayApp",
    "SmsGatewayRecord",
    "create_app",
]

SANDBOX_USER = "sandbox"
SANDBOX_PASSWORD = "sandbox"
SANDBOX_API_KEY = "sandbox-api-key"
SANDBOX_TOKEN = "sandbox-token"

_SEND_ROUTES = {
    "/sendmessage": False,
    "/send": False,
    "/sms/send": False,
    "/json/reply/SMSSend": False,
    "/sendmessage/immediate": True,
    "/send/immediate": True,
    "/sms/send/immediate": True,
}
_E164 = re.compile(r"\+[1-9][0-9]{1,14}")


@dataclass
class SmsGatewayRecord:
    """One accepted ``SMSSend`` (read by tests)."""

    comm_id: str
    reference: str
    principal: str
    recipients: tuple[str, ...]
    body: str
    parts: int
    linked_object_id: str | None
    immediate: bool
    status: str
    sender: str | None = None
    reply_is_allowed: bool = False
    reply_is_required: bool = False
    notes: str | None = None
    references_immediately: bool = False


class _ServiceError(Exception):
    def __init__(
        self, status: int, code: str, message: str, errors: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors or []

    def response(self, headers: Mapping[str, str] | None = None) -> HttpResponse:
        block: dict[str, Any] = {"ErrorCode": self.code, "Message": self.message}
        if self.errors:
            block["Errors"] = self.errors
        return json_response(self.status, {"ResponseStatus": block}, headers)


def _invalid(field: str, code: str, message: str) -> _ServiceError:
    return _ServiceError(400, code, message, [{"ErrorCode": code, "FieldName": field, "Message": message}])


def _get(data: Mapping[str, Any], name: str) -> Any:
    # ServiceStack binds property names case-insensitively.
    low = name.lower()
    return next((v for k, v in data.items() if isinstance(k, str) and k.lower() == low), None)


def _guid(field: str, value: object) -> str | None:
    if value is None:
        return None
    try:
        return uuid.UUID(str(value).strip()).hex
    except ValueError:
        raise _invalid(field, "SerializationException", f"'{value}' is not a Guid") from None


class SmsGatewayApp:
    """The SMS Gateway emulator (see the module documentation).

    Args:
        users: ``user name -> password`` for credentials login and Basic auth.
        api_keys: ServiceStack API keys.
        tokens: Bearer tokens accepted as they are.
        licensee_id: The account's licensee (a Guid); ``None`` accepts any.
        blocked: Numbers the service refuses (``Status: false``).
        rate_limit: Requests per *rate_window* seconds per principal before 429.
        clock: Seconds since the epoch.
    """

    name = "smsgateway"
    base_path = "/api"

    def __init__(
        self,
        *,
        users: Mapping[str, str] | None = None,
        api_keys: Iterable[str] = (SANDBOX_API_KEY,),
        tokens: Iterable[str] = (SANDBOX_TOKEN,),
        licensee_id: str | None = None,
        blocked: Iterable[str] = (),
        rate_limit: int | None = None,
        rate_window: float = 1.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.users = dict(users or {SANDBOX_USER: SANDBOX_PASSWORD})
        self.api_keys = set(api_keys)
        self.tokens = set(tokens)
        self.licensee_id = None if licensee_id is None else uuid.UUID(licensee_id).hex
        self.blocked = set(blocked)
        self.limiter = RateLimiter(rate_limit, rate_window, clock)
        self.clock = clock
        #: Live logins: session id or issued bearer token -> user name.
        self.sessions: dict[str, str] = {}
        self.messages: list[SmsGatewayRecord] = []
        self.logins = 0
        self.log: list[tuple[str, str, int]] = []
        self._refs = itertools.count(1)
        self._lock = threading.RLock()

    def expire_sessions(self) -> None:
        """End every login: requests with an old session or issued token get 401."""
        with self._lock:
            self.sessions.clear()

    def advance(self) -> None:
        """Move every queued message to its final status."""
        with self._lock:
            for record in self.messages:
                if record.status == "Initiated":
                    record.status = self._fate(record)

    @staticmethod
    def _fate(record: SmsGatewayRecord) -> str:
        return "JobError" if any(n.endswith("0001") for n in record.recipients) else "Successful"

    def handle(self, request: HttpRequest) -> HttpResponse | None:
        """Answer *request* if it is under ``/api``, else ``None``."""
        path = request.path
        if not (path == self.base_path or path.startswith(self.base_path + "/")):
            return None
        sub = path[len(self.base_path) :].rstrip("/")
        with self._lock:
            try:
                response = self._answer(request, sub)
            except _ServiceError as exc:
                response = exc.response()
            self.log.append((request.method, path, response.status))
            return response

    def _answer(self, request: HttpRequest, sub: str) -> HttpResponse:
        if sub in ("/auth/credentials", "/auth"):
            self._post_only(request)
            return self._login(request)
        if sub not in _SEND_ROUTES:
            raise _ServiceError(
                404, "NotFound", f"Handler for Request not found: {request.method} {request.path}"
            )
        self._post_only(request)
        principal = self._principal(request)
        if principal is None:
            raise _ServiceError(401, "Unauthorized", "Not Authenticated")
        wait = self.limiter.hit(principal)
        if wait is not None:
            return _ServiceError(429, "TooManyRequests", "Too many requests").response(
                {"Retry-After": str(max(1, round(wait)))}
            )
        return self._send(request, principal, _SEND_ROUTES[sub])

    @staticmethod
    def _post_only(request: HttpRequest) -> None:
        if request.method.upper() != "POST":
            raise _ServiceError(
                405, "NotImplementedException", f"Could not find method named {request.method}"
            )

    @staticmethod
    def _body(request: HttpRequest) -> Mapping[str, Any]:
        try:
            data = request.json() if request.body else {}
        except SmsEncodeError:
            raise _ServiceError(
                400, "SerializationException", "Could not deserialize the request body"
            ) from None
        if not isinstance(data, Mapping):
            raise _ServiceError(400, "SerializationException", "The request body is not a JSON object")
        return data

    # -- auth ------------------------------------------------------------------------------

    def _login(self, request: HttpRequest) -> HttpResponse:
        data = self._body(request)
        user, password = _get(data, "UserName"), _get(data, "Password")
        if not isinstance(user, str) or self.users.get(user) != password:
            raise _ServiceError(401, "Unauthorized", "Invalid UserName or Password")
        session_id = secrets.token_urlsafe(16)
        token = secrets.token_urlsafe(24)
        self.sessions[session_id] = user
        self.sessions[token] = user
        self.logins += 1
        return json_response(
            200,
            {
                "UserId": "1",
                "SessionId": session_id,
                "UserName": user,
                "DisplayName": user,
                "BearerToken": token,
            },
            {"Set-Cookie": f"ss-id={session_id}; path=/; HttpOnly"},
        )

    def _principal(self, request: HttpRequest) -> str | None:
        header = request.header("Authorization") or ""
        scheme, _, value = header.partition(" ")
        value = value.strip()
        if scheme.lower() == "bearer" and value:
            if value in self.tokens or value in self.api_keys:
                return "key:" + value[:4]
            user = self.sessions.get(value)
            return None if user is None else "user:" + user
        if scheme.lower() == "basic" and value:
            try:
                user, _, password = base64.b64decode(value, validate=True).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return None
            if user in self.api_keys and password == "":
                return "key:" + user[:4]
            if self.users.get(user) == password:
                return "user:" + user
            return None
        for part in (request.header("Cookie") or "").split(";"):
            name, _, cookie = part.strip().partition("=")
            if name in ("ss-id", "ss-pid") and cookie in self.sessions:
                return "user:" + self.sessions[cookie]
        return None

    # -- send ------------------------------------------------------------------------------

    def _send(self, request: HttpRequest, principal: str, immediate: bool) -> HttpResponse:
        from smsencode import segment

        data = self._body(request)
        model = _get(data, "SMSModel")
        if not isinstance(model, Mapping):
            raise _invalid("SMSModel", "NotNull", "'SMSModel' must not be empty.")
        to = _get(model, "To")
        if not isinstance(to, list) or not to:
            raise _invalid("To", "NotEmpty", "'To' must not be empty.")
        numbers: list[str] = []
        for i, contact in enumerate(to):
            number = _get(contact, "PhoneNumber") if isinstance(contact, Mapping) else None
            if not isinstance(number, str) or not _E164.fullmatch(number):
                raise _invalid(
                    f"To[{i}].PhoneNumber", "Predicate", f"'{number}' is not an E.164 phone number."
                )
            _guid(f"To[{i}].ContactId", _get(contact, "ContactId"))
            numbers.append(number)
        body = _get(model, "MessageBody")
        if not isinstance(body, str) or not body:
            raise _invalid("MessageBody", "NotEmpty", "'Message Body' must not be empty.")
        sender = _get(model, "From")
        if sender is not None and isinstance(sender, Mapping):
            _guid("From.ContactId", _get(sender, "ContactId"))
        linked = _guid("LinkedObjectId", _get(model, "LinkedObjectId"))
        _guid("SuiteId", _get(model, "SuiteId"))
        licensee = _guid("LicenseeId", _get(model, "LicenseeId"))
        flags = {}
        for owner, name in (
            (model, "ReplyIsAllowed"),
            (model, "ReplyIsRequired"),
            (data, "CreateCommunicationReferencesImmediately"),
        ):
            value = _get(owner, name)
            if value is not None and not isinstance(value, bool):
                raise _invalid(name, "SerializationException", f"'{value}' is not a Boolean.")
            flags[name] = value is True
        notes = _get(model, "Notes")
        if notes is not None and not isinstance(notes, str):
            raise _invalid("Notes", "SerializationException", "'Notes' must be a string.")
        if flags["ReplyIsRequired"] and not flags["ReplyIsAllowed"]:
            raise _invalid(
                "ReplyIsRequired", "Predicate", "A reply can be required only when replies are allowed."
            )
        try:
            parts = segment(body).part_count
        except SmsEncodeError as exc:
            raise _invalid("MessageBody", "ArgumentException", str(exc)) from None
        if self.licensee_id is not None and licensee not in (None, self.licensee_id):
            return json_response(200, _comm(None, "", False, "Licensee is not permitted for this account"))
        refused = [n for n in numbers if n in self.blocked]
        if refused:
            return json_response(200, _comm(None, "", False, f"Recipient {refused[0]} is blocked"))
        record = SmsGatewayRecord(
            comm_id=uuid.uuid4().hex,
            reference=f"SMS-{next(self._refs):06d}",
            principal=principal,
            recipients=tuple(numbers),
            body=body,
            parts=parts,
            linked_object_id=linked,
            immediate=immediate,
            status="Initiated",
            sender=_get(sender, "PhoneNumber") if isinstance(sender, Mapping) else None,
            reply_is_allowed=flags["ReplyIsAllowed"],
            reply_is_required=flags["ReplyIsRequired"],
            notes=notes,
            references_immediately=flags["CreateCommunicationReferencesImmediately"],
        )
        if immediate:
            record.status = self._fate(record)
        self.messages.append(record)
        message = "Sent" if immediate else "Saved and queued for background processing"
        return json_response(200, _comm(record.comm_id, record.reference, True, message))


def _comm(comm_id: str | None, reference: str, status: bool, message: str) -> dict[str, Any]:
    return {"CommId": comm_id or "0" * 32, "Reference": reference, "Status": status, "Message": message}


def create_app(clock: Callable[[], float]) -> SmsGatewayApp:
    """The SMS Gateway app of the default sandbox (see the module documentation for credentials)."""
    return SmsGatewayApp(clock=clock)
