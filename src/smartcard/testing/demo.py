# SPDX-License-Identifier: LGPL-2.1-or-later
"""Show the library at work: list the readers and talk to a card.

``python -m smartcard.testing.demo`` starts a private pcscd with virtual
readers, puts a virtual card in one and exchanges APDUs with it. A card in
a reader of the system's PC/SC service may be someone's bank card or token,
not a test device: the demo only names its reader and shows its ATR (read
without connecting), and sends it two harmless commands (SELECT, GET DATA)
only with ``--real-card``, or when the user says yes at the prompt (when run
on a terminal). Exit status 0 when APDUs were exchanged.
"""

from __future__ import annotations

import argparse
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


def _probe_system() -> Tuple[str, str] | None:
    """(reader, ATR in hex) of the first card on the system's PC/SC service, if any.

    The ATR comes from the reader state: nothing connects to the card, so it
    is not even powered up for the question. Asked in a child process:
    libpcsclite fixes its daemon socket at the first call, and this process
    may still need the private daemon's.
    """
    code = (
        "import json\n"
        "from smartcard import scard as s\n"
        "found = None\n"
        "rc, ctx = s.SCardEstablishContext(s.SCARD_SCOPE_USER)\n"
        "if rc == s.SCARD_S_SUCCESS:\n"
        "    rc, names = s.SCardListReaders(ctx, [])\n"
        "    if rc == s.SCARD_S_SUCCESS and names:\n"
        "        rc, states = s.SCardGetStatusChange(\n"
        "            ctx, 0, [(n, s.SCARD_STATE_UNAWARE) for n in names])\n"
        "        for name, event, atr in states if rc == s.SCARD_S_SUCCESS else []:\n"
        "            if event & s.SCARD_STATE_PRESENT and atr:\n"
        "                found = [name, bytes(atr).hex(' ').upper()]\n"
        "                break\n"
        "    s.SCardReleaseContext(ctx)\n"
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
    found = json.loads(result.stdout or "null")
    return None if found is None else (str(found[0]), str(found[1]))


def _may_talk_to(reader: str) -> bool:
    """Ask on a terminal whether the real card may receive the demo's commands."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return False
    try:
        answer = input(f"Send SELECT and GET DATA to the card in {reader!r}? [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m smartcard.testing.demo",
        description="List the PC/SC readers and exchange APDUs with a virtual card.",
    )
    parser.add_argument(
        "--real-card",
        action="store_true",
        help="also send two harmless commands (SELECT, GET DATA) to a card found on "
        "the system's PC/SC service; without it, only its reader and ATR are shown",
    )
    args = parser.parse_args(argv)
    found = _probe_system()
    if found is not None:
        reader, atr = found
        print(f"A real card was found on the system's PC/SC service: {reader!r}, ATR {atr}.")
        if args.real_card or _may_talk_to(reader):
            print("Using the system's PC/SC service and that card.")
            _talk(reader, REAL_CARD_COMMANDS)
            return 0
        print("It is sent nothing (--real-card sends it SELECT and GET DATA).")
    from smartcard.testing import PrivatePCSCD, VirtualCard

    print("Starting a private pcscd with virtual readers, and inserting a virtual")
    print("card (smartcard.testing).")
    with PrivatePCSCD() as daemon:
        os.environ.update(daemon.env)
        daemon.insert_card(0, VirtualCard())
        _talk(daemon.reader_names[0], VIRTUAL_CARD_COMMANDS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
