# SPDX-License-Identifier: LGPL-2.1-or-later
"""Abstract card connection: connect, exchange APDUs, notify observers.

Concrete connections (``PCSCCardConnection``) implement the ``do*`` methods;
this class adds observer notification and status-word error checking around
them.  ``transmit()`` is on every application's hot path, so it does no
observer work at all unless an observer is registered.
"""

from __future__ import annotations

from smartcard.CardConnectionEvent import CardConnectionEvent
from smartcard.Observer import Observable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from contextlib import AbstractContextManager
    from types import TracebackType
    from typing import Any

__all__ = ["CardConnection"]


class CardConnection(Observable):
    """A connection to the card in one reader (abstract)."""

    T0_protocol = 0x00000001
    """T=0, character protocol."""
    T1_protocol = 0x00000002
    """T=1, block protocol."""
    RAW_protocol = 0x00010000
    """Raw access to the reader, no card protocol."""
    T15_protocol = 0x00000008
    """T=15 (protocol negotiation only)."""

    def __init__(self, reader: Any) -> None:
        Observable.__init__(self)
        self.reader = reader
        """The reader (name) this connection goes through."""
        # Items are ErrorCheckingChain links in practice; typed loosely because
        # control() and getAttrib() call the first one with the data alone,
        # as pyscard does (a link then raises TypeError).
        self.errorcheckingchain: list[Any] | None = None
        """See :meth:`setErrorCheckingChain`."""
        self.defaultprotocol = CardConnection.T0_protocol | CardConnection.T1_protocol
        """Protocol mask used when a call gives none; the active protocol once connected."""

    # -- observers ---------------------------------------------------------
    # Observable keeps the registered observers in ``self.obs``; the hot
    # paths test that list's truthiness so that, with no observer, no event
    # object is built and no lock is taken.

    def addObserver(self, observer: Any) -> None:
        """Register a :class:`CardConnectionObserver`."""
        Observable.addObserver(self, observer)

    def deleteObserver(self, observer: Any) -> None:
        """Unregister an observer."""
        Observable.deleteObserver(self, observer)

    def _notify(self, event_type: str, args: Any = None) -> None:
        if not self.obs:
            return
        # Not setChanged() + notifyObservers(): two threads sharing a
        # connection could interleave them and one event would be dropped
        # (the second notify finds the flag already cleared).  Snapshot the
        # observers under the lock, call them outside it, as Observable does.
        event = CardConnectionEvent(event_type, args)
        with self.mutex:
            observers = list(self.obs)
        for observer in observers:
            observer.update(self, event)

    # -- status word checking ----------------------------------------------

    def addSWExceptionToFilter(self, exClass: type) -> None:
        """Stop the error checking chain from raising ``exClass`` (e.g. a warning class)."""
        if self.errorcheckingchain is not None:
            self.errorcheckingchain[0].addFilterException(exClass)

    def setErrorCheckingChain(self, errorcheckingchain: list[Any] | None) -> None:
        """Check every response with ``errorcheckingchain[0]`` (a
        ``smartcard.sw.ErrorCheckingChain``), which raises on error status words."""
        self.errorcheckingchain = errorcheckingchain

    # -- lifecycle (concrete classes do the work, then call these) ----------

    def connect(
        self, protocol: int | None = None, mode: int | None = None, disposition: int | None = None
    ) -> None:
        """Connect to the card.

        ``protocol`` is a mask of the ``*_protocol`` constants (default T=0 or
        T=1); ``mode`` a ``SCARD_SHARE_*`` value (default shared);
        ``disposition`` what ``disconnect()`` does to the card, a
        ``SCARD_*_CARD`` value (default unpower).
        """
        self._notify("connect")

    def reconnect(
        self, protocol: int | None = None, mode: int | None = None, disposition: int | None = None
    ) -> None:
        """Reconnect to the card; ``disposition`` (default: reset) is applied to the card now."""
        self._notify("reconnect")

    def disconnect(self) -> None:
        """Disconnect from the card; harmless when not connected."""
        self._notify("disconnect")

    def release(self) -> None:
        """Release the connection's resources; it cannot be connected again afterwards."""
        self._notify("release")

    def getATR(self) -> list[int] | None:
        """The card's ATR as a list of bytes."""
        return None

    def getProtocol(self) -> int:
        """Mask of the protocol in use (or the default mask before connecting)."""
        return self.defaultprotocol

    def setProtocol(self, protocol: int) -> None:
        """Set the protocol mask used when ``transmit()``/``connect()`` get none."""
        self.defaultprotocol = protocol

    def getReader(self) -> Any:
        """The reader this connection goes through."""
        return self.reader

    # -- exchanges -----------------------------------------------------------

    def transmit(self, command: Any, protocol: int | None = None) -> tuple[list[int], int, int]:
        """Send an APDU; return ``(data, sw1, sw2)``.

        ``command`` is a list of byte values or any bytes-like object;
        ``protocol`` one of ``T0_protocol``, ``T1_protocol``, ``RAW_protocol``
        (default: the connection's protocol).
        """
        if self.obs:
            self._notify("command", [command, protocol])
            data, sw1, sw2 = self.doTransmit(command, protocol)
            self._notify("response", [data, sw1, sw2])
        else:
            data, sw1, sw2 = self.doTransmit(command, protocol)
        if self.errorcheckingchain is not None:
            self.errorcheckingchain[0](data, sw1, sw2)
        return data, sw1, sw2

    def doTransmit(self, command: Any, protocol: int | None) -> tuple[list[int], int, int]:
        """Exchange one APDU with the card; concrete connections implement it."""
        return [], 0, 0

    def control(self, controlCode: int, command: Any = None) -> list[int]:
        """Send a control (IOCTL) command to the reader; return its response bytes."""
        if command is None:
            command = []
        self._notify("command", [controlCode, command])
        data = self.doControl(controlCode, command)
        self._notify("response", data)
        if self.errorcheckingchain is not None:
            self.errorcheckingchain[0](data)
        return data

    def doControl(self, controlCode: int, command: Any) -> list[int]:
        """Send one control command; concrete connections implement it."""
        return []

    def getAttrib(self, attribId: int) -> list[int]:
        """Read a reader attribute, e.g. ``smartcard.scard.SCARD_ATTR_VENDOR_NAME``."""
        self._notify("attrib", [attribId])
        data = self.doGetAttrib(attribId)
        if self.errorcheckingchain is not None:
            self.errorcheckingchain[0](data)
        return data

    def doGetAttrib(self, attribId: int) -> list[int]:
        """Read one attribute; concrete connections implement it."""
        return []

    # -- transactions --------------------------------------------------------

    def transaction(self) -> AbstractContextManager[CardConnection]:
        """``with connection.transaction():`` holds a PC/SC transaction for the block.

        Other connections to the card wait until the block ends; the
        transaction is ended on every path out of the block, exceptions
        included.
        """
        return _Transaction(self)

    def beginTransaction(self) -> None:
        """Start a transaction (concrete connections implement it)."""

    def endTransaction(self) -> None:
        """End a transaction (concrete connections implement it)."""

    def _end_transaction_quietly(self) -> None:
        # The block's own exception is the one worth reporting; a failure to
        # end the transaction (card removed, say) must not replace it.
        try:
            self.endTransaction()
        except Exception:  # noqa: BLE001
            from smartcard._log import LazyLogger

            LazyLogger("smartcard").debug(
                "ending a transaction after an error failed", exc_info=True
            )

    # -- context manager -----------------------------------------------------

    def __enter__(self) -> CardConnection:
        return self

    def __exit__(self, e_type: Any, value: Any, traceback: Any) -> None:
        self.disconnect()

    def __del__(self) -> None:
        """Nothing to free here; concrete connections release their handles."""


class _Transaction:
    """What :meth:`CardConnection.transaction` returns: begins on entry, ends on exit.

    A plain class rather than ``contextlib.contextmanager``, whose import
    would cost more than this whole module.
    """

    __slots__ = ("_connection",)

    def __init__(self, connection: CardConnection) -> None:
        self._connection = connection

    def __enter__(self) -> CardConnection:
        self._connection.beginTransaction()
        return self._connection

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self._connection.endTransaction()
        else:
            # The block's exception propagates; ending must not replace it.
            self._connection._end_transaction_quietly()
