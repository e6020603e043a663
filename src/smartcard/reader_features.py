# SPDX-License-Identifier: LGPL-2.1-or-later
"""PC/SC part 10, typed: a reader's feature map, PIN pad structures, TLV properties.

Built on :mod:`smartcard.pcsc.PCSCPart10` (the constants and pyscard's
dict-based parsers); this module adds what the new API needs::

    with connect(reader, share=ShareMode.DIRECT) as direct:   # works without a card
        features = ReaderFeatures.query(direct)
    with connect(reader) as card:
        features = ReaderFeatures.query(card)
        if Feature.VERIFY_PIN_DIRECT in features:
            verify = PinVerify(apdu=bytes.fromhex("0020000108") + bytes(8), max_pin_length=8)
            features.verify_pin(verify).check()

Multi-byte fields of the part 10 structures are little-endian, as the CCID
readers they are passed to expect.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import IntEnum
from typing import Any, Dict, Iterator, Mapping, Protocol, Tuple

from smartcard._log import LazyLogger
from smartcard._pcsc.errors import normalize_hresult
from smartcard._pcsc.exceptions import CardConnectionException
from smartcard.iso7816._checks import as_bytes, check_int
from smartcard.iso7816.response import Response
from smartcard.pcsc import PCSCPart10

__all__ = [
    "Feature",
    "PinFormat",
    "PinVerify",
    "PinModify",
    "ReaderProperties",
    "ReaderFeatures",
    "parse_features",
]

_log = LazyLogger("smartcard")

# What a reader without part 10 support answers the feature request with:
# SCARD_E_UNSUPPORTED_FEATURE (pcsc-lite's value, then Windows') and
# SCARD_E_NOT_TRANSACTED (drivers that just fail the IOCTL).
_UNSUPPORTED = (0x8010001F, 0x80100022, 0x80100016)


class Feature(IntEnum):
    """PC/SC part 10 feature tags (``FEATURE_*`` in :mod:`smartcard.pcsc.PCSCPart10`)."""

    VERIFY_PIN_START = PCSCPart10.FEATURE_VERIFY_PIN_START
    VERIFY_PIN_FINISH = PCSCPart10.FEATURE_VERIFY_PIN_FINISH
    MODIFY_PIN_START = PCSCPart10.FEATURE_MODIFY_PIN_START
    MODIFY_PIN_FINISH = PCSCPart10.FEATURE_MODIFY_PIN_FINISH
    GET_KEY_PRESSED = PCSCPart10.FEATURE_GET_KEY_PRESSED
    VERIFY_PIN_DIRECT = PCSCPart10.FEATURE_VERIFY_PIN_DIRECT
    MODIFY_PIN_DIRECT = PCSCPart10.FEATURE_MODIFY_PIN_DIRECT
    MCT_READER_DIRECT = PCSCPart10.FEATURE_MCT_READER_DIRECT
    MCT_UNIVERSAL = PCSCPart10.FEATURE_MCT_UNIVERSAL
    IFD_PIN_PROPERTIES = PCSCPart10.FEATURE_IFD_PIN_PROPERTIES
    ABORT = PCSCPart10.FEATURE_ABORT
    SET_SPE_MESSAGE = PCSCPart10.FEATURE_SET_SPE_MESSAGE
    VERIFY_PIN_DIRECT_APP_ID = PCSCPart10.FEATURE_VERIFY_PIN_DIRECT_APP_ID
    MODIFY_PIN_DIRECT_APP_ID = PCSCPart10.FEATURE_MODIFY_PIN_DIRECT_APP_ID
    WRITE_DISPLAY = PCSCPart10.FEATURE_WRITE_DISPLAY
    GET_KEY = PCSCPart10.FEATURE_GET_KEY
    IFD_DISPLAY_PROPERTIES = PCSCPart10.FEATURE_IFD_DISPLAY_PROPERTIES
    GET_TLV_PROPERTIES = PCSCPart10.FEATURE_GET_TLV_PROPERTIES
    CCID_ESC_COMMAND = PCSCPart10.FEATURE_CCID_ESC_COMMAND


class PinFormat(IntEnum):
    """How the PIN digits are written into the PIN block (bmFormatString bits 1-0)."""

    BINARY = 0
    BCD = 1
    ASCII = 2


def parse_features(answer: object) -> Dict[Feature, int]:
    """Decode a ``CM_IOCTL_GET_FEATURE_REQUEST`` answer: {feature: control code}.

    Unknown tags are skipped; a malformed answer raises ValueError.
    """
    entries = PCSCPart10.parseFeatureRequest(as_bytes("answer", answer))
    return {Feature(PCSCPart10.Features[name]): code for name, code in entries}


def _pin_header(timeout: int, timeout2: int, units: _PinBlockLayout) -> bytes:
    return bytes(
        (
            timeout,
            timeout2,
            units.format_string(),
            units.block_string(),
            units.length_format(),
        )
    )


@dataclass(frozen=True)
class _PinBlockLayout:
    """Where the reader writes the PIN (and maybe its length) into the APDU data."""

    pin_format: PinFormat = PinFormat.ASCII
    pin_position: int = 0
    position_in_bytes: bool = True
    right_justify: bool = False
    pin_block_size: int = 8
    pin_length_bits: int = 0
    pin_length_position: int = 0
    length_position_in_bytes: bool = False
    min_pin_length: int = 4
    max_pin_length: int = 8

    def _validate_layout(self) -> None:
        if not isinstance(self.pin_format, int) or isinstance(self.pin_format, bool):
            raise TypeError(f"pin_format must be a PinFormat, not {type(self.pin_format).__name__}")
        try:
            PinFormat(self.pin_format)
        except ValueError:
            raise ValueError(f"pin_format must be a PinFormat, not {self.pin_format!r}") from None
        for name in ("pin_position", "pin_block_size", "pin_length_bits", "pin_length_position"):
            check_int(name, getattr(self, name), 0, 0x0F)
        for name in ("position_in_bytes", "right_justify", "length_position_in_bytes"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"{name} must be a bool, not {type(getattr(self, name)).__name__}")
        check_int("min_pin_length", self.min_pin_length, 0, 0xFF)
        check_int("max_pin_length", self.max_pin_length, 0, 0xFF)
        if self.min_pin_length > self.max_pin_length:
            raise ValueError(
                f"min_pin_length ({self.min_pin_length}) exceeds "
                f"max_pin_length ({self.max_pin_length})"
            )

    def format_string(self) -> int:
        # bmFormatString: b7 units (1 = bytes), b6-b3 PIN position, b2 right justify, b1-b0 format.
        return (
            (0x80 if self.position_in_bytes else 0)
            | self.pin_position << 3
            | (0x04 if self.right_justify else 0)
            | int(self.pin_format)
        )

    def block_string(self) -> int:
        # bmPINBlockString: b7-b4 size of the PIN length field in bits, b3-b0 PIN block bytes.
        return self.pin_length_bits << 4 | self.pin_block_size

    def length_format(self) -> int:
        # bmPINLengthFormat: b4 units (1 = bytes), b3-b0 position of the PIN length field.
        return (0x10 if self.length_position_in_bytes else 0) | self.pin_length_position

    def extra_digits(self) -> bytes:
        # wPINMaxExtraDigit = 0xXXYY (XX min, YY max), little-endian.
        return bytes((self.max_pin_length, self.min_pin_length))


def _apdu_field(apdu: object) -> bytes:
    raw = as_bytes("apdu", apdu)
    if len(raw) < 4:
        raise ValueError(f"apdu must have at least 4 bytes (CLA INS P1 P2), not {len(raw)}")
    return raw


@dataclass(frozen=True)
class PinVerify(_PinBlockLayout):
    """A ``PIN_VERIFY_STRUCTURE`` for ``FEATURE_VERIFY_PIN_DIRECT``.

    ``apdu`` is the VERIFY command the reader completes with the PIN typed on
    its keypad (its data field holds the PIN block to fill in). The other
    fields describe the PIN block (see the PC/SC part 10 specification for
    each bit); the defaults are an 8-byte ASCII block at offset 0 for a 4 to
    8 digit PIN, validated with the OK key.
    """

    apdu: bytes = b""
    timeout: int = 0
    timeout2: int = 0
    entry_validation: int = 0x02
    number_message: int = 0x01
    lang_id: int = 0x0409
    message_index: int = 0x00

    def __post_init__(self) -> None:
        self._validate_layout()
        object.__setattr__(self, "apdu", _apdu_field(self.apdu))
        check_int("timeout", self.timeout, 0, 0xFF)
        check_int("timeout2", self.timeout2, 0, 0xFF)
        check_int("entry_validation", self.entry_validation, 0, 0xFF)
        check_int("number_message", self.number_message, 0, 0xFF)
        check_int("lang_id", self.lang_id, 0, 0xFFFF)
        check_int("message_index", self.message_index, 0, 0xFF)

    def to_bytes(self) -> bytes:
        """The structure as the reader expects it."""
        return (
            _pin_header(self.timeout, self.timeout2, self)
            + self.extra_digits()
            + bytes((self.entry_validation, self.number_message))
            + self.lang_id.to_bytes(2, "little")
            + bytes((self.message_index,))
            + bytes(3)  # bTeoPrologue: T=1 block prologue, filled in by the reader
            + len(self.apdu).to_bytes(4, "little")
            + self.apdu
        )


@dataclass(frozen=True)
class PinModify(_PinBlockLayout):
    """A ``PIN_MODIFY_STRUCTURE`` for ``FEATURE_MODIFY_PIN_DIRECT``.

    ``apdu`` is the CHANGE REFERENCE DATA command; ``insertion_offset_old``
    and ``insertion_offset_new`` say where the old and new PIN blocks go in
    its data, ``confirm_pin`` whether the new PIN is typed twice (bit 0) and
    whether the old one is asked for at all (bit 1).
    """

    apdu: bytes = b""
    timeout: int = 0
    timeout2: int = 0
    insertion_offset_old: int = 0
    insertion_offset_new: int = 8
    confirm_pin: int = 0x03
    entry_validation: int = 0x02
    number_message: int = 0x03
    lang_id: int = 0x0409
    message_indexes: Tuple[int, int, int] = (0, 1, 2)

    def __post_init__(self) -> None:
        self._validate_layout()
        object.__setattr__(self, "apdu", _apdu_field(self.apdu))
        check_int("timeout", self.timeout, 0, 0xFF)
        check_int("timeout2", self.timeout2, 0, 0xFF)
        check_int("insertion_offset_old", self.insertion_offset_old, 0, 0xFF)
        check_int("insertion_offset_new", self.insertion_offset_new, 0, 0xFF)
        check_int("confirm_pin", self.confirm_pin, 0, 0xFF)
        check_int("entry_validation", self.entry_validation, 0, 0xFF)
        check_int("number_message", self.number_message, 0, 0xFF)
        check_int("lang_id", self.lang_id, 0, 0xFFFF)
        indexes = self.message_indexes
        if not isinstance(indexes, tuple) or len(indexes) != 3:
            raise TypeError("message_indexes must be a tuple of 3 ints")
        for index in indexes:
            check_int("message_indexes", index, 0, 0xFF)

    def to_bytes(self) -> bytes:
        """The structure as the reader expects it."""
        return (
            _pin_header(self.timeout, self.timeout2, self)
            + bytes((self.insertion_offset_old, self.insertion_offset_new))
            + self.extra_digits()
            + bytes((self.confirm_pin, self.entry_validation, self.number_message))
            + self.lang_id.to_bytes(2, "little")
            + bytes(self.message_indexes)
            + bytes(3)  # bTeoPrologue
            + len(self.apdu).to_bytes(4, "little")
            + self.apdu
        )


@dataclass(frozen=True)
class ReaderProperties:
    """The reader's ``GET_TLV_PROPERTIES``; None for what the reader does not report."""

    lcd_layout: int | None = None
    entry_validation_condition: int | None = None
    timeout2: int | None = None
    lcd_max_characters: int | None = None
    lcd_max_lines: int | None = None
    min_pin_size: int | None = None
    max_pin_size: int | None = None
    firmware_id: str | None = None
    ppdu_support: int | None = None
    max_apdu_data_size: int | None = None
    vendor_id: int | None = None
    product_id: int | None = None

    @classmethod
    def parse(cls, answer: object) -> ReaderProperties:
        """Decode a ``GET_TLV_PROPERTIES`` answer (ValueError if malformed)."""
        decoded = PCSCPart10.parseTlvProperties(as_bytes("answer", answer))
        values: Dict[str, Any] = {}
        for field in fields(cls):
            value = decoded.get(_PROPERTY_NAMES[field.name])
            if value is None:
                continue
            if field.name == "firmware_id":
                values[field.name] = str(value)
            elif isinstance(value, int):
                values[field.name] = value
            else:
                # A length the property does not have: keep it readable anyway.
                values[field.name] = int.from_bytes(bytes(value), "little")
        return cls(**values)


