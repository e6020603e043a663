# SPDX-License-Identifier: LGPL-2.1-or-later
"""The event a card connection hands to its observers."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class CardConnectionEvent:
    """One card connection event.

    ``type`` is one of ``"connect"``, ``"reconnect"``, ``"disconnect"``,
    ``"release"``, ``"command"``, ``"response"`` or ``"attrib"``.  ``args``
    depends on it:

    * ``"command"`` from ``transmit()``: ``[apdu, protocol]``; from
      ``control()``: ``[controlCode, data]``;
    * ``"response"`` from ``transmit()``: ``[data, sw1, sw2]``; from
      ``control()``: the response bytes;
    * ``"attrib"``: ``[attribId]``;
    * ``None`` for the others.
    """

    def __init__(self, event_type: str, args: Any = None) -> None:
        self.type = event_type
        self.args = args

    def __repr__(self) -> str:
        return f"CardConnectionEvent({self.type!r}, {self.args!r})"
