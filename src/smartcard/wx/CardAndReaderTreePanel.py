# SPDX-License-Identifier: LGPL-2.1-or-later
"""Trees of the inserted cards and of the readers, kept current by the card and reader monitors."""

from __future__ import annotations

from threading import RLock
from typing import Any, Iterator

import wx

import smartcard  # noqa: F401 - pyscard's module held this name; code may reach it here
from smartcard.CardMonitoring import CardMonitor, CardObserver
from smartcard.Exceptions import CardConnectionException, NoCardException
from smartcard.ReaderMonitoring import ReaderMonitor, ReaderObserver
from smartcard.util import toHexString
from smartcard.wx import ICO_READER, ICO_SMARTCARD
from smartcard.wx._gui_thread import on_gui_thread
from smartcard.wx._styles import TR_READER, TR_SMARTCARD

NO_CARD = "no card inserted"
SERVICE_LOST = " (PC/SC service unavailable)"
ICON_SIZE = (16, 16)


def _icon_bitmap(path: str | None, fallback: str) -> Any:
    if path is not None:
        bitmap = wx.Bitmap(path, wx.BITMAP_TYPE_ICO)
        if bitmap.IsOk():
            return bitmap
    return wx.ArtProvider.GetBitmap(fallback, wx.ART_OTHER, ICON_SIZE)


class BaseCardTreeCtrl(wx.TreeCtrl):
    """What the card tree and the reader tree share: icons and child lookup."""

    def __init__(
        self,
        parent: Any,
        ID: Any = wx.ID_ANY,
        pos: Any = wx.DefaultPosition,
        size: Any = wx.DefaultSize,
        style: int = 0,
        clientpanel: Any = None,
    ) -> None:
        # pyscard ignores ``style`` too: the trees are single-selection, without buttons.
        wx.TreeCtrl.__init__(self, parent, ID, pos, size, wx.TR_SINGLE | wx.TR_NO_BUTTONS)
        self.clientpanel = clientpanel
        self.parent = parent
        self.mutex = RLock()
        il = wx.ImageList(*ICON_SIZE)
        self.capindex = il.Add(wx.ArtProvider.GetBitmap(wx.ART_HELP_BOOK, wx.ART_OTHER, ICON_SIZE))
        self.fldrindex = il.Add(wx.ArtProvider.GetBitmap(wx.ART_FOLDER, wx.ART_OTHER, ICON_SIZE))
        self.fldropenindex = il.Add(
            wx.ArtProvider.GetBitmap(wx.ART_FILE_OPEN, wx.ART_OTHER, ICON_SIZE)
        )
        self.cardimageindex = il.Add(_icon_bitmap(ICO_SMARTCARD, wx.ART_HELP_BOOK))
        self.readerimageindex = il.Add(_icon_bitmap(ICO_READER, wx.ART_HARDDISK))
        self.il = il
        self.SetImageList(il)

    def _make_root(self, text: str) -> Any:
        root = self.AddRoot(text)
        self.SetItemData(root, None)
        self.SetItemImage(root, self.fldrindex, wx.TreeItemIcon_Normal)
        self.SetItemImage(root, self.fldropenindex, wx.TreeItemIcon_Expanded)
        return root

    def _set_icon(self, item: Any, index: int) -> None:
        self.SetItemImage(item, index, wx.TreeItemIcon_Normal)
        self.SetItemImage(item, index, wx.TreeItemIcon_Expanded)

    def _children(self, parent: Any) -> Iterator[Any]:
        """The children of ``parent`` (collected first, so callers may delete them)."""
        found = []
        child, cookie = self.GetFirstChild(parent)
        while child.IsOk():
            found.append(child)
            child, cookie = self.GetNextChild(parent, cookie)
        return iter(found)

    def _show_root(self) -> None:
        self.Expand(self.root)
        self.EnsureVisible(self.root)
        self.Repaint()

    def OnServiceLost(self) -> None:
        """The PC/SC service went away: say so in the root's label until it is back."""
        text = self.GetItemText(self.root)
        if not text.endswith(SERVICE_LOST):
            self.SetItemText(self.root, text + SERVICE_LOST)

    def OnServiceRestored(self) -> None:
        text = self.GetItemText(self.root)
        if text.endswith(SERVICE_LOST):
            self.SetItemText(self.root, text[: -len(SERVICE_LOST)])

    def Repaint(self) -> None:
        self.Refresh()


