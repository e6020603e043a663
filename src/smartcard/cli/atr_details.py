# SPDX-License-Identifier: LGPL-2.1-or-later
"""What each ATR byte means (ISO/IEC 7816-3 clause 8), beyond :class:`smartcard.ATR.ATR`.

``smartcard.ATR`` splits the ATR into TS, T0, the TAi/TBi/TCi/TDi groups,
historical bytes and TCK, with pyscard's API. This module adds the
interpretation a person needs: the maximum clock and resulting speed of
TA1, the protocol-specific bytes of T=1 and T=15, a checksum verdict that
knows when TCK is required, and where an ATR is truncated or overlong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import xor
from typing import Any

from smartcard.cli.errors import UsageError
from smartcard.cli.historical_bytes import HistoricalBytes, decode_historical_bytes

# ISO 7816-3 table 7: maximum clock frequency in MHz for each FI (None = RFU).
_F_MAX_MHZ: list[float | None] = [
    4, 5, 6, 8, 12, 16, 20, None, None, 5, 7.5, 10, 15, 20, None, None,
]  # fmt: skip

# Clock frequency most readers use, to give a speed people can compare.
TYPICAL_CLOCK_MHZ = 4.0

# Class indicator bits of TA for T=15 (ISO 7816-3 8.3): operating conditions.
_CLASSES = ((0x01, "A (5 V)"), (0x02, "B (3 V)"), (0x04, "C (1.8 V)"))
_CLOCK_STOP = ("not supported", "state L", "state H", "no preference")


@dataclass
class InterfaceByte:
    """One of TS, T0, TAi, TBi, TCi, TDi or TCK with what it means."""

    name: str
    value: int
    meaning: str


@dataclass
class Speed:
    """Transmission parameters announced by TA1 (or the defaults without it)."""

    fi: int | None
    di: int | None
    f_max_mhz: float | None
    from_ta1: bool

    @property
    def cycles_per_etu(self) -> float | None:
        if self.fi is None or not self.di:
            return None
        return self.fi / self.di

    def bits_per_second(self, clock_mhz: float | None) -> int | None:
        cycles = self.cycles_per_etu
        if cycles is None or clock_mhz is None:
            return None
        return int(clock_mhz * 1_000_000 / cycles)

    def describe(self) -> str:
        if self.fi is None or not self.di:
            return "reserved (RFU) Fi or Di value: speed unknown"
        cycles = self.cycles_per_etu
        text = f"Fi={self.fi}, Di={self.di}: {cycles:g} cycles/ETU, "
        text += f"{self.bits_per_second(TYPICAL_CLOCK_MHZ)} bit/s at {TYPICAL_CLOCK_MHZ:g} MHz"
        if self.f_max_mhz is not None:
            text += f", {self.bits_per_second(self.f_max_mhz)} bit/s at fmax={self.f_max_mhz:g} MHz"
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "fi": self.fi,
            "di": self.di,
            "f_max_mhz": self.f_max_mhz,
            "from_ta1": self.from_ta1,
            "cycles_per_etu": self.cycles_per_etu,
            "bits_per_second_at_4_mhz": self.bits_per_second(TYPICAL_CLOCK_MHZ),
            "bits_per_second_at_f_max": self.bits_per_second(self.f_max_mhz),
        }


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
class ATRDetails:
    """Everything ``pyscard atr`` shows about one ATR."""

    atr: bytes
    bytes: list[InterfaceByte]
    protocols: list[str]
    default_protocol: str
    speed: Speed
    historical: HistoricalBytes
    checksum: Checksum
    problems: list[str] = field(default_factory=list)


def _protocol_of(td: int | None) -> int | None:
    return None if td is None else td & 0x0F


def _td_meaning(td: int, level: int) -> str:
    protocol = td & 0x0F
    text = f"protocol T={protocol}"
    if protocol == 15:
        text += " (global interface bytes follow)"
    following = [f"{name}{level + 1}" for bit, name in _PRESENCE if td & bit]
    return text + (f"; {_follow(following)}" if following else "")


def _follow(names: list[str]) -> str:
    return " ".join(names) + (" follows" if len(names) == 1 else " follow")


_PRESENCE = ((0x10, "TA"), (0x20, "TB"), (0x40, "TC"), (0x80, "TD"))


def _speed(ta1: int | None) -> Speed:
    from smartcard.ATR import ATR

    if ta1 is None:
        return Speed(fi=372, di=1, f_max_mhz=5, from_ta1=False)
    fi = ATR.clockrateconversion[ta1 >> 4]
    di = ATR.bitratefactor[ta1 & 0x0F]
    return Speed(
        fi=fi if isinstance(fi, int) else None,
        di=di if isinstance(di, int) else None,
        f_max_mhz=_F_MAX_MHZ[ta1 >> 4],
        from_ta1=True,
    )


def _global_meaning(name: str, value: int, speed: Speed) -> str:
    """TA1, TB1, TC1 and the level-2 bytes, which do not depend on the protocol."""
    if name == "TA1":
        return speed.describe()
    if name == "TB1":
        if value == 0:
            return "VPP not connected (TB1 is deprecated since ISO 7816-3:2006)"
        current = (25, 50, 100, None)[value >> 5 & 0x03]
        return (
            f"programming voltage PI1={value & 0x1F}, max current "
            f"{current if current is not None else 'RFU'} mA (deprecated)"
        )
    if name == "TC1":
        if value == 255:
            return "extra guard time N=255: minimum guard time (12 ETU for T=0, 11 for T=1)"
        return f"extra guard time N={value} ETU"
    if name == "TA2":
        mode = "cannot change to negotiable mode" if value & 0x80 else "can change mode"
        params = "implicit parameters (not those of TA1)" if value & 0x10 else "parameters from TA1"
        return f"specific mode: protocol T={value & 0x0F}, {mode}, {params}"
    if name == "TB2":
        return f"programming voltage PI2={value} (deprecated)"
    if name == "TC2":
        wi = value or 10
        return f"T=0: waiting time integer WI={value}, WT = {960 * wi} x Fi/f"
    return "global interface byte"


def _specific_meaning(kind: str, value: int, protocol: int | None) -> str:
    """TAi/TBi/TCi for i > 2: specific to the protocol announced by TD(i-1)."""
    if protocol == 1:
        if kind == "TA":
            if value in (0, 255):
                return f"T=1: IFSC={value} (reserved value)"
            return f"T=1: IFSC={value} bytes (maximum information field of the card)"
        if kind == "TB":
            return (
                f"T=1: block waiting integer BWI={value >> 4}, "
                f"character waiting integer CWI={value & 0x0F}"
            )
        if kind == "TC":
            return "T=1: error detection code " + ("CRC" if value & 0x01 else "LRC")
    if protocol == 15:
        if kind == "TA":
            classes = [label for bit, label in _CLASSES if value & bit] or ["none"]
            return (
                f"T=15: clock stop {_CLOCK_STOP[value >> 6]}; "
                f"classes accepted: {', '.join(classes)}"
            )
        if kind == "TB":
            if value == 0:
                return "T=15: contact C6 (SPU) not used"
            use = "proprietary" if value & 0x80 else "standard"
            return f"T=15: contact C6 (SPU) used, {use} use (0x{value & 0x7F:02X})"
    return f"specific to T={protocol}"


def _interface_bytes(parsed: Any, speed: Speed) -> list[InterfaceByte]:
    result = []
    for index, group in enumerate(zip(parsed.TA, parsed.TB, parsed.TC, parsed.TD)):
        level = index + 1
        protocol = _protocol_of(parsed.TD[index - 1]) if index else None
        for kind, value in zip(("TA", "TB", "TC", "TD"), group):
            if value is None:
                continue
            name = f"{kind}{level}"
            if kind == "TD":
                meaning = _td_meaning(value, level)
            elif level <= 2:
                meaning = _global_meaning(name, value, speed)
            else:
                meaning = _specific_meaning(kind, value, protocol)
            result.append(InterfaceByte(name, value, meaning))
    return result


def _t0_meaning(t0: int) -> str:
    following = [f"{name}1" for bit, name in _PRESENCE if t0 & bit]
    present = f"{_follow(following)}; " if following else ""
    return f"Y1={t0 >> 4:04b}: {present}{t0 & 0x0F} historical bytes"


def _checksum(atr: bytes, end: int, required: bool) -> Checksum:
    """TCK verdict; ``end`` is the index just after the historical bytes."""
    expected = reduce(xor, atr[1:end], 0)
    if len(atr) > end:
        value = atr[end]
        verdict = "correct" if value == expected else "wrong"
        return Checksum(value=value, expected=expected, required=required, verdict=verdict)
    verdict = "missing" if required else "not required"
    return Checksum(value=None, expected=expected, required=required, verdict=verdict)


def analyse(atr: bytes) -> ATRDetails:
    """Decode ``atr``; raise :class:`UsageError` when it cannot be an ATR at all."""
    from smartcard._pcsc.exceptions import SmartcardException
    from smartcard.ATR import ATR

    if len(atr) > 33:
        problems = [f"{len(atr)} bytes: longer than the 33 bytes an ATR may have"]
    else:
        problems = []
    try:
        parsed = ATR(list(atr))
    except SmartcardException as exc:
        raise UsageError(f"not an ATR: {exc}") from exc
    except IndexError:
        raise UsageError(
            "not an ATR: T0 and the TD bytes announce more interface bytes than the "
            f"{len(atr)} bytes given (truncated?)"
        ) from None

    speed = _speed(parsed.TA[0])
    ts_meaning = "direct convention" if atr[0] == 0x3B else "inverse convention"
    fields = [
        InterfaceByte("TS", atr[0], ts_meaning),
        InterfaceByte("T0", atr[1], _t0_meaning(atr[1])),
        *_interface_bytes(parsed, speed),
    ]
    offered = sorted({td & 0x0F for td in parsed.TD if td is not None and td & 0x0F != 15})
    if parsed.TD[0] is None:
        offered = [0]
    protocols = [f"T={t}" for t in offered]
    default = parsed.TD[0] & 0x0F if parsed.TD[0] is not None else 0
    if len(parsed.TA) > 1 and parsed.TA[1] is not None:
        default = parsed.TA[1] & 0x0F  # specific mode imposes the protocol

    end = 2 + parsed.interfaceBytesCount + parsed.K
    historical = decode_historical_bytes(bytes(parsed.historicalBytes))
    if len(parsed.historicalBytes) < parsed.K:
        problems.append(
            f"truncated: T0 announces {parsed.K} historical bytes, "
            f"only {len(parsed.historicalBytes)} present"
        )
    # ISO 7816-3 8.2.5: TCK is absent when only T=0 is indicated, present otherwise
    # (T=15 included).
    required = any(td is not None and td & 0x0F != 0 for td in parsed.TD)
    checksum = _checksum(atr, min(end, len(atr)), required)
    if len(atr) > end + 1:
        extra = atr[end + 1 :]
        problems.append(f"{len(extra)} unexpected byte(s) after TCK: {extra.hex(' ').upper()}")
    if checksum.value is not None:
        fields_tail = [InterfaceByte("TCK", checksum.value, checksum.describe())]
    else:
        fields_tail = []
    if checksum.verdict in ("wrong", "missing"):
        problems.append(f"checksum {checksum.verdict}")
    return ATRDetails(
        atr=atr,
        bytes=fields + fields_tail,
        protocols=protocols,
        default_protocol=f"T={default}",
        speed=speed,
        historical=historical,
        checksum=checksum,
        problems=problems,
    )
