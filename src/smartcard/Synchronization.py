# SPDX-License-Identifier: LGPL-2.1-or-later
"""Per-object locking for methods, in the manner of Java's ``synchronized``.

An object provides a ``mutex`` attribute (Synchronization creates a
reentrant lock); methods wrapped by synchronized() hold it while they run.
"""

from __future__ import annotations

# _thread, not threading: it is already loaded by the interpreter, while
# threading pulls in functools and collections (about 3 ms at start-up) for
# a lock that is the very same object (threading.RLock is _thread.RLock).
import _thread

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, Callable, TypeVar

    _Method = TypeVar("_Method", bound=Callable[..., Any])

__all__ = ["Synchronization", "synchronize", "synchronized"]


def synchronized(method: _Method) -> _Method:
    """Wrap ``method`` so that it runs while holding ``self.mutex``."""
    # Imported here: only classes that call synchronize() need it.
    import functools

    @functools.wraps(method)
    def locked(self: Any, *args: Any, **kwargs: Any) -> Any:
        with self.mutex:
            return method(self, *args, **kwargs)

    # wraps() keeps the signature at run time; its typeshed type does not.
    return locked  # type: ignore[return-value]


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
        self.mutex = _thread.RLock()


def _param_spec() -> object:
    import typing

    return getattr(typing, "ParamSpec", None) or __import__("typing_extensions").ParamSpec


# Names pyscard 2.3.1's module held through its imports, resolved on first use.
from smartcard._reexports import from_module, lazy_names  # noqa: E402

__getattr__ = lazy_names(
    __name__,
    {
        **from_module("typing", "Any", "Callable", "Protocol", "TypeVar"),
        "Iterable": "collections.abc:Iterable",
        "ParamSpec": _param_spec,
        "P": lambda: _param_spec()("P"),  # type: ignore[operator]
        "T": lambda: __import__("typing").TypeVar("T"),
    },
)
