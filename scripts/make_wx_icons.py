#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Draw smartcard.wx's icons (16x16, 32-bit ICO) from shapes described here.

pyscard's API hands out ICO paths (``smartcard.wx.ICO_SMARTCARD``,
``ICO_READER``) that applications load with ``wx.BITMAP_TYPE_ICO`` into 16x16
image lists, so the resources must be ICO files of that size. They are drawn
here, pixel by pixel, so that anyone can change and regenerate them:

    python3 scripts/make_wx_icons.py      (rewrites src/smartcard/wx/resources/*.ico)

Standard library only: no display and no wx needed.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Callable, Optional, Tuple

SIZE = 16
RESOURCES = Path(__file__).resolve().parents[1] / "src" / "smartcard" / "wx" / "resources"

RGBA = Tuple[int, int, int, int]
Painter = Callable[[int, int], Optional[RGBA]]


def _inside_rounded(x: int, y: int, left: int, top: int, right: int, bottom: int) -> bool:
    """Whether pixel (x, y) is in the rectangle with its four corner pixels cut."""
    if not (left <= x <= right and top <= y <= bottom):
        return False
    return (x in (left, right)) + (y in (top, bottom)) < 2


def smartcard_pixel(x: int, y: int) -> RGBA | None:
    """A blue ID-1 card lying flat, with a gold contact plate on its left."""
    if not _inside_rounded(x, y, 0, 2, 15, 13):
        return None
    edge = x in (0, 15) or y in (2, 13)
    if edge:
        return (30, 70, 140, 255)
    if 2 <= x <= 6 and 5 <= y <= 9:
        contact_line = x == 4 or y == 7
        return (150, 110, 20, 255) if contact_line else (235, 190, 60, 255)
    if 9 <= x <= 13 and y in (10, 11):
        return (200, 215, 240, 255)  # the embossed number
    return (90, 140, 215, 255)


def reader_pixel(x: int, y: int) -> RGBA | None:
    """A grey desktop reader with a card slot on top and a green light."""
    if _inside_rounded(x, y, 4, 0, 11, 6) and not _inside_rounded(x, y, 1, 6, 14, 15):
        # the card sticking out of the slot
        return (30, 70, 140, 255) if x in (4, 11) or y == 0 else (90, 140, 215, 255)
    if not _inside_rounded(x, y, 1, 6, 14, 15):
        return None
    if x in (1, 14) or y in (6, 15):
        return (45, 45, 50, 255)
    if 3 <= x <= 12 and y == 8:
        return (20, 20, 20, 255)  # the slot
    if 11 <= x <= 12 and 12 <= y <= 13:
        return (40, 200, 70, 255)  # the power light
    return (120, 124, 132, 255)


def ico_bytes(paint: Painter) -> bytes:
    """One 16x16 32-bit BMP image in an ICO container (rows bottom-up, BGRA)."""
    pixels = bytearray()
    for y in reversed(range(SIZE)):
        for x in range(SIZE):
            red, green, blue, alpha = paint(x, y) or (0, 0, 0, 0)
            pixels += bytes((blue, green, red, alpha))
    # The AND mask: 1 bit a pixel, rows padded to 32 bits; all 0 (alpha decides).
    mask = bytes(4 * SIZE)
    header = struct.pack("<IiiHHIIiiII", 40, SIZE, 2 * SIZE, 1, 32, 0, 0, 0, 0, 0, 0)
    image = header + bytes(pixels) + mask
    directory = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", SIZE, SIZE, 0, 0, 1, 32, len(image), 6 + 16)
    return directory + entry + image


ICONS = {"smartcard.ico": smartcard_pixel, "reader.ico": reader_pixel}


def main() -> None:
    RESOURCES.mkdir(parents=True, exist_ok=True)
    for name, paint in ICONS.items():
        path = RESOURCES / name
        path.write_bytes(ico_bytes(paint))
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
