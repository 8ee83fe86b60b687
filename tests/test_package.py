"""The package's shape: its public names, its typing marker, and a core that does no I/O."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import smsencode


def test_all_is_sorted_and_complete() -> None:
    assert smsencode.__all__ == sorted(smsencode.__all__, key=str.casefold)
    for name in smsencode.__all__:
        assert hasattr(smsencode, name), name
    public = {
        n
        for n in dir(smsencode)
        if not n.startswith("_")
        and getattr(getattr(smsencode, n), "__module__", "").startswith("smsencode")
    }
    assert public <= set(smsencode.__all__), public - set(smsencode.__all__)


def test_every_error_derives_from_the_root() -> None:
    for name in smsencode.__all__:
        obj = getattr(smsencode, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, smsencode.SmsEncodeError), name
    assert issubclass(smsencode.InvalidCharactersError, ValueError)


def test_package_is_typed() -> None:
    assert (Path(smsencode.__file__).parent / "py.typed").exists()


def test_core_imports_no_network_code() -> None:
    """Importing smsencode and using the engine loads no HTTP client: I/O lives at the edge."""
    code = (
        "import sys, smsencode\n"
        "s = smsencode.segment('hello 😀' * 30)\n"
        "s.user_data(reference=1)\n"
        "bad = [m for m in ('httpx', 'http.client', 'urllib.request', 'socket', 'smsencode.providers')"
        " if m in sys.modules]\n"
        "print(bad)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_errors_survive_pickling_with_their_details() -> None:
    """Errors cross process boundaries (segment_many, batch) with every attribute intact."""
    import pickle

    decode = smsencode.InvalidUDHError("UDHL 9 runs past the data", offset=3)
    again = pickle.loads(pickle.dumps(decode))
    assert (type(again), again.offset, str(again)) == (type(decode), 3, str(decode))
    too_many = smsencode.TooManyPartsError("needs 300 parts", parts_needed=300)
    assert pickle.loads(pickle.dumps(too_many)).parts_needed == 300
    chars = smsencode.InvalidCharactersError(((1, "`"),), hint="use TO_UTF16")
    assert str(pickle.loads(pickle.dumps(chars))) == str(chars)
