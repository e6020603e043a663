# SPDX-License-Identifier: LGPL-2.1-or-later
"""The text of a PC/SC recording: one JSON object per line, written to be read in a review.

The first line is a header::

    {"format": "pyscard-recording", "version": 1, "started": "2026-12-05T23:59:00Z",
     "redaction": ["..."]}

Every other line is an event: ``t`` (seconds since the start), ``event``, and
the event's fields. Bytes are hex pairs separated by spaces (``"00 A4 04 00"``);
a redacted byte is ``**``. PC/SC codes and constants are their ``SCARD_*``
names, protocols ``T0``/``T1``/``RAW`` joined by ``|``. A failed call has an
``error`` field with the code's name instead of its results. A redacted line
has a ``redacted`` field saying what was masked and why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple

from smartcard._pcsc import extension as pcsc
from smartcard._pcsc.errors import error_name

__all__ = [
    "FORMAT",
    "VERSION",
    "MASK",
    "Pattern",
    "Event",
    "RecordingError",
    "hex_text",
    "masked_hex",
    "parse_pattern",
    "pattern_bytes",
    "constant_name",
    "constant_value",
    "protocols_text",
    "protocols_value",
    "code_text",
    "code_value",
    "parse_lines",
]

FORMAT = "pyscard-recording"
VERSION = 1
#: How a redacted byte is written.
MASK = "**"

#: Bytes as a recording holds them: ``None`` where a byte was redacted.
Pattern = Tuple[Optional[int], ...]

_PROTOCOL_NAMES = (
    (pcsc.SCARD_PROTOCOL_T0, "T0"),
    (pcsc.SCARD_PROTOCOL_T1, "T1"),
    (pcsc.SCARD_PROTOCOL_RAW, "RAW"),
)


class RecordingError(ValueError):
    """A recording file that cannot be read: says which line and what is wrong."""


def hex_text(data: bytes) -> str:
    """``b"\\x00\\xa4"`` -> ``"00 A4"``."""
    return data.hex(" ").upper()


def masked_hex(data: bytes, masked: Iterable[int]) -> str:
    """``data`` as hex text with the bytes at ``masked`` positions written as ``**``."""
    hidden = set(masked)
    return " ".join(MASK if i in hidden else f"{b:02X}" for i, b in enumerate(data))


def parse_pattern(text: str) -> Pattern:
    """Hex text (``**`` for a redacted byte) -> bytes with ``None`` for redacted ones."""
    if not isinstance(text, str):
        raise TypeError(f"expected hex text, not {type(text).__name__}")
    compact = "".join(text.split())
    if len(compact) % 2:
        raise ValueError(f"odd number of hex digits in {text!r}")
    pairs = (compact[i : i + 2] for i in range(0, len(compact), 2))
    return tuple(None if pair == MASK else int(pair, 16) for pair in pairs)


def pattern_bytes(pattern: Pattern) -> bytes:
    """A pattern as bytes, redacted bytes as 00: what a replay can answer for them."""
    return bytes(0 if b is None else b for b in pattern)


def _constants(prefix: str) -> Dict[int, str]:
    table: Dict[int, str] = {}
    for name in sorted(dir(pcsc.scard)):
        value = getattr(pcsc.scard, name)
        if name.startswith(prefix) and isinstance(value, int):
            table.setdefault(value, name)
    return table


_NAME_TABLES: Dict[str, Dict[int, str]] = {}


def constant_name(prefix: str, value: int) -> str | int:
    """The ``prefix*`` constant named ``value`` (e.g. ``SCARD_SHARE_``), else the number."""
    table = _NAME_TABLES.get(prefix)
    if table is None:
        table = _NAME_TABLES[prefix] = _constants(prefix)
    return table.get(value, value)


def constant_value(value: Any) -> int:
    """A constant written by :func:`constant_name` back to its number."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    number = getattr(pcsc.scard, value, None) if isinstance(value, str) else None
    if not isinstance(value, str) or not value.startswith("SCARD_") or not isinstance(number, int):
        raise ValueError(f"not a PC/SC constant: {value!r}")
    return number


def protocols_text(mask: int) -> str:
    """``SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1`` -> ``"T0|T1"``; 0 -> ``""``."""
    names = [name for bit, name in _PROTOCOL_NAMES if mask & bit]
    rest = mask & ~sum(bit for bit, _name in _PROTOCOL_NAMES)
    if rest:
        names.append(f"0x{rest:X}")
    return "|".join(names)


