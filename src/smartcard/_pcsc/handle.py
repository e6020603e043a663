# SPDX-License-Identifier: LGPL-2.1-or-later
"""One card handle: the PC/SC calls on a card, under every connection class.

A :class:`CardHandle` owns one PC/SC context and, while connected, one card
handle to a reader. It makes the calls, recovers from a pcscd restart (a
stale context or handle is replaced once, then the call is tried again) and
raises explained exceptions through :func:`~smartcard._pcsc.failures.card_failure`.
``PCSCCard`` (the new API), ``PCSCCardConnection`` (pyscard's framework),
the ``Exclusive*`` decorators and the CLI all stand on it.
"""

from __future__ import annotations

from smartcard._log import LazyLogger
from smartcard._pcsc import backend
from smartcard._pcsc.context import establish_context, release_context
from smartcard._pcsc.errors import explain
from smartcard._pcsc.exceptions import CardConnectionException
from smartcard._pcsc.extension import (
    SCARD_LEAVE_CARD,
    SCARD_PCI_RAW,
    SCARD_PCI_T0,
    SCARD_PCI_T1,
    SCARD_PROTOCOL_RAW,
    SCARD_PROTOCOL_T0,
    SCARD_PROTOCOL_T1,
    SCARD_PROTOCOL_T15,
)
from smartcard._pcsc.failures import Failure, card_failure, classify, needs_new_context

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List

    from smartcard._pcsc.backend import Backend

__all__ = ["CardHandle", "NO_HANDLE", "PCI_NAMES", "PROTOCOL_NAMES", "pci_for", "protocol_name"]

_log = LazyLogger("smartcard.pcsc")

#: The value of :attr:`CardHandle.hcard` while not connected; PC/SC never
#: hands it out, so a call made with it fails in PC/SC, not in Python.
NO_HANDLE = 0

#: Names used in messages, keyed by PC/SC protocol mask.
PROTOCOL_NAMES = {
    SCARD_PROTOCOL_T0: "T0",
    SCARD_PROTOCOL_T1: "T1",
    SCARD_PROTOCOL_RAW: "RAW",
    SCARD_PROTOCOL_T15: "T15",
    SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1: "T0 or T1",
}
_PCI_BY_PROTOCOL = {
    SCARD_PROTOCOL_T0: SCARD_PCI_T0,
    SCARD_PROTOCOL_T1: SCARD_PCI_T1,
    SCARD_PROTOCOL_RAW: SCARD_PCI_RAW,
}
#: Names used in messages, keyed by the protocol control information of transmit.
PCI_NAMES = {SCARD_PCI_T0: "T0", SCARD_PCI_T1: "T1", SCARD_PCI_RAW: "RAW"}


def protocol_name(protocols: int) -> str:
    """``"T0"``, ``"T1"``, ``"T0 or T1"``... for a PC/SC protocol mask, for messages."""
    return PROTOCOL_NAMES.get(protocols, f"0x{protocols:X}")


def pci_for(protocol: int) -> int:
    """What ``SCardTransmit`` takes for the active PC/SC ``protocol`` (T=1's when unknown)."""
    return _PCI_BY_PROTOCOL.get(protocol, SCARD_PCI_T1)


