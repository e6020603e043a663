# SPDX-License-Identifier: LGPL-2.1-or-later
"""The ``pyscard`` CLI on the fake backend: failures pcscd cannot produce on demand."""

from __future__ import annotations

import json
import threading

import pytest

from smartcard.cli import main
from smartcard.testing import FakeBackend, FakeCard

READER = "Fake Reader 00 00"


@pytest.fixture
def fake(fake_pcsc: FakeBackend) -> FakeBackend:
    fake_pcsc.add_reader(READER, FakeCard("3B 80 01 81", {"00 B0 00 00 02": "CA FE 90 00"}))
    fake_pcsc.add_reader("Empty Reader")
    return fake_pcsc


def test_readers_json(fake: FakeBackend, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["readers", "--json"]) == 0
    readers = json.loads(capsys.readouterr().out)["readers"]
    assert [(r["name"], r["state"], r["atr"]) for r in readers] == [
        (READER, "present", "3B800181"),
        ("Empty Reader", "empty", None),
    ]
    assert fake.contexts == []


def test_readers_without_service_says_so(
    fake: FakeBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.stop_service()
    assert main(["readers"]) == 1
    error = capsys.readouterr().err
    assert "SCARD_E_NO_SERVICE" in error and "pyscard doctor" in error


def test_send_reports_the_answer(fake: FakeBackend, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["send", "00 B0 00 00 02"]) == 0
    assert "< CA FE 90 00" in capsys.readouterr().out
    assert (fake.contexts, fake.handles) == ([], [])


def test_send_reports_a_comm_error(fake: FakeBackend, capsys: pytest.CaptureFixture[str]) -> None:
    fake.fail_next("SCardTransmit", "SCARD_F_COMM_ERROR")
    assert main(["send", "00 B0 00 00 02"]) == 1
    assert "SCARD_F_COMM_ERROR" in capsys.readouterr().err
    assert (fake.contexts, fake.handles) == ([], [])


def test_scan_reports_a_removal(fake: FakeBackend, capsys: pytest.CaptureFixture[str]) -> None:
    def remove_once_watching() -> None:
        if fake.wait_blocked(1, 2.0):
            fake.remove_card(READER)

    remover = threading.Thread(target=remove_once_watching)
    remover.start()
    assert main(["scan", "--json", "--timeout", "0.5"]) == 0
    remover.join(2.0)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    events = [(line["event"], line["reader"], line["atr"]) for line in lines]
    assert events == [
        ("reader_added", READER, None),
        ("card_inserted", READER, "3B800181"),
        ("reader_added", "Empty Reader", None),
        ("card_removed", READER, None),
    ]
