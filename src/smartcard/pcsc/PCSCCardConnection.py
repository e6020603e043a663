# SPDX-License-Identifier: LGPL-2.1-or-later
"""Card connection through a PC/SC reader."""

from __future__ import annotations

from smartcard._pcsc.exceptions import CardConnectionException
from smartcard._pcsc.extension import (
    SCARD_E_INVALID_VALUE,
    SCARD_LEAVE_CARD,
    SCARD_PCI_RAW,
    SCARD_PCI_T0,
    SCARD_PCI_T1,
    SCARD_PROTOCOL_RAW,
    SCARD_PROTOCOL_T0,
    SCARD_PROTOCOL_T1,
    SCARD_PROTOCOL_T15,
    SCARD_RESET_CARD,
    SCARD_SHARE_SHARED,
    SCARD_UNPOWER_CARD,
)
from smartcard._pcsc.failures import Failure, card_failure, classify, needs_new_context
from smartcard._pcsc.handle import NO_HANDLE, PCI_NAMES, PROTOCOL_NAMES, CardHandle
from smartcard.CardConnection import CardConnection

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "PCSCCardConnection",
    "translateprotocolmask",
    "translateprotocolheader",
    "dictProtocolHeader",
    "dictProtocol",
]


_T0 = CardConnection.T0_protocol
_T1 = CardConnection.T1_protocol
_RAW = CardConnection.RAW_protocol
_T15 = CardConnection.T15_protocol

# Framework protocol bit -> PC/SC protocol bit.  They differ for RAW on
# pcsc-lite (0x10000 vs 0x4), so masks are always translated, never passed on.
_PCSC_PROTOCOL_BITS = (
    (_T0, SCARD_PROTOCOL_T0),
    (_T1, SCARD_PROTOCOL_T1),
    (_RAW, SCARD_PROTOCOL_RAW),
    (_T15, SCARD_PROTOCOL_T15),
)

# Single framework protocol -> PC/SC protocol control information for transmit.
# Keyed by int | None so that a missing protocol looks up like an unknown one.
_PCI_BY_PROTOCOL: dict[int | None, int] = {
    _T0: SCARD_PCI_T0,
    _T1: SCARD_PCI_T1,
    _RAW: SCARD_PCI_RAW,
}

# Protocol PC/SC reports as active -> framework mask.  T0|T1 shows up in
# direct mode, where nothing was negotiated with the card.
_FRAMEWORK_PROTOCOL = {
    SCARD_PROTOCOL_T0: _T0,
    SCARD_PROTOCOL_T1: _T1,
    SCARD_PROTOCOL_RAW: _RAW,
    SCARD_PROTOCOL_T15: _T15,
    SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1: _T0 | _T1,
}

# Copies of the handle's tables: applications may change pyscard's dicts.
#: Names used in messages, keyed by PC/SC protocol control information.
dictProtocolHeader = dict(PCI_NAMES)

#: Names used in messages, keyed by PC/SC protocol mask.
dictProtocol = dict(PROTOCOL_NAMES)


def translateprotocolmask(protocol: int | None) -> int:
    """Translate a mask of ``CardConnection.*_protocol`` bits into PC/SC protocol bits."""
    pcsc_mask = 0
    if protocol:
        for framework_bit, pcsc_bit in _PCSC_PROTOCOL_BITS:
            if protocol & framework_bit:
                pcsc_mask |= pcsc_bit
    return pcsc_mask


def translateprotocolheader(protocol: int | None) -> int:
    """PC/SC protocol control information for one ``CardConnection.*_protocol``, or 0."""
    return _PCI_BY_PROTOCOL.get(protocol, 0)


