# SPDX-License-Identifier: LGPL-2.1-or-later
"""Run application code against an emulated card, without pytest."""

import os

from smartcard.System import readers
from smartcard.testing import PrivatePCSCD, VirtualCard


def challenge_card(apdu: bytes) -> bytes:
    """A card that answers GET CHALLENGE with 8 fixed bytes, and nothing else."""
    if apdu[:4] == bytes.fromhex("00840000"):
        return bytes(range(8)) + b"\x90\x00"
    return b"\x6d\x00"  # instruction not supported


with PrivatePCSCD() as daemon:
    os.environ.update(daemon.env)  # before this process's first PC/SC call
    daemon.insert_card(0, VirtualCard(handler=challenge_card))

    connection = readers()[0].createConnection()
    connection.connect()
    data, sw1, sw2 = connection.transmit([0x00, 0x84, 0x00, 0x00, 0x08])
    connection.disconnect()
    print(f"challenge: {bytes(data).hex()}, SW {sw1:02X} {sw2:02X}")
