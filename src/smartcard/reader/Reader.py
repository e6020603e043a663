# SPDX-License-Identifier: LGPL-2.1-or-later
"""Abstract smart card reader: a name, and a way to open card connections."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Reader:
    """A smart card reader, identified by its name.

    Two readers are equal (and hash alike) when they are of the same class
    and carry the same name, so reader objects from successive ``readers()``
    calls can be compared and used as dictionary keys.
    """

    def __init__(self, readername: str) -> None:
        if not isinstance(readername, str):
            raise TypeError(f"reader name must be a str, not {type(readername).__name__}")
        self.name = readername

    def addtoreadergroup(self, groupname: str) -> None:
        """Add this reader to a reader group (implemented by concrete readers)."""

    def removefromreadergroup(self, groupname: str) -> None:
        """Remove this reader from a reader group (implemented by concrete readers)."""

    def createConnection(self) -> Any:
        """Return a new, not yet connected, card connection through this reader."""

    def __eq__(self, other: object) -> bool:
        if isinstance(other, type(self)):
            return self.name == other.name
        return False

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"'{self.name}'"

    def __str__(self) -> str:
        return self.name
