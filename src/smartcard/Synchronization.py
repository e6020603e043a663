# SPDX-License-Identifier: LGPL-2.1-or-later
"""Per-object locking for methods, in the manner of Java's ``synchronized``.

An object provides a ``mutex`` attribute (Synchronization creates a
reentrant lock); methods wrapped by synchronized() hold it while they run.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable
from typing import Any, Callable, TypeVar, cast

__all__ = ["Synchronization", "synchronize", "synchronized"]

_Method = TypeVar("_Method", bound=Callable[..., Any])


def synchronized(method: _Method) -> _Method:
    """Wrap ``method`` so that it runs while holding ``self.mutex``."""

    @functools.wraps(method)
    def locked(self: Any, *args: Any, **kwargs: Any) -> Any:
        with self.mutex:
            return method(self, *args, **kwargs)

    return cast(_Method, locked)


def synchronize(klass: type, names: str | Iterable[str] | None = None) -> None:
    """Make methods defined in ``klass`` itself hold ``self.mutex``.

    ``names`` selects the methods, as an iterable or a blank-separated
    string; None selects every callable attribute. ``__init__`` is never
    wrapped, since the mutex does not exist before it runs.
    """
    selected = None if names is None else set(names.split() if isinstance(names, str) else names)
    for name, value in list(vars(klass).items()):
        if name == "__init__" or not callable(value):
            continue
        if selected is None or name in selected:
            setattr(klass, name, synchronized(value))


class Synchronization:
    """Mixin giving each instance the reentrant lock used by synchronized()."""

    def __init__(self) -> None:
        # Reentrant, because a synchronized method may call another one.
        self.mutex = threading.RLock()
