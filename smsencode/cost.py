"""What a message costs before it is sent: per-part prices by destination, in exact money.

Every part of every recipient is billed, and the price of a part depends on where it goes. A
:class:`Tariff` maps E.164 prefixes (a country code, or a country code and a network's digits)
to a price per part; the longest prefix that matches a number wins, and a default price covers
the rest when the tariff has one. :func:`estimate` prices one message for many recipients:

>>> from decimal import Decimal
>>> tariff = Tariff({"49": "0.075", "4917": "0.068"}, currency="EUR", default="0.10")
>>> est = estimate("Your code is 481516", ["+4917612345678", "0049 30 1234567", "+33612345678"], tariff)
>>> est.total_parts, est.total_cost
(3, Decimal('0.243'))
>>> format_money(est.total_cost, "EUR")
'0.24'

Decisions, so that a preview never invents or loses money:

* **Money is** :class:`~decimal.Decimal` **throughout**, never ``float``: prices are parsed from
  their text, and a ``float`` price is refused (``0.1`` cannot be held exactly in binary).
  Totals keep full precision (``3 x 0.0725 = 0.2175``); arithmetic runs in a context that
  raises rather than round. Rounding to the currency's minor unit happens only when a total is
  shown, in :func:`format_money` (half up, as on an invoice).
* **Numbers** are E.164: an optional ``+`` or ``00`` international prefix, then 7 to 15 digits
  whose first is 1-9 (the country code). Spaces, hyphens and dots between digits are ignored.
  Anything else (a national number with a trunk ``0``, letters, too few or too many digits) is
  reported as invalid, never guessed at. See :func:`normalize_number`.
* **A recipient without a price** (no prefix matches and the tariff has no default) is
  *unpriced*: its parts are counted, its cost is not invented, and it is listed in
  :attr:`Estimate.unpriced`. **An invalid number** is listed in :attr:`Estimate.invalid`; no
  provider can route it, so it counts toward neither parts nor cost.
* **Destination unknown**: a recipient given as ``None`` is priced at the default price, which
  is how a flat price per part (:meth:`Tariff.flat`) prices a message with no recipient list.
"""

from __future__ import annotations

import argparse
import csv
import decimal
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from smsencode.options import Encoding
from smsencode.segment import Segmentation, segment

__all__ = [
    "Estimate",
    "Price",
    "RecipientCost",
    "Tariff",
    "add_cost_options",
    "describe_estimate",
    "estimate",
    "estimate_from_options",
    "estimate_lines",
    "format_money",
    "minor_unit",
    "normalize_number",
    "quote",
    "round_money",
    "tariff_from_options",
]

#: ISO 4217 currencies whose minor unit is not 1/100 (exponent 0, 3 or 4); every other code
#: has two decimals.
MINOR_UNITS: Mapping[str, int] = MappingProxyType({
    "BHD": 3, "BIF": 0, "CLF": 4, "CLP": 0, "DJF": 0, "GNF": 0, "IQD": 3, "ISK": 0, "JOD": 3,
    "JPY": 0, "KMF": 0, "KRW": 0, "KWD": 3, "LYD": 3, "OMR": 3, "PYG": 0, "RWF": 0, "TND": 3,
    "UGX": 0, "UYI": 0, "UYW": 4, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
})  # fmt: skip

#: ITU-T E.164 allows at most 15 digits. At least 7: the shortest complete numbers in service
#: (small territories such as Niue, +683 and four digits); fewer is a truncated number. The
#: provider clients apply the same rule.
E164_MIN_DIGITS = 7
E164_MAX_DIGITS = 15

# Exact money: no operation may round. Sums and products of prices never need more than a few
# dozen digits, so a wide precision with Inexact trapped turns any rounding into an error.
EXACT = decimal.Context(prec=200, rounding=decimal.ROUND_HALF_EVEN, traps=[
    decimal.Inexact, decimal.InvalidOperation, decimal.Overflow, decimal.DivisionByZero,
])  # fmt: skip

_SEPARATORS = re.compile(r"[ \t.\-]+")
_DIGITS = re.compile(r"[1-9][0-9]*")
_CURRENCY = re.compile(r"[A-Z]{3}")
# Price text: ASCII digits with an optional dot and exponent. Decimal() alone would also take
# "1_000", other scripts' digits ("١") and "NaN"; a price list should say exactly one thing.
_PRICE_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_ZERO = Decimal(0)
_COUNTS = tuple(Decimal(n) for n in range(256))  # part counts as Decimals, made once


