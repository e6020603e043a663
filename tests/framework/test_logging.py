# SPDX-License-Identifier: LGPL-2.1-or-later
"""The library's log records reach the application's handlers, and only them."""

from __future__ import annotations

import subprocess
import sys

LOG_A_WARNING = (
    "from smartcard._log import LazyLogger\n"
    "LazyLogger('smartcard.monitoring').warning('SCardListReaders failed')\n"
)


def run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )


def test_unconfigured_application_gets_no_library_output() -> None:
    # Without the NullHandler, logging's last-resort handler prints the
    # warning on stderr: a CLI or GUI would show library noise.
    assert run(LOG_A_WARNING).stderr == ""


def test_configured_application_sees_library_warnings() -> None:
    result = run("import logging\nlogging.basicConfig()\n" + LOG_A_WARNING)
    assert "WARNING:smartcard.monitoring:SCardListReaders failed" in result.stderr
