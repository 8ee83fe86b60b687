"""``python -m smsencode``: the same as the ``smsencode`` command."""

import sys

from smsencode.cli import main

sys.exit(main())
