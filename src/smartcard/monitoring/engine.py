# SPDX-License-Identifier: LGPL-2.1-or-later
"""The process-wide card and reader event engine.

One daemon thread, started when the first subscriber arrives and stopped
when the last one leaves, owns a PC/SC context and sits in
SCardGetStatusChange(INFINITE) on every reader plus ``\\\\?PnP?\\Notification``
(reader arrival and removal). It only wakes when pcscd reports a change.

Subscribers register a callback that receives each batch of
:class:`~smartcard.monitoring.events.MonitorEvent`. Callbacks run on the
engine thread and must be quick and non-blocking: hand the batch over (put
it in a queue, set an event, ``loop.call_soon_threadsafe``) and return. The
engine's own consumers do exactly that: Observer-style monitors pass batches
to :mod:`smartcard.monitoring.dispatch`, whose single thread runs the
(possibly slow) ``update`` methods, and card requests wake their waiting
thread. So one engine thread serves any number of monitors, waiting card
requests or coroutines.

When the PC/SC service goes away (pcscd stopped, crashed or restarted) the
engine reports SERVICE_LOST and the removal of every card and reader, then
tries again after 0 s, 50 ms, 100 ms... up to once a second; on Linux it
also retries as soon as pcscd's socket reappears (see
:mod:`smartcard.monitoring.sleeper`). When pcscd answers again it reports
SERVICE_RESTORED and the readers and cards present as additions.

Known limit with older pcsc-lite (1.9.9 was tested): a reader attached in
the microseconds between the engine's reader listing and the start of its
wait is only noticed at the next event, because that pcsc-lite compares
the reader count with the one at the start of the call. Windows, and
pcsc-lite releases since mid-2024, close the gap with the reader count the
engine passes in the high word of the PnP entry's current state.
"""

from __future__ import annotations

import atexit
import enum
import functools
import os
import threading
import time

from smartcard._log import LazyLogger
from smartcard._pcsc import backend, extension
from smartcard._pcsc.failures import needs_new_context
from smartcard.monitoring.events import EventKind, MonitorEvent, Snapshot
from smartcard.monitoring.roles import run_roles
from smartcard.monitoring.sleeper import Sleeper
from smartcard.monitoring.tracking import ReaderTracker

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, List, Sequence, Tuple

    from smartcard._pcsc.backend import Backend
    from smartcard.monitoring.roles import Role

    EventCallback = Callable[[Sequence[MonitorEvent]], None]
    # Given the engine loop's role, moves it to another thread and returns
    # (that thread, the role of the calling thread), or None to keep it.
    TakeOver = Callable[["Role"], "Tuple[threading.Thread, Role] | None"]

__all__ = ["MonitorEngine", "Subscription", "get_engine", "PNP_NOTIFICATION"]

_log = LazyLogger("smartcard.monitoring")

#: The pseudo reader whose state changes when readers are added or removed.
PNP_NOTIFICATION = "\\\\?PnP?\\Notification"

_MASK = 0xFFFFFFFF
_FIRST_RETRY_DELAY = 0.05
_MAX_RETRY_DELAY = 1.0
# Stacks without PnP notifications: look at the reader list this often (ms).
_NO_PNP_POLL_MS = 1000
# A stuck subscriber's wait for the first scan is bounded by this (s).
_DEFAULT_SYNC_TIMEOUT = 5.0
# How long stopping waits for the thread before giving up with a warning (s).
_STOP_TIMEOUT = 2.0
# Errors that are neither "service gone" nor expected, tolerated this many
# times in a row before the service is considered lost.
_UNEXPECTED_ERRORS_TOLERATED = 3
# More wake-ups that change nothing than this per second means a PC/SC
# stack that does not block: slow down rather than spin.
_QUIET_WAKEUPS_PER_SECOND = 50


