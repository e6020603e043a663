# SPDX-License-Identifier: LGPL-2.1-or-later
"""Reader and card events for ``pyscard scan``, from the library's monitoring engine.

The engine (:mod:`smartcard.monitoring.engine`) reports readers and cards
coming and going, and the PC/SC service lost and restored. When the service
is lost it also reports every card and reader as removed, and when it is
back, everything present as added: right for an application, which must
reconnect, but noise for a person watching. So while the service is away,
removals are held back; once it is back, additions that match what was on
screen before are confirmations, not news, and whatever does not come back
within ``SETTLE_SECONDS`` is reported gone.
"""

from __future__ import annotations

import queue
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator, Sequence

if TYPE_CHECKING:
    from smartcard.monitoring.events import MonitorEvent

# Batches are awaited this long at a time, so Ctrl-C and --timeout are noticed promptly.
WAIT_SECONDS = 0.2
# After the service is restored, how long readers and cards have to reappear.
SETTLE_SECONDS = 2.0


@dataclass
class Event:
    """Something ``scan`` reports; ``kind`` is one of the documented event names."""

    kind: str
    reader: str | None = None
    atr: bytes | None = None
    message: str | None = None


class ScanFeed:
    """Subscribes to the monitoring engine and turns its batches into :class:`Event` s."""

    def __init__(self) -> None:
        self._batches: queue.Queue[Sequence[MonitorEvent]] = queue.Queue()
        self._subscription: Any = None
        self._readers: set[str] = set()  # what the user has been shown
        self._cards: dict[str, bytes] = {}
        self._lost = False
        self._unconfirmed: tuple[set[str], dict[str, bytes]] | None = None
        self._settle_deadline = 0.0

    def start(self) -> list[Event]:
        """Subscribe; return the readers and cards present now, as events."""
        from smartcard.monitoring.engine import get_engine

        # The engine calls back on its own thread: only hand the batch over.
        self._subscription = get_engine().subscribe(self._batches.put)
        snapshot = self._subscription.snapshot
        events = []
        for reader in snapshot.readers:
            events.extend(self._show(Event("reader_added", reader)))
            if reader in snapshot.cards:
                events.extend(self._inserted(reader, bytes(snapshot.cards[reader])))
        return events

    def close(self) -> None:
        subscription, self._subscription = self._subscription, None
        if subscription is not None:
            subscription.unsubscribe()

    def events(self, deadline: float | None = None) -> Iterator[Event]:
        """Events until ``deadline`` (a ``time.monotonic()`` value), forever if None."""
        while deadline is None or time.monotonic() < deadline:
            wait = WAIT_SECONDS
            if deadline is not None:
                wait = max(0.0, min(wait, deadline - time.monotonic()))
            try:
                batch = self._batches.get(timeout=wait)
            except queue.Empty:
                batch = ()
            for engine_event in batch:
                yield from self._translate(engine_event)
            yield from self._settle()

    # ------------------------------------------------------------ translation

    def _translate(self, engine_event: Any) -> list[Event]:
        from smartcard.monitoring.events import EventKind

        kind, reader, atr = engine_event.kind, engine_event.reader, bytes(engine_event.atr)
        if kind is EventKind.SERVICE_LOST:
            self._lost = True
            return [Event("service_lost", message="pcscd stopped or is restarting")]
        if kind is EventKind.SERVICE_RESTORED:
            self._lost = False
            self._unconfirmed = (set(self._readers), dict(self._cards))
            self._settle_deadline = time.monotonic() + SETTLE_SECONDS
            return [Event("service_restored")]
        if self._lost and kind in (EventKind.READER_REMOVED, EventKind.CARD_REMOVED):
            return []  # the engine's bookkeeping for a lost service, not a real removal
        if kind is EventKind.READER_ADDED:
            if self._confirm_reader(reader):
                return []
            return self._show(Event("reader_added", reader))
        if kind is EventKind.READER_REMOVED:
            return self._show(Event("reader_removed", reader))
        if kind is EventKind.CARD_INSERTED:
            if self._confirm_card(reader, atr):
                return []
            return self._inserted(reader, atr)
        return self._show(Event("card_removed", reader))

    def _confirm_reader(self, reader: str) -> bool:
        if self._unconfirmed is None or reader not in self._unconfirmed[0]:
            return False
        self._unconfirmed[0].discard(reader)
        return True

    def _confirm_card(self, reader: str, atr: bytes) -> bool:
        if self._unconfirmed is None or self._unconfirmed[1].get(reader) != atr:
            return False
        del self._unconfirmed[1][reader]
        return True

    def _inserted(self, reader: str, atr: bytes) -> list[Event]:
        events = []
        if reader in self._cards:  # a different card than the one shown
            events.extend(self._show(Event("card_removed", reader)))
        kind = "card_inserted" if atr else "card_mute"  # the engine gives no ATR for a mute card
        return events + self._show(Event(kind, reader, atr or None))

    def _settle(self) -> list[Event]:
        """Once the restored service had time to report, what did not come back is gone."""
        if self._unconfirmed is None or time.monotonic() < self._settle_deadline:
            return []
        readers, cards = self._unconfirmed
        self._unconfirmed = None
        events = []
        for reader in sorted(cards):
            if self._cards.get(reader) == cards[reader]:
                events.extend(self._show(Event("card_removed", reader)))
        for reader in sorted(readers):
            if reader in self._readers:
                events.extend(self._show(Event("reader_removed", reader)))
        return events

    def _show(self, event: Event) -> list[Event]:
        """Record what the user is told, so later events can be compared with it."""
        if event.kind == "reader_added":
            self._readers.add(event.reader or "")
        elif event.kind == "reader_removed":
            self._readers.discard(event.reader or "")
            self._cards.pop(event.reader or "", None)
        elif event.kind in ("card_inserted", "card_mute"):
            self._cards[event.reader or ""] = event.atr or b""
        elif event.kind == "card_removed":
            self._cards.pop(event.reader or "", None)
        return [event]