def protocols_value(text: str) -> int:
    """The inverse of :func:`protocols_text`."""
    by_name = {name: bit for bit, name in _PROTOCOL_NAMES}
    mask = 0
    for part in filter(None, text.split("|")):
        mask |= by_name[part] if part in by_name else int(part, 0)
    return mask


def code_text(hresult: int) -> str:
    """A PC/SC result code as its ``SCARD_*`` name (hex when it has none)."""
    return error_name(hresult)


def code_value(text: str | int) -> int:
    """The inverse of :func:`code_text`, with this platform's value (and sign) of the code."""
    if isinstance(text, int):
        return text
    if text.startswith("0x"):
        return int(text, 16)
    # The extension's own constant first: on Windows PC/SC codes are negative.
    value = getattr(pcsc.scard, text, None)
    if text.startswith("SCARD_") and isinstance(value, int):
        return value
    from smartcard._pcsc.errors import BY_NAME

    info = BY_NAME.get(text)
    if info is None:
        raise ValueError(f"not a PC/SC result code name: {text!r}")
    return info.code


@dataclass
class Event:
    """One line of a recording: its ``event`` kind, time, fields, and where it is in the file."""

    kind: str
    t: float
    fields: Dict[str, Any]
    line: int = 0

    @property
    def error(self) -> int | None:
        """The PC/SC code the call failed with, or None when it succeeded."""
        text = self.fields.get("error")
        try:
            return None if text is None else code_value(text)
        except ValueError as exc:
            raise RecordingError(f"line {self.line}: {exc}") from None

    def pattern(self, key: str) -> Pattern:
        """A hex field (``command``, ``response``, ``data``...) as a :data:`Pattern`."""
        return parse_pattern(self.fields.get(key, ""))

    def to_json(self) -> str:
        head: Dict[str, Any] = {"t": round(self.t, 4), "event": self.kind}
        head.update(self.fields)
        return _dumps(head)


@dataclass
class Header:
    """The first line: format, version, start time, and the redaction rules in force."""

    started: str
    redaction: List[str] = field(default_factory=list)

    def to_json(self) -> str:
        return _dumps(
            {"format": FORMAT, "version": VERSION, "started": self.started,
             "redaction": self.redaction}
        )  # fmt: skip


def _dumps(data: Dict[str, Any]) -> str:
    # Text as it is, for a person to read; but a reader name the extension
    # decoded with surrogateescape (not UTF-8) cannot be written so: escaped,
    # it reads back as the same name.
    line = json.dumps(data, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(data)
    return line


def _parse_header(number: int, data: Mapping[str, Any]) -> Header:
    if data.get("format") != FORMAT:
        raise RecordingError(f"line {number}: not a pyscard recording (no format {FORMAT!r})")
    if data.get("version") != VERSION:
        raise RecordingError(f"line {number}: recording version {data.get('version')!r}"
                             f" is not supported (this library reads {VERSION})")  # fmt: skip
    rules = data.get("redaction", [])
    if not isinstance(rules, list) or not all(isinstance(rule, str) for rule in rules):
        raise RecordingError(f"line {number}: 'redaction' must be a list of rules (text)")
    return Header(str(data.get("started", "")), rules)


def parse_lines(lines: Iterable[str]) -> Iterator[Tuple[int, Header | Event]]:
    """The header and events of a recording's lines, with their line numbers.

    A file written by several processes (``pyscard record`` around a program
    that starts others) holds several headers; blank lines are skipped.
    """
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RecordingError(f"line {number}: not JSON ({exc.msg})") from None
        if not isinstance(data, dict):
            raise RecordingError(f"line {number}: expected a JSON object")
        if "format" in data:
            yield number, _parse_header(number, data)
            continue
        kind, t = data.pop("event", None), data.pop("t", 0.0)
        if not isinstance(kind, str) or not isinstance(t, (int, float)):
            raise RecordingError(f"line {number}: an event needs 'event' text and a 't' number")
        yield number, Event(kind, float(t), data, number)


def join_fields(pairs: Sequence[Tuple[str, Any]]) -> Dict[str, Any]:
    """Fields in the given order, leaving out those whose value is None."""
    return {key: value for key, value in pairs if value is not None}
