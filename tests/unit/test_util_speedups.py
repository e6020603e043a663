# SPDX-License-Identifier: LGPL-2.1-or-later
"""The C fast paths of smartcard.util agree with the pure-Python code."""

from __future__ import annotations

import random

import pytest

speedups = pytest.importorskip("smartcard.util._speedups")


def python_hex(data: list[int]) -> str:
    return bytes(data).hex(" ").upper()


def test_hex_spaced_matches_python() -> None:
    rng = random.Random(7)
    for length in (1, 2, 5, 255, 256, 1000):
        data = [rng.randrange(256) for _ in range(length)]
        assert speedups.hex_spaced(data) == python_hex(data)


@pytest.mark.parametrize("data", [[], [256], [-1], [1, "a"], [1, 2.0], (1, 2), b"\x01", [True, 2]])
def test_hex_spaced_declines_what_it_does_not_handle(data: object) -> None:
    assert speedups.hex_spaced(data) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3B 87 01", [0x3B, 0x87, 0x01]),
        ("3b8701", [0x3B, 0x87, 0x01]),
        ("  3B\t87\n01 ", [0x3B, 0x87, 0x01]),
        ("", []),
        ("   ", []),
        ("FF", [255]),
    ],
)
def test_list_from_hex_parses(text: str, expected: list[int]) -> None:
    assert speedups.list_from_hex(text) == expected


@pytest.mark.parametrize("text", ["3B 8", "3 B", "zz", "é1", "0x3B", b"3B", 59, "3B\u00a087"])
def test_list_from_hex_declines_what_it_does_not_handle(text: object) -> None:
    assert speedups.list_from_hex(text) is None


def test_public_functions_still_reject_bad_input() -> None:
    from smartcard.util import toBytes, toHexString

    with pytest.raises(TypeError):
        toBytes("3B 8")
    assert toHexString([0x3B, 0x187]) == "3B 87"  # modulo 256, as pyscard
