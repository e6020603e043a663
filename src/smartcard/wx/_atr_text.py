# SPDX-License-Identifier: LGPL-2.1-or-later
"""The ATR decoded as text: the one place smartcard.wx reaches the ATR interpretation.

It shows what ``pyscard atr`` prints (same decoder, same layout, no colours),
so the console and the command line never disagree. When the interpretation
moves, only the imports below change.
"""

from __future__ import annotations


def describe_atr(atr: bytes, reader: str | None = None) -> str:
    """Every byte of ``atr`` with its meaning, the historical bytes and the card's name."""
    from smartcard.cli.atr import render
    from smartcard.cli.card_names import lookup_with
    from smartcard.cli.output import Style
    from smartcard.iso7816.atr import interpret_atr

    return str(
        render(interpret_atr(bytes(atr)), lookup_with(bytes(atr), None), reader, Style(False))
    )
