# SPDX-License-Identifier: LGPL-2.1-or-later
"""ISO7816TransportDecorator: the transport for pyscard connections, opt-in only."""

from __future__ import annotations

from typing import Any, Callable, List, Tuple

import pytest

from smartcard.CardConnectionObserver import CardConnectionObserver
from smartcard.iso7816 import TransportError
from smartcard.iso7816.decorator import ISO7816TransportDecorator
from smartcard.sw.ErrorCheckingChain import ErrorCheckingChain
from smartcard.sw.ISO7816_4_SW1ErrorChecker import ISO7816_4_SW1ErrorChecker
from smartcard.sw.SWExceptions import CheckingErrorException
from smartcard.testing import VirtualCard
from smartcard.testing.applet import pattern

from .modern_cards import ChainingCard, ScriptedCard, endless_61

Factory = Callable[..., VirtualCard]


def pyscard_connection(reader_name: str) -> Any:
    from smartcard.System import readers

    reader = next(r for r in readers() if r.name == reader_name)
    return reader.createConnection()


class Recorder(CardConnectionObserver):  # type: ignore[misc]
    def __init__(self) -> None:
        self.commands: List[List[int]] = []

    def update(self, observable: Any, event: Any) -> None:
        if event.type == "command":
            self.commands.append(list(event.args[0]))


def test_plain_pyscard_connection_is_unchanged(
    virtual_card_factory: Factory, reader_names: Tuple[str, str]
) -> None:
    virtual_card_factory(0, t0_get_response=True)
    connection = pyscard_connection(reader_names[0])
    connection.connect()
    try:
        assert connection.transmit([0x80, 0x10, 0, 0, 2, 0x68, 0x69]) == ([], 0x61, 0x02)
    finally:
        connection.disconnect()


def test_decorated_connection_fetches_61xx_and_observers_see_every_apdu(
    virtual_card_factory: Factory, reader_names: Tuple[str, str]
) -> None:
    virtual_card_factory(0, t0_get_response=True)
    connection = ISO7816TransportDecorator(pyscard_connection(reader_names[0]))
    recorder = Recorder()
    connection.addObserver(recorder)
    connection.connect()
    try:
        data, sw1, sw2 = connection.transmit([0x80, 0x10, 0, 0, 2, 0x68, 0x69])
        assert (data, sw1, sw2) == ([0x68, 0x69], 0x90, 0x00)
        assert isinstance(data, list)
        assert recorder.commands == [[0x80, 0x10, 0, 0, 2, 0x68, 0x69], [0, 0xC0, 0, 0, 2]]
        assert connection.transmit(bytes.fromhex("80200200"))[0] == list(pattern(512))
    finally:
        connection.disconnect()


def test_error_checking_chain_skips_what_the_transport_resolves(
    virtual_card_factory: Factory, reader_names: Tuple[str, str]
) -> None:
    virtual_card_factory(0, t0_wrong_le=True)
    inner = pyscard_connection(reader_names[0])
    inner.setErrorCheckingChain([ErrorCheckingChain([], ISO7816_4_SW1ErrorChecker())])
    connection = ISO7816TransportDecorator(inner)
    connection.connect()
    try:
        # The card first answers 6C10, which the chain would raise.
        assert connection.transmit(bytes.fromhex("8020001000"))[0] == list(pattern(16))
        with pytest.raises(CheckingErrorException):
            connection.transmit(bytes.fromhex("80306A82"))
    finally:
        connection.disconnect()
    plain = ISO7816TransportDecorator(pyscard_connection(reader_names[0]), fix_wrong_le=False)
    plain.setErrorCheckingChain([ErrorCheckingChain([], ISO7816_4_SW1ErrorChecker())])
    plain.connect()
    try:
        with pytest.raises(CheckingErrorException):
            plain.transmit(bytes.fromhex("8020001000"))
    finally:
        plain.disconnect()


def test_extended_apdu_is_chained_when_extended_length_is_off(
    virtual_card_factory: Factory, reader_names: Tuple[str, str]
) -> None:
    chaining = ChainingCard()
    virtual_card_factory(0, handler=chaining)
    connection = ISO7816TransportDecorator(pyscard_connection(reader_names[0]))
    connection.connect()
    data = bytes(range(256)) + bytes(44)
    try:
        apdu = bytes.fromhex("00100000") + b"\x00" + len(data).to_bytes(2, "big") + data
        assert bytes(connection.transmit(apdu)[0]) == data
    finally:
        connection.disconnect()
    assert chaining.links == [255, 45]


def test_get_response_cap_applies(
    virtual_card_factory: Factory, reader_names: Tuple[str, str]
) -> None:
    scripted = ScriptedCard(endless_61())
    virtual_card_factory(0, handler=scripted)
    connection = ISO7816TransportDecorator(pyscard_connection(reader_names[0]), max_get_response=3)
    connection.connect()
    try:
        with pytest.raises(TransportError):
            connection.transmit([0x80, 0xCA, 0, 0, 0])
    finally:
        connection.disconnect()
    assert len(scripted.apdus) == 4


def test_bad_options_and_commands(pcscd: Any, reader_names: Tuple[str, str]) -> None:
    with pytest.raises(TypeError, match="get_response"):
        ISO7816TransportDecorator(object(), get_response=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_get_response"):
        ISO7816TransportDecorator(object(), max_get_response=0)
    connection = ISO7816TransportDecorator(object())
    with pytest.raises(TypeError, match="command"):
        connection.transmit("00A40400")
