# SPDX-License-Identifier: LGPL-2.1-or-later
"""The PC/SC seam (contexts, reader queries, CardHandle, failure classes) on failures
a real stack cannot produce on demand, through the fake backend."""

from __future__ import annotations

import pytest

from smartcard import scard
from smartcard._pcsc.context import establish_context, scoped_context
from smartcard._pcsc.errors import explain
from smartcard._pcsc.failures import Failure, classify, needs_new_context
from smartcard._pcsc.handle import NO_HANDLE, CardHandle
from smartcard._pcsc.readers import list_reader_names, reader_states, readers_with_card
from smartcard.Exceptions import (
    CardConnectionException,
    CardNotPresentException,
    CardServiceNotFoundException,
    CardServiceStoppedException,
    ListReadersException,
)
from smartcard.pcsc import PCSCExceptions
from smartcard.testing import FakeBackend, FakeCard

READER = "Fake Reader 00 00"
SHARED, ANY = scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_ANY
APDU = [0x00, 0xB0, 0x00, 0x00, 0x02]


@pytest.fixture
def fake(fake_pcsc: FakeBackend) -> FakeBackend:
    fake_pcsc.add_reader(READER, FakeCard("3B 80 01 81", {bytes(APDU): "CA FE 90 00"}))
    return fake_pcsc


def connected(fake: FakeBackend) -> CardHandle:
    handle = CardHandle(READER)
    assert handle.api is fake
    assert handle.connect(SHARED, ANY) == scard.SCARD_PROTOCOL_T1
    return handle


def test_comm_error_mid_transaction_raises_the_explained_exception(fake: FakeBackend) -> None:
    handle = connected(fake)
    handle.begin_transaction()
    assert handle.transmit(scard.SCARD_PCI_T1, APDU) == [0xCA, 0xFE, 0x90, 0x00]
    fake.fail_next("SCardTransmit", "SCARD_F_COMM_ERROR")
    with pytest.raises(CardConnectionException) as caught:
        handle.transmit(scard.SCARD_PCI_T1, APDU)
    assert type(caught.value) is CardConnectionException  # not "no card"
    assert caught.value.hresult == scard.SCARD_F_COMM_ERROR
    assert caught.value.explanation == explain(scard.SCARD_F_COMM_ERROR)
    assert "Failed to transmit with protocol T1" in str(caught.value)
    assert "pcscd" in caught.value.explanation  # says what to do
    handle.end_transaction(scard.SCARD_LEAVE_CARD)
    handle.close(scard.SCARD_LEAVE_CARD)
    assert (fake.contexts, fake.handles) == ([], [])


@pytest.mark.parametrize("for_connection", [True, False])
def test_service_stopped_on_establish_raises_the_service_stopped_family(
    fake: FakeBackend, for_connection: bool
) -> None:
    fake.fail_next("SCardEstablishContext", scard.SCARD_E_SERVICE_STOPPED)
    with pytest.raises(CardServiceStoppedException) as caught:
        establish_context(for_connection)
    expected = (
        PCSCExceptions.ConnectionServiceStoppedError
        if for_connection
        else PCSCExceptions.PCSCServiceStoppedError
    )
    assert type(caught.value) is expected
    assert isinstance(caught.value, PCSCExceptions.EstablishContextException)
    assert caught.value.hresult == scard.SCARD_E_SERVICE_STOPPED
    assert caught.value.explanation == explain(scard.SCARD_E_SERVICE_STOPPED)


def test_a_card_handle_without_service_raises_service_not_found(fake: FakeBackend) -> None:
    fake.stop_service()
    with pytest.raises(CardServiceNotFoundException) as caught:
        CardHandle(READER)
    assert isinstance(caught.value, PCSCExceptions.ConnectionServiceNotFoundError)
    assert isinstance(caught.value, CardConnectionException)


