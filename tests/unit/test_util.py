# SPDX-License-Identifier: LGPL-2.1-or-later
"""smartcard.util, checked against pyscard 2.3.1 and by direct examples.

tests/data/util_reference.json holds pyscard's results for the calls of
tests/data/util_cases.py (written by tests/data/make_util_fixture.py).
"""

from __future__ import annotations

import importlib.util
import json
import pathlib
import sys
import warnings

import pytest

from smartcard import util
from smartcard.util import (
    COMMA,
    HEX,
    PACK,
    UPPERCASE,
    BinStringToHexList,
    HexListToBinString,
    bs2hl,
    hl2bs,
    padd,
    toASCIIBytes,
    toASCIIString,
    toBytes,
    toGSM3_38Bytes,
    toHexString,
)

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
FIXTURE = json.loads((DATA / "util_reference.json").read_text())
REFERENCE = FIXTURE["outcomes"]
# Messages of exceptions raised by the interpreter itself (e.g. by chr())
# differ between Python versions; they are compared on the fixture's one.
SAME_PYTHON = FIXTURE["python"] == "{}.{}".format(*sys.version_info)


def _load_cases():
    spec = importlib.util.spec_from_file_location("util_cases", DATA / "util_cases.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


util_cases = _load_cases()
CASES = util_cases.cases()


def test_fixture_covers_every_case():
    assert set(CASES) == set(REFERENCE)


@pytest.mark.parametrize("label", sorted(CASES))
def test_same_result_as_pyscard(label):
    # Values, exception types and messages, and warning categories.
    observed = json.loads(json.dumps(util_cases._outcome(CASES[label])))
    expected = REFERENCE[label]
    if not SAME_PYTHON and "raises" in observed and "raises" in expected:
        observed["raises"][1] = expected["raises"][1] = "(not compared)"
    assert observed == expected


VALS = [0x3B, 0x65, 0x00, 0x00, 0x9C, 0x11, 0x01, 0x01, 0x03]


@pytest.mark.parametrize(
    ("flags", "text"),
    [
        (0, "3B 65 00 00 9C 11 01 01 03"),
        (COMMA, "3B, 65, 00, 00, 9C, 11, 01, 01, 03"),
        (HEX, "0x3B 0x65 0x00 0x00 0x9C 0x11 0x01 0x01 0x03"),
        (HEX | COMMA, "0x3B, 0x65, 0x00, 0x00, 0x9C, 0x11, 0x01, 0x01, 0x03"),
        (PACK, "3B6500009C11010103"),
        (PACK | COMMA, "3B,65,00,00,9C,11,01,01,03"),
        (HEX | PACK, "0x3B0x650x000x000x9C0x110x010x010x03"),
        (HEX | UPPERCASE, "0X3B 0X65 0X00 0X00 0X9C 0X11 0X01 0X01 0X03"),
        (UPPERCASE, "3B 65 00 00 9C 11 01 01 03"),
    ],
)
def test_to_hex_string_formats(flags, text):
    assert toHexString(VALS, flags) == text


def test_to_hex_string_edge_cases():
    assert toHexString() == "" and toHexString(None) == "" and toHexString([]) == ""
    assert toHexString([256, -1, 0x1FF]) == "00 FF FF"  # modulo 256
    assert toHexString([0x0A]) == "0A"
    with pytest.raises(TypeError, match="not a list of bytes"):
        toHexString((1, 2))
    with pytest.raises(TypeError, match="not a list of bytes"):
        toHexString(b"\x01")
    with pytest.raises(TypeError):
        toHexString([1.0])


def test_to_hex_string_list_subclass():
    class Apdu(list):
        pass

    assert toHexString(Apdu([0x90, 0x00])) == "90 00"


def test_to_bytes():
    assert toBytes("3B 65 00 00 9C 11 01 01 03") == VALS
    assert toBytes("3b6500009c11010103") == VALS
    assert toBytes("3B6500   009C1101  0103") == VALS
    assert toBytes("") == []
    for bad in ("3B6", "zz", "0x3B"):
        with pytest.raises(TypeError, match="not a string representing a list of bytes"):
            toBytes(bad)


def test_round_trip():
    data = list(range(256))
    assert toBytes(toHexString(data)) == data
    assert toBytes(toHexString(data, PACK)) == data


def test_ascii_helpers():
    assert toASCIIBytes("Number 101") == [78, 117, 109, 98, 101, 114, 32, 49, 48, 49]
    assert toASCIIString(toASCIIBytes("Number 101")) == "Number 101"
    assert toASCIIString([0x01, 0x20, 0x80, 0x7E, 0x7F, 0xF0, 300, -1]) == ". .~\x7f..."
    assert toASCIIString(iter([65, 300, 66])) == "A.B"


def test_gsm_3_38():
    assert toGSM3_38Bytes("@ùPascal") == [0, 6, 80, 97, 115, 99, 97, 108]
    assert toGSM3_38Bytes(b"\xa3$") == [0x01, 0x02]  # £ and $ swap places
    assert toGSM3_38Bytes("ΔΩ¤¡¿à") == [0x10, 0x15, 0x24, 0x40, 0x60, 0x7F]
    with pytest.raises(KeyError):
        toGSM3_38Bytes("{")  # needs the extension table


def test_padd():
    assert padd([59, 101], 4) == [59, 101, 255, 255]
    assert padd([59, 101], 3, "80") == [59, 101, 128]
    assert padd([1, 2, 3], 2) == [1, 2, 3]
    data = [1]
    assert padd(data, 1) is not data


@pytest.mark.parametrize(
    ("call", "expected", "text"),
    [
        (
            lambda: HexListToBinString([78, 117]),
            "Nu",
            'Use `bytes(hexlist).decode("utf-8")` or similar.',
        ),
        (lambda: hl2bs([78, 117]), "Nu", 'Use `bytes(hexlist).decode("utf-8")` or similar.'),
        (
            lambda: BinStringToHexList("Nu"),
            [78, 117],
            'Use `list(binstring.encode("utf-8"))` or similar.',
        ),
        (lambda: bs2hl("Nu"), [78, 117], 'Use `list(binstring.encode("utf-8"))` or similar.'),
    ],
)
def test_deprecated_helpers_warn(call, expected, text):
    with pytest.warns(DeprecationWarning) as caught:
        assert call() == expected
    assert [str(w.message) for w in caught] == [text]  # pyscard 2.3.1's text


def test_current_helpers_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        toHexString(VALS)
        toBytes("3B")
        toASCIIString(VALS)
        padd(VALS, 20)


def test_public_names():
    expected = {
        "PACK",
        "HEX",
        "UPPERCASE",
        "COMMA",
        "padd",
        "toASCIIBytes",
        "toASCIIString",
        "toBytes",
        "toGSM3_38Bytes",
        "toHexString",
        "HexListToBinString",
        "BinStringToHexList",
        "hl2bs",
        "bs2hl",
    }
    assert expected <= set(dir(util))
    assert set(util.__all__) == expected
