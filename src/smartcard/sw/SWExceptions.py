# SPDX-License-Identifier: LGPL-2.1-or-later
"""Exceptions raised by the status word checkers of smartcard.sw.

The four subclasses follow the ISO 7816-4 grouping of SW1 values: warnings
(62, 63), execution errors (64, 65), security issues (66) and checking
errors (67 to 6F).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "CheckingErrorException",
    "ExecutionErrorException",
    "SWException",
    "SecurityRelatedException",
    "WarningProcessingException",
]


class SWException(Exception):
    """Base class of the status word exceptions.

    Attributes: ``data`` (response data), ``sw1``, ``sw2`` and ``message``.
    """

    def __init__(self, data: Any, sw1: int, sw2: int, message: str = "") -> None:
        # Exception.__init__ is deliberately not called: ``args`` then stays
        # the tuple given to the constructor, as pyscard's exceptions have it.
        self.message = message
        self.data = data
        self.sw1 = sw1
        self.sw2 = sw2

    def __str__(self) -> str:
        # pyscard returns the repr() of the text, quotes included.
        return repr("Status word exception: " + self.message + "!")


class WarningProcessingException(SWException):
    """A warning was reported, e.g. SW1 = 62 or 63 in ISO 7816-4."""

    def __init__(self, data: Any, sw1: int, sw2: int, message: str = "") -> None:
        SWException.__init__(self, data, sw1, sw2, "warning processing - " + message)


class ExecutionErrorException(SWException):
    """An execution error was reported, e.g. SW1 = 64 or 65 in ISO 7816-4."""

    def __init__(self, data: Any, sw1: int, sw2: int, message: str = "") -> None:
        SWException.__init__(self, data, sw1, sw2, "execution error - " + message)


class SecurityRelatedException(SWException):
    """A security-related issue was reported, e.g. SW1 = 66 in ISO 7816-4."""

    def __init__(self, data: Any, sw1: int, sw2: int, message: str = "") -> None:
        SWException.__init__(self, data, sw1, sw2, "security issue - " + message)


class CheckingErrorException(SWException):
    """A checking error was reported, e.g. SW1 = 67 to 6F in ISO 7816-4."""

    def __init__(self, data: Any, sw1: int, sw2: int, message: str = "") -> None:
        SWException.__init__(self, data, sw1, sw2, "checking error - " + message)
