# SPDX-License-Identifier: LGPL-2.1-or-later
"""The imported smartcard.wx modules have pyscard 2.3.1's names and signatures."""

from __future__ import annotations

import importlib
import inspect
import json
import pathlib

import pytest

FIXTURE = json.loads(
    (pathlib.Path(__file__).resolve().parents[1] / "data" / "wx_reference.json").read_text()
)["modules"]
CLASSES = [
    (module, cls) for module in sorted(FIXTURE) for cls in sorted(FIXTURE[module]["classes"])
]


@pytest.mark.parametrize("module", sorted(FIXTURE))
def test_every_name_is_there(module):
    imported = importlib.import_module(module)
    assert {name for name in FIXTURE[module]["names"] if not hasattr(imported, name)} == set()


def test_star_import_gives_what_the_samples_use():
    namespace: dict = {}
    exec("from smartcard.wx.SimpleSCardApp import *", namespace)
    for name in ("wx", "SimpleSCardApp", "TR_SMARTCARD", "TR_READER", "PANEL_APDUTRACER"):
        assert name in namespace


@pytest.mark.parametrize(("module", "cls"), CLASSES)
def test_signatures_match(module, cls):
    klass = getattr(importlib.import_module(module), cls)
    for method, parameters in FIXTURE[module]["classes"][cls]["methods"].items():
        signature = inspect.signature(getattr(klass, method))
        ours = list(signature.parameters.values())[1:]  # without self
        assert [p.name for p in ours] == [p["name"] for p in parameters], f"{cls}.{method}"
        for theirs, mine in zip(parameters, ours):
            if "default" in theirs:
                assert mine.default is not inspect.Parameter.empty, f"{cls}.{method}"
                if not isinstance(theirs["default"], dict):
                    expected = theirs["default"]
                    actual = list(mine.default) if isinstance(mine.default, tuple) else mine.default
                    assert actual == expected, f"{cls}.{method}({mine.name})"


def test_icons_load_as_16_pixel_icons(wx_app):
    import wx

    import smartcard.wx

    for path in (smartcard.wx.ICO_SMARTCARD, smartcard.wx.ICO_READER):
        bitmap = wx.Bitmap(path, wx.BITMAP_TYPE_ICO)
        assert bitmap.IsOk() and bitmap.GetSize() == (16, 16)
