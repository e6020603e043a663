# SPDX-License-Identifier: LGPL-2.1-or-later
"""What a person does and sees: read a tree, type into a field, click a button."""

from __future__ import annotations

from typing import Any

import wx

from smartcard.wx._capture import pump


def tree_lines(tree: Any) -> list[str]:
    """The tree as indented lines of text, as it reads on screen."""
    lines: list[str] = []

    def walk(item: Any, depth: int) -> None:
        lines.append("  " * depth + tree.GetItemText(item))
        child, cookie = tree.GetFirstChild(item)
        while child.IsOk():
            walk(child, depth + 1)
            child, cookie = tree.GetNextChild(item, cookie)

    walk(tree.GetRootItem(), 0)
    return lines


def find_item(tree: Any, text: str) -> Any:
    """The first item labelled ``text`` (depth-first), or None."""

    def walk(item: Any) -> Any:
        if tree.GetItemText(item) == text:
            return item
        child, cookie = tree.GetFirstChild(item)
        while child.IsOk():
            found = walk(child)
            if found is not None:
                return found
            child, cookie = tree.GetNextChild(item, cookie)
        return None

    return walk(tree.GetRootItem())


def click(window: Any, double: bool = False) -> None:
    """Move the pointer to the middle of ``window`` (or of its rectangle) and click."""
    simulator = wx.UIActionSimulator()
    rect = window if isinstance(window, wx.Rect) else window.GetScreenRect()
    simulator.MouseMove(rect.GetPosition() + wx.Point(rect.width // 2, rect.height // 2))
    pump(0.05)
    if double:
        simulator.MouseDblClick()
    else:
        simulator.MouseClick()
    pump(0.1)


def type_into(control: Any, text: str) -> None:
    """Click into ``control`` and type ``text`` on the (simulated) keyboard."""
    click(control)
    control.SetInsertionPointEnd()
    wx.UIActionSimulator().Text(text.encode("ascii"))
    pump(0.2)


def item_rect(tree: Any, item: Any) -> Any:
    """Screen rectangle of a tree item's label."""
    tree.EnsureVisible(item)
    pump(0.05)
    rect = tree.GetBoundingRect(item, textOnly=True)
    return wx.Rect(tree.ClientToScreen(rect.GetPosition()), rect.GetSize())
