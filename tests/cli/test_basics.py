# SPDX-License-Identifier: LGPL-2.1-or-later
"""What every command shares: help with examples, one-line errors, colour rules, Ctrl-C, imports."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time

import pytest

from smartcard.cli import COMMANDS

from .conftest import REPO, assert_one_line_error, cli_env, run_cli


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help_with_examples_and_json(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.returncode == 0, result.stderr
    assert "examples:" in result.stdout
    assert f"pyscard {command}" in result.stdout
    assert "--json" in result.stdout
    assert "exit status" in result.stdout


def test_top_level_help_lists_the_commands() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())  # argparse wraps long summaries
    for command, summary in COMMANDS.items():
        assert f"{command} {summary}" in text


def test_no_command_shows_help_and_exits_2() -> None:
    result = run_cli()
    assert result.returncode == 2
    assert "COMMAND" in result.stdout


@pytest.mark.parametrize(
    "args", [("frobnicate",), ("readers", "--bogus"), ("scan", "--timeout", "soon")]
)
def test_command_line_mistakes_are_one_line_exit_2(args) -> None:  # noqa: ANN001
    assert_one_line_error(run_cli(*args), 2, "error")


def test_negative_timeout_is_a_usage_error(stack_env) -> None:  # noqa: ANN001
    assert_one_line_error(run_cli("scan", "--timeout", "-1", env=stack_env), 2, "--timeout")


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    from smartcard import __version__

    assert result.stdout.strip() == f"pyscard {__version__}"


def _run_on_terminal(args, env) -> str:  # noqa: ANN001
    """Run the CLI with its stdout on a pseudo-terminal; return what it wrote."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "smartcard", *args],
        stdout=follower,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=cli_env(env),
        cwd=str(REPO),
    )
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    os.close(leader)
    proc.wait(10)
    return b"".join(chunks).decode()


ATR = "3B DA 18 FF 81 B1 FE 75 1F 03 00 31 C5 73 C0 01 40 00 90 00 0C"


def test_colour_on_a_terminal_only_and_never_with_no_color() -> None:
    coloured = _run_on_terminal(["atr", ATR], {})
    assert "\033[" in coloured
    plain = _run_on_terminal(["atr", ATR], {"NO_COLOR": "1"})
    assert "\033[" not in plain and "TA1" in plain
    piped = run_cli("atr", ATR)
    assert "\033[" not in piped.stdout


def test_ctrl_c_in_interactive_send_exits_130_quietly(stack_env, virtual_card) -> None:  # noqa: ANN001
    proc = subprocess.Popen(
        [sys.executable, "-m", "smartcard", "send"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env(stack_env),
        cwd=str(REPO),
        text=True,
    )
    try:
        time.sleep(1.0)  # let it start reading standard input
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert "Traceback" not in stderr


def test_decoding_an_atr_does_not_load_the_pcsc_extension() -> None:
    """Startup stays light: commands import the PC/SC layer only when they use it."""
    code = (
        "import sys\n"
        "from smartcard.cli import main\n"
        "main(['atr', '--list', '/dev/null', '3B 00'])\n"
        "print('smartcard.scard' in sys.modules, 'smartcard.cli.send' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, env=cli_env()
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "False False"


def test_output_to_a_closed_pipe_is_quiet() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "smartcard", "atr", ATR],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env(),
        cwd=str(REPO),
    )
    assert proc.stdout is not None
    proc.stdout.close()  # like '| head -0'
    _, stderr = proc.communicate(timeout=30)
    assert b"Traceback" not in stderr
