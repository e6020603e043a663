# SPDX-License-Identifier: LGPL-2.1-or-later
"""The layout of an Answer To Reset (ISO/IEC 7816-3, clause 8) and its rate tables.

Shared by :class:`smartcard.ATR.ATR` (pyscard's class) and
:mod:`smartcard.iso7816.atr` (the interpretation). ``smartcard.ATR`` is
imported by programs that only parse an ATR, so this module imports nothing
at run time and walks the bytes with locals only.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, Optional, Sequence, Tuple

    #: TA, TB, TC, TD (one entry per level, None when absent), the presence
    #: nibbles Y, and the index just after the last interface byte.
    InterfaceGroups = Tuple[
        List[Optional[int]],
        List[Optional[int]],
        List[Optional[int]],
        List[Optional[int]],
        List[int],
        int,
    ]

# TS, the first byte: 3B announces the direct convention, 3F the inverse one.
DIRECT_CONVENTION = 0x3B
INVERSE_CONVENTION = 0x3F

# ISO 7816-3 table 7, indexed by FI (TA1 high nibble); None marks an RFU value.
FI_TABLE = (372, 372, 558, 744, 1116, 1488, 1860, None,
            None, 512, 768, 1024, 1536, 2048, None, None)  # fmt: skip
F_MAX_MHZ_TABLE = (4, 5, 6, 8, 12, 16, 20, None,
                   None, 5, 7.5, 10, 15, 20, None, None)  # fmt: skip
# ISO 7816-3 table 8, indexed by DI (TA1 low nibble); None marks an RFU value.
DI_TABLE = (None, 1, 2, 4, 8, 16, 32, 64,
            12, 20, None, None, None, None, None, None)  # fmt: skip

# Without TA1 the card works at Fi=372, Di=1 with a clock up to 5 MHz.
DEFAULT_FI = 372
DEFAULT_DI = 1
DEFAULT_F_MAX_MHZ = 5


def malformation(atr: Sequence[int]) -> str | None:
    """Why ``atr`` cannot start an ATR (too short, unknown TS), or None."""
    if len(atr) < 2:
        return "ATR sequences must be at least 2 bytes long"
    if atr[0] != DIRECT_CONVENTION and atr[0] != INVERSE_CONVENTION:
        return f"invalid TS 0x{atr[0]:02x}"
    return None


def interface_groups(atr: Sequence[int]) -> InterfaceGroups:
    """Split the interface bytes of ``atr`` (TS first) into levels.

    Raises IndexError when T0 and the TD bytes announce more interface
    bytes than ``atr`` holds.
    """
    # Locals only: attribute and list[-1] look-ups in this loop were the
    # cost of pyscard's parse.
    ta: list[int | None] = []
    tb: list[int | None] = []
    tc: list[int | None] = []
    td: list[int | None] = []
    y: list[int] = []
    pos = 1  # index of the byte holding the current presence nibble
    indicator = atr[1]  # T0, then each TDi in turn
    while True:
        present = indicator >> 4 & 0x0F
        y.append(present)
        if present & 0x01:
            pos += 1
            ta.append(atr[pos])
        else:
            ta.append(None)
        if present & 0x02:
            pos += 1
            tb.append(atr[pos])
        else:
            tb.append(None)
        if present & 0x04:
            pos += 1
            tc.append(atr[pos])
        else:
            tc.append(None)
        if not present & 0x08:
            td.append(None)
            break
        pos += 1
        indicator = atr[pos]
        td.append(indicator)
    return ta, tb, tc, td, y, pos + 1