class CardTreeCtrl(BaseCardTreeCtrl):
    """The inserted cards, one node each, labelled with the ATR; the data is the Card."""

    def __init__(
        self,
        parent: Any,
        ID: Any = wx.ID_ANY,
        pos: Any = wx.DefaultPosition,
        size: Any = wx.DefaultSize,
        style: int = 0,
        clientpanel: Any = None,
    ) -> None:
        BaseCardTreeCtrl.__init__(self, parent, ID, pos, size, style, clientpanel)
        self.root = self._make_root("Smartcards")
        self.Expand(self.root)

    def OnAddCards(self, addedcards: Any) -> None:
        """Add a node for each card."""
        with self.mutex:
            for card in addedcards:
                node = self.AppendItem(self.root, toHexString(list(card.atr)))
                self.SetItemData(node, card)
                self._set_icon(node, self.cardimageindex)
        self._show_root()

    def OnRemoveCards(self, removedcards: Any) -> None:
        """Remove the nodes of these cards (same reader and ATR)."""
        with self.mutex:
            for card in removedcards:
                for node in self._children(self.root):
                    if self.GetItemData(node) == card:
                        self.Delete(node)
        self._show_root()


class ReaderTreeCtrl(BaseCardTreeCtrl):
    """The readers, each with one child: its card's ATR (data: the Card) or "no card inserted"."""

    def __init__(
        self,
        parent: Any,
        ID: Any = wx.ID_ANY,
        pos: Any = wx.DefaultPosition,
        size: Any = wx.DefaultSize,
        style: int = 0,
        clientpanel: Any = None,
    ) -> None:
        BaseCardTreeCtrl.__init__(self, parent, ID, pos, size, style, clientpanel)
        self.root = self._make_root("Smartcard Readers")
        self.Expand(self.root)

    def AddATR(self, readernode: Any, atr: str) -> Any:
        """Add the card node under ``readernode``, labelled ``atr``."""
        node = self.AppendItem(readernode, atr)
        self.SetItemData(node, None)
        self._set_icon(node, self.cardimageindex)
        self.Expand(node)
        return node

    def GetATR(self, reader: Any) -> str:
        """The ATR (hex) of the card in ``reader``, or "no card inserted"."""
        if isinstance(reader, str):
            return NO_CARD
        try:
            connection = reader.createConnection()
            connection.connect()
            try:
                return str(toHexString(list(connection.getATR())))
            finally:
                connection.disconnect()
        except (NoCardException, CardConnectionException):
            return NO_CARD

    def _reader_node(self, name: str) -> Any:
        for node in self._children(self.root):
            if self.GetItemText(node) == name:
                return node
        return None

    def _add_reader_node(self, reader: Any, atr: str) -> Any:
        node = self.AppendItem(self.root, str(reader))
        self.SetItemData(node, reader)
        self._set_icon(node, self.readerimageindex)
        self.AddATR(node, atr)
        self.Expand(node)
        return node

    def OnAddCards(self, addedcards: Any) -> None:
        """Show each card's ATR under its reader (adding the reader if not seen yet)."""
        with self.mutex:
            for card in addedcards:
                atr = toHexString(list(card.atr))
                node = self._reader_node(str(card.reader))
                if node is None:
                    # The card monitor may report a card before the reader
                    # monitor reports its reader.
                    node = self._add_reader_node(card.reader, atr)
                child, _ = self.GetFirstChild(node)
                self.SetItemText(child, atr)
                self.SetItemData(child, card)
        self._show_root()

    def OnAddReaders(self, addedreaders: Any) -> None:
        """Add a node for each reader not shown yet, with its card's ATR."""
        with self.mutex:
            for reader in addedreaders:
                if self._reader_node(str(reader)) is None:
                    self._add_reader_node(reader, self.GetATR(reader))
        self._show_root()

    def OnRemoveCards(self, removedcards: Any) -> None:
        """Put "no card inserted" back under the readers these cards left."""
        with self.mutex:
            for card in removedcards:
                node = self._reader_node(str(card.reader))
                if node is not None:
                    child, _ = self.GetFirstChild(node)
                    self.SetItemText(child, NO_CARD)
                    self.SetItemData(child, None)
        self._show_root()

    def OnRemoveReaders(self, removedreaders: Any) -> None:
        """Remove the nodes of these readers."""
        with self.mutex:
            for reader in removedreaders:
                node = self._reader_node(str(reader))
                if node is not None:
                    self.Delete(node)
        self._show_root()


