"""What a send would do, found out before anything is sent: the preview records of every client.

A client's ``preview()`` segments each message with the provider's own semantics and returns a
:class:`Preview`: per message (:class:`MessagePreview`) and in total, the encoding, the parts,
what the invalid-character policy changed, what a parts limit would cut, and the cost when a
tariff is given. :func:`preview_message` builds one :class:`MessagePreview`; provider modules call
it with their encoding, policy and limit.

A tariff is anything with ``price_for(number) -> price | None`` where the price has ``amount``
(a :class:`~decimal.Decimal` per part) and ``currency``, as :class:`smsencode.cost.Tariff` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from smsencode.errors import InvalidCharactersError, TooManyPartsError
from smsencode.options import Encoding, InvalidCharacters, parse_encoding, parse_invalid_characters
from smsencode.providers.errors import ValidationError
from smsencode.segment import Segmentation, segment

__all__ = ["MessagePreview", "Preview", "PriceLike", "TariffLike", "preview_message", "preview_text"]


class PriceLike(Protocol):
    """A price per part: an exact amount and its ISO 4217 currency."""

    @property
    def amount(self) -> Decimal: ...

    @property
    def currency(self) -> str: ...


class TariffLike(Protocol):
    """Prices per part by destination (:class:`smsencode.cost.Tariff` is one)."""

    def price_for(self, number: str | None) -> PriceLike | None: ...


@dataclass(frozen=True)
class MessagePreview:
    """How one message (one text for its recipients) would travel.

    Attributes:
        index: Position of the message in the request.
        recipients: The destinations, as they will be sent.
        requested_encoding: The encoding asked for (GSM-7 for Retarus ``STANDARD``).
        encoding: The encoding the text travels in (UTF-16 when ``TO_UTF16`` switched it).
        text: The text as it is sent: after the policy and after truncation.
        parts: Parts per recipient.
        units: Septets (GSM-7) or UTF-16 code units of :attr:`text`.
        part_capacity: Units per part for this message.
        replacements: ``(index, original, replacement)`` made by REPLACE or TRANSLITERATE.
        truncated: Whether the parts limit cut the text.
        dropped: The text the parts limit cut off ("" when nothing was cut).
        parts_needed: Parts the whole text needs without the limit.
        cost: Price of all parts for all recipients, when a tariff was given; ``None`` otherwise.
            Recipients the tariff has no price for are left out and listed in :attr:`unpriced`.
        currency: Currency of :attr:`cost`.
        unpriced: Recipients the tariff has no price for.
        notes: Anything else worth knowing (e.g. what the provider does that the preview cannot
            reproduce exactly).
    """

    index: int
    recipients: tuple[str, ...]
    requested_encoding: Encoding
    encoding: Encoding
    text: str
    parts: int
    units: int
    part_capacity: int
    replacements: tuple[tuple[int, str, str], ...] = ()
    truncated: bool = False
    dropped: str = ""
    parts_needed: int = 0
    cost: Decimal | None = None
    currency: str | None = None
    unpriced: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def switched_to_utf16(self) -> bool:
        """True when the policy sent a GSM-7 request as UTF-16."""
        return self.requested_encoding is Encoding.GSM7 and self.encoding is Encoding.UTF16

    @property
    def policy_changed(self) -> bool:
        """True when the invalid-character policy changed the text or its encoding."""
        return bool(self.replacements) or self.switched_to_utf16

    @property
    def total_parts(self) -> int:
        """Parts for all recipients (what is billed)."""
        return self.parts * len(self.recipients)

    @property
    def changes(self) -> tuple[str, ...]:
        """What the policy and the parts limit changed, in words."""
        out: list[str] = []
        if self.switched_to_utf16:
            out.append("sent as UTF-16: the text has characters outside GSM-7")
        out.extend(f"{orig!r} at {i} -> {new!r}" for i, orig, new in self.replacements)
        if self.truncated:
            out.append(
                f"cut to {self.parts} of {self.parts_needed} parts: {len(self.dropped)} characters dropped"
            )
        return tuple(out)


@dataclass(frozen=True)
class Preview:
    """How a whole request would travel: every message, and totals.

    Attributes:
        provider: Which provider's semantics were applied.
        messages: One :class:`MessagePreview` per message.
        requests: How many API calls the send will make (jobs, batches).
        notes: Remarks on the request as a whole.
    """

    provider: str
    messages: tuple[MessagePreview, ...]
    requests: int = 1
    notes: tuple[str, ...] = ()

    @property
    def total_recipients(self) -> int:
        """Recipients over all messages."""
        return sum(len(m.recipients) for m in self.messages)

    @property
    def total_parts(self) -> int:
        """Parts over all messages and recipients (what is billed)."""
        return sum(m.total_parts for m in self.messages)

    @property
    def total_cost(self) -> Decimal | None:
        """Cost of every priced part, or ``None`` when no tariff was given."""
        costs = [m.cost for m in self.messages if m.cost is not None]
        if not costs:
            return None
        return sum(costs, Decimal(0))

    @property
    def currency(self) -> str | None:
        """Currency of :attr:`total_cost`."""
        return next((m.currency for m in self.messages if m.currency is not None), None)

    @property
    def truncated(self) -> bool:
        """Whether any message would be cut by the parts limit."""
        return any(m.truncated for m in self.messages)

    @property
    def policy_changed(self) -> bool:
        """Whether the invalid-character policy changed any message."""
        return any(m.policy_changed for m in self.messages)

    @property
    def unpriced(self) -> tuple[str, ...]:
        """Recipients the tariff has no price for, over all messages."""
        return tuple(r for m in self.messages for r in m.unpriced)


def _price(
    recipients: Iterable[str], parts: int, tariff: TariffLike | None
) -> tuple[Decimal | None, str | None, tuple[str, ...]]:
    if tariff is None:
        return None, None, ()
    total = Decimal(0)
    currency: str | None = getattr(tariff, "currency", None)
    unpriced: list[str] = []
    for dst in recipients:
        try:
            price = tariff.price_for(dst)
        except ValueError:
            price = None
        if price is None:
            unpriced.append(dst)
            continue
        if currency is None:
            currency = price.currency
        elif price.currency != currency:
            msg = (
                f"the tariff mixes currencies ({currency} and {price.currency}); a preview sums one currency"
            )
            raise ValueError(msg)
        total += price.amount * parts
    return total, currency, tuple(unpriced)


def preview_message(
    index: int,
    text: str,
    recipients: Sequence[str],
    *,
    encoding: Encoding | str = Encoding.GSM7,
    invalid_characters: InvalidCharacters | str = InvalidCharacters.TO_UTF16,
    max_parts: int | None = None,
    tariff: TariffLike | None = None,
    field: str = "text",
    replacement: str = " ",
    notes: Sequence[str] = (),
) -> MessagePreview:
    """Segment *text* as the provider would and price it for *recipients*.

    Args:
        index: Position of the message in the request (for :attr:`MessagePreview.index`).
        text: The message text.
        recipients: Destinations, used for pricing and counting.
        encoding: Requested encoding (provider spellings such as ``"STANDARD"`` work).
        invalid_characters: The provider's policy for characters outside GSM-7.
        max_parts: The provider's parts limit; text beyond it is reported as dropped.
        tariff: Prices per part by destination (see :class:`TariffLike`), or ``None``.
        field: Request field of the text, for the error message.
        replacement: What REPLACE and TRANSLITERATE put for what does not fit.
        notes: Extra remarks to attach.

    Raises:
        ValidationError: the text is empty, REFUSE meets characters outside GSM-7, or the text
            needs more than 255 parts.
    """
    if not isinstance(text, str) or not text:
        raise ValidationError(field, text, "must be a non-empty string: an empty SMS is still billed")
    enc = parse_encoding(encoding)
    policy = parse_invalid_characters(invalid_characters)
    try:
        seg: Segmentation = segment(
            text, encoding=enc, invalid_characters=policy, max_parts=max_parts, replacement=replacement
        )
        needed = seg.part_count
        if seg.truncated:
            try:
                needed = segment(
                    text, encoding=enc, invalid_characters=policy, replacement=replacement
                ).part_count
            except TooManyPartsError as exc:
                needed = exc.parts_needed or 256
    except InvalidCharactersError as exc:
        shown = ", ".join(f"{c!r} at {i}" for i, c in exc.characters[:8])
        raise ValidationError(
            field, text, f"has characters outside GSM-7 ({shown}) and invalidCharacters is REFUSE"
        ) from exc
    except TooManyPartsError as exc:
        raise ValidationError(field, text, str(exc)) from exc
    cost, currency, unpriced = _price(recipients, seg.part_count, tariff)
    return MessagePreview(
        index=index,
        recipients=tuple(recipients),
        requested_encoding=enc,
        encoding=seg.encoding,
        text=seg.text,
        parts=seg.part_count,
        units=seg.units,
        part_capacity=seg.part_capacity,
        replacements=seg.replacements,
        truncated=seg.truncated,
        dropped=seg.dropped,
        parts_needed=needed,
        cost=cost,
        currency=currency,
        unpriced=unpriced,
        notes=tuple(notes),
    )


def preview_text(
    provider: str,
    text: str,
    recipients: Sequence[str],
    *,
    field: str,
    encoding: Encoding | str = Encoding.GSM7,
    invalid_characters: InvalidCharacters | str = InvalidCharacters.TO_UTF16,
    max_parts: int | None = None,
    tariff: TariffLike | None = None,
    batch_size: int | None = None,
    notes: Sequence[str] = (),
) -> Preview:
    """The :class:`Preview` of one *text* for all *recipients*, as a client without multi-message
    jobs sends it: one :class:`MessagePreview` (see :func:`preview_message`; *notes* go on it) and
    ``requests`` the number of batches of at most *batch_size* recipients (1 without a limit).

    >>> p = preview_text("demo", "Hello", ["+4917612345678"] * 3, field="text", batch_size=2)
    >>> p.messages[0].parts, p.total_parts, p.requests
    (1, 3, 2)
    """
    message = preview_message(
        0,
        text,
        recipients,
        encoding=encoding,
        invalid_characters=invalid_characters,
        max_parts=max_parts,
        tariff=tariff,
        field=field,
        notes=notes,
    )
    requests = -(-len(recipients) // batch_size) if batch_size else 1
    return Preview(provider, (message,), requests=max(1, requests))
