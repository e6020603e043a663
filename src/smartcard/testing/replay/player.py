# SPDX-License-Identifier: LGPL-2.1-or-later
"""Answering a reader's commands from its recorded exchanges, strictly in order or by lookup.

Strict: the application must send the recorded commands in the recorded
order; the first other command raises :class:`ReplayMismatch`, which shows
the expected and the actual command and where in the recording it happened.
Lookup: each command gets the answer recorded for it, whatever the order
(the n-th time a command is sent it gets the n-th recorded answer, then the
last one again). In both, a redacted byte (a PIN, say) matches any byte.
"""

from __future__ import annotations

import threading
from typing import Dict, List, Sequence, Tuple

from smartcard._pcsc.record_format import Pattern, hex_text
from smartcard.testing.replay.script import Step

__all__ = ["MODES", "ReplayMismatch", "ExchangePlayer"]

MODES = ("strict", "lookup")


class ReplayMismatch(AssertionError):
    """The application did not send what the recording holds.

    An ``AssertionError``, so that pytest reports it as a test failure with its message.
    """


def pattern_text(pattern: Pattern) -> str:
    return " ".join("**" if b is None else f"{b:02X}" for b in pattern)


def _describe(kind: str, command: bytes, code: int | None) -> str:
    what = hex_text(command) or "(empty)"
    return what if kind == "transmit" else f"control 0x{code or 0:08X} {what}"


def _describe_step(step: Step) -> str:
    what = pattern_text(step.command) or "(empty)"
    return what if step.kind == "transmit" else f"control 0x{step.code or 0:08X} {what}"


class ExchangePlayer:
    """Answers for one reader, from its recorded :class:`Step` list."""

    def __init__(self, reader: str, steps: Sequence[Step], mode: str, source: str) -> None:
        if mode not in MODES:
            raise ValueError(f"replay mode is one of {MODES}, not {mode!r}")
        self.reader = reader
        self.steps = list(steps)
        self.mode = mode
        self.source = source
        self.position = 0  # strict: the next step expected
        self.mismatches: List[ReplayMismatch] = []
        self._lock = threading.Lock()
        self._uses: Dict[int, int] = {}  # lookup: step index -> times answered
        self._exact: Dict[Tuple[str, int | None, bytes], List[int]] = {}
        self._redacted: List[int] = []
        for index, step in enumerate(self.steps):
            if None in step.command:
                self._redacted.append(index)
            else:
                key = (step.kind, step.code, bytes(b for b in step.command if b is not None))
                self._exact.setdefault(key, []).append(index)

    @property
    def remaining(self) -> int:
        """How many recorded exchanges the application has not made (yet)."""
        with self._lock:
            if self.mode == "strict":
                return len(self.steps) - self.position
            return len(self.steps) - len(self._uses)

    def answer(self, kind: str, command: bytes, code: int | None = None) -> bytes | int:
        """The recorded answer to ``command``: response bytes or a PC/SC error code."""
        with self._lock:
            if self.mode == "strict":
                return self._next(kind, command, code).answer
            return self._look_up(kind, command, code).answer

    def absorb_failure(self, kind: str, command: bytes, code: int | None = None) -> bool:
        """Take the recorded failure of ``command`` as made, when the replay's own state failed it.

        A replayed removal, reset or protocol makes the fake fail the call
        before it reaches the card, as it failed when recorded: that call
        stands for the recorded failure. False when the recording has no
        such failure here (strict) or unused (lookup).
        """
        with self._lock:
            if self.mode == "strict":
                if self.position < len(self.steps):
                    step = self.steps[self.position]
                    if isinstance(step.answer, int) and step.matches(kind, command, code):
                        self.position += 1
                        return True
                return False
            for index, step in enumerate(self.steps):
                if (isinstance(step.answer, int) and index not in self._uses
                        and step.matches(kind, command, code)):  # fmt: skip
                    self._uses[index] = 1
                    return True
            return False

    def _next(self, kind: str, command: bytes, code: int | None) -> Step:
        if self.position >= len(self.steps):
            self._fail(
                f"the recording holds {len(self.steps)} exchanges with reader {self.reader!r},"
                f" all made; then got {_describe(kind, command, code)}"
            )
        step = self.steps[self.position]
        if not step.matches(kind, command, code):
            self._fail(
                f"exchange {self.position + 1} of {len(self.steps)} with reader {self.reader!r}"
                f" ({self.source} line {step.line}):\n"
                f"  expected {_describe_step(step)}\n"
                f"  got      {_describe(kind, command, code)}"
            )
        self.position += 1
        return step

    def _look_up(self, kind: str, command: bytes, code: int | None) -> Step:
        candidates = self._exact.get((kind, code, command))
        if candidates is None:
            candidates = [i for i in self._redacted if self.steps[i].matches(kind, command, code)]
        if not candidates:
            self._fail(
                f"no recorded answer to {_describe(kind, command, code)} on reader"
                f" {self.reader!r} in {self.source}"
            )
        uses = [self._uses.get(i, 0) for i in candidates]
        # The first answer not given yet; once all are given, the last one again.
        unused = [i for i, used in zip(candidates, uses) if not used]
        index = unused[0] if unused else candidates[-1]
        self._uses[index] = self._uses.get(index, 0) + 1
        return self.steps[index]

    def _fail(self, message: str) -> None:
        mismatch = ReplayMismatch(f"replay mismatch: {message}")
        self.mismatches.append(mismatch)
        raise mismatch
