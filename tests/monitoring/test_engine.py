# SPDX-License-Identifier: LGPL-2.1-or-later
"""The monitoring engine against the private pcscd: events, restarts, stopping, idling."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
import threading
import time
from typing import Any, Callable, List, Sequence, Tuple

import pytest

from smartcard import scard
from smartcard.monitoring import EventKind, MonitorEngine, get_engine
from smartcard.testing import ATR_T0, ATR_T1, PrivatePCSCD, VirtualCard

from .conftest import EventRecorder, wait_until

Factory = Callable[..., VirtualCard]


def raw_state(reader: str) -> int:
    """dwEventState of ``reader`` as PC/SC reports it to a fresh context."""
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    assert hresult == scard.SCARD_S_SUCCESS
    try:
        hresult, states = scard.SCardGetStatusChange(
            context, 0, [(reader, scard.SCARD_STATE_UNAWARE)]
        )
        assert hresult == scard.SCARD_S_SUCCESS
        return states[0][1]
    finally:
        scard.SCardReleaseContext(context)


def has(kind: EventKind, reader: str = "", atr: bytes | None = None) -> Callable[[List], bool]:
    def predicate(records: List[Tuple[float, Any]]) -> bool:
        return any(
            e.kind is kind and e.reader == reader and (atr is None or e.atr == atr)
            for _, e in records
        )

    return predicate


def task_context_switches(native_id: int) -> int:
    with open(f"/proc/self/task/{native_id}/status") as status:
        fields = dict(line.split(":", 1) for line in status if "ctxt_switches" in line)
    return sum(int(value) for value in fields.values())


# ---------------------------------------------------------------- the basics


def test_snapshot_shows_readers_and_a_card_present_before_start(
    pcscd: PrivatePCSCD, virtual_card: VirtualCard
) -> None:
    engine = get_engine()
    assert not engine.is_running
    with engine.subscribe(EventRecorder()) as subscription:
        assert engine.is_running
        snapshot = subscription.snapshot
        assert snapshot.readers == pcscd.reader_names
        assert dict(snapshot.cards) == {pcscd.reader_names[0]: ATR_T1}
        assert snapshot.service_available is True
    wait_until(lambda: not engine.is_running, 1.0, "the engine thread to stop")


def test_insertions_and_removals_in_order(
    pcscd: PrivatePCSCD, virtual_card_factory: Factory
) -> None:
    r0, r1 = pcscd.reader_names
    recorder = EventRecorder()
    with get_engine().subscribe(recorder) as subscription:
        assert dict(subscription.snapshot.cards) == {}
        virtual_card_factory(0)
        recorder.wait_for(has(EventKind.CARD_INSERTED, r0, ATR_T1))
        virtual_card_factory(1, atr=ATR_T0)
        recorder.wait_for(has(EventKind.CARD_INSERTED, r1, ATR_T0))
        pcscd.remove_card(0)
        recorder.wait_for(has(EventKind.CARD_REMOVED, r0, ATR_T1))
        pcscd.remove_card(1)
        recorder.wait_for(has(EventKind.CARD_REMOVED, r1, ATR_T0))
    assert recorder.kinds() == [
        ("CARD_INSERTED", r0),
        ("CARD_INSERTED", r1),
        ("CARD_REMOVED", r0),
        ("CARD_REMOVED", r1),
    ]


def test_card_swapped_while_the_engine_is_busy_shows_as_removal_and_insertion(
    pcscd: PrivatePCSCD, virtual_card_factory: Factory
) -> None:
    """The event counter in dwEventState reveals a swap the engine did not watch.

    With vpcd, pcscd itself always sees a swap as two changes on two polls
    (vpcd notices the closed connection on one poll and accepts the new card
    on the next), so a blocked SCardGetStatusChange wakes twice. To exercise
    the counter, the engine thread is held in a callback during the swap.
    """
    r0, r1 = pcscd.reader_names
    virtual_card_factory(0)
    counter_before = raw_state(r0) >> 16
    release = threading.Event()
    held = threading.Event()
    recorder = EventRecorder()

    def hold_engine(events: Sequence[Any]) -> None:
        if any(e.kind is EventKind.CARD_INSERTED and e.reader == r1 for e in events):
            held.set()
            release.wait(10)

    with get_engine().subscribe(hold_engine), get_engine().subscribe(recorder):
        virtual_card_factory(1)
        assert held.wait(5)
        swapped_atr = bytes.fromhex("3B021450")
        pcscd.remove_card(0)
        pcscd.insert_card(0, VirtualCard(atr=ATR_T1))  # same ATR: only the counter tells
        assert (raw_state(r0) >> 16) - counter_before == 2
        pcscd.remove_card(1)
        pcscd.insert_card(1, VirtualCard(atr=swapped_atr))
        release.set()
        recorder.wait_for(has(EventKind.CARD_INSERTED, r1, swapped_atr))
        recorder.wait_for(has(EventKind.CARD_INSERTED, r0))
    # One batch for both swaps: removals first, then insertions.
    assert recorder.kinds() == [
        ("CARD_INSERTED", r1),
        ("CARD_REMOVED", r0),
        ("CARD_REMOVED", r1),
        ("CARD_INSERTED", r0),
        ("CARD_INSERTED", r1),
    ]


def test_failing_callback_is_logged_and_others_still_served(
    pcscd: PrivatePCSCD, virtual_card_factory: Factory, caplog: pytest.LogCaptureFixture
) -> None:
    r0 = pcscd.reader_names[0]
    calls = []

    def broken(events: Sequence[Any]) -> None:
        calls.append(events)
        raise RuntimeError("observer bug")

    recorder = EventRecorder()
    with caplog.at_level(logging.ERROR, logger="smartcard"):
        with get_engine().subscribe(broken), get_engine().subscribe(recorder):
            virtual_card_factory(0)
            recorder.wait_for(has(EventKind.CARD_INSERTED, r0))
            pcscd.remove_card(0)
            recorder.wait_for(has(EventKind.CARD_REMOVED, r0))
    assert len(calls) == 2
    failures = [r for r in caplog.records if r.exc_info and "observer bug" in str(r.exc_info[1])]
    assert len(failures) == 2 and failures[0].name.startswith("smartcard")


def test_unsubscribe_from_inside_the_callback(
    pcscd: PrivatePCSCD, virtual_card_factory: Factory
) -> None:
    engine = get_engine()
    calls: List[Any] = []
    holder: List[Any] = []

    def once(events: Sequence[Any]) -> None:
        calls.append(events)
        holder[0].unsubscribe()

    holder.append(engine.subscribe(once))
    virtual_card_factory(0)
    wait_until(lambda: calls, what="the first batch")
    wait_until(lambda: not engine.is_running, 1.0, "the engine to stop")
    assert len(calls) == 1 and not holder[0].active


class _ConsistentSubscriber:
    """Applies its batches to its snapshot and notes anything that does not fit."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.cards: dict | None = None  # None until the snapshot is known
        self.early: List[Sequence[Any]] = []
        self.batches = 0
        self.violations: List[str] = []

    def start_from(self, snapshot: Any) -> None:
        with self._lock:
            self.cards = dict(snapshot.cards)
            for events in self.early:  # batches that beat subscribe() returning
                self._apply(events)

    def __call__(self, events: Sequence[Any]) -> None:
        with self._lock:
            self.batches += 1
            if self.cards is None:
                self.early.append(events)
            else:
                self._apply(events)

    def _apply(self, events: Sequence[Any]) -> None:
        assert self.cards is not None
        for event in events:
            if event.kind is EventKind.CARD_INSERTED:
                if event.reader in self.cards:
                    self.violations.append(f"{event} on top of a card")
                self.cards[event.reader] = event.atr
            elif event.kind is EventKind.CARD_REMOVED:
                if self.cards.pop(event.reader, None) != event.atr:
                    self.violations.append(f"{event} of a card never seen")


