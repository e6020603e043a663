# SPDX-License-Identifier: LGPL-2.1-or-later
"""Status word checker that only looks at the ISO 7816-4 SW1 group."""

from __future__ import annotations

from smartcard.sw import _tables
from smartcard.sw.ErrorChecker import ErrorChecker

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ISO7816_4_SW1ErrorChecker", "iso7816_4SW1"]

# {sw1: exception class} for SW1 = 62 to 6F; built from smartcard.sw._tables.
iso7816_4SW1 = _tables.sw1_table()


class ISO7816_4_SW1ErrorChecker(ErrorChecker):
    """Raise the exception class of the SW1 group, whatever SW2 is.

    SW1 62-63 give WarningProcessingException, 64-65
    ExecutionErrorException, 66 SecurityRelatedException and 67-6F
    CheckingErrorException, all with an empty message. Other SW1 values,
    such as 90 or 61, pass.
    """

    def __call__(self, data: Any, sw1: int, sw2: int) -> None:
        """Check ``sw1 sw2``; raise an SWException subclass on error."""
        if sw1 in iso7816_4SW1:
            raise iso7816_4SW1[sw1](data, sw1, sw2)
