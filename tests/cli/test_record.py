# SPDX-License-Identifier: LGPL-2.1-or-later
"""``pyscard record``: a program run with recording on, against the private pcscd's virtual card."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

from smartcard.recording import read
from smartcard.testing import DEFAULT_AID

from .conftest import REPO, assert_one_line_error, cli_env, run_cli

SELECT = "00A40400" + f"{len(DEFAULT_AID):02X}" + DEFAULT_AID.hex().upper()
ECHO_HELLO = "8010000005" + b"hello".hex().upper()
PIN = "31 32 33 34 FF FF FF FF"
VERIFY = "00 20 00 80 08 " + PIN
SEND = [sys.executable, "-m", "smartcard", "send"]
PYTHON = [sys.executable, "-c"]


def _summary(result: subprocess.CompletedProcess) -> str:
    """The summary: the last line of standard error."""
    lines = result.stderr.strip().splitlines()
    assert lines, (result.returncode, result.stdout)
    return lines[-1]


def _kinds(path: Path) -> List[str]:
    return [event.kind for event in read(path).events]


def test_records_what_send_exchanges(stack_env, virtual_card, reader_names, tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "session.jsonl"
    result = run_cli("record", "-o", str(path), "--", *SEND, SELECT, ECHO_HELLO, env=stack_env)
    assert result.returncode == 0, result.stderr
    # The program's own output comes through untouched.
    assert "< 68 65 6C 6C 6F 90 00 : Success, normal processing" in result.stdout
    assert _summary(result).startswith("pyscard: recorded ")
    assert _summary(result).endswith(f" events (2 APDUs, 0 redacted) to {path}")
    recording = read(path)
    assert len(recording.headers) == 1
    kinds = _kinds(path)
    assert kinds[0] == "establish"
    assert kinds.index("connect") < kinds.index("transmit") < kinds.index("disconnect")
    transmits = list(recording.of_kind("transmit"))
    assert [event.fields["command"] for event in transmits] == [
        bytes.fromhex(SELECT).hex(" ").upper(),
        "80 10 00 00 05 68 65 6C 6C 6F",
    ]
    assert transmits[1].fields["response"] == "68 65 6C 6C 6F 90 00"
    assert next(recording.of_kind("connect")).fields["reader"] == reader_names[0]


def test_pins_are_masked(stack_env, virtual_card, tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "pin.jsonl"
    result = run_cli("record", "-o", str(path), "--", *SEND, SELECT, VERIFY, env=stack_env)
    assert result.returncode == 0, result.stderr
    assert _summary(result).endswith("(2 APDUs, 1 redacted) to " + str(path))
    text = path.read_text()
    assert PIN not in text
    verify = list(read(path).of_kind("transmit"))[1]
    assert verify.fields["command"] == "00 20 00 80 08 ** ** ** ** ** ** ** **"
    assert "VERIFY" in verify.fields["redacted"]


def test_keep_pins_records_them(stack_env, virtual_card, tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "pin.jsonl"
    env = {**stack_env, "PYSCARD_RECORD_REDACT_PINS": "1"}
    result = run_cli("record", "--keep-pins", "-o", str(path), "--", *SEND, VERIFY, env=env)
    assert result.returncode == 0, result.stderr
    assert PIN in path.read_text()
    assert read(path).redaction == []


def test_an_inherited_setting_does_not_unmask_pins(stack_env, virtual_card, tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "pin.jsonl"
    env = {**stack_env, "PYSCARD_RECORD_REDACT_PINS": "0"}
    result = run_cli("record", "-o", str(path), "--", *SEND, VERIFY, env=env)
    assert result.returncode == 0, result.stderr
    assert PIN not in path.read_text()


HOOK = """\
from smartcard.recording import Redaction

def hide_echo(exchange):
    if exchange.kind == "transmit" and exchange.command[:2] == b"\\x80\\x10":
        sent, echoed = range(5, len(exchange.command)), range(len(exchange.response) - 2)
        return Redaction.of("echoed secret", command=sent, response=echoed)
    return None

