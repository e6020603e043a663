# SPDX-License-Identifier: LGPL-2.1-or-later
"""smartcard.guid."""

from __future__ import annotations

import pytest

from smartcard.guid import GUIDToStr, strToGUID

TEXT = "{AD4F1667-EA75-4124-84D4-641B3B197C65}"
# Windows layout: the first three fields are little-endian.
LAYOUT = [0x67, 0x16, 0x4F, 0xAD, 0x75, 0xEA, 0x24, 0x41]
LAYOUT += [0x84, 0xD4, 0x64, 0x1B, 0x3B, 0x19, 0x7C, 0x65]


def test_str_to_guid():
    assert strToGUID(TEXT) == LAYOUT
    assert strToGUID(TEXT.strip("{}").lower()) == LAYOUT


def test_guid_to_str():
    assert GUIDToStr(LAYOUT) == TEXT
    assert GUIDToStr(bytes(LAYOUT)) == TEXT
    assert GUIDToStr(list(range(16))) == "{03020100-0504-0706-0809-0A0B0C0D0E0F}"


def test_round_trip():
    data = list(range(100, 116))
    assert strToGUID(GUIDToStr(data)) == data


@pytest.mark.parametrize("call", [lambda: strToGUID("zz"), lambda: GUIDToStr([1] * 15)])
def test_bad_input_raises_value_error(call):
    with pytest.raises(ValueError):
        call()
