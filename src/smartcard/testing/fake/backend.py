# SPDX-License-Identifier: LGPL-2.1-or-later
"""The PC/SC calls of the fake backend, answered as pcsc-lite and the extension answer them.

Every method has the winscard name, arguments and result shape of the
``smartcard.scard`` extension (a code, or a list whose first item is the
code), so library code cannot tell the difference. A scripted answer (see
:meth:`FakeService.script`) takes precedence over the model.
"""

from __future__ import annotations

import time
from typing import Any, List, Sequence

from smartcard._pcsc import extension as pcsc
from smartcard.testing.fake.exchanges import Exchanges
from smartcard.testing.fake.model import Context, Handle
from smartcard.testing.fake.status import StateOut, evaluate, parse_query

__all__ = ["FakeBackend"]

_SHARES = (pcsc.SCARD_SHARE_SHARED, pcsc.SCARD_SHARE_EXCLUSIVE, pcsc.SCARD_SHARE_DIRECT)
_DISPOSITIONS = (
    pcsc.SCARD_LEAVE_CARD,
    pcsc.SCARD_RESET_CARD,
    pcsc.SCARD_UNPOWER_CARD,
    pcsc.SCARD_EJECT_CARD,
)
# pcsc-lite's INFINITE is 0xFFFFFFFF; the extension exports its own value.
_FOREVER = (pcsc.INFINITE, 0xFFFFFFFF)
_DEFAULT_GROUP = "SCard$DefaultReaders"


def _protocol(asked: int, offered: int) -> int:
    """The protocol a connection gets: the lowest one both sides name, or 0."""
    common = asked & offered
    return common & -common


