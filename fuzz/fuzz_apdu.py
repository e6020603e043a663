#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fuzz target: command APDU encoding and decoding (smartcard.iso7816).

parse_apdu accepts any bytes-like input and raises only ValueError (or
TypeError for a non-bytes type); what it accepts re-encodes to the same
bytes. encode_apdu raises only TypeError/ValueError, and what it encodes
parses back to the same fields. The transport's 61xx/6Cxx follow-up, fed
fuzz answers, ends (bounded GET RESPONSE) with a TransportError at worst.
"""

from __future__ import annotations

import sys
from typing import Any

import atheris

with atheris.instrument_imports():
    from _common import make_int, skip

    from smartcard.iso7816.apdu import encode_apdu, parse_apdu
    from smartcard.iso7816.errors import TransportError
    from smartcard.iso7816.transport import follow_up


def TestOneInput(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    mode = fdp.ConsumeIntInRange(0, 2)
    if mode == 0:
        raw = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 600))
        try:
            command = parse_apdu(raw)
        except ValueError:
            return
        assert command.encode() == raw, (raw, command)
    elif mode == 1:
        fields: list[Any] = [
            fdp.ConsumeIntInRange(0, 255) if fdp.ConsumeBool() else make_int(fdp) for _ in range(4)
        ]
        body = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 300))
        if fdp.ConsumeProbability() < 0.02:
            body = bytes(fdp.ConsumeIntInRange(65530, 65540))
        le = None if fdp.ConsumeBool() else make_int(fdp)
        extended = (None, True, False, 1)[fdp.ConsumeIntInRange(0, 3)]
        try:
            raw = encode_apdu(*fields, body, le, extended=extended)
        except (TypeError, ValueError):
            return
        command = parse_apdu(raw)
        assert list(command[:4]) == fields and command.data == body, (fields, body, command)
        expected_le = None if le is None else (le or (65536 if command.extended else 256))
        assert command.le == expected_le, (le, command)
    else:
        answers = [fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 8)) for _ in range(40)]
        apdu = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 12))
        if not apdu and skip("follow_up_short_apdu"):
            apdu = b"\x00\xa4\x04\x00"

        def exchange(_: bytes) -> bytes:
            return answers.pop() if answers else b"\x90\x00"

        try:
            follow_up(exchange, apdu, fdp.ConsumeBytes(4))
        except (TransportError, ValueError):
            pass


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
