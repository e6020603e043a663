#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Take the screenshots of docs/wx.rst: each wx sample and the console, on virtual readers.

Starts the test kit's private pcscd with a virtual card in the first reader,
opens each application in a real window, does what a person would (select
the card, send an APDU, run the example script), and saves a PNG of the
window. Needs wxPython and an X server; without DISPLAY it re-runs itself
under scripts/with_xvfb.py:

    .venv-wx/bin/python scripts/wx_screenshots.py [--out docs/_static/wx]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]


def _shoot(name: str, frame: Any, out: Path, ready: Callable[[], Any]) -> None:
    from smartcard.wx._capture import close, pump, save_png, wait_until

    wait_until(ready, timeout=15, what=f"{name} ready")
    pump(0.3)
    print(f"wrote {save_png(frame, str(out / f'{name}.png'))}")
    close(frame)
    pump(0.2)


def _tree_has(tree: Any, text: str) -> bool:
    item, cookie = tree.GetFirstChild(tree.GetRootItem())
    while item.IsOk():
        child, _ = tree.GetFirstChild(item)
        if tree.GetItemText(item) == text or (child.IsOk() and tree.GetItemText(child) == text):
            return True
        item, cookie = tree.GetNextChild(tree.GetRootItem(), cookie)
    return False


def _cardmonitor(atr: str, reader: str) -> tuple[Any, Callable[[], Any]]:
    from smartcard.wx import cardmonitor

    frame = cardmonitor.make_frame()
    cards = frame.treeuserpanel.readertreepanel.cardtreectrl
    return frame, lambda: _tree_has(cards, atr)


def _readerviewer(atr: str, reader: str) -> tuple[Any, Callable[[], Any]]:
    from smartcard.wx import readerviewer

    frame = readerviewer.make_frame()
    readers = frame.treeuserpanel.readertreepanel.readertreectrl
    return frame, lambda: _tree_has(readers, atr)


def _apdumanager(atr: str, reader: str) -> tuple[Any, Callable[[], Any]]:
    """The card selected and activated, an echo command sent."""
    from smartcard.wx import apdumanager
    from smartcard.wx._capture import wait_until

    frame = apdumanager.make_frame()
    panel = frame.treeuserpanel.dialogpanel
    cards = frame.treeuserpanel.readertreepanel.cardtreectrl
    wait_until(lambda: _tree_has(cards, atr), what="the card in the APDU manager")
    card_item, _ = cards.GetFirstChild(cards.GetRootItem())
    cards.SelectItem(card_item)
    frame.treeuserpanel.ActivateCard(cards.GetItemData(card_item))
    panel.commandtextctrl.SetValue("80 10 00 00 04 CA FE BA BE")
    panel.OnTransmit(_NoEvent())
    return frame, panel.responsetextctrl.GetValue


def _pcscdiag(atr: str, reader: str) -> tuple[Any, Callable[[], Any]]:
    from smartcard.wx import pcscdiag

    return pcscdiag.make_frame(), lambda: True


def _console(atr: str, reader: str) -> tuple[Any, Callable[[], Any]]:
    """The example script run on the card."""
    from smartcard.wx import console
    from smartcard.wx._capture import wait_until

    frame = console.make_frame()
    wait_until(lambda: frame.readerchoice.GetCount() == 2, what="the readers in the console")
    frame.readerchoice.SetStringSelection(reader)
    frame.OnRunAll(None)
    return frame, lambda: not frame.IsRunning() and len(frame.Results()) >= 3


SHOTS = {
    "cardmonitor": _cardmonitor,
    "readerviewer": _readerviewer,
    "apdumanager": _apdumanager,
    "pcscdiag": _pcscdiag,
    "console": _console,
}


class _NoEvent:
    def Skip(self) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(REPO / "docs" / "_static" / "wx"))
    parser.add_argument("names", nargs="*", choices=[[], *SHOTS], help="default: all")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if len(args.names) != 1:
        # One X server per picture: a window taken from the screen after
        # another was closed at the same place can come out as the old one.
        wrapper = str(REPO / "scripts" / "with_xvfb.py")
        for name in args.names or SHOTS:
            command = [sys.executable, wrapper, sys.executable, __file__, "--out", str(out), name]
            subprocess.run(command, check=True)
        return
    if not os.environ.get("DISPLAY"):
        sys.exit("no DISPLAY: run without a name, or under scripts/with_xvfb.py")

    from smartcard.testing import PrivatePCSCD, VirtualCard

    with PrivatePCSCD() as daemon:
        os.environ.update(daemon.env)  # before this process's first PC/SC call
        card = daemon.insert_card(0, VirtualCard())
        import wx

        from smartcard.util import toHexString

        app = wx.App(False)
        name = args.names[0]
        frame, ready = SHOTS[name](toHexString(list(card.atr)), daemon.reader_names[0])
        _shoot(name, frame, out, ready)
        app.Yield(True)


if __name__ == "__main__":
    main()
