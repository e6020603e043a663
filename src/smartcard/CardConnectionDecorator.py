# SPDX-License-Identifier: LGPL-2.1-or-later
"""Base class for wrappers that add behaviour around a card connection.

A decorator forwards every call to the connection it wraps (``component``);
subclasses override the calls they want to change, e.g. to encrypt APDUs
for a secure channel or to hold the card exclusively.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from contextlib import AbstractContextManager
    from typing import Any, Union

    from smartcard.CardConnection import CardConnection

    # What a decorator wraps: a connection, or another decorator.
    Component = Union[CardConnection, "CardConnectionDecorator"]

__all__ = ["CardConnectionDecorator"]


class CardConnectionDecorator:
    """Forwards the card connection interface to ``component``."""

    def __init__(self, cardConnectionComponent: Component) -> None:
        self.component: Component = cardConnectionComponent

    def __getattr__(self, name: str) -> Any:
        # Anything not part of the decorated interface (observer helpers,
        # hcard, hcontext...) comes from the wrapped connection.  "component"
        # itself is excluded so a half-built object cannot recurse forever.
        if name == "component":
            raise AttributeError(name)
        return getattr(self.component, name)

    def addSWExceptionToFilter(self, exClass: type) -> None:
        self.component.addSWExceptionToFilter(exClass)

    def addObserver(self, observer: Any) -> None:
        self.component.addObserver(observer)

    def deleteObserver(self, observer: Any) -> None:
        self.component.deleteObserver(observer)

    def connect(
        self, protocol: int | None = None, mode: int | None = None, disposition: int | None = None
    ) -> None:
        self.component.connect(protocol, mode, disposition)

    def reconnect(
        self, protocol: int | None = None, mode: int | None = None, disposition: int | None = None
    ) -> None:
        self.component.reconnect(protocol, mode, disposition)

    def disconnect(self) -> None:
        self.component.disconnect()

    def release(self) -> None:
        self.component.release()

    def getATR(self) -> Any:
        return self.component.getATR()

    def getProtocol(self) -> int:
        return self.component.getProtocol()

    def getReader(self) -> Any:
        return self.component.getReader()

    def setErrorCheckingChain(self, errorcheckingchain: Any) -> None:
        self.component.setErrorCheckingChain(errorcheckingchain)

    def setProtocol(self, protocol: int) -> None:
        return self.component.setProtocol(protocol)

    def transmit(self, command: Any, protocol: int | None = None) -> tuple[list[int], int, int]:
        return self.component.transmit(command, protocol)

    def control(self, controlCode: int, command: Any = None) -> list[int]:
        if command is None:
            command = []
        return self.component.control(controlCode, command)

    def getAttrib(self, attribId: int) -> list[int]:
        return self.component.getAttrib(attribId)

    def beginTransaction(self) -> None:
        self.component.beginTransaction()

    def endTransaction(self, *args: Any, **kwargs: Any) -> None:
        self.component.endTransaction(*args, **kwargs)

    def transaction(self) -> AbstractContextManager[CardConnection]:
        """See :meth:`smartcard.CardConnection.CardConnection.transaction`."""
        return self.component.transaction()

    def __enter__(self) -> CardConnectionDecorator:
        return self

    def __exit__(self, e_type: Any, value: Any, traceback: Any) -> None:
        self.disconnect()
        self.release()
