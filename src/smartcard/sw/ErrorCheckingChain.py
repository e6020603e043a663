# SPDX-License-Identifier: LGPL-2.1-or-later
"""A chain of status word checkers that can filter out exception classes."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

__all__ = ["ErrorCheckingChain"]


class ErrorCheckingChain:
    """One link of a chain of status word checkers.

    Links live in a shared list ``chain``; constructing a link appends it.
    Calling a link runs its ``strategy`` and then the following links, so
    calling ``chain[0]`` checks with every strategy in order until one
    raises. Exception classes added with addFilterException() are swallowed
    and end the check for that status word.
    """

    def __init__(self, chain: list[ErrorCheckingChain], strategy: Callable[..., Any]) -> None:
        self.strategy = strategy
        self.chain = chain
        self.chain.append(self)
        self.excludes: list[type[BaseException]] = []

    def next(self) -> ErrorCheckingChain | None:
        """Return the link after this one, or None at the end of the chain."""
        # Looked up on each call, like pyscard: the list may have changed.
        chain = self.chain
        position = chain.index(self) + 1
        return chain[position] if position < len(chain) else None

    def addFilterException(self, exClass: type[BaseException]) -> None:
        """Ignore ``exClass`` in this link and all the links after it.

        Only that exact class is ignored, not its subclasses, as in pyscard.
        """
        self.excludes.append(exClass)
        following = self.next()
        if following is not None:
            following.addFilterException(exClass)

    def end(self) -> bool:
        """Return True if this is the last link of the chain."""
        return self.chain.index(self) + 1 >= len(self.chain)

    def __call__(self, data: Any, sw1: int, sw2: int) -> None:
        """Check ``sw1 sw2`` with this link's strategy, then the next links."""
        try:
            self.strategy(data, sw1, sw2)
        except tuple(self.excludes) as exc:
            # ``except`` also matched subclasses; filtering is by exact class.
            if type(exc) in self.excludes:
                return None
            raise
        following = self.next()
        if following is None:
            return None
        return following(data, sw1, sw2)


# Names pyscard 2.3.1's module held through its imports, resolved on first use.
from smartcard._reexports import lazy_names  # noqa: E402

__getattr__ = lazy_names(
    __name__,
    {"exc_info": "sys:exc_info"},
)
