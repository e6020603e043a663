# SPDX-License-Identifier: LGPL-2.1-or-later
"""PC/SC part 10 feature discovery: parsing (compared with pyscard) and vpcd's real answer."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from smartcard.Exceptions import CardConnectionException
from smartcard.pcsc import PCSCPart10 as part10
from smartcard.pcsc.errors import same_hresult
from smartcard.scard import SCARD_CTL_CODE, SCARD_E_UNSUPPORTED_FEATURE, SCARD_SHARE_DIRECT
from smartcard.System import readers

from .conftest import run_python

# A feature list (verify/modify PIN direct, PIN properties, TLV properties, an
# unknown tag 0x7F) and a TLV property list, as a CCID pinpad reader answers.
FEATURES = [
    0x06, 4, 0x42, 0x33, 0x00, 0x06,
    0x07, 4, 0x42, 0x33, 0x00, 0x07,
    0x0A, 4, 0x42, 0x33, 0x00, 0x0A,
    0x7F, 4, 0x42, 0x33, 0x00, 0x7F,
    0x12, 4, 0x42, 0x33, 0x00, 0x12,
]  # fmt: skip
TLV = [
    0x01, 2, 0x00, 0x00,
    0x02, 1, 0x07,
    0x03, 1, 0x00,
    0x06, 1, 0x04,
    0x07, 1, 0x08,
    0x08, 6, 0x43, 0x43, 0x49, 0x44, 0x20, 0x31,
    0x09, 1, 0x01,
    0x0A, 4, 0x00, 0x01, 0x00, 0x00,
    0x0B, 2, 0xE6, 0x08,
    0x0C, 2, 0x34, 0x12,
    0x55, 3, 1, 2, 3,
]  # fmt: skip

PARSE = f"""
import json
from smartcard.pcsc import PCSCPart10 as p
features = p.parseFeatureRequest(list({FEATURES!r}))
print(json.dumps({{
    "features": features,
    "has_int": p.hasFeature(features, p.FEATURE_VERIFY_PIN_DIRECT),
    "has_name": p.hasFeature(features, "FEATURE_MODIFY_PIN_DIRECT"),
    "missing": p.hasFeature(features, p.FEATURE_ABORT),
    "tlv": p.parseTlvProperties(list({TLV!r})),
    "Features": sorted(map(str, p.Features.items())),
    "Properties": sorted(map(str, p.Properties.items())),
    "ioctl": p.CM_IOCTL_GET_FEATURE_REQUEST,
    "constants": sorted(n for n in dir(p) if n.isupper() or n.startswith(("FEATURE_", "PCSCv2"))),
}}))
"""


def test_parsing_matches_reference(reference_python: str) -> None:
    reference = run_python(reference_python, PARSE)
    ours = run_python(sys.executable, PARSE)
    assert ours == reference
    assert ours["has_int"] == 0x42330006
    assert ours["tlv"]["PCSCv2_PART10_PROPERTY_sFirmwareID"] == "CCID 1"
    assert ours["tlv"]["PCSCv2_PART10_PROPERTY_wIdVendor"] == 0x08E6


def test_parse_does_not_consume_its_argument() -> None:
    data = list(FEATURES)
    part10.parseFeatureRequest(data)
    assert data == FEATURES
    assert part10.parseFeatureRequest(bytes(FEATURES)) == part10.parseFeatureRequest(FEATURES)


@pytest.mark.parametrize("bad", [[0x06, 4, 0x42], [0x06]])
def test_truncated_input_is_a_value_error(bad: list[int]) -> None:
    with pytest.raises(ValueError, match="truncated|announces"):
        part10.parseFeatureRequest(bad)
    with pytest.raises(ValueError):
        part10.parseTlvProperties(bad)


def test_non_byte_input_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        part10.parseFeatureRequest("0604")
    with pytest.raises(TypeError):
        part10.parseTlvProperties(42)


def test_ioctl_code() -> None:
    assert part10.CM_IOCTL_GET_FEATURE_REQUEST == SCARD_CTL_CODE(3400)


class FakePinpad:
    """Answers control() like a pinpad reader does, for the helpers' logic."""

    def __init__(self) -> None:
        self.codes: list[int] = []

    def control(self, code: int, data: Any = None) -> list[int]:
        self.codes.append(code)
        if code == part10.CM_IOCTL_GET_FEATURE_REQUEST:
            return list(FEATURES)
        if code == 0x4233000A:
            return [0x00, 0x00, 0x07, 0x00]
        if code == 0x42330012:
            return list(TLV)
        raise AssertionError(hex(code))


def test_pin_and_tlv_property_helpers() -> None:
    reader = FakePinpad()
    pin = part10.getPinProperties(reader)
    assert pin == {
        "raw": [0, 0, 7, 0],
        "LcdLayoutX": 0,
        "LcdLayoutY": 0,
        "EntryValidationCondition": 7,
        "TimeOut2": 0,
    }
    features = part10.getFeatureRequest(reader)
    tlv = part10.getTlvProperties(reader, features)
    assert tlv["PCSCv2_PART10_PROPERTY_bMaxPINSize"] == 8
    assert tlv["UNKNOWN"] == [1, 2, 3]
    assert part10.getTlvProperties(reader, controlCode=0x42330012) == tlv
    assert part10.getPinProperties(reader, featureList=[]) == {"raw": []}


def test_feature_request_on_vpcd(pcscd: Any) -> None:
    # vpcd implements no part 10 feature: pcscd answers the IOCTL with
    # SCARD_E_UNSUPPORTED_FEATURE, which control() raises.
    reader = next(r for r in readers() if r.name == pcscd.reader_names[1])
    conn = reader.createConnection()
    try:
        conn.connect(mode=SCARD_SHARE_DIRECT)
        with pytest.raises(CardConnectionException) as info:
            part10.getFeatureRequest(conn)
        assert same_hresult(info.value.hresult, SCARD_E_UNSUPPORTED_FEATURE)
    finally:
        conn.release()
