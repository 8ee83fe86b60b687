"""Local checks of documented provider limits, shared by every client.

Each check takes the request field name (a dotted path such as ``"messages[0].recipients[1].dst"``)
and the value, returns the value normalised when that is useful, and otherwise raises
:class:`~smsencode.providers.errors.ValidationError` naming the field, the value and the rule.
Wrong types are refused the same way: a provider request is data, and a check that says which
field was wrong is more useful than a bare ``TypeError``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import TypeVar

from smsencode.providers.errors import ValidationError

__all__ = [
    "E164_RE",
    "check_bool",
    "check_choice",
    "check_datetime_format",
    "check_digits",
    "check_e164",
    "check_guid",
    "check_int_range",
    "check_iso8601_interval",
    "check_iso8601_timestamp",
    "check_length",
    "check_non_empty",
    "check_pattern",
    "check_sender",
    "check_unique",
    "format_iso8601",
    "parse_iso8601",
]

T = TypeVar("T")

#: ITU-T E.164: a country code starting 1-9, at most 15 digits in all, written after ``+``. At least
#: 7 digits: the shortest complete numbers in service (small territories such as Niue, +683 and
#: four digits); fewer is a truncated number, not a destination.
E164_RE = re.compile(r"\+[1-9][0-9]{6,14}")

# ISO 8601 extended format date-time with seconds optional, fraction optional, offset optional.
_ISO_RE = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})[T ](?P<h>\d{2}):(?P<mi>\d{2})"
    r"(?::(?P<s>\d{2})(?:[.,](?P<f>\d{1,9}))?)?"
    r"(?P<tz>Z|z|[+-]\d{2}(?::?\d{2})?)?"
)


def _fail(field: str, value: object, rule: str) -> ValidationError:
    return ValidationError(field, value, rule)


def check_non_empty(field: str, value: object) -> str:
    """A non-empty string (whitespace-only counts as empty)."""
    if not isinstance(value, str) or not value.strip():
        raise _fail(field, value, "must be a non-empty string")
    return value


def check_length(field: str, value: object, *, max_len: int, min_len: int = 0) -> str:
    """A string of *min_len*..*max_len* characters."""
    if not isinstance(value, str):
        raise _fail(field, value, f"must be a string of {min_len}..{max_len} characters")
    if not min_len <= len(value) <= max_len:
        raise _fail(field, value, f"must be {min_len}..{max_len} characters long, not {len(value)}")
    return value


def check_pattern(field: str, value: object, pattern: re.Pattern[str], rule: str) -> str:
    """A string matching *pattern* in full; *rule* says in words what is accepted."""
    if not isinstance(value, str) or pattern.fullmatch(value) is None:
        raise _fail(field, value, rule)
    return value


def check_int_range(field: str, value: object, lo: int, hi: int, *, also: Collection[int] = ()) -> int:
    """An ``int`` (not ``bool``) in *lo*..*hi*, or one of *also* (e.g. Retarus validityMin 0)."""
    extra = "".join(f" or {v}" for v in sorted(also))
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(field, value, f"must be an integer {lo}..{hi}{extra}")
    if not (lo <= value <= hi or value in also):
        raise _fail(field, value, f"must be {lo}..{hi}{extra}")
    return value


def check_bool(field: str, value: object) -> bool:
    """A real ``bool``."""
    if not isinstance(value, bool):
        raise _fail(field, value, "must be true or false")
    return value


def check_choice(field: str, value: object, choices: Sequence[str], *, fold_case: bool = False) -> str:
    """One of *choices*; with *fold_case* any case is accepted and the canonical spelling returned."""
    if isinstance(value, str):
        if value in choices:
            return value
        if fold_case:
            for choice in choices:
                if choice.casefold() == value.casefold():
                    return choice
    raise _fail(field, value, "must be one of " + ", ".join(repr(c) for c in choices))


def check_e164(field: str, value: object, *, allow_00: bool = True) -> str:
    """An international number: ``+`` (or ``00`` when *allow_00*) and 7..15 digits, country code first.

    Spaces, dashes and brackets are not accepted: providers treat the string as the number.
    """
    if isinstance(value, str):
        candidate = "+" + value[2:] if allow_00 and value.startswith("00") else value
        if E164_RE.fullmatch(candidate):
            return value
    prefix = "'+' (or '00')" if allow_00 else "'+'"
    raise _fail(
        field,
        value,
        f"must be an international number: {prefix}, a country code 1-9, 7 to 15 digits in all",
    )


def check_digits(field: str, value: object, *, min_len: int, max_len: int) -> str:
    """A string of *min_len*..*max_len* ASCII digits (an ``int`` is accepted and turned into one)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        value = str(value)
    if not isinstance(value, str) or not (value.isascii() and value.isdigit()):
        raise _fail(field, value, f"must be {min_len}..{max_len} digits only (no '+', spaces or dashes)")
    if not min_len <= len(value) <= max_len:
        raise _fail(field, value, f"must be {min_len}..{max_len} digits, not {len(value)}")
    return value


