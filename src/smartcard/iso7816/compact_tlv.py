# SPDX-License-Identifier: LGPL-2.1-or-later
"""COMPACT-TLV data objects, as in an ATR's historical bytes (ISO/IEC 7816-4).

Each object starts with one byte: the tag in the high nibble, the length
of the value in the low one. This is the only parser of the format: the
historical bytes' decoding and the card capabilities both use it.
"""

from __future__ import annotations

from typing import NamedTuple


class CompactTLV(NamedTuple):
    """One object: ``tag`` (0-15), the ``length`` its header announces, its ``value``."""

    tag: int
    length: int
    value: bytes

    @property
    def truncated(self) -> bool:
        """True when the data ended before the announced length."""
        return len(self.value) < self.length


def parse_compact_tlv(data: bytes) -> list[CompactTLV]:
    """The objects of ``data`` in order; only the last one may be :attr:`~CompactTLV.truncated`."""
    objects = []
    position = 0
    while position < len(data):
        header = data[position]
        tag, length = header >> 4, header & 0x0F
        value = bytes(data[position + 1 : position + 1 + length])
        objects.append(CompactTLV(tag, length, value))
        position += 1 + length
    return objects
