# SPDX-License-Identifier: LGPL-2.1-or-later
"""What a card says it can do, read from the "card capabilities" in its ATR.

ISO 7816-4 (8.1.1.2.7) lets a card announce, in the compact-TLV historical
bytes of its ATR (tag ``7X``), whether it accepts extended Lc/Le fields and
command chaining, and how many logical channels it supports. The new card
API uses this to choose between extended APDUs and command chaining.
"""

from __future__ import annotations

from typing import NamedTuple

from smartcard._pcsc.exceptions import SmartcardException
from smartcard.ATR import ATR
from smartcard.iso7816._checks import as_bytes

__all__ = ["CardCapabilities", "card_capabilities", "historical_objects"]

_CARD_CAPABILITIES_TAG = 0x7
# Category indicators of the historical bytes (ISO 7816-4 table 117).
_COMPACT_TLV = 0x80
_COMPACT_TLV_WITH_STATUS = 0x00  # the last 3 bytes are a status indicator


class CardCapabilities(NamedTuple):
    """The third software function table of the card capabilities (None: not stated)."""

    command_chaining: bool
    extended_length: bool
    max_logical_channels: int | None


NO_CAPABILITIES = CardCapabilities(False, False, None)


def historical_objects(atr: object) -> dict[int, bytes]:
    """The compact-TLV objects of the ATR's historical bytes, by tag (4-bit).

    Empty when the historical bytes use another format or the ATR is malformed.
    """
    raw = as_bytes("atr", atr)
    try:
        historical = bytes(ATR(list(raw)).getHistoricalBytes())
    except (SmartcardException, IndexError):
        return {}
    if not historical or historical[0] not in (_COMPACT_TLV, _COMPACT_TLV_WITH_STATUS):
        return {}
    end = len(historical) - (3 if historical[0] == _COMPACT_TLV_WITH_STATUS else 0)
    objects: dict[int, bytes] = {}
    position = 1
    while position < end:
        tag, length = historical[position] >> 4, historical[position] & 0x0F
        value = historical[position + 1 : position + 1 + length]
        if len(value) != length:
            return objects  # truncated: keep what was well formed
        objects.setdefault(tag, value)
        position += 1 + length
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
