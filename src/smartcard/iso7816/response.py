# SPDX-License-Identifier: LGPL-2.1-or-later
"""The response APDU of the new API: response data and status word, immutable."""

from __future__ import annotations

from typing import NamedTuple

from smartcard.iso7816.errors import status_word_error
from smartcard.sw._tables import describe_sw

__all__ = ["Response", "SW_SUCCESS"]

SW_SUCCESS = 0x9000


class Response(NamedTuple):
    """A card's answer: ``data`` (bytes) and ``sw`` (the status word, e.g. 0x9000).

    A tuple, so ``data, sw = card.transmit(...)`` works; true when the status
    word is 9000 (61xx and 6Cxx were already handled by the transport)::

        response = card.transmit(apdu)
        if not response:
            ...
        data = card.transmit(apdu).check().data   # raises StatusWordError unless 9000
    """

    data: bytes
    sw: int

    @property
    def sw1(self) -> int:
        """First status byte."""
        return self.sw >> 8

    @property
    def sw2(self) -> int:
        """Second status byte."""
        return self.sw & 0xFF

    @property
    def ok(self) -> bool:
        """True when the status word is 9000."""
        return self.sw == SW_SUCCESS

    def __bool__(self) -> bool:
        return self.sw == SW_SUCCESS

    @property
    def meaning(self) -> str:
        """The status word's ISO 7816-4 meaning, e.g. "File or application not found"."""
        return describe_sw(self.sw >> 8, self.sw & 0xFF)

    def check(self) -> Response:
        """Return self if the status word is 9000, else raise its StatusWordError."""
        if self.sw == SW_SUCCESS:
            return self
        raise status_word_error(self)

    def __repr__(self) -> str:
        return f"Response(data=bytes.fromhex({self.data.hex().upper()!r}), sw=0x{self.sw:04X})"
