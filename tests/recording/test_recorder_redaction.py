# SPDX-License-Identifier: LGPL-2.1-or-later
"""What a recording must not hold: PINs (ISO 7816-4 commands, PC/SC part 10 control
codes) and what redaction hooks mask; and that the card still gets the real bytes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

from smartcard import recording
from smartcard._pcsc.redaction import DEFAULT_RULES, Exchange, Redaction, Redactor
from smartcard.connecting import connect
from smartcard.Exceptions import CardConnectionException
from smartcard.System import readers
from smartcard.testing import FakeBackend, FakeCard

READER = "Fake Reader 00 00"
ATR = "3B 80 01 81"  # T=1
PIN = b"735190"
NEW_PIN = b"482916"
PUK = b"61830427"
MASK6 = " ".join(["**"] * 6)

GET_FEATURE_REQUEST = 0x42000D48  # SCARD_CTL_CODE(3400) on pcsc-lite
VERIFY_PIN_DIRECT = 0x42330006
MODIFY_PIN_DIRECT = 0x42330007
GET_TLV_PROPERTIES = 0x42330012
# GET_FEATURE_REQUEST's answer: tag, length 4, control code (big-endian).
FEATURES = bytes.fromhex("06 04 42330006  07 04 42330007  12 04 42330012")


def hex_text(data: bytes) -> str:
    return data.hex(" ").upper()


@pytest.fixture
def fake(fake_pcsc: FakeBackend) -> FakeBackend:
    fake_pcsc.add_reader(
        READER,
        FakeCard(ATR),  # answers 90 00 to everything
        controls={
            GET_FEATURE_REQUEST: FEATURES,
            VERIFY_PIN_DIRECT: b"\x90\x00",
            MODIFY_PIN_DIRECT: b"\x90\x00",
            GET_TLV_PROPERTIES: b"\x01\x02\x00\x00",
        },
    )
    return fake_pcsc


def events(path: Path) -> List[Dict[str, Any]]:
    header, *rest = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())
    return [{k: v for k, v in event.items() if k != "t"} for event in rest]


def header(path: Path) -> Dict[str, Any]:
    first: Dict[str, Any] = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    return first


def assert_absent(path: Path, *secrets: bytes) -> None:
    """No secret in the file: as hex (spaced or not, any case), as text, or 3 bytes of it."""
    text = path.read_text(encoding="utf-8")
    for secret in secrets:
        assert secret.decode("ascii") not in text
        for start in range(len(secret) - 2):
            part = secret[start : start + 3]
            for form in (part.hex(" ").upper(), part.hex().upper(), part.hex()):
                assert form not in text, f"{part!r} of a secret is in the recording"


def transmit_all(commands: List[bytes]) -> List[bytes]:
    with connect(READER) as card:
        return [card.exchange(command) for command in commands]


# -- ISO 7816-4 PIN commands -------------------------------------------------------------


VERIFY = b"\x00\x20\x00\x81\x06" + PIN


@pytest.mark.parametrize(
    ("command", "written", "reason"),
    [
        # VERIFY, short Lc
        (VERIFY, "00 20 00 81 06 " + MASK6, "VERIFY"),
        # VERIFY with Le (case 4): the Le too (it could be a PIN byte after a short Lc)
        (VERIFY + b"\x00", "00 20 00 81 06 " + MASK6 + " **", "VERIFY"),
        # VERIFY in a proprietary class
        (b"\x80\x20\x00\x01\x06" + PIN, "80 20 00 01 06 " + MASK6, "VERIFY"),
        # CHANGE REFERENCE DATA, extended Lc: old and new PIN
        (
            b"\x00\x24\x00\x81\x00\x00\x0c" + PIN + NEW_PIN,
            "00 24 00 81 00 ** ** " + MASK6 + " " + MASK6,
            "CHANGE REFERENCE DATA",
        ),
        # RESET RETRY COUNTER, short Lc: PUK and new PIN
        (
            b"\x00\x2c\x00\x81\x0e" + PUK + NEW_PIN,
            "00 2C 00 81 0E " + " ".join(["**"] * 14),
            "RESET RETRY COUNTER",
        ),
        # VERIFY, odd INS (the PIN in a BER-TLV data object)
        (
            b"\x00\x21\x00\x81\x09\x5f\x2f\x06" + PIN,
            "00 21 00 81 09 " + " ".join(["**"] * 9),
            "VERIFY",
        ),
        # DISABLE and ENABLE VERIFICATION REQUIREMENT (GSM's DISABLE/ENABLE CHV)
        (
            b"\xa0\x26\x00\x01\x06" + PIN,
            "A0 26 00 01 06 " + MASK6,
            "DISABLE VERIFICATION REQUIREMENT",
        ),
        (
            b"\xa0\x28\x00\x01\x06" + PIN,
            "A0 28 00 01 06 " + MASK6,
            "ENABLE VERIFICATION REQUIREMENT",
        ),
        # VERIFY, extended Lc and Le
        (
            b"\x00\x20\x00\x81\x00\x00\x06" + PIN + b"\x00\x00",
            "00 20 00 81 00 ** ** " + MASK6 + " ** **",
            "VERIFY",
        ),
    ],
)
def test_pin_commands_are_masked_same_length(
    fake: FakeBackend, tmp_path: Path, command: bytes, written: str, reason: str
) -> None:
    path = tmp_path / "session.jsonl"
    with recording.record(path):
        transmit_all([command])
    (transmit,) = [e for e in events(path) if e["event"] == "transmit"]
    assert transmit == {
        "event": "transmit",
        "card": 1,
        "command": written,
        "response": "90 00",
        "redacted": f"{reason} command data",
    }
    assert len(written.split()) == len(command)
    assert header(path)["redaction"] == list(DEFAULT_RULES)
    assert_absent(path, PIN, NEW_PIN, PUK)
    # The card got the real command: only the file is masked.
    card = fake.card(READER)
    assert card is not None and card.apdus == [command]


@pytest.mark.parametrize(
    "command",
    [
        b"\x00\x20\x00\x81\x02" + PIN,  # Lc shorter than the data
        b"\x00\x20\x00\x81\x05" + PIN,  # Lc one short: the last PIN byte looks like an Le
        b"\x00\x20\x00\x81\x00" + PIN,  # Lc 00 followed by data
        b"\x00\x20\x00\x81\x00\x00\x02" + PIN,  # extended Lc shorter than the data
        b"\x00\x20\x00\x81\x00\x00\x00" + PIN,  # extended Lc 0 followed by data
        b"\x00\x20\x00\x81\x00" + PIN[:1],  # one byte after Lc 00
    ],
)
def test_malformed_pin_commands_are_masked_after_the_header(
    fake: FakeBackend, tmp_path: Path, command: bytes
) -> None:
    # Regression: only the data field the length bytes announce was masked, so
    # an application's wrong Lc wrote the rest of its PIN into the file.
    path = tmp_path / "session.jsonl"
    with recording.record(path):
        transmit_all([command])
    (transmit,) = [e for e in events(path) if e["event"] == "transmit"]
    written = transmit["command"].split()
    assert len(written) == len(command)
    assert written[:4] == ["00", "20", "00", "81"]
    assert set(written[5:]) == {"**"} and transmit["redacted"] == "VERIFY command data"
    if len(command) > 6:
        assert_absent(path, PIN)


def test_commands_without_pin_data_are_written_as_they_are(
    fake: FakeBackend, tmp_path: Path
) -> None:
    path = tmp_path / "session.jsonl"
    commands = [
        b"\x00\x20\x00\x81",  # VERIFY without data: asks the retry counter
        b"\x00\x20\x00\x81\x00",  # ... with Le
        b"\x00\x20\x00\x81\x00\x00\x00",  # ... with extended Le
        b"\x00\xa4\x04\x00\x06" + PIN,  # other instructions are not masked
    ]
    with recording.record(path):
        transmit_all(commands)
    transmits = [e for e in events(path) if e["event"] == "transmit"]
    assert [e["command"] for e in transmits] == [hex_text(c) for c in commands]
    assert all("redacted" not in e for e in transmits)


def test_pins_are_masked_through_every_api(fake: FakeBackend, tmp_path: Path) -> None:
    path = tmp_path / "session.jsonl"
    with recording.record(path):
        connection = readers()[0].createConnection()
        connection.connect()
        connection.transmit(list(VERIFY))
        connection.release()
        with connect(READER) as card:
            card.transmit(VERIFY)  # bytes: the extension's SCardTransmitBytes
            card.transmit(bytearray(VERIFY))
            card.transmit(memoryview(VERIFY))
            card.send(0x00, 0x24, 0x00, 0x81, PIN + NEW_PIN)
            card.send(0x00, 0x2C, 0x00, 0x81, PUK + NEW_PIN, le=0)
    transmits = [e for e in events(path) if e["event"] == "transmit"]
    assert len(transmits) == 6 and all("**" in e["command"] for e in transmits)
    assert_absent(path, PIN, NEW_PIN, PUK)


def test_a_failed_pin_command_is_masked_too(fake: FakeBackend, tmp_path: Path) -> None:
    path = tmp_path / "session.jsonl"
    with recording.record(path):
        with connect(READER) as card:
            fake.fail_next("SCardTransmit", "SCARD_W_REMOVED_CARD")
            with pytest.raises(CardConnectionException):
                card.transmit(VERIFY)
    (transmit,) = [e for e in events(path) if e["event"] == "transmit"]
    assert transmit["command"] == "00 20 00 81 06 " + MASK6
    assert transmit["error"] == "SCARD_W_REMOVED_CARD" and "response" not in transmit
    assert_absent(path, PIN)


# -- PC/SC part 10 ------------------------------------------------------------------------


def test_part10_pin_control_codes_learnt_from_get_feature_request(
    fake: FakeBackend, tmp_path: Path
) -> None:
    verify_structure = bytes(15) + b"\x06\x00\x00\x00" + VERIFY  # the APDU at the end
    modify_structure = bytes(20) + b"\x00\x24\x00\x81\x0c" + PIN + NEW_PIN
    path = tmp_path / "session.jsonl"
    with recording.record(path):
        with connect(READER) as card:
            assert card.control(GET_FEATURE_REQUEST) == FEATURES
            assert card.control(VERIFY_PIN_DIRECT, verify_structure) == b"\x90\x00"
            assert card.control(MODIFY_PIN_DIRECT, modify_structure) == b"\x90\x00"
            card.control(GET_TLV_PROPERTIES, b"\x01")  # a feature without PIN: as it is
    controls = [e for e in events(path) if e["event"] == "control"]
    assert controls == [
        {"event": "control", "card": 1, "code": f"0x{GET_FEATURE_REQUEST:08X}", "data": "",
         "response": hex_text(FEATURES)},
        {"event": "control", "card": 1, "code": f"0x{VERIFY_PIN_DIRECT:08X}",
         "data": " ".join(["**"] * len(verify_structure)), "response": "90 00",
         "redacted": "VERIFY_PIN_DIRECT control data"},
        {"event": "control", "card": 1, "code": f"0x{MODIFY_PIN_DIRECT:08X}",
         "data": " ".join(["**"] * len(modify_structure)), "response": "90 00",
         "redacted": "MODIFY_PIN_DIRECT control data"},
        {"event": "control", "card": 1, "code": f"0x{GET_TLV_PROPERTIES:08X}", "data": "01",
         "response": "01 02 00 00"},
    ]  # fmt: skip
    assert_absent(path, PIN, NEW_PIN)


def test_the_ccid_drivers_pin_codes_are_masked_without_get_feature_request() -> None:
    # Applications may use pcsc-lite's CCID codes without asking the reader first.
    redactor = Redactor()
    (rule,) = redactor.redact(Exchange("control", PIN, b"\x90\x00", VERIFY_PIN_DIRECT))
    assert rule == Redaction.of("VERIFY_PIN_DIRECT control data", command=range(6))
    assert redactor.redact(Exchange("control", PIN, b"", GET_TLV_PROPERTIES)) == []


def test_part10_codes_on_windows_are_learnt_too() -> None:
    windows_get_feature_request = (0x31 << 16) | (3400 << 2)  # SCARD_CTL_CODE on Windows
    verify_pin_direct = 0x00313520 + 0x18  # whatever the reader names
    features = b"\x06\x04" + verify_pin_direct.to_bytes(4, "big")
    redactor = Redactor()
    assert redactor.redact(Exchange("control", PIN, b"", verify_pin_direct)) == []
    assert redactor.redact(Exchange("control", b"", features, windows_get_feature_request)) == []
    (rule,) = redactor.redact(Exchange("control", PIN, b"\x90\x00", verify_pin_direct))
    assert rule == Redaction.of("VERIFY_PIN_DIRECT control data", command=range(6))


# -- hooks ----------------------------------------------------------------------------------


def serial_number(exchange: Exchange) -> Redaction | None:
    """Masks the answer of GET DATA (CA) but its status word."""
    if exchange.kind == "transmit" and exchange.command[1:2] == b"\xca":
        return Redaction.of("card serial number", response=range(len(exchange.response) - 2))
    return None


def test_a_hook_masks_response_bytes(fake_pcsc: FakeBackend, tmp_path: Path) -> None:
    fake_pcsc.add_reader(READER, FakeCard(ATR, {"00 CA 00 5A 00": "12 34 56 78 90 00"}))
    path = tmp_path / "session.jsonl"
    with recording.record(path, redact=serial_number):
        with connect(READER) as card:
            assert card.transmit(bytes.fromhex("00 CA 00 5A 00")).data == bytes.fromhex("12345678")
    rule = f"hook {__name__}.serial_number"
    assert header(path)["redaction"] == [*DEFAULT_RULES, rule]
    (transmit,) = [e for e in events(path) if e["event"] == "transmit"]
    assert transmit == {
        "event": "transmit",
        "card": 1,
        "command": "00 CA 00 5A 00",
        "response": "** ** ** ** 90 00",
        "redacted": "card serial number",
    }
    assert "12 34 56 78" not in path.read_text(encoding="utf-8")
    assert recording.read(path).redaction == [*DEFAULT_RULES, rule]


def test_hooks_see_the_real_bytes_and_their_reasons_add_up(
    fake: FakeBackend, tmp_path: Path
) -> None:
    seen: List[Exchange] = []

    def spy(exchange: Exchange) -> None:
        seen.append(exchange)

    def first_byte(exchange: Exchange) -> Redaction:
        return Redaction.of("class byte", command=[0])

    path = tmp_path / "session.jsonl"
    with recording.record(path, redact=[spy, first_byte]):
        with connect(READER) as card:
            card.transmit(VERIFY)
            card.control(GET_TLV_PROPERTIES, b"\x01")
            fake.fail_next("SCardTransmit", "SCARD_F_COMM_ERROR")
            with pytest.raises(CardConnectionException):
                card.transmit(b"\x00\xb0\x00\x00\x02")
    assert seen == [
        Exchange("transmit", VERIFY, b"\x90\x00"),
        Exchange("control", b"\x01", b"\x01\x02\x00\x00", GET_TLV_PROPERTIES),
        Exchange("transmit", b"\x00\xb0\x00\x00\x02", b""),  # failed: no response
    ]
    exchanges = [e for e in events(path) if e["event"] in ("transmit", "control")]
    assert exchanges[0]["command"] == "** 20 00 81 06 " + MASK6
    assert exchanges[0]["redacted"] == "VERIFY command data; class byte"
    assert exchanges[1]["data"] == "**" and exchanges[1]["redacted"] == "class byte"
    assert exchanges[2]["command"] == "** B0 00 00 02"
    assert header(path)["redaction"][-2:] == [
        f"hook {__name__}.{spy.__qualname__}",
        f"hook {__name__}.{first_byte.__qualname__}",
    ]


def test_a_hook_returning_something_else_raises_type_error(
    fake: FakeBackend, tmp_path: Path
) -> None:
    def wrong(exchange: Exchange) -> Any:
        return "secret"

    path = tmp_path / "session.jsonl"
    with recording.record(path, redact=wrong):
        with connect(READER) as card:
            with pytest.raises(TypeError, match="returns a Redaction or None, not str"):
                card.transmit(b"\x00\xb0\x00\x00\x02")
    assert [e["event"] for e in events(path)].count("transmit") == 0
    recording.read(path)  # still a whole file


def test_redact_pins_false_keeps_pins(fake: FakeBackend, tmp_path: Path) -> None:
    path = tmp_path / "session.jsonl"
    with recording.record(path, redact_pins=False):
        with connect(READER) as card:
            card.transmit(VERIFY)
            card.control(GET_FEATURE_REQUEST)
            card.control(VERIFY_PIN_DIRECT, PIN)
    assert header(path)["redaction"] == []
    exchanges = [e for e in events(path) if e["event"] in ("transmit", "control")]
    assert exchanges[0]["command"] == hex_text(VERIFY)
    assert exchanges[2]["data"] == hex_text(PIN)
    assert all("redacted" not in e for e in exchanges)


def test_redact_pins_false_with_a_hook_lists_only_the_hook(
    fake: FakeBackend, tmp_path: Path
) -> None:
    path = tmp_path / "session.jsonl"
    with recording.record(path, redact=serial_number, redact_pins=False):
        transmit_all([VERIFY])
    assert header(path)["redaction"] == [f"hook {__name__}.serial_number"]
    assert hex_text(PIN) in path.read_text(encoding="utf-8")
