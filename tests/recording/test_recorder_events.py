# SPDX-License-Identifier: LGPL-2.1-or-later
"""What a recording holds: every event kind with its fields, written while the library
(pyscard framework, new API, card monitor, card request) runs on the fake backend."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from smartcard import recording, scard
from smartcard._pcsc import backend
from smartcard._pcsc.redaction import DEFAULT_RULES
from smartcard.CardMonitoring import CardMonitor, CardObserver
from smartcard.CardRequest import CardRequest
from smartcard.connecting import connect
from smartcard.Exceptions import CardConnectionException, ListReadersException, NoCardException
from smartcard.pcsc_enums import Disposition, Protocol, ShareMode
from smartcard.System import readers
from smartcard.testing import FakeBackend, FakeCard

READER = "Fake Reader 00 00"
OTHER = "Fake Reader 01 00"
ATR = "3B 80 80 01 01"  # offers T=0 and T=1: connections get T=0
ATR_T1 = "3B 80 01 81"  # T=1 only
READ = "00 B0 00 00 02"
GET_FEATURE_REQUEST = 0x42000D48  # SCARD_CTL_CODE(3400) on pcsc-lite
# What SCardStatus says of a connected card (the fake answers as pcsc-lite does).
STATE = scard.SCARD_PRESENT | scard.SCARD_POWERED | scard.SCARD_NEGOTIABLE


@pytest.fixture
def fake(fake_pcsc: FakeBackend) -> FakeBackend:
    fake_pcsc.add_reader(
        READER,
        FakeCard(ATR, {READ: "CA FE 90 00"}),
        attributes={scard.SCARD_ATTR_VENDOR_NAME: b"Fake\0"},
        controls={GET_FEATURE_REQUEST: b"\x12\x04\x42\x33\x00\x12"},
    )
    return fake_pcsc


def lines(path: Path) -> List[Dict[str, Any]]:
    """Every line of the file, parsed (the header first)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def raw_context() -> Tuple[Any, int]:
    """The backend in use (recording, inside ``record()``) and a new context of it."""
    api = backend.current()
    _, hcontext = api.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    return api, hcontext


def events(path: Path) -> List[Dict[str, Any]]:
    """The events after the header, without their times."""
    header, *rest = lines(path)
    assert header["format"] == "pyscard-recording"
    return [{k: v for k, v in event.items() if k != "t"} for event in rest]


# -- the header and the times ---------------------------------------------------------


def test_header_names_format_version_start_and_redaction_rules(
    fake: FakeBackend, tmp_path: Path
) -> None:
    path = tmp_path / "session.jsonl"
    with recording.record(path):
        readers()
    header = lines(path)[0]
    assert set(header) == {"format", "version", "started", "redaction"}
    assert (header["format"], header["version"]) == ("pyscard-recording", 1)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", header["started"])
    assert header["redaction"] == list(DEFAULT_RULES)
    assert any("VERIFY" in rule for rule in header["redaction"])


def test_times_are_relative_and_non_decreasing(fake: FakeBackend, tmp_path: Path) -> None:
    path = tmp_path / "session.jsonl"
    with recording.record(path):
        for _ in range(3):
            with connect() as card:
                card.transmit(bytes.fromhex(READ))
    times = [event["t"] for event in lines(path)[1:]]
    assert len(times) > 10
    assert all(isinstance(t, float) for t in times)
    assert 0 <= times[0] < 5  # seconds since the start, not a clock
    assert times == sorted(times)


# -- sessions through the library ----------------------------------------------------------


def test_framework_session(fake: FakeBackend, tmp_path: Path) -> None:
    path = tmp_path / "session.jsonl"
    with recording.record(path):
        connection = readers()[0].createConnection()
        connection.connect()
        assert connection.getATR() == list(bytes.fromhex(ATR))
        assert connection.transmit(list(bytes.fromhex(READ))) == ([0xCA, 0xFE], 0x90, 0x00)
        assert connection.control(GET_FEATURE_REQUEST, []) == [0x12, 4, 0x42, 0x33, 0, 0x12]
        assert connection.getAttrib(scard.SCARD_ATTR_VENDOR_NAME) == list(b"Fake\0")
        connection.beginTransaction()
        connection.endTransaction()
        connection.disconnect()
        connection.release()
    assert events(path) == [
        {"event": "establish", "context": 1, "scope": "SCARD_SCOPE_USER"},
        {"event": "readers", "readers": [READER]},
        {"event": "release", "context": 1},
        {"event": "establish", "context": 2, "scope": "SCARD_SCOPE_USER"},
        {"event": "connect", "reader": READER, "share": "SCARD_SHARE_SHARED",
         "protocols": "T0|T1", "card": 1, "protocol": "T0"},
        {"event": "status", "card": 1, "reader": READER, "state": STATE, "protocol": "T0",
         "atr": ATR},
        {"event": "transmit", "card": 1, "command": READ, "response": "CA FE 90 00"},
        {"event": "control", "card": 1, "code": f"0x{GET_FEATURE_REQUEST:08X}", "data": "",
         "response": "12 04 42 33 00 12"},
        {"event": "get_attribute", "card": 1, "attribute": "SCARD_ATTR_VENDOR_NAME",
         "value": "46 61 6B 65 00"},
        {"event": "begin_transaction", "card": 1},
        {"event": "end_transaction", "card": 1, "disposition": "SCARD_LEAVE_CARD"},
        # pyscard's default disposition powers the card down.
        {"event": "disconnect", "card": 1, "disposition": "SCARD_UNPOWER_CARD"},
        {"event": "release", "context": 2},
    ]  # fmt: skip


