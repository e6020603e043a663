# SPDX-License-Identifier: LGPL-2.1-or-later
"""Session (the root ``smartcard.Session``) and the shared PCSCContext."""

from __future__ import annotations

from typing import Any

import pytest

import smartcard
from smartcard.Exceptions import InvalidReaderException, NoCardException
from smartcard.pcsc.PCSCContext import PCSCContext, scoped_context
from smartcard.scard import SCARD_S_SUCCESS, SCardIsValidContext
from smartcard.testing import VirtualCard

from .conftest import echo


def test_session_on_first_reader(card: VirtualCard, pcscd: Any) -> None:
    session = smartcard.Session()
    try:
        assert repr(session) == f"<Session instance: readerName='{pcscd.reader_names[0]}'>"
        assert bytes(session.getATR()) == card.atr
        # pyscard appends SW1 SW2 to responses longer than two bytes...
        assert session.sendCommandAPDU(echo([1, 2, 3])) == ([1, 2, 3, 0x90, 0x00], 0x90, 0x00)
        # ...and not to shorter ones.
        assert session.sendCommandAPDU(echo([1, 2])) == ([1, 2], 0x90, 0x00)
    finally:
        session.close()


def test_session_by_name(card: VirtualCard, pcscd: Any) -> None:
    session = smartcard.Session(pcscd.reader_names[0])
    session.close()
    with pytest.raises(InvalidReaderException, match="no such reader"):
        smartcard.Session("no such reader")
    with pytest.raises(NoCardException):
        smartcard.Session(pcscd.reader_names[1])
    with pytest.raises(TypeError):
        smartcard.Session(0)  # type: ignore[arg-type]


def test_shared_context_can_be_renewed(pcscd: Any) -> None:
    shared = PCSCContext()
    first = shared.getContext()
    assert SCardIsValidContext(first) == SCARD_S_SUCCESS
    assert PCSCContext().getContext() == first  # one context per process
    renewed = PCSCContext.renewContext()
    assert SCardIsValidContext(renewed) == SCARD_S_SUCCESS
    assert SCardIsValidContext(first) != SCARD_S_SUCCESS
    assert shared.releaseContext() == SCARD_S_SUCCESS
    assert SCardIsValidContext(renewed) != SCARD_S_SUCCESS
    # yubikey-manager's recovery after a pcscd restart: drop the instance.
    PCSCContext.instance = None
    fresh = PCSCContext().getContext()
    assert SCardIsValidContext(fresh) == SCARD_S_SUCCESS
    PCSCContext().releaseContext()
    PCSCContext.instance = None


def test_scoped_context_is_released_even_on_error(pcscd: Any) -> None:
    with pytest.raises(ZeroDivisionError):
        with scoped_context() as hcontext:
            assert SCardIsValidContext(hcontext) == SCARD_S_SUCCESS
            1 / 0  # noqa: B018
    assert SCardIsValidContext(hcontext) != SCARD_S_SUCCESS
