# SPDX-License-Identifier: LGPL-2.1-or-later
"""Reading bytes written in hex by a person: blanks allowed, mistakes named precisely."""

from __future__ import annotations

import string

from smartcard.cli.errors import UsageError

_HEX_DIGITS = frozenset(string.hexdigits)
# Separators people paste between bytes: "3B 8F", "3B:8F", "3B-8F", "3B,8F".
_SEPARATORS = str.maketrans("", "", " \t:,-")


def parse_hex(text: str, what: str = "hex string") -> bytes:
    """Decode ``text``; raise :class:`UsageError` naming ``what`` and the exact problem."""
    digits = text.translate(_SEPARATORS)
    if digits[:2].lower() == "0x" and len(digits) > 2:
        digits = digits[2:]
    if not digits:
        raise UsageError(f"{what} is empty")
    for position, char in enumerate(digits, 1):
        if char not in _HEX_DIGITS:
            raise UsageError(f"{what} {text!r} is not hexadecimal: {char!r} at digit {position}")
    if len(digits) % 2:
        raise UsageError(
            f"{what} {text!r} has an odd number of hex digits ({len(digits)}): each byte takes two"
        )
    return bytes.fromhex(digits)
