# SPDX-License-Identifier: LGPL-2.1-or-later
"""What the APDU console runs: script lines parsed by the CLI's parser, sent through its session.

No wx here. :func:`steps_at_line` picks the command under the cursor;
:func:`run_steps` connects to the reader, runs the steps and reports each
result through a callback (the console calls it on a worker thread).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable, Sequence

from smartcard.cli.apdu_script import Step, parse_script
from smartcard.cli.card_session import CardSession
from smartcard.cli.errors import CLIError, describe, library_errors
from smartcard.sw import describe_sw


@dataclass(frozen=True)
class Outcome:
    """One row of the console's results: a sent APDU, a reset, or a failure."""

    line: int | None
    command: str  # hex, or "reset"
    response: str = ""  # response data in hex (the ATR after a reset)
    sw: str = ""  # "90 00"
    meaning: str = ""  # the status word's ISO 7816-4 meaning, or what failed
    failed: bool = False


def _logical_bounds(lines: Sequence[str], number: int) -> tuple[int, int]:
    """First and last line (1-based) of the logical line, ``\\`` continuations joined."""
    start = number
    while start > 1 and lines[start - 2].rstrip().endswith("\\"):
        start -= 1
    end = number
    while end < len(lines) and lines[end - 1].rstrip().endswith("\\"):
        end += 1
    return start, end


def steps_at_line(text: str, number: int, source: str) -> list[Step]:
    """The step written on line ``number`` (1-based) of ``text``: [] on a blank or comment line.

    Raises UsageError when that line is not a valid command.
    """
    lines = text.splitlines()
    if not 1 <= number <= len(lines):
        return []
    start, end = _logical_bounds(lines, number)
    steps = parse_script(lines[start - 1 : end], source)
    # The parser numbered the lines from 1 within the slice.
    return [dataclasses.replace(step, line=start + (step.line or 1) - 1) for step in steps]


def _hex(data: bytes) -> str:
    return " ".join(f"{byte:02X}" for byte in data)


def run_steps(
    reader: str,
    steps: Sequence[Step],
    report: Callable[[Outcome], None],
    on_atr: Callable[[bytes], None],
    get_response: bool = False,
) -> None:
    """Connect to the card in ``reader``, run ``steps``, report each; stop at the first failure."""
    current: Step | None = None
    try:
        with CardSession(reader, get_response=get_response) as session:
            on_atr(session.atr)
            for current in steps:
                step = current
                if step.apdu is None:
                    atr = session.reset()
                    on_atr(atr)
                    report(Outcome(step.line, "reset", _hex(atr), meaning="card reset; new ATR"))
                    continue
                result = session.transmit(step.apdu)
                report(
                    Outcome(
                        step.line,
                        _hex(step.apdu),
                        _hex(result.data),
                        f"{result.sw1:02X} {result.sw2:02X}",
                        describe_sw(result.sw1, result.sw2),
                    )
                )
    except CLIError as exc:
        report(_failure(current, str(exc)))
    except library_errors() as exc:
        report(_failure(current, describe(exc)))


def _failure(step: Step | None, message: str) -> Outcome:
    """The row of a failure: on the step that failed, or on none when connecting failed."""
    if step is None:
        return Outcome(None, "", meaning=message, failed=True)
    command = "reset" if step.apdu is None else _hex(step.apdu)
    return Outcome(step.line, command, meaning=message, failed=True)
