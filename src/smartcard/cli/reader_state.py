# SPDX-License-Identifier: LGPL-2.1-or-later
"""What PC/SC says about each reader right now, without connecting to any card.

``SCardGetStatusChange`` with an "unaware" current state returns at once
with the reader's state and the ATR of a present card; unlike a connection
it neither powers the card nor disturbs a program holding it exclusively.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from smartcard.cli.errors import library_errors, pcsc_failure


@dataclass
class ReaderState:
    """One reader's state: a summary word, the raw flag names and the ATR (if a card is in)."""

    name: str
    state: str
    flags: list[str] = field(default_factory=list)
    atr: bytes | None = None

    @property
    def has_card(self) -> bool:
        return self.state in ("present", "in use", "exclusive", "mute")


# Flag constant name suffixes, in the order they are reported.
_FLAG_NAMES = ("UNAVAILABLE", "EMPTY", "PRESENT", "EXCLUSIVE", "INUSE", "MUTE", "UNPOWERED")


def _summary(flags: Sequence[str]) -> str:
    """One word for the reader, most telling flag first."""
    if "UNAVAILABLE" in flags:
        return "unavailable"
    if "MUTE" in flags:
        return "mute"
    if "EXCLUSIVE" in flags:
        return "exclusive"
    if "INUSE" in flags:
        return "in use"
    if "PRESENT" in flags:
        return "present"
    if "EMPTY" in flags:
        return "empty"
    return "unknown"


def flag_names(event_state: int) -> list[str]:
    """Names of the ``SCARD_STATE_*`` flags set in ``event_state`` (event counter ignored)."""
    from smartcard._pcsc import extension

    return [name for name in _FLAG_NAMES if event_state & getattr(extension, f"SCARD_STATE_{name}")]


def state_from_flags(name: str, event_state: int, atr: Sequence[int]) -> ReaderState:
    """Build a :class:`ReaderState` from one ``SCardGetStatusChange`` output entry."""
    flags = flag_names(event_state)
    summary = _summary(flags)
    card_atr = bytes(atr) if atr and summary not in ("empty", "unavailable") else None
    return ReaderState(name=name, state=summary, flags=flags, atr=card_atr)


def read_states(names: Sequence[str]) -> list[ReaderState]:
    """The current state of each named reader, in the same order."""
    if not names:
        return []
    from smartcard._pcsc.context import scoped_context
    from smartcard._pcsc.readers import reader_states

    try:
        with scoped_context() as hcontext:
            states = reader_states(hcontext, names)
    except library_errors() as exc:
        raise pcsc_failure(exc, "cannot read the reader states") from exc
    return [state_from_flags(name, event, atr) for name, event, atr in states]
