# SPDX-License-Identifier: LGPL-2.1-or-later
"""Establishing and releasing PC/SC contexts, with explained errors.

Short-lived contexts (one per ``readers()`` call, one per connection) are the
rule: nothing survives a pcscd restart, so nothing goes stale. The
process-wide shared context of older pyscard releases is
``smartcard.pcsc.PCSCContext.PCSCContext``, built on these functions.
"""

from __future__ import annotations

from smartcard._log import LazyLogger
from smartcard._pcsc import backend
from smartcard._pcsc.context_errors import (
    ConnectionLibraryNotFoundError,
    PCSCLibraryNotFoundError,
    connection_context_error,
    readers_error,
)
from smartcard._pcsc.errors import explain
from smartcard._pcsc.extension import SCARD_S_SUCCESS, SCARD_SCOPE_USER, PCSCLibraryError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from contextlib import AbstractContextManager
    from types import TracebackType
    from typing import Callable

    from smartcard._pcsc.backend import Backend

__all__ = ["establish_context", "release_context", "scoped_context"]

_log = LazyLogger("smartcard.pcsc")


def _readers_context_error(hresult: int) -> Exception:
    return readers_error(hresult, establishing=True)


def establish_context(for_connection: bool = False, api: Backend | None = None) -> int:
    """Establish a user-scope PC/SC context and return its handle.

    Raises the reader-listing exception family by default, or the card
    connection family when ``for_connection`` is true (see PCSCExceptions).
    A missing PC/SC library raises an exception saying what to install.
    ``api`` is the backend to use (the current one by default).
    """
    if api is None:
        api = backend.current()
    try:
        hresult, hcontext = api.SCardEstablishContext(SCARD_SCOPE_USER)
    except PCSCLibraryError as exc:
        if for_connection:
            raise ConnectionLibraryNotFoundError(exc) from exc
        raise PCSCLibraryNotFoundError(exc) from exc
    if hresult != SCARD_S_SUCCESS:
        factory: Callable[[int], Exception] = (
            connection_context_error if for_connection else _readers_context_error
        )
        raise factory(hresult)
    return int(hcontext)


def release_context(hcontext: int, api: Backend | None = None) -> int:
    """Release ``hcontext``; return the PC/SC result instead of raising.

    Releasing cannot be retried and its failure (typically a context left
    stale by a pcscd restart) loses nothing, so callers log it rather than
    let it hide the result or the original error of the work they did.
    """
    if api is None:
        api = backend.current()
    hresult: int = api.SCardReleaseContext(hcontext)
    if hresult != SCARD_S_SUCCESS:
        _log.debug("releasing PC/SC context %#x failed: %s", hcontext, explain(hresult, False))
    return hresult


def scoped_context(
    for_connection: bool = False, api: Backend | None = None
) -> AbstractContextManager[int]:
    """``with scoped_context() as hcontext:`` establishes a context and always releases it.

    ``for_connection`` chooses the exception family, as in :func:`establish_context`.
    """
    return _ScopedContext(for_connection, api)


class _ScopedContext:
    """What :func:`scoped_context` returns: establishes on entry, releases on exit."""

    __slots__ = ("_for_connection", "_api", "_hcontext")

    def __init__(self, for_connection: bool = False, api: Backend | None = None) -> None:
        self._for_connection = for_connection
        self._api = backend.current() if api is None else api
        self._hcontext: int | None = None

    def __enter__(self) -> int:
        hcontext = establish_context(self._for_connection, self._api)
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
            release_context(hcontext, self._api)
