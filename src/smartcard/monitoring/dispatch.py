# SPDX-License-Identifier: LGPL-2.1-or-later
"""The thread that runs observers' ``update`` methods, in event order.

Observers are application code: they connect to the card that was just
inserted, exchange APDUs, update a GUI, sometimes wait for another card.
Running them on the engine thread would stall PC/SC monitoring for as long
as they take, and an observer waiting for a card event would wait for
itself. So the engine only queues work here, and this one thread runs it.
It exists while at least one monitor has observers, and waits on a
condition (no polling) when there is nothing to do.
"""

from __future__ import annotations

import collections
import os
import threading

from smartcard._log import LazyLogger

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Deque

__all__ = ["ObserverDispatcher", "get_dispatcher"]

_log = LazyLogger("smartcard.monitoring")


class ObserverDispatcher:
    """A lazily started worker thread running queued callables one at a time.

    Users call :meth:`acquire` before submitting and :meth:`release` when
    done; the thread ends once nobody holds it and the queue is empty.
    """

    def __init__(self, name: str = "smartcard-observers") -> None:
        self._name = name
        self._condition = threading.Condition(threading.Lock())
        self._queue: Deque[Callable[[], None]] = collections.deque()
        self._users = 0
        self._thread: threading.Thread | None = None

    def acquire(self) -> None:
        """Declare a user; starts the thread if it is not running."""
        with self._condition:
            self._users += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()

    def release(self) -> None:
        """Withdraw a user; the thread ends after the queued work if it was the last."""
        with self._condition:
            self._users = max(0, self._users - 1)
            self._condition.notify()

    def submit(self, task: Callable[[], None]) -> None:
        """Queue ``task``; never blocks, so the engine thread may call it."""
        with self._condition:
            self._queue.append(task)
            self._condition.notify()

    def on_dispatcher_thread(self) -> bool:
        """True when called from the dispatcher thread (inside an observer)."""
        return self._thread is threading.current_thread()

    @property
    def thread(self) -> threading.Thread | None:
        """The worker thread, if running (for diagnostics and tests)."""
        with self._condition:
            return self._thread

    def _run(self) -> None:
        while True:
            with self._condition:
                while not self._queue and self._users > 0:
                    self._condition.wait()
                if not self._queue:
                    self._thread = None
                    return
                task = self._queue.popleft()
            try:
                task()
            except Exception:  # tasks report their own errors; this is a backstop
                _log.exception("observer dispatch task failed")


_dispatcher: ObserverDispatcher | None = None
_dispatcher_lock = threading.Lock()


def get_dispatcher() -> ObserverDispatcher:
    """The process-wide dispatcher shared by the card and reader monitors."""
    global _dispatcher
    with _dispatcher_lock:
        if _dispatcher is None:
            _dispatcher = ObserverDispatcher()
        return _dispatcher


def _forget_after_fork() -> None:
    global _dispatcher, _dispatcher_lock
    _dispatcher = None
    _dispatcher_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)
