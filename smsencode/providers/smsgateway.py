"""Client for the "SMS Gateway API", a ServiceStack service: the ``SMSSend`` operation.

``POST /api/sendmessage`` (or ``/api/sendmessage/immediate``) takes an ``SMSSend`` request --
an ``SMSModel`` (``From``, ``To[]``, ``MessageBody``, reply flags, ``Notes``, ``LinkedObjectId``,
``SuiteId``, ``LicenseeId``) and ``CreateCommunicationReferencesImmediately`` -- and answers a
``CommResponse`` (``CommId``, ``Reference``, ``Status``, ``Message``). ``Status: false`` is a
failure even with HTTP 200.

The service documents no idempotency key, and the server does not de-duplicate. So this client
repeats a send only when the request certainly did not arrive (a connection refused, a 429, a
401 answered before re-authenticating); when the answer is lost after the request left, or the
server answers 5xx, it raises :class:`~smsencode.providers.errors.UnknownOutcomeError` and does
not resend. Each send carries a correlation id in ``LinkedObjectId`` (unless you set one) so an
operator can find the message if it did arrive.

Authentication is pluggable: :class:`BearerAuth` (a token), :class:`ApiKeyAuth` (ServiceStack
API key, as a bearer token or as the Basic user name) and :class:`CredentialsAuth` (log in at
``/api/auth/credentials``, keep the session, log in again once on a 401).

>>> from smsencode.providers.smsgateway import SmsContact, SmsModel, build_request
>>> req = build_request(SmsModel("Hello", (SmsContact("+447700900123"),)), headers={})
>>> req.url
'https://production-eros-gateway-api-sms-wa.azurewebsites.net/api/sendmessage'
>>> req.json()["SMSModel"]["To"]
[{'PhoneNumber': '+447700900123'}]
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from smsencode.providers._flow import (
    DEFAULT_MAX_ATTEMPTS,
    Operation,
    exchange,
    read,
    retry_after_seconds,
    run,
    run_async,
)
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
from smsencode.providers._validate import check_e164, check_guid
from smsencode.providers.errors import (
    AuthenticationError,
    InvalidResponseError,
    RateLimitedError,
    RejectedError,
    UnknownOutcomeError,
    ValidationError,
)
from smsencode.providers.preview import Preview, TariffLike, preview_text

__all__ = [
    "DEFAULT_BASE_URL",
    "ROUTES",
    "ApiKeyAuth",
    "AsyncSmsGatewayClient",
    "BearerAuth",
    "CredentialsAuth",
    "SmsContact",
    "SmsGatewayClient",
    "SmsGatewayResult",
    "SmsModel",
    "build_login_request",
    "build_request",
    "parse_login_response",
    "parse_response",
    "validate_model",
]

#: The ServiceStack handler of the published service (its metadata pages live under it).
DEFAULT_BASE_URL = "https://production-eros-gateway-api-sms-wa.azurewebsites.net/api"

#: The six documented routes of ``SMSSend`` (relative to :data:`DEFAULT_BASE_URL`).
ROUTES = (
    "/sendmessage",
    "/sendmessage/immediate",
    "/send",
    "/sms/send",
    "/send/immediate",
    "/sms/send/immediate",
)


@dataclass(frozen=True)
class SmsContact:
    """An ``SMSContact``: phone number (E.164 for recipients), optional name and contact Guid."""

    phone_number: str
    name: str | None = None
    contact_id: str | None = None


@dataclass(frozen=True)
class SmsModel:
    """The ``SMSModel`` of one send."""

    message_body: str
    to: tuple[SmsContact, ...]
    from_: SmsContact | None = None
    reply_is_allowed: bool = False
    reply_is_required: bool = False
    notes: str | None = None
    linked_object_id: str | None = None
    suite_id: str | None = None
    licensee_id: str | None = None


@dataclass(frozen=True)
class SmsGatewayResult:
    """A successful ``CommResponse``: the communication id (32 lower-case hex digits), the
    service's reference and message, and the correlation id sent in ``LinkedObjectId``."""

    comm_id: str
    reference: str
    message: str
    recipients: tuple[str, ...]
    linked_object_id: str | None = None
    parts: int = 0
    encoding: str = ""
    #: What was sent, as the client's ``preview()`` shows it beforehand: encoding, parts, what the
    #: invalid-character policy changed and what ``max_parts`` cut (``truncated``, ``dropped``).
    preview: Preview | None = None


