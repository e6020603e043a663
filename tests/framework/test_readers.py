# SPDX-License-Identifier: LGPL-2.1-or-later
"""readers(), reader objects, reader groups, and their errors, against a real pcscd."""

from __future__ import annotations

import sys
import time
from typing import Any, Callable

import pytest

import smartcard.Exceptions as E
import smartcard.pcsc.PCSCExceptions as P
from smartcard.pcsc.PCSCReader import PCSCReader
from smartcard.scard import SCARD_E_NO_READERS_AVAILABLE, SCARD_E_NO_SERVICE, PCSCLibraryError
from smartcard.System import listReaders, readergroups, readers

from .conftest import pcscd_thread_count, run_python, wait_until

LIST_READERS = """
import json
from smartcard.System import readers, readergroups
import smartcard
rs = readers()
print(json.dumps({
    "names": [r.name for r in rs],
    "str": [str(r) for r in rs],
    "repr": [repr(r) for r in rs],
    "type": [type(r).__name__ for r in rs],
    "default_group": [r.name for r in readers(["SCard$DefaultReaders"])],
    "listReaders": smartcard.listReaders(),
    "groups": list(readergroups()),
    "eq": rs[0] == readers()[0] and rs[0] != rs[1] and hash(rs[0]) == hash(readers()[0]),
}))
"""


def test_readers_lists_the_virtual_readers(pcscd: Any) -> None:
    found = readers()
    assert [r.name for r in found] == list(pcscd.reader_names)
    assert all(isinstance(r, PCSCReader) for r in found)
    assert [str(r) for r in found] == list(pcscd.reader_names)
    assert repr(found[0]) == f"'{pcscd.reader_names[0]}'"


def test_reader_equality_and_hash_by_name(pcscd: Any) -> None:
    first, second = readers(), readers()
    assert first == second
    assert first[0] is not second[0]
    assert {first[0]: 1}[second[0]] == 1
    assert first[0] != first[1]
    assert first[0] != first[0].name  # a reader is not its name, as in pyscard


def test_same_results_as_reference(differential: Callable[..., tuple[Any, Any]]) -> None:
    reference, ours = differential(LIST_READERS)
    assert ours == reference
    assert reference["eq"] is True


def test_groups_argument(pcscd: Any) -> None:
    assert [r.name for r in readers(["SCard$DefaultReaders"])] == list(pcscd.reader_names)
    assert [r.name for r in readers("SCard$DefaultReaders")] == list(pcscd.reader_names)
    assert [r.name for r in readers([])] == list(pcscd.reader_names)


@pytest.mark.parametrize("groups", [42, [1, 2], {"SCard$DefaultReaders": 1}])
def test_bad_groups_argument_is_a_type_error(pcscd: Any, groups: Any) -> None:
    with pytest.raises(TypeError, match="groups"):
        readers(groups)


def test_reader_name_must_be_text() -> None:
    with pytest.raises(TypeError):
        PCSCReader(123)  # type: ignore[arg-type]


def test_list_readers_and_reader_groups(pcscd: Any) -> None:
    assert listReaders() == list(pcscd.reader_names)
    assert "SCard$DefaultReaders" in list(readergroups())


def test_no_reader_attached_gives_empty_list(monkeypatch: pytest.MonkeyPatch, pcscd: Any) -> None:
    # The private daemon always has its two vpcd readers; this is how pcsc-lite
    # reports an empty system.
    from tests._override import OverridingBackend

    from smartcard._pcsc import backend

    empty = OverridingBackend(
        SCardListReaders=lambda hcontext, groups: [SCARD_E_NO_READERS_AVAILABLE, []]
    )
    with backend.use(empty):
        assert readers() == []


def test_ten_thousand_calls_leak_no_context(pcscd: Any) -> None:
    readers()
    pid = pcscd.pid
    # pcscd serves each client context with a thread; let earlier tests' ones end.
    time.sleep(0.2)
    before = pcscd_thread_count(pid)
    start = time.perf_counter()
    for _ in range(10_000):
        readers()
    elapsed = time.perf_counter() - start
    # Threads of released contexts may take a moment to exit.
    wait_until(lambda: pcscd_thread_count(pid) <= before, 5.0, "pcscd threads to settle")
    assert pcscd.pid == pid
    print(f"10000 readers() calls: {elapsed:.2f} s")


