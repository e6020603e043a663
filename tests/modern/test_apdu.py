# SPDX-License-Identifier: LGPL-2.1-or-later
"""Command APDU encoding and decoding: cases 1 to 4, short and extended, bad input."""

from __future__ import annotations

import pytest

from smartcard.iso7816.apdu import CommandAPDU, build_command, encode_apdu, parse_apdu

H = bytes.fromhex("00A40400")


@pytest.mark.parametrize(
    "data, le, expected",
    [
        (b"", None, ""),  # case 1
        (b"", 1, "01"),  # case 2S
        (b"", 256, "00"),
        (b"", 0, "00"),  # "as much as available"
        (b"\xa0", None, "01A0"),  # case 3S
        (b"\xa0" * 255, None, "FF" + "A0" * 255),
        (b"\xa0", 16, "01A010"),  # case 4S
        (b"\xa0", 256, "01A000"),
        (b"", 257, "000101"),  # case 2E, chosen from Le
        (b"", 65536, "000000"),
        (b"\x01" * 256, None, "000100" + "01" * 256),  # case 3E, chosen from Nc
        (b"\x01" * 256, 0, "000100" + "01" * 256 + "0000"),  # case 4E
        (b"\x01" * 65535, 65536, "00FFFF" + "01" * 65535 + "0000"),
    ],
)
def test_the_case_and_form_follow_the_lengths(data: bytes, le: int | None, expected: str) -> None:
    encoded = encode_apdu(0x00, 0xA4, 0x04, 0x00, data, le)
    assert encoded == H + bytes.fromhex(expected)
    parsed = parse_apdu(encoded)
    assert parsed.data == data
    assert parsed.le == (None if le is None else le or (256 if not parsed.extended else 65536))


@pytest.mark.parametrize(
    "data, le, expected",
    [(b"", 5, "000005"), (b"\x01", None, "00000101"), (b"\x01", 1, "000001010001")],
)
def test_extended_form_can_be_forced(data: bytes, le: int | None, expected: str) -> None:
    assert encode_apdu(0, 0xA4, 4, 0, data, le, extended=True) == H + bytes.fromhex(expected)


def test_case_1_has_no_extended_form() -> None:
    assert encode_apdu(0, 0xA4, 4, 0, extended=True) == H


def test_any_bytes_like_data_and_lists_are_accepted() -> None:
    for data in (b"\x01\x02", bytearray(b"\x01\x02"), memoryview(b"\x01\x02"), [1, 2], (1, 2)):
        assert encode_apdu(0, 0xA4, 4, 0, data) == H + b"\x02\x01\x02"


def test_short_form_refuses_long_lengths_before_building() -> None:
    with pytest.raises(ValueError, match="does not fit a short APDU"):
        encode_apdu(0, 0xA4, 4, 0, bytes(256), extended=False)
    with pytest.raises(ValueError, match="does not fit a short APDU"):
        encode_apdu(0, 0xA4, 4, 0, le=257, extended=False)


@pytest.mark.parametrize(
    "kwargs, error, name",
    [
        ({"cla": 256}, ValueError, "cla"),
        ({"ins": -1}, ValueError, "ins"),
        ({"p1": "0"}, TypeError, "p1"),
        ({"p2": True}, TypeError, "p2"),
        ({"data": bytes(65536)}, ValueError, "data"),
        ({"data": "A0"}, TypeError, "data"),
        ({"data": [1, 256]}, ValueError, "data"),
        ({"data": [1, "x"]}, TypeError, "data"),
        ({"le": 65537}, ValueError, "le"),
        ({"le": -1}, ValueError, "le"),
        ({"le": 1.0}, TypeError, "le"),
        ({"extended": 1}, TypeError, "extended"),
    ],
)
def test_bad_fields_raise_naming_the_argument(kwargs: dict, error: type, name: str) -> None:
    fields = {"cla": 0, "ins": 0xA4, "p1": 4, "p2": 0, **kwargs}
    with pytest.raises(error, match=name):
        encode_apdu(**fields)
    if name != "extended":
        with pytest.raises(error, match=name):
            build_command(**{k: v for k, v in fields.items() if k != "extended"})


@pytest.mark.parametrize(
    "hexapdu, message",
    [
        ("00A404", "at least 4 bytes"),
        ("00A4040002A0", "short Lc=2"),
        ("00A4040000000201", "extended Lc=2"),
        ("00A404000000", "truncated"),
        ("00A404000000000000", "extended Lc of 0"),
    ],
)
def test_malformed_apdus_do_not_parse(hexapdu: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_apdu(bytes.fromhex(hexapdu))


def test_command_apdu_reports_its_case_and_reencodes() -> None:
    command = CommandAPDU(0x80, 0x10, 0, 0, b"\x01", 0)
    assert command.case == 4
    assert CommandAPDU(0, 0xB0, 0, 0).case == 1
    assert CommandAPDU(0, 0xB0, 0, 0, le=2).case == 2
    assert CommandAPDU(0, 0xD6, 0, 0, b"x").case == 3
    assert command.encode() == bytes.fromhex("80100000010100")
    assert command.encode(extended=True) == bytes.fromhex("8010000000000101" + "0000")
    assert parse_apdu(command.encode(extended=True)).extended is True
    assert build_command(0, 0xB0, 0, 0, [1, 2], 3) == CommandAPDU(0, 0xB0, 0, 0, b"\x01\x02", 3)
