# SPDX-License-Identifier: LGPL-2.1-or-later
"""Answer To Reset (ATR) decoding as defined by ISO/IEC 7816-3, clause 8.

The ATR class keeps pyscard's attribute names, method names, return values
and text output, so code written against pyscard reads it unchanged.
"""

from __future__ import annotations

from smartcard._pcsc.exceptions import SmartcardException

# Private aliases: the module's public names stay pyscard's.
from smartcard.iso7816.atr_structure import DI_TABLE as _DI_TABLE
from smartcard.iso7816.atr_structure import DIRECT_CONVENTION as _DIRECT
from smartcard.iso7816.atr_structure import FI_TABLE as _FI_TABLE
from smartcard.iso7816.atr_structure import INVERSE_CONVENTION as _INVERSE
from smartcard.iso7816.atr_structure import interface_groups as _interface_groups
from smartcard.iso7816.atr_structure import malformation as _malformation

__all__ = ["ATR"]


def _deprecated(message: str) -> None:
    """Warn the caller of the deprecated ATR member that called this."""
    # Imported here: only deprecated members warn.
    import warnings

    # 1 is this function, 2 the deprecated member, 3 the code using it.
    warnings.warn(message, DeprecationWarning, stacklevel=3)


class _ChecksumOK:
    """Lazy ``ATR.checksumOK``: None without TCK, else XOR(T0..TCK) == 0.

    A non-data descriptor: the first read stores the result in the instance
    dict, which then shadows the descriptor, so later reads and assignments
    behave like a plain attribute.
    """

    def __get__(self, obj: ATR | None, objtype: type | None = None) -> bool | None:
        if obj is None:
            # Read on the class (help(), autodoc): the descriptor itself, as a
            # property gives; typing that case would need overloads.
            return self  # type: ignore[return-value]
        # XOR of T0..TCK by hand: functools.reduce would import functools
        # (and collections) into every program that parses an ATR.
        value: bool | None = None
        if obj.hasChecksum:
            check = 0
            for byte in obj.atr[1:]:
                check ^= byte
            value = check == 0
        obj.__dict__["checksumOK"] = value
        return value


