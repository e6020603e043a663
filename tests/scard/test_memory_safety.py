# SPDX-License-Identifier: LGPL-2.1-or-later
"""Regression tests for memory-safety defects of the extension.

Each case that used to crash the interpreter runs in a child process, so a
crash fails one test instead of ending the run. Most use the stub PC/SC
library of the benchmarks (built here, with one call made to lie about its
lengths where a case needs a faulty library), since a real pcscd cannot be
made to misbehave on demand.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest

from _stub_library import build_stub_library

REPO = Path(__file__).resolve().parents[2]
LYING_LIBRARY_SOURCE = Path(__file__).parent / "native" / "lying_pcsc.c"


@pytest.fixture(scope="session")
def stub_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark stub PC/SC library (with an optional lying SCardStatus), built once."""
    library = tmp_path_factory.mktemp("stub") / "libpcsclite.so.1"
    return build_stub_library(LYING_LIBRARY_SOURCE, library)


def run_isolated(
    code: str, library: Path | None, lie: str | None = None, timeout: float = 60
) -> str:
    """Run ``code`` in a fresh interpreter over ``library``; fail on a crash or an error."""
    env = dict(os.environ)
    if library is not None:
        env["PYSCARD_PCSC_LIBRARY"] = str(library)
    if lie is not None:
        env["PYSCARD_TEST_LIE"] = lie
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, (
        f"child exited with {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    )
    return done.stdout


# A connection to the stub's card, for the children below.
STUB_CONNECT = """
import smartcard.scard as s
rv, ctx = s.SCardEstablishContext(s.SCARD_SCOPE_USER)
rv, card, protocol = s.SCardConnect(ctx, "pyscard bench stub 00 00", s.SCARD_SHARE_SHARED,
                                    s.SCARD_PROTOCOL_T1)
assert rv == 0, rv
"""


def test_wrong_argument_counts_never_crash(stub_library: Path) -> None:
    # SCardListReaders() used to free an uninitialised pointer on the
    # failure path: a crash at the next garbage collection.
    out = run_isolated(
        """
        import gc, smartcard.scard as s
        calls = [getattr(s, n) for n in dir(s) if n.startswith("SCard") and callable(getattr(s, n))]
        calls += [s.SCARD_CTL_CODE]
        arguments = [(), (0,), (None, []), (0, [], None), (0, None), (0, 0, 0, 0, 0, 0, 0)]
        refused = 0
        for call in calls:
            for args in arguments:
                try:
                    call(*args)
                except (TypeError, ValueError, OverflowError):
                    refused += 1
                gc.collect()
        print(len(calls), refused)
        """,
        stub_library,
    )
    count, refused = map(int, out.split())
    assert count >= 25
    assert refused >= count * 4


def test_transmit_bytes_answers_bytes(stub_library: Path) -> None:
    out = run_isolated(
        STUB_CONNECT
        + """
for apdu in ([0, 0xB0, 0, 0, 3], bytes([0, 0xB0, 0, 0, 3]), bytearray(b"\\0\\xb0\\0\\0\\3"),
             memoryview(b"xx\\0\\xb0\\0\\0\\3")[2:], (0, 0xB0, 0, 0, 3)):
    answer = s.SCardTransmitBytes(card, protocol, apdu)
    assert type(answer) is tuple and answer == (0, bytes([0, 1, 2, 0x90, 0])), (apdu, answer)
# A failed call: the result code and no bytes (the stub knows no protocol 0x1234).
assert s.SCardTransmitBytes(card, 0x1234, b"\\0\\xa4\\4\\0") == (s.SCARD_E_INVALID_PARAMETER, b"")
# No ISO 7816 here: a 1-byte APDU goes to the library (the stub refuses
# anything shorter than 4 bytes) instead of raising.
print(s.SCardTransmitBytes(card, protocol, b"\\x80") == (s.SCARD_E_INVALID_PARAMETER, b""))
print("ok")
""",
        stub_library,
    )
    assert out.split() == ["True", "ok"]


# Every argument of SCardTransmitBytes: the message names the call, the
# argument and what was expected, so Python code never has to add it.
BAD_TRANSMIT_ARGUMENTS = [
    ((), TypeError, r"SCardTransmitBytes\(hcard, dwProtocol, apdu\) takes 3 arguments \(0 given\)"),
    ((0, 2), TypeError, r"takes 3 arguments \(2 given\)"),
    ((0, 2, b"1234", 4), TypeError, r"takes 3 arguments \(4 given\)"),
    (("1", 2, b"1234"), TypeError, "SCardTransmitBytes: hcard must be an int handle, not str"),
    ((2**80, 2, b"1234"), OverflowError, "SCardTransmitBytes: hcard: .* is not a valid handle"),
    ((0, None, b"1234"), TypeError, "SCardTransmitBytes: dwProtocol must be an int, not NoneType"),
    ((0, 2**32, b"1234"), OverflowError, "SCardTransmitBytes: dwProtocol: .* 32-bit PC/SC DWORD"),
    ((0, 2, 1234), TypeError, "SCardTransmitBytes: apdu must be a list of ints 0..255 or a bytes"),
    ((0, 2, "00A4"), TypeError, "SCardTransmitBytes: apdu must be a list of ints .* not str"),
    ((0, 2, [0, 256]), ValueError, "SCardTransmitBytes: apdu: item 1 is 256, outside"),
    ((0, 2, [0, "1"]), TypeError, "SCardTransmitBytes: apdu: item 1 is str, expected an int"),
    ((0, 2, bytes(65549)), ValueError, "SCardTransmitBytes: apdu: 65549 bytes is longer than"),
    ((0, 2, memoryview(bytes(8))[::2]), TypeError, "SCardTransmitBytes: apdu must be a contiguous"),
]


@pytest.mark.parametrize(("arguments", "error", "message"), BAD_TRANSMIT_ARGUMENTS)
def test_transmit_bytes_names_the_bad_argument(
    scard: Any, arguments: tuple, error: type, message: str
) -> None:
    with pytest.raises(error, match=message):
        scard.SCardTransmitBytes(*arguments)


def test_transmit_bytes_with_python_code_in_its_arguments(stub_library: Path) -> None:
    # __index__ is never called (handles, DWORDs and bytes must be ints), so
    # no Python code runs while the arguments are being read; an int
    # subclass is an int; a list item that empties the list cannot, as the
    # list is read without calling anything.
    out = run_isolated(
        STUB_CONNECT
        + """
import gc
class Index:
    calls = 0
    def __index__(self):
        Index.calls += 1
        apdu.clear()
        gc.collect()
        return 0
class Small(int):
    pass
apdu = [0, 0xB0, 0, 0, 2]
for arguments in ((Index(), protocol, apdu), (card, Index(), apdu), (card, protocol, [0, Index()])):
    try:
        s.SCardTransmitBytes(*arguments)
    except TypeError as error:
        print("refused:", str(error).split(" must")[0].split(":")[1].strip())
print(Index.calls)
print(s.SCardTransmitBytes(Small(card), Small(protocol), [Small(0), 0xB0, 0, 0, Small(1)]))
""",
        stub_library,
    )
    assert out.splitlines() == [
        "refused: hcard",
        "refused: dwProtocol",
        "refused: apdu",
        "0",
        "(0, b'\\x00\\x90\\x00')",
    ]


@pytest.mark.skipif(sys.version_info < (3, 12), reason="__buffer__ exists from Python 3.12")
def test_transmit_bytes_apdu_whose_buffer_runs_python_code(stub_library: Path) -> None:
    out = run_isolated(
        STUB_CONNECT
        + """
import gc
class Sneaky:
    def __init__(self):
        self.data = bytearray(b"\\0\\xb0\\0\\0\\2")
    def __buffer__(self, flags):
        gc.collect()
        return memoryview(self.data)
class Failing:
    def __buffer__(self, flags):
        raise ValueError("no buffer today")
print(s.SCardTransmitBytes(card, protocol, Sneaky()))
try:
    s.SCardTransmitBytes(card, protocol, Failing())
except ValueError as error:
    print("refused:", error)
""",
        stub_library,
    )
    assert out.splitlines() == ["(0, b'\\x00\\x01\\x90\\x00')", "refused: no buffer today"]


def test_transmit_in_a_thread_with_a_small_stack(stub_library: Path) -> None:
    # pcsc-lite works on a 32 KiB stack; the fast path used to put 64 KiB
    # buffers on it.
    out = run_isolated(
        STUB_CONNECT
        + """
import threading
threading.stack_size(65536)
results = []
def work():
    results.append(s.SCardTransmit(card, protocol, [0, 0xB0, 0, 0, 0]))
    results.append(s.SCardTransmitBytes(card, protocol, [0, 0xB0, 0, 0, 4]))
    results.append(s.SCardStatus(card))
thread = threading.Thread(target=work)
thread.start()
thread.join()
assert results[0] == [0, list(range(256)) + [0x90, 0]], results[0]
assert results[1] == (0, bytes(range(4)) + b"\\x90\\x00"), results[1]
assert results[2][0] == 0, results[2]
print("ok")
""",
        stub_library,
    )
    assert out.strip() == "ok"


def test_reader_name_length_beyond_the_buffer_is_clamped(stub_library: Path) -> None:
    out = run_isolated(
        STUB_CONNECT
        + """
rv, name, state, proto, atr = s.SCardStatus(card)
print(rv, len(name), set(name), atr)
""",
        stub_library,
        lie="name-too-long",
    )
    assert out.split() == ["0", "1024", "{'A'}", "[]"]


def test_atr_length_left_unchanged_returns_no_stack_bytes(stub_library: Path) -> None:
    out = run_isolated(
        STUB_CONNECT
        + """
import sys
for _ in range(5):
    rv, name, state, proto, atr = s.SCardStatus(card)
    assert rv == 0 and name == "pyscard bench stub 00 00", (rv, name)
    assert set(atr) <= {0}, atr
    # Fill the stack below us with non-zero bytes for the next round.
    s.SCardTransmit(card, protocol, bytes(range(1, 250)) + b"\\x05")
print("ok")
""",
        stub_library,
        lie="atr-unchanged",
    )
    assert out.strip() == "ok"


def test_ctl_code_refuses_out_of_range_codes(scard) -> None:  # noqa: ANN001
    assert scard.SCARD_CTL_CODE(1) == 0x42000001
    assert scard.SCARD_CTL_CODE(0xBDFFFFFF) == 0xFFFFFFFF
    for code in (2**64 - 1, 2**32, 0xBE000000, -1, 2**100):
        with pytest.raises(OverflowError, match="SCARD_CTL_CODE"):
            scard.SCARD_CTL_CODE(code)
    with pytest.raises(TypeError, match="SCARD_CTL_CODE: code must be an int"):
        scard.SCARD_CTL_CODE("1")


def test_out_of_memory_raises_memory_error(stub_library: Path) -> None:
    pytest.importorskip("_testcapi")
    out = run_isolated(
        STUB_CONNECT
        + """
import _testcapi, gc
calls = [
    lambda: s.SCardTransmit(card, protocol, [0, 0xB0, 0, 0, 2]),
    lambda: s.SCardStatus(card),
    lambda: s.SCardGetStatusChange(ctx, 0, [("pyscard bench stub 00 00", 0)]),
    lambda: s.SCardListReaders(ctx, []),
    lambda: s.SCardListReaderGroups(ctx),
    lambda: s.SCardControl(card, s.SCARD_CTL_CODE(1), [1, 2]),
    lambda: s.SCardGetAttrib(card, s.SCARD_ATTR_ATR_STRING),
    lambda: s.SCardConnect(ctx, "pyscard bench stub 00 00", 2, 3),
    lambda: s.SCardIsValidContext(ctx),
    lambda: s.SCardTransmitBytes(card, protocol, b"\\0\\xb0\\0\\0\\2"),
]
expected = [call() for call in calls]
failures = 0
for index, call in enumerate(calls):
    for start in range(0, 40):
        gc.collect()
        _testcapi.set_nomemory(start, 0)
        try:
            result = call()
        except MemoryError:
            failures += 1
            continue
        finally:
            _testcapi.remove_mem_hooks()
        if index != 2:  # status change answers may differ in event bits only
            assert result == expected[index], (index, start, result)
print("ok", failures)
""",
        stub_library,
    )
    verdict, failures = out.split()
    assert verdict == "ok" and int(failures) > 0


@pytest.mark.parametrize(
    ("name", "refused"),
    [("SCardTransmit", "[code, []]"), ("SCardTransmitBytes", "(code, b'')")],
)
def test_empty_apdu_never_reaches_the_reader(
    scard: Any, card_handle: Any, virtual_card: Any, name: str, refused: str
) -> None:
    transmit = getattr(scard, name)
    expected = eval(refused, {"code": scard.SCARD_E_INVALID_PARAMETER})  # noqa: S307
    hcard, protocol = card_handle
    virtual_card.clear_history()
    for empty in ([], b"", bytearray(), (), memoryview(b"")):
        # In a thread: before the fix the call hung for good (the card never
        # answers an empty APDU), which must fail this test, not hang the run.
        results: list[object] = []
        worker = threading.Thread(
            target=lambda out=results, apdu=empty: out.append(transmit(hcard, protocol, apdu)),
            daemon=True,
        )
        worker.start()
        worker.join(5.0)
        assert not worker.is_alive(), f"{name} with an empty APDU hangs"
        assert results == [expected]
    assert virtual_card.apdus == []
    assert transmit(hcard, protocol, [0x80, 0x10, 0, 0, 0])[0] == 0


def test_sub_interpreter_import_fails_cleanly(tmp_path: Path) -> None:
    pytest.importorskip("_testcapi")
    out = run_isolated(
        """
        import _testcapi, smartcard.scard as s
        main_error = s.PCSCLibraryError
        code = "import smartcard.scard._scard"
        print("sub:", _testcapi.run_in_subinterp(code))
        try:
            s.SCardEstablishContext(s.SCARD_SCOPE_USER)
        except Exception as error:
            print("same class:", type(error) is main_error)
        """,
        tmp_path / "no-such-library.so",
    )
    assert "same class: True" in out


def test_sub_interpreter_first_import_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("_testcapi")
    out = run_isolated(
        """
        import _testcapi, sys
        code = (
            "try:\\n"
            "    import smartcard.scard._scard\\n"
            "except ImportError as e:\\n"
            "    print('refused:', e)\\n"
        )
        _testcapi.run_in_subinterp(code)
        import smartcard.scard as s
        try:
            s.SCardEstablishContext(s.SCARD_SCOPE_USER)
        except s.PCSCLibraryError as error:
            print("main ok")
        """,
        tmp_path / "no-such-library.so",
    )
    assert "refused: smartcard.scard can only be imported in the main interpreter" in out
    assert "main ok" in out


@pytest.mark.skipif(sys.version_info < (3, 12), reason="__buffer__ exists from Python 3.12")
def test_reader_state_atr_whose_buffer_changes_the_list(stub_library: Path) -> None:
    out = run_isolated(
        STUB_CONNECT
        + """
class Shrinking:
    def __init__(self, victim):
        self.victim = victim
    def __buffer__(self, flags):
        self.victim.clear()
        return memoryview(bytes(3))
states = [("pyscard bench stub 00 00", 0, None), ("pyscard bench stub 01 00", 0, [1])]
states[0] = ("pyscard bench stub 00 00", 0, Shrinking(states))
try:
    print(s.SCardGetStatusChange(ctx, 0, states))
except ValueError as error:
    print("refused:", error)
item = ["pyscard bench stub 00 00", 0, None]
item[2] = Shrinking(item)
rv, result = s.SCardGetStatusChange(ctx, 0, [item])
print("item ok", rv, result[0][0])
""",
        stub_library,
    )
    assert "refused: readerstatelist changed size" in out
    assert "item ok 0 pyscard bench stub 00 00" in out
