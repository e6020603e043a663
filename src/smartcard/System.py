# SPDX-License-Identifier: LGPL-2.1-or-later
"""Entry points for listing readers and reader groups."""

from __future__ import annotations

from typing import Any

from smartcard.reader.Reader import Reader
from smartcard.reader.ReaderFactory import ReaderFactory

__all__ = ["readers", "readergroups", "listReaders"]


def readers(groups: list | None = None) -> list[Reader]:
    """The readers in ``groups`` (all readers when omitted or empty).

    Returns ``[]`` when no reader is attached.  Each reader has ``.name`` and
    ``str(reader) == reader.name``; ``reader.createConnection()`` opens a
    connection to its card.
    """
    return ReaderFactory.readers([] if groups is None else groups)


def readergroups() -> Any:
    """The reader groups known to PC/SC (a process-wide list object)."""
    from smartcard.pcsc.PCSCReaderGroups import PCSCReaderGroups

    return PCSCReaderGroups().instance


def listReaders() -> list[str]:
    """Reader names.  Deprecated (as in pyscard, without a warning): use :func:`readers`."""
    return [str(reader) for reader in readers()]