class Subscription:
    """A registration with the engine; :meth:`unsubscribe` (or ``with``) ends it.

    ``snapshot`` is the state just before the first batch this subscription
    receives: applying the batches to it, in order, gives the current state.
    """

    def __init__(self, engine: MonitorEngine, callback: EventCallback) -> None:
        self._engine = engine
        self.callback = callback
        self.snapshot = Snapshot()
        self._active = False
        self._ready = threading.Event()

    @property
    def active(self) -> bool:
        """True until :meth:`unsubscribe` is called."""
        return self._active

    def unsubscribe(self) -> None:
        """Stop receiving events. Idempotent; callable from any thread.

        Once it returns (outside the engine thread), the callback is not
        running and will not be called again.
        """
        self._engine._unsubscribe(self)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.unsubscribe()

    def _activate(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._active = True
        self._ready.set()


class _Backoff:
    """Retry delays: at once, then 50 ms doubling up to 1 s."""

    def __init__(self) -> None:
        self._next = 0.0

    def next_delay(self) -> float:
        delay = self._next
        self._next = _FIRST_RETRY_DELAY if delay == 0 else min(delay * 2, _MAX_RETRY_DELAY)
        return delay

    def reset(self) -> None:
        self._next = 0.0


class _SpinGuard:
    """Notices a PC/SC stack that returns at once from a blocking wait."""

    def __init__(self) -> None:
        self._window_start = 0.0
        self._count = 0
        self._warned = False

    def quiet_wakeup(self) -> float:
        """Record a wake-up that changed nothing; return how long to pause."""
        now = time.monotonic()
        if now - self._window_start > 1.0:
            self._window_start, self._count = now, 0
        self._count += 1
        if self._count < _QUIET_WAKEUPS_PER_SECOND:
            return 0.0
        if not self._warned:
            self._warned = True
            _log.warning("SCardGetStatusChange keeps returning without a change; slowing down")
        return 0.1


class MonitorEngine:
    """Watches every reader and card through one thread; see the module docstring.

    ``api`` is the PC/SC backend (:func:`smartcard._pcsc.backend.current`
    by default); tests may pass a stand-in with the same calls.
    """

    def __init__(self, api: Backend | None = None) -> None:
        self._api = backend.current() if api is None else api
        self._k = extension
        self._success = extension.SCARD_S_SUCCESS & _MASK
        # Reentrant: a garbage-collected card request may unsubscribe (from a
        # finalizer) on whatever thread happens to hold the lock.
        self._lock = threading.RLock()
        # Held while callbacks run, so unsubscribe() can wait for one in flight.
        self._delivery_lock = threading.Lock()
        self._subscribers: List[Subscription] = []
        self._waiting: List[Subscription] = []  # registered before the first scan ended
        self._thread: threading.Thread | None = None  # the one running the loop
        self._loop: _Loop | None = None
        self._context: int | None = None
        self._blocking = False  # the thread is in (or entering) a blocking wait
        self._tracker = ReaderTracker()
        self._synced = False
        self._closed = False
        self._sleeper = Sleeper()
        self._library_error_logged = False

    # ------------------------------------------------------------ public

    def subscribe(
        self, callback: EventCallback, *, sync_timeout: float = _DEFAULT_SYNC_TIMEOUT
    ) -> Subscription:
        """Register ``callback(events)``; start the engine thread if needed.

        Waits (at most ``sync_timeout`` seconds) until the engine knows the
        current readers and cards, so that ``subscription.snapshot`` shows a
        card already inserted. Raises RuntimeError after :meth:`close`.
        """
        subscription = Subscription(self, callback)
        with self._lock:
            if self._closed:
                raise RuntimeError("the smartcard monitoring engine has been shut down")
            if self._thread is None:
                self._start_locked()
            if self._synced:
                subscription._activate(self._tracker.snapshot())
                self._subscribers.append(subscription)
                return subscription
            self._waiting.append(subscription)
        if self.on_engine_thread() or not subscription._ready.wait(sync_timeout):
            with self._lock:
                if subscription in self._waiting:
                    # Start from what is known; the first scan's findings will
                    # reach this subscriber as events instead.
                    self._waiting.remove(subscription)
                    subscription._activate(self._tracker.snapshot())
                    self._subscribers.append(subscription)
                    _log.warning(
                        "PC/SC did not answer within %.1f s; monitoring anyway", sync_timeout
                    )
        return subscription

    def snapshot(self) -> Snapshot:
        """The engine's current picture (empty while it is not running)."""
        with self._lock:
            return self._tracker.snapshot()

    @property
    def is_running(self) -> bool:
        """True while the engine thread exists."""
        with self._lock:
            return self._thread is not None

    @property
    def thread(self) -> threading.Thread | None:
        """The engine thread, if running (for diagnostics and tests)."""
        with self._lock:
            return self._thread

    def on_engine_thread(self) -> bool:
        """True when called from the engine thread (that is, from a callback)."""
        with self._lock:
            return self._thread is not None and self._thread is threading.current_thread()

    def hand_over_after_delivery(self, take_over: TakeOver) -> bool:
        """From a subscriber callback: let ``take_over`` move the loop once this delivery is done.

        The engine loop then continues on the thread ``take_over`` names,
        and this thread does what ``take_over`` returned for it (see
        :mod:`smartcard.monitoring.roles`). False when not called on the
        engine thread or when a hand-over is already pending.
        """
        with self._lock:
            loop = self._loop
            if loop is None or self._thread is not threading.current_thread():
                return False
            if loop.take_over is not None:
                return False
            loop.take_over = take_over
            return True

    def close(self, timeout: float = 0.5) -> None:
        """Drop every subscriber and stop the thread; later subscribe() calls fail.

        Used at interpreter exit, so it never waits longer than ``timeout``.
        """
        with self._lock:
            self._closed = True
            for subscription in self._subscribers + self._waiting:
                subscription._active = False
                subscription._ready.set()
            self._subscribers.clear()
            self._waiting.clear()
            loop = self._loop if self._thread is not None else None
            on_engine = self._thread is threading.current_thread()
        if loop is not None and not on_engine:
            self._stop_loop(loop, timeout)

    # --------------------------------------------------- subscription end

    def _unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            subscription._active = False
            subscription._ready.set()
            if subscription in self._subscribers:
                self._subscribers.remove(subscription)
            elif subscription in self._waiting:
                self._waiting.remove(subscription)
            idle = not self._subscribers and not self._waiting
            loop = self._loop if idle and self._thread is not None else None
            on_engine = self._thread is threading.current_thread()
        if on_engine:
            return  # the loop sees there is nobody left before blocking again
        if loop is not None:
            self._stop_loop(loop, _STOP_TIMEOUT)
        with self._delivery_lock:
            pass  # a callback already running for this subscription has returned

    def _stop_loop(self, loop: _Loop, timeout: float) -> None:
        # SCardCancel only interrupts a call already in progress: one sent in
        # the instant before the thread blocks is lost, hence the repeat.
        deadline = time.monotonic() + timeout
        pause = 0.0005
        while not loop.finished.is_set():
            with self._lock:
                if (self._subscribers or self._waiting) and not self._closed:
                    return  # someone subscribed meanwhile: the thread carries on
                context = self._context if self._blocking else None
            loop.sleeper.wake()
            if context is not None:
                try:
                    self._api.SCardCancel(context)
                except Exception:  # the context may be released under our feet
                    pass
            loop.finished.wait(pause)
            pause = min(pause * 2, 0.02)
            if time.monotonic() > deadline:
                _log.warning("the monitoring thread did not stop within %.1f s", timeout)
                return

    # ------------------------------------------------------------ thread

    def _start_locked(self) -> None:
        self._tracker = ReaderTracker()
        self._synced = False
        self._library_error_logged = False
        self._sleeper = Sleeper()
        loop = _Loop(self._sleeper)
        thread = threading.Thread(
            target=run_roles,
            args=(functools.partial(self._run, loop),),
            name="smartcard-monitor",
            daemon=True,
        )
        self._loop = loop
        self._thread = thread
        thread.start()

    def _run(self, loop: _Loop) -> Role | None:
        """The engine loop's role; returns another role when it moved to another thread."""
        handed_over: Role | None = None
        context: int | None = None
        try:
            while True:
                if loop.take_over is not None:
                    handed_over = self._hand_over(loop)
                    if handed_over is not None:
                        return handed_over
                if loop.pause is not None:
                    delay, watch_service = loop.pause
                    loop.pause = None
                    loop.sleeper.sleep(delay, watch_service=watch_service)
                with self._lock:
                    if self._closed or not (self._subscribers or self._waiting):
                        self._thread = None
                        self._context = None
                        self._tracker = ReaderTracker()  # stale from now on
                        break
                    context = self._context
                if context is None:
                    context = self._open_context()
                    if context is None:
                        loop.pause = (loop.backoff.next_delay(), True)
                        continue
                try:
                    outcome = self._cycle(context, loop.state)
                except Exception:  # a bug or a broken binding: log, back off, go on
                    _log.exception("smartcard monitoring cycle failed")
                    outcome = self._failure("monitoring", None, loop.state)
                if outcome is _Outcome.CHANGED or outcome is _Outcome.QUIET:
                    loop.backoff.reset()
                    loop.sleeper.stop_watching()
                    if outcome is _Outcome.QUIET:
                        loop.pause = (loop.spin_guard.quiet_wakeup(), False)
                else:
                    self._close_context(context)
                    context = None
                    if outcome is _Outcome.SERVICE_GONE:
                        self._commit(self._tracker.service_unreachable)
                    loop.pause = (loop.backoff.next_delay(), True)
        finally:
            if handed_over is None:
                with self._lock:
                    if self._thread is threading.current_thread():
                        self._thread = None  # only on an unexpected exit
                        self._context = None
                if context is not None:
                    self._release(context)
                loop.sleeper.close()
                loop.finished.set()
        return None

    def _hand_over(self, loop: _Loop) -> Role | None:
        """Move the loop as a callback asked; this thread's next role, or None to stay."""
        take_over, loop.take_over = loop.take_over, None
        assert take_over is not None
        with self._lock:
            # Under the lock: the new thread must not run (and perhaps end)
            # the loop before it is recorded as the engine thread.
            moved = take_over(functools.partial(self._run, loop))
            if moved is None:
                return None
            thread, role = moved
            self._thread = thread
        return role

    def _open_context(self) -> int | None:
        api = self._api
        context: int
        try:
            hresult, context = api.SCardEstablishContext(self._k.SCARD_SCOPE_USER)
        except Exception as exc:  # e.g. PCSCLibraryError: no libpcsclite
            # Said once per run: retries would repeat it every second.
            if self._library_error_logged:
                _log.debug("cannot use PC/SC: %s", exc)
            else:
                _log.error("cannot use PC/SC: %s", exc)
            self._library_error_logged = True
            self._commit(self._tracker.service_unreachable)
            return None
        if hresult & _MASK != self._success:
            _log.debug("SCardEstablishContext: %s", _describe(hresult))
            self._commit(self._tracker.service_unreachable)
            return None
        with self._lock:
            self._context = context
        return context

    def _close_context(self, context: int) -> None:
        with self._lock:
            if self._context == context:
                self._context = None
        self._release(context)

    def _release(self, context: int) -> None:
        try:
            self._api.SCardReleaseContext(context)
        except Exception:  # nothing useful to do about it
            pass

    def _cycle(self, context: int, state: _LoopState) -> _Outcome:
        """List the readers, then wait for a change and apply it."""
        api, k = self._api, self._k
        hresult, names = api.SCardListReaders(context, [])
        code = hresult & _MASK
        if code == k.SCARD_E_NO_READERS_AVAILABLE & _MASK:
            names = []
        elif code != self._success:
            return self._failure("SCardListReaders", code, state)
        tracker = self._tracker

        def listed() -> List[MonitorEvent]:
            return tracker.service_reached() + tracker.readers_listed(names)

        self._commit(listed, sync=not tracker.has_unknown(names))
        query = tracker.status_query(names)
        if tracker.has_unknown(names):
            timeout = 0  # UNAWARE readers answer at once
        else:
            timeout = k.INFINITE if state.pnp else _NO_PNP_POLL_MS
        if state.pnp:
            # The reader count in the high word lets stacks that support it
            # (Windows, recent pcsc-lite) notice a reader added just now.
            query.append((PNP_NOTIFICATION, len(names) << 16))
        with self._lock:
            if not (self._subscribers or self._waiting):
                return _Outcome.CHANGED  # everyone left: don't block, exit at the loop top
            # From here on a stop must cancel the wait; before, it need not.
            self._blocking = True
        try:
            hresult, results = api.SCardGetStatusChange(context, timeout, query)
        finally:
            with self._lock:
                self._blocking = False
        code = hresult & _MASK
        if code == self._success:
            state.errors = 0
            return self._apply_status(query, results, state)
        if code in (k.SCARD_E_TIMEOUT & _MASK, k.SCARD_E_CANCELLED & _MASK):
            state.errors = 0
            return _Outcome.CHANGED  # loop again: a stop, or the no-PnP poll
        if code == k.SCARD_E_UNKNOWN_READER & _MASK:
            # A reader vanished between the listing and the call; or, if this
            # repeats with the same readers, the stack rejects the PnP name.
            if state.pnp and state.unknown_reader_names == names:
                _log.info("no PnP reader notifications here; polling the reader list")
                state.pnp = False
            state.unknown_reader_names = list(names)
            return _Outcome.CHANGED
        return self._failure("SCardGetStatusChange", code, state)

    def _apply_status(
        self, query: List[Tuple[str, int]], results: List[Tuple[str, int, Any]], state: _LoopState
    ) -> _Outcome:
        k = self._k
        readers = [r for r in results if r[0] != PNP_NOTIFICATION]
        pnp = [r for r in results if r[0] == PNP_NOTIFICATION]
        pnp_changed = bool(pnp and pnp[0][1] & k.SCARD_STATE_CHANGED)
        if pnp and pnp[0][1] & k.SCARD_STATE_UNKNOWN:
            _log.info("no PnP reader notifications here; polling the reader list")
            state.pnp = False
        asked = dict(query)
        moved = any(
            (event_state & ~k.SCARD_STATE_CHANGED) != asked.get(name)
            for name, event_state, _ in readers
        )
        self._commit(lambda: self._tracker.status_received(readers), sync=True)
        return _Outcome.CHANGED if (moved or pnp_changed) else _Outcome.QUIET

    def _failure(self, call: str, code: int | None, state: _LoopState) -> _Outcome:
        if code is not None and needs_new_context(code):
            _log.debug("%s: %s; PC/SC service lost", call, _describe(code))
            state.errors = 0
            return _Outcome.SERVICE_GONE
        state.errors += 1
        if code is not None:
            _log.warning("%s failed: %s", call, _describe(code))
        if state.errors >= _UNEXPECTED_ERRORS_TOLERATED:
            state.errors = 0
            return _Outcome.SERVICE_GONE
        return _Outcome.ERROR

    def _commit(self, change: Callable[[], List[MonitorEvent]], sync: bool = True) -> None:
        """Apply ``change`` to the tracker and deliver its events.

        State update, choice of recipients and activation of subscribers that
        waited for the first scan happen under one lock hold, so a subscriber
        either sees an event in its snapshot or receives it, never both.
        """
        with self._lock:
            events = change()
            recipients = list(self._subscribers)
            if sync and not self._synced:
                self._synced = True
                snapshot = self._tracker.snapshot()
                for subscription in self._waiting:
                    subscription._activate(snapshot)
                self._subscribers.extend(self._waiting)
                self._waiting.clear()
        if events:
            _log.debug("events: %s", events)
            for event in events:
                if event.kind is EventKind.SERVICE_LOST:
                    _log.info("PC/SC service lost; monitoring resumes when it is back")
                elif event.kind is EventKind.SERVICE_RESTORED:
                    _log.info("PC/SC service is back")
            self._deliver(tuple(events), recipients)

    def _deliver(self, events: Tuple[MonitorEvent, ...], recipients: List[Subscription]) -> None:
        with self._delivery_lock:
            for batch in _by_category(events):
                for subscription in recipients:
                    if not subscription._active:
                        continue
                    try:
                        subscription.callback(batch)
                    except Exception:
                        _log.exception("monitoring callback %r failed", subscription.callback)


class _Outcome(enum.Enum):
    """How one cycle ended."""

    CHANGED = "something changed, or may have: look again"
    QUIET = "woken up for nothing"
    SERVICE_GONE = "the PC/SC service is gone"
    ERROR = "unexpected error: retry with a new context"


class _LoopState:
    """What the loop remembers between cycles, besides the tracker."""

    def __init__(self) -> None:
        self.pnp = True
        self.errors = 0
        self.unknown_reader_names: List[str] | None = None


class _Loop:
    """One run of the engine loop: what moves with it from thread to thread."""

    def __init__(self, sleeper: Sleeper) -> None:
        self.sleeper = sleeper
        self.backoff = _Backoff()
        self.spin_guard = _SpinGuard()
        self.state = _LoopState()
        # (seconds, watch for the service) to wait before the next cycle.
        self.pause: Tuple[float, bool] | None = None
        self.take_over: TakeOver | None = None  # see hand_over_after_delivery
        self.finished = threading.Event()  # set once the loop has ended and cleaned up


def _category(event: MonitorEvent) -> int:
    return 0 if event.is_service_event else 1 if event.is_reader_event else 2


def _by_category(events: Tuple[MonitorEvent, ...]) -> List[Tuple[MonitorEvent, ...]]:
    """Split a batch into runs of service, reader or card events, in order.

    Each subscriber handles a whole batch before the next one gets it; with
    a reader's arrival and its card's insertion in separate batches, every
    reader observer hears of the reader before any card observer hears of
    the card (and the reverse on removal).
    """
    if len(events) == 1:
        return [events]
    batches: List[Tuple[MonitorEvent, ...]] = []
    start = 0
    for index in range(1, len(events) + 1):
        if index == len(events) or _category(events[index]) != _category(events[start]):
            batches.append(events[start:index])
            start = index
    return batches


def _describe(hresult: int) -> str:
    try:
        from smartcard._pcsc.errors import explain

        return explain(hresult, False)
    except Exception:  # explanations are a nicety
        return f"0x{hresult & _MASK:08X}"


# ------------------------------------------------------------ the singleton

_engine: MonitorEngine | None = None
# Engines of backends a test installed (smartcard._pcsc.backend.use), by id.
_other_engines: dict[int, MonitorEngine] = {}
_engine_lock = threading.Lock()


def get_engine() -> MonitorEngine:
    """The process-wide engine, shared by every monitor and card request.

    It talks to the backend installed when it was created; while a test
    installs another backend, that backend gets an engine of its own.
    """
    global _engine
    api = backend.current()
    with _engine_lock:
        if _engine is not None and _engine._api is api:
            return _engine
        engine = _other_engines.get(id(api))
        if engine is not None and engine._api is api:
            return engine
        engine = MonitorEngine(api)
        if _engine is None and api is _default_api():
            _engine = engine
        else:
            _other_engines[id(api)] = engine
        return engine


def _default_api() -> Backend:
    # The extension module: the backend when no test installed another.
    default: Backend = extension.scard
    return default


def _close_at_exit() -> None:
    # Daemon threads are frozen at interpreter exit; cancelling first means
    # ours is never caught half-way through Python code.
    for engine in [_engine, *_other_engines.values()]:
        if engine is not None:
            engine.close()


def _forget_after_fork() -> None:
    # The child has no engine thread and PC/SC contexts do not survive fork.
    global _engine, _engine_lock
    _engine = None
    _other_engines.clear()
    _engine_lock = threading.Lock()


atexit.register(_close_at_exit)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)
