# SPDX-License-Identifier: LGPL-2.1-or-later
"""Naming a card from its ATR with pcsc-tools' ``smartcard_list.txt``, when it is at hand.

We do not ship that list (it is GPL data maintained by pcsc-tools); we read
it where pcsc-tools puts it, or where ``--update-list`` downloaded it
(:mod:`smartcard.cli.card_list_update`). Its format: a line holding a regular
expression over the ATR written as uppercase hex pairs separated by blanks,
then one or more tab-indented description lines, then a blank line.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator


# Where pcsc-tools' ATR_analysis looks, the user's copy first: the copy that
# 'pyscard atr --update-list' (or pcsc-tools' update-smartcard_list) downloads
# is newer than the one a package installed.
def user_list_path() -> str:
    """The user's downloaded list: ``$XDG_CACHE_HOME/smartcard_list.txt`` (``~/.cache``)."""
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join("~", ".cache")
    return os.path.join(os.path.expanduser(cache), "smartcard_list.txt")


# The lists a pcsc-tools package installs: Debian, Ubuntu, Fedora, Arch; then
# FreeBSD ports and Homebrew on Intel, Homebrew on Apple silicon, MacPorts.
SYSTEM_LISTS = (
    "/usr/share/pcsc/smartcard_list.txt",
    "/usr/local/share/pcsc/smartcard_list.txt",
    "/opt/homebrew/share/pcsc/smartcard_list.txt",
    "/opt/local/share/pcsc/smartcard_list.txt",
)

# A pattern made only of hex digits, dots and blanks matches ATRs of its own length:
# testing that first avoids compiling thousands of regular expressions.
_PLAIN_PATTERN = re.compile(r"[0-9A-Fa-f. ]+")


@dataclass
class CardNames:
    """Result of a look-up: the descriptions found and the lists that were read."""

    names: list[str] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)


def candidate_list_paths() -> list[str]:
    """Every place a list is looked for, in order of preference."""
    return [user_list_path(), os.path.expanduser("~/.smartcard_list.txt"), *SYSTEM_LISTS]


def default_list_paths() -> list[str]:
    """The first list that exists and is not empty (the newest one), if any.

    An empty file (an interrupted download, a cache cleaner) must not hide
    the system's list: the card would go unnamed.
    """
    for path in candidate_list_paths():
        try:
            if os.path.isfile(path) and os.path.getsize(path) > 0:
                return [path]
        except OSError:
            continue
    return []


def entries(path: str) -> Iterator[tuple[str, list[str]]]:
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
            found = list(entries(path))
        except OSError:
            continue
        result.lists.append(path)
        for pattern, descriptions in found:
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
