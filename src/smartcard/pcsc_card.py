# SPDX-License-Identifier: LGPL-2.1-or-later
"""A connected card, bytes first: the new card API over PC/SC.

Open one with :func:`smartcard.connecting.connect`::

    from smartcard.connecting import connect

    with connect() as card:                      # first reader holding a card
        card.transmit(SELECT).check()
        with card.transaction():
            data = card.send(0x00, 0xB0, 0x00, 0x00, le=0).check().data

``transmit`` goes straight to ``SCardTransmit`` with the caller's bytes; the
ISO 7816 transport (61xx, 6Cxx, chaining, see
:mod:`smartcard.iso7816.transport`) only runs when the card asks for it.
"""

from __future__ import annotations

from contextlib import contextmanager
from types import TracebackType
from typing import Iterator, Type

from smartcard._log import LazyLogger
from smartcard._pcsc.exceptions import CardConnectionException
from smartcard._pcsc.failures import card_failure
from smartcard._pcsc.handle import NO_HANDLE, CardHandle, pci_for
from smartcard.iso7816._checks import BytesLike, as_bytes, as_command, check_int
from smartcard.iso7816.apdu import build_command
from smartcard.iso7816.channels import LogicalChannel, open_channel
from smartcard.iso7816.errors import TransportError
from smartcard.iso7816.response import Response
from smartcard.iso7816.transport import (
    FOLLOW_UP_SW1,
    TransportOptions,
    complete_response,
    final_answer,
    follow_up,
    send_command,
)
from smartcard.pcsc_enums import Disposition, Protocol, ShareMode, enum_argument

__all__ = ["PCSCCard", "pcsc_failure"]

_log = LazyLogger("smartcard")

_new_response = tuple.__new__  # Response(...) without NamedTuple's Python-level __new__


def pcsc_failure(action: str, hresult: int) -> CardConnectionException:
    """The exception for a failed PC/SC call; its message explains ``hresult``."""
    return card_failure(action, hresult)


