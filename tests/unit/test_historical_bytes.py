# SPDX-License-Identifier: LGPL-2.1-or-later
"""smartcard.iso7816.compact_tlv and .historical: one parser, every category."""

from __future__ import annotations

import pytest

from smartcard.iso7816.capabilities import card_capabilities, historical_objects
from smartcard.iso7816.compact_tlv import CompactTLV, parse_compact_tlv
from smartcard.iso7816.historical import HistoricalBytes, decode_historical_bytes


def decode(text: str) -> HistoricalBytes:
    return decode_historical_bytes(bytes.fromhex(text))


def details(text: str, tag: int) -> list[str]:
    return next(item.details for item in decode(text).objects if item.tag == tag)


# The compact-TLV parser.


def test_objects_in_order_with_their_tags_and_lengths() -> None:
    objects = parse_compact_tlv(bytes.fromhex("31 C5 73 C0 01 40 80 F0"))
    assert objects == [
        CompactTLV(0x3, 1, b"\xc5"),
        CompactTLV(0x7, 3, b"\xc0\x01\x40"),
        CompactTLV(0x8, 0, b""),
        CompactTLV(0xF, 0, b""),
    ]
    assert not any(item.truncated for item in objects)


def test_a_short_last_object_is_kept_and_marked_truncated() -> None:
    objects = parse_compact_tlv(bytes.fromhex("31 C5 73 C0"))
    assert objects[-1] == CompactTLV(0x7, 3, b"\xc0")
    assert objects[-1].truncated


def test_no_data_no_objects() -> None:
    assert parse_compact_tlv(b"") == []


# Categories (ISO 7816-4).


def test_category_00_ends_with_a_status_indicator() -> None:
    historical = decode("00 31 C5 73 C0 01 40 05 90 00")
    assert historical.category_meaning == "compact-TLV objects, then a 3-byte status indicator"
    assert [item.tag for item in historical.objects] == [0x3, 0x7, 0x8]
    assert historical.objects[-1].details == [
        "life cycle status 05 (operational state (activated))",
        "SW 90 00 (Success, normal processing)",
    ]
    assert historical.problems == []


def test_category_00_without_room_for_the_status_indicator_is_a_problem() -> None:
    historical = decode("00 31 C5")
    assert historical.problems == ["category 00 needs a 3-byte status indicator at the end"]
    assert [item.tag for item in historical.objects] == [0x3]


def test_truncated_object_is_a_problem() -> None:
    historical = decode("80 31 C5 73 C0")
    assert historical.problems == ["compact-TLV object 73 announces 3 bytes, only 1 left"]


def test_pcsc_storage_card() -> None:
    historical = decode("80 4F 0C A0 00 00 03 06 03 00 01 00 00 00 00")
    (card,) = historical.objects
    assert card.details == ["standard: ISO 14443 A, part 3", "card: MIFARE Classic 1K"]


@pytest.mark.parametrize(
    "raw, meaning",
    [
        ("10 42", "DIR data reference follows"),
        ("81 00", "reserved for future use"),
        ("8F 00", "reserved for future use"),
        ("4A 43 4F 50", "proprietary format"),
        ("", "none"),
    ],
)
def test_other_categories(raw: str, meaning: str) -> None:
    assert decode(raw).category_meaning == meaning


def test_printable_bytes_read_as_text() -> None:
    assert decode("70 79 73 63 61 72 64").text == "pyscard"
    assert decode("80 31 C5").text is None


# The status indicator.


@pytest.mark.parametrize(
    "lcs, state",
    [
        (0x00, "no information given"),
        (0x01, "creation state"),
        (0x02, "reserved"),
        (0x03, "initialisation state"),
        (0x04, "operational state (deactivated)"),
        (0x07, "operational state (activated)"),
        (0x09, "reserved"),
        (0x0C, "termination state"),
        (0x0F, "termination state"),
        (0x10, "proprietary"),
    ],
)
def test_life_cycle_status(lcs: int, state: str) -> None:
    assert details(f"80 81 {lcs:02X}", 0x8) == [f"life cycle status {lcs:02X} ({state})"]


def test_status_indicator_of_two_and_four_bytes() -> None:
    assert details("80 82 6A 82", 0x8) == ["SW 6A 82 (File or application not found)"]
    assert details("80 84 00 90 00 00", 0x8) == ["malformed status indicator"]


# Card service data and card capabilities.


def test_card_service_data() -> None:
    assert details("80 31 C5", 0x3) == [
        "application selection by full DF name",
        "application selection by partial DF name",
        "EF.DIR and EF.ATR read with GET DATA",
        "card without MF",
    ]
    assert "EF.DIR and EF.ATR read with a reserved method" in details("80 31 02", 0x3)


def test_card_capabilities_tables() -> None:
    decoded = details("80 73 FE 21 1B", 0x7)
    for fragment in (
        "DF selection by path",
        "behaviour of write functions: proprietary",
        "data unit: 2 quartets",
        "logical channel numbers assigned by the card and the interface device",
        "up to 4 logical channels",
    ):
        assert fragment in decoded
    assert not [item for item in decoded if item.startswith("RFU")]


def test_reserved_capability_bit_is_flagged() -> None:
    assert "RFU: reserved bit b6 (20) set" in details("80 73 F7 41 E0", 0x7)


# The card API reads the same objects through the same parser.


def test_historical_objects_agree_with_the_decoding() -> None:
    atr = bytes.fromhex("3B 8A 80 01 80 31 F8 73 F7 41 E0 82 90 00 75")
    decoded = {item.tag: item.value for item in decode_historical_bytes(atr[4:-1]).objects}
    assert historical_objects(atr) == decoded
    assert card_capabilities(atr).max_logical_channels is None


def test_historical_objects_stop_at_a_truncated_object() -> None:
    atr = bytes.fromhex("3B 05 80 31 C5 73 C0")
    assert historical_objects(atr) == {0x3: b"\xc5"}


@pytest.mark.parametrize("atr", ["3B", "00 00", "3B F0 11", "3B 02 10 42"])
def test_historical_objects_of_no_compact_tlv_atr(atr: str) -> None:
    assert historical_objects(bytes.fromhex(atr)) == {}
