# SPDX-License-Identifier: LGPL-2.1-or-later
"""Replay on the fake backend: strict and lookup answers, redacted commands, errors, card moves."""

from __future__ import annotations

import threading
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Callable, Iterator, List, Sequence, Tuple

import pytest

from smartcard import scard
from smartcard.CardMonitoring import CardMonitor, CardObserver
from smartcard.Exceptions import CardConnectionException
from smartcard.recording import RecordingError, record
from smartcard.System import readers
from smartcard.testing import FakeBackend, FakeCard, VirtualCard
from smartcard.testing.replay import ReplayBackend, ReplayMismatch, load_script, replay_backend

READER = "Fake Reader 00 00"
ATR = bytes.fromhex("3B 80 01 81")  # T=1 only
OTHER_ATR = bytes.fromhex("3B 80 01 81 42")
SELECT = [0x00, 0xA4, 0x04, 0x00, 0x02, 0xA0, 0x01]
READ = [0x00, 0xB0, 0x00, 0x00, 0x02]
VERIFY_1234 = [0x00, 0x20, 0x00, 0x80, 0x04, 0x31, 0x32, 0x33, 0x34]
ANSWERS = {bytes(SELECT): "90 00", bytes(READ): "CA FE 90 00", bytes(VERIFY_1234): "90 00"}
REMOVED_CARD = 0x80100069

Answer = Tuple[List[int], int, int]
Recorded = Callable[..., Path]
Replaying = Callable[..., ReplayBackend]


def session(apdus: Sequence[Sequence[int]]) -> List[Answer]:
    """Connect through the pyscard framework, send ``apdus``, disconnect."""
    connection = readers()[0].createConnection()
    connection.connect()
    try:
        return [connection.transmit(list(apdu)) for apdu in apdus]
    finally:
        connection.disconnect()


@pytest.fixture
def recorded(fake_pcsc: FakeBackend, tmp_path: Path) -> Recorded:
    """``recorded(apdus)``: a framework session with a fake card, recorded; the file."""

    def make(apdus: Sequence[Sequence[int]]) -> Path:
        fake_pcsc.add_reader(READER, FakeCard(ATR, ANSWERS))
        path = tmp_path / "session.jsonl"
        with record(path):
            session(apdus)
        return path

    return make


@pytest.fixture
def replaying() -> Iterator[Replaying]:
    """``replaying(path, mode)``: a replay backend, installed until the end of the test."""
    with ExitStack() as stack:
        yield lambda path, mode="strict": stack.enter_context(replay_backend(path, mode))


def test_strict_replay_gives_the_recorded_answers(recorded: Recorded, replaying: Replaying) -> None:
    apdus = [SELECT, READ, READ]
    backend = replaying(recorded(apdus))
    assert session(apdus) == [([], 0x90, 0), ([0xCA, 0xFE], 0x90, 0), ([0xCA, 0xFE], 0x90, 0)]
    assert backend.players[READER].remaining == 0
    assert backend.readers == [READER]
    backend.check()


def test_strict_mismatch_shows_expected_actual_and_the_line(
    recorded: Recorded, replaying: Replaying
) -> None:
    path = recorded([SELECT, READ])
    replaying(path)
    lines = path.read_text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "00 B0" in text)
    with pytest.raises(ReplayMismatch) as caught:
        session([SELECT, [0x00, 0xB0, 0x00, 0x02, 0x02]])
    message = str(caught.value)
    assert f"exchange 2 of 2 with reader {READER!r} ({path} line {line})" in message
    assert "expected 00 B0 00 00 02\n" in message
    assert message.endswith("got      00 B0 00 02 02")


def test_strict_past_the_end_says_so(recorded: Recorded, replaying: Replaying) -> None:
    replaying(recorded([SELECT]))
    with pytest.raises(ReplayMismatch, match="holds 1 exchanges .* all made; then got 00 B0"):
        session([SELECT, READ])


def test_lookup_answers_in_any_order_then_repeats_the_last_answer(
    fake_pcsc: FakeBackend, tmp_path: Path, replaying: Replaying
) -> None:
    counter = iter([b"\x11\x90\x00", b"\x22\x90\x00"])  # each READ answers the next value
    fake_pcsc.add_reader(
        READER, FakeCard(ATR, lambda c: next(counter) if c == bytes(READ) else b"\x90\x00")
    )
    path = tmp_path / "s.jsonl"
    with record(path):
        session([SELECT, READ, READ])
    replaying(path, "lookup")
    assert session([READ, SELECT, READ, READ]) == [
        ([0x11], 0x90, 0), ([], 0x90, 0), ([0x22], 0x90, 0), ([0x22], 0x90, 0),
    ]  # fmt: skip
    with pytest.raises(ReplayMismatch, match="no recorded answer to 00 B0 00 00 09"):
        session([[0x00, 0xB0, 0x00, 0x00, 0x09]])


