# SPDX-License-Identifier: LGPL-2.1-or-later
"""The ISO 7816 transport: long commands, and the same rules for a pyscard connection."""

from smartcard.connecting import connect
from smartcard.iso7816 import TransportOptions, encode_apdu
from smartcard.iso7816.decorator import ISO7816TransportDecorator
from smartcard.System import readers

payload = bytes(range(256)) * 4  # 1024 bytes: more than a short APDU holds

# This card takes extended APDUs; others get a chain of short ones (CLA bit 10).
with connect(transport=TransportOptions(extended_length=True)) as card:
    echoed = card.send(0x80, 0x10, 0x00, 0x00, payload, le=0).check().data
    print("echoed", len(echoed), "bytes intact:", echoed == payload)

# The encoder alone: the case and the form follow from the lengths.
print("case 4 short:", encode_apdu(0x00, 0xA4, 0x04, 0x00, b"\xa0\x00", le=0).hex(" "))
print("case 2 extended:", encode_apdu(0x00, 0xB0, 0x00, 0x00, le=1000).hex(" "))

# pyscard code opts in with a decorator: 61xx and 6Cxx are then handled for it.
connection = ISO7816TransportDecorator(readers()[0].createConnection())
connection.connect()
data, sw1, sw2 = connection.transmit([0x80, 0x20, 0x00, 0x08])
print(f"pyscard connection: {len(data)} bytes, SW {sw1:02X}{sw2:02X}")
connection.disconnect()
