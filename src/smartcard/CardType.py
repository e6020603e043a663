# SPDX-License-Identifier: LGPL-2.1-or-later
"""Card types: predicates on a card's ATR that card requests wait for."""

from __future__ import annotations

from smartcard._pcsc.exceptions import InvalidATRMaskLengthException
from smartcard.util import toHexString

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable, List

__all__ = ["CardType", "AnyCardType", "ATRCardType"]


class CardType:
    """Base class of card types: :meth:`matches` says whether a card is one.

    A subclass may use ``reader`` to look closer at the card (connect and
    ask it something) when the ATR alone does not tell.
    """

    def __init__(self) -> None:
        pass

    def matches(self, atr: Any, reader: Any = None) -> Any:
        """Whether the card with ``atr`` in ``reader`` is of this type (None here)."""


class AnyCardType(CardType):
    """Every card is of this type."""

    def matches(self, atr: Any, reader: Any = None) -> bool:
        """Always True."""
        return True


def _and(values: Iterable[int], mask: Iterable[int]) -> List[int]:
    return [value & bits for value, bits in zip(values, mask)]


class ATRCardType(CardType):
    """Cards whose ATR, ANDed with ``mask``, equals ``atr`` ANDed with ``mask``.

    Without a mask the ATRs must be equal. The mask must be as long as the
    ATR (InvalidATRMaskLengthException otherwise); ATRs of another length
    never match.
    """

    def __init__(self, atr: Iterable[int], mask: Iterable[int] | None = None) -> None:
        super().__init__()
        self.atr = list(atr)
        self.mask = mask
        if mask is None:
            self.maskedatr = self.atr
        else:
            if len(self.atr) != len(list(mask)):
                raise InvalidATRMaskLengthException(toHexString(list(mask)))
            self.maskedatr = _and(self.atr, mask)

    def matches(self, atr: Any, reader: Any = None) -> bool:
        """True if ``atr`` (list of ints, bytes...) is of this type."""
        candidate = list(atr)
        if len(candidate) != len(self.atr):
            return False
        if self.mask is None:
            return candidate == self.atr
        return _and(candidate, self.mask) == self.maskedatr


# Names pyscard 2.3.1's module held through its imports, resolved on first use.
from smartcard._reexports import lazy_names  # noqa: E402

__getattr__ = lazy_names(
    __name__,
    {"readers": "smartcard.System:readers"},
)
