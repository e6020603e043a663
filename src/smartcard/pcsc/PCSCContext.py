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

import logging
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator

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

__all__ = ["establish_context", "release_context", "scoped_context", "PCSCContext"]

_log = logging.getLogger("smartcard.pcsc")


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


@contextmanager
def scoped_context(for_connection: bool = False) -> Iterator[int]:
    """``with scoped_context() as hcontext:`` establishes a context and always releases it."""
    hcontext = establish_context(for_connection)
    try:
        yield hcontext
    finally:
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
    mutex = threading.RLock()

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
