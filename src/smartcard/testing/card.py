# SPDX-License-Identifier: LGPL-2.1-or-later
"""An emulated smart card that plugs into a vpcd virtual reader over TCP.

vpcd (the pcscd reader driver of the vsmartcard project) listens on a TCP port
per reader slot; the card is the TCP client. Every message, both ways, is a
2-byte big-endian length followed by the payload. From the reader, a 1-byte
payload is a control code (see ``CTRL_*``) and anything longer is a command
APDU. The card answers ATR requests with its ATR and APDUs with a response
APDU; power and reset codes get no answer. Closing the connection is removing
the card.
"""

from __future__ import annotations

import socket
import struct
import threading
from typing import TYPE_CHECKING, Callable, List

from smartcard.testing.applet import DEFAULT_AID, DemoApplet
from smartcard.testing.t0 import T0Emulation

if TYPE_CHECKING:
    from smartcard.testing.replay.fake import Source
    from smartcard.testing.replay.virtual import ReplayCard

CTRL_POWER_OFF = 0
CTRL_POWER_ON = 1
CTRL_RESET = 2
CTRL_ATR = 4

_HISTORICAL = b"pyscard"


def _with_tck(atr: bytes) -> bytes:
    tck = 0
    for byte in atr[1:]:
        tck ^= byte
    return atr + bytes((tck,))


#: Direct convention, TD1 announces T=1 only, historical bytes "pyscard", then TCK.
ATR_T1 = _with_tck(bytes((0x3B, 0x80 | len(_HISTORICAL), 0x01)) + _HISTORICAL)
#: Direct convention, no interface bytes (so T=0 only, and no TCK), same historical bytes.
ATR_T0 = bytes((0x3B, len(_HISTORICAL))) + _HISTORICAL

# The status word sent when a handler fails, so the host sees an error, not a hang.
_SW_HANDLER_FAILED = b"\x6f\x00"
_MAX_FRAME = 0xFFFF

#: ``connect(port, timeout) -> socket``: how :meth:`VirtualCard.insert` reaches a reader.
Connector = Callable[[int, float], socket.socket]


