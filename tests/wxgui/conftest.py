# SPDX-License-Identifier: LGPL-2.1-or-later
"""The wx tests: real windows on an X server, against the test kit's pcscd and virtual cards.

They run in an interpreter that has wxPython (``.venv-wx``, made by
scripts/setup.sh from the system Python with Debian's python3-wxgtk4.0)
under ``xvfb-run``; .ci/run does that. Elsewhere (``.venv``, no wx) they
are not collected; with ``PYSCARD_WX_TESTS=1`` (set by CI) a missing wx or
display is an error rather than a silent pass.

A failing test leaves a PNG of each open window in ``$PYSCARD_WX_ARTIFACTS``
(default: the test's tmp_path) and prints where.
"""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

import pytest

REQUIRED = os.environ.get("PYSCARD_WX_TESTS", "") == "1"
HAVE_WX = importlib.util.find_spec("wx") is not None
HAVE_DISPLAY = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))

if not (HAVE_WX and HAVE_DISPLAY):
    if REQUIRED:
        raise RuntimeError(
            "PYSCARD_WX_TESTS=1 but "
            + ("wxPython is not importable" if not HAVE_WX else "no DISPLAY (run under xvfb-run)")
            + ": run scripts/setup.sh and use .venv-wx/bin/python under xvfb-run"
        )
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(scope="session")
def wx_app():
    import wx

    app = wx.App(False)
    yield app
    for window in wx.GetTopLevelWindows():
        window.Destroy()
    app.Yield(True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def windows(wx_app, request, tmp_path):
    """Yield a list to put the test's windows in; screenshot them on failure, then close them."""
    import wx

    from smartcard.wx._capture import close, pump, save_png

    opened: list = []
    yield opened
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        folder = Path(os.environ.get("PYSCARD_WX_ARTIFACTS") or tmp_path)
        folder.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        for index, window in enumerate(w for w in wx.GetTopLevelWindows() if w.IsShown()):
            path = save_png(window, str(folder / f"{name}-{index}.png"))
            print(f"\nscreenshot of the failed test's window: {path}")
    for window in opened + list(wx.GetTopLevelWindows()):
        close(window)
    pump(0.05)
