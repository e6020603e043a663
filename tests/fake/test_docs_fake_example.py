# SPDX-License-Identifier: LGPL-2.1-or-later
"""The fake-backend example of docs/testing.rst, as written there."""

from __future__ import annotations

import pytest

from smartcard.Exceptions import CardConnectionException
from smartcard.System import readers
from smartcard.testing import FakeBackend, FakeCard


def test_a_communication_error_is_explained(fake_pcsc: FakeBackend) -> None:
    fake_pcsc.add_reader("Reader 0", FakeCard("3B 80 80 01 01", {"00 A4 04 00 00": "90 00"}))
    connection = readers()[0].createConnection()
    connection.connect()
    fake_pcsc.fail_next("SCardTransmit", "SCARD_F_COMM_ERROR")
    with pytest.raises(CardConnectionException, match="Failed to transmit") as info:
        connection.transmit([0x00, 0xA4, 0x04, 0x00, 0x00])
    assert "SCARD_F_COMM_ERROR" in str(info.value.explanation)
    assert connection.transmit([0x00, 0xA4, 0x04, 0x00, 0x00]) == ([], 0x90, 0x00)
