# SPDX-License-Identifier: LGPL-2.1-or-later
"""Status word checker for the status words defined by ISO 7816-8 (security operations)."""

from __future__ import annotations

from smartcard.sw import _tables
from smartcard.sw.ErrorChecker import ErrorChecker

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ISO7816_8ErrorChecker", "iso7816_8SW"]

# {sw1: (exception class, {sw2: message})}; built from smartcard.sw._tables.
iso7816_8SW = _tables.checker_table("iso7816_8")


class ISO7816_8ErrorChecker(ErrorChecker):
    """Raise the SWException subclass listed in ``iso7816_8SW`` for a status word.

    Status words missing from the table pass silently; chain this checker
    with ISO7816_4_SW1ErrorChecker to catch the remaining error groups.
    """

    def __call__(self, data: Any, sw1: int, sw2: int) -> None:
        """Check ``sw1 sw2``; raise an SWException subclass on error."""
        if sw1 in iso7816_8SW:
            _tables.raise_listed(iso7816_8SW[sw1], data, sw1, sw2)