def normalize_number(number: str) -> str:
    """The E.164 form (``+`` and digits) of *number*, or ValueError saying what is wrong.

    ``+`` and the international prefix ``00`` are both accepted, as are bare international
    digits; spaces, tabs, hyphens and dots between digits are dropped.

    >>> normalize_number("+49 176 1234-5678"), normalize_number("004917612345678")
    ('+4917612345678', '+4917612345678')

    Raises:
        TypeError: *number* is not a str.
        ValueError: *number* is not 7 to 15 digits starting 1-9 after the prefix (for example a
            national number such as ``0176...``).
    """
    found = _digits(number)
    if found is None:
        msg = (
            f"{number!r} is not an E.164 number: write it as +<country code><number>, "
            f"{E164_MIN_DIGITS} to {E164_MAX_DIGITS} digits (00 for + is accepted; a national "
            "number starting with its trunk prefix 0 is not)"
        )
        raise ValueError(msg)
    return "+" + found


def _digits(number: str) -> str | None:
    """The digits of E.164 *number*, or None when it is not one (the hot path of pricing)."""
    if not isinstance(number, str):
        msg = f"a phone number must be a str, not {type(number).__name__}"
        raise TypeError(msg)
    if number[:1] == "+" and number[1:2] != "0":  # the common, already clean form: no regex
        s = number[1:]
        if E164_MIN_DIGITS <= len(s) <= E164_MAX_DIGITS and s.isdigit() and s.isascii():
            return s
    s = _SEPARATORS.sub("", number)
    if s.startswith("+"):
        s = s[1:]
    elif s.startswith("00"):
        s = s[2:]
    if E164_MIN_DIGITS <= len(s) <= E164_MAX_DIGITS and s.isascii() and _DIGITS.fullmatch(s):
        return s
    return None


def minor_unit(currency: str) -> int:
    """Decimal places of *currency*'s minor unit (ISO 4217): 2 unless listed in MINOR_UNITS."""
    return MINOR_UNITS.get(currency, 2)


def round_money(amount: Decimal, currency: str) -> Decimal:
    """*amount* rounded half up to *currency*'s minor unit, for display or invoicing.

    >>> round_money(Decimal("0.125"), "EUR"), round_money(Decimal("12.5"), "JPY")
    (Decimal('0.13'), Decimal('13'))
    """
    if not isinstance(amount, Decimal):
        msg = f"amount must be a Decimal, not {type(amount).__name__}"
        raise TypeError(msg)
    places = minor_unit(currency)
    # Enough digits for any amount: quantize raises rather than round when precision runs out.
    digits = max(amount.adjusted(), 0) + places + 2 if amount.is_finite() else 1
    context = decimal.Context(prec=max(200, digits), Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)
    return amount.quantize(Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP, context=context)


def format_money(amount: Decimal, currency: str) -> str:
    """*amount* as text, rounded half up to *currency*'s minor unit: ``'0.24'``."""
    return f"{round_money(amount, currency):f}"


