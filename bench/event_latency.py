# SPDX-License-Identifier: LGPL-2.1-or-later
"""How long after a C program does each of our listeners see a card insertion?

    .venv/bin/python bench/event_latency.py [--rounds N]

For each listener (a bare monitoring-engine subscriber, a CardMonitor
observer, a coroutine awaiting ``smartcard.aio.wait_for_card``) and each
round: a C program blocks in SCardGetStatusChange on the same reader of a
private pcscd, a card is inserted, and the listener's wake-up time is
compared with the C program's (both CLOCK_MONOTONIC). The virtual card runs
in a child process, so that its socket threads do not compete for this
process's GIL, as they would in an application talking to a real reader.
Issue targets: 0.3 ms for monitors, 0.5 ms for coroutines.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Callable, Dict, List

HERE = Path(__file__).resolve().parent

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
    spec = importlib.util.spec_from_file_location("modern_bench", HERE / "modern_bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    source = folder / "waiter.c"
    source.write_text(module.WAITER_C)
    binary = folder / "waiter"
    subprocess.run(
        ["cc", "-O2", "-o", str(binary), str(source), "-I/usr/include/PCSC", "-lpcsclite"],
        check=True,
    )
    return binary


def engine_listener(reader: str) -> Callable[[Callable[[], None]], float]:
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


def monitor_listener(reader: str) -> Callable[[Callable[[], None]], float]:
    from smartcard.CardMonitoring import CardMonitor, CardObserver

    def wait(insert: Callable[[], None]) -> float:
        seen = threading.Event()
        stamp: List[float] = []
        armed = [False]

        class Observer(CardObserver):
            def update(self, observable: object, handlers: tuple) -> None:
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


def coroutine_listener(reader: str) -> Callable[[Callable[[], None]], float]:
    from smartcard import aio

    async def one(insert: Callable[[], None]) -> float:
        found = asyncio.ensure_future(aio.wait_for_card(reader, new_only=True))
        await asyncio.sleep(0.3)
        insert()
        await found
        return time.monotonic()

    return lambda insert: asyncio.run(one(insert))


LISTENERS = {
    "engine subscriber": engine_listener,
    "CardMonitor observer": monitor_listener,
    "awaiting coroutine": coroutine_listener,
}


def send_line(stream: IO[str], line: str) -> None:
    stream.write(line + "\n")
    stream.flush()


def measure(daemon: object, waiter: Path, rounds: int) -> Dict[str, List[float]]:
    reader = daemon.reader_names[0]  # type: ignore[attr-defined]
    port = daemon.port(0)  # type: ignore[attr-defined]
    connector = daemon.connector_path  # type: ignore[attr-defined]
    env = dict(os.environ, **daemon.env)  # type: ignore[attr-defined]
    delays: Dict[str, List[float]] = {}
    for name, make in LISTENERS.items():
        listen = make(reader)
        for _ in range(rounds):
            card = subprocess.Popen(
                [sys.executable, "-c", CARD_PROCESS, connector, str(port)],
                stdin=subprocess.PIPE,
                text=True,
            )
            c_program = subprocess.Popen(
                [str(waiter), reader], stdout=subprocess.PIPE, text=True, env=env
            )
            assert card.stdin is not None and c_program.stdout is not None
            assert c_program.stdout.readline().strip() == "ready"

            woke = listen(lambda stdin=card.stdin: send_line(stdin, "in"))
            c_woke = float(c_program.stdout.readline())
            c_program.wait(10)
            delays.setdefault(name, []).append((woke - c_woke) * 1e3)
            send_line(card.stdin, "out")
            card.wait(10)
            time.sleep(0.6)  # pcscd notices the removal before the next round
    return delays


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    from smartcard.testing import PrivatePCSCD

    with tempfile.TemporaryDirectory() as folder, PrivatePCSCD() as daemon:
        os.environ.update(daemon.env)  # before this process's first PC/SC call
        delays = measure(daemon, build_waiter(Path(folder)), args.rounds)
    print("| listener | median ms after the C program | min | max | rounds |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, values in delays.items():
        print(
            f"| {name} | {statistics.median(values):.3f} | {min(values):.3f} "
            f"| {max(values):.3f} | {len(values)} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
