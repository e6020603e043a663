# SPDX-License-Identifier: LGPL-2.1-or-later
"""The asyncio API against the real stack: waiting, events, cancellation, card calls."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any, Callable, Coroutine, Iterator, Tuple, TypeVar

import pytest

from smartcard import aio
from smartcard.aio._hub import hub_for
from smartcard.Exceptions import CardConnectionException
from smartcard.iso7816 import Response
from smartcard.monitoring import EventKind, get_engine
from smartcard.testing import ATR_T0, ATR_T1, PrivatePCSCD, VirtualCard

Factory = Callable[..., VirtualCard]
T = TypeVar("T")
ECHO = bytes.fromhex("80100000")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.005)


@pytest.fixture(autouse=True)
def idle_engine(pcscd: PrivatePCSCD) -> Iterator[None]:
    """Each test starts and ends with no monitoring thread: nothing leaks between tests."""
    engine = get_engine()
    wait_until(lambda: not engine.is_running)
    yield
    wait_until(lambda: not engine.is_running)


async def in_thread(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a blocking test step (inserting a card...) without blocking the loop."""
    return await asyncio.get_running_loop().run_in_executor(None, lambda: function(*args, **kwargs))


def test_a_present_card_is_found_at_once(
    virtual_card_factory: Factory, reader_names: Tuple[str, str]
) -> None:
    virtual_card_factory(1, atr=ATR_T0)

    async def main() -> aio.CardPresence:
        return await aio.wait_for_card(timeout=5)

    assert run(main()) == aio.CardPresence(reader_names[1], ATR_T0)


def test_a_coroutine_gets_the_card_inserted_while_it_waits(
    virtual_card_factory: Factory, reader_names: Tuple[str, str]
) -> None:
    async def main() -> aio.CardPresence:
        waiter = asyncio.ensure_future(aio.wait_for_card([reader_names[0]], new_only=True))
        await asyncio.sleep(0.1)
        assert not waiter.done()
        await in_thread(virtual_card_factory, 0)
        return await asyncio.wait_for(waiter, 5)

    assert run(main()) == aio.CardPresence(reader_names[0], ATR_T1)


def test_waiting_by_reader_and_atr_skips_other_cards(
    virtual_card_factory: Factory, reader_names: Tuple[str, str]
) -> None:
    async def main() -> Tuple[aio.CardPresence, aio.CardPresence]:
        by_atr = asyncio.ensure_future(aio.wait_for_card(atr=ATR_T0))
        masked = asyncio.ensure_future(
            aio.wait_for_card(
                atr=ATR_T0[:-1] + b"\x00", atr_mask=b"\xff" * (len(ATR_T0) - 1) + b"\x00"
            )
        )
        in_reader_1 = asyncio.ensure_future(aio.wait_for_card(reader_names[1]))
        await in_thread(virtual_card_factory, 0, atr=ATR_T1)
        await asyncio.sleep(0.2)
        assert not by_atr.done() and not masked.done() and not in_reader_1.done()
        await in_thread(virtual_card_factory, 1, atr=ATR_T0)
        found = await asyncio.wait_for(by_atr, 5)
        assert await asyncio.wait_for(masked, 5) == found
        return found, await asyncio.wait_for(in_reader_1, 5)

    found, in_reader_1 = run(main())
    assert found == in_reader_1 == aio.CardPresence(reader_names[1], ATR_T0)


def test_waiting_by_card_type(virtual_card_factory: Factory, reader_names: Tuple[str, str]) -> None:
    from smartcard.CardType import ATRCardType

    virtual_card_factory(0, atr=ATR_T1)
    virtual_card_factory(1, atr=ATR_T0)

    async def main() -> aio.CardPresence:
        return await aio.wait_for_card(card_type=ATRCardType(list(ATR_T0)), timeout=5)

    assert run(main()).reader == reader_names[1]


def test_timeout_raises_and_cleans_up(pcscd: PrivatePCSCD) -> None:
    async def main() -> float:
        started = time.monotonic()
        with pytest.raises(asyncio.TimeoutError):
            await aio.wait_for_card(new_only=True, timeout=0.3)
        return time.monotonic() - started

    assert 0.3 <= run(main()) < 2.0


