# SPDX-License-Identifier: LGPL-2.1-or-later
"""What the fake PC/SC service holds: readers, contexts and card handles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict

from smartcard._pcsc import extension as pcsc
from smartcard.testing.fake.card import FakeCard

__all__ = ["Reader", "Context", "Handle", "reader_flags"]


@dataclass
class Reader:
    """A reader; ``events`` is pcsc-lite's event counter (high word of event states)."""

    name: str
    card: FakeCard | None = None
    events: int = 0
    #: ``SCardGetAttrib`` answers beyond the ones derived from the card.
    attributes: Dict[int, bytes] = field(default_factory=dict)
    #: ``SCardControl`` answers by control code; others are unsupported.
    controls: Dict[int, bytes] = field(default_factory=dict)
    #: The card handle holding the transaction, if any.
    transaction: int | None = None


@dataclass
class Context:
    hcontext: int
    #: Bumped by SCardCancel; a wait that sees it move was cancelled.
    cancels: int = 0


@dataclass
class Handle:
    hcard: int
    hcontext: int
    reader: str
    #: The card connected to (None for a direct connection to an empty reader).
    card: FakeCard | None
    share: int
    protocol: int
    #: The card's reset count this handle has seen; behind means SCARD_W_RESET_CARD.
    resets_seen: int = 0


def reader_flags(reader: Reader, handles: Dict[int, Handle]) -> int:
    """The reader's SCARD_STATE_* flags (without CHANGED or the event counter)."""
    card = reader.card
    if card is None:
        return pcsc.SCARD_STATE_EMPTY
    flags = pcsc.SCARD_STATE_PRESENT
    if card.mute:
        flags |= pcsc.SCARD_STATE_MUTE
    users = [h for h in handles.values() if h.reader == reader.name and h.card is card]
    if any(h.share == pcsc.SCARD_SHARE_EXCLUSIVE for h in users):
        flags |= pcsc.SCARD_STATE_EXCLUSIVE
    elif users:
        flags |= pcsc.SCARD_STATE_INUSE
    return flags
