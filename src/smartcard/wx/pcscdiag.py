# SPDX-License-Identifier: LGPL-2.1-or-later
"""Sample: a snapshot of the readers, their cards' ATRs and the reader groups.

``python -m smartcard.wx.pcscdiag``; File > Refresh (F5) reads them again.
"""

from __future__ import annotations

from typing import Any

import wx

import smartcard.System
from smartcard.Exceptions import CardConnectionException, NoCardException
from smartcard.util import toHexString

TITLE = "Smart card readers and reader groups"


def getATR(reader: Any) -> str:
    """The ATR (hex) of the card in ``reader``, or why there is none."""
    connection = reader.createConnection()
    try:
        connection.connect()
    except NoCardException:
        return "no card inserted"
    except CardConnectionException as exc:
        return f"card not readable: {exc}"
    try:
        return str(toHexString(list(connection.getATR())))
    finally:
        connection.disconnect()


class pcscdiag(wx.Frame):
    """A tree: Readers (each with its card's ATR) and Reader groups (each with its readers)."""

    def __init__(self, parent: Any, title: str) -> None:
        wx.Frame.__init__(self, parent, -1, title, size=(600, 400))
        self.tree = wx.TreeCtrl(self, -1, style=wx.TR_HAS_BUTTONS | wx.TR_DEFAULT_STYLE)
        menu = wx.Menu()
        refresh = menu.Append(wx.ID_REFRESH, "&Refresh\tF5")
        menu.Append(wx.ID_EXIT, "&Quit\tCtrl+Q")
        bar = wx.MenuBar()
        bar.Append(menu, "&File")
        self.SetMenuBar(bar)
        self.Bind(wx.EVT_MENU, lambda event: self.InitTree(), refresh)
        self.Bind(wx.EVT_MENU, lambda event: self.Close(), id=wx.ID_EXIT)
        self.InitTree()

    def InitTree(self) -> None:
        """Read the readers and groups again and rebuild the tree."""
        self.tree.DeleteAllItems()
        root = self.tree.AddRoot("Readers and ReaderGroups")
        readers_node = self.tree.AppendItem(root, "Readers")
        for reader in smartcard.System.readers():
            node = self.tree.AppendItem(readers_node, str(reader))
            self.tree.AppendItem(node, getATR(reader))
        groups_node = self.tree.AppendItem(root, "Readers Groups")
        for group in smartcard.System.readergroups():
            node = self.tree.AppendItem(groups_node, group)
            for reader in smartcard.System.readers([group]):
                self.tree.AppendItem(node, str(reader))
        self.OnExpandAll()

    def OnExpandAll(self) -> None:
        """Expand every node."""
        self.tree.ExpandAll()


def make_frame() -> Any:
    frame = pcscdiag(None, TITLE)
    frame.Show()
    return frame


def main() -> None:
    app = wx.App(False)
    make_frame()
    app.MainLoop()


if __name__ == "__main__":
    main()
