# SPDX-License-Identifier: LGPL-2.1-or-later
"""Exceptions of the ISO 7816 layer: error status words and transport failures.

A :class:`StatusWordError` is also an instance of pyscard's status word
exception for its SW1 group (``CheckingErrorException`` for 6A82, and so
on), so code written for :mod:`smartcard.sw` catches it too; its message
gives the ISO 7816-4 meaning from :func:`smartcard.sw.describe_sw`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, Type

from smartcard._pcsc.exceptions import CardConnectionException
from smartcard.sw._tables import describe_sw, sw1_table
from smartcard.sw.SWExceptions import (
    CheckingErrorException,
    ExecutionErrorException,
    SecurityRelatedException,
    SWException,
    WarningProcessingException,
)

if TYPE_CHECKING:
    from smartcard.iso7816.response import Response

__all__ = [
    "StatusWordError",
    "WarningStatusError",
    "ExecutionStatusError",
    "SecurityStatusError",
    "CheckingStatusError",
    "TransportError",
    "status_word_error",
]


class StatusWordError(SWException):
    """The card answered a status word other than 9000.

    Attributes: ``response`` (the :class:`~smartcard.iso7816.response.Response`),
    ``sw`` (int), and pyscard's ``data`` (bytes), ``sw1``, ``sw2``, ``message``.
    """

    def __init__(self, response: Response) -> None:
        SWException.__init__(
            self, response.data, response.sw1, response.sw2, describe_sw(response.sw1, response.sw2)
        )
        # args (what pickling replays) is the constructor's argument.
        self.args = (response,)
        self.response = response
        self.sw = response.sw

    def __str__(self) -> str:
        return f"card returned status word {self.sw:04X}: {self.message}"


class WarningStatusError(StatusWordError, WarningProcessingException):
    """A warning status word (SW1 62 or 63)."""


class ExecutionStatusError(StatusWordError, ExecutionErrorException):
    """An execution error status word (SW1 64 or 65)."""


class SecurityStatusError(StatusWordError, SecurityRelatedException):
    """A security-related status word (SW1 66)."""


class CheckingStatusError(StatusWordError, CheckingErrorException):
    """A checking error status word (SW1 67 to 6F): wrong length, parameters, not found..."""


_BY_PYSCARD_CLASS: Dict[Type[SWException], Type[StatusWordError]] = {
    WarningProcessingException: WarningStatusError,
    ExecutionErrorException: ExecutionStatusError,
    SecurityRelatedException: SecurityStatusError,
    CheckingErrorException: CheckingStatusError,
}

# SW1 -> our class, derived from the same table the pyscard checkers use.
_BY_SW1: Dict[int, Type[StatusWordError]] = {
    sw1: _BY_PYSCARD_CLASS[group] for sw1, group in sw1_table().items()
}


def status_word_error(response: Response) -> StatusWordError:
    """The exception for ``response``'s status word: the subclass of its SW1 group."""
    return _BY_SW1.get(response.sw1, StatusWordError)(response)


class TransportError(CardConnectionException):
    """The ISO 7816 transport could not complete an exchange.

    For example a card that keeps answering 61xx beyond the GET RESPONSE
    limit, or a response too short to hold a status word.
    """
