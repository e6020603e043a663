# SPDX-License-Identifier: LGPL-2.1-or-later
"""A toolbar with a combo box of the readers, kept current by the reader monitor."""

from __future__ import annotations

from typing import Any

import wx

from smartcard.ReaderMonitoring import ReaderMonitor, ReaderObserver
from smartcard.wx import ICO_READER, ICO_SMARTCARD
from smartcard.wx._gui_thread import on_gui_thread

TOOL_READER = 10
TOOL_CONNECT = 20


class ReaderComboBox(wx.ComboBox, ReaderObserver):
    """The reader names, sorted; each item's client data is the reader."""

    def __init__(self, parent: Any) -> None:
        wx.ComboBox.__init__(
            self, parent, wx.ID_ANY, size=(170, -1), style=wx.CB_DROPDOWN | wx.CB_SORT, choices=[]
        )
        ReaderObserver.__init__(self)
        self.readermonitor = ReaderMonitor()
        self.readermonitor.addObserver(self)
        self.Bind(wx.EVT_WINDOW_DESTROY, self._on_destroy, self)

    def update(self, observable: Any, handlers: Any) -> None:
        """ReaderObserver hook: add and remove the readers' entries (on the GUI thread)."""
        addedreaders, removedreaders = handlers
        on_gui_thread(self, self._apply, list(addedreaders), list(removedreaders))

    def _apply(self, addedreaders: list[Any], removedreaders: list[Any]) -> None:
        for reader in removedreaders:
            item = self.FindString(str(reader))
            if item != wx.NOT_FOUND:
                self.Delete(item)
        for reader in addedreaders:
            if self.FindString(str(reader)) == wx.NOT_FOUND:
                self.SetClientData(self.Append(str(reader)), reader)

    def _on_destroy(self, event: Any) -> None:
        self.readermonitor.deleteObserver(self)
        event.Skip()


def _bitmap(path: str | None) -> Any:
    if path is not None:
        bitmap = wx.Bitmap(path, wx.BITMAP_TYPE_ICO)
        if bitmap.IsOk():
            return bitmap
    return wx.ArtProvider.GetBitmap(wx.ART_HELP_BOOK, wx.ART_TOOLBAR, (16, 16))


class ReaderToolbar(wx.ToolBar):
    """A reader icon, the readers' combo box, and a "connect" tool (id 20)."""

    def __init__(self, parent: Any) -> None:
        wx.ToolBar.__init__(
            self,
            parent,
            pos=wx.DefaultPosition,
            size=wx.DefaultSize,
            style=wx.SIMPLE_BORDER | wx.TB_HORIZONTAL | wx.TB_FLAT | wx.TB_TEXT,
            name="Reader Toolbar",
        )
        self.readercombobox = ReaderComboBox(self)
        select = "Select smart card reader"
        connect = "Connect to smart card"
        self.AddTool(TOOL_READER, "Reader", _bitmap(ICO_READER), select)
        self.AddControl(self.readercombobox)
        self.AddSeparator()
        self.AddTool(TOOL_CONNECT, "Connect", _bitmap(ICO_SMARTCARD), connect)
        self.AddSeparator()
        self.Realize()
