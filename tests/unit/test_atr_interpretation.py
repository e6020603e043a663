# SPDX-License-Identifier: LGPL-2.1-or-later
"""smartcard.iso7816.atr: speeds, guard time, protocols, checksum and RFU flags.

The RFU flags follow pcsc-tools' ATR_analysis: a reserved bit or value that
is set shows up in the meaning of its byte (or the details of its
historical object) as an ``RFU:`` part, never silently dropped.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from smartcard.iso7816.atr import ATRFormatError, ATRInterpretation, interpret_atr
from smartcard.iso7816.atr_bytes import guard_time_etu, speed_of
from smartcard.iso7816.capabilities import card_capabilities

OPENPGP = "3B DA 18 FF 81 B1 FE 75 1F 03 00 31 C5 73 C0 01 40 00 90 00 0C"
BELGIAN_EID = "3B 98 13 40 0A A5 03 01 01 01 AD 13 11"
# German eID (nPA): card capabilities 73 F7 41 E0, whose third byte sets b6.
GERMAN_EID = "3B 8A 80 01 80 31 F8 73 F7 41 E0 82 90 00 75"


def interpret(text: str) -> ATRInterpretation:
    return interpret_atr(bytes.fromhex(text))


def with_tck(text: str) -> str:
    """``text`` (an ATR without TCK) followed by the XOR of T0 onwards."""
    body = bytes.fromhex(text)
    check = 0
    for byte in body[1:]:
        check ^= byte
    return f"{text} {check:02X}"


def meaning(interpretation: ATRInterpretation, name: str) -> str:
    return next(item.meaning for item in interpretation.bytes if item.name == name)


# Speed from TA1 (ISO 7816-3 tables 7 and 8).


@pytest.mark.parametrize(
    "ta1, fi, di, f_max, cycles, at_4_mhz",
    [
        (0x11, 372, 1, 5, 372, 10752),
        (0x18, 372, 12, 5, 31, 129032),
        (0x96, 512, 32, 5, 16, 250000),
        (0x13, 372, 4, 5, 93, 43010),
        (0xD5, 2048, 16, 20, 128, 31250),
    ],
)
def test_speed_from_ta1(
    ta1: int, fi: int, di: int, f_max: float, cycles: float, at_4_mhz: int
) -> None:
    speed = speed_of(ta1)
    assert (speed.fi, speed.di, speed.f_max_mhz, speed.from_ta1) == (fi, di, f_max, True)
    assert speed.cycles_per_etu == cycles
    assert speed.bits_per_second(4.0) == at_4_mhz


def test_speed_without_ta1_is_the_default() -> None:
    speed = interpret("3B 00").speed
    assert (speed.fi, speed.di, speed.f_max_mhz, speed.from_ta1) == (372, 1, 5, False)
    assert speed.bits_per_second(5) == 13440


@pytest.mark.parametrize("ta1", [0x71, 0x81, 0xE1, 0xF1, 0x10, 0x1A, 0x1F])
def test_reserved_fi_or_di_gives_no_speed(ta1: int) -> None:
    speed = speed_of(ta1)
    assert speed.cycles_per_etu is None and speed.bits_per_second(4.0) is None
    assert speed.describe() == "reserved (RFU) Fi or Di value: speed unknown"


# Guard time from TC1 (ISO 7816-3 8.3).


@pytest.mark.parametrize(
    "tc1, protocol, etu", [(None, 0, 12), (0, 1, 12), (2, 0, 14), (255, 0, 12), (255, 1, 11)]
)
def test_guard_time(tc1: int | None, protocol: int, etu: int) -> None:
    assert guard_time_etu(tc1, protocol) == etu


def test_guard_time_of_an_atr_uses_tc1_and_the_default_protocol() -> None:
    openpgp = interpret(OPENPGP)  # TC1=FF, T=1: the minimum guard time of T=1
    assert (openpgp.extra_guard_time, openpgp.guard_time_etu) == (255, 11)
    belgian = interpret(BELGIAN_EID)  # no TC1, T=0
    assert (belgian.extra_guard_time, belgian.guard_time_etu) == (None, 12)


# Protocols and checksum.


@pytest.mark.parametrize(
    "atr, offered, default",
    [
        (BELGIAN_EID, [0], 0),  # no TD1: T=0 implicitly
        (OPENPGP, [1], 1),  # T=15 (global bytes) is not a protocol offered
        (GERMAN_EID, [0, 1], 0),
        (with_tck("3B 90 11 01"), [1], 1),
        (with_tck("3B 80 90 81 01"), [0, 1], 1),  # TD1 says T=0, TA2 imposes T=1
    ],
)
def test_protocols_and_default(atr: str, offered: list[int], default: int) -> None:
    interpretation = interpret(atr)
    assert interpretation.protocols == offered
    assert interpretation.default_protocol == default


@pytest.mark.parametrize(
    "atr, verdict",
    [
        (OPENPGP, "correct"),
        (OPENPGP[:-2] + "0D", "wrong"),
        (OPENPGP[:-3], "missing"),
        (BELGIAN_EID, "not required"),
    ],
)
def test_checksum_verdict(atr: str, verdict: str) -> None:
    checksum = interpret(atr).checksum
    assert checksum.verdict == verdict
    assert checksum.expected == 0x0C or atr == BELGIAN_EID


def test_german_eid_checksum_is_correct() -> None:
    assert with_tck(GERMAN_EID[:-3]) == GERMAN_EID
    assert interpret(GERMAN_EID).checksum.verdict == "correct"


def test_truncated_and_overlong_atrs_are_problems() -> None:
    truncated = interpret("3B 85 80 01 80 31")
    assert "truncated: T0 announces 5 historical bytes, only 2 present" in truncated.problems
    overlong = interpret(OPENPGP + " AA BB")
    assert "2 unexpected byte(s) after TCK: AA BB" in overlong.problems


@pytest.mark.parametrize(
    "atr, message",
    [
        ("3B", "ATR sequences must be at least 2 bytes long"),
        ("00 00", "invalid TS 0x00"),
        ("3B F0 11", "more interface bytes than the 3 bytes given"),
    ],
)
def test_what_cannot_be_an_atr(atr: str, message: str) -> None:
    with pytest.raises(ATRFormatError, match=message):
        interpret(atr)


# RFU flags, byte by byte.


def test_german_eid_capability_bit_b6_is_flagged() -> None:
    interpretation = interpret(GERMAN_EID)
    capabilities = next(o for o in interpretation.historical.objects if o.tag == 0x7)
    assert capabilities.value == bytes.fromhex("F7 41 E0")
    assert "RFU: reserved bit b6 (20) set" in capabilities.details
    assert interpretation.rfu_flags == ["card capabilities: RFU: reserved bit b6 (20) set"]
    # The bits around it are still decoded, and the card API reads the same object.
    assert "command chaining" in capabilities.details
    assert "extended Lc and Le fields" in capabilities.details
    assert card_capabilities(bytes.fromhex(GERMAN_EID))[:2] == (True, True)


@pytest.mark.parametrize(
    "atr, name, flag",
    [
        # T=1 TC: only b1 (CRC/LRC) is defined.
        (with_tck("3B 80 81 41 02"), "TC3", "RFU: reserved bit b2 (02) set"),
        (with_tck("3B 80 81 41 81"), "TC3", "RFU: reserved bit b8 (80) set"),
        # T=1 TB: BWI above 9.
        (with_tck("3B 80 81 21 A5"), "TB3", "RFU: BWI=10 is reserved"),
        # T=15 TA: classes D and E (b4, b5) and b6 are reserved.
        (with_tck("3B 80 81 1F 0B"), "TA3", "RFU: reserved bit b4 (08) set"),
        (with_tck("3B 80 81 1F 13"), "TA3", "RFU: reserved bit b5 (10) set"),
        (with_tck("3B 80 81 1F 3B"), "TA3", "RFU: reserved bits b6 b5 b4 (38) set"),
        # TA2: b7 and b6 are reserved.
        (with_tck("3B 90 11 11 61"), "TA2", "RFU: reserved bits b7 b6 (60) set"),
        # TB2: PI2 is defined from 50 to 250.
        (with_tck("3B 80 20 31"), "TB2", "RFU: PI2=49 is reserved"),
        (with_tck("3B 80 20 FB"), "TB2", "RFU: PI2=251 is reserved"),
        # TC2: WI=0 is reserved.
        ("3B 80 40 00", "TC2", "RFU: WI=0 is reserved"),
        # TD: T=2 to T=13 are reserved.
        (with_tck("3B 80 05"), "TD1", "RFU: protocol T=5 is reserved"),
    ],
)
def test_reserved_bits_and_values_in_interface_bytes(atr: str, name: str, flag: str) -> None:
    interpretation = interpret(atr)
    assert flag in meaning(interpretation, name).split("; ")
    assert interpretation.rfu_flags == [f"{name}: {flag}"]


@pytest.mark.parametrize(
    "atr, name",
    [
        (with_tck("3B 80 81 41 01"), "TC3"),  # CRC
        (with_tck("3B 80 81 21 95"), "TB3"),  # BWI=9
        (with_tck("3B 80 81 1F 07"), "TA3"),  # classes A, B and C
        (with_tck("3B 90 11 11 91"), "TA2"),
        (with_tck("3B 80 20 32"), "TB2"),  # PI2=50
        (with_tck("3B 80 20 FA"), "TB2"),  # PI2=250
        ("3B 80 40 0A", "TC2"),
        (with_tck("3B 80 0E"), "TD1"),  # T=14: not ISO, but not reserved
    ],
)
def test_defined_values_raise_no_flag(atr: str, name: str) -> None:
    interpretation = interpret(atr)
    assert "RFU" not in meaning(interpretation, name)
    assert interpretation.rfu_flags == []


@pytest.mark.parametrize(
    "atr",
    [
        OPENPGP,
        BELGIAN_EID,
        "3B FD 13 00 00 81 31 FE 15 80 73 C0 21 C0 57 59 75 62 69 4B 65 79 40",
        "3B 9F 96 80 1F C7 80 31 E0 73 FE 21 1B 63 3A 20 4E 83 00 90 00 93",
    ],
)
def test_real_cards_without_reserved_bits_have_no_flags(atr: str) -> None:
    assert interpret(atr).rfu_flags == []


def test_importing_pyscards_atr_class_stays_light() -> None:
    # smartcard.ATR uses iso7816.atr_structure: the iso7816 package must not
    # load its APDU and transport modules (typing, dataclasses, re) for it.
    code = (
        "import sys; import smartcard.ATR; "
        "print(sorted(m for m in ('typing', 'dataclasses', 're', 'enum', "
        "'smartcard.iso7816.apdu', 'smartcard.iso7816.transport') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
