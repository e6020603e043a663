# SPDX-License-Identifier: LGPL-2.1-or-later
"""``python -m smartcard``: the ``pyscard`` command-line tool (see :mod:`smartcard.cli`)."""

from __future__ import annotations

import sys


def _main() -> int:
    try:
        from smartcard.cli import main

        return main()
    except KeyboardInterrupt:
        # Ctrl-C while the CLI itself was still being imported.
        return 130


if __name__ == "__main__":
    sys.exit(_main())
