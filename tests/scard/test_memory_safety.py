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


def test_transmit_bytes_is_mechanical(stub_library: Path) -> None:
    # (hresult, bytes): the whole answer, status word included, whatever SW1
    # says; the ISO 7816 follow-up is Python's (smartcard.iso7816.transport).
    out = run_isolated(
        STUB_CONNECT
        + """
assert s.SCardTransmitBytes(card, protocol, [0, 0xB0, 0, 0, 3]) == (0, bytes([0, 1, 2, 0x90, 0]))
answer = s.SCardTransmitBytes(card, protocol, bytearray(bytes.fromhex("00B0000001")))
assert answer == (0, bytes.fromhex("009000")), answer
for bad, kind in (("00B0", TypeError), ([0, 256], ValueError), (None, TypeError)):
    try:
        s.SCardTransmitBytes(card, protocol, bad)
    except kind as error:
        assert "SCardTransmitBytes: apdu" in str(error), error
    else:
        raise AssertionError(bad)
print("ok")
""",
        stub_library,
    )
    assert out.strip() == "ok"


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
    lambda: s.SCardTransmitBytes(card, protocol, [0, 0xB0, 0, 0, 2]),
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


def test_empty_apdu_never_reaches_the_reader(scard, card_handle, virtual_card) -> None:  # noqa: ANN001
    hcard, protocol = card_handle
    virtual_card.clear_history()
    for empty in ([], b"", bytearray(), ()):
        # In a thread: before the fix the call hung for good (the card never
        # answers an empty APDU), which must fail this test, not hang the run.
        results: list[object] = []
        worker = threading.Thread(
            target=lambda out=results, apdu=empty: out.append(
                scard.SCardTransmit(hcard, protocol, apdu)
            ),
            daemon=True,
        )
        worker.start()
        worker.join(5.0)
        assert not worker.is_alive(), "SCardTransmit with an empty APDU hangs"
        assert results == [[scard.SCARD_E_INVALID_PARAMETER, []]]
    assert virtual_card.apdus == []
    assert scard.SCardTransmit(hcard, protocol, [0x80, 0x10, 0, 0, 0])[0] == 0


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
