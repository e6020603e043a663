# SPDX-License-Identifier: LGPL-2.1-or-later
"""Card requests served by the monitoring engine (no PC/SC polling of their own).

A wait subscribes to the process-wide engine of :mod:`smartcard.monitoring`
and sleeps on a condition until the engine thread hands it a matching
insertion, the timeout expires or :meth:`PCSCCardRequest.release` is called.
So any number of requests waiting at once cost no thread of their own, a
pcscd restart during a wait is survived (the wait goes on, and cards present
after the restart count as inserted), and Ctrl-C interrupts a wait (the
KeyboardInterrupt propagates, where pyscard turned it into a time-out).
"""

from __future__ import annotations

import time

from smartcard._pcsc.exceptions import CardRequestException, CardRequestTimeoutException
from smartcard._pcsc.extension import (
    INFINITE,
    SCARD_E_CANCELLED,
    SCARD_E_NO_SERVICE,
    SCARD_E_TIMEOUT,
)
from smartcard.AbstractCardRequest import AbstractCardRequest
from smartcard.Card import Card
from smartcard.pcsc.PCSCContext import establish_context, release_context
from smartcard.pcsc.PCSCReader import PCSCReader

TYPE_CHECKING = False
if TYPE_CHECKING:
    import threading
    from typing import Any, Callable, Deque, Dict, List, Sequence, Tuple

    from smartcard.monitoring.engine import Subscription
    from smartcard.monitoring.events import MonitorEvent, Snapshot

    ReaderFilter = Callable[[str], bool]

__all__ = ["PCSCCardRequest"]

# threading, weakref, collections and the monitoring engine are imported by
# the first card request, not with this module: applications import
# CardRequest at start-up, and those modules would triple its import time.


class _CardEventWatch:
    """Follows the cards of the watched readers between waitforcardevent() calls.

    It lives from the first call until the request is released (or garbage
    collected), so a change made between two calls is reported by the
    second, as pyscard did. Its callback never references the request, so
    an abandoned request can still be collected.
    """

    def __init__(self, condition: threading.Condition, wanted: ReaderFilter) -> None:
        self._condition = condition
        self._wanted = wanted
        self._readers: List[str] = []
        self._cards: Dict[str, Card] = {}
        self.changed = True  # the first call returns the cards present at once
        self.service_available: bool | None = None
        self._subscription: Subscription | None = None

    def start(self) -> None:
        """Subscribe; the caller holds the condition, so no event overtakes the snapshot."""
        from smartcard.monitoring.engine import get_engine

        self._subscription = get_engine().subscribe(self._on_events)
        snapshot = self._subscription.snapshot
        self._readers = list(snapshot.readers)
        self._cards = {
            name: Card(name, list(atr))
            for name, atr in snapshot.cards.items()
            if self._wanted(name)
        }
        self.service_available = snapshot.service_available

    def close(self) -> None:
        subscription, self._subscription = self._subscription, None
        if subscription is not None:
            subscription.unsubscribe()

    def cards(self) -> List[Card]:
        """The cards present, in reader listing order (as pyscard returned them)."""
        rank = {name: index for index, name in enumerate(self._readers)}
        return [self._cards[name] for name in sorted(self._cards, key=lambda n: rank.get(n, 0))]

    def _on_events(self, events: Sequence[MonitorEvent]) -> None:
        # Engine thread: bookkeeping only. (Loaded with the engine already.)
        from smartcard.monitoring.events import EventKind

        with self._condition:
            for event in events:
                if event.kind is EventKind.READER_ADDED:
                    self._readers.append(event.reader)
                elif event.kind is EventKind.READER_REMOVED:
                    if event.reader in self._readers:
                        self._readers.remove(event.reader)
                elif event.is_service_event:
                    self.service_available = event.kind is EventKind.SERVICE_RESTORED
                elif self._wanted(event.reader):
                    if event.kind is EventKind.CARD_INSERTED:
                        self._cards[event.reader] = Card(event.reader, list(event.atr))
                    else:
                        self._cards.pop(event.reader, None)
                    self.changed = True
            self._condition.notify_all()


def _close_watch(holder: List[_CardEventWatch | None]) -> None:
    watch = holder[0]
    holder[0] = None
    if watch is not None:
        watch.close()


