# SPDX-License-Identifier: LGPL-2.1-or-later
"""Card, CardType, CardService: values and predicates (no daemon needed).

Expected values were checked against pyscard 2.3.1.
"""

from __future__ import annotations

import pytest

from smartcard.Card import Card
from smartcard.CardService import CardService
from smartcard.CardType import AnyCardType, ATRCardType, CardType
from smartcard.Exceptions import InvalidATRMaskLengthException, SmartcardException
from smartcard.PassThruCardService import PassThruCardService
from smartcard.reader.Reader import Reader

ATR = [0x3B, 0x87, 0x01, 0x70, 0x79, 0x73, 0x63, 0x61, 0x72, 0x64, 0xE8]


def test_card_repr_and_equality() -> None:
    card = Card("Reader 00 00", ATR)
    assert repr(card) == "3B 87 01 70 79 73 63 61 72 64 E8 / Reader 00 00"
    assert str(card) == repr(card)
    assert card == Card("Reader 00 00", list(ATR))
    assert not card != Card("Reader 00 00", list(ATR))
    assert card != Card("Reader 00 01", ATR)
    assert card != Card("Reader 00 00", ATR[:-1])
    assert card != "3B 87 01 70 79 73 63 61 72 64 E8 / Reader 00 00"
    assert hash(card) == hash(Card("Reader 00 00", list(ATR)))
    assert len({card, Card("Reader 00 00", list(ATR))}) == 1


def test_card_with_reader_object_equals_card_with_reader_name() -> None:
    # Readers are compared by repr(): 'name' for a Reader and for a str alike.
    reader = Reader("Reader 00 00")
    assert Card(reader, ATR) == Card(Reader("Reader 00 00"), ATR)
    assert Card(reader, ATR) == Card("Reader 00 00", ATR)
    assert Card(reader, ATR) != Card("'Reader 00 00'", ATR)


def test_card_repr_accepts_atr_as_bytes() -> None:
    assert repr(Card("R", bytes([0x3B, 0x00]))) == "3B 00 / R"
    assert repr(Card("R", None)) == " / R"


def test_card_create_connection_for_a_reader_object() -> None:
    class FakeReader(Reader):
        def createConnection(self) -> str:
            return f"connection to {self.name}"

    assert Card(FakeReader("X"), ATR).createConnection() == "connection to X"
    assert Card(12, ATR).createConnection() is None


def test_card_types() -> None:
    assert CardType().matches(ATR) is None
    assert AnyCardType().matches(ATR) is True
    assert AnyCardType().matches([], reader="whatever") is True


def test_atr_card_type_exact() -> None:
    card_type = ATRCardType(ATR)
    assert card_type.atr == ATR and card_type.mask is None and card_type.maskedatr == ATR
    assert card_type.matches(ATR)
    assert card_type.matches(bytes(ATR))  # pyscard said False here (list vs bytes)
    assert not card_type.matches(ATR[:-1] + [0x00])
    assert not card_type.matches(ATR + [0x00])
    assert ATRCardType(bytes(ATR)).atr == ATR


def test_atr_card_type_mask() -> None:
    mask = [0xFF, 0xFF] + [0x00] * 9
    card_type = ATRCardType([0x3B, 0x87] + [0x55] * 9, mask)
    assert card_type.maskedatr == [0x3B, 0x87] + [0x00] * 9
    assert card_type.matches(ATR)
    assert card_type.matches(bytes(ATR))
    assert not card_type.matches([0x3B, 0x86] + ATR[2:])
    assert not card_type.matches(ATR[:5])  # other length: never a match
    nibble = ATRCardType([0x3B, 0x80], [0xFF, 0xF0])
    assert nibble.matches([0x3B, 0x8F]) and not nibble.matches([0x3B, 0x9F])


def test_atr_card_type_mask_length_must_match() -> None:
    with pytest.raises(InvalidATRMaskLengthException) as info:
        ATRCardType(ATR, [0xFF])
    assert isinstance(info.value, SmartcardException)
    assert str(info.value) == "Invalid ATR mask length: FF"


class _Connection:
    def __init__(self) -> None:
        self.calls: list = []

    def disconnect(self) -> None:
        self.calls.append("disconnect")

    def release(self) -> None:
        self.calls.append("release")


def test_card_services() -> None:
    connection = _Connection()
    service = PassThruCardService(connection, "name")
    assert service.connection is connection and service.cardname == "name"
    assert PassThruCardService.supports("anything") is True
    assert CardService.supports("anything") is None
    with service as entered:
        assert entered is service
    assert connection.calls == ["disconnect", "release"]


def test_dropped_service_leaves_its_connection_alone() -> None:
    connection = _Connection()
    PassThruCardService(connection)  # garbage at once
    assert connection.calls == []
