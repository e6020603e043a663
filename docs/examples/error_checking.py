# SPDX-License-Identifier: LGPL-2.1-or-later
"""Turn error status words into exceptions with an error-checking chain."""

from smartcard.sw.ErrorCheckingChain import ErrorCheckingChain
from smartcard.sw.ISO7816_4ErrorChecker import ISO7816_4ErrorChecker
from smartcard.sw.SWExceptions import SWException
from smartcard.System import readers

connection = readers()[0].createConnection()
# The chain is a list whose first item checks, then hands over to the next.
connection.setErrorCheckingChain([ErrorCheckingChain([], ISO7816_4ErrorChecker())])
connection.connect()
try:
    connection.transmit([0x80, 0x7F, 0x00, 0x00])  # an instruction the card does not know
except SWException as error:
    print(f"the card refused: SW {error.sw1:02X} {error.sw2:02X}: {error.message}")
finally:
    connection.disconnect()