# -- authentication -------------------------------------------------------------------------


class BearerAuth:
    """``Authorization: Bearer <token>`` on every request."""

    def __init__(self, token: str | Secret) -> None:
        self.token = Secret(token)
        if not self.token:
            msg = "the bearer token must not be empty"
            raise ValueError(msg)

    def __repr__(self) -> str:
        return "BearerAuth(token=Secret('***'))"


class ApiKeyAuth:
    """A ServiceStack API key: sent as a bearer token, or (``as_basic=True``) as the HTTP Basic
    user name with an empty password."""

    def __init__(self, key: str | Secret, *, as_basic: bool = False) -> None:
        self.key = Secret(key)
        self.as_basic = as_basic
        if not self.key:
            msg = "the API key must not be empty"
            raise ValueError(msg)

    def __repr__(self) -> str:
        return f"ApiKeyAuth(key=Secret('***'), as_basic={self.as_basic})"


class CredentialsAuth:
    """Log in with a user name and password at ``/auth/credentials``; the session (bearer token
    or ``ss-id`` cookie) is kept and renewed once when a request is answered 401."""

    def __init__(self, username: str, password: str | Secret) -> None:
        if not isinstance(username, str) or not username:
            msg = "username must be a non-empty str"
            raise ValueError(msg)
        self.username = username
        self.password = Secret(password)

    def __repr__(self) -> str:
        return f"CredentialsAuth(username={self.username!r}, password=Secret('***'))"


Auth = BearerAuth | ApiKeyAuth | CredentialsAuth


def static_headers(auth: BearerAuth | ApiKeyAuth) -> dict[str, str]:
    """The ``Authorization`` header of a token or API key."""
    if isinstance(auth, BearerAuth):
        return {"Authorization": "Bearer " + auth.token.reveal()}
    if auth.as_basic:
        return {"Authorization": basic_auth(auth.key, "").reveal()}
    return {"Authorization": "Bearer " + auth.key.reveal()}


def build_login_request(auth: CredentialsAuth, *, base_url: str = DEFAULT_BASE_URL) -> HttpRequest:
    """``POST /auth/credentials`` with ``UserName``, ``Password`` and ``RememberMe``."""
    payload = {"UserName": auth.username, "Password": auth.password.reveal(), "RememberMe": True}
    return json_request("POST", build_url(base_url, "/auth/credentials"), payload)


def parse_login_response(response: HttpResponse) -> dict[str, str]:
    """The headers that carry the new session: the ``BearerToken`` if the service issued one,
    else the ``ss-id`` session cookie."""
    data = _json_object(response)
    if response.status in (401, 403):
        raise AuthenticationError(
            f"the SMS gateway refused the login: {_error_text(data) or 'invalid user name or password'}",
            status=response.status,
            code=_error_code(data),
        )
    if response.status != 200 or data is None:
        _raise_for_status(response, data)
    assert data is not None
    token = _get(data, "BearerToken")
    if token:
        return {"Authorization": f"Bearer {token}"}
    session = _get(data, "SessionId")
    if session:
        return {"Cookie": f"ss-id={session}"}
    raise InvalidResponseError(
        "the login answer carries neither BearerToken nor SessionId",
        status=response.status,
        body=response.body,
    )


# -- requests -------------------------------------------------------------------------------


def _hex_guid(field: str, value: str) -> str:
    # ServiceStack.Text writes Guids as 32 hex digits without hyphens; do the same.
    return uuid.UUID(check_guid(field, value)).hex


