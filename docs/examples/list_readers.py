# SPDX-License-Identifier: LGPL-2.1-or-later
"""List the PC/SC readers and say which hold a card."""

from smartcard.Exceptions import NoCardException
from smartcard.System import readers
from smartcard.util import toHexString

for reader in readers():
    connection = reader.createConnection()
    try:
        connection.connect()
    except NoCardException:
        print(f"{reader}: no card")
    else:
        print(f"{reader}: card with ATR {toHexString(connection.getATR())}")
        connection.disconnect()
