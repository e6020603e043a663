# SPDX-License-Identifier: LGPL-2.1-or-later
"""Conversions between Windows GUID strings and their 16-byte layout.

Windows stores the first three GUID fields little-endian (``bytes_le`` in
the uuid module), which is the layout PC/SC calls such as
SCardListInterfaces use.
"""

from __future__ import annotations

import uuid

__all__ = ["GUIDToStr", "strToGUID"]


def strToGUID(s: str) -> list[int]:
    """Return the 16 bytes of the GUID written in ``s``, e.g. ``"{AD4F...}"``.

    Raises ValueError if ``s`` is not a GUID.
    """
    return list(uuid.UUID(s).bytes_le)


def GUIDToStr(g: list[int]) -> str:
    """Return the 16 GUID bytes ``g`` as an uppercase ``"{XXXXXXXX-...}"``.

    Raises ValueError if ``g`` does not hold exactly 16 bytes.
    """
    return "{" + str(uuid.UUID(bytes_le=bytes(g))).upper() + "}"
