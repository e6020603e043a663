# SPDX-License-Identifier: LGPL-2.1-or-later
"""Waiting for a card: CardRequest.

::

    request = CardRequest(timeout=10, cardType=ATRCardType(atr, mask))
    service = request.waitforcard()     # CardRequestTimeoutException after 10 s
    service.connection.connect()

Waits are served by the process-wide monitoring engine, so any number of
requests cost one thread, and a wait can be ended from another thread with
:meth:`CardRequest.release`.
"""

from __future__ import annotations

from smartcard.pcsc.PCSCCardRequest import PCSCCardRequest

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal

    from smartcard.Card import Card

__all__ = ["CardRequest"]


class CardRequest:
    """A request for a card: what kind, in which readers, how long to wait.

    ``newcardonly``: only a card inserted after the wait starts will do
    (default: a card already present does). ``readers``: reader objects or
    names (default: every reader, including readers attached later).
    ``cardType``: a :class:`~smartcard.CardType.CardType` (default: any card).
    ``cardServiceClass``: the service returned around the card's connection
    (default: :class:`~smartcard.PassThruCardService.PassThruCardService`).
    ``timeout``: seconds; None waits forever, 0 answers at once.

    Raises CardConnectionException at once if PC/SC is unreachable, as
    pyscard did. Used as a context manager, it is released on exit.
    """

    def __init__(
        self,
        newcardonly: bool = False,
        readers: list[Any] | None = None,
        cardType: Any = None,
        cardServiceClass: Any = None,
        timeout: float | None = 1,
    ) -> None:
        self.pcsccardrequest = PCSCCardRequest(
            newcardonly, readers, cardType, cardServiceClass, timeout
        )

    def getReaders(self) -> list[Any]:
        """The readers watched: those asked for, or every reader present now."""
        return self.pcsccardrequest.getReaders()

    def waitforcard(self) -> Any:
        """Wait for a matching card; return a card service bound to a new connection to it.

        Raises CardRequestTimeoutException when the timeout expires first, or
        when :meth:`release` is called meanwhile.
        """
        return self.pcsccardrequest.waitforcard()

    def waitforcardevent(self) -> list[Card]:
        """Wait for a card to be inserted or removed; return the cards present then.

        The first call returns at once with the cards present; each later one
        returns at the first change since the previous call returned
        (CardRequestTimeoutException if none comes in time).
        """
        return self.pcsccardrequest.waitforcardevent()

    def release(self) -> None:
        """End any wait in progress (from any thread) and refuse new ones."""
        self.pcsccardrequest.release()

    def __enter__(self) -> CardRequest:
        return self

    def __exit__(self, exc_type: Any, exc_value: Any, exc_traceback: Any) -> Literal[False]:
        self.pcsccardrequest.release()
        return False
