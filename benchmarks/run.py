"""Side-by-side benchmark of smsencode, the peer libraries and the floor primitives.

Run ``python -m benchmarks`` (full run, a few minutes) or ``python -m benchmarks --quick``
(under a minute; the test suite runs it so the benchmarks cannot rot). ``--json FILE`` saves
the results; ``--render FILE`` prints the tables of a saved run again.

Method: stdlib timing only (``time.perf_counter``), in one process. For every message class,
each *subject* (an smsencode call, a peer, a floor primitive) processes the whole class in a loop
written inline, as a caller would; a pass is repeated until it lasts long enough to time, and
the best of several rounds is kept. Rounds are interleaved (every subject once per round, in a
rotating order), so drift of a shared machine touches all subjects alike. The garbage collector
is paused while a pass runs.

The floor is what any correct implementation pays: one precompiled ``re`` fullmatch of the GSM-7
character class per message, plus the UTF-16 length for messages that are not GSM-7.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import math
import os
import platform
import re
import sys
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

if __package__ in (None, ""):  # run as a script: python benchmarks/run.py
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import smsencode
from benchmarks import corpus
from benchmarks.peers import Peer, load_peers
from smsencode.alphabet import DEFAULT, char_class

Batch = Callable[[Sequence[str]], None]
Key = TypeVar("Key", bound=Hashable)

SE_COUNT = "smsencode.part_count"
SE_PARTS = "smsencode.parts"
SE_USER_DATA = "smsencode.user_data"
SE_SCALE = "smsencode max_parts=255"
SE_SCAN = "smsencode max_parts=1 (scan)"
FLOOR = "floor: re + UTF-16 len"
FLOOR_RE = "floor: re fullmatch"
FLOOR_UTF16 = "floor: UTF-16 len"
FLOOR_CALL = "floor: empty call"

#: The scaling measurement cuts at this many parts so that 1M characters are a legal message.
SCALE_MAX_PARTS = 255


@dataclass(frozen=True)
class Settings:
    """How long and how often to time."""

    quick: bool
    rounds: int
    #: seconds one timed pass of a subject should last at least (passes are repeated to get there)
    target: float
    #: a peer whose predicted time for one scaling text exceeds this is not run at that size
    scale_budget: float
    scale_sizes: tuple[int, ...]


FULL = Settings(False, rounds=5, target=0.1, scale_budget=3.0, scale_sizes=corpus.SCALE_SIZES)
QUICK = Settings(True, rounds=3, target=0.005, scale_budget=0.15, scale_sizes=corpus.QUICK_SCALE_SIZES)

# --- subjects -----------------------------------------------------------------------------------

_GSM7_RE = re.compile(char_class(DEFAULT.chars) + "*")


def _se_count(texts: Sequence[str]) -> None:
    seg = smsencode.segment
    for t in texts:
        _ = seg(t).part_count


def _se_parts(texts: Sequence[str]) -> None:
    seg = smsencode.segment
    for t in texts:
        _ = seg(t).parts


def _se_user_data(texts: Sequence[str]) -> None:
    seg = smsencode.segment
    for t in texts:
        seg(t).user_data(reference=0x5A)


def _floor(texts: Sequence[str]) -> None:
    fm = _GSM7_RE.fullmatch
    for t in texts:
        if fm(t) is None:
            len(t.encode("utf-16-le"))


def _floor_re(texts: Sequence[str]) -> None:
    fm = _GSM7_RE.fullmatch
    for t in texts:
        fm(t)


def _floor_utf16(texts: Sequence[str]) -> None:
    for t in texts:
        len(t.encode("utf-16-le"))


def _floor_call(texts: Sequence[str]) -> None:
    def f(t: str) -> None:
        return None

    for t in texts:
        f(t)


def _se_scale(texts: Sequence[str]) -> None:
    seg = smsencode.segment
    for t in texts:
        _ = seg(t, max_parts=SCALE_MAX_PARTS).part_count


def _se_scan(texts: Sequence[str]) -> None:
    seg = smsencode.segment
    for t in texts:
        _ = seg(t, max_parts=1).part_count


def _user_data_available() -> str | None:
    """None when ``Segmentation.user_data`` works, else why not."""
    try:
        smsencode.segment("a" * 200).user_data(reference=0x5A)
    except Exception as exc:
        return f"{SE_USER_DATA}: skipped ({type(exc).__name__}: {exc})"
    return None


# --- timing -------------------------------------------------------------------------------------


def _time_pass(batch: Batch, texts: Sequence[str], passes: int) -> float:
    """Seconds for one pass over *texts*, averaged over *passes* back-to-back passes."""
    gc.collect()
    gc.disable()
    try:
        t0 = time.perf_counter()
        for _ in range(passes):
            batch(texts)
        return (time.perf_counter() - t0) / passes
    finally:
        gc.enable()


def _interleaved(
    subjects: dict[Key, tuple[Batch, Sequence[str]]],
    settings: Settings,
    first: dict[Key, float] | None = None,
) -> dict[Key, float]:
    """Best seconds per pass of every subject over its texts, rounds interleaved across subjects.

    *first* holds the time of one pass already made (the warm-up) of some subjects.
    """
    first = dict(first or {})
    for key, (batch, texts) in subjects.items():  # warm-up and calibration
        if key not in first:
            first[key] = _time_pass(batch, texts, 1)
    passes = {k: max(1, min(100_000, math.ceil(settings.target / max(t, 1e-9)))) for k, t in first.items()}
    best = {k: first[k] for k in subjects}
    keys = list(subjects)
    for r in range(settings.rounds):
        for key in keys[r % len(keys) :] + keys[: r % len(keys)]:
            batch, texts = subjects[key]
            best[key] = min(best[key], _time_pass(batch, texts, passes[key]))
    return best


# --- the run ------------------------------------------------------------------------------------


def _machine() -> dict[str, Any]:
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": platform.machine(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
    }


def _agreement(texts: Sequence[str], reference: list[int], peer: Peer) -> dict[str, Any]:
    """Where *peer*'s part count differs from smsencode's: how many, and three short examples."""
    diffs: list[tuple[str, int, str]] = []
    errors = 0
    for t, expected in zip(texts, reference, strict=True):
        try:
            got: int | str = peer.count(t)
        except Exception as exc:
            got = f"error {type(exc).__name__}"
            errors += 1
        if got != expected:
            diffs.append((t, expected, str(got)))
    diffs.sort(key=lambda d: len(d[0]))
    examples = [
        {"text": t if len(t) <= 90 else t[:87] + "...", "chars": len(t), "smsencode": e, "peer": g}
        for t, e, g in diffs[:3]
    ]
    return {"messages": len(texts), "disagree": len(diffs), "errors": errors, "examples": examples}


def _consistency(texts: Sequence[str], user_data: bool) -> list[str]:
    """Problems found in smsencode's own results (there should be none)."""
    problems = []
    for t in texts:
        s = smsencode.segment(t)
        if s.part_count != len(s.parts) or "".join(s.parts) != s.text:
            problems.append(f"parts do not rebuild the text: {t[:40]!r}")
        elif any(u > s.part_capacity for u in s.part_units) or sum(s.part_units) != s.units:
            problems.append(f"part units {s.part_units} exceed {s.part_capacity} or miss units: {t[:40]!r}")
        elif user_data and len(s.user_data(reference=0x5A)) != s.part_count:
            problems.append(f"user_data() gives a different number of parts: {t[:40]!r}")
    return problems


