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


MODULE_NAMES = json.loads((DATA / "api_reference.json").read_text())["module_names"]

# Held by the SWIG wrapper module, which is generated at build time.
NOT_PROVIDED = {"smartcard.scard.scard": {"error"}}


@pytest.mark.parametrize("module_name", sorted(MODULE_NAMES))
def test_every_module_level_name_of_pyscard_is_importable(module_name):
    """Including names the module merely imported (resolved lazily here)."""
    module = importlib.import_module(module_name)
    missing = {
        name
        for name in MODULE_NAMES[module_name]
        if name not in NOT_PROVIDED.get(module_name, set()) and not hasattr(module, name)
    }
    assert not missing


def test_lazy_names_are_the_real_objects():
    import smartcard.Card
    from smartcard import scard
    from smartcard.CardMonitoring import CardMonitoringThread, CardRequest
    from smartcard.CardRequest import CardRequest as RealCardRequest
    from smartcard.pcsc.PCSCCardRequest import SCARD_STATE_PRESENT
    from smartcard.pcsc.PCSCReader import SCardEstablishContext
    from smartcard.System import readers

    assert CardRequest is RealCardRequest
    assert SCardEstablishContext is scard.SCardEstablishContext
    assert SCARD_STATE_PRESENT == scard.SCARD_STATE_PRESENT
    assert smartcard.Card.readers is readers
    assert CardMonitoringThread.instance is None
    assert CardMonitoringThread.lock.acquire(False)
    CardMonitoringThread.lock.release()
    with pytest.raises(AttributeError, match="has no attribute 'nonexistent'"):
        smartcard.Card.nonexistent  # noqa: B018
