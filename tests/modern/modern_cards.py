# SPDX-License-Identifier: LGPL-2.1-or-later
"""Card handlers for the new API's tests: chaining, logical channels, scripted answers.

Each is a callable ``bytes -> bytes`` for ``VirtualCard(handler=...)``.
"""

from __future__ import annotations

import threading
from typing import Callable, List

SW_OK = b"\x90\x00"


def _sw(value: int) -> bytes:
    return value.to_bytes(2, "big")


def _short_body(apdu: bytes) -> tuple[bytes, int | None]:
    """Data and Le of a short APDU (enough for these handlers)."""
    body = apdu[4:]
    if not body:
        return b"", None
    if len(body) == 1:
        return b"", body[0] or 256
    lc = body[0]
    data = body[1 : 1 + lc]
    rest = body[1 + lc :]
    return data, (rest[0] or 256) if rest else None


class ChainingCard:
    """Echoes (INS 10) data sent in one APDU or in a chain (CLA bit 10 on all but the last).

    With ``supported=False`` a chained APDU gets ``68 84`` (chaining not
    supported). ``links`` records the data length of each APDU received.
    """

    def __init__(self, supported: bool = True) -> None:
        self.supported = supported
        self._pending = bytearray()
        self.links: List[int] = []

    def reset(self) -> None:
        self._pending.clear()
        self._unread = b""

    _unread = b""

    def __call__(self, apdu: bytes) -> bytes:
        cla, ins = apdu[0], apdu[1]
        if ins == 0xC0 and self._unread:
            # GET RESPONSE for the part of a long answer not sent yet.
            chunk, self._unread = self._unread[:256], self._unread[256:]
            return chunk + (
                b"\x61" + bytes((min(len(self._unread), 256) & 0xFF,)) if self._unread else SW_OK
            )
        if ins != 0x10:
            return _sw(0x6D00)
        data, _le = _short_body(apdu)
        self.links.append(len(data))
        if cla & 0x10:
            if not self.supported:
                return _sw(0x6884)
            self._pending += data
            return SW_OK
        whole = bytes(self._pending) + data
        self._pending.clear()
        # Over 256 bytes the answer comes 256 bytes at a time, announced with 61xx.
        if len(whole) > 256:
            self._unread = whole[256:]
            return whole[:256] + b"\x61" + bytes((min(len(self._unread), 256) & 0xFF,))
        return whole + SW_OK


class ChannelCard:
    """Supports MANAGE CHANNEL; ``80 CA 00 00 00`` answers the channel number it came on.

    Channels 1 to ``max_channel`` can be opened; a command on a channel that is
    not open gets ``68 81``.
    """

    def __init__(self, max_channel: int = 19) -> None:
        self.max_channel = max_channel
        self.open: set[int] = {0}
        self.seen_cla: List[int] = []

    def reset(self) -> None:
        self.open = {0}

    @staticmethod
    def channel(cla: int) -> int:
        return 4 + (cla & 0x0F) if cla & 0x40 else cla & 0x03

    def __call__(self, apdu: bytes) -> bytes:
        cla, ins, p1, p2 = apdu[:4]
        self.seen_cla.append(cla)
        if self.channel(cla) not in self.open:
            return _sw(0x6881)
        if ins == 0x70:
            if p1 == 0x00:
                number = p2 or next(
                    (n for n in range(1, self.max_channel + 1) if n not in self.open), None
                )
                if number is None or number > self.max_channel:
                    return _sw(0x6A81)
                self.open.add(number)
                return (bytes((number,)) if p2 == 0 else b"") + SW_OK
            if p1 == 0x80:
                if p2 not in self.open or p2 == 0:
                    return _sw(0x6A86)
                self.open.discard(p2)
                return SW_OK
            return _sw(0x6A86)
        if ins == 0xCA:
            return bytes((self.channel(cla),)) + SW_OK
        if ins == 0xC0:
            return _sw(0x6985)
        return _sw(0x6D00)


class ScriptedCard:
    """Answers from a function of the APDU, and records each APDU (thread-safe)."""

    def __init__(self, answer: Callable[[bytes], bytes]) -> None:
        self.answer = answer
        self.apdus: List[bytes] = []
        self._lock = threading.Lock()

    def __call__(self, apdu: bytes) -> bytes:
        with self._lock:
            self.apdus.append(apdu)
        return self.answer(apdu)


def endless_61() -> Callable[[bytes], bytes]:
    """A broken card: every command and every GET RESPONSE says 61 10 "16 more bytes"."""

    def answer(apdu: bytes) -> bytes:
        return bytes(16) + b"\x61\x10"

    return answer