def test_new_api_session(fake: FakeBackend, tmp_path: Path) -> None:
    fake.remove_card(READER)
    fake.insert_card(READER, FakeCard(ATR_T1, {READ: "CA FE 90 00"}))
    path = tmp_path / "session.jsonl"
    with recording.record(path):
        with connect(READER, protocols=Protocol.T1, disposition=Disposition.RESET) as card:
            card.reconnect(initialization=Disposition.UNPOWER)
            with card.transaction(end=Disposition.RESET):
                assert card.transmit(bytes.fromhex(READ)).data == b"\xca\xfe"
    found = events(path)
    status = {"event": "status", "card": 1, "reader": READER, "state": STATE,
              "protocol": "T1", "atr": ATR_T1}  # fmt: skip
    assert found == [
        {"event": "establish", "context": 1, "scope": "SCARD_SCOPE_USER"},
        {"event": "connect", "reader": READER, "share": "SCARD_SHARE_SHARED",
         "protocols": "T1", "card": 1, "protocol": "T1"},
        status,
        {"event": "reconnect", "card": 1, "share": "SCARD_SHARE_SHARED", "protocols": "T1",
         "initialization": "SCARD_UNPOWER_CARD", "protocol": "T1"},
        status,
        {"event": "begin_transaction", "card": 1},
        {"event": "transmit", "card": 1, "command": READ, "response": "CA FE 90 00"},
        {"event": "end_transaction", "card": 1, "disposition": "SCARD_RESET_CARD"},
        {"event": "disconnect", "card": 1, "disposition": "SCARD_RESET_CARD"},
        {"event": "release", "context": 1},
    ]  # fmt: skip


def test_connections_and_contexts_are_numbered_in_order(fake: FakeBackend, tmp_path: Path) -> None:
    fake.add_reader(OTHER, FakeCard(ATR))
    path = tmp_path / "session.jsonl"
    with recording.record(path):
        first = connect(READER)
        second = connect(OTHER, share=ShareMode.EXCLUSIVE)
        second.transmit(bytes.fromhex(READ))
        first.transmit(bytes.fromhex(READ))
        second.close()
        first.close()
    found = [e for e in events(path) if e["event"] != "status"]  # connect() reads the ATR
    assert [(e["event"], e.get("context"), e.get("card")) for e in found] == [
        ("establish", 1, None),
        ("connect", None, 1),
        ("establish", 2, None),
        ("connect", None, 2),
        ("transmit", None, 2),
        ("transmit", None, 1),
        ("disconnect", None, 2),
        ("release", 2, None),
        ("disconnect", None, 1),
        ("release", 1, None),
    ]
    assert found[3]["share"] == "SCARD_SHARE_EXCLUSIVE"


def test_a_reused_raw_handle_gets_a_new_number_and_numbers_stay_unique(
    fake: FakeBackend, tmp_path: Path
) -> None:
    # pcsc-lite handles are random: one may come back after its disconnect.
    # Regression: the number was len(table) + 1, so a reused handle and the
    # next new one shared a number.
    path = tmp_path / "session.jsonl"
    with recording.record(path):
        api, hcontext = raw_context()
        for _ in range(2):
            fake.script("SCardConnect", [scard.SCARD_S_SUCCESS, 0x1234, scard.SCARD_PROTOCOL_T0])
            api.SCardConnect(hcontext, READER, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_T0)
        hcard = api.SCardConnect(
            hcontext, READER, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_T0
        )[1]
        api.SCardDisconnect(hcard, scard.SCARD_LEAVE_CARD)
        api.SCardReleaseContext(hcontext)
    cards = [e["card"] for e in events(path) if e["event"] in ("connect", "disconnect")]
    assert cards == [1, 2, 3, 3]


