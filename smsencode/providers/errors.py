"""The errors a provider client raises, all under :class:`smsencode.errors.SmsEncodeError`.

::

    SmsEncodeError
    └── ProviderError                     anything that went wrong talking to a provider
        ├── ValidationError (ValueError)  a request refused locally, before anything was sent
        ├── MissingDependencyError        the optional HTTP extra is not installed (also ImportError)
        ├── AuthenticationError           401/403 or a provider code for bad credentials
        ├── RateLimitedError              429 or a provider "too many requests" code (retry_after)
        ├── RejectedError                 the provider answered and refused (status, code, message)
        ├── InvalidResponseError          the answer could not be understood (bad JSON, wrong shape)
        ├── TransportError                the connection failed (request_sent says whether it left)
        ├── UnknownOutcomeError           a send may or may not have been accepted: reconcile, never
        │                                 resend blindly (operation, idempotency keys, recipients)
        └── PartialSendError              a send split into several requests stopped half-way
                                          (accepted, error, not_attempted)

Messages never contain credentials: clients keep them in :class:`~smsencode.providers.Secret`
and error messages quote only the fields that were wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from smsencode.errors import SmsEncodeError

__all__ = [
    "AuthenticationError",
    "InvalidResponseError",
    "MissingDependencyError",
    "PartialSendError",
    "ProviderError",
    "RateLimitedError",
    "RejectedError",
    "TransportError",
    "UnknownOutcomeError",
    "ValidationError",
]

_SHOWN = 80  # characters of a value quoted in a message; the full value stays on the attribute


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


class ProviderError(SmsEncodeError):
    """Base class of everything that goes wrong between a client and a provider."""


class ValidationError(ProviderError, ValueError):
    """A request was refused locally because a field breaks a documented limit.

    Nothing was sent. ``field`` is the request field (dotted path, e.g.
    ``"messages[0].recipients[2].dst"``), ``value`` the offending value and ``rule`` the limit
    it breaks, in words.
    """

    def __init__(self, field: str, value: object, rule: str) -> None:
        self.field = field
        self.value = value
        self.rule = rule
        super().__init__(f"{field}={_show(value)} is not accepted: {rule}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.field, self.value, self.rule))


class MissingDependencyError(ProviderError, ImportError):
    """The HTTP transport needs ``httpx``, which comes with the ``http`` extra."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or "the provider clients need httpx for HTTP: install it with pip install 'smsencode[http]' "
            "(or pass transport= with your own transport)"
        )


class AuthenticationError(ProviderError):
    """The provider refused the credentials (HTTP 401/403 or an auth error code)."""

    def __init__(self, message: str, *, status: int | None = None, code: object = None) -> None:
        self.status = status
        self.code = code
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.args, self.__dict__))


class RateLimitedError(ProviderError):
    """The provider asked us to slow down.

    ``retry_after`` is the number of seconds to wait, when the provider said so (``Retry-After``
    or a documented window), else ``None``.
    """

    def __init__(self, message: str, *, retry_after: float | None = None, status: int | None = 429) -> None:
        self.retry_after = retry_after
        self.status = status
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.args, self.__dict__))


class RejectedError(ProviderError):
    """The provider answered and refused the request.

    ``status`` is the HTTP status, ``code`` the provider's own error code (``None`` when it sent
    none), ``message`` its text and ``body`` the raw answer (decoded JSON when it was JSON).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: object = None,
        body: object = None,
    ) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.body = body
        where = f"HTTP {status}" if status is not None else "provider"
        coded = f" (code {code!r})" if code is not None else ""
        super().__init__(f"{where}{coded}: {message}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.args, self.__dict__))


class InvalidResponseError(ProviderError):
    """The provider's answer could not be understood (not JSON, or not the documented shape)."""

    def __init__(self, message: str, *, status: int | None = None, body: bytes = b"") -> None:
        self.status = status
        self.body = body
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.args, self.__dict__))


class TransportError(ProviderError):
    """The HTTP exchange failed.

    ``request_sent`` is ``False`` when the request certainly never reached the provider
    (DNS, connect, TLS handshake): repeating it is safe. ``True`` means it may have arrived
    (a read timeout, a connection reset after writing): a send must then be treated as an
    unknown outcome.
    """

    def __init__(self, message: str, *, request_sent: bool) -> None:
        self.request_sent = request_sent
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.args, self.__dict__))


class UnknownOutcomeError(ProviderError):
    """A send may have been accepted, and repeating it could send twice, so it was not repeated.

    Carries what is needed to reconcile by hand or with a status call: ``operation`` (what was
    attempted), ``idempotency_keys`` (the keys the request carried: Retarus customerRef, BSG
    references, mysmpp client_id_sms), ``recipients`` (whose messages are in doubt) and
    ``detail`` (what happened). ``idempotency_key`` is the first key, for single sends.
    """

    def __init__(
        self,
        operation: str,
        *,
        idempotency_keys: Sequence[str] = (),
        recipients: Sequence[str] = (),
        detail: str = "",
    ) -> None:
        self.operation = operation
        self.idempotency_keys = tuple(idempotency_keys)
        self.recipients = tuple(recipients)
        self.detail = detail
        n = len(self.recipients)
        keys = ", ".join(self.idempotency_keys[:3]) + (", ..." if len(self.idempotency_keys) > 3 else "")
        msg = f"outcome of {operation} is unknown for {n} recipient{'s' if n != 1 else ''}"
        if keys:
            msg += f" (idempotency keys: {keys})"
        if detail:
            msg += f": {detail}"
        msg += "; it was not resent: check its status before sending again"
        super().__init__(msg)

    @property
    def idempotency_key(self) -> str | None:
        """The first idempotency key, or ``None`` when the request carried none."""
        return self.idempotency_keys[0] if self.idempotency_keys else None

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.args, self.__dict__))


class PartialSendError(ProviderError):
    """A send that had to be split into several requests stopped part-way.

    ``accepted`` holds the results of the requests that went through (provider-specific result
    objects), ``error`` is the error that stopped the rest (also the ``__cause__``), and
    ``not_attempted`` lists the recipients whose request was never sent.
    """

    def __init__(
        self,
        accepted: Sequence[object],
        error: ProviderError,
        not_attempted: Sequence[str] = (),
    ) -> None:
        self.accepted = tuple(accepted)
        self.error = error
        self.not_attempted = tuple(not_attempted)
        super().__init__(
            f"{len(self.accepted)} request(s) accepted, then: {error}; "
            f"{len(self.not_attempted)} recipient(s) not attempted"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type[ProviderError], args: tuple[Any, ...], state: dict[str, Any]) -> ProviderError:
    # Errors with keyword-only attributes pickle through here: the constructor is bypassed and
    # the message and attributes are restored as they were.
    err = cls.__new__(cls)
    err.args = args
    err.__dict__.update(state)
    return err
