# SPDX-License-Identifier: LGPL-2.1-or-later
"""Running ``python -m smartcard`` as a subprocess against the private pcscd.

Each test runs the CLI exactly as a user does, in a child process whose
``PCSCLITE_CSOCK_NAME`` points at the daemon under test. Every run is
bounded by a timeout, so a hang fails the test instead of blocking the suite.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
from typing import Dict, Iterator

import pytest

from smartcard.testing import PrivatePCSCD

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
CARD_LIST = HERE / "data" / "card_list.txt"
RUN_TIMEOUT = 60.0


def cli_env(extra: Dict[str, str] | None = None) -> Dict[str, str]:
    """The environment for a CLI child: no colour surprises, no debug tracebacks.

    The caller's colour and cache settings are dropped, so that a test that
    sets HOME finds the card list there.
    """
    env = dict(os.environ)
    for name in ("PYSCARD_DEBUG", "NO_COLOR", "FORCE_COLOR", "XDG_CACHE_HOME"):
        env.pop(name, None)
    env.update(extra or {})
    return env


def run_cli(
    *args: str,
    env: Dict[str, str] | None = None,
    input: str | None = None,  # noqa: A002 - mirrors subprocess.run
    timeout: float = RUN_TIMEOUT,
    cwd: pathlib.Path | None = None,
) -> subprocess.CompletedProcess:
    """Run ``python -m smartcard ARGS`` and return the finished process (text output)."""
    return subprocess.run(
        [sys.executable, "-m", "smartcard", *args],
        env=cli_env(env),
        input=input if input is not None else "",
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=str(cwd or REPO),
    )


def assert_one_line_error(result: subprocess.CompletedProcess, code: int, *fragments: str) -> None:
    """The failure contract: exit ``code``, one line on stderr naming the problem, no traceback."""
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("pyscard"), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


@pytest.fixture
def stack_env(pcscd: PrivatePCSCD) -> Dict[str, str]:
    """Environment entries pointing a child process at the session's private pcscd."""
    if not pcscd.is_running:
        pcscd.start()  # an earlier test stopped it
    return dict(pcscd.env)


@pytest.fixture
def own_pcscd(pcscd: PrivatePCSCD) -> Iterator[PrivatePCSCD]:
    """A second private pcscd, for tests that stop or restart the daemon.

    Requesting the session ``pcscd`` first means the stack is known to work
    here (or the test is skipped/failed the same way as every stack test).
    """
    daemon = PrivatePCSCD(reader_name="pyscard cli")
    daemon.start()
    try:
        yield daemon
    finally:
        daemon.close()
