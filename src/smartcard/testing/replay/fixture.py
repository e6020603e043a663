# SPDX-License-Identifier: LGPL-2.1-or-later
"""What the ``pcsc_recording`` pytest marker sets up: a replayed recording for one test."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, List, Sequence

from smartcard.testing.replay.fake import ReplayBackend
from smartcard.testing.replay.player import ReplayMismatch

if TYPE_CHECKING:
    from smartcard.testing.replay.virtual import ReplayCard

__all__ = ["STACKS", "Replay", "find_recording"]

#: Where a replay runs: the fake backend (no daemon) or the private pcscd with a virtual card.
STACKS = ("fake", "pcscd")


@dataclass
class Replay:
    """A recording replayed for a test.

    On the fake backend (:attr:`backend`) or, on the real stack, as a card (:attr:`card`).
    """

    path: Path
    mode: str
    stack: str
    reader_names: List[str]
    backend: ReplayBackend | None = None
    card: ReplayCard | None = None
    _checked: bool = field(default=False, repr=False)

    @property
    def mismatches(self) -> List[ReplayMismatch]:
        """Every mismatch so far (each was also raised, or answered 6F 00 on the real stack)."""
        if self.backend is not None:
            return self.backend.mismatches
        return list(self.card.player.mismatches) if self.card is not None else []

    @property
    def remaining(self) -> int:
        """Strict mode: recorded exchanges the application has not made (yet)."""
        if self.backend is not None:
            return sum(player.remaining for player in self.backend.players.values())
        return self.card.player.remaining if self.card is not None else 0

    def check(self, complete: bool = False) -> None:
        """Raise the first mismatch; with ``complete``, also when exchanges were left unmade."""
        mismatches = self.mismatches
        if mismatches:
            raise mismatches[0]
        if complete and self.remaining:
            raise ReplayMismatch(
                f"replay mismatch: {self.remaining} recorded exchanges of {self.path}"
                " were never made"
            )


def find_recording(name: str, roots: Sequence[Path]) -> Path:
    """``name`` as given when absolute, else under the first of ``roots`` that has it."""
    path = Path(os.path.expanduser(name))
    if path.is_absolute():
        candidates = [path]
    else:
        candidates = [root / path for root in roots]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"no recording {name!r} (looked for {tried})")
