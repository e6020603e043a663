# SPDX-License-Identifier: LGPL-2.1-or-later
"""The observer pattern used by the card, reader and connection monitors.

Observable keeps pyscard's method names (addObserver, notifyObservers, ...)
and attributes (``obs``, ``changed``, ``mutex``). Every method holds the
instance's ``mutex`` (taken before the arguments are even checked, as in
pyscard), and observers are notified outside of it so that they may add or
remove observers from their update() method.
"""

from __future__ import annotations

# synchronize is re-exported because pyscard's Observer module had it.
from smartcard.Synchronization import Synchronization, synchronize  # noqa: F401

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, TypeVar

    _Method = TypeVar("_Method", bound=Callable[..., Any])

__all__ = ["Observable", "Observer"]


def _locked(method: _Method) -> _Method:
    # synchronized() without functools (not otherwise loaded by an import of
    # the framework): the caller's arguments are bound inside the lock.
    def locked(self: Any, *args: Any, **kwargs: Any) -> Any:
        with self.mutex:
            return method(self, *args, **kwargs)

    for name in ("__module__", "__name__", "__qualname__", "__doc__"):
        setattr(locked, name, getattr(method, name))
    locked.__wrapped__ = method  # type: ignore[attr-defined]  # inspect.signature follows it
    return locked  # type: ignore[return-value]


class Observer:
    """Base class of observers: override update()."""

    def update(self, observable: Observable, handlers: Any) -> None:
        """Called by ``observable.notifyObservers(handlers)``."""


class Observable(Synchronization):
    """An object that notifies registered observers when it has changed.

    Call setChanged() and then notifyObservers(); each observer's update()
    receives this object and the ``handlers`` argument.
    """

    def __init__(self) -> None:
        super().__init__()
        self.obs: list[Observer] = []
        self.changed = 0

    @_locked
    def addObserver(self, observer: Observer) -> None:
        """Register ``observer``, unless it is already registered."""
        if observer not in self.obs:
            self.obs.append(observer)

    @_locked
    def deleteObserver(self, observer: Observer) -> None:
        """Unregister ``observer``; ValueError if it was not registered."""
        self.obs.remove(observer)

    def notifyObservers(self, handlers: Any = None) -> None:
        """If changed, clear the flag and call update() on every observer.

        The observer list is copied under the lock and the observers are
        called after releasing it, so a slow or re-entrant observer cannot
        block or corrupt registrations made by other threads.
        """
        with self.mutex:
            if not self.changed:
                return
            self.changed = 0
            observers = list(self.obs)
        for observer in observers:
            observer.update(self, handlers)

    def deleteObservers(self) -> None:
        """Unregister every observer."""
        with self.mutex:
            self.obs = []

    def setChanged(self) -> None:
        """Mark this object as changed."""
        with self.mutex:
            self.changed = 1

    def clearChanged(self) -> None:
        """Mark this object as unchanged."""
        with self.mutex:
            self.changed = 0

    def hasChanged(self) -> int:
        """Return 1 if this object is marked as changed, 0 otherwise."""
        with self.mutex:
            return self.changed

    def countObservers(self) -> int:
        """Return the number of registered observers."""
        with self.mutex:
            return len(self.obs)
