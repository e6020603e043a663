# SPDX-License-Identifier: LGPL-2.1-or-later
"""What a card says it can do, read from the "card capabilities" in its ATR.

ISO 7816-4 (8.1.1.2.7) lets a card announce, in the compact-TLV historical
bytes of its ATR (tag ``7X``), whether it accepts extended Lc/Le fields and
command chaining, and how many logical channels it supports. The new card
API uses this to choose between extended APDUs and command chaining.
"""

from __future__ import annotations

from typing import NamedTuple

from smartcard.iso7816._checks import as_bytes
from smartcard.iso7816.atr_structure import interface_groups, malformation
from smartcard.iso7816.compact_tlv import parse_compact_tlv
from smartcard.iso7816.historical import compact_tlv_parts

__all__ = ["CardCapabilities", "card_capabilities", "historical_objects"]

_CARD_CAPABILITIES_TAG = 0x7


class CardCapabilities(NamedTuple):
    """The third software function table of the card capabilities (None: not stated)."""

    command_chaining: bool
    extended_length: bool
    max_logical_channels: int | None


NO_CAPABILITIES = CardCapabilities(False, False, None)


def _historical_bytes(atr: bytes) -> bytes:
    """T1..TK of ``atr`` (fewer when it is short), or nothing when it is malformed."""
    if malformation(atr) is not None:
        return b""
    try:
        end = interface_groups(atr)[-1]
    except IndexError:
        return b""
    return atr[end : end + (atr[1] & 0x0F)]


def historical_objects(atr: object) -> dict[int, bytes]:
    """The compact-TLV objects of the ATR's historical bytes, by tag (4-bit).

    Empty when the historical bytes use another format or the ATR is malformed.
    """
    parts = compact_tlv_parts(_historical_bytes(as_bytes("atr", atr)))
    if parts is None:
        return {}
    objects: dict[int, bytes] = {}
    for item in parse_compact_tlv(parts[0]):
        if item.truncated:
            break  # keep what was well formed
        objects.setdefault(item.tag, item.value)
    return objects


def card_capabilities(atr: object) -> CardCapabilities:
    """What the ATR's card capabilities object says; all False/None when it has none."""
    capabilities = historical_objects(atr).get(_CARD_CAPABILITIES_TAG, b"")
    if len(capabilities) < 3:
        return NO_CAPABILITIES
    table = capabilities[2]
    # Bits 3-1 give the channel count minus one; 111 means "8 or more".
    channels_field = table & 0x07
    assignment = (table >> 3) & 0x03
    return CardCapabilities(
        command_chaining=bool(table & 0x80),
        extended_length=bool(table & 0x40),
        max_logical_channels=(channels_field + 1) if assignment else None,
    )