@dataclass(frozen=True)
class Price:
    """An amount of money per part, in a currency (ISO 4217 code)."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.amount:f} {self.currency}"


PriceLike = Price | Decimal | str | int


def _amount(value: object, where: str) -> Decimal:
    if isinstance(value, bool) or isinstance(value, float):
        msg = (
            f"{where}: price {value!r} is a {type(value).__name__}; give it as a str or Decimal "
            "(binary floats cannot hold most prices exactly: 0.1 is 0.1000000000000000055...)"
        )
        raise TypeError(msg)
    if isinstance(value, int):
        value = Decimal(value)
    elif isinstance(value, str):
        text = value.strip()
        if not _PRICE_TEXT.fullmatch(text):
            msg = f"{where}: price {text!r} is not a decimal number (write it like 0.075, with a dot)"
            raise ValueError(msg)
        value = Decimal(text)
    elif not isinstance(value, Decimal):
        msg = f"{where}: a price must be a Decimal, str or int, not {type(value).__name__}"
        raise TypeError(msg)
    if not value.is_finite() or value < 0:
        msg = f"{where}: price {value} must be a finite amount of at least 0"
        raise ValueError(msg)
    return abs(value) if value.is_zero() else value  # -0 is 0: never print a negative zero cost


def _currency(value: object, where: str) -> str:
    if not isinstance(value, str):
        msg = f"{where}: currency must be a str such as 'EUR', not {type(value).__name__}"
        raise TypeError(msg)
    code = value.strip().upper()
    if not _CURRENCY.fullmatch(code):
        msg = f"{where}: currency {value!r} is not an ISO 4217 code (three letters, such as EUR or USD)"
        raise ValueError(msg)
    return code


def _price(value: object, currency: str, where: str) -> Price:
    if isinstance(value, Price):
        return Price(_amount(value.amount, where), _currency(value.currency, where))
    if isinstance(value, tuple) and len(value) == 2:
        return Price(_amount(value[0], where), _currency(value[1], where))
    return Price(_amount(value, where), currency)


def _prefix(value: object, where: str) -> str:
    if not isinstance(value, str):
        msg = f"{where}: a prefix must be a str of digits such as '49' or '+4917', not {type(value).__name__}"
        raise TypeError(msg)
    s = _SEPARATORS.sub("", value)
    s = s[1:] if s.startswith("+") else s[2:] if s.startswith("00") else s
    if not (1 <= len(s) <= E164_MAX_DIGITS and s.isascii() and _DIGITS.fullmatch(s)):
        msg = (
            f"{where}: prefix {value!r} is not the start of an E.164 number "
            "(1 to 15 digits, the first 1-9, optionally after + or 00)"
        )
        raise ValueError(msg)
    return s


#: Distinct leading-digit strings a tariff remembers the match of (bounds its memory).
MEMO_SIZE = 1 << 16

#: CSV cells that mark the default price row of a tariff file.
DEFAULT_PREFIXES = frozenset({"default", "*"})


class Tariff:
    """Prices per part by destination: longest-prefix match on E.164 numbers, then a default.

    >>> t = Tariff({"1": "0.0075", "44": "0.040", "447": "0.035"}, currency="USD")
    >>> str(t.price_for("+447700900123")), str(t.price_for("+441632960123")), t.price_for("+33612345678")
    ('0.035 USD', '0.040 USD', None)

    Args:
        prices: prefix -> price per part. Prefixes are E.164 digits (``"49"``, ``"+4917"``,
            ``"0049"``); overlapping prefixes are fine, the longest match wins. A price is a
            :class:`~decimal.Decimal`, a str (``"0.075"``), an int, a :class:`Price`, or an
            ``(amount, currency)`` pair when it is not in *currency*; never a float.
        currency: ISO 4217 code of the prices given without one.
        default: Price per part for numbers no prefix matches; ``None`` leaves them unpriced.

    Raises:
        TypeError: a float price, or a value of another wrong type.
        ValueError: a malformed prefix, duplicate prefixes, a negative or non-numeric price, or
            a currency that is not three letters.
    """

    __slots__ = ("_default", "_lengths", "_memo", "_prices", "_table", "currency")

    def __init__(
        self,
        prices: Mapping[str, PriceLike | tuple[PriceLike, str]],
        *,
        currency: str,
        default: PriceLike | tuple[PriceLike, str] | None = None,
    ) -> None:
        if not isinstance(prices, Mapping):
            msg = f"prices must be a mapping of prefix to price, not {type(prices).__name__}"
            raise TypeError(msg)
        self.currency = _currency(currency, "tariff")
        table: dict[str, Price] = {}
        for key, value in prices.items():
            where = f"prefix {key!r}"
            digits = _prefix(key, where)
            if digits in table:
                msg = f"{where}: prefix {digits} is given twice; keep one price per prefix"
                raise ValueError(msg)
            table[digits] = _price(value, self.currency, where)
        self._table = table  # looked up on the hot path; never handed out
        self._prices: Mapping[str, Price] = MappingProxyType(table)
        self._default = None if default is None else _price(default, self.currency, "default price")
        # Lengths to try, longest first: a lookup is a handful of dict probes, not a scan.
        self._lengths = tuple(sorted({len(p) for p in table}, reverse=True))
        # The match depends only on the first max(len(prefix)) digits, so numbers that share
        # them share the answer: remember it (up to MEMO_SIZE distinct leading digit strings).
        self._memo: dict[str, tuple[str, Price] | None] = {}

    @classmethod
    def from_mapping(
        cls,
        prices: Mapping[str, PriceLike | tuple[PriceLike, str]],
        *,
        currency: str,
        default: PriceLike | tuple[PriceLike, str] | None = None,
    ) -> Tariff:
        """A tariff from a mapping of prefix to price (the same as calling :class:`Tariff`)."""
        return cls(prices, currency=currency, default=default)

    @classmethod
    def flat(cls, price: PriceLike, *, currency: str) -> Tariff:
        """One price per part for every destination (a tariff with only a default price)."""
        return cls({}, currency=currency, default=price)

    @classmethod
    def from_csv(cls, source: str | os.PathLike[str] | Iterable[str], *, currency: str) -> Tariff:
        """A tariff from CSV: a ``prefix,price`` header, an optional ``currency`` column.

        Other columns (a country or network name, say) are ignored. Blank lines and lines
        starting with ``#`` are skipped. A row whose prefix is ``default`` or ``*`` gives the
        default price. Prices are decimal text with a dot (``0.075``).

        >>> t = Tariff.from_csv(["prefix,price,country", "49,0.075,Germany", "default,0.10"], currency="EUR")
        >>> str(t.price_for("+4915112345678")), str(t.default)
        ('0.075 EUR', '0.10 EUR')

        Args:
            source: A path, or the lines of the file (any iterable of str, such as an open file).
            currency: ISO 4217 code of the prices on rows without a currency.

        Raises:
            ValueError: a missing ``prefix`` or ``price`` column, or a bad row (its line number
                is in the message).
        """
        if isinstance(source, (str, os.PathLike)):
            with open(source, encoding="utf-8-sig", newline="") as f:
                return cls._read_csv(f, currency, os.fspath(source))
        if isinstance(source, (bytes, bytearray)):
            msg = "source must be a path or lines of text, not bytes; decode it first"
            raise TypeError(msg)
        return cls._read_csv(source, currency, "tariff")

    @classmethod
    def _read_csv(cls, lines: Iterable[str], currency: str, name: str) -> Tariff:
        reader = csv.reader(_content_lines(lines))
        rows = ((reader.line_num, row) for row in reader if row)
        header = next((row for _, row in rows), None)
        if header is None:
            msg = f"{name}: the tariff is empty; it needs a 'prefix,price' header and rows"
            raise ValueError(msg)
        columns = [c.strip().lower() for c in header]
        if columns:
            columns[0] = columns[0].lstrip("\ufeff").strip()  # a byte-order mark read as text
        if "prefix" not in columns or "price" not in columns:
            msg = f"{name}: the header {header!r} needs a 'prefix' and a 'price' column"
            raise ValueError(msg)
        i_prefix, i_price = columns.index("prefix"), columns.index("price")
        i_currency = columns.index("currency") if "currency" in columns else None
        prices: dict[str, Any] = {}
        default: Any = None
        code = _currency(currency, name)
        for line, row in rows:
            where = f"{name}, line {line}"
            if len(row) <= max(i_prefix, i_price):
                msg = f"{where}: the row {row!r} has no {'price' if len(row) > i_prefix else 'prefix'}"
                raise ValueError(msg)
            price = _amount(row[i_price], where)
            cur = code
            if i_currency is not None and i_currency < len(row) and row[i_currency].strip():
                cur = _currency(row[i_currency], where)
            key = row[i_prefix].strip()
            if key.lower() in DEFAULT_PREFIXES:
                if default is not None:
                    msg = f"{where}: a second default price; keep one"
                    raise ValueError(msg)
                default = (price, cur)
                continue
            digits = _prefix(key, where)
            if digits in prices:
                msg = f"{where}: prefix {digits} is given twice; keep one price per prefix"
                raise ValueError(msg)
            prices[digits] = (price, cur)
        return cls(prices, currency=code, default=default)

    @property
    def prices(self) -> Mapping[str, Price]:
        """Prefix digits -> price per part (read-only)."""
        return self._prices

    @property
    def default(self) -> Price | None:
        """The price per part for numbers no prefix matches, or ``None``."""
        return self._default

    def match(self, number: str | None) -> tuple[str, Price] | None:
        """The longest prefix that matches *number* and its price; ``("", default)`` when only
        the default applies; ``None`` when nothing prices it.

        *number* is an E.164 number (see :func:`normalize_number`) or ``None`` for a destination
        that is not known, which only the default price covers.

        Raises:
            ValueError: *number* is not an E.164 number.
        """
        if number is None:
            return None if self._default is None else ("", self._default)
        digits = _digits(number)
        if digits is None:
            normalize_number(number)  # raises with the explanation
        assert digits is not None
        return self._match_digits(digits)

    def _match_digits(self, digits: str) -> tuple[str, Price] | None:
        key = digits[: self._lengths[0]] if self._lengths else ""
        memo = self._memo
        if key in memo:
            return memo[key]
        found = self._longest(digits)
        if len(memo) < MEMO_SIZE:
            memo[key] = found
        return found

    def _longest(self, digits: str) -> tuple[str, Price] | None:
        prices = self._table
        for n in self._lengths:
            if n <= len(digits):
                found = prices.get(digits[:n])
                if found is not None:
                    return digits[:n], found
        return None if self._default is None else ("", self._default)

    def price_for(self, number: str | None) -> Price | None:
        """The price per part for *number* (``None``: destination unknown), or ``None``."""
        found = self.match(number)
        return None if found is None else found[1]

    def __repr__(self) -> str:
        return f"<Tariff {len(self._prices)} prefixes, default={self._default}, currency={self.currency}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Tariff):
            return NotImplemented
        return (self.currency, self._default, dict(self._prices)) == (
            other.currency, other._default, dict(other._prices),
        )  # fmt: skip

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_tariff, (dict(self._prices), self.currency, self._default))


def _rebuild_tariff(prices: dict[str, Price], currency: str, default: Price | None) -> Tariff:
    return Tariff(prices, currency=currency, default=default)


def _content_lines(lines: Iterable[str]) -> Iterator[str]:
    """*lines* with blank and ``#`` comment lines emptied, so that csv line numbers stay true."""
    for line in lines:
        stripped = line.strip()
        yield "" if not stripped or stripped.startswith("#") else line


