# SPDX-License-Identifier: LGPL-2.1-or-later
"""Figures for the new API (smartcard.connecting, smartcard.aio), self-contained.

    python bench/modern_bench.py            # all figures, about a minute
    python bench/modern_bench.py --quick    # fewer rounds

1. Card insertion: when a coroutine awaiting ``aio.wait_for_card`` wakes,
   against a raw ``SCardGetStatusChange`` loop (a thread of this process)
   and a C program blocked on the same reader, for the same insertion.
2. Cancellation: ``task.cancel()`` on a waiting coroutine -> task finished,
   and -> the monitoring thread's PC/SC wait released (thread gone).
3. Transmit: ``PCSCCard.transmit(bytes) -> Response`` against pyscard
   2.3.1's low-level ``SCardTransmit(hcard, protocol, list)``, each in its
   own interpreter, through a stub PC/SC library that answers at once (the
   binding's cost) and through the real stack (pcscd, vpcd, a VirtualCard).

Needs Linux with pcscd and vsmartcard-vpcd (a private pcscd is started);
pyscard 2.3.1 in ``$PYSCARD_REFERENCE_PYTHON`` (default ``.venv-ref/bin/python``)
and a C compiler for the figures that use them (skipped otherwise). Prints a
Markdown table; ``--json FILE`` also writes the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable, Dict, List

HERE = Path(__file__).resolve().parent
REFERENCE_PYTHON = os.environ.get("PYSCARD_REFERENCE_PYTHON") or str(
    HERE.parent / ".venv-ref" / "bin" / "python"
)
STUB_SOURCE = HERE / "stub" / "pcsc_stub.c"
APDU = bytes.fromhex("00A4040000")  # the stub answers 90 00
ECHO = bytes.fromhex("8010000004CAFEBABE")  # the demo applet echoes it

# A C program blocked on reader 0: prints "ready", then the CLOCK_MONOTONIC
# time at which it sees a card arrive, then the time it sees it go.
WAITER_C = r"""
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <PCSC/winscard.h>
static int wait_until(SCARDCONTEXT ctx, SCARD_READERSTATE *rs, int present) {
    struct timespec ts;
    while (!(rs->dwCurrentState & SCARD_STATE_PRESENT) == present) {
        if (SCardGetStatusChange(ctx, INFINITE, rs, 1)) return 4;
        rs->dwCurrentState = rs->dwEventState & ~SCARD_STATE_CHANGED;
    }
    clock_gettime(CLOCK_MONOTONIC, &ts);
    printf("%.9f\n", ts.tv_sec + ts.tv_nsec / 1e9);
    fflush(stdout);
    return 0;
}
int main(int argc, char **argv) {
    SCARDCONTEXT ctx; SCARD_READERSTATE rs;
    if (argc < 2 || SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &ctx)) return 2;
    memset(&rs, 0, sizeof rs);
    rs.szReader = argv[1];
    rs.dwCurrentState = SCARD_STATE_UNAWARE;
    if (SCardGetStatusChange(ctx, 0, &rs, 1)) return 3;
    rs.dwCurrentState = rs.dwEventState & ~SCARD_STATE_CHANGED;
    puts("ready"); fflush(stdout);
    if (wait_until(ctx, &rs, 1) || wait_until(ctx, &rs, 0)) return 4;
    SCardReleaseContext(ctx);
    return 0;
}
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ workers
# Run in a child interpreter (ours or pyscard 2.3.1): ``modern_bench.py --worker NAME``.


def _time_per_call(call: Callable[[], Any], seconds: float, repeat: int) -> List[float]:
    number = 100
    while True:  # calibrate: one repeat lasts about ``seconds``
        start = time.perf_counter()
        for _ in range(number):
            call()
        elapsed = time.perf_counter() - start
        if elapsed > seconds / 4:
            break
        number *= 4
    number = max(1, int(number * seconds / elapsed))
    results = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            call()
        results.append((time.perf_counter() - start) / number)
    return results


def worker_transmit(kind: str, apdu_hex: str, seconds: float, repeat: int) -> Dict[str, Any]:
    """Per-call seconds of one transmit style, in this interpreter."""
    from smartcard import scard

    apdu = bytes.fromhex(apdu_hex)
    if kind in ("ref_list", "ours_scard_bytes"):
        # The low-level call alone: pyscard 2.3.1 with a list, ours with bytes.
        rv, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        rv, readers = scard.SCardListReaders(ctx, [])
        rv, hcard, proto = scard.SCardConnect(
            ctx,
            readers[0],
            scard.SCARD_SHARE_SHARED,
            scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
        )
        transmit = scard.SCardTransmit
        command: Any = list(apdu) if kind == "ref_list" else apdu
        rv, response = transmit(hcard, proto, command)
        assert rv == 0 and response[-2:] == [0x90, 0x00], (rv, response)
        return {
            "per_call": _time_per_call(lambda: transmit(hcard, proto, command), seconds, repeat)
        }
    from smartcard.connecting import connect

    card = connect()
    assert card.transmit(apdu).sw == 0x9000
    transmit_new = card.transmit
    per_call = _time_per_call(lambda: transmit_new(apdu), seconds, repeat)
    card.close()
    return {"per_call": per_call}


