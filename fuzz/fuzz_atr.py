#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fuzz target: ATR parsing and the historical bytes' compact-TLV objects.

smartcard.ATR.ATR raises only SmartcardException (too short, bad TS) or
IndexError (interface bytes announced past the end), as documented; the
CLI's analyse() only UsageError; historical-byte decoding and
card_capabilities() never raise on bytes. Everything they return must
render (str(), render(), to_json()).
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from smartcard.ATR import ATR
    from smartcard.cli.atr_details import analyse
    from smartcard.cli.errors import UsageError
    from smartcard.cli.historical_bytes import decode_historical_bytes
    from smartcard.Exceptions import SmartcardException
    from smartcard.iso7816.capabilities import card_capabilities, historical_objects


def TestOneInput(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    if fdp.ConsumeBool():
        raw = bytes([0x3B if fdp.ConsumeBool() else 0x3F]) + fdp.ConsumeBytes(40)
    else:
        raw = fdp.ConsumeBytes(40)
    try:
        atr = ATR(list(raw))
    except (SmartcardException, IndexError):
        pass
    else:
        atr.render()
        str(atr)
        assert atr.checksumOK in (None, True, False)
        assert atr.getHistoricalBytesCount() <= atr.K
    try:
        analyse(raw)
    except UsageError:
        pass
    decode_historical_bytes(raw).to_json()
    historical_objects(raw)
    card_capabilities(raw)


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