def test_cancelling_ends_the_wait_and_releases_the_pcsc_wait(pcscd: PrivatePCSCD) -> None:
    engine = get_engine()

    async def main() -> Tuple[float, float]:
        waiter = asyncio.ensure_future(aio.wait_for_card(new_only=True))
        while not hub_for(asyncio.get_running_loop()).subscribed:
            await asyncio.sleep(0.005)
        thread = engine.thread
        assert thread is not None and thread.is_alive()
        await asyncio.sleep(0.1)  # the engine is now blocked in SCardGetStatusChange
        cancelled_at = time.monotonic()
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        task_done = time.monotonic() - cancelled_at
        while thread.is_alive():
            await asyncio.sleep(0.001)
            assert time.monotonic() - cancelled_at < 3
        return task_done, time.monotonic() - cancelled_at

    task_done, released = run(main())
    assert task_done < 0.05
    assert released < 1.0
    assert not engine.is_running


def test_wait_for_block_exit_cancels_too(pcscd: PrivatePCSCD) -> None:
    async def main() -> None:
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(aio.wait_for_card(new_only=True), 0.2)
        assert not hub_for(asyncio.get_running_loop())._listeners

    run(main())


@pytest.mark.skipif(not hasattr(asyncio, "timeout"), reason="asyncio.timeout needs Python 3.11")
def test_leaving_an_asyncio_timeout_block_cancels(pcscd: PrivatePCSCD) -> None:
    async def main() -> None:
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.2):  # type: ignore[attr-defined]
                await aio.wait_for_card(new_only=True)
        assert time.monotonic() - started < 1.0
        assert not hub_for(asyncio.get_running_loop())._listeners

    run(main())


def test_a_thousand_waiters_share_one_monitoring_thread(
    virtual_card_factory: Factory, reader_names: Tuple[str, str]
) -> None:
    async def main() -> Tuple[int, int, list[aio.CardPresence]]:
        # Warm the default executor so its threads are counted on both sides.
        await in_thread(lambda: None)
        before = threading.active_count()
        waiters = [asyncio.ensure_future(aio.wait_for_card(new_only=True)) for _ in range(1000)]
        while not hub_for(asyncio.get_running_loop()).subscribed:
            await asyncio.sleep(0.005)
        await asyncio.sleep(0.2)
        during = threading.active_count()
        await in_thread(virtual_card_factory, 0)
        found = await asyncio.wait_for(asyncio.gather(*waiters), 10)
        return before, during, found

    before, during, found = run(main())
    # The engine thread, and at most one executor thread for (un)subscribing.
    assert during - before <= 2, (before, during)
    assert len(found) == 1000 and set(found) == {aio.CardPresence(reader_names[0], ATR_T1)}


def test_events_arrive_in_order_and_none_is_lost(
    virtual_card_factory: Factory, pcscd: PrivatePCSCD, reader_names: Tuple[str, str]
) -> None:
    async def main() -> list[tuple[EventKind, str]]:
        seen: list[tuple[EventKind, str]] = []
        async with aio.watch(initial=True) as events:
            assert set(events.snapshot.readers) == set(reader_names)
            await in_thread(virtual_card_factory, 0)
            await in_thread(virtual_card_factory, 1)
            await in_thread(pcscd.remove_card, 0)
            async for event in events:
                seen.append((event.kind, event.reader))
                if len(seen) == 5:
                    break
        return seen

    seen = run(main())
    assert seen == [
        (EventKind.READER_ADDED, reader_names[0]),
        (EventKind.READER_ADDED, reader_names[1]),
        (EventKind.CARD_INSERTED, reader_names[0]),
        (EventKind.CARD_INSERTED, reader_names[1]),
        (EventKind.CARD_REMOVED, reader_names[0]),
    ]


