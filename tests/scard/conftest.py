# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fixtures for the low-level smartcard.scard tests."""

from __future__ import annotations

from typing import Iterator

import pytest

from smartcard.testing import PrivatePCSCD, VirtualCard


@pytest.fixture
def scard(pcscd: PrivatePCSCD):  # noqa: ANN201 - a module
    """The extension module, imported only once the private daemon is up."""
    import smartcard.scard

    return smartcard.scard


@pytest.fixture
def context(scard) -> Iterator[int]:  # noqa: ANN001
    """An established PC/SC context, released after the test."""
    hresult, hcontext = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    assert hresult == scard.SCARD_S_SUCCESS, scard.SCardGetErrorMessage(hresult)
    yield hcontext
    scard.SCardReleaseContext(hcontext)


@pytest.fixture
def card_handle(scard, context: int, virtual_card: VirtualCard, reader_names) -> Iterator[tuple]:  # noqa: ANN001
    """(hcard, active protocol) for a shared connection to the card in reader 0."""
    hresult, hcard, protocol = scard.SCardConnect(
        context,
        reader_names[0],
        scard.SCARD_SHARE_SHARED,
        scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
    )
    assert hresult == scard.SCARD_S_SUCCESS, scard.SCardGetErrorMessage(hresult)
    yield hcard, protocol
    scard.SCardDisconnect(hcard, scard.SCARD_LEAVE_CARD)
