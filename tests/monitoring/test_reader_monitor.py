# SPDX-License-Identifier: LGPL-2.1-or-later
"""ReaderMonitor / ReaderObserver against the private pcscd."""

from __future__ import annotations

import threading
import time
from typing import Any, List

from smartcard.monitoring import get_engine
from smartcard.pcsc.PCSCReader import PCSCReader
from smartcard.ReaderMonitoring import ReaderMonitor, ReaderMonitoringThread, ReaderObserver
from smartcard.testing import PrivatePCSCD

from .conftest import Recorder, wait_until


class RecordingReaderObserver(ReaderObserver):
    def __init__(self) -> None:
        self.recorder = Recorder()

    def update(self, observable: Any, handlers: Any) -> None:
        added, removed = handlers
        self.recorder.add((threading.current_thread().name, list(added), list(removed)))

    def service_lost(self, observable: Any) -> None:
        self.recorder.add(("service_lost",))

    def service_restored(self, observable: Any) -> None:
        self.recorder.add(("service_restored",))


def test_every_new_observer_gets_the_readers_at_once(pcscd: PrivatePCSCD) -> None:
    """pyscard 2.3.1 told only the first observer, from its polling thread."""
    readers = [PCSCReader(name) for name in pcscd.reader_names]
    monitor = ReaderMonitor()
    first, second = RecordingReaderObserver(), RecordingReaderObserver()
    monitor.addObserver(first)
    monitor.addObserver(second)
    try:
        assert first.recorder.snapshot() == [("MainThread", readers, [])]
        assert second.recorder.snapshot() == [("MainThread", readers, [])]
        assert all(type(r) is PCSCReader for r in first.recorder.snapshot()[0][1])
        assert str(monitor) == "ReaderMonitor"
        assert ReaderMonitor().countObservers() == 2  # shared state
    finally:
        monitor.deleteObserver(first)
        monitor.deleteObserver(second)
    assert not get_engine().is_running


def test_pcscd_restart_reports_readers_removed_then_added(pcscd: PrivatePCSCD) -> None:
    readers = [PCSCReader(name) for name in pcscd.reader_names]
    monitor = ReaderMonitor()
    observer = RecordingReaderObserver()
    monitor.addObserver(observer)
    try:
        pcscd.stop()
        observer.recorder.wait_for(lambda records: len(records) >= 3)
        pcscd.start()
        back = time.monotonic()
        observer.recorder.wait_for(lambda records: len(records) >= 5, 3.0)
        delay = time.monotonic() - back
    finally:
        monitor.deleteObserver(observer)
    assert observer.recorder.snapshot() == [
        ("MainThread", readers, []),
        ("service_lost",),
        ("smartcard-observers", [], readers),
        ("service_restored",),
        ("smartcard-observers", readers, []),
    ]
    assert delay < 1.5, delay  # reconnection attempts are at most 1 s apart


def test_custom_reader_proc_is_polled_every_period(pcscd: PrivatePCSCD) -> None:
    listed: List[str] = ["A"]
    calls: List[float] = []

    def reader_proc() -> List[str]:
        calls.append(time.monotonic())
        if len(calls) == 3:
            raise RuntimeError("transient failure")  # logged; polling goes on
        return list(listed)

    monitor = ReaderMonitor(readerProc=reader_proc, period=0.05)
    observer = RecordingReaderObserver()
    monitor.addObserver(observer)
    try:
        assert observer.recorder.snapshot() == [("MainThread", ["A"], [])]
        thread = monitor.rmthread
        assert isinstance(thread, ReaderMonitoringThread) and thread.is_alive()
        listed[:] = ["A", "B"]
        observer.recorder.wait_for(lambda records: len(records) >= 2)
        listed[:] = ["B"]
        observer.recorder.wait_for(lambda records: len(records) >= 3)
        assert not get_engine().is_running  # polling only: the engine is not used
    finally:
        monitor.deleteObserver(observer)
    assert not thread.is_alive()
    assert [r[1:] for r in observer.recorder.snapshot()] == [
        (["A"], []),
        (["B"], []),
        ([], ["A"]),
    ]
    assert observer.recorder.snapshot()[1][0] == "smartcard.ReaderMonitoringThread"
    assert len(calls) >= 4


def test_start_on_demand_false_monitors_without_observers(pcscd: PrivatePCSCD) -> None:
    monitor = ReaderMonitor(startOnDemand=False)
    try:
        assert get_engine().is_running
        observer = RecordingReaderObserver()
        monitor.addObserver(observer)
        monitor.deleteObserver(observer)
        assert get_engine().is_running  # keeps running without observers
    finally:
        # Constructing with the defaults again makes monitoring on demand.
        ReaderMonitor().deleteObservers()
    wait_until(lambda: not get_engine().is_running, 1.0, "the engine to stop")