def check_sender(
    field: str,
    value: object,
    *,
    numeric_max: int,
    alpha_max: int,
    numeric_min: int = 1,
    alpha_min: int = 1,
    alpha_chars: re.Pattern[str] | None = None,
    allow_plus: bool = False,
) -> str:
    """A sender ID: digits only (*numeric_min*..*numeric_max*, optionally after ``+``) or
    alphanumeric (*alpha_min*..*alpha_max* characters; *alpha_chars* a pattern matching one
    allowed character, default ASCII letters, digits and space).
    """
    if not isinstance(value, str) or not value:
        raise _fail(field, value, "must be a non-empty sender ID")
    digits = value[1:] if allow_plus and value.startswith("+") else value
    if digits.isascii() and digits.isdigit():
        if not numeric_min <= len(digits) <= numeric_max:
            raise _fail(field, value, f"a numeric sender must have {numeric_min}..{numeric_max} digits")
        return value
    allowed = alpha_chars or re.compile(r"[A-Za-z0-9 ]")
    bad = [c for c in value if allowed.fullmatch(c) is None]
    if bad:
        shown = "".join(dict.fromkeys(bad))
        raise _fail(field, value, f"an alphanumeric sender may not contain {shown!r}")
    if not alpha_min <= len(value) <= alpha_max:
        raise _fail(
            field,
            value,
            f"an alphanumeric sender must be {alpha_min}..{alpha_max} characters, not {len(value)}",
        )
    return value


def check_unique(field: str, values: Sequence[T]) -> Sequence[T]:
    """No value twice in *values* (the first repeat is named)."""
    seen: set[object] = set()
    for v in values:
        if v in seen:
            raise _fail(field, v, "must not appear twice in one request")
        seen.add(v)
    return values


def check_guid(field: str, value: object) -> str:
    """A GUID/UUID in any of the usual spellings (returned in the canonical lower-case form)."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, str):
        try:
            return str(uuid.UUID(value.strip()))
        except ValueError:
            pass
    raise _fail(field, value, "must be a GUID such as '3f2504e0-4f89-11d3-9a0c-0305e82c3301'")


def parse_iso8601(value: str) -> datetime | None:
    """Parse an ISO 8601 date-time (``2018-09-24T11:00:00.000+02:00``); ``None`` if it is not one.

    A missing offset gives a naive ``datetime``.
    """
    m = _ISO_RE.fullmatch(value)
    if m is None:
        return None
    tz: timezone | None = None
    raw_tz = m["tz"]
    if raw_tz:
        if raw_tz in ("Z", "z"):
            tz = UTC
        else:
            sign = -1 if raw_tz[0] == "-" else 1
            digits = raw_tz[1:].replace(":", "")
            hours, minutes = int(digits[:2]), int(digits[2:] or 0)
            if hours > 23 or minutes > 59:
                return None
            tz = timezone(sign * timedelta(hours=hours, minutes=minutes))
    fraction = (m["f"] or "0")[:6].ljust(6, "0")
    try:
        return datetime(
            int(m["y"]),
            int(m["mo"]),
            int(m["d"]),
            int(m["h"]),
            int(m["mi"]),
            int(m["s"] or 0),
            int(fraction),
            tzinfo=tz,
        )
    except ValueError:
        return None


def format_iso8601(moment: datetime) -> str:
    """Write *moment* as ``YYYY-MM-DDTHH:MM:SS.mmm+HH:MM`` (milliseconds, as the providers do)."""
    if moment.tzinfo is None:
        msg = "a datetime sent to a provider needs a time zone (tzinfo), or the provider guesses one"
        raise ValueError(msg)
    return moment.isoformat(timespec="milliseconds")


def check_iso8601_timestamp(field: str, value: object, *, require_offset: bool = True) -> str:
    """An ISO 8601 date-time string (or an aware ``datetime``, formatted); returned as a string.

    With *require_offset* (the default) the time must carry ``Z`` or ``±HH:MM``: without one the
    provider would read it in its own time zone.
    """
    if isinstance(value, datetime):
        if value.tzinfo is None and require_offset:
            raise _fail(field, value, "a datetime needs a time zone (tzinfo)")
        return value.isoformat(timespec="milliseconds")
    parsed = parse_iso8601(value) if isinstance(value, str) else None
    if parsed is None:
        raise _fail(field, value, "must be an ISO 8601 date-time such as '2018-07-09T11:25:24.683+02:00'")
    if require_offset and parsed.tzinfo is None:
        raise _fail(field, value, "must carry a UTC offset ('Z' or '+02:00')")
    assert isinstance(value, str)
    return value


def check_iso8601_interval(field: str, value: object, *, require_offset: bool = True) -> str:
    """An ISO 8601 interval ``start/end`` of two date-times with start before end.

    A ``(start, end)`` pair of aware ``datetime`` objects is accepted and formatted.
    """
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, datetime) for v in value):
        start_s = check_iso8601_timestamp(field, value[0], require_offset=require_offset)
        end_s = check_iso8601_timestamp(field, value[1], require_offset=require_offset)
        value = f"{start_s}/{end_s}"
    rule = (
        "must be an ISO 8601 interval 'start/end' such as "
        "'2018-07-09T10:00:00+02:00/2018-07-09T11:00:00+02:00'"
    )
    if not isinstance(value, str) or value.count("/") != 1:
        raise _fail(field, value, rule)
    a, b = value.split("/")
    start, end = parse_iso8601(a), parse_iso8601(b)
    if start is None or end is None:
        raise _fail(field, value, rule)
    if require_offset and (start.tzinfo is None or end.tzinfo is None):
        raise _fail(field, value, "both ends must carry a UTC offset ('Z' or '+02:00')")
    if (start.tzinfo is None) != (end.tzinfo is None):
        raise _fail(field, value, "either both ends carry a UTC offset or neither does")
    if not start < end:
        raise _fail(field, value, "the start must be before the end")
    return value


def check_datetime_format(field: str, value: object, fmt: str, example: str) -> str:
    """A string in the ``strptime`` format *fmt* (a ``datetime`` is formatted with it)."""
    if isinstance(value, datetime):
        return value.strftime(fmt)
    if isinstance(value, str):
        try:
            datetime.strptime(value, fmt)
        except ValueError:
            pass
        else:
            return value
    raise _fail(field, value, f"must be a date-time like {example!r}")
