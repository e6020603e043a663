# SPDX-License-Identifier: LGPL-2.1-or-later
"""``with card.transaction():`` holds a PC/SC transaction and always releases it."""

from __future__ import annotations

import threading
from typing import Tuple

import pytest

from smartcard.connecting import connect
from smartcard.Exceptions import CardNotPresentException
from smartcard.pcsc_card import PCSCCard
from smartcard.pcsc_enums import Disposition
from smartcard.testing import PrivatePCSCD, VirtualCard

SELECT_NOTHING = bytes.fromhex("00A4040001AA")


def _contender(reader: str, go: threading.Event, done: threading.Event) -> threading.Thread:
    """A thread that, once ``go`` is set, takes the transaction on another connection.

    It connects at once: pcsc-lite makes SCardConnect itself wait while
    another handle holds a transaction.
    """
    connected = threading.Event()

    def run() -> None:
        with connect(reader) as other:
            connected.set()
            if go.wait(10):
                with other.transaction():
                    done.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert connected.wait(5)
    return thread


@pytest.mark.parametrize("leave_with_error", [False, True])
def test_other_connections_wait_until_the_block_ends(
    card: PCSCCard, reader_names: Tuple[str, str], leave_with_error: bool
) -> None:
    go, done = threading.Event(), threading.Event()
    thread = _contender(reader_names[0], go, done)
    with pytest.raises(RuntimeError) if leave_with_error else _nothing():
        with card.transaction() as same:
            assert same is card
            go.set()
            # The contender is blocked in SCardBeginTransaction while we hold it.
            assert not done.wait(0.5)
            card.transmit(SELECT_NOTHING)
            if leave_with_error:
                raise RuntimeError("the block failed")
    assert done.wait(5), "the transaction was not released"
    thread.join(5)


def test_end_disposition_is_applied(card: PCSCCard, virtual_card: VirtualCard) -> None:
    before = virtual_card.reset_count
    with card.transaction(end=Disposition.RESET):
        card.transmit(SELECT_NOTHING)
    virtual_card.wait_for(lambda c: c.reset_count > before)


def test_the_blocks_error_wins_over_a_failed_end(card: PCSCCard, pcscd: PrivatePCSCD) -> None:
    with pytest.raises(CardNotPresentException):
        with card.transaction():
            pcscd.remove_card(0)
            card.transmit(SELECT_NOTHING)  # fails; ending the transaction then fails too


def test_bad_disposition_is_refused(card: PCSCCard) -> None:
    with pytest.raises(ValueError, match="end"):
        with card.transaction(end=42):  # type: ignore[arg-type]
            pass
    with pytest.raises(TypeError, match="end"):
        with card.transaction(end="reset"):  # type: ignore[arg-type]
            pass


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *args: object) -> None:
        return None
