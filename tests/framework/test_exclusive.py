# SPDX-License-Identifier: LGPL-2.1-or-later
"""Exclusive connect and exclusive transmit decorators, with two threads on one card."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from smartcard.Exceptions import CardConnectionException
from smartcard.ExclusiveConnectCardConnection import ExclusiveConnectCardConnection
from smartcard.ExclusiveTransmitCardConnection import ExclusiveTransmitCardConnection
from smartcard.pcsc.errors import same_hresult
from smartcard.scard import SCARD_E_SHARING_VIOLATION
from smartcard.System import readers
from smartcard.testing import VirtualCard

from .conftest import STATUS_9000, echo


def target(pcscd: Any) -> Any:
    return next(r for r in readers() if r.name == pcscd.reader_names[0])


def test_exclusive_connect_keeps_others_out(card: VirtualCard, pcscd: Any) -> None:
    exclusive = ExclusiveConnectCardConnection(target(pcscd).createConnection())
    other = target(pcscd).createConnection()
    try:
        exclusive.connect()
        assert exclusive.transmit(STATUS_9000)[1:] == (0x90, 0x00)
        with pytest.raises(CardConnectionException) as info:
            other.connect()
        assert same_hresult(info.value.hresult, SCARD_E_SHARING_VIOLATION)
        assert "Sharing violation. (0x8010000B)" in str(info.value)
        assert "another" in info.value.explanation.lower()
        exclusive.disconnect()
        other.connect()
        assert other.transmit(STATUS_9000)[1:] == (0x90, 0x00)
    finally:
        other.release()
        exclusive.release()


def test_exclusive_connect_fails_while_card_is_shared(card: VirtualCard, pcscd: Any) -> None:
    shared = target(pcscd).createConnection()
    exclusive = ExclusiveConnectCardConnection(target(pcscd).createConnection())
    try:
        shared.connect()
        with pytest.raises(CardConnectionException) as info:
            exclusive.connect()
        assert same_hresult(info.value.hresult, SCARD_E_SHARING_VIOLATION)
    finally:
        exclusive.release()
        shared.release()


def test_lock_keeps_an_apdu_sequence_together(card: VirtualCard, pcscd: Any) -> None:
    first = ExclusiveTransmitCardConnection(target(pcscd).createConnection())
    second = ExclusiveTransmitCardConnection(target(pcscd).createConnection())
    first.connect()
    second.connect()
    started = threading.Event()
    errors: list[BaseException] = []

    def interleave() -> None:
        try:
            started.set()
            for _ in range(5):
                second.transmit(echo([0xBB]))
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    try:
        card.clear_history()
        first.lock()
        thread = threading.Thread(target=interleave)
        thread.start()
        started.wait(5)
        for _ in range(5):
            first.transmit(echo([0xAA]))
        first.unlock()
        thread.join(10)
        assert not thread.is_alive() and not errors
        tags = [apdu[-1] for apdu in card.apdus]
        # The locked sequence ran first and whole; the other thread waited.
        assert tags == [0xAA] * 5 + [0xBB] * 5
    finally:
        first.release()
        second.release()


def test_unlocked_transmit_from_two_threads(card: VirtualCard, pcscd: Any) -> None:
    connections = [
        ExclusiveTransmitCardConnection(target(pcscd).createConnection()) for _ in range(2)
    ]
    results: list[tuple[int, list[int]]] = []
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            for value in range(20):
                data, sw1, sw2 = connections[index].transmit(echo([index, value]))
                assert (sw1, sw2) == (0x90, 0x00)
                results.append((index, data))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    for conn in connections:
        conn.connect()
    try:
        threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
        assert not errors
        assert sorted(results) == sorted((i, [i, v]) for i in range(2) for v in range(20))
    finally:
        for conn in connections:
            conn.release()
