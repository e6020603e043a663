# SPDX-License-Identifier: LGPL-2.1-or-later
"""Connection observers and status-word error checking, compared with pyscard 2.3.1."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from smartcard.CardConnectionEvent import CardConnectionEvent
from smartcard.CardConnectionObserver import (
    CardConnectionObserver,
    ConsoleCardConnectionObserver,
)
from smartcard.Exceptions import CardConnectionException
from smartcard.testing import VirtualCard

from .conftest import STATUS_9000, echo

# The same session under both libraries; prints the events each observer saw.
RECORD_EVENTS = f"""
import json, os
from smartcard.System import readers
from smartcard.CardConnectionObserver import CardConnectionObserver
events = []
class Recorder(CardConnectionObserver):
    def update(self, observable, event):
        events.append([event.type, event.args])
reader = [r for r in readers() if r.name == os.environ["READER"]][0]
conn = reader.createConnection()
conn.addObserver(Recorder())
conn.connect()
conn.transmit({echo([1, 2, 3])})
conn.transmit({[0x80, 0x30, 0x6A, 0x82]}, 2)
conn.getATR()
for call in (lambda: conn.control(0x42000D48, [1, 2]), lambda: conn.getAttrib(0x00090303)):
    try:
        call()
    except Exception:
        events.append(["raised"])
conn.reconnect()
conn.disconnect()
conn.disconnect()
conn.release()
print(json.dumps(events))
"""

CONSOLE = f"""
import json, os, io, contextlib
from smartcard.System import readers
from smartcard.CardConnectionObserver import ConsoleCardConnectionObserver
out = io.StringIO()
with contextlib.redirect_stdout(out):
    reader = [r for r in readers() if r.name == os.environ["READER"]][0]
    conn = reader.createConnection()
    conn.addObserver(ConsoleCardConnectionObserver())
    conn.connect()
    conn.transmit({echo([0xAB, 0xCD])})
    conn.transmit({[0x80, 0x30, 0x90, 0x00]})
    conn.transmit([0x80, 0x20, 0x00, 0x03])
    conn.reconnect()
    conn.disconnect()
    conn.release()
print(json.dumps(out.getvalue()))
"""


def test_observer_events_match_reference(
    card: VirtualCard, pcscd: Any, differential: Callable[..., tuple[Any, Any]]
) -> None:
    reference, ours = differential(RECORD_EVENTS, {"READER": pcscd.reader_names[0]})
    assert ours == reference
    kinds = [event[0] for event in ours]
    assert kinds[:5] == ["connect", "command", "response", "command", "response"]
    assert ours[1] == ["command", [echo([1, 2, 3]), None]]
    assert ours[2] == ["response", [[1, 2, 3], 0x90, 0x00]]
    assert ours[4] == ["response", [[], 0x6A, 0x82]]
    assert ["attrib", [0x00090303]] in ours
    assert kinds[-3:] == ["reconnect", "disconnect", "release"]


def test_console_observer_matches_reference(
    card: VirtualCard, pcscd: Any, differential: Callable[..., tuple[Any, Any]]
) -> None:
    reference, ours = differential(CONSOLE, {"READER": pcscd.reader_names[0]})
    assert ours == reference
    assert "> 80 10 00 00 02 AB CD\n< AB CD 90 00\n" in ours


class Recorder(CardConnectionObserver):
    def __init__(self) -> None:
        self.events: list[CardConnectionEvent] = []

    def update(self, observable: Any, handlers: CardConnectionEvent) -> None:
        self.events.append(handlers)


def test_observer_sees_every_command_and_response(connection: Any, card: VirtualCard) -> None:
    recorder = Recorder()
    connection.addObserver(recorder)
    for value in range(50):
        connection.transmit(echo([value]))
    commands = [e.args[0] for e in recorder.events if e.type == "command"]
    responses = [e.args for e in recorder.events if e.type == "response"]
    assert commands == [echo([value]) for value in range(50)]
    assert responses == [[[value], 0x90, 0x00] for value in range(50)]
    assert [bytes(c) for c in commands] == card.apdus[-50:]


def test_delete_observer_stops_notifications(connection: Any) -> None:
    first, second = Recorder(), Recorder()
    connection.addObserver(first)
    connection.addObserver(second)
    assert connection.countObservers() == 2
    connection.transmit(STATUS_9000)
    connection.deleteObserver(first)
    connection.transmit(STATUS_9000)
    assert len(first.events) == 2 and len(second.events) == 4
    connection.deleteObservers()
    connection.transmit(STATUS_9000)
    assert len(second.events) == 4


def test_control_events_carry_code_and_data(connection: Any) -> None:
    recorder = Recorder()
    connection.addObserver(recorder)
    with pytest.raises(CardConnectionException):
        connection.control(0x42000D48, [7])
    assert [(e.type, e.args) for e in recorder.events] == [("command", [0x42000D48, [7]])]


def test_console_observer_writes_to_current_stdout(
    connection: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    connection.addObserver(ConsoleCardConnectionObserver())
    connection.transmit(STATUS_9000)
    with pytest.raises(CardConnectionException):
        connection.control(0x42000D48, [1])
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["> 80 30 90 00", "<  [] 90 00", "> control 0x42000D48 01"]


def test_error_checking_chain_raises_on_error_status(connection: Any) -> None:
    from smartcard.sw.ErrorCheckingChain import ErrorCheckingChain
    from smartcard.sw.ISO7816_4ErrorChecker import ISO7816_4ErrorChecker
    from smartcard.sw.SWExceptions import CheckingErrorException, WarningProcessingException

    chain: list = []
    chain[:] = [ErrorCheckingChain(chain, ISO7816_4ErrorChecker())]
    connection.setErrorCheckingChain(chain)
    assert connection.transmit(STATUS_9000)[1:] == (0x90, 0x00)
    with pytest.raises(CheckingErrorException):
        connection.transmit([0x80, 0x30, 0x6A, 0x82])
    with pytest.raises(WarningProcessingException):
        connection.transmit([0x80, 0x30, 0x62, 0x00])
    connection.addSWExceptionToFilter(WarningProcessingException)
    assert connection.transmit([0x80, 0x30, 0x62, 0x00])[1:] == (0x62, 0x00)
    connection.setErrorCheckingChain(None)
    assert connection.transmit([0x80, 0x30, 0x6A, 0x82])[1:] == (0x6A, 0x82)


def test_no_event_is_built_without_observers(
    connection: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import smartcard.CardConnection as module

    def forbidden(*args: Any) -> None:
        raise AssertionError("event built with no observer registered")

    monkeypatch.setattr(module, "CardConnectionEvent", forbidden)
    assert connection.transmit(STATUS_9000)[1:] == (0x90, 0x00)
    recorder = Recorder()
    connection.addObserver(recorder)
    with pytest.raises(AssertionError, match="event built"):
        connection.transmit(STATUS_9000)


def test_events_from_two_threads_are_all_delivered(connection: Any) -> None:
    import threading

    recorder = Recorder()
    connection.addObserver(recorder)

    def run() -> None:
        for _ in range(25):
            connection.transmit(STATUS_9000)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    kinds = [e.type for e in recorder.events]
    assert kinds.count("command") == 50 and kinds.count("response") == 50
