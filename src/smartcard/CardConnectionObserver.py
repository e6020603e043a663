# SPDX-License-Identifier: LGPL-2.1-or-later
"""Observers of card connection events, including one that traces to the console."""

from __future__ import annotations

import sys

from smartcard.CardConnectionEvent import CardConnectionEvent
from smartcard.Observer import Observer
from smartcard.util import toHexString

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["CardConnectionObserver", "ConsoleCardConnectionObserver"]


class CardConnectionObserver(Observer):
    """Base class for objects notified of :class:`CardConnectionEvent` s.

    Subclasses override :meth:`update`; it runs in the thread that used the
    connection, after the event happened (or, for ``"command"``, just before
    the command is sent).
    """

    def update(self, observable: Any, handlers: CardConnectionEvent) -> None:
        """Called with the connection and the event."""


class ConsoleCardConnectionObserver(CardConnectionObserver):
    """Traces connection events and APDUs to standard output, pyscard style.

    Console output is this class's whole purpose (it is a debugging aid), so
    it writes to ``sys.stdout`` rather than to the logging system; the stream
    is looked up at each event so output redirection keeps working.
    """

    def update(self, observable: Any, handlers: CardConnectionEvent) -> None:
        sys.stdout.write(self._describe(observable, handlers) + "\n")

    @staticmethod
    def _describe(observable: Any, event: CardConnectionEvent) -> str:
        kind = event.type
        if kind == "connect":
            return f"connecting to {observable.getReader()}"
        if kind == "reconnect":
            return f"reconnecting to {observable.getReader()}"
        if kind == "disconnect":
            return f"disconnecting from {observable.getReader()}"
        if kind == "release":
            return f"release from {observable.getReader()}"
        if kind == "command":
            first = event.args[0]
            if isinstance(first, int):
                # control(): [controlCode, data]
                return f"> control 0x{first:08X} {toHexString(list(event.args[1]))}".rstrip()
            return "> " + toHexString(list(first))
        if kind == "response":
            args = event.args
            if len(args) == 3 and isinstance(args[0], list):
                data, sw1, sw2 = args
                status = f" {sw1:2X} {sw2:02X}"
                if not data:
                    return "<  []" + status
                return "< " + toHexString(data) + status
            # control(): the raw response bytes
            return "< " + toHexString(list(args))
        return f"unknown event: {kind}"