class FakeBackend(Exchanges):
    """A scripted PC/SC service implementing ``smartcard._pcsc.backend.Backend``.

    Install it with ``smartcard._pcsc.backend.use(fake)`` (the ``fake_pcsc``
    pytest fixture does); it also carries the extension's constants, so it
    can stand in for the ``smartcard.scard`` module (``MonitorEngine(api=fake)``).
    """

    # -- contexts -----------------------------------------------------------

    def SCardEstablishContext(self, scope: int, /) -> Any:
        def model() -> Any:
            with self._cond:
                if not self._running:
                    return [pcsc.SCARD_E_NO_SERVICE, 0]
                if scope not in (
                    pcsc.SCARD_SCOPE_USER, pcsc.SCARD_SCOPE_TERMINAL, pcsc.SCARD_SCOPE_SYSTEM
                ):  # fmt: skip
                    return [pcsc.SCARD_E_INVALID_VALUE, 0]
                hcontext = self._new_id()
                self._contexts[hcontext] = Context(hcontext)
                return [pcsc.SCARD_S_SUCCESS, hcontext]

        return self._call("SCardEstablishContext", (scope,), model)

    def SCardReleaseContext(self, hcontext: int, /) -> int:
        def model() -> int:
            with self._cond:
                context = self._context(hcontext)
                if isinstance(context, int):
                    return context
                # pcsc-lite disconnects the context's cards, ending their transactions.
                for _hcard, handle in list(self._handles.items()):
                    if handle.hcontext == hcontext:
                        self._drop(handle)
                del self._contexts[hcontext]
                self._cond.notify_all()
                return pcsc.SCARD_S_SUCCESS

        result: int = self._call("SCardReleaseContext", (hcontext,), model)
        return result

    def SCardIsValidContext(self, hcontext: int, /) -> int:
        def model() -> int:
            with self._cond:
                context = self._context(hcontext)
                return context if isinstance(context, int) else pcsc.SCARD_S_SUCCESS

        result: int = self._call("SCardIsValidContext", (hcontext,), model)
        return result

    def SCardCancel(self, hcontext: int, /) -> int:
        def model() -> int:
            with self._cond:
                context = self._context(hcontext)
                if isinstance(context, int):
                    return context
                context.cancels += 1
                self._cond.notify_all()
                return pcsc.SCARD_S_SUCCESS

        result: int = self._call("SCardCancel", (hcontext,), model)
        return result

    # -- readers ------------------------------------------------------------

    def SCardListReaders(self, hcontext: int, groups: Sequence[str], /) -> Any:
        # Groups are ignored, as pcsc-lite ignores them.
        def model() -> Any:
            with self._cond:
                context = self._context(hcontext)
                if isinstance(context, int):
                    return [context, []]
                if not self._readers:
                    return [pcsc.SCARD_E_NO_READERS_AVAILABLE, []]
                return [pcsc.SCARD_S_SUCCESS, list(self._readers)]

        return self._call("SCardListReaders", (hcontext, list(groups)), model)

    def SCardListReaderGroups(self, hcontext: int, /) -> Any:
        def model() -> Any:
            with self._cond:
                context = self._context(hcontext)
                if isinstance(context, int):
                    return [context, []]
                return [pcsc.SCARD_S_SUCCESS, [_DEFAULT_GROUP]]

        return self._call("SCardListReaderGroups", (hcontext,), model)

    def SCardGetStatusChange(self, hcontext: int, timeout: int, states: Sequence[Any], /) -> Any:
        query = parse_query(states)
        echo = [(name, 0, atr) for name, _current, atr in query]

        def model() -> Any:
            deadline = None if timeout in _FOREVER else time.monotonic() + timeout / 1000
            with self._cond:
                context = self._context(hcontext)
                if isinstance(context, int):
                    return [context, echo]
                cancels = context.cancels
                last: List[StateOut] = echo

                def ready() -> Any:
                    nonlocal last
                    if self._contexts.get(hcontext) is not context:
                        # Released under the call, or the service died during it.
                        gone = hcontext not in self._stale
                        code = pcsc.SCARD_E_INVALID_HANDLE if gone else pcsc.SCARD_E_NO_SERVICE
                        return [code, echo]
                    if context.cancels != cancels:
                        return [pcsc.SCARD_E_CANCELLED, last]
                    changed, last = evaluate(query, self._readers, self._handles, self.pnp)
                    return [pcsc.SCARD_S_SUCCESS, last] if changed else None

                outcome = self._wait_until(ready, deadline)
                return [pcsc.SCARD_E_TIMEOUT, last] if outcome is None else outcome

        return self._call("SCardGetStatusChange", (hcontext, timeout, query), model)

    # -- connecting ---------------------------------------------------------

    def SCardConnect(self, hcontext: int, reader: str, share: int, protocols: int, /) -> Any:
        def model() -> Any:
            with self._cond:
                context = self._context(hcontext)
                if isinstance(context, int):
                    return [context, 0, 0]
                if share not in _SHARES:
                    return [pcsc.SCARD_E_INVALID_VALUE, 0, 0]
                slot = self._readers.get(reader)
                if slot is None:
                    return [pcsc.SCARD_E_UNKNOWN_READER, 0, 0]
                card = slot.card
                direct = share == pcsc.SCARD_SHARE_DIRECT
                if card is None and not direct:
                    return [pcsc.SCARD_E_NO_SMARTCARD, 0, 0]
                if card is not None and card.mute and not direct:
                    return [pcsc.SCARD_W_UNRESPONSIVE_CARD, 0, 0]
                if self._sharing_conflict(reader, share, None):
                    return [pcsc.SCARD_E_SHARING_VIOLATION, 0, 0]
                active = _protocol(protocols, card.protocols) if card else 0
                if not active and not direct:
                    return [pcsc.SCARD_E_PROTO_MISMATCH, 0, 0]
                hcard = self._new_id()
                resets = card.resets if card else 0
                self._handles[hcard] = Handle(hcard, hcontext, reader, card, share, active, resets)
                self._cond.notify_all()  # the reader is now in use
                return [pcsc.SCARD_S_SUCCESS, hcard, active]

        return self._call("SCardConnect", (hcontext, reader, share, protocols), model)

    def SCardReconnect(self, hcard: int, share: int, protocols: int, initialization: int, /) -> Any:
        def model() -> Any:
            with self._cond:
                handle = self._handle(hcard, sharing=True)
                if isinstance(handle, int):
                    return [handle, 0]
                if share not in _SHARES or initialization == pcsc.SCARD_EJECT_CARD:
                    return [pcsc.SCARD_E_INVALID_VALUE, 0]
                if initialization not in _DISPOSITIONS:
                    return [pcsc.SCARD_E_INVALID_VALUE, 0]
                if self._sharing_conflict(handle.reader, share, hcard):
                    return [pcsc.SCARD_E_SHARING_VIOLATION, 0]
                card = handle.card
                active = _protocol(protocols, card.protocols) if card else 0
                if card is not None and not active:
                    return [pcsc.SCARD_E_PROTO_MISMATCH, 0]
                self._apply_disposition(handle, initialization)
                handle.resets_seen = card.resets if card else 0  # the reset is acknowledged
                handle.share, handle.protocol = share, active
                self._cond.notify_all()
                return [pcsc.SCARD_S_SUCCESS, active]

        return self._call("SCardReconnect", (hcard, share, protocols, initialization), model)

    def SCardDisconnect(self, hcard: int, disposition: int, /) -> int:
        def model() -> int:
            with self._cond:
                handle = self._handles.get(hcard)
                if handle is None:
                    return self._stale.get(hcard, pcsc.SCARD_E_INVALID_HANDLE)
                if disposition not in _DISPOSITIONS:
                    return pcsc.SCARD_E_INVALID_VALUE
                self._apply_disposition(handle, disposition)
                self._drop(handle)
                return pcsc.SCARD_S_SUCCESS

        result: int = self._call("SCardDisconnect", (hcard, disposition), model)
        return result


# The monitor engine and pyscard-era code read the constants from the binding
# they are given; the fake carries them so it can stand in for the module.
for _name in dir(pcsc.scard):
    _value = getattr(pcsc.scard, _name)
    if (_name.startswith("SCARD_") or _name == "INFINITE") and isinstance(_value, int):
        setattr(FakeBackend, _name, _value)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from smartcard._pcsc.backend import Backend

    def _is_a_backend(fake: FakeBackend) -> Backend:
        # mypy checks here that the fake answers every call of the Backend protocol.
        return fake
