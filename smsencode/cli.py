"""The ``smsencode`` command: a thin layer over the library, with no logic of its own."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from smsencode import batch
from smsencode.cost import add_cost_options, describe_estimate, estimate_from_options, estimate_lines
from smsencode.errors import SmsEncodeError
from smsencode.providers import sandbox
from smsencode.segment import Segmentation, segment

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``smsencode`` command, with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="smsencode",
        description="Decide how a text travels as SMS: encoding, parts, bytes and cost.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    analyze = sub.add_parser(
        "analyze",
        help="show the encoding, parts and policy changes of one text",
        description="Show how TEXT travels as SMS: encoding, units, each part, room left, "
        "characters outside GSM-7 and what the policy changed.",
    )
    analyze.add_argument("text", metavar="TEXT", help="the message, or - to read it from standard input")
    add_segment_options(analyze)
    analyze.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    add_cost_options(analyze)
    analyze.set_defaults(handler=_analyze)
    batch.add_parser(sub)
    sandbox.add_parser(sub)
    return parser


def add_segment_options(parser: argparse.ArgumentParser) -> None:
    """Add an option for every argument of :func:`smsencode.segment` to *parser*."""
    parser.add_argument(
        "-e", "--encoding", default="GSM7",
        help="GSM7 (also STANDARD, GSM, GSM-7) or UTF16 (also UTF-16, UCS-2); default GSM7",
    )  # fmt: skip
    parser.add_argument(
        "-i", "--invalid-characters", default="TO_UTF16",
        help="REFUSE, REPLACE, TO_UTF16 (default) or TRANSLITERATE",
    )  # fmt: skip
    parser.add_argument(
        "-m", "--max-parts", type=int, default=None, help="cut the text after N parts (1..255)"
    )
    parser.add_argument(
        "--reference-bits", type=int, choices=(8, 16), default=8,
        help="concatenation reference width (16 leaves one unit less per part)",
    )  # fmt: skip
    parser.add_argument(
        "-n", "--national-languages", default="",
        help="comma-separated languages whose national shift tables may be used, e.g. tr or es,pt",
    )  # fmt: skip
    parser.add_argument(
        "-r", "--replacement", default=" ",
        help="what REPLACE puts in place of each offending character (default: one space)",
    )  # fmt: skip


def segment_from_args(text: str, args: argparse.Namespace) -> Segmentation:
    """Call :func:`smsencode.segment` with the options :func:`add_segment_options` parsed."""
    languages = tuple(x.strip() for x in args.national_languages.split(",") if x.strip())
    return segment(
        text,
        encoding=args.encoding,
        invalid_characters=args.invalid_characters,
        max_parts=args.max_parts,
        reference_bits=args.reference_bits,
        national_languages=languages,
        replacement=args.replacement,
    )


def describe(seg: Segmentation, offenders: Sequence[tuple[int, str]]) -> dict[str, Any]:
    """A JSON-ready description of *seg*."""
    nl = seg.national_language
    return {
        "encoding": seg.encoding.value,
        "units": seg.units,
        "unit": "septets" if seg.encoding.value == "GSM7" else "utf16_code_units",
        "part_count": seg.part_count,
        "part_capacity": seg.part_capacity,
        "remaining": seg.remaining,
        "parts": [{"units": u, "text": p} for p, u in zip(seg.parts, seg.part_units)],
        "truncated": seg.truncated,
        "dropped": seg.dropped,
        "non_gsm_characters": [
            {"index": i, "char": c, "code_point": f"U+{ord(c):04X}"} for i, c in offenders
        ],
        "replacements": [
            {"index": i, "original": o, "replacement": r} for i, o, r in seg.replacements
        ],
        "national_language": None if nl is None else {
            "locking": nl.locking, "locking_name": nl.locking_name,
            "single": nl.single, "single_name": nl.single_name,
        },
    }


def _offenders(text: str) -> list[tuple[int, str]]:
    from smsencode.alphabet import DEFAULT

    return [(m.start(), m.group()) for m in DEFAULT.invalid_re.finditer(text)]


def _analyze(args: argparse.Namespace, out: TextIO) -> int:
    text = sys.stdin.read() if args.text == "-" else args.text
    if args.text == "-" and text.endswith("\n"):
        text = text[:-1]  # the newline that ends the input is not part of the message
    seg = segment_from_args(text, args)
    info = describe(seg, _offenders(text))
    est = estimate_from_options(seg, args)
    if est is not None:
        info["cost"] = describe_estimate(est)
    if args.json:
        json.dump(info, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    unit = "septets" if info["unit"] == "septets" else "UTF-16 code units"
    out.write(f"encoding:  {info['encoding']}\n")
    out.write(f"units:     {seg.units} {unit}\n")
    out.write(f"parts:     {seg.part_count} (up to {seg.part_capacity} {unit} each)\n")
    out.write(f"remaining: {seg.remaining} {unit} free in the last part\n")
    if seg.national_language is not None:
        out.write(f"national:  {_national_label(seg)}\n")
    for n, (part, units) in enumerate(zip(seg.parts, seg.part_units), 1):
        out.write(f"  part {n}: {units:>3} | {_visible(part)}\n")
    if info["non_gsm_characters"]:
        shown = ", ".join(
            f"{_character(o['char'])} at {o['index']}" for o in info["non_gsm_characters"][:20]
        )
        more = len(info["non_gsm_characters"]) - 20
        out.write(f"not GSM-7: {shown}{f', and {more} more' if more > 0 else ''}\n")
    for i, original, new in seg.replacements:
        out.write(f"replaced:  {_visible(original)} at {i} -> {_visible(new)}\n")
    if seg.truncated:
        out.write(f"TRUNCATED: {len(seg.dropped)} characters dropped: {_visible(seg.dropped)}\n")
    if est is not None:
        out.write("".join(line + "\n" for line in estimate_lines(est)))
    return 0


def _national_label(seg: Segmentation) -> str:
    return str(seg.national_language)


def _character(ch: str) -> str:
    """One character as a reader can see it: the glyph and code point, or for a mark, a format
    or space character (invisible on its own) the code point and name."""
    import unicodedata

    if unicodedata.category(ch) in {"Mn", "Me", "Cf", "Cc", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"}:
        return f"U+{ord(ch):04X} {unicodedata.name(ch, '') or repr(ch)}"
    return f"{ch} U+{ord(ch):04X}"


def _visible(text: str) -> str:
    """*text* with control characters shown, so that a part's edges are visible."""
    return repr(text)[1:-1] if text else "(empty)"


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (0 success, 1 usage or input error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    stream = out if out is not None else sys.stdout
    try:
        status: int = args.handler(args, stream)
    except (SmsEncodeError, ValueError, TypeError) as err:
        print(f"smsencode: error: {err}", file=sys.stderr)
        return 1
    return status
