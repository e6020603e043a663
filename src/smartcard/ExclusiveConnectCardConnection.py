# SPDX-License-Identifier: LGPL-2.1-or-later
"""Decorator that connects to the card in exclusive mode."""

from __future__ import annotations

from smartcard._decorated import find_pcsc_connection
from smartcard.CardConnectionDecorator import CardConnectionDecorator
from smartcard._pcsc.exceptions import CardConnectionException, CardNotPresentException
from smartcard.pcsc.PCSCCardConnection import translateprotocolmask
from smartcard.scard import (
    SCARD_E_NO_SMARTCARD,
    SCARD_LEAVE_CARD,
    SCARD_PROTOCOL_T0,
    SCARD_PROTOCOL_T1,
    SCARD_S_SUCCESS,
    SCARD_SHARE_EXCLUSIVE,
    SCARD_W_REMOVED_CARD,
    SCardConnect,
    SCardDisconnect,
)

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
        if pcsc.hcard is not None:
            hresult = SCardDisconnect(pcsc.hcard, SCARD_LEAVE_CARD)
            pcsc.hcard = None
            if hresult != SCARD_S_SUCCESS:
                raise CardConnectionException(
                    "Failed to disconnect before connecting exclusively", hresult=hresult
                )
        hresult, hcard, _active = SCardConnect(
            pcsc.hcontext, str(pcsc.reader), SCARD_SHARE_EXCLUSIVE, pcsc_mask
        )
        if hresult != SCARD_S_SUCCESS:
            if hresult in (SCARD_W_REMOVED_CARD, SCARD_E_NO_SMARTCARD):
                raise CardNotPresentException("Unable to connect exclusively", hresult)
            raise CardConnectionException(
                "Failed to connect with SCARD_SHARE_EXCLUSIVE", hresult=hresult
            )
        pcsc.hcard = hcard


# Names pyscard 2.3.1's module held through its imports, resolved on first use.
from smartcard._reexports import lazy_names, scard  # noqa: E402

__getattr__ = lazy_names(
    __name__,
    scard("SCardGetErrorMessage"),
)
