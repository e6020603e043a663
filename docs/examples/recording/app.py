# SPDX-License-Identifier: LGPL-2.1-or-later
"""Read the balance of a purse card: select the purse, present the PIN, ask for the balance."""

import sys

from smartcard.System import readers

PURSE = [0xF0, 0x70, 0x79, 0x73, 0x63, 0x61, 0x72, 0x64, 0x00, 0x01]


def send(connection, apdu, what):
    data, sw1, sw2 = connection.transmit(apdu)
    if (sw1, sw2) != (0x90, 0x00):
        raise RuntimeError(f"{what} failed: SW {sw1:02X} {sw2:02X}")
    return bytes(data)


def read_balance(pin):
    connection = readers()[0].createConnection()
    connection.connect()
    try:
        send(connection, [0x00, 0xA4, 0x04, 0x00, len(PURSE), *PURSE], "SELECT")
        send(connection, [0x00, 0x20, 0x00, 0x81, len(pin), *pin.encode()], "VERIFY")
        return int.from_bytes(send(connection, [0x80, 0x50, 0x00, 0x00, 0x02], "BALANCE"), "big")
    finally:
        connection.disconnect()


if __name__ == "__main__":
    print("balance:", read_balance(sys.argv[1] if len(sys.argv) > 1 else "1234"))