# Our field name -> the name PCSCPart10.parseTlvProperties gives the property.
_PROPERTY_NAMES = {
    "lcd_layout": "PCSCv2_PART10_PROPERTY_wLcdLayout",
    "entry_validation_condition": "PCSCv2_PART10_PROPERTY_bEntryValidationCondition",
    "timeout2": "PCSCv2_PART10_PROPERTY_bTimeOut2",
    "lcd_max_characters": "PCSCv2_PART10_PROPERTY_wLcdMaxCharacters",
    "lcd_max_lines": "PCSCv2_PART10_PROPERTY_wLcdMaxLines",
    "min_pin_size": "PCSCv2_PART10_PROPERTY_bMinPINSize",
    "max_pin_size": "PCSCv2_PART10_PROPERTY_bMaxPINSize",
    "firmware_id": "PCSCv2_PART10_PROPERTY_sFirmwareID",
    "ppdu_support": "PCSCv2_PART10_PROPERTY_bPPDUSupport",
    "max_apdu_data_size": "PCSCv2_PART10_PROPERTY_dwMaxAPDUDataSize",
    "vendor_id": "PCSCv2_PART10_PROPERTY_wIdVendor",
    "product_id": "PCSCv2_PART10_PROPERTY_wIdProduct",
}


class _Controllable(Protocol):
    def control(self, code: int, data: bytes = b"") -> bytes: ...


