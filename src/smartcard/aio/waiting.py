# SPDX-License-Identifier: LGPL-2.1-or-later
"""``await wait_for_card()``: a card in any reader or in given readers, maybe of a given type."""

from __future__ import annotations

import asyncio
import collections
from typing import Any, Deque, NamedTuple, Sequence

from smartcard.aio._filters import ReaderFilter, reader_filter
from smartcard.aio._hub import hub_for
from smartcard.aio._threads import run_blocking
from smartcard.iso7816._checks import as_bytes
from smartcard.monitoring import EventKind, MonitorEvent

__all__ = ["CardPresence", "wait_for_card"]


class CardPresence(NamedTuple):
    """A card found by :func:`wait_for_card`: its reader's name and its ATR."""

    reader: str
    atr: bytes


class _AtrFilter:
    """Exact or masked ATR comparison, checked on the loop thread (it is cheap)."""

    def __init__(self, atr: object, mask: object) -> None:
        self.atr = as_bytes("atr", atr)
        if mask is None:
            self.mask: bytes | None = None
            return
        self.mask = as_bytes("atr_mask", mask)
        if len(self.mask) != len(self.atr):
            raise ValueError(
                f"atr_mask must have as many bytes as atr ({len(self.atr)}), not {len(self.mask)}"
            )

    def __call__(self, atr: bytes) -> bool:
        if len(atr) != len(self.atr):
            return False
        if self.mask is None:
            return atr == self.atr
        return all((a ^ b) & m == 0 for a, b, m in zip(atr, self.atr, self.mask))


class _CardQueue:
    """Listener that keeps the cards inserted since it was registered, in order."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self.cards: Deque[CardPresence] = collections.deque()
        self._wakeup: asyncio.Future[None] | None = None

    def feed(self, events: Sequence[MonitorEvent]) -> None:
        for event in events:
            if event.kind is EventKind.CARD_INSERTED and event.atr:
                self.cards.append(CardPresence(event.reader, event.atr))
        if self.cards and self._wakeup is not None and not self._wakeup.done():
            self._wakeup.set_result(None)

    async def next_card(self) -> CardPresence:
        while not self.cards:
            self._wakeup = self._loop.create_future()
            await self._wakeup
        return self.cards.popleft()


async def wait_for_card(
    readers: ReaderFilter = None,
    *,
    atr: object = None,
    atr_mask: object = None,
    card_type: Any = None,
    new_only: bool = False,
    timeout: float | None = None,
) -> CardPresence:
    """Wait until a card is in one of ``readers`` (any reader by default) and return it.

    ``atr`` (with an optional same-length ``atr_mask``: bits set are compared)
    or ``card_type`` (a :class:`smartcard.CardType.CardType`, whose
    ``matches()`` runs in a worker thread as it may talk to the card) narrow
    the search. Without ``new_only``, a card already present counts.
    Mute cards (no ATR) are skipped.

    ``timeout`` (seconds) raises ``asyncio.TimeoutError``; cancelling the
    task, ``asyncio.wait_for`` or ``asyncio.timeout`` end the wait at once.
    Waiters share the process's one monitoring thread, which stops (waking
    its PC/SC wait with SCardCancel) when the last waiter leaves, and which
    keeps watching across a pcscd restart.
    """
    names = reader_filter(readers)
    atr_filter = None if atr is None else _AtrFilter(atr, atr_mask)
    if atr is None and atr_mask is not None:
        raise ValueError("atr_mask needs atr")
    if card_type is not None and not callable(getattr(card_type, "matches", None)):
        raise TypeError(f"card_type must have a matches() method, not {type(card_type).__name__}")
    if not isinstance(new_only, bool):
        raise TypeError(f"new_only must be a bool, not {type(new_only).__name__}")
    if timeout is not None:
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
            raise TypeError(f"timeout must be a number of seconds, not {type(timeout).__name__}")
        if timeout < 0:
            raise ValueError(f"timeout must not be negative, not {timeout}")
        return await asyncio.wait_for(
            wait_for_card(
                readers, atr=atr, atr_mask=atr_mask, card_type=card_type, new_only=new_only
            ),
            timeout,
        )

    loop = asyncio.get_running_loop()
    hub = hub_for(loop)
    queue = _CardQueue(loop)
    snapshot = await hub.add(queue)
    try:
        if not new_only:
            present = [CardPresence(r, a) for r, a in snapshot.cards.items() if a]
            # Readers in listing order, then the cards inserted meanwhile.
            order = {name: index for index, name in enumerate(snapshot.readers)}
            present.sort(key=lambda card: order.get(card.reader, len(order)))
            queue.cards.extendleft(reversed(present))
        while True:
            card = await queue.next_card()
            if names is not None and card.reader not in names:
                continue
            if atr_filter is not None and not atr_filter(card.atr):
                continue
            if card_type is not None and not await _matches(card_type, card):
                continue
            return card
    finally:
        hub.remove(queue)


async def _matches(card_type: Any, card: CardPresence) -> bool:
    from smartcard.pcsc.PCSCReader import PCSCReader

    return bool(await run_blocking(card_type.matches, list(card.atr), PCSCReader(card.reader)))