class VirtualCard:
    """An emulated card, inserted into a vpcd reader with :meth:`insert`.

    ``handler`` maps each command APDU (bytes) to a response APDU (data then
    SW1 SW2, 2 to 65535 bytes). By default it is a :class:`DemoApplet` for
    ``aid``. If the handler has a callable ``reset`` attribute, it is called
    whenever the reader powers the card on or off or resets it. A handler
    that raises, or returns something that is not a valid response, makes the
    card answer ``6F 00``; the exception is kept in :attr:`errors`.

    ``t0_get_response`` and ``t0_wrong_le`` wrap the handler in
    :class:`T0Emulation` (61xx + GET RESPONSE, and 6Cxx for a wrong Le). If
    either is set and no ``atr`` is given, the ATR is :data:`ATR_T0`, else
    :data:`ATR_T1`.

    The card serves the reader in a daemon thread. It records what it receives
    (:attr:`apdus`, :attr:`responses`, the ``*_count`` properties) for test
    assertions; all methods may be called from any thread. Power and reset
    events get no answer, so they may be counted a moment after the PC/SC call
    that caused them returns: use :meth:`wait_for` for those.
    """

    def __init__(
        self,
        atr: bytes | None = None,
        handler: Callable[[bytes], bytes] | None = None,
        *,
        aid: bytes = DEFAULT_AID,
        t0_get_response: bool = False,
        t0_wrong_le: bool = False,
    ) -> None:
        t0 = t0_get_response or t0_wrong_le
        if atr is None:
            atr = ATR_T0 if t0 else ATR_T1
        if not 2 <= len(atr) <= 33:
            raise ValueError(f"an ATR has 2 to 33 bytes, not {len(atr)}")
        self.atr = bytes(atr)
        inner = handler if handler is not None else DemoApplet(aid)
        if t0:
            inner = T0Emulation(inner, get_response=t0_get_response, wrong_le=t0_wrong_le)
        self.handler: Callable[[bytes], bytes] = inner

        # Reentrant so that wait_for() predicates may read the properties.
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        # Held while a frame is being sent, so remove() never half-closes mid-frame.
        self._send_lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._port: int | None = None
        self._removing = False
        self._closed = threading.Event()
        self._closed.set()
        self._powered_atr = threading.Event()
        self._power_on_pending = False
        self._apdus: List[bytes] = []
        self._responses: List[bytes] = []
        self._errors: List[BaseException] = []
        self._counts = {CTRL_POWER_OFF: 0, CTRL_POWER_ON: 0, CTRL_RESET: 0, CTRL_ATR: 0}

    @classmethod
    def from_recording(
        cls, source: Source, reader: str | None = None, mode: str = "strict"
    ) -> ReplayCard:
        """A card answering as the one in ``reader`` of a recording did.

        See :mod:`smartcard.recording` for recording.

        ``source`` is a recording file (or a read one); ``reader`` defaults to
        the first reader that exchanged APDUs; ``mode`` is ``"strict"`` (the
        recorded commands in order) or ``"lookup"`` (any order).
        """
        from smartcard.testing.replay.virtual import card_from_recording

        return card_from_recording(source, reader, mode)

    # ----------------------------------------------------------------- records

    @property
    def apdus(self) -> List[bytes]:
        """Copy of the command APDUs received so far, oldest first."""
        with self._lock:
            return list(self._apdus)

    @property
    def responses(self) -> List[bytes]:
        """Copy of the response APDUs sent so far, in the order of :attr:`apdus`."""
        with self._lock:
            return list(self._responses)

    @property
    def errors(self) -> List[BaseException]:
        """Exceptions raised by the handler (each answered with ``6F 00``)."""
        with self._lock:
            return list(self._errors)

    @property
    def power_on_count(self) -> int:
        """How many times the reader powered the card on."""
        with self._lock:
            return self._counts[CTRL_POWER_ON]

    @property
    def power_off_count(self) -> int:
        """How many times the reader powered the card off."""
        with self._lock:
            return self._counts[CTRL_POWER_OFF]

    @property
    def reset_count(self) -> int:
        """How many times the reader reset the card (warm reset)."""
        with self._lock:
            return self._counts[CTRL_RESET]

    @property
    def atr_request_count(self) -> int:
        """How many times the reader asked for the ATR (vpcd also does so to poll presence)."""
        with self._lock:
            return self._counts[CTRL_ATR]

    def wait_for(self, predicate: Callable[[VirtualCard], bool], timeout: float = 5.0) -> None:
        """Wait until ``predicate(card)`` is true; raise TimeoutError after ``timeout`` s.

        The reader expects no answer to power on/off and reset, so the PC/SC
        call that caused one may return before the card has counted it::

            card.wait_for(lambda c: c.power_off_count > before)
        """
        with self._changed:
            if not self._changed.wait_for(lambda: predicate(self), timeout):
                raise TimeoutError(f"card condition not met within {timeout} s")

    def clear_history(self) -> None:
        """Forget the recorded APDUs, responses, errors and counts."""
        with self._lock:
            self._apdus.clear()
            self._responses.clear()
            self._errors.clear()
            for key in self._counts:
                self._counts[key] = 0

    # ---------------------------------------------------------------- lifecycle

    @property
    def is_inserted(self) -> bool:
        """True while the card has a live connection to a reader."""
        return not self._closed.is_set()

    @property
    def is_ready(self) -> bool:
        """True once the reader has powered the card and read its ATR (pcscd sees it)."""
        return self.is_inserted and self._powered_atr.is_set()

    @property
    def port(self) -> int | None:
        """The reader port the card is (or was last) inserted into."""
        return self._port

    def insert(
        self,
        port: int,
        *,
        host: str = "127.0.0.1",
        wait: bool = True,
        timeout: float = 5.0,
        connect: Connector | None = None,
    ) -> None:
        """Insert the card into the vpcd reader listening on ``host:port``.

        ``connect(port, timeout)``, if given, makes the connection instead (and
        ``host`` is ignored): it must return a connected TCP socket. A
        :class:`~smartcard.testing.PrivatePCSCD`'s readers are reachable only
        that way, through its :meth:`~smartcard.testing.PrivatePCSCD.connect_reader`.

        With ``wait``, return only once the reader has powered the card and
        read its ATR, the last step before pcscd reports the card present. If
        that takes longer than ``timeout`` seconds (vpcd looks for new cards
        every 400 ms), pull the card out again and raise TimeoutError.
        """
        with self._lock:
            if not self._closed.is_set():
                raise RuntimeError(f"card is already inserted (port {self._port})")
            if connect is None:
                where = f"{host}:{port}"
            else:
                where = f"port {port} through {getattr(connect, '__qualname__', connect)}"
            try:
                if connect is None:
                    sock = socket.create_connection((host, port), timeout=timeout)
                else:
                    sock = connect(port, timeout)
            except OSError as exc:
                raise ConnectionError(
                    f"cannot reach a vpcd reader at {where} (is pcscd running?): {exc}"
                ) from exc
            sock.settimeout(None)
            # Without this (and quick ACKs, see _recv_frame) each exchange waits ~40 ms.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._sock = sock
            self._port = port
            self._removing = False
            self._power_on_pending = False
            self._powered_atr.clear()
            self._closed.clear()
            self._thread = threading.Thread(
                target=self._serve, args=(sock,), name=f"VirtualCard:{port}", daemon=True
            )
            self._thread.start()
        if wait:
            try:
                self.wait_ready(timeout)
            except TimeoutError:
                try:
                    self.remove(1.0)
                except TimeoutError:
                    pass
                raise

    def wait_ready(self, timeout: float = 5.0) -> None:
        """Wait until the reader has powered the card on and read its ATR."""
        if self._powered_atr.wait(timeout):
            return
        state = "still connected" if self.is_inserted else "connection closed"
        raise TimeoutError(
            f"reader on port {self._port} did not power the card within {timeout} s ({state})"
        )

    def remove(self, timeout: float = 5.0) -> None:
        """Pull the card out; return once the reader has noticed.

        The card half-closes its connection and waits for vpcd to close its
        end, which vpcd does at its next presence poll, right before pcscd
        records the removal. If that takes longer than ``timeout`` seconds the
        connection is dropped anyway and TimeoutError is raised. Removing a
        card that is not inserted does nothing.
        """
        with self._lock:
            sock, thread = self._sock, self._thread
            if sock is None or thread is None:
                return
            self._removing = True
        with self._send_lock:
            try:
                sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass  # already disconnected by the reader
        if thread is threading.current_thread():
            return  # called by the handler: the serving loop ends after this APDU
        thread.join(timeout)
        if thread.is_alive():
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            thread.join(1.0)
            raise TimeoutError(
                f"reader on port {self._port} did not notice the removal within {timeout} s"
            )

    def __repr__(self) -> str:
        where = f"inserted in port {self._port}" if self.is_inserted else "not inserted"
        return f"<VirtualCard atr={self.atr.hex().upper()} {where}>"

    # ------------------------------------------------------------------ serving

    def _serve(self, sock: socket.socket) -> None:
        try:
            while True:
                frame = _recv_frame(sock)
                if frame is None:
                    return
                if self._removing:
                    continue  # just drain until vpcd closes its end
                if len(frame) > 1:
                    if not self._send(sock, self._transact(frame)):
                        return
                elif frame:
                    reply = self._control(frame[0])
                    if reply is None:
                        continue
                    if not self._send(sock, reply):
                        return
                    if self._power_on_pending:
                        # The ATR read that follows a power-on or reset is the
                        # last step before pcscd marks the card present.
                        self._power_on_pending = False
                        self._powered_atr.set()
        finally:
            with self._lock:
                self._sock = None
                self._thread = None
                sock.close()
                self._closed.set()
                self._changed.notify_all()

    def _control(self, code: int) -> bytes | None:
        with self._lock:
            if code in self._counts:
                self._counts[code] += 1
                self._changed.notify_all()
        if code == CTRL_ATR:
            return self.atr
        if code in (CTRL_POWER_ON, CTRL_RESET, CTRL_POWER_OFF):
            self._power_on_pending = code != CTRL_POWER_OFF
            reset = getattr(self.handler, "reset", None)
            if callable(reset):
                try:
                    reset()
                except Exception as exc:  # a handler bug must not kill the card
                    with self._lock:
                        self._errors.append(exc)
                        self._changed.notify_all()
        return None

    def _transact(self, apdu: bytes) -> bytes:
        try:
            response = bytes(self.handler(apdu))
            if not 2 <= len(response) <= _MAX_FRAME:
                raise ValueError(f"handler returned {len(response)} bytes, need 2..65535")
        except Exception as exc:  # reported through .errors, answered 6F00
            with self._lock:
                self._errors.append(exc)
            response = _SW_HANDLER_FAILED
        with self._lock:
            self._apdus.append(apdu)
            self._responses.append(response)
            self._changed.notify_all()
        return response

    def _send(self, sock: socket.socket, payload: bytes) -> bool:
        with self._send_lock:
            if self._removing:
                return True
            try:
                sock.sendall(struct.pack(">H", len(payload)) + payload)
            except OSError:
                return False
        return True


def _recv_exact(sock: socket.socket, size: int) -> bytes | None:
    buf = bytearray(size)
    view = memoryview(buf)
    got = 0
    while got < size:
        try:
            n = sock.recv_into(view[got:])
        except OSError:
            return None  # reset by the reader (e.g. pcscd exited)
        if n == 0:
            return None
        got += n
    return bytes(buf)


def _recv_frame(sock: socket.socket) -> bytes | None:
    quickack = getattr(socket, "TCP_QUICKACK", None)
    if quickack is not None:
        # Linux turns quick ACKs off again after a while, so set it before each read.
        try:
            sock.setsockopt(socket.IPPROTO_TCP, quickack, 1)
        except OSError:
            return None
    header = _recv_exact(sock, 2)
    if header is None:
        return None
    (size,) = struct.unpack(">H", header)
    return _recv_exact(sock, size) if size else b""