# -- readers ------------------------------------------------------------------------------


def test_readers_written_when_the_list_changes_and_errors_by_name(
    fake: FakeBackend, tmp_path: Path
) -> None:
    path = tmp_path / "session.jsonl"
    with recording.record(path):
        readers()
        readers()  # the same list: not written again
        fake.add_reader(OTHER)
        readers()
        fake.remove_reader(READER)
        fake.remove_reader(OTHER)
        assert readers() == []
        assert readers() == []  # the same error: not written again
        fake.add_reader(OTHER)
        readers()
    found = [e for e in events(path) if e["event"] == "readers"]
    assert found == [
        {"event": "readers", "readers": [READER]},
        {"event": "readers", "readers": [READER, OTHER]},
        {"event": "readers", "error": "SCARD_E_NO_READERS_AVAILABLE"},
        {"event": "readers", "readers": [OTHER]},
    ]


# -- failures ------------------------------------------------------------------------------


def test_failed_calls_have_the_error_name_instead_of_results(
    fake: FakeBackend, tmp_path: Path
) -> None:
    fake.add_reader(OTHER)  # empty
    path = tmp_path / "session.jsonl"
    with recording.record(path):
        fake.fail_next("SCardEstablishContext", "SCARD_E_NO_SERVICE")
        with pytest.raises(ListReadersException):
            readers()
        with pytest.raises(NoCardException):
            connect(OTHER)
        with connect(READER) as card:
            fake.fail_next("SCardTransmit", "SCARD_W_REMOVED_CARD")
            with pytest.raises(CardConnectionException):
                card.transmit(bytes.fromhex(READ))
            with pytest.raises(CardConnectionException):
                card.control(0x42000001, b"\x01\x02")
            with pytest.raises(CardConnectionException):
                card.get_attribute(scard.SCARD_ATTR_VENDOR_IFD_SERIAL_NO)
            fake.fail_next("SCardReconnect", "SCARD_E_SHARING_VIOLATION")
            with pytest.raises(CardConnectionException):
                card.reconnect()
            fake.fail_next("SCardStatus", "SCARD_E_INVALID_HANDLE")
            api = backend.current()
            assert api.SCardStatus(1)[0] == scard.SCARD_E_INVALID_HANDLE
    found = events(path)
    assert found[0] == {"event": "establish", "scope": "SCARD_SCOPE_USER",
                        "error": "SCARD_E_NO_SERVICE"}  # fmt: skip
    failed = [e for e in found if "error" in e]
    assert failed == [
        found[0],
        {"event": "connect", "reader": OTHER, "share": "SCARD_SHARE_SHARED",
         "protocols": "T0|T1", "error": "SCARD_E_NO_SMARTCARD"},
        {"event": "transmit", "card": 1, "command": READ, "error": "SCARD_W_REMOVED_CARD"},
        {"event": "control", "card": 1, "code": f"0x{0x42000001:08X}", "data": "01 02",
         "error": "SCARD_E_UNSUPPORTED_FEATURE"},
        {"event": "get_attribute", "card": 1, "attribute": "SCARD_ATTR_VENDOR_IFD_SERIAL_NO",
         "error": "SCARD_E_UNSUPPORTED_FEATURE"},
        {"event": "reconnect", "card": 1, "share": "SCARD_SHARE_SHARED", "protocols": "T0",
         "initialization": "SCARD_RESET_CARD", "error": "SCARD_E_SHARING_VIOLATION"},
        # A handle the recording never saw connect has no number.
        {"event": "status", "error": "SCARD_E_INVALID_HANDLE"},
    ]  # fmt: skip


