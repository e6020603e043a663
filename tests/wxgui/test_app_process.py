# SPDX-License-Identifier: LGPL-2.1-or-later
"""SimpleSCardApp (a wx.App of its own) and ``python -m smartcard.wx``, each in a new process."""

from __future__ import annotations

import os
import subprocess
import sys

PROGRAM = """
from smartcard.wx.SimpleSCardApp import *
from smartcard.wx._capture import wait_until
app = SimpleSCardApp("app", None, TR_READER | TB_SMARTCARD | PANEL_APDUTRACER, size=(600, 400))
combo = app.frame.toolbar.readercombobox
wait_until(lambda: combo.GetCount() == 2, what="the readers in the toolbar")
print(sorted(combo.GetItems()))
app.frame.Destroy()
"""


def _env(pcscd):
    return {**os.environ, **pcscd.env}


def test_simple_scard_app_lists_the_readers_in_its_toolbar(pcscd):
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM], env=_env(pcscd), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(sorted(pcscd.reader_names))


def test_module_lists_the_applications(pcscd):
    result = subprocess.run(
        [sys.executable, "-m", "smartcard.wx", "--help"],
        env=_env(pcscd),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for name in ("cardmonitor", "readerviewer", "apdumanager", "pcscdiag", "console"):
        assert name in result.stdout
