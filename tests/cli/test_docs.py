# SPDX-License-Identifier: LGPL-2.1-or-later
"""The examples of docs/cli.rst, run against the private pcscd and compared with the page.

Each ``.. code-block:: console`` holds ``$ pyscard ...`` commands, each
followed by its expected output (standard output and error together). In
the expected text, a line that is just ``...`` stands for any number of
lines, ``...`` inside a line for any text, and ``00:00:00`` for any time.
The card list comes from tests/cli/data/card_list.txt, installed where
pcsc-tools' updater puts it (~/.cache/smartcard_list.txt) in a private HOME.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from typing import List, Tuple

import pytest

from _transcript import matches

from .conftest import CARD_LIST, REPO, cli_env

DOC = REPO / "docs" / "cli.rst"


def _examples() -> List[Tuple[str, List[str]]]:
    """(command line, expected output lines) for every console example of the page."""
    examples: List[Tuple[str, List[str]]] = []
    lines = DOC.read_text().splitlines()
    index = 0
    while index < len(lines):
        if lines[index].strip() != ".. code-block:: console":
            index += 1
            continue
        index += 1
        block = []
        while index < len(lines) and (not lines[index].strip() or lines[index].startswith(" ")):
            block.append(lines[index][3:])
            index += 1
        for line in block:
            if line.startswith("$ "):
                examples.append((line[2:], []))
            elif examples and (line or examples[-1][1]):
                examples[-1][1].append(line)
    return [(command, _trim(expected)) for command, expected in examples]


def _trim(lines: List[str]) -> List[str]:
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


EXAMPLES = _examples()


def test_the_matcher_rejects_what_differs() -> None:
    assert matches(["a ... c", "...", "z"], ["a b c", "x", "y", "z"])
    assert matches(["12:34:56 x"], ["00:00:01 x"])
    assert not matches(["a ... c"], ["a b d"])
    assert not matches(["a", "b"], ["a"])
    assert not matches(["a"], ["a", "extra"])


def test_the_page_has_examples_of_every_command() -> None:
    commands = {command.split()[1] for command, _ in EXAMPLES}
    assert commands == {"readers", "atr", "send", "scan", "doctor"}


@pytest.mark.parametrize("command, expected", EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_example(command, expected, stack_env, virtual_card, tmp_path) -> None:  # noqa: ANN001
    cache = tmp_path / ".cache"
    cache.mkdir()
    shutil.copy(CARD_LIST, cache / "smartcard_list.txt")
    python = f"{sys.executable} -m smartcard"
    result = subprocess.run(
        ["sh", "-c", re.sub(r"^pyscard\b", python, command) + " 2>&1"],
        env=cli_env({**stack_env, "HOME": str(tmp_path)}),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=str(REPO),
    )
    actual = [line.rstrip() for line in _trim(result.stdout.splitlines())]
    wanted = [line.rstrip() for line in expected]
    assert matches(wanted, actual), "\n".join(["expected:", *wanted, "got:", *actual])
