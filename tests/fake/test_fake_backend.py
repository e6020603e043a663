# SPDX-License-Identifier: LGPL-2.1-or-later
"""The fake PC/SC backend itself: shapes, state and failures as pcsc-lite gives them."""

from __future__ import annotations

import threading
import time
from typing import Any, List, Tuple

import pytest

from smartcard import scard
from smartcard.testing import FakeBackend, FakeCard
from smartcard.testing.fake import PNP_NOTIFICATION, Call

READER = "Fake Reader 00 00"
ATR = "3B 80 80 01 01"  # offers T=0 (TD1) and T=1 (TD2)
ATR_T1 = "3B 80 01 81"  # T=1 only


def establish(fake: FakeBackend) -> int:
    hresult, hcontext = fake.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    assert hresult == scard.SCARD_S_SUCCESS
    return int(hcontext)


def connect(fake: FakeBackend, hcontext: int, share: int = scard.SCARD_SHARE_SHARED) -> int:
    hresult, hcard, _protocol = fake.SCardConnect(hcontext, READER, share, scard.SCARD_PROTOCOL_ANY)
    assert hresult == scard.SCARD_S_SUCCESS
    return int(hcard)


@pytest.fixture
def fake() -> FakeBackend:
    backend = FakeBackend()
    backend.add_reader(READER, FakeCard(ATR))
    return backend


# -- contexts and readers -----------------------------------------------------


