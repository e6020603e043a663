# SPDX-License-Identifier: LGPL-2.1-or-later
"""The frame of SimpleSCardApp: card/reader trees beside the application's panel.

Tree events become calls of the SimpleSCardAppEventObserver hooks on the
application's panel; activating a card connects to it first (and adds the
APDU tracer, when shown, as an observer of the connection).
"""

from __future__ import annotations

import os.path
from typing import Any

import wx

import smartcard
import smartcard.wx
from smartcard.Card import Card
from smartcard.reader.Reader import Reader
from smartcard.wx import APDUTracerPanel, CardAndReaderTreePanel, ReaderToolbar
from smartcard.wx._styles import PANEL_APDUTRACER, TB_SMARTCARD, TR_READER, TR_SMARTCARD
from smartcard.wx.SimpleSCardAppEventObserver import SimpleSCardAppEventObserver

wxID_SIMPLESCARDAPP_FRAME = wx.NewIdRef()


class BlankPanel(wx.Panel, SimpleSCardAppEventObserver):
    """The application panel used when the application gives none."""

    def __init__(self, parent: Any) -> None:
        wx.Panel.__init__(self, parent, -1)
        SimpleSCardAppEventObserver.__init__(self)
        self.SetSizer(wx.GridSizer(1, 1, 0, 0))


class TreeAndUserPanelPanel(wx.Panel):
    """The trees on the left, the application's panel (``dialogpanel``) on the right."""

    def __init__(self, parent: Any, apppanelclass: Any, appstyle: int) -> None:
        wx.Panel.__init__(self, parent, -1)
        self.parent = parent
        self.selectedcard: Any = None
        self.dialogpanel = (apppanelclass or BlankPanel)(self)

        sizer = wx.BoxSizer(wx.HORIZONTAL)
        if appstyle & (TR_SMARTCARD | TR_READER):
            self.readertreepanel = CardAndReaderTreePanel.CardAndReaderTreePanel(
                self, appstyle, self.dialogpanel
            )
            sizer.Add(self.readertreepanel, 1, wx.EXPAND | wx.ALL, 5)
        sizer.Add(self.dialogpanel, 2, wx.EXPAND | wx.ALL)

        if appstyle & TR_READER:
            tree = self.readertreepanel.readertreectrl
            self.Bind(wx.EVT_TREE_ITEM_ACTIVATED, self.OnActivateReader, tree)
            self.Bind(wx.EVT_TREE_SEL_CHANGED, self.OnSelectReader, tree)
            self.Bind(wx.EVT_TREE_ITEM_RIGHT_CLICK, self.OnReaderRightClick, tree)
            self.Bind(wx.EVT_TREE_ITEM_COLLAPSED, self.OnItemCollapsed, tree)
        if appstyle & TR_SMARTCARD:
            tree = self.readertreepanel.cardtreectrl
            self.Bind(wx.EVT_TREE_ITEM_ACTIVATED, self.OnActivateCard, tree)
            self.Bind(wx.EVT_TREE_SEL_CHANGED, self.OnSelectCard, tree)
            self.Bind(wx.EVT_TREE_ITEM_RIGHT_CLICK, self.OnCardRightClick, tree)
        self.SetSizer(sizer)

    # ----------------------------------------------------------- actions

    def ActivateCard(self, card: Any) -> None:
        """Connect to ``card`` (once; kept as ``card.connection``) and tell the panel."""
        if not hasattr(card, "connection"):
            connection = card.createConnection()
            tracer = self.parent.apdutracerpanel
            if tracer is not None:
                connection.addObserver(tracer)
            connection.connect()
            card.connection = connection
        self.dialogpanel.OnActivateCard(card)

    def DeactivateCard(self, card: Any) -> None:
        """Disconnect from ``card`` and tell the panel."""
        if hasattr(card, "connection"):
            card.connection.disconnect()
            tracer = self.parent.apdutracerpanel
            if tracer is not None:
                card.connection.deleteObserver(tracer)
            del card.connection
        self.dialogpanel.OnDeactivateCard(card)

    # ------------------------------------------------------ tree events

    def _data(self, tree: Any, event: Any) -> Any:
        item = event.GetItem()
        return tree.GetItemData(item) if item.IsOk() else None

    def OnActivateCard(self, event: Any) -> None:
        """Double click or Enter on the card tree."""
        data = self._data(self.readertreepanel.cardtreectrl, event)
        if isinstance(data, Card):
            self.ActivateCard(data)
        else:
            self.dialogpanel.OnDeselectCard(data)

    def OnActivateReader(self, event: Any) -> None:
        """Double click or Enter on the reader tree: a card node connects, a reader node tells."""
        data = self._data(self.readertreepanel.readertreectrl, event)
        if isinstance(data, Card):
            self.ActivateCard(data)
        elif isinstance(data, Reader):
            self.dialogpanel.OnActivateReader(data)
        event.Skip()

    def OnItemCollapsed(self, event: Any) -> None:
        """The reader tree stays expanded."""
        self.readertreepanel.readertreectrl.Expand(event.GetItem())

    def _context_menu(self, data: Any) -> None:
        if not isinstance(data, Card):
            return
        self.selectedcard = data
        if not hasattr(self, "connectID"):
            self.connectID = wx.NewIdRef()
            self.disconnectID = wx.NewIdRef()
            self.Bind(wx.EVT_MENU, self.OnConnect, id=self.connectID)
            self.Bind(wx.EVT_MENU, self.OnDisconnect, id=self.disconnectID)
        menu = wx.Menu()
        if hasattr(data, "connection"):
            menu.Append(self.disconnectID, "Disconnect")
        else:
            menu.Append(self.connectID, "Connect")
        self.PopupMenu(menu)
        menu.Destroy()

    def OnCardRightClick(self, event: Any) -> None:
        """A menu to connect to or disconnect from the card."""
        self._context_menu(self._data(self.readertreepanel.cardtreectrl, event))

    def OnReaderRightClick(self, event: Any) -> None:
        """A menu to connect to or disconnect from the card, on its node."""
        self._context_menu(self._data(self.readertreepanel.readertreectrl, event))

    def OnConnect(self, event: Any) -> None:
        if isinstance(self.selectedcard, Card):
            self.ActivateCard(self.selectedcard)

    def OnDisconnect(self, event: Any) -> None:
        if isinstance(self.selectedcard, Card):
            self.DeactivateCard(self.selectedcard)

    def OnSelectCard(self, event: Any) -> None:
        """A click on the card tree."""
        data = self._data(self.readertreepanel.cardtreectrl, event)
        if isinstance(data, Card):
            self.dialogpanel.OnSelectCard(data)
        else:
            self.dialogpanel.OnDeselectCard(data)

    def OnSelectReader(self, event: Any) -> None:
        """A click on the reader tree."""
        data = self._data(self.readertreepanel.readertreectrl, event)
        if isinstance(data, Card):
            self.dialogpanel.OnSelectCard(data)
        elif isinstance(data, Reader):
            self.dialogpanel.OnSelectReader(data)
        else:
            self.dialogpanel.OnDeselectCard(data)


