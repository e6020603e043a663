# SPDX-License-Identifier: LGPL-2.1-or-later
"""The transport rules on a scripted exchange (no PC/SC): what is sent, in what order."""

from __future__ import annotations

from typing import List

import pytest

from smartcard.iso7816 import CommandAPDU, TransportError, TransportOptions
from smartcard.iso7816._checks import as_command
from smartcard.iso7816.capabilities import card_capabilities, historical_objects
from smartcard.iso7816.response import Response
from smartcard.iso7816.transport import (
    complete_response,
    follow_up,
    send_command,
    transmit_apdu,
)


class Script:
    """An exchange that answers from a list and records what it was sent."""

    def __init__(self, *answers: str) -> None:
        self.answers: List[bytes] = [bytes.fromhex(a) for a in answers]
        self.sent: List[str] = []

    def __call__(self, apdu: bytes) -> bytes:
        self.sent.append(apdu.hex().upper())
        return self.answers.pop(0)


def test_get_response_pieces_are_joined() -> None:
    script = Script("0102 6103", "030405 6102", "0607 9000")
    assert transmit_apdu(script, bytes.fromhex("80CA000000")) == (bytes(range(1, 8)), 0x9000)
    assert script.sent == ["80CA000000", "00C0000003", "00C0000002"]


def test_6cxx_then_61xx() -> None:
    script = Script("6C08", "01020304 6104", "05060708 9000")
    data, sw = transmit_apdu(script, bytes.fromhex("00B0000002"))
    assert (data, sw) == (bytes(range(1, 9)), 0x9000)
    assert script.sent == ["00B0000002", "00B0000008", "00C0000004"]


def test_get_response_answered_with_6cxx_is_resent_with_that_le() -> None:
    script = Script("6100", "6C10", "00" * 16 + "9000")
    assert transmit_apdu(script, bytes.fromhex("00B0000000")) == (bytes(16), 0x9000)
    assert script.sent == ["00B0000000", "00C0000000", "00C0000010"]


def test_6cxx_is_resent_only_once() -> None:
    script = Script("6C08", "6C04")
    assert transmit_apdu(script, bytes.fromhex("00B0000002")) == (b"", 0x6C04)
    assert len(script.sent) == 2


def test_6cxx_on_an_extended_apdu_keeps_the_extended_form() -> None:
    script = Script("6C20", "00" * 32 + "9000")
    transmit_apdu(script, bytes.fromhex("00B00000000100"))
    assert script.sent[1] == "00B00000000020"


def test_a_response_without_status_word_is_a_transport_error() -> None:
    with pytest.raises(TransportError, match="SW1 SW2"):
        transmit_apdu(Script("90"), bytes.fromhex("00B0000000"))


def test_chain_of_exactly_two_full_links() -> None:
    script = Script("9000", "9000")
    command = CommandAPDU(0x00, 0xDB, 0x3F, 0xFF, bytes(510))
    options = TransportOptions(extended_length=False)
    assert send_command(script, command, options) == (b"", 0x9000)
    assert [apdu[:10] for apdu in script.sent] == ["10DB3FFFFF", "00DB3FFFFF"]


def test_large_le_without_extended_length_asks_256_at_a_time() -> None:
    script = Script("00" * 256 + "6100", "00" * 256 + "612C", "00" * 44 + "9000")
    command = CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=556)
    data, sw = send_command(script, command, TransportOptions(extended_length=False))
    assert len(data) == 556 and sw == 0x9000
    assert script.sent == ["00B0000000", "00C0000000", "00C000002C"]


def test_large_le_with_extended_length_is_one_extended_apdu() -> None:
    script = Script("00" * 556 + "9000")
    send_command(script, CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=556))
    assert script.sent == ["00B00000000" + "22C"]


def test_follow_up_leaves_other_status_words_alone() -> None:
    def never(apdu: bytes) -> bytes:
        raise AssertionError("nothing must be sent")

    assert follow_up(never, bytes.fromhex("00A4040000"), bytes.fromhex("6A82")) == (b"", 0x6A82)
    options = TransportOptions(get_response=False, fix_wrong_le=False)
    assert follow_up(never, b"\x00\xb0\x00\x00\x00", b"\x61\x10", options) == (b"", 0x6110)


