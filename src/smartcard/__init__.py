# SPDX-License-Identifier: LGPL-2.1-or-later
"""Smart card access for Python over PC/SC, API-compatible with pyscard.

``import smartcard`` loads nothing else: ``listReaders`` and ``Session`` are
imported on first access, so tools that only need a submodule (or just the
version) do not pay for the whole framework and the native extension.
"""

from __future__ import annotations

import sys

__version__ = "2.4.0.dev0"

__all__ = ["listReaders", "Session"]

# Public name -> module that defines it, imported on first attribute access.
_LAZY_EXPORTS = {
    "listReaders": "smartcard.System",
    "Session": "smartcard.Session",
}


def __getattr__(name: str) -> object:
    module_name = _LAZY_EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'smartcard' has no attribute {name!r}")
    value = getattr(__import__(module_name, fromlist=[name]), name)
    globals()[name] = value  # later accesses skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY_EXPORTS))


# type(sys) is types.ModuleType, without importing types at start-up; mypy
# cannot follow a computed base class, hence the ignore.
class _PackageModule(type(sys)):  # type: ignore[misc]
    """Keeps ``smartcard.Session`` the class, as in pyscard.

    Importing the submodule ``smartcard.Session`` makes the import system set
    the package attribute ``Session`` to that *module*; pyscard's eager
    ``from smartcard.Session import Session`` then rebound it to the class.
    With lazy exports nothing rebinds it, so the substitution happens here.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if name == "Session" and isinstance(value, type(sys)):
            value = getattr(value, "Session", value)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _PackageModule
