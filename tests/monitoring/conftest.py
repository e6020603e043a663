# SPDX-License-Identifier: LGPL-2.1-or-later
"""Helpers for the monitoring tests: recorders that wait on real conditions, and leak checks.

Every test that uses the private pcscd starts and ends with no monitoring
thread, no observer dispatcher and no registered observer, so tests cannot
feed each other events.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable, Iterator, List, Sequence

import pytest

#: How long a test waits for pcscd to notice a change (it polls vpcd every 0.4 s).
EVENT_TIMEOUT = 5.0


def wait_until(condition: Callable[[], Any], timeout: float = EVENT_TIMEOUT, what: str = "") -> Any:
    """Poll ``condition`` every 5 ms until it is true; fail the test after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what or condition}")
        time.sleep(0.005)


class Recorder:
    """Collects calls from any thread; tests wait for the ones they expect."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self.records: List[Any] = []

    def add(self, record: Any) -> None:
        with self._condition:
            self.records.append(record)
            self._condition.notify_all()

    def snapshot(self) -> List[Any]:
        with self._condition:
            return list(self.records)

    def wait_for(
        self, predicate: Callable[[List[Any]], Any], timeout: float = EVENT_TIMEOUT, what: str = ""
    ) -> Any:
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                value = predicate(self.records)
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    pytest.fail(f"timed out waiting for {what or predicate}; got {self.records}")
                self._condition.wait(remaining)

    def wait_count(self, count: int, timeout: float = EVENT_TIMEOUT) -> List[Any]:
        self.wait_for(lambda records: len(records) >= count, timeout, f"{count} records")
        return self.snapshot()


class EventRecorder(Recorder):
    """A monitoring engine callback that records every event with its arrival time."""

    def __call__(self, events: Sequence[Any]) -> None:
        now = time.monotonic()
        for event in events:
            self.add((now, event))

    def kinds(self) -> List[Any]:
        return [(event.kind.name, event.reader) for _, event in self.snapshot()]


def _monitoring_threads() -> List[str]:
    return [
        t.name
        for t in threading.enumerate()
        if t.name in ("smartcard-monitor", "smartcard-observers")
    ]


@pytest.fixture(autouse=True)
def no_leftover_monitoring(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tests on the real stack start and end with monitoring fully stopped."""
    if "pcscd" not in request.fixturenames:
        yield
        return
    from smartcard.CardMonitoring import CardMonitor
    from smartcard.ReaderMonitoring import ReaderMonitor

    wait_until(lambda: not _monitoring_threads(), what="monitoring threads of an earlier test")
    try:
        yield
    finally:
        # Clean up even after a failure, then check the test did not leak.
        leftovers = CardMonitor().countObservers() + ReaderMonitor().countObservers()
        CardMonitor().deleteObservers()
        ReaderMonitor().deleteObservers()
        wait_until(lambda: not _monitoring_threads(), what="monitoring threads to stop")
        assert leftovers == 0, "the test left observers registered"
