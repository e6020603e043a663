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

import _thread

from smartcard._pcsc.context import establish_context, release_context, scoped_context

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["establish_context", "release_context", "scoped_context", "PCSCContext"]


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
