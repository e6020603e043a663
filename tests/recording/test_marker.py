# SPDX-License-Identifier: LGPL-2.1-or-later
"""The ``pcsc_recording`` marker and ``pcsc_replay`` fixture, with a recording of the real stack.

``cards/demo.jsonl`` was recorded once with ``PYSCARD_RECORD`` against the
test kit's demo applet in the private pcscd (SELECT, ECHO, a VERIFY whose
PIN is masked, STATUS, the ATR), and is replayed here both ways.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import List, Tuple

import pytest

from smartcard.System import readers
from smartcard.testing.replay.fixture import Replay

HERE = Path(__file__).resolve().parent
DEMO = "cards/demo.jsonl"  # found next to this file
SELECT = [0x00, 0xA4, 0x04, 0x00, 0x0A, *bytes.fromhex("F0707973636172640001")]
ECHO = [0x80, 0x10, 0x00, 0x00, 0x03, 0x01, 0x02, 0x03]
VERIFY = [0x00, 0x20, 0x00, 0x81, 0x06, *b"000000"]  # not the recorded PIN: it was masked
STATUS = [0x80, 0x30, 0x00, 0x00, 0x00]
ATR = list(bytes.fromhex("3B 87 01 70 79 73 63 61 72 64 E8"))


def demo_session() -> Tuple[List[Tuple[List[int], int, int]], List[int]]:
    connection = readers()[0].createConnection()
    connection.connect()
    try:
        answers = [connection.transmit(apdu) for apdu in (SELECT, ECHO, VERIFY, STATUS)]
        return answers, connection.getATR()
    finally:
        connection.disconnect()


EXPECTED = (
    [([], 0x90, 0x00), ([1, 2, 3], 0x90, 0x00), ([], 0x6D, 0x00), ([], 0x00, 0x00)],
    ATR,
)


def test_the_recorded_pin_is_not_in_the_file() -> None:
    text = (HERE / DEMO).read_text()
    assert '"redacted": "VERIFY command data"' in text
    assert "00 20 00 81 06 ** ** ** ** ** **" in text


@pytest.mark.pcsc_recording(DEMO)
def test_replayed_on_the_fake_backend(pcsc_replay: Replay) -> None:
    assert pcsc_replay.stack == "fake"
    assert pcsc_replay.reader_names == ["pyscard virtual 00 00", "pyscard virtual 00 01"]
    assert demo_session() == EXPECTED
    pcsc_replay.check(complete=True)


@pytest.mark.pcsc_recording(DEMO, mode="lookup")
def test_replayed_on_the_fake_backend_in_lookup_mode_without_asking_for_the_fixture() -> None:
    answers, atr = demo_session()
    assert (answers, atr) == EXPECTED


@pytest.mark.pcsc_recording(DEMO, stack="pcscd")
def test_replayed_as_a_virtual_card_in_the_private_pcscd(pcsc_replay: Replay) -> None:
    assert pcsc_replay.card is not None and pcsc_replay.backend is None
    assert demo_session() == EXPECTED
    pcsc_replay.check(complete=True)


def _run_pytest(tmp_path: Path, body: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "demo.jsonl").write_text((HERE / DEMO).read_text())
    (tmp_path / "test_inner.py").write_text(textwrap.dedent(body))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_a_mismatch_on_the_real_stack_fails_the_test_with_expected_and_actual(
    tmp_path: Path,
) -> None:
    result = _run_pytest(
        tmp_path,
        """
        import pytest
        from smartcard.System import readers

        @pytest.mark.pcsc_recording("cards/demo.jsonl", stack="pcscd")
        def test_strays():
            connection = readers()[0].createConnection()
            connection.connect()
            # The card answers 6F 00 to a command the recording does not hold...
            assert connection.transmit([0x00, 0xA4, 0x04, 0x00, 0x01, 0xFF]) == ([], 0x6F, 0x00)
            connection.disconnect()
        """,
    )
    # ... and the test fails at teardown with what was expected and what came.
    assert result.returncode == 1, result.stdout + result.stderr
    assert "ReplayMismatch" in result.stdout
    assert "expected 00 A4 04 00 0A F0 70 79 73 63 61 72 64 00 01" in result.stdout
    assert "got      00 A4 04 00 01 FF" in result.stdout


def test_the_fixture_without_the_marker_is_a_usage_error(tmp_path: Path) -> None:
    result = _run_pytest(
        tmp_path,
        """
        def test_no_marker(pcsc_replay):
            pass
        """,
    )
    assert result.returncode != 0
    assert "needs @pytest.mark.pcsc_recording(path)" in result.stdout + result.stderr


def test_a_missing_recording_names_the_places_looked_at(tmp_path: Path) -> None:
    result = _run_pytest(
        tmp_path,
        """
        import pytest

        @pytest.mark.pcsc_recording("cards/nowhere.jsonl")
        def test_missing():
            pass
        """,
    )
    assert result.returncode == 1
    assert "no recording 'cards/nowhere.jsonl' (looked for" in result.stdout
