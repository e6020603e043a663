#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fuzz target: argument conversion of every SWIG-bound smartcard.scard call.

Each input picks a call, builds its arguments (handles, DWORDs, names,
multistrings, byte buffers of every accepted type and wrong ones, and
sometimes a wrong argument count), lets the stub library answer with
fuzz-chosen bytes, and checks the invariant of fuzz/_common.py plus the
documented result shapes. The collector runs after some calls: bad
argument-count handling shows up as a crash at the next collection.
"""

from __future__ import annotations

import gc
import sys
from typing import Any

import atheris

with atheris.instrument_imports():
    from _common import (
        ALLOWED,
        Planted,
        Stub,
        arguments,
        make_bytes,
        make_int,
        make_multistring,
        make_text,
        program_stub,
        skip,
    )

    from smartcard import scard

stub = Stub()
_, CONTEXT = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)


def handle(fdp: atheris.FuzzedDataProvider) -> Any:
    return CONTEXT if fdp.ConsumeBool() else make_int(fdp)


def call_plan(fdp: atheris.FuzzedDataProvider) -> tuple[str, list[Any]]:
    """The call to make and its arguments."""
    h = lambda: handle(fdp)  # noqa: E731 - short makers read best inline
    i = lambda: make_int(fdp)  # noqa: E731
    t = lambda: make_text(fdp)  # noqa: E731
    plans: list[tuple[str, list[Any]]] = [
        ("SCardEstablishContext", [i]),
        ("SCardReleaseContext", [h]),
        ("SCardIsValidContext", [h]),
        ("SCardListReaders", [h, lambda: make_multistring(fdp)]),
        ("SCardListReaderGroups", [h]),
        ("SCardConnect", [h, t, i, i]),
        ("SCardReconnect", [h, i, i, i]),
        ("SCardDisconnect", [h, i]),
        ("SCardBeginTransaction", [h]),
        ("SCardEndTransaction", [h, i]),
        ("SCardControl", [h, i, lambda: make_bytes(fdp)]),
        ("SCardCancel", [h]),
        ("SCardGetAttrib", [h, i]),
        ("SCardSetAttrib", [h, i, lambda: make_bytes(fdp)]),
        ("SCardGetErrorMessage", [i]),
        ("SCARD_CTL_CODE", [i]),
        ("SCardIntroduceReaderGroup", [h, t]),
        ("SCardForgetReaderGroup", [h, t]),
        ("SCardIntroduceReader", [h, t, t]),
        ("SCardForgetReader", [h, t]),
        ("SCardAddReaderToGroup", [h, t, t]),
        ("SCardRemoveReaderFromGroup", [h, t, t]),
    ]
    name, makers = plans[fdp.ConsumeIntInRange(0, len(plans) - 1)]
    # Wrong counts, or a bad handle before the multistring, make
    # SCardListReaders free an uninitialised pointer: a known defect.
    known = name == "SCardListReaders" and skip("listreaders_free")
    args = arguments(fdp, makers, counts=not known)
    if known:
        args[0] = CONTEXT
    return name, args


def check_result(name: str, args: list[Any], result: Any) -> None:
    """The documented shapes of a successful conversion."""
    if name == "SCARD_CTL_CODE":
        if skip("ctl_code_wrap") and args[0] > 0xFFFFFFFF:
            return
        # pcsc-lite's SCARD_CTL_CODE(code) is 0x42000000 + code: no wrapping.
        assert result == 0x42000000 + args[0], f"SCARD_CTL_CODE({args[0]!r}) -> {result!r}"
        return
    if name == "SCardGetErrorMessage":
        assert isinstance(result, str), type(result)
        return
    if isinstance(result, list):
        assert result and isinstance(result[0], int), result
        for item in result[1:]:
            if isinstance(item, list):
                assert all(isinstance(x, (int, str)) for x in item), item
            else:
                assert isinstance(item, (int, str)), item
    else:
        assert isinstance(result, int), (name, result)


def one_call(fdp: atheris.FuzzedDataProvider) -> None:
    program_stub(stub, fdp)
    name, args = call_plan(fdp)
    try:
        result = getattr(scard, name)(*args)
    except (*ALLOWED, Planted):
        pass
    else:
        check_result(name, args, result)
    finally:
        stub.reset()


def TestOneInput(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    # Up to three calls per input: what one call leaves on the C stack is
    # what the next one finds in an uninitialised variable, so a crash of
    # that kind replays from its input alone.
    calls = fdp.ConsumeIntInRange(1, 3)
    collect = fdp.ConsumeIntInRange(0, 31) == 31
    for _ in range(calls):
        one_call(fdp)
    if collect:
        gc.collect(0)  # cheap; ASan reports a bad free at once anyway


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
