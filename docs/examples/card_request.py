# SPDX-License-Identifier: LGPL-2.1-or-later
"""Wait up to 10 seconds for a card, in any reader, then connect to it."""

from smartcard.CardRequest import CardRequest
from smartcard.CardType import AnyCardType
from smartcard.util import toHexString

request = CardRequest(timeout=10, cardType=AnyCardType())
service = request.waitforcard()  # raises CardRequestTimeoutException after 10 s

service.connection.connect()
print("card in:", service.connection.getReader())
print("ATR:", toHexString(service.connection.getATR()))
service.connection.disconnect()
