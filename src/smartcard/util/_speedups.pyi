# SPDX-License-Identifier: LGPL-2.1-or-later
"""C fast paths of smartcard.util (see _speedups.c).

Each accepts any object and returns None unless it is the well-formed case
handled in C; the pure-Python code in smartcard.util then decides.
"""

from typing import Any, Tuple, TypeVar

_Tuple = TypeVar("_Tuple", bound=Tuple[Any, ...])

def hex_spaced(data: object, /) -> str | None:
    """``"3B 87 01"`` for a non-empty list of ints 0..255, else None."""

def list_from_hex(text: object, /) -> list[int] | None:
    """Byte values of blank-separated hex digit pairs in a str, else None."""

def final_answer(raw: bytes, follow_up_sw1: bytes, response_type: type[_Tuple], /) -> _Tuple | None:
    """``response_type((raw[:-2], sw))`` unless SW1 is in ``follow_up_sw1`` or ``raw`` is short."""
