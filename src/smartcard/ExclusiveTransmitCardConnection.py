# SPDX-License-Identifier: LGPL-2.1-or-later
"""Decorator that keeps other connections off the card while it transmits."""

from __future__ import annotations

import threading

from smartcard._decorated import find_pcsc_connection
from smartcard._pcsc.exceptions import CardConnectionException
from smartcard._pcsc.extension import SCARD_LEAVE_CARD
from smartcard.CardConnectionDecorator import CardConnectionDecorator

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ExclusiveTransmitCardConnection"]


class ExclusiveTransmitCardConnection(CardConnectionDecorator):
    """Holds a PC/SC transaction around exchanges.

    :meth:`lock` and :meth:`unlock` begin and end a transaction explicitly,
    to keep a whole APDU sequence together.  ``transmit()`` outside such a
    lock holds a transaction for the one exchange.
    """

    def __init__(self, cardconnection: Any) -> None:
        CardConnectionDecorator.__init__(self, cardconnection)
        # Per thread: lock() in one thread must not make another thread's
        # transmit() skip its own transaction.
        self._held = threading.local()

    def _depth(self) -> int:
        return getattr(self._held, "depth", 0)

    def lock(self) -> None:
        """Begin a transaction (``SCardBeginTransaction``); blocks while another holds one."""
        pcsc = find_pcsc_connection(self.component)
        if pcsc is None:
            return
        pcsc._connected_handle().begin_transaction("lock with SCardBeginTransaction")
        self._held.depth = self._depth() + 1

    def unlock(self) -> None:
        """End the transaction begun by :meth:`lock` (``SCardEndTransaction``, card left as is)."""
        pcsc = find_pcsc_connection(self.component)
        if pcsc is None:
            return
        handle = pcsc._connected_handle()
        self._held.depth = max(0, self._depth() - 1)
        handle.end_transaction(SCARD_LEAVE_CARD, "unlock with SCardEndTransaction")

    def transmit(self, command: Any, protocol: int | None = None) -> tuple[list[int], int, int]:
        if self._depth() > 0:
            return CardConnectionDecorator.transmit(self, command, protocol)
        self.lock()
        try:
            return CardConnectionDecorator.transmit(self, command, protocol)
        finally:
            try:
                self.unlock()
            except CardConnectionException:
                # The exchange's own result (or error) matters more; a card
                # removed meanwhile has ended the transaction anyway.
                pass


# Names pyscard 2.3.1's module held through its imports, resolved on first use.
from smartcard._reexports import from_module, lazy_names, scard  # noqa: E402

__getattr__ = lazy_names(
    __name__,
    {
        **from_module("smartcard.Exceptions", "CardConnectionException"),
        **scard(
            "SCardGetErrorMessage",
            "SCARD_S_SUCCESS",
            "SCardBeginTransaction",
            "SCardEndTransaction",
        ),
    },
)
