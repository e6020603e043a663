# SPDX-License-Identifier: LGPL-2.1-or-later
"""A wx.App that opens one SimpleSCardAppFrame: the quickest way to a smart card tool.

``from smartcard.wx.SimpleSCardApp import *`` gives the app, the style flags
and ``wx`` itself, as pyscard's samples expect.
"""

from __future__ import annotations

from typing import Any

import wx

from smartcard.wx._styles import (
    PANEL_APDUTRACER,
    TB_READER,
    TB_SMARTCARD,
    TR_DEFAULT,
    TR_READER,
    TR_SMARTCARD,
)
from smartcard.wx.SimpleSCardAppFrame import SimpleSCardAppFrame

__all__ = [
    "PANEL_APDUTRACER",
    "SimpleSCardApp",
    "SimpleSCardAppFrame",
    "TB_READER",
    "TB_SMARTCARD",
    "TR_DEFAULT",
    "TR_READER",
    "TR_SMARTCARD",
    "wx",
]


class SimpleSCardApp(wx.App):
    """The application: a frame with card/reader trees and the application's panel.

    ``appname``: the frame's title; ``apppanel``: the class of the panel to
    show (called with the parent window; mix in SimpleSCardAppEventObserver
    to hear of selections), None for a blank one; ``appstyle``: TR_SMARTCARD,
    TR_READER, TB_SMARTCARD, PANEL_APDUTRACER or'ed together; ``appicon``:
    an .ico file for the frame; ``pos``, ``size``: the frame's, (-1, -1) for
    wx's default.
    """

    def __init__(
        self,
        appname: str = "",
        apppanel: Any = None,
        appstyle: int = TR_DEFAULT,
        appicon: str | None = None,
        pos: Any = (-1, -1),
        size: Any = (-1, -1),
    ) -> None:
        self.appname = appname
        self.apppanel = apppanel
        self.appstyle = appstyle
        self.appicon = appicon
        self.pos = pos
        self.size = size
        wx.App.__init__(self, False)

    def OnInit(self) -> bool:
        """Create and show the frame (wx calls this from the constructor)."""
        self.frame = SimpleSCardAppFrame(
            self.appname, self.apppanel, self.appstyle, self.appicon, self.pos, self.size
        )
        self.frame.Show(True)
        self.SetTopWindow(self.frame)
        return True
