"""Throughput and peak memory of ``smsencode batch`` on generated message files.

    python benchmarks/batch_bench.py [--rows N] [--quick] [--json FILE]

Writes two CSV files of realistic rows (N and N/10 rows; N defaults to one million), then runs
the real command on each, as a subprocess, with ``--jobs 1`` and ``--jobs 2``, pricing every row
against a tariff with overlapping prefixes. For each run it reports rows per second and peak
memory: the largest single process (``ru_maxrss`` from ``wait4``) and, on Linux, the largest sum
of resident memory over the whole process tree (parent plus workers, sampled every 20 ms).
Memory must stay flat as the file grows tenfold; the script prints the ratio. It also checks that
one and two jobs write byte-identical output.

``--repeat R`` runs each case R times and keeps the fastest run (and the highest memory): on a
shared machine the fastest run is the one least disturbed. ``--quick`` runs 20,000 and 2,000 rows
so that the script can be smoke-tested quickly.
Stdlib only.
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

SEED = 20240601

# Message templates in the proportions a send pipeline sees: mostly short GSM-7 notifications,
# a share of marketing with emoji or accented letters outside GSM-7 (UTF-16), some long texts
# (several parts) and extension characters (two septets each).
TEMPLATES: list[tuple[int, str]] = [
    (30, "Your verification code is {n}. It expires in 10 minutes. Do not share it."),
    (20, "Hi {name}, your order #{n} has shipped and arrives tomorrow. Track it: https://ex.am/t/{n}"),
    (10, "Flash sale \U0001f389 -30% on everything until Sunday, {name}! Reply STOP to opt out."),
    (8, "Olá {name}, a sua encomenda {n} chegou. Obrigado pela preferência!"),
    (6, "Sayın {name}, {n} numaralı randevunuz yarın saat 10:00'da. İptal için arayın."),
    (8, "Reminder: your appointment with Dr {name} is tomorrow at 10:00. "
        "Call +44 20 7946 0000 to reschedule, or reply C to cancel. " * 2),
    (6, "Price update: {n} € per month from 1 June [ref {n}] — questions? {{help}}"),
    (6, "Dear {name}, thank you for being a customer since {n}. " * 5),
    (4, "\U0001f600\U0001f44d Thanks {name}! \u2764\ufe0f See you soon \U0001f1ee\U0001f1f9"),
    (2, "Код подтверждения: {n}. Никому его не сообщайте."),
]
NAMES = ["Ana", "Jürgen", "Zoë", "Çelik", "Maria", "John", "Søren", "Łukasz", "Amélie", "Wei"]
# (prefix, digits after it): Germany mobile and fixed, UK mobile, France, US, Brazil, Turkey.
DESTINATIONS = [("+49176", 8), ("+49151", 8), ("+4930", 8), ("+447", 9), ("+336", 8),
                ("+1415", 7), ("+5511", 9), ("+90532", 7)]  # fmt: skip
TARIFF = """prefix,price,country
49,0.075,Germany
4915,0.071,Germany mobile
49176,0.068,Germany mobile (one network)
44,0.040,United Kingdom
447,0.035,United Kingdom mobile
33,0.072,France
1,0.0079,United States and Canada
default,0.095,everywhere else
"""


def generate(path: Path, rows: int, seed: int = SEED) -> None:
    """Write *rows* CSV rows (id, text, to); about 0.2% missing text and 0.3% invalid numbers."""
    rng = random.Random(seed)
    weights = [w for w, _ in TEMPLATES]
    texts = [t for _, t in TEMPLATES]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "text", "to"])
        for i in range(rows):
            (template,) = rng.choices(texts, weights)
            text = template.format(n=rng.randrange(10**6), name=rng.choice(NAMES))
            prefix, digits = rng.choice(DESTINATIONS)
            to = prefix + "".join(rng.choices("0123456789", k=digits))
            roll = rng.random()
            if roll < 0.002:
                text = ""
            elif roll < 0.005:
                to = "0" + to[3:]  # a national number: invalid as E.164
            w.writerow([i, text, to])


def _tree_rss_kib(root: int) -> int | None:
    """Sum of VmRSS over *root* and its descendants (Linux /proc), or None elsewhere."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid, ppid = int(entry.name), int(fields.get("PPid", "0").strip() or 0)
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def run_batch(input_path: Path, tariff: Path, jobs: int, out: Path, summary: Path) -> dict[str, Any]:
    """Run ``smsencode batch`` once; wall time, rows/s and peak memory (MiB)."""
    cmd = [
        sys.executable, "-m", "smsencode", "batch", str(input_path), "--tariff", str(tariff),
        "--recipient-column", "to", "--jobs", str(jobs), "-o", str(out),
        "--summary-json", str(summary), "--no-progress",
    ]  # fmt: skip
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_tree = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_tree
        while not done.is_set():
            rss = _tree_rss_kib(proc.pid)
            if rss is not None:
                peak_tree = max(peak_tree, rss)
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0, 1):  # 1: some rows failed, as generated
        raise SystemExit(f"batch failed ({proc.returncode}): {err}")
    rows = json.loads(summary.read_text())["rows"]
    return {
        "rows": rows,
        "seconds": elapsed,
        "rows_per_s": rows / elapsed,
        "max_process_mib": usage.ru_maxrss / 1024,  # KiB on Linux
        "tree_mib": peak_tree / 1024 if peak_tree else None,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the large file (1000000)")
    parser.add_argument("--quick", action="store_true", help="20,000 and 2,000 rows: a smoke test")
    parser.add_argument("--repeat", type=int, default=1, help="runs per case; the fastest is kept")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    large = 20_000 if args.quick else args.rows
    sizes = [max(1, large // 10), large]
    results = []
    with tempfile.TemporaryDirectory(prefix="smsencode-batch-bench-") as tmp:
        d = Path(tmp)
        tariff = d / "tariff.csv"
        tariff.write_text(TARIFF, encoding="utf-8")
        for n in sizes:
            path = d / f"in-{n}.csv"
            t = time.perf_counter()
            generate(path, n)
            print(f"generated {n:,} rows ({path.stat().st_size / 2**20:.1f} MiB) in "
                  f"{time.perf_counter() - t:.1f} s", file=sys.stderr)  # fmt: skip
            outputs = []
            for jobs in (1, 2):
                out = d / f"out-{n}-{jobs}.csv"
                summary = d / "summary.json"
                runs = [run_batch(path, tariff, jobs, out, summary) for _ in range(max(1, args.repeat))]
                r = min(runs, key=lambda x: x["seconds"] or 0.0)
                r["max_process_mib"] = max(x["max_process_mib"] or 0.0 for x in runs)
                r["tree_mib"] = max((x["tree_mib"] or 0.0 for x in runs), default=0.0) or None
                r |= {"input_rows": n, "jobs": jobs, "runs": len(runs)}
                r["input_mib"] = path.stat().st_size / 2**20
                results.append(r)
                outputs.append(out)
                print(f"  jobs={jobs}: {r['rows_per_s']:,.0f} rows/s", file=sys.stderr)
            if not filecmp.cmp(outputs[0], outputs[1], shallow=False):
                raise SystemExit(f"--jobs 1 and --jobs 2 wrote different output for {n} rows")
            for out in outputs:
                out.unlink()
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    print(f"\nsmsencode batch, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
          + (f", load average {load[0]:.2f} after the runs" if load else ""))  # fmt: skip
    print("\n| rows | jobs | seconds | rows/s | peak RSS, largest process | peak RSS, all processes |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in results:
        tree = f"{r['tree_mib']:.0f} MiB" if r["tree_mib"] else "n/a"
        print(f"| {r['input_rows']:,} | {r['jobs']} | {r['seconds']:.1f} | {r['rows_per_s']:,.0f} | "
              f"{r['max_process_mib']:.0f} MiB | {tree} |")  # fmt: skip
    for jobs in (1, 2):
        small, big = (r for r in results if r["jobs"] == jobs)
        growth = big["max_process_mib"] / small["max_process_mib"]
        print(f"\njobs={jobs}: {big['input_rows'] // small['input_rows']}x the rows, "
              f"{growth:.2f}x the peak memory of the largest process", end="")  # fmt: skip
    print()
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
