# SPDX-License-Identifier: LGPL-2.1-or-later
"""The PC/SC calls the library makes, and the backend that answers them.

:class:`Backend` lists every call, with the extension's names and shapes
(a result code, or a list whose first item is the result code). The default
backend is the ``smartcard.scard`` extension itself, so a call costs nothing
more than calling the extension. A test may install another backend with
:func:`use` (``smartcard.testing.fake.FakeBackend`` scripts PC/SC answers):
card connections, contexts, reader listings and monitor engines created
while it is installed talk to it. Objects take the backend at creation, so
one connection never mixes two backends.
"""

from __future__ import annotations

from os import environ as _environ
from threading import Lock as _Lock

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import TracebackType
    from typing import Any, List, Protocol, Sequence, Tuple

    class Backend(Protocol):
        """The PC/SC calls (winscard.h names) the library makes."""

        def SCardEstablishContext(self, scope: int, /) -> Any: ...
        def SCardReleaseContext(self, hcontext: int, /) -> int: ...
        def SCardIsValidContext(self, hcontext: int, /) -> int: ...
        def SCardListReaders(self, hcontext: int, groups: Sequence[str], /) -> Any: ...
        def SCardListReaderGroups(self, hcontext: int, /) -> Any: ...
        def SCardGetStatusChange(
            self, hcontext: int, timeout: int, states: Sequence[Any], /
        ) -> Any: ...
        def SCardCancel(self, hcontext: int, /) -> int: ...
        def SCardConnect(
            self, hcontext: int, reader: str, share: int, protocols: int, /
        ) -> Any: ...
        def SCardReconnect(
            self, hcard: int, share: int, protocols: int, initialization: int, /
        ) -> Any: ...
        def SCardDisconnect(self, hcard: int, disposition: int, /) -> int: ...
        def SCardStatus(self, hcard: int, /) -> Any: ...
        def SCardTransmit(self, hcard: int, pci: int, apdu: Any, /) -> Any: ...
        def SCardTransmitBytes(self, hcard: int, pci: int, apdu: Any, /) -> Tuple[int, bytes]: ...
        def SCardControl(self, hcard: int, code: int, data: Any, /) -> Any: ...
        def SCardGetAttrib(self, hcard: int, attribute: int, /) -> Any: ...
        def SCardSetAttrib(self, hcard: int, attribute: int, value: Any, /) -> int: ...
        def SCardBeginTransaction(self, hcard: int, /) -> int: ...
        def SCardEndTransaction(self, hcard: int, disposition: int, /) -> int: ...
        def SCardIntroduceReaderGroup(self, hcontext: int, group: str, /) -> int: ...
        def SCardForgetReaderGroup(self, hcontext: int, group: str, /) -> int: ...
        def SCardIntroduceReader(self, hcontext: int, reader: str, device: str, /) -> int: ...
        def SCardForgetReader(self, hcontext: int, reader: str, /) -> int: ...
        def SCardAddReaderToGroup(self, hcontext: int, reader: str, group: str, /) -> int: ...
        def SCardRemoveReaderFromGroup(self, hcontext: int, reader: str, group: str, /) -> int: ...

    # The shapes the listing and state calls return, for the modules that unpack them.
    ReaderNames = Tuple[int, List[str]]
    ReaderStates = Tuple[int, List[Tuple[str, int, List[int]]]]

__all__ = ["Backend", "current", "use"]

# None until first use: importing this module must not load the extension.
_installed: Backend | None = None
# PYSCARD_RECORD=file records every call of the process (smartcard._pcsc.recorder).
_RECORD_VARIABLE = "PYSCARD_RECORD"
_first_use = _Lock()


def current() -> Backend:
    """The backend new contexts, connections and engines talk to."""
    global _installed
    backend = _installed
    if backend is None:
        with _first_use:
            # Two threads' first calls must not make two recorders of one file.
            backend = _installed
            if backend is None:
                from smartcard._pcsc import extension

                # mypy checks here that the extension module is a Backend.
                default: Backend = extension.scard
                if _RECORD_VARIABLE in _environ:
                    from smartcard._pcsc.recorder import from_environment

                    default = from_environment(default)
                backend = _installed = default
    return backend


class use:
    """``with use(fake):`` objects created inside talk to ``fake``; then the previous one again.

    A class rather than ``contextlib``: this module is on the path of the
    first ``readers()`` call, and that import would cost more than it.
    """

    __slots__ = ("backend", "_previous")

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._previous: Backend | None = None

    def __enter__(self) -> Backend:
        global _installed
        self._previous, _installed = _installed, self.backend
        return self.backend

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        global _installed
        _installed = self._previous