def nothing(exchange):
    return None
"""


def test_redaction_hooks_reach_the_program(stack_env, virtual_card, tmp_path) -> None:  # noqa: ANN001
    (tmp_path / "secret_hooks.py").write_text(HOOK)
    path = tmp_path / "hooked.jsonl"
    # A hook already in the environment stays, and the command line's is added.
    env = {
        **stack_env,
        "PYTHONPATH": str(tmp_path),
        "PYSCARD_RECORD_REDACT": "secret_hooks:nothing",
    }
    result = run_cli(
        "record", "-o", str(path), "--redact", "secret_hooks:hide_echo",
        "--", *SEND, ECHO_HELLO, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "68 65 6C 6C 6F" not in path.read_text()
    echo = next(read(path).of_kind("transmit"))
    assert echo.fields["redacted"] == "echoed secret"
    assert echo.fields["response"] == "** ** ** ** ** 90 00"
    assert read(path).redaction[-2:] == ["hook secret_hooks.nothing", "hook secret_hooks.hide_echo"]


def test_standard_input_reaches_the_program(stack_env, virtual_card, tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "stdin.jsonl"
    result = run_cli(
        "record", "-o", str(path), "--", *SEND, input="80 10 00 00 01 AA\n", env=stack_env
    )
    assert result.returncode == 0, result.stderr
    assert "< AA 90 00" in result.stdout
    assert [e.fields["command"] for e in read(path).of_kind("transmit")] == ["80 10 00 00 01 AA"]


def test_every_process_of_the_command_is_recorded(stack_env, virtual_card, tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "two.jsonl"
    send = shlex.join(SEND)
    script = f"{send} 80300000 && {send} 80309000"
    result = run_cli("record", "-o", str(path), "--", "sh", "-c", script, env=stack_env)
    assert result.returncode == 0, result.stderr
    assert "2 APDUs, 0 redacted, 2 processes)" in _summary(result)
    recording = read(path)
    assert len(recording.headers) == 2
    commands = [event.fields["command"] for event in recording.of_kind("transmit")]
    assert commands == ["80 30 00 00", "80 30 90 00"]


def test_append_adds_and_the_summary_counts_this_run(stack_env, virtual_card, tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "growing.jsonl"
    first = run_cli("record", "-o", str(path), "--", *SEND, SELECT, ECHO_HELLO, env=stack_env)
    assert "(2 APDUs" in _summary(first)
    second = run_cli("record", "-a", "-o", str(path), "--", *SEND, "80300000", env=stack_env)
    assert second.returncode == 0, second.stderr
    assert "(1 APDU, 0 redacted)" in _summary(second)
    assert len(read(path).headers) == 2
    assert len(list(read(path).of_kind("transmit"))) == 3
    # Without --append the file is replaced.
    third = run_cli("record", "-o", str(path), "--", *SEND, "80300000", env=stack_env)
    assert third.returncode == 0, third.stderr
    assert len(read(path).headers) == 1


def test_the_exit_status_is_the_programs(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "nothing.jsonl"
    result = run_cli("record", "-o", str(path), "--", *PYTHON, "import sys; sys.exit(3)")
    assert result.returncode == 3
    # No PC/SC call: a warning, and an empty file.
    assert _summary(result) == (
        "pyscard: warning: nothing was recorded: the program made no PC/SC call"
        f" through pyscard ({path})"
    )
    assert path.read_text() == ""


def test_death_by_a_signal_is_128_plus_the_signal(tmp_path) -> None:  # noqa: ANN001
    code = "import os, signal; os.kill(os.getpid(), signal.SIGTERM)"
    result = run_cli("record", "-o", str(tmp_path / "x.jsonl"), "--", *PYTHON, code)
    assert result.returncode == 128 + signal.SIGTERM


def test_json_summary_on_standard_error(stack_env, virtual_card, tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "session.jsonl"
    result = run_cli(
        "record", "--json", "-o", str(path), "--", *SEND, "--json", "80300000", env=stack_env
    )
    assert result.returncode == 0, result.stderr
    # Standard output is the program's document alone.
    assert json.loads(result.stdout)["steps"][0]["command"] == "80300000"
    summary = json.loads(_summary(result))
    assert summary == {
        "file": str(path),
        "command": [*SEND, "--json", "80300000"],
        "exit_status": 0,
        "processes": 1,
        "events": len(read(path).events),
        "apdus": 1,
        "redacted": 0,
        "warning": None,
    }


def _start_recording(tmp_path: Path, env, code: str) -> subprocess.Popen:  # noqa: ANN001
    """``pyscard record`` around ``python -c code``, in a process group of its own (a shell job)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "smartcard", "record", "-o", str(tmp_path / "c.jsonl"), "--",
         *PYTHON, code],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
        env=cli_env(env), cwd=str(REPO), text=True, start_new_session=True,
    )  # fmt: skip
    assert proc.stdout is not None
    assert proc.stdout.readline() == "ready\n"  # the program is running
    return proc


