# SPDX-License-Identifier: LGPL-2.1-or-later
"""asyncio: wait for a card, talk to it without blocking the loop, follow events."""

import asyncio

from smartcard import aio


async def main() -> None:
    # A card already present counts; new_only=True waits for the next insertion.
    found = await aio.wait_for_card(timeout=10)
    print("card in:", found.reader)

    async with aio.connect(found.reader) as card:
        response = await card.send(0x80, 0x10, 0x00, 0x00, b"async")
        print("echo:", response.data)

    # Events in order, none lost; initial=True first replays what is there.
    async with aio.watch(initial=True) as events:
        async for event in events:
            print("event:", event.kind.name, event.reader)
            if event.kind is aio.EventKind.CARD_INSERTED:
                break

    # Cancelling a wait (here with a timeout) ends it at once.
    try:
        await asyncio.wait_for(aio.wait_for_card(new_only=True), 0.1)
    except asyncio.TimeoutError:
        print("no new card within 0.1 s")


asyncio.run(main())
