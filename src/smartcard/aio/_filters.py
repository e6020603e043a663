# SPDX-License-Identifier: LGPL-2.1-or-later
"""The ``readers`` argument of the asyncio API: None, a name, or reader names/objects."""

from __future__ import annotations

from typing import Any, FrozenSet, Iterable, Union

__all__ = ["ReaderFilter", "reader_filter"]

ReaderFilter = Union[None, str, Iterable[Any]]


def reader_filter(readers: ReaderFilter) -> FrozenSet[str] | None:
    """The reader names in ``readers`` (None: any reader); TypeError/ValueError if invalid."""
    if readers is None:
        return None
    if isinstance(readers, str):
        return frozenset((readers,))
    single = getattr(readers, "name", None)
    if isinstance(single, str):
        return frozenset((single,))  # one Reader object
    names = set()
    try:
        items = list(readers)
    except TypeError:
        raise TypeError(
            f"readers must be None, a reader name or an iterable of readers, "
            f"not {type(readers).__name__}"
        ) from None
    for item in items:
        name = item if isinstance(item, str) else getattr(item, "name", None)
        if not isinstance(name, str):
            raise TypeError(f"readers must hold reader names or Reader objects, not {item!r}")
        names.add(name)
    if not names:
        raise ValueError("readers must name at least one reader (or be None for any reader)")
    return frozenset(names)