class PCSCCard:
    """A connection to the card in one reader; create it with ``connect()``.

    Attributes: ``reader`` (name), ``share`` (:class:`ShareMode`),
    ``protocol`` (the active :class:`Protocol`), ``disposition`` (what
    :meth:`close` does to the card), ``options`` (the
    :class:`~smartcard.iso7816.transport.TransportOptions`). Use the object
    from one thread at a time (the asyncio API serializes for you).
    """

    __slots__ = (
        "share",
        "protocol",
        "disposition",
        "options",
        "_atr",
        "_handle",
        "_pci",
        "_transmit_bytes",
        "_hcard",
        "_closed",
    )

    def __init__(
        self,
        handle: CardHandle,
        share: ShareMode,
        disposition: Disposition,
        options: TransportOptions,
    ) -> None:
        # Takes ownership of the connected handle and its context (see connect()).
        self.share = share
        self.disposition = disposition
        self.options = options
        self._handle = handle
        self._closed = False
        self._transmit_bytes = handle.api.SCardTransmitBytes
        self._hcard = handle.hcard  # copied from the handle after each (re)connect and close
        self.protocol = Protocol(handle.protocol)
        self._pci = pci_for(self.protocol)
        self._atr = b""
        if handle.connected and share != ShareMode.DIRECT:
            self._atr = bytes(handle.atr())

    @property
    def reader(self) -> str:
        """The reader's name."""
        return self._handle.reader

    # ----------------------------------------------------------- exchanges

    def transmit(self, apdu: BytesLike) -> Response:
        """Send a command APDU (any bytes-like object, at least 4 bytes); return the response.

        61xx and 6Cxx answers are followed up as ``options`` say, so the
        response holds all the data and the final status word.
        """
        # The hot path, hence its shape. The extension takes bytes-like
        # objects and lists of ints as they are; anything short or without
        # len() is checked here, so errors name this method's argument.
        try:
            if len(apdu) < 4:
                apdu = as_command("apdu", apdu)
        except TypeError:
            apdu = as_command("apdu", apdu)
        hresult, raw = self._transmit_bytes(self._hcard, self._pci, apdu)
        # None for a failed call too (raw is empty then).
        response = final_answer(raw, FOLLOW_UP_SW1, Response)
        if response is not None:
            return response
        if hresult:
            raise self._failure("transmit", hresult)
        return complete_response(self.exchange, bytes(apdu), raw, self.options)

    def send(
        self, cla: int, ins: int, p1: int, p2: int, data: BytesLike = b"", le: int | None = None
    ) -> Response:
        """Build and send a command APDU; ``le=None`` for no Le, ``le=0`` for all available.

        Long data goes in an extended APDU or a chain, as ``options`` say;
        invalid fields raise TypeError/ValueError before anything is sent.
        """
        data_out, sw = send_command(
            self.exchange, build_command(cla, ins, p1, p2, data, le), self.options
        )
        return _new_response(Response, (data_out, sw))

    def _follow_up(self, apdu: BytesLike, response: bytes) -> Response:
        data, sw = follow_up(self.exchange, bytes(apdu), response, self.options)
        return _new_response(Response, (data, sw))

    def exchange(self, apdu: BytesLike) -> bytes:
        """Send ``apdu`` as is and return the card's raw answer (data and SW1 SW2).

        No ISO 7816 transport: 61xx and 6Cxx come back as they are. For
        tools that show or script each exchange, such as ``pyscard send``.
        An answer without a status word raises :class:`TransportError`.
        """
        self._check_open("transmit")
        response = bytes(self._handle.transmit(self._pci, apdu))
        if len(response) < 2:
            raise TransportError(
                f"card returned {len(response)} byte(s), a response needs at least SW1 SW2"
            )
        return response

    def control(self, code: int, data: BytesLike = b"") -> bytes:
        """Send a reader control (IOCTL) command; return the reader's answer."""
        check_int("code", code, 0, 0xFFFFFFFF)
        payload = as_bytes("data", data)
        self._check_open(f"send control code 0x{code:X}")
        return bytes(self._handle.control(code, payload))

    def get_attribute(self, attribute: int) -> bytes:
        """Read a reader attribute (``smartcard.scard.SCARD_ATTR_*``)."""
        check_int("attribute", attribute, 0, 0xFFFFFFFF)
        self._check_open(f"read attribute 0x{attribute:X}")
        return bytes(self._handle.get_attribute(attribute))

    def open_channel(self, channel: int | None = None) -> LogicalChannel:
        """Open a logical channel with MANAGE CHANNEL (the card picks it unless ``channel``)."""
        return open_channel(self, channel)

    # ----------------------------------------------------------- transactions

    @contextmanager
    def transaction(self, end: Disposition = Disposition.LEAVE) -> Iterator[PCSCCard]:
        """``with card.transaction():`` holds a PC/SC transaction for the block.

        Other applications' connections wait until it ends; it ends on every
        path out of the block (``end`` says what to do to the card then). If
        the block raised, a failure to end the transaction is only logged.
        """
        end = enum_argument(Disposition, "end", end)
        self._check_open("begin a transaction")
        handle = self._handle
        handle.begin_transaction()
        try:
            yield self
        except BaseException:
            try:
                handle.end_transaction(end)
            except CardConnectionException as exc:
                _log.debug("ending a transaction after an error: %s", exc)
            raise
        handle.end_transaction(end)

    # ----------------------------------------------------------- state

    @property
    def atr(self) -> bytes:
        """The card's ATR (empty for a direct connection without a card)."""
        return self._atr

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has run."""
        return self._closed

    def reconnect(
        self,
        *,
        share: ShareMode | None = None,
        protocols: Protocol | None = None,
        initialization: Disposition = Disposition.RESET,
    ) -> None:
        """Reconnect to the card, by default after a warm reset (``initialization``).

        After pcscd restarted (the handle is stale) a new context and handle
        are obtained, so a long-lived PCSCCard outlives the restart.
        """
        if self._closed:
            raise CardConnectionException("the card connection is closed")
        share = enum_argument(ShareMode, "share", self.share if share is None else share)
        if protocols is not None:
            wanted = enum_argument(Protocol, "protocols", protocols)
        elif share == ShareMode.DIRECT:
            wanted = Protocol.UNDEFINED
        else:
            wanted = self.protocol or Protocol.ANY
        initialization = enum_argument(Disposition, "initialization", initialization)
        try:
            active = self._handle.reconnect(share, wanted, initialization)
        finally:
            self._hcard = self._handle.hcard
        self.share = share
        self.protocol = Protocol(active)
        self._pci = pci_for(self.protocol)
        self._atr = bytes(self._handle.atr()) if share != ShareMode.DIRECT else b""

    def close(self, disposition: Disposition | None = None) -> None:
        """Disconnect (applying ``disposition``, default :attr:`disposition`) and free the context.

        Closing twice does nothing. A handle that died with pcscd is just
        forgotten: there is nothing left to disconnect.
        """
        if self._closed:
            return
        how = enum_argument(
            Disposition, "disposition", self.disposition if disposition is None else disposition
        )
        self._closed = True
        self._hcard = NO_HANDLE
        self._handle.close(how)

    def _check_open(self, action: str) -> None:
        if self._closed:
            raise self._failure(action, 0)

    def _failure(self, action: str, hresult: int) -> CardConnectionException:
        if self._closed:
            return CardConnectionException(f"cannot {action}: the card connection is closed")
        return card_failure(action, hresult)

    def __enter__(self) -> PCSCCard:
        return self

    def __exit__(
        self,
        exc_type: Type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc is None:
            self.close()
            return
        try:
            self.close()
        except Exception:
            _log.debug("closing the card after an error failed", exc_info=True)

    def __del__(self) -> None:
        # Leaked connections hold a pcscd context each; give them back.
        try:
            if not self._closed:
                self.close()
        except Exception:  # noqa: BLE001 - never raise from __del__
            pass

    def __repr__(self) -> str:
        state = "closed" if self._closed else self.protocol.name
        return f"<PCSCCard {self.reader!r} {state} atr={self._atr.hex().upper()}>"
