# SPDX-License-Identifier: LGPL-2.1-or-later
"""An Observable fed by the monitoring engine: the machinery behind CardMonitor and ReaderMonitor.

Guarantees to observers:

* ``addObserver`` calls ``update(observable, (current, []))`` at once, in
  the caller's thread, with everything currently present; later updates
  start from there, with nothing missed or repeated.
* Later updates run on the dispatcher thread, one observer after the other,
  in event order; an observer's first dispatched update waits until its
  initial update has returned.
* An observer that raises is logged on the ``smartcard.monitoring`` logger
  and the others are still notified.
* Observers may be added or removed from any thread, including from their
  own ``update``.
* Optional hooks: an observer with a ``service_lost(observable)`` or
  ``service_restored(observable)`` method is told when the PC/SC service
  goes away and comes back (the removals and additions are ``update`` calls).
"""

from __future__ import annotations

from smartcard._log import LazyLogger
from smartcard.Observer import Observable, Observer

# The engine, the dispatcher and the event classes are imported when a feed
# starts, not here: CardMonitoring imports this module at application
# start-up, and most applications never start a monitor.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import threading
    from typing import Any, Dict, List, Sequence, Tuple

    from smartcard.monitoring.dispatch import ObserverDispatcher
    from smartcard.monitoring.engine import MonitorEngine, Subscription
    from smartcard.monitoring.events import MonitorEvent, Snapshot

    # A notice is ("update", (added, removed)) or ("hook", method name).
    Notice = Tuple[str, Any]

__all__ = ["EngineObservable"]

_log = LazyLogger("smartcard.monitoring")

# Event kind name -> optional observer hook it triggers.
_HOOKS = {
    "SERVICE_LOST": "service_lost",
    "SERVICE_RESTORED": "service_restored",
}
# An observer's first dispatched update waits this long (s) for its initial
# update to return; past that, order gives way to progress.
_GATE_TIMEOUT = 30.0


