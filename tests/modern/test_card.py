# SPDX-License-Identifier: LGPL-2.1-or-later
"""The bytes-first card API against the real stack: connect, transmit, send, close."""

from __future__ import annotations

from typing import Callable, Tuple

import pytest

from smartcard.connecting import connect
from smartcard.Exceptions import (
    CardConnectionException,
    CardNotPresentException,
    NoCardException,
)
from smartcard.iso7816 import CheckingStatusError, Response, StatusWordError
from smartcard.pcsc_card import PCSCCard
from smartcard.pcsc_enums import Disposition, Protocol, ShareMode
from smartcard.testing import ATR_T0, ATR_T1, DEFAULT_AID, PrivatePCSCD, VirtualCard

SELECT_DEMO = bytes.fromhex("00A40400") + bytes((len(DEFAULT_AID),)) + DEFAULT_AID
ECHO = bytes.fromhex("80100000")


def echo(data: bytes) -> bytes:
    return ECHO + bytes((len(data),)) + data


def test_transmit_takes_any_bytes_like_and_returns_an_immutable_response(card: PCSCCard) -> None:
    for apdu in (
        echo(b"\xca\xfe"),
        bytearray(echo(b"\xca\xfe")),
        memoryview(echo(b"\xca\xfe")),
        list(echo(b"\xca\xfe")),
    ):
        response = card.transmit(apdu)  # type: ignore[arg-type]
        assert response == Response(b"\xca\xfe", 0x9000)
        assert type(response.data) is bytes
        assert (response.sw1, response.sw2) == (0x90, 0x00)
        assert response and response.ok
        data, sw = response
        assert (data, sw) == (b"\xca\xfe", 0x9000)
    with pytest.raises(AttributeError):
        response.sw = 0x6A82  # type: ignore[misc]


def test_check_raises_with_the_iso_meaning(card: PCSCCard) -> None:
    response = card.transmit(SELECT_DEMO[:-1] + b"\x00")
    assert response.sw == 0x6A82
    assert not response
    with pytest.raises(CheckingStatusError, match="6A82: File or application not found") as info:
        response.check()
    assert info.value.response is response
    assert card.transmit(SELECT_DEMO).check() == Response(b"", 0x9000)


def test_status_word_errors_are_pyscard_sw_exceptions(card: PCSCCard) -> None:
    from smartcard.sw.SWExceptions import CheckingErrorException, SWException

    with pytest.raises(CheckingErrorException) as info:
        card.transmit(bytes.fromhex("80306A82")).check()
    assert isinstance(info.value, SWException)
    assert (info.value.sw1, info.value.sw2) == (0x6A, 0x82)
    with pytest.raises(StatusWordError, match="9123: Proprietary"):
        card.transmit(bytes.fromhex("80309123")).check()


def test_send_builds_the_apdu(card: PCSCCard, virtual_card: VirtualCard) -> None:
    assert card.send(0x80, 0x10, 0, 0, b"\x01\x02", le=0).check().data == b"\x01\x02"
    assert virtual_card.apdus[-1] == bytes.fromhex("8010000002010200")
    assert card.send(0x80, 0x20, 0x00, 0x10).data == bytes(range(16))


def test_extended_response(card: PCSCCard) -> None:
    response = card.transmit(bytes.fromhex("8020FFFD000000"))
    assert len(response.data) == 65533 and response.ok


def test_connect_by_reader_object_and_to_the_first_reader_with_a_card(
    virtual_card_factory: Callable[..., VirtualCard], reader_names: Tuple[str, str]
) -> None:
    from smartcard.System import readers

    virtual_card_factory(1, atr=ATR_T0)
    with connect() as first:
        assert first.reader == reader_names[1]
        assert first.atr == ATR_T0
        assert first.protocol == Protocol.T0
    reader = [r for r in readers() if r.name == reader_names[1]][0]
    with connect(reader, protocols=Protocol.T0) as by_object:
        assert by_object.reader == reader_names[1]