class ATR:
    """A parsed Answer To Reset.

    Interface bytes are grouped per level i = 1, 2, ...: ``TA[i - 1]`` holds
    TAi, or None when the card did not send it (likewise TB, TC, TD).
    ``Y[i - 1]`` is the presence nibble announcing the group (from T0 for
    level 1, from TD(i-1) afterwards).
    """

    # ISO 7816-3 table 7: clock rate conversion integer Fi indexed by FI.
    # pyscard spells reserved values "RFU".
    clockrateconversion: list[int | str] = ["RFU" if fi is None else fi for fi in _FI_TABLE]
    # ISO 7816-3 table 8: baud rate adjustment integer Di indexed by DI.
    bitratefactor: list[int | str] = ["RFU" if di is None else di for di in _DI_TABLE]
    # Maximum programming current in mA, indexed by II (TB1 bits 6-7);
    # TB1 is deprecated since ISO 7816-3:2006 but old cards still send it.
    currenttable: list[int | str] = [25, 50, 100, "RFU"]

    checksumOK = _ChecksumOK()

    def __init__(self, atr: list[int]) -> None:
        """Parse ``atr``, a list of byte values starting with TS.

        Raises SmartcardException if it is shorter than 2 bytes or TS is
        not 3B/3F, and IndexError if the interface bytes announced by T0 and
        the TD bytes run past its end.
        """
        # The test inline, the wording from the library: a call here costs
        # a noticeable share of the parse.
        if len(atr) < 2 or (atr[0] != _DIRECT and atr[0] != _INVERSE):
            raise SmartcardException(_malformation(atr))
        ta, tb, tc, td, y, end = _interface_groups(atr)

        t0 = atr[1]
        k = t0 & 0x0F  # number of historical bytes announced
        self.atr = atr
        self.TS = atr[0]
        self.T0 = t0
        self.K = k
        self.TA = ta
        self.TB = tb
        self.TC = tc
        self.TD = td
        self.Y = y
        self.interfaceBytesCount = end - 2
        # A short ATR yields fewer historical bytes rather than an error.
        self.historicalBytes = atr[end : end + k]

        # TCK is only recognised when exactly one byte follows the
        # historical bytes. checksumOK is computed on first access (see
        # _ChecksumOK): the XOR over the whole ATR was a third of the parse.
        if len(atr) == end + k + 1:
            self.TCK: int | None = atr[-1]
            self.hasChecksum = True
        else:
            self.TCK = None
            self.hasChecksum = False

        # Global parameters from TA1 (FI, DI), TB1 (II, PI1) and TC1 (N).
        ta1 = ta[0]
        if ta1 is None:
            self.FI: int | None = None
            self.DI: int | None = None
        else:
            self.FI = ta1 >> 4 & 0x0F
            self.DI = ta1 & 0x0F
        tb1 = tb[0]
        if tb1 is None:
            self.II: int | None = None
            self.PI1: int | None = None
        else:
            self.II = tb1 >> 5 & 0x03
            self.PI1 = tb1 & 0x1F
        self.N: int | None = tc[0]

    # Deprecated presence flags, kept for pyscard compatibility.

    @property
    def hasTA(self) -> list[bool]:
        """Deprecated: which levels carry a TA byte."""
        _deprecated(_presence_hint("TA"))
        return [byte is not None for byte in self.TA]

    @property
    def hasTB(self) -> list[bool]:
        """Deprecated: which levels carry a TB byte."""
        _deprecated(_presence_hint("TB"))
        return [byte is not None for byte in self.TB]

    @property
    def hasTC(self) -> list[bool]:
        """Deprecated: which levels carry a TC byte."""
        _deprecated(_presence_hint("TC"))
        return [byte is not None for byte in self.TC]

    @property
    def hasTD(self) -> list[bool]:
        """Deprecated: which levels carry a TD byte."""
        _deprecated(_presence_hint("TD"))
        return [byte is not None for byte in self.TD]

    # Accessors.

    def getChecksum(self) -> int | None:
        """Return TCK, or None when the ATR has no check byte."""
        return self.TCK

    def getHistoricalBytes(self) -> list[int]:
        """Return the historical bytes T1..TK."""
        return self.historicalBytes

    def getHistoricalBytesCount(self) -> int:
        """Return how many historical bytes the ATR actually holds."""
        return len(self.historicalBytes)

    def getInterfaceBytesCount(self) -> int:
        """Return how many interface bytes (TAi, TBi, TCi, TDi) were sent."""
        return self.interfaceBytesCount

    def getTA1(self) -> int | None:
        """Return TA1, or None if absent."""
        return self.TA[0]

    def getTB1(self) -> int | None:
        """Return TB1, or None if absent."""
        return self.TB[0]

    def getTC1(self) -> int | None:
        """Return TC1, or None if absent."""
        return self.TC[0]

    def getTD1(self) -> int | None:
        """Return TD1, or None if absent."""
        return self.TD[0]

    def getBitRateFactor(self) -> int | str:
        """Return Di from TA1, 1 when TA1 is absent, "RFU" if reserved."""
        if self.DI is None:
            return 1
        return ATR.bitratefactor[self.DI]

    def getClockRateConversion(self) -> int | str:
        """Return Fi from TA1, 372 when TA1 is absent, "RFU" if reserved."""
        if self.FI is None:
            return 372
        return ATR.clockrateconversion[self.FI]

    def getProgrammingCurrent(self) -> int | str:
        """Return the maximum programming current in mA (50 by default)."""
        if self.II is None:
            return 50
        return ATR.currenttable[self.II]

    def getProgrammingVoltage(self) -> int:
        """Return the programming voltage in volts, 5 * (1 + PI1)."""
        if self.PI1 is None:
            return 5
        return 5 * (1 + self.PI1)

    def getGuardTime(self) -> int | None:
        """Return the extra guard time N from TC1, or None if absent."""
        return self.N

    def getSupportedProtocols(self) -> dict[str, bool]:
        """Return a dict whose keys name the protocols, e.g. ``"T=1"``.

        Each TDi contributes its T value (so the T=15 global-parameters
        indicator shows up too); without TD1 the card uses T=0 implicitly.
        Values are always True.
        """
        protocols = {f"T={byte & 0x0F}": True for byte in self.TD if byte is not None}
        if self.TD[0] is None:
            protocols["T=0"] = True
        return protocols

    def isT0Supported(self) -> bool:
        """Return True if T=0 is among the supported protocols."""
        return "T=0" in self.getSupportedProtocols()

    def isT1Supported(self) -> bool:
        """Return True if T=1 is among the supported protocols."""
        return "T=1" in self.getSupportedProtocols()

    def isT15Supported(self) -> bool:
        """Return True if a TD byte announces T=15."""
        return "T=15" in self.getSupportedProtocols()

    # Text output.

    def render(self) -> str:
        """Return a multi-line human readable description of the ATR."""
        lines = []
        groups = zip(self.TA, self.TB, self.TC, self.TD)
        for level, group in enumerate(groups, 1):
            for name, byte in zip(("TA", "TB", "TC", "TD"), group):
                if byte is not None:
                    lines.append(f"{name}{level}: {byte:x}")
        lines.append("supported protocols " + ",".join(self.getSupportedProtocols()))
        lines.append(f"T=0 supported: {self.isT0Supported()}")
        lines.append(f"T=1 supported: {self.isT1Supported()}")
        if self.getChecksum() is not None:
            lines.append(f"checksum: {self.getChecksum()}")
        lines.append(f"\tclock rate conversion factor: {self.getClockRateConversion()}")
        lines.append(f"\tbit rate adjustment factor: {self.getBitRateFactor()}")
        lines.append(f"\tmaximum programming current: {self.getProgrammingCurrent()}")
        lines.append(f"\tprogramming voltage: {self.getProgrammingVoltage()}")
        lines.append(f"\tguard time: {self.getGuardTime()}")
        lines.append(f"nb of interface bytes: {self.getInterfaceBytesCount()}")
        lines.append(f"nb of historical bytes: {self.getHistoricalBytesCount()}")
        return "\n".join(lines)

    def dump(self) -> None:
        """Deprecated: print render()."""
        _deprecated("Replace usage with `print(ATR.render())`")
        print(self.render())

    def __str__(self) -> str:
        """Return the ATR bytes as uppercase hex pairs separated by blanks."""
        return bytes(self.atr).hex(" ").upper()


def _presence_hint(name: str) -> str:
    return f"Replace usage with `ATR.{name}[i] is not None`"