class SimpleSCardAppFrame(wx.Frame):
    """The main frame: trees and panel, then the optional toolbar and APDU tracer."""

    def __init__(
        self,
        appname: str,
        apppanelclass: Any,
        appstyle: int,
        appicon: str | None,
        pos: Any = (-1, -1),
        size: Any = (-1, -1),
    ) -> None:
        wx.Frame.__init__(
            self,
            None,
            wxID_SIMPLESCARDAPP_FRAME,
            appname,
            pos=pos,
            size=size,
            style=wx.DEFAULT_FRAME_STYLE,
        )
        icon = appicon or smartcard.wx.ICO_SMARTCARD
        if icon and os.path.exists(icon):
            self.SetIcon(wx.Icon(icon, wx.BITMAP_TYPE_ICO))

        sizer = wx.BoxSizer(wx.VERTICAL)
        self.treeuserpanel = TreeAndUserPanelPanel(self, apppanelclass, appstyle)
        sizer.Add(self.treeuserpanel, 3, wx.EXPAND | wx.ALL)

        self.toolbar: Any = None
        if appstyle & TB_SMARTCARD:
            self.toolbar = ReaderToolbar.ReaderToolbar(self)
            self.SetToolBar(self.toolbar)
            self.Bind(wx.EVT_COMBOBOX, self.OnReaderComboBox, self.toolbar.readercombobox)

        self.apdutracerpanel: Any = None
        if appstyle & PANEL_APDUTRACER:
            self.apdutracerpanel = APDUTracerPanel.APDUTracerPanel(self)
            sizer.Add(self.apdutracerpanel, 1, wx.EXPAND | wx.ALL)

        self.SetSizer(sizer)
        self.Bind(wx.EVT_CLOSE, self.OnCloseFrame)

    def OnCloseFrame(self, evt: Any) -> None:
        """wx.EVT_CLOSE: let the frame close."""
        evt.Skip()

    def OnExit(self, evt: Any) -> None:
        """Close the frame (for an Exit menu item)."""
        self.Close(True)
        evt.Skip()

    def OnReaderComboBox(self, event: Any) -> None:
        """A reader chosen in the toolbar is activated on the panel."""
        combo = event.GetEventObject()
        reader = combo.GetClientData(combo.GetSelection())
        if isinstance(reader, Reader):
            self.treeuserpanel.dialogpanel.OnActivateReader(reader)
