# SPDX-License-Identifier: LGPL-2.1-or-later
"""PC/SC part 10, typed: feature maps, PIN_VERIFY/PIN_MODIFY structures, TLV properties."""

from __future__ import annotations

from typing import Dict, List, Tuple

import pytest

from smartcard.connecting import connect
from smartcard.Exceptions import CardConnectionException
from smartcard.pcsc import PCSCPart10
from smartcard.pcsc_enums import ShareMode
from smartcard.reader_features import (
    Feature,
    PinFormat,
    PinModify,
    PinVerify,
    ReaderFeatures,
    ReaderProperties,
    parse_features,
)
from smartcard.testing import PrivatePCSCD, VirtualCard

VERIFY = bytes.fromhex("0020000108") + b"\xff" * 8


class PinPadReader:
    """A reader that implements part 10 the way a CCID PIN pad does (no card needed)."""

    def __init__(self) -> None:
        self.sent: List[Tuple[int, bytes]] = []
        self.codes: Dict[int, int] = {
            Feature.VERIFY_PIN_DIRECT: 0x42330006,
            Feature.MODIFY_PIN_DIRECT: 0x42330007,
            Feature.GET_TLV_PROPERTIES: 0x42330012,
        }

    def control(self, code: int, data: bytes = b"") -> bytes:
        self.sent.append((code, data))
        if code == PCSCPart10.CM_IOCTL_GET_FEATURE_REQUEST:
            answer = b"".join(
                bytes((tag, 4)) + value.to_bytes(4, "big") for tag, value in self.codes.items()
            )
            return answer + bytes((0x99, 4)) + bytes(4)  # an unknown tag is skipped
        if code == self.codes[Feature.GET_TLV_PROPERTIES]:
            return bytes.fromhex(
                "0102"
                "0210"  # wLcdLayout 0x1002 (little-endian)
                "0601"
                "04"  # bMinPINSize
                "0701"
                "08"  # bMaxPINSize
                "0805" + b"1.2.3".hex() + "0B02"
                "E604"  # wIdVendor 0x04E6
            )
        return b"\x90\x00"


def test_pin_verify_structure_layout() -> None:
    structure = PinVerify(apdu=VERIFY, min_pin_length=4, max_pin_length=8, timeout=30)
    assert (
        structure.to_bytes()
        == bytes.fromhex(
            "1E 00"  # bTimerOut, bTimerOut2
            "82"  # bmFormatString: byte units, position 0, left justified, ASCII
            "08"  # bmPINBlockString: no length field, 8-byte block
            "00"  # bmPINLengthFormat
            "08 04"  # wPINMaxExtraDigit 0x0408, little-endian
            "02 01"  # bEntryValidationCondition, bNumberMessage
            "09 04"  # wLangId 0x0409
            "00"  # bMsgIndex
            "00 00 00"  # bTeoPrologue
            "0D 00 00 00"  # ulDataLength
        )
        + VERIFY
    )


def test_pin_verify_bcd_with_length_field() -> None:
    structure = PinVerify(
        apdu=VERIFY,
        pin_format=PinFormat.BCD,
        pin_position=1,
        right_justify=False,
        pin_block_size=7,
        pin_length_bits=4,
        pin_length_position=0,
    )
    encoded = structure.to_bytes()
    assert encoded[2:5] == bytes((0x80 | 1 << 3 | 0x01, 0x47, 0x00))


def test_pin_modify_structure_layout() -> None:
    apdu = bytes.fromhex("0024000110") + b"\xff" * 16
    structure = PinModify(apdu=apdu, insertion_offset_new=8, min_pin_length=6, max_pin_length=12)
    assert (
        structure.to_bytes()
        == bytes.fromhex(
            "00 00 82 08 00"  # timers, format, block, length format
            "00 08"  # bInsertionOffsetOld, bInsertionOffsetNew
            "0C 06"  # wPINMaxExtraDigit
            "03 02 03"  # bConfirmPIN, bEntryValidationCondition, bNumberMessage
            "09 04"  # wLangId
            "00 01 02"  # bMsgIndex1..3
            "00 00 00"  # bTeoPrologue
            "15 00 00 00"  # ulDataLength = 21
        )
        + apdu
    )


@pytest.mark.parametrize(
    "kwargs, error, name",
    [
        ({"apdu": b"\x00\x20"}, ValueError, "apdu"),
        ({"apdu": "0020"}, TypeError, "apdu"),
        ({"pin_position": 16}, ValueError, "pin_position"),
        ({"pin_block_size": -1}, ValueError, "pin_block_size"),
        ({"min_pin_length": 9}, ValueError, "min_pin_length"),
        ({"timeout": 256}, ValueError, "timeout"),
        ({"lang_id": 0x10000}, ValueError, "lang_id"),
        ({"pin_format": 3}, ValueError, "pin_format"),
        ({"right_justify": 1}, TypeError, "right_justify"),
    ],
)
def test_bad_pin_structures_are_refused(kwargs: dict, error: type, name: str) -> None:
    with pytest.raises(error, match=name):
        PinVerify(**{"apdu": VERIFY, **kwargs})


def test_feature_map_and_its_use() -> None:
    reader = PinPadReader()
    features = ReaderFeatures.query(reader)
    assert dict(features) == reader.codes
    assert Feature.VERIFY_PIN_DIRECT in features and Feature.ABORT not in features
    assert features.verify_pin(PinVerify(apdu=VERIFY)).check().sw == 0x9000
    assert reader.sent[-1] == (0x42330006, PinVerify(apdu=VERIFY).to_bytes())
    properties = features.properties()
    assert properties == ReaderProperties(
        lcd_layout=0x1002, min_pin_size=4, max_pin_size=8, firmware_id="1.2.3", vendor_id=0x04E6
    )
    with pytest.raises(CardConnectionException, match="ABORT"):
        features.control(Feature.ABORT)
    with pytest.raises(TypeError, match="structure"):
        features.modify_pin(PinVerify(apdu=VERIFY))  # type: ignore[arg-type]


def test_parse_features_rejects_truncated_answers() -> None:
    with pytest.raises(ValueError):
        parse_features(bytes.fromhex("06044233000607"))


def test_a_reader_without_part_10_has_an_empty_feature_map(
    pcscd: PrivatePCSCD, reader_names: Tuple[str, str], virtual_card: VirtualCard
) -> None:
    with connect(reader_names[1], share=ShareMode.DIRECT) as direct:
        features = ReaderFeatures.query(direct)
    assert len(features) == 0
    assert features.properties() == ReaderProperties()
    with connect(reader_names[0]) as card:
        assert dict(ReaderFeatures.query(card)) == {}
