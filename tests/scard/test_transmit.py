# SPDX-License-Identifier: LGPL-2.1-or-later
"""SCardTransmit round trips through pcscd, vpcd and the virtual card."""

from __future__ import annotations

import pytest

ECHO = [0x80, 0x10, 0x00, 0x00]


def echo_apdu(data: bytes) -> bytes:
    """An echo command (see smartcard.testing.DemoApplet), extended when needed."""
    if len(data) <= 255:
        return bytes(ECHO) + bytes((len(data),)) + data
    return bytes(ECHO) + b"\x00" + len(data).to_bytes(2, "big") + data + b"\x00\x00"


@pytest.mark.parametrize(
    "apdu",
    [
        [0x80, 0x10, 0x00, 0x00, 0x02, 0xCA, 0xFE],
        (0x80, 0x10, 0x00, 0x00, 0x02, 0xCA, 0xFE),
        bytes.fromhex("801000000 2CAFE".replace(" ", "")),
        bytearray.fromhex("8010000002CAFE"),
        memoryview(bytes.fromhex("8010000002CAFE")),
    ],
    ids=["list", "tuple", "bytes", "bytearray", "memoryview"],
)
def test_every_buffer_kind_gives_the_same_answer(scard, card_handle, apdu) -> None:  # noqa: ANN001
    hcard, protocol = card_handle
    assert scard.SCardTransmit(hcard, protocol, apdu) == [0, [0xCA, 0xFE, 0x90, 0x00]]


def test_the_card_receives_exactly_the_command(scard, card_handle, virtual_card) -> None:  # noqa: ANN001
    hcard, protocol = card_handle
    command = echo_apdu(bytes(range(200)))
    hresult, response = scard.SCardTransmit(hcard, protocol, list(command))
    assert hresult == 0
    assert bytes(response) == bytes(range(200)) + b"\x90\x00"
    assert virtual_card.apdus[-1] == command


def test_extended_response_of_65533_bytes_comes_back_whole(scard, card_handle) -> None:  # noqa: ANN001
    hcard, protocol = card_handle
    # 80 20 NH NL asks the demo applet for N bytes; Le 00 00 00 is extended.
    hresult, response = scard.SCardTransmit(hcard, protocol, bytes.fromhex("8020FFFD000000"))
    assert hresult == 0
    assert len(response) == 65535
    assert response[:3] == [0, 1, 2]
    assert response[-2:] == [0x90, 0x00]
    assert bytes(response[:-2]) == (bytes(range(256)) * 256)[:65533]


def test_extended_command(scard, card_handle) -> None:  # noqa: ANN001
    hcard, protocol = card_handle
    data = bytes((i * 7) & 0xFF for i in range(60000))
    hresult, response = scard.SCardTransmit(hcard, protocol, echo_apdu(data))
    assert hresult == 0
    assert bytes(response) == data + b"\x90\x00"


def test_wrong_protocol_structure(scard, card_handle) -> None:  # noqa: ANN001
    hcard, _ = card_handle
    # T=0 control information on a T=1 connection: pcsc-lite refuses it.
    assert scard.SCardTransmit(hcard, scard.SCARD_PCI_T0, ECHO + [0]) == [
        scard.SCARD_E_PROTO_MISMATCH,
        [],
    ]
    # Not a protocol at all: refused before reaching PC/SC.
    assert scard.SCardTransmit(hcard, 3, ECHO + [0]) == [scard.SCARD_E_INVALID_PARAMETER, []]


def test_t0_card_answers_61xx(scard, context, virtual_card_factory, reader_names) -> None:  # noqa: ANN001
    virtual_card_factory(t0_get_response=True)
    hresult, hcard, protocol = scard.SCardConnect(
        context, reader_names[0], scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_ANY
    )
    assert hresult == 0 and protocol == scard.SCARD_PROTOCOL_T0
    try:
        hresult, response = scard.SCardTransmit(hcard, protocol, echo_apdu(b"\x01\x02\x03"))
        assert hresult == 0
        assert response == [0x61, 0x03]
        hresult, response = scard.SCardTransmit(hcard, protocol, [0x00, 0xC0, 0x00, 0x00, 0x03])
        assert response == [1, 2, 3, 0x90, 0x00]
    finally:
        scard.SCardDisconnect(hcard, scard.SCARD_LEAVE_CARD)


def test_removed_card_fails_the_transmit(scard, pcscd, card_handle) -> None:  # noqa: ANN001
    hcard, protocol = card_handle
    pcscd.remove_card(0)
    hresult, response = scard.SCardTransmit(hcard, protocol, ECHO + [0])
    assert hresult in (scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD)
    assert response == []
