# SPDX-License-Identifier: LGPL-2.1-or-later
"""A recording read per reader: its card, what it was asked and answered, and when cards moved.

Card handles are numbered in the file (``"card": 1``); the ``connect`` events
say which reader each number belongs to, so exchanges are grouped by reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List

from smartcard._pcsc.record_format import (
    Event,
    Pattern,
    constant_value,
    parse_pattern,
    pattern_bytes,
    protocols_value,
)
from smartcard.recording import Recording

__all__ = ["DEFAULT_ATR", "Step", "CardMove", "ReaderScript", "ReplayScript", "build"]

#: The ATR of a recorded card whose ATR the recording never shows.
DEFAULT_ATR = bytes.fromhex("3B 80 80 01 01")


@dataclass(frozen=True)
class Step:
    """One recorded exchange: what was sent and what came back (bytes, or a PC/SC code)."""

    kind: str  # "transmit" or "control"
    command: Pattern
    answer: bytes | int
    line: int
    code: int | None = None  # the control code

    def matches(self, kind: str, command: bytes, code: int | None) -> bool:
        """``command`` is the recorded one; a redacted byte matches any byte."""
        if kind != self.kind or code != self.code or len(command) != len(self.command):
            return False
        return all(want is None or want == got for want, got in zip(self.command, command))


@dataclass(frozen=True)
class CardMove:
    """A recorded insertion (``atr`` set) or removal, after ``after`` exchanges of any reader."""

    reader: str
    atr: bytes | None
    after: int
    t: float
    line: int


@dataclass
class ReaderScript:
    """What the recording says about one reader."""

    name: str
    atr: bytes | None = None  # the first card seen in it
    present: bool = False  # whether a card is in it when the replay starts
    protocols: int | None = None  # the protocol of its first connection, for the replayed card
    sighted: bool = False  # whether the recording has said yet what was in it at the start
    steps: List[Step] = field(default_factory=list)
    # Attribute -> its recorded answers in order (a value, or a PC/SC code).
    attributes: Dict[int, List[bytes | int]] = field(default_factory=dict)
    connect_errors: List[int | None] = field(default_factory=list)


@dataclass
class ReplayScript:
    """The readers of a recording, in order of appearance, and the card moves between exchanges."""

    readers: Dict[str, ReaderScript]
    moves: List[CardMove]
    exchanges: int
    source: str = "recording"


def _bytes(text: str) -> bytes:
    return pattern_bytes(parse_pattern(text))


class _Builder:
    def __init__(self, source: str) -> None:
        self.readers: Dict[str, ReaderScript] = {}
        self.card_reader: Dict[int, str] = {}
        self.moves: List[CardMove] = []
        self.exchanges = 0
        self.source = source

    def reader(self, name: str) -> ReaderScript:
        script = self.readers.get(name)
        if script is None:
            script = self.readers[name] = ReaderScript(name)
        return script

    def seen(self, name: str, atr: bytes | None, first: bool) -> None:
        """A sighting of ``name``'s card (``atr``) or of no card; ``first``: not a move."""
        script = self.reader(name)
        if atr is not None and script.atr is None:
            script.atr = atr
        if not script.sighted:
            # What the first sighting shows was there from the start, unless it is a move.
            script.sighted = True
            script.present = first and atr is not None

    def add(self, event: Event) -> None:
        fields = event.fields
        kind = event.kind
        if kind == "readers":
            for name in fields.get("readers", []):
                self.reader(name)
        elif kind in ("card_present", "card_absent"):
            atr = fields.get("atr")
            self.seen(fields["reader"], _bytes(atr) if atr else None, first=True)
        elif kind in ("card_inserted", "card_removed"):
            # An insertion with an empty ATR is a mute card (b""), not a removal.
            atr = _bytes(fields.get("atr", "")) if kind == "card_inserted" else None
            self.seen(fields["reader"], atr, first=False)
            self.moves.append(CardMove(fields["reader"], atr, self.exchanges, event.t, event.line))
        elif kind == "connect":
            self.connect(event)
        elif kind == "status" and "card" in fields and fields.get("atr"):
            # (An empty ATR: a direct connection to an empty reader, no card.)
            reader = self.card_reader.get(fields["card"])
            if reader is not None:
                self.seen(reader, _bytes(fields["atr"]), first=True)
        elif kind == "get_attribute":
            self.attribute(event)
        elif kind in ("transmit", "control"):
            self.exchange(event)

    def connect(self, event: Event) -> None:
        fields = event.fields
        script = self.reader(fields["reader"])
        script.connect_errors.append(event.error)
        if "card" in fields:
            self.card_reader[fields["card"]] = script.name
            protocol = protocols_value(fields.get("protocol", ""))
            if protocol and script.protocols is None:
                script.protocols = protocol
            # A connection with a protocol (not a direct one) means a card was there.
            if protocol and not script.sighted:
                script.sighted = script.present = True

    def attribute(self, event: Event) -> None:
        fields = event.fields
        reader = self.card_reader.get(fields.get("card", 0))
        if reader is None:
            return
        answers = self.reader(reader).attributes.setdefault(constant_value(fields["attribute"]), [])
        error = event.error
        answers.append(_bytes(fields.get("value", "")) if error is None else error)

    def exchange(self, event: Event) -> None:
        fields = event.fields
        reader = self.card_reader.get(fields.get("card", 0))
        if reader is None:
            return  # on a handle the file never saw connected: nothing to replay it on
        key = "command" if event.kind == "transmit" else "data"
        error = event.error
        answer = error if error is not None else pattern_bytes(event.pattern("response"))
        code = fields.get("code")
        step = Step(event.kind, event.pattern(key), answer, event.line,
                    None if code is None else int(str(code), 0))  # fmt: skip
        self.reader(reader).steps.append(step)
        self.exchanges += 1


def build(recording: Recording) -> ReplayScript:
    """Group ``recording``'s events by reader."""
    builder = _Builder(recording.path or "recording")
    for event in recording.events:
        builder.add(event)
    for script in builder.readers.values():
        if script.present and script.atr is None:
            script.atr = DEFAULT_ATR
    return ReplayScript(builder.readers, builder.moves, builder.exchanges, builder.source)
