# SPDX-License-Identifier: LGPL-2.1-or-later
"""Card and reader monitoring figures: ours vs pyscard 2.3.1, on one private pcscd.

    .venv/bin/python bench/monitoring_bench.py [--cycles 10] [--idle 10] [--json FILE]

Self-contained: it starts a private pcscd with two vpcd readers
(``smartcard.testing``), and runs each contender in its own process,
pointed at that daemon:

* ``raw``: a bare SCardGetStatusChange(INFINITE) loop on ``smartcard.scard``,
  the floor any monitor is compared with;
* ``ours``: CardMonitor + ReaderMonitor of this tree (``sys.executable``);
* ``pyscard``: the same observer code under pyscard 2.3.1
  (``--reference``, default ``$PYSCARD_REFERENCE_PYTHON``, else ``.venv-ref/bin/python``).

Workers print ``<what> <CLOCK_MONOTONIC time> <reader>`` for each event; the
monotonic clock is shared by all processes on Linux, so times compare.

Figures:

1. latency: card inserted/removed -> observer ``update`` called, minus the
   raw loop's wake-up for the same pcscd event (with two controls: a second
   raw loop, and a bare subscriber of our engine);
2. idle: context switches per second of the whole worker process (all its
   threads, from /proc) with a card and a reader observer registered and
   nothing happening;
3. restart: pcscd stopped for a while then started again: time from its
   socket accepting connections to the readers reported to observers.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import socket
import statistics
import subprocess
import sys
import textwrap
import threading
import time
from typing import Dict, List, Tuple

from smartcard.testing import PrivatePCSCD, VirtualCard

OBSERVER_WORKER = textwrap.dedent(
    """
    import os, sys, threading, time
    from smartcard.CardMonitoring import CardMonitor, CardObserver
    from smartcard.ReaderMonitoring import ReaderMonitor, ReaderObserver

    def say(what, items):
        now = time.monotonic()
        for item in items:
            print(what, f"{now:.6f}", getattr(item, "reader", item), flush=True)

    class Cards(CardObserver):
        def update(self, observable, handlers):
            say("card+", handlers[0]); say("card-", handlers[1])

    class Readers(ReaderObserver):
        def update(self, observable, handlers):
            say("reader+", handlers[0]); say("reader-", handlers[1])

    def switches():
        total = 0
        for tid in os.listdir("/proc/self/task"):
            try:
                with open(f"/proc/self/task/{tid}/status") as status:
                    for line in status:
                        if "ctxt_switches" in line:
                            total += int(line.split()[1])
            except OSError:
                pass  # a thread that just ended
        return total

    CardMonitor().addObserver(Cards())
    ReaderMonitor().addObserver(Readers())
    time.sleep(1.5)  # pyscard reports the first readers from its thread
    print("READY", flush=True)
    if sys.argv[1] == "idle":
        seconds = float(sys.argv[2])
        before = switches()
        time.sleep(seconds)
        after = switches()
        # The sleeping main thread itself accounts for one switch.
        print("IDLE", (after - before - 1) / seconds, threading.active_count(), flush=True)
    else:
        sys.stdin.read()
    """
)

ENGINE_WORKER = textwrap.dedent(
    """
    import sys, time
    from smartcard.monitoring import EventKind, get_engine

    WHAT = {EventKind.CARD_INSERTED: "card+", EventKind.CARD_REMOVED: "card-"}

    def on_events(events):
        now = time.monotonic()
        for event in events:
            if event.kind in WHAT:
                print(WHAT[event.kind], f"{now:.6f}", event.reader, flush=True)

    subscription = get_engine().subscribe(on_events)
    print("READY", flush=True)
    sys.stdin.read()
    subscription.unsubscribe()
    """
)

RAW_WORKER = textwrap.dedent(
    """
    import sys, time
    from smartcard import scard as s

    hresult, context = s.SCardEstablishContext(s.SCARD_SCOPE_USER)
    hresult, readers = s.SCardListReaders(context, [])
    states = [(name, s.SCARD_STATE_UNAWARE) for name in readers]
    hresult, result = s.SCardGetStatusChange(context, 0, states)
    states = [(name, state & ~s.SCARD_STATE_CHANGED) for name, state, _ in result]
    print("READY", flush=True)
    while True:
        hresult, result = s.SCardGetStatusChange(context, s.INFINITE, states)
        now = time.monotonic()
        if hresult != s.SCARD_S_SUCCESS:
            break
        new = [(name, state & ~s.SCARD_STATE_CHANGED) for name, state, _ in result]
        for (name, old), (_, state) in zip(states, new):
            if (old ^ state) & s.SCARD_STATE_PRESENT:
                what = "card+" if state & s.SCARD_STATE_PRESENT else "card-"
                print(what, f"{now:.6f}", name, flush=True)
        states = new
    """
)


class Worker:
    """A contender process; its event lines are collected by a reader thread."""

    def __init__(self, name: str, python: str, code: str, args: List[str], env: Dict[str, str]):
        self.name = name
        self.events: queue.Queue[Tuple[str, float, str]] = queue.Queue()
        self.lines: List[str] = []
        self.proc = subprocess.Popen(
            [python, "-c", code, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            cwd="/",
        )
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            line = line.rstrip("\n")
            self.lines.append(line)
            parts = line.split(" ", 2)
            if parts[0] == "READY":
                self.ready.set()
            elif len(parts) == 3 and parts[0] in ("card+", "card-", "reader+", "reader-"):
                self.events.put((parts[0], float(parts[1]), parts[2]))

    def next_event(self, what: str, timeout: float) -> float | None:
        """Time of the next ``what`` event, skipping others; None on time-out."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                kind, when, _ = self.events.get(timeout=remaining)
            except queue.Empty:
                return None
            if kind == what:
                return when

    def drain(self) -> None:
        while not self.events.empty():
            self.events.get_nowait()

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.close()
                self.proc.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()


