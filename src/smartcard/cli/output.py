# SPDX-License-Identifier: LGPL-2.1-or-later
"""Writing results: colour only where a person reads them, JSON for scripts."""

from __future__ import annotations

import json
import os
import sys
from typing import Any, TextIO

_CODES = {
    "bold": "1",
    "dim": "2",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "blue": "34",
    "magenta": "35",
    "cyan": "36",
}


def colour_wanted(stream: TextIO) -> bool:
    """Colour on a terminal only, and never when ``NO_COLOR`` is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR", ""):
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


class Style:
    """Wraps text in ANSI colour codes when enabled, else returns it unchanged."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    @classmethod
    def for_stream(cls, stream: TextIO | None = None) -> Style:
        return cls(colour_wanted(sys.stdout if stream is None else stream))

    def __call__(self, text: str, *styles: str) -> str:
        if not self.enabled or not styles:
            return text
        codes = ";".join(_CODES[name] for name in styles)
        return f"\033[{codes}m{text}\033[0m"

    # Verdict colours, used the same way by every command.
    def ok(self, text: str) -> str:
        return self(text, "green")

    def warn(self, text: str) -> str:
        return self(text, "yellow")

    def bad(self, text: str) -> str:
        return self(text, "red", "bold")

    def label(self, text: str) -> str:
        return self(text, "bold")

    def value(self, text: str) -> str:
        return self(text, "cyan")


def print_json(document: Any, stream: TextIO | None = None, *, lines: bool = False) -> None:
    """Write ``document`` as JSON; ``lines`` makes it one line (JSON Lines, for streams)."""
    out = sys.stdout if stream is None else stream
    if lines:
        out.write(json.dumps(document, sort_keys=False, separators=(",", ":")) + "\n")
    else:
        out.write(json.dumps(document, indent=2) + "\n")
    out.flush()


def hex_compact(data: bytes | list[int] | None) -> str | None:
    """Bytes as uppercase hex without blanks (the JSON form), None stays None."""
    if data is None:
        return None
    return bytes(data).hex().upper()


def hex_spaced(data: bytes | list[int]) -> str:
    """Bytes as uppercase hex pairs separated by blanks (the text form)."""
    return bytes(data).hex(" ").upper()
