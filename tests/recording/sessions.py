# SPDX-License-Identifier: LGPL-2.1-or-later
"""One application session per way of using the library, each returning what it saw.

A session talks to "the card in the first reader" exactly as an application
would, with no knowledge of whether a virtual card, a replaying card or a fake
backend answers; its return value (readers, ATR, every answer, as plain
bytes, strings and ints) is compared between the recording run and replays.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
from dataclasses import dataclass
from typing import Any, Callable, Dict, List

from smartcard.testing import DEFAULT_AID, DemoApplet
from smartcard.testing._apdu import parse_command, status

#: The PIN the sessions present; it must appear nowhere in a recording.
PIN = b"271828" + b"\xff\xff"  # ASCII digits padded with FF to 8 bytes, as PIV cards take it
WRONG_PIN = b"000000" + b"\xff\xff"

SELECT = bytes.fromhex("00A40400") + bytes((len(DEFAULT_AID),)) + DEFAULT_AID
ECHO = bytes.fromhex("8010000005") + b"hello"
GET_40_BYTES = bytes.fromhex("8020004000")
VERIFY = bytes.fromhex("0020008008") + PIN
VERIFY_WRONG = bytes.fromhex("0020008008") + WRONG_PIN
RETRIES = bytes.fromhex("00200080")  # VERIFY without data: how many tries are left
STATUS_6A82 = bytes.fromhex("80306A82")

#: ``pyscard send`` arguments: a reset between the APDUs, so that reconnecting is replayed too.
CLI_SEND = ["send", "--json", SELECT.hex(), ECHO.hex(), "reset", VERIFY.hex(), RETRIES.hex()]

Answers = Dict[str, Any]


class PinApplet(DemoApplet):
    """The demo applet plus VERIFY (``00 20 00 80``) of :data:`PIN` with three tries."""

    def __init__(self) -> None:
        super().__init__()
        self.tries = 3
        self.reset()

    def reset(self) -> None:
        self.verified = False

    def __call__(self, apdu: bytes) -> bytes:
        try:
            cmd = parse_command(apdu)
        except ValueError:
            return status(0x6700)
        if (cmd.cla, cmd.ins, cmd.p1, cmd.p2) != (0x00, 0x20, 0x00, 0x80):
            return super().__call__(apdu)
        if not cmd.data:
            return status(0x9000 if self.verified else 0x63C0 | self.tries)
        if self.tries == 0:
            return status(0x6983)
        if cmd.data == PIN:
            self.tries, self.verified = 3, True
            return status(0x9000)
        self.tries, self.verified = self.tries - 1, False
        return status(0x63C0 | self.tries)


def first_reader() -> str:
    from smartcard.System import readers

    return str(readers()[0])


# -- the sessions -----------------------------------------------------------


def framework_session() -> Answers:
    """pyscard's framework: readers(), createConnection, connect, transmit, getATR."""
    from smartcard.System import readers

    listed = readers()
    connection = listed[0].createConnection()
    connection.connect()
    answers = []
    for apdu in (SELECT, ECHO, GET_40_BYTES, VERIFY_WRONG, RETRIES, VERIFY, RETRIES, STATUS_6A82):
        data, sw1, sw2 = connection.transmit(list(apdu))
        answers.append(bytes(data) + bytes((sw1, sw2)))
    seen: Answers = {
        "readers": [str(reader) for reader in listed],
        "atr": bytes(connection.getATR()),
        "protocol": connection.getProtocol(),
        "answers": answers,
    }
    connection.disconnect()
    return seen


def new_api_session() -> Answers:
    """smartcard.connecting.connect on a T=0 card: GET RESPONSE chaining by the transport."""
    from smartcard.connecting import connect

    with connect(first_reader()) as card:
        answers = [card.send(0x00, 0xA4, 0x04, 0x00, DEFAULT_AID)]
        with card.transaction():
            answers.append(card.send(0x80, 0x10, 0x00, 0x00, b"hello"))
            answers.append(card.send(0x80, 0x20, 0x01, 0x00, le=0))
            answers.append(card.transmit(VERIFY))
        answers.append(card.transmit(RETRIES))
        return {
            "atr": card.atr,
            "protocol": card.protocol.name,
            "answers": [bytes(r.data) + r.sw.to_bytes(2, "big") for r in answers],
        }


def asyncio_session() -> Answers:
    """smartcard.aio: wait for the card, then talk to it from a coroutine."""
    from smartcard import aio

    async def main() -> Answers:
        found = await aio.wait_for_card(timeout=10)
        async with aio.connect(found.reader) as card:
            answers = [await card.transmit(SELECT)]
            async with card.transaction():
                answers.append(await card.transmit(ECHO))
                answers.append(await card.transmit(VERIFY))
            answers.append(await card.transmit(RETRIES))
        return {
            "found": (found.reader, bytes(found.atr)),
            "atr": card.atr,
            "answers": [bytes(r.data) + r.sw.to_bytes(2, "big") for r in answers],
        }

    return asyncio.run(main())


