# SPDX-License-Identifier: LGPL-2.1-or-later
"""SCardGetStatusChange and SCardCancel: insertions, removals, waking a waiter."""

from __future__ import annotations

import threading

import pytest

from smartcard.testing import VirtualCard

PNP = "\\\\?PnP?\\Notification"


def current_state(scard, context: int, reader: str) -> int:  # noqa: ANN001
    hresult, states = scard.SCardGetStatusChange(context, 0, [(reader, scard.SCARD_STATE_UNAWARE)])
    assert hresult == 0
    return states[0][1]


def test_unaware_reports_the_present_state(scard, context, virtual_card, reader_names) -> None:  # noqa: ANN001
    hresult, states = scard.SCardGetStatusChange(
        context, 0, [(reader_names[0], 0), (reader_names[1], 0)]
    )
    assert hresult == 0
    (name0, event0, atr0), (name1, event1, atr1) = states
    assert (name0, name1) == tuple(reader_names)
    assert event0 & scard.SCARD_STATE_PRESENT and event0 & scard.SCARD_STATE_CHANGED
    assert atr0 == list(virtual_card.atr)
    assert event1 & scard.SCARD_STATE_EMPTY and atr1 == []


def test_timeout_without_change(scard, context, reader_names) -> None:  # noqa: ANN001
    state = current_state(scard, context, reader_names[1])
    hresult, states = scard.SCardGetStatusChange(context, 50, [(reader_names[1], state)])
    assert hresult == scard.SCARD_E_TIMEOUT
    assert states[0][0] == reader_names[1]


def test_insertion_and_removal_wake_a_waiter(scard, pcscd, context, reader_names) -> None:  # noqa: ANN001
    reader = reader_names[1]
    state = current_state(scard, context, reader)
    assert state & scard.SCARD_STATE_EMPTY
    pcscd.insert_card(1, VirtualCard())
    try:
        hresult, states = scard.SCardGetStatusChange(context, 5000, [(reader, state)])
        assert hresult == 0
        event = states[0][1]
        assert event & scard.SCARD_STATE_PRESENT and event & scard.SCARD_STATE_CHANGED
        # pcsc-lite counts card events in the high 16 bits of the state.
        assert (event >> 16) > (state >> 16)
    finally:
        pcscd.remove_card(1)
    hresult, states = scard.SCardGetStatusChange(context, 5000, [(reader, event)])
    assert hresult == 0
    assert states[0][1] & scard.SCARD_STATE_EMPTY


def test_cancel_from_another_thread_wakes_the_wait(scard, context, reader_names) -> None:  # noqa: ANN001
    """Also proves the GIL is released: this thread runs SCardCancel while the
    other is blocked inside SCardGetStatusChange."""
    state = current_state(scard, context, reader_names[1])
    results = []
    started = threading.Event()

    def wait() -> None:
        started.set()
        results.append(
            scard.SCardGetStatusChange(context, 10000, [(reader_names[1], state), (PNP, 0)])
        )

    thread = threading.Thread(target=wait)
    thread.start()
    started.wait()
    thread.join(0.3)  # let it block in pcscd
    assert scard.SCardCancel(context) == 0
    thread.join(5)
    assert not thread.is_alive()
    assert results[0][0] == scard.SCARD_E_CANCELLED


def test_reader_states_echo_names_and_atr_input(scard, context, reader_names) -> None:  # noqa: ANN001
    hresult, states = scard.SCardGetStatusChange(context, 0, [(reader_names[1], 0, [0x3B, 0x00])])
    assert hresult == 0
    assert states[0][0] == reader_names[1]


def test_unknown_reader(scard, context) -> None:  # noqa: ANN001
    hresult, states = scard.SCardGetStatusChange(context, 0, [("nobody", 0)])
    assert hresult == scard.SCARD_E_UNKNOWN_READER
    assert states[0][0] == "nobody"


def test_pnp_notification_is_accepted(scard, context) -> None:  # noqa: ANN001
    hresult, states = scard.SCardGetStatusChange(context, 0, [(PNP, 0)])
    assert hresult in (0, scard.SCARD_E_TIMEOUT)
    assert states[0][0] == PNP


@pytest.mark.parametrize("count", [0, 17])
def test_reader_count_limits(scard, context, reader_names, count: int) -> None:  # noqa: ANN001
    hresult, states = scard.SCardGetStatusChange(context, 0, [(reader_names[0], 0)] * count)
    assert len(states) == count
    if count == 0:
        assert hresult == 0  # nothing to wait for
    else:  # pcsc-lite serves at most 16 reader states a call
        assert hresult == scard.SCARD_E_INVALID_PARAMETER
