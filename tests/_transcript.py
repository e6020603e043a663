# SPDX-License-Identifier: LGPL-2.1-or-later
"""Comparing a command's output with the output a documentation page shows.

A shown line may hold ``...`` (any text) and times (``12:34:56``, any time);
a line that is only ``...`` stands for any number of lines. Trailing spaces
do not count.
"""

from __future__ import annotations

import re
from typing import List

_TIME = re.compile(r"\b\d\d:\d\d:\d\d\b")


def line_pattern(expected: str) -> re.Pattern[str]:
    pieces = [
        r"\d\d:\d\d:\d\d".join(re.escape(text) for text in _TIME.split(part))
        for part in expected.rstrip().split("...")
    ]
    return re.compile(".*".join(pieces))


def matches(expected: List[str], actual: List[str]) -> bool:
    """Whether ``actual`` lines are what ``expected`` shows (small inputs: recursion)."""
    if not expected:
        return not actual
    if expected[0].strip() == "...":
        return any(matches(expected[1:], actual[skip:]) for skip in range(len(actual) + 1))
    return (
        bool(actual)
        and line_pattern(expected[0]).fullmatch(actual[0].rstrip()) is not None
        and matches(expected[1:], actual[1:])
    )
