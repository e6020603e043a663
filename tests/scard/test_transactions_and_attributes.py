# SPDX-License-Identifier: LGPL-2.1-or-later
"""Transactions, attributes and control codes."""

from __future__ import annotations

import threading


def test_transaction_excludes_another_handle(scard, context, card_handle, reader_names) -> None:  # noqa: ANN001
    hcard, _ = card_handle
    hresult, other, _ = scard.SCardConnect(
        context, reader_names[0], scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_ANY
    )
    assert hresult == 0
    began = threading.Event()
    results = []

    def second() -> None:
        results.append(scard.SCardBeginTransaction(other))
        began.set()
        scard.SCardEndTransaction(other, scard.SCARD_LEAVE_CARD)

    try:
        assert scard.SCardBeginTransaction(hcard) == 0
        thread = threading.Thread(target=second)
        thread.start()
        # The second transaction must wait while the first is open.
        assert not began.wait(0.5)
        assert scard.SCardEndTransaction(hcard, scard.SCARD_LEAVE_CARD) == 0
        assert began.wait(5)
        thread.join(5)
        assert results == [0]
    finally:
        scard.SCardDisconnect(other, scard.SCARD_LEAVE_CARD)


def test_end_without_begin(scard, card_handle) -> None:  # noqa: ANN001
    hcard, _ = card_handle
    assert scard.SCardEndTransaction(hcard, scard.SCARD_LEAVE_CARD) == scard.SCARD_E_NOT_TRANSACTED


def test_attributes(scard, card_handle) -> None:  # noqa: ANN001
    hcard, _ = card_handle
    # vpcd answers no attribute itself; pcsc-lite 1.9.9 reports the friendly
    # name as too long for the buffer it allows (pyscard 2.3.1 sees the same).
    assert scard.SCardGetAttrib(hcard, scard.SCARD_ATTR_VENDOR_NAME) == [
        scard.SCARD_E_UNSUPPORTED_FEATURE,
        [],
    ]
    hresult, value = scard.SCardGetAttrib(hcard, scard.SCARD_ATTR_DEVICE_FRIENDLY_NAME)
    assert hresult in (0, scard.SCARD_E_INSUFFICIENT_BUFFER)
    assert scard.SCardSetAttrib(hcard, scard.SCARD_ATTR_VENDOR_NAME, b"x") != 0
    assert scard.SCardGetAttrib(0x1234, scard.SCARD_ATTR_VENDOR_NAME) == [
        scard.SCARD_E_INVALID_HANDLE,
        [],
    ]


def test_control_feature_request(scard, card_handle) -> None:  # noqa: ANN001
    hcard, _ = card_handle
    result = scard.SCardControl(hcard, scard.SCARD_CTL_CODE(3400), b"")
    assert result == [scard.SCARD_E_UNSUPPORTED_FEATURE, []]
