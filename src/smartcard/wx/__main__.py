# SPDX-License-Identifier: LGPL-2.1-or-later
"""``python -m smartcard.wx NAME``: run one of the wx applications.

Each is also a module of its own: ``python -m smartcard.wx.NAME``.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Sequence

APPLICATIONS = {
    "cardmonitor": "the card and reader trees, with what was last selected",
    "readerviewer": "the readers and the ATR of each one's card",
    "apdumanager": "send APDUs to a card, with an APDU trace",
    "pcscdiag": "a snapshot of the readers, their cards and the reader groups",
    "console": "edit and run APDU scripts in scriptor's format (like gscriptor)",
}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m smartcard.wx", description="pyscard's wxPython applications"
    )
    commands = parser.add_subparsers(dest="name", required=True, metavar="NAME")
    for name, summary in APPLICATIONS.items():
        command = commands.add_parser(name, help=summary, description=summary)
        if name == "console":
            command.add_argument("script", nargs="?", help="a script to open")
    args = parser.parse_args(argv)
    module = importlib.import_module(f"smartcard.wx.{args.name}")
    if args.name == "console":
        module.main([args.script] if args.script else [])
    else:
        module.main()


if __name__ == "__main__":
    main()
