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
from smsencode.options import Encoding, InvalidCharacters
from smsencode.segment import MAX_PARTS, Segmentation, segment

_codec.register()

__all__ = [
    "MAX_PARTS",
    "DecodeError",
    "EncodeError",
    "Encoding",
    "InvalidCharacters",
    "InvalidCharactersError",
    "InvalidSeptetError",
    "InvalidUDHError",
    "Segmentation",
    "SmsEncodeError",
    "TooManyPartsError",
    "__version__",
    "segment",
]

__version__ = "0.1.0"
