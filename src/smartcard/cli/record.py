# SPDX-License-Identifier: LGPL-2.1-or-later
"""``pyscard record``: run a program with PC/SC recording switched on, then say what was recorded.

The program runs as a child process, its standard streams untouched, so
``pyscard record`` can wrap anything from a script to an interactive
session. Recording itself happens in every Python process of the program
that uses ``smartcard``, switched on by the environment variables of
:mod:`smartcard._pcsc.recorder`; this command only prepares the file and
reads it back afterwards.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from typing import Any, Dict, List

from smartcard.cli.errors import UsageError

SUMMARY = "run a program and record its PC/SC calls to a file, to replay in tests"
DESCRIPTION = """\
Run COMMAND with recording switched on: every process of it that uses
pyscard writes what it exchanges with readers and cards (readers, ATRs,
connections, APDUs, control codes, errors, insertions and removals) to
FILE, one JSON object a line. PINs (the data of VERIFY and the other ISO
7816-4 PIN commands, and of PIN-pad control codes) are masked unless
--keep-pins. Standard input, output and error are the program's; the
summary goes to standard error once it has finished. Replay FILE in tests
with smartcard.testing.replay or the pcsc_recording pytest marker."""
EPILOG = """\
examples:
  pyscard record -o tests/cards/demo.jsonl -- python app.py
  pyscard record -o session.jsonl -- pyscard send 00A4040007A0000002471001
  pyscard record -o session.jsonl --append -- pytest tests/test_card.py
  pyscard record -o session.jsonl --redact myapp.secrets:redact -- python app.py

--json writes the summary as one JSON object on one line of standard error
(standard output stays the program's): file, command, exit_status,
processes, events, apdus, redacted, warning.

exit status: the program's (128 + N when signal N ended it, so 130 for
Ctrl-C); 2 when it cannot be started or the command line is wrong.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # argparse would end the usage line with a bare "...".
    parser.usage = "%(prog)s [options] -o FILE -- COMMAND [ARGS...]"
    parser.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        required=True,
        help="the recording to write (replaced, unless --append)",
    )
    parser.add_argument(
        "--append", "-a", action="store_true", help="add to FILE instead of replacing it"
    )
    parser.add_argument(
        "--redact",
        metavar="MODULE:FUNCTION",
        action="append",
        default=[],
        help="a redaction hook the program's processes import (repeatable, or comma-separated); "
        "added to those already in $PYSCARD_RECORD_REDACT",
    )
    parser.add_argument(
        "--keep-pins",
        action="store_true",
        help="do not mask PINs (for a test card whose PIN is public)",
    )
    parser.add_argument(
        "command",
        nargs=argparse.REMAINDER,
        metavar="-- COMMAND [ARGS...]",
        help="the program to run and its arguments",
    )


def run(args: argparse.Namespace) -> int:
    command = _command(args.command)
    hooks = _hooks(args.redact)
    _check_program(command[0])
    path = os.path.abspath(args.output)
    offset = _prepare(path, args.output, args.append)
    status = _run_child(command, _environment(path, hooks, args.keep_pins))
    summary = summarize(path, offset)
    _report(summary, args.output, command, status, args.json)
    return status


def _command(words: List[str]) -> List[str]:
    # argparse keeps the "--" that ends record's own options (Python < 3.13).
    command = words[1:] if words[:1] == ["--"] else list(words)
    if not command:
        raise UsageError(
            "no command to run: put it after '--', as in "
            "'pyscard record -o session.jsonl -- python app.py'"
        )
    return command


def _check_program(program: str) -> None:
    # Before the file is touched: a mistyped command must not wipe a recording.
    if shutil.which(program) is None:
        why = "no such program" if not os.path.exists(program) else "not an executable program"
        raise UsageError(f"cannot run {program!r}: {why}")


def _hook_names(text: str) -> List[str]:
    """Names in a comma-separated list, as --redact and $PYSCARD_RECORD_REDACT give them."""
    return [name.strip() for name in text.split(",") if name.strip()]


def _hooks(values: List[str]) -> List[str]:
    hooks = [name for value in values for name in _hook_names(value)]
    for name in hooks:
        module, _, function = name.partition(":")
        if not module or not function:
            raise UsageError(
                f"--redact takes MODULE:FUNCTION, as in myapp.secrets:redact, not {name!r}"
            )
    return hooks


