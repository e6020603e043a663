# SPDX-License-Identifier: LGPL-2.1-or-later
"""The same low-level calls through ours and through pyscard 2.3.1 give the
same answers, against the same pcscd and the same virtual card."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("differential_calls.py")
REPO = Path(__file__).resolve().parents[2]


def reference_python() -> str:
    """pyscard 2.3.1's interpreter: $PYSCARD_REFERENCE_PYTHON or .venv-ref."""
    candidate = os.environ.get("PYSCARD_REFERENCE_PYTHON") or str(REPO / ".venv-ref/bin/python")
    if not os.access(candidate, os.X_OK):
        message = f"pyscard 2.3.1 reference interpreter not found at {candidate}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (scripts/setup.sh installs it)")
        pytest.skip(message)
    return candidate


def transcript(python: str, pcscd, reader_names) -> list:  # noqa: ANN001
    # Run from a neutral folder so the reference does not import our source tree.
    result = subprocess.run(
        [python, str(SCRIPT), *reader_names],
        env=dict(os.environ, **pcscd.env),
        cwd="/",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_same_answers_as_pyscard_2_3_1(pcscd, virtual_card, reader_names) -> None:  # noqa: ANN001
    reference = transcript(reference_python(), pcscd, reader_names)
    ours = transcript(sys.executable, pcscd, reader_names)
    assert len(ours) == len(reference)
    for (name, mine), (_, theirs) in zip(ours, reference):
        assert mine == theirs, name
