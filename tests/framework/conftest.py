# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fixtures shared by the framework tests.

Differential tests run the same snippet under pyscard 2.3.1 (the behavioural
reference) and under this library, in subprocesses talking to the session's
private pcscd, and compare what they print.  The reference interpreter is
found by ``tests/_reference.py`` (``$PYSCARD_REFERENCE_PYTHON``, else
``.venv-ref``); without it those tests are skipped, or failed under ``CI=true``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from typing import Any, Callable, Dict, Iterator

import pytest

from _reference import require_reference_python
from smartcard.testing import VirtualCard

#: The demo applet's "just return SW1 SW2" command, answering 90 00.
STATUS_9000 = [0x80, 0x30, 0x90, 0x00]


def echo(data: list[int]) -> list[int]:
    """Demo applet command returning ``data`` followed by 90 00."""
    return [0x80, 0x10, 0x00, 0x00, len(data), *data]


def run_python(
    interpreter: str, code: str, env: Dict[str, str] | None = None, timeout: float = 60
) -> Any:
    """Run ``code`` under ``interpreter``; it must print one JSON document, which is returned."""
    full_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    full_env.update(env or {})
    proc = subprocess.run(
        [interpreter, "-c", textwrap.dedent(code)],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd="/",
    )
    if proc.returncode != 0:
        raise AssertionError(
            f"{interpreter} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def reference_python() -> str:
    """Path of a Python with pyscard 2.3.1 installed."""
    return require_reference_python()


@pytest.fixture
def differential(pcscd: Any, reference_python: str) -> Callable[..., tuple[Any, Any]]:
    """``differential(code) -> (reference_output, our_output)`` against the session pcscd."""

    def run(code: str, env: Dict[str, str] | None = None) -> tuple[Any, Any]:
        both_env = dict(pcscd.env)
        both_env.update(env or {})
        return (
            run_python(reference_python, code, both_env),
            run_python(sys.executable, code, both_env),
        )

    return run


@pytest.fixture
def card(virtual_card_factory: Callable[..., VirtualCard]) -> VirtualCard:
    """A demo-applet card (T=1) in reader 0."""
    return virtual_card_factory(0)


@pytest.fixture
def connection(card: VirtualCard, pcscd: Any) -> Iterator[Any]:
    """A connected framework connection to ``card``; released after the test."""
    from smartcard.System import readers

    reader = next(r for r in readers() if r.name == pcscd.reader_names[0])
    conn = reader.createConnection()
    conn.connect()
    try:
        yield conn
    finally:
        try:
            conn.disconnect()
        finally:
            conn.release()


@pytest.fixture
def restore_daemon(pcscd: Any) -> Iterator[Any]:
    """For tests that stop pcscd: make sure it runs again afterwards."""
    try:
        yield pcscd
    finally:
        if not pcscd.is_running:
            pcscd.start()


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0, what: str = "") -> None:
    """Poll ``predicate`` until true; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what or predicate}")
        time.sleep(0.02)


def pcscd_thread_count(pid: int) -> int:
    """Number of threads of process ``pid`` (Linux)."""
    return len(os.listdir(f"/proc/{pid}/task"))
