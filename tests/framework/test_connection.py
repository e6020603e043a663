# SPDX-License-Identifier: LGPL-2.1-or-later
"""Card connections through the real pcscd + vpcd stack."""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

import pytest

from smartcard.CardConnection import CardConnection
from smartcard.CardConnectionDecorator import CardConnectionDecorator
from smartcard.Exceptions import (
    CardConnectionException,
    CardServiceNotFoundException,
    NoCardException,
)
from smartcard.pcsc.errors import same_hresult
from smartcard.pcsc.PCSCCardConnection import PCSCCardConnection
from smartcard.scard import (
    SCARD_E_NO_SMARTCARD,
    SCARD_E_UNSUPPORTED_FEATURE,
    SCARD_RESET_CARD,
    SCARD_S_SUCCESS,
    SCARD_SHARE_DIRECT,
    SCARD_W_REMOVED_CARD,
    SCardStatus,
)
from smartcard.System import readers
from smartcard.testing import VirtualCard
from smartcard.testing.applet import pattern

from .conftest import STATUS_9000, echo, pcscd_thread_count, wait_until


def reader(index: int, pcscd: Any) -> Any:
    return next(r for r in readers() if r.name == pcscd.reader_names[index])


def test_protocol_constants() -> None:
    assert CardConnection.T0_protocol == 0x1
    assert CardConnection.T1_protocol == 0x2
    assert CardConnection.T15_protocol == 0x8
    assert CardConnection.RAW_protocol == 0x10000


def test_connect_transmit_disconnect(card: VirtualCard, pcscd: Any) -> None:
    conn = reader(0, pcscd).createConnection()
    assert isinstance(conn, CardConnectionDecorator)
    assert conn.getReader() == pcscd.reader_names[0]
    assert conn.getProtocol() == CardConnection.T0_protocol | CardConnection.T1_protocol
    conn.connect()
    try:
        assert conn.getProtocol() == CardConnection.T1_protocol  # the card's ATR offers T=1
        atr = conn.getATR()
        assert isinstance(atr, list) and bytes(atr) == card.atr
        data, sw1, sw2 = conn.transmit(echo([1, 2, 3]))
        assert (data, sw1, sw2) == ([1, 2, 3], 0x90, 0x00)
        assert type(data) is list and type(sw1) is int and type(sw2) is int
        assert card.apdus[-1] == bytes(echo([1, 2, 3]))
    finally:
        conn.disconnect()
        conn.release()


@pytest.mark.parametrize(
    "command",
    [
        bytes(echo([9, 8])),
        bytearray(echo([9, 8])),
        memoryview(bytes(echo([9, 8]))),
        tuple(echo([9, 8])),
    ],
    ids=["bytes", "bytearray", "memoryview", "tuple"],
)
def test_transmit_accepts_bytes_like_commands(connection: Any, command: Any) -> None:
    assert connection.transmit(command) == ([9, 8], 0x90, 0x00)


def test_long_response_and_explicit_protocol(connection: Any) -> None:
    data, sw1, sw2 = connection.transmit([0x80, 0x20, 0x01, 0x00, 0x00], CardConnection.T1_protocol)
    assert (sw1, sw2) == (0x90, 0x00)
    assert bytes(data) == pattern(256)


def test_wrong_protocol_for_the_card(connection: Any) -> None:
    with pytest.raises(CardConnectionException) as info:
        connection.transmit(STATUS_9000, CardConnection.T0_protocol)
    assert info.value.hresult not in (-1, SCARD_S_SUCCESS)
    assert "0x8010" in str(info.value)


def test_invalid_protocol_value(connection: Any) -> None:
    with pytest.raises(CardConnectionException, match="Invalid protocol"):
        connection.transmit(STATUS_9000, CardConnection.T0_protocol | CardConnection.T1_protocol)
    with pytest.raises(TypeError, match="protocol"):
        connection.transmit(STATUS_9000, "T1")


@pytest.mark.parametrize(
    ("command", "error"),
    [
        ("00A40400", TypeError),
        ([0x100], ValueError),
        ([-1], ValueError),
        (None, TypeError),
        (5, TypeError),
    ],
)
def test_bad_apdu_is_rejected_clearly(connection: Any, command: Any, error: type) -> None:
    with pytest.raises(error, match="apdu"):
        connection.transmit(command)


