# SPDX-License-Identifier: LGPL-2.1-or-later
"""Show the library at work: list the readers and talk to a card.

``python -m smartcard.testing.demo`` uses the system's PC/SC service when a
reader there holds a card; otherwise it starts a private pcscd with virtual
readers and puts a virtual card in one. Exit status 0 when APDUs were
exchanged, 1 otherwise.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import List, Sequence, Tuple

from smartcard.testing.applet import DEFAULT_AID

# Harmless commands for a real card: select the default application, then
# GET DATA for the card production life cycle data (many cards answer 6A88).
REAL_CARD_COMMANDS: List[Tuple[str, List[int]]] = [
    ("SELECT default application", [0x00, 0xA4, 0x04, 0x00, 0x00]),
    ("GET DATA (CPLC)", [0x80, 0xCA, 0x9F, 0x7F, 0x00]),
]
VIRTUAL_CARD_COMMANDS: List[Tuple[str, List[int]]] = [
    ("SELECT the demo applet", [0x00, 0xA4, 0x04, 0x00, len(DEFAULT_AID), *DEFAULT_AID]),
    ("ECHO 'hello'", [0x80, 0x10, 0x00, 0x00, 0x05, *b"hello"]),
    ("an unknown instruction", [0x80, 0x7F, 0x00, 0x00]),
]


def _probe_system() -> str | None:
    """The first reader of the system's PC/SC service holding a card, if any.

    Asked in a child process: libpcsclite fixes its daemon socket at the
    first call, and this process may still need the private daemon's.
    """
    code = (
        "import json\n"
        "from smartcard.System import readers\n"
        "from smartcard.Exceptions import NoCardException\n"
        "found = None\n"
        "for reader in readers():\n"
        "    c = reader.createConnection()\n"
        "    try:\n"
        "        c.connect(); c.disconnect(); found = str(reader); break\n"
        "    except NoCardException:\n"
        "        pass\n"
        "print(json.dumps(found))\n"
    )
    try:
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=20
        )
    except subprocess.TimeoutExpired:
        return None
    if result.returncode != 0:
        return None
    found: str | None = json.loads(result.stdout or "null")
    return found


def _talk(reader_name: str, commands: Sequence[Tuple[str, List[int]]]) -> None:
    from smartcard.sw import describe_sw
    from smartcard.System import readers
    from smartcard.util import toHexString

    print("Readers:")
    chosen = None
    for reader in readers():
        marker = "*" if str(reader) == reader_name else " "
        print(f"  {marker} {reader}")
        if str(reader) == reader_name:
            chosen = reader
    if chosen is None:
        raise RuntimeError(f"reader {reader_name!r} disappeared")
    connection = chosen.createConnection()
    connection.connect()
    try:
        print(f"Card in {reader_name!r}: ATR {toHexString(connection.getATR())}")
        for label, apdu in commands:
            data, sw1, sw2 = connection.transmit(apdu)
            print(f"  > {toHexString(apdu)}    ({label})")
            answer = toHexString(data + [sw1, sw2])
            print(f"  < {answer}    ({describe_sw(sw1, sw2)})")
    finally:
        connection.disconnect()


def main() -> int:
    reader = _probe_system()
    if reader is not None:
        print("Using the system's PC/SC service and the card found there.")
        _talk(reader, REAL_CARD_COMMANDS)
        return 0
    from smartcard.testing import PrivatePCSCD, VirtualCard

    print("No card found on the system's PC/SC service: starting a private pcscd")
    print("with virtual readers, and inserting a virtual card (smartcard.testing).")
    with PrivatePCSCD() as daemon:
        os.environ.update(daemon.env)
        daemon.insert_card(0, VirtualCard())
        _talk(daemon.reader_names[0], VIRTUAL_CARD_COMMANDS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
