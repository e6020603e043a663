# SPDX-License-Identifier: LGPL-2.1-or-later
"""A card seen in a reader: the reader (name or object) and the card's ATR."""

from __future__ import annotations

from smartcard.util import toHexString

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Card"]


class Card:
    """A smart card in a reader, as reported by the card monitor and card requests.

    ``reader`` is a reader name or a :class:`~smartcard.reader.Reader.Reader`;
    ``atr`` is the ATR as a list of byte values. Two cards are equal when
    their ATRs are equal and their readers print the same, so a card object
    from an insertion matches the one from the later removal.
    """

    def __init__(self, reader: Any, atr: Any) -> None:
        self.reader = reader
        self.atr = atr

    def __repr__(self) -> str:
        # Tolerate an ATR given as bytes, which pyscard's repr rejected.
        atr = self.atr if self.atr is None or isinstance(self.atr, list) else list(self.atr)
        return f"{toHexString(atr)} / {self.reader}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Card):
            return False
        return self.atr == other.atr and repr(self.reader) == repr(other.reader)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def createConnection(self) -> Any:
        """A new, not yet connected, connection to this card; None if its reader is gone."""
        # Imported here: card monitors create Card objects without ever
        # needing the reader classes (nor the PC/SC layer behind them).
        from smartcard.reader.Reader import Reader

        if isinstance(self.reader, Reader):
            return self.reader.createConnection()
        if isinstance(self.reader, str):
            # Imported here: smartcard.System pulls in the whole PC/SC layer.
            from smartcard.System import readers

            for reader in readers():
                if str(reader) == self.reader:
                    return reader.createConnection()
        return None


# Names pyscard 2.3.1's module held through its imports, resolved on first use.
from smartcard._reexports import lazy_names  # noqa: E402

__getattr__ = lazy_names(
    __name__,
    {
        "Reader": "smartcard.reader.Reader:Reader",
        "readers": "smartcard.System:readers",
    },
)
