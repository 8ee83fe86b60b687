"""The ``smsencode analyze`` command, in-process and as a subprocess."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from smsencode.cli import main


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()


def test_analyze_shows_encoding_parts_and_offenders() -> None:
    status, out = run("analyze", "Hi 😀, only 5€ today")
    assert status == 0
    assert "encoding:  UTF16" in out
    assert "units:     20 UTF-16 code units" in out
    assert "parts:     1 (up to 70" in out
    assert "remaining: 50" in out
    assert "😀 U+1F600 at 3" in out


def test_analyze_json_has_every_field() -> None:
    status, out = run("analyze", "--json", "a" * 152 + "{" + "a" * 152)
    info = json.loads(out)
    assert status == 0
    assert info["encoding"] == "GSM7" and info["units"] == 306
    assert [p["units"] for p in info["parts"]] == [152, 153, 1]
    assert "".join(p["text"] for p in info["parts"]) == "a" * 152 + "{" + "a" * 152
    assert info["part_capacity"] == 153 and info["remaining"] == 152
    assert info["truncated"] is False and info["replacements"] == []


def test_analyze_options_reach_segment() -> None:
    status, out = run(
        "analyze", "--json", "-i", "REPLACE", "-r", "?", "-m", "1", "--reference-bits", "16",
        "ok 👍 " + "x" * 200,
    )  # fmt: skip
    info = json.loads(out)
    assert status == 0
    assert info["encoding"] == "GSM7" and info["part_count"] == 1 and info["truncated"]
    assert info["replacements"] == [{"index": 3, "original": "👍", "replacement": "?"}]
    assert len(info["dropped"]) == len("ok ? " + "x" * 200) - 160


def test_analyze_reports_truncation_and_replacements_in_text() -> None:
    status, out = run("analyze", "-i", "TRANSLITERATE", "-m", "1", "Привет " * 40)
    assert status == 0
    assert "replaced:  П at 0 -> P" in out
    assert "TRUNCATED:" in out


def test_analyze_national_tables() -> None:
    _, out = run("analyze", "-n", "tr,hi", "ğ ह")
    assert "national:  locking shift: Hindi, single shift: Turkish" in out
    _, js = run("analyze", "--json", "-n", "tr", "ğğğ")
    assert json.loads(js)["national_language"]["locking_name"] == "Turkish"


def test_analyze_reads_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("hello from stdin\n"))
    _, out = run("analyze", "--json", "-")
    assert json.loads(out)["units"] == len("hello from stdin")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["analyze", "-e", "latin1", "x"], "unknown encoding"),
        (["analyze", "-i", "REFUSE", "a`b"], "U+0060"),
        (["analyze", "-m", "0", "x"], "max_parts"),
        (["analyze", "x" * 40000], "max_parts"),
        (["analyze", "-n", "xx", "x"], "unknown national language"),
    ],
)
def test_errors_exit_1_with_a_message(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _ = run(*argv)
    assert status == 1
    err = capsys.readouterr().err
    assert err.startswith("smsencode: error: ") and message in err


def test_python_dash_m_runs_the_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "smsencode", "analyze", "--json", "Your table is ready 🍽️ 25€"],
        capture_output=True, text=True, encoding="utf-8", timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["encoding"] == "UTF16"
    bad = subprocess.run(
        [sys.executable, "-m", "smsencode", "analyze", "-i", "REFUSE", "tab\there"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert bad.returncode == 1 and "U+0009" in bad.stderr
