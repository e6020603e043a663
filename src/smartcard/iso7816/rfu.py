# SPDX-License-Identifier: LGPL-2.1-or-later
"""How a decoded ATR reports a bit or value reserved for future use (RFU).

Every flag starts with ``RFU:`` so that a reader (or a program) finds them
all, whichever byte they come from, as pcsc-tools' ``ATR_analysis`` marks
them inline.
"""

from __future__ import annotations


def rfu_bits(value: int, reserved_mask: int) -> list[str]:
    """One flag naming the reserved bits of ``reserved_mask`` set in ``value``, if any.

    Bits are numbered b8 (0x80) to b1 (0x01), as ISO/IEC 7816 does.
    """
    set_bits = value & reserved_mask
    if not set_bits:
        return []
    names = [f"b{bit + 1}" for bit in range(7, -1, -1) if set_bits >> bit & 1]
    noun = "bit" if len(names) == 1 else "bits"
    return [f"RFU: reserved {noun} {' '.join(names)} ({set_bits:02X}) set"]


def rfu_value(what: str) -> str:
    """The flag for a reserved value, ``what`` naming it (``"WI=0"``)."""
    return f"RFU: {what} is reserved"
