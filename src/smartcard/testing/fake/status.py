# SPDX-License-Identifier: LGPL-2.1-or-later
"""``SCardGetStatusChange``'s answer for one look at the readers, as pcsc-lite computes it.

Per reader: its flags, the event counter in the high word, and
SCARD_STATE_CHANGED when they differ from the caller's current state. The
counter is compared only when the caller's state carries one (pcsc-lite
1.8.24 and later). An unknown reader reads UNKNOWN | UNAVAILABLE (CHANGED
unless the caller already knew). The ``\\\\?PnP?\\Notification`` pseudo
reader carries the reader count in its high word, CHANGED when it differs
from the caller's; without PnP support it reads as an unknown reader.
"""

from __future__ import annotations

from typing import Any, Dict, List, Sequence, Tuple

from smartcard._pcsc import extension as pcsc
from smartcard.testing.fake.model import Handle, Reader, reader_flags

__all__ = ["PNP_NOTIFICATION", "Query", "StateOut", "evaluate", "parse_query"]

PNP_NOTIFICATION = "\\\\?PnP?\\Notification"

#: (reader name, current state, ATR the caller knows)
Query = Tuple[str, int, List[int]]
#: (reader name, event state, ATR): the extension's output item.
StateOut = Tuple[str, int, List[int]]

# The flags whose difference from the caller's state is a change.
_COMPARED = (
    pcsc.SCARD_STATE_EMPTY
    | pcsc.SCARD_STATE_PRESENT
    | pcsc.SCARD_STATE_INUSE
    | pcsc.SCARD_STATE_EXCLUSIVE
    | pcsc.SCARD_STATE_MUTE
    | pcsc.SCARD_STATE_UNAVAILABLE
    | pcsc.SCARD_STATE_UNKNOWN
)


def parse_query(states: Sequence[Any]) -> List[Query]:
    """The caller's reader states, checked as the extension checks them."""
    query: List[Query] = []
    for item in states:
        if not isinstance(item, (tuple, list)) or len(item) not in (2, 3):
            raise ValueError("readerstatelist items are (readername, state) or (..., atr)")
        name, current = item[0], item[1]
        if not isinstance(name, str):
            raise TypeError("readerstatelist: reader name must be a str")
        atr = list(bytes(item[2])) if len(item) == 3 else []
        query.append((name, int(current) & 0xFFFFFFFF, atr))
    return query


def _unknown(name: str, current: int) -> Tuple[bool, StateOut]:
    event = pcsc.SCARD_STATE_UNKNOWN | pcsc.SCARD_STATE_UNAVAILABLE
    changed = not current & pcsc.SCARD_STATE_UNKNOWN
    return changed, (name, event | (pcsc.SCARD_STATE_CHANGED if changed else 0), [])


def _pnp(current: int, reader_count: int) -> Tuple[bool, StateOut]:
    changed = (current >> 16) != reader_count
    event = (reader_count << 16) | (pcsc.SCARD_STATE_CHANGED if changed else 0)
    return changed, (PNP_NOTIFICATION, event, [])


def _reader(reader: Reader, current: int, handles: Dict[int, Handle]) -> Tuple[bool, StateOut]:
    flags = reader_flags(reader, handles)
    counter = reader.events & 0xFFFF
    changed = (current & _COMPARED) != flags
    if current & 0xFFFF0000 and (current >> 16) != counter:
        changed = True
    event = flags | (counter << 16) | (pcsc.SCARD_STATE_CHANGED if changed else 0)
    atr = list(reader.card.atr) if reader.card is not None else []
    return changed, (reader.name, event, atr)


def evaluate(
    query: Sequence[Query], readers: Dict[str, Reader], handles: Dict[int, Handle], pnp: bool
) -> Tuple[bool, List[StateOut]]:
    """(whether anything changed for the caller, the event states to answer)."""
    any_change = False
    out: List[StateOut] = []
    for name, current, atr in query:
        if current & pcsc.SCARD_STATE_IGNORE:
            out.append((name, pcsc.SCARD_STATE_IGNORE, atr))
            continue
        reader = readers.get(name)
        if reader is not None:
            changed, state = _reader(reader, current, handles)
        elif name == PNP_NOTIFICATION and pnp:
            changed, state = _pnp(current, len(readers))
        else:
            changed, state = _unknown(name, current)
        any_change = any_change or changed
        out.append(state)
    return any_change, out
