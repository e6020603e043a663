# SPDX-License-Identifier: LGPL-2.1-or-later
"""Entry points for listing readers and reader groups.

Importing this module loads nothing else: the PC/SC layer (and the native
extension) is imported by the first call, so ``import smartcard.System`` at
an application's start-up costs next to nothing. ``Reader`` and
``ReaderFactory``, which pyscard's module namespace held, are still
reachable as attributes.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from smartcard.reader.Reader import Reader
    from smartcard.reader.ReaderGroups import innerreadergroups

__all__ = ["readers", "readergroups", "listReaders"]

# Names of pyscard's module namespace, imported on first attribute access.
_LAZY_NAMES = {
    "Reader": "smartcard.reader.Reader",
    "ReaderFactory": "smartcard.reader.ReaderFactory",
}


def readers(groups: list[str] | None = None) -> list[Reader]:
    """The readers in ``groups`` (all readers when omitted or empty).

    Returns ``[]`` when no reader is attached.  Each reader has ``.name`` and
    ``str(reader) == reader.name``; ``reader.createConnection()`` opens a
    connection to its card.
    """
    from smartcard.reader.ReaderFactory import ReaderFactory

    return ReaderFactory.readers([] if groups is None else groups)


def readergroups() -> innerreadergroups:
    """The reader groups known to PC/SC (a process-wide list object)."""
    from smartcard.pcsc.PCSCReaderGroups import PCSCReaderGroups

    groups: innerreadergroups = PCSCReaderGroups().instance
    return groups


def listReaders() -> list[str]:
    """Reader names.  Deprecated (as in pyscard, without a warning): use :func:`readers`."""
    return [str(reader) for reader in readers()]


def __getattr__(name: str) -> object:
    module_name = _LAZY_NAMES.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(__import__(module_name, fromlist=[name]), name)
    globals()[name] = value  # later accesses skip __getattr__
    return value
