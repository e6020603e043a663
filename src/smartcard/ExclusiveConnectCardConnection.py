# SPDX-License-Identifier: LGPL-2.1-or-later
"""Decorator that connects to the card in exclusive mode."""

from __future__ import annotations

from smartcard._decorated import find_pcsc_connection
from smartcard._pcsc.extension import SCARD_PROTOCOL_T0, SCARD_PROTOCOL_T1, SCARD_SHARE_EXCLUSIVE
from smartcard.CardConnectionDecorator import CardConnectionDecorator
from smartcard.pcsc.PCSCCardConnection import translateprotocolmask

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ExclusiveConnectCardConnection"]


class ExclusiveConnectCardConnection(CardConnectionDecorator):
    """While connected, no other process or connection can use the card.

    ``connect()`` connects normally (so observers and wrapped decorators see
    it), then swaps the PC/SC handle for one opened with
    ``SCARD_SHARE_EXCLUSIVE``.  When another connection already uses the card
    this fails with ``CardConnectionException`` (SCARD_E_SHARING_VIOLATION).
    """

    def __init__(self, cardconnection: Any) -> None:
        CardConnectionDecorator.__init__(self, cardconnection)

    def connect(
        self, protocol: int | None = None, mode: int | None = None, disposition: int | None = None
    ) -> None:
        CardConnectionDecorator.connect(self, protocol, mode, disposition)
        pcsc = find_pcsc_connection(self.component)
        if pcsc is None:
            return
        pcsc_mask = translateprotocolmask(protocol) or translateprotocolmask(pcsc.getProtocol())
        if pcsc_mask == 0:
            pcsc_mask = SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1
        handle = pcsc._handle
        if handle is None:
            return
        # Connecting anew drops the shared handle first (card left as is).
        handle.connect(SCARD_SHARE_EXCLUSIVE, pcsc_mask, "connect exclusively")


# Names pyscard 2.3.1's module held through its imports, resolved on first use.
from smartcard._reexports import from_module, lazy_names, scard  # noqa: E402

__getattr__ = lazy_names(
    __name__,
    {
        **from_module("smartcard.Exceptions", "CardConnectionException"),
        **scard(
            "SCardGetErrorMessage",
            "SCARD_LEAVE_CARD",
            "SCARD_S_SUCCESS",
            "SCardConnect",
            "SCardDisconnect",
        ),
    },
)