@pytest.mark.parametrize("mode", ["strict", "lookup"])
def test_a_redacted_command_matches_any_data_of_the_same_length(
    recorded: Recorded, replaying: Replaying, mode: str
) -> None:
    path = recorded([SELECT, VERIFY_1234])
    assert "31 32 33 34" not in path.read_text()
    replaying(path, mode)
    other_pin = VERIFY_1234[:5] + [0x39, 0x38, 0x37, 0x36]
    assert session([SELECT, other_pin]) == [([], 0x90, 0), ([], 0x90, 0)]
    longer_pin = [0x00, 0x20, 0x00, 0x80, 0x05, 0x39, 0x38, 0x37, 0x36, 0x35]
    with pytest.raises(ReplayMismatch):
        session([SELECT, longer_pin])


def test_a_recorded_transmit_failure_replays_as_the_same_error(
    fake_pcsc: FakeBackend, tmp_path: Path, replaying: Replaying
) -> None:
    def card(command: bytes) -> bytes | int:
        return REMOVED_CARD if command == bytes(READ) else b"\x90\x00"

    fake_pcsc.add_reader(READER, FakeCard(ATR, card))
    path = tmp_path / "s.jsonl"
    with record(path), pytest.raises(CardConnectionException) as when_recorded:
        session([SELECT, READ])
    assert '"error": "SCARD_W_REMOVED_CARD"' in path.read_text()
    replaying(path)
    with pytest.raises(CardConnectionException) as when_replayed:
        session([SELECT, READ])
    assert when_replayed.value.hresult == when_recorded.value.hresult == REMOVED_CARD


def test_a_recorded_connect_failure_replays(
    fake_pcsc: FakeBackend, tmp_path: Path, replaying: Replaying
) -> None:
    fake_pcsc.add_reader(READER, FakeCard(ATR, ANSWERS))
    fake_pcsc.fail_next("SCardConnect", "SCARD_E_SHARING_VIOLATION")
    path = tmp_path / "s.jsonl"
    with record(path):
        with pytest.raises(CardConnectionException) as when_recorded:
            session([SELECT])
        assert session([SELECT]) == [([], 0x90, 0)]
    replaying(path)
    with pytest.raises(CardConnectionException) as when_replayed:
        session([SELECT])
    assert when_replayed.value.hresult == when_recorded.value.hresult
    assert session([SELECT]) == [([], 0x90, 0)]


def test_control_codes_and_attributes_replay(
    fake_pcsc: FakeBackend, tmp_path: Path, replaying: Replaying
) -> None:
    code, vendor = 0x42000D48, 0x00010100
    fake_pcsc.add_reader(
        READER, FakeCard(ATR, ANSWERS),
        controls={code: b"\x12\x04\x42\x33\x00\x06"}, attributes={vendor: b"ACME"},
    )  # fmt: skip

    def use_reader() -> Tuple[Any, Any]:
        connection = readers()[0].createConnection()
        connection.connect()
        try:
            return connection.control(code, []), connection.getAttrib(vendor)
        finally:
            connection.disconnect()

    path = tmp_path / "s.jsonl"
    fake_pcsc.fail_next("SCardGetAttrib", "SCARD_E_NOT_TRANSACTED")
    with record(path):
        with pytest.raises(CardConnectionException) as when_recorded:
            use_reader()
        live = use_reader()
    replaying(path)
    with pytest.raises(CardConnectionException) as when_replayed:
        use_reader()
    assert when_replayed.value.hresult == when_recorded.value.hresult
    assert use_reader() == live == ([0x12, 0x04, 0x42, 0x33, 0x00, 0x06], list(b"ACME"))


