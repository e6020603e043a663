#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fuzz target: SCardGetStatusChange's reader-state lists.

Lists and tuples of (name, state) and (name, state, atr) entries built from
the input, with wrong types, wrong sizes and, on Python 3.12+, ATR objects
whose __buffer__ runs code that mutates the reader-state list while the
extension converts it. Beyond the invariant: in echo mode each entry comes
back as (the same name, current state | SCARD_STATE_CHANGED, the same ATR).
"""

from __future__ import annotations

import sys
from typing import Any

import atheris

with atheris.instrument_imports():
    from _common import (
        ALLOWED,
        Buffer,
        Planted,
        Stub,
        arguments,
        make_bytes,
        make_int,
        make_text,
        program_stub,
        skip,
    )

    from smartcard import scard

stub = Stub()
_, CONTEXT = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)


def mutator(fdp: atheris.FuzzedDataProvider, states: list[Any]) -> Any:
    """Code for an ATR's __buffer__: mutate the list being converted, or raise."""
    what = fdp.ConsumeIntInRange(0, 4)
    if what == 0:
        return states.clear
    if what == 1:
        return lambda: states.__setitem__(slice(None), [("x", 0)] * 40)
    if what == 2:
        return lambda: states.append(("y", 0))
    if what == 3:
        return lambda: states.pop() if states else None

    def planted() -> None:
        raise Planted("from __buffer__")

    return planted


def entry(fdp: atheris.FuzzedDataProvider, states: list[Any]) -> Any:
    kind = fdp.ConsumeIntInRange(0, 9)
    name = make_text(fdp) if fdp.ConsumeProbability() < 0.3 else "pyscard fuzz stub 00 00"
    state = make_int(fdp) if fdp.ConsumeProbability() < 0.5 else fdp.ConsumeIntInRange(0, 0xFFFF)
    if kind < 4:
        return (name, state)
    if kind < 8:
        return (name, state, make_bytes(fdp, 40))
    if kind == 8:
        return [name, state, make_bytes(fdp, 40)]
    if sys.version_info >= (3, 12):
        atr = Buffer(fdp.ConsumeBytes(33), mutator(fdp, states))
        if skip("buffer_mutation"):
            atr.action = None
        return (name, state, atr)
    return tuple(make_int(fdp) for _ in range(fdp.ConsumeIntInRange(0, 4)))


def TestOneInput(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    echo = fdp.ConsumeBool()
    if not echo:
        program_stub(stub, fdp)
    states: list[Any] = []
    if fdp.ConsumeIntInRange(0, 255) == 255:
        states += [("r", 0)] * fdp.ConsumeIntInRange(4090, 4100)  # the 4096-reader limit
    for _ in range(fdp.ConsumeIntInRange(0, 20)):
        states.append(entry(fdp, states))
    given = tuple(states) if fdp.ConsumeProbability() < 0.2 else states
    before = list(states)
    makers: list[Any] = [
        lambda: CONTEXT if fdp.ConsumeBool() else make_int(fdp),
        lambda: 0 if fdp.ConsumeBool() else make_int(fdp),
        lambda: given,
    ]
    try:
        result = scard.SCardGetStatusChange(*arguments(fdp, makers))
    except (*ALLOWED, Planted):
        return
    finally:
        stub.reset()
    code, out = result
    assert isinstance(code, int) and isinstance(out, list), result
    for name, event, atr in out:
        assert isinstance(name, str) and isinstance(event, int), out
        assert isinstance(atr, list) and len(atr) <= 36, out
    if echo and code == 0 and before == states and len(out) == len(before):
        for (name, _event, atr), item in zip(out, before):
            assert name == item[0], (name, item)
            if len(item) == 3 and isinstance(item[2], Buffer):
                continue
            expected = bytes(item[2]) if len(item) == 3 else b""
            assert not expected or bytes(atr) == expected, (atr, item)


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
