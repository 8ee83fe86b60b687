"""smsencode: how a text travels as SMS.

Encoding (GSM-7 or UTF-16), what happens to characters that do not fit, grapheme-safe
concatenated parts under a ``max_parts`` limit, the exact bytes of each part and what it costs,
following 3GPP TS 23.038 and TS 23.040.

>>> import smsencode
>>> s = smsencode.segment("Hello 😀, see you at 8€")
>>> s.encoding.value, s.units, s.part_count
('UTF16', 24, 1)

The core does no I/O; provider clients live in :mod:`smsencode.providers`.
Importing smsencode registers the ``gsm-7`` codec.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smsencode import codec as _codec
from smsencode.errors import (
    DecodeError,
    EncodeError,
    InvalidCharactersError,
    InvalidSeptetError,
    InvalidUDHError,
    SmsEncodeError,
    TooManyPartsError,
)
from smsencode.national import NationalLanguage
from smsencode.options import Encoding, InvalidCharacters
from smsencode.segment import MAX_PARTS, Segmentation, segment

if TYPE_CHECKING:
    from smsencode.batch import segment_many
    from smsencode.cost import Estimate, Tariff, estimate

_codec.register()

__all__ = [
    "__version__",
    "DecodeError",
    "EncodeError",
    "Encoding",
    "Estimate",
    "estimate",
    "InvalidCharacters",
    "InvalidCharactersError",
    "InvalidSeptetError",
    "InvalidUDHError",
    "MAX_PARTS",
    "NationalLanguage",
    "segment",
    "segment_many",
    "Segmentation",
    "SmsEncodeError",
    "Tariff",
    "TooManyPartsError",
]

__version__ = "0.1.0"

# Imported on first use, so that `import smsencode` stays light for the hot path.
_LAZY = {
    "Estimate": "smsencode.cost",
    "Tariff": "smsencode.cost",
    "estimate": "smsencode.cost",
    "segment_many": "smsencode.batch",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        msg = f"module 'smsencode' has no attribute {name!r}"
        raise AttributeError(msg)
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