def run_worker(
    python: str, env: Dict[str, str], kind: str, apdu: bytes, seconds: float, repeat: int
) -> List[float]:
    command = [
        python,
        str(Path(__file__).resolve()),
        "--worker",
        kind,
        apdu.hex(),
        str(seconds),
        str(repeat),
    ]
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=300, cwd=tempfile.gettempdir()
    )
    if done.returncode != 0:
        raise RuntimeError(f"worker {kind} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)["per_call"]


# ------------------------------------------------------------------ helpers


def build_c(source: str, output: Path, extra: List[str]) -> Path | None:
    compiler = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not compiler:
        return None
    cflags = ["-I/usr/include/PCSC"]
    try:
        cflags = subprocess.run(
            ["pkg-config", "--cflags", "libpcsclite"], capture_output=True, text=True, check=True
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        pass
    done = subprocess.run(
        [compiler, "-O2", *cflags, "-o", str(output), source, *extra],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        log(f"cannot build {output.name}: {done.stderr[-500:]}")
        return None
    return output


def reference_available() -> bool:
    return os.access(REFERENCE_PYTHON, os.X_OK)


def median_us(values: List[float]) -> float:
    return statistics.median(values) * 1e6


# ------------------------------------------------------------------ figures


def figure_insertion(daemon: Any, workdir: Path, rounds: int) -> Dict[str, Any]:
    """Insertion seen by: a raw scard thread, a C program, an awaiting coroutine."""
    import asyncio

    from smartcard import aio, scard
    from smartcard.testing import VirtualCard

    reader = daemon.reader_names[0]
    source = workdir / "waiter.c"
    source.write_text(WAITER_C)
    waiter_bin = build_c(str(source), workdir / "waiter", ["-lpcsclite"])
    raw_delays: List[float] = []
    c_delays: List[float] = []

    def raw_wait(result: List[float], ready: threading.Event) -> None:
        rv, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        rv, states = scard.SCardGetStatusChange(ctx, 0, [(reader, scard.SCARD_STATE_UNAWARE)])
        state = states[0][1]
        ready.set()
        while not state & scard.SCARD_STATE_PRESENT:
            rv, states = scard.SCardGetStatusChange(ctx, scard.INFINITE, [(reader, state)])
            state = states[0][1]
        result.append(time.monotonic())
        scard.SCardReleaseContext(ctx)

    async def one_round() -> None:
        found = asyncio.ensure_future(aio.wait_for_card(reader, new_only=True))
        raw_time: List[float] = []
        ready = threading.Event()
        thread = threading.Thread(target=raw_wait, args=(raw_time, ready), daemon=True)
        thread.start()
        proc = None
        if waiter_bin is not None:
            proc = subprocess.Popen(
                [str(waiter_bin), reader],
                stdout=subprocess.PIPE,
                text=True,
                env=dict(os.environ, **daemon.env),
            )
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        await asyncio.get_running_loop().run_in_executor(None, ready.wait, 5)
        await asyncio.sleep(0.3)  # everyone blocked in SCardGetStatusChange
        card = VirtualCard()
        await asyncio.get_running_loop().run_in_executor(None, daemon.insert_card, 0, card)
        await asyncio.wait_for(found, 10)
        coroutine_time = time.monotonic()
        thread.join(10)
        if proc is not None:
            assert proc.stdout is not None
            c_time = float(proc.stdout.readline())
            c_delays.append(coroutine_time - c_time)
        raw_delays.append(coroutine_time - raw_time[0])
        await asyncio.get_running_loop().run_in_executor(None, daemon.remove_card, 0)
        if proc is not None:
            proc.wait(10)  # it reports the removal too, then ends

    async def main() -> None:
        for _ in range(rounds):
            await one_round()

    asyncio.run(main())
    return {
        "coroutine_after_raw_scard_ms": [d * 1e3 for d in raw_delays],
        "coroutine_after_c_program_ms": [d * 1e3 for d in c_delays],
    }


def figure_cancel(rounds: int) -> Dict[str, Any]:
    """task.cancel() -> task done, and -> monitoring thread (its PC/SC wait) gone."""
    import asyncio

    from smartcard import aio
    from smartcard.aio._hub import hub_for
    from smartcard.monitoring import get_engine

    engine = get_engine()
    task_done, released = [], []

    async def one_round() -> None:
        waiter = asyncio.ensure_future(aio.wait_for_card(new_only=True))
        while not hub_for(asyncio.get_running_loop()).subscribed:
            await asyncio.sleep(0.002)
        await asyncio.sleep(0.05)
        thread = engine.thread
        assert thread is not None
        start = time.monotonic()
        waiter.cancel()
        try:
            await waiter
        except asyncio.CancelledError:
            pass
        task_done.append(time.monotonic() - start)
        while thread.is_alive():
            await asyncio.sleep(0.0005)
        released.append(time.monotonic() - start)

    async def main() -> None:
        for _ in range(rounds):
            await one_round()

    asyncio.run(main())
    return {
        "task_done_ms": [t * 1e3 for t in task_done],
        "pcsc_wait_released_ms": [t * 1e3 for t in released],
    }


def figure_transmit_stub(workdir: Path, seconds: float, repeat: int, rounds: int) -> Dict[str, Any]:
    if not reference_available():
        return {"skipped": f"no pyscard 2.3.1 at {REFERENCE_PYTHON}"}
    if not STUB_SOURCE.exists():
        return {"skipped": f"no stub source {STUB_SOURCE}"}
    stub = build_c(
        str(STUB_SOURCE),
        workdir / "libpcsclite.so.1",
        ["-shared", "-fPIC", "-fvisibility=hidden", "-Wl,-soname,libpcsclite.so.1"],
    )
    if stub is None:
        return {"skipped": "cannot build the stub PC/SC library"}
    base = {k: v for k, v in os.environ.items() if k != "PCSCLITE_CSOCK_NAME"}
    ref_env = dict(base, LD_LIBRARY_PATH=str(workdir))
    ours_env = dict(base, PYSCARD_PCSC_LIBRARY=str(stub))
    return compare_transmit(
        [(REFERENCE_PYTHON, ref_env), (sys.executable, ours_env)],
        APDU,
        seconds,
        repeat,
        rounds,
        1e9,
        "ns",
    )


def figure_transmit_real(daemon: Any, seconds: float, repeat: int, rounds: int) -> Dict[str, Any]:
    if not reference_available():
        return {"skipped": f"no pyscard 2.3.1 at {REFERENCE_PYTHON}"}
    from smartcard.testing import VirtualCard

    daemon.insert_card(0, VirtualCard())
    env = dict(os.environ, **daemon.env)
    try:
        return compare_transmit(
            [(REFERENCE_PYTHON, env), (sys.executable, env)],
            ECHO,
            seconds,
            repeat,
            rounds,
            1e6,
            "us",
        )
    finally:
        daemon.remove_card(0)


def compare_transmit(
    envs: List[Any], apdu: bytes, seconds: float, repeat: int, rounds: int, scale: float, unit: str
) -> Dict[str, Any]:
    """Rounds of the three transmit styles, in rotating order; per-call times in ``unit``."""
    (ref_python, ref_env), (ours_python, ours_env) = envs
    styles = [
        (f"pyscard_2_3_1_SCardTransmit_list_{unit}", ref_python, ref_env, "ref_list"),
        (f"our_scard_SCardTransmit_bytes_{unit}", ours_python, ours_env, "ours_scard_bytes"),
        (f"new_api_PCSCCard_transmit_bytes_{unit}", ours_python, ours_env, "ours_new"),
    ]
    results: Dict[str, List[float]] = {name: [] for name, _, _, _ in styles}
    for index in range(rounds):
        for name, python, env, kind in styles[index % 3 :] + styles[: index % 3]:
            results[name] += [
                v * scale for v in run_worker(python, env, kind, apdu, seconds, repeat)
            ]
    return dict(results)


# ------------------------------------------------------------------ report


def summarize(results: Dict[str, Dict[str, Any]]) -> str:
    lines = ["| figure | median | min | max | n |", "| --- | ---: | ---: | ---: | ---: |"]
    for figure, values in results.items():
        for name, series in values.items():
            if name == "skipped":
                lines.append(f"| {figure} | skipped: {series} | | | |")
                continue
            if not series:
                continue
            unit = name.rsplit("_", 1)[-1]
            lines.append(
                f"| {figure}: {name} | {statistics.median(series):.3f} {unit} "
                f"| {min(series):.3f} | {max(series):.3f} | {len(series)} |"
            )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--worker", nargs=4, metavar=("KIND", "APDU", "SECONDS", "REPEAT"))
    args = parser.parse_args()
    if args.worker:
        kind, apdu, seconds, repeat = args.worker
        print(json.dumps(worker_transmit(kind, apdu, float(seconds), int(repeat))))
        return 0

    from smartcard.testing import PrivatePCSCD

    rounds = 3 if args.quick else 8
    seconds, repeat = (0.2, 3) if args.quick else (0.5, 5)
    results: Dict[str, Dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="modern-bench-") as tmp:
        workdir = Path(tmp)
        log("stub transmit...")
        results["transmit, stub library"] = figure_transmit_stub(workdir, seconds, repeat, rounds)
        with PrivatePCSCD() as daemon:
            os.environ.update(daemon.env)  # before this process's first PC/SC call
            log("real-stack transmit...")
            results["transmit, real stack"] = figure_transmit_real(daemon, seconds, repeat, rounds)
            log("insertion...")
            results["card insertion"] = figure_insertion(daemon, workdir, rounds)
            log("cancellation...")
            results["cancellation"] = figure_cancel(rounds * 4)
    table = summarize(results)
    print(table)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
