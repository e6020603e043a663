# SPDX-License-Identifier: LGPL-2.1-or-later
"""Reader arrival and removal notifications: ReaderMonitor and ReaderObserver.

With the default ``readerProc`` (:func:`smartcard.System.readers`) the
monitor follows the process-wide engine of :mod:`smartcard.monitoring`,
which pcscd wakes when a reader comes or goes: no polling, no delay, and it
carries on after a pcscd restart. A custom ``readerProc`` is called every
``period`` seconds by a :class:`ReaderMonitoringThread`, as in pyscard.
"""

from __future__ import annotations

import threading

import smartcard.System
from smartcard._log import LazyLogger
from smartcard.monitoring.observable import EngineObservable
from smartcard.Observer import Observer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, List, Tuple

    from smartcard.monitoring.events import MonitorEvent, Snapshot

__all__ = ["ReaderMonitor", "ReaderObserver", "ReaderMonitoringThread"]

_log = LazyLogger("smartcard.monitoring")

_ENGINE_READER_PROC = smartcard.System.readers


class ReaderObserver(Observer):
    """Base class of reader observers: override :meth:`update`."""

    def __init__(self) -> None:
        pass

    def update(self, observable: Any, handlers: Any) -> None:
        """Readers came or went: ``handlers`` is ``(addedreaders, removedreaders)``."""

    def service_lost(self, observable: Any) -> None:
        """The PC/SC service went away (its readers are reported removed right after)."""

    def service_restored(self, observable: Any) -> None:
        """The PC/SC service is back (its readers are reported added right after)."""


class ReaderMonitor(EngineObservable):
    """Notifies reader observers of readers added and removed.

    All ReaderMonitor objects share their state. With ``startOnDemand``
    (the default) monitoring runs while observers are registered; otherwise
    it starts now and never stops. A new observer's ``update`` is called at
    once, in the calling thread, with the readers present.
    """

    _shared_state: dict[str, Any] = {}

    def __init__(
        self,
        startOnDemand: bool = True,
        readerProc: Callable[[], List[Any]] = smartcard.System.readers,
        period: float = 1,
    ) -> None:
        self.__dict__ = ReaderMonitor._shared_state
        if "mutex" not in self.__dict__:
            EngineObservable.__init__(self)
            self.rmthread: ReaderMonitoringThread | None = None
        with self.mutex:
            # As in pyscard, the latest construction's settings apply.
            self.startOnDemand = startOnDemand
            self.readerProc = readerProc
            self.period = period
            self._feed_on_demand = startOnDemand
        if not startOnDemand:
            with self.mutex:
                self._start_source_locked()

    # ------------------------------------------------------------- sources

    def _polls(self) -> bool:
        return self.readerProc is not _ENGINE_READER_PROC

    def _start_source_locked(self) -> None:
        if not self._polls():
            self._start_feed_locked()
        elif self.rmthread is None:
            self.rmthread = ReaderMonitoringThread(self, self.readerProc, self.period)
            # A first poll here, so that the first observer's initial update
            # already lists the readers.
            self.rmthread.poll()
            self.rmthread.start()

    def _stop_source_locked(self) -> Any:
        thread, self.rmthread = self.rmthread, None
        feed = self._detach_feed_locked()
        return thread, feed

    def _end_source(self, source: Any) -> None:
        if source is None:
            return
        thread, feed = source
        if thread is not None:
            thread.stop()
        self._end_feed(feed)

    def _present_locked(self) -> List[Any]:
        if self._polls():
            return list(self.rmthread.readers) if self.rmthread else []
        return list(self._items.values())

    # -------------------------------------------------------- engine feed

    # The engine feed runs these; the PC/SC layer and the event classes are
    # imported then, not when an application merely imports this module.

    def _initial_items(self, snapshot: Snapshot) -> List[Tuple[str, Any]]:
        from smartcard.pcsc.PCSCReader import PCSCReader

        return [(name, PCSCReader(name)) for name in snapshot.readers]

    def _item_for(self, event: MonitorEvent) -> Tuple[bool, Any] | None:
        from smartcard.monitoring.events import EventKind
        from smartcard.pcsc.PCSCReader import PCSCReader

        if event.kind is EventKind.READER_ADDED:
            return True, PCSCReader(event.reader)
        if event.kind is EventKind.READER_REMOVED:
            return False, PCSCReader(event.reader)
        return None

    # ------------------------------------------------------ polled readers

    def _readers_polled(self, thread: ReaderMonitoringThread, current: List[Any]) -> None:
        """Polling thread: notify the observers of what changed in ``readerProc()``."""
        with self.mutex:
            if thread is not self.rmthread:
                return
            added = [reader for reader in current if reader not in thread.readers]
            removed = [reader for reader in thread.readers if reader not in current]
            if not added and not removed:
                return
            thread.readers = current
            targets = [(observer, self._gates.get(id(observer))) for observer in self.obs]
        self._notify([("update", (added, removed))], targets)

    def __str__(self) -> str:
        return self.__class__.__name__


class ReaderMonitoringThread(threading.Thread):
    """Calls ``readerProc()`` every ``period`` seconds and reports the differences.

    Only used for a custom ``readerProc``: PC/SC readers are followed by the
    event engine instead.
    """

    def __init__(self, observable: Any, readerProc: Callable[[], List[Any]], period: float) -> None:
        threading.Thread.__init__(self, name="smartcard.ReaderMonitoringThread", daemon=True)
        self.observable = observable
        self.readerProc = readerProc
        self.period = period
        self.readers: List[Any] = []
        self.stopEvent = threading.Event()

    def poll(self) -> None:
        """Call ``readerProc()`` once and report what changed."""
        try:
            current = list(self.readerProc())
        except Exception:
            # A failing readerProc (pcscd restarting...) is retried at the
            # next period rather than ending monitoring for good.
            _log.exception("readerProc failed; retrying in %s s", self.period)
            return
        report = getattr(self.observable, "_readers_polled", None)
        if report is not None:
            report(self, current)
            return
        # Any other Observable: notify it the way pyscard did.
        added = [reader for reader in current if reader not in self.readers]
        removed = [reader for reader in self.readers if reader not in current]
        if added or removed:
            self.readers = current
            self.observable.setChanged()
            self.observable.notifyObservers((added, removed))

    def run(self) -> None:
        while not self.stopEvent.is_set():
            self.poll()
            self.stopEvent.wait(self.period)

    def stop(self) -> None:
        """Stop polling and wait for the thread (unless called from it)."""
        self.stopEvent.set()
        if self is not threading.current_thread() and self.is_alive():
            self.join()


# Names pyscard 2.3.1's module held through its imports, resolved on first use.
from smartcard._reexports import from_module, lazy_names  # noqa: E402

__getattr__ = lazy_names(
    __name__,
    {
        **from_module("threading", "Event", "Thread"),
        "Observable": "smartcard.Observer:Observable",
        "SmartcardException": "smartcard.Exceptions:SmartcardException",
        "synchronize": "smartcard.Synchronization:synchronize",
        "sleep": "time:sleep",
    },
)
