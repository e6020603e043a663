# SPDX-License-Identifier: LGPL-2.1-or-later
"""Testing your own code with pyscard's pytest fixtures: run with pytest."""

import pytest

from smartcard.System import readers


def get_challenge(reader_name):
    """The application code under test: 8 random bytes from the card."""
    reader = next(r for r in readers() if str(r) == reader_name)
    connection = reader.createConnection()
    connection.connect()
    try:
        data, sw1, sw2 = connection.transmit([0x00, 0x84, 0x00, 0x00, 0x08])
    finally:
        connection.disconnect()
    if (sw1, sw2) != (0x90, 0x00):
        raise RuntimeError(f"GET CHALLENGE failed: SW {sw1:02X} {sw2:02X}")
    return bytes(data)


def challenge_card(apdu):
    return bytes(range(8)) + b"\x90\x00" if apdu[:2] == b"\x00\x84" else b"\x6d\x00"


def test_get_challenge(virtual_card_factory, reader_names):
    card = virtual_card_factory(handler=challenge_card)  # in reader 0
    assert get_challenge(reader_names[0]) == bytes(range(8))
    assert card.apdus == [bytes.fromhex("0084000008")]


def test_card_refuses(virtual_card_factory, reader_names):
    virtual_card_factory(handler=lambda apdu: b"\x69\x82")
    with pytest.raises(RuntimeError, match="69 82"):
        get_challenge(reader_names[0])
