# SPDX-License-Identifier: LGPL-2.1-or-later
"""Card insertion and removal notifications: CardMonitor and CardObserver.

::

    class PrintObserver(CardObserver):
        def update(self, observable, handlers):
            added, removed = handlers
            print("inserted", added, "removed", removed)

    monitor = CardMonitor()
    observer = PrintObserver()
    monitor.addObserver(observer)      # prints the cards already inserted
    ...
    monitor.deleteObserver(observer)

Cards are :class:`smartcard.Card.Card` objects (reader name, ATR as a list).
Events come from the process-wide engine in :mod:`smartcard.monitoring`:
no polling, nothing lost when a card is swapped quickly, and monitoring
resumes by itself when pcscd restarts (the cards go as removals and come
back as insertions).
"""

from __future__ import annotations

# _thread, not threading: see smartcard.Synchronization (same lock type,
# none of threading's import cost at application start-up).
import _thread

from smartcard.Card import Card
from smartcard.monitoring.observable import EngineObservable
from smartcard.Observer import Observer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Tuple

    from smartcard.monitoring.events import MonitorEvent, Snapshot

__all__ = ["CardMonitor", "CardObserver", "CardMonitoringThread"]


class CardObserver(Observer):
    """Base class of card observers: override :meth:`update`."""

    def __init__(self) -> None:
        pass

    def update(self, observable: Any, handlers: Any) -> None:
        """Cards were inserted or removed: ``handlers`` is ``(addedcards, removedcards)``."""

    def service_lost(self, observable: Any) -> None:
        """The PC/SC service went away (its cards are reported removed right after)."""

    def service_restored(self, observable: Any) -> None:
        """The PC/SC service is back (its cards are reported inserted right after)."""


class _CardMonitorSingleton(EngineObservable):
    """The one card monitor of the process; CardMonitor objects delegate to it."""

    def __init__(self) -> None:
        EngineObservable.__init__(self)
        self.rmthread = CardMonitoringThread(self)

    def _initial_items(self, snapshot: Snapshot) -> List[Tuple[str, Any]]:
        return [
            (reader, Card(reader, list(snapshot.cards[reader])))
            for reader in snapshot.readers
            if reader in snapshot.cards
        ]

    def _item_for(self, event: MonitorEvent) -> Tuple[bool, Any] | None:
        # The kinds through the event itself: an import statement here would
        # run importlib's Python code on every event.
        kind = event.kind
        kinds = type(kind)
        if kind is kinds.CARD_INSERTED:
            return True, Card(event.reader, list(event.atr))
        if kind is kinds.CARD_REMOVED:
            return False, Card(event.reader, list(event.atr))
        return None

    def __str__(self) -> str:
        return "CardMonitor"


class CardMonitor:
    """Notifies card observers of card insertions and removals.

    All CardMonitor objects share one monitor (``CardMonitor.instance``).
    Monitoring runs while at least one observer is registered: a new
    observer's ``update`` is called at once, in the calling thread, with
    the cards already inserted; later updates come from the observer
    dispatcher thread.
    """

    instance: _CardMonitorSingleton | None = None
    lock = _thread.allocate_lock()

    def __init__(self) -> None:
        with CardMonitor.lock:
            if CardMonitor.instance is None:
                CardMonitor.instance = _CardMonitorSingleton()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.instance, name)


class CardMonitoringThread:
    """pyscard's handle on the card monitoring thread.

    Monitoring now runs in the shared engine thread; this object gives the
    monitor's current cards and lets code that stopped pyscard's thread do
    the same (``stop()`` stops notifications until an observer is added).
    """

    #: pyscard's class attributes, kept for code that reads them: there is
    #: no singleton thread to hold here (the engine thread is shared).
    instance: Any = None
    lock = _thread.allocate_lock()

    def __init__(self, observable: Any) -> None:
        self.observable = observable

    @property
    def cards(self) -> List[Card]:
        """The cards present, as last notified to the observers."""
        return list(self.observable.current_items)

    def stop(self) -> None:
        """Stop monitoring now."""
        self.observable._stop_feed()

    def join(self, *args: Any, **kwargs: Any) -> None:
        """Return at once: :meth:`stop` has already waited for the engine."""

    def is_alive(self) -> bool:
        """True while the monitor follows card events."""
        return bool(self.observable.is_fed)


# Names pyscard 2.3.1's module held through its imports, resolved on first use.
from smartcard._reexports import from_module, lazy_names, scard  # noqa: E402

__getattr__ = lazy_names(
    __name__,
    {
        "CardRequest": "smartcard.CardRequest:CardRequest",
        **from_module("smartcard.Exceptions", "CardRequestTimeoutException", "SmartcardException"),
        **from_module("threading", "Event", "Lock", "Thread"),
        "Observable": "smartcard.Observer:Observable",
        **scard("SCARD_E_NO_SERVICE"),
        "sleep": "time:sleep",
    },
)
