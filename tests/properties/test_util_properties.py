# SPDX-License-Identifier: LGPL-2.1-or-later
"""smartcard.util's C helpers agree exactly with the pure-Python code (hypothesis).

The C code (smartcard.util._speedups) either declines (None) or returns
what the Python code returns; toHexString and toBytes give the same
results, and raise the same errors, with the helpers or without them.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcard import util

speedups = pytest.importorskip("smartcard.util._speedups")


def python_hex(data: list[Any]) -> str:
    """toHexString's default layout, as the pure-Python path computes it."""
    return bytearray([item & 0xFF for item in data]).hex(" ").upper()


def python_bytes(text: str) -> list[int]:
    """toBytes, as the pure-Python path computes it."""
    try:
        return [*bytes.fromhex(text)]
    except ValueError as exc:
        raise TypeError("not a string representing a list of bytes") from exc


def outcome(function: Any, *args: Any) -> Any:
    """The result, or the exception type and message."""
    try:
        return function(*args)
    except Exception as exc:  # noqa: BLE001 - the comparison is the point
        return (type(exc), str(exc))


class IntSub(int):
    pass


items = st.one_of(
    st.integers(0, 255),
    st.integers(-(2**70), 2**70),
    st.booleans(),
    st.builds(IntSub, st.integers(-300, 300)),
)


@settings(max_examples=300, deadline=None)
@given(data=st.lists(items, max_size=80))
def test_hex_spaced_agrees(data: list[Any]) -> None:
    fast = speedups.hex_spaced(data)
    assert fast is None or fast == python_hex(data)
    if all(type(item) is int and 0 <= item <= 255 for item in data) and data:
        assert fast is not None  # the common case is the C one
    assert util.toHexString(data) == (python_hex(data) if data else "")


@settings(max_examples=100, deadline=None)
@given(data=st.lists(st.one_of(items, st.text(max_size=1), st.floats()), min_size=1, max_size=8))
def test_hex_string_errors_agree(data: list[Any]) -> None:
    assert speedups.hex_spaced(data) is None or all(type(item) is int for item in data)
    assert outcome(util.toHexString, data) == outcome(python_hex, data)


hex_alphabet = "0123456789abcdefABCDEF \t\n\r\x0b\x0c"
texts = st.one_of(
    st.text(st.sampled_from(hex_alphabet), max_size=80),
    st.text(st.sampled_from(hex_alphabet + "xg:\x00\xe9\u0100\U0001f600"), max_size=20),
    st.text(max_size=20),
)


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_to_bytes_agrees(text: str) -> None:
    fast = speedups.list_from_hex(text)
    expected = outcome(python_bytes, text)
    assert fast is None or fast == expected
    assert outcome(util.toBytes, text) == expected


@given(value=st.one_of(st.none(), st.integers(), st.binary(max_size=4), st.lists(st.integers())))
def test_helpers_decline_other_types(value: Any) -> None:
    assert speedups.list_from_hex(value) is None
    if not isinstance(value, list):
        assert speedups.hex_spaced(value) is None