def validate_model(model: SmsModel) -> None:
    """Check *model*; raise :class:`ValidationError` naming the field, value and rule."""
    if not isinstance(model.message_body, str) or not model.message_body:
        raise ValidationError("SMSModel.MessageBody", model.message_body, "a message needs text")
    if not model.to:
        raise ValidationError("SMSModel.To", list(model.to), "at least one recipient")
    seen: set[str] = set()
    for i, contact in enumerate(model.to):
        check_e164(f"SMSModel.To[{i}].PhoneNumber", contact.phone_number, allow_00=False)
        if contact.phone_number in seen:
            raise ValidationError(
                f"SMSModel.To[{i}].PhoneNumber", contact.phone_number, "a number appears once"
            )
        seen.add(contact.phone_number)
        if contact.contact_id is not None:
            check_guid(f"SMSModel.To[{i}].ContactId", contact.contact_id)
    if model.from_ is not None:
        if not isinstance(model.from_.phone_number, str) or not model.from_.phone_number:
            raise ValidationError(
                "SMSModel.From.PhoneNumber", model.from_.phone_number, "a sender needs a number"
            )
        if model.from_.contact_id is not None:
            check_guid("SMSModel.From.ContactId", model.from_.contact_id)
    for name, value in (
        ("LinkedObjectId", model.linked_object_id),
        ("SuiteId", model.suite_id),
        ("LicenseeId", model.licensee_id),
    ):
        if value is not None:
            check_guid(f"SMSModel.{name}", value)
    if model.reply_is_required and not model.reply_is_allowed:
        raise ValidationError(
            "SMSModel.ReplyIsRequired",
            True,
            "a reply can be required only when it is allowed (ReplyIsAllowed)",
        )


def _contact(contact: SmsContact, field: str) -> dict[str, str]:
    out: dict[str, str] = {}
    if contact.name is not None:
        out["Name"] = contact.name
    out["PhoneNumber"] = contact.phone_number
    if contact.contact_id is not None:
        out["ContactId"] = _hex_guid(field, contact.contact_id)
    return out


def build_request(
    model: SmsModel,
    *,
    headers: Mapping[str, str],
    base_url: str = DEFAULT_BASE_URL,
    immediate: bool = False,
    create_references_immediately: bool = False,
) -> HttpRequest:
    """Validate *model* and return the ``SMSSend`` request (``/sendmessage[/immediate]``).

    *headers* carry the authentication (see :func:`static_headers`, :func:`parse_login_response`).
    Property names are PascalCase as in the service's samples; unset fields are left out.
    """
    validate_model(model)
    sms: dict[str, Any] = {}
    if model.from_ is not None:
        sms["From"] = _contact(model.from_, "SMSModel.From.ContactId")
    sms["To"] = [_contact(c, f"SMSModel.To[{i}].ContactId") for i, c in enumerate(model.to)]
    sms["MessageBody"] = model.message_body
    sms["ReplyIsAllowed"] = model.reply_is_allowed
    sms["ReplyIsRequired"] = model.reply_is_required
    if model.notes is not None:
        sms["Notes"] = model.notes
    for name, value in (
        ("LinkedObjectId", model.linked_object_id),
        ("SuiteId", model.suite_id),
        ("LicenseeId", model.licensee_id),
    ):
        if value is not None:
            sms[name] = _hex_guid(f"SMSModel.{name}", value)
    payload = {"SMSModel": sms, "CreateCommunicationReferencesImmediately": create_references_immediately}
    path = "/sendmessage/immediate" if immediate else "/sendmessage"
    return json_request("POST", build_url(base_url, path), payload, headers)


# -- responses ------------------------------------------------------------------------------


def _get(data: Mapping[str, Any], name: str) -> Any:
    # ServiceStack serialisers may camelCase property names; read them case-insensitively.
    if name in data:
        return data[name]
    low = name.lower()
    return next((v for k, v in data.items() if isinstance(k, str) and k.lower() == low), None)


def _json_object(response: HttpResponse) -> Mapping[str, Any] | None:
    if not response.body:
        return None
    try:
        data = response.json()
    except InvalidResponseError:
        return None
    return data if isinstance(data, Mapping) else None


def _status_block(data: Mapping[str, Any] | None) -> Mapping[str, Any]:
    block = _get(data, "ResponseStatus") if data is not None else None
    return block if isinstance(block, Mapping) else {}


def _error_code(data: Mapping[str, Any] | None) -> str | None:
    code = _get(_status_block(data), "ErrorCode")
    return str(code) if code else None


def _error_text(data: Mapping[str, Any] | None) -> str:
    block = _status_block(data)
    text = str(_get(block, "Message") or "")
    fields = _get(block, "Errors")
    if isinstance(fields, list):
        details = [f"{_get(e, 'FieldName')}: {_get(e, 'Message')}" for e in fields if isinstance(e, Mapping)]
        if details:
            text = (text + " (" if text else "(") + "; ".join(details) + ")"
    return text


