# SPDX-License-Identifier: LGPL-2.1-or-later
"""Sample: the readers and the ATR of each one's card. ``python -m smartcard.wx.readerviewer``"""

from __future__ import annotations

from typing import Any

from smartcard.wx.SimpleSCardApp import TR_READER, SimpleSCardApp
from smartcard.wx.SimpleSCardAppFrame import SimpleSCardAppFrame

TITLE = "Smart card reader viewer"


STYLE = TR_READER
SIZE = (800, 600)


def make_frame() -> Any:
    """The sample's frame, shown (a wx.App must exist)."""
    frame = SimpleSCardAppFrame(TITLE, None, STYLE, None, size=SIZE)
    frame.Show()
    return frame


def main() -> None:
    SimpleSCardApp(appname=TITLE, apppanel=None, appstyle=STYLE, size=SIZE).MainLoop()


if __name__ == "__main__":
    main()