@pytest.mark.parametrize(
    "kwargs", [{"protocol": "T1"}, {"mode": 1.0}, {"disposition": "leave"}, {"protocol": True}]
)
def test_bad_connect_arguments(card: VirtualCard, pcscd: Any, kwargs: dict) -> None:
    conn = reader(0, pcscd).createConnection()
    try:
        with pytest.raises(TypeError):
            conn.connect(**kwargs)
    finally:
        conn.release()


def test_bad_control_and_attrib_arguments(connection: Any) -> None:
    with pytest.raises(TypeError, match="controlCode"):
        connection.control("3400", [])
    with pytest.raises(TypeError, match="attribId"):
        connection.getAttrib(None)
    with pytest.raises(TypeError):
        connection.control(0x42000D48, "data")


def test_disconnect_is_idempotent_and_connect_works_again(card: VirtualCard, pcscd: Any) -> None:
    conn = reader(0, pcscd).createConnection()
    conn.disconnect()  # never connected: no-op
    conn.connect()
    conn.disconnect()
    conn.disconnect()
    conn.connect()
    assert conn.transmit(STATUS_9000)[1:] == (0x90, 0x00)
    conn.release()
    conn.release()  # idempotent too
    with pytest.raises(CardConnectionException, match="released"):
        conn.connect()


def test_connect_twice_keeps_one_handle(connection: Any) -> None:
    first = connection.component.hcard
    connection.connect()
    second = connection.component.hcard
    assert second is not None
    # The first handle was given back to pcscd, not leaked.
    assert SCardStatus(first)[0] != SCARD_S_SUCCESS or first == second


def test_default_disposition_unpowers_the_card(card: VirtualCard, pcscd: Any) -> None:
    conn = reader(0, pcscd).createConnection()
    conn.connect()
    offs = card.power_off_count
    conn.disconnect()
    card.wait_for(lambda c: c.power_off_count > offs, timeout=2.0)
    conn.release()


def test_disposition_given_to_connect_is_used_by_disconnect(card: VirtualCard, pcscd: Any) -> None:
    conn = reader(0, pcscd).createConnection()
    conn.connect(disposition=SCARD_RESET_CARD)
    resets = card.reset_count
    conn.disconnect()
    card.wait_for(lambda c: c.reset_count > resets, timeout=2.0)
    conn.release()


def test_reconnect_resets_by_default(connection: Any, card: VirtualCard) -> None:
    resets = card.reset_count
    connection.reconnect()
    card.wait_for(lambda c: c.reset_count > resets, timeout=2.0)
    assert connection.transmit(STATUS_9000)[1:] == (0x90, 0x00)


def test_reconnect_when_not_connected(card: VirtualCard, pcscd: Any) -> None:
    conn = reader(0, pcscd).createConnection()
    with pytest.raises(CardConnectionException, match="not connected"):
        conn.reconnect()
    conn.release()


def test_no_card_in_reader(pcscd: Any) -> None:
    conn = reader(1, pcscd).createConnection()
    try:
        with pytest.raises(NoCardException) as info:
            conn.connect()
        assert same_hresult(info.value.hresult, SCARD_E_NO_SMARTCARD)
        assert isinstance(info.value, CardConnectionException)
        assert str(info.value) == "Unable to connect: No smart card inserted. (0x8010000C)"
        assert "Insert a card" in (info.value.explanation or "")
    finally:
        conn.release()


def test_operations_when_not_connected(card: VirtualCard, pcscd: Any) -> None:
    conn = reader(0, pcscd).createConnection()
    try:
        for call in (
            lambda: conn.transmit(STATUS_9000),
            conn.getATR,
            lambda: conn.control(0x42000D48),
            lambda: conn.getAttrib(0x00090303),
        ):
            with pytest.raises(CardConnectionException, match="not connected"):
                call()
    finally:
        conn.release()


