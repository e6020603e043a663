# SPDX-License-Identifier: LGPL-2.1-or-later
"""How long after a C program does each of our listeners see a card insertion?

    .venv/bin/python bench/event_latency.py [--rounds N]

Two tables, each against a C program blocked in SCardGetStatusChange on the
same reader of a private pcscd (all times CLOCK_MONOTONIC, which every
process shares):

1. Listeners in this process (a bare engine subscriber, a CardMonitor
   observer, a coroutine awaiting ``smartcard.aio.wait_for_card``): insertion.
2. A long-running CardMonitor observer in a process of its own, ours and
   pyscard 2.3.1's (``$PYSCARD_REFERENCE_PYTHON`` or ``.venv-ref``) running
   the same script, in alternating blocks whose first round is a warm-up:
   insertion and removal.

The virtual card runs in a child process, so that its socket threads do not
compete for the listener's GIL, as they would with a real reader.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any, Callable, Dict, List, Tuple

Listener = Callable[[Callable[[], None]], float]

HERE = Path(__file__).resolve().parent


def _load_modern_bench() -> Any:
    spec = importlib.util.spec_from_file_location("modern_bench", HERE / "modern_bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Its C waiter and where it finds pyscard 2.3.1: one definition for both scripts.
MODERN_BENCH = _load_modern_bench()
REFERENCE_PYTHON: str = MODERN_BENCH.REFERENCE_PYTHON

# The card: inserted on the first line read from stdin, removed on the second.
# The readers are in pcscd's network namespace: the card gets in through the
# daemon's connector (argv[1]), on the port argv[2].
CARD_PROCESS = """
import sys
from smartcard.testing import VirtualCard
from smartcard.testing.daemon import connect_through
card = VirtualCard()
sys.stdin.readline()
card.insert(int(sys.argv[2]), wait=True, connect=lambda p, t: connect_through(sys.argv[1], p, t))
sys.stdin.readline()
card.remove()
"""


def build_waiter(folder: Path) -> Path:
    """Compile the C waiter of modern_bench.py (one source for both scripts)."""
    source = folder / "waiter.c"
    source.write_text(MODERN_BENCH.WAITER_C)
    binary = folder / "waiter"
    subprocess.run(
        ["cc", "-O2", "-o", str(binary), str(source), "-I/usr/include/PCSC", "-lpcsclite"],
        check=True,
    )
    return binary


def engine_listener(reader: str) -> Listener:
    from smartcard.monitoring import EventKind, get_engine

    def wait(insert: Callable[[], None]) -> float:
        seen = threading.Event()
        stamp: List[float] = []

        def on_events(events: object) -> None:
            for event in events:  # type: ignore[attr-defined]
                if event.kind is EventKind.CARD_INSERTED and event.reader == reader and not stamp:
                    stamp.append(time.monotonic())
                    seen.set()

        with get_engine().subscribe(on_events):
            time.sleep(0.3)  # let the engine block
            insert()
            seen.wait(10)
        return stamp[0]

    return wait


def monitor_listener(reader: str) -> Listener:
    from smartcard.CardMonitoring import CardMonitor, CardObserver

    def wait(insert: Callable[[], None]) -> float:
        seen = threading.Event()
        stamp: List[float] = []
        armed = [False]

        class Observer(CardObserver):
            def update(
                self, observable: object, handlers: Tuple[List[object], List[object]]
            ) -> None:
                if armed[0] and handlers[0] and not stamp:
                    stamp.append(time.monotonic())
                    seen.set()

        monitor, observer = CardMonitor(), Observer()
        monitor.addObserver(observer)
        armed[0] = True  # the initial update (no card) has been delivered
        time.sleep(0.3)
        insert()
        seen.wait(10)
        monitor.deleteObserver(observer)
        return stamp[0]

    return wait


def coroutine_listener(reader: str) -> Listener:
    from smartcard import aio

    async def one(insert: Callable[[], None]) -> float:
        found = asyncio.ensure_future(aio.wait_for_card(reader, new_only=True))
        await asyncio.sleep(0.3)
        insert()
        await found
        return time.monotonic()

    return lambda insert: asyncio.run(one(insert))


LISTENERS: Dict[str, Callable[[str], Listener]] = {
    "engine subscriber": engine_listener,
    "CardMonitor observer": monitor_listener,
    "awaiting coroutine": coroutine_listener,
}

# A long-running CardMonitor observer alone in its process, written against
# pyscard's API only, so that pyscard 2.3.1 and ours run it unchanged. Prints
# "ready" once the observer is registered and the monitor waits, then
# "in <time>" / "out <time>" (CLOCK_MONOTONIC) for each insertion and removal;
# ends when its standard input closes.
OBSERVER_PROCESS = """
import sys, time
from smartcard.CardMonitoring import CardMonitor, CardObserver
class Observer(CardObserver):
    def update(self, observable, handlers):
        now = time.monotonic()
        added, removed = handlers
        for word, cards in (("in", added), ("out", removed)):
            if cards and armed:
                print(word, now, flush=True)
