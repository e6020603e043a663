# SPDX-License-Identifier: LGPL-2.1-or-later
"""Engine behaviour on PC/SC stacks unlike pcscd 1.9, through a scripted stand-in binding.

Real-daemon behaviour is covered in test_engine.py; these cases (no PC/SC
library, no PnP notifications, a wait that never blocks) cannot be produced
with pcscd and vpcd, so a stand-in with smartcard.scard's constants plays them.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, List, Tuple

import pytest

from smartcard import scard
from smartcard.monitoring import PNP_NOTIFICATION, MonitorEngine

from .conftest import EventRecorder, wait_until

READER = "Stand-in Reader 00 00"
PRESENT = scard.SCARD_STATE_PRESENT | (1 << 16)


class StandIn:
    """smartcard.scard's constants, with scripted PC/SC functions."""

    def __init__(self) -> None:
        self.calls: List[Tuple[str, Any]] = []
        self.cancelled = threading.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(scard, name)

    def SCardEstablishContext(self, scope: int) -> Any:
        self.calls.append(("establish", None))
        return [scard.SCARD_S_SUCCESS, 1234]

    def SCardReleaseContext(self, context: int) -> int:
        return scard.SCARD_S_SUCCESS

    def SCardListReaders(self, context: int, groups: Any) -> Any:
        return [scard.SCARD_S_SUCCESS, [READER]]

    def SCardCancel(self, context: int) -> int:
        self.cancelled.set()
        return scard.SCARD_S_SUCCESS

    def SCardGetStatusChange(self, context: int, timeout: int, states: Any) -> Any:
        self.calls.append(("wait", (timeout, [name for name, _ in states])))
        return self.answer(timeout, states)

    def answer(self, timeout: int, states: Any) -> Any:
        raise NotImplementedError

    def block_until_cancelled(self) -> Any:
        self.cancelled.wait(5)
        self.cancelled.clear()
        return [scard.SCARD_E_CANCELLED, []]


def test_missing_pcsc_library_is_reported_once_and_monitoring_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class NoLibrary(StandIn):
        def SCardEstablishContext(self, scope: int) -> Any:
            self.calls.append(("establish", None))
            raise scard.PCSCLibraryError("libpcsclite.so.1: cannot open shared object file")

    api = NoLibrary()
    engine = MonitorEngine(api)
    with caplog.at_level(logging.DEBUG, logger="smartcard"):
        subscription = engine.subscribe(EventRecorder())
        assert subscription.snapshot.service_available is False
        wait_until(lambda: len(api.calls) >= 4, 2.0, "a few retries")
        subscription.unsubscribe()
    assert not engine.is_running
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "libpcsclite" in errors[0].getMessage()


def test_stack_without_pnp_notifications_falls_back_to_polling_the_reader_list() -> None:
    class NoPnP(StandIn):
        def answer(self, timeout: int, states: Any) -> Any:
            results = []
            for name, _ in states:
                if name == PNP_NOTIFICATION:
                    results.append((name, scard.SCARD_STATE_UNKNOWN | 2, []))
                else:
                    results.append((name, PRESENT, [0x3B, 0x00]))
            if timeout == scard.INFINITE:
                return self.block_until_cancelled()
            if timeout != 0:
                time.sleep(timeout / 1000)
                return [scard.SCARD_E_TIMEOUT, []]
            return [scard.SCARD_S_SUCCESS, results]

    api = NoPnP()
    engine = MonitorEngine(api)
    with engine.subscribe(EventRecorder()) as subscription:
        assert dict(subscription.snapshot.cards) == {READER: bytes([0x3B, 0x00])}
        wait_until(lambda: len([c for c in api.calls if c[0] == "wait"]) >= 2, 3.0)
    waits = [c[1] for c in api.calls if c[0] == "wait"]
    assert waits[0] == (0, [READER, PNP_NOTIFICATION])
    # Then: the reader alone, and a 1 s poll instead of an infinite wait.
    assert waits[1] == (1000, [READER])


def test_wait_that_never_blocks_does_not_spin() -> None:
    class NeverBlocks(StandIn):
        def answer(self, timeout: int, states: Any) -> Any:
            return [scard.SCARD_S_SUCCESS, [(name, current, []) for name, current in states]]

        def SCardListReaders(self, context: int, groups: Any) -> Any:
            return [scard.SCARD_E_NO_READERS_AVAILABLE, []]

    api = NeverBlocks()
    engine = MonitorEngine(api)
    with engine.subscribe(EventRecorder()):
        time.sleep(1.0)
    waits = len([c for c in api.calls if c[0] == "wait"])
    assert waits < 80, waits  # unchecked it would be tens of thousands


def test_unexpected_errors_end_in_a_service_loss_then_recovery() -> None:
    class Flaky(StandIn):
        failures = 3

        def answer(self, timeout: int, states: Any) -> Any:
            if Flaky.failures:
                Flaky.failures -= 1
                return [scard.SCARD_E_NO_MEMORY, []]
            if timeout == scard.INFINITE:
                return self.block_until_cancelled()
            return [scard.SCARD_S_SUCCESS, [(READER, PRESENT, [0x3B, 0x00])]]

    api = Flaky()
    engine = MonitorEngine(api)
    recorder = EventRecorder()
    with engine.subscribe(recorder, sync_timeout=0.05):
        wait_until(lambda: ("SERVICE_RESTORED", "") in recorder.kinds(), 3.0, "recovery")
        wait_until(lambda: ("CARD_INSERTED", READER) in recorder.kinds(), 3.0, "the card")
    assert not engine.is_running


def test_reader_and_card_events_reach_subscribers_in_separate_batches() -> None:
    """So that every reader observer hears of a reader before card observers of its card."""

    class ReaderArrives(StandIn):
        listings = 0

        def SCardListReaders(self, context: int, groups: Any) -> Any:
            ReaderArrives.listings += 1
            if ReaderArrives.listings == 1:
                return [scard.SCARD_E_NO_READERS_AVAILABLE, []]
            return [scard.SCARD_S_SUCCESS, [READER]]

        def answer(self, timeout: int, states: Any) -> Any:
            names = [name for name, _ in states]
            if names == [PNP_NOTIFICATION]:  # no reader yet: one arrives shortly
                time.sleep(0.1)
                return [scard.SCARD_S_SUCCESS, [(PNP_NOTIFICATION, scard.SCARD_STATE_CHANGED, [])]]
            if timeout == 0:
                return [
                    scard.SCARD_S_SUCCESS,
                    [(READER, PRESENT, [0x3B, 0x00]), states[-1] + ([],)],
                ]
            return self.block_until_cancelled()

    batches: List[Tuple[str, ...]] = []
    engine = MonitorEngine(ReaderArrives())
    with engine.subscribe(lambda events: batches.append(tuple(e.kind.name for e in events))):
        wait_until(lambda: len(batches) >= 2, 2.0, "the reader and its card")
    assert batches == [("READER_ADDED",), ("CARD_INSERTED",)]