class ReaderFeatures(Mapping[Feature, int]):
    """A reader's part 10 features: a read-only map {Feature: control code}, and their use.

    Obtain it with :meth:`query` from a connected card (``PCSCCard``, any
    share mode). A reader without part 10 support gives an empty map.
    """

    def __init__(self, reader: _Controllable, codes: Mapping[Feature, int]) -> None:
        self._reader = reader
        self._codes = dict(codes)

    @classmethod
    def query(cls, reader: _Controllable) -> ReaderFeatures:
        """Ask the reader for its features (``CM_IOCTL_GET_FEATURE_REQUEST``)."""
        if not callable(getattr(reader, "control", None)):
            raise TypeError(
                f"reader must be a connected card (with control()), not {type(reader).__name__}"
            )
        try:
            answer = reader.control(PCSCPart10.CM_IOCTL_GET_FEATURE_REQUEST, b"")
        except CardConnectionException as exc:
            hresult = getattr(exc, "hresult", -1)
            if hresult == -1 or normalize_hresult(hresult) not in _UNSUPPORTED:
                raise
            _log.debug("reader has no part 10 features: %s", exc)
            return cls(reader, {})
        return cls(reader, parse_features(answer))

    def __getitem__(self, feature: Feature) -> int:
        return self._codes[feature]

    def __iter__(self) -> Iterator[Feature]:
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)

    def __repr__(self) -> str:
        names = ", ".join(f"{feature.name}=0x{code:X}" for feature, code in self._codes.items())
        return f"ReaderFeatures({names})"

    def _code(self, feature: Feature) -> int:
        if not isinstance(feature, Feature):
            raise TypeError(f"feature must be a Feature, not {type(feature).__name__}")
        code = self._codes.get(feature)
        if code is None:
            raise CardConnectionException(f"the reader does not offer {feature.name}")
        return code

    def control(self, feature: Feature, data: object = b"") -> bytes:
        """Send ``data`` to the reader with ``feature``'s control code; return the answer."""
        return self._reader.control(self._code(feature), as_bytes("data", data))

    def verify_pin(self, structure: PinVerify) -> Response:
        """Verify a PIN typed on the reader's keypad; returns the card's response."""
        if not isinstance(structure, PinVerify):
            raise TypeError(f"structure must be a PinVerify, not {type(structure).__name__}")
        return _response(self.control(Feature.VERIFY_PIN_DIRECT, structure.to_bytes()))

    def modify_pin(self, structure: PinModify) -> Response:
        """Change a PIN typed on the reader's keypad; returns the card's response."""
        if not isinstance(structure, PinModify):
            raise TypeError(f"structure must be a PinModify, not {type(structure).__name__}")
        return _response(self.control(Feature.MODIFY_PIN_DIRECT, structure.to_bytes()))

    def properties(self) -> ReaderProperties:
        """The reader's TLV properties (all None when it lacks GET_TLV_PROPERTIES)."""
        if Feature.GET_TLV_PROPERTIES not in self._codes:
            return ReaderProperties()
        return ReaderProperties.parse(self.control(Feature.GET_TLV_PROPERTIES))


def _response(answer: bytes) -> Response:
    if len(answer) < 2:
        raise CardConnectionException(
            f"the reader answered {len(answer)} byte(s), a response APDU needs SW1 SW2"
        )
    return Response(answer[:-2], answer[-2] << 8 | answer[-1])
