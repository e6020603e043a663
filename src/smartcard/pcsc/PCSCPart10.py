# SPDX-License-Identifier: LGPL-2.1-or-later
"""PC/SC part 10: discovering and using reader features (PIN pads, displays...).

A reader lists its optional features in answer to the
``CM_IOCTL_GET_FEATURE_REQUEST`` control code: a sequence of
``tag, length (4), control code (4 bytes, big-endian)`` entries.  Each
feature is then used by sending its control code with ``control()``.
Readers without part 10 support (and vpcd) answer the IOCTL with an error,
which ``control()`` raises as ``CardConnectionException``.
"""

from __future__ import annotations

# SCARD_SHARE_DIRECT is re-exported: pyscard's module offered it, and part 10
# queries are usually made on a direct connection.
from smartcard._pcsc.extension import SCARD_CTL_CODE, SCARD_SHARE_DIRECT  # noqa: F401

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Union

    Feature = Union[int, str]
# Upper-case names here are PC/SC constants, which applications list with
# dir(); the type-checking flag must not pass for one.
del TYPE_CHECKING

__all__ = [
    "CM_IOCTL_GET_FEATURE_REQUEST",
    "Features",
    "Properties",
    "parseFeatureRequest",
    "getFeatureRequest",
    "hasFeature",
    "getPinProperties",
    "getTlvProperties",
    "parseTlvProperties",
]

CM_IOCTL_GET_FEATURE_REQUEST = SCARD_CTL_CODE(3400)

FEATURE_VERIFY_PIN_START = 0x01
FEATURE_VERIFY_PIN_FINISH = 0x02
FEATURE_MODIFY_PIN_START = 0x03
FEATURE_MODIFY_PIN_FINISH = 0x04
FEATURE_GET_KEY_PRESSED = 0x05
FEATURE_VERIFY_PIN_DIRECT = 0x06
FEATURE_MODIFY_PIN_DIRECT = 0x07
FEATURE_MCT_READER_DIRECT = 0x08
FEATURE_MCT_UNIVERSAL = 0x09
FEATURE_IFD_PIN_PROPERTIES = 0x0A
FEATURE_ABORT = 0x0B
FEATURE_SET_SPE_MESSAGE = 0x0C
FEATURE_VERIFY_PIN_DIRECT_APP_ID = 0x0D
FEATURE_MODIFY_PIN_DIRECT_APP_ID = 0x0E
FEATURE_WRITE_DISPLAY = 0x0F
FEATURE_GET_KEY = 0x10
FEATURE_IFD_DISPLAY_PROPERTIES = 0x11
FEATURE_GET_TLV_PROPERTIES = 0x12
FEATURE_CCID_ESC_COMMAND = 0x13

PCSCv2_PART10_PROPERTY_wLcdLayout = 1
PCSCv2_PART10_PROPERTY_bEntryValidationCondition = 2
PCSCv2_PART10_PROPERTY_bTimeOut2 = 3
PCSCv2_PART10_PROPERTY_wLcdMaxCharacters = 4
PCSCv2_PART10_PROPERTY_wLcdMaxLines = 5
PCSCv2_PART10_PROPERTY_bMinPINSize = 6
PCSCv2_PART10_PROPERTY_bMaxPINSize = 7
PCSCv2_PART10_PROPERTY_sFirmwareID = 8
PCSCv2_PART10_PROPERTY_bPPDUSupport = 9
PCSCv2_PART10_PROPERTY_dwMaxAPDUDataSize = 10
PCSCv2_PART10_PROPERTY_wIdVendor = 11
PCSCv2_PART10_PROPERTY_wIdProduct = 12


def _two_way(prefix: str) -> dict[Any, Any]:
    # name -> value and value -> name, from this module's constants.
    table: dict[Any, Any] = {}
    for name, value in list(globals().items()):
        if name.startswith(prefix) and isinstance(value, int):
            table[name] = value
            table[value] = name
    return table


#: Feature tags by name, and names by tag.
Features: dict[Any, Any] = _two_way("FEATURE_")

#: TLV property tags by name, and names by tag.
Properties: dict[Any, Any] = _two_way("PCSCv2_PART10_PROPERTY_")


def _byte_list(response: Any, what: str) -> list[int]:
    if isinstance(response, (bytes, bytearray, memoryview)):
        return list(bytes(response))
    if not isinstance(response, (list, tuple)):
        raise TypeError(f"{what} must be a list of byte values, not {type(response).__name__}")
    return list(response)


