# SPDX-License-Identifier: LGPL-2.1-or-later
"""The fake PC/SC service's state and the test's side of it.

A test adds and removes readers and cards, restarts or stops the service,
scripts results, and reads the call log; :class:`FakeService` keeps that
state under one lock and wakes blocked calls when it changes. The PC/SC
calls themselves are in :mod:`smartcard.testing.fake.backend`.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable, Dict, List, Mapping, Sequence, TypeVar, Union

from smartcard._pcsc import extension as pcsc
from smartcard.testing.fake.card import FakeCard, code_of
from smartcard.testing.fake.model import Context, Handle, Reader
from smartcard.testing.fake.script import Call, Result, Script, plain

__all__ = ["FakeService"]

T = TypeVar("T")


class FakeService:
    """Readers, cards, contexts and handles of a fake PC/SC service; thread-safe.

    ``pnp`` says whether the ``\\\\?PnP?\\Notification`` pseudo reader
    reports reader arrivals and removals (pcsc-lite, Windows) or is unknown
    (some older stacks).
    """

    def __init__(self, pnp: bool = True) -> None:
        self.pnp = pnp
        self._cond = threading.Condition(threading.RLock())
        self._readers: Dict[str, Reader] = {}
        self._contexts: Dict[int, Context] = {}
        self._handles: Dict[int, Handle] = {}
        # Contexts and handles that died with the service: what their calls answer.
        self._stale: Dict[int, int] = {}
        self._next_id = 0x1F00
        self._running = True
        self._blocked = 0
        self._script = Script()
        self._log: List[Call] = []

    # -- readers and cards --------------------------------------------------

    def add_reader(
        self,
        name: str,
        card: FakeCard | None = None,
        attributes: Mapping[int, bytes] | None = None,
        controls: Mapping[int, bytes] | None = None,
    ) -> None:
        """Plug in a reader (with ``card`` in it); ``controls`` answer SCardControl codes."""
        with self._cond:
            if name in self._readers:
                raise ValueError(f"reader {name!r} is already there")
            self._readers[name] = Reader(
                name, card, events=1 if card else 0,
                attributes=dict(attributes or {}), controls=dict(controls or {}),
            )  # fmt: skip
            self._cond.notify_all()

    def remove_reader(self, name: str) -> None:
        """Unplug a reader: its handles answer SCARD_E_READER_UNAVAILABLE from now on."""
        with self._cond:
            del self._readers[name]
            self._cond.notify_all()

    def insert_card(self, reader: str, card: FakeCard | None = None) -> FakeCard:
        """Put ``card`` (a default :class:`FakeCard` when None) in ``reader``; return it."""
        card = FakeCard() if card is None else card
        with self._cond:
            slot = self._readers[reader]
            if slot.card is not None:
                raise ValueError(f"reader {reader!r} already holds a card")
            slot.card = card
            slot.events += 1
            self._cond.notify_all()
        return card

    def remove_card(self, reader: str) -> FakeCard | None:
        """Take the card out of ``reader``: its handles answer SCARD_W_REMOVED_CARD."""
        with self._cond:
            slot = self._readers[reader]
            card, slot.card = slot.card, None
            if card is not None:
                slot.events += 1
                slot.transaction = None
            self._cond.notify_all()
        return card

    def card(self, reader: str) -> FakeCard | None:
        """The card in ``reader``, or None."""
        with self._cond:
            return self._readers[reader].card

    @property
    def readers(self) -> List[str]:
        """The reader names, in the order they were added."""
        with self._cond:
            return list(self._readers)

    # -- the service --------------------------------------------------------

    def restart(self, answer: Union[int, str] = "SCARD_E_INVALID_HANDLE") -> None:
        """Simulate a pcscd restart: every context and handle dies.

        Calls with them answer ``answer`` from now on; a call blocked in
        them returns SCARD_E_NO_SERVICE (its daemon went away). New
        contexts work at once.
        """
        self._kill(code_of(answer))
        with self._cond:
            self._running = True

    def stop_service(self) -> None:
        """Stop the service: establishing and every existing context answer SCARD_E_NO_SERVICE."""
        with self._cond:
            self._running = False
        self._kill(pcsc.SCARD_E_NO_SERVICE)

    def start_service(self) -> None:
        """Start the service again after :meth:`stop_service`."""
        with self._cond:
            self._running = True
            self._cond.notify_all()

    def close(self) -> None:
        """Stop the service, so that no call stays blocked (the fixture does it at teardown)."""
        self.stop_service()

    def _kill(self, answer: int) -> None:
        with self._cond:
            for ident in [*self._contexts, *self._handles]:
                self._stale[ident] = answer
            self._contexts.clear()
            self._handles.clear()
            for reader in self._readers.values():
                reader.transaction = None
            self._cond.notify_all()

    @property
    def contexts(self) -> List[int]:
        """The contexts established and not released: ``[]`` after a test that cleans up."""
        with self._cond:
            return list(self._contexts)

    @property
    def handles(self) -> List[int]:
        """The card handles connected and not disconnected."""
        with self._cond:
            return list(self._handles)

    # -- scripted results and the call log ----------------------------------

    def fail_next(self, call: str, code: Union[int, str], times: int = 1) -> None:
        """The next ``times`` calls of ``call`` fail with ``code`` (an int or a name)."""
        self.script(call, *[code] * times)

    def script(self, call: str, *results: Result) -> None:
        """Queue answers for the next calls of ``call``, each a code or the call's whole answer.

        ``fake.script("SCardTransmit", [0, [0x90, 0x00]], "SCARD_F_COMM_ERROR")``:
        the first transmit succeeds, the second fails. Scripted answers
        bypass the model: they change no state.
        """
        with self._cond:
            self._script.add(call, results)

    def pending(self, call: str) -> int:
        """How many scripted answers to ``call`` are still queued."""
        with self._cond:
            return self._script.pending(call)

    @property
    def calls(self) -> List[Call]:
        """Every call made, in the order they returned, as ``(name, args, result)``."""
        with self._cond:
            return list(self._log)

    def calls_to(self, *names: str) -> List[Call]:
        """The calls of the given names, in order."""
        with self._cond:
            return [call for call in self._log if call.name in names]

    def clear_calls(self) -> None:
        with self._cond:
            self._log.clear()

    # -- blocking calls -----------------------------------------------------

    @property
    def blocked(self) -> int:
        """How many calls are waiting (status change, transaction) right now."""
        with self._cond:
            return self._blocked

    def wait_blocked(self, count: int = 1, timeout: float = 5.0) -> bool:
        """Wait until ``count`` calls are blocked; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self._blocked >= count, timeout)

    def _wait_until(self, ready: Callable[[], T | None], deadline: float | None) -> T | None:
        """``ready()`` (lock held) once not None, waiting for changes; None at the deadline."""
        self._blocked += 1
        self._cond.notify_all()  # wait_blocked() watchers
        try:
            while True:
                outcome = ready()
                if outcome is not None:
                    return outcome
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return None
                self._cond.wait(remaining)
        finally:
            self._blocked -= 1

    # -- helpers for the calls ----------------------------------------------

    def _call(self, name: str, args: Sequence[Any], model: Callable[[], Any]) -> Any:
        """Answer ``name`` from the script, else from ``model``; log it."""
        states = args[2] if name == "SCardGetStatusChange" else ()
        with self._cond:
            result = self._script.take(name, states)
        if result is None:
            result = model()
        with self._cond:
            self._log.append(Call(name, tuple(plain(list(args))), result))
        return result

    def _new_id(self) -> int:
        # Never reused, so a dead handle can never alias a live one.
        self._next_id += 0x10
        return self._next_id

    def _context(self, hcontext: int) -> Context | int:
        context = self._contexts.get(hcontext)
        if context is not None:
            return context
        return self._stale.get(hcontext, pcsc.SCARD_E_INVALID_HANDLE)

    def _handle(self, hcard: int, reset: bool = False, sharing: bool = False) -> Handle | int:
        """The live handle ``hcard``, or the code a call with it answers.

        ``reset``: a reset by another handle since this one last looked
        answers SCARD_W_RESET_CARD. ``sharing``: a transaction held by
        another handle answers SCARD_E_SHARING_VIOLATION.
        """
        handle = self._handles.get(hcard)
        if handle is None:
            return self._stale.get(hcard, pcsc.SCARD_E_INVALID_HANDLE)
        reader = self._readers.get(handle.reader)
        if reader is None:
            return pcsc.SCARD_E_READER_UNAVAILABLE
        card = handle.card
        if card is not None and reader.card is not card:
            return pcsc.SCARD_W_REMOVED_CARD
        if reset and card is not None and card.resets != handle.resets_seen:
            return pcsc.SCARD_W_RESET_CARD
        if sharing and reader.transaction not in (None, hcard):
            return pcsc.SCARD_E_SHARING_VIOLATION
        return handle

    def _apply_disposition(self, handle: Handle, disposition: int) -> None:
        """Reset the card for RESET, UNPOWER or EJECT; the acting handle sees no warning."""
        card = handle.card
        reader = self._readers.get(handle.reader)
        if disposition == pcsc.SCARD_LEAVE_CARD or card is None or reader is None:
            return
        if reader.card is card:
            card.resets += 1
            handle.resets_seen = card.resets

    def _sharing_conflict(self, reader: str, share: int, hcard: int | None) -> bool:
        others = [h for h in self._handles.values() if h.reader == reader and h.hcard != hcard]
        if share == pcsc.SCARD_SHARE_EXCLUSIVE:
            return bool(others)
        return any(h.share == pcsc.SCARD_SHARE_EXCLUSIVE for h in others)

    def _drop(self, handle: Handle) -> None:
        del self._handles[handle.hcard]
        reader = self._readers.get(handle.reader)
        if reader is not None and reader.transaction == handle.hcard:
            reader.transaction = None
        self._cond.notify_all()
