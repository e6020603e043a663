# SPDX-License-Identifier: LGPL-2.1-or-later
"""Contexts, reader listing and connection set-up through a real pcscd."""

from __future__ import annotations


def test_establish_release_and_validity(scard) -> None:  # noqa: ANN001
    hresult, hcontext = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    assert hresult == scard.SCARD_S_SUCCESS
    assert isinstance(hcontext, int) and hcontext != 0
    assert scard.SCardIsValidContext(hcontext) == scard.SCARD_S_SUCCESS
    assert scard.SCardReleaseContext(hcontext) == scard.SCARD_S_SUCCESS
    # A released context is stale: every call says so instead of crashing.
    assert scard.SCardIsValidContext(hcontext) == scard.SCARD_E_INVALID_HANDLE
    assert scard.SCardReleaseContext(hcontext) == scard.SCARD_E_INVALID_HANDLE
    assert scard.SCardListReaders(hcontext, []) == [scard.SCARD_E_INVALID_HANDLE, []]


def test_results_are_lists_with_the_code_first(scard, context: int) -> None:  # noqa: ANN001
    result = scard.SCardListReaders(context, [])
    assert type(result) is list and len(result) == 2
    assert isinstance(result[0], int)


def test_list_readers_and_groups(scard, context: int, reader_names) -> None:  # noqa: ANN001
    assert scard.SCardListReaders(context, []) == [scard.SCARD_S_SUCCESS, list(reader_names)]
    hresult, groups = scard.SCardListReaderGroups(context)
    assert hresult == scard.SCARD_S_SUCCESS
    assert groups == ["SCard$DefaultReaders"]
    assert scard.SCardListReaders(context, groups) == [scard.SCARD_S_SUCCESS, list(reader_names)]


def test_connect_without_card(scard, context: int, reader_names) -> None:  # noqa: ANN001
    result = scard.SCardConnect(
        context, reader_names[1], scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_ANY
    )
    assert result == [scard.SCARD_E_NO_SMARTCARD, 0, 0]


def test_connect_unknown_reader(scard, context: int) -> None:  # noqa: ANN001
    result = scard.SCardConnect(
        context, "no such reader", scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_ANY
    )
    assert result[0] == scard.SCARD_E_UNKNOWN_READER


def test_connect_status_and_disconnect(scard, context, virtual_card, reader_names) -> None:  # noqa: ANN001
    hresult, hcard, protocol = scard.SCardConnect(
        context, reader_names[0], scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_ANY
    )
    assert hresult == scard.SCARD_S_SUCCESS
    assert protocol == scard.SCARD_PROTOCOL_T1  # the default virtual card's ATR offers T=1
    hresult, reader, state, active, atr = scard.SCardStatus(hcard)
    assert hresult == scard.SCARD_S_SUCCESS
    assert reader == reader_names[0]
    assert state & scard.SCARD_PRESENT and state & scard.SCARD_POWERED
    assert active == scard.SCARD_PROTOCOL_T1
    assert atr == list(virtual_card.atr)
    assert scard.SCardDisconnect(hcard, scard.SCARD_UNPOWER_CARD) == scard.SCARD_S_SUCCESS
    # The handle is now stale.
    assert scard.SCardStatus(hcard) == [scard.SCARD_E_INVALID_HANDLE, "", 0, 0, []]
    assert scard.SCardDisconnect(hcard, scard.SCARD_LEAVE_CARD) == scard.SCARD_E_INVALID_HANDLE


def test_reconnect_resets_the_card(scard, card_handle, virtual_card) -> None:  # noqa: ANN001
    hcard, _ = card_handle
    resets_before = virtual_card.reset_count + virtual_card.power_on_count
    hresult, protocol = scard.SCardReconnect(
        hcard, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_ANY, scard.SCARD_RESET_CARD
    )
    assert hresult == scard.SCARD_S_SUCCESS
    assert protocol == scard.SCARD_PROTOCOL_T1
    assert virtual_card.reset_count + virtual_card.power_on_count > resets_before


def test_exclusive_connection_blocks_others(scard, context, virtual_card, reader_names) -> None:  # noqa: ANN001
    hresult, exclusive, _ = scard.SCardConnect(
        context, reader_names[0], scard.SCARD_SHARE_EXCLUSIVE, scard.SCARD_PROTOCOL_ANY
    )
    assert hresult == scard.SCARD_S_SUCCESS
    try:
        hresult, _, _ = scard.SCardConnect(
            context, reader_names[0], scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_ANY
        )
        assert hresult == scard.SCARD_E_SHARING_VIOLATION
    finally:
        scard.SCardDisconnect(exclusive, scard.SCARD_LEAVE_CARD)


def test_direct_connection_without_card(scard, context, reader_names) -> None:  # noqa: ANN001
    hresult, hcard, protocol = scard.SCardConnect(
        context, reader_names[1], scard.SCARD_SHARE_DIRECT, 0
    )
    assert hresult == scard.SCARD_S_SUCCESS
    assert protocol == 0
    # vpcd implements no IFD control: pcsc-lite reports the feature as unsupported.
    ioctl = scard.SCARD_CTL_CODE(3400)
    assert ioctl == 0x42000000 + 3400
    assert scard.SCardControl(hcard, ioctl, []) == [scard.SCARD_E_UNSUPPORTED_FEATURE, []]
    assert scard.SCardDisconnect(hcard, scard.SCARD_LEAVE_CARD) == scard.SCARD_S_SUCCESS


def test_error_messages(scard) -> None:  # noqa: ANN001
    assert scard.SCardGetErrorMessage(scard.SCARD_S_SUCCESS) == "Command successful."
    assert "not available" in scard.SCardGetErrorMessage(scard.SCARD_E_NO_SERVICE).lower()
    assert scard.SCardGetErrorMessage(scard.SCARD_E_NO_SMARTCARD)


def test_platform_strings(scard) -> None:  # noqa: ANN001
    assert scard.resourceManager == "pcsclite"
    assert scard.resourceManagerSubType == "pcsclite-linux"
    assert scard.INFINITE == 0x7FFFFFFF
