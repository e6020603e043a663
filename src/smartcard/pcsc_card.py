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
from typing import Callable, Iterator, List, Tuple, Type, cast

from smartcard import scard
from smartcard._log import LazyLogger
from smartcard._pcsc.exceptions import CardConnectionException, CardNotPresentException
from smartcard.iso7816._checks import BytesLike, as_bytes, check_int
from smartcard.iso7816.apdu import build_command
from smartcard.iso7816.channels import LogicalChannel, open_channel
from smartcard.iso7816.errors import TransportError
from smartcard.iso7816.response import Response
from smartcard.iso7816.transport import TransportOptions, follow_up, send_command
from smartcard._pcsc.errors import explain
from smartcard.pcsc.PCSCContext import establish_context, release_context
from smartcard.pcsc_enums import Disposition, Protocol, ShareMode, enum_argument

__all__ = ["PCSCCard"]

_log = LazyLogger("smartcard")

# The stub types every result as a list of unions; these are the shapes the calls return.
_transmit = cast("Callable[[int, int, object], Tuple[int, List[int]]]", scard.SCardTransmit)
_control = cast("Callable[[int, int, bytes], Tuple[int, List[int]]]", scard.SCardControl)
_get_attrib = scard.SCardGetAttrib
_status = scard.SCardStatus
_transmit_response = cast(
    "Callable[[int, int, object, type], object]",
    scard._scard._transmit_response,  # type: ignore[attr-defined]
)
_new_response = tuple.__new__  # Response(...) without NamedTuple's Python-level __new__

# Active protocol -> what SCardTransmit takes for it.
_PCI = {
    Protocol.T0: scard.SCARD_PCI_T0,
    Protocol.T1: scard.SCARD_PCI_T1,
    Protocol.RAW: scard.SCARD_PCI_RAW,
}
_NO_CARD = (scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD)
# A handle or context that died with pcscd: reconnect() starts over with a new context.
_STALE = (
    scard.SCARD_E_INVALID_HANDLE,
    scard.SCARD_E_NO_SERVICE,
    scard.SCARD_E_SERVICE_STOPPED,
    scard.SCARD_F_COMM_ERROR,
    scard.SCARD_E_READER_UNAVAILABLE,
)
_CLOSED_HANDLE = 0  # never a valid handle: calls on a closed card fail in PC/SC, not here


def _bad_apdu(exc: Exception) -> Exception:
    # The native layer's messages do not say which argument was wrong.
    if str(exc).startswith("apdu"):
        return exc
    return type(exc)(f"apdu must be a bytes-like object (or a list of ints 0..255): {exc}")


def pcsc_failure(action: str, hresult: int) -> CardConnectionException:
    """The exception for a failed PC/SC call; its message explains ``hresult``."""
    if hresult in _NO_CARD:
        return CardNotPresentException(f"cannot {action}", hresult)
    return CardConnectionException(f"cannot {action}", hresult=hresult)