@dataclass(frozen=True)
class RecipientCost:
    """One recipient of an :class:`Estimate`.

    ``number`` is the E.164 form (``None`` when the number given is invalid); ``prefix`` the
    tariff prefix that priced it (``""`` for the default price, ``None`` when unpriced or
    invalid); ``cost`` is ``parts x price``, exact, or ``None`` when there is no price.
    ``problem`` says why a recipient is unpriced or invalid.
    """

    recipient: str | None
    number: str | None
    parts: int
    prefix: str | None = None
    price: Price | None = None
    cost: Decimal | None = None
    problem: str | None = None


@dataclass(frozen=True)
class Estimate:
    """The cost of one message for its recipients: parts, money per currency, and who has no price.

    ``costs`` maps currency -> exact total (full precision; round with :func:`format_money` to
    show it). ``total_parts`` counts the parts of every routable recipient, priced or not.
    """

    encoding: Encoding
    parts_per_recipient: int
    recipients: tuple[RecipientCost, ...]
    total_parts: int
    costs: Mapping[str, Decimal] = field(default_factory=dict)
    unpriced: tuple[RecipientCost, ...] = ()
    invalid: tuple[RecipientCost, ...] = ()

    @property
    def complete(self) -> bool:
        """True when every recipient is valid and priced, so the totals are the whole cost."""
        return not self.unpriced and not self.invalid

    @property
    def total_cost(self) -> Decimal:
        """The exact total when the prices are in one currency (0 when nothing is priced).

        Raises:
            ValueError: the prices are in several currencies; read :attr:`costs` instead.
        """
        if len(self.costs) > 1:
            names = ", ".join(sorted(self.costs))
            msg = f"the cost is in {len(self.costs)} currencies ({names}); read .costs"
            raise ValueError(msg)
        return next(iter(self.costs.values()), _ZERO)


