# SPDX-License-Identifier: LGPL-2.1-or-later
"""Where the tests find pyscard 2.3.1, the behavioural reference: one place for all of them.

``$PYSCARD_REFERENCE_PYTHON`` when set, else ``.venv-ref/bin/python`` made by
``scripts/setup.sh``. Tests needing it use :func:`require_reference_python`:
without it they are skipped, or failed when ``CI=true``, so CI never passes
with the differential tests silently left out.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ENV_VARIABLE = "PYSCARD_REFERENCE_PYTHON"


def reference_python() -> str:
    """Path of the reference interpreter (which may not exist)."""
    return os.environ.get(ENV_VARIABLE) or str(REPO / ".venv-ref" / "bin" / "python")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def require_reference_python() -> str:
    """The reference interpreter; skip the test without it (fail under ``CI=true``)."""
    python = reference_python()
    if not os.access(python, os.X_OK):
        message = (
            f"reference pyscard 2.3.1 interpreter {python} not found: run scripts/setup.sh "
            f"or set {ENV_VARIABLE}"
        )
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return python