def summary(samples: List[float]) -> str:
    if not samples:
        return "no event"
    ms = sorted(x * 1000 for x in samples)
    return (
        f"median {statistics.median(ms):7.2f} ms  min {ms[0]:7.2f}  max {ms[-1]:7.2f}  "
        f"(n={len(ms)})"
    )


def measure_latency(daemon: PrivatePCSCD, workers: List[Worker], cycles: int) -> Dict:
    raw = workers[0]
    deltas: Dict[str, List[float]] = {w.name: [] for w in workers[1:]}
    missed: Dict[str, int] = {w.name: 0 for w in workers[1:]}
    for worker in workers:
        worker.drain()
    for _ in range(cycles):
        for action, what in (("insert", "card+"), ("remove", "card-")):
            if action == "insert":
                daemon.insert_card(0, VirtualCard())
            else:
                daemon.remove_card(0)
            floor = raw.next_event(what, 3.0)
            for worker in workers[1:]:
                when = worker.next_event(what, 3.0)
                if when is None or floor is None:
                    missed[worker.name] += 1
                else:
                    deltas[worker.name].append(when - floor)
    return {"deltas": deltas, "missed": missed}


def measure_restart(daemon: PrivatePCSCD, workers: List[Worker], outages: List[float]) -> Dict:
    results: Dict[str, List[float | None]] = {w.name: [] for w in workers}
    for outage in outages:
        for worker in workers:
            worker.drain()
        daemon.stop()
        for worker in workers:
            worker.next_event("reader-", 1.0)
        time.sleep(outage)
        accepted: List[float] = []
        probe = threading.Thread(target=_probe_socket, args=(daemon.socket_path, accepted))
        probe.start()
        daemon.start()
        probe.join()
        for worker in workers:
            when = worker.next_event("reader+", 5.0)
            results[worker.name].append(None if when is None else when - accepted[0])
    return results


def _probe_socket(path: str, accepted: List[float]) -> None:
    """Record when pcscd's socket first accepts a connection (polled every 0.2 ms)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            try:
                probe.connect(path)
            except OSError:
                time.sleep(0.0002)
                continue
            accepted.append(time.monotonic())
            return


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--reference",
        default=os.environ.get("PYSCARD_REFERENCE_PYTHON")
        or os.path.join(
            os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
            ".venv-ref",
            "bin",
            "python",
        ),
    )
    parser.add_argument("--cycles", type=int, default=10)
    parser.add_argument("--idle", type=float, default=10.0)
    parser.add_argument("--outages", default="0.2,1,3")
    parser.add_argument("--json", help="also write the raw figures here")
    options = parser.parse_args()
    outages = [float(x) for x in options.outages.split(",")]
    has_reference = os.path.exists(options.reference)

    report: Dict = {}
    with PrivatePCSCD() as daemon:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        env.update(daemon.env)
        contenders = [("ours", sys.executable)]
        if has_reference:
            contenders.append(("pyscard-2.3.1", options.reference))
        else:
            print(f"reference {options.reference} not found: ours only")

        # 1 and 3: latency, then restarts (pyscard's monitors do not survive those).
        workers = [Worker("raw", sys.executable, RAW_WORKER, [], env)]
        workers += [Worker(n, py, OBSERVER_WORKER, ["run"], env) for n, py in contenders]
        # Controls: a second raw loop (the measurement's own noise) and a bare
        # engine subscriber (our cost without the observer dispatcher).
        workers.append(Worker("raw (control)", sys.executable, RAW_WORKER, [], env))
        workers.append(Worker("ours, engine", sys.executable, ENGINE_WORKER, [], env))
        for worker in workers:
            if not worker.ready.wait(15):
                raise SystemExit(f"{worker.name} did not start:\n" + "\n".join(worker.lines))
        latency = measure_latency(daemon, workers, options.cycles)
        restart = measure_restart(daemon, workers[1 : 1 + len(contenders)], outages)
        for worker in workers:
            worker.stop()
        report["latency"] = latency
        report["restart"] = {"outages": outages, "delays": restart}

        # 2: idle wake-ups, each contender alone in its process.
        idle: Dict[str, Tuple[float, int]] = {}
        idlers = [Worker(n, py, OBSERVER_WORKER, ["idle", str(options.idle)], env)
                  for n, py in contenders]  # fmt: skip
        for worker in idlers:
            worker.proc.wait(options.idle + 30)
            line = next((x for x in worker.lines if x.startswith("IDLE")), None)
            if line is not None:
                _, rate, threads = line.split()
                idle[worker.name] = (float(rate), int(threads))
        report["idle"] = idle

    print("\n1. card event -> update(), minus a raw SCardGetStatusChange loop's wake-up")
    for name, deltas in latency["deltas"].items():
        missed = latency["missed"][name]
        print(f"   {name:14} {summary(deltas)}" + (f"  missed {missed}" if missed else ""))
    print(f"\n2. idle for {options.idle:g} s with a card and a reader observer")
    for name, (rate, threads) in idle.items():
        print(f"   {name:14} {rate:8.2f} context switches/s  ({threads} threads)")
    print("\n3. pcscd restart: socket accepts again -> readers reported to observers")
    for name, delays in restart.items():
        cells = ["never" if d is None else f"{d * 1000:.0f} ms" for d in delays]
        pairs = ", ".join(f"after {o:g} s down: {c}" for o, c in zip(outages, cells))
        print(f"   {name:14} {pairs}")
    if options.json:
        with open(options.json, "w") as out:
            json.dump(report, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
