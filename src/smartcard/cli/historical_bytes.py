# SPDX-License-Identifier: LGPL-2.1-or-later
"""Decoding an ATR's historical bytes: category indicator and compact-TLV objects.

ISO/IEC 7816-4 (clause "historical bytes") defines a category indicator
byte, then COMPACT-TLV data objects (one byte: tag in the high nibble,
length in the low one) and a status indicator. PC/SC part 3 reuses the
format for contactless storage cards, with a registered application
provider identifier naming the card type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_TAG_NAMES = {
    0x1: "country code",
    0x2: "issuer identification number",
    0x3: "card service data",
    0x4: "initial access data",
    0x5: "card issuer's data",
    0x6: "pre-issuing data",
    0x7: "card capabilities",
    0x8: "status indicator",
    0xF: "application identifier",
}

# PC/SC part 3: RID of the PC/SC workgroup, then standard (SS) and card name (NN NN).
_PCSC_RID = bytes.fromhex("A000000306")
_PCSC_STANDARDS = {
    0x01: "ISO 14443 A, part 1",
    0x02: "ISO 14443 A, part 2",
    0x03: "ISO 14443 A, part 3",
    0x05: "ISO 14443 B, part 1",
    0x06: "ISO 14443 B, part 2",
    0x07: "ISO 14443 B, part 3",
    0x09: "ISO 15693, part 1",
    0x0A: "ISO 15693, part 2",
    0x0B: "ISO 15693, part 3",
    0x0C: "ISO 15693, part 4",
    0x11: "FeliCa",
}
_PCSC_CARD_NAMES = {
    0x0001: "MIFARE Classic 1K",
    0x0002: "MIFARE Classic 4K",
    0x0003: "MIFARE Ultralight",
    0x0026: "MIFARE Mini",
    0x003A: "MIFARE Ultralight C",
    0xF004: "Topaz/Jewel",
    0xF011: "FeliCa 212K",
    0xF012: "FeliCa 424K",
}

# Life cycle status byte (ISO 7816-4), for the values that have a fixed meaning.
_LIFE_CYCLE = {
    0x00: "no information given",
    0x01: "creation state",
    0x03: "initialisation state",
    0x04: "operational state (deactivated)",
    0x05: "operational state (activated)",
    0x06: "operational state (deactivated)",
    0x07: "operational state (activated)",
}


@dataclass
class HistoricalObject:
    """One data object of the historical bytes, with its decoded details."""

    tag: int | None
    name: str
    value: bytes
    details: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "tag": None if self.tag is None else f"{self.tag:X}",
            "name": self.name,
            "value": self.value.hex().upper(),
            "details": self.details,
        }


@dataclass
class HistoricalBytes:
    """The historical bytes, their category and the objects found in them."""

    raw: bytes
    category: int | None
    category_meaning: str
    objects: list[HistoricalObject] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def text(self) -> str | None:
        """The bytes as text, when they are printable ASCII (many cards put a name there)."""
        printable = [b for b in self.raw if 0x20 <= b < 0x7F]
        if len(self.raw) >= 4 and len(printable) * 4 >= len(self.raw) * 3:
            return "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in self.raw)
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "hex": self.raw.hex().upper(),
            "text": self.text,
            "category": None if self.category is None else f"{self.category:02X}",
            "category_meaning": self.category_meaning,
            "objects": [item.to_json() for item in self.objects],
            "problems": self.problems,
        }


def _bits(value: int, flags: tuple[tuple[int, str], ...]) -> list[str]:
    return [text for bit, text in flags if value & bit]


def _card_service_data(value: int) -> list[str]:
    details = _bits(
        value,
        (
            (0x80, "application selection by full DF name"),
            (0x40, "application selection by partial DF name"),
            (0x20, "BER-TLV data objects in EF.DIR"),
            (0x10, "BER-TLV data objects in EF.ATR"),
        ),
    )
    access = {0b100: "READ BINARY", 0b000: "READ RECORD(S)", 0b010: "GET DATA"}.get(
        value >> 1 & 0x07
    )
    details.append(f"EF.DIR and EF.ATR read with {access or 'a reserved method'}")
    details.append("card without MF" if value & 0x01 else "card with MF")
    return details


def _selection_methods(value: int) -> list[str]:
    return _bits(
        value,
        (
            (0x80, "DF selection by full DF name"),
            (0x40, "DF selection by partial DF name"),
            (0x20, "DF selection by path"),
            (0x10, "DF selection by file identifier"),
            (0x08, "implicit DF selection"),
            (0x04, "short EF identifier supported"),
            (0x02, "record number supported"),
            (0x01, "record identifier supported"),
        ),
    )


def _data_coding(value: int) -> list[str]:
    write = ("one-time write", "proprietary", "write OR", "write AND")[value >> 5 & 0x03]
    details = _bits(value, ((0x80, "EFs of TLV structure supported"),))
    details.append(f"behaviour of write functions: {write}")
    details.append(
        "'FF' valid as first byte of BER-TLV tags"
        if value & 0x10
        else "'FF' invalid as first byte of BER-TLV tags"
    )
    details.append(f"data unit: {2 ** (value & 0x0F)} quartets")
    return details


def _chaining_and_channels(value: int) -> list[str]:
    details = _bits(value, ((0x80, "command chaining"), (0x40, "extended Lc and Le fields")))
    assignment = value >> 3 & 0x03
    if assignment == 0:
        details.append("no logical channels")
    else:
        assigners = ((0x02, "the card"), (0x01, "the interface device"))
        by = [who for bit, who in assigners if assignment & bit]
        details.append(f"logical channel numbers assigned by {' and '.join(by)}")
        count = (value & 0x07) + 1
        details.append(f"up to {count if count < 8 else '8 or more'} logical channels")
    return details


def _card_capabilities(value: bytes) -> list[str]:
    decoders = (_selection_methods, _data_coding, _chaining_and_channels)
    details = []
    for byte, decoder in zip(value, decoders):
        details.extend(decoder(byte))
    return details


def _sw_text(sw1: int, sw2: int) -> str:
    from smartcard.sw import describe_sw

    return f"SW {sw1:02X} {sw2:02X} ({describe_sw(sw1, sw2)})"


def _lcs_text(lcs: int) -> str:
    if lcs in _LIFE_CYCLE:
        meaning = _LIFE_CYCLE[lcs]
    elif 0x0C <= lcs <= 0x0F:
        meaning = "termination state"
    elif lcs >= 0x10:
        meaning = "proprietary"
    else:
        meaning = "reserved"
    return f"life cycle status {lcs:02X} ({meaning})"


def _status_indicator(value: bytes) -> list[str]:
    if len(value) == 1:
        return [_lcs_text(value[0])]
    if len(value) == 2:
        return [_sw_text(value[0], value[1])]
    if len(value) == 3:
        return [_lcs_text(value[0]), _sw_text(value[1], value[2])]
    return ["malformed status indicator"]


def _object(tag: int, value: bytes) -> HistoricalObject:
    name = _TAG_NAMES.get(tag, "reserved tag")
    details: list[str] = []
    if tag == 0x3 and len(value) == 1:
        details = _card_service_data(value[0])
    elif tag == 0x7:
        details = _card_capabilities(value)
    elif tag == 0x8:
        details = _status_indicator(value)
    return HistoricalObject(tag=tag, name=name, value=value, details=details)


def _compact_tlv(data: bytes, result: HistoricalBytes) -> None:
    position = 0
    while position < len(data):
        header = data[position]
        tag, length = header >> 4, header & 0x0F
        value = data[position + 1 : position + 1 + length]
        if len(value) < length:
            result.problems.append(
                f"compact-TLV object {header:02X} announces {length} bytes, only {len(value)} left"
            )
        result.objects.append(_object(tag, value))
        position += 1 + length


def _pcsc_storage_card(data: bytes) -> HistoricalObject | None:
    """PC/SC part 3 contactless storage card: ``4F 0C A0 00 00 03 06 SS NN NN ...``."""
    if len(data) < 10 or data[0] != 0x4F or data[2:7] != _PCSC_RID:
        return None
    standard, name = data[7], data[8] << 8 | data[9]
    details = [
        f"standard: {_PCSC_STANDARDS.get(standard, f'code {standard:02X}')}",
        f"card: {_PCSC_CARD_NAMES.get(name, f'code {name:04X}')}",
    ]
    return HistoricalObject(
        tag=None, name="PC/SC part 3 storage card", value=data[2 : 2 + data[1]], details=details
    )


def decode_historical_bytes(raw: bytes) -> HistoricalBytes:
    """Decode the historical bytes T1..TK (``raw``) of an ATR."""
    if not raw:
        return HistoricalBytes(raw=raw, category=None, category_meaning="none")
    category = raw[0]
    if category == 0x00:
        result = HistoricalBytes(
            raw, category, "compact-TLV objects, then a 3-byte status indicator"
        )
        body, status = raw[1:-3], raw[-3:]
        if len(raw) < 4:
            result.problems.append("category 00 needs a 3-byte status indicator at the end")
            body, status = raw[1:], b""
        _compact_tlv(body, result)
        if status:
            result.objects.append(
                HistoricalObject(0x8, "status indicator", status, _status_indicator(status))
            )
    elif category == 0x80:
        result = HistoricalBytes(raw, category, "compact-TLV objects")
        storage_card = _pcsc_storage_card(raw[1:])
        if storage_card is not None:
            result.objects.append(storage_card)
        else:
            _compact_tlv(raw[1:], result)
    elif category == 0x10:
        result = HistoricalBytes(raw, category, "DIR data reference follows")
        if len(raw) > 1:
            result.objects.append(
                HistoricalObject(None, "DIR data reference", raw[1:2], [f"{raw[1]:02X}"])
            )
    elif 0x81 <= category <= 0x8F:
        result = HistoricalBytes(raw, category, "reserved for future use")
    else:
        result = HistoricalBytes(raw, category, "proprietary format")
    return result