class _Seen(CardObserver):  # type: ignore[misc]
    """What a CardMonitor observer is told: ``+atr`` for an insertion, ``-atr`` for a removal."""

    def __init__(self) -> None:
        self.events: List[str] = []
        self.changed = threading.Condition()

    def update(self, observable: object, handlers: Tuple[List[Any], List[Any]]) -> None:
        added, removed = handlers
        with self.changed:
            self.events += [f"+{bytes(card.atr).hex()}" for card in added]
            self.events += [f"-{bytes(card.atr).hex()}" for card in removed]
            self.changed.notify_all()

    def stop(self) -> None:
        # The monitor keeps the backend it started with while it has observers:
        # the replay's observer must find it stopped.
        if self in CardMonitor().obs:
            CardMonitor().deleteObserver(self)

    def wait_for(self, count: int) -> List[str]:
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.events) >= count, 5), self.events
            return list(self.events)


@pytest.fixture
def seen() -> Iterator[Callable[[], _Seen]]:
    """``seen()``: a new observer of the CardMonitor, removed at the end of the test."""
    observers: List[_Seen] = []

    def watch() -> _Seen:
        observer = _Seen()
        CardMonitor().addObserver(observer)
        observers.append(observer)
        return observer

    yield watch
    for observer in observers:
        observer.stop()


def test_recorded_insertions_and_removals_replay_between_the_exchanges(
    fake_pcsc: FakeBackend, tmp_path: Path, replaying: Replaying, seen: Callable[[], _Seen]
) -> None:
    fake_pcsc.add_reader(READER)
    path = tmp_path / "s.jsonl"
    with record(path):
        watching = seen()
        fake_pcsc.insert_card(READER, FakeCard(ATR, ANSWERS))
        watching.wait_for(1)
        assert session([SELECT]) == [([], 0x90, 0)]
        fake_pcsc.remove_card(READER)
        watching.wait_for(2)
        fake_pcsc.insert_card(READER, FakeCard(OTHER_ATR, ANSWERS))
        live = watching.wait_for(3)
        watching.stop()
    assert live == [f"+{ATR.hex()}", f"-{ATR.hex()}", f"+{OTHER_ATR.hex()}"]
    text = path.read_text()
    assert [kind for kind in ("card_absent", "card_inserted", "card_removed") if kind in text]

    backend = replaying(path)
    watching = seen()
    assert watching.wait_for(1) == live[:1]
    assert session([SELECT]) == [([], 0x90, 0)]
    assert watching.wait_for(3) == live
    assert backend.wait_moves()
    # The card swapped in last is in the reader; the recording has no exchange with it.
    with pytest.raises(ReplayMismatch, match="all made"):
        session([SELECT])


def test_ten_thousand_exchanges_replay_byte_exact(
    fake_pcsc: FakeBackend, tmp_path: Path, replaying: Replaying
) -> None:
    # (How fast: bench/replay_bench.py; tests assert behaviour, not time.)
    fake_pcsc.add_reader(READER, FakeCard(ATR, lambda c: c[2:4] + b"\x90\x00"))
    apdus = [[0x00, 0xB0, n >> 8, n & 0xFF, 0x02] for n in range(10_000)]
    path = tmp_path / "s.jsonl"
    with record(path):
        live = session(apdus)
    backend = replaying(path)
    assert session(apdus) == live
    assert backend.players[READER].remaining == 0


HAND_WRITTEN = """\
{"format": "pyscard-recording", "version": 1, "started": "2026-12-05T00:00:00Z", "redaction": []}
{"t": 0.0, "event": "card_absent", "reader": "A"}
{"t": 30.0, "event": "card_inserted", "reader": "A", "atr": "3B 80 01 81"}
{"t": 30.2, "event": "connect", "reader": "B", "share": "SCARD_SHARE_SHARED", "protocols": "T0|T1", "card": 1, "protocol": "T1"}
{"t": 30.3, "event": "transmit", "card": 1, "command": "00 B0 00 00 02", "response": "BE EF 90 00"}
{"t": 30.4, "event": "status", "card": 1, "reader": "B", "state": 52, "protocol": "T1", "atr": "3B 80 01 81 42"}
"""  # noqa: E501


def test_each_reader_starts_as_its_own_first_sighting_says(tmp_path: Path) -> None:
    path = tmp_path / "hand.jsonl"
    path.write_text(HAND_WRITTEN)
    backend = replay_backend(path, max_pause=1.0)  # the insertion comes after a second
    try:
        # A was empty at the start (its card came later); B held the card read by status.
        assert backend.card("A") is None
        card_b = backend.card("B")
        assert card_b is not None and card_b.atr == OTHER_ATR
        assert backend.wait_moves()
        card_a = backend.card("A")
        assert card_a is not None and card_a.atr == ATR
    finally:
        backend.close()


