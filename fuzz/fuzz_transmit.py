#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fuzz target: the hand-bound SCardTransmit and the private _transmit_response.

Arguments as in fuzz_scard_calls (handles, protocols, APDUs of every
buffer type), response types from tuple subclasses of every kind (named
tuples, struct sequences, subclasses with slots or a dict), answers from
the stub. Beyond the invariant: in echo mode the answer is the APDU plus
90 00 (a round trip of the buffer conversion), and an empty APDU never
reaches the library.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any, NamedTuple

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
        make_other,
        program_stub,
        skip,
    )

    from smartcard import scard
    from smartcard.iso7816.response import Response
    from smartcard.scard import _scard

stub = Stub()


class Pair(NamedTuple):
    data: bytes
    sw: int


class Triple(NamedTuple):
    a: Any
    b: Any
    c: Any


class Slotted(tuple):  # type: ignore[type-arg]
    __slots__ = ()


class WithDict(tuple):  # type: ignore[type-arg]
    pass


RESPONSE_TYPES: list[Any] = [Response, tuple, Pair, Triple, Slotted, WithDict, int, list]
# Struct sequences are tuple subclasses with a C layout of their own.
STRUCT_SEQUENCES: list[Any] = [time.struct_time, os.stat_result, type(sys.version_info)]


def protocol(fdp: atheris.FuzzedDataProvider) -> Any:
    if fdp.ConsumeBool():
        return (scard.SCARD_PCI_T0, scard.SCARD_PCI_T1, scard.SCARD_PCI_RAW)[
            fdp.ConsumeIntInRange(0, 2)
        ]
    return make_int(fdp)


def response_type(fdp: atheris.FuzzedDataProvider) -> Any:
    kinds = RESPONSE_TYPES + STRUCT_SEQUENCES
    if fdp.ConsumeProbability() < 0.1:
        return make_other(fdp)
    kind = kinds[fdp.ConsumeIntInRange(0, len(kinds) - 1)]
    return Response if kind in STRUCT_SEQUENCES and skip("struct_time") else kind


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
    fast = fdp.ConsumeBool()
    makers = [lambda: make_int(fdp) if fdp.ConsumeProbability() < 0.2 else 0xCA4D]
    makers += [lambda: protocol(fdp), lambda: apdu(fdp)]
    if not fast:
        makers.append(lambda: response_type(fdp))
    args = arguments(fdp, makers)
    empty_before = stub.counter(COUNT_EMPTY_TRANSMITS)
    try:
        result = (scard.SCardTransmit if fast else _scard._transmit_response)(*args)
    except (*ALLOWED, Planted):
        result = None
    finally:
        stub.reset()
    assert stub.counter(COUNT_EMPTY_TRANSMITS) == empty_before, f"empty APDU sent: {args!r}"
    if result is None:
        return
    if fast:
        code, answer = result
        assert isinstance(code, int) and isinstance(answer, list), result
        if echo and code == 0:
            assert answer == [*bytes(args[2]), 0x90, 0x00], (args, answer)
    elif echo and isinstance(result, tuple):
        assert result[0] == bytes(args[2]) and result[1] == 0x9000, (args, result)


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
