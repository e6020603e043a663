# SPDX-License-Identifier: LGPL-2.1-or-later
"""The bit fields inside the historical bytes' objects (ISO/IEC 7816-4).

The card service data byte, the three software function tables of the
card capabilities and the status indicator (life cycle status, SW1 SW2),
each turned into a list of readable details; reserved bits and values
are flagged with :mod:`smartcard.iso7816.rfu`.
"""

from __future__ import annotations

from smartcard.iso7816.rfu import rfu_bits

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

# The third software function table defines every bit but b6.
_CHAINING_RFU_MASK = 0x20


def _bits(value: int, flags: tuple[tuple[int, str], ...]) -> list[str]:
    return [text for bit, text in flags if value & bit]


def card_service_data(value: int) -> list[str]:
    """The card service data byte (tag 3)."""
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


def selection_methods(value: int) -> list[str]:
    """The first software function table of the card capabilities."""
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


def data_coding(value: int) -> list[str]:
    """The second software function table (data coding byte)."""
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


def chaining_and_channels(value: int) -> list[str]:
    """The third software function table: chaining, length fields, logical channels."""
    details = _bits(value, ((0x80, "command chaining"), (0x40, "extended Lc and Le fields")))
    details.extend(rfu_bits(value, _CHAINING_RFU_MASK))
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


def card_capabilities(value: bytes) -> list[str]:
    """The card capabilities (tag 7): up to three software function tables."""
    decoders = (selection_methods, data_coding, chaining_and_channels)
    details = []
    for byte, decoder in zip(value, decoders):
        details.extend(decoder(byte))
    return details


def life_cycle_status(lcs: int) -> str:
    """The life cycle status byte, with the state it names."""
    if lcs in _LIFE_CYCLE:
        meaning = _LIFE_CYCLE[lcs]
    elif 0x0C <= lcs <= 0x0F:
        meaning = "termination state"
    elif lcs >= 0x10:
        meaning = "proprietary"
    else:
        meaning = "reserved"
    return f"life cycle status {lcs:02X} ({meaning})"


def _status_word(sw1: int, sw2: int) -> str:
    from smartcard.sw import describe_sw

    return f"SW {sw1:02X} {sw2:02X} ({describe_sw(sw1, sw2)})"


def status_indicator(value: bytes) -> list[str]:
    """The status indicator: LCS, SW1 SW2, or both (1, 2 or 3 bytes)."""
    if len(value) == 1:
        return [life_cycle_status(value[0])]
    if len(value) == 2:
        return [_status_word(value[0], value[1])]
    if len(value) == 3:
        return [life_cycle_status(value[0]), _status_word(value[1], value[2])]
    return ["malformed status indicator"]
