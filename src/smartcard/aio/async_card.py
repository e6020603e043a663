# SPDX-License-Identifier: LGPL-2.1-or-later
"""The card API for asyncio: every PC/SC call runs in a worker thread.

::

    async with connect(reader) as card:
        response = await card.transmit(SELECT)
        async with card.transaction():
            ...

Calls on one card are serialized (a GET RESPONSE must follow its command),
including when an awaiting task is cancelled: a PC/SC call cannot be
interrupted, so the card stays busy until the call in the thread returns.
"""

from __future__ import annotations

import asyncio
import threading
from types import TracebackType
from typing import Any, Callable, Generator, Type, TypeVar

from smartcard.aio._threads import run_blocking
from smartcard.connecting import connect as connect_blocking
from smartcard.iso7816._checks import BytesLike
from smartcard.iso7816.response import Response
from smartcard.pcsc_card import PCSCCard
from smartcard.pcsc_enums import Disposition, Protocol, ShareMode

__all__ = ["AsyncCard", "connect"]

_T = TypeVar("_T")


class AsyncCard:
    """A :class:`~smartcard.pcsc_card.PCSCCard` driven from asyncio.

    The synchronous card is :attr:`card`; its state (``atr``, ``reader``,
    ``protocol``...) can be read directly, it involves no PC/SC call.
    """

    def __init__(self, card: PCSCCard) -> None:
        if not isinstance(card, PCSCCard):
            raise TypeError(f"card must be a PCSCCard, not {type(card).__name__}")
        self.card = card
        # The asyncio lock queues coroutines without holding worker threads;
        # the thread lock keeps a cancelled call's successor off the card
        # until the cancelled call has really returned.
        self._queue = asyncio.Lock()
        self._busy = threading.Lock()

    @property
    def reader(self) -> str:
        return self.card.reader

    @property
    def atr(self) -> bytes:
        return self.card.atr

    @property
    def protocol(self) -> Protocol:
        return self.card.protocol

    @property
    def closed(self) -> bool:
        return self.card.closed

    async def _call(self, function: Callable[..., _T], *args: Any) -> _T:
        async with self._queue:
            return await run_blocking(self._exclusive, function, *args)

    def _exclusive(self, function: Callable[..., _T], *args: Any) -> _T:
        with self._busy:
            return function(*args)

    async def transmit(self, apdu: BytesLike) -> Response:
        """See :meth:`PCSCCard.transmit`."""
        return await self._call(self.card.transmit, apdu)

    async def send(
        self, cla: int, ins: int, p1: int, p2: int, data: BytesLike = b"", le: int | None = None
    ) -> Response:
        """See :meth:`PCSCCard.send`."""
        return await self._call(self.card.send, cla, ins, p1, p2, data, le)

    async def control(self, code: int, data: BytesLike = b"") -> bytes:
        """See :meth:`PCSCCard.control`."""
        return await self._call(self.card.control, code, data)

    async def reconnect(
        self,
        *,
        share: ShareMode | None = None,
        protocols: Protocol | None = None,
        initialization: Disposition = Disposition.RESET,
    ) -> None:
        """See :meth:`PCSCCard.reconnect`."""

        def reconnect() -> None:
            self.card.reconnect(share=share, protocols=protocols, initialization=initialization)

        await self._call(reconnect)

    def transaction(self, end: Disposition = Disposition.LEAVE) -> _Transaction:
        """``async with card.transaction():`` see :meth:`PCSCCard.transaction`."""
        return _Transaction(self, end)

    async def close(self, disposition: Disposition | None = None) -> None:
        """See :meth:`PCSCCard.close`."""
        await self._call(self.card.close, disposition)

    async def __aenter__(self) -> AsyncCard:
        return self

    async def __aexit__(
        self,
        exc_type: Type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # Shielded: a cancelled task must still give the card back.
        await asyncio.shield(self.close())

    def __repr__(self) -> str:
        return f"<AsyncCard {self.card!r}>"


class _Transaction:
    """``async with card.transaction():`` begin and end in a worker thread."""

    def __init__(self, card: AsyncCard, end: Disposition) -> None:
        self._card = card
        self._end = end
        self._held: Any | None = None

    async def __aenter__(self) -> AsyncCard:
        scope = self._card.card.transaction(self._end)
        await self._card._call(scope.__enter__)
        self._held = scope
        return self._card

    async def __aexit__(
        self,
        exc_type: Type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        scope, self._held = self._held, None
        if scope is not None:
            await asyncio.shield(self._card._call(scope.__exit__, exc_type, exc, traceback))


class _Connecting:
    """What :func:`connect` returns: await it, or use it with ``async with``."""

    def __init__(self, reader: Any, kwargs: dict[str, Any]) -> None:
        self._reader = reader
        self._kwargs = kwargs
        self._card: AsyncCard | None = None

    async def _open(self) -> AsyncCard:
        loop = asyncio.get_running_loop()
        pending = loop.run_in_executor(None, lambda: connect_blocking(self._reader, **self._kwargs))
        try:
            card = await asyncio.shield(pending)
        except asyncio.CancelledError:
            # The connection may still succeed in its thread: close it then.
            pending.add_done_callback(_close_quietly)
            raise
        return AsyncCard(card)

    def __await__(self) -> Generator[Any, None, AsyncCard]:
        return self._open().__await__()

    async def __aenter__(self) -> AsyncCard:
        self._card = await self._open()
        return self._card

    async def __aexit__(
        self,
        exc_type: Type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        card, self._card = self._card, None
        if card is not None:
            await card.__aexit__(exc_type, exc, traceback)


def _close_quietly(pending: asyncio.Future[PCSCCard]) -> None:
    if not pending.cancelled() and pending.exception() is None:
        pending.result().close()


def connect(reader: Any = None, **kwargs: Any) -> _Connecting:
    """Connect without blocking the loop; same arguments as :func:`smartcard.connecting.connect`.

    ``card = await connect(...)`` or ``async with connect(...) as card:``
    (which closes the card on exit, even when the task is cancelled).
    """
    return _Connecting(reader, kwargs)