def test_subscribe_and_unsubscribe_from_many_threads(
    pcscd: PrivatePCSCD, virtual_card_factory: Factory
) -> None:
    """Snapshot + events stay consistent for subscriptions made while events flow."""
    engine = get_engine()
    errors: List[BaseException] = []
    subscribers: List[_ConsistentSubscriber] = []
    stop = threading.Event()

    def churn() -> None:
        try:
            while not stop.is_set():
                subscriber = _ConsistentSubscriber()
                subscription = engine.subscribe(subscriber)
                subscriber.start_from(subscription.snapshot)
                subscribers.append(subscriber)
                time.sleep(0.002)
                subscription.unsubscribe()
        except BaseException as exc:  # reported below
            errors.append(exc)

    recorder = EventRecorder()
    steady = engine.subscribe(recorder)
    threads = [threading.Thread(target=churn) for _ in range(16)]
    try:
        for thread in threads:
            thread.start()
        for _ in range(2):
            virtual_card_factory(0)
            pcscd.remove_card(0)
        recorder.wait_for(lambda records: len(records) == 4, what="2 insertions, 2 removals")
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
        steady.unsubscribe()
    assert not errors and not any(t.is_alive() for t in threads)
    assert len(subscribers) > 100
    assert sum(s.batches for s in subscribers) > 0  # some saw events mid-flight
    assert not [v for s in subscribers for v in s.violations]
    wait_until(lambda: not engine.is_running, 1.0, "the engine to stop")


# ------------------------------------------------------------- stop and idle


