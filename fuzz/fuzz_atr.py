#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fuzz target: ATR parsing and the historical bytes' compact-TLV objects.

smartcard.ATR.ATR raises only SmartcardException (too short, bad TS) or
IndexError (interface bytes announced past the end), as documented; the
library's interpret_atr() only ATRFormatError; historical-byte decoding
and card_capabilities() never raise on bytes. Everything they return must
render (str(), render(), the CLI's JSON).
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from smartcard.ATR import ATR
    from smartcard.cli.atr import to_json
    from smartcard.cli.card_names import CardNames
    from smartcard.Exceptions import SmartcardException
    from smartcard.iso7816.atr import ATRFormatError, interpret_atr
    from smartcard.iso7816.capabilities import card_capabilities, historical_objects
    from smartcard.iso7816.historical import decode_historical_bytes


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
        to_json(interpret_atr(raw), CardNames(), None)
    except ATRFormatError:
        pass
    text = decode_historical_bytes(raw).text
    assert text is None or len(text) == len(raw)
    historical_objects(raw)
    card_capabilities(raw)


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
