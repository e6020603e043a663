# SPDX-License-Identifier: LGPL-2.1-or-later
"""Establishing and releasing PC/SC contexts, with explained errors.

Two styles are offered:

* :func:`establish_context` / :func:`release_context` / :func:`scoped_context`
  for short-lived contexts (one per ``readers()`` call, one per connection):
  nothing survives a pcscd restart, so nothing goes stale.
* :class:`PCSCContext`, the process-wide shared context of older pyscard
  releases, kept for applications that still use it; :meth:`PCSCContext.renewContext`
  replaces it after pcscd restarted.
"""

from __future__ import annotations

# _thread and a hand-written context manager rather than threading and
# contextlib: this module is on the path of the first readers() call, and
# those two imports would cost more than the whole PC/SC layer.
import _thread

from smartcard._log import LazyLogger
from smartcard.pcsc.errors import explain
from smartcard.pcsc.PCSCExceptions import (
    ConnectionLibraryNotFoundError,
    PCSCLibraryNotFoundError,
    connection_context_error,
    readers_error,
)
from smartcard.scard import (
    SCARD_S_SUCCESS,
    SCARD_SCOPE_USER,
    PCSCLibraryError,
    SCardEstablishContext,
    SCardReleaseContext,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from contextlib import AbstractContextManager
    from types import TracebackType
    from typing import Any, Callable

__all__ = ["establish_context", "release_context", "scoped_context", "PCSCContext"]

_log = LazyLogger("smartcard.pcsc")


def _readers_context_error(hresult: int) -> Exception:
    return readers_error(hresult, establishing=True)


def establish_context(for_connection: bool = False) -> int:
    """Establish a user-scope PC/SC context and return its handle.

    Raises the reader-listing exception family by default, or the card
    connection family when ``for_connection`` is true (see PCSCExceptions).
    A missing PC/SC library raises an exception saying what to install.
    """
    try:
        hresult, hcontext = SCardEstablishContext(SCARD_SCOPE_USER)
    except PCSCLibraryError as exc:
        if for_connection:
            raise ConnectionLibraryNotFoundError(exc) from exc
        raise PCSCLibraryNotFoundError(exc) from exc
    if hresult != SCARD_S_SUCCESS:
        factory: Callable[[int], Exception] = (
            connection_context_error if for_connection else _readers_context_error
        )
        raise factory(hresult)
    return hcontext


def release_context(hcontext: int) -> int:
    """Release ``hcontext``; return the PC/SC result instead of raising.

    Releasing cannot be retried and its failure (typically a context left
    stale by a pcscd restart) loses nothing, so callers log it rather than
    let it hide the result or the original error of the work they did.
    """
    hresult = SCardReleaseContext(hcontext)
    if hresult != SCARD_S_SUCCESS:
        _log.debug("releasing PC/SC context %#x failed: %s", hcontext, explain(hresult, False))
    return hresult


def scoped_context(for_connection: bool = False) -> AbstractContextManager[int]:
    """``with scoped_context() as hcontext:`` establishes a context and always releases it.

    ``for_connection`` chooses the exception family, as in :func:`establish_context`.
    """
    return _ScopedContext(for_connection)


class _ScopedContext:
    """What :func:`scoped_context` returns: establishes on entry, releases on exit."""

    __slots__ = ("_for_connection", "_hcontext")

    def __init__(self, for_connection: bool = False) -> None:
        self._for_connection = for_connection
        self._hcontext: int | None = None

    def __enter__(self) -> int:
        hcontext = establish_context(self._for_connection)
        self._hcontext = hcontext
        return hcontext

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        hcontext, self._hcontext = self._hcontext, None
        if hcontext is not None:
            release_context(hcontext)


class _SharedContext:
    """The one context behind :class:`PCSCContext`."""

    def __init__(self) -> None:
        self.hcontext = establish_context()

    def getContext(self) -> int:
        return self.hcontext

    def releaseContext(self) -> int:
        return release_context(self.hcontext)


class PCSCContext:
    """Process-wide shared PC/SC context (compatibility with older pyscard).

    All instances share one context, established on first use and reachable
    as ``PCSCContext().getContext()``.  As in older pyscard the shared object
    is the class attribute ``instance``: applications (yubikey-manager among
    them) set it to None to force a fresh context on next use, e.g. after
    pcscd restarted.
    """

    instance: _SharedContext | None = None
    mutex = _thread.RLock()

    def __init__(self) -> None:
        with PCSCContext.mutex:
            if PCSCContext.instance is None:
                PCSCContext.instance = _SharedContext()

    def __getattr__(self, name: str) -> Any:
        # getContext()/releaseContext() and any other attribute of the shared object.
        with PCSCContext.mutex:
            if PCSCContext.instance is None:
                PCSCContext.instance = _SharedContext()
            return getattr(PCSCContext.instance, name)

    @staticmethod
    def renewContext() -> int:
        """Release the shared context and establish a new one; return its handle."""
        with PCSCContext.mutex:
            if PCSCContext.instance is not None:
                PCSCContext.instance.releaseContext()
            PCSCContext.instance = None
            PCSCContext.instance = _SharedContext()
            return PCSCContext.instance.getContext()