def test_contexts_are_established_listed_and_released(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    assert fake.contexts == [hcontext]
    assert fake.SCardIsValidContext(hcontext) == scard.SCARD_S_SUCCESS
    assert fake.SCardListReaders(hcontext, []) == [scard.SCARD_S_SUCCESS, [READER]]
    assert fake.SCardReleaseContext(hcontext) == scard.SCARD_S_SUCCESS
    assert fake.contexts == []
    assert fake.SCardIsValidContext(hcontext) == scard.SCARD_E_INVALID_HANDLE
    assert fake.SCardReleaseContext(hcontext) == scard.SCARD_E_INVALID_HANDLE


def test_invalid_scope_and_empty_reader_list(fake: FakeBackend) -> None:
    assert fake.SCardEstablishContext(0x77) == [scard.SCARD_E_INVALID_VALUE, 0]
    hcontext = establish(fake)
    fake.remove_reader(READER)
    assert fake.SCardListReaders(hcontext, []) == [scard.SCARD_E_NO_READERS_AVAILABLE, []]
    assert fake.SCardListReaderGroups(hcontext) == [0, ["SCard$DefaultReaders"]]


def test_reader_groups_are_unsupported_as_on_pcsc_lite(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    assert fake.SCardIntroduceReaderGroup(hcontext, "g") == scard.SCARD_E_UNSUPPORTED_FEATURE
    assert fake.SCardAddReaderToGroup(hcontext, READER, "g") == scard.SCARD_E_UNSUPPORTED_FEATURE


def test_duplicate_reader_and_second_card_are_refused(fake: FakeBackend) -> None:
    with pytest.raises(ValueError, match="already there"):
        fake.add_reader(READER)
    with pytest.raises(ValueError, match="already holds a card"):
        fake.insert_card(READER)


# -- connecting -----------------------------------------------------------------


def test_connect_negotiates_the_protocol_the_card_offers(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    fake.remove_card(READER)
    fake.insert_card(READER, FakeCard(ATR_T1))
    answer = fake.SCardConnect(hcontext, READER, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_ANY)
    assert answer[0] == scard.SCARD_S_SUCCESS
    assert answer[2] == scard.SCARD_PROTOCOL_T1
    t0_only = fake.SCardConnect(hcontext, READER, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_T0)
    assert t0_only == [scard.SCARD_E_PROTO_MISMATCH, 0, 0]


@pytest.mark.parametrize(
    ("reader", "share", "expected"),
    [
        ("No Such Reader", scard.SCARD_SHARE_SHARED, scard.SCARD_E_UNKNOWN_READER),
        (READER, 0x99, scard.SCARD_E_INVALID_VALUE),
    ],
)
def test_connect_refusals(fake: FakeBackend, reader: str, share: int, expected: int) -> None:
    hcontext = establish(fake)
    assert fake.SCardConnect(hcontext, reader, share, scard.SCARD_PROTOCOL_ANY) == [expected, 0, 0]


def test_connect_without_card_and_direct_connection(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    fake.remove_card(READER)
    shared = fake.SCardConnect(hcontext, READER, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_ANY)
    assert shared == [scard.SCARD_E_NO_SMARTCARD, 0, 0]
    hresult, hcard, protocol = fake.SCardConnect(hcontext, READER, scard.SCARD_SHARE_DIRECT, 0)
    assert (hresult, protocol) == (scard.SCARD_S_SUCCESS, 0)
    assert fake.SCardStatus(hcard) == [0, READER, scard.SCARD_ABSENT, 0, []]


def test_mute_card_is_seen_but_cannot_be_connected(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    fake.remove_card(READER)
    fake.insert_card(READER, FakeCard(ATR, mute=True))
    answer = fake.SCardConnect(hcontext, READER, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_ANY)
    assert answer == [scard.SCARD_W_UNRESPONSIVE_CARD, 0, 0]
    _, states = fake.SCardGetStatusChange(hcontext, 0, [(READER, scard.SCARD_STATE_UNAWARE)])
    assert states[0][1] & scard.SCARD_STATE_MUTE


def test_exclusive_and_shared_exclude_each_other(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    exclusive = connect(fake, hcontext, scard.SCARD_SHARE_EXCLUSIVE)
    second = fake.SCardConnect(hcontext, READER, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_ANY)
    assert second[0] == scard.SCARD_E_SHARING_VIOLATION
    assert fake.SCardDisconnect(exclusive, scard.SCARD_LEAVE_CARD) == scard.SCARD_S_SUCCESS
    shared = connect(fake, hcontext)
    third = fake.SCardConnect(
        hcontext, READER, scard.SCARD_SHARE_EXCLUSIVE, scard.SCARD_PROTOCOL_ANY
    )
    assert third[0] == scard.SCARD_E_SHARING_VIOLATION
    # Alone on the card, a handle may become exclusive.
    assert fake.SCardReconnect(
        shared, scard.SCARD_SHARE_EXCLUSIVE, scard.SCARD_PROTOCOL_ANY, scard.SCARD_LEAVE_CARD
    ) == [scard.SCARD_S_SUCCESS, scard.SCARD_PROTOCOL_T0]


def test_status_transmit_and_attributes_of_a_connected_card(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    hcard = connect(fake, hcontext)
    status = fake.SCardStatus(hcard)
    assert status[:2] == [scard.SCARD_S_SUCCESS, READER]
    assert status[2] & scard.SCARD_PRESENT and status[2] & scard.SCARD_POWERED
    assert status[3:] == [scard.SCARD_PROTOCOL_T0, [0x3B, 0x80, 0x80, 0x01, 0x01]]
    assert fake.SCardTransmit(hcard, scard.SCARD_PCI_T0, b"\x00\xa4\x04\x00") == [0, [0x90, 0]]
    # The extension's checks, and the protocol the card is not using.
    assert fake.SCardTransmit(hcard, scard.SCARD_PCI_T0, b"") == [
        scard.SCARD_E_INVALID_PARAMETER,
        [],
    ]
    assert fake.SCardTransmit(hcard, scard.SCARD_PCI_T1, [0, 0xB0, 0, 0]) == [
        scard.SCARD_E_PROTO_MISMATCH,
        [],
    ]
    assert fake.SCardGetAttrib(hcard, scard.SCARD_ATTR_ATR_STRING) == [0, [0x3B, 0x80, 0x80, 1, 1]]
    friendly = fake.SCardGetAttrib(hcard, scard.SCARD_ATTR_DEVICE_FRIENDLY_NAME_A)
    assert bytes(friendly[1]) == READER.encode() + b"\0"
    assert fake.SCardGetAttrib(hcard, scard.SCARD_ATTR_VENDOR_NAME) == [
        scard.SCARD_E_UNSUPPORTED_FEATURE,
        [],
    ]
    assert fake.SCardSetAttrib(hcard, scard.SCARD_ATTR_VENDOR_NAME, b"ACME") == 0
    assert fake.SCardGetAttrib(hcard, scard.SCARD_ATTR_VENDOR_NAME) == [0, list(b"ACME")]


def test_control_answers_the_reader_codes_it_was_given() -> None:
    code = scard.SCARD_CTL_CODE(3400)
    fake = FakeBackend()
    fake.add_reader(READER, FakeCard(ATR), controls={code: b"\x12\x04\x42\x33\x00\x00"})
    hcard = connect(fake, establish(fake))
    assert fake.SCardControl(hcard, code, b"") == [0, [0x12, 0x04, 0x42, 0x33, 0, 0]]
    assert fake.SCardControl(hcard, code + 1, b"") == [scard.SCARD_E_UNSUPPORTED_FEATURE, []]


# -- card handlers ------------------------------------------------------------------


def test_card_answers_from_a_callable_a_mapping_or_a_sequence() -> None:
    echo = FakeCard(ATR, lambda command: command[::-1] + b"\x90\x00")
    assert echo.transmit(b"\x01\x02") == b"\x02\x01\x90\x00"
    table = FakeCard(ATR, {"00 A4 04 00": "61 10", b"\x00\xc0\x00\x00\x10": "SCARD_F_COMM_ERROR"})
    assert table.transmit(b"\x00\xa4\x04\x00") == b"\x61\x10"
    assert table.transmit(b"\x00\xc0\x00\x00\x10") == scard.SCARD_F_COMM_ERROR
    assert table.transmit(b"\x00\xff\x00\x00") == b"\x6d\x00"  # not in the table
    steps = FakeCard(ATR, [("00 01", "90 00"), ("00 02", "6A 82")])
    assert steps.transmit(b"\x00\x02") == b"\x6f\x00"  # out of order
    assert steps.transmit(b"\x00\x01") == b"\x90\x00"
    assert steps.transmit(b"\x00\x02") == b"\x6a\x82"
    assert steps.transmit(b"\x00\x03") == b"\x6f\x00"  # past the end
    assert steps.unexpected == [b"\x00\x02", b"\x00\x03"]
    assert steps.apdus == [b"\x00\x02", b"\x00\x01", b"\x00\x02", b"\x00\x03"]


def test_a_card_failure_code_is_the_transmit_result(fake: FakeBackend) -> None:
    fake.remove_card(READER)
    fake.insert_card(READER, FakeCard(ATR, {"00 B0 00 00 02": scard.SCARD_W_UNRESPONSIVE_CARD}))
    hcard = connect(fake, establish(fake))
    answer = fake.SCardTransmit(hcard, scard.SCARD_PCI_T0, b"\x00\xb0\x00\x00\x02")
    assert answer == [scard.SCARD_W_UNRESPONSIVE_CARD, []]


def test_bad_scripted_names_are_refused_at_once(fake: FakeBackend) -> None:
    with pytest.raises(ValueError, match="not a PC/SC result code"):
        FakeCard(ATR, {"00 01": "SCARD_E_NOT_A_CODE"})
    with pytest.raises(ValueError, match="not a PC/SC call"):
        fake.fail_next("SCardTransmitt", scard.SCARD_F_COMM_ERROR)
    with pytest.raises(ValueError, match="not a PC/SC result code"):
        fake.fail_next("SCardTransmit", "SCARD_F_COMM_ERRROR")


# -- removal, reset, restart, service -------------------------------------------------


def test_handles_of_a_removed_card_answer_removed_card(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    hcard = connect(fake, hcontext)
    fake.remove_card(READER)
    fake.insert_card(READER)  # another card: the handle still belongs to the first
    assert fake.SCardTransmit(hcard, scard.SCARD_PCI_T0, b"\x00\x00\x00\x00") == [
        scard.SCARD_W_REMOVED_CARD,
        [],
    ]
    assert fake.SCardStatus(hcard) == [scard.SCARD_W_REMOVED_CARD, "", 0, 0, []]
    assert fake.SCardDisconnect(hcard, scard.SCARD_RESET_CARD) == scard.SCARD_S_SUCCESS
    assert fake.handles == []


def test_handles_of_a_removed_reader_answer_reader_unavailable(fake: FakeBackend) -> None:
    hcard = connect(fake, establish(fake))
    fake.remove_reader(READER)
    assert fake.SCardStatus(hcard)[0] == scard.SCARD_E_READER_UNAVAILABLE


def test_a_reset_by_one_handle_warns_the_others_until_they_reconnect(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    first, second = connect(fake, hcontext), connect(fake, hcontext)
    card = fake.card(READER)
    assert card is not None
    assert fake.SCardDisconnect(first, scard.SCARD_RESET_CARD) == 0
    assert card.resets == 1
    apdu = b"\x00\x00\x00\x00"
    assert fake.SCardTransmit(second, scard.SCARD_PCI_T0, apdu)[0] == scard.SCARD_W_RESET_CARD
    assert fake.SCardReconnect(
        second, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_ANY, scard.SCARD_LEAVE_CARD
    ) == [0, scard.SCARD_PROTOCOL_T0]
    assert fake.SCardTransmit(second, scard.SCARD_PCI_T0, apdu)[0] == scard.SCARD_S_SUCCESS


def test_restart_kills_every_context_and_handle(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    hcard = connect(fake, hcontext)
    fake.restart()
    assert (fake.contexts, fake.handles) == ([], [])
    assert fake.SCardListReaders(hcontext, []) == [scard.SCARD_E_INVALID_HANDLE, []]
    assert fake.SCardTransmit(hcard, scard.SCARD_PCI_T0, b"\x00\x00\x00\x00") == [
        scard.SCARD_E_INVALID_HANDLE,
        [],
    ]
    assert fake.SCardConnect(hcontext, READER, 2, 3) == [scard.SCARD_E_INVALID_HANDLE, 0, 0]
    fresh = establish(fake)
    assert fresh not in (hcontext, hcard)  # a dead handle never aliases a live one
    connect(fake, fresh)


def test_restart_may_answer_another_code(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    fake.restart(answer="SCARD_E_NO_SERVICE")
    assert fake.SCardIsValidContext(hcontext) == scard.SCARD_E_NO_SERVICE


def test_stopped_service_refuses_contexts_until_started(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    fake.stop_service()
    assert fake.SCardEstablishContext(scard.SCARD_SCOPE_USER) == [scard.SCARD_E_NO_SERVICE, 0]
    assert fake.SCardListReaders(hcontext, []) == [scard.SCARD_E_NO_SERVICE, []]
    fake.start_service()
    establish(fake)


def test_releasing_a_context_disconnects_its_cards(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    hcard = connect(fake, hcontext)
    assert fake.SCardBeginTransaction(hcard) == 0
    assert fake.SCardReleaseContext(hcontext) == 0
    assert fake.handles == []
    # The transaction ended with the handle: another context can take one.
    other = connect(fake, establish(fake))
    assert fake.SCardBeginTransaction(other) == scard.SCARD_S_SUCCESS


# -- transactions ---------------------------------------------------------------------


def test_a_transaction_excludes_other_handles_until_it_ends(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    first, second = connect(fake, hcontext), connect(fake, hcontext)
    assert fake.SCardBeginTransaction(first) == scard.SCARD_S_SUCCESS
    apdu = b"\x00\x00\x00\x00"
    assert fake.SCardTransmit(second, 1, apdu)[0] == scard.SCARD_E_SHARING_VIOLATION
    assert fake.SCardEndTransaction(second, 0) == scard.SCARD_E_NOT_TRANSACTED
    results: List[int] = []
    waiter = threading.Thread(target=lambda: results.append(fake.SCardBeginTransaction(second)))
    waiter.start()
    assert fake.wait_blocked(1, 2.0), "the second begin should wait"
    assert results == []
    assert fake.SCardTransmit(first, 1, apdu)[0] == scard.SCARD_S_SUCCESS
    assert fake.SCardEndTransaction(first, scard.SCARD_LEAVE_CARD) == scard.SCARD_S_SUCCESS
    waiter.join(2.0)
    assert results == [scard.SCARD_S_SUCCESS]
    assert fake.SCardTransmit(first, 1, apdu)[0] == scard.SCARD_E_SHARING_VIOLATION


def test_a_waiting_begin_learns_of_the_card_removal(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    first, second = connect(fake, hcontext), connect(fake, hcontext)
    assert fake.SCardBeginTransaction(first) == 0
    results: List[int] = []
    waiter = threading.Thread(target=lambda: results.append(fake.SCardBeginTransaction(second)))
    waiter.start()
    assert fake.wait_blocked(1, 2.0)
    fake.remove_card(READER)
    waiter.join(2.0)
    assert results == [scard.SCARD_W_REMOVED_CARD]


# -- status changes -------------------------------------------------------------------


def test_status_change_with_zero_timeout_answers_at_once(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    hresult, states = fake.SCardGetStatusChange(hcontext, 0, [(READER, 0)])
    assert hresult == scard.SCARD_S_SUCCESS
    ((name, event, atr),) = states
    assert name == READER
    assert event & 0xFFFF == scard.SCARD_STATE_PRESENT | scard.SCARD_STATE_CHANGED
    assert event >> 16 == 1  # one insertion so far
    assert atr == [0x3B, 0x80, 0x80, 0x01, 0x01]
    # Told the current state, nothing changed: a zero timeout times out, states filled in.
    again = fake.SCardGetStatusChange(hcontext, 0, [(READER, event & ~scard.SCARD_STATE_CHANGED)])
    assert again == [scard.SCARD_E_TIMEOUT, [(READER, event & ~scard.SCARD_STATE_CHANGED, atr)]]


def test_status_change_reports_use_and_exclusivity(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    connect(fake, hcontext, scard.SCARD_SHARE_EXCLUSIVE)
    _, [(_, event, _)] = fake.SCardGetStatusChange(hcontext, 0, [(READER, 0)])
    assert event & scard.SCARD_STATE_EXCLUSIVE
    assert not event & scard.SCARD_STATE_INUSE


def test_unknown_reader_is_reported_not_waited_for(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    hresult, [(_, event, atr)] = fake.SCardGetStatusChange(
        hcontext, scard.INFINITE, [("Gone Reader", scard.SCARD_STATE_EMPTY)]
    )
    assert hresult == scard.SCARD_S_SUCCESS
    assert event & scard.SCARD_STATE_UNKNOWN and event & scard.SCARD_STATE_CHANGED
    assert atr == []


def test_status_change_times_out(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    _, [(_, event, _)] = fake.SCardGetStatusChange(hcontext, 0, [(READER, 0)])
    started = time.monotonic()
    hresult, _ = fake.SCardGetStatusChange(hcontext, 50, [(READER, event)])
    assert hresult == scard.SCARD_E_TIMEOUT
    assert 0.04 <= time.monotonic() - started < 1.0


def wait_in_thread(fake: FakeBackend, hcontext: int, states: Any) -> List[Any]:
    """Start an infinite SCardGetStatusChange in a thread; return once it blocks."""
    results: List[Any] = []
    thread = threading.Thread(
        target=lambda: results.append(fake.SCardGetStatusChange(hcontext, scard.INFINITE, states)),
        daemon=True,
    )
    thread.start()
    assert fake.wait_blocked(1, 2.0), "SCardGetStatusChange should block"
    results.append(thread)
    return results


def finish(results: List[Any]) -> Any:
    results[0].join(2.0)
    assert len(results) == 2, "the wait should have returned"
    return results[1]


def test_a_blocked_status_change_wakes_on_card_removal(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    _, [(_, event, _)] = fake.SCardGetStatusChange(hcontext, 0, [(READER, 0)])
    results = wait_in_thread(fake, hcontext, [(READER, event & ~scard.SCARD_STATE_CHANGED)])
    fake.remove_card(READER)
    hresult, [(_, new_event, atr)] = finish(results)
    assert hresult == scard.SCARD_S_SUCCESS
    assert new_event & scard.SCARD_STATE_EMPTY and new_event & scard.SCARD_STATE_CHANGED
    assert new_event >> 16 == 2 and atr == []


def test_a_card_removed_and_reinserted_shows_in_the_event_counter(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    _, [(_, event, _)] = fake.SCardGetStatusChange(hcontext, 0, [(READER, 0)])
    known = event & ~scard.SCARD_STATE_CHANGED
    fake.remove_card(READER)
    fake.insert_card(READER)
    hresult, [(_, new_event, _)] = fake.SCardGetStatusChange(hcontext, 0, [(READER, known)])
    assert hresult == scard.SCARD_S_SUCCESS  # same flags, but the counter moved by two
    assert new_event >> 16 == (event >> 16) + 2
    # Without a counter in the current state (older clients), only flags count.
    plain = fake.SCardGetStatusChange(hcontext, 0, [(READER, known & 0xFFFF)])
    assert plain[0] == scard.SCARD_E_TIMEOUT


def test_cancel_ends_a_blocked_status_change(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    _, [(_, event, _)] = fake.SCardGetStatusChange(hcontext, 0, [(READER, 0)])
    results = wait_in_thread(fake, hcontext, [(READER, event & ~scard.SCARD_STATE_CHANGED)])
    assert fake.SCardCancel(hcontext) == scard.SCARD_S_SUCCESS
    assert finish(results)[0] == scard.SCARD_E_CANCELLED
    # A cancel with nobody waiting is not remembered.
    assert fake.SCardCancel(hcontext) == scard.SCARD_S_SUCCESS
    assert fake.SCardGetStatusChange(hcontext, 0, [(READER, event)])[0] == scard.SCARD_E_TIMEOUT


def test_a_restart_ends_a_blocked_status_change_with_no_service(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    _, [(_, event, _)] = fake.SCardGetStatusChange(hcontext, 0, [(READER, 0)])
    results = wait_in_thread(fake, hcontext, [(READER, event & ~scard.SCARD_STATE_CHANGED)])
    fake.restart()
    assert finish(results)[0] == scard.SCARD_E_NO_SERVICE


def test_pnp_notification_reports_reader_arrivals(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    results = wait_in_thread(fake, hcontext, [(PNP_NOTIFICATION, 1 << 16)])
    fake.add_reader("Fake Reader 01 00")
    hresult, [(name, event, _)] = finish(results)
    assert (hresult, name) == (scard.SCARD_S_SUCCESS, PNP_NOTIFICATION)
    assert event & scard.SCARD_STATE_CHANGED and event >> 16 == 2


def test_without_pnp_the_pseudo_reader_is_unknown() -> None:
    fake = FakeBackend(pnp=False)
    hcontext = establish(fake)
    query = [(PNP_NOTIFICATION, 0)]
    _, [(_, event, _)] = fake.SCardGetStatusChange(hcontext, scard.INFINITE, query)
    assert event & scard.SCARD_STATE_UNKNOWN


# -- scripted answers and the call log -------------------------------------------------


def test_fail_next_fails_that_many_calls_in_the_calls_shape(fake: FakeBackend) -> None:
    hcard = connect(fake, establish(fake))
    fake.fail_next("SCardTransmit", scard.SCARD_F_COMM_ERROR, times=2)
    apdu = b"\x00\x00\x00\x00"
    assert fake.SCardTransmit(hcard, 1, apdu) == [scard.SCARD_F_COMM_ERROR, []]
    assert fake.pending("SCardTransmit") == 1
    assert fake.SCardTransmit(hcard, 1, apdu) == [scard.SCARD_F_COMM_ERROR, []]
    assert fake.SCardTransmit(hcard, 1, apdu) == [scard.SCARD_S_SUCCESS, [0x90, 0x00]]


def test_scripted_answers_are_returned_as_given(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    fake.script("SCardListReaders", [0, ["Scripted"]], "SCARD_E_SERVICE_STOPPED")
    assert fake.SCardListReaders(hcontext, []) == [0, ["Scripted"]]
    assert fake.SCardListReaders(hcontext, []) == [scard.SCARD_E_SERVICE_STOPPED, []]
    assert fake.SCardListReaders(hcontext, []) == [0, [READER]]
    fake.fail_next("SCardGetStatusChange", scard.SCARD_E_NO_SERVICE)
    states = [(READER, 0, b"\x3b")]
    assert fake.SCardGetStatusChange(hcontext, 0, states) == [
        scard.SCARD_E_NO_SERVICE,
        [(READER, 0, [0x3B])],
    ]


def test_every_call_is_logged_with_plain_arguments(fake: FakeBackend) -> None:
    hcontext = establish(fake)
    hcard = connect(fake, hcontext)
    fake.SCardTransmit(hcard, scard.SCARD_PCI_T0, b"\x00\xa4")
    assert fake.calls == [
        Call("SCardEstablishContext", (scard.SCARD_SCOPE_USER,), [0, hcontext]),
        Call("SCardConnect", (hcontext, READER, 2, 3), [0, hcard, 1]),
        Call("SCardTransmit", (hcard, 1, [0x00, 0xA4]), [0, [0x90, 0x00]]),
    ]
    assert [call.name for call in fake.calls_to("SCardConnect")] == ["SCardConnect"]
    fake.clear_calls()
    assert fake.calls == []


def test_the_fake_carries_the_extension_constants() -> None:
    assert FakeBackend.SCARD_E_NO_SERVICE == scard.SCARD_E_NO_SERVICE  # type: ignore[attr-defined]
    assert FakeBackend.INFINITE == scard.INFINITE  # type: ignore[attr-defined]


def test_calls_from_many_threads_keep_the_model_consistent(fake: FakeBackend) -> None:
    def work() -> None:
        for _ in range(50):
            hcontext = establish(fake)
            hcard = connect(fake, hcontext)
            assert fake.SCardTransmit(hcard, 1, b"\x00\x00\x00\x00")[0] == 0
            assert fake.SCardReleaseContext(hcontext) == 0

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert (fake.contexts, fake.handles) == ([], [])
    assert len(fake.calls_to("SCardTransmit")) == 200


@pytest.mark.parametrize("apdu", [5, 2**63, "00A40400", iter([0, 0xA4, 0, 0]), ["00"], None])
def test_an_apdu_the_extension_rejects_is_a_type_error_as_there(apdu: object) -> None:
    # Regression: bytes(apdu) sent five zero bytes for 5 and consumed iterators.
    fake = FakeBackend()
    with pytest.raises(TypeError, match="apdu must be a list of ints 0..255 or a bytes-like"):
        fake.SCardTransmit(1, scard.SCARD_PCI_T1, apdu)
    with pytest.raises(TypeError):
        scard.SCardTransmit(1, scard.SCARD_PCI_T1, apdu)


def test_an_apdu_byte_out_of_range_is_a_value_error_as_there() -> None:
    with pytest.raises(ValueError, match="byte range 0..255"):
        FakeBackend().SCardTransmit(1, scard.SCARD_PCI_T1, [0, 256])
    with pytest.raises(ValueError, match="byte range 0..255"):
        scard.SCardTransmit(1, scard.SCARD_PCI_T1, [0, 256])


@pytest.mark.parametrize(
    ("call", "arguments"),
    [("SCardControl", (1, 0x42000D48)), ("SCardSetAttrib", (1, 0x00010100))],
)
@pytest.mark.parametrize("buffer", [5, "00A4", iter([0, 0xA4])])
def test_a_control_or_attribute_buffer_the_extension_rejects_is_a_type_error_as_there(
    call: str, arguments: Tuple[int, int], buffer: object
) -> None:
    # Regression (twin of the APDU one): bytes(5) answered success for five zero bytes.
    with pytest.raises(TypeError) as fake_error:
        getattr(FakeBackend(), call)(*arguments, buffer)
    with pytest.raises(TypeError) as extension_error:
        getattr(scard, call)(*arguments, buffer)
    assert str(fake_error.value) == str(extension_error.value)
