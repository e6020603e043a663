#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fuzz target: PC/SC part 10 feature and TLV-property parsing.

A reader's answers to CM_IOCTL_GET_FEATURE_REQUEST and GET_TLV_PROPERTIES
come from a device: parseFeatureRequest, parseTlvProperties, parse_features
and ReaderProperties.parse raise only ValueError (malformed) or TypeError
(wrong type), as documented.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from smartcard.pcsc import PCSCPart10
    from smartcard.reader_features import ReaderProperties, parse_features


def TestOneInput(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    raw = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 200))
    given = (raw, list(raw), bytearray(raw), memoryview(raw))[fdp.ConsumeIntInRange(0, 3)]
    for parse in (
        PCSCPart10.parseFeatureRequest,
        PCSCPart10.parseTlvProperties,
        parse_features,
        ReaderProperties.parse,
    ):
        try:
            parse(given)
        except ValueError:
            pass


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
