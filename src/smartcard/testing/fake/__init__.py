# SPDX-License-Identifier: LGPL-2.1-or-later
"""A fake PC/SC service: scripted answers for fast tests without pcscd.

:class:`FakeBackend` implements every call of
``smartcard._pcsc.backend.Backend`` with the extension's result shapes and
pcsc-lite's behaviour: readers and cards come and go (``add_reader``,
``insert_card``, ``remove_card``...), handles of a removed card answer
SCARD_W_REMOVED_CARD, ``restart()`` kills every context and handle as a
pcscd restart does, ``stop_service()`` makes establishing fail with
SCARD_E_NO_SERVICE, share modes and transactions exclude each other, and
``SCardGetStatusChange`` blocks until a change, its timeout or
``SCardCancel`` (with the ``\\\\?PnP?\\Notification`` pseudo reader).
Any call can be made to fail on demand (``fail_next``) or answer scripted
results (``script``), and every call is logged (``calls``)::

    fake = FakeBackend()
    card = FakeCard("3B 80 80 01 01", {"00 84 00 00 08": "0102030405060708 9000"})
    fake.add_reader("Reader 0", card)
    fake.fail_next("SCardTransmit", "SCARD_F_COMM_ERROR")
    with smartcard._pcsc.backend.use(fake):
        ...  # connections, readers() and monitors created here talk to the fake

:func:`from_data` builds the same from a dict (JSON), so a recorded session
can drive it. The real-stack tests (``pcscd`` fixture) remain the truth;
the fake is for speed and for failures a real stack cannot produce on demand.
"""

from __future__ import annotations

from smartcard.testing.fake.backend import FakeBackend
from smartcard.testing.fake.card import FakeCard
from smartcard.testing.fake.data import card_from_data, from_data
from smartcard.testing.fake.script import Call
from smartcard.testing.fake.status import PNP_NOTIFICATION

__all__ = ["Call", "FakeBackend", "FakeCard", "PNP_NOTIFICATION", "card_from_data", "from_data"]
