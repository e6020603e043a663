# SPDX-License-Identifier: LGPL-2.1-or-later
"""Bad input to the new card API raises TypeError/ValueError naming the argument, sends nothing."""

from __future__ import annotations

from typing import Any, Callable, Tuple

import pytest

from smartcard.connecting import connect
from smartcard.pcsc_card import PCSCCard
from smartcard.reader_features import ReaderFeatures
from smartcard.testing import PrivatePCSCD, VirtualCard


@pytest.mark.parametrize(
    "kwargs, error, name",
    [
        ({"reader": 42}, TypeError, "reader"),
        ({"share": "shared"}, TypeError, "share"),
        ({"share": 9}, ValueError, "share"),
        ({"protocols": 0}, ValueError, "protocols"),
        ({"protocols": 0x100}, ValueError, "protocols"),
        ({"disposition": 7}, ValueError, "disposition"),
        ({"transport": {"get_response": False}}, TypeError, "transport"),
    ],
)
def test_connect(
    kwargs: dict, error: type, name: str, pcscd: PrivatePCSCD, reader_names: Tuple[str, str]
) -> None:
    arguments = {"reader": reader_names[0], **kwargs}
    with pytest.raises(error, match=name):
        connect(**arguments)


@pytest.mark.parametrize(
    "call, error, name",
    [
        (lambda card: card.transmit("00A40400"), TypeError, "apdu"),
        (lambda card: card.transmit(1234), TypeError, "apdu"),
        (lambda card: card.transmit([0, 0xA4, 4, 256]), ValueError, "apdu"),
        (lambda card: card.transmit(b"\x00\xa4\x04"), ValueError, "apdu"),
        (lambda card: card.send(0, 0xA4, 4, 0, "AID"), TypeError, "data"),
        (lambda card: card.send(0x100, 0xA4, 4, 0), ValueError, "cla"),
        (lambda card: card.send(0, 0xA4, 4, 0, le=65537), ValueError, "le"),
        (lambda card: card.control(-1), ValueError, "code"),
        (lambda card: card.control(0x42000D48, "x"), TypeError, "data"),
        (lambda card: card.get_attribute("vendor"), TypeError, "attribute"),
        (lambda card: card.open_channel(20), ValueError, "channel"),
        (lambda card: card.reconnect(share=5), ValueError, "share"),
        (lambda card: card.reconnect(initialization="reset"), TypeError, "initialization"),
        (lambda card: card.close(disposition=9), ValueError, "disposition"),
        (lambda card: ReaderFeatures.query(object()), TypeError, "reader"),
        (lambda card: ReaderFeatures(card, {}).control("ABORT"), TypeError, "feature"),
    ],
)
def test_card_methods(
    call: Callable[[PCSCCard], Any],
    error: type,
    name: str,
    card: PCSCCard,
    virtual_card: VirtualCard,
) -> None:
    sent = len(virtual_card.apdus)
    with pytest.raises(error, match=name):
        call(card)
    assert len(virtual_card.apdus) == sent
    assert not card.closed
    assert card.transmit(bytes.fromhex("80300000")).sw == 0x0000