def quote(
    tariff: Tariff | None, recipient: str | None, parts: int
) -> tuple[str | None, str | None, Price | None, Decimal | None, str | None]:
    """Price *parts* parts for *recipient*: (E.164 number, prefix, price, cost, problem).

    The per-recipient step of :func:`estimate`, also used row by row by batch runs.
    """
    number: str | None = None
    if recipient is not None:
        digits = _digits(recipient)
        if digits is None:
            try:
                normalize_number(recipient)
            except ValueError as err:
                return None, None, None, None, f"invalid number: {err}"
        assert digits is not None
        number = "+" + digits
        found = None if tariff is None else tariff._match_digits(digits)
    else:
        found = None if tariff is None else tariff.match(None)
    if found is None:
        if tariff is None:
            why = "no price list given"
        elif number is None:
            why = "no recipient and the tariff has no default price"
        else:
            why = f"no price for {number}: no prefix matches and the tariff has no default price"
        return number, None, None, None, why
    prefix, price = found
    count = _COUNTS[parts] if parts < len(_COUNTS) else Decimal(parts)
    return number, prefix, price, EXACT.multiply(price.amount, count), None


def estimate(
    message: str | Segmentation,
    recipients: Iterable[str | None] | str,
    tariff: Tariff | None,
    **segment_options: Any,
) -> Estimate:
    """The parts and cost of sending *message* to each of *recipients*.

    *message* is a text (segmented here with *segment_options*, as :func:`smsencode.segment`
    takes them) or a :class:`~smsencode.Segmentation` already made. Every part of every
    recipient is billed. Recipients are kept in order, duplicates included (each is a send).

    >>> t = Tariff({"44": "0.04"}, currency="GBP")
    >>> e = estimate("x" * 200, ["+447700900123", "+33612345678", "12"], t)
    >>> e.parts_per_recipient, e.total_parts, e.costs
    (2, 4, {'GBP': Decimal('0.08')})
    >>> [r.recipient for r in e.unpriced], [r.recipient for r in e.invalid]
    (['+33612345678'], ['12'])

    Args:
        message: The text, or its segmentation.
        recipients: E.164 numbers (``+`` or ``00`` prefix optional); a single str is one
            recipient; ``None`` stands for a destination that is not known (default price).
        tariff: The price list, or ``None`` to count parts only (every recipient unpriced).
        segment_options: Passed to :func:`smsencode.segment` when *message* is a str.

    Raises:
        TypeError: *segment_options* given with a Segmentation, or arguments of the wrong type.
    """
    if isinstance(message, Segmentation):
        if segment_options:
            msg = "segment options apply to a text; this message is already a Segmentation"
            raise TypeError(msg)
        seg = message
    else:
        seg = segment(message, **segment_options)
    if tariff is not None and not isinstance(tariff, Tariff):
        msg = f"tariff must be a smsencode.cost.Tariff or None, not {type(tariff).__name__}"
        raise TypeError(msg)
    if isinstance(recipients, str):
        recipients = (recipients,)
    parts = seg.part_count
    rows: list[RecipientCost] = []
    unpriced: list[RecipientCost] = []
    invalid: list[RecipientCost] = []
    costs: dict[str, Decimal] = {}
    total_parts = 0
    for recipient in recipients:
        number, prefix, price, cost, problem = quote(tariff, recipient, parts)
        if recipient is not None and number is None:
            row = RecipientCost(recipient, None, parts, problem=problem)
            invalid.append(row)
        else:
            total_parts += parts
            row = RecipientCost(recipient, number, parts, prefix, price, cost, problem)
            if price is None or cost is None:
                unpriced.append(row)
            else:
                costs[price.currency] = EXACT.add(costs.get(price.currency, _ZERO), cost)
        rows.append(row)
    return Estimate(
        encoding=seg.encoding,
        parts_per_recipient=parts,
        recipients=tuple(rows),
        total_parts=total_parts,
        costs=costs,
        unpriced=tuple(unpriced),
        invalid=tuple(invalid),
    )


