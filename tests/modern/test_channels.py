# SPDX-License-Identifier: LGPL-2.1-or-later
"""Logical channels: CLA coding for channels 0 to 19, MANAGE CHANNEL against a card."""

from __future__ import annotations

from typing import Callable, Tuple

import pytest

from smartcard.connecting import connect
from smartcard.iso7816 import CheckingStatusError, channel_of, cla_for_channel
from smartcard.iso7816.channels import manage_channel_close, manage_channel_open
from smartcard.iso7816.transport import get_response_cla
from smartcard.testing import T0Emulation, VirtualCard

from .modern_cards import ChannelCard

Factory = Callable[..., VirtualCard]


@pytest.mark.parametrize(
    "cla, channel, expected",
    [
        (0x00, 0, 0x00),
        (0x00, 3, 0x03),
        (0x00, 4, 0x40),
        (0x00, 19, 0x4F),
        (0x10, 2, 0x12),  # chaining kept
        (0x10, 5, 0x51),
        (0x08, 1, 0x09),  # SM, header not processed
        (0x08, 7, 0x63),  # ... becomes the further class's SM bit
        (0x63, 0, 0x08),  # and back
        (0x0C, 3, 0x0F),  # SM with authenticated header, first class only
        (0x80, 2, 0x82),  # GlobalPlatform proprietary class keeps bit 8
        (0x84, 9, 0xE5),  # GlobalPlatform SM: 84 on channels 0-3, E0-EF beyond
        (0xE5, 0, 0x84),
        (0xC5, 0, 0x80),
    ],
)
def test_cla_is_rewritten_for_every_channel(cla: int, channel: int, expected: int) -> None:
    assert cla_for_channel(cla, channel) == expected
    assert channel_of(expected) == channel


def test_every_channel_round_trips() -> None:
    for channel in range(20):
        for cla in (0x00, 0x10, 0x80, 0x90):
            assert channel_of(cla_for_channel(cla, channel)) == channel


@pytest.mark.parametrize(
    "cla, channel, error, name",
    [
        (0x04, 4, ValueError, "secure messaging"),  # proprietary SM has no further-class form
        (0x88, 4, ValueError, "secure messaging"),
        (0x0C, 4, ValueError, "secure messaging"),
        (0xA0, 1, ValueError, "no channel"),  # GSM class
        (0x20, 1, ValueError, "no channel"),  # reserved
        (0xFF, 1, ValueError, "no channel"),
        (0x00, 20, ValueError, "channel"),
        (0x00, -1, ValueError, "channel"),
        (0x00, "1", TypeError, "channel"),
        (256, 1, ValueError, "cla"),
    ],
)
def test_impossible_rewrites_are_refused(cla: int, channel: int, error: type, name: str) -> None:
    with pytest.raises(error, match=name):
        cla_for_channel(cla, channel)


def test_manage_channel_commands() -> None:
    assert manage_channel_open() == bytes.fromhex("0070000001")
    assert manage_channel_open(5) == bytes.fromhex("00700005")
    assert manage_channel_close(19) == bytes.fromhex("00708013")
    with pytest.raises(ValueError, match="channel"):
        manage_channel_close(0)


def test_open_use_and_close_channels(
    virtual_card_factory: Factory, reader_names: Tuple[str, str]
) -> None:
    applet = ChannelCard()
    virtual_card_factory(0, handler=applet)
    with connect(reader_names[0]) as card:
        with card.open_channel() as first, card.open_channel() as second:
            assert (first.number, second.number) == (1, 2)
            assert first.transmit(bytes.fromhex("80CA000000")).check().data == b"\x01"
            assert second.transmit(bytes.fromhex("80CA000000")).data == b"\x02"
            assert card.transmit(bytes.fromhex("80CA000000")).data == b"\x00"
        assert applet.open == {0}
        with card.open_channel(19) as far:
            assert far.transmit(bytes.fromhex("00CA000000")).data == bytes((19,))
            assert applet.seen_cla[-1] == 0x4F
        assert first.closed and far.closed
        with pytest.raises(ValueError, match="closed"):
            first.transmit(bytes.fromhex("80CA000000"))


def test_a_card_without_channels_refuses_with_an_explanation(
    virtual_card: VirtualCard, reader_names: Tuple[str, str]
) -> None:
    with connect(reader_names[0]) as card:
        with pytest.raises(CheckingStatusError, match="6D00"):
            card.open_channel()


def test_get_response_stays_on_the_channel(
    virtual_card_factory: Factory, reader_names: Tuple[str, str]
) -> None:
    vcard = virtual_card_factory(0, handler=T0Emulation(ChannelCard()))
    with connect(reader_names[0]) as card:
        with card.open_channel() as channel:
            # Case 4: the T=0 card answers 61 01, and GET RESPONSE must go on channel 1.
            assert channel.transmit(bytes.fromhex("80CA000001FF00")).data == b"\x01"
            assert vcard.apdus[-1] == bytes.fromhex("01C0000001")
        with card.open_channel(6) as channel:
            assert channel.transmit(bytes.fromhex("80CA000001FF00")).data == b"\x06"
            assert vcard.apdus[-1] == bytes.fromhex("42C0000001")


def test_get_response_class_follows_the_command_class() -> None:
    assert get_response_cla(0x00) == 0x00
    assert get_response_cla(0x80) == 0x00  # GlobalPlatform: GET RESPONSE is interindustry
    assert get_response_cla(0x93) == 0x03
    assert get_response_cla(0x0D) == 0x01  # no secure messaging on GET RESPONSE
    assert get_response_cla(0x6F) == 0x4F
    assert get_response_cla(0xA0) == 0xA0  # GSM 11.11 SIMs want A0 C0
