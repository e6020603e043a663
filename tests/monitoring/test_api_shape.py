# SPDX-License-Identifier: LGPL-2.1-or-later
"""Names, signatures and defaults of the monitoring and card request API, against pyscard 2.3.1.

The reference is introspected in a subprocess found by
``tests/_reference.py`` (``$PYSCARD_REFERENCE_PYTHON``, else ``.venv-ref``);
without it these tests are skipped, or failed under ``CI=true``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from typing import Any, Dict

import pytest

from _reference import require_reference_python

# Module -> classes whose public methods and signatures must match.
SURFACE = {
    "smartcard.Card": ["Card"],
    "smartcard.CardType": ["CardType", "AnyCardType", "ATRCardType"],
    "smartcard.CardService": ["CardService"],
    "smartcard.PassThruCardService": ["PassThruCardService"],
    "smartcard.AbstractCardRequest": ["AbstractCardRequest"],
    "smartcard.CardRequest": ["CardRequest"],
    "smartcard.pcsc.PCSCCardRequest": ["PCSCCardRequest"],
    "smartcard.CardMonitoring": ["CardMonitor", "CardObserver", "CardMonitoringThread"],
    "smartcard.ReaderMonitoring": ["ReaderMonitor", "ReaderObserver", "ReaderMonitoringThread"],
}

# Defaults that are objects print with an address; compare their names.
INTROSPECT = textwrap.dedent(
    """
    import importlib, inspect, json, sys

    surface = json.loads(sys.argv[1])

    def describe(function):
        try:
            signature = inspect.signature(function)
        except (TypeError, ValueError):
            return None
        params = []
        for p in signature.parameters.values():
            default = p.default
            if default is inspect.Parameter.empty:
                shown = None
            elif callable(default):
                shown = getattr(default, "__qualname__", repr(default))
            else:
                shown = repr(default)
            params.append([p.name, str(p.kind), shown])
        return params

    out = {}
    for module_name, classes in surface.items():
        module = importlib.import_module(module_name)
        for class_name in classes:
            cls = getattr(module, class_name)
            members = {}
            for name in dir(cls):
                if name.startswith("_") and name not in ("__init__", "__enter__", "__exit__"):
                    continue
                value = getattr(cls, name)
                if callable(value):
                    members[name] = describe(value)
            out[f"{module_name}.{class_name}"] = members
    print(json.dumps(out))
    """
)


def introspect(python: str) -> Dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [python, "-c", INTROSPECT, json.dumps(SURFACE)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd="/",
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def shapes() -> Dict[str, Dict[str, Any]]:
    return {"reference": introspect(require_reference_python()), "ours": introspect(sys.executable)}


@pytest.mark.parametrize("qualified", [f"{m}.{c}" for m, cs in SURFACE.items() for c in cs])
def test_every_reference_method_exists_with_the_same_signature(
    shapes: Dict[str, Dict[str, Any]], qualified: str
) -> None:
    reference, ours = shapes["reference"][qualified], shapes["ours"][qualified]
    missing = sorted(set(reference) - set(ours))
    assert not missing, f"{qualified} lacks {missing}"
    different = {
        name: (reference[name], ours[name])
        for name in reference
        if reference[name] != ours[name]
        # CardMonitor delegates to its singleton through __getattr__ in both.
        and reference[name] is not None
    }
    assert not different, f"{qualified}: {different}"