def _run_class(
    cls: corpus.CorpusClass,
    peers: list[Peer],
    settings: Settings,
    user_data: bool,
    log: Callable[[str], None],
) -> dict[str, Any]:
    texts = cls.texts
    subjects: dict[str, Batch] = {SE_COUNT: _se_count, SE_PARTS: _se_parts}
    if user_data:
        subjects[SE_USER_DATA] = _se_user_data
    for p in peers:
        subjects[p.name] = p.batch
    subjects.update({FLOOR: _floor, FLOOR_RE: _floor_re, FLOOR_UTF16: _floor_utf16, FLOOR_CALL: _floor_call})
    log(f"  {cls.name}: {len(texts)} messages, {len(subjects)} subjects")
    best = _interleaved({name: (batch, texts) for name, batch in subjects.items()}, settings)
    n = len(texts)
    results = {name: {"msg_per_s": n / sec, "us_per_msg": sec / n * 1e6} for name, sec in best.items()}
    segs = [smsencode.segment(t) for t in texts]
    counts = [s.part_count for s in segs]
    encodings: dict[str, int] = {}
    for s in segs:
        encodings[s.encoding.value] = encodings.get(s.encoding.value, 0) + 1
    return {
        "name": cls.name,
        "description": cls.description,
        "messages": n,
        "mean_chars": round(cls.mean_length, 1),
        "single_part": max(counts) == 1,
        "parts_total": sum(counts),
        "encodings": encodings,
        "results": results,
        "floor_factor": {
            SE_COUNT: best[SE_COUNT] / best[FLOOR],
            SE_PARTS: best[SE_PARTS] / best[FLOOR],
        },
        "agreement": {p.name: _agreement(texts, counts, p) for p in peers},
        "consistency": _consistency(texts, user_data),
    }


