# SPDX-License-Identifier: LGPL-2.1-or-later
"""Replaying a recording on the fake backend: no pcscd, the recorded readers by their names.

Each recorded reader becomes a fake reader; a card recorded in it becomes a
:class:`~smartcard.testing.fake.FakeCard` with the recorded ATR whose APDUs
(and the reader's control codes) are answered by an :class:`ExchangePlayer`.
Recorded failures of a connect or an exchange are answered with the same
code. Recorded insertions and removals happen once the application has made
the exchanges recorded before them, after the recorded pause (at most
``max_pause`` seconds, so a replay never waits as long as a person did).
"""

from __future__ import annotations

import os
import threading
from functools import partial
from typing import Any, Dict, List, Union

from smartcard._pcsc import extension as pcsc
from smartcard._pcsc.backend import use
from smartcard._pcsc.buffers import buffer_bytes
from smartcard.recording import Recording, read
from smartcard.testing.fake.backend import FakeBackend
from smartcard.testing.fake.card import FakeCard
from smartcard.testing.replay.player import ExchangePlayer, ReplayMismatch
from smartcard.testing.replay.script import DEFAULT_ATR, ReaderScript, ReplayScript, build

__all__ = ["ReplayBackend", "replay_backend", "load_script"]

Source = Union[str, "os.PathLike[str]", Recording, ReplayScript]


def load_script(source: Source) -> ReplayScript:
    """A recording file, a read :class:`Recording` or a built script, as a :class:`ReplayScript`."""
    if isinstance(source, ReplayScript):
        return source
    recording = source if isinstance(source, Recording) else read(source)
    return build(recording)


