# SPDX-License-Identifier: LGPL-2.1-or-later
"""Worker: transmit through the real PC/SC stack (pcscd, vpcd, emulated card).

Usage (by bench/run.py, with PCSCLITE_CSOCK_NAME pointing at the daemon)::

    python real.py READER0 READER1

Connects to both readers (each with its own context), prints
{"ready": true}, then serves one command per stdin line, one JSON line each:

- ``N``: N transmits on READER0, {"per_op": [seconds per transmit]}
  (the same protocol as the C floor program, bench/floor/transmit_floor.c);
- ``threads K SECONDS``: K threads (1: READER0; 2: one per reader)
  transmitting for SECONDS, {"tput": transmits per second, all threads}.

Served this way, the orchestrator interleaves short runs of pyscard, ours
and the C floor, so all see the same load on a shared machine. Only the
low-level smartcard.scard API is used, which both implementations have.
"""

from __future__ import annotations

import importlib
import sys
import threading
import time
from typing import Any, Callable, List, Tuple

from bench_common import APDU, emit

Link = Tuple[Callable[..., object], int, int]  # SCardTransmit, card handle, PCI


def connect(reader: str) -> Link:
    # Typed as Any: the two implementations' modules differ in their stubs.
    scard: Any = importlib.import_module("smartcard.scard")

    rv, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if rv != 0:
        raise RuntimeError(f"SCardEstablishContext: {rv:#x}")
    rv, card, protocol = scard.SCardConnect(
        context, reader, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1
    )
    if rv != 0:
        raise RuntimeError(f"SCardConnect({reader!r}): {rv:#x}")
    pci = scard.SCARD_PCI_T0 if protocol == scard.SCARD_PROTOCOL_T0 else scard.SCARD_PCI_T1
    rv, response = scard.SCardTransmit(card, pci, APDU)
    if rv != 0 or list(response) != [0x90, 0x00]:
        raise RuntimeError(f"SCardTransmit: {rv:#x} {response!r}")
    return scard.SCardTransmit, card, pci


def transmit(link: Link, count: int) -> float:
    """Seconds per transmit over ``count`` transmits."""
    send, card, pci = link
    apdu = list(APDU)
    start = time.perf_counter()
    for _ in range(count):
        send(card, pci, apdu)
    return (time.perf_counter() - start) / count


def throughput(links: List[Link], seconds: float) -> float:
    """Transmits per second of all threads together, one thread per link."""
    stop = threading.Event()
    start = threading.Barrier(len(links) + 1)
    counts = [0] * len(links)

    def work(index: int) -> None:
        send, card, pci = links[index]
        apdu = list(APDU)
        done = 0
        start.wait()
        while not stop.is_set():
            send(card, pci, apdu)
            done += 1
        counts[index] = done

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(links))]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - began)


def serve(readers: List[str]) -> None:
    links = [connect(name) for name in readers]
    transmit(links[0], 20)  # warm up, as the C floor does
    emit({"ready": True})
    for line in sys.stdin:
        words = line.split()
        if not words:
            break
        if words[0] == "threads":
            emit({"tput": throughput(links[: int(words[1])], float(words[2]))})
        else:
            emit({"per_op": [transmit(links[0], int(words[0]))]})


def main() -> None:
    try:
        serve(sys.argv[1:3])
    except ImportError as exc:
        emit({"na": f"{type(exc).__name__}: {exc}"})
    except Exception as exc:  # noqa: BLE001 - reported, never fatal
        emit({"error": f"{type(exc).__name__}: {exc}"})


if __name__ == "__main__":
    main()