def _run_scaling(peers: list[Peer], settings: Settings, log: Callable[[str], None]) -> dict[str, Any]:
    """ns per character of smsencode, the floors and the peers on large texts.

    All sizes of one kind are timed interleaved, like the classes. A peer is not run at a size
    where its time, extrapolated from the smaller sizes, would exceed the budget.
    """
    sizes = settings.scale_sizes
    texts = {size: corpus.scale_texts(size) for size in sizes}
    rows: dict[str, dict[str, dict[str, float | None]]] = {}
    notes: list[str] = []
    ours: dict[str, Batch] = {
        SE_SCALE: _se_scale,
        SE_SCAN: _se_scan,
        FLOOR_RE: _floor_re,
        FLOOR_UTF16: _floor_utf16,
    }
    for kind in ("gsm7", "utf16"):
        log(f"  scaling {kind}: {', '.join(f'{s:,}' for s in sizes)} chars")
        rows[kind] = {name: dict.fromkeys(map(str, sizes)) for name in [*ours, *(p.name for p in peers)]}
        subjects: dict[tuple[str, int], tuple[Batch, Sequence[str]]] = {}
        first: dict[tuple[str, int], float] = {}
        for name, batch in [*ours.items(), *((p.name, p.batch) for p in peers)]:
            done: list[tuple[int, float]] = []
            for size in sizes:
                text = [texts[size][kind]]
                if len(done) >= 1:
                    exponent = 1.0
                    if len(done) >= 2:
                        (n0, t0), (n1, t1) = done[-2:]
                        exponent = max(1.0, math.log(t1 / t0) / math.log(n1 / n0))
                    predicted = done[-1][1] * (size / done[-1][0]) ** exponent
                    if predicted > settings.scale_budget:
                        notes.append(
                            f"{name} {kind} {size:,} chars: not run, predicted {predicted:.1f} s "
                            f"(time grows as n^{exponent:.1f})"
                        )
                        break
                first[name, size] = _time_pass(batch, text, 1)
                done.append((size, first[name, size]))
                subjects[name, size] = (batch, text)
        best = _interleaved(subjects, settings, first)
        for (name, size), sec in best.items():
            rows[kind][name][str(size)] = sec / size * 1e9
    return {
        "sizes": list(sizes),
        "max_parts": SCALE_MAX_PARTS,
        "ns_per_char": rows,
        "notes": notes,
    }


