# SPDX-License-Identifier: LGPL-2.1-or-later
"""Argument checks shared by the new API: every error names the argument at fault."""

from __future__ import annotations

from typing import Union

__all__ = ["BytesLike", "as_bytes", "as_command", "check_byte", "check_int"]

#: What the new API accepts wherever it takes bytes.
BytesLike = Union[bytes, bytearray, memoryview]


def check_int(name: str, value: object, low: int, high: int) -> int:
    """Return ``value`` if it is an int in ``low..high``; else raise TypeError/ValueError."""
    # bool is an int subclass, but True as a length or a byte is always a bug.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be in {low}..{high}, not {value}")
    return value


def check_byte(name: str, value: object) -> int:
    """Return ``value`` if it is an int in 0..255; else raise TypeError/ValueError."""
    return check_int(name, value, 0, 0xFF)


def as_bytes(name: str, value: object) -> bytes:
    """``value`` (a bytes-like object, or a list/tuple of byte values) as bytes.

    Raises TypeError or ValueError naming ``name`` for anything else.
    """
    if isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, (list, tuple)):
        try:
            return bytes(value)
        except TypeError:
            raise TypeError(f"{name} must hold ints 0..255: {value!r}") from None
        except ValueError:
            raise ValueError(f"{name} must hold ints 0..255: {value!r}") from None
    raise TypeError(f"{name} must be a bytes-like object, not {type(value).__name__}")


def as_command(name: str, value: object) -> bytes:
    """``value`` as the bytes of a command APDU: :func:`as_bytes`, at least CLA INS P1 P2.

    Raises TypeError or ValueError naming ``name`` otherwise.
    """
    raw = as_bytes(name, value)
    if len(raw) < 4:
        raise ValueError(f"{name} must have at least 4 bytes (CLA INS P1 P2), not {len(raw)}")
    return raw