def test_a_replay_installed_with_with_is_gone_after_the_block(
    recorded: Recorded, fake_pcsc: FakeBackend
) -> None:
    path = recorded([SELECT])
    with replay_backend(path) as replay:
        assert session([SELECT]) == [([], 0x90, 0)]
        with pytest.raises(RuntimeError, match="already installed"):
            replay.__enter__()
    # The fake the recording was made on is back; its card never saw the replayed APDU.
    assert session([SELECT]) == [([], 0x90, 0)]
    card = fake_pcsc.card(READER)
    assert card is not None and card.apdus == [bytes(SELECT)] * 2  # recorded, then after
    assert replay.players[READER].remaining == 0


# -- found in review: the replay's own state, protocols, empty ATRs, lookup completeness ----

DUAL_ATR = "3B 8A 80 01 00 31 C1 73 C8 40 00 00 90 00 90"  # offers T=0 and T=1
T0_T1 = scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1


def _write(path: Path, *events: str) -> Path:
    header = '{"format": "pyscard-recording", "version": 1, "started": "x", "redaction": []}'
    path.write_text("\n".join((header, *events)) + "\n")
    return path


def test_a_failure_the_replay_produces_itself_counts_and_the_next_insertion_comes(
    fake_pcsc: FakeBackend, tmp_path: Path, seen: Callable[[], _Seen]
) -> None:
    # Regression: the failed transmit after a replayed removal never reached the
    # player, so the insertion recorded after it waited for it forever.
    fake_pcsc.add_reader(READER, FakeCard(ATR, ANSWERS))
    path = tmp_path / "s.jsonl"
    with record(path):
        watching = seen()
        watching.wait_for(1)
        connection = readers()[0].createConnection()
        connection.connect()
        connection.transmit(SELECT)
        fake_pcsc.remove_card(READER)
        watching.wait_for(2)
        with pytest.raises(CardConnectionException) as when_recorded:
            connection.transmit(READ)
        fake_pcsc.insert_card(READER, FakeCard(ATR, ANSWERS))
        watching.wait_for(3)
        watching.stop()
        assert session([READ]) == [([0xCA, 0xFE], 0x90, 0)]
    for mode in ("strict", "lookup"):
        with replay_backend(path, mode) as replay:
            watching = seen()
            watching.wait_for(1)
            connection = readers()[0].createConnection()
            connection.connect()
            connection.transmit(SELECT)
            watching.wait_for(2)  # the removal, once the exchange recorded before it is made
            with pytest.raises(CardConnectionException) as when_replayed:
                connection.transmit(READ)
            assert when_replayed.value.hresult == when_recorded.value.hresult, mode
            assert replay.wait_moves(), mode
            watching.wait_for(3)
            watching.stop()
            assert session([READ]) == [([0xCA, 0xFE], 0x90, 0)]
            assert replay.players[READER].remaining == 0, mode
            replay.check()


def test_a_transmit_failed_by_a_reset_keeps_strict_mode_in_step(tmp_path: Path) -> None:
    # Regression: the player stayed on the recorded SCARD_W_RESET_CARD, so the
    # next exchange was called a mismatch.
    path = _write(
        tmp_path / "s.jsonl",
        f'{{"t": 0, "event": "card_present", "reader": "R", "atr": "{ATR.hex(" ")}"}}',
        '{"t": 0, "event": "connect", "reader": "R", "share": "SCARD_SHARE_SHARED",'
        ' "protocols": "T0|T1", "card": 1, "protocol": "T1"}',
        '{"t": 0, "event": "connect", "reader": "R", "share": "SCARD_SHARE_SHARED",'
        ' "protocols": "T0|T1", "card": 2, "protocol": "T1"}',
        '{"t": 0, "event": "reconnect", "card": 1, "share": "SCARD_SHARE_SHARED",'
        ' "protocols": "T0|T1", "initialization": "SCARD_RESET_CARD", "protocol": "T1"}',
        '{"t": 0, "event": "transmit", "card": 2, "command": "00 01",'
        ' "error": "SCARD_W_RESET_CARD"}',
        '{"t": 0, "event": "reconnect", "card": 2, "share": "SCARD_SHARE_SHARED",'
        ' "protocols": "T0|T1", "initialization": "SCARD_LEAVE_CARD", "protocol": "T1"}',
        '{"t": 0, "event": "transmit", "card": 2, "command": "00 02", "response": "90 00"}',
    )
    with replay_backend(path) as replay:
        _, hcontext = replay.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        _, first, _ = replay.SCardConnect(hcontext, "R", scard.SCARD_SHARE_SHARED, T0_T1)
        _, second, _ = replay.SCardConnect(hcontext, "R", scard.SCARD_SHARE_SHARED, T0_T1)
        replay.SCardReconnect(first, scard.SCARD_SHARE_SHARED, T0_T1, scard.SCARD_RESET_CARD)
        pci = scard.SCARD_PCI_T1
        assert replay.SCardTransmit(second, pci, [0, 1])[0] == scard.SCARD_W_RESET_CARD
        replay.SCardReconnect(second, scard.SCARD_SHARE_SHARED, T0_T1, scard.SCARD_LEAVE_CARD)
        assert replay.SCardTransmit(second, pci, [0, 2]) == [scard.SCARD_S_SUCCESS, [0x90, 0]]
        assert replay.players["R"].remaining == 0


