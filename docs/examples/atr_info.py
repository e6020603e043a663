# SPDX-License-Identifier: LGPL-2.1-or-later
"""Read the ATR of the card in the first reader and decode it."""

from smartcard.ATR import ATR
from smartcard.System import readers
from smartcard.util import toASCIIString, toHexString

connection = readers()[0].createConnection()
connection.connect()
atr = ATR(connection.getATR())
connection.disconnect()

print("ATR:", toHexString(atr.atr))
print("T=0 supported:", atr.isT0Supported())
print("T=1 supported:", atr.isT1Supported())
print("historical bytes:", toHexString(atr.getHistoricalBytes()))
print("as text:", toASCIIString(atr.getHistoricalBytes()))
