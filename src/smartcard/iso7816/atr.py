# SPDX-License-Identifier: LGPL-2.1-or-later
"""The interpretation of an Answer To Reset (ISO/IEC 7816-3 clause 8, 7816-4).

:func:`interpret_atr` gives every byte with its meaning (reserved bits and
values flagged ``RFU:``), the protocols offered and the one used first, the
speed from TA1, the guard time from TC1, the historical bytes decoded and a
checksum verdict that knows when TCK is required, and lists where an ATR is
truncated or overlong. ``pyscard atr`` renders it; :class:`smartcard.ATR.ATR`
shares its layout walk (:mod:`smartcard.iso7816.atr_structure`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from smartcard.iso7816 import atr_bytes
from smartcard.iso7816.atr_bytes import Speed, guard_time_etu, speed_of
from smartcard.iso7816.atr_structure import DIRECT_CONVENTION, interface_groups, malformation
from smartcard.iso7816.historical import HistoricalBytes, decode_historical_bytes

__all__ = ["ATRFormatError", "ATRInterpretation", "Checksum", "InterfaceByte", "interpret_atr"]

# ISO 7816-3 8.1: an ATR holds at most 32 bytes after TS.
MAX_ATR_LENGTH = 33


class ATRFormatError(ValueError):
    """The bytes cannot be an ATR: too short, unknown TS, or interface bytes missing."""


@dataclass
class InterfaceByte:
    """One of TS, T0, TAi, TBi, TCi, TDi or TCK with what it means."""

    name: str
    value: int
    meaning: str


@dataclass
class Checksum:
    """TCK: present or not, required or not, right or wrong."""

    value: int | None
    expected: int | None
    required: bool
    verdict: str  # "correct", "wrong", "missing", "not required"

    def describe(self) -> str:
        if self.verdict == "correct":
            return "correct checksum"
        if self.verdict == "wrong":
            return f"WRONG checksum: XOR of T0 to the last historical byte is {self.expected:02X}"
        if self.verdict == "missing":
            return "MISSING: a protocol other than T=0 is offered, so TCK is required"
        return "absent, as it should be when only T=0 is offered"


@dataclass
class ATRInterpretation:
    """Everything an ATR says, byte by byte and as a whole."""

    atr: bytes
    bytes: list[InterfaceByte]
    protocols: list[int]  # offered, T=15 (global bytes) excluded
    default_protocol: int  # the first TD's, or the one TA2 (specific mode) imposes
    speed: Speed
    extra_guard_time: int | None  # N from TC1
    guard_time_etu: int  # for the default protocol
    historical: HistoricalBytes
    checksum: Checksum
    problems: list[str] = field(default_factory=list)

    @property
    def rfu_flags(self) -> list[str]:
        """Every reserved bit or value flagged, prefixed with the byte or object it is in."""
        flags = []
        for item in self.bytes:
            flags += [f"{item.name}: {part}" for part in item.meaning.split("; ") if _rfu(part)]
        for obj in self.historical.objects:
            flags += [f"{obj.name}: {detail}" for detail in obj.details if _rfu(detail)]
        return flags


def _rfu(text: str) -> bool:
    return text.startswith("RFU:")


def _interface_bytes(groups: tuple[list[int | None], ...], speed: Speed) -> list[InterfaceByte]:
    ta, tb, tc, td = groups
    result = []
    for index, group in enumerate(zip(ta, tb, tc, td)):
        level = index + 1
        previous_td = td[index - 1] if index else None
        protocol = None if previous_td is None else previous_td & 0x0F
        for kind, value in zip(("TA", "TB", "TC", "TD"), group):
            if value is None:
                continue
            name = f"{kind}{level}"
            if kind == "TD":
                meaning = atr_bytes.td_meaning(value, level)
            elif level <= 2:
                meaning = atr_bytes.global_meaning(name, value, speed)
            else:
                meaning = atr_bytes.specific_meaning(kind, value, protocol)
            result.append(InterfaceByte(name, value, meaning))
    return result


def _checksum(atr: bytes, end: int, required: bool) -> Checksum:
    """TCK verdict; ``end`` is the index just after the historical bytes."""
    expected = 0
    for byte in atr[1:end]:
        expected ^= byte
    if len(atr) > end:
        value = atr[end]
        verdict = "correct" if value == expected else "wrong"
        return Checksum(value=value, expected=expected, required=required, verdict=verdict)
    verdict = "missing" if required else "not required"
    return Checksum(value=None, expected=expected, required=required, verdict=verdict)


def interpret_atr(atr: bytes) -> ATRInterpretation:
    """Decode ``atr``; raise :class:`ATRFormatError` when it cannot be an ATR at all."""
    atr = bytes(atr)
    malformed = malformation(atr)
    if malformed is not None:
        raise ATRFormatError(malformed)
    try:
        ta, tb, tc, td, _, interface_end = interface_groups(atr)
    except IndexError:
        raise ATRFormatError(
            "T0 and the TD bytes announce more interface bytes than the "
            f"{len(atr)} bytes given (truncated?)"
        ) from None
    problems = []
    if len(atr) > MAX_ATR_LENGTH:
        problems.append(f"{len(atr)} bytes: longer than the 33 bytes an ATR may have")

    speed = speed_of(ta[0])
    ts_meaning = "direct convention" if atr[0] == DIRECT_CONVENTION else "inverse convention"
    fields = [
        InterfaceByte("TS", atr[0], ts_meaning),
        InterfaceByte("T0", atr[1], atr_bytes.t0_meaning(atr[1])),
        *_interface_bytes((ta, tb, tc, td), speed),
    ]
    offered = sorted({t & 0x0F for t in td if t is not None and t & 0x0F != 15})
    if td[0] is None:
        offered = [0]
    default = td[0] & 0x0F if td[0] is not None else 0
    if len(ta) > 1 and ta[1] is not None:
        default = ta[1] & 0x0F  # specific mode imposes the protocol

    announced = atr[1] & 0x0F
    end = interface_end + announced
    raw_historical = atr[interface_end:end]
    if len(raw_historical) < announced:
        problems.append(
            f"truncated: T0 announces {announced} historical bytes, "
            f"only {len(raw_historical)} present"
        )
    # ISO 7816-3 8.2.5: TCK is absent when only T=0 is indicated, present otherwise
    # (T=15 included).
    required = any(t is not None and t & 0x0F != 0 for t in td)
    checksum = _checksum(atr, min(end, len(atr)), required)
    if len(atr) > end + 1:
        extra = atr[end + 1 :]
        problems.append(f"{len(extra)} unexpected byte(s) after TCK: {extra.hex(' ').upper()}")
    if checksum.value is not None:
        fields.append(InterfaceByte("TCK", checksum.value, checksum.describe()))
    if checksum.verdict in ("wrong", "missing"):
        problems.append(f"checksum {checksum.verdict}")
    return ATRInterpretation(
        atr=atr,
        bytes=fields,
        protocols=offered,
        default_protocol=default,
        speed=speed,
        extra_guard_time=tc[0],
        guard_time_etu=guard_time_etu(tc[0], default),
        historical=decode_historical_bytes(raw_historical),
        checksum=checksum,
        problems=problems,
    )
