# SPDX-License-Identifier: LGPL-2.1-or-later
"""``pyscard scan``: live events from a subprocess while cards come and go and pcscd restarts."""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
import time
from typing import Dict, List

from smartcard.testing import VirtualCard

from .conftest import CARD_LIST, REPO, assert_one_line_error, cli_env, run_cli

OPENPGP_ATR = bytes.fromhex("3BDA18FF81B1FE751F030031C573C001400090000C")
EVENT_TIMEOUT = 10.0


class Scan:
    """A running ``pyscard scan`` whose output lines are collected by a thread."""

    def __init__(self, env: Dict[str, str], *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "smartcard", "scan", *args],
            env=cli_env(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=str(REPO),
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: List[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, predicate, what: str, timeout: float = EVENT_TIMEOUT) -> str:  # noqa: ANN001
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"scan did not report {what}; output so far: {self.seen}")
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            self.seen.append(line)
            if predicate(line):
                return line

    def wait_event(self, kind: str, reader: str | None = None) -> dict:
        def matches(line: str) -> bool:
            event = json.loads(line)
            return event["event"] == kind and (reader is None or event["reader"] == reader)

        return json.loads(self.wait_for(matches, f"{kind} {reader or ''}"))

    def interrupt(self) -> subprocess.CompletedProcess:
        self.proc.send_signal(signal.SIGINT)
        return self.finish()

    def finish(self, timeout: float = 15.0) -> subprocess.CompletedProcess:
        try:
            self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        assert self.proc.stderr is not None
        return subprocess.CompletedProcess(
            self.proc.args, self.proc.returncode, "", self.proc.stderr.read()
        )


def test_insert_and_remove_during_scan(stack_env, pcscd, reader_names) -> None:  # noqa: ANN001
    scan = Scan(stack_env, "--json", "--list", str(CARD_LIST))
    try:
        first = scan.wait_event("reader_added", reader_names[0])
        assert set(first) == {"time", "event", "reader", "atr", "card_names", "message"}
        scan.wait_event("reader_added", reader_names[1])
        pcscd.insert_card(1, VirtualCard(atr=OPENPGP_ATR))
        try:
            inserted = scan.wait_event("card_inserted", reader_names[1])
            assert inserted["atr"] == OPENPGP_ATR.hex().upper()
            assert inserted["card_names"] == ["Test OpenPGP token, version two"]
        finally:
            pcscd.remove_card(1)
        assert scan.wait_event("card_removed", reader_names[1])["atr"] is None
    finally:
        result = scan.interrupt()
    assert result.returncode == 130
    assert result.stderr == ""  # Ctrl-C: quiet, no traceback


def test_text_output_decodes_the_atr(stack_env, virtual_card, reader_names) -> None:  # noqa: ANN001
    result = run_cli("scan", "--once", "--list", str(CARD_LIST), env=stack_env)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert f"reader added: {reader_names[0]}" in text
    assert f"{reader_names[0]}: card inserted, ATR 3B 87 01 70 79 73 63 61 72 64 E8" in text
    assert "    TD1 01  protocol T=1" in text
    assert "    card: pyscard virtual card (T=1)" in text


def test_once_reports_the_present_state_and_exits(stack_env, virtual_card, reader_names) -> None:  # noqa: ANN001
    result = run_cli("scan", "--once", "--json", "--reader", "00 00", env=stack_env)
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(e["event"], e["reader"]) for e in events] == [
        ("reader_added", reader_names[0]),
        ("card_inserted", reader_names[0]),
    ]
    assert events[1]["atr"] == virtual_card.atr.hex().upper()


def test_timeout_ends_the_scan(stack_env) -> None:  # noqa: ANN001
    started = time.monotonic()
    result = run_cli("scan", "--timeout", "1", "--json", env=stack_env)
    assert result.returncode == 0, result.stderr
    assert 1.0 <= time.monotonic() - started < 15


def test_scan_survives_a_pcscd_restart(own_pcscd) -> None:  # noqa: ANN001
    reader = own_pcscd.reader_names[0]
    own_pcscd.insert_card(0, VirtualCard())
    scan = Scan(own_pcscd.env, "--json")
    try:
        scan.wait_event("card_inserted", reader)
        own_pcscd.stop()
        scan.wait_event("service_lost")
        own_pcscd.start()  # the card is put back, as a card stays in a physical reader
        scan.wait_event("service_restored")
        own_pcscd.remove_card(0)
        # The card that stayed is not reported again; its removal afterwards is.
        removed = scan.wait_event("card_removed", reader)
        assert removed["reader"] == reader
        own_pcscd.insert_card(1, VirtualCard())
        scan.wait_event("card_inserted", own_pcscd.reader_names[1])
    finally:
        result = scan.interrupt()
    events = [json.loads(line)["event"] for line in scan.seen]
    restored_at = events.index("service_restored")
    assert "reader_removed" not in events
    assert events[restored_at + 1 :].count("card_inserted") == 1  # only the new card
    assert result.returncode == 130 and result.stderr == ""


def test_text_scan_says_when_the_service_goes_and_comes_back(own_pcscd) -> None:  # noqa: ANN001
    scan = Scan(own_pcscd.env)
    try:
        scan.wait_for(lambda line: "reader added" in line, "a reader")
        own_pcscd.restart()
        scan.wait_for(lambda line: "PC/SC service lost" in line, "the service lost")
        scan.wait_for(lambda line: "PC/SC service restored" in line, "the service restored")
    finally:
        result = scan.interrupt()
    assert result.returncode == 130 and "Traceback" not in result.stderr


def test_service_down_at_start(own_pcscd) -> None:  # noqa: ANN001
    env = dict(own_pcscd.env)
    own_pcscd.stop()
    assert_one_line_error(run_cli("scan", env=env, timeout=30), 1, "SCARD_E_NO_SERVICE")