class CardHandle:
    """A PC/SC context and, while connected, a card handle on :attr:`reader`.

    ``hcard`` is :data:`NO_HANDLE` while not connected; ``protocol`` is the
    active PC/SC protocol. ``api`` is the backend, fixed at creation. With
    ``hcontext`` the handle adopts that context (and releases it at the end).
    """

    __slots__ = ("reader", "api", "hcontext", "hcard", "protocol")

    def __init__(self, reader: str, api: Backend | None = None, hcontext: int | None = None):
        self.reader = reader
        self.api = backend.current() if api is None else api
        self.hcard = NO_HANDLE
        self.protocol = 0
        self.hcontext: int | None = None
        self.hcontext = establish_context(True, self.api) if hcontext is None else hcontext

    @property
    def connected(self) -> bool:
        """True while a card handle is held."""
        return self.hcard != NO_HANDLE

    # -- connecting -------------------------------------------------------

    def connect(self, share: int, protocols: int, action: str = "connect") -> int:
        """Connect (dropping a handle still held); return the active protocol.

        When the context died with pcscd, a new one is established and the
        connection tried once more.
        """
        if self.hcontext is None:
            raise CardConnectionException("Context already released")
        if self.hcard != NO_HANDLE:
            # Connecting again without disconnecting: drop the old handle
            # rather than leak it until the context is released.
            self.drop()
        hresult, hcard, active = self.api.SCardConnect(self.hcontext, self.reader, share, protocols)
        if hresult and needs_new_context(hresult):
            _log.info(
                "PC/SC context is stale (%s); establishing a new one", explain(hresult, False)
            )
            self.renew_context()
            hresult, hcard, active = self.api.SCardConnect(
                self.hcontext, self.reader, share, protocols
            )
        if hresult:
            detail = f" to {self.reader!r} with protocol {protocol_name(protocols)}"
            raise card_failure(action, hresult, detail)
        self.hcard = hcard
        self.protocol = active
        return int(active)

    def reconnect(self, share: int, protocols: int, initialization: int) -> int:
        """``SCardReconnect``; return the active protocol.

        Without a handle, or when the handle died with pcscd or its reader,
        this connects anew (with a new context when needed) instead. On
        failure the handle is dropped: the card is gone or unusable as asked.
        """
        if self.hcard == NO_HANDLE:
            return self.connect(share, protocols, "reconnect")
        hresult, active = self.api.SCardReconnect(self.hcard, share, protocols, initialization)
        if hresult and needs_new_context(hresult):
            _log.info("card handle is stale (%s); connecting anew", explain(hresult, False))
            self.hcard = NO_HANDLE  # dead: nothing to disconnect
            return self.connect(share, protocols, "reconnect")
        if hresult:
            self.drop()
            raise card_failure("reconnect", hresult, f" with protocol {protocol_name(protocols)}")
        self.protocol = active
        return int(active)

    def renew_context(self) -> None:
        """Replace the context (after a pcscd restart); the old one is released, best effort."""
        old, self.hcontext = self.hcontext, None
        if old is not None:
            release_context(old, self.api)
        self.hcontext = establish_context(True, self.api)

    # -- exchanges -------------------------------------------------------

    def transmit(self, pci: int, apdu: object) -> List[int]:
        """``SCardTransmit``: the card's raw answer (data and status word) as a list."""
        hresult, response = self.api.SCardTransmit(self.hcard, pci, apdu)
        if hresult:
            raise card_failure("transmit", hresult, f" with protocol {PCI_NAMES.get(pci, pci)}")
        return response  # type: ignore[no-any-return]

    def control(self, code: int, data: object) -> List[int]:
        """``SCardControl``: send a reader control code; return the reader's answer."""
        hresult, response = self.api.SCardControl(self.hcard, code, data)
        if hresult:
            raise card_failure(f"control (code 0x{code:X})", hresult)
        return response  # type: ignore[no-any-return]

    def get_attribute(self, attribute: int) -> List[int]:
        """``SCardGetAttrib``: read one reader attribute."""
        hresult, value = self.api.SCardGetAttrib(self.hcard, attribute)
        if hresult:
            raise card_failure(f"getAttrib (attribute 0x{attribute:X})", hresult)
        return value  # type: ignore[no-any-return]

    def atr(self) -> List[int]:
        """The card's ATR, from ``SCardStatus``."""
        hresult, _reader, _state, _protocol, atr = self.api.SCardStatus(self.hcard)
        if hresult:
            raise card_failure("get status", hresult)
        return atr  # type: ignore[no-any-return]

    def begin_transaction(self, action: str = "begin transaction") -> None:
        """``SCardBeginTransaction``: other connections wait until it ends."""
        hresult = self.api.SCardBeginTransaction(self.hcard)
        if hresult:
            raise card_failure(action, hresult)

    def end_transaction(self, disposition: int, action: str = "end transaction") -> None:
        """``SCardEndTransaction``, then ``disposition`` applies to the card."""
        hresult = self.api.SCardEndTransaction(self.hcard, disposition)
        if hresult:
            raise card_failure(action, hresult)

    # -- ending ----------------------------------------------------------

    def disconnect(self, disposition: int) -> None:
        """``SCardDisconnect`` with ``disposition``; nothing when not connected.

        A handle that died with pcscd, or whose card is gone, is simply
        forgotten: there is nothing left to disconnect.
        """
        hcard, self.hcard = self.hcard, NO_HANDLE
        if hcard == NO_HANDLE:
            return
        hresult = self.api.SCardDisconnect(hcard, disposition)
        if hresult:
            if classify(hresult) is not Failure.OTHER:
                _log.debug("disconnect: %s", explain(hresult, False))
                return
            raise card_failure("disconnect", hresult)

    def drop(self) -> None:
        """Let go of the card handle, leaving the card as it is; failures are only logged."""
        hcard, self.hcard = self.hcard, NO_HANDLE
        if hcard != NO_HANDLE:
            hresult = self.api.SCardDisconnect(hcard, SCARD_LEAVE_CARD)
            if hresult:
                _log.debug("dropping card handle %#x: %s", hcard, explain(hresult, False))

    def release_context(self) -> int:
        """Release the context (the handle must be gone); return PC/SC's result."""
        hcontext, self.hcontext = self.hcontext, None
        if hcontext is None:
            return 0
        return release_context(hcontext, self.api)

    def close(self, disposition: int) -> None:
        """Disconnect with ``disposition`` and release the context, whatever happens."""
        try:
            self.disconnect(disposition)
        finally:
            self.release_context()
