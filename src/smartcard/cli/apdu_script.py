# SPDX-License-Identifier: LGPL-2.1-or-later
"""APDU scripts in the format of pcsc-tools' ``scriptor``.

One command a line: an APDU in hex (blanks optional: ``00 A4 04 00`` or
``00A40400``), ``reset`` to reset the card, ``exit`` to stop reading. Lines
starting with ``#`` and blank lines are skipped, text after a ``#`` is a
comment, and a line ending in ``\\`` continues on the next one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from smartcard.cli.errors import UsageError
from smartcard.cli.hexinput import parse_hex

# ISO 7816-4: CLA INS P1 P2 is the shortest command APDU.
MIN_APDU_LENGTH = 4


@dataclass(frozen=True)
class Step:
    """One thing to do: send ``apdu``, or reset the card when ``apdu`` is None."""

    apdu: bytes | None
    line: int | None  # where it came from (1-based), None for command-line arguments
    source: str

    @property
    def is_reset(self) -> bool:
        return self.apdu is None

    def where(self) -> str:
        return self.source if self.line is None else f"{self.source}, line {self.line}"


def parse_step(text: str, line: int | None, source: str) -> Step | None:
    """The step written in ``text`` (None for a blank line); raise :class:`UsageError`."""
    text = text.split("#", 1)[0].strip()
    if not text:
        return None
    if text.lower() == "reset":
        return Step(apdu=None, line=line, source=source)
    where = f"{source}:" if line is None else f"{source}, line {line}:"
    apdu = parse_hex(text, f"{where} APDU")
    if len(apdu) < MIN_APDU_LENGTH:
        raise UsageError(
            f"{where} APDU {text!r} has {len(apdu)} byte(s); a command APDU has at "
            f"least {MIN_APDU_LENGTH} (CLA INS P1 P2)"
        )
    return Step(apdu=apdu, line=line, source=source)


def _logical_lines(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(first line number, text) with ``\\`` continuations joined; stops at ``exit``."""
    pending = ""
    start = 0
    for number, raw in enumerate(lines, 1):
        text = raw.rstrip("\r\n")
        if not pending:
            start = number
            if text.lstrip().startswith("#"):
                continue
            if text.strip().lower() == "exit":
                return
        if text.rstrip().endswith("\\"):
            pending += text.rstrip()[:-1] + " "
            continue
        yield start, pending + text
        pending = ""
    if pending:
        yield start, pending


def iter_script(lines: Iterable[str], source: str) -> Iterator[Step]:
    """Steps of a script, parsed as they are read (for interactive input)."""
    for number, text in _logical_lines(lines):
        step = parse_step(text, number, source)
        if step is not None:
            yield step


def parse_script(lines: Iterable[str], source: str) -> list[Step]:
    """All steps of a script: every line is checked before anything is sent."""
    return list(iter_script(lines, source))


def parse_arguments(arguments: Iterable[str]) -> list[Step]:
    """Steps given on the command line: one APDU (or ``reset``) per argument."""
    steps = []
    for index, argument in enumerate(arguments, 1):
        step = parse_step(argument, None, f"argument {index}")
        if step is None:
            raise UsageError(f"argument {index} is empty")
        steps.append(step)
    return steps