REFERENCE_DAEMON_DOWN = """
import json
from smartcard.System import readers
try:
    readers()
    print(json.dumps(None))
except Exception as exc:
    print(json.dumps({"mro": [c.__name__ for c in type(exc).__mro__], "hresult": exc.hresult}))
"""


def test_daemon_down_raises_explained_error_catchable_as_before(
    restore_daemon: Any, reference_python: str
) -> None:
    pcscd = restore_daemon
    pcscd.stop()
    reference = run_python(reference_python, REFERENCE_DAEMON_DOWN, pcscd.env)
    with pytest.raises(P.EstablishContextException) as info:
        readers()
    exc = info.value
    # Whatever class pyscard raised in this situation is among ours.
    assert reference is not None
    assert set(reference["mro"]) <= {c.__name__ for c in type(exc).__mro__}
    assert exc.hresult == reference["hresult"] == SCARD_E_NO_SERVICE
    for cls in (
        E.CardServiceNotFoundException,
        E.ListReadersException,
        P.ListReadersException,
        E.SmartcardException,
    ):
        assert isinstance(exc, cls)
    assert str(exc) == "Failed to establish context: Service not available. (0x8010001D)"
    explanation = exc.explanation
    assert "0x8010001D" in explanation and "pcscd" in explanation
    assert "SCARD_E_NO_SERVICE" in explanation

    pcscd.start()
    assert [r.name for r in readers()] == list(pcscd.reader_names)


def test_library_missing_is_catchable_and_says_what_to_install() -> None:
    code = """
import json
from smartcard.System import readers
from smartcard.pcsc.PCSCExceptions import EstablishContextException
from smartcard.Exceptions import CardServiceNotFoundException
from smartcard.scard import PCSCLibraryError
try:
    readers()
except EstablishContextException as exc:
    print(json.dumps({
        "library": isinstance(exc, PCSCLibraryError),
        "service": isinstance(exc, CardServiceNotFoundException),
        "text": str(exc),
    }))
"""
    out = run_python(
        sys.executable, code, {"PYSCARD_PCSC_LIBRARY": "/nonexistent/libpcsclite.so.1"}
    )
    assert out["library"] and out["service"]
    assert "/nonexistent/libpcsclite.so.1" in out["text"]
    assert "install" in out["text"]


def test_pcsc_library_error_class_is_available() -> None:
    assert issubclass(P.PCSCLibraryNotFoundError, PCSCLibraryError)


def test_import_smartcard_is_lazy_and_keeps_root_exports() -> None:
    code = """
import json, sys
import smartcard
heavy = ("smartcard.System", "smartcard.scard", "smartcard.Session")
lazy = not any(m in sys.modules for m in heavy)
names = sorted(smartcard.__all__)
import smartcard.System
from smartcard.Session import Session
print(json.dumps({
    "lazy": lazy,
    "all": names,
    "version": smartcard.__version__,
    "session_is_class": smartcard.Session is Session,
    "list_readers": smartcard.listReaders is smartcard.System.listReaders,
}))
"""
    out = run_python(sys.executable, code)
    assert out == {
        "lazy": True,
        "all": ["Session", "listReaders"],
        "version": "2.4.0.dev0",
        "session_is_class": True,
        "list_readers": True,
    }


GROUP_OPERATIONS = """
import json
from smartcard.System import readers, readergroups
def outcome(call):
    try:
        return ["ok", repr(call())]
    except Exception as exc:
        return [[c.__name__ for c in type(exc).__mro__], getattr(exc, "hresult", None)]
r = readers()[0]
print(json.dumps({
    "add": outcome(lambda: r.addtoreadergroup("MyGroup")),
    "remove": outcome(lambda: r.removefromreadergroup("MyGroup")),
    "groups": outcome(lambda: list(readergroups())),
    "addgroup": outcome(lambda: readergroups().addreadergroup("G")),
    "rmgroup": outcome(lambda: readergroups().removereadergroup("G")),
    "append": outcome(lambda: readergroups().append("H")),
}))
"""


def test_group_operations_match_reference(differential: Callable[..., tuple[Any, Any]]) -> None:
    # pcsc-lite has no reader group database: every change fails, and must
    # fail with the classes and codes pyscard gave.
    reference, ours = differential(GROUP_OPERATIONS)
    assert set(ours) == set(reference)
    for case, (ref_kind, ref_detail) in reference.items():
        kind, detail = ours[case]
        if ref_kind == "ok":
            assert (kind, detail) == (ref_kind, ref_detail), case
        else:
            assert set(ref_kind) <= set(kind), case
            assert detail == ref_detail, case
