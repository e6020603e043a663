# SPDX-License-Identifier: LGPL-2.1-or-later
"""Every code example of the documentation runs, against the virtual readers.

The docs show code only as ``literalinclude`` of ``docs/examples/*.py``; each
file is run here as a subprocess with the session's private pcscd
(``PCSCLITE_CSOCK_NAME``) and a virtual card in reader 0, and must exit 0
and print what the docs say it prints. Files named ``test_*.py`` are pytest
examples and are run with pytest. A new example needs an entry in
``EXPECTED``.

The examples that use only pyscard 2.3.1's API are also run under pyscard
2.3.1 itself (``$PYSCARD_REFERENCE_PYTHON``, else ``.venv-ref``, made by
``scripts/setup.sh``; see ``tests/_reference.py``) to keep
the docs showing code that runs unchanged on both.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

from _reference import require_reference_python
from smartcard.testing import ATR_T1

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "docs" / "examples"
TIMEOUT = 60


ATR = " ".join(f"{byte:02X}" for byte in ATR_T1)
READER0 = "pyscard virtual 00 00"
READER1 = "pyscard virtual 00 01"

#: For each example, lines (or parts of lines) its output must contain.
EXPECTED: Dict[str, List[str]] = {
    "list_readers.py": [f"{READER0}: card with ATR {ATR}", f"{READER1}: no card"],
    "transmit.py": [f"reader: {READER0}", f"ATR: {ATR}", "SW: 90 00, data: "],
    "atr_info.py": [
        f"ATR: {ATR}",
        "T=1 supported: True",
        "historical bytes: 70 79 73 63 61 72 64",
        "as text: pyscard",
    ],
    "error_checking.py": ["the card refused: SW 6D 00: "],
    "scard_lowlevel.py": [f"readers: ['{READER0}', '{READER1}']", "response: b'hello' SW 90 00"],
    "card_request.py": [f"card in: {READER0}", f"ATR: {ATR}"],
    "card_monitor.py": [f"inserted: {ATR}"],
    "virtual_card_script.py": ["challenge: 0001020304050607, SW 90 00"],
    "test_get_challenge.py": ["2 passed"],
    "modern_transmit.py": [
        f"reader: {READER0}",
        "SELECT: SW 9000, success: True",
        "echo: b'hello'",
        "the card refused: ",
    ],
    "modern_transport.py": [
        "echoed 1024 bytes intact: True",
        "pyscard connection: 8 bytes, SW 9000",
    ],
    "modern_asyncio.py": [
        f"card in: {READER0}",
        "echo: b'async'",
        f"event: CARD_INSERTED {READER0}",
    ],
}

#: Examples of what pyscard 2.3.1 does not have (smartcard.testing, the newer API).
OURS_ONLY = {
    "virtual_card_script.py",
    "test_get_challenge.py",
    "modern_transmit.py",
    "modern_transport.py",
    "modern_asyncio.py",
}


def _command(python: str, example: Path) -> List[str]:
    if example.name.startswith("test_"):
        return [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(example)]
    return [python, str(example)]


def _run(python: str, example: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")  # no __pycache__ in docs/
    return subprocess.run(
        _command(python, example),
        cwd=cwd,  # not the source tree: the installed package is what runs
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def _check(result: subprocess.CompletedProcess, name: str, who: str) -> None:
    report = (
        f"{who} {name}: exit {result.returncode}\n"
        f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    )
    assert result.returncode == 0, report
    for expected in EXPECTED[name]:
        assert expected in result.stdout, f"missing {expected!r}\n{report}"


def test_every_example_is_checked() -> None:
    files = {path.name for path in EXAMPLES.glob("*.py")}
    assert files == set(EXPECTED), "docs/examples and EXPECTED differ"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example(name: str, pcscd, virtual_card, tmp_path: Path) -> None:
    _check(_run(sys.executable, EXAMPLES / name, tmp_path), name, "ours:")


@pytest.mark.parametrize("name", sorted(set(EXPECTED) - OURS_ONLY))
def test_example_on_pyscard_2_3_1(name: str, pcscd, virtual_card, tmp_path: Path) -> None:
    reference = require_reference_python()
    _check(_run(reference, EXAMPLES / name, tmp_path), name, "pyscard 2.3.1:")