def test_set_attribute_and_bytes_transmit(fake: FakeBackend, tmp_path: Path) -> None:
    path = tmp_path / "session.jsonl"
    with recording.record(path):
        api, hcontext = raw_context()
        _, hcard, protocol = api.SCardConnect(
            hcontext, READER, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_T0
        )
        assert api.SCardSetAttrib(hcard, scard.SCARD_ATTR_VENDOR_NAME, b"New\0") == 0
        assert api.SCardTransmitBytes(hcard, scard.SCARD_PCI_T0, bytes.fromhex(READ)) == (
            0,
            b"\xca\xfe\x90\x00",
        )
        fake.fail_next("SCardTransmit", "SCARD_F_COMM_ERROR")
        assert api.SCardTransmitBytes(hcard, scard.SCARD_PCI_T0, bytearray(4)) == (
            scard.SCARD_F_COMM_ERROR,
            b"",
        )
        fake.fail_next("SCardDisconnect", "SCARD_E_INVALID_HANDLE")
        api.SCardDisconnect(hcard, scard.SCARD_EJECT_CARD)
        api.SCardDisconnect(hcard, scard.SCARD_EJECT_CARD)
        api.SCardReleaseContext(hcontext)
    assert events(path)[2:] == [
        {"event": "set_attribute", "card": 1, "attribute": "SCARD_ATTR_VENDOR_NAME",
         "value": "4E 65 77 00"},
        {"event": "transmit", "card": 1, "command": READ, "response": "CA FE 90 00"},
        {"event": "transmit", "card": 1, "command": "00 00 00 00",
         "error": "SCARD_F_COMM_ERROR"},
        {"event": "disconnect", "card": 1, "disposition": "SCARD_EJECT_CARD",
         "error": "SCARD_E_INVALID_HANDLE"},
        {"event": "disconnect", "card": 1, "disposition": "SCARD_EJECT_CARD"},
        {"event": "release", "context": 1},
    ]  # fmt: skip


# -- insertions and removals ---------------------------------------------------------------


class Observer(CardObserver):
    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.updates: List[Any] = []

    def update(self, observable: Any, actions: Any) -> None:
        with self.condition:
            self.updates.append(actions)
            self.condition.notify_all()

    def wait(self, count: int) -> None:
        with self.condition:
            assert self.condition.wait_for(lambda: len(self.updates) >= count, 5), self.updates


def test_card_monitor_insertions_and_removals(fake: FakeBackend, tmp_path: Path) -> None:
    fake.add_reader(OTHER)
    path = tmp_path / "session.jsonl"
    with recording.record(path):
        monitor = CardMonitor()
        observer = Observer()
        monitor.addObserver(observer)
        try:
            observer.wait(1)  # the card already in READER
            fake.insert_card(OTHER, FakeCard("3B 00"))
            observer.wait(2)
            fake.remove_card(READER)
            observer.wait(3)
            fake.remove_card(OTHER)
            observer.wait(4)
            fake.insert_card(READER, FakeCard(ATR_T1))
            observer.wait(5)
        finally:
            monitor.deleteObserver(observer)
    found = [e for e in events(path) if e["event"].startswith("card_")]
    assert found == [
        {"event": "card_present", "reader": READER, "atr": ATR},
        {"event": "card_absent", "reader": OTHER},
        {"event": "card_inserted", "reader": OTHER, "atr": "3B 00"},
        {"event": "card_removed", "reader": READER},
        {"event": "card_removed", "reader": OTHER},
        {"event": "card_inserted", "reader": READER, "atr": ATR_T1},
    ]
    # The polls themselves and their time-outs are not written.
    assert {e["event"] for e in events(path)} <= {
        "establish", "readers", "release", "card_present", "card_absent",
        "card_inserted", "card_removed",
    }  # fmt: skip


def test_card_request_sees_the_insertion(fake: FakeBackend, tmp_path: Path) -> None:
    fake.remove_card(READER)
    path = tmp_path / "session.jsonl"
    with recording.record(path):
        request = CardRequest(timeout=5, newcardonly=True)
        inserter = threading.Timer(0.2, fake.insert_card, (READER, FakeCard(ATR_T1)))
        inserter.start()
        try:
            service = request.waitforcard()
        finally:
            inserter.join()
        service.connection.connect()
        service.connection.release()
        request.release()
    found = events(path)
    sightings = [e for e in found if e["event"].startswith("card_")]
    assert sightings == [
        {"event": "card_absent", "reader": READER},
        {"event": "card_inserted", "reader": READER, "atr": ATR_T1},
    ]
    connects = [e for e in found if e["event"] == "connect"]
    assert [(e["reader"], e["protocol"]) for e in connects] == [(READER, "T1")]


def test_a_failing_poll_is_written_once_and_timeouts_never(
    fake: FakeBackend, tmp_path: Path
) -> None:
    path = tmp_path / "session.jsonl"
    with recording.record(path):
        api, hcontext = raw_context()
        query = [(READER, scard.SCARD_STATE_UNAWARE)]
        api.SCardGetStatusChange(hcontext, 0, query)  # the card in READER: card_present
        state = api.SCardGetStatusChange(hcontext, 0, query)[1][0][1]
        seen = [(READER, state)]
        assert api.SCardGetStatusChange(hcontext, 0, seen)[0] == scard.SCARD_E_TIMEOUT
        fake.fail_next("SCardGetStatusChange", "SCARD_E_NO_SERVICE", times=2)
        api.SCardGetStatusChange(hcontext, 0, seen)
        api.SCardGetStatusChange(hcontext, 0, seen)
        fake.fail_next("SCardGetStatusChange", "SCARD_E_CANCELLED")
        api.SCardGetStatusChange(hcontext, 0, seen)
        api.SCardReleaseContext(hcontext)
    assert events(path) == [
        {"event": "establish", "context": 1, "scope": "SCARD_SCOPE_USER"},
        {"event": "card_present", "reader": READER, "atr": ATR},
        {"event": "status_change", "error": "SCARD_E_NO_SERVICE"},
        {"event": "release", "context": 1},
    ]