def test_stop_is_prompt(pcscd: PrivatePCSCD) -> None:
    engine = get_engine()
    durations = []
    for _ in range(5):
        subscription = engine.subscribe(lambda events: None)
        thread = engine.thread
        assert thread is not None
        time.sleep(0.05)  # let it block in SCardGetStatusChange(INFINITE)
        started = time.perf_counter()
        subscription.unsubscribe()
        durations.append(time.perf_counter() - started)
        assert not thread.is_alive()
    assert max(durations) < 0.1, durations


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_idle_engine_does_not_wake_up(pcscd: PrivatePCSCD, virtual_card: VirtualCard) -> None:
    engine = get_engine()
    with engine.subscribe(lambda events: None):
        thread = engine.thread
        assert thread is not None and thread.native_id is not None
        time.sleep(0.5)  # pcscd powers the idle card down meanwhile
        before = task_context_switches(thread.native_id)
        time.sleep(2.0)
        after = task_context_switches(thread.native_id)
    # pyscard's monitors wake several times a second; this one not at all.
    assert after - before <= 2, after - before


# ------------------------------------------------------------ pcscd restarts


def test_pcscd_restart_reports_everything_gone_then_back(
    pcscd: PrivatePCSCD, virtual_card_factory: Factory
) -> None:
    r0, r1 = pcscd.reader_names
    virtual_card_factory(0)
    recorder = EventRecorder()
    with get_engine().subscribe(recorder):
        pcscd.stop()
        recorder.wait_for(has(EventKind.READER_REMOVED, r1))
        assert recorder.kinds() == [
            ("SERVICE_LOST", ""),
            ("CARD_REMOVED", r0),
            ("READER_REMOVED", r0),
            ("READER_REMOVED", r1),
        ]
        assert get_engine().snapshot().service_available is False
        pcscd.start()  # puts the card back, as in a real reader
        back = time.monotonic()
        recorder.wait_for(has(EventKind.READER_ADDED, r1), 3.0)
        reported = recorder.snapshot()[-1][0]
        recorder.wait_for(has(EventKind.CARD_INSERTED, r0))
        virtual_card_factory(1)
        recorder.wait_for(has(EventKind.CARD_INSERTED, r1))
    after_restart = recorder.kinds()[4:]
    # vpcd hands the card back to the new pcscd on its first poll, so whether
    # the readers are first seen with or without it depends on timing.
    assert after_restart[0] == ("SERVICE_RESTORED", "")
    assert sorted(after_restart[1:4]) == [
        ("CARD_INSERTED", r0),
        ("READER_ADDED", r0),
        ("READER_ADDED", r1),
    ]
    assert after_restart.index(("READER_ADDED", r0)) < after_restart.index(("CARD_INSERTED", r0))
    assert after_restart[4:] == [("CARD_INSERTED", r1)]
    assert reported - back < 1.5  # retries are at most a second apart


class _CountingScard:
    """smartcard.scard, counting SCardEstablishContext calls."""

    def __init__(self) -> None:
        self.establish_calls: List[float] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(scard, name)

    def SCardEstablishContext(self, scope: int) -> Any:
        self.establish_calls.append(time.monotonic())
        return scard.SCardEstablishContext(scope)


def test_reconnection_backs_off_without_spinning(pcscd: PrivatePCSCD) -> None:
    api = _CountingScard()
    engine = MonitorEngine(api)
    recorder = EventRecorder()
    subscription = engine.subscribe(recorder)
    try:
        pcscd.stop()
        recorder.wait_for(has(EventKind.SERVICE_LOST))
        lost = time.monotonic()
        time.sleep(3.0)
        attempts = [t - lost for t in api.establish_calls if t >= lost]
        # At once, then 50 ms doubling to 1 s: about 8 attempts in 3 s.
        assert 5 <= len(attempts) <= 10, attempts
        gaps = [b - a for a, b in zip(attempts, attempts[1:])]
        assert max(gaps) <= 1.1 and gaps[-1] >= 0.7, gaps
        pcscd.start()
        recorder.wait_for(has(EventKind.SERVICE_RESTORED), 3.0)
    finally:
        subscription.unsubscribe()
        if not pcscd.is_running:
            pcscd.start()
    assert not engine.is_running


# -------------------------------------------------------- interpreter exit


def test_interpreter_exit_with_monitors_running_is_quick_and_silent(
    pcscd: PrivatePCSCD, virtual_card: VirtualCard
) -> None:
    code = textwrap.dedent(
        """
        import threading
        from smartcard.CardMonitoring import CardMonitor, CardObserver
        from smartcard.ReaderMonitoring import ReaderMonitor, ReaderObserver
        from smartcard.CardRequest import CardRequest

        CardMonitor().addObserver(CardObserver())
        ReaderMonitor().addObserver(ReaderObserver())
        waiter = threading.Thread(
            target=CardRequest(newcardonly=True, timeout=None).waitforcard, daemon=True
        )
        waiter.start()
        print("monitoring")
        """
    )
    env = dict(os.environ, **pcscd.env)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=20
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert result.stdout == "monitoring\n"
    assert result.stderr == ""
    assert elapsed < 5.0
