# SPDX-License-Identifier: LGPL-2.1-or-later
"""The purse application tested against a recording of the card: no card, no pcscd."""

import pytest

from app import read_balance

RECORDING = "tests/cards/demo.jsonl"


@pytest.mark.pcsc_recording(RECORDING)
def test_balance():
    assert read_balance("1234") == 42


@pytest.mark.pcsc_recording(RECORDING)
def test_the_pin_was_masked_so_any_pin_of_its_length_replays():
    assert read_balance("0000") == 42


@pytest.mark.pcsc_recording(RECORDING, mode="lookup")
def test_in_lookup_mode_the_order_does_not_matter():
    for _ in range(3):
        assert read_balance("1234") == 42