def test_connect_without_any_card_says_so(
    pcscd: PrivatePCSCD, reader_names: Tuple[str, str]
) -> None:
    with pytest.raises(NoCardException, match="no reader holds a card"):
        connect()
    with pytest.raises(CardNotPresentException) as info:
        connect(reader_names[0])
    assert "card" in str(info.value).lower()


def test_unknown_reader_is_explained(pcscd: PrivatePCSCD) -> None:
    with pytest.raises(CardConnectionException, match="(?i)unknown|reader"):
        connect("no such reader 00 00")


def test_exclusive_share_mode_keeps_others_out(
    virtual_card: VirtualCard, reader_names: Tuple[str, str]
) -> None:
    with connect(reader_names[0], share=ShareMode.EXCLUSIVE) as owner:
        assert owner.share is ShareMode.EXCLUSIVE
        with pytest.raises(CardConnectionException, match="(?i)sharing"):
            connect(reader_names[0])
    with connect(reader_names[0]) as later:
        assert later.transmit(SELECT_DEMO).ok


def test_direct_mode_reaches_the_reader_without_a_card(
    pcscd: PrivatePCSCD, reader_names: Tuple[str, str]
) -> None:
    with connect(reader_names[0], share=ShareMode.DIRECT) as reader:
        assert reader.protocol == Protocol.UNDEFINED
        assert reader.atr == b""


def test_close_disconnects_with_the_disposition_and_is_idempotent(
    virtual_card: VirtualCard, reader_names: Tuple[str, str]
) -> None:
    before = virtual_card.power_off_count
    with connect(reader_names[0], disposition=Disposition.UNPOWER) as card:
        card.transmit(SELECT_DEMO)
    assert card.closed
    virtual_card.wait_for(lambda c: c.power_off_count > before)
    card.close()
    with pytest.raises(CardConnectionException, match="closed"):
        card.transmit(SELECT_DEMO)


def test_leaving_the_block_on_an_error_still_disconnects(
    virtual_card: VirtualCard, reader_names: Tuple[str, str]
) -> None:
    with pytest.raises(RuntimeError):
        with connect(reader_names[0], share=ShareMode.EXCLUSIVE) as card:
            raise RuntimeError("application failure")
    assert card.closed
    with connect(reader_names[0], share=ShareMode.EXCLUSIVE):
        pass  # exclusive access again: the first handle is gone


def test_reconnect_resets_by_default(virtual_card: VirtualCard, card: PCSCCard) -> None:
    before = virtual_card.reset_count + virtual_card.power_on_count
    card.reconnect()
    virtual_card.wait_for(lambda c: c.reset_count + c.power_on_count > before)
    assert card.transmit(SELECT_DEMO).ok
    card.reconnect(initialization=Disposition.LEAVE, protocols=Protocol.T1)
    assert card.protocol == Protocol.T1


def test_removed_card_raises_card_not_present(
    virtual_card_factory: Callable[..., VirtualCard],
    pcscd: PrivatePCSCD,
    reader_names: Tuple[str, str],
) -> None:
    virtual_card_factory(0, atr=ATR_T1)
    with connect(reader_names[0]) as card:
        pcscd.remove_card(0)
        with pytest.raises(CardNotPresentException):
            card.transmit(SELECT_DEMO)


def test_reconnect_after_a_pcscd_restart_gets_a_new_handle(
    virtual_card_factory: Callable[..., VirtualCard],
    pcscd: PrivatePCSCD,
    reader_names: Tuple[str, str],
) -> None:
    virtual_card_factory(0)
    with connect(reader_names[0]) as card:
        assert card.transmit(SELECT_DEMO).ok
        pcscd.stop()
        pcscd.start()  # the card is put back, as a card stays in a reader
        with pytest.raises(CardConnectionException):
            card.transmit(SELECT_DEMO)
        card.reconnect()
        assert card.transmit(SELECT_DEMO).ok
