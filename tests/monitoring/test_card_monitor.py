# SPDX-License-Identifier: LGPL-2.1-or-later
"""CardMonitor / CardObserver against the private pcscd."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable, List, Tuple

import pytest

from smartcard.Card import Card
from smartcard.CardMonitoring import CardMonitor, CardMonitoringThread, CardObserver
from smartcard.monitoring import EventKind, get_engine
from smartcard.testing import ATR_T0, ATR_T1, PrivatePCSCD, VirtualCard

from .conftest import EventRecorder, Recorder, wait_until

Factory = Callable[..., VirtualCard]
T1 = list(ATR_T1)
T0 = list(ATR_T0)


class RecordingObserver(CardObserver):
    """Records (thread name, added, removed) for each update, and the service hooks."""

    def __init__(self) -> None:
        self.recorder = Recorder()

    def update(self, observable: Any, handlers: Any) -> None:
        added, removed = handlers
        self.recorder.add((threading.current_thread().name, list(added), list(removed)))

    def service_lost(self, observable: Any) -> None:
        self.recorder.add(("service_lost",))

    def service_restored(self, observable: Any) -> None:
        self.recorder.add(("service_restored",))

    def updates(self) -> List[Tuple[List[Card], List[Card]]]:
        return [(r[1], r[2]) for r in self.recorder.snapshot() if len(r) == 3]

    def wait_updates(self, count: int) -> List[Tuple[List[Card], List[Card]]]:
        self.recorder.wait_for(lambda records: len([r for r in records if len(r) == 3]) >= count)
        return self.updates()


class ConsistencyObserver(CardObserver):
    """Checks that each update applies to what this observer was told before."""

    def __init__(self) -> None:
        self.present: set = set()
        self.violations: List[str] = []
        self.calls = 0

    def update(self, observable: Any, handlers: Any) -> None:
        self.calls += 1
        added, removed = handlers
        for card in removed:
            if card not in self.present:
                self.violations.append(f"removed {card} never added")
            self.present.discard(card)
        for card in added:
            if card in self.present:
                self.violations.append(f"added {card} twice")
            self.present.add(card)


def test_card_present_at_start_is_reported_to_each_new_observer_and_its_removal_later(
    pcscd: PrivatePCSCD, virtual_card: VirtualCard
) -> None:
    """The pyscard 2.2.2 regression: both halves must hold."""
    r0 = pcscd.reader_names[0]
    card = Card(r0, T1)
    monitor = CardMonitor()
    first, second = RecordingObserver(), RecordingObserver()
    monitor.addObserver(first)
    # The initial update is made at once, in the caller's thread.
    assert first.recorder.snapshot() == [("MainThread", [card], [])]
    monitor.addObserver(second)
    assert second.recorder.snapshot() == [("MainThread", [card], [])]
    pcscd.remove_card(0)
    for observer in (first, second):
        observer.wait_updates(2)
        assert observer.recorder.snapshot()[1] == ("smartcard-observers", [], [card])
    monitor.deleteObserver(first)
    monitor.deleteObserver(second)
    assert isinstance(monitor.rmthread, CardMonitoringThread)


def test_first_observer_with_no_card_gets_an_empty_update(pcscd: PrivatePCSCD) -> None:
    monitor = CardMonitor()
    observer = RecordingObserver()
    monitor.addObserver(observer)
    monitor.addObserver(observer)  # already registered: ignored
    try:
        assert observer.updates() == [([], [])]
        assert monitor.countObservers() == 1
    finally:
        monitor.deleteObserver(observer)


def test_insertions_and_removals_in_both_readers(
    pcscd: PrivatePCSCD, virtual_card_factory: Factory
) -> None:
    r0, r1 = pcscd.reader_names
    monitor = CardMonitor()
    observer = RecordingObserver()
    monitor.addObserver(observer)
    try:
        virtual_card_factory(0)
        observer.wait_updates(2)
        virtual_card_factory(1, atr=ATR_T0)
        observer.wait_updates(3)
        pcscd.remove_card(0)
        observer.wait_updates(4)
        pcscd.remove_card(1)
        updates = observer.wait_updates(5)
        assert monitor.rmthread.cards == []
    finally:
        monitor.deleteObserver(observer)
    assert updates == [
        ([], []),
        ([Card(r0, T1)], []),
        ([Card(r1, T0)], []),
        ([], [Card(r0, T1)]),
        ([], [Card(r1, T0)]),
    ]
    assert all(type(c.atr) is list and type(c.reader) is str for a, _ in updates for c in a)


def test_observer_that_raises_does_not_stop_the_others(
    pcscd: PrivatePCSCD, virtual_card_factory: Factory, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken(CardObserver):
        calls = 0

        def update(self, observable: Any, handlers: Any) -> None:
            Broken.calls += 1
            raise ValueError("broken observer")

    monitor = CardMonitor()
    broken, healthy = Broken(), RecordingObserver()
    with caplog.at_level(logging.ERROR, logger="smartcard"):
        monitor.addObserver(broken)  # its initial update raises too: logged, not raised
        monitor.addObserver(healthy)
        try:
            virtual_card_factory(0)
            healthy.wait_updates(2)
            pcscd.remove_card(0)
            healthy.wait_updates(3)
        finally:
            monitor.deleteObserver(broken)
            monitor.deleteObserver(healthy)
    assert Broken.calls == 3
    logged = [r for r in caplog.records if r.exc_info and "broken observer" in str(r.exc_info[1])]
    assert len(logged) == 3 and all(r.name.startswith("smartcard") for r in logged)


def test_observers_added_and_removed_from_inside_update(
    pcscd: PrivatePCSCD, virtual_card_factory: Factory
) -> None:
    monitor = CardMonitor()
    newcomer = RecordingObserver()

    class Handover(CardObserver):
        def __init__(self) -> None:
            self.calls = 0

        def update(self, observable: Any, handlers: Any) -> None:
            self.calls += 1
            if self.calls == 2:  # the first dispatched update
                observable.addObserver(newcomer)
                observable.deleteObserver(self)

    handover = Handover()
    monitor.addObserver(handover)
    virtual_card_factory(0)
    r0 = pcscd.reader_names[0]
    # The newcomer's initial update (in the dispatcher thread) includes the card.
    newcomer.recorder.wait_for(lambda records: len(records) == 1)
    assert newcomer.recorder.snapshot() == [("smartcard-observers", [Card(r0, T1)], [])]
    pcscd.remove_card(0)
    assert newcomer.wait_updates(2)[1] == ([], [Card(r0, T1)])
    assert handover.calls == 2 and monitor.countObservers() == 1
    monitor.deleteObserver(newcomer)


def test_observers_added_and_removed_from_many_threads(
    pcscd: PrivatePCSCD, virtual_card_factory: Factory
) -> None:
    monitor = CardMonitor()
    anchor = ConsistencyObserver()
    monitor.addObserver(anchor)
    errors: List[BaseException] = []
    observers: List[ConsistencyObserver] = []
    stop = threading.Event()

    def churn() -> None:
        try:
            while not stop.is_set():
                observer = ConsistencyObserver()
                observers.append(observer)
                monitor.addObserver(observer)
                time.sleep(0.001)
                monitor.deleteObserver(observer)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=churn) for _ in range(8)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(2):
            virtual_card_factory(0)
            wait_until(lambda: anchor.present, what="the insertion")
            pcscd.remove_card(0)
            wait_until(lambda: not anchor.present, what="the removal")
    finally:
        stop.set()
        for thread in threads:
            thread.join(10)
        monitor.deleteObserver(anchor)
    assert not errors
    assert len(observers) > 50
    assert anchor.calls == 5 and not anchor.violations
    assert not [v for o in observers for v in o.violations]


def test_slow_observer_does_not_hold_up_event_delivery(
    pcscd: PrivatePCSCD, virtual_card_factory: Factory
) -> None:
    """Observers run on the dispatcher thread, so the engine keeps watching pcscd."""
    release = threading.Event()

    class Slow(CardObserver):
        def update(self, observable: Any, handlers: Any) -> None:
            if handlers[0] and threading.current_thread().name == "smartcard-observers":
                release.wait(10)

    monitor = CardMonitor()
    monitor.addObserver(Slow())
    engine_events = EventRecorder()
    try:
        with get_engine().subscribe(engine_events):
            virtual_card_factory(0)
            pcscd.remove_card(0)
            # The removal reached the engine's subscribers while the observer sleeps.
            engine_events.wait_for(
                lambda records: any(e.kind is EventKind.CARD_REMOVED for _, e in records)
            )
            assert not release.is_set()
    finally:
        release.set()
        monitor.deleteObservers()


def test_observers_run_on_the_thread_pcscd_woke_while_the_worker_is_idle(
    pcscd: PrivatePCSCD, virtual_card_factory: Factory, caplog: pytest.LogCaptureFixture
) -> None:
    """No thread hand-off between pcscd and the observers (pyscard has none either).

    The engine thread that received an insertion runs the observers, as the
    worker; the idle worker carries on with the engine loop. Jobs swap
    again at each event, and two threads do all the work.
    """
    ran_on: List[Tuple[int, str]] = []
    seen = threading.Event()

    class Where(CardObserver):
        def update(self, observable: Any, handlers: Any) -> None:
            if handlers[0] or handlers[1]:
                current = threading.current_thread()
                ran_on.append((current.ident or 0, current.name))
                seen.set()

    monitor = CardMonitor()
    observer = Where()
    monitor.addObserver(observer)
    engine = get_engine()
    try:
        for index in range(4):
            woken = engine.thread
            assert woken is not None
            seen.clear()
            if index % 2 == 0:
                virtual_card_factory(0)
            else:
                pcscd.remove_card(0)
            assert seen.wait(5)
            assert ran_on[-1] == (woken.ident, "smartcard-observers")
            successor = engine.thread
            assert successor is not None and successor is not woken and successor.is_alive()
            assert successor.name == "smartcard-monitor"
            names = [t.name for t in threading.enumerate() if t.name.startswith("smartcard-")]
            assert sorted(names) == ["smartcard-monitor", "smartcard-observers"]
        assert CardMonitor().rmthread.cards == []  # in, out, in, out
    finally:
        monitor.deleteObserver(observer)
    assert not engine.is_running
    wait_until(
        lambda: not [t for t in threading.enumerate() if t.name.startswith("smartcard-")],
        1.0,
        "both threads to end",
    )
    assert "did not stop" not in caplog.text


def test_pcscd_restart_while_monitoring(pcscd: PrivatePCSCD, virtual_card_factory: Factory) -> None:
    r0, r1 = pcscd.reader_names
    virtual_card_factory(0)
    monitor = CardMonitor()
    observer = RecordingObserver()
    monitor.addObserver(observer)
    try:
        pcscd.stop()
        observer.recorder.wait_for(lambda records: len(records) >= 3)
        assert observer.recorder.snapshot()[1:] == [
            ("service_lost",),
            ("smartcard-observers", [], [Card(r0, T1)]),
        ]
        pcscd.start()  # the card is still in the reader
        observer.recorder.wait_for(lambda records: len(records) >= 5, 4.0)
        assert observer.recorder.snapshot()[3:] == [
            ("service_restored",),
            ("smartcard-observers", [Card(r0, T1)], []),
        ]
        virtual_card_factory(1)
        observer.recorder.wait_for(lambda records: len(records) >= 6)
        assert observer.recorder.snapshot()[5] == ("smartcard-observers", [Card(r1, T1)], [])
    finally:
        monitor.deleteObserver(observer)


def test_monitor_objects_share_one_monitor(pcscd: PrivatePCSCD) -> None:
    first, second = CardMonitor(), CardMonitor()
    assert first is not second and first.instance is second.instance
    assert str(first.instance) == "CardMonitor"
    observer = RecordingObserver()
    first.addObserver(observer)
    assert second.countObservers() == 1
    assert first.rmthread.is_alive()
    second.deleteObserver(observer)
    assert not first.rmthread.is_alive()
    with pytest.raises(ValueError):
        first.deleteObserver(observer)


def test_monitoring_threads_stop_with_the_last_observer(pcscd: PrivatePCSCD) -> None:
    monitor = CardMonitor()
    observer = RecordingObserver()
    monitor.addObserver(observer)
    names = {t.name for t in threading.enumerate()}
    assert {"smartcard-monitor", "smartcard-observers"} <= names
    monitor.deleteObserver(observer)
    assert not get_engine().is_running
    wait_until(
        lambda: "smartcard-observers" not in {t.name for t in threading.enumerate()},
        1.0,
        "the dispatcher thread to end",
    )


def test_readers_are_announced_before_their_cards_and_withdrawn_after(
    pcscd: PrivatePCSCD, virtual_card_factory: Factory
) -> None:
    """Across the two monitors: what a GUI showing readers and their cards needs."""
    from smartcard.ReaderMonitoring import ReaderMonitor, ReaderObserver

    r0 = pcscd.reader_names[0]
    journal = Recorder()

    class Cards(CardObserver):
        def update(self, observable: Any, handlers: Any) -> None:
            journal.add(("cards", [c.reader for c in handlers[0]], [c.reader for c in handlers[1]]))

    class Readers(ReaderObserver):
        def update(self, observable: Any, handlers: Any) -> None:
            journal.add(("readers", [str(r) for r in handlers[0]], [str(r) for r in handlers[1]]))

    virtual_card_factory(0)
    cards, readers = Cards(), Readers()
    # Card observer first: without care, it would also be told first.
    CardMonitor().addObserver(cards)
    ReaderMonitor().addObserver(readers)
    try:
        pcscd.stop()
        journal.wait_for(lambda records: len(records) >= 4)
        pcscd.start()
        journal.wait_for(lambda records: len(records) >= 6, 4.0)
    finally:
        CardMonitor().deleteObserver(cards)
        ReaderMonitor().deleteObserver(readers)
    both = list(pcscd.reader_names)
    assert journal.snapshot()[2:] == [
        ("cards", [], [r0]),
        ("readers", [], both),
        ("readers", both, []),
        ("cards", [r0], []),
    ]