def test_reconnect_on_a_stale_handle_connects_anew_with_a_new_context(fake: FakeBackend) -> None:
    handle = connected(fake)
    old_context, old_card = handle.hcontext, handle.hcard
    fake.restart()
    fake.clear_calls()
    assert handle.reconnect(SHARED, ANY, scard.SCARD_LEAVE_CARD) == scard.SCARD_PROTOCOL_T1
    calls = [(call.name, call.args[0], call.result) for call in fake.calls]
    stale = scard.SCARD_E_INVALID_HANDLE
    assert calls[:4] == [
        ("SCardReconnect", old_card, [stale, 0]),
        ("SCardConnect", old_context, [stale, 0, 0]),
        ("SCardReleaseContext", old_context, stale),
        ("SCardEstablishContext", scard.SCARD_SCOPE_USER, [0, handle.hcontext]),
    ]
    assert calls[4] == ("SCardConnect", handle.hcontext, [0, handle.hcard, scard.SCARD_PROTOCOL_T1])
    assert len(calls) == 5
    assert fake.contexts == [handle.hcontext] and fake.handles == [handle.hcard]
    assert handle.transmit(scard.SCARD_PCI_T1, APDU)[-2:] == [0x90, 0x00]
    handle.close(scard.SCARD_LEAVE_CARD)


def test_connect_after_a_restart_renews_the_context_once(fake: FakeBackend) -> None:
    handle = CardHandle(READER)
    old_context = handle.hcontext
    fake.restart()
    handle.connect(SHARED, ANY)
    assert handle.hcontext != old_context
    assert [c.name for c in fake.calls_to("SCardEstablishContext")] == ["SCardEstablishContext"] * 2
    handle.close(scard.SCARD_LEAVE_CARD)
    assert fake.contexts == []


def test_connect_gives_up_when_the_new_context_is_stale_too(fake: FakeBackend) -> None:
    handle = CardHandle(READER)
    fake.fail_next("SCardConnect", scard.SCARD_E_INVALID_HANDLE, times=2)
    with pytest.raises(CardConnectionException) as caught:
        handle.connect(SHARED, ANY)
    assert caught.value.hresult == scard.SCARD_E_INVALID_HANDLE
    assert len(fake.calls_to("SCardConnect")) == 2  # tried once more, not forever
    handle.close(scard.SCARD_LEAVE_CARD)


def test_removed_card_raises_card_not_present(fake: FakeBackend) -> None:
    handle = connected(fake)
    fake.remove_card(READER)
    with pytest.raises(CardNotPresentException, match="Unable to transmit"):
        handle.transmit(scard.SCARD_PCI_T1, APDU)
    with pytest.raises(CardNotPresentException):
        handle.connect(SHARED, ANY)
    assert handle.hcard == NO_HANDLE
    handle.close(scard.SCARD_UNPOWER_CARD)
    assert (fake.contexts, fake.handles) == ([], [])


def test_closing_after_a_restart_raises_nothing_and_leaks_nothing(fake: FakeBackend) -> None:
    handle = connected(fake)
    fake.restart()
    handle.close(scard.SCARD_RESET_CARD)  # both calls fail as stale: only logged
    assert [c.result for c in fake.calls[-2:]] == [scard.SCARD_E_INVALID_HANDLE] * 2


def test_disconnect_reports_a_failure_that_is_not_stale_or_no_card(fake: FakeBackend) -> None:
    handle = connected(fake)
    fake.fail_next("SCardDisconnect", scard.SCARD_E_INVALID_VALUE)
    with pytest.raises(CardConnectionException, match="Failed to disconnect"):
        handle.disconnect(scard.SCARD_LEAVE_CARD)
    handle.release_context()


def test_another_handles_transaction_is_a_sharing_violation(fake: FakeBackend) -> None:
    first, second = connected(fake), connected(fake)
    first.begin_transaction()
    with pytest.raises(CardConnectionException) as caught:
        second.transmit(scard.SCARD_PCI_T1, APDU)
    assert caught.value.hresult == scard.SCARD_E_SHARING_VIOLATION
    first.end_transaction(scard.SCARD_LEAVE_CARD)
    assert second.transmit(scard.SCARD_PCI_T1, APDU)[-2:] == [0x90, 0x00]
    first.close(scard.SCARD_LEAVE_CARD)
    second.close(scard.SCARD_LEAVE_CARD)


