# SPDX-License-Identifier: LGPL-2.1-or-later
"""An ATR's historical bytes: category indicator, compact-TLV objects, status indicator.

ISO/IEC 7816-4 (clause "historical bytes") defines a category indicator
byte, then COMPACT-TLV data objects and a status indicator. PC/SC part 3
reuses the format for contactless storage cards, with a registered
application provider identifier naming the card type.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from smartcard.iso7816 import historical_fields
from smartcard.iso7816.compact_tlv import CompactTLV, parse_compact_tlv

# Category indicators (ISO 7816-4): 00 and 80 announce compact-TLV objects;
# with 00 the last three bytes are a status indicator outside any object.
COMPACT_TLV_WITH_STATUS = 0x00
COMPACT_TLV = 0x80
DIR_DATA_REFERENCE = 0x10

STATUS_INDICATOR_TAG = 0x8

TAG_NAMES = {
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


@dataclass
class HistoricalObject:
    """One data object of the historical bytes, with its decoded details."""

    tag: int | None
    name: str
    value: bytes
    details: list[str] = field(default_factory=list)


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


def compact_tlv_parts(raw: bytes) -> tuple[bytes, bytes] | None:
    """(compact-TLV objects, status indicator) of historical bytes ``raw``.

    None when the category indicator announces another format. With
    category 00 the status indicator is the last three bytes; when there
    are fewer, everything after the category is taken as objects.
    """
    if not raw or raw[0] not in (COMPACT_TLV, COMPACT_TLV_WITH_STATUS):
        return None
    if raw[0] == COMPACT_TLV_WITH_STATUS and len(raw) >= 4:
        return raw[1:-3], raw[-3:]
    return raw[1:], b""


def _details(tag: int, value: bytes) -> list[str]:
    if tag == 0x3 and len(value) == 1:
        return historical_fields.card_service_data(value[0])
    if tag == 0x7:
        return historical_fields.card_capabilities(value)
    if tag == STATUS_INDICATOR_TAG:
        return historical_fields.status_indicator(value)
    return []


def _object(item: CompactTLV) -> HistoricalObject:
    name = TAG_NAMES.get(item.tag, "reserved tag")
    return HistoricalObject(item.tag, name, item.value, _details(item.tag, item.value))


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


def _compact_tlv(raw: bytes, body: bytes, status: bytes) -> HistoricalBytes:
    if raw[0] == COMPACT_TLV_WITH_STATUS:
        result = HistoricalBytes(raw, raw[0], "compact-TLV objects, then a 3-byte status indicator")
        if not status:
            result.problems.append("category 00 needs a 3-byte status indicator at the end")
    else:
        result = HistoricalBytes(raw, raw[0], "compact-TLV objects")
        storage_card = _pcsc_storage_card(body)
        if storage_card is not None:
            result.objects.append(storage_card)
            return result
    for item in parse_compact_tlv(body):
        if item.truncated:
            result.problems.append(
                f"compact-TLV object {item.tag << 4 | item.length:02X} announces "
                f"{item.length} bytes, only {len(item.value)} left"
            )
        result.objects.append(_object(item))
    if status:
        result.objects.append(_object(CompactTLV(STATUS_INDICATOR_TAG, len(status), status)))
    return result


def decode_historical_bytes(raw: bytes) -> HistoricalBytes:
    """Decode the historical bytes T1..TK (``raw``) of an ATR."""
    raw = bytes(raw)
    if not raw:
        return HistoricalBytes(raw=raw, category=None, category_meaning="none")
    category = raw[0]
    parts = compact_tlv_parts(raw)
    if parts is not None:
        return _compact_tlv(raw, *parts)
    if category == DIR_DATA_REFERENCE:
        result = HistoricalBytes(raw, category, "DIR data reference follows")
        if len(raw) > 1:
            result.objects.append(
                HistoricalObject(None, "DIR data reference", raw[1:2], [f"{raw[1]:02X}"])
            )
        return result
    if 0x81 <= category <= 0x8F:
        return HistoricalBytes(raw, category, "reserved for future use")
    return HistoricalBytes(raw, category, "proprietary format")
