# SPDX-License-Identifier: LGPL-2.1-or-later
"""A minimal "connect and send APDUs" object over one reader."""

from __future__ import annotations

from smartcard._pcsc.exceptions import InvalidReaderException, NoReadersException
from smartcard.PassThruCardService import PassThruCardService
from smartcard.System import readers

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Session"]


class Session:
    """Connects to the card in a reader on creation; ``close()`` disconnects.

    ``Session()`` uses the first reader, ``Session("name")`` the reader with
    that name (``InvalidReaderException`` if there is none).
    """

    def __init__(self, readerName: str | None = None) -> None:
        if readerName is not None and not isinstance(readerName, str):
            raise TypeError(f"readerName must be a str or None, not {type(readerName).__name__}")
        available = readers()
        if readerName is None:
            if not available:
                raise NoReadersException()
            self.reader = available[0]
        else:
            matching = [r for r in available if str(r) == readerName]
            if not matching:
                self.readerName = readerName
                raise InvalidReaderException(readerName)
            self.reader = matching[0]
        self.readerName = repr(self.reader)
        self.cs = PassThruCardService(self.reader.createConnection())
        self.cs.connection.connect()

    def close(self) -> None:
        """Disconnect from the card."""
        self.cs.connection.disconnect()

    def sendCommandAPDU(self, command: Any) -> tuple[list[int], int, int]:
        """Send ``command``; return ``(response, sw1, sw2)``.

        As in pyscard, when the response carries more than two data bytes,
        the returned response list also ends with SW1 SW2.
        """
        response, sw1, sw2 = self.cs.connection.transmit(command)
        if len(response) > 2:
            response.append(sw1)
            response.append(sw2)
        return response, sw1, sw2

    def getATR(self) -> list[int]:
        """The ATR of the card."""
        atr: list[int] = self.cs.connection.getATR()
        return atr

    def __repr__(self) -> str:
        return f"<Session instance: readerName={self.readerName}>"