def test_card_removed_mid_use_then_reinserted(
    connection: Any, pcscd: Any, virtual_card_factory: Callable[..., VirtualCard]
) -> None:
    assert connection.transmit(STATUS_9000)[1:] == (0x90, 0x00)
    pcscd.remove_card(0)
    with pytest.raises(CardConnectionException) as info:
        connection.transmit(STATUS_9000)
    assert same_hresult(info.value.hresult, SCARD_W_REMOVED_CARD)
    assert isinstance(info.value, NoCardException)
    assert "removed" in str(info.value)
    with pytest.raises(NoCardException):
        connection.reconnect()
    virtual_card_factory(0)
    connection.connect()
    assert connection.transmit(STATUS_9000)[1:] == (0x90, 0x00)


def test_reconnect_after_a_failed_reconnect_once_the_card_is_back(
    connection: Any, pcscd: Any, virtual_card_factory: Callable[..., VirtualCard]
) -> None:
    pcscd.remove_card(0)
    # While the card is out, every reconnect() raises the same classes.
    for _ in range(2):
        with pytest.raises(CardConnectionException) as info:
            connection.reconnect()
        assert isinstance(info.value, NoCardException)
        assert info.value.hresult in (SCARD_W_REMOVED_CARD, SCARD_E_NO_SMARTCARD)
    virtual_card_factory(0)
    connection.reconnect()
    assert connection.transmit(STATUS_9000)[1:] == (0x90, 0x00)
    connection.disconnect()
    with pytest.raises(CardConnectionException, match="not connected"):
        connection.reconnect()


