# SPDX-License-Identifier: LGPL-2.1-or-later
"""Naming a card from its ATR with pcsc-tools' ``smartcard_list.txt``, when it is installed.

We do not ship that list (it is GPL data maintained by pcsc-tools); we read
it where pcsc-tools puts it. Its format: a line holding a regular
expression over the ATR written as uppercase hex pairs separated by blanks,
then one or more tab-indented description lines, then a blank line.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator

# Newest first: 'pcsc_scan -u' / 'update-smartcard_list' download to the cache.
DEFAULT_LISTS = (
    "~/.cache/smartcard_list.txt",
    "/usr/local/share/pcsc/smartcard_list.txt",
    "/usr/share/pcsc/smartcard_list.txt",
)

# A pattern made only of hex digits, dots and blanks matches ATRs of its own length:
# testing that first avoids compiling thousands of regular expressions.
_PLAIN_PATTERN = re.compile(r"[0-9A-Fa-f. ]+")


@dataclass
class CardNames:
    """Result of a look-up: the descriptions found and the lists that were read."""

    names: list[str] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)


def default_list_paths() -> list[str]:
    """The first standard list location that exists on this system (the newest list), if any."""
    existing = [path for path in map(os.path.expanduser, DEFAULT_LISTS) if os.path.isfile(path)]
    return existing[:1]


def _entries(path: str) -> Iterator[tuple[str, list[str]]]:
    """(pattern, descriptions) pairs of one list file."""
    pattern: str | None = None
    descriptions: list[str] = []
    with open(path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith("\t"):
                if pattern is not None:
                    descriptions.append(line.strip())
                continue
            text = line.strip()
            if pattern is not None and descriptions:
                yield pattern, descriptions
            pattern, descriptions = (text or None), []
    if pattern is not None and descriptions:
        yield pattern, descriptions


def _matches(pattern: str, atr_text: str) -> bool:
    if _PLAIN_PATTERN.fullmatch(pattern):
        if len(pattern) != len(atr_text):
            return False
        return all(p == "." or p == a for p, a in zip(pattern.upper(), atr_text))
    try:
        return re.fullmatch(pattern, atr_text, re.IGNORECASE) is not None
    except re.error:
        return False  # a broken line in the list must not break the look-up


def lookup(atr: bytes, paths: Iterable[str]) -> CardNames:
    """Descriptions of ``atr`` from each list in ``paths`` (unreadable lists are skipped)."""
    atr_text = atr.hex(" ").upper()
    result = CardNames()
    for path in paths:
        try:
            entries = list(_entries(path))
        except OSError:
            continue
        result.lists.append(path)
        for pattern, descriptions in entries:
            if _matches(pattern, atr_text):
                result.names.extend(d for d in descriptions if d not in result.names)
    return result


def lookup_with(atr: bytes, list_path: str | None) -> CardNames:
    """Look ``atr`` up in ``list_path`` when given (it must exist), else in the default lists."""
    if list_path is None:
        return lookup(atr, default_list_paths())
    if not os.path.isfile(list_path):
        from smartcard.cli.errors import UsageError

        raise UsageError(f"card list {list_path!r} does not exist")
    return lookup(atr, [list_path])