class PCSCCardRequest(AbstractCardRequest):
    """Waits for cards using the shared monitoring engine.

    Parameters as :class:`~smartcard.AbstractCardRequest.AbstractCardRequest`.
    As in pyscard, ``timeout`` is then kept in milliseconds (INFINITE when
    None), and construction raises CardConnectionException if PC/SC cannot
    be reached.
    """

    def __init__(
        self,
        newcardonly: bool = False,
        readers: list[Any] | None = None,
        cardType: Any = None,
        cardServiceClass: Any = None,
        timeout: float | None = 1,
    ) -> None:
        import threading
        import weakref

        AbstractCardRequest.__init__(
            self, newcardonly, readers, cardType, cardServiceClass, timeout
        )
        self._wait_seconds = None if timeout is None else max(0.0, float(timeout))
        self.timeout = INFINITE if timeout is None else int(timeout * 1000)
        self.timeout_init = self.timeout
        # Fail now, like pyscard, when PC/SC is missing or pcscd is not running.
        release_context(establish_context(for_connection=True))
        self._condition = threading.Condition()
        self._released = False
        self._cancellations = 0
        self._watch_holder: List[_CardEventWatch | None] = [None]
        weakref.finalize(self, _close_watch, self._watch_holder)

    # -------------------------------------------------------------- control

    def release(self) -> None:
        """End the waits in progress (they raise CardRequestTimeoutException) and later ones.

        Callable from any thread, any number of times.
        """
        with self._condition:
            self._released = True
            self._cancellations += 1
            self._condition.notify_all()
        _close_watch(self._watch_holder)

    def getReaderNames(self) -> List[str]:
        """Names of the watched readers that are present now."""
        names = [str(reader) for reader in PCSCReader.readers()]
        if self.readersAsked is None:
            return names
        wanted = self._reader_filter()
        return [name for name in names if wanted(name)]

    # ---------------------------------------------------------------- waits

    def waitforcard(self) -> Any:
        """Wait for a matching card and return a card service around a connection to it."""
        wanted = self._reader_filter()
        deadline = self._deadline()
        from collections import deque

        from smartcard.monitoring.engine import get_engine
        from smartcard.monitoring.events import EventKind

        insertions: Deque[MonitorEvent] = deque()
        service_state: Dict[str, bool | None] = {"available": None}

        def on_events(events: Sequence[MonitorEvent]) -> None:
            with self._condition:
                for event in events:
                    if event.kind is EventKind.CARD_INSERTED and wanted(event.reader):
                        insertions.append(event)
                    elif event.is_service_event:
                        service_state["available"] = event.kind is EventKind.SERVICE_RESTORED
                self._condition.notify_all()

        with self._condition:
            cancellations = self._check_usable()
            subscription = get_engine().subscribe(on_events)
            snapshot = subscription.snapshot
            service_state["available"] = snapshot.service_available
        try:
            if not self.newcardonly:
                for name, atr in self._present_cards(snapshot, wanted):
                    service = self._service_for(name, atr)
                    if service is not None:
                        return service
            while True:
                with self._condition:
                    while not insertions:
                        self._wait(cancellations, deadline, service_state["available"])
                    self._check_cancelled(cancellations)
                    event = insertions.popleft()
                # Outside the lock: cardType.matches() is application code.
                service = self._service_for(event.reader, event.atr)
                if service is not None:
                    return service
        finally:
            subscription.unsubscribe()

    def waitforcardevent(self) -> List[Card]:
        """Wait for an insertion or removal in the watched readers; return the cards present.

        The first call returns at once; later calls return at the first
        change since the previous call returned.
        """
        deadline = self._deadline()
        with self._condition:
            cancellations = self._check_usable()
            watch = self._watch_holder[0]
            if watch is None:
                watch = _CardEventWatch(self._condition, self._reader_filter())
                watch.start()
                self._watch_holder[0] = watch
            while not watch.changed:
                self._wait(cancellations, deadline, watch.service_available)
            self._check_cancelled(cancellations)
            watch.changed = False
            return watch.cards()

    # ------------------------------------------------------------- helpers

    def _reader_filter(self) -> ReaderFilter:
        if self.readersAsked is None:
            return lambda name: True
        names = {reader if isinstance(reader, str) else str(reader) for reader in self.readersAsked}
        return names.__contains__

    def _deadline(self) -> float | None:
        if self._wait_seconds is None:
            return None
        return time.monotonic() + self._wait_seconds

    def _check_usable(self) -> int:
        """Call with the condition held; the cancellation count a wait starts from."""
        if self._released:
            raise CardRequestException("this card request was released; create a new one")
        return self._cancellations

    def _check_cancelled(self, cancellations: int) -> None:
        if self._cancellations != cancellations:
            raise CardRequestTimeoutException(hresult=SCARD_E_CANCELLED)

    def _wait(self, cancellations: int, deadline: float | None, service: bool | None) -> None:
        """Sleep on the condition (held) until notified; raise on release or time-out."""
        self._check_cancelled(cancellations)
        if deadline is None:
            self._condition.wait()
            return
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            # Say why nothing came when PC/SC itself is gone.
            raise CardRequestTimeoutException(
                hresult=SCARD_E_NO_SERVICE if service is False else SCARD_E_TIMEOUT
            )
        self._condition.wait(remaining)

    @staticmethod
    def _present_cards(snapshot: Snapshot, wanted: ReaderFilter) -> List[Tuple[str, bytes]]:
        return [
            (name, snapshot.cards[name])
            for name in snapshot.readers
            if name in snapshot.cards and wanted(name)
        ]

    def _service_for(self, reader_name: str, atr: bytes) -> Any:
        reader = PCSCReader(reader_name)
        if not self.cardType.matches(list(atr), reader):
            return None
        if not self.cardServiceClass.supports("dummy"):
            return None
        return self.cardServiceClass(reader.createConnection())


# Names pyscard 2.3.1's module held through its imports, resolved on first use.
from smartcard._reexports import from_module, lazy_names, scard  # noqa: E402

__getattr__ = lazy_names(
    __name__,
    {
        **from_module("smartcard.Exceptions", "CardConnectionException", "ListReadersException"),
        **scard(
            "SCARD_E_NO_READERS_AVAILABLE",
            "SCARD_E_SERVICE_STOPPED",
            "SCARD_E_SYSTEM_CANCELLED",
            "SCARD_E_UNKNOWN_READER",
            "SCARD_SCOPE_USER",
            "SCARD_STATE_CHANGED",
            "SCARD_STATE_PRESENT",
            "SCARD_STATE_UNAWARE",
            "SCARD_S_SUCCESS",
            "SCardCancel",
            "SCardEstablishContext",
            "SCardGetErrorMessage",
            "SCardGetStatusChange",
            "SCardListReaders",
            "SCardReleaseContext",
        ),
        "datetime": "datetime:datetime",
    },
)
