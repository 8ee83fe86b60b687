"""The examples in the library's docstrings run as written."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import smsencode

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(smsencode.__path__, "smsencode.")
    if not info.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(
        module, extraglobs={"smsencode": smsencode}, optionflags=doctest.ELLIPSIS, verbose=False
    )
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
