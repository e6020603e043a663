# SPDX-License-Identifier: LGPL-2.1-or-later
"""Sample: send APDUs typed in hex to an activated card. ``python -m smartcard.wx.apdumanager``

Double-click a card to connect to it, type an APDU, press Transmit: the
response, the status word and its meaning are shown, and the tracer at the
bottom lists every APDU exchanged.
"""

from __future__ import annotations

from typing import Any

import wx

from smartcard.sw import describe_sw
from smartcard.util import toBytes, toHexString
from smartcard.wx.APDUHexValidator import APDUHexValidator
from smartcard.wx.SimpleSCardApp import (
    PANEL_APDUTRACER,
    TR_READER,
    TR_SMARTCARD,
    SimpleSCardApp,
)
from smartcard.wx.SimpleSCardAppEventObserver import SimpleSCardAppEventObserver
from smartcard.wx.SimpleSCardAppFrame import SimpleSCardAppFrame

TITLE = "APDU manager"


class SampleAPDUManagerPanel(wx.Panel, SimpleSCardAppEventObserver):
    """Command entry (hex only), Transmit button, response and status word."""

    def __init__(self, parent: Any) -> None:
        wx.Panel.__init__(self, parent, -1)
        SimpleSCardAppEventObserver.__init__(self)
        self.commandtextctrl = wx.TextCtrl(self, -1, "", validator=APDUHexValidator())
        self.transmitbutton = wx.Button(self, -1, "Transmit")
        self.transmitbutton.Disable()
        self.responsetextctrl = wx.TextCtrl(self, -1, "", style=wx.TE_READONLY)
        self.SW1textctrl = wx.TextCtrl(self, -1, "", style=wx.TE_READONLY, size=(40, -1))
        self.SW2textctrl = wx.TextCtrl(self, -1, "", style=wx.TE_READONLY, size=(40, -1))
        self.meaningtext = wx.StaticText(self, -1, "")
        self.feedbacktext = wx.StaticText(self, -1, "Double-click a card to connect to it.")
        self._layout()
        self.Bind(wx.EVT_BUTTON, self.OnTransmit, self.transmitbutton)

    def _layout(self) -> None:
        grid = wx.FlexGridSizer(0, 2, 5, 5)
        grid.AddGrowableCol(1)
        status = wx.BoxSizer(wx.HORIZONTAL)
        for label, control in (("SW1", self.SW1textctrl), ("SW2", self.SW2textctrl)):
            status.Add(wx.StaticText(self, -1, label), 0, wx.ALIGN_CENTER_VERTICAL | wx.RIGHT, 5)
            status.Add(control, 0, wx.RIGHT, 10)
        status.Add(self.meaningtext, 1, wx.ALIGN_CENTER_VERTICAL)
        rows = (("Command", self.commandtextctrl), ("Response", self.responsetextctrl))
        for label, control in rows:
            grid.Add(wx.StaticText(self, -1, label), 0, wx.ALIGN_CENTER_VERTICAL)
            grid.Add(control, 1, wx.EXPAND)
        grid.Add(wx.StaticText(self, -1, "Status"), 0, wx.ALIGN_CENTER_VERTICAL)
        grid.Add(status, 1, wx.EXPAND)
        sizer = wx.BoxSizer(wx.VERTICAL)
        sizer.Add(grid, 0, wx.EXPAND | wx.ALL, 10)
        sizer.Add(self.transmitbutton, 0, wx.ALL, 10)
        sizer.Add(self.feedbacktext, 0, wx.ALL, 10)
        self.SetSizer(sizer)

    def _say(self, what: str, item: Any, can_transmit: bool) -> None:
        self.feedbacktext.SetLabel(f"{what}: {item!r}")
        self.transmitbutton.Enable(can_transmit)

    def OnActivateCard(self, card: Any) -> None:
        SimpleSCardAppEventObserver.OnActivateCard(self, card)
        self._say("Activated card", card, True)

    def OnActivateReader(self, reader: Any) -> None:
        SimpleSCardAppEventObserver.OnActivateReader(self, reader)
        self._say("Activated reader", reader, False)

    def OnDeactivateCard(self, card: Any) -> None:
        SimpleSCardAppEventObserver.OnDeactivateCard(self, card)
        self._say("Deactivated card", card, False)

    def OnDeselectCard(self, card: Any) -> None:
        SimpleSCardAppEventObserver.OnDeselectCard(self, card)
        self._say("Deselected card", card, False)

    def OnSelectCard(self, card: Any) -> None:
        SimpleSCardAppEventObserver.OnSelectCard(self, card)
        self._say("Selected card", card, hasattr(card, "connection"))

    def OnSelectReader(self, reader: Any) -> None:
        SimpleSCardAppEventObserver.OnSelectReader(self, reader)
        self._say("Selected reader", reader, False)

    def OnTransmit(self, event: Any) -> None:
        """Send the command to the selected card; show the answer."""
        connection = getattr(self.selectedcard, "connection", None)
        if connection is not None and self.commandtextctrl.Validate():
            data, sw1, sw2 = connection.transmit(toBytes(self.commandtextctrl.GetValue()))
            self.responsetextctrl.SetValue(toHexString(list(data)))
            self.SW1textctrl.SetValue(f"{sw1:02X}")
            self.SW2textctrl.SetValue(f"{sw2:02X}")
            self.meaningtext.SetLabel(describe_sw(sw1, sw2))
        event.Skip()


STYLE = TR_SMARTCARD | TR_READER | PANEL_APDUTRACER
SIZE = (800, 600)


def make_frame() -> Any:
    """The sample's frame, shown (a wx.App must exist)."""
    frame = SimpleSCardAppFrame(TITLE, SampleAPDUManagerPanel, STYLE, None, size=SIZE)
    frame.Show()
    return frame


def main() -> None:
    SimpleSCardApp(
        appname=TITLE, apppanel=SampleAPDUManagerPanel, appstyle=STYLE, size=SIZE
    ).MainLoop()


if __name__ == "__main__":
    main()
