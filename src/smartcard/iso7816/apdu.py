# SPDX-License-Identifier: LGPL-2.1-or-later
"""Command APDU encoding and decoding (ISO/IEC 7816-4, cases 1 to 4, short and extended).

Lengths follow the standard's names: ``Nc`` is the length of the command
data, ``Ne`` the number of response data bytes expected. In this API
``le=None`` means "no Le field" and ``le=0`` means "as much as the card has"
(encoded ``00`` short or ``00 00`` extended, the same bytes as Ne = 256 and
Ne = 65536).

=======  ==============================  ====================================
case     short form                      extended form
=======  ==============================  ====================================
1        CLA INS P1 P2                   (same)
2        header Le                       header 00 Le1 Le2
3        header Lc data                  header 00 Lc1 Lc2 data
4        header Lc data Le               header 00 Lc1 Lc2 data Le1 Le2
=======  ==============================  ====================================
"""

from __future__ import annotations

from typing import NamedTuple

from smartcard.iso7816._checks import as_bytes, check_byte, check_int

__all__ = [
    "SHORT_MAX_NC",
    "SHORT_MAX_NE",
    "EXTENDED_MAX_NC",
    "EXTENDED_MAX_NE",
    "CommandAPDU",
    "build_command",
    "encode_apdu",
    "parse_apdu",
]

SHORT_MAX_NC = 255
SHORT_MAX_NE = 256
EXTENDED_MAX_NC = 65535
EXTENDED_MAX_NE = 65536


class CommandAPDU(NamedTuple):
    """A command APDU as fields; :meth:`encode` gives its bytes.

    ``le`` keeps this module's convention: None (no Le field), 0 (as much as
    available) or the expected length 1..65536. ``extended`` is the form the
    APDU was found in (for :func:`parse_apdu`), or None when it is to be
    chosen from the lengths.
    """

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None
    extended: bool | None = None

    @property
    def case(self) -> int:
        """1 (no data, no Le), 2 (Le only), 3 (data only) or 4 (data and Le)."""
        if self.data:
            return 3 if self.le is None else 4
        return 1 if self.le is None else 2

    def needs_extended(self) -> bool:
        """True when the lengths cannot be written in the short form."""
        return len(self.data) > SHORT_MAX_NC or (self.le is not None and self.le > SHORT_MAX_NE)

    def encode(self, extended: bool | None = None) -> bytes:
        """The APDU's bytes; see :func:`encode_apdu` for ``extended``."""
        if extended is None:
            extended = self.extended
        return encode_apdu(
            self.cla, self.ins, self.p1, self.p2, self.data, self.le, extended=extended
        )


def build_command(
    cla: int, ins: int, p1: int, p2: int, data: object = b"", le: int | None = None
) -> CommandAPDU:
    """A :class:`CommandAPDU` from checked fields (see :func:`encode_apdu` for their ranges).

    The form (short, extended or chained) is left to whoever sends it.
    """
    body = as_bytes("data", data)
    if len(body) > EXTENDED_MAX_NC:
        raise ValueError(
            f"data has {len(body)} bytes; a command APDU carries at most {EXTENDED_MAX_NC}"
        )
    if le is not None:
        check_int("le", le, 0, EXTENDED_MAX_NE)
    return CommandAPDU(
        check_byte("cla", cla),
        check_byte("ins", ins),
        check_byte("p1", p1),
        check_byte("p2", p2),
        body,
        le,
    )


