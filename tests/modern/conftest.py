# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fixtures for the new API's tests, on the real stack (private pcscd, vpcd, VirtualCard)."""

from __future__ import annotations

from typing import Iterator, Tuple

import pytest

from smartcard.testing import PrivatePCSCD, VirtualCard


@pytest.fixture
def card(pcscd: PrivatePCSCD, virtual_card: VirtualCard, reader_names: Tuple[str, str]) -> Iterator:
    """A PCSCCard connected to the default virtual card in reader 0."""
    from smartcard.connecting import connect

    with connect(reader_names[0]) as connected:
        yield connected
