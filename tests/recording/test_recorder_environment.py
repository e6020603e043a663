# SPDX-License-Identifier: LGPL-2.1-or-later
"""PYSCARD_RECORD and its companions, set for a whole process against the private pcscd."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Dict, List

import pytest

from smartcard import recording
from smartcard._pcsc.redaction import DEFAULT_RULES
from smartcard.testing.applet import DEFAULT_AID
from smartcard.testing.card import VirtualCard
from smartcard.testing.daemon import PrivatePCSCD

PIN = b"735190"
SELECT = b"\x00\xa4\x04\x00" + bytes([len(DEFAULT_AID)]) + DEFAULT_AID
VERIFY = b"\x00\x20\x00\x81\x06" + PIN

# The application: it knows nothing of recording.
APPLICATION = textwrap.dedent(
    f"""
    from smartcard.connecting import connect
    from smartcard.System import readers

    print(len(readers()))
    with connect() as card:
        print(card.transmit({SELECT!r}).sw == 0x9000)
        print(hex(card.transmit({VERIFY!r}).sw))
    """
)

HOOKS = textwrap.dedent(
    """
    from smartcard.recording import Redaction

    def mask_aid(exchange):
        if exchange.kind == "transmit" and exchange.command[1:2] == b"\\xa4":
            return Redaction.of("AID", command=range(5, len(exchange.command)))
        return None
    """
)


def run(pcscd: PrivatePCSCD, tmp_path: Path, **variables: str) -> List[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYSCARD_RECORD")}
    env.update(pcscd.env)
    env.update(variables)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp_path), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", APPLICATION], env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def events(path: Path) -> List[Dict[str, Any]]:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [{k: v for k, v in e.items() if k != "t"} for e in lines if "format" not in e]


def test_pyscard_record_records_a_whole_process(
    pcscd: PrivatePCSCD, virtual_card: VirtualCard, tmp_path: Path
) -> None:
    path = tmp_path / "session.jsonl"
    assert run(pcscd, tmp_path, PYSCARD_RECORD=str(path)) == ["2", "True", "0x6d00"]
    read = recording.read(path)
    assert len(read.headers) == 1 and read.redaction == list(DEFAULT_RULES)
    first, second = pcscd.reader_names
    atr = virtual_card.atr.hex(" ").upper()
    found = events(path)
    assert {"event": "readers", "readers": [first, second]} in found
    assert {"event": "card_present", "reader": first, "atr": atr} in found
    assert {"event": "card_absent", "reader": second} in found
    (connected,) = [e for e in found if e["event"] == "connect"]
    assert (connected["reader"], connected["card"], connected["protocol"]) == (first, 1, "T1")
    transmits = [e for e in found if e["event"] == "transmit"]
    assert transmits == [
        {"event": "transmit", "card": 1, "command": SELECT.hex(" ").upper(), "response": "90 00"},
        {"event": "transmit", "card": 1, "command": "00 20 00 81 06 " + " ".join(["**"] * 6),
         "response": "6D 00", "redacted": "VERIFY command data"},
    ]  # fmt: skip
    assert found[-2:] == [
        {"event": "disconnect", "card": 1, "disposition": "SCARD_UNPOWER_CARD"},
        {"event": "release", "context": found[-1]["context"]},
    ]
    text = path.read_text(encoding="utf-8")
    assert PIN.hex(" ").upper() not in text and PIN.decode() not in text
    # The card got the PIN all the same.
    assert VERIFY in virtual_card.apdus


def test_pyscard_record_redact_loads_hooks_and_redact_pins_0_keeps_pins(
    pcscd: PrivatePCSCD, virtual_card: VirtualCard, tmp_path: Path
) -> None:
    (tmp_path / "my_hooks.py").write_text(HOOKS, encoding="utf-8")
    path = tmp_path / "session.jsonl"
    run(
        pcscd, tmp_path, PYSCARD_RECORD=str(path), PYSCARD_RECORD_REDACT="my_hooks:mask_aid",
        PYSCARD_RECORD_REDACT_PINS="0",
    )  # fmt: skip
    assert recording.read(path).redaction == ["hook my_hooks.mask_aid"]
    select, verify = [e for e in events(path) if e["event"] == "transmit"]
    assert select["command"] == "00 A4 04 00 0A " + " ".join(["**"] * len(DEFAULT_AID))
    assert select["redacted"] == "AID"
    assert verify["command"] == VERIFY.hex(" ").upper() and "redacted" not in verify


def test_pyscard_record_append_adds_a_header_per_process(
    pcscd: PrivatePCSCD, virtual_card: VirtualCard, tmp_path: Path
) -> None:
    path = tmp_path / "session.jsonl"
    run(pcscd, tmp_path, PYSCARD_RECORD=str(path))
    run(pcscd, tmp_path, PYSCARD_RECORD=str(path), PYSCARD_RECORD_APPEND="1")
    read = recording.read(path)
    assert len(read.headers) == 2
    headers = [n for n, line in enumerate(path.read_text().splitlines()) if '"format"' in line]
    assert headers[0] == 0 and headers[1] > 1
    # Each process numbers its own handles from 1.
    assert [e.fields["card"] for e in read.of_kind("connect")] == [1, 1]
    assert len(list(read.of_kind("transmit"))) == 4
    # Without APPEND, a process starts the file anew.
    run(pcscd, tmp_path, PYSCARD_RECORD=str(path))
    assert len(recording.read(path).headers) == 1


def test_a_bad_hook_name_stops_the_process_before_any_pcsc_call(
    pcscd: PrivatePCSCD, virtual_card: VirtualCard, tmp_path: Path
) -> None:
    path = tmp_path / "session.jsonl"
    with pytest.raises(AssertionError, match="module:function"):
        run(pcscd, tmp_path, PYSCARD_RECORD=str(path), PYSCARD_RECORD_REDACT="no_colon")
    assert virtual_card.apdus == []
    assert not path.exists()


def test_a_child_process_adds_to_the_parents_recording(
    pcscd: PrivatePCSCD, virtual_card: VirtualCard, tmp_path: Path
) -> None:
    # Regression: the child opened the file with "w" too, truncating it under
    # the parent, whose next line then landed at its old offset, fused.
    (tmp_path / "child_app.py").write_text(APPLICATION)
    parent = textwrap.dedent(
        """
        import subprocess, sys
        from smartcard.System import readers
        print(len(readers()))
        subprocess.run([sys.executable, "child_app.py"], check=True)
        print(len(readers()))  # after the child: the parent's next line
        from smartcard.connecting import connect
        with connect() as card:
            print(card.transmit(bytes.fromhex("80300000")).sw)
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYSCARD_RECORD")}
    env.update(pcscd.env, PYSCARD_RECORD=str(tmp_path / "session.jsonl"))
    done = subprocess.run(
        [sys.executable, "-c", parent], env=env, cwd=tmp_path, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    read = recording.read(tmp_path / "session.jsonl")  # every line parses
    assert len(read.headers) == 2
    commands = [e.fields["command"] for e in read.of_kind("transmit")]
    assert commands[-1] == "80 30 00 00" and len(commands) == 3


def test_a_reader_name_that_is_not_utf8_is_written_escaped_and_reads_back(
    tmp_path: Path,
) -> None:
    # Regression: the extension decodes reader names with surrogateescape;
    # writing one raised UnicodeEncodeError into the application.
    from smartcard.testing import FakeBackend

    name = b"Lecteur \xe9 00 00".decode("utf-8", "surrogateescape")
    fake = FakeBackend()
    fake.add_reader(name)
    path = tmp_path / "session.jsonl"
    from smartcard._pcsc.backend import use

    with use(fake), recording.record(path):
        from smartcard.System import readers

        assert [str(r) for r in readers()] == [name]
    fake.close()
    assert [e.fields["readers"] for e in recording.read(path).of_kind("readers")] == [[name]]
