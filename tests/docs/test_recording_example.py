# SPDX-License-Identifier: LGPL-2.1-or-later
"""The worked example of docs/recording.rst, run the way the page tells it.

A fresh project folder gets the page's ``app.py`` and ``tests/test_app.py``
(``docs/examples/recording/``). Every ``.. code-block:: console`` of the page
is then run there, in order, and its output compared with the page (a line
that is just ``...`` stands for any lines, ``...`` in a line for any text):
``pyscard record`` against the private pcscd, where :class:`Purse` stands in
for the reader's card, then pytest on the recording with no daemon to reach
(``stack="fake"``). The JSON excerpt on the page must be lines of the
recording made here, times aside.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from _transcript import matches

REPO = Path(__file__).resolve().parents[2]
PAGE = REPO / "docs" / "recording.rst"
EXAMPLE = REPO / "docs" / "examples" / "recording"
TIMEOUT = 120

PURSE_AID = bytes.fromhex("F0707973636172640001")


class Purse:
    """The card of the example: SELECT the purse, VERIFY PIN 1234, then BALANCE answers 42."""

    def __init__(self) -> None:
        self.verified = False

    def reset(self) -> None:
        self.verified = False

    def __call__(self, apdu: bytes) -> bytes:
        if apdu[:2] == b"\x00\xa4":
            return b"\x90\x00" if apdu[5:] == PURSE_AID else b"\x6a\x82"
        if apdu[:2] == b"\x00\x20":
            self.verified = apdu[5:] == b"1234"
            return b"\x90\x00" if self.verified else b"\x63\xc2"
        if apdu[:2] == b"\x80\x50":
            return b"\x00\x2a\x90\x00" if self.verified else b"\x69\x82"
        return b"\x6d\x00"


def _blocks(kind: str) -> List[List[str]]:
    """The lines of every ``.. code-block:: kind`` of the page, indentation removed."""
    blocks: List[List[str]] = []
    lines = PAGE.read_text().splitlines()
    index = 0
    while index < len(lines):
        if lines[index].strip() != f".. code-block:: {kind}":
            index += 1
            continue
        index += 1
        block: List[str] = []
        while index < len(lines) and (not lines[index].strip() or lines[index].startswith(" ")):
            block.append(lines[index][3:])
            index += 1
        while block and not block[0].strip():
            block.pop(0)
        while block and not block[-1].strip():
            block.pop()
        blocks.append(block)
    return blocks


def _console_steps() -> List[Tuple[str, List[str]]]:
    """(command, expected output lines) for each ``$`` line of the page's console blocks."""
    steps: List[Tuple[str, List[str]]] = []
    for block in _blocks("console"):
        for line in block:
            if line.startswith("$ "):
                steps.append((line[2:], []))
            elif steps:
                steps[-1][1].append(line)
    return steps


def _shell_command(command: str) -> str:
    # The page's "pyscard" and "python" are this test run's interpreter.
    command = re.sub(r"^pyscard\b", f"{sys.executable} -m smartcard", command)
    return re.sub(r"(^|\s)python(?= )", lambda m: m.group(1) + sys.executable, command)


def _without_time(line: str) -> Dict[str, Any]:
    item: Dict[str, Any] = json.loads(line)
    item.pop("t", None)
    item.pop("started", None)
    return item


def test_the_page_has_the_steps() -> None:
    commands = [command for command, _ in _console_steps()]
    assert any(c.startswith("pyscard record -o tests/cards/demo.jsonl -- python app.py")
               for c in commands), commands  # fmt: skip
    assert any("pytest" in c for c in commands), commands


def test_the_worked_example(pcscd: Any, virtual_card_factory: Any, tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "tests").mkdir(parents=True)
    for example in EXAMPLE.glob("*.py"):
        # The application and its redaction hook at the top, the tests in tests/.
        where = project / "tests" if example.name.startswith("test_") else project
        shutil.copy(example, where / example.name)
    virtual_card_factory(handler=Purse())
    for command, expected in _console_steps():
        env = dict(os.environ, **pcscd.env, PYTHONDONTWRITEBYTECODE="1")
        if "pytest" in command:
            # The replay needs no daemon: make sure none is reachable.
            env["PCSCLITE_CSOCK_NAME"] = str(tmp_path / "no-pcscd")
        result = subprocess.run(
            ["sh", "-c", _shell_command(command) + " 2>&1"],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        actual = result.stdout.rstrip().splitlines()
        report = "\n".join([f"$ {command} (exit {result.returncode})", "expected:", *expected,
                            "got:", *actual])  # fmt: skip
        assert result.returncode == 0, report
        assert matches(expected, actual), report
    made = [_without_time(line) for line in (project / "tests/cards/demo.jsonl").open()]
    excerpt = [_without_time(line) for line in _excerpt()]
    assert excerpt, "no JSON excerpt on the page"
    position = made.index(excerpt[0]) if excerpt[0] in made else -1
    assert made[position : position + len(excerpt)] == excerpt, (excerpt, made)


def _excerpt() -> List[str]:
    blocks = _blocks("json")
    if not blocks:
        pytest.fail("docs/recording.rst shows no recording (a code-block:: json)")
    return [line for line in blocks[0] if line.strip()]