@pytest.mark.parametrize(
    "field, value, error",
    [
        ("get_response", 1, TypeError),
        ("chaining", None, TypeError),
        ("max_get_response", 0, ValueError),
        ("max_get_response", 2.5, TypeError),
    ],
)
def test_bad_options(field: str, value: object, error: type) -> None:
    with pytest.raises(error, match=field):
        TransportOptions(**{field: value})  # type: ignore[arg-type]


#: A YubiKey 5 ATR: compact-TLV historical bytes whose card capabilities
#: (73 C0 21 C0) announce command chaining and extended Lc/Le.
YUBIKEY_ATR = bytes.fromhex("3BFD1300008131FE158073C021C057597562694B657940")


def test_card_capabilities_from_the_atr() -> None:
    capabilities = card_capabilities(YUBIKEY_ATR)
    assert capabilities.extended_length and capabilities.command_chaining
    assert historical_objects(YUBIKEY_ATR)[5] == b"YubiKey"


@pytest.mark.parametrize(
    "atr",
    [
        "3B870170797363617264E8",  # the virtual card: proprietary historical bytes
        "3B00",  # no historical bytes
        "3B8180018080",  # category 80 with nothing in it
        "3B040073C021",  # category 00: "73 C0 21" is the status indicator, not an object
        "3F",  # malformed
    ],
)
def test_atrs_without_capabilities(atr: str) -> None:
    assert not card_capabilities(bytes.fromhex(atr)).extended_length


@pytest.mark.parametrize("answer", ["6110", "6C10"])
def test_no_follow_up_for_a_command_without_a_header(answer: str) -> None:
    # Found by fuzz/fuzz_apdu.py: an empty APDU answered with 61xx raised IndexError.
    script = Script()
    assert follow_up(script, b"", bytes.fromhex(answer)) == (b"", int(answer, 16))
    assert script.sent == []


@pytest.mark.parametrize("answer", ["9000", "0102 9000", "6A82", "6283", "60FF", "6DFF", "619000"])
def test_complete_response_takes_a_final_answer_as_it_is(answer: str) -> None:
    script = Script()  # any exchange would fail: nothing must be sent
    raw = bytes.fromhex(answer)
    response = complete_response(script, bytes.fromhex("00B0000000"), raw)
    assert type(response) is Response
    assert response == (raw[:-2], int.from_bytes(raw[-2:], "big"))
    assert script.sent == []


def test_complete_response_follows_61xx_and_6cxx() -> None:
    script = Script("0102 9000")
    response = complete_response(script, bytes.fromhex("00B0000000"), bytes.fromhex("6102"))
    assert type(response) is Response and response == (b"\x01\x02", 0x9000)
    assert script.sent == ["00C0000002"]
    script = Script("0102 9000")
    response = complete_response(script, bytes.fromhex("00B0000004"), bytes.fromhex("6C02"))
    assert type(response) is Response and response == (b"\x01\x02", 0x9000)
    assert script.sent == ["00B0000002"]


def test_complete_response_follows_as_the_options_say() -> None:
    options = TransportOptions(get_response=False, fix_wrong_le=False)
    for answer in ("6102", "6C02"):
        raw = bytes.fromhex(answer)
        script = Script()
        response = complete_response(script, bytes.fromhex("00B0000000"), raw, options)
        assert response == (b"", int(answer, 16)) and script.sent == []


@pytest.mark.parametrize("answer", ["", "90"])
def test_complete_response_refuses_an_answer_without_status_word(answer: str) -> None:
    with pytest.raises(TransportError, match="SW1 SW2"):
        complete_response(Script(), bytes.fromhex("00B0000000"), bytes.fromhex(answer))


@pytest.mark.parametrize(
    ("value", "error", "words"),
    [
        (b"\x00\xa4\x04", ValueError, "apdu must have at least 4 bytes"),
        ([0, 0xA4, 4, 256], ValueError, "apdu must hold ints"),
        ("00A40400", TypeError, "apdu must be a bytes-like object, not str"),
        (1234, TypeError, "apdu must be a bytes-like object, not int"),
    ],
)
def test_as_command_names_the_argument(value: object, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        as_command("apdu", value)


def test_as_command_converts_to_bytes() -> None:
    expected = bytes.fromhex("00A40400")
    for value in (expected, bytearray(expected), memoryview(expected), [0, 0xA4, 4, 0]):
        assert as_command("apdu", value) == expected
    assert type(as_command("apdu", memoryview(expected))) is bytes
