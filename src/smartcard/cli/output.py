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

COLOUR_CHOICES = ("auto", "always", "never")

# Set once from --color by the command line's entry point; "auto" for library callers.
_choice = "auto"
# Whether a JSON document went to stdout: the entry point then adds no error object.
_json_written = False


def set_colour_choice(choice: str) -> None:
    """Record ``--color``: ``auto`` (environment and terminal decide), ``always``, ``never``."""
    global _choice
    if choice not in COLOUR_CHOICES:
        raise ValueError(f"colour choice must be one of {COLOUR_CHOICES}, not {choice!r}")
    _choice = choice


def colour_wanted(stream: TextIO) -> bool:
    """Whether to colour ``stream``, by the usual conventions, in this order.

    ``--color always|never`` decides; else ``NO_COLOR`` (https://no-color.org)
    turns colour off, ``FORCE_COLOR`` (https://force-color.org) on, then
    ``TERM=dumb`` or a stream that is not a terminal off. (Python 3.13's own
    colour logic uses the same order.) On Windows the console must accept ANSI
    sequences (virtual-terminal processing), else there is no colour.
    """
    if _choice != "auto":
        wanted = _choice == "always"
    elif os.environ.get("NO_COLOR", ""):
        return False
    elif os.environ.get("FORCE_COLOR", ""):
        wanted = True
    elif os.environ.get("TERM") == "dumb" or not _is_terminal(stream):
        return False
    else:
        wanted = True
    if wanted and sys.platform == "win32" and _is_terminal(stream):
        # A console that cannot interpret the sequences would print them raw.
        return _enable_windows_vt(stream) or _choice == "always"
    return wanted


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def _enable_windows_vt(stream: TextIO) -> bool:
    """Turn on ENABLE_VIRTUAL_TERMINAL_PROCESSING for the console behind ``stream``."""
    try:
        import ctypes
        import msvcrt

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
        handle = msvcrt.get_osfhandle(stream.fileno())  # type: ignore[attr-defined,unused-ignore]
        mode = ctypes.c_uint32()
        if not kernel32.GetConsoleMode(handle, ctypes.byref(mode)):
            return False
        enable_vt = 0x0004  # ENABLE_VIRTUAL_TERMINAL_PROCESSING, Windows 10 and later
        if mode.value & enable_vt:
            return True
        return bool(kernel32.SetConsoleMode(handle, mode.value | enable_vt))
    except (ImportError, AttributeError, OSError, ValueError):
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
    global _json_written
    out = sys.stdout if stream is None else stream
    if lines:
        out.write(json.dumps(document, sort_keys=False, separators=(",", ":")) + "\n")
    else:
        out.write(json.dumps(document, indent=2) + "\n")
    out.flush()
    if out is sys.stdout and not lines:
        # A JSON Lines stream (scan) can take one more line for the error; a document cannot.
        _json_written = True


def json_written() -> bool:
    """Whether :func:`print_json` wrote a whole document (not a JSON line) to standard output."""
    return _json_written


def hex_compact(data: bytes | list[int] | None) -> str | None:
    """Bytes as uppercase hex without blanks (the JSON form), None stays None."""
    if data is None:
        return None
    return bytes(data).hex().upper()


def hex_spaced(data: bytes | list[int]) -> str:
    """Bytes as uppercase hex pairs separated by blanks (the text form)."""
    return bytes(data).hex(" ").upper()
