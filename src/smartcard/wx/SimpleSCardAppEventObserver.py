# SPDX-License-Identifier: LGPL-2.1-or-later
"""The hooks SimpleSCardAppFrame calls on the application's panel."""

from __future__ import annotations

from typing import Any


class SimpleSCardAppEventObserver:
    """Mix into the application panel; override the hooks of interest.

    "Select" is a single click in a tree (or a choice in the toolbar),
    "activate" a double click or Enter; the frame connects to a card before
    calling :meth:`OnActivateCard` (``card.connection`` is then set).
    """

    def __init__(self) -> None:
        self.selectedcard: Any = None
        self.selectedreader: Any = None

    def OnActivateCard(self, card: Any) -> None:
        """A card was activated (and connected)."""
        self.selectedcard = card

    def OnActivateReader(self, reader: Any) -> None:
        """A reader was activated in the tree or chosen in the toolbar."""
        self.selectedreader = reader

    def OnDeactivateCard(self, card: Any) -> None:
        """A card was disconnected from the tree's context menu."""

    def OnDeselectCard(self, card: Any) -> None:
        """The selection moved off the cards."""
        self.selectedcard = None

    def OnSelectCard(self, card: Any) -> None:
        """A card was selected."""
        self.selectedcard = card

    def OnSelectReader(self, reader: Any) -> None:
        """A reader was selected."""
        self.selectedreader = reader