def encode_apdu(
    cla: int,
    ins: int,
    p1: int,
    p2: int,
    data: object = b"",
    le: int | None = None,
    *,
    extended: bool | None = None,
) -> bytes:
    """Encode a command APDU, choosing the case from ``data`` and ``le``.

    ``data``: bytes-like (or a list of byte values), at most 65,535 bytes.
    ``le``: None for no Le field, 0 for "as much as available", else 1..65,536.
    ``extended``: None picks the short form unless a length needs the
    extended one; True forces the extended form (for any case but 1); False
    forces the short form and raises ValueError when a length does not fit.
    Every check happens before anything is built, so nothing invalid is sent.
    """
    header = bytes(
        (check_byte("cla", cla), check_byte("ins", ins), check_byte("p1", p1), check_byte("p2", p2))
    )
    body = as_bytes("data", data)
    nc = len(body)
    if nc > EXTENDED_MAX_NC:
        raise ValueError(f"data has {nc} bytes; a command APDU carries at most {EXTENDED_MAX_NC}")
    if le is not None:
        check_int("le", le, 0, EXTENDED_MAX_NE)
    if extended is not None and not isinstance(extended, bool):
        raise TypeError(f"extended must be a bool or None, not {type(extended).__name__}")
    long_lengths = nc > SHORT_MAX_NC or (le is not None and le > SHORT_MAX_NE)
    if extended is None:
        extended = long_lengths
    elif not extended and long_lengths:
        raise ValueError(
            f"data of {nc} bytes with le={le} does not fit a short APDU "
            f"(at most {SHORT_MAX_NC} data bytes and le {SHORT_MAX_NE}); "
            "allow extended length or use command chaining"
        )
    if not body and le is None:
        return header  # case 1 has no extended form
    if not extended:
        lc_field = bytes((nc,)) if nc else b""
        le_field = b"" if le is None else bytes((le & 0xFF,))  # 256 is written 00
        return header + lc_field + body + le_field
    # Extended: one 00 byte opens the length fields; Lc and Le are then two bytes each.
    lc_field = b"\x00" + nc.to_bytes(2, "big") if nc else b"\x00"
    if le is None:
        return header + lc_field + body
    le_bytes = (le & 0xFFFF).to_bytes(2, "big")  # 65536 is written 00 00
    return header + lc_field + body + le_bytes


def parse_apdu(apdu: object) -> CommandAPDU:
    """Decode a command APDU (bytes-like); raise ValueError if its lengths are inconsistent.

    A decoded ``le`` is the expected length: a short ``00`` gives 256 and an
    extended ``00 00`` gives 65,536.
    """
    raw = as_bytes("apdu", apdu)
    if len(raw) < 4:
        raise ValueError(f"apdu must have at least 4 bytes (CLA INS P1 P2), not {len(raw)}")
    cla, ins, p1, p2 = raw[0], raw[1], raw[2], raw[3]
    body = raw[4:]
    size = len(body)
    if size == 0:
        return CommandAPDU(cla, ins, p1, p2, b"", None, False)
    if size == 1:
        return CommandAPDU(cla, ins, p1, p2, b"", body[0] or SHORT_MAX_NE, False)
    if body[0]:
        lc = body[0]
        if size == 1 + lc:
            return CommandAPDU(cla, ins, p1, p2, body[1:], None, False)
        if size == 2 + lc:
            return CommandAPDU(cla, ins, p1, p2, body[1:-1], body[-1] or SHORT_MAX_NE, False)
        raise ValueError(f"apdu: short Lc={lc} does not match its {size - 1} remaining bytes")
    if size == 3:
        return CommandAPDU(cla, ins, p1, p2, b"", _extended_le(body[1:]), True)
    if size < 3:
        raise ValueError("apdu: extended length field is truncated")
    lc = int.from_bytes(body[1:3], "big")
    if lc == 0:
        raise ValueError("apdu: extended Lc of 0 is not allowed")
    if size == 3 + lc:
        return CommandAPDU(cla, ins, p1, p2, body[3:], None, True)
    if size == 5 + lc:
        return CommandAPDU(cla, ins, p1, p2, body[3:-2], _extended_le(body[-2:]), True)
    raise ValueError(f"apdu: extended Lc={lc} does not match its {size - 3} remaining bytes")


def _extended_le(field: bytes) -> int:
    return int.from_bytes(field, "big") or EXTENDED_MAX_NE
