# SPDX-License-Identifier: LGPL-2.1-or-later
"""How long a recording of 10^4 APDU exchanges takes to replay on the fake backend.

    python bench/replay_bench.py              # 10 000 exchanges, best of 5 rounds
    python bench/replay_bench.py --exchanges 100000 --rounds 3

The session (connect, N x transmit through the pyscard framework's
``CardConnection.transmit``, disconnect) is recorded once against a fake card,
then replayed in strict and in lookup mode; each round builds a fresh replay
backend from the file (reading and parsing it included) and runs the whole
session. pyscard 2.3.1 has no replay to compare with: the figure stands alone.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import List

from smartcard._pcsc.backend import use
from smartcard.recording import record
from smartcard.System import readers
from smartcard.testing import FakeBackend, FakeCard
from smartcard.testing.replay import replay_backend

READER = "Bench Reader 00 00"


def session(apdus: List[List[int]]) -> None:
    connection = readers()[0].createConnection()
    connection.connect()
    for apdu in apdus:
        connection.transmit(apdu)
    connection.disconnect()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--exchanges", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    apdus = [[0x00, 0xB0, (n >> 8) & 0xFF, n & 0xFF, 0x10] for n in range(args.exchanges)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.jsonl"
        fake = FakeBackend()
        fake.add_reader(READER, FakeCard("3B 80 01 81", lambda c: bytes(16) + b"\x90\x00"))
        with use(fake), record(path):
            session(apdus)
        fake.close()
        size = path.stat().st_size
        print(f"recording: {args.exchanges} exchanges, {size / 1e6:.1f} MB\n")
        print("| mode | replay (file read + session), best of rounds | per exchange |")
        print("|---|---|---|")
        for mode in ("strict", "lookup"):
            best = float("inf")
            for _ in range(args.rounds):
                start = time.perf_counter()
                backend = replay_backend(path, mode)
                with use(backend):
                    session(apdus)
                best = min(best, time.perf_counter() - start)
                backend.check()
                backend.close()
            print(f"| {mode} | {best * 1e3:.0f} ms | {best / args.exchanges * 1e6:.1f} µs |")


if __name__ == "__main__":
    main()
