# SPDX-License-Identifier: LGPL-2.1-or-later
"""GET RESPONSE, 6Cxx and command chaining through the new API, against emulated cards."""

from __future__ import annotations

from typing import Callable, Tuple

import pytest

from smartcard.connecting import connect
from smartcard.iso7816 import TransportError, TransportOptions
from smartcard.testing import ATR_T1, VirtualCard
from smartcard.testing.applet import pattern

from .modern_cards import ChainingCard, ScriptedCard, endless_61

Factory = Callable[..., VirtualCard]
ECHO = bytes.fromhex("80100000")


def test_61xx_is_followed_with_get_response_over_t0(
    virtual_card_factory: Factory, reader_names: Tuple[str, str]
) -> None:
    vcard = virtual_card_factory(0, t0_get_response=True)
    with connect(reader_names[0]) as card:
        # 600 bytes: 61 00, three GET RESPONSE of 256, 256 and 88 bytes.
        response = card.transmit(bytes.fromhex("80200258"))
        assert response.data == pattern(600) and response.sw == 0x9000
        get_responses = [apdu for apdu in vcard.apdus if apdu[1] == 0xC0]
        assert get_responses == [
            bytes.fromhex("00C0000000"),
            bytes.fromhex("00C0000000"),
            bytes.fromhex("00C0000058"),
        ]


def test_61xx_is_followed_over_t1_too(
    virtual_card_factory: Factory, reader_names: Tuple[str, str]
) -> None:
    virtual_card_factory(0, atr=ATR_T1, t0_get_response=True)
    with connect(reader_names[0]) as card:
        assert card.protocol.name == "T1"
        assert card.transmit(ECHO + b"\x03abc").data == b"abc"


def test_get_response_can_be_switched_off(
    virtual_card_factory: Factory, reader_names: Tuple[str, str]
) -> None:
    virtual_card_factory(0, t0_get_response=True)
    with connect(reader_names[0], transport=TransportOptions(get_response=False)) as card:
        response = card.transmit(ECHO + b"\x03abc")
        assert response == (b"", 0x6103)
        assert not response
        assert card.transmit(bytes.fromhex("00C0000003")) == (b"abc", 0x9000)


def test_6cxx_resends_with_the_right_le(
    virtual_card_factory: Factory, reader_names: Tuple[str, str]
) -> None:
    vcard = virtual_card_factory(0, t0_wrong_le=True)
    with connect(reader_names[0]) as card:
        assert card.transmit(bytes.fromhex("8020001000")) == (pattern(16), 0x9000)
        assert vcard.apdus[-2:] == [bytes.fromhex("8020001000"), bytes.fromhex("8020001010")]
        assert card.send(0x80, 0x20, 0x00, 0x05, le=0x20).data == pattern(5)


def test_6cxx_fix_can_be_switched_off(
    virtual_card_factory: Factory, reader_names: Tuple[str, str]
) -> None:
    virtual_card_factory(0, t0_wrong_le=True)
    with connect(reader_names[0], transport=TransportOptions(fix_wrong_le=False)) as card:
        assert card.transmit(bytes.fromhex("8020001000")).sw == 0x6C10


def test_get_response_has_a_cap(
    virtual_card_factory: Factory, reader_names: Tuple[str, str]
) -> None:
    scripted = ScriptedCard(endless_61())
    virtual_card_factory(0, handler=scripted)
    options = TransportOptions(max_get_response=5)
    with connect(reader_names[0], transport=options) as card:
        with pytest.raises(TransportError, match="after 5 GET RESPONSE"):
            card.transmit(bytes.fromhex("80CA000000"))
    assert len(scripted.apdus) == 6  # the command and 5 GET RESPONSE, no more


def test_long_data_is_chained_when_the_card_has_no_extended_length(
    virtual_card_factory: Factory, reader_names: Tuple[str, str]
) -> None:
    chaining = ChainingCard()
    vcard = virtual_card_factory(0, handler=chaining)  # its ATR announces no extended length
    data = bytes(i & 0xFF for i in range(600))
    with connect(reader_names[0]) as card:
        assert card.options.extended_length is False
        response = card.send(0x00, 0x10, 0x00, 0x00, data, le=0)
    assert response.data == data and response.ok
    assert chaining.links == [255, 255, 90]
    assert [apdu[0] for apdu in vcard.apdus] == [0x10, 0x10, 0x00, 0x00, 0x00]
    assert [apdu[1] for apdu in vcard.apdus[3:]] == [0xC0, 0xC0]


def test_chaining_stops_at_the_first_refusal(
    virtual_card_factory: Factory, reader_names: Tuple[str, str]
) -> None:
    chaining = ChainingCard(supported=False)
    virtual_card_factory(0, handler=chaining)
    with connect(reader_names[0]) as card:
        response = card.send(0x00, 0x10, 0x00, 0x00, bytes(600))
    assert response.sw == 0x6884
    assert chaining.links == [255]


def test_long_data_goes_extended_when_wanted(
    virtual_card: VirtualCard, reader_names: Tuple[str, str]
) -> None:
    data = bytes(range(256)) * 4
    with connect(reader_names[0], transport=TransportOptions(extended_length=True)) as card:
        assert card.send(0x80, 0x10, 0x00, 0x00, data, le=0).data == data
    assert virtual_card.apdus[-1][4:7] == b"\x00\x04\x00"


def test_nothing_is_sent_when_lengths_are_invalid_or_unsendable(
    virtual_card: VirtualCard, reader_names: Tuple[str, str]
) -> None:
    options = TransportOptions(extended_length=False, chaining=False)
    with connect(reader_names[0], transport=options) as card:
        sent = len(virtual_card.apdus)
        with pytest.raises(ValueError, match="data"):
            card.send(0x80, 0x10, 0, 0, bytes(65536))
        with pytest.raises(ValueError, match="le"):
            card.send(0x80, 0x10, 0, 0, le=65537)
        with pytest.raises(ValueError, match="le"):
            card.send(0x80, 0x10, 0, 0, le=-1)
        with pytest.raises(ValueError, match="switched off"):
            card.send(0x80, 0x10, 0, 0, bytes(256))
        assert len(virtual_card.apdus) == sent
