"""Smoke test of the benchmark suite: ``--quick`` runs end to end, so the benchmarks cannot rot.

No timing is asserted here (speed lives in the benchmark output); what is asserted is that every
class, subject and installed peer adapter ran, that smsencode's own results are consistent on the
whole corpus, that the corpus holds the boundary cases it promises, and that the saved JSON
renders to the same tables.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import smsencode
from benchmarks import corpus, run
from benchmarks.peers import load_peers


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return run.run(run.QUICK, log=lambda message: None)


def test_quick_run_covers_every_class_and_subject(report: dict[str, Any]) -> None:
    """Every corpus class is timed for smsencode, each installed peer and each floor primitive."""
    peers, notes = load_peers()
    assert [c["name"] for c in report["classes"]] == [name for name, *_ in corpus.CLASSES]
    expected = {run.SE_COUNT, run.SE_PARTS, run.FLOOR, run.FLOOR_RE, run.FLOOR_UTF16, run.FLOOR_CALL}
    expected |= {p.name for p in peers}
    for c in report["classes"]:
        assert expected <= set(c["results"])
        assert all(r["msg_per_s"] > 0 for r in c["results"].values())
        assert set(c["agreement"]) == {p.name for p in peers}
        assert c["floor_factor"][run.SE_COUNT] > 0
    # A peer that is not installed is reported, not silently dropped.
    assert (
        len(peers)
        + sum(
            n.split(":")[0] in {"python-messaging", "smsutil", "smpplib", "gsm0338", "sms-counter"}
            for n in notes
        )
        == 5
    )


def test_quick_run_scaling_and_targets(report: dict[str, Any]) -> None:
    """The scaling table has every size for smsencode and the floors, and every target is judged."""
    sc = report["scaling"]
    assert sc["sizes"] == list(corpus.QUICK_SCALE_SIZES)
    for kind in ("gsm7", "utf16"):
        for subject in (run.SE_SCALE, run.SE_SCAN, run.FLOOR_RE, run.FLOOR_UTF16):
            values = sc["ns_per_char"][kind][subject]
            assert [values[str(s)] is not None for s in sc["sizes"]] == [True] * len(sc["sizes"])
    names = [t["target"] for t in report["targets"]]
    assert sum("/ floor" in n for n in names) == len(corpus.CLASSES)
    assert sum(n.startswith("scaling") for n in names) == 4


def test_smsencode_is_consistent_on_the_corpus(report: dict[str, Any]) -> None:
    """Parts rebuild the text, fit their capacity and add up to the units, in every class."""
    for c in report["classes"]:
        assert c["consistency"] == [], c["name"]
    assert next(c for c in report["classes"] if c["name"] == "short")["single_part"] is True


def test_saved_json_renders_the_same_tables(
    report: dict[str, Any], tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--render FILE`` prints the tables of a saved run exactly as the run printed them."""
    path = tmp_path / "bench.json"
    path.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    assert run.main(["--render", str(path)]) == 0
    printed = capsys.readouterr().out
    assert printed == run.render(report) + "\n"
    for name, *_ in corpus.CLASSES:
        assert f"`{name}`" in printed
    assert "### Targets" in printed and "### Scaling" in printed


def test_peer_adapters_count_plain_messages() -> None:
    """Every installed peer agrees on the plainest cases: 160 septets are one part, 161 are two."""
    peers, _ = load_peers()
    if not peers:
        pytest.skip("no peer library installed: pip install '.[bench]'")
    for p in peers:
        assert p.count("hello") == 1, p.name
        assert p.count("a" * 160) == 1, p.name
        assert p.count("a" * 161) == 2, p.name
        p.batch(["hello", "a" * 161])


def test_corpus_is_deterministic() -> None:
    """The same seed gives the same corpus; the quick corpus is the start of the full one."""
    quick = corpus.build(quick=True)
    assert quick == corpus.build(quick=True)
    full = corpus.build()
    for q, f in zip(quick, full, strict=True):
        assert f.texts[: len(q.texts)] == q.texts


def test_corpus_puts_escapes_and_clusters_on_part_boundaries() -> None:
    """gsm_ext has escape pairs where a 153-septet part ends; emoji has clusters across 67 units."""
    classes = {c.name: c for c in corpus.build(quick=True)}
    escapes = 0
    for t in classes["gsm_ext"].texts:
        s = smsencode.segment(t)
        if s.part_count > 1 and s.part_units[0] == 152 and s.parts[1][0] in "{}[]~^|\\€\f":
            escapes += 1
    assert escapes >= len(classes["gsm_ext"].texts) // 4
    moved = 0
    for t in classes["emoji"].texts:
        s = smsencode.segment(t)
        if s.part_count > 1 and s.part_units[0] < 66:
            moved += 1
    assert moved >= len(classes["emoji"].texts) // 4


def test_scale_texts_have_the_size_and_encoding_asked() -> None:
    """Each scaling text has exactly the size asked; one is GSM-7, the other UTF-16."""
    texts = corpus.scale_texts(16_384)
    assert {k: len(v) for k, v in texts.items()} == {"gsm7": 16_384, "utf16": 16_384}
    assert smsencode.segment(texts["gsm7"], max_parts=255).encoding is smsencode.Encoding.GSM7
    assert smsencode.segment(texts["utf16"], max_parts=255).encoding is smsencode.Encoding.UTF16
