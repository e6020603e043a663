# SPDX-License-Identifier: LGPL-2.1-or-later
"""Record what an application exchanges with cards, to replay it later without the card.

Three ways to switch recording on, all at the library's one seam to PC/SC,
so every path is seen (pyscard framework, new API, asyncio, CLI, and
applications built on ``smartcard``):

* for a whole process, from outside: ``PYSCARD_RECORD=session.jsonl python app.py``;
* around a program: ``pyscard record -o session.jsonl -- python app.py``;
* in code: ``with smartcard.recording.record("session.jsonl"): ...`` (objects
  created inside the block are recorded).

The file has one JSON object per line, for a person to review: readers,
connections, ATRs, APDUs, control codes, attributes, transactions, card
insertions and removals, and errors by their ``SCARD_*`` names, with times
relative to the start. PINs are masked by default (see
:mod:`smartcard._pcsc.redaction`); ``redact=`` adds rules of your own.

Replay with :mod:`smartcard.testing.replay` (``VirtualCard.from_recording``,
the ``pcsc_recording`` pytest marker).
"""

from __future__ import annotations

import os
from typing import Iterable, Iterator, List, Union

from smartcard._pcsc import backend
from smartcard._pcsc.record_format import Event, Header, RecordingError, parse_lines
from smartcard._pcsc.recorder import (
    ENV_APPEND,
    ENV_PATH,
    ENV_REDACT,
    ENV_REDACT_PINS,
    Recorder,
    RecordingBackend,
)
from smartcard._pcsc.redaction import Exchange, Redaction, RedactionHook

__all__ = [
    "ENV_PATH",
    "ENV_APPEND",
    "ENV_REDACT",
    "ENV_REDACT_PINS",
    "Event",
    "Exchange",
    "Recording",
    "RecordingError",
    "Redaction",
    "RedactionHook",
    "read",
    "record",
]

Path = Union[str, "os.PathLike[str]"]


class record:
    """``with record(path):`` records the PC/SC calls of objects created inside the block.

    ``redact`` is one hook or several (see :class:`Redaction`);
    ``redact_pins=False`` turns the default PIN rules off (for a test card
    whose PIN is public). The recorder is also usable as
    ``recording = record(path).start()`` ... ``recording.stop()``.
    """

    def __init__(
        self,
        path: Path,
        redact: RedactionHook | Iterable[RedactionHook] = (),
        *,
        redact_pins: bool = True,
    ) -> None:
        hooks = [redact] if callable(redact) else list(redact)
        self.path = os.fspath(path)
        self._hooks = hooks
        self._redact_pins = redact_pins
        self._recorder: Recorder | None = None
        self._use: backend.use | None = None

    def start(self) -> record:
        if self._recorder is not None:
            raise RuntimeError("this recording has already started")
        inner = backend.current()  # first: when it fails, no file is left open
        self._recorder = Recorder(self.path, self._hooks, self._redact_pins)
        self._use = backend.use(RecordingBackend(inner, self._recorder))
        self._use.__enter__()
        return self

    def stop(self) -> None:
        if self._use is not None:
            self._use.__exit__(None, None, None)
            self._use = None
        if self._recorder is not None:
            self._recorder.close()

    def __enter__(self) -> record:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class Recording:
    """A recording read back: its headers (one per recording process) and its events."""

    def __init__(self, headers: List[Header], events: List[Event], path: str = "") -> None:
        self.headers = headers
        self.events = events
        self.path = path

    @property
    def redaction(self) -> List[str]:
        """The redaction rules that were in force, as the file states them."""
        rules: List[str] = []
        for header in self.headers:
            rules += [rule for rule in header.redaction if rule not in rules]
        return rules

    def of_kind(self, *kinds: str) -> Iterator[Event]:
        """The events of the given kinds, in order."""
        return (event for event in self.events if event.kind in kinds)

    @classmethod
    def from_lines(cls, lines: Iterable[str], path: str = "") -> Recording:
        headers: List[Header] = []
        events: List[Event] = []
        for number, item in parse_lines(lines):
            if isinstance(item, Header):
                headers.append(item)
            elif not headers:
                raise RecordingError(f"line {number}: an event before the recording's header")
            else:
                events.append(item)
        if not headers:
            raise RecordingError(f"{path or 'recording'}: empty, no header line")
        return cls(headers, events, path)


def read(path: Path) -> Recording:
    """Read a recording file (raises :class:`RecordingError` naming the bad line)."""
    name = os.fspath(path)
    with open(name, "rb") as lines:
        return Recording.from_lines(_utf8(lines), name)


def _utf8(lines: Iterable[bytes]) -> Iterator[str]:
    # Decoded line by line, so that a file that is not text fails naming its line.
    for number, line in enumerate(lines, start=1):
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError:
            raise RecordingError(f"line {number}: not UTF-8 text") from None
