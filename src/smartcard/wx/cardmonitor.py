# SPDX-License-Identifier: LGPL-2.1-or-later
"""Sample: a card and reader monitor. ``python -m smartcard.wx.cardmonitor``

The trees follow the readers and cards; the panel tells what was last
selected or activated (a double click on a card connects to it).
"""

from __future__ import annotations

from typing import Any

import wx

from smartcard.wx.SimpleSCardApp import TR_READER, TR_SMARTCARD, SimpleSCardApp
from smartcard.wx.SimpleSCardAppEventObserver import SimpleSCardAppEventObserver
from smartcard.wx.SimpleSCardAppFrame import SimpleSCardAppFrame

TITLE = "Smart card monitor"


class SamplePanel(wx.Panel, SimpleSCardAppEventObserver):
    """Shows the last card or reader event in one line of text."""

    def __init__(self, parent: Any) -> None:
        wx.Panel.__init__(self, parent, -1)
        SimpleSCardAppEventObserver.__init__(self)
        self.feedbacktext = wx.StaticText(self, -1, "Select or activate a card or a reader.")
        sizer = wx.BoxSizer(wx.VERTICAL)
        sizer.Add(self.feedbacktext, 0, wx.ALL, 20)
        self.SetSizer(sizer)

    def _say(self, what: str, item: Any) -> None:
        self.feedbacktext.SetLabel(f"{what}: {item!r}")

    def OnActivateCard(self, card: Any) -> None:
        SimpleSCardAppEventObserver.OnActivateCard(self, card)
        self._say("Activated card", card)

    def OnActivateReader(self, reader: Any) -> None:
        SimpleSCardAppEventObserver.OnActivateReader(self, reader)
        self._say("Activated reader", reader)

    def OnDeactivateCard(self, card: Any) -> None:
        SimpleSCardAppEventObserver.OnDeactivateCard(self, card)
        self._say("Deactivated card", card)

    def OnSelectCard(self, card: Any) -> None:
        SimpleSCardAppEventObserver.OnSelectCard(self, card)
        self._say("Selected card", card)

    def OnSelectReader(self, reader: Any) -> None:
        SimpleSCardAppEventObserver.OnSelectReader(self, reader)
        self._say("Selected reader", reader)


STYLE = TR_SMARTCARD | TR_READER
SIZE = (800, 600)


def make_frame() -> Any:
    """The sample's frame, shown (a wx.App must exist)."""
    frame = SimpleSCardAppFrame(TITLE, SamplePanel, STYLE, None, size=SIZE)
    frame.Show()
    return frame


def main() -> None:
    SimpleSCardApp(appname=TITLE, apppanel=SamplePanel, appstyle=STYLE, size=SIZE).MainLoop()


if __name__ == "__main__":
    main()
