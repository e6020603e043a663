# SPDX-License-Identifier: LGPL-2.1-or-later
"""Colour follows the conventions: --color, NO_COLOR, FORCE_COLOR, TERM=dumb, a terminal or not.

``pyscard doctor`` against a socket that does not exist is the subject: it
fails the same way everywhere and marks the failure in red when colouring.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from typing import Dict, List

import pytest

from .conftest import REPO, RUN_TIMEOUT, cli_env, run_cli

ESC = "\033["
NO_SERVICE = {"PCSCLITE_CSOCK_NAME": "/nonexistent/pcscd.comm"}


def _doctor_on_a_pipe(*options: str, **env: str) -> str:
    result = run_cli("doctor", *options, env={**NO_SERVICE, **env})
    assert result.returncode == 1, result.stderr
    assert "FAIL" in result.stdout
    return result.stdout


def _doctor_on_a_terminal(*options: str, **env: str) -> str:
    """Doctor's output when its stdout is a pseudo-terminal, as in an interactive shell."""
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "smartcard", "doctor", *options],
            env=cli_env({**NO_SERVICE, "TERM": "xterm-256color", **env}),
            stdin=subprocess.DEVNULL,
            stdout=terminal,
            stderr=subprocess.DEVNULL,
            cwd=str(REPO),
        )
        os.close(terminal)
        chunks: List[bytes] = []
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait(timeout=RUN_TIMEOUT) == 1
    finally:
        os.close(controller)
    output = b"".join(chunks).decode()
    assert "FAIL" in output
    return output


def test_a_pipe_gets_no_colour() -> None:
    assert ESC not in _doctor_on_a_pipe()


def test_a_terminal_gets_colour() -> None:
    assert ESC in _doctor_on_a_terminal()


@pytest.mark.parametrize(
    "env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}], ids=["NO_COLOR", "TERM=dumb"]
)
def test_conventions_turn_colour_off_on_a_terminal(env: Dict[str, str]) -> None:
    assert ESC not in _doctor_on_a_terminal(**env)


def test_never_wins_on_a_terminal() -> None:
    assert ESC not in _doctor_on_a_terminal("--color", "never")


def test_force_color_colours_a_pipe_unless_no_color() -> None:
    assert ESC in _doctor_on_a_pipe(FORCE_COLOR="1")
    assert ESC not in _doctor_on_a_pipe(FORCE_COLOR="1", NO_COLOR="1")


def test_always_and_never_override_the_environment() -> None:
    assert ESC in _doctor_on_a_pipe("--color", "always", NO_COLOR="1")
    assert ESC in _doctor_on_a_pipe("--colour=always")
    assert ESC not in _doctor_on_a_pipe("--color", "never", FORCE_COLOR="1")


def test_a_bad_choice_is_a_usage_error() -> None:
    result = run_cli("doctor", "--color", "sometimes")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_windows_console_without_vt_processing_gets_no_colour(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On Windows the console must accept ANSI sequences; when it cannot, print none."""
    from smartcard.cli import output

    class Console:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(output.sys, "platform", "win32")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setattr(output, "_enable_windows_vt", lambda stream: False)
    assert not output.colour_wanted(Console())  # type: ignore[arg-type]
    monkeypatch.setattr(output, "_enable_windows_vt", lambda stream: True)
    assert output.colour_wanted(Console())  # type: ignore[arg-type]