class EngineObservable(Observable):
    """Observable whose items (cards or readers) follow the engine's events.

    Subclasses say which events add and remove items and how to build an
    item (:meth:`_item_for`, :meth:`_initial_items`). Items are keyed by
    reader name: at most one card per reader, one reader per name.
    """

    #: Whether the feed stops when the last observer leaves.
    _feed_on_demand = True

    def __init__(
        self, engine: MonitorEngine | None = None, dispatcher: ObserverDispatcher | None = None
    ) -> None:
        Observable.__init__(self)
        self._engine = engine
        self._dispatcher = dispatcher
        self._feed: Subscription | None = None
        self._feed_token: object | None = None
        self._items: Dict[str, Any] = {}
        self._gates: Dict[int, threading.Event] = {}

    # ------------------------------------------------------ subclass hooks

    def _initial_items(self, snapshot: Snapshot) -> List[Tuple[str, Any]]:
        """``(reader name, item)`` pairs present in ``snapshot``, in order."""
        raise NotImplementedError

    def _item_for(self, event: MonitorEvent) -> Tuple[bool, Any] | None:
        """``(added, item)`` for an event that adds or removes an item, else None."""
        raise NotImplementedError

    # ---------------------------------------------------------- observers

    def addObserver(self, observer: Observer) -> None:
        """Register ``observer`` and call its ``update`` with what is present now."""
        with self.mutex:
            if observer in self.obs:
                return
            self._start_source_locked()
            self.obs.append(observer)
            # The source started above has imported threading already.
            import threading

            gate = threading.Event()
            self._gates[id(observer)] = gate
            current = self._present_locked()
        try:
            self._call(observer, "update", (current, []))
        finally:
            gate.set()

    def deleteObserver(self, observer: Observer) -> None:
        """Unregister ``observer`` (ValueError if it is not registered)."""
        with self.mutex:
            self.obs.remove(observer)
            self._gates.pop(id(observer), None)
            source = self._stop_source_locked() if not self.obs and self._feed_on_demand else None
        self._end_source(source)

    def deleteObservers(self) -> None:
        """Unregister every observer."""
        with self.mutex:
            self.obs = []
            self._gates.clear()
            source = self._stop_source_locked() if self._feed_on_demand else None
        self._end_source(source)

    # ------------------------------------------------------------ sources
    # Where the items come from: the engine feed here; a subclass with
    # another source (ReaderMonitor's polling thread) overrides these four.

    def _start_source_locked(self) -> None:
        self._start_feed_locked()

    def _present_locked(self) -> List[Any]:
        return list(self._items.values())

    def _stop_source_locked(self) -> Any:
        return self._detach_feed_locked()

    def _end_source(self, source: Any) -> None:
        # Outside the mutex: ending a source may wait for its thread.
        self._end_feed(source)

    @property
    def current_items(self) -> List[Any]:
        """What the observers were last told is present."""
        with self.mutex:
            return list(self._items.values())

    @property
    def is_fed(self) -> bool:
        """True while the engine feeds this observable."""
        with self.mutex:
            return self._feed is not None

    # ---------------------------------------------------------------- feed

    def _get_engine(self) -> MonitorEngine:
        if self._engine is not None:
            return self._engine
        from smartcard.monitoring.engine import get_engine

        return get_engine()

    def _get_dispatcher(self) -> ObserverDispatcher:
        if self._dispatcher is None:
            from smartcard.monitoring.dispatch import get_dispatcher

            self._dispatcher = get_dispatcher()
        return self._dispatcher

    def _start_feed_locked(self) -> None:
        if self._feed is not None:
            return
        dispatcher = self._get_dispatcher()
        dispatcher.acquire()
        token = object()
        self._feed_token = token
        engine = self._get_engine()

        def on_events(events: Sequence[MonitorEvent]) -> None:
            # Engine thread: never run observers here. Either this thread
            # swaps jobs with the idle worker once the delivery is over (no
            # thread wake-up between pcscd and the observers), or the task
            # is queued for the busy worker.
            def task() -> None:
                self._dispatch(token, events)

            if not dispatcher.run_here_after_delivery(engine, task):
                dispatcher.submit(task)

        try:
            feed = engine.subscribe(on_events)
        except BaseException:
            self._feed_token = None
            dispatcher.release()
            raise
        self._feed = feed
        self._items = dict(self._initial_items(feed.snapshot))

    def _detach_feed_locked(self) -> Subscription | None:
        feed, self._feed = self._feed, None
        self._feed_token = None
        self._items = {}
        return feed

    def _end_feed(self, feed: Subscription | None) -> None:
        # Outside the mutex: unsubscribing may wait for the engine thread.
        if feed is not None:
            feed.unsubscribe()
            self._get_dispatcher().release()

    def _stop_feed(self) -> None:
        """Stop following the engine now, observers or not."""
        with self.mutex:
            feed = self._detach_feed_locked()
        self._end_feed(feed)

    # ------------------------------------------------------------ delivery

    def _dispatch(self, token: object, events: Sequence[MonitorEvent]) -> None:
        """Dispatcher thread: apply a batch, then notify the observers."""
        with self.mutex:
            if token is not self._feed_token:
                return  # queued before the feed was stopped or restarted
            notices = self._apply(events)
            targets = [(observer, self._gates.get(id(observer))) for observer in self.obs]
        self._notify(notices, targets)

    def _apply(self, events: Sequence[MonitorEvent]) -> List[Notice]:
        """Update the items; return the notices, split so each reader moves once per update."""
        notices: List[Notice] = []
        added: List[Any] = []
        removed: List[Any] = []
        touched: set[str] = set()

        def flush() -> None:
            nonlocal added, removed
            if added or removed:
                notices.append(("update", (added, removed)))
            added, removed = [], []
            touched.clear()

        for event in events:
            # _name_, not .name: the property is Python code, and this runs
            # between pcscd and the observers.
            hook = _HOOKS.get(event.kind._name_)
            if hook is not None:
                flush()
                notices.append(("hook", hook))
                continue
            change = self._item_for(event)
            if change is None:
                continue
            if event.reader in touched:
                flush()  # e.g. a card out and back in: two updates, not one
            touched.add(event.reader)
            is_addition, item = change
            if is_addition:
                self._items[event.reader] = item
                added.append(item)
            else:
                removed.append(self._items.pop(event.reader, item))
        flush()
        return notices

    def _notify(self, notices: List[Notice], targets: List[Tuple[Any, Any]]) -> None:
        for kind, payload in notices:
            for observer, gate in targets:
                # is_set() first: wait() goes through a Condition even when set.
                if gate is not None and not gate.is_set() and not gate.wait(_GATE_TIMEOUT):
                    _log.warning("initial update of %r still running; notifying anyway", observer)
                with self.mutex:
                    registered = any(o is observer for o in self.obs)
                if not registered:
                    continue
                if kind == "update":
                    self._call(observer, "update", payload)
                else:
                    self._call_hook(observer, payload)

    def _call(self, observer: Any, method: str, handlers: Any) -> None:
        try:
            observer.update(self, handlers)
        except Exception:
            _log.exception("%s observer %r failed in %s()", self, observer, method)

    def _call_hook(self, observer: Any, name: str) -> None:
        hook = getattr(observer, name, None)
        if not callable(hook):
            return
        try:
            hook(self)
        except Exception:
            _log.exception("%s observer %r failed in %s()", self, observer, name)
