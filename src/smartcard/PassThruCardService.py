# SPDX-License-Identifier: LGPL-2.1-or-later
"""The card service that adds nothing: use ``service.connection`` directly."""

from __future__ import annotations

from smartcard.CardService import CardService

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["PassThruCardService"]


class PassThruCardService(CardService):
    """A card service for any card; card requests return one by default."""

    def __init__(self, connection: Any, cardname: str | None = None) -> None:
        CardService.__init__(self, connection, cardname)

    @staticmethod
    def supports(cardname: str) -> bool:
        """Always True: every card is supported."""
        return True