def _raise_for_status(response: HttpResponse, data: Mapping[str, Any] | None) -> None:
    text = _error_text(data) or response.text[:200] or f"HTTP {response.status}"
    code = _error_code(data)
    if response.status in (401, 403):
        raise AuthenticationError(
            f"the SMS gateway refused the credentials: {text}", status=response.status, code=code
        )
    if response.status == 429:
        raise RateLimitedError(
            f"the SMS gateway asks to slow down: {text}",
            retry_after=retry_after_seconds(response),
            status=429,
        )
    raise RejectedError(text, status=response.status, code=code, body=data)


def parse_response(model: SmsModel, response: HttpResponse) -> SmsGatewayResult:
    """Read a ``CommResponse``; anything but ``Status: true`` raises.

    Raises:
        AuthenticationError: 401/403.
        RateLimitedError: 429.
        RejectedError: 4xx/5xx with ServiceStack's ``ResponseStatus`` (``code`` is its
            ``ErrorCode``), or 200 with ``Status: false`` (``message`` is the service's ``Message``).
        InvalidResponseError: a 200 that is not a ``CommResponse``.
    """
    data = _json_object(response)
    if response.status != 200:
        _raise_for_status(response, data)
    if data is None:
        raise InvalidResponseError(
            "the SMS gateway answered 200 without a JSON object", status=200, body=response.body
        )
    status = _get(data, "Status")
    message = str(_get(data, "Message") or "")
    if status is not True:
        raise RejectedError(message or "Status is not true", status=200, code=None, body=dict(data))
    comm = _get(data, "CommId")
    try:
        comm_id = uuid.UUID(str(comm).strip("{}")).hex
    except ValueError:
        raise InvalidResponseError(f"CommId {comm!r} is not a Guid", status=200, body=response.body) from None
    return SmsGatewayResult(
        comm_id=comm_id,
        reference=str(_get(data, "Reference") or ""),
        message=message,
        recipients=tuple(c.phone_number for c in model.to),
        linked_object_id=uuid.UUID(model.linked_object_id).hex if model.linked_object_id else None,
    )


# -- operations -----------------------------------------------------------------------------


class _Session:
    """Where a client keeps the headers of its current login (credentials auth only)."""

    def __init__(self) -> None:
        self.headers: dict[str, str] | None = None


def _login(auth: CredentialsAuth, session: _Session, base_url: str) -> Operation[dict[str, str]]:
    # A login creates no message: repeating it is as safe as a read.
    session.headers = yield from read(build_login_request(auth, base_url=base_url), parse_login_response)
    return session.headers


def _auth_headers(auth: Auth, session: _Session, base_url: str) -> Operation[dict[str, str]]:
    if isinstance(auth, CredentialsAuth):
        if session.headers is None:
            return (yield from _login(auth, session, base_url))
        return session.headers
    return static_headers(auth)


def _send(
    model: SmsModel,
    *,
    auth: Auth,
    session: _Session,
    base_url: str,
    immediate: bool,
    create_references_immediately: bool,
    max_attempts: int,
    preview: Preview,
) -> Operation[SmsGatewayResult]:
    (sent,) = preview.messages
    relogged = False
    while True:
        headers = yield from _auth_headers(auth, session, base_url)
        request = build_request(
            model,
            headers=headers,
            base_url=base_url,
            immediate=immediate,
            create_references_immediately=create_references_immediately,
        )
        # No idempotency key exists: only what certainly did not arrive is repeated.
        attempt = yield from exchange(request, idempotent=False, max_attempts=max_attempts)
        response = attempt.response
        if (
            response is not None
            and response.status == 401
            and isinstance(auth, CredentialsAuth)
            and not relogged
        ):
            # The session expired: the SMS was not accepted, so log in again and repeat once.
            session.headers = None
            relogged = True
            continue
        if attempt.maybe_delivered or (response is not None and response.status >= 500):
            raise UnknownOutcomeError(
                "SMS gateway SMSSend",
                idempotency_keys=[model.linked_object_id] if model.linked_object_id else [],
                recipients=[c.phone_number for c in model.to],
                detail=f"{attempt.detail}; LinkedObjectId identifies the message",
            )
        if response is None:
            assert attempt.error is not None
            raise attempt.error
        result = parse_response(model, response)
        return SmsGatewayResult(
            result.comm_id,
            result.reference,
            result.message,
            result.recipients,
            result.linked_object_id,
            sent.parts,
            sent.encoding.value,
            preview,
        )


# -- clients --------------------------------------------------------------------------------


