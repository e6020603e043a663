# SPDX-License-Identifier: LGPL-2.1-or-later
"""The thread that runs observers' ``update`` methods, in event order.

Observers are application code: they connect to the card that was just
inserted, exchange APDUs, update a GUI, sometimes wait for another card.
Running them on the engine thread would stall PC/SC monitoring for as long
as they take, and an observer waiting for a card event would wait for
itself. So the engine only queues work here, and one worker thread runs it.
It exists while at least one monitor has observers, and sleeps on a lock
(no polling) when there is nothing to do.

When the worker is idle, the engine thread that received the events takes
the worker's place instead and runs them at once, while the idle worker
takes over the engine loop (:meth:`ObserverDispatcher.run_here_after_delivery`,
:mod:`smartcard.monitoring.roles`): observers hear of a card as soon as a
single-threaded monitor would tell them, and the engine still never waits
for an observer.
"""

from __future__ import annotations

import _thread
import collections
import functools
import os
import threading

from smartcard._log import LazyLogger
from smartcard.monitoring.roles import run_roles

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Deque, Tuple

    from smartcard.monitoring.engine import MonitorEngine
    from smartcard.monitoring.roles import Role

__all__ = ["ObserverDispatcher", "get_dispatcher"]

_log = LazyLogger("smartcard.monitoring")


class ObserverDispatcher:
    """A lazily started worker thread running queued callables one at a time.

    Users call :meth:`acquire` before submitting and :meth:`release` when
    done; the worker ends once nobody holds it and the queue is empty.
    """

    def __init__(self, name: str = "smartcard-observers") -> None:
        self._name = name
        # A plain lock, and the idle worker parked on a lock of its own, rather
        # than a threading.Condition: this is on the path from pcscd to the
        # observers, and Condition is pure Python.
        self._lock = _thread.allocate_lock()
        self._parked: _thread.LockType | None = None  # released to wake the idle worker
        self._queue: Deque[Callable[[], None]] = collections.deque()
        self._users = 0
        self._thread: threading.Thread | None = None  # the worker
        self._busy = False  # the worker is running a task
        # A swap is promised: the idle worker neither takes tasks nor ends.
        self._claimed = False
        # (former worker, the role it takes on): set by a swap.
        self._handoff: Tuple[threading.Thread, Role] | None = None

    def acquire(self) -> None:
        """Declare a user; starts the worker if it is not running."""
        with self._lock:
            self._users += 1
            if self._thread is None:
                self._thread = threading.Thread(
                    target=run_roles, args=(self._work,), name=self._name, daemon=True
                )
                self._thread.start()

    def release(self) -> None:
        """Withdraw a user; the worker ends after the queued work if it was the last."""
        with self._lock:
            self._users = max(0, self._users - 1)
            self._wake_locked()

    def submit(self, task: Callable[[], None]) -> None:
        """Queue ``task``; never blocks, so the engine thread may call it."""
        with self._lock:
            self._queue.append(task)
            self._wake_locked()

    def run_here_after_delivery(self, engine: MonitorEngine, task: Callable[[], None]) -> bool:
        """From a callback on ``engine``'s thread: run ``task`` on this thread, without a queue.

        Possible when the worker is idle: once the engine has delivered the
        current events, this thread becomes the worker (``task`` first) and
        the idle worker continues the engine loop. Returns False, changing
        nothing, when that cannot be done; then :meth:`submit` the task.
        """
        with self._lock:
            if (
                self._thread is None
                or self._busy
                or self._queue
                or self._claimed
                or self._handoff is not None
            ):
                return False
            self._claimed = True
        if engine.hand_over_after_delivery(functools.partial(self._swap, task)):
            return True
        with self._lock:
            self._claimed = False
            self._wake_locked()
        return False

    def on_dispatcher_thread(self) -> bool:
        """True when called from the worker (inside an observer)."""
        return self._thread is threading.current_thread()

    @property
    def thread(self) -> threading.Thread | None:
        """The worker thread, if running (for diagnostics and tests)."""
        with self._lock:
            return self._thread

    def _swap(self, task: Callable[[], None], engine_role: Role) -> Tuple[threading.Thread, Role]:
        """Engine thread: hand ``engine_role`` to the idle worker and become the worker."""
        me = threading.current_thread()
        with self._lock:
            worker = self._thread
            # Claimed: the worker waits for this and cannot have ended.
            assert worker is not None and self._claimed
            self._claimed = False
            self._handoff = (worker, engine_role)
            self._queue.appendleft(task)
            self._thread = me
            me.name, worker.name = worker.name, me.name
            self._wake_locked()
        return worker, self._work

    def _wake_locked(self) -> None:
        parked, self._parked = self._parked, None
        if parked is not None:
            parked.release()

    def _work(self) -> Role | None:
        """The worker's role: run the queue until nobody needs it or it swaps jobs."""
        me = threading.current_thread()
        while True:
            with self._lock:
                if self._handoff is not None and self._handoff[0] is me:
                    role = self._handoff[1]
                    self._handoff = None
                    return role
                if self._thread is not me:
                    return None
                if self._queue and not self._claimed:
                    task = self._queue.popleft()
                    self._busy = True
                    parked = None
                elif self._users <= 0 and not self._queue and not self._claimed:
                    self._thread = None
                    return None
                else:
                    parked = self._parked = _thread.allocate_lock()
                    parked.acquire()
            if parked is not None:
                parked.acquire()  # until _wake_locked() releases it; then look again
                continue
            try:
                task()
            except Exception:  # tasks report their own errors; this is a backstop
                _log.exception("observer dispatch task failed")
            finally:
                with self._lock:
                    self._busy = False


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
