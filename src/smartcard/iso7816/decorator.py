# SPDX-License-Identifier: LGPL-2.1-or-later
"""Opt-in ISO 7816 transport for pyscard's CardConnection.

pyscard connections hand 61xx and 6Cxx back to the application. Wrapping a
connection in :class:`ISO7816TransportDecorator` applies the rules of
:mod:`smartcard.iso7816.transport` instead, without changing anything for
code that does not ask for it::

    connection = ISO7816TransportDecorator(reader.createConnection())
    connection.connect()
    data, sw1, sw2 = connection.transmit(SELECT)   # 61xx already fetched
"""

from __future__ import annotations

from typing import Any, List, Tuple

from smartcard.CardConnectionDecorator import CardConnectionDecorator
from smartcard.iso7816._checks import as_bytes
from smartcard.iso7816.transport import (
    SW1_MORE_DATA,
    SW1_WRONG_LE,
    TransportOptions,
    transmit_apdu,
)
from smartcard.sw.SWExceptions import SWException

__all__ = ["ISO7816TransportDecorator"]


class ISO7816TransportDecorator(CardConnectionDecorator):
    """A card connection whose ``transmit()`` follows 61xx, 6Cxx and chains long commands.

    Options (all on except ``extended_length``, as a pyscard application
    builds its own APDUs): ``get_response``, ``fix_wrong_le``, ``chaining``
    (an extended APDU with more than 255 data bytes is sent as a chain of
    short ones unless ``extended_length`` is true), ``max_get_response``.

    Each APDU actually exchanged goes through the wrapped connection, so its
    observers see them all and its error checking chain checks each answer;
    the 61xx and 6Cxx answers that the transport resolves are not raised.
    """

    def __init__(
        self,
        cardConnectionComponent: Any,
        *,
        get_response: bool = True,
        fix_wrong_le: bool = True,
        chaining: bool = True,
        extended_length: bool = False,
        max_get_response: int = 256,
    ) -> None:
        CardConnectionDecorator.__init__(self, cardConnectionComponent)
        self.transport_options = TransportOptions(
            get_response=get_response,
            fix_wrong_le=fix_wrong_le,
            chaining=chaining,
            extended_length=extended_length,
            max_get_response=max_get_response,
        )

    def transmit(self, command: Any, protocol: int | None = None) -> Tuple[List[int], int, int]:
        """Send ``command`` (list of byte values or bytes-like); return ``(data, sw1, sw2)``."""
        apdu = as_bytes("command", command)

        def exchange(one_apdu: bytes) -> bytes:
            return self._exchange(one_apdu, protocol)

        data, sw = transmit_apdu(exchange, apdu, self.transport_options)
        result = list(data), sw >> 8, sw & 0xFF
        if sw >> 8 in (SW1_MORE_DATA, SW1_WRONG_LE):
            # The transport gave up on (or was told to leave) this answer, so
            # the error checking chain that _exchange silenced has its say.
            chain = getattr(self.component, "errorcheckingchain", None)
            if chain:
                chain[0](*result)
        return result

    def _exchange(self, apdu: bytes, protocol: int | None) -> bytes:
        options = self.transport_options
        try:
            data, sw1, sw2 = self.component.transmit(list(apdu), protocol)
        except SWException as exc:
            # The connection's error checking chain flagged an answer that the
            # transport is about to resolve: take the answer, not the error.
            resolvable = (exc.sw1 == SW1_WRONG_LE and options.fix_wrong_le) or (
                exc.sw1 == SW1_MORE_DATA and options.get_response
            )
            if not resolvable:
                raise
            data, sw1, sw2 = exc.data, exc.sw1, exc.sw2
        return bytes(data) + bytes((sw1, sw2))
