# SPDX-License-Identifier: LGPL-2.1-or-later
"""Base class of the status word checkers."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ErrorChecker"]


class ErrorChecker:
    """A status word checking strategy.

    Calling the checker with a response's data, SW1 and SW2 raises a
    smartcard.sw.SWExceptions exception when the status word reports a
    problem, and returns None otherwise. This base class accepts every
    status word; see ErrorCheckingChain to combine several checkers.
    """

    def __call__(self, data: Any, sw1: int, sw2: int) -> None:
        """Check ``sw1 sw2``; raise an SWException subclass on error."""
