# SPDX-License-Identifier: LGPL-2.1-or-later
"""A redaction hook: keep the purse's balance out of recordings, as PINs are."""

from smartcard.recording import Redaction


def hide_balance(exchange):
    """Mask the data of the answer to BALANCE (80 50), keeping its status word."""
    if exchange.kind == "transmit" and exchange.command[:2] == b"\x80\x50":
        return Redaction.of("balance", response=range(len(exchange.response) - 2))
    return None
