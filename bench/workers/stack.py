# SPDX-License-Identifier: LGPL-2.1-or-later
"""Worker: hold a real PC/SC stack up while the real-stack figures run.

Run with our venv's interpreter (it needs smartcard.testing)::

    python stack.py             # pcscd + a card in each of its two readers
    python stack.py card CONNECTOR PORT   # (internal) one emulated card on a vpcd port

The first form starts a private pcscd with two vpcd readers, puts an
emulated card in each (each card in its own process, so two cards never
share a GIL: the two-reader figure measures the client, not the cards),
prints {"env": {...}, "readers": [...]} (or {"error": why}) and keeps
everything up until its standard input is closed.
"""

from __future__ import annotations

import subprocess
import sys
from typing import List

from bench_common import emit

READY = "card ready"


def _answer(apdu: bytes) -> bytes:
    # As little card-side work as possible: the figures measure the host.
    return b"\x90\x00"


def serve_card(connector: str, port: int) -> None:
    from smartcard.testing import VirtualCard
    from smartcard.testing.daemon import connect_through

    # The readers are in pcscd's own network namespace: in through its connector.
    card = VirtualCard(handler=_answer)
    card.insert(
        port, wait=True, timeout=10.0, connect=lambda p, t: connect_through(connector, p, t)
    )
    print(READY, flush=True)
    sys.stdin.read()  # until the parent closes our stdin
    card.remove(2.0)


def _start_cards(daemon: object) -> List[subprocess.Popen]:
    cards = []
    for index in (0, 1):
        proc = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "card",
                daemon.connector_path,  # type: ignore[attr-defined]
                str(daemon.port(index)),  # type: ignore[attr-defined]
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        cards.append(proc)
        line = proc.stdout.readline().strip() if proc.stdout else ""
        if line != READY:
            raise RuntimeError(f"card {index} did not start (said {line!r})")
        name = daemon.reader_names[index]  # type: ignore[attr-defined]
        daemon.wait_for_log(f"Card inserted into {name}", 0, 10.0)  # type: ignore[attr-defined]
    return cards


def serve_stack() -> None:
    try:
        from smartcard.testing import PrivatePCSCD
    except ImportError as exc:
        emit({"na": f"smartcard.testing is not available: {exc}"})
        return
    cards: List[subprocess.Popen] = []
    daemon = PrivatePCSCD(reader_name="pyscard bench")
    try:
        daemon.start()
        cards = _start_cards(daemon)
        emit({"env": daemon.env, "readers": list(daemon.reader_names), "log": daemon.log_path})
        sys.stdin.read()
    except Exception as exc:  # noqa: BLE001 - reported to the orchestrator
        emit({"error": f"{type(exc).__name__}: {exc}"})
    finally:
        # pcscd first: with it gone the cards see their removal at once,
        # instead of at vpcd's next presence poll.
        daemon.close()
        for proc in cards:
            if proc.stdin:
                proc.stdin.close()
        for proc in cards:
            try:
                proc.wait(5.0)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "card":
        serve_card(sys.argv[2], int(sys.argv[3]))
    else:
        serve_stack()
