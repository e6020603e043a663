# SPDX-License-Identifier: LGPL-2.1-or-later
"""Finding the PC/SC connection inside a stack of connection decorators."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def find_pcsc_connection(connection: Any) -> Any | None:
    """The ``PCSCCardConnection`` wrapped (possibly several levels deep) by
    ``connection``, or None when the stack holds no PC/SC connection."""
    from smartcard.pcsc.PCSCCardConnection import PCSCCardConnection

    seen = set()
    while connection is not None and id(connection) not in seen:
        if isinstance(connection, PCSCCardConnection):
            return connection
        seen.add(id(connection))
        # vars() avoids CardConnectionDecorator.__getattr__ forwarding.
        connection = vars(connection).get("component")
    return None