def _contacts(recipients: str | SmsContact | Iterable[str | SmsContact]) -> tuple[SmsContact, ...]:
    if isinstance(recipients, (str, SmsContact)):
        recipients = [recipients]
    out = []
    for i, item in enumerate(recipients):
        if isinstance(item, SmsContact):
            out.append(item)
        elif isinstance(item, str):
            out.append(SmsContact(item.strip()))
        else:
            msg = f"recipients[{i}] must be an E.164 number str or an SmsContact, not {type(item).__name__}"
            raise TypeError(msg)
    return tuple(out)


class _SmsGatewayBase:
    def __init__(
        self,
        auth: Auth,
        *,
        base_url: str = DEFAULT_BASE_URL,
        licensee_id: str | None = None,
        suite_id: str | None = None,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    ) -> None:
        if not isinstance(auth, (BearerAuth, ApiKeyAuth, CredentialsAuth)):
            msg = (
                "auth must be BearerAuth(token), ApiKeyAuth(key) or CredentialsAuth(username, password), "
                f"not {type(auth).__name__}: every SMSSend requires authentication"
            )
            raise TypeError(msg)
        self.auth = auth
        self.base_url = base_url
        self.licensee_id = None if licensee_id is None else check_guid("licensee_id", licensee_id)
        self.suite_id = None if suite_id is None else check_guid("suite_id", suite_id)
        self.max_attempts = max_attempts
        self._session = _Session()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(auth={self.auth!r}, base_url={self.base_url!r})"

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
        numbers = [c.phone_number for c in _contacts(recipients)] if recipients else []
        return _preview(text, numbers, tariff, encoding, invalid_characters, max_parts)

    def _send_op(
        self,
        text: str,
        recipients: Any,
        *,
        sender: str | SmsContact | None,
        immediate: bool,
        create_references_immediately: bool,
        reply_is_allowed: bool,
        reply_is_required: bool,
        notes: str | None,
        linked_object_id: str | None,
        encoding: str,
        invalid_characters: str,
        max_parts: int | None,
    ) -> Operation[SmsGatewayResult]:
        if not isinstance(text, str):
            msg = f"text must be a str, not {type(text).__name__}"
            raise TypeError(msg)
        to = _contacts(recipients)
        preview = _preview(text, [c.phone_number for c in to], None, encoding, invalid_characters, max_parts)
        (seg,) = preview.messages
        model = SmsModel(
            message_body=seg.text,
            to=to,
            from_=SmsContact(sender) if isinstance(sender, str) else sender,
            reply_is_allowed=reply_is_allowed,
            reply_is_required=reply_is_required,
            notes=notes,
            linked_object_id=linked_object_id or uuid.uuid4().hex,
            suite_id=self.suite_id,
            licensee_id=self.licensee_id,
        )
        validate_model(model)
        return _send(
            model,
            auth=self.auth,
            session=self._session,
            base_url=self.base_url,
            immediate=immediate,
            create_references_immediately=create_references_immediately,
            max_attempts=self.max_attempts,
            preview=preview,
        )


