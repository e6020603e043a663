# SPDX-License-Identifier: LGPL-2.1-or-later
"""One monitoring engine subscription per event loop, shared by all of its waiters.

The engine (:mod:`smartcard.monitoring`) runs one thread for the whole
process. Each event loop subscribes to it once, through a :class:`Hub`,
when its first waiter arrives, and unsubscribes when the last one leaves:
the engine then stops its thread, waking its blocked SCardGetStatusChange
with SCardCancel. So a thousand coroutines waiting for cards cost one
engine thread and one hop into the loop per batch of events, and a
cancelled waiter leaves no thread or PC/SC context behind.

Everything here except :meth:`Hub._on_engine_events` runs on the loop thread.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Dict, List, Protocol, Sequence, Set, Tuple

from smartcard._log import LazyLogger
from smartcard.monitoring import EventKind, MonitorEvent, Snapshot, Subscription, get_engine

__all__ = ["Hub", "Listener", "hub_for", "apply_events"]

_log = LazyLogger("smartcard")


class Listener(Protocol):
    """Something fed with every batch of events, on the loop thread."""

    def feed(self, events: Sequence[MonitorEvent]) -> None: ...


def apply_events(snapshot: Snapshot, events: Sequence[MonitorEvent]) -> Snapshot:
    """The state after ``events``, starting from ``snapshot``."""
    readers: List[str] = list(snapshot.readers)
    cards: Dict[str, bytes] = dict(snapshot.cards)
    service = snapshot.service_available
    for event in events:
        kind, reader = event.kind, event.reader
        if kind is EventKind.READER_ADDED and reader not in readers:
            readers.append(reader)
        elif kind is EventKind.READER_REMOVED:
            if reader in readers:
                readers.remove(reader)
            cards.pop(reader, None)
        elif kind is EventKind.CARD_INSERTED:
            cards[reader] = event.atr
        elif kind is EventKind.CARD_REMOVED:
            cards.pop(reader, None)
        elif kind is EventKind.SERVICE_LOST:
            service = False
        elif kind is EventKind.SERVICE_RESTORED:
            service = True
    return Snapshot(tuple(readers), cards, service)


class Hub:
    """The loop's share of the monitoring engine: a snapshot kept current, and listeners."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._listeners: Set[Listener] = set()
        self._subscription: Subscription | None = None
        # Set once the subscription's snapshot is known; events that arrive
        # before that are held back so they apply to it, in order.
        self._snapshot: Snapshot | None = None
        self._early: List[Tuple[MonitorEvent, ...]] = []
        self._starting: asyncio.Future[Subscription] | None = None
        self._stopping: asyncio.Future[None] | None = None
        self._token: object | None = None

    @property
    def snapshot(self) -> Snapshot:
        """The readers and cards present, as of the last batch delivered to the loop."""
        return self._snapshot if self._snapshot is not None else Snapshot()

    @property
    def subscribed(self) -> bool:
        """True while this loop holds an engine subscription."""
        return self._subscription is not None

    async def add(self, listener: Listener) -> Snapshot:
        """Register ``listener``; return the snapshot its first batch will apply to."""
        self._listeners.add(listener)
        try:
            while self._snapshot is None:
                if self._stopping is not None:
                    await asyncio.shield(self._stopping)
                elif self._starting is not None:
                    await asyncio.shield(self._starting)
                else:
                    self._start()
        except BaseException:
            self.remove(listener)
            raise
        return self._snapshot

    def remove(self, listener: Listener) -> None:
        """Unregister ``listener``; the last one out ends the engine subscription."""
        self._listeners.discard(listener)
        if not self._listeners and self._subscription is not None:
            # On the next loop turn, so that the waiter that just got its card
            # resumes first rather than after the stop work it would trigger.
            self._loop.call_soon(self._stop_if_idle)

    def _stop_if_idle(self) -> None:
        if not self._listeners and self._subscription is not None:
            self._stop()

    # Starting and stopping are executor futures with done callbacks rather
    # than tasks: asyncio.run() cancels leftover tasks at exit, and a start or
    # stop cancelled half-way would leak an engine subscription.

    def _start(self) -> None:
        engine = get_engine()
        # Batches carry the token of the subscription they came from, so that a
        # late batch of an ended subscription never mixes with the next one's.
        token = self._token = object()

        def on_events(events: Sequence[MonitorEvent]) -> None:
            self._on_engine_events(token, events)

        starting = self._loop.run_in_executor(None, engine.subscribe, on_events)
        self._starting = starting
        starting.add_done_callback(self._started)

    def _started(self, starting: asyncio.Future[Subscription]) -> None:
        self._starting = None
        if starting.cancelled() or starting.exception() is not None:
            self._early.clear()
            return  # the waiters in add() get the exception
        subscription = starting.result()
        self._subscription = subscription
        snapshot = subscription.snapshot
        for batch in self._early:
            snapshot = apply_events(snapshot, batch)
        self._early.clear()
        self._snapshot = snapshot
        if not self._listeners:
            self._stop()  # the last waiter left while we were starting

    def _stop(self) -> None:
        subscription, self._subscription = self._subscription, None
        self._snapshot = None
        self._token = None
        if subscription is None:
            return
        try:
            # unsubscribe() joins the engine thread when it goes idle: off the loop.
            stopping = self._loop.run_in_executor(None, subscription.unsubscribe)
        except RuntimeError:  # loop closed, or its executor shut down
            subscription.unsubscribe()
            return
        self._stopping = stopping
        stopping.add_done_callback(self._stopped)

    def _stopped(self, stopping: asyncio.Future[None]) -> None:
        self._stopping = None
        if not stopping.cancelled() and stopping.exception() is not None:
            _log.warning("ending the monitoring subscription failed", exc_info=stopping.exception())

    def _on_engine_events(self, token: object, events: Sequence[MonitorEvent]) -> None:
        # Engine thread: hand the batch to the loop and return at once.
        try:
            self._loop.call_soon_threadsafe(self._deliver, token, tuple(events))
        except RuntimeError:  # the loop was closed with waiters still registered
            subscription = self._subscription
            if subscription is not None:
                subscription.unsubscribe()

    def _deliver(self, token: object, events: Tuple[MonitorEvent, ...]) -> None:
        if token is not self._token:
            return  # from a subscription that has ended
        if self._snapshot is None:
            if self._starting is not None:
                self._early.append(events)
            return  # after a stop: nobody is listening
        self._snapshot = apply_events(self._snapshot, events)
        for listener in list(self._listeners):
            try:
                listener.feed(events)
            except Exception:
                _log.exception("smartcard event listener %r failed", listener)


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def hub_for(loop: asyncio.AbstractEventLoop) -> Hub:
    """The hub of ``loop`` (created on first use)."""
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = Hub(loop)
    return hub
