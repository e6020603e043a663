# SPDX-License-Identifier: LGPL-2.1-or-later
"""Every public name of pyscard 2.3.1's pure-Python modules exists here.

tests/data/api_reference.json is written by tests/data/make_api_fixture.py.
"""

from __future__ import annotations

import importlib.util
import json
import pathlib

import pytest

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
REFERENCE = json.loads((DATA / "api_reference.json").read_text())["names"]


def _load_api_names():
    spec = importlib.util.spec_from_file_location("api_names", DATA / "api_names.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


OURS = _load_api_names().all_names()

# Names pyscard has that are deliberately absent: typing helpers.
NOT_API = {"smartcard.Synchronization": {"P", "T"}}


@pytest.mark.parametrize("scope", sorted(REFERENCE))
def test_public_names_of_pyscard_exist(scope):
    missing = set(REFERENCE[scope]) - set(OURS[scope]) - NOT_API.get(scope, set())
    assert not missing
