# SPDX-License-Identifier: LGPL-2.1-or-later
"""Recording at the seam: a backend that passes every call on and writes what happened.

:class:`RecordingBackend` wraps the backend the library would have used, so
every path through the library is seen: the pyscard framework, the new API,
asyncio, the CLI and applications built on ``smartcard``. It writes one line
per event (see :mod:`smartcard._pcsc.record_format`) through a :class:`Recorder`.

Handles are numbered in the file (``"card": 1``) rather than written raw, so
two recordings of the same session read the same. Card insertions and
removals are read off the answers of ``SCardGetStatusChange``; the polls
themselves (and their timeouts) are not written.
"""

from __future__ import annotations

import datetime
import os
import threading
import time
from typing import IO, Any, Dict, Iterable, List, Sequence, Tuple

from smartcard._pcsc import extension as pcsc
from smartcard._pcsc.buffers import buffer_bytes
from smartcard._pcsc.record_format import (
    Event,
    Header,
    code_text,
    constant_name,
    hex_text,
    join_fields,
    masked_hex,
    protocols_text,
)
from smartcard._pcsc.redaction import Exchange, RedactionHook, Redactor, merge

TYPE_CHECKING = False
if TYPE_CHECKING:
    from smartcard._pcsc.backend import Backend

__all__ = [
    "ENV_PATH",
    "ENV_APPEND",
    "ENV_REDACT",
    "ENV_REDACT_PINS",
    "Recorder",
    "RecordingBackend",
    "from_environment",
]

#: The environment variable that switches recording on for a whole process.
ENV_PATH = "PYSCARD_RECORD"
#: Set (to 1) by ``pyscard record``: processes append to the file it created.
ENV_APPEND = "PYSCARD_RECORD_APPEND"
#: Redaction hooks as ``module:function`` names, comma-separated.
ENV_REDACT = "PYSCARD_RECORD_REDACT"
#: ``0`` turns the default PIN rules off (a test card whose PIN is public).
ENV_REDACT_PINS = "PYSCARD_RECORD_REDACT_PINS"

_OK = pcsc.SCARD_S_SUCCESS
# Answers of a status poll that say nothing about the readers.
_QUIET_POLL = {pcsc.SCARD_E_TIMEOUT, pcsc.SCARD_E_CANCELLED}
_PNP_READER = "\\\\?PnP?\\Notification"


