# SPDX-License-Identifier: LGPL-2.1-or-later
"""Save what a window shows on screen as a PNG, and wait for the GUI without sleeping blind.

Used by the tests (a screenshot of each failure) and by
scripts/wx_screenshots.py (the pictures in the documentation).
"""

from __future__ import annotations

import time
from typing import Any, Callable

import wx


def _yield() -> None:
    # Not wx.SafeYield: it disables the windows while it runs, so simulated
    # keys and clicks would be thrown away.
    wx.GetApp().Yield(True)


def pump(seconds: float = 0.0) -> None:
    """Process pending GUI events (for at least ``seconds``)."""
    deadline = time.monotonic() + seconds
    while True:
        _yield()
        if time.monotonic() >= deadline:
            return
        time.sleep(0.01)


def wait_until(condition: Callable[[], Any], timeout: float = 10.0, what: str = "") -> Any:
    """Process GUI events until ``condition()`` is true; return its value or raise TimeoutError."""
    deadline = time.monotonic() + timeout
    while True:
        _yield()
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"not within {timeout} s: {what or condition}")
        time.sleep(0.02)


def save_png(window: Any, path: str) -> str:
    """Copy the window's area of the screen (frame included) into a PNG file at ``path``."""
    top = window.GetTopLevelParent() if not window.IsTopLevel() else window
    top.Raise()
    top.Update()
    pump(0.1)  # let the X server draw what was just raised or updated
    rect = window.GetScreenRect() if window is not top else top.GetRect()
    bitmap = wx.Bitmap(rect.width, rect.height)
    memory = wx.MemoryDC(bitmap)
    memory.Blit(0, 0, rect.width, rect.height, wx.ScreenDC(), rect.x, rect.y)
    memory.SelectObject(wx.NullBitmap)
    if not bitmap.SaveFile(path, wx.BITMAP_TYPE_PNG):
        raise OSError(f"could not write {path}")
    return path


def close(window: Any) -> None:
    """Hide and destroy ``window`` now: wx destroys top-level windows only at idle
    time, which a Yield loop never reaches, and a window left on screen would
    be in the next screenshot.
    """
    if window:
        window.Hide()
        window.Destroy()
