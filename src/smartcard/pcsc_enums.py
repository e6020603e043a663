# SPDX-License-Identifier: LGPL-2.1-or-later
"""PC/SC share modes, protocols and dispositions as enums, for the new card API.

Their values are the platform's PC/SC constants (``SCARD_*`` from
:mod:`smartcard.scard`), so they can be passed to the low-level calls too.
"""

from __future__ import annotations

from enum import IntEnum, IntFlag
from typing import TypeVar

from smartcard._pcsc import extension as scard

__all__ = ["ShareMode", "Protocol", "Disposition", "enum_argument"]


class ShareMode(IntEnum):
    """How a connection shares the card with other applications."""

    SHARED = scard.SCARD_SHARE_SHARED
    """Other applications may connect too (use transactions to work undisturbed)."""
    EXCLUSIVE = scard.SCARD_SHARE_EXCLUSIVE
    """No other application may connect while this connection is open."""
    DIRECT = scard.SCARD_SHARE_DIRECT
    """Talk to the reader (``control()``), even without a card."""


class Protocol(IntFlag):
    """Card protocols: a mask of those acceptable when connecting, or the one in use."""

    UNDEFINED = scard.SCARD_PROTOCOL_UNDEFINED
    """No protocol (direct connections to the reader)."""
    T0 = scard.SCARD_PROTOCOL_T0
    """T=0, character protocol."""
    T1 = scard.SCARD_PROTOCOL_T1
    """T=1, block protocol."""
    RAW = scard.SCARD_PROTOCOL_RAW
    """Raw access to the reader."""
    ANY = scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1
    """T=0 or T=1, whichever the card offers (the usual choice)."""


class Disposition(IntEnum):
    """What happens to the card when a connection ends (or on reconnect)."""

    LEAVE = scard.SCARD_LEAVE_CARD
    """Leave the card as it is (its state stays visible to the next application)."""
    RESET = scard.SCARD_RESET_CARD
    """Warm reset (the card forgets PIN verification and selections)."""
    UNPOWER = scard.SCARD_UNPOWER_CARD
    """Power the card off (pyscard's default)."""
    EJECT = scard.SCARD_EJECT_CARD
    """Eject the card, on readers that can."""


# A plain int: ~ on an IntFlag member would only complement within the defined flags.
_ALL_PROTOCOLS = int(Protocol.T0 | Protocol.T1 | Protocol.RAW)

_E = TypeVar("_E", ShareMode, Protocol, Disposition)


def enum_argument(kind: type[_E], name: str, value: object) -> _E:
    """``value`` as a member of ``kind``; TypeError/ValueError naming ``name`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a {kind.__name__}, not {type(value).__name__}")
    try:
        if kind is Protocol and value & ~_ALL_PROTOCOLS:
            raise ValueError(value)
        return kind(value)
    except ValueError:
        choices = ", ".join(member.name or "" for member in kind)
        raise ValueError(f"{name} must be a {kind.__name__} ({choices}), not {value!r}") from None