class CardAndReaderTreePanel(wx.Panel):
    """The card tree and/or the reader tree (per ``appstyle``), following the monitors."""

    class _CardObserver(CardObserver):
        """Passes card insertions and removals to a tree, on the GUI thread."""

        def __init__(self, cardtreectrl: Any) -> None:
            CardObserver.__init__(self)
            self.cardtreectrl = cardtreectrl

        def update(self, observable: Any, handlers: Any) -> None:
            addedcards, removedcards = handlers
            on_gui_thread(self.cardtreectrl, self._apply, list(addedcards), list(removedcards))

        def _apply(self, addedcards: list[Any], removedcards: list[Any]) -> None:
            self.cardtreectrl.OnRemoveCards(removedcards)
            self.cardtreectrl.OnAddCards(addedcards)

        def service_lost(self, observable: Any) -> None:
            on_gui_thread(self.cardtreectrl, self.cardtreectrl.OnServiceLost)

        def service_restored(self, observable: Any) -> None:
            on_gui_thread(self.cardtreectrl, self.cardtreectrl.OnServiceRestored)

    class _ReaderObserver(ReaderObserver):
        """Passes reader additions and removals to a tree, on the GUI thread."""

        def __init__(self, readertreectrl: Any) -> None:
            ReaderObserver.__init__(self)
            self.readertreectrl = readertreectrl

        def update(self, observable: Any, handlers: Any) -> None:
            addedreaders, removedreaders = handlers
            on_gui_thread(
                self.readertreectrl, self._apply, list(addedreaders), list(removedreaders)
            )

        def _apply(self, addedreaders: list[Any], removedreaders: list[Any]) -> None:
            self.readertreectrl.OnRemoveReaders(removedreaders)
            self.readertreectrl.OnAddReaders(addedreaders)

        def service_lost(self, observable: Any) -> None:
            on_gui_thread(self.readertreectrl, self.readertreectrl.OnServiceLost)

        def service_restored(self, observable: Any) -> None:
            on_gui_thread(self.readertreectrl, self.readertreectrl.OnServiceRestored)

    def __init__(self, parent: Any, appstyle: int, clientpanel: Any) -> None:
        """``appstyle``: TR_SMARTCARD and/or TR_READER; ``clientpanel`` is told of selections."""
        wx.Panel.__init__(self, parent, -1, style=wx.WANTS_CHARS)
        sizer = wx.BoxSizer(wx.VERTICAL)
        self._subscriptions: list[tuple[Any, Any]] = []

        if appstyle & TR_SMARTCARD:
            self.cardtreectrl = CardTreeCtrl(self, clientpanel=clientpanel)
            self.cardtreecardobserver = self._CardObserver(self.cardtreectrl)
            self.cardmonitor = CardMonitor()
            sizer.Add(self.cardtreectrl, flag=wx.EXPAND | wx.ALL, proportion=1)

        if appstyle & TR_READER:
            self.readertreectrl = ReaderTreeCtrl(self, clientpanel=clientpanel)
            self.readertreereaderobserver = self._ReaderObserver(self.readertreectrl)
            self.readermonitor = ReaderMonitor()
            self.readertreecardobserver = self._CardObserver(self.readertreectrl)
            self.cardmonitor = CardMonitor()
            sizer.Add(self.readertreectrl, flag=wx.EXPAND | wx.ALL, proportion=1)

        self.SetSizer(sizer)
        # Observers are added once the trees exist: addObserver reports what is present at once.
        if appstyle & TR_SMARTCARD:
            self._observe(self.cardmonitor, self.cardtreecardobserver)
        if appstyle & TR_READER:
            self._observe(self.readermonitor, self.readertreereaderobserver)
            self._observe(self.cardmonitor, self.readertreecardobserver)
        self.Bind(wx.EVT_WINDOW_DESTROY, self.OnDestroy, self)

    def _observe(self, monitor: Any, observer: Any) -> None:
        monitor.addObserver(observer)
        self._subscriptions.append((monitor, observer))

    def OnDestroy(self, event: Any) -> None:
        """Stop observing the monitors when the panel goes (pyscard left them registered)."""
        subscriptions, self._subscriptions = self._subscriptions, []
        for monitor, observer in subscriptions:
            monitor.deleteObserver(observer)
        event.Skip()
