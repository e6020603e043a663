# SPDX-License-Identifier: LGPL-2.1-or-later
"""Listing readers and picking one by exact name or unique substring (``--reader``)."""

from __future__ import annotations

from typing import Sequence

from smartcard.cli.errors import PCSCFailure, UsageError, library_errors, pcsc_failure


def list_reader_names() -> list[str]:
    """Names of all readers, in PC/SC order; PC/SC failures become :class:`PCSCFailure`."""
    try:
        from smartcard.System import readers

        return [str(reader) for reader in readers()]
    except library_errors() as exc:
        raise pcsc_failure(exc, "cannot list the readers") from exc


def match_reader(pattern: str, names: Sequence[str]) -> str:
    """The reader called ``pattern``, or the only one whose name contains it (any case).

    Raises :class:`UsageError` when no reader or several readers match, and
    :class:`PCSCFailure` when there is no reader at all.
    """
    if not names:
        raise PCSCFailure("no smart card reader found: plug one in (run 'pyscard doctor')")
    if pattern in names:
        return pattern
    wanted = pattern.casefold()
    found = [name for name in names if wanted in name.casefold()]
    if len(found) == 1:
        return found[0]
    listing = ", ".join(repr(name) for name in names)
    if not found:
        raise UsageError(f"no reader matches {pattern!r}; readers: {listing}")
    matches = ", ".join(repr(name) for name in found)
    raise UsageError(f"{pattern!r} matches {len(found)} readers ({matches}); give more of the name")


def select_readers(pattern: str | None) -> list[str]:
    """All reader names, or just the one ``pattern`` designates."""
    names = list_reader_names()
    if pattern is None:
        return names
    return [match_reader(pattern, names)]
