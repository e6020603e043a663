# SPDX-License-Identifier: LGPL-2.1-or-later
"""Helpers shared by the worker scripts, which run inside the venv of the
implementation under test (pyscard 2.3.1 or ours) and print JSON.

Only the standard library and ``smartcard`` may be imported here: the
workers are run by that venv's interpreter, not the orchestrator's.
"""

from __future__ import annotations

import json
import sys
import timeit
from typing import Dict, List

# The 5-byte command of every transmit figure: SELECT by name, no data.
APDU = [0x00, 0xA4, 0x04, 0x00, 0x00]


class Unavailable(Exception):
    """The implementation lacks the code a figure needs (reported as n/a)."""


def emit(payload: object) -> None:
    json.dump(payload, sys.stdout)
    sys.stdout.write("\n")
    sys.stdout.flush()


def time_statement(stmt: str, names: Dict[str, object], repeat: int, target: float) -> Dict:
    """Seconds per execution of ``stmt``, once per repeat, as timeit does.

    The objects in ``names`` become locals of timeit's inner function, so
    the loop pays a LOAD_FAST per name rather than a globals lookup, and
    a direct call rather than the extra frame of timing a lambda: the
    overhead left is timeit's bare ``for`` loop, a few ns per execution.
    """
    setup = "; ".join(f"{key} = _names[{key!r}]" for key in names) or "pass"
    timer = timeit.Timer(stmt, setup, globals={"_names": names})
    # Calibrate: grow the count until one run takes a tenth of the target.
    number = 1
    while True:
        took = timer.timeit(number)
        if took >= target / 10 or number >= 10**8:
            break
        number *= 10
    number = max(1, int(number * target / max(took, 1e-9)))
    runs: List[float] = timer.repeat(repeat, number)
    return {"per_op": [run / number for run in runs], "number": number}


def stub_loaded(stub_path: str) -> bool:
    """True when the stub PC/SC library, not the real one, is mapped in."""
    try:
        with open("/proc/self/maps") as maps:
            return any(stub_path in line for line in maps)
    except OSError:  # not Linux: trust the environment
        return True
