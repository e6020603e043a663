#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fuzz target: smartcard.util's C helpers (smartcard.util._speedups).

hex_spaced and list_from_hex must either return None (not their case) or
exactly what the pure-Python code returns, and never raise; toHexString
and toBytes, which use them, must agree with the pure-Python reference.
"""

from __future__ import annotations

import sys
from typing import Any

import atheris

with atheris.instrument_imports():
    from _common import IntSub, StrSub, make_int

    from smartcard import util
    from smartcard.util import _speedups


def reference_hex(data: list[Any]) -> str:
    """toHexString's default layout without the C helper."""
    return bytearray([item & 0xFF for item in data]).hex(" ").upper()


def reference_bytes(text: str) -> list[int]:
    """toBytes without the C helper."""
    try:
        return [*bytes.fromhex(text)]
    except ValueError as exc:
        raise TypeError("not a string representing a list of bytes") from exc


def make_list(fdp: atheris.FuzzedDataProvider) -> Any:
    values: list[Any] = list(fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 64)))
    if values and fdp.ConsumeBool():
        values[fdp.ConsumeIntInRange(0, len(values) - 1)] = make_int(fdp)
    kind = fdp.ConsumeIntInRange(0, 3)
    if kind == 1:
        return tuple(values)
    if kind == 2:
        return [IntSub(v) if isinstance(v, int) else v for v in values]
    return values


def make_hex_text(fdp: atheris.FuzzedDataProvider) -> Any:
    alphabet = "0123456789abcdefABCDEF \t\n\r\x0b\x0cxg\xe9\u0100\U0001f600\x00"
    chars = [
        alphabet[fdp.ConsumeIntInRange(0, len(alphabet) - 1)]
        for _ in range(fdp.ConsumeIntInRange(0, 64))
    ]
    text = "".join(chars)
    return StrSub(text) if fdp.ConsumeProbability() < 0.1 else text


def TestOneInput(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    values = make_list(fdp)
    fast = _speedups.hex_spaced(values)
    if fast is not None:
        assert type(values) is list and fast == reference_hex(values), (values, fast)
    if isinstance(values, list) and all(type(v) in (int, IntSub, bool) for v in values):
        assert util.toHexString(values) == reference_hex(values), values
    text = make_hex_text(fdp)
    parsed = _speedups.list_from_hex(text)
    try:
        expected: Any = reference_bytes(text)
    except TypeError:
        expected = TypeError
    if parsed is not None:
        assert parsed == expected, (text, parsed, expected)
    try:
        got: Any = util.toBytes(text)
    except TypeError:
        got = TypeError
    assert got == expected, (text, got, expected)


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