def _check_optional_int(name: str, value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise TypeError(f"{name} must be an int or None, not {type(value).__name__}")


def _check_int(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")


class PCSCCardConnection(CardConnection):
    """A connection to the card in a PC/SC reader.

    Each connection owns one PC/SC context (``hcontext``) for its whole life
    and one card handle (``hcard``, None while not connected); both live in
    a :class:`~smartcard._pcsc.handle.CardHandle`, which makes the calls.
    """

    #: A reconnect() failed because the card was out: the next reconnect()
    #: connects afresh (the card may be back) instead of "Card not connected".
    _card_lost = False
    _handle: CardHandle | None = None

    def __init__(self, reader: Any) -> None:
        CardConnection.__init__(self, reader)
        self.disposition: int | None = None
        self._handle = CardHandle(str(reader))

    @property
    def hcard(self) -> int | None:
        """The PC/SC card handle, or None while not connected."""
        handle = self._handle
        if handle is None or handle.hcard == NO_HANDLE:
            return None
        return handle.hcard

    @property
    def hcontext(self) -> int | None:
        """The PC/SC context of this connection, or None once released."""
        return None if self._handle is None else self._handle.hcontext

    def __del__(self) -> None:
        # Best effort only: during interpreter shutdown module globals may
        # already be gone, and __del__ must never raise.
        try:
            self.release()
        except Exception:  # noqa: BLE001
            pass

    # -- lifecycle -------------------------------------------------------------

    def _connected_handle(self) -> CardHandle:
        handle = self._handle
        if handle is None or handle.hcard == NO_HANDLE:
            raise CardConnectionException("Card not connected")
        return handle

    def release(self) -> None:
        """Disconnect and release the PC/SC context; ``connect()`` raises afterwards."""
        handle = self._handle
        if handle is None or handle.hcontext is None:
            return
        CardConnection.release(self)
        try:
            self.disconnect()
        finally:
            hresult = handle.release_context()
            if hresult and hresult != SCARD_E_INVALID_VALUE and not needs_new_context(hresult):
                raise CardConnectionException("Failed to release context", hresult=hresult)

    def _pcsc_protocol_mask(self, protocol: int | None) -> int:
        pcsc_mask = translateprotocolmask(protocol)
        if pcsc_mask == 0:
            pcsc_mask = translateprotocolmask(self.getProtocol())
        if pcsc_mask == 0:
            # Nothing negotiated yet (e.g. after a direct connection): let
            # the card choose between the usual protocols.
            pcsc_mask = SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1
        return pcsc_mask

    def _adopt_active_protocol(self, active: int) -> None:
        PCSCCardConnection.setProtocol(self, _FRAMEWORK_PROTOCOL.get(active, 0))

    def connect(
        self, protocol: int | None = None, mode: int | None = None, disposition: int | None = None
    ) -> None:
        """Connect to the card (see :meth:`CardConnection.connect` for the defaults).

        Raises ``NoCardException`` (as :class:`CardNotPresentException`) when
        the reader is empty.  If the context died with a pcscd restart, a new
        one is established and the connection attempted once more.
        """
        _check_optional_int("protocol", protocol)
        _check_optional_int("mode", mode)
        _check_optional_int("disposition", disposition)
        CardConnection.connect(self, protocol)
        pcsc_mask = self._pcsc_protocol_mask(protocol)
        self.disposition = SCARD_UNPOWER_CARD if disposition is None else disposition
        handle = self._handle
        if handle is None or handle.hcontext is None:
            raise CardConnectionException("Context already released")
        self._card_lost = False
        active = handle.connect(SCARD_SHARE_SHARED if mode is None else mode, pcsc_mask)
        self._adopt_active_protocol(active)

    def reconnect(
        self, protocol: int | None = None, mode: int | None = None, disposition: int | None = None
    ) -> None:
        """Reconnect to the card, by default resetting it (``SCARD_RESET_CARD``).

        As in pyscard, ``disposition`` also becomes the disposition later
        applied by ``disconnect()``. After a reconnect() that failed because
        the card was out, the next one connects to the card anew: it works
        once the card is back, and raises the same exception while it is not.
        """
        _check_optional_int("protocol", protocol)
        _check_optional_int("mode", mode)
        _check_optional_int("disposition", disposition)
        CardConnection.reconnect(self, protocol)
        handle = self._handle
        if handle is None or (handle.hcard == NO_HANDLE and not self._card_lost):
            raise CardConnectionException("Card not connected")
        pcsc_mask = self._pcsc_protocol_mask(protocol)
        self.disposition = SCARD_RESET_CARD if disposition is None else disposition
        share = SCARD_SHARE_SHARED if mode is None else mode
        try:
            active = handle.reconnect(share, pcsc_mask, self.disposition)
        except CardConnectionException as exc:
            self._card_lost = classify(exc.hresult) is Failure.NO_CARD
            raise
        self._card_lost = False
        self._adopt_active_protocol(active)

    def disconnect(self) -> None:
        """Disconnect, applying the disposition chosen at connect; no-op when not connected.

        A handle that died with pcscd is simply forgotten: there is nothing
        left to disconnect.
        """
        self._card_lost = False
        handle = self._handle
        if handle is None or handle.hcard == NO_HANDLE:
            return
        try:
            CardConnection.disconnect(self)
        except TypeError:
            # Observers' modules may already be torn down at interpreter exit.
            pass
        handle.disconnect(SCARD_UNPOWER_CARD if self.disposition is None else self.disposition)

    # -- information -----------------------------------------------------------

    def getATR(self) -> list[int]:
        """The ATR of the connected card."""
        return self._connected_handle().atr()

    # -- exchanges ------------------------------------------------------------

    def doTransmit(self, command: Any, protocol: int | None = None) -> tuple[list[int], int, int]:
        """Exchange one APDU; return ``(data, sw1, sw2)``.

        ``command``: list of byte values or a bytes-like object (the native
        layer validates it and raises TypeError/ValueError).
        """
        if protocol is None:
            protocol = self.defaultprotocol
        pci = _PCI_BY_PROTOCOL.get(protocol)
        handle = self._handle
        if pci is None or handle is None or handle.hcard == NO_HANDLE:
            raise self._transmit_precondition_error(protocol)
        # CardHandle.transmit, inlined: the framework's hot path saves a call.
        hresult, response = handle.api.SCardTransmit(handle.hcard, pci, command)
        if hresult:
            raise card_failure("transmit", hresult, f" with protocol {dictProtocolHeader[pci]}")
        if len(response) < 2:
            raise CardConnectionException(
                f"Card returned no valid response: {len(response)} byte(s), "
                "at least SW1 SW2 expected"
            )
        return response[:-2], response[-2], response[-1]

    def _transmit_precondition_error(self, protocol: Any) -> Exception:
        if self.hcard is None:
            return CardConnectionException("Card not connected")
        _check_int("protocol", protocol)
        return CardConnectionException(
            "Invalid protocol in transmit: must be CardConnection.T0_protocol, "
            f"CardConnection.T1_protocol or CardConnection.RAW_protocol, not {protocol!r}"
        )

    def doControl(self, controlCode: int, command: Any = None) -> list[int]:
        """Send a control (IOCTL) command to the reader; return the response bytes."""
        _check_int("controlCode", controlCode)
        return self._connected_handle().control(controlCode, [] if command is None else command)

    def doGetAttrib(self, attribId: int) -> list[int]:
        """Read one reader attribute; return its bytes."""
        _check_int("attribId", attribId)
        return self._connected_handle().get_attribute(attribId)

    # -- transactions ------------------------------------------------------------

    def beginTransaction(self) -> None:
        """Start a PC/SC transaction: other connections wait until it ends."""
        self._connected_handle().begin_transaction()

    def endTransaction(self, disposition: int = SCARD_LEAVE_CARD) -> None:
        """End the PC/SC transaction, leaving the card as it is by default."""
        _check_int("disposition", disposition)
        self._connected_handle().end_transaction(disposition)


# Names pyscard 2.3.1's module held through its imports, resolved on first use.
from smartcard._reexports import from_module, lazy_names, scard  # noqa: E402

__getattr__ = lazy_names(
    __name__,
    {
        **from_module("smartcard.Exceptions", "NoCardException", "SmartcardException"),
        **scard(
            "SCARD_E_NO_SMARTCARD",
            "SCARD_S_SUCCESS",
            "SCARD_W_REMOVED_CARD",
            "SCardConnect",
            "SCardControl",
            "SCardDisconnect",
            "SCardGetAttrib",
            "SCardReconnect",
            "SCardStatus",
            "SCardTransmit",
            "SCardBeginTransaction",
            "SCardEndTransaction",
            "SCARD_SCOPE_USER",
            "SCardEstablishContext",
            "SCardGetErrorMessage",
            "SCardReleaseContext",
        ),
    },
)