def test_a_card_swapped_between_two_polls_is_a_removal_and_an_insertion(
    fake: FakeBackend, tmp_path: Path
) -> None:
    # Regression: the same ATR before and after looked like nothing happened;
    # the reader's event counter (high word of the state) says otherwise.
    path = tmp_path / "session.jsonl"
    with recording.record(path):
        api, hcontext = raw_context()
        query = [(READER, scard.SCARD_STATE_UNAWARE)]
        api.SCardGetStatusChange(hcontext, 0, query)
        fake.remove_card(READER)
        fake.insert_card(READER, FakeCard(ATR))  # the same card again, unseen in between
        api.SCardGetStatusChange(hcontext, 0, query)
        api.SCardReleaseContext(hcontext)
    assert [e for e in events(path) if e["event"].startswith("card_")] == [
        {"event": "card_present", "reader": READER, "atr": ATR},
        {"event": "card_removed", "reader": READER},
        {"event": "card_inserted", "reader": READER, "atr": ATR},
    ]


# -- reading a recording back --------------------------------------------------------------


def test_read_round_trips_what_was_written(fake: FakeBackend, tmp_path: Path) -> None:
    path = tmp_path / "session.jsonl"
    with recording.record(path):
        with connect() as card:
            card.transmit(bytes.fromhex(READ))
            fake.fail_next("SCardTransmit", "SCARD_W_REMOVED_CARD")
            with pytest.raises(CardConnectionException):
                card.transmit(bytes.fromhex(READ))
    read = recording.read(path)
    raw = lines(path)
    assert read.path == str(path)
    assert len(read.headers) == 1 and read.headers[0].started == raw[0]["started"]
    assert read.redaction == raw[0]["redaction"] == list(DEFAULT_RULES)
    assert [(e.kind, e.t, e.fields, e.line) for e in read.events] == [
        (d["event"], d["t"], {k: v for k, v in d.items() if k not in ("t", "event")}, n)
        for n, d in enumerate(raw[1:], start=2)
    ]
    # Written again, each event is its line.
    text = path.read_text(encoding="utf-8").splitlines()
    assert [e.to_json() for e in read.events] == text[1:]
    ok, failed = read.of_kind("transmit")
    assert ok.error is None and failed.error == scard.SCARD_W_REMOVED_CARD
    assert ok.pattern("command") == tuple(bytes.fromhex(READ))
    assert ok.pattern("response") == (0xCA, 0xFE, 0x90, 0x00)
    assert [e.kind for e in read.of_kind("connect", "disconnect")] == ["connect", "disconnect"]


HEAD = '{"format": "pyscard-recording", "version": 1}\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty, no header line"),
        ("\n\n", "empty, no header line"),
        ('{"t": 0, "event": "establish"}\n', "line 1: an event before the recording's header"),
        (HEAD + "not json\n", "line 2: not JSON"),
        (HEAD + "[1, 2]\n", "line 2: expected a JSON object"),
        (HEAD + '\n{"t": 1}\n', "line 3: an event needs"),
        (HEAD + '{"event": "x", "t": "1"}\n', "line 2: an event needs"),
        ('{"format": "pyscard-recording", "version": 2}\n', "line 1: recording version 2"),
        ('{"format": "something else", "version": 1}\n', "line 1: not a pyscard recording"),
        ('{"format": "pyscard-recording", "version": 1, "redaction": 5}\n', "line 1: "),
        ('{"format": "pyscard-recording", "version": 1, "redaction": "VERIFY"}\n', "line 1: "),
    ],
)  # fmt: skip
def test_bad_files_raise_recording_error_naming_the_line(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(recording.RecordingError, match=re.escape(message)):
        recording.read(path)


def test_a_file_that_is_not_utf8_raises_recording_error_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(HEAD.encode() + b'{"t": 0, "event": "\xff"}\n')
    with pytest.raises(recording.RecordingError, match="line 2"):
        recording.read(path)


def test_recording_error_is_a_value_error() -> None:
    assert issubclass(recording.RecordingError, ValueError)
