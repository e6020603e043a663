# SPDX-License-Identifier: LGPL-2.1-or-later
"""A panel that shows the APDUs of the connections it observes, with each status word's meaning."""

from __future__ import annotations

from typing import Any

import wx

from smartcard.CardConnectionObserver import CardConnectionObserver
from smartcard.sw import describe_sw
from smartcard.util import toHexString
from smartcard.wx._gui_thread import on_gui_thread

wxID_APDUTEXTCTRL = wx.NewIdRef()


def trace_line(cardconnection: Any, ccevent: Any) -> str | None:
    """The line for one connection event, or None for events not shown."""
    if ccevent.type == "connect":
        return f"connecting to {cardconnection.getReader()}"
    if ccevent.type == "disconnect":
        return f"disconnecting from {cardconnection.getReader()}"
    if ccevent.type == "command":
        return f"> {toHexString(list(ccevent.args[0]))}"
    if ccevent.type == "response":
        data = list(ccevent.args[0])
        sw1, sw2 = ccevent.args[-2:]
        shown = toHexString(data + [sw1, sw2])
        return f"< {shown}  ({describe_sw(sw1, sw2)})"
    return None


class APDUTracerPanel(wx.Panel, CardConnectionObserver):
    """Add it as an observer of a card connection: each command and response becomes a line."""

    def __init__(self, parent: Any) -> None:
        wx.Panel.__init__(self, parent, -1)
        CardConnectionObserver.__init__(self)
        self.apdutextctrl = wx.TextCtrl(
            self, wxID_APDUTEXTCTRL, "", style=wx.TE_MULTILINE | wx.TE_READONLY
        )
        sizer = wx.BoxSizer(wx.HORIZONTAL)
        sizer.Add(self.apdutextctrl, 1, wx.EXPAND | wx.ALL, 5)
        self.SetSizer(sizer)
        self.Bind(wx.EVT_TEXT_MAXLEN, self.OnMaxLength, self.apdutextctrl)

    def OnMaxLength(self, evt: Any) -> None:
        """The text is full: start again from an empty trace."""
        self.apdutextctrl.SetValue("")
        evt.Skip()

    def update(self, cardconnection: Any, ccevent: Any) -> None:
        """CardConnectionObserver hook: called on the thread that used the connection."""
        line = trace_line(cardconnection, ccevent)
        if line is not None:
            on_gui_thread(self, self.apdutextctrl.AppendText, line + "\n")
