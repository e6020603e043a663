# SPDX-License-Identifier: LGPL-2.1-or-later
"""Public library APIs (readers(), PCSCCardConnection, connect(), the monitor engine)
on the fake backend: what they do on failures pcscd cannot produce on demand."""

from __future__ import annotations

import threading
import time
from typing import Callable, Iterator, List, Sequence

import pytest

from smartcard import scard
from smartcard.connecting import connect
from smartcard.Exceptions import (
    CardConnectionException,
    CardServiceNotFoundException,
    CardServiceStoppedException,
    ListReadersException,
    NoCardException,
    NoReadersException,
)
from smartcard.monitoring import MonitorEngine
from smartcard.monitoring.events import EventKind, MonitorEvent
from smartcard.pcsc import PCSCExceptions
from smartcard.System import readers
from smartcard.testing import FakeBackend, FakeCard

READER = "Fake Reader 00 00"
ATR = bytes.fromhex("3B800181")  # T=1 only
APDU = [0x00, 0xB0, 0x00, 0x00, 0x02]


@pytest.fixture
def fake(fake_pcsc: FakeBackend) -> FakeBackend:
    fake_pcsc.add_reader(READER, FakeCard(ATR, {bytes(APDU): "CA FE 90 00"}))
    return fake_pcsc


# -- smartcard.System.readers() -----------------------------------------------------


def test_readers_lists_the_fake_readers_with_a_context_released(fake: FakeBackend) -> None:
    fake.add_reader("Fake Reader 01 00")
    assert [str(r) for r in readers()] == [READER, "Fake Reader 01 00"]
    assert fake.contexts == []
    assert [c.name for c in fake.calls] == [
        "SCardEstablishContext",
        "SCardListReaders",
        "SCardReleaseContext",
    ]


def test_readers_without_readers_is_empty(fake_pcsc: FakeBackend) -> None:
    assert readers() == []


def test_readers_with_service_stopped_raises_the_service_stopped_family(fake: FakeBackend) -> None:
    fake.fail_next("SCardEstablishContext", "SCARD_E_SERVICE_STOPPED")
    with pytest.raises(ListReadersException) as caught:
        readers()
    assert type(caught.value) is PCSCExceptions.PCSCServiceStoppedError
    assert isinstance(caught.value, CardServiceStoppedException)


def test_readers_without_service_raises_service_not_found(fake: FakeBackend) -> None:
    fake.stop_service()
    with pytest.raises(CardServiceNotFoundException):
        readers()


# -- PCSCCardConnection ----------------------------------------------------------------


def test_connection_transmits_and_cleans_up(fake: FakeBackend) -> None:
    connection = readers()[0].createConnection()
    connection.connect()
    assert connection.getATR() == list(ATR)
    assert connection.transmit(APDU) == ([0xCA, 0xFE], 0x90, 0x00)
    connection.disconnect()
    connection.release()
    assert (fake.contexts, fake.handles) == ([], [])
    # pyscard's default disposition: the card is powered down.
    assert fake.calls_to("SCardDisconnect")[0].args[1] == scard.SCARD_UNPOWER_CARD


def test_connection_comm_error_mid_transaction(fake: FakeBackend) -> None:
    connection = readers()[0].createConnection()
    connection.connect()
    connection.beginTransaction()
    fake.fail_next("SCardTransmit", scard.SCARD_F_COMM_ERROR)
    with pytest.raises(CardConnectionException) as caught:
        connection.transmit(APDU)
    assert caught.value.hresult == scard.SCARD_F_COMM_ERROR
    assert caught.value.explanation is not None and "SCARD_F_COMM_ERROR" in caught.value.explanation
    connection.endTransaction()
    connection.release()
    assert fake.contexts == []


def test_connection_reconnect_after_a_restart_connects_anew(fake: FakeBackend) -> None:
    connection = readers()[0].createConnection()
    connection.connect()
    first_context = connection.hcontext
    fake.restart()
    connection.reconnect()
    assert connection.hcontext != first_context
    assert connection.transmit(APDU)[1:] == (0x90, 0x00)
    connection.release()
    assert (fake.contexts, fake.handles) == ([], [])


def test_connection_to_an_empty_reader_raises_no_card(fake: FakeBackend) -> None:
    fake.remove_card(READER)
    connection = readers()[0].createConnection()
    with pytest.raises(NoCardException):
        connection.connect()
    connection.release()


def test_exclusive_connection_refuses_another(fake: FakeBackend) -> None:
    first = readers()[0].createConnection()
    first.connect(mode=scard.SCARD_SHARE_EXCLUSIVE)
    second = readers()[0].createConnection()
    with pytest.raises(CardConnectionException) as caught:
        second.connect()
    assert caught.value.hresult == scard.SCARD_E_SHARING_VIOLATION
    first.release()
    second.connect()
    second.release()


# -- smartcard.connecting.connect() (PCSCCard) --------------------------------------------


def test_connect_picks_the_reader_with_a_card(fake: FakeBackend) -> None:
    fake.add_reader("Empty Reader")
    with connect() as card:
        assert card.reader == READER
        assert card.atr == ATR
        response = card.transmit(bytes(APDU))
        assert (bytes(response.data), response.sw) == (b"\xca\xfe", 0x9000)
    assert (fake.contexts, fake.handles) == ([], [])


def test_connect_without_readers_or_card(fake_pcsc: FakeBackend) -> None:
    with pytest.raises(NoReadersException):
        connect()
    fake_pcsc.add_reader("Empty Reader")
    with pytest.raises(NoCardException):
        connect()
    assert fake_pcsc.contexts == []


