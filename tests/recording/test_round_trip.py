# SPDX-License-Identifier: LGPL-2.1-or-later
"""Record once against a card, replay forever: the application sees the same bytes.

Each kind of session (framework, new API, asyncio, ``pyscard send``,
python-fido2) is recorded against a virtual card in the private pcscd, the
"real" card, then replayed on the fake backend (no daemon) and on the real
stack (a card answering from the recording in a vpcd reader); each replay
must give the session exactly the answers the recording run got, and the
replaying side must have seen every recorded exchange, in order.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable, Dict, List, Tuple

import pytest

from smartcard._pcsc.backend import use
from smartcard.recording import ENV_PATH, read, record
from smartcard.testing import PrivatePCSCD, VirtualCard
from smartcard.testing.replay import ReplayMismatch, replay_backend
from smartcard.testing.replay.fixture import Replay

from .sessions import (
    CLI_SEND,
    PIN,
    SESSIONS,
    WRONG_PIN,
    Answers,
    PinApplet,
    Session,
    cli_send_session,
    fido2_session,
)

STACKS = ("fake", "pcscd")
Recorded = Tuple[Path, Answers]
Replayed = Tuple[Answers, List[ReplayMismatch], int]


# python-fido2 comes from scripts/setup.sh and scripts/sanitize.sh; a venv
# made otherwise skips its session, except in CI, where a missing install
# must fail rather than hide a round trip.
no_fido2 = pytest.mark.skipif(
    importlib.util.find_spec("fido2") is None
    and os.environ.get("CI", "").lower() not in ("true", "1", "yes"),
    reason="python-fido2 is not installed",
)
#: A fido2 session recorded once and kept: ``cd tests && python -m recording.sessions fido2
#: recording/cards/fido2.jsonl`` makes it again.
COMMITTED_FIDO2 = "cards/fido2.jsonl"


def _cases() -> List[object]:
    return [pytest.param(s, id=s.name, marks=[no_fido2] if s.name == "fido2" else [])
            for s in SESSIONS]  # fmt: skip


@pytest.fixture(scope="module")
def recorded(
    pcscd: PrivatePCSCD, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[Session], Recorded]:
    """``recorded(session)``: its recording file and the answers of the live run, made once."""
    made: Dict[str, Recorded] = {}
    folder = tmp_path_factory.mktemp("recordings")

    def get(session: Session) -> Recorded:
        if session.name not in made:
            path = folder / f"{session.name}.jsonl"
            pcscd.insert_card(0, VirtualCard(**session.card()))
            try:
                with record(path):
                    seen = session.run()
            finally:
                pcscd.remove_card(0)
            made[session.name] = (path, seen)
        return made[session.name]

    return get


def replay(session: Session, path: Path, stack: str, pcscd: PrivatePCSCD) -> Replayed:
    """``session`` run against the replayed ``path``: answers, mismatches, exchanges left."""
    if stack == "fake":
        fake = replay_backend(path, mode="strict")
        try:
            with use(fake):
                seen = session.run()
        finally:
            fake.close()
        return seen, fake.mismatches, sum(p.remaining for p in fake.players.values())
    card = VirtualCard.from_recording(path, reader=pcscd.reader_names[0])
    pcscd.insert_card(0, card)
    try:
        seen = session.run()
    finally:
        pcscd.remove_card(0)
    return seen, card.player.mismatches, card.player.remaining


@pytest.mark.parametrize("session", _cases())
def test_the_recorded_run_is_right_and_holds_no_pin(
    recorded: Callable[[Session], Recorded], session: Session
) -> None:
    path, seen = recorded(session)
    session.check(seen)
    text = path.read_text(encoding="utf-8").upper()
    for pin in (PIN, WRONG_PIN):
        for form in (pin.hex(" "), pin.hex(), pin[:6].hex(" "), pin[:6].hex()):
            assert form.upper() not in text
    for event in read(path).of_kind("transmit"):
        command = event.fields["command"].split()
        if command[1] == "20" and len(command) > 5:  # VERIFY with data
            assert set(command[5:]) == {"**"}, event


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("session", _cases())
def test_the_replay_gives_the_application_the_same_bytes(
    recorded: Callable[[Session], Recorded], session: Session, stack: str, pcscd: PrivatePCSCD
) -> None:
    path, live = recorded(session)
    seen, mismatches, left = replay(session, path, stack, pcscd)
    assert seen == live
    assert (mismatches, left) == ([], 0)


@pytest.mark.parametrize("stack", STACKS)
def test_a_changed_recording_is_noticed(
    recorded: Callable[[Session], Recorded], stack: str, pcscd: PrivatePCSCD, tmp_path: Path
) -> None:
    """The comparison is not vacuous: another answer shows, another command mismatches."""
    session = SESSIONS[0]
    path, live = recorded(session)
    text = path.read_text(encoding="utf-8")
    echo, answer = "80 10 00 00 05 68 65 6C 6C 6F", '"68 65 6C 6C 6F 90 00"'
    assert text.count(echo) == text.count(answer) == 1

    other_answer = tmp_path / "other_answer.jsonl"
    other_answer.write_text(text.replace(answer, '"68 65 6C 6C 6F 6A 80"'), encoding="utf-8")
    seen, mismatches, left = replay(session, other_answer, stack, pcscd)
    assert seen["answers"][1] == b"hello\x6a\x80" and seen != live
    assert (mismatches, left) == ([], 0)

    other_command = tmp_path / "other_command.jsonl"
    other_command.write_text(text.replace(echo, echo[:-2] + "70"), encoding="utf-8")
    if stack == "fake":
        with pytest.raises(ReplayMismatch, match="80 10 00 00 05 68 65 6C 6C 70"):
            replay(session, other_command, stack, pcscd)
    else:
        # The card cannot raise in the application: it answers 6F 00 and keeps the mismatch.
        seen, mismatches, left = replay(session, other_command, stack, pcscd)
        assert seen["answers"][1] == b"\x6f\x00" and mismatches and left


def test_the_cli_recorded_through_the_environment_replays_in_process(
    pcscd: PrivatePCSCD, tmp_path: Path
) -> None:
    """``PYSCARD_RECORD=file pyscard send ...`` as a user runs it, then replayed without pcscd."""
    path = tmp_path / "cli.jsonl"
    env = dict(os.environ, **{ENV_PATH: str(path)})
    env.pop("PYSCARD_DEBUG", None)
    pcscd.insert_card(0, VirtualCard(handler=PinApplet()))
    try:
        done = subprocess.run([sys.executable, "-m", "smartcard", *CLI_SEND], env=env,
                              capture_output=True, text=True, timeout=60)  # fmt: skip
    finally:
        pcscd.remove_card(0)
    assert done.returncode == 0, done.stderr
    live = {"exit": 0, "output": json.loads(done.stdout)}
    cli = next(s for s in SESSIONS if s.run is cli_send_session)
    cli.check(live)
    assert PIN.hex(" ").upper() not in path.read_text(encoding="utf-8")
    seen, mismatches, left = replay(cli, path, "fake", pcscd)
    assert seen == live
    assert (mismatches, left) == ([], 0)


@no_fido2
@pytest.mark.parametrize(
    "stack",
    [pytest.param(s, marks=pytest.mark.pcsc_recording(COMMITTED_FIDO2, stack=s)) for s in STACKS],
)
def test_a_committed_fido2_recording_replays_through_the_marker(
    stack: str, pcsc_replay: Replay
) -> None:
    """Recorded once, replayed in CI forever: python-fido2 finds the authenticator it recorded."""
    session = next(s for s in SESSIONS if s.run is fido2_session)
    session.check(fido2_session())
    pcsc_replay.check(complete=True)
