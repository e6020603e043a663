# SPDX-License-Identifier: LGPL-2.1-or-later
"""smartcard.ATR: parsing and output, checked against pyscard 2.3.1.

The expected values come from tests/data/atr_reference.json, written by
tests/data/make_atr_fixture.py running the reference implementation.
"""

from __future__ import annotations

import importlib.util
import json
import pathlib
import re
import warnings

import pytest

from smartcard.ATR import ATR
from smartcard.Exceptions import SmartcardException

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
SMARTCARD_LIST = pathlib.Path("/usr/share/pcsc/smartcard_list.txt")


def _load_probe():
    spec = importlib.util.spec_from_file_location("atr_probe", DATA / "atr_probe.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


atr_probe = _load_probe()
REFERENCE = json.loads((DATA / "atr_reference.json").read_text())


def _normalise(value):
    """JSON turns tuples into lists; compare like with like."""
    return json.loads(json.dumps(value))


@pytest.mark.parametrize(("family", "text"), atr_probe.REAL_ATRS, ids=lambda v: v)
def test_real_atr_matches_reference(family, text):
    observed = _normalise(atr_probe.probe(ATR, list(bytes.fromhex(text))))
    assert observed == REFERENCE["real"][text]


@pytest.mark.parametrize("index", range(len(atr_probe.EDGE_ATRS)))
def test_edge_atr_matches_reference(index):
    atr, expected = REFERENCE["edge"][index]
    assert atr == atr_probe.EDGE_ATRS[index]
    assert _normalise(atr_probe.probe(ATR, atr)) == expected


def test_synthetic_generator_is_the_one_of_the_fixture():
    atrs = list(atr_probe.synthetic_atrs(REFERENCE["synthetic_count"]))
    assert atr_probe.digest({"atrs": atrs}) == REFERENCE["synthetic_check"]


def test_synthetic_atrs_full_observation():
    for atr, expected in REFERENCE["synthetic_full"]:
        assert _normalise(atr_probe.probe(ATR, atr)) == expected, atr


def test_synthetic_atrs_digests():
    digests = REFERENCE["synthetic_digests"]
    width = 12
    mismatches = []
    for index, atr in enumerate(atr_probe.synthetic_atrs(REFERENCE["synthetic_count"])):
        expected = digests[index * width : (index + 1) * width]
        if atr_probe.digest(_normalise(atr_probe.probe(ATR, atr))) != expected:
            mismatches.append(bytes(atr).hex(" ") if all(0 <= b < 256 for b in atr) else atr)
    assert not mismatches, mismatches[:10]


@pytest.mark.skipif(not SMARTCARD_LIST.exists(), reason="pcsc-tools' smartcard_list.txt missing")
def test_smartcard_list_atrs_match_reference():
    # The fixture stores digests only; the ATRs come from the installed list.
    expected = REFERENCE["smartcard_list"]
    pattern = re.compile(r"^3[BF]( [0-9A-F]{2})+$")
    checked = 0
    mismatches = []
    for line in SMARTCARD_LIST.read_text(encoding="utf-8", errors="replace").splitlines():
        if not pattern.match(line):
            continue
        atr = list(bytes.fromhex(line))
        want = expected.get(atr_probe.atr_key(atr))
        if want is None:  # an ATR added to the list after the fixture was made
            continue
        checked += 1
        if atr_probe.digest(_normalise(atr_probe.probe(ATR, atr))) != want:
            mismatches.append(line)
    assert checked >= 1000
    assert not mismatches, mismatches[:10]


def test_class_tables():
    for name, value in REFERENCE["class_attributes"].items():
        assert getattr(ATR, name) == value


# Direct checks of behaviour, readable without the fixture.


def test_t1_atr_fields():
    atr = ATR(list(bytes.fromhex("3BDA11FF81B1FE551F0300318473800180009000E4")))
    assert atr.TS == 0x3B and atr.T0 == 0xDA and atr.K == 10
    assert atr.TA == [0x11, None, 0xFE, 0x03]
    assert atr.TB == [None, None, 0x55, None]
    assert atr.TC == [0xFF, None, None, None]
    assert atr.TD == [0x81, 0xB1, 0x1F, None]
    assert atr.Y == [0xD, 0x8, 0xB, 0x1]
    assert atr.getInterfaceBytesCount() == 8
    assert atr.getHistoricalBytes() == list(bytes.fromhex("0031847380018000 9000"))
    assert atr.hasChecksum and atr.getChecksum() == 0xE4 and atr.checksumOK is True
    assert (atr.FI, atr.DI, atr.getClockRateConversion(), atr.getBitRateFactor()) == (1, 1, 372, 1)
    assert atr.getGuardTime() == 0xFF
    assert atr.getSupportedProtocols() == {"T=1": True, "T=15": True}
    assert atr.isT1Supported() and atr.isT15Supported() and not atr.isT0Supported()
    assert str(atr) == "3B DA 11 FF 81 B1 FE 55 1F 03 00 31 84 73 80 01 80 00 90 00 E4"


def test_t0_atr_defaults():
    atr = ATR([0x3B, 0x65, 0x00, 0x00, 0x9C, 0x11, 0x01, 0x01, 0x03])
    assert atr.getSupportedProtocols() == {"T=0": True}
    assert atr.TCK is None and atr.checksumOK is None and not atr.hasChecksum
    assert atr.getTA1() is None and atr.getTB1() == 0 and atr.getTC1() == 0
    assert atr.getProgrammingCurrent() == 25 and atr.getProgrammingVoltage() == 5
    assert atr.render().splitlines()[:3] == ["TB1: 0", "TC1: 0", "supported protocols T=0"]


def test_wrong_checksum_is_reported_not_raised():
    atr = ATR([0x3B, 0x80, 0x01, 0x80])
    assert atr.getChecksum() == 0x80 and atr.checksumOK is False


def test_checksum_ok_is_a_plain_attribute_after_reading():
    atr = ATR([0x3B, 0x80, 0x01, 0x81])
    assert atr.checksumOK is True
    atr.checksumOK = False
    assert atr.checksumOK is False


@pytest.mark.parametrize(
    ("atr", "message"),
    [
        ([0x3B], "ATR sequences must be at least 2 bytes long"),
        ([], "ATR sequences must be at least 2 bytes long"),
        ([0x3A, 0x00], "invalid TS 0x3a"),
    ],
)
def test_malformed_atr_raises_smartcard_exception(atr, message):
    with pytest.raises(SmartcardException) as info:
        ATR(atr)
    assert str(info.value) == message


def test_truncated_interface_bytes_raise_index_error():
    with pytest.raises(IndexError):
        ATR([0x3B, 0xF0, 0x11])


def test_deprecated_members_warn():
    atr = ATR([0x3B, 0x90, 0x11, 0x81, 0x01])
    # pyscard 2.3.1's texts, exactly.
    with pytest.warns(DeprecationWarning, match=r"^Replace usage with `ATR\.TA\[i\] is not None`$"):
        assert atr.hasTA == [True, False, False]
    with pytest.warns(DeprecationWarning, match=r"^Replace usage with `ATR\.TB\[i\] is not None`$"):
        assert len(atr.hasTB) == 3
    with pytest.warns(DeprecationWarning, match=r"^Replace usage with `ATR\.TC\[i\] is not None`$"):
        assert len(atr.hasTC) == 3
    with pytest.warns(DeprecationWarning, match=r"^Replace usage with `ATR\.TD\[i\] is not None`$"):
        assert atr.hasTD == [True, True, False]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        atr.render()  # the replacement API does not warn


def test_dump_prints_render(capsys):
    atr = ATR([0x3B, 0x00])
    with pytest.warns(DeprecationWarning, match=r"^Replace usage with `print\(ATR\.render\(\)\)`$"):
        atr.dump()
    assert capsys.readouterr().out == atr.render() + "\n"


def test_bytes_input_is_accepted_like_pyscard():
    atr = ATR(bytes.fromhex("3B8180018080"))
    assert atr.getHistoricalBytes() == b"\x80"
    assert str(atr) == "3B 81 80 01 80 80"
