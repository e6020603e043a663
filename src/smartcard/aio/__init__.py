# SPDX-License-Identifier: LGPL-2.1-or-later
"""asyncio for smart cards: wait for cards, iterate over events, talk to cards.

::

    import asyncio
    from smartcard import aio

    async def main():
        found = await aio.wait_for_card(timeout=30)          # any reader
        async with aio.connect(found.reader) as card:
            print(await card.transmit(bytes.fromhex("00A4040000")))
        async with aio.watch(initial=True) as events:
            async for event in events:
                print(event)

All waiters of a process share one monitoring thread (that of
:mod:`smartcard.monitoring`); card calls run in the loop's default executor.
"""

from __future__ import annotations

from smartcard.aio.async_card import AsyncCard, connect
from smartcard.aio.events import EventStream, watch
from smartcard.aio.waiting import CardPresence, wait_for_card
from smartcard.monitoring import EventKind, MonitorEvent, Snapshot

__all__ = [
    "AsyncCard",
    "CardPresence",
    "EventKind",
    "EventStream",
    "MonitorEvent",
    "Snapshot",
    "connect",
    "wait_for_card",
    "watch",
]
