# SPDX-License-Identifier: LGPL-2.1-or-later
"""Turning PC/SC reader listings and status results into events (no I/O here).

The tracker remembers, for each reader, the ``dwEventState`` PC/SC last
returned and the card (ATR) it saw. Handing that state back to
SCardGetStatusChange makes the call block until something differs, and
comparing the answer with it gives the events.

pcsc-lite and Windows keep a per-reader event counter in the high 16 bits
of ``dwEventState``, bumped on every insertion and removal. A card that was
pulled out and put back while nobody was looking (the engine busy, or the
caller between two waits) is still "present" with the same ATR, but the
counter moved: that is reported as a removal followed by an insertion.
"""

from __future__ import annotations

from smartcard._log import LazyLogger
from smartcard._pcsc.extension import (
    SCARD_STATE_CHANGED,
    SCARD_STATE_PRESENT,
    SCARD_STATE_UNAWARE,
    SCARD_STATE_UNKNOWN,
)
from smartcard.monitoring.events import EventKind, MonitorEvent, Snapshot

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, Iterable, List, Sequence, Tuple

__all__ = ["ReaderTracker", "event_counter", "in_phase_order"]

_log = LazyLogger("smartcard.monitoring")

_COUNTER_SHIFT = 16
_COUNTER_MASK = 0xFFFF


# Within a batch: the service first, then cards out, readers out, readers in,
# cards in. Every reader's own order is kept (a card is removed before its
# replacement is inserted, and before its reader goes), and consumers that
# follow readers and cards separately see a reader before any card in it.
_PHASE = {
    EventKind.SERVICE_LOST: 0,
    EventKind.SERVICE_RESTORED: 0,
    EventKind.CARD_REMOVED: 1,
    EventKind.READER_REMOVED: 2,
    EventKind.READER_ADDED: 3,
    EventKind.CARD_INSERTED: 4,
}


def in_phase_order(events: List[MonitorEvent]) -> List[MonitorEvent]:
    """``events`` reordered by phase (stable: same-phase events keep their order)."""
    if len(events) < 2:
        return events
    return sorted(events, key=lambda event: _PHASE[event.kind])


def event_counter(event_state: int) -> int:
    """The insertion/removal counter PC/SC keeps in the high word of ``dwEventState``."""
    return (event_state >> _COUNTER_SHIFT) & _COUNTER_MASK


class _ReaderRecord:
    """What is known of one reader: the state to hand back, and its card."""

    __slots__ = ("event_state", "atr")

    def __init__(self, event_state: int, atr: bytes | None) -> None:
        self.event_state = event_state
        self.atr = atr  # None: no card


class ReaderTracker:
    """The engine's picture of the readers and cards, and the diffs that update it.

    Every method that changes the picture returns the events describing the
    change, in the order they happened (for one reader: removal before
    insertion; for a vanished reader: its card before the reader itself).
    """

    def __init__(self) -> None:
        self._records: Dict[str, _ReaderRecord] = {}
        self.service_available: bool | None = None

    # ------------------------------------------------------------ queries

    @property
    def reader_names(self) -> Tuple[str, ...]:
        return tuple(self._records)

    def snapshot(self) -> Snapshot:
        cards = {name: rec.atr for name, rec in self._records.items() if rec.atr is not None}
        return Snapshot(tuple(self._records), cards, self.service_available)

    def status_query(self, names: Iterable[str]) -> List[Tuple[str, int]]:
        """``(reader, dwCurrentState)`` pairs for SCardGetStatusChange.

        Readers not seen before are UNAWARE, which makes the call return at
        once with their state.
        """
        query = []
        for name in names:
            record = self._records.get(name)
            query.append((name, SCARD_STATE_UNAWARE if record is None else record.event_state))
        return query

    def has_unknown(self, names: Iterable[str]) -> bool:
        return any(name not in self._records for name in names)

    # ----------------------------------------------------------- updates

    def service_reached(self) -> List[MonitorEvent]:
        """The PC/SC service answered; after a loss that is a restoration."""
        was = self.service_available
        self.service_available = True
        return [MonitorEvent(EventKind.SERVICE_RESTORED)] if was is False else []

    def service_unreachable(self) -> List[MonitorEvent]:
        """The PC/SC service went away: everything it managed is gone."""
        was = self.service_available
        self.service_available = False
        events = [MonitorEvent(EventKind.SERVICE_LOST)] if was else []
        for name in list(self._records):
            events += self._drop(name)
        return in_phase_order(events)

    def readers_listed(self, names: Sequence[str]) -> List[MonitorEvent]:
        """Apply a reader listing: readers missing from it are removed.

        New readers are not reported yet: :meth:`status_received` adds them
        together with their card, once their state is known.
        """
        listed = set(names)
        events: List[MonitorEvent] = []
        for name in [n for n in self._records if n not in listed]:
            events += self._drop(name)
        return in_phase_order(events)

    def status_received(
        self, results: Iterable[Tuple[str, int, Sequence[int]]]
    ) -> List[MonitorEvent]:
        """Apply SCardGetStatusChange results ``(reader, dwEventState, atr)``."""
        events: List[MonitorEvent] = []
        for name, event_state, atr in results:
            known = self._records.get(name)
            if event_state & SCARD_STATE_UNKNOWN:
                # The reader vanished during the call; the next listing agrees.
                if known is not None:
                    events += self._drop(name)
                continue
            present = bool(event_state & SCARD_STATE_PRESENT)
            new_atr = bytes(atr) if present else None
            # CHANGED only means "differs from what you passed"; handing it back
            # would make the next call return at once.
            settled = event_state & ~SCARD_STATE_CHANGED
            if known is None:
                self._records[name] = _ReaderRecord(settled, new_atr)
                events.append(MonitorEvent(EventKind.READER_ADDED, name))
                if new_atr is not None:
                    events.append(MonitorEvent(EventKind.CARD_INSERTED, name, new_atr))
                continue
            events += self._card_changes(name, known, settled, new_atr)
            known.event_state = settled
            known.atr = new_atr
        return in_phase_order(events)

    # ---------------------------------------------------------- internals

    def _card_changes(
        self, name: str, known: _ReaderRecord, event_state: int, new_atr: bytes | None
    ) -> List[MonitorEvent]:
        moves = (event_counter(event_state) - event_counter(known.event_state)) & _COUNTER_MASK
        old_atr = known.atr
        events: List[MonitorEvent] = []
        if old_atr is not None and (new_atr is None or moves or new_atr != old_atr):
            events.append(MonitorEvent(EventKind.CARD_REMOVED, name, old_atr))
        if new_atr is not None and (old_atr is None or moves or new_atr != old_atr):
            events.append(MonitorEvent(EventKind.CARD_INSERTED, name, new_atr))
        if old_atr is None and new_atr is None and moves:
            # Inserted and removed again between two looks: its ATR was never
            # visible, so there is nothing meaningful to report.
            _log.debug("a card came and went unseen in %r (%d changes)", name, moves)
        return events

    def _drop(self, name: str) -> List[MonitorEvent]:
        record = self._records.pop(name)
        events = []
        if record.atr is not None:
            events.append(MonitorEvent(EventKind.CARD_REMOVED, name, record.atr))
        events.append(MonitorEvent(EventKind.READER_REMOVED, name))
        return events
