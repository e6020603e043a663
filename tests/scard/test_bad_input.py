# SPDX-License-Identifier: LGPL-2.1-or-later
"""Bad input gets a Python exception naming what was wrong, never a crash."""

from __future__ import annotations

import os
import resource
import subprocess
import sys

import pytest

APDU_OK = [0x80, 0x10, 0x00, 0x00, 0x00]


@pytest.mark.parametrize(
    ("apdu", "error", "words"),
    [
        ([1, 2, 300], ValueError, "item 2 is 300"),
        ([1, -1], ValueError, "outside the byte range"),
        ([1, 2**70], ValueError, "outside the byte range"),
        ([1, "a"], TypeError, "item 1 is str"),
        ([1, 2.0], TypeError, "item 1 is float"),
        ("80100000", TypeError, "not str"),
        (None, TypeError, "not NoneType"),
        (12, TypeError, "not int"),
        ({1: 2}, TypeError, "not dict"),
        (bytes(70000), ValueError, "longer than"),
        ([0] * 70000, ValueError, "longer than"),
    ],
)
def test_transmit_rejects_bad_apdus(scard, apdu, error, words) -> None:  # noqa: ANN001
    with pytest.raises(error, match=words):
        scard.SCardTransmit(1, scard.SCARD_PCI_T1, apdu)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda s: s.SCardTransmit("1", 2, APDU_OK), TypeError),
        (lambda s: s.SCardTransmit(1, "2", APDU_OK), TypeError),
        (lambda s: s.SCardTransmit(1, 2**40, APDU_OK), OverflowError),
        (lambda s: s.SCardTransmit(1, 2), TypeError),
        (lambda s: s.SCardTransmit(2**80, 2, APDU_OK), OverflowError),
        (lambda s: s.SCardConnect(0, None, 2, 3), TypeError),
        (lambda s: s.SCardConnect(0, b"reader", 2, 3), TypeError),
        (lambda s: s.SCardConnect(0, "a\0b", 2, 3), ValueError),
        (lambda s: s.SCardListReaders(0, "SCard$DefaultReaders"), TypeError),
        (lambda s: s.SCardListReaders(0, [1]), TypeError),
        (lambda s: s.SCardListReaders(0, [""]), ValueError),
        (lambda s: s.SCardGetStatusChange(0, 0, None), TypeError),
        (lambda s: s.SCardGetStatusChange(0, 0, ["reader"]), TypeError),
        (lambda s: s.SCardGetStatusChange(0, 0, [("reader",)]), ValueError),
        (lambda s: s.SCardGetStatusChange(0, 0, [("r", 0, [0], 1)]), ValueError),
        (lambda s: s.SCardGetStatusChange(0, 0, [(1, 0)]), TypeError),
        (lambda s: s.SCardGetStatusChange(0, 0, [("r", "0")]), TypeError),
        (lambda s: s.SCardGetStatusChange(0, 0, [("r", 0, [0] * 40)]), ValueError),
        (lambda s: s.SCardGetStatusChange(0, 0, [("r", 0)] * 5000), ValueError),
        (lambda s: s.SCardGetStatusChange(0, -(2**40), []), OverflowError),
        (lambda s: s.SCardControl(1, 2, [256]), ValueError),
        (lambda s: s.SCardSetAttrib(1, 2, "x"), TypeError),
        (lambda s: s.SCardEstablishContext("user"), TypeError),
        (lambda s: s.SCardGetErrorMessage("x"), TypeError),
    ],
)
def test_calls_reject_bad_arguments(scard, call, error) -> None:  # noqa: ANN001
    with pytest.raises(error):
        call(scard)


def test_stale_handles_get_a_code(scard) -> None:  # noqa: ANN001
    for handle in (0, 1, 0x7FFFFFFF, -5):
        assert scard.SCardTransmit(handle, scard.SCARD_PCI_T1, APDU_OK) == [
            scard.SCARD_E_INVALID_HANDLE,
            [],
        ]
        assert scard.SCardDisconnect(handle, 0) == scard.SCARD_E_INVALID_HANDLE
        assert scard.SCardCancel(handle) == scard.SCARD_E_INVALID_HANDLE


def rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def test_no_leak_on_success_or_failure(scard, card_handle) -> None:  # noqa: ANN001
    hcard, protocol = card_handle
    big = bytes.fromhex("8020FFFD000000")

    def churn(rounds: int) -> None:
        for _ in range(rounds):
            scard.SCardTransmit(hcard, protocol, APDU_OK)
            scard.SCardStatus(hcard)
            for bad in ([1, 300], "x", [("r",)]):
                try:
                    scard.SCardTransmit(hcard, protocol, bad)
                except (TypeError, ValueError):
                    pass
                try:
                    scard.SCardGetStatusChange(0, 0, bad)
                except (TypeError, ValueError):
                    pass
        scard.SCardTransmit(hcard, protocol, big)

    churn(300)  # warm up allocator pools
    before = rss_kib()
    churn(3000)
    # A leak of even one 64 KiB buffer per call would add about 190 MiB.
    assert rss_kib() - before < 8 * 1024


def test_missing_library_is_a_clear_python_error(tmp_path) -> None:  # noqa: ANN001
    code = (
        "import smartcard.scard as s\n"
        "try:\n"
        "    s.SCardEstablishContext(s.SCARD_SCOPE_USER)\n"
        "except s.PCSCLibraryError as e:\n"
        "    assert isinstance(e, OSError)\n"
        "    print(e)\n"
    )
    env = dict(os.environ, PYSCARD_PCSC_LIBRARY=str(tmp_path / "libpcsclite.so.1"))
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "cannot load the PC/SC library" in out
    assert "libpcsclite.so.1" in out
    assert "apt-get install" in out


def test_not_a_pcsc_library(tmp_path) -> None:  # noqa: ANN001
    libc = "libc.so.6"
    code = (
        "import smartcard.scard as s\n"
        "try:\n"
        "    s.SCardListReaders(1, [])\n"
        "except s.PCSCLibraryError as e:\n"
        "    print(e)\n"
    )
    env = dict(os.environ, PYSCARD_PCSC_LIBRARY=libc)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "has no entry point SCardEstablishContext" in out