class Recorder:
    """Writes a recording: the header, then events, one flushed line each, from any thread."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        hooks: Iterable[RedactionHook] = (),
        redact_pins: bool = True,
        append: bool = False,
    ) -> None:
        self.path = os.fspath(path)
        self.redactor = Redactor(hooks, defaults=redact_pins)
        self._lock = threading.Lock()
        if not append:
            open(self.path, "w").close()
        # Always appended to, so a child process appending meanwhile (see
        # from_environment) never has its lines overwritten.
        self._file: IO[str] | None = open(self.path, "a", encoding="utf-8")
        self._start = time.monotonic()
        started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        with self._lock:
            self._write(Header(started, self.redactor.rules).to_json())

    def event(self, kind: str, pairs: Sequence[Tuple[str, Any]]) -> None:
        """Write one event; fields whose value is None are left out."""
        fields = join_fields(pairs)
        with self._lock:
            # The time is read under the lock, so that lines are in time order.
            self._write(Event(kind, time.monotonic() - self._start, fields).to_json())

    def _write(self, line: str) -> None:
        # The lock is held.
        if self._file is None:
            return  # closed: calls still running on other threads go unrecorded
        # One write per line: processes appending to one file never interleave.
        self._file.write(line + "\n")
        self._file.flush()

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None

    @property
    def closed(self) -> bool:
        return self._file is None


def _error(result: int) -> str | None:
    return None if result == _OK else code_text(result)


class _Numbering:
    """Small numbers for raw handles, in order of appearance."""

    def __init__(self) -> None:
        self._numbers: Dict[int, int] = {}
        self._last = 0

    def new(self, raw: int) -> int:
        # Counted, not len(table) + 1: a raw handle PC/SC hands out again
        # after its disconnect replaces its entry, and must not make the next
        # handle share its number.
        self._last += 1
        self._numbers[raw] = self._last
        return self._last

    def __call__(self, raw: int) -> int | None:
        return self._numbers.get(raw)


class RecordingBackend:
    """A :class:`~smartcard._pcsc.backend.Backend` that records ``inner``'s calls to ``recorder``.

    Attributes it does not define (the ``SCARD_*`` constants the monitor
    engine reads from its binding) come from ``inner``.
    """

    def __init__(self, inner: Backend, recorder: Recorder) -> None:
        self.inner = inner
        self.recorder = recorder
        self._lock = threading.Lock()
        self._contexts = _Numbering()
        self._cards = _Numbering()
        self._readers: List[str] | None = None
        self._reader_error: int | None = None
        self._poll_error: int | None = None
        # reader -> (ATR of the card in it or None, its card event counter)
        self._seen: Dict[str, Tuple[bytes | None, int]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def _event(self, kind: str, *pairs: Tuple[str, Any]) -> None:
        self.recorder.event(kind, pairs)

    # -- contexts and readers ------------------------------------------------

    def SCardEstablishContext(self, scope: int, /) -> Any:
        result = self.inner.SCardEstablishContext(scope)
        with self._lock:
            number = self._contexts.new(result[1]) if result[0] == _OK else None
            self._event("establish", ("context", number),
                        ("scope", constant_name("SCARD_SCOPE_", scope)),
                        ("error", _error(result[0])))  # fmt: skip
        return result

    def SCardReleaseContext(self, hcontext: int, /) -> int:
        result: int = self.inner.SCardReleaseContext(hcontext)
        self._event("release", ("context", self._contexts(hcontext)), ("error", _error(result)))
        return result

    def SCardListReaders(self, hcontext: int, groups: Sequence[str], /) -> Any:
        result = self.inner.SCardListReaders(hcontext, groups)
        with self._lock:
            # Written when the answer changes: applications list readers often.
            if result[0] == _OK and result[1] != self._readers:
                self._readers, self._reader_error = list(result[1]), None
                self._event("readers", ("readers", self._readers))
            elif result[0] != _OK and result[0] != self._reader_error:
                self._readers, self._reader_error = None, result[0]
                self._event("readers", ("error", code_text(result[0])))
        return result

    def SCardGetStatusChange(self, hcontext: int, timeout: int, states: Sequence[Any], /) -> Any:
        result = self.inner.SCardGetStatusChange(hcontext, timeout, states)
        with self._lock:
            if result[0] == _OK:
                self._poll_error = None
                for name, event_state, atr in result[1]:
                    self._sighting(name, event_state, bytes(atr))
            elif result[0] not in _QUIET_POLL and result[0] != self._poll_error:
                self._poll_error = result[0]
                self._event("status_change", ("error", code_text(result[0])))
        return result

    def _sighting(self, reader: str, state: int, atr: bytes) -> None:
        if reader == _PNP_READER or state & pcsc.SCARD_STATE_UNKNOWN:
            return
        present = bool(state & pcsc.SCARD_STATE_PRESENT)
        now = atr if present else None
        # pcsc-lite and Windows count a reader's card events in the high word.
        counter = (state >> 16) & 0xFFFF
        if reader not in self._seen:
            self._seen[reader] = (now, counter)
            kind = "card_present" if present else "card_absent"
            self._event(kind, ("reader", reader), ("atr", hex_text(atr) if present else None))
            return
        before, counted = self._seen[reader]
        self._seen[reader] = (now, counter)
        # A card pulled and another (or the same) put in between two polls
        # shows only in the counter.
        swapped = now is not None and before is not None and counter != counted
        if before == now and not swapped:
            return
        if before is not None:
            self._event("card_removed", ("reader", reader))
        if now is not None:
            self._event("card_inserted", ("reader", reader), ("atr", hex_text(now)))

    def SCardConnect(self, hcontext: int, reader: str, share: int, protocols: int, /) -> Any:
        result = self.inner.SCardConnect(hcontext, reader, share, protocols)
        with self._lock:
            ok = result[0] == _OK
            self._event(
                "connect",
                ("reader", reader),
                ("share", constant_name("SCARD_SHARE_", share)),
                ("protocols", protocols_text(protocols)),
                ("card", self._cards.new(result[1]) if ok else None),
                ("protocol", protocols_text(result[2]) if ok else None),
                ("error", _error(result[0])),
            )
        return result

    def SCardReconnect(self, hcard: int, share: int, protocols: int, initialization: int, /) -> Any:
        result = self.inner.SCardReconnect(hcard, share, protocols, initialization)
        self._event(
            "reconnect",
            ("card", self._cards(hcard)),
            ("share", constant_name("SCARD_SHARE_", share)),
            ("protocols", protocols_text(protocols)),
            ("initialization", _disposition(initialization)),
            ("protocol", protocols_text(result[1]) if result[0] == _OK else None),
            ("error", _error(result[0])),
        )
        return result

    def SCardDisconnect(self, hcard: int, disposition: int, /) -> int:
        result: int = self.inner.SCardDisconnect(hcard, disposition)
        self._event("disconnect", ("card", self._cards(hcard)),
                    ("disposition", _disposition(disposition)),
                    ("error", _error(result)))  # fmt: skip
        return result

    def SCardStatus(self, hcard: int, /) -> Any:
        result = self.inner.SCardStatus(hcard)
        ok = result[0] == _OK
        self._event(
            "status",
            ("card", self._cards(hcard)),
            ("reader", result[1] if ok else None),
            ("state", result[2] if ok else None),
            ("protocol", protocols_text(result[3]) if ok else None),
            ("atr", hex_text(bytes(result[4])) if ok else None),
            ("error", _error(result[0])),
        )
        return result

    # -- exchanges -------------------------------------------------------------

    def _exchange(self, kind: str, hcard: int, command: bytes, result: int, response: bytes,
                  code: int | None = None) -> None:  # fmt: skip
        redactions = self.recorder.redactor.redact(Exchange(kind, command, response, code))
        masked_command, masked_response, reasons = merge(redactions)
        ok = result == _OK
        self._event(
            kind,
            ("card", self._cards(hcard)),
            ("code", None if code is None else f"0x{code:08X}"),
            ("command" if kind == "transmit" else "data", masked_hex(command, masked_command)),
            ("response", masked_hex(response, masked_response) if ok else None),
            ("error", _error(result)),
            ("redacted", reasons or None),
        )

    def SCardTransmit(self, hcard: int, pci: int, apdu: Any, /) -> Any:
        command = _as_bytes(apdu)
        result = self.inner.SCardTransmit(hcard, pci, apdu)
        self._exchange("transmit", hcard, command, result[0], bytes(result[1]))
        return result

    def SCardTransmitBytes(self, hcard: int, pci: int, apdu: Any, /) -> Tuple[int, bytes]:
        command = _as_bytes(apdu)
        result = self.inner.SCardTransmitBytes(hcard, pci, apdu)
        self._exchange("transmit", hcard, command, result[0], bytes(result[1]))
        return result

    def SCardControl(self, hcard: int, code: int, data: Any, /) -> Any:
        command = _as_bytes(data)
        result = self.inner.SCardControl(hcard, code, data)
        self._exchange("control", hcard, command, result[0], bytes(result[1]), code)
        return result

    def SCardGetAttrib(self, hcard: int, attribute: int, /) -> Any:
        result = self.inner.SCardGetAttrib(hcard, attribute)
        ok = result[0] == _OK
        self._event("get_attribute", ("card", self._cards(hcard)),
                    ("attribute", constant_name("SCARD_ATTR_", attribute)),
                    ("value", hex_text(bytes(result[1])) if ok else None),
                    ("error", _error(result[0])))  # fmt: skip
        return result

    def SCardSetAttrib(self, hcard: int, attribute: int, value: Any, /) -> int:
        result: int = self.inner.SCardSetAttrib(hcard, attribute, value)
        self._event("set_attribute", ("card", self._cards(hcard)),
                    ("attribute", constant_name("SCARD_ATTR_", attribute)),
                    ("value", hex_text(_as_bytes(value))), ("error", _error(result)))  # fmt: skip
        return result

    def SCardBeginTransaction(self, hcard: int, /) -> int:
        result: int = self.inner.SCardBeginTransaction(hcard)
        self._event("begin_transaction", ("card", self._cards(hcard)), ("error", _error(result)))
        return result

    def SCardEndTransaction(self, hcard: int, disposition: int, /) -> int:
        result: int = self.inner.SCardEndTransaction(hcard, disposition)
        self._event("end_transaction", ("card", self._cards(hcard)),
                    ("disposition", _disposition(disposition)),
                    ("error", _error(result)))  # fmt: skip
        return result

    # Calls not recorded (validity checks, cancels, reader groups, which
    # pcsc-lite does not support) reach ``inner`` through __getattr__.


_DISPOSITIONS = {
    pcsc.SCARD_LEAVE_CARD: "SCARD_LEAVE_CARD",
    pcsc.SCARD_RESET_CARD: "SCARD_RESET_CARD",
    pcsc.SCARD_UNPOWER_CARD: "SCARD_UNPOWER_CARD",
    pcsc.SCARD_EJECT_CARD: "SCARD_EJECT_CARD",
}


def _disposition(value: int) -> str | int:
    return _DISPOSITIONS.get(value, value)


def _as_bytes(value: Any) -> bytes:
    # An argument the extension would reject is written as nothing; the
    # call's own error is what the application gets.
    try:
        return buffer_bytes("", "", value)
    except Exception:
        return b""


def from_environment(inner: Backend) -> Backend:
    """``inner`` wrapped in a recorder when ``PYSCARD_RECORD`` names a file, else ``inner``."""
    path = os.environ.get(ENV_PATH)
    if not path:
        return inner
    hooks = [_import_hook(name) for name in os.environ.get(ENV_REDACT, "").split(",") if name]
    redact_pins = os.environ.get(ENV_REDACT_PINS, "1") != "0"
    recorder = Recorder(path, hooks, redact_pins, append=os.environ.get(ENV_APPEND) == "1")
    # Child processes that use smartcard inherit the variable: they must add
    # to this file, not start it again under the parent's feet.
    os.environ[ENV_APPEND] = "1"
    import atexit

    atexit.register(recorder.close)
    return RecordingBackend(inner, recorder)


def _import_hook(name: str) -> RedactionHook:
    """``"package.module:function"`` -> that function (a redaction hook)."""
    import importlib

    module_name, _, attribute = name.strip().partition(":")
    if not module_name or not attribute:
        raise ValueError(f"{ENV_REDACT} names hooks as module:function, not {name!r}")
    hook: RedactionHook = getattr(importlib.import_module(module_name), attribute)
    if not callable(hook):
        # Said now, not as "object is not callable" after the first APDU went out.
        raise TypeError(f"{ENV_REDACT}: {name.strip()} is {type(hook).__name__}, not a function")
    return hook