def cli_send_session() -> Answers:
    """``pyscard send --json`` in-process: its whole output document is the answer."""
    from smartcard.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(CLI_SEND)
    return {"exit": code, "output": json.loads(out.getvalue())}


def fido2_session() -> Answers:
    """python-fido2's PC/SC path: list_devices, CTAP2 GetInfo, CTAP1 VERSION, ATR."""
    from fido2.ctap1 import Ctap1
    from fido2.ctap2 import Ctap2
    from fido2.hid import CTAPHID
    from fido2.pcsc import CtapPcscDevice

    seen: List[Answers] = []
    for device in CtapPcscDevice.list_devices():
        info = Ctap2(device).info
        seen.append(
            {
                "device": repr(device),
                "capabilities": int(device.capabilities),
                "atr": device.get_atr(),
                "versions": info.versions,
                "aaguid": bytes(info.aaguid),
                "options": dict(info.options),
                "get_info": device.call(CTAPHID.CBOR, b"\x04"),
                "u2f_version": Ctap1(device).get_version(),
            }
        )
        device.close(release=True)  # disconnect and release the context, as apps that poll do
    return {"devices": seen}


@dataclass(frozen=True)
class Session:
    """A session, the virtual card it is recorded against, and what its answers must say."""

    name: str
    run: Callable[[], Answers]
    card: Callable[[], Dict[str, Any]]
    check: Callable[[Answers], None]


def _pin_card() -> Dict[str, Any]:
    return {"handler": PinApplet()}


def _t0_pin_card() -> Dict[str, Any]:
    return {"handler": PinApplet(), "t0_get_response": True}


def _ctap_card() -> Dict[str, Any]:
    from .ctap_applet import CtapApplet

    return {"handler": CtapApplet()}


# -- what the recorded (live) run must have seen: a replay that matches a
# broken session would prove nothing ------------------------------------------

_OK = status(0x9000)


def _check_framework(seen: Answers) -> None:
    from smartcard.testing import ATR_T1
    from smartcard.testing.applet import pattern

    assert seen["atr"] == ATR_T1
    assert seen["answers"] == [_OK, b"hello" + _OK, pattern(0x40) + _OK, status(0x63C2),
                               status(0x63C2), _OK, _OK, status(0x6A82)]  # fmt: skip


def _check_new_api(seen: Answers) -> None:
    from smartcard.testing import ATR_T0
    from smartcard.testing.applet import pattern

    assert (seen["atr"], seen["protocol"]) == (ATR_T0, "T0")
    assert seen["answers"] == [_OK, b"hello" + _OK, pattern(256) + _OK, _OK, _OK]


def _check_asyncio(seen: Answers) -> None:
    assert seen["found"][1] == seen["atr"]
    assert seen["answers"] == [_OK, b"hello" + _OK, _OK, _OK]


def _check_cli(seen: Answers) -> None:
    steps = seen["output"]["steps"]
    assert seen["exit"] == 0
    assert [step["kind"] for step in steps] == ["apdu", "apdu", "reset", "apdu", "apdu"]
    assert [step.get("sw") for step in steps] == ["9000", "9000", None, "9000", "9000"]


def _check_fido2(seen: Answers) -> None:
    from fido2.hid import CAPABILITY

    from .ctap_applet import AAGUID

    (device,) = seen["devices"]  # the empty second reader is no device
    assert device["capabilities"] == CAPABILITY.CBOR | CAPABILITY.NMSG
    assert device["versions"] == ["U2F_V2", "FIDO_2_0", "FIDO_2_1"]
    assert device["aaguid"] == AAGUID
    assert device["u2f_version"] == "U2F_V2"


SESSIONS = [
    Session("framework", framework_session, _pin_card, _check_framework),
    Session("new_api", new_api_session, _t0_pin_card, _check_new_api),
    Session("asyncio", asyncio_session, _pin_card, _check_asyncio),
    Session("cli_send", cli_send_session, _pin_card, _check_cli),
    Session("fido2", fido2_session, _ctap_card, _check_fido2),
]


def record_session(name: str, path: str) -> None:
    """Record session ``name`` against its virtual card in a private pcscd of its own."""
    import os

    from smartcard.recording import record
    from smartcard.testing import PrivatePCSCD, VirtualCard

    session = next(s for s in SESSIONS if s.name == name)
    with PrivatePCSCD() as daemon:
        os.environ.update(daemon.env)  # before this process's first PC/SC call
        daemon.insert_card(0, VirtualCard(**session.card()))
        with record(path):
            session.check(session.run())


if __name__ == "__main__":
    # Makes the committed recordings again: cd tests && python -m recording.sessions NAME PATH
    import sys

    record_session(sys.argv[1], sys.argv[2])