def test_attributes_control_and_atr_through_the_handle(fake: FakeBackend) -> None:
    handle = connected(fake)
    assert handle.atr() == [0x3B, 0x80, 0x01, 0x81]
    assert handle.get_attribute(scard.SCARD_ATTR_ATR_STRING) == [0x3B, 0x80, 0x01, 0x81]
    with pytest.raises(CardConnectionException) as caught:
        handle.control(scard.SCARD_CTL_CODE(1), b"")
    assert caught.value.hresult == scard.SCARD_E_UNSUPPORTED_FEATURE
    handle.close(scard.SCARD_LEAVE_CARD)


# -- reader queries ------------------------------------------------------------------


def test_reader_queries_see_the_fake_readers(fake: FakeBackend) -> None:
    fake.add_reader("Empty Reader")
    fake.add_reader("Mute Reader", FakeCard(mute=True))
    with scoped_context() as hcontext:
        assert list_reader_names(hcontext) == [READER, "Empty Reader", "Mute Reader"]
        states = reader_states(hcontext, [READER, "Empty Reader"])
        assert states[0][2] == bytes.fromhex("3B800181")
        assert states[1][1] & scard.SCARD_STATE_EMPTY
        assert readers_with_card(hcontext) == [READER]
    assert fake.contexts == []


def test_no_readers_is_an_empty_list(fake: FakeBackend) -> None:
    fake.remove_reader(READER)
    with scoped_context() as hcontext:
        assert list_reader_names(hcontext) == []


def test_listing_without_service_raises_the_service_not_found_family(fake: FakeBackend) -> None:
    fake.fail_next("SCardListReaders", scard.SCARD_E_NO_SERVICE)
    with scoped_context() as hcontext, pytest.raises(ListReadersException) as caught:
        list_reader_names(hcontext)
    assert type(caught.value) is PCSCExceptions.PCSCServiceNotFoundError
    assert isinstance(caught.value, CardServiceNotFoundException)
    assert fake.contexts == []


def test_reader_states_failure_is_explained(fake: FakeBackend) -> None:
    fake.fail_next("SCardGetStatusChange", scard.SCARD_E_NO_SERVICE)
    with scoped_context() as hcontext, pytest.raises(CardConnectionException) as caught:
        reader_states(hcontext, [READER])
    assert caught.value.hresult == scard.SCARD_E_NO_SERVICE
    assert "read the reader states" in str(caught.value)


# -- the one classification ------------------------------------------------------------

CLASSES = [
    ("SCARD_W_REMOVED_CARD", Failure.NO_CARD, CardNotPresentException),
    ("SCARD_E_NO_SMARTCARD", Failure.NO_CARD, CardNotPresentException),
    ("SCARD_E_INVALID_HANDLE", Failure.STALE, CardConnectionException),
    ("SCARD_E_READER_UNAVAILABLE", Failure.STALE, CardConnectionException),
    ("SCARD_E_NO_SERVICE", Failure.SERVICE_GONE, CardConnectionException),
    ("SCARD_E_SERVICE_STOPPED", Failure.SERVICE_GONE, CardConnectionException),
    ("SCARD_F_COMM_ERROR", Failure.SERVICE_GONE, CardConnectionException),
    ("SCARD_E_SYSTEM_CANCELLED", Failure.SERVICE_GONE, CardConnectionException),
    ("SCARD_W_UNRESPONSIVE_CARD", Failure.OTHER, CardConnectionException),
    ("SCARD_E_SHARING_VIOLATION", Failure.OTHER, CardConnectionException),
    ("SCARD_E_TIMEOUT", Failure.OTHER, CardConnectionException),
]


@pytest.mark.parametrize(("name", "kind", "exception"), CLASSES)
def test_classify_each_code_and_what_a_transmit_raises_for_it(
    fake: FakeBackend, name: str, kind: Failure, exception: type
) -> None:
    code = getattr(scard, name)
    assert classify(code) is kind
    assert classify(code - 0x100000000) is kind  # Windows' signed form
    assert needs_new_context(code) is (kind in (Failure.STALE, Failure.SERVICE_GONE))
    handle = connected(fake)
    fake.fail_next("SCardTransmit", name)
    with pytest.raises(CardConnectionException) as caught:
        handle.transmit(scard.SCARD_PCI_T1, APDU)
    assert type(caught.value) is exception
    assert caught.value.hresult == code
    handle.close(scard.SCARD_LEAVE_CARD)
