# SPDX-License-Identifier: LGPL-2.1-or-later
"""Connect to the card in the first reader and send it one APDU."""

from smartcard.System import readers
from smartcard.util import toBytes, toHexString

reader = readers()[0]
print("reader:", reader)
connection = reader.createConnection()
connection.connect()
print("ATR:", toHexString(connection.getATR()))

# SELECT by AID; this AID is the demo applet of smartcard.testing's virtual card.
SELECT = toBytes("00 A4 04 00 0A F0 70 79 73 63 61 72 64 00 01")
data, sw1, sw2 = connection.transmit(SELECT)
print(f"SW: {sw1:02X} {sw2:02X}, data: {toHexString(data)}")
connection.disconnect()