class PCSCCard:
    """A connection to the card in one reader; create it with ``connect()``.

    Attributes: ``reader`` (name), ``share`` (:class:`ShareMode`),
    ``protocol`` (the active :class:`Protocol`), ``disposition`` (what
    :meth:`close` does to the card), ``options`` (the
    :class:`~smartcard.iso7816.transport.TransportOptions`). Use the object
    from one thread at a time (the asyncio API serializes for you).
    """

    __slots__ = (
        "reader",
        "share",
        "protocol",
        "disposition",
        "options",
        "_atr",
        "_hcontext",
        "_hcard",
        "_pci",
        "_closed",
    )

    def __init__(
        self,
        hcontext: int,
        hcard: int,
        reader: str,
        share: ShareMode,
        protocol: int,
        disposition: Disposition,
        options: TransportOptions,
    ) -> None:
        # Takes ownership of the context and card handles (see connect()).
        self.reader = reader
        self.share = share
        self.disposition = disposition
        self.options = options
        self._hcontext: int | None = hcontext
        self._hcard = hcard
        self._closed = False
        self.protocol = Protocol(protocol)
        self._pci = _PCI.get(self.protocol, scard.SCARD_PCI_T1)
        self._atr = b""
        if hcard != _CLOSED_HANDLE and share != ShareMode.DIRECT:
            self._atr = self._read_atr()

    # ----------------------------------------------------------- exchanges

    def transmit(self, apdu: BytesLike) -> Response:
        """Send a command APDU (any bytes-like object, at least 4 bytes); return the response.

        61xx and 6Cxx answers are followed up as ``options`` say, so the
        response holds all the data and the final status word.
        """
        try:
            # One C call checks the APDU, sends it and builds the Response;
            # it returns the result code of a failed call instead, or the raw
            # answer when it is too short or announces 61xx / 6Cxx.
            result = _transmit_response(self._hcard, self._pci, apdu, Response)
        except (TypeError, ValueError) as exc:
            raise _bad_apdu(exc) from None
        if result.__class__ is Response:
            return result
        return self._unusual_answer(apdu, result)

    def _unusual_answer(self, apdu: BytesLike, result: object) -> Response:
        if isinstance(result, int):
            raise self._failure("transmit", result)
        assert isinstance(result, bytes)
        if len(result) < 2:
            raise TransportError("card returned less than a status word (SW1 SW2)")
        return self._follow_up(apdu, result)

    def send(
        self, cla: int, ins: int, p1: int, p2: int, data: BytesLike = b"", le: int | None = None
    ) -> Response:
        """Build and send a command APDU; ``le=None`` for no Le, ``le=0`` for all available.

        Long data goes in an extended APDU or a chain, as ``options`` say;
        invalid fields raise TypeError/ValueError before anything is sent.
        """
        data_out, sw = send_command(
            self._exchange, build_command(cla, ins, p1, p2, data, le), self.options
        )
        return _new_response(Response, (data_out, sw))

    def _follow_up(self, apdu: BytesLike, response: bytes) -> Response:
        data, sw = follow_up(self._exchange, bytes(apdu), response, self.options)
        return _new_response(Response, (data, sw))

    def _exchange(self, apdu: bytes) -> bytes:
        hresult, response = _transmit(self._hcard, self._pci, apdu)
        if hresult:
            raise self._failure("transmit", hresult)
        return bytes(response)

    def control(self, code: int, data: BytesLike = b"") -> bytes:
        """Send a reader control (IOCTL) command; return the reader's answer."""
        check_int("code", code, 0, 0xFFFFFFFF)
        payload = as_bytes("data", data)
        hresult, response = _control(self._hcard, code, payload)
        if hresult:
            raise self._failure(f"send control code 0x{code:X}", hresult)
        return bytes(response)

    def get_attribute(self, attribute: int) -> bytes:
        """Read a reader attribute (``smartcard.scard.SCARD_ATTR_*``)."""
        check_int("attribute", attribute, 0, 0xFFFFFFFF)
        hresult, value = _get_attrib(self._hcard, attribute)
        if hresult:
            raise self._failure(f"read attribute 0x{attribute:X}", hresult)
        return bytes(value)

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
        hresult = scard.SCardBeginTransaction(self._hcard)
        if hresult:
            raise self._failure("begin a transaction", hresult)
        try:
            yield self
        except BaseException:
            hresult = scard.SCardEndTransaction(self._hcard, end)
            if hresult:
                _log.debug("ending a transaction after an error: %s", explain(hresult, False))
            raise
        hresult = scard.SCardEndTransaction(self._hcard, end)
        if hresult:
            raise self._failure("end the transaction", hresult)

    # ----------------------------------------------------------- state

    @property
    def atr(self) -> bytes:
        """The card's ATR (empty for a direct connection without a card)."""
        return self._atr

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has run."""
        return self._closed

    def _read_atr(self) -> bytes:
        hresult, _reader, _state, _protocol, atr = _status(self._hcard)
        if hresult:
            raise self._failure("read the card status", hresult)
        return bytes(atr)

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
        hresult, active = scard.SCardReconnect(self._hcard, share, wanted, initialization)
        if hresult in _STALE:
            _log.info("card handle is stale (%s); connecting anew", explain(hresult, False))
            self._connect_anew(share, wanted)
            return
        if hresult:
            raise self._failure("reconnect", hresult)
        self._adopt(share, active)

    def _connect_anew(self, share: ShareMode, wanted: Protocol) -> None:
        old, self._hcontext = self._hcontext, None
        if old is not None:
            release_context(old)
        self._hcard = _CLOSED_HANDLE
        self._hcontext = establish_context(for_connection=True)
        hresult, hcard, active = scard.SCardConnect(self._hcontext, self.reader, share, wanted)
        if hresult:
            raise self._failure(f"connect to {self.reader!r}", hresult)
        self._hcard = hcard
        self._adopt(share, active)

    def _adopt(self, share: ShareMode, active: int) -> None:
        self.share = share
        self.protocol = Protocol(active)
        self._pci = _PCI.get(self.protocol, scard.SCARD_PCI_T1)
        self._atr = self._read_atr() if share != ShareMode.DIRECT else b""

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
        hcard, self._hcard = self._hcard, _CLOSED_HANDLE
        hcontext, self._hcontext = self._hcontext, None
        try:
            if hcard != _CLOSED_HANDLE:
                hresult = scard.SCardDisconnect(hcard, how)
                if hresult and hresult not in _STALE and hresult not in _NO_CARD:
                    raise pcsc_failure("disconnect", hresult)
        finally:
            if hcontext is not None:
                release_context(hcontext)

    def _failure(self, action: str, hresult: int) -> CardConnectionException:
        if self._closed:
            return CardConnectionException(f"cannot {action}: the card connection is closed")
        return pcsc_failure(f"{action} ({self.reader})", hresult)

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