class ReplayBackend(FakeBackend):
    """A :class:`FakeBackend` whose cards and readers answer as the recording says."""

    def __init__(self, script: ReplayScript, mode: str = "strict", max_pause: float = 0.1) -> None:
        super().__init__(pnp=True)
        self.recorded = script
        self.mode = mode
        self.max_pause = max_pause
        self.players: Dict[str, ExchangePlayer] = {
            name: ExchangePlayer(name, reader.steps, mode, script.source)
            for name, reader in script.readers.items()
        }
        self._connect_outcomes = {
            name: list(reader.connect_errors) for name, reader in script.readers.items()
        }
        self._attributes = {
            name: {key: list(values) for key, values in reader.attributes.items()}
            for name, reader in script.readers.items()
        }
        self._answered = 0
        self._asked = threading.local()  # whether this thread's transmit reached a player
        self._installed: use | None = None
        self._moves_done = 0
        self._stopping = False
        for name, reader in script.readers.items():
            card = self._card(reader, reader.atr) if reader.present else None
            self.add_reader(name, card)
        self._mover = threading.Thread(target=self._play_moves, name="replay moves", daemon=True)
        self._mover.start()

    # -- what the application sees --------------------------------------------

    @property
    def mismatches(self) -> List[ReplayMismatch]:
        """Every mismatch raised so far, on any reader."""
        return [m for player in self.players.values() for m in player.mismatches]

    def check(self) -> None:
        """Raise the first mismatch, if the application ever strayed from the recording."""
        mismatches = self.mismatches
        if mismatches:
            raise mismatches[0]

    def wait_moves(self, timeout: float = 5.0) -> bool:
        """Wait until every recorded insertion and removal has been replayed."""
        with self._cond:
            total = len(self.recorded.moves)
            return self._cond.wait_for(lambda: self._moves_done == total, timeout)

    def __enter__(self) -> ReplayBackend:
        """``with replay_backend(path) as fake:``: the library talks to the replay inside."""
        if self._installed is not None:
            raise RuntimeError("this replay is already installed")
        self._installed = use(self)
        self._installed.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._installed is not None:
            self._installed.__exit__(None, None, None)
            self._installed = None
        self.close()

    def close(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        super().close()

    # -- answers ----------------------------------------------------------------

    def _card(self, reader: ReaderScript, atr: bytes | None) -> FakeCard:
        player = self.players[reader.name]

        def answer(command: bytes) -> bytes | int:
            self._asked.yes = True
            try:
                return player.answer("transmit", command)
            finally:
                self._exchanged()

        # The recorded protocol, not the lowest the ATR offers: pcsc-lite
        # picks T=1 when a card offers both.
        # An empty ATR is a mute card: seen in the reader, not connectable.
        return FakeCard(atr or DEFAULT_ATR, answer, reader.protocols, mute=atr == b"")

    def _player_of(self, hcard: int) -> ExchangePlayer | None:
        """The player of the reader ``hcard`` is connected to (None for an unknown handle)."""
        with self._cond:
            handle = self._handles.get(hcard)
            return self.players.get(handle.reader) if handle is not None else None

    def SCardTransmit(self, hcard: int, pci: int, apdu: Any, /) -> Any:
        player = self._player_of(hcard)
        self._asked.yes = False
        result = super().SCardTransmit(hcard, pci, apdu)
        if player is not None and result[0] != pcsc.SCARD_S_SUCCESS and not self._asked.yes:
            # The fake's own state failed the call (a replayed removal or
            # reset, a stale handle): it stands for the failure recorded here.
            if player.absorb_failure("transmit", buffer_bytes("SCardTransmit", "apdu", apdu)):
                self._exchanged()
        return result

    def _exchanged(self) -> None:
        with self._cond:
            self._answered += 1
            self._cond.notify_all()

    def SCardConnect(self, hcontext: int, reader: str, share: int, protocols: int, /) -> Any:
        with self._cond:
            outcomes = self._connect_outcomes.get(reader)
            recorded = outcomes.pop(0) if outcomes else None
        if recorded is not None:
            result = [recorded, 0, 0]
            return self._call("SCardConnect", (hcontext, reader, share, protocols), lambda: result)
        return super().SCardConnect(hcontext, reader, share, protocols)

    def SCardGetAttrib(self, hcard: int, attribute: int, /) -> Any:
        answer: bytes | int | None = None
        with self._cond:
            handle = self._handles.get(hcard)
            answers = self._attributes.get(handle.reader, {}).get(attribute) if handle else None
            if answers:
                # The recorded answers in turn, then the last one again.
                answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if answer is None:
            return super().SCardGetAttrib(hcard, attribute)
        result = [answer, []] if isinstance(answer, int) else [pcsc.SCARD_S_SUCCESS, list(answer)]
        return self._call("SCardGetAttrib", (hcard, attribute), lambda: result)

    def SCardControl(self, hcard: int, code: int, data: Any, /) -> Any:
        player = self._player_of(hcard)
        if player is None:
            return super().SCardControl(hcard, code, data)
        command = buffer_bytes("SCardControl", "inbuffer", data)

        def model() -> Any:
            try:
                answer = player.answer("control", command, code)
            finally:
                self._exchanged()
            if isinstance(answer, int):
                return [answer, []]
            return [pcsc.SCARD_S_SUCCESS, list(answer)]

        return self._call("SCardControl", (hcard, code, list(command)), model)

    # -- recorded insertions and removals --------------------------------------

    def _play_moves(self) -> None:
        previous_t = 0.0
        for move in self.recorded.moves:
            with self._cond:
                self._cond.wait_for(partial(self._reached, move.after))
                if self._stopping:
                    return
                # The recorded pause, shortened: the event's place among the
                # exchanges is what matters, the pause only lets pollers see it.
                pause = min(max(move.t - previous_t, 0.0), self.max_pause)
                previous_t = move.t
                if self._cond.wait_for(lambda: self._stopping, pause):
                    return
                self._move(move.reader, move.atr)
                self._moves_done += 1
                self._cond.notify_all()

    def _reached(self, exchanges: int) -> bool:
        return self._stopping or self._answered >= exchanges

    def _move(self, reader: str, atr: bytes | None) -> None:
        if atr is None:
            self.remove_card(reader)
            return
        if self.card(reader) is not None:
            self.remove_card(reader)  # a card swapped between two polls
        self.insert_card(reader, self._card(self.recorded.readers[reader], atr))


def replay_backend(source: Source, mode: str = "strict", max_pause: float = 0.1) -> ReplayBackend:
    """A fake PC/SC service answering as the recording ``source`` says.

    ``with replay_backend(path):`` installs it for the block (the library's
    contexts, connections and monitors created inside talk to it) and closes
    it at the end; the ``pcsc_recording`` pytest marker does that for a
    test. ``mode`` is ``"strict"`` or ``"lookup"`` (see
    :mod:`smartcard.testing.replay.player`).
    """
    return ReplayBackend(load_script(source), mode, max_pause)
