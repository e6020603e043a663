# SPDX-License-Identifier: LGPL-2.1-or-later
"""Connect to the first card found, select an application, exchange APDUs."""

from smartcard.connecting import connect
from smartcard.iso7816 import StatusWordError

# The demo applet of smartcard.testing's virtual card.
AID = bytes.fromhex("F0707973636172640001")

with connect() as card:  # the first reader holding a card; disconnects on exit
    print("reader:", card.reader)
    print("ATR:", card.atr.hex(" ").upper(), "protocol:", card.protocol.name)

    # transmit() takes any bytes-like object and returns a Response.
    response = card.transmit(bytes.fromhex("00A40400") + bytes([len(AID)]) + AID)
    print(f"SELECT: SW {response.sw:04X}, success: {bool(response)}")

    # send() builds the APDU; check() raises unless the SW is 9000.
    data = card.send(0x80, 0x10, 0x00, 0x00, b"hello", le=0).check().data
    print("echo:", data)

    with card.transaction():  # no other application gets in between
        data, sw = card.send(0x80, 0x20, 0x00, 0x04)
        print("4 bytes:", data.hex(), f"{sw:04X}")

    try:
        card.send(0x00, 0xB0, 0x00, 0x00, le=0).check()
    except StatusWordError as error:
        print("the card refused:", error)
