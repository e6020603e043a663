# SPDX-License-Identifier: LGPL-2.1-or-later
"""Names pyscard 2.3.1's modules held only because they imported them.

Code written for pyscard sometimes imports such a name from the module that
happened to hold it (``from smartcard.pcsc.PCSCReader import
SCardEstablishContext``). Each of our modules lists those names in a table
and gets them on first access through a module ``__getattr__`` built here,
so importing the module costs nothing more.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Dict, Union

    #: "module" or "module:attribute", or a function making the value.
    Source = Union[str, Callable[[], object]]


def lazy_names(module_name: str, table: Dict[str, Source]) -> Callable[[str], object]:
    """A module ``__getattr__`` resolving ``table``'s names, once each."""

    def __getattr__(name: str) -> object:
        source = table.get(name)
        if source is None:
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        if callable(source):
            value = source()
        else:
            import importlib

            where, _, attribute = source.partition(":")
            value = importlib.import_module(where)
            if attribute:
                value = getattr(value, attribute)
        setattr(sys.modules[module_name], name, value)  # later accesses skip this
        return value

    return __getattr__


def scard(*names: str) -> Dict[str, Source]:
    """Table entries for names of :mod:`smartcard.scard`."""
    return {name: f"smartcard._pcsc.extension:{name}" for name in names}


def from_module(module: str, *names: str) -> Dict[str, Source]:
    """Table entries for names of ``module``."""
    return {name: f"{module}:{name}" for name in names}
