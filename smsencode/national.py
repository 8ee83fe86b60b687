"""Choice of national language shift tables (TS 23.038 Annex A) by cost."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smsencode.options import Encoding, InvalidCharacters
    from smsencode.segment import Segmentation

__all__ = ["NationalLanguage", "segment_national"]


@dataclass(frozen=True)
class NationalLanguage:
    """The national language shift tables a message uses: ids of TS 23.038 §6.2.1.2.4, or None."""

    locking: int | None
    single: int | None


def segment_national(
    text: str,
    encoding: Encoding,
    policy: InvalidCharacters,
    max_parts: int | None,
    reference_bits: int,
    national_languages: Iterable[str],
    replacement: str,
) -> Segmentation:
    """Segment *text* choosing among the allowed national language tables."""
    raise NotImplementedError("national language tables are not available yet")