armed = False
monitor, observer = CardMonitor(), Observer()
monitor.addObserver(observer)
armed = True
time.sleep(0.3)
print("ready", flush=True)
sys.stdin.read()
monitor.deleteObserver(observer)
"""


def send_line(stream: IO[str], line: str) -> None:
    stream.write(line + "\n")
    stream.flush()


class Stack:
    """The private pcscd, its reader 0 and the compiled C waiter of one run."""

    def __init__(self, daemon: Any, waiter: Path) -> None:
        self.reader: str = daemon.reader_names[0]
        self.port: int = daemon.port(0)
        self.connector: str = daemon.connector_path
        self.env = dict(os.environ, **daemon.env)
        self.waiter = waiter

    def round(self, on_insert: Listener, on_remove: Listener) -> List[float]:
        """Insert a card, then remove it; the listener's delays after the C program's (ms).

        ``on_insert`` / ``on_remove`` are given the function that makes the
        change, and return the time the listener saw it.
        """
        card = subprocess.Popen(
            [sys.executable, "-c", CARD_PROCESS, self.connector, str(self.port)],
            stdin=subprocess.PIPE,
            text=True,
        )
        c_program = subprocess.Popen(
            [str(self.waiter), self.reader], stdout=subprocess.PIPE, text=True, env=self.env
        )
        assert card.stdin is not None and c_program.stdout is not None
        assert c_program.stdout.readline().strip() == "ready"
        seen_in = on_insert(functools.partial(send_line, card.stdin, "in"))
        c_in = float(c_program.stdout.readline())
        seen_out = on_remove(functools.partial(send_line, card.stdin, "out"))
        c_out = float(c_program.stdout.readline())
        c_program.wait(10)
        card.wait(10)
        time.sleep(0.3)  # let everything settle before the next round
        return [(seen_in - c_in) * 1e3, (seen_out - c_out) * 1e3]


def measure_in_process(stack: Stack, rounds: int) -> Dict[str, List[float]]:
    """Insertion delays of each in-process listener, its rounds in a row."""
    delays: Dict[str, List[float]] = {}
    for name, make in LISTENERS.items():
        listen = make(stack.reader)
        for _ in range(rounds):
            delays.setdefault(name, []).append(stack.round(listen, unobserved)[0])
    return delays


def unobserved(change: Callable[[], None]) -> float:
    change()
    return time.monotonic()


def observed(stdout: IO[str], word: str, change: Callable[[], None]) -> float:
    """Make the change, then read the observer process's line about it."""
    change()
    line = stdout.readline().split()
    assert line and line[0] == word, line
    return float(line[1])


def measure_own_process(stack: Stack, rounds: int, blocks: int) -> Dict[str, List[float]]:
    """Insertion and removal delays of ours and pyscard's CardMonitor, each in its own process.

    One long-running observer process at a time, in alternate blocks; the
    first round of each block is a warm-up and is not counted.
    """
    pythons = {"ours": sys.executable}
    if os.access(REFERENCE_PYTHON, os.X_OK):
        pythons["pyscard 2.3.1"] = REFERENCE_PYTHON
    else:
        print(f"no pyscard 2.3.1 at {REFERENCE_PYTHON}: its rows are left out", file=sys.stderr)
    delays: Dict[str, List[float]] = {}
    per_block = max(1, rounds // blocks)
    for block in range(blocks):
        order = list(pythons.items())
        for name, python in order[block % 2 :] + order[: block % 2]:
            child = subprocess.Popen(
                [python, "-c", OBSERVER_PROCESS],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                env=stack.env,
            )
            assert child.stdin is not None and child.stdout is not None
            assert child.stdout.readline().strip() == "ready"
            for index in range(per_block + 1):
                inserted, removed = stack.round(
                    functools.partial(observed, child.stdout, "in"),
                    functools.partial(observed, child.stdout, "out"),
                )
                if index > 0:
                    delays.setdefault(f"{name}: insertion", []).append(inserted)
                    delays.setdefault(f"{name}: removal", []).append(removed)
            child.stdin.close()
            child.wait(10)
    return delays


def print_table(title: str, delays: Dict[str, List[float]]) -> None:
    print(f"| {title} | median ms after the C program | min | max | rounds |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, values in delays.items():
        print(
            f"| {name} | {statistics.median(values):.3f} | {min(values):.3f} "
            f"| {max(values):.3f} | {len(values)} |"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8, help="rounds per listener")
    parser.add_argument(
        "--blocks", type=int, default=4, help="alternating blocks of the ours/pyscard rounds"
    )
    args = parser.parse_args()
    from smartcard.testing import PrivatePCSCD

    with tempfile.TemporaryDirectory() as folder, PrivatePCSCD() as daemon:
        os.environ.update(daemon.env)  # before this process's first PC/SC call
        stack = Stack(daemon, build_waiter(Path(folder)))
        in_process = measure_in_process(stack, args.rounds)
        own_process = measure_own_process(stack, args.rounds, args.blocks)
    print_table("listener in this process (insertion)", in_process)
    print()
    print_table("CardMonitor observer in its own process", own_process)
    return 0


if __name__ == "__main__":
    sys.exit(main())
