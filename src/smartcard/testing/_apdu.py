# SPDX-License-Identifier: LGPL-2.1-or-later
"""Parsing of command APDUs (ISO/IEC 7816-4, short and extended) for the card emulator."""

from __future__ import annotations

from typing import NamedTuple


class Command(NamedTuple):
    """A parsed command APDU.

    ``ne`` is the number of response bytes expected: ``None`` when the command
    has no Le field, otherwise the decoded value (a short Le of 0 means 256, an
    extended Le of 0 means 65536).
    """

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes
    ne: int | None
    extended: bool

    @property
    def case(self) -> int:
        """The ISO 7816-3 case: 1 (no data, no Le), 2 (Le), 3 (data), 4 (data and Le)."""
        if self.data:
            return 4 if self.ne is not None else 3
        return 2 if self.ne is not None else 1


def parse_command(apdu: bytes) -> Command:
    """Split a command APDU into its fields; raise ValueError if it is malformed."""
    if len(apdu) < 4:
        raise ValueError(f"command APDU too short ({len(apdu)} bytes)")
    cla, ins, p1, p2 = apdu[0], apdu[1], apdu[2], apdu[3]
    body = apdu[4:]
    if not body:
        return Command(cla, ins, p1, p2, b"", None, False)
    if len(body) == 1:
        return Command(cla, ins, p1, p2, b"", body[0] or 256, False)
    if body[0] != 0:
        # Short Lc: the body is Lc, data, and optionally one Le byte.
        lc = body[0]
        if len(body) == 1 + lc:
            return Command(cla, ins, p1, p2, bytes(body[1:]), None, False)
        if len(body) == 2 + lc:
            return Command(cla, ins, p1, p2, bytes(body[1:-1]), body[-1] or 256, False)
        raise ValueError(f"short Lc={lc} does not match {len(body)} body bytes")
    # A leading 00 with more bytes after it marks the extended form.
    if len(body) == 3:
        return Command(cla, ins, p1, p2, b"", _ext_le(body[1:3]), True)
    if len(body) < 3:
        raise ValueError("truncated extended length field")
    lc = (body[1] << 8) | body[2]
    if lc == 0:
        raise ValueError("extended Lc of 0")
    if len(body) == 3 + lc:
        return Command(cla, ins, p1, p2, bytes(body[3:]), None, True)
    if len(body) == 5 + lc:
        return Command(cla, ins, p1, p2, bytes(body[3:-2]), _ext_le(body[-2:]), True)
    raise ValueError(f"extended Lc={lc} does not match {len(body)} body bytes")


def _ext_le(field: bytes) -> int:
    return ((field[0] << 8) | field[1]) or 65536


def status(sw: int) -> bytes:
    """Encode a 16-bit status word as the two trailing response bytes."""
    return bytes(((sw >> 8) & 0xFF, sw & 0xFF))
