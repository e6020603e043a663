# SPDX-License-Identifier: LGPL-2.1-or-later
"""What importing the framework loads: the start-up cost an application pays.

The import-time figure itself is measured by bench/run.py (never timed in
tests: the machine is shared). These tests pin down its cause instead: the
modules an ``import`` brings in, which do not vary with the load.
"""

from __future__ import annotations

import sys

from .conftest import run_python

# Costly to import and not needed until something is used: typing (with re
# and enum), logging, threading (with functools and collections), contextlib,
# ctypes, the native extension, the monitoring engine.
HEAVY = (
    "typing",
    "re",
    "enum",
    "logging",
    "threading",
    "functools",
    "collections",
    "contextlib",
    "dataclasses",
    "warnings",
    "ctypes",
    "smartcard.scard",
    "smartcard.pcsc.PCSCCardConnection",
    "smartcard.monitoring.engine",
    "smartcard.monitoring.events",
)

SNIPPET = """
import json, sys
before = set(sys.modules)
import smartcard.System, smartcard.CardConnection, smartcard.CardMonitoring, smartcard.util
loaded = sorted(set(sys.modules) - before)
# pyscard's module namespace is still reachable, lazily.
from smartcard.System import ReaderFactory, Reader
from smartcard.monitoring import EventKind, get_engine
print(json.dumps({
    "loaded": loaded,
    "factory": ReaderFactory.__name__,
    "reader": Reader.__name__,
    "kind": EventKind.CARD_INSERTED.name,
    "engine": callable(get_engine),
}))
"""


def test_framework_import_loads_no_heavy_module() -> None:
    out = run_python(sys.executable, SNIPPET)
    assert not [name for name in HEAVY if name in out["loaded"]], out["loaded"]
    assert (out["factory"], out["reader"], out["kind"], out["engine"]) == (
        "ReaderFactory",
        "Reader",
        "CARD_INSERTED",
        True,
    )


def test_card_request_import_leaves_the_engine_alone() -> None:
    out = run_python(
        sys.executable,
        """
        import json, sys
        before = set(sys.modules)
        import smartcard.CardRequest
        loaded = set(sys.modules) - before
        print(json.dumps([m for m in ("smartcard.monitoring.engine", "typing", "logging")
                          if m in loaded]))
        """,
    )
    assert out == []
