# SPDX-License-Identifier: LGPL-2.1-or-later
"""List the public names of modules and classes, for make_api_fixture.py
and test_api_names.py. Works with whichever ``smartcard`` is importable.
"""

from __future__ import annotations

import importlib
import types
from typing import Any

MODULES = (
    "smartcard.util",
    "smartcard.ATR",
    "smartcard.sw",
    "smartcard.sw.ErrorChecker",
    "smartcard.sw.ErrorCheckingChain",
    "smartcard.sw.ISO7816_4ErrorChecker",
    "smartcard.sw.ISO7816_4_SW1ErrorChecker",
    "smartcard.sw.ISO7816_8ErrorChecker",
    "smartcard.sw.ISO7816_9ErrorChecker",
    "smartcard.sw.op21_ErrorChecker",
    "smartcard.sw.SWExceptions",
    "smartcard.Observer",
    "smartcard.ulist",
    "smartcard.guid",
    "smartcard.Synchronization",
)


def _is_api(obj: Any) -> bool:
    """Tell API names from what a module merely imported for itself."""
    if isinstance(obj, types.ModuleType):
        return False
    if isinstance(obj, (int, str, list, dict, tuple)):
        return True  # constants and tables
    # Functions and classes belong to the API when smartcard defines them;
    # typing helpers, __future__ features and stdlib functions do not.
    owner = getattr(obj, "__module__", None) or ""
    return owner.startswith("smartcard") and hasattr(obj, "__qualname__")


def module_names(name: str) -> list[str]:
    module = importlib.import_module(name)
    return sorted(n for n in dir(module) if not n.startswith("_") and _is_api(getattr(module, n)))


def member_names() -> dict[str, list[str]]:
    """Public attributes of the classes and of typical instances."""
    from smartcard.ATR import ATR
    from smartcard.Observer import Observable
    from smartcard.sw.ErrorCheckingChain import ErrorCheckingChain
    from smartcard.sw.SWExceptions import CheckingErrorException
    from smartcard.ulist import ulist

    def public(obj: Any) -> list[str]:
        return sorted(n for n in dir(obj) if not n.startswith("_"))

    def hooks(obj: Any) -> list[str]:
        return sorted(n for n in dir(obj) if n.startswith("__on") or n == "__appendother__")

    atr = ATR([0x3B, 0x80, 0x01, 0x81])
    atr.checksumOK  # noqa: B018 - read it so that both sides list it on the instance
    return {
        "ATR": public(ATR),
        "ATR()": sorted(vars(atr)),
        "Observable()": public(Observable()),
        "ErrorCheckingChain()": public(ErrorCheckingChain([], lambda *_: None)),
        # Minus what every exception has, which varies with the Python version.
        "CheckingErrorException()": sorted(
            set(public(CheckingErrorException([], 0x6A, 0x82))) - set(dir(Exception))
        ),
        "ulist": public(ulist) + hooks(ulist),
    }


def every_module_names() -> dict[str, list[str]]:
    """Every module-level name of every module of the package, imported ones included.

    Code written for pyscard imports names from whichever module happened to
    hold them, so each counts. Left out: modules themselves, ``__future__``
    features and private names; the wx GUI modules and pyscard's own test
    directories (not part of the library).
    """
    import __future__

    import pkgutil

    import smartcard

    def names(module: types.ModuleType) -> list[str]:
        return sorted(
            n
            for n in dir(module)
            if not n.startswith("_")
            and not isinstance(getattr(module, n), (types.ModuleType, __future__._Feature))
        )

    result = {"smartcard": names(smartcard)}
    for info in pkgutil.walk_packages(smartcard.__path__, "smartcard."):
        if info.name.startswith(("smartcard.wx", "smartcard.test")):
            continue
        result[info.name] = names(importlib.import_module(info.name))
    return result


def all_names() -> dict[str, list[str]]:
    names = {name: module_names(name) for name in MODULES}
    names.update(member_names())
    return names