def test_a_waiting_coroutine_survives_a_pcscd_restart(
    virtual_card_factory: Factory, pcscd: PrivatePCSCD, reader_names: Tuple[str, str]
) -> None:
    async def main() -> Tuple[aio.CardPresence, list[EventKind]]:
        async with aio.watch(reader_names[0]) as events:
            waiter = asyncio.ensure_future(aio.wait_for_card(reader_names[0], new_only=True))
            await asyncio.sleep(0.1)
            await in_thread(pcscd.stop)
            await in_thread(pcscd.start)
            assert not waiter.done()
            await in_thread(virtual_card_factory, 0)
            found = await asyncio.wait_for(waiter, 10)
            kinds = []
            while True:
                event = await asyncio.wait_for(events.__anext__(), 10)
                kinds.append(event.kind)
                if event.kind is EventKind.CARD_INSERTED:
                    return found, kinds

    found, kinds = run(main())
    assert found == aio.CardPresence(reader_names[0], ATR_T1)
    assert kinds == [
        EventKind.SERVICE_LOST,
        EventKind.READER_REMOVED,
        EventKind.SERVICE_RESTORED,
        EventKind.READER_ADDED,
        EventKind.CARD_INSERTED,
    ]


def test_transmit_does_not_block_the_loop(
    virtual_card_factory: Factory, reader_names: Tuple[str, str]
) -> None:
    virtual_card_factory(0, t0_get_response=True)

    async def main() -> Tuple[Response, Response, int]:
        ticks = 0
        stop = asyncio.Event()

        async def ticker() -> None:
            nonlocal ticks
            while not stop.is_set():
                ticks += 1
                await asyncio.sleep(0)

        tick_task = asyncio.ensure_future(ticker())
        async with aio.connect(reader_names[0]) as card:
            assert card.atr == ATR_T0
            # Two coroutines at once on one card: calls are serialized, each
            # GET RESPONSE right after its own command.
            first, second = await asyncio.gather(
                card.transmit(ECHO + b"\x02ab"), card.send(0x80, 0x10, 0, 0, b"cd")
            )
            async with card.transaction():
                await card.transmit(ECHO + b"\x01x")
        stop.set()
        await tick_task
        assert card.closed
        return first, second, ticks

    first, second, ticks = run(main())
    assert (first, second) == ((b"ab", 0x9000), (b"cd", 0x9000))
    assert ticks > 0


def test_cancelled_connect_leaves_no_connection(
    virtual_card: VirtualCard, reader_names: Tuple[str, str]
) -> None:
    from smartcard.connecting import connect
    from smartcard.pcsc_enums import ShareMode

    async def main() -> None:
        task = asyncio.ensure_future(aio.connect(reader_names[0], share=ShareMode.EXCLUSIVE))
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run(main())
    # If the cancelled connection were still open, exclusive access would fail.
    deadline = time.monotonic() + 5
    while True:
        try:
            with connect(reader_names[0], share=ShareMode.EXCLUSIVE):
                break
        except CardConnectionException:
            assert time.monotonic() < deadline
            time.sleep(0.02)


@pytest.mark.parametrize(
    "kwargs, error, name",
    [
        ({"readers": 42}, TypeError, "readers"),
        ({"readers": []}, ValueError, "readers"),
        ({"readers": [1]}, TypeError, "readers"),
        ({"atr": "3B00"}, TypeError, "atr"),
        ({"atr": b"\x3b\x00", "atr_mask": b"\xff"}, ValueError, "atr_mask"),
        ({"atr_mask": b"\xff"}, ValueError, "atr_mask"),
        ({"card_type": object()}, TypeError, "card_type"),
        ({"new_only": 1}, TypeError, "new_only"),
        ({"timeout": -1}, ValueError, "timeout"),
        ({"timeout": "1"}, TypeError, "timeout"),
    ],
)
def test_bad_input_is_refused_before_waiting(kwargs: dict, error: type, name: str) -> None:
    async def main() -> None:
        with pytest.raises(error, match=name):
            await aio.wait_for_card(**kwargs)
        assert not hub_for(asyncio.get_running_loop()).subscribed

    run(main())
    with pytest.raises(TypeError, match="initial"):
        aio.watch(initial="yes")  # type: ignore[arg-type]