def _ctrl_c(proc: subprocess.Popen) -> tuple:
    """Ctrl-C as a terminal sends it: SIGINT to the whole foreground process group."""
    try:
        os.killpg(proc.pid, signal.SIGINT)
        return proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()


def test_ctrl_c_ends_the_program_and_the_recording_is_summed_up(
    stack_env, virtual_card, tmp_path
) -> None:  # noqa: ANN001
    code = (
        "import time\nfrom smartcard.System import readers\nreaders()\n"
        "print('ready', flush=True)\ntime.sleep(30)\n"
    )
    proc = _start_recording(tmp_path, stack_env, code)
    _, stderr = _ctrl_c(proc)
    assert proc.returncode == 130
    assert stderr.strip().splitlines()[-1].startswith("pyscard: recorded ")
    assert "readers" in _kinds(tmp_path / "c.jsonl")


def test_ctrl_c_is_the_programs_to_handle(tmp_path) -> None:  # noqa: ANN001
    code = (
        "import signal, sys, time\n"
        "signal.signal(signal.SIGINT, lambda *_: sys.exit(5))\n"
        "print('ready', flush=True)\ntime.sleep(30)\n"
    )
    proc = _start_recording(tmp_path, {}, code)
    _, stderr = _ctrl_c(proc)
    assert proc.returncode == 5, stderr
    assert "Traceback" not in stderr


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["-o", "f.jsonl"], "no command to run"),
        (["-o", "f.jsonl", "--"], "no command to run"),
        (["--", "true"], "--output/-o"),
        (
            ["-o", "f.jsonl", "--", "no-such-program-here"],
            "'no-such-program-here': no such program",
        ),
        (["-o", "f.jsonl", "--redact", "just_a_module", "--", "true"], "MODULE:FUNCTION"),
    ],
)
def test_usage_errors(args: List[str], fragment: str, tmp_path) -> None:  # noqa: ANN001
    result = run_cli("record", *args, cwd=tmp_path)
    assert_one_line_error(result, 2, fragment)
    assert not (tmp_path / "f.jsonl").exists()


def test_a_file_that_cannot_be_written_is_a_usage_error(tmp_path) -> None:  # noqa: ANN001
    result = run_cli("record", "-o", str(tmp_path), "--", "true")
    assert_one_line_error(result, 2, f"cannot write {str(tmp_path)!r}")


def test_a_mistyped_command_leaves_the_recording_alone(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "keep.jsonl"
    path.write_text("precious\n")
    result = run_cli("record", "-o", str(path), "--", "no-such-program-here")
    assert result.returncode == 2
    assert path.read_text() == "precious\n"


def test_json_usage_error_is_a_json_object(tmp_path) -> None:  # noqa: ANN001
    result = run_cli("record", "--json", "-o", str(tmp_path / "f"), "--", "no-such-program-here")
    assert result.returncode == 2
    assert json.loads(result.stdout)["error"]["code"] == "usage"