class SmsGatewayClient(_SmsGatewayBase):
    """Send SMS through the ServiceStack "SMS Gateway API".

    >>> SmsGatewayClient(BearerAuth("t0k3n"), base_url="http://127.0.0.1:8000/api")
    SmsGatewayClient(auth=BearerAuth(token=Secret('***')), base_url='http://127.0.0.1:8000/api')

    Args:
        auth: :class:`BearerAuth`, :class:`ApiKeyAuth` or :class:`CredentialsAuth`.
        base_url: The ServiceStack root (``.../api``).
        licensee_id, suite_id: Guids put on every ``SMSModel`` (``LicenseeId``, ``SuiteId``).
        transport: How requests travel (default: httpx).
        max_attempts: Tries for what certainly did not arrive (refused connections, 429).
        sleep: How to wait between attempts.
    """

    def __init__(
        self,
        auth: Auth,
        *,
        base_url: str = DEFAULT_BASE_URL,
        licensee_id: str | None = None,
        suite_id: str | None = None,
        transport: Transport | None = None,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        super().__init__(
            auth, base_url=base_url, licensee_id=licensee_id, suite_id=suite_id, max_attempts=max_attempts
        )
        self.transport: Transport = transport if transport is not None else HttpxTransport()
        self._sleep = sleep

    def send(
        self,
        text: str,
        recipients: Any,
        *,
        sender: str | SmsContact | None = None,
        immediate: bool = False,
        create_references_immediately: bool = False,
        reply_is_allowed: bool = False,
        reply_is_required: bool = False,
        notes: str | None = None,
        linked_object_id: str | None = None,
        encoding: str = "GSM7",
        invalid_characters: str = "TO_UTF16",
        max_parts: int | None = None,
    ) -> SmsGatewayResult:
        """Send *text* to *recipients* (E.164 numbers or :class:`SmsContact` s) in one request.

        The text is segmented first (*encoding*, *invalid_characters*, *max_parts* as
        :func:`smsencode.segment` takes them) and the resulting text is sent. *immediate* uses
        ``/sendmessage/immediate``. *linked_object_id* (a Guid; a fresh one by default) is the
        correlation id for reconciling.

        Raises:
            ValidationError: a field is wrong (nothing was sent).
            UnknownOutcomeError: the request may have been accepted (a lost answer, a 5xx); it was
                not resent -- look for its ``LinkedObjectId`` before sending again.
            RejectedError: the service refused (``Status: false``, 400, 403, 405).
            AuthenticationError, RateLimitedError, TransportError: nothing was accepted.
        """
        op = self._send_op(
            text,
            recipients,
            sender=sender,
            immediate=immediate,
            create_references_immediately=create_references_immediately,
            reply_is_allowed=reply_is_allowed,
            reply_is_required=reply_is_required,
            notes=notes,
            linked_object_id=linked_object_id,
            encoding=encoding,
            invalid_characters=invalid_characters,
            max_parts=max_parts,
        )
        return run(op, self.transport, self._sleep)

    def login(self) -> None:
        """Log in now (credentials auth only; otherwise the first send logs in)."""
        if not isinstance(self.auth, CredentialsAuth):
            msg = "login() applies to CredentialsAuth; tokens and API keys need no login"
            raise TypeError(msg)
        run(_login(self.auth, self._session, self.base_url), self.transport, self._sleep)


class AsyncSmsGatewayClient(_SmsGatewayBase):
    """The async twin of :class:`SmsGatewayClient`."""

    def __init__(
        self,
        auth: Auth,
        *,
        base_url: str = DEFAULT_BASE_URL,
        licensee_id: str | None = None,
        suite_id: str | None = None,
        transport: AsyncTransport | None = None,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        super().__init__(
            auth, base_url=base_url, licensee_id=licensee_id, suite_id=suite_id, max_attempts=max_attempts
        )
        self.transport: AsyncTransport = transport if transport is not None else AsyncHttpxTransport()
        self._sleep = sleep

    async def send(
        self,
        text: str,
        recipients: Any,
        *,
        sender: str | SmsContact | None = None,
        immediate: bool = False,
        create_references_immediately: bool = False,
        reply_is_allowed: bool = False,
        reply_is_required: bool = False,
        notes: str | None = None,
        linked_object_id: str | None = None,
        encoding: str = "GSM7",
        invalid_characters: str = "TO_UTF16",
        max_parts: int | None = None,
    ) -> SmsGatewayResult:
        """See :meth:`SmsGatewayClient.send`."""
        op = self._send_op(
            text,
            recipients,
            sender=sender,
            immediate=immediate,
            create_references_immediately=create_references_immediately,
            reply_is_allowed=reply_is_allowed,
            reply_is_required=reply_is_required,
            notes=notes,
            linked_object_id=linked_object_id,
            encoding=encoding,
            invalid_characters=invalid_characters,
            max_parts=max_parts,
        )
        return await run_async(op, self.transport, self._sleep)

    async def login(self) -> None:
        """See :meth:`SmsGatewayClient.login`."""
        if not isinstance(self.auth, CredentialsAuth):
            msg = "login() applies to CredentialsAuth; tokens and API keys need no login"
            raise TypeError(msg)
        await run_async(_login(self.auth, self._session, self.base_url), self.transport, self._sleep)


def _preview(
    text: str,
    numbers: Sequence[str],
    tariff: TariffLike | None,
    encoding: str,
    invalid_characters: str,
    max_parts: int | None,
) -> Preview:
    return preview_text(
        "smsgateway",
        text,
        numbers,
        field="SMSModel.MessageBody",
        encoding=encoding,
        invalid_characters=invalid_characters,
        max_parts=max_parts,
        tariff=tariff,
        notes=("the service documents no encoding or length limit: parts are counted as GSM-7/UCS-2 SMS",),
    )
