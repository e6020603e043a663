# SPDX-License-Identifier: LGPL-2.1-or-later
"""CardConnectionDecorator: forwarding, overriding, stacking."""

from __future__ import annotations

from typing import Any

import pytest

from smartcard.CardConnectionDecorator import CardConnectionDecorator
from smartcard.pcsc.PCSCCardConnection import PCSCCardConnection
from smartcard.testing import VirtualCard

from .conftest import STATUS_9000, echo


class PrefixingDecorator(CardConnectionDecorator):
    """Sends every command as an echo of its bytes (a stand-in for a secure channel)."""

    def transmit(self, command: Any, protocol: Any = None) -> tuple[list[int], int, int]:
        return CardConnectionDecorator.transmit(self, echo(list(command)), protocol)


class CountingDecorator(CardConnectionDecorator):
    def __init__(self, component: Any) -> None:
        CardConnectionDecorator.__init__(self, component)
        self.count = 0

    def transmit(self, command: Any, protocol: Any = None) -> tuple[list[int], int, int]:
        self.count += 1
        return CardConnectionDecorator.transmit(self, command, protocol)


def test_decorator_overrides_and_stacks(connection: Any, card: VirtualCard) -> None:
    counting = CountingDecorator(PrefixingDecorator(connection))
    assert counting.transmit([0xCA, 0xFE]) == ([0xCA, 0xFE], 0x90, 0x00)
    assert card.apdus[-1] == bytes(echo([0xCA, 0xFE]))
    assert counting.count == 1
    assert counting.getATR() == list(card.atr)
    assert counting.getReader() == connection.getReader()
    assert counting.getProtocol() == connection.getProtocol()


def test_decorator_exposes_the_wrapped_connection(connection: Any) -> None:
    assert isinstance(connection.component, PCSCCardConnection)
    assert connection.hcard == connection.component.hcard
    assert connection.countObservers() == 0
    with pytest.raises(AttributeError):
        connection.no_such_attribute  # noqa: B018


def test_decorator_context_manager_releases(card: VirtualCard, pcscd: Any) -> None:
    from smartcard.System import readers

    target = next(r for r in readers() if r.name == pcscd.reader_names[0])
    with CountingDecorator(target.createConnection()) as conn:
        conn.connect()
        conn.transmit(STATUS_9000)
    inner = conn.component.component
    assert inner.hcard is None and inner.hcontext is None


def test_decorator_forwards_protocol_and_transaction(connection: Any) -> None:
    decorated = CountingDecorator(connection)
    decorated.setProtocol(decorated.getProtocol())
    with decorated.transaction():
        assert decorated.transmit(STATUS_9000)[1:] == (0x90, 0x00)
    assert decorated.count == 1