def test_the_card_replays_with_the_recorded_protocol_not_the_lowest_offered(
    tmp_path: Path,
) -> None:
    path = _write(
        tmp_path / "s.jsonl",
        f'{{"t": 0, "event": "card_present", "reader": "R", "atr": "{DUAL_ATR}"}}',
        '{"t": 0, "event": "connect", "reader": "R", "share": "SCARD_SHARE_SHARED",'
        ' "protocols": "T0|T1", "card": 1, "protocol": "T1"}',
        '{"t": 0, "event": "transmit", "card": 1, "command": "00 01", "response": "90 00"}',
    )
    with replay_backend(path) as replay:
        _, hcontext = replay.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        result, hcard, protocol = replay.SCardConnect(
            hcontext, "R", scard.SCARD_SHARE_SHARED, T0_T1
        )
        assert (result, protocol) == (scard.SCARD_S_SUCCESS, scard.SCARD_PROTOCOL_T1)
        answer = replay.SCardTransmit(hcard, scard.SCARD_PCI_T1, [0, 1])
        assert answer == [scard.SCARD_S_SUCCESS, [0x90, 0]]


def test_an_empty_atr_is_no_card_at_the_start_and_a_mute_card_when_inserted(
    tmp_path: Path,
) -> None:
    path = _write(
        tmp_path / "s.jsonl",
        '{"t": 0, "event": "connect", "reader": "R", "share": "SCARD_SHARE_DIRECT",'
        ' "protocols": "", "card": 1, "protocol": ""}',
        '{"t": 0, "event": "status", "card": 1, "reader": "R", "state": 2, "protocol": "",'
        ' "atr": ""}',
        '{"t": 30, "event": "card_inserted", "reader": "R", "atr": ""}',
    )
    with replay_backend(path, max_pause=1.0) as replay:  # the insertion a second later
        assert replay.card("R") is None  # a direct connection's status: no card
        assert replay.wait_moves()
        card = replay.card("R")
        assert card is not None and card.mute  # not a removal


def test_lookup_mode_is_complete_once_every_recorded_exchange_was_made(
    recorded: Recorded,
) -> None:
    # Regression: remaining counted strict mode's position, which lookup never moves.
    with replay_backend(recorded([SELECT, READ]), "lookup") as replay:
        assert replay.players[READER].remaining == 2
        session([READ, SELECT, READ])
        assert replay.players[READER].remaining == 0


def test_a_recorded_failure_is_a_mismatch_for_a_card_on_the_real_stack(tmp_path: Path) -> None:
    # Regression: the card answered 6F 00 and the test passed.
    path = _write(
        tmp_path / "s.jsonl",
        '{"t": 0, "event": "connect", "reader": "R", "share": "SCARD_SHARE_SHARED",'
        ' "protocols": "T0|T1", "card": 1, "protocol": "T1"}',
        '{"t": 0, "event": "transmit", "card": 1, "command": "00 01",'
        ' "error": "SCARD_F_COMM_ERROR"}',
    )
    card = VirtualCard.from_recording(path)
    with pytest.raises(ReplayMismatch, match="cannot play a PC/SC failure"):
        card.handler(b"\x00\x01")
    assert len(card.player.mismatches) == 1


def test_an_unknown_error_name_names_its_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "s.jsonl",
        '{"t": 0, "event": "connect", "reader": "R", "share": "SCARD_SHARE_SHARED",'
        ' "protocols": "T0|T1", "error": "SCARD_E_NO_SUCH_THING"}',
    )
    with pytest.raises(RecordingError, match="line 2: not a PC/SC result code name"):
        load_script(path)