def _targets(classes: list[dict[str, Any]], scaling: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def add(name: str, measured: float | None, required: float, at_least: bool) -> None:
        met = None if measured is None else (measured >= required if at_least else measured <= required)
        out.append(
            {"target": name, "measured": measured, "required": required, "at_least": at_least, "met": met}
        )

    for c in classes:
        res = c["results"]
        smsutil = res.get("smsutil", {}).get("msg_per_s")
        need = 20.0 if c["name"] == "short" else 10.0
        for subject, required in ((SE_COUNT, need), (SE_PARTS, 10.0)):
            ratio = res[subject]["msg_per_s"] / smsutil if smsutil else None
            add(f"{c['name']}: {subject} / smsutil", ratio, required, True)
    for c in classes:
        limit = 5.0 if c["single_part"] else 10.0
        add(f"{c['name']}: {SE_COUNT} / floor", c["floor_factor"][SE_COUNT], limit, False)
    for kind, rows in scaling["ns_per_char"].items():
        # The scan is linear when its cost per character stays within 30% of the smallest size's.
        scan = [v for v in rows[SE_SCAN].values() if v is not None]
        dev = max(abs(v / scan[0] - 1) for v in scan) if scan else None
        add(f"scaling {kind}: scan ns/char, largest deviation from 16K", dev, 0.3, False)
        # With the split capped at 255 parts, the cost per character must not grow.
        full = [v for v in rows[SE_SCALE].values() if v is not None]
        growth = max(full) / full[0] if full else None
        add(f"scaling {kind}: max_parts=255 ns/char, largest / 16K", growth, 1.3, False)
    return out


def run(
    settings: Settings,
    *,
    only: Sequence[str] = (),
    log: Callable[[str], None] = print,
    command: str = "python -m benchmarks",
) -> dict[str, Any]:
    """Run the benchmark and return its results as a JSON-ready dict."""
    peers, notes = load_peers()
    ud_note = _user_data_available()
    if ud_note:
        notes.append(ud_note)
    classes = [c for c in corpus.build(quick=settings.quick) if not only or c.name in only]
    log(f"smsencode benchmarks ({'quick' if settings.quick else 'full'} run)")
    class_results = [_run_class(c, peers, settings, ud_note is None, log) for c in classes]
    scaling = _run_scaling(peers, settings, log) if not only or "scale" in only else None
    report: dict[str, Any] = {
        "meta": {
            **_machine(),
            "command": command,
            "mode": "quick" if settings.quick else "full",
            "rounds": settings.rounds,
            "smsencode": getattr(smsencode, "__version__", "?"),
            "peers": {p.name: p.version for p in peers},
            "known_peer_bugs": {p.name: p.known for p in peers},
        },
        "notes": notes,
        "classes": class_results,
        "scaling": scaling,
        "targets": _targets(class_results, scaling) if scaling else [],
    }
    return report


# --- the tables ---------------------------------------------------------------------------------


def _rate(v: float) -> str:
    if v >= 1e6:
        return f"{v / 1e6:.2f}M"
    if v >= 1e3:
        return f"{v / 1e3:.1f}k"
    return f"{v:.0f}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines


def render(report: dict[str, Any]) -> str:
    """The tables of *report* as Markdown (readable in a terminal too)."""
    meta = report["meta"]
    classes = report["classes"]
    out = [
        f"## smsencode benchmarks ({meta['mode']} run)",
        "",
        f"{meta['date']}; {meta['machine']}, {meta['cpu']}, {meta['cores']} cores; {meta['python']}; "
        f"`{meta['command']}`; best of {meta['rounds']} interleaved rounds.",
        "Peers: " + (", ".join(f"{k} {v}" for k, v in meta["peers"].items()) or "none installed") + ".",
        "",
    ]
    for note in report["notes"]:
        out.append(f"- note: {note}")
    if report["notes"]:
        out.append("")
    names = [c["name"] for c in classes]
    out += ["### Messages per second", ""]
    subjects = list(classes[0]["results"]) if classes else []
    rows = [
        [s] + [_rate(c["results"][s]["msg_per_s"]) if s in c["results"] else "-" for c in classes]
        for s in subjects
    ]
    out += _table(["", *names], rows)
    out += [
        "",
        "Classes: "
        + "; ".join(
            f"`{c['name']}` {c['description']} ({c['messages']} msgs, mean {c['mean_chars']:.0f} chars)"
            for c in classes
        ),
        "",
    ]

    out += ["### Ratios", "", "smsencode.part_count ÷ peer (messages/s), smsencode time ÷ floor time.", ""]
    rows = []
    for peer in meta["peers"]:
        rows.append(
            [f"part_count ÷ {peer}"]
            + [
                f"{c['results'][SE_COUNT]['msg_per_s'] / c['results'][peer]['msg_per_s']:.1f}×"
                for c in classes
            ]
        )
    if "smsutil" in meta["peers"]:
        for s in (SE_PARTS, SE_USER_DATA):
            if classes and s in classes[0]["results"]:
                rows.append(
                    [f"{s.split('.')[1]} ÷ smsutil"]
                    + [
                        f"{c['results'][s]['msg_per_s'] / c['results']['smsutil']['msg_per_s']:.1f}×"
                        for c in classes
                    ]
                )
    for s in (SE_COUNT, SE_PARTS):
        rows.append([f"{s.split('.')[1]} vs floor"] + [f"{c['floor_factor'][s]:.1f}× floor" for c in classes])
    out += _table(["", *names], rows)
    out.append("")

    sc = report.get("scaling")
    if sc:
        sizes = [str(s) for s in sc["sizes"]]
        out += [
            "### Scaling: ns per character",
            "",
            f"`{SE_SCALE}` is `segment(t, max_parts={sc['max_parts']}).part_count`: the whole text is "
            "scanned (validation decides the encoding) and the split stops at 255 parts (39,015 "
            "septets or 17,085 UTF-16 units), so its cost per character falls once the text is "
            "longer than that, and must never grow. "
            f"`{SE_SCAN}` is `segment(t, max_parts=1)`: the whole-text work (validation, unit "
            "count, the cut-off text) with a split of one part; it must stay flat per character. "
            "Peers split the whole text (smpplib refuses past 255 parts; the time to refuse is shown).",
            "",
        ]
        for kind, table in sc["ns_per_char"].items():
            rows = [
                [f"{kind}: {name}"]
                + [
                    "-" if vals.get(s) is None else f"{vals[s]:.2f}" if vals[s] < 10 else f"{vals[s]:.1f}"
                    for s in sizes
                ]
                for name, vals in table.items()
            ]
            out += _table(["", *(f"{int(s):,}" for s in sizes)], rows)
            out.append("")
        for note in sc["notes"]:
            out.append(f"- {note}")
        if sc["notes"]:
            out.append("")

    if report["targets"]:
        out += ["### Targets", ""]
        rows = []
        for t in report["targets"]:
            m = t["measured"]
            rows.append(
                [
                    t["target"],
                    "-" if m is None else f"{m:.2f}",
                    ("≥ " if t["at_least"] else "≤ ") + f"{t['required']:g}",
                    {True: "met", False: "MISSED", None: "n/a"}[t["met"]],
                ]
            )
        out += _table(["target", "measured", "required", ""], rows)
        out.append("")

    out += ["### Agreement with smsencode's part count", ""]
    for c in classes:
        bad = c["consistency"]
        status = "consistent" if not bad else f"{len(bad)} PROBLEMS: " + "; ".join(bad[:3])
        out.append(
            f"- `{c['name']}` ({c['messages']} msgs, {c['parts_total']} parts, "
            f"{c['encodings']}): smsencode self-check {status}"
        )
        for peer, a in c["agreement"].items():
            if not a["disagree"]:
                out.append(f"  - {peer}: agrees on all {a['messages']}")
                continue
            err = f", {a['errors']} raised" if a["errors"] else ""
            out.append(f"  - {peer}: {a['disagree']} of {a['messages']} differ{err}; e.g.")
            for e in a["examples"]:
                out.append(
                    f"    - {e['chars']} chars: smsencode {e['smsencode']}, {peer} {e['peer']}: {e['text']!r}"
                )
    out.append("")
    if meta.get("known_peer_bugs"):
        out += [
            "Known peer behaviour: "
            + "; ".join(f"{k}: {v}" for k, v in meta["known_peer_bugs"].items())
            + ".",
            "",
        ]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point: ``python -m benchmarks [--quick] [--json FILE] [--render FILE]``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small corpus, few rounds: under a minute")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON to FILE")
    parser.add_argument("--render", metavar="FILE", help="print the tables of a saved JSON run and exit")
    parser.add_argument(
        "--only",
        metavar="CLASSES",
        default="",
        help="comma-separated classes to run (short,gsm_ext,latin,cyrillic,emoji,long,scale)",
    )
    args = parser.parse_args(argv)
    if args.render:
        with open(args.render, encoding="utf-8") as f:
            print(render(json.load(f)))
        return 0
    only = [s for s in args.only.split(",") if s]
    started = time.perf_counter()
    command = " ".join(["python -m benchmarks", *(sys.argv[1:] if argv is None else argv)])
    report = run(
        QUICK if args.quick else FULL,
        only=only,
        command=command,
        log=lambda m: print(m, file=sys.stderr, flush=True),
    )
    report["meta"]["seconds"] = round(time.perf_counter() - started, 1)
    print(render(report))
    print(f"({report['meta']['seconds']} s)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
