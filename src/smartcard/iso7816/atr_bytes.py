# SPDX-License-Identifier: LGPL-2.1-or-later
"""What each interface byte of an ATR means (ISO/IEC 7816-3, clause 8).

TA1 gives the speed, TB1/TB2 the (deprecated) programming voltage, TC1 the
extra guard time, TA2 the specific mode, TC2 the T=0 waiting time; TAi,
TBi, TCi for i > 2 depend on the protocol TD(i-1) announces (T=1 block
parameters, T=15 clock stop and classes). Reserved bits and values are
flagged with :mod:`smartcard.iso7816.rfu`, as pcsc-tools' ``ATR_analysis``
does.
"""

from __future__ import annotations

from dataclasses import dataclass

from smartcard.iso7816.atr_structure import (
    DEFAULT_DI,
    DEFAULT_F_MAX_MHZ,
    DEFAULT_FI,
    DI_TABLE,
    F_MAX_MHZ_TABLE,
    FI_TABLE,
)
from smartcard.iso7816.rfu import rfu_bits, rfu_value

# Clock frequency most readers use, to give a speed people can compare.
TYPICAL_CLOCK_MHZ = 4.0

# Class indicator bits of TA for T=15 (ISO 7816-3 8.3): operating conditions.
_CLASSES = ((0x01, "A (5 V)"), (0x02, "B (3 V)"), (0x04, "C (1.8 V)"))
_CLOCK_STOP = ("not supported", "state L", "state H", "no preference")
# Reserved bits: TA2 b7-b6, T=15 class indicator b6-b4, T=1 TC b8-b2.
_TA2_RFU_MASK = 0x60
_CLASS_RFU_MASK = 0x38
_T1_TC_RFU_MASK = 0xFE
# TB2 (PI2) is defined from 50 to 250 (tenths of a volt); T=1 BWI up to 9.
_PI2_RANGE = range(50, 251)
_MAX_BWI = 9
# Protocols T=2 to T=13 are reserved (T=14 is left to other standards).
_RESERVED_PROTOCOLS = range(2, 14)

PRESENCE = ((0x10, "TA"), (0x20, "TB"), (0x40, "TC"), (0x80, "TD"))


@dataclass
class Speed:
    """Transmission parameters announced by TA1 (or the defaults without it)."""

    fi: int | None
    di: int | None
    f_max_mhz: float | None
    from_ta1: bool

    @property
    def cycles_per_etu(self) -> float | None:
        """Clock cycles per elementary time unit, Fi / Di (None for an RFU value)."""
        if self.fi is None or not self.di:
            return None
        return self.fi / self.di

    def bits_per_second(self, clock_mhz: float | None) -> int | None:
        """The bit rate at clock frequency ``clock_mhz``."""
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


def speed_of(ta1: int | None) -> Speed:
    """The speed TA1 announces; Fi=372, Di=1, 5 MHz without TA1."""
    if ta1 is None:
        return Speed(DEFAULT_FI, DEFAULT_DI, DEFAULT_F_MAX_MHZ, from_ta1=False)
    return Speed(FI_TABLE[ta1 >> 4], DI_TABLE[ta1 & 0x0F], F_MAX_MHZ_TABLE[ta1 >> 4], True)


def guard_time_etu(tc1: int | None, protocol: int) -> int:
    """The character guard time in ETU that TC1 (extra guard time N) sets for ``protocol``.

    N=255 asks for the minimum: 12 ETU under T=0, 11 under T=1.
    """
    n = tc1 or 0
    if n == 255:
        return 11 if protocol == 1 else 12
    return 12 + n


def _with_flags(text: str, flags: list[str]) -> str:
    return "; ".join([text, *flags])


def _follow(names: list[str]) -> str:
    return " ".join(names) + (" follows" if len(names) == 1 else " follow")


def t0_meaning(t0: int) -> str:
    """T0: which level-1 bytes follow, and K, the number of historical bytes."""
    following = [f"{name}1" for bit, name in PRESENCE if t0 & bit]
    present = f"{_follow(following)}; " if following else ""
    return f"Y1={t0 >> 4:04b}: {present}{t0 & 0x0F} historical bytes"


def td_meaning(td: int, level: int) -> str:
    """TDi: the protocol it announces and which level i+1 bytes follow."""
    protocol = td & 0x0F
    text = f"protocol T={protocol}"
    if protocol == 15:
        text += " (global interface bytes follow)"
    following = [f"{name}{level + 1}" for bit, name in PRESENCE if td & bit]
    text += f"; {_follow(following)}" if following else ""
    flags = [rfu_value(f"protocol T={protocol}")] if protocol in _RESERVED_PROTOCOLS else []
    return _with_flags(text, flags)


def global_meaning(name: str, value: int, speed: Speed) -> str:
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
        text = f"specific mode: protocol T={value & 0x0F}, {mode}, {params}"
        return _with_flags(text, rfu_bits(value, _TA2_RFU_MASK))
    if name == "TB2":
        flags = [] if value in _PI2_RANGE else [rfu_value(f"PI2={value}")]
        return _with_flags(f"programming voltage PI2={value} (deprecated)", flags)
    if name == "TC2":
        wi = value or 10
        flags = [rfu_value("WI=0")] if value == 0 else []
        return _with_flags(f"T=0: waiting time integer WI={value}, WT = {960 * wi} x Fi/f", flags)
    return "global interface byte"


def _t1_meaning(kind: str, value: int) -> str:
    if kind == "TA":
        if value in (0, 255):
            return f"T=1: IFSC={value} (reserved value)"
        return f"T=1: IFSC={value} bytes (maximum information field of the card)"
    if kind == "TB":
        bwi = value >> 4
        text = f"T=1: block waiting integer BWI={bwi}, character waiting integer CWI={value & 0x0F}"
        return _with_flags(text, [rfu_value(f"BWI={bwi}")] if bwi > _MAX_BWI else [])
    text = "T=1: error detection code " + ("CRC" if value & 0x01 else "LRC")
    return _with_flags(text, rfu_bits(value, _T1_TC_RFU_MASK))


def _t15_meaning(kind: str, value: int) -> str | None:
    if kind == "TA":
        classes = [label for bit, label in _CLASSES if value & bit] or ["none"]
        text = f"T=15: clock stop {_CLOCK_STOP[value >> 6]}; classes accepted: {', '.join(classes)}"
        return _with_flags(text, rfu_bits(value, _CLASS_RFU_MASK))
    if kind == "TB":
        if value == 0:
            return "T=15: contact C6 (SPU) not used"
        use = "proprietary" if value & 0x80 else "standard"
        return f"T=15: contact C6 (SPU) used, {use} use (0x{value & 0x7F:02X})"
    return None


def specific_meaning(kind: str, value: int, protocol: int | None) -> str:
    """TAi/TBi/TCi for i > 2: specific to the protocol announced by TD(i-1)."""
    if protocol == 1:
        return _t1_meaning(kind, value)
    if protocol == 15:
        meaning = _t15_meaning(kind, value)
        if meaning is not None:
            return meaning
    return f"specific to T={protocol}"
