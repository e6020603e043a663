# SPDX-License-Identifier: LGPL-2.1-or-later
"""Emulation of how T=0 cards return response data (61xx / GET RESPONSE, 6Cxx).

Over T=0 a card cannot send data in answer to a command that carried data, so
it answers ``61 xx`` ("xx bytes are waiting") and the host fetches them with
GET RESPONSE. For a command that only asks for data, a card whose Le is wrong
answers ``6C xx`` ("ask again with Le = xx"). Host libraries must handle both;
this wrapper lets tests exercise that handling with any handler.
"""

from __future__ import annotations

import threading
from typing import Callable

from smartcard.testing._apdu import parse_command, status
from smartcard.testing.applet import INS_GET_RESPONSE


class T0Emulation:
    """Wrap a handler so that its responses are delivered the way a T=0 card would.

    ``get_response``: response data to a command that carried data (or that did
    not state Le) is held back and announced with ``61 xx``; GET RESPONSE
    (``00 C0 00 00 Le``) returns it in pieces of at most Le bytes, each piece
    ending with ``61 xx`` while more remains and with the handler's status word
    at the end. For a command with Le smaller than the data, the first Le
    bytes are sent with ``61 xx`` for the rest. Any other command drops what is
    pending. GET RESPONSE with nothing pending answers ``69 85``.

    ``wrong_le``: a command that has Le but no data (case 2), whose Le differs
    from the length of the response data, is answered ``6C xx`` with xx the
    right length; resent with that Le it gets the data. The handler is called
    for both attempts.

    Responses of more than 256 data bytes can't be described with one ``6C``
    byte and are passed through unchanged by ``wrong_le``.
    """

    def __init__(
        self,
        handler: Callable[[bytes], bytes],
        *,
        get_response: bool = True,
        wrong_le: bool = False,
    ) -> None:
        self.handler = handler
        self.get_response = get_response
        self.wrong_le = wrong_le
        self._pending: bytes | None = None
        self._final_sw = b"\x90\x00"
        self._lock = threading.Lock()

    def reset(self) -> None:
        """Forget pending response data, as a card does when powered off or reset."""
        with self._lock:
            self._pending = None
        inner_reset = getattr(self.handler, "reset", None)
        if callable(inner_reset):
            inner_reset()

    def __call__(self, apdu: bytes) -> bytes:
        """Answer one command APDU."""
        try:
            cmd = parse_command(apdu)
        except ValueError:
            return self.handler(apdu)
        with self._lock:
            if self.get_response and cmd.ins == INS_GET_RESPONSE and (cmd.cla & 0x80) == 0:
                return self._serve_pending(cmd.ne or 256)
            self._pending = None
        response = self.handler(apdu)
        data, sw = response[:-2], response[-2:]
        if not data:
            return response
        if cmd.case == 2:
            if self.wrong_le and cmd.ne != len(data) and len(data) <= 256:
                return b"\x6c" + bytes((len(data) & 0xFF,))
            if self.get_response and cmd.ne is not None and cmd.ne < len(data):
                with self._lock:
                    self._pending, self._final_sw = data[cmd.ne :], sw
                    return data[: cmd.ne] + _more(len(data) - cmd.ne)
            return response
        if not self.get_response:
            return response
        with self._lock:
            self._pending, self._final_sw = data, sw
        return _more(len(data))

    def _serve_pending(self, ne: int) -> bytes:
        if self._pending is None:
            return status(0x6985)
        chunk, rest = self._pending[:ne], self._pending[ne:]
        if rest:
            self._pending = rest
            return chunk + _more(len(rest))
        self._pending = None
        return chunk + self._final_sw


def _more(remaining: int) -> bytes:
    # 61 00 means "256 or more bytes are waiting".
    return b"\x61" + bytes((min(remaining, 256) & 0xFF,))