def _prepare(path: str, shown: str, append: bool) -> int:
    """Create (or with ``append`` open) the file now, so that a bad path is a usage error.

    Returns where this run's part of the file starts.
    """
    try:
        with open(path, "a" if append else "w", encoding="utf-8") as file:
            return file.tell()
    except OSError as exc:
        raise UsageError(f"cannot write {shown!r}: {exc.strerror or exc}") from exc


def _environment(path: str, hooks: List[str], keep_pins: bool) -> Dict[str, str]:
    from smartcard.recording import ENV_APPEND, ENV_PATH, ENV_REDACT, ENV_REDACT_PINS

    env = dict(os.environ)
    env[ENV_PATH] = path
    # Every process appends its own header and events: the file was prepared above.
    env[ENV_APPEND] = "1"
    inherited = _hook_names(env.get(ENV_REDACT, ""))
    combined = inherited + [name for name in hooks if name not in inherited]
    if combined:
        env[ENV_REDACT] = ",".join(combined)
    # Set either way: an inherited 0 must not switch PIN masking off unasked.
    env[ENV_REDACT_PINS] = "0" if keep_pins else "1"
    return env


def _ignore(signum: int, frame: Any) -> None:
    """SIGINT while the program runs: the program got it too, and decides what it means."""


def _run_child(command: List[str], env: Dict[str, str]) -> int:
    sys.stdout.flush()
    sys.stderr.flush()
    # Ctrl-C reaches the whole foreground process group. As time(1) does, wait
    # for the program to end (an interactive one may go on) and report its
    # status. A Python handler, unlike SIG_IGN, is reset for the child by exec;
    # it is in place before the start, so no Ctrl-C can orphan the program.
    try:
        previous = signal.signal(signal.SIGINT, _ignore)
    except ValueError:  # not the main thread: signals are not ours to change
        previous = None
    try:
        try:
            child = subprocess.Popen(command, env=env)
        except FileNotFoundError as exc:
            raise UsageError(f"cannot run {command[0]!r}: no such program") from exc
        except OSError as exc:
            raise UsageError(f"cannot run {command[0]!r}: {exc.strerror or exc}") from exc
        status = child.wait()
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    # A negative status is death by a signal (POSIX): report it as shells do.
    return 128 - status if status < 0 else status


@dataclass
class Summary:
    """What this run added to the file."""

    processes: int = 0
    events: int = 0
    apdus: int = 0
    redacted: int = 0
    warning: str | None = None


def summarize(path: str, offset: int = 0) -> Summary:
    """Count what the file holds from ``offset`` on (an --append run's own part)."""
    from smartcard.recording import Recording, RecordingError

    try:
        with open(path, encoding="utf-8") as file:
            file.seek(offset)
            text = file.read()
    except OSError as exc:
        return Summary(warning=f"cannot read the recording back: {exc.strerror or exc}")
    if not text.strip():
        return Summary(
            warning="nothing was recorded: the program made no PC/SC call through pyscard"
        )
    try:
        recording = Recording.from_lines(text.splitlines(), path)
    except RecordingError as exc:
        return Summary(warning=f"the recording cannot be read back: {exc}")
    events = recording.events
    return Summary(
        processes=len(recording.headers),
        events=len(events),
        apdus=sum(1 for event in events if event.kind == "transmit"),
        redacted=sum(1 for event in events if "redacted" in event.fields),
    )


def _report(summary: Summary, shown: str, command: List[str], status: int, as_json: bool) -> None:
    if as_json:
        from smartcard.cli.output import print_json

        document = {
            "file": shown,
            "command": command,
            "exit_status": status,
            "processes": summary.processes,
            "events": summary.events,
            "apdus": summary.apdus,
            "redacted": summary.redacted,
            "warning": summary.warning,
        }
        print_json(document, sys.stderr, lines=True)
        return
    if summary.warning is not None:
        sys.stderr.write(f"pyscard: warning: {summary.warning} ({shown})\n")
        return
    processes = f", {summary.processes} processes" if summary.processes > 1 else ""
    sys.stderr.write(
        f"pyscard: recorded {_count(summary.events, 'event')} ({_count(summary.apdus, 'APDU')}, "
        f"{summary.redacted} redacted{processes}) to {shown}\n"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
