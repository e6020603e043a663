# SPDX-License-Identifier: LGPL-2.1-or-later
"""smartcard.wx has pyscard 2.3.1's names, classes and signatures (read from the source).

Runs without wxPython: both sides are read from their syntax trees
(tests/data/wx_api.py). tests/wxgui/test_names.py checks the imported
modules too, where wx is installed.
"""

from __future__ import annotations

import importlib.util
import json
import pathlib

import pytest

from _reference import require_reference_python

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
OURS_DIR = DATA.parents[1] / "src" / "smartcard" / "wx"
FIXTURE = json.loads((DATA / "wx_reference.json").read_text())["modules"]


def _load(name):
    spec = importlib.util.spec_from_file_location(name, DATA / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


wx_api = _load("wx_api")
OURS = wx_api.package_api(OURS_DIR)


def test_fixture_is_what_pyscard_2_3_1_has():
    python = require_reference_python()
    make = _load("make_wx_fixture")
    assert make.fixture(make.reference_source(python))["modules"] == FIXTURE


@pytest.mark.parametrize("module", sorted(FIXTURE))
def test_module_has_every_public_name(module):
    assert set(FIXTURE[module]["names"]) - set(OURS[module]["names"]) == set()


def _our_methods(module, cls):
    """Methods of our class, with those of its bases defined in our wx modules."""
    methods = {}
    for base in OURS[module]["classes"][cls]["bases"]:
        name = base.split(".")[-1]
        for other, api in OURS.items():
            if name in api["classes"] and (other, name) != (module, cls):
                methods.update(_our_methods(other, name))
    methods.update(OURS[module]["classes"][cls]["methods"])
    return methods


CLASSES = [
    (module, cls) for module in sorted(FIXTURE) for cls in sorted(FIXTURE[module]["classes"])
]


@pytest.mark.parametrize(("module", "cls"), CLASSES)
def test_class_methods_take_the_same_parameters(module, cls):
    ours = _our_methods(module, cls)
    for method, parameters in FIXTURE[module]["classes"][cls]["methods"].items():
        assert method in ours, f"{cls}.{method} missing"
        assert [p["name"] for p in ours[method]] == [p["name"] for p in parameters], method
        for theirs, mine in zip(parameters, ours[method]):
            if "default" not in theirs:
                continue
            assert "default" in mine, f"{cls}.{method}({theirs['name']}) has no default"
            if not isinstance(theirs["default"], dict):  # a literal: the same value
                assert mine["default"] == theirs["default"], f"{cls}.{method}({theirs['name']})"


@pytest.mark.skipif(importlib.util.find_spec("wx") is not None, reason="wxPython is installed")
def test_import_without_wx_says_how_to_get_it():
    with pytest.raises(ImportError, match="python3-wxgtk4.0") as raised:
        importlib.import_module("smartcard.wx")
    assert raised.value.name == "wx"
