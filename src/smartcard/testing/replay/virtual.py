# SPDX-License-Identifier: LGPL-2.1-or-later
"""Replaying a recording on the real stack: a virtual card, for a vpcd reader of the private pcscd.

The card has the recorded ATR and answers APDUs from the recorded exchanges
of one reader. Only the card is replayed: control codes and attributes go
to the reader driver (vpcd), and insertions and removals are the test's to
make; the fake backend (:mod:`smartcard.testing.replay.fake`) replays those.
A mismatch answers ``6F 00`` to the application and is kept in the card's
``errors`` (and raised by the ``pcsc_replay`` fixture at the end of the test).
"""

from __future__ import annotations

from smartcard.testing.card import VirtualCard
from smartcard.testing.replay.fake import Source, load_script
from smartcard.testing.replay.player import ExchangePlayer, ReplayMismatch

__all__ = ["ReplayCard", "card_from_recording"]


class ReplayCard(VirtualCard):
    """A :class:`VirtualCard` answering from :attr:`player`, an :class:`ExchangePlayer`."""

    def __init__(self, atr: bytes | None, player: ExchangePlayer) -> None:
        self.player = player
        super().__init__(atr=atr, handler=self._answer)

    def _answer(self, command: bytes) -> bytes:
        response = self.player.answer("transmit", command)
        if isinstance(response, int):
            # A card cannot fail a call with a PC/SC code: only the fake backend
            # replays those. A mismatch, so the test fails rather than pass on 6F 00.
            mismatch = ReplayMismatch(
                f"replay mismatch: {command.hex(' ').upper()} failed with {response:#010x}"
                f" when recorded ({self.player.source}); a card on the real stack cannot"
                " play a PC/SC failure: replay this recording on the fake backend"
            )
            self.player.mismatches.append(mismatch)
            raise mismatch
        return response


def card_from_recording(
    source: Source, reader: str | None = None, mode: str = "strict"
) -> ReplayCard:
    """A :class:`VirtualCard` answering as the card in ``reader`` of the recording did.

    ``reader`` defaults to the first reader that exchanged APDUs.
    """
    script = load_script(source)
    if reader is None:
        busy = [name for name, r in script.readers.items() if r.steps]
        if not busy:
            raise ValueError(f"{script.source} holds no APDU exchange to replay")
        reader = busy[0]
    recorded = script.readers.get(reader)
    if recorded is None:
        raise ValueError(f"{script.source} has no reader {reader!r}: {sorted(script.readers)}")
    player = ExchangePlayer(reader, [s for s in recorded.steps if s.kind == "transmit"],
                            mode, script.source)  # fmt: skip

    return ReplayCard(recorded.atr or None, player)