# ------------------------------------------------------------------ command-line options (adapter)


def add_cost_options(parser: argparse.ArgumentParser, *, recipients: bool = True) -> None:
    """Add ``--tariff``, ``--price-per-part``, ``--currency`` (and ``--to`` when *recipients*)."""
    group = parser.add_argument_group("cost")
    prices = group.add_mutually_exclusive_group()
    prices.add_argument(
        "--tariff", metavar="FILE",
        help="CSV price list: 'prefix,price' header, optional currency column, a 'default' row",
    )  # fmt: skip
    prices.add_argument(
        "--price-per-part", metavar="DECIMAL", help="one price per part for every destination"
    )
    group.add_argument(
        "--currency", metavar="CODE",
        help="ISO 4217 currency of prices given without one (default: EUR)",
    )  # fmt: skip
    if recipients:
        group.add_argument(
            "--to", metavar="NUMBER", action="append", default=[],
            help="recipient E.164 number (repeat, or separate with commas); prices by destination",
        )  # fmt: skip


def tariff_from_options(args: argparse.Namespace) -> Tariff | None:
    """The tariff that ``--tariff`` / ``--price-per-part`` / ``--currency`` describe, or None.

    Raises:
        ValueError: a bad price, currency or tariff file, or ``--currency`` alone.
        OSError: the tariff file cannot be read.
    """
    currency = args.currency or "EUR"
    if args.tariff:
        return Tariff.from_csv(args.tariff, currency=currency)
    if args.price_per_part is not None:
        return Tariff.flat(args.price_per_part.strip(), currency=currency)
    if args.currency:
        msg = "--currency needs a price: give --tariff FILE or --price-per-part DECIMAL"
        raise ValueError(msg)
    return None


