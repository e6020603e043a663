# SPDX-License-Identifier: LGPL-2.1-or-later
"""``pyscard atr``: real ATRs from several card families, decoded and named.

The card names come from tests/cli/data/card_list.txt (our own list in
smartcard_list.txt's format), so the tests do not depend on pcsc-tools.
"""

from __future__ import annotations

import json
from typing import Dict, List, NamedTuple

import pytest

from .conftest import CARD_LIST, assert_one_line_error, run_cli


class Case(NamedTuple):
    atr: str
    name: str
    protocols: List[str]
    checksum: str
    meanings: Dict[str, str]  # byte name -> fragment of its meaning
    historical: List[str]  # fragments expected in the historical bytes' objects


CASES = [
    Case(  # OpenPGP card: T=1, TA1 speed, T=1 IFSC/BWI, T=15 class byte, compact-TLV
        "3B DA 18 FF 81 B1 FE 75 1F 03 00 31 C5 73 C0 01 40 00 90 00 0C",
        "Test OpenPGP token, version two",
        ["T=1"],
        "correct",
        {
            "TS": "direct convention",
            "TA1": "Fi=372, Di=12: 31 cycles/ETU, 129032 bit/s at 4 MHz",
            "TC1": "N=255",
            "TA3": "IFSC=254",
            "TB3": "BWI=7, character waiting integer CWI=5",
            "TD3": "T=15",
            "TA4": "clock stop not supported; classes accepted: A (5 V), B (3 V)",
        },
        ["card service data", "card without MF", "extended Lc and Le fields", "SW 90 00"],
    ),
    Case(  # MIFARE Classic 1K through a PC/SC contactless reader
        "3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 01 00 00 00 00 6A",
        "Test contactless storage card (PC/SC part 3)",
        ["T=0", "T=1"],
        "correct",
        {"T0": "TD1 follows; 15 historical bytes", "TD2": "protocol T=1"},
        ["ISO 14443 A, part 3", "MIFARE Classic 1K"],
    ),
    Case(  # Belgian eID: T=0 only, no TCK, TC2 waiting time
        "3B 98 13 40 0A A5 03 01 01 01 AD 13 11",
        "Test national identity card",
        ["T=0"],
        "not required",
        {"TA1": "Fi=372, Di=4", "TC2": "WI=10"},
        [],
    ),
    Case(  # YubiKey 5 NFC over USB: T=1, TB1/TC1 zero, card capabilities
        "3B FD 13 00 00 81 31 FE 15 80 73 C0 21 C0 57 59 75 62 69 4B 65 79 40",
        "Test security key with a PIV applet",
        ["T=1"],
        "correct",
        {"TB1": "VPP not connected", "TC1": "N=0", "TB3": "BWI=1"},
        ["command chaining", "card issuer's data"],
    ),
    Case(  # inverse convention GSM SIM
        "3F 2F 00 36 AF 69 02 04 01 80 00 00 0A 0E 83 3E 9F 16",
        "Test inverse convention SIM",
        ["T=0"],
        "not required",
        {"TS": "inverse convention"},
        [],
    ),
    Case(  # USIM: TA1 fast speed, T=15 global byte announcing the classes
        "3B 9F 96 80 1F C7 80 31 E0 73 FE 21 1B 63 3A 20 4E 83 00 90 00 93",
        "Test USIM with T=15 global bytes",
        ["T=0"],
        "correct",
        {"TA1": "Fi=512, Di=32", "TA3": "classes accepted: A (5 V), B (3 V), C (1.8 V)"},
        ["DF selection by path", "up to 4 logical channels"],
    ),
    Case(  # T=0 payment card: category 80, status indicator as a TLV object
        "3B 6E 00 00 80 31 80 66 B0 84 0C 01 6E 01 83 00 90 00",
        "Test payment card, T=0 only",
        ["T=0"],
        "not required",
        {"TC1": "N=0"},
        ["pre-issuing data", "life cycle status 00"],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_real_atrs_are_decoded_and_named(case: Case) -> None:
    result = run_cli("atr", "--json", "--list", str(CARD_LIST), case.atr)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["atr"] == case.atr.replace(" ", "")
    assert document["card_names"][0] == case.name
    assert document["card_lists"] == [str(CARD_LIST)]
    assert document["protocols"] == case.protocols
    assert document["checksum"]["verdict"] == case.checksum
    meanings = {item["name"]: item["meaning"] for item in document["bytes"]}
    for name, fragment in case.meanings.items():
        assert fragment in meanings[name], (name, meanings[name])
    details = json.dumps(document["historical_bytes"])
    for fragment in case.historical:
        assert fragment in details, fragment
    assert document["problems"] == []


def test_text_output_shows_every_byte_speed_historical_bytes_and_name() -> None:
    result = run_cli("atr", "--list", str(CARD_LIST), CASES[0].atr)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    for fragment in (
        "TS  3B  direct convention",
        "TA1 18  Fi=372, Di=12",
        "TD1 81  protocol T=1; TD2 follows",
        "Speed (TA1): Fi=372, Di=12: 31 cycles/ETU, 129032 bit/s at 4 MHz, "
        "161290 bit/s at fmax=5 MHz",
        "category 00: compact-TLV objects, then a 3-byte status indicator",
        "tag 7, card capabilities: C0 01 40",
        "TCK 0C  correct checksum",
        "Test OpenPGP token, version two",
    ):
        assert fragment in text, fragment
    assert "\033[" not in text  # not a terminal: no colour


def test_hex_may_be_packed_or_split_over_arguments() -> None:
    packed = run_cli("atr", "--json", "--list", str(CARD_LIST), CASES[2].atr.replace(" ", ""))
    split = run_cli("atr", "--json", "--list", str(CARD_LIST), *CASES[2].atr.split())
    assert packed.returncode == split.returncode == 0
    assert json.loads(packed.stdout) == json.loads(split.stdout)


def test_wrong_and_missing_checksums_are_reported() -> None:
    wrong = run_cli("atr", "--json", "--list", str(CARD_LIST), CASES[0].atr[:-2] + "0D")
    document = json.loads(wrong.stdout)
    assert document["checksum"] == {
        "value": "0D",
        "expected": "0C",
        "required": True,
        "verdict": "wrong",
    }
    assert "checksum wrong" in document["problems"]
    missing = run_cli("atr", "--json", "--list", str(CARD_LIST), CASES[0].atr[:-3])
    assert json.loads(missing.stdout)["checksum"]["verdict"] == "missing"


def test_unknown_card_and_absent_list() -> None:
    result = run_cli("atr", "--list", str(CARD_LIST), "3B 00")
    assert result.returncode == 0
    assert f"Card: not in {CARD_LIST}" in result.stdout


def test_missing_list_file_is_a_usage_error() -> None:
    result = run_cli("atr", "--list", "/nonexistent/list.txt", "3B 00")
    assert_one_line_error(result, 2, "/nonexistent/list.txt")


@pytest.mark.parametrize(
    "argument, fragment",
    [
        ("3B 0", "odd number of hex digits (3)"),
        ("3B ZZ", "'Z' at digit 3"),
        ("3B", "at least 2 bytes"),
        ("00 00", "invalid TS"),
        ("3B F0 11", "truncated"),
    ],
)
def test_bad_atrs_are_usage_errors(argument: str, fragment: str) -> None:
    assert_one_line_error(run_cli("atr", argument), 2, fragment)


def test_atr_of_the_card_in_a_reader(stack_env, virtual_card, reader_names) -> None:  # noqa: ANN001
    result = run_cli("atr", "--json", "--list", str(CARD_LIST), env=stack_env)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["reader"] == reader_names[0]
    assert document["atr"] == virtual_card.atr.hex().upper()
    assert document["card_names"] == ["pyscard virtual card (T=1)"]
    assert document["historical_bytes"]["text"] == "pyscard"


def test_atr_of_an_empty_reader_fails(stack_env, reader_names) -> None:  # noqa: ANN001
    result = run_cli("atr", "--reader", reader_names[1], env=stack_env)
    assert_one_line_error(result, 1, "no card in", reader_names[1])


# German eID (nPA): its card capabilities 73 F7 41 E0 set b6 of the third
# byte, which ISO 7816-4 reserves; ATR_analysis flags it, so must we.
GERMAN_EID = "3B 8A 80 01 80 31 F8 73 F7 41 E0 82 90 00 75"


def test_reserved_capability_bit_is_flagged_in_text_and_json() -> None:
    text = run_cli("atr", "--list", str(CARD_LIST), GERMAN_EID)
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    start = lines.index("  tag 7, card capabilities: F7 41 E0")
    assert "    - RFU: reserved bit b6 (20) set" in lines[start:]
    assert "TCK 75  correct checksum" in text.stdout
    document = json.loads(run_cli("atr", "--json", "--list", str(CARD_LIST), GERMAN_EID).stdout)
    (capabilities,) = [o for o in document["historical_bytes"]["objects"] if o["tag"] == "7"]
    assert "RFU: reserved bit b6 (20) set" in capabilities["details"]
    assert document["problems"] == []


def test_reserved_interface_bits_are_flagged_in_the_byte_meaning() -> None:
    # T=1 TC3 = 03: only b1 (CRC or LRC) is defined.
    result = run_cli("atr", "--json", "3B 80 81 41 03 43")
    meanings = {item["name"]: item["meaning"] for item in json.loads(result.stdout)["bytes"]}
    assert meanings["TC3"] == "T=1: error detection code CRC; RFU: reserved bit b2 (02) set"
