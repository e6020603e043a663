# SPDX-License-Identifier: LGPL-2.1-or-later
"""The recording backend as a backend: results and constants pass through unchanged,
bad arguments fail as the extension fails them, threads write whole lines in time
order, and a stopped recording leaves the library working."""

from __future__ import annotations

import json
import threading
import time
import types
from pathlib import Path
from typing import Any, Callable, Dict, List

import pytest

from smartcard import recording, scard
from smartcard._pcsc import backend
from smartcard._pcsc import recorder as recorder_module
from smartcard._pcsc.recorder import Recorder, RecordingBackend, from_environment
from smartcard.connecting import connect
from smartcard.pcsc_enums import Disposition
from smartcard.testing import FakeBackend, FakeCard

READER = "Fake Reader 00 00"
ATR = "3B 80 01 81"  # T=1
GET_FEATURE_REQUEST = 0x42000D48


def new_fake() -> FakeBackend:
    fake = FakeBackend()
    fake.add_reader(
        READER,
        FakeCard(ATR, {"00 B0 00 00 02": "CA FE 90 00"}),
        controls={GET_FEATURE_REQUEST: b"\x06\x04\x42\x33\x00\x06"},
    )
    fake.add_reader("Empty Reader")
    return fake


def lines(path: Path) -> List[Dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def session(api: Any, fake: FakeBackend) -> List[Any]:
    """Every call of the backend, some failing; what each returned."""
    results: List[Any] = []

    def call(name: str, *args: Any) -> Any:
        result = getattr(api, name)(*args)
        results.append((name, result))
        return result

    _, hcontext = call("SCardEstablishContext", scard.SCARD_SCOPE_USER)
    call("SCardIsValidContext", hcontext)
    call("SCardListReaders", hcontext, [])
    call("SCardListReaderGroups", hcontext)
    call("SCardGetStatusChange", hcontext, 0, [(READER, scard.SCARD_STATE_UNAWARE)])
    call("SCardGetStatusChange", hcontext, 0, [("Empty Reader", scard.SCARD_STATE_EMPTY)])
    call("SCardConnect", hcontext, "Empty Reader", scard.SCARD_SHARE_SHARED, 3)
    _, hcard, _ = call("SCardConnect", hcontext, READER, scard.SCARD_SHARE_SHARED, 3)
    call("SCardStatus", hcard)
    call("SCardTransmit", hcard, scard.SCARD_PCI_T1, [0, 0xB0, 0, 0, 2])
    call("SCardTransmitBytes", hcard, scard.SCARD_PCI_T1, b"\x00\xb0\x00\x00\x02")
    call("SCardTransmit", hcard, scard.SCARD_PCI_T1, b"\x00\x20\x00\x81\x02\x31\x32")
    fake.fail_next("SCardTransmit", "SCARD_W_REMOVED_CARD")
    call("SCardTransmit", hcard, scard.SCARD_PCI_T1, [0, 0xB0, 0, 0, 2])
    fake.fail_next("SCardTransmit", "SCARD_W_REMOVED_CARD")
    call("SCardTransmitBytes", hcard, scard.SCARD_PCI_T1, b"\x00\xb0\x00\x00\x02")
    call("SCardControl", hcard, GET_FEATURE_REQUEST, [])
    call("SCardControl", hcard, 0x42330006, b"\x01\x02")
    call("SCardControl", hcard, 0x42000001, b"")
    call("SCardGetAttrib", hcard, scard.SCARD_ATTR_ATR_STRING)
    call("SCardGetAttrib", hcard, scard.SCARD_ATTR_VENDOR_IFD_SERIAL_NO)
    call("SCardSetAttrib", hcard, scard.SCARD_ATTR_VENDOR_NAME, b"x")
    call("SCardBeginTransaction", hcard)
    call("SCardEndTransaction", hcard, scard.SCARD_LEAVE_CARD)
    call("SCardEndTransaction", hcard, scard.SCARD_LEAVE_CARD)
    call("SCardReconnect", hcard, scard.SCARD_SHARE_SHARED, 3, scard.SCARD_RESET_CARD)
    call("SCardCancel", hcontext)
    call("SCardIntroduceReaderGroup", hcontext, "group")
    call("SCardForgetReaderGroup", hcontext, "group")
    call("SCardIntroduceReader", hcontext, "reader", "device")
    call("SCardForgetReader", hcontext, "reader")
    call("SCardAddReaderToGroup", hcontext, "reader", "group")
    call("SCardRemoveReaderFromGroup", hcontext, "reader", "group")
    call("SCardDisconnect", hcard, scard.SCARD_UNPOWER_CARD)
    call("SCardDisconnect", hcard, scard.SCARD_UNPOWER_CARD)
    call("SCardReleaseContext", hcontext)
    call("SCardReleaseContext", hcontext)
    return results


class Spy:
    """Passes calls to ``inner`` and keeps the object each returned."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.returned: List[Any] = []

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.inner, name)
        if not callable(attribute):
            return attribute

        def call(*args: Any) -> Any:
            result = attribute(*args)
            self.returned.append(result)
            return result

        return call


# -- passing through ---------------------------------------------------------------------


def test_results_pass_through_unchanged(tmp_path: Path) -> None:
    plain_fake, recorded_fake = new_fake(), new_fake()
    try:
        expected = session(plain_fake, plain_fake)
        spy = Spy(recorded_fake)
        recorder = Recorder(tmp_path / "session.jsonl")
        got = session(RecordingBackend(spy, recorder), recorded_fake)  # type: ignore[arg-type]
        recorder.close()
    finally:
        plain_fake.close()
        recorded_fake.close()
    assert got == expected
    # The very objects the backend returned, not copies.
    assert len(spy.returned) == len(got)
    assert all(a is b for a, b in zip(spy.returned, (result for _name, result in got)))
    # The calls the backend saw are the same too.
    assert [c[:2] for c in recorded_fake.calls] == [c[:2] for c in plain_fake.calls]
    assert len(lines(tmp_path / "session.jsonl")) > 20


def test_the_application_sees_the_same_answers_with_and_without_recording(
    tmp_path: Path,
) -> None:
    def use_the_card() -> List[Any]:
        with connect() as card:
            return [
                card.atr,
                card.transmit(b"\x00\xb0\x00\x00\x02"),
                card.exchange(b"\x00\x20\x00\x81\x02\x31\x32"),
                card.control(GET_FEATURE_REQUEST),
                card.get_attribute(scard.SCARD_ATTR_ATR_STRING),
            ]

    answers = []
    for record in (False, True):
        fake = new_fake()
        try:
            with backend.use(fake):
                if record:
                    with recording.record(tmp_path / "session.jsonl"):
                        answers.append(use_the_card())
                else:
                    answers.append(use_the_card())
        finally:
            fake.close()
    assert answers[0] == answers[1]


def test_constants_come_from_the_wrapped_backend(tmp_path: Path) -> None:
    recorder = Recorder(tmp_path / "session.jsonl")
    try:
        for inner in (scard, FakeBackend()):
            wrapped = RecordingBackend(inner, recorder)  # type: ignore[arg-type]
            assert wrapped.SCARD_S_SUCCESS == scard.SCARD_S_SUCCESS == 0
            assert wrapped.SCARD_E_TIMEOUT == scard.SCARD_E_TIMEOUT
            assert wrapped.SCARD_PROTOCOL_T1 == scard.SCARD_PROTOCOL_T1
            assert wrapped.SCARD_STATE_PRESENT == scard.SCARD_STATE_PRESENT
            assert wrapped.INFINITE == scard.INFINITE
            with pytest.raises(AttributeError):
                wrapped.NOT_A_CONSTANT  # noqa: B018
    finally:
        recorder.close()


# -- bad arguments ---------------------------------------------------------------------------


BAD_BUFFERS = [
    "text",
    None,
    3.5,
    5,  # bytes(5) is five zeros
    -1,
    2**63,  # bytes(2**63) raised OverflowError, not the extension's TypeError
    [256],
    ["a"],
    {1: 2},  # bytes() takes a dict's keys
    [[1]],
]


@pytest.mark.parametrize("bad", BAD_BUFFERS, ids=repr)
@pytest.mark.parametrize("call", ["SCardTransmit", "SCardTransmitBytes", "SCardControl"])
def test_bad_buffers_fail_as_the_extension_fails_them(tmp_path: Path, call: str, bad: Any) -> None:
    # Regression: the recorder converted the argument with bytes() before the
    # call, so an int asked for that many zero bytes (2**63: OverflowError;
    # a large one: a huge allocation) where the extension raises TypeError.
    second = scard.SCARD_PCI_T1 if call.startswith("SCardTransmit") else 0x42000001
    with pytest.raises(Exception) as direct:
        getattr(scard, call)(0, second, bad)
    recorder = Recorder(tmp_path / "session.jsonl")
    try:
        wrapped = RecordingBackend(scard, recorder)  # type: ignore[arg-type]
        with pytest.raises(type(direct.value)) as recorded:
            getattr(wrapped, call)(0, second, bad)
    finally:
        recorder.close()
    assert str(recorded.value) == str(direct.value)
    assert type(direct.value) in (TypeError, ValueError)
    assert len(lines(tmp_path / "session.jsonl")) == 1  # nothing but the header


def test_a_generator_is_not_consumed_before_the_backend_sees_it(tmp_path: Path) -> None:
    received: List[Any] = []

    class Inner:
        def SCardTransmit(self, hcard: int, pci: int, apdu: Any) -> Any:
            received.append(list(apdu))
            return [0, [0x90, 0x00]]

    recorder = Recorder(tmp_path / "session.jsonl")
    wrapped = RecordingBackend(Inner(), recorder)  # type: ignore[arg-type]
    assert wrapped.SCardTransmit(1, 2, (b for b in b"\x00\xb0\x00\x00")) == [0, [0x90, 0x00]]
    recorder.close()
    assert received == [[0, 0xB0, 0, 0]]


def test_every_buffer_type_the_extension_takes_is_written(tmp_path: Path) -> None:
    import array

    path = tmp_path / "session.jsonl"
    fake = new_fake()
    try:
        with backend.use(fake), recording.record(path):
            api = backend.current()
            _, hcontext = api.SCardEstablishContext(scard.SCARD_SCOPE_USER)
            _, hcard, _ = api.SCardConnect(hcontext, READER, scard.SCARD_SHARE_SHARED, 3)
            apdu = [0, 0xB0, 0, 0, 2]
            for value in (
                apdu, tuple(apdu), bytes(apdu), bytearray(apdu), memoryview(bytes(apdu)),
                array.array("B", apdu), [False, 0xB0, 0, 0, 2],
            ):  # fmt: skip
                assert api.SCardTransmit(hcard, scard.SCARD_PCI_T1, value)[0] == 0
            api.SCardReleaseContext(hcontext)
    finally:
        fake.close()
    commands = [e["command"] for e in lines(path)[1:] if e["event"] == "transmit"]
    assert commands == ["00 B0 00 00 02"] * 7


# -- threads ----------------------------------------------------------------------------------


def test_threads_transmitting_through_one_recorder_write_whole_lines(tmp_path: Path) -> None:
    fake = FakeBackend()
    fake.add_reader(READER, FakeCard(ATR, lambda command: command[5:] + b"\x90\x00"))
    path = tmp_path / "session.jsonl"
    threads, per_thread = 8, 40
    errors: List[BaseException] = []

    def work(index: int) -> None:
        try:
            # LEAVE: a thread done first must not reset the card under the others.
            with connect(READER, disposition=Disposition.LEAVE) as card:
                for count in range(per_thread):
                    data = bytes([index, count]) * 100
                    assert card.transmit(b"\x80\x10\x00\x00\xc8" + data).data == data
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    try:
        with backend.use(fake), recording.record(path):
            workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join(30)
    finally:
        fake.close()
    assert errors == []
    found = lines(path)  # every line parses
    assert path.read_text(encoding="utf-8").count("\n") == len(found)
    transmits = [e for e in found[1:] if e["event"] == "transmit"]
    assert len(transmits) == threads * per_thread
    for event in transmits:
        command = bytes.fromhex(event["command"])
        assert event["response"] == (command[5:] + b"\x90\x00").hex(" ").upper()
    cards = {e["card"] for e in found[1:] if e["event"] == "connect"}
    assert cards == set(range(1, threads + 1))
    times = [e["t"] for e in found[1:]]
    assert times == sorted(times)


def test_lines_are_written_in_time_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Regression: an event's time was taken before the write lock, so a thread
    # that read the clock first could write after another: times went back.
    path = tmp_path / "session.jsonl"
    recorder = Recorder(path)
    slow_reading = threading.Event()
    fast_written = threading.Event()
    real_clock = recorder_module.time.monotonic

    def clock() -> float:
        now = real_clock()
        if threading.current_thread().name == "slow":
            slow_reading.set()
            fast_written.wait(0.5)  # times out once the fix makes the other thread wait
        return now

    monkeypatch.setattr(recorder_module, "time", types.SimpleNamespace(monotonic=clock))
    slow = threading.Thread(target=recorder.event, args=("first", ()), name="slow")
    slow.start()
    assert slow_reading.wait(5)
    time.sleep(0.01)  # times 10 ms apart: the file rounds them to 0.1 ms
    recorder.event("second", ())
    fast_written.set()
    slow.join(5)
    recorder.close()
    events = lines(path)[1:]
    assert sorted(e["event"] for e in events) == ["first", "second"]
    assert [e["t"] for e in events] == sorted(e["t"] for e in events)


# -- starting and stopping ---------------------------------------------------------------


def test_a_stopped_recording_writes_nothing_and_the_library_goes_on(
    fake_pcsc: FakeBackend, tmp_path: Path
) -> None:
    fake_pcsc.add_reader(READER, FakeCard(ATR))
    path = tmp_path / "session.jsonl"
    started = recording.record(path).start()
    assert isinstance(backend.current(), RecordingBackend)
    with pytest.raises(RuntimeError):
        started.start()
    card = connect(READER)
    started.stop()
    started.stop()  # twice: nothing more
    assert backend.current() is fake_pcsc
    written = path.read_text(encoding="utf-8")
    assert card.transmit(b"\x00\xb0\x00\x00\x02").sw == 0x9000  # created inside, used after
    card.close()
    assert path.read_text(encoding="utf-8") == written
    with connect(READER) as other:  # created after: not recorded at all
        other.transmit(b"\x00\xb0\x00\x00\x02")
    assert path.read_text(encoding="utf-8") == written


def test_a_failing_backend_does_not_leave_the_file_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> Any:
        raise OSError("no backend")

    opened: List[Recorder] = []
    real_init = Recorder.__init__

    def init(self: Recorder, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        opened.append(self)

    monkeypatch.setattr(Recorder, "__init__", init)
    monkeypatch.setattr(backend, "current", broken)
    with pytest.raises(OSError, match="no backend"):
        recording.record(tmp_path / "session.jsonl").start()
    assert all(recorder.closed for recorder in opened)


# -- from the environment, in this process ------------------------------------------------


def mask_all(exchange: Any) -> Any:
    return recording.Redaction.of("everything", command=range(len(exchange.command)))


NOT_A_FUNCTION = "a hook name that is text"


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    for name in ("PYSCARD_RECORD", "PYSCARD_RECORD_APPEND", "PYSCARD_RECORD_REDACT",
                 "PYSCARD_RECORD_REDACT_PINS"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)

    def wrap(**variables: str) -> Any:
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        return from_environment(scard)  # type: ignore[arg-type]

    return wrap


def test_from_environment_without_the_variable_is_the_backend(
    environment: Callable[..., Any],
) -> None:
    assert environment() is scard
    assert environment(PYSCARD_RECORD="") is scard


def test_from_environment_reads_every_variable(
    environment: Callable[..., Any], tmp_path: Path
) -> None:
    path = tmp_path / "session.jsonl"
    path.write_text("earlier\n", encoding="utf-8")
    wrapped = environment(
        PYSCARD_RECORD=str(path),
        PYSCARD_RECORD_APPEND="1",
        PYSCARD_RECORD_REDACT=f"{__name__}:mask_all",
        PYSCARD_RECORD_REDACT_PINS="0",
    )
    assert isinstance(wrapped, RecordingBackend) and wrapped.inner is scard
    assert wrapped.recorder.redactor.hooks == [mask_all]
    assert wrapped.recorder.redactor.defaults is False
    wrapped.recorder.close()
    earlier, header = path.read_text(encoding="utf-8").splitlines()
    assert earlier == "earlier"
    assert json.loads(header)["redaction"] == [f"hook {__name__}.mask_all"]


@pytest.mark.parametrize(
    ("hooks", "error"),
    [
        ("no_colon", ValueError),
        (":mask_all", ValueError),
        (f"{__name__}:", ValueError),
        ("no.such.module:hook", ImportError),
        (f"{__name__}:no_such_function", AttributeError),
        (f"{__name__}:NOT_A_FUNCTION", TypeError),
    ],
)
def test_from_environment_bad_hook_names_fail_at_once(
    environment: Callable[..., Any], tmp_path: Path, hooks: str, error: type
) -> None:
    path = tmp_path / "session.jsonl"
    with pytest.raises(error):
        environment(PYSCARD_RECORD=str(path), PYSCARD_RECORD_REDACT=hooks)
    assert not path.exists()  # nothing opened
