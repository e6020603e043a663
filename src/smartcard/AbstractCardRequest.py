# SPDX-License-Identifier: LGPL-2.1-or-later
"""What a card request asks for; the waiting itself is in PCSCCardRequest."""

from __future__ import annotations

import smartcard.System
from smartcard.CardType import AnyCardType
from smartcard.PassThruCardService import PassThruCardService

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["AbstractCardRequest"]


class AbstractCardRequest:
    """The parameters of a card request.

    ``newcardonly``: only a card inserted after the wait starts will do.
    ``readers``: reader objects or names to watch (all readers if None).
    ``cardType``: a :class:`~smartcard.CardType.CardType` the card must match
    (any card if None). ``cardServiceClass``: the service wrapped around the
    card's connection (:class:`~smartcard.PassThruCardService.PassThruCardService`
    if None). ``timeout``: seconds to wait; None waits forever, 0 only looks.
    """

    def __init__(
        self,
        newcardonly: bool = False,
        readers: list[Any] | None = None,
        cardType: Any = None,
        cardServiceClass: Any = None,
        timeout: float | None = 1,
    ) -> None:
        self.newcardonly = newcardonly
        self.readersAsked = readers
        self.cardType = cardType if cardType is not None else AnyCardType()
        self.cardServiceClass = (
            cardServiceClass if cardServiceClass is not None else PassThruCardService
        )
        self.timeout = timeout

    def getReaders(self) -> list[Any]:
        """The readers the request watches: those asked for, or all readers now."""
        if self.readersAsked is None:
            return smartcard.System.readers()
        return self.readersAsked

    def waitforcard(self) -> Any:
        """Wait for a card and return a card service (implemented by subclasses)."""

    def waitforcardevent(self) -> Any:
        """Wait for a card insertion or removal (implemented by subclasses)."""
