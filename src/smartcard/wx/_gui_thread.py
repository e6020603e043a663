# SPDX-License-Identifier: LGPL-2.1-or-later
"""Run monitor and connection callbacks on the GUI thread.

The monitors call observers on their dispatcher thread (and once, at
``addObserver``, on the caller's); wx widgets may only be touched from the
main thread. A window may also be destroyed while a call is queued.
"""

from __future__ import annotations

from typing import Any, Callable

import wx


def on_gui_thread(window: Any, function: Callable[..., None], *args: Any) -> None:
    """Call ``function(*args)`` now if on the GUI thread, else queue it; skip dead windows."""

    def call() -> None:
        if window:  # a destroyed wx window is false
            function(*args)

    if wx.IsMainThread():
        call()
    else:
        wx.CallAfter(call)
