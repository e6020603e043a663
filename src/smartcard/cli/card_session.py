# SPDX-License-Identifier: LGPL-2.1-or-later
"""A connection to one card for ``pyscard send``: connect, exchange, reset, transaction.

A :class:`~smartcard.pcsc_card.PCSCCard` does the work; with ``get_response``
the ISO 7816 transport (:mod:`smartcard.iso7816.transport`) resolves 61xx and
6Cxx, and every APDU it actually exchanged is kept so it can be shown.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterator

from smartcard.cli.errors import PCSCFailure, library_errors, pcsc_failure

if TYPE_CHECKING:
    from smartcard.pcsc_card import PCSCCard

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
        self._card: PCSCCard | None = None

    # ------------------------------------------------------------ connection

    def __enter__(self) -> CardSession:
        from smartcard._pcsc.exceptions import NoCardException
        from smartcard.connecting import connect
        from smartcard.pcsc_enums import Disposition, Protocol, ShareMode

        protocols = {"T0": Protocol.T0, "T1": Protocol.T1}.get(self._protocol_choice, Protocol.ANY)
        try:
            self._card = connect(
                self.reader,
                share=ShareMode.EXCLUSIVE if self.exclusive else ShareMode.SHARED,
                protocols=protocols,
                # Leave the card powered: a later 'pyscard send' may continue the dialogue.
                disposition=Disposition.LEAVE,
            )
        except NoCardException as exc:
            raise PCSCFailure(f"no card in {self.reader!r}") from exc
        except library_errors() as exc:
            raise pcsc_failure(exc, f"cannot connect to the card in {self.reader!r}") from exc
        return self

    def __exit__(self, *exc_info: object) -> None:
        card, self._card = self._card, None
        if card is None:
            return
        try:
            card.close()
        except library_errors():
            pass  # the card or daemon is gone: nothing left to close

    # ----------------------------------------------------------- information

    @property
    def atr(self) -> bytes:
        return self._connected.atr

    @property
    def protocol(self) -> str:
        from smartcard.pcsc_enums import Protocol

        active = self._connected.protocol
        return {Protocol.T0: "T=0", Protocol.T1: "T=1"}.get(active, f"0x{int(active):X}")

    @property
    def _connected(self) -> PCSCCard:
        if self._card is None:
            raise PCSCFailure("the card is not connected")
        return self._card

    # -------------------------------------------------------------- actions

    def _raw_exchange(self, trace: list[tuple[bytes, bytes]]) -> Callable[[bytes], bytes]:
        card = self._connected

        def exchange(apdu: bytes) -> bytes:
            response = card.exchange(apdu)
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
        """Warm-reset the card (reconnect with a reset); return its ATR."""
        self._connected.reconnect()
        return self.atr

    @contextmanager
    def transaction(self, wanted: bool) -> Iterator[None]:
        """A PC/SC transaction around the block when ``wanted``."""
        if not wanted:
            yield
            return
        transaction = self._connected.transaction()
        try:
            transaction.__enter__()
        except library_errors() as exc:
            raise pcsc_failure(exc, "cannot begin the transaction") from exc
        try:
            yield
        finally:
            try:
                transaction.__exit__(None, None, None)
            except library_errors():
                pass  # a reset or a removed card ends it anyway
