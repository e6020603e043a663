# SPDX-License-Identifier: LGPL-2.1-or-later
"""A connection to one card for ``pyscard send``: connect, exchange, reset, transaction.

Exchanges go through the framework's connection; with ``get_response`` the
ISO 7816 transport (:mod:`smartcard.iso7816.transport`) resolves 61xx and
6Cxx, and every APDU it actually exchanged is kept so it can be shown.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

from smartcard.cli.errors import PCSCFailure, library_errors, pcsc_failure

PROTOCOL_CHOICES = ("T0", "T1", "any")


@dataclass
class Exchange:
    """One command and its final answer, plus the raw APDUs exchanged to get it."""

    command: bytes
    data: bytes
    sw1: int
    sw2: int
    trace: list[tuple[bytes, bytes]] = field(default_factory=list)


class CardSession:
    """A connected card; use as a context manager (it disconnects, leaving the card powered)."""

    def __init__(
        self,
        reader: str,
        *,
        exclusive: bool = False,
        protocol: str = "any",
        get_response: bool = False,
    ) -> None:
        self.reader = reader
        self.exclusive = exclusive
        self.get_response = get_response
        self._protocol_choice = protocol
        self._connection: Any = None

    # ------------------------------------------------------------ connection

    def _connect_arguments(self) -> dict[str, int | None]:
        from smartcard import scard
        from smartcard.CardConnection import CardConnection

        protocol = {"T0": CardConnection.T0_protocol, "T1": CardConnection.T1_protocol}.get(
            self._protocol_choice
        )
        mode = scard.SCARD_SHARE_EXCLUSIVE if self.exclusive else scard.SCARD_SHARE_SHARED
        return {"protocol": protocol, "mode": mode}

    def __enter__(self) -> CardSession:
        from smartcard import scard
        from smartcard._pcsc.exceptions import NoCardException
        from smartcard.pcsc.PCSCCardConnection import PCSCCardConnection

        try:
            # The concrete connection rather than reader.createConnection()'s
            # decorator: reset() below sets its ``disposition``.
            connection = PCSCCardConnection(self.reader)
            # Leave the card powered: a later 'pyscard send' may continue the dialogue.
            connection.connect(**self._connect_arguments(), disposition=scard.SCARD_LEAVE_CARD)
        except NoCardException as exc:
            raise PCSCFailure(f"no card in {self.reader!r}") from exc
        except library_errors() as exc:
            raise pcsc_failure(exc, f"cannot connect to the card in {self.reader!r}") from exc
        self._connection = connection
        return self

    def __exit__(self, *exc_info: object) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.disconnect()
            connection.release()
        except library_errors():
            pass  # the card or daemon is gone: nothing left to close

    # ----------------------------------------------------------- information

    @property
    def atr(self) -> bytes:
        return bytes(self._connection.getATR())

    @property
    def protocol(self) -> str:
        from smartcard.CardConnection import CardConnection

        active = self._connection.getProtocol()
        return {CardConnection.T0_protocol: "T=0", CardConnection.T1_protocol: "T=1"}.get(
            active, f"0x{active:X}"
        )

    # -------------------------------------------------------------- actions

    def _raw_exchange(self, trace: list[tuple[bytes, bytes]]) -> Any:
        def exchange(apdu: bytes) -> bytes:
            data, sw1, sw2 = self._connection.transmit(list(apdu))
            response = bytes(data) + bytes((sw1, sw2))
            trace.append((bytes(apdu), response))
            return response

        return exchange

    def transmit(self, apdu: bytes) -> Exchange:
        """Send ``apdu``; with ``get_response``, follow 61xx/6Cxx to the final answer."""
        trace: list[tuple[bytes, bytes]] = []
        exchange = self._raw_exchange(trace)
        if self.get_response:
            from smartcard.iso7816.transport import TransportOptions, transmit_apdu

            options = TransportOptions(get_response=True, fix_wrong_le=True, chaining=False)
            data, sw = transmit_apdu(exchange, apdu, options)
            return Exchange(apdu, data, sw >> 8, sw & 0xFF, trace)
        response = exchange(apdu)
        return Exchange(apdu, response[:-2], response[-2], response[-1], trace)

    def reset(self) -> bytes:
        """Warm-reset the card (reconnect with SCARD_RESET_CARD); return its ATR."""
        from smartcard import scard

        self._connection.reconnect(**self._connect_arguments(), disposition=scard.SCARD_RESET_CARD)
        # Back to leaving the card as it is when we disconnect.
        self._connection.disposition = scard.SCARD_LEAVE_CARD
        return self.atr

    @contextmanager
    def transaction(self, wanted: bool) -> Iterator[None]:
        """A PC/SC transaction around the block when ``wanted``."""
        if not wanted:
            yield
            return
        try:
            self._connection.beginTransaction()
        except library_errors() as exc:
            raise pcsc_failure(exc, "cannot begin the transaction") from exc
        try:
            yield
        finally:
            try:
                self._connection.endTransaction()
            except library_errors():
                pass  # a reset or a removed card ends it anyway
