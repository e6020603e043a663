# SPDX-License-Identifier: LGPL-2.1-or-later
"""``async for event in watch():`` reader and card events, none lost.

::

    async with watch() as events:
        print(events.snapshot)              # readers and cards at the start
        async for event in events:          # MonitorEvent, in order
            if event.kind is EventKind.CARD_INSERTED:
                ...

Events are :class:`smartcard.monitoring.MonitorEvent` values. After a pcscd
restart the stream carries on: SERVICE_LOST with the removals, then
SERVICE_RESTORED with the readers and cards found again.
"""

from __future__ import annotations

import asyncio
import collections
from types import TracebackType
from typing import Deque, FrozenSet, Sequence, Type

from smartcard.aio._filters import ReaderFilter, reader_filter
from smartcard.aio._hub import Hub, hub_for
from smartcard.monitoring import EventKind, MonitorEvent, Snapshot

__all__ = ["EventStream", "watch"]


class EventStream:
    """An async iterator of monitoring events; use it with ``async with`` (or call aclose()).

    The stream registers with the loop's monitoring hub when entered (or on
    the first ``__anext__``) and unregisters when closed: a stream that is
    never closed keeps the monitoring thread alive until garbage-collected.
    """

    def __init__(self, readers: ReaderFilter = None, *, initial: bool = False) -> None:
        if not isinstance(initial, bool):
            raise TypeError(f"initial must be a bool, not {type(initial).__name__}")
        self._names: FrozenSet[str] | None = reader_filter(readers)
        self._initial = initial
        self._queue: Deque[MonitorEvent] = collections.deque()
        self._wakeup: asyncio.Future[None] | None = None
        self._hub: Hub | None = None
        self._snapshot = Snapshot()
        self._closed = False

    @property
    def snapshot(self) -> Snapshot:
        """The state the events apply to (the engine's view when the stream started)."""
        return self._snapshot

    async def start(self) -> EventStream:
        """Register with the monitoring hub (done by ``async with`` and the first iteration)."""
        if self._closed:
            raise RuntimeError("the event stream is closed")
        if self._hub is not None:
            return self
        loop = asyncio.get_running_loop()
        hub = hub_for(loop)
        self._hub = hub
        self._snapshot = await hub.add(self)
        if self._initial:
            self._queue.extendleft(reversed(self._initial_events(self._snapshot)))
        return self

    def _initial_events(self, snapshot: Snapshot) -> list[MonitorEvent]:
        events = []
        for reader in snapshot.readers:
            if self._wanted_reader(reader):
                events.append(MonitorEvent(EventKind.READER_ADDED, reader))
                if reader in snapshot.cards:
                    atr = snapshot.cards[reader]
                    events.append(MonitorEvent(EventKind.CARD_INSERTED, reader, atr))
        return events

    def _wanted_reader(self, reader: str) -> bool:
        return self._names is None or reader in self._names

    def feed(self, events: Sequence[MonitorEvent]) -> None:
        """Called by the hub on the loop thread with each batch."""
        for event in events:
            if not event.reader or self._wanted_reader(event.reader):
                self._queue.append(event)
        if self._queue and self._wakeup is not None and not self._wakeup.done():
            self._wakeup.set_result(None)

    def __aiter__(self) -> EventStream:
        return self

    async def __anext__(self) -> MonitorEvent:
        if self._hub is None and not self._closed:
            await self.start()
        while not self._queue:
            if self._closed:
                raise StopAsyncIteration
            self._wakeup = asyncio.get_running_loop().create_future()
            await self._wakeup
        return self._queue.popleft()

    def pending(self) -> int:
        """How many events are queued and not yet iterated."""
        return len(self._queue)

    async def aclose(self) -> None:
        """Stop the stream: iteration ends once the queued events are consumed."""
        self.close()

    def close(self) -> None:
        """Synchronous :meth:`aclose`, for ``finally`` blocks and callbacks."""
        if self._closed:
            return
        self._closed = True
        if self._hub is not None:
            self._hub.remove(self)
        if self._wakeup is not None and not self._wakeup.done():
            self._wakeup.set_result(None)

    async def __aenter__(self) -> EventStream:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: Type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def watch(readers: ReaderFilter = None, *, initial: bool = False) -> EventStream:
    """A stream of reader and card events (for ``readers`` only, if given).

    With ``initial``, the stream first yields READER_ADDED and CARD_INSERTED
    for what is already there. Service events are always included.
    """
    return EventStream(readers, initial=initial)
