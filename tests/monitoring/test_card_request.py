# SPDX-License-Identifier: LGPL-2.1-or-later
"""CardRequest against the private pcscd; expected behaviour checked against pyscard 2.3.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from typing import Any, Callable, List

import pytest

from smartcard.Card import Card
from smartcard.CardRequest import CardRequest
from smartcard.CardType import ATRCardType
from smartcard.Exceptions import (
    CardConnectionException,
    CardRequestException,
    CardRequestTimeoutException,
)
from smartcard.monitoring import get_engine
from smartcard.PassThruCardService import PassThruCardService
from smartcard.pcsc.PCSCReader import PCSCReader
from smartcard.scard import INFINITE, SCARD_E_CANCELLED, SCARD_E_TIMEOUT
from smartcard.System import readers
from smartcard.testing import ATR_T0, ATR_T1, PrivatePCSCD, VirtualCard

Factory = Callable[..., VirtualCard]
OTHER_ATR = bytes.fromhex("3B021450")


def later(delay: float, action: Callable[[], Any]) -> threading.Thread:
    """Run ``action`` in a thread after ``delay`` seconds."""
    thread = threading.Thread(target=lambda: (time.sleep(delay), action()))
    thread.start()
    return thread


def timed(function: Callable[[], Any]) -> tuple:
    started = time.monotonic()
    try:
        return function(), time.monotonic() - started
    except Exception as exc:
        return exc, time.monotonic() - started


# ------------------------------------------------------------------ timeouts


def test_timeout_zero_without_card_answers_at_once(pcscd: PrivatePCSCD) -> None:
    error, elapsed = timed(CardRequest(timeout=0).waitforcard)
    assert isinstance(error, CardRequestTimeoutException)
    assert error.hresult == SCARD_E_TIMEOUT
    assert str(error).startswith("Time-out during card request")
    assert elapsed < 0.2


def test_default_timeout_is_one_second(pcscd: PrivatePCSCD) -> None:
    request = CardRequest()
    assert request.pcsccardrequest.timeout == 1000  # kept in ms, as in pyscard
    error, elapsed = timed(request.waitforcard)
    assert isinstance(error, CardRequestTimeoutException)
    assert 0.95 <= elapsed < 1.5


def test_timeout_none_waits_for_the_card(
    pcscd: PrivatePCSCD, virtual_card_factory: Factory
) -> None:
    request = CardRequest(timeout=None)
    assert request.pcsccardrequest.timeout == INFINITE
    inserter = later(1.2, lambda: virtual_card_factory(1))
    service, elapsed = timed(request.waitforcard)
    inserter.join()
    assert isinstance(service, PassThruCardService), service
    assert service.connection.getReader() == pcscd.reader_names[1]
    assert elapsed > 1.2


def test_card_present_is_returned_at_once_ready_to_connect(
    pcscd: PrivatePCSCD, virtual_card: VirtualCard
) -> None:
    service, elapsed = timed(CardRequest(timeout=0).waitforcard)
    assert isinstance(service, PassThruCardService) and service.cardname is None
    assert elapsed < 0.2
    connection = service.connection
    assert type(connection).__name__ == "CardConnectionDecorator"
    connection.connect()
    assert connection.getATR() == list(ATR_T1)
    connection.disconnect()


def test_connection_outlives_a_dropped_service(
    pcscd: PrivatePCSCD, virtual_card: VirtualCard
) -> None:
    # pyscard 2.3.1 raised "Context already released" here.
    connection = CardRequest(timeout=0).waitforcard().connection
    connection.connect()
    assert connection.getATR() == list(ATR_T1)
    connection.disconnect()


# ------------------------------------------------------------------ readers


def test_readers_given_by_name_or_object(
    pcscd: PrivatePCSCD, virtual_card_factory: Factory
) -> None:
    r0, r1 = pcscd.reader_names
    virtual_card_factory(1)
    by_name = CardRequest(timeout=0, readers=[r1]).waitforcard()
    assert by_name.connection.getReader() == r1
    reader_objects = readers()
    by_object = CardRequest(timeout=0, readers=[reader_objects[1]]).waitforcard()
    assert by_object.connection.getReader() == r1
    assert CardRequest(readers=[reader_objects[1]]).getReaders() == [reader_objects[1]]
    assert [str(r) for r in CardRequest().getReaders()] == [r0, r1]
    with pytest.raises(CardRequestTimeoutException):
        CardRequest(timeout=0.2, readers=[r0]).waitforcard()


def test_unknown_or_no_reader_times_out(pcscd: PrivatePCSCD, virtual_card: VirtualCard) -> None:
    # pyscard 2.3.1 spun forever in both cases.
    for asked in (["no such reader"], []):
        error, elapsed = timed(CardRequest(timeout=0.3, readers=asked).waitforcard)
        assert isinstance(error, CardRequestTimeoutException)
        assert 0.25 < elapsed < 1.0


def test_newcardonly_ignores_the_card_present_and_takes_the_next_one(
    pcscd: PrivatePCSCD, virtual_card_factory: Factory
) -> None:
    virtual_card_factory(0)
    with pytest.raises(CardRequestTimeoutException):
        CardRequest(timeout=0.5, newcardonly=True).waitforcard()
    inserter = later(0.3, lambda: virtual_card_factory(1, atr=ATR_T0))
    service = CardRequest(timeout=5, newcardonly=True).waitforcard()
    inserter.join()
    assert service.connection.getReader() == pcscd.reader_names[1]


# ---------------------------------------------------------------- card types


def test_card_type_selects_among_present_cards(
    pcscd: PrivatePCSCD, virtual_card_factory: Factory
) -> None:
    r0, r1 = pcscd.reader_names
    virtual_card_factory(0, atr=ATR_T1)
    virtual_card_factory(1, atr=OTHER_ATR)
    exact = CardRequest(timeout=0, cardType=ATRCardType(OTHER_ATR)).waitforcard()
    assert exact.connection.getReader() == r1
    mask = [0xFF, 0xFF, 0x00, 0x00]
    masked = ATRCardType([0x3B, 0x02, 0xAA, 0xBB], mask)
    assert CardRequest(timeout=0, cardType=masked).waitforcard().connection.getReader() == r1
    with pytest.raises(CardRequestTimeoutException):
        CardRequest(timeout=0.2, cardType=ATRCardType([0x3B, 0x03, 0, 0], mask)).waitforcard()


def test_card_type_filters_insertions_while_waiting(
    pcscd: PrivatePCSCD, virtual_card_factory: Factory
) -> None:
    seen: List[Any] = []

    class T0Only(ATRCardType):
        def matches(self, atr: Any, reader: Any = None) -> bool:
            seen.append((list(atr), reader))
            return super().matches(atr, reader)

    def insert_both() -> None:
        virtual_card_factory(0, atr=ATR_T1)
        virtual_card_factory(1, atr=ATR_T0)

    inserter = later(0.2, insert_both)
    service = CardRequest(timeout=5, cardType=T0Only(ATR_T0)).waitforcard()
    inserter.join()
    assert service.connection.getReader() == pcscd.reader_names[1]
    assert [atr for atr, _ in seen] == [list(ATR_T1), list(ATR_T0)]
    assert all(type(reader) is PCSCReader for _, reader in seen)


def test_service_class_that_does_not_support_the_card_is_skipped(
    pcscd: PrivatePCSCD, virtual_card: VirtualCard
) -> None:
    class Picky(PassThruCardService):
        @staticmethod
        def supports(cardname: str) -> bool:
            return False

    class Mine(PassThruCardService):
        pass

    with pytest.raises(CardRequestTimeoutException):
        CardRequest(timeout=0, cardServiceClass=Picky).waitforcard()
    assert isinstance(CardRequest(timeout=0, cardServiceClass=Mine).waitforcard(), Mine)


# ------------------------------------------------------------- card events


def test_waitforcardevent_reports_changes_since_the_previous_call(
    pcscd: PrivatePCSCD, virtual_card_factory: Factory
) -> None:
    r0, r1 = pcscd.reader_names
    request = CardRequest(timeout=0.3)
    assert request.waitforcardevent() == []  # the first call answers at once
    with pytest.raises(CardRequestTimeoutException):
        request.waitforcardevent()
    virtual_card_factory(1, atr=ATR_T0)
    virtual_card_factory(0)  # both while nobody waits: reported by the next call
    time.sleep(0.1)
    cards, elapsed = timed(request.waitforcardevent)
    assert elapsed < 0.1
    assert cards == [Card(r0, list(ATR_T1)), Card(r1, list(ATR_T0))]  # reader order
    pcscd.remove_card(1)
    assert CardRequest(timeout=2).waitforcardevent() == [Card(r0, list(ATR_T1))]
    assert request.waitforcardevent() == [Card(r0, list(ATR_T1))]
    request.release()
    assert not get_engine().is_running


def test_waitforcardevent_watches_only_the_readers_asked(
    pcscd: PrivatePCSCD, virtual_card_factory: Factory
) -> None:
    with CardRequest(timeout=0.5, readers=[pcscd.reader_names[0]]) as request:
        assert request.waitforcardevent() == []
        virtual_card_factory(1)
        with pytest.raises(CardRequestTimeoutException):
            request.waitforcardevent()


# --------------------------------------------------- cancellation, sharing


def test_release_from_another_thread_ends_the_wait(pcscd: PrivatePCSCD) -> None:
    request = CardRequest(timeout=None, newcardonly=True)
    releaser = later(0.3, request.release)
    error, elapsed = timed(request.waitforcard)
    releaser.join()
    assert isinstance(error, CardRequestTimeoutException)
    assert error.hresult == SCARD_E_CANCELLED
    assert 0.3 <= elapsed < 0.5
    with pytest.raises(CardRequestException, match="released"):
        request.waitforcard()
    request.release()  # idempotent


def test_release_ends_a_waitforcardevent_too(pcscd: PrivatePCSCD) -> None:
    request = CardRequest(timeout=None)
    request.waitforcardevent()
    releaser = later(0.2, request.release)
    error, elapsed = timed(request.waitforcardevent)
    releaser.join()
    assert isinstance(error, CardRequestTimeoutException) and elapsed < 0.5


def test_context_manager_releases(pcscd: PrivatePCSCD) -> None:
    with CardRequest(timeout=0) as request:
        assert isinstance(request, CardRequest)
    with pytest.raises(CardRequestException):
        request.waitforcard()


def test_many_waits_share_one_engine_thread(
    pcscd: PrivatePCSCD, virtual_card_factory: Factory
) -> None:
    results: List[Any] = []

    def wait() -> None:
        results.append(CardRequest(timeout=10, newcardonly=True).waitforcard())

    waiters = [threading.Thread(target=wait) for _ in range(20)]
    for waiter in waiters:
        waiter.start()
    time.sleep(0.3)
    monitor_threads = [t for t in threading.enumerate() if t.name == "smartcard-monitor"]
    assert len(monitor_threads) == 1
    virtual_card_factory(0)
    for waiter in waiters:
        waiter.join(10)
    assert len(results) == 20
    assert {s.connection.getReader() for s in results} == {pcscd.reader_names[0]}


def test_dropped_request_stops_watching(pcscd: PrivatePCSCD) -> None:
    CardRequest(timeout=0).waitforcardevent()  # starts a watch, then the request is garbage
    assert not get_engine().is_running


# --------------------------------------------------------------- pcscd gone


def test_wait_survives_a_pcscd_restart(pcscd: PrivatePCSCD, virtual_card_factory: Factory) -> None:
    request = CardRequest(timeout=10, newcardonly=True)

    def restart_then_insert() -> None:
        pcscd.stop()
        time.sleep(0.3)
        pcscd.start()
        virtual_card_factory(1)

    worker = later(0.2, restart_then_insert)
    service = request.waitforcard()
    worker.join()
    assert service.connection.getReader() == pcscd.reader_names[1]


def test_pcscd_down(pcscd: PrivatePCSCD) -> None:
    pcscd.stop()
    try:
        # Construction fails at once, as in pyscard...
        with pytest.raises(CardConnectionException):
            CardRequest(timeout=0)
    finally:
        pcscd.start()


def test_timeout_while_pcscd_is_down_says_so(pcscd: PrivatePCSCD) -> None:
    request = CardRequest(timeout=0.5)
    pcscd.stop()
    try:
        error, _ = timed(request.waitforcard)
    finally:
        pcscd.start()
    assert isinstance(error, CardRequestTimeoutException)
    assert str(error) == "Time-out during card request: Service not available. (0x8010001D)"
    assert "not running" in error.explanation


def test_ctrl_c_interrupts_a_wait(pcscd: PrivatePCSCD) -> None:
    """KeyboardInterrupt propagates (pyscard 2.3.1 turned it into a time-out)."""
    code = textwrap.dedent(
        """
        import sys, time
        from smartcard.CardRequest import CardRequest
        from smartcard.monitoring import get_engine

        request = CardRequest(timeout=None, newcardonly=True)
        print("waiting", flush=True)
        started = time.monotonic()
        try:
            request.waitforcard()
        except KeyboardInterrupt:
            print("interrupted", round(time.monotonic() - started, 2), get_engine().is_running)
        """
    )
    env = dict(os.environ, **pcscd.env)
    child = subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert child.stdout is not None
    assert child.stdout.readline() == "waiting\n"
    time.sleep(0.3)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=10)
    assert child.returncode == 0, err
    word, elapsed, running = out.split()
    assert word == "interrupted" and float(elapsed) < 1.0 and running == "False"