def parseFeatureRequest(response: Any) -> list[list[Any]]:
    """Decode a ``CM_IOCTL_GET_FEATURE_REQUEST`` answer.

    Returns ``[[feature name, control code], ...]``; unknown feature tags are
    skipped.  The argument is not modified.
    """
    data = _byte_list(response, "response")
    features: list[list[Any]] = []
    position = 0
    while position < len(data):
        if position + 2 > len(data):
            raise ValueError(f"truncated feature entry at offset {position}: {data[position:]}")
        tag, length = data[position], data[position + 1]
        value = data[position + 2 : position + 2 + length]
        if len(value) != length:
            raise ValueError(f"feature 0x{tag:02X} announces {length} bytes, {len(value)} present")
        position += 2 + length
        name = Features.get(tag)
        if name is not None and isinstance(tag, int):
            features.append([name, int.from_bytes(bytes(value), "big")])
    return features


def getFeatureRequest(cardConnection: Any) -> list[list[Any]]:
    """Ask the reader behind ``cardConnection`` for its part 10 features.

    Returns ``[[feature name, control code], ...]``.  The connection may be
    opened in ``SCARD_SHARE_DIRECT`` mode, which works without a card.
    """
    response = cardConnection.control(CM_IOCTL_GET_FEATURE_REQUEST, [])
    return parseFeatureRequest(response)


def hasFeature(featureList: list[list[Any]], feature: Feature) -> int | None:
    """Control code of ``feature`` (tag or name) in ``featureList``, or None."""
    for name, control_code in featureList:
        if feature == name or feature == Features.get(name):
            found: int = control_code  # entries are [name, control code]
            return found
    return None


def _feature_control_code(
    cardConnection: Any, featureList: list[list[Any]] | None, controlCode: int | None, feature: int
) -> int | None:
    if controlCode is not None:
        return controlCode
    if featureList is None:
        featureList = getFeatureRequest(cardConnection)
    return hasFeature(featureList, feature)


def getPinProperties(
    cardConnection: Any, featureList: list[list[Any]] | None = None, controlCode: int | None = None
) -> dict[str, Any]:
    """The reader's ``PIN_PROPERTIES`` structure as a dict.

    Keys: ``raw`` (the bytes), ``LcdLayoutX``, ``LcdLayoutY``,
    ``EntryValidationCondition``, ``TimeOut2``; only ``raw`` (empty) when the
    reader lacks the feature.
    """
    code = _feature_control_code(
        cardConnection, featureList, controlCode, FEATURE_IFD_PIN_PROPERTIES
    )
    if code is None:
        return {"raw": []}
    response = cardConnection.control(code, [])
    if len(response) < 4:
        raise ValueError(f"PIN_PROPERTIES needs at least 4 bytes, reader returned {response}")
    return {
        "raw": response,
        "LcdLayoutX": response[0],
        "LcdLayoutY": response[1],
        "EntryValidationCondition": response[2],
        "TimeOut2": response[3],
    }


def getTlvProperties(
    cardConnection: Any, featureList: list[list[Any]] | None = None, controlCode: int | None = None
) -> dict[str, Any]:
    """The reader's ``GET_TLV_PROPERTIES`` answer, decoded by :func:`parseTlvProperties`."""
    code = _feature_control_code(
        cardConnection, featureList, controlCode, FEATURE_GET_TLV_PROPERTIES
    )
    if code is None:
        return {"raw": []}
    return parseTlvProperties(cardConnection.control(code, []))


def _decode_property(tag: int, value: list[int]) -> Any:
    if tag == PCSCv2_PART10_PROPERTY_sFirmwareID:
        return "".join(chr(byte) for byte in value)
    if len(value) == 1:
        return value[0]
    if len(value) in (2, 4):
        # Part 10 integers are little-endian.
        return int.from_bytes(bytes(value), "little")
    return value


def parseTlvProperties(response: Any) -> dict[str, Any]:
    """Decode a ``GET_TLV_PROPERTIES`` answer into a dict keyed by property name.

    ``raw`` holds the input; ``sFirmwareID`` is decoded as text, 1/2/4-byte
    values as integers, other lengths are kept as byte lists; a property with
    an unknown tag is stored under ``UNKNOWN``.
    """
    data = _byte_list(response, "response")
    properties: dict[str, Any] = {"raw": response}
    position = 0
    while position < len(data):
        if position + 2 > len(data):
            raise ValueError(f"truncated TLV property at offset {position}: {data[position:]}")
        tag, length = data[position], data[position + 1]
        value = data[position + 2 : position + 2 + length]
        if len(value) != length:
            raise ValueError(f"property 0x{tag:02X} announces {length} bytes, {len(value)} present")
        position += 2 + length
        name = Properties.get(tag)
        properties[name if isinstance(name, str) else "UNKNOWN"] = _decode_property(tag, value)
    return properties


# Names pyscard 2.3.1's module held through its imports, resolved on first use.
from smartcard._reexports import lazy_names  # noqa: E402

__getattr__ = lazy_names(
    __name__,
    {
        # pyscard's loop variable, left at the table's last key.
        "k": lambda: "PCSCv2_PART10_PROPERTY_wIdProduct",
    },
)
