# SPDX-License-Identifier: LGPL-2.1-or-later
"""smartcard.util calls shared by make_util_fixture.py and test_util.py.

Works with whichever ``smartcard`` package is importable: pyscard 2.3.1
when making the fixture, this project when testing.
"""

from __future__ import annotations

import warnings
from typing import Any, Callable

_HEX_INPUTS: dict[str, Any] = {
    "none": None,
    "empty": [],
    "zero": [0],
    "t0_atr": [0x3B, 0x65, 0x00, 0x00, 0x9C, 0x11, 0x01, 0x01, 0x03],
    "all_bytes": list(range(256)),
    "out_of_range": [256, -1, 0x1FF, 10**20 + 5, -256, -257],
    "bools": [True, False],
    "tuple": (1, 2),
    "bytes": b"\x01\x02",
    "str": "ab",
    "float": [1.0],
    "text_item": ["a"],
    "none_item": [None],
    "mixed": [1, 2.5],
}
_HEX_FORMATS: dict[str, Any] = {str(flags): flags for flags in range(16)}
_HEX_FORMATS.update({"fmt_none": None, "fmt_true": True, "fmt_minus1": -1, "fmt_255": 255})

_TO_BYTES_INPUTS: dict[str, Any] = {
    "spaced": "3B 65 00 00 9C 11 01 01 03",
    "packed_lower": "3b6500009c11010103",
    "irregular_blanks": "3B6500   009C1101  0103",
    "tabs_newlines": " 3B\t65\n00\r\n",
    "empty": "",
    "blank": "   ",
    "odd_digits": "3B6",
    "not_hex": "zz",
    "prefixed": "0x3B",
    "split_pair": "3 B",
    "dashes": "3B-65",
    "arabic_digits": "\u0663\u0663",
    "bytes": b"3B",
    "none": None,
    "int": 123,
}

_ASCII_INPUTS: dict[str, Any] = {f"[{code}]": [code] for code in range(-3, 300)}
_ASCII_INPUTS.update(
    {
        "number": [0x4E, 0x75, 0x6D, 0x62, 0x65, 0x72, 0x20, 0x31, 0x30, 0x31],
        "mixed_range": [0x01, 0x20, 0x80, 0x7E, 0xF0, 300, -5],
        "bytes": b"AB\x00",
        "bytearray": bytearray(b"\x7f\x80"),
        "tuple": (72, 73),
        "empty": [],
        "str": "AB",
        "float": [65.0],
        "none_item": [None],
        "bool": [True],
    }
)

_GSM_INPUTS: dict[str, Any] = {
    f"U+{code:04X}": chr(code) for code in (*range(0x0000, 0x0400), 0x20AC, 0x2018)
}
_GSM_INPUTS.update(
    {
        "word": "@\u00f9Pascal",
        "latin1_bytes": b"\xa3A",
        "empty": "",
        "escape_bytes": b"\x1b",
        "list_of_chars": ["A", "@"],
    }
)


def _outcome(action: Callable[[], Any]) -> dict[str, Any]:
    """Run ``action``; record its value or exception, and warnings issued."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result: dict[str, Any] = {"value": action()}
        except Exception as exc:  # noqa: BLE001 - recording any failure is the point
            result = {"raises": [type(exc).__name__, str(exc)]}
    if caught:
        result["warnings"] = [w.category.__name__ for w in caught]
    return result


def cases() -> dict[str, Callable[[], Any]]:
    """Return the calls to compare, by label."""
    from smartcard import util

    calls: dict[str, Callable[[], Any]] = {}
    for name, data in _HEX_INPUTS.items():
        calls[f"toHexString({name})"] = lambda data=data: util.toHexString(data)
        for label, flags in _HEX_FORMATS.items():
            calls[f"toHexString({name}, {label})"] = lambda data=data, flags=flags: (
                util.toHexString(data, flags)
            )
    calls["toHexString()"] = lambda: util.toHexString()
    for name, text in _TO_BYTES_INPUTS.items():
        calls[f"toBytes({name})"] = lambda text=text: util.toBytes(text)
    for name, data in _ASCII_INPUTS.items():
        calls[f"toASCIIString({name})"] = lambda data=data: util.toASCIIString(data)
    calls["toASCIIString(generator)"] = lambda: util.toASCIIString(x for x in (65, 300, 66))
    for name, text in _GSM_INPUTS.items():
        calls[f"toGSM3_38Bytes({name})"] = lambda text=text: util.toGSM3_38Bytes(text)
    for text in ("", "Number 101", "\u00e9\u20ac", None):
        calls[f"toASCIIBytes({text!r})"] = lambda text=text: util.toASCIIBytes(text)
    padd_args: list[tuple[Any, ...]] = [
        ([1], 3),
        ([1], 3, "0"),
        ([1], 3, "80"),
        ([1], 3, "zz"),
        ([1, 2, 3], 1, "zz"),
        ((1,), 3),
        ([1, 2, 3], 1),
        ([], 2, "80"),
        ([1], 3, 0x80),
        ([1], -1),
    ]
    for args in padd_args:
        calls[f"padd{args!r}"] = lambda args=args: util.padd(*args)
    for name in ("HexListToBinString", "hl2bs"):
        for data in ([65, 66], [0xFF], []):
            calls[f"{name}({data})"] = lambda name=name, data=data: getattr(util, name)(data)
    for name in ("BinStringToHexList", "bs2hl"):
        for text in ("AB", "\u00e9", ""):
            calls[f"{name}({text!r})"] = lambda name=name, text=text: getattr(util, name)(text)
    calls["constants"] = lambda: [util.PACK, util.HEX, util.UPPERCASE, util.COMMA]
    return calls


def outcomes() -> dict[str, dict[str, Any]]:
    """Return the outcome of every case, by label."""
    return {label: _outcome(call) for label, call in cases().items()}