def estimate_from_options(seg: Segmentation, args: argparse.Namespace) -> Estimate | None:
    """The estimate the cost options of ``smsencode analyze`` ask for, or None when none are given.

    Without ``--to`` the message is priced for one recipient at the default price.

    Raises:
        ValueError: an invalid ``--to`` number, or bad cost options.
    """
    tariff = tariff_from_options(args)
    numbers = [n.strip() for value in getattr(args, "to", None) or [] for n in value.split(",") if n.strip()]
    if tariff is None and not numbers:
        return None
    for number in numbers:
        normalize_number(number)  # an invalid number on the command line is a usage error
    return estimate(seg, numbers or [None], tariff)


def describe_estimate(est: Estimate) -> dict[str, Any]:
    """A JSON-ready view of *est*: money as exact decimal text, plus totals rounded for display."""

    def row(r: RecipientCost) -> dict[str, Any]:
        return {
            "recipient": r.recipient,
            "number": r.number,
            "parts": r.parts,
            "prefix": r.prefix,
            "price_per_part": None if r.price is None else f"{r.price.amount:f}",
            "currency": None if r.price is None else r.price.currency,
            "cost": None if r.cost is None else f"{r.cost:f}",
            "problem": r.problem,
        }

    return {
        "parts_per_recipient": est.parts_per_recipient,
        "total_parts": est.total_parts,
        "total": {c: format_money(a, c) for c, a in sorted(est.costs.items())},
        "total_exact": {c: f"{a:f}" for c, a in sorted(est.costs.items())},
        "complete": est.complete,
        "recipients": [row(r) for r in est.recipients],
    }


def estimate_lines(est: Estimate, limit: int = 20) -> list[str]:
    """*est* as text lines for people (at most *limit* recipients listed)."""
    n = len(est.recipients)
    totals = "; ".join(
        f"{c} {format_money(a, c)}" + ("" if Decimal(format_money(a, c)) == a else f" (exactly {a:f})")
        for c, a in sorted(est.costs.items())
    )
    per, total = est.parts_per_recipient, est.total_parts
    head = (
        f"{per} part{'s' if per != 1 else ''} x {n} recipient{'s' if n != 1 else ''}"
        f" = {total} part{'s' if total != 1 else ''}"
    )
    out = [f"cost:      {head}" + (f", {totals}" if totals else "")]
    for r in est.recipients[:limit]:
        who = r.number or (repr(r.recipient) if r.recipient is not None else "any destination")
        if r.price is not None and r.cost is not None:
            via = f"prefix {r.prefix}" if r.prefix else "default price"
            out.append(f"  {who}: {r.parts} x {r.price} ({via}) = {r.cost:f} {r.price.currency}")
        else:
            out.append(f"  {who}: {r.problem}")
    if n > limit:
        out.append(f"  and {n - limit} more recipients")
    if not est.complete:
        out.append("  cost incomplete: some recipients have no price")
    return out
