# SPDX-License-Identifier: LGPL-2.1-or-later
"""A list that refuses duplicates and reports additions and removals.

ulist reproduces pyscard's ulist exactly, quirks included, because reader
group handling in applications subclasses it:

* ``ulist()`` without an argument raises TypeError, as in pyscard; pass a
  list, e.g. ``ulist([])``.
* ``+``, ``+=`` and reflected ``+`` treat any operand that is not a list
  (a tuple, a string, a number) as one single item.
* The items an addition brings in keep their first element in place and the
  rest in reverse order, e.g. ``ulist([1]) + [2, 3, 4] == [1, 2, 4, 3]``.
* ``list + ulist`` returns the ulist items followed by the new items, as a
  plain list.
* ``extend``, slice assignment and ``*`` are plain list operations.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable, Sequence, SupportsIndex, TypeVar

    _Self = TypeVar("_Self", bound="ulist")

__all__ = ["ulist"]


# "Any" as a string: the base class is evaluated at run time, where typing
# is not imported (see TYPE_CHECKING above).
class ulist(list["Any"]):
    """A list of unique items with __onadditem__/__onremoveitem__ hooks.

    Subclasses override the hooks to act when append(), insert(), ``+=`` or
    ``+`` bring in an item, and when pop() or remove() take one out.
    """

    def __init__(self, initlist: Sequence[Any] | None = None) -> None:
        # Duplicates in initlist are dropped silently; the hooks are not run.
        if initlist is None or initlist == []:
            # As in pyscard, ulist() and ulist(None) raise TypeError here
            # (None is not iterable): subclasses always pass a list.
            list.__init__(self, initlist)  # type: ignore[arg-type]
            return
        list.__init__(self, [initlist[0]])
        for item in initlist[1:]:
            if not list.__contains__(self, item):
                list.append(self, item)

    def __add__(self: _Self, other: Any) -> _Self:
        fresh = self.__remove_duplicates(other)
        # pyscard runs the hook on the left operand although it is not
        # modified; kept so that subclasses see the same calls.
        self.__appendother__(fresh)
        return self.__class__(list(self) + fresh)

    def __iadd__(self: _Self, other: Any) -> _Self:
        fresh = self.__remove_duplicates(other)
        self.__appendother__(fresh)
        list.__iadd__(self, fresh)
        return self

    def __radd__(self, other: Any) -> list[Any]:
        return list.__add__(self, self.__remove_duplicates(other))

    def append(self, item: Any) -> None:
        """Append ``item`` unless the list already holds an equal item."""
        if not list.__contains__(self, item):
            list.append(self, item)
            self.__onadditem__(item)

    def insert(self, i: SupportsIndex, item: Any) -> None:
        """Insert ``item`` at ``i`` unless the list already holds it."""
        if not list.__contains__(self, item):
            list.insert(self, i, item)
            self.__onadditem__(item)

    def pop(self, i: SupportsIndex = -1) -> Any:
        """Remove and return the item at ``i`` (the last one by default)."""
        item = list.pop(self, i)
        self.__onremoveitem__(item)
        return item

    def remove(self, item: Any) -> None:
        """Remove the first item equal to ``item``; ValueError if absent."""
        list.remove(self, item)
        self.__onremoveitem__(item)

    def __remove_duplicates(self, other: Any) -> list[Any]:
        """Return the items of ``other`` to add, in the order pyscard adds them."""
        # pyscard iterates lists and, by an accident of its type test,
        # classes (which then fail to iterate); anything else is one item.
        iterate = isinstance(other, (list, type))
        items = list(other) if iterate else [other]
        fresh = [item for item in items if not list.__contains__(self, item)]
        if not fresh:
            return []
        result = [fresh[0]]
        for item in reversed(fresh[1:]):
            if item not in result:
                result.append(item)
        return result

    def __appendother__(self, other: Iterable[Any]) -> None:
        """Run __onadditem__ for each item of ``other``."""
        for item in other:
            self.__onadditem__(item)

    def __onadditem__(self, item: Any) -> None:
        """Hook called after ``item`` was added; does nothing here."""

    def __onremoveitem__(self, item: Any) -> None:
        """Hook called after ``item`` was removed; does nothing here."""