def test_response_shorter_than_status_word(
    connection: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # vpcd always answers at least SW1 SW2, so the short reply is simulated.
    from tests._override import OverridingBackend

    from smartcard._decorated import find_pcsc_connection

    short = OverridingBackend(SCardTransmit=lambda hcard, pci, apdu: [SCARD_S_SUCCESS, [0x90]])
    monkeypatch.setattr(find_pcsc_connection(connection)._handle, "api", short)
    with pytest.raises(CardConnectionException, match="no valid response"):
        connection.transmit(STATUS_9000)


def test_control_feature_request_is_unsupported_by_vpcd(connection: Any) -> None:
    from smartcard.pcsc.PCSCPart10 import CM_IOCTL_GET_FEATURE_REQUEST

    with pytest.raises(CardConnectionException) as info:
        connection.control(CM_IOCTL_GET_FEATURE_REQUEST, [])
    assert same_hresult(info.value.hresult, SCARD_E_UNSUPPORTED_FEATURE)


def test_get_attrib_is_unsupported_by_vpcd(connection: Any) -> None:
    from smartcard.scard import SCARD_ATTR_ATR_STRING, SCARD_ATTR_VENDOR_NAME

    for attribute in (SCARD_ATTR_ATR_STRING, SCARD_ATTR_VENDOR_NAME):
        with pytest.raises(CardConnectionException) as info:
            connection.getAttrib(attribute)
        assert same_hresult(info.value.hresult, SCARD_E_UNSUPPORTED_FEATURE)


def test_direct_mode_without_card(pcscd: Any) -> None:
    conn = reader(1, pcscd).createConnection()
    try:
        conn.connect(mode=SCARD_SHARE_DIRECT)
        assert conn.getProtocol() == 0  # nothing negotiated, as pyscard reports
    finally:
        conn.release()


def test_context_manager_disconnects_and_releases(card: VirtualCard, pcscd: Any) -> None:
    with reader(0, pcscd).createConnection() as conn:
        conn.connect()
        assert conn.transmit(STATUS_9000)[1:] == (0x90, 0x00)
    assert conn.component.hcard is None
    assert conn.component.hcontext is None


def test_plain_connection_context_manager_only_disconnects(card: VirtualCard, pcscd: Any) -> None:
    with PCSCCardConnection(pcscd.reader_names[0]) as conn:
        conn.connect()
    assert conn.hcard is None and conn.hcontext is not None
    conn.release()


def test_transaction_blocks_others_and_ends_on_every_path(
    connection: Any, card: VirtualCard, pcscd: Any
) -> None:
    other = reader(0, pcscd).createConnection()
    other.connect()
    try:
        entered = threading.Event()

        def contend() -> None:
            other.beginTransaction()
            entered.set()
            other.endTransaction()

        with connection.transaction():
            thread = threading.Thread(target=contend)
            thread.start()
            assert not entered.wait(0.5), "second transaction began while the first was held"
            assert connection.transmit(STATUS_9000)[1:] == (0x90, 0x00)
        assert entered.wait(5.0), "transaction not ended at the end of the block"
        thread.join(5)

        with pytest.raises(RuntimeError, match="boom"):
            with connection.transaction():
                raise RuntimeError("boom")
        start = time.monotonic()
        other.beginTransaction()  # would block if the failed block had kept it
        other.endTransaction()
        assert time.monotonic() - start < 1.0
    finally:
        other.release()


def test_transaction_end_error_does_not_hide_the_block_error(
    connection: Any, pcscd: Any, virtual_card_factory: Callable[..., VirtualCard]
) -> None:
    with pytest.raises(KeyError):
        with connection.transaction():
            pcscd.remove_card(0)
            raise KeyError("the block's own error")
    virtual_card_factory(0)


def test_connections_release_their_contexts(card: VirtualCard, pcscd: Any) -> None:
    target = reader(0, pcscd)
    pid = pcscd.pid
    time.sleep(0.2)
    before = pcscd_thread_count(pid)
    for _ in range(200):
        conn = target.createConnection()
        conn.connect()
        conn.transmit(STATUS_9000)
        conn.release()
    for _ in range(200):
        # Dropped without release(): garbage collection gives the context back.
        conn = target.createConnection()
        conn.connect()
        del conn
    wait_until(lambda: pcscd_thread_count(pid) <= before, 5.0, "pcscd threads to settle")


def test_survives_pcscd_restart(connection: Any, restore_daemon: Any, card: VirtualCard) -> None:
    pcscd = restore_daemon
    pcscd.stop()
    with pytest.raises(CardConnectionException) as info:
        connection.transmit(STATUS_9000)
    assert isinstance(info.value, CardConnectionException)
    pcscd.start()  # the card is put back, as in a physical reader
    connection.disconnect()  # the old handle died with the daemon: no error
    connection.connect()  # a fresh context is established behind the scenes
    assert connection.transmit(STATUS_9000)[1:] == (0x90, 0x00)


def test_connection_creation_with_daemon_down(restore_daemon: Any) -> None:
    pcscd = restore_daemon
    name = pcscd.reader_names[0]
    pcscd.stop()
    with pytest.raises(CardConnectionException) as info:
        PCSCCardConnection(name)
    assert isinstance(info.value, CardServiceNotFoundException)
    assert str(info.value) == "Failed to establish context: Service not available. (0x8010001D)"
    assert "pcscd" in info.value.explanation


# Failures provoked identically under both libraries: the class pyscard raised
# must be among our exception's classes, with the same hresult.
FAILURES = """
import json, os
from smartcard.System import readers
def outcome(call):
    try:
        call()
        return None
    except Exception as exc:
        mro = [c.__name__ for c in type(exc).__mro__]
        return {"mro": mro, "hresult": getattr(exc, "hresult", None)}
names = os.environ["READERS"].split("|")
by_name = {r.name: r for r in readers()}
full, empty = by_name[names[0]].createConnection(), by_name[names[1]].createConnection()
results = {"empty_connect": outcome(empty.connect), "not_connected_atr": outcome(full.getATR)}
full.connect()
results["control"] = outcome(lambda: full.control(0x42000D48, []))
results["attrib"] = outcome(lambda: full.getAttrib(0x00090303))
results["wrong_protocol"] = outcome(lambda: full.transmit([0x80, 0x30, 0x90, 0x00], 1))
full.release()
results["after_release"] = outcome(full.connect)
print(json.dumps(results))
"""


def test_failures_are_compatible_with_reference(
    card: VirtualCard, pcscd: Any, differential: Callable[..., tuple[Any, Any]]
) -> None:
    reference, ours = differential(FAILURES, {"READERS": "|".join(pcscd.reader_names)})
    assert set(ours) == set(reference)
    for case, ref in reference.items():
        assert ref is not None and ours[case] is not None, case
        assert set(ref["mro"]) <= set(ours[case]["mro"]), case
        assert ours[case]["hresult"] == ref["hresult"], case
