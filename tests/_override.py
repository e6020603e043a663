# SPDX-License-Identifier: LGPL-2.1-or-later
"""A PC/SC backend that answers some calls itself and passes the rest to the real one."""

from __future__ import annotations

from typing import Any, Callable


class OverridingBackend:
    """The current backend, with the calls given as keyword arguments replaced."""

    def __init__(self, **calls: Callable[..., Any]) -> None:
        from smartcard._pcsc import backend

        self._base = backend.current()
        self.__dict__.update(calls)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._base, name)
