# SPDX-License-Identifier: LGPL-2.1-or-later
"""Card services: card-specific functionality on top of a card connection.

A concrete service (a SIM file system, a GlobalPlatform loader...) talks to
its card through ``self.connection``. Card requests build one around the
connection to the card they found.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal

__all__ = ["CardService"]


class CardService:
    """Base class of card services, bound to a card connection.

    Used as a context manager, the service disconnects and releases its
    connection on exit. Unlike pyscard, a service that is merely dropped
    leaves its connection alone: ``conn = request.waitforcard().connection``
    must stay usable, and the connection cleans up after itself once it is
    no longer referenced.
    """

    def __init__(self, connection: Any, cardname: str | None = None) -> None:
        self.connection = connection
        self.cardname = cardname

    def __enter__(self) -> CardService:
        return self

    def __exit__(self, exc_type: Any, exc_value: Any, exc_traceback: Any) -> Literal[False]:
        self.connection.disconnect()
        self.connection.release()
        return False

    @staticmethod
    def supports(cardname: str) -> Any:
        """Whether this service handles cards named ``cardname`` (None here)."""
