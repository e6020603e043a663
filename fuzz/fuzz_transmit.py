#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fuzz target: the hand-bound SCardTransmit and SCardTransmitBytes.

Arguments as in fuzz_scard_calls (handles, protocols, APDUs of every
buffer type, objects whose __index__/__buffer__ run Python code, wrong
argument counts), answers from the stub. Beyond the invariant: in echo
mode the answer is the APDU plus 90 00 (a round trip of the buffer
conversion), as a list of ints from SCardTransmit and as bytes from
SCardTransmitBytes; a failed call answers nothing; an empty APDU never
reaches the library.
"""

from __future__ import annotations

import sys
from typing import Any

import atheris

with atheris.instrument_imports():
    from _common import (
        ALLOWED,
        COUNT_EMPTY_TRANSMITS,
        Planted,
        Stub,
        arguments,
        make_bytes,
        make_int,
        program_stub,
        skip,
    )

    from smartcard import scard

stub = Stub()


def protocol(fdp: atheris.FuzzedDataProvider) -> Any:
    if fdp.ConsumeBool():
        return (scard.SCARD_PCI_T0, scard.SCARD_PCI_T1, scard.SCARD_PCI_RAW)[
            fdp.ConsumeIntInRange(0, 2)
        ]
    return make_int(fdp)


def byte_length(value: Any) -> int | None:
    try:
        return memoryview(value).nbytes
    except TypeError:
        pass
    try:
        return len(value)
    except TypeError:
        return None


def apdu(fdp: atheris.FuzzedDataProvider) -> Any:
    value = make_bytes(fdp)
    if skip("empty_apdu") and byte_length(value) == 0:
        return [0, 0xA4, 4, 0]
    return value


def TestOneInput(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    echo = fdp.ConsumeIntInRange(0, 3) != 0
    if not echo:
        program_stub(stub, fdp)
    as_list = fdp.ConsumeBool()
    transmit = scard.SCardTransmit if as_list else scard.SCardTransmitBytes
    makers = [lambda: make_int(fdp) if fdp.ConsumeProbability() < 0.2 else 0xCA4D]
    makers += [lambda: protocol(fdp), lambda: apdu(fdp)]
    args = arguments(fdp, makers)
    empty_before = stub.counter(COUNT_EMPTY_TRANSMITS)
    try:
        result = transmit(*args)
    except (*ALLOWED, Planted):
        result = None
    finally:
        stub.reset()
    assert stub.counter(COUNT_EMPTY_TRANSMITS) == empty_before, f"empty APDU sent: {args!r}"
    if result is None:
        return
    code, answer = result
    assert isinstance(code, int), result
    if as_list:
        assert type(result) is list and type(answer) is list, result
    else:
        assert type(result) is tuple and type(answer) is bytes, result
    if code != 0:
        assert len(answer) == 0, result
    elif echo:
        assert [*answer] == [*bytes(args[2]), 0x90, 0x00], (args, answer)


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
