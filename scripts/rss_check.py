#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Leak check of smartcard.scard: resident memory growth per kind of call.

10**5 calls of each kind of bad input (each must raise) and 10**6
SCardTransmit (plus 10**5 of the other data-returning calls) against the
fuzz stub PC/SC library (fuzz/stub/pcsc_fuzz_stub.c, built here with cc),
so no pcscd is needed and the calls are fast. Prints the RSS growth of each
kind after a warm-up; exits 1 if any kind grew by 1 MiB or more.

Usage: python scripts/rss_check.py [--scale F] [--include-known]
  --scale F        multiply the call counts by F (e.g. 0.1 for a quick look)
  --include-known  also run the inputs that crash today (fuzz/README.md)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
LIMIT_KIB = 1024
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def rss_kib() -> int:
    """Current resident set size (not the peak: a leak shows as steady growth)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_KIB


def build_stub(folder: str) -> str:
    library = os.path.join(folder, "libpcsc_fuzz_stub.so")
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    try:
        flags = subprocess.run(
            ["pkg-config", "--cflags", "libpcsclite"], capture_output=True, text=True, check=True
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        flags = ["-I/usr/include/PCSC"]
    source = str(ROOT / "fuzz" / "stub" / "pcsc_fuzz_stub.c")
    subprocess.run([compiler, "-shared", "-fPIC", "-O2", *flags, "-o", library, source], check=True)
    return library


def kinds(include_known: bool) -> list[tuple[str, int, Callable[[], Any], bool]]:
    """(name, calls, function, whether it must raise) for every kind measured."""
    from smartcard import scard

    _, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    _, card, _ = scard.SCardConnect(ctx, "pyscard fuzz stub 00 00", 2, 3)
    apdu = [0x00, 0xA4, 0x04, 0x00, 0x02, 0x3F, 0x00]
    big = bytes(70000)
    big_list = [0] * 70000
    states = [("pyscard fuzz stub 00 00", 0, [0x3B, 0x00]), ("other", 0)]
    bad: list[tuple[str, Callable[[], Any]]] = [
        ("transmit: item out of range", lambda: scard.SCardTransmit(card, 2, [1, 300])),
        ("transmit: item of wrong type", lambda: scard.SCardTransmit(card, 2, [1, "a"])),
        ("transmit: apdu of wrong type", lambda: scard.SCardTransmit(card, 2, "0102")),
        ("transmit: bytes too long", lambda: scard.SCardTransmit(card, 2, big)),
        ("transmit: list too long", lambda: scard.SCardTransmit(card, 2, big_list)),
        ("transmit: wrong argument count", lambda: scard.SCardTransmit(card, 2)),
        ("transmit: handle overflow", lambda: scard.SCardTransmit(2**70, 2, apdu)),
        ("transmit: protocol overflow", lambda: scard.SCardTransmit(card, 2**40, apdu)),
        ("transmit bytes: apdu of wrong type", lambda: scard.SCardTransmitBytes(card, 2, 5)),
        ("transmit bytes: bytes too long", lambda: scard.SCardTransmitBytes(card, 2, big)),
        ("transmit bytes: item out of range", lambda: scard.SCardTransmitBytes(card, 2, [1, 300])),
        ("transmit bytes: wrong argument count", lambda: scard.SCardTransmitBytes(card, 2)),
        ("status: handle of wrong type", lambda: scard.SCardStatus("1")),
        ("status: wrong argument count", lambda: scard.SCardStatus()),
        ("status change: not a list", lambda: scard.SCardGetStatusChange(ctx, 0, "x")),
        ("status change: short tuple", lambda: scard.SCardGetStatusChange(ctx, 0, [("r",)])),
        (
            "status change: ATR too long",
            lambda: scard.SCardGetStatusChange(ctx, 0, [("r", 0, big)]),
        ),
        ("status change: name not str", lambda: scard.SCardGetStatusChange(ctx, 0, [(1, 0)])),
        ("status change: state not int", lambda: scard.SCardGetStatusChange(ctx, 0, [("r", "0")])),
        (
            "status change: 2nd entry bad",
            lambda: scard.SCardGetStatusChange(ctx, 0, [states[0], ("r", 0, [300])]),
        ),
        ("connect: name with NUL", lambda: scard.SCardConnect(ctx, "a\0b", 2, 3)),
        ("connect: name with surrogate", lambda: scard.SCardConnect(ctx, "a\ud800", 2, 3)),
        ("connect: name of wrong type", lambda: scard.SCardConnect(ctx, b"r", 2, 3)),
        ("connect: wrong argument count", lambda: scard.SCardConnect(ctx, "r", 2)),
        ("reconnect: DWORD overflow", lambda: scard.SCardReconnect(card, 2**40, 3, 0)),
        ("list readers: empty group name", lambda: scard.SCardListReaders(ctx, ["a", ""])),
        ("list readers: group of wrong type", lambda: scard.SCardListReaders(ctx, ["a", 1])),
        ("control: item out of range", lambda: scard.SCardControl(card, 1, [256])),
        ("set attrib: buffer of wrong type", lambda: scard.SCardSetAttrib(card, 1, "x")),
        ("SCARD_CTL_CODE: negative", lambda: scard.SCARD_CTL_CODE(-1)),
        ("SCardGetErrorMessage: wrong type", lambda: scard.SCardGetErrorMessage("x")),
    ]
    if include_known:
        bad += [
            ("list readers: bad handle (known)", lambda: scard.SCardListReaders("x", [])),
            ("list readers: wrong count (known)", lambda: scard.SCardListReaders(ctx)),
        ]
    good: list[tuple[str, int, Callable[[], Any]]] = [
        ("SCardTransmit (echo)", 10**6, lambda: scard.SCardTransmit(card, 2, apdu)),
        ("SCardTransmit bytes (echo)", 10**5, lambda: scard.SCardTransmit(card, 2, bytes(apdu))),
        ("SCardTransmitBytes", 10**5, lambda: scard.SCardTransmitBytes(card, 2, bytes(apdu))),
        ("SCardStatus", 10**5, lambda: scard.SCardStatus(card)),
        ("SCardGetStatusChange", 10**5, lambda: scard.SCardGetStatusChange(ctx, 0, states)),
        ("SCardListReaders", 10**5, lambda: scard.SCardListReaders(ctx, ["a", "b"])),
        ("SCardControl", 10**5, lambda: scard.SCardControl(card, 1, apdu)),
        ("SCardGetAttrib", 10**5, lambda: scard.SCardGetAttrib(card, 0x90303)),
    ]
    return [(name, 10**5, call, True) for name, call in bad] + [
        (name, calls, call, False) for name, calls, call in good
    ]


def measure(name: str, calls: int, call: Callable[[], Any], expect_error: bool) -> int:
    def run(count: int) -> None:
        for _ in range(count):
            try:
                call()
            except (TypeError, ValueError, OverflowError):
                if not expect_error:
                    raise
            else:
                if expect_error:
                    raise AssertionError(f"{name}: no error raised")

    run(min(calls, 2000))  # warm-up: free lists, caches, allocator arenas
    before = rss_kib()
    run(calls)
    return rss_kib() - before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--include-known", action="store_true")
    options = parser.parse_args()
    if "fuzz_stub" not in os.environ.get("PYSCARD_PCSC_LIBRARY", ""):
        # The PC/SC library is chosen once per process: start again with the stub.
        with tempfile.TemporaryDirectory() as folder:
            env = dict(os.environ, PYSCARD_PCSC_LIBRARY=build_stub(folder))
            return subprocess.run([sys.executable, *sys.argv], env=env).returncode
    failed = []
    print(f"{'kind':40} {'calls':>9} {'RSS growth':>12}")
    for name, calls, call, must_raise in kinds(options.include_known):
        count = max(1, int(calls * options.scale))
        start = time.perf_counter()
        growth = measure(name, count, call, expect_error=must_raise)
        verdict = "" if growth < LIMIT_KIB else "  <-- grows by 1 MiB or more"
        print(
            f"{name:40} {count:>9} {growth:>9} KiB  ({time.perf_counter() - start:.1f} s){verdict}",
            flush=True,
        )
        if verdict:
            failed.append(name)
    if failed:
        print(f"rss_check: {len(failed)} kind(s) grew by 1 MiB or more: {', '.join(failed)}")
        return 1
    print("rss_check: no kind grew by 1 MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