def test_card_comm_error_mid_transaction(fake: FakeBackend) -> None:
    with connect() as card:
        with card.transaction():
            fake.fail_next("SCardTransmit", "SCARD_F_COMM_ERROR")
            with pytest.raises(CardConnectionException) as caught:
                card.transmit(bytes(APDU))
        assert caught.value.hresult == scard.SCARD_F_COMM_ERROR
    assert [c.name for c in fake.calls if "Transaction" in c.name] == [
        "SCardBeginTransaction",
        "SCardEndTransaction",
    ]
    assert fake.contexts == []


def test_card_removed_during_use(fake: FakeBackend) -> None:
    with connect() as card:
        fake.remove_card(READER)
        with pytest.raises(CardConnectionException) as caught:
            card.transmit(bytes(APDU))
        assert caught.value.hresult == scard.SCARD_W_REMOVED_CARD
    assert (fake.contexts, fake.handles) == ([], [])


# -- the monitor engine ----------------------------------------------------------------------


class Events:
    """Batches delivered by the engine, waited for on a condition."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self.events: List[MonitorEvent] = []

    def __call__(self, batch: Sequence[MonitorEvent]) -> None:
        with self._condition:
            self.events.extend(batch)
            self._condition.notify_all()

    def wait_for(self, wanted: Callable[[List[MonitorEvent]], bool], timeout: float = 3.0) -> None:
        with self._condition:
            if not self._condition.wait_for(lambda: wanted(self.events), timeout):
                pytest.fail(f"timed out; events so far: {self.events}")

    def has(self, kind: EventKind, reader: str = "", count: int = 1) -> None:
        """Wait until ``count`` events of ``kind`` for ``reader`` arrived."""
        self.wait_for(lambda e: sum(x.kind is kind and x.reader == reader for x in e) >= count)

    def kinds(self) -> List[EventKind]:
        with self._condition:
            return [event.kind for event in self.events]


@pytest.fixture
def engine(fake: FakeBackend) -> Iterator[MonitorEngine]:
    engine = MonitorEngine(api=fake)
    try:
        yield engine
    finally:
        engine.close(2.0)


def test_engine_snapshot_and_card_events(fake: FakeBackend, engine: MonitorEngine) -> None:
    events = Events()
    with engine.subscribe(events) as subscription:
        assert subscription.snapshot.readers == (READER,)
        assert dict(subscription.snapshot.cards) == {READER: ATR}
        assert fake.wait_blocked(1, 2.0)
        fake.remove_card(READER)
        events.has(EventKind.CARD_REMOVED, READER)
        assert events.events[0].atr == ATR  # the card that went
        fake.insert_card(READER, FakeCard("3B 80 80 01 01"))
        inserted = MonitorEvent(EventKind.CARD_INSERTED, READER, bytes.fromhex("3B80800101"))
        events.wait_for(lambda e: inserted in e)


def test_engine_sees_readers_come_and_go_through_pnp(
    fake: FakeBackend, engine: MonitorEngine
) -> None:
    events = Events()
    with engine.subscribe(events):
        assert fake.wait_blocked(1, 2.0)
        fake.add_reader("Fake Reader 01 00")
        events.has(EventKind.READER_ADDED, "Fake Reader 01 00")
        fake.remove_reader(READER)
        events.has(EventKind.READER_REMOVED, READER)
    # Every wait included the PnP pseudo reader: no polling was needed.
    queries = [c.args[2] for c in fake.calls_to("SCardGetStatusChange")]
    assert all(any(name == "\\\\?PnP?\\Notification" for name, *_ in q) for q in queries[1:])


def test_engine_survives_a_restart(fake: FakeBackend, engine: MonitorEngine) -> None:
    events = Events()
    with engine.subscribe(events):
        assert fake.wait_blocked(1, 2.0)
        first_context = fake.contexts
        fake.restart()
        events.has(EventKind.SERVICE_RESTORED)
        assert fake.wait_blocked(1, 2.0)
        assert fake.contexts and fake.contexts != first_context
        fake.remove_card(READER)
        # The first removal came with SERVICE_LOST; this one is the card's.
        events.has(EventKind.CARD_REMOVED, READER, count=2)
    assert events.kinds().index(EventKind.SERVICE_LOST) < events.kinds().index(
        EventKind.SERVICE_RESTORED
    )


def test_engine_reports_the_service_lost_and_back(fake: FakeBackend, engine: MonitorEngine) -> None:
    events = Events()
    with engine.subscribe(events):
        assert fake.wait_blocked(1, 2.0)
        fake.stop_service()
        events.has(EventKind.SERVICE_LOST)
        events.has(EventKind.READER_REMOVED, READER)
        fake.start_service()
        events.has(EventKind.SERVICE_RESTORED)
        events.has(EventKind.READER_ADDED, READER)


def test_engine_stops_with_its_last_subscriber(fake: FakeBackend, engine: MonitorEngine) -> None:
    subscription = engine.subscribe(Events())
    assert fake.wait_blocked(1, 2.0)
    started = time.monotonic()
    subscription.unsubscribe()
    assert not engine.is_running
    assert time.monotonic() - started < 1.0
    assert fake.calls_to("SCardCancel"), "the blocked wait was cancelled"
    assert fake.contexts == []


def test_default_engine_uses_the_installed_backend(fake: FakeBackend) -> None:
    engine = MonitorEngine()
    try:
        with engine.subscribe(Events()) as subscription:
            assert subscription.snapshot.readers == (READER,)
        assert fake.calls_to("SCardGetStatusChange")
    finally:
        engine.close(2.0)
