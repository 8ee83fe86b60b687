"""The README's Python examples run as written (doctest)."""

from __future__ import annotations

import doctest
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_examples() -> None:
    text = README.read_text("utf-8")
    blocks = [b.split("```", 1)[0] for b in text.split("```pycon")[1:]]
    assert blocks, "the README has Python examples"
    parser = doctest.DocTestParser()
    globs: dict[str, object] = {}
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for i, block in enumerate(blocks):
        test = parser.get_doctest(block, globs, f"README block {i}", str(README), 0)
        runner.run(test, clear_globs=False)
        globs = test.globs  # later blocks use the names of earlier ones, as a reader would
    assert runner.failures == 0, f"{runner.failures} README example(s) failed: see the output above"
