#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fuzz target: the hand-bound SCardStatus against fuzz-chosen library answers.

The stub answers the reader name, ATR and state from the input, with
result codes that drive the extension's retry path ("buffer too small")
and, with --adversarial, lengths that break the PC/SC contract (unchanged,
one past the buffer, 0xFFFFFFFF, names without a NUL). Beyond the
invariant: the ATR is at most 36 bytes and the name is a str.
"""

from __future__ import annotations

import sys
from typing import Any

import atheris

with atheris.instrument_imports():
    from _common import ALLOWED, Planted, Stub, arguments, make_int, program_stub

    from smartcard import scard

stub = Stub()
_, CONTEXT = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)


def TestOneInput(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    if fdp.ConsumeBool():
        name = fdp.ConsumeUnicodeNoSurrogates(40).replace("\0", "") or "r"
        scard.SCardConnect(CONTEXT, name, 2, 3)  # the name SCardStatus echoes
    program_stub(stub, fdp, status=True)
    makers: list[Any] = [lambda: 0xCA4D if fdp.ConsumeBool() else make_int(fdp)]
    try:
        result = scard.SCardStatus(*arguments(fdp, makers))
    except (*ALLOWED, Planted):
        return
    finally:
        stub.reset()
    code, name, state, protocol, atr = result
    assert isinstance(code, int) and isinstance(name, str), result
    assert isinstance(state, int) and isinstance(protocol, int), result
    assert isinstance(atr, list) and len(atr) <= 36, result


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
