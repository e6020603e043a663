# SPDX-License-Identifier: LGPL-2.1-or-later
"""Worker: micro-benchmarks over the stub PC/SC library and pure-Python code.

Usage (by bench/run.py, with the venv's interpreter)::

    python micro.py --figures transmit_list,atr_parse --repeat 5 --target 0.2

The stub is selected by the caller's environment (LD_LIBRARY_PATH for
pyscard 2.3.1, PYSCARD_PCSC_LIBRARY for ours); BENCH_STUB names its file
so the worker can check it is the library actually loaded. Prints one
JSON object: {"results": {figure: {"per_op": [s, ...], "number": n} |
{"na": why} | {"error": why}}}.
"""

from __future__ import annotations

import argparse
import importlib
import os
import traceback
from typing import Any, Callable, Dict, Tuple

from bench_common import APDU, Unavailable, emit, stub_loaded, time_statement

Setup = Callable[[], Tuple[str, Dict[str, object]]]
FIGURES: Dict[str, Setup] = {}
STUB_FIGURES = {
    "transmit_list",
    "transmit_bytes",
    "getstatuschange",
    "status",
    "framework_transmit",
}

# A 20-byte ATR (PC/SC storage card: T=1, historical bytes with an RID).
ATR_20 = [
    0x3B,
    0x8F,
    0x80,
    0x01,
    0x80,
    0x4F,
    0x0C,
    0xA0,
    0x00,
    0x00,
    0x03,
    0x06,
    0x03,
    0x00,
    0x01,
    0x00,
    0x00,
    0x00,
    0x00,
    0x6A,
]


def figure(name: str) -> Callable[[Setup], Setup]:
    def register(setup: Setup) -> Setup:
        FIGURES[name] = setup
        return setup

    return register


def _expect(value: object, wanted: object, what: str) -> None:
    # Never time an error path: check the answer once before the loop.
    if value != wanted:
        raise RuntimeError(f"{what} returned {value!r}, expected {wanted!r}")


def _card() -> Tuple[Any, int, int]:
    """The scard module, a card handle on the first stub reader, a context."""
    # Typed as Any: the two implementations' modules differ in their stubs.
    scard: Any = importlib.import_module("smartcard.scard")

    rv, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    _expect(rv, 0, "SCardEstablishContext")
    rv, readers = scard.SCardListReaders(context, [])
    _expect(rv, 0, "SCardListReaders")
    rv, card, protocol = scard.SCardConnect(
        context,
        readers[0],
        scard.SCARD_SHARE_SHARED,
        scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
    )
    _expect((rv, protocol), (0, scard.SCARD_PROTOCOL_T1), "SCardConnect")
    return scard, card, context


@figure("transmit_list")
def _transmit_list() -> Tuple[str, Dict[str, object]]:
    scard, card, _ = _card()
    names = {"f": scard.SCardTransmit, "h": card, "p": scard.SCARD_PCI_T1, "a": list(APDU)}
    _expect(scard.SCardTransmit(card, scard.SCARD_PCI_T1, APDU), [0, [0x90, 0]], "SCardTransmit")
    return "f(h, p, a)", names


@figure("transmit_bytes")
def _transmit_bytes() -> Tuple[str, Dict[str, object]]:
    scard, card, _ = _card()
    apdu = bytes(APDU)
    try:
        answer = scard.SCardTransmit(card, scard.SCARD_PCI_T1, apdu)
    except TypeError as exc:
        raise Unavailable(f"SCardTransmit takes no bytes: {exc}") from exc
    _expect([answer[0], list(answer[1])], [0, [0x90, 0]], "SCardTransmit(bytes)")
    return "f(h, p, a)", {"f": scard.SCardTransmit, "h": card, "p": scard.SCARD_PCI_T1, "a": apdu}


@figure("getstatuschange")
def _getstatuschange() -> Tuple[str, Dict[str, object]]:
    scard, _, context = _card()
    _, readers = scard.SCardListReaders(context, [])
    states = [(name, scard.SCARD_STATE_UNAWARE) for name in readers[:2]]
    rv, answer = scard.SCardGetStatusChange(context, 0, states)
    _expect((rv, len(answer), len(answer[0][2])), (0, 2, len(ATR_20)), "SCardGetStatusChange")
    return "f(c, 0, s)", {"f": scard.SCardGetStatusChange, "c": context, "s": states}


@figure("status")
def _status() -> Tuple[str, Dict[str, object]]:
    scard, card, _ = _card()
    answer = scard.SCardStatus(card)
    _expect((answer[0], list(answer[4])), (0, ATR_20), "SCardStatus")
    return "f(h)", {"f": scard.SCardStatus, "h": card}


@figure("framework_transmit")
def _framework_transmit() -> Tuple[str, Dict[str, object]]:
    from smartcard.System import readers

    connection = readers()[0].createConnection()
    connection.connect()
    _expect(connection.transmit(list(APDU)), ([], 0x90, 0x00), "CardConnection.transmit")
    return "t(a)", {"t": connection.transmit, "a": list(APDU)}


@figure("tohexstring")
def _tohexstring() -> Tuple[str, Dict[str, object]]:
    from smartcard.util import toHexString

    data = list(range(256))
    _expect(toHexString(data)[:8], "00 01 02", "toHexString")
    return "f(d)", {"f": toHexString, "d": data}


@figure("tobytes")
def _tobytes() -> Tuple[str, Dict[str, object]]:
    from smartcard.util import toBytes, toHexString

    text = toHexString(list(range(256)))
    _expect(toBytes(text), list(range(256)), "toBytes")
    return "f(s)", {"f": toBytes, "s": text}


@figure("atr_parse")
def _atr_parse() -> Tuple[str, Dict[str, object]]:
    from smartcard.ATR import ATR

    _expect(ATR(list(ATR_20)).getHistoricalBytes()[:2], [0x80, 0x4F], "ATR")
    return "f(a)", {"f": ATR, "a": list(ATR_20)}


def run_figure(name: str, repeat: int, target: float) -> Dict:
    try:
        stmt, names = FIGURES[name]()
        if name in STUB_FIGURES and not stub_loaded(os.environ.get("BENCH_STUB", "")):
            return {"error": "the stub PC/SC library is not the one loaded"}
        return time_statement(stmt, names, repeat, target)
    except (ImportError, Unavailable) as exc:
        return {"na": f"{type(exc).__name__}: {exc}"}
    except Exception as exc:  # noqa: BLE001 - reported, never fatal
        last = traceback.format_exc().strip().splitlines()[-3:]
        return {"error": f"{type(exc).__name__}: {exc} | {' / '.join(last)}"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--figures", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--target", type=float, default=0.2)
    args = parser.parse_args()
    emit(
        {
            "results": {
                name: run_figure(name, args.repeat, args.target) for name in args.figures.split(",")
            }
        }
    )


if __name__ == "__main__":
    main()
