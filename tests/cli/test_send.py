# SPDX-License-Identifier: LGPL-2.1-or-later
"""``pyscard send``: APDUs from arguments, files and standard input, against a virtual card."""

from __future__ import annotations

import json
import threading

import pytest

from smartcard.testing import DEFAULT_AID, DemoApplet

from .conftest import assert_one_line_error, run_cli

SELECT = "00A40400" + f"{len(DEFAULT_AID):02X}" + DEFAULT_AID.hex().upper()
ECHO_HELLO = "80 10 00 00 05 68 65 6C 6C 6F"

SCRIPT = f"""\
# select the demo applet, then echo, then an unknown instruction
{SELECT}
80 10 00 00 \\
   05 68 65 6C 6C 6F   # continued line, with a comment
reset
80 7F 00 00
exit
80 10 00 00 01 FF
"""


def test_apdus_as_arguments(stack_env, virtual_card) -> None:  # noqa: ANN001
    result = run_cli("send", SELECT, ECHO_HELLO, "80300000", env=stack_env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == f"ATR: {virtual_card.atr.hex(' ').upper()} (T=1)"
    assert lines[2:] == [
        f"> {bytes.fromhex(SELECT).hex(' ').upper()}",
        "< 90 00 : Success, normal processing",
        "> 80 10 00 00 05 68 65 6C 6C 6F",
        "< 68 65 6C 6C 6F 90 00 : Success, normal processing",
        "> 80 30 00 00",
        "< 00 00 : Not a valid ISO 7816-4 status word",
    ]
    assert virtual_card.apdus == [bytes.fromhex(a) for a in (SELECT, ECHO_HELLO, "80300000")]


def test_script_file_in_scriptor_format(stack_env, virtual_card, tmp_path, reader_names) -> None:  # noqa: ANN001
    script = tmp_path / "demo.apdu"
    script.write_text(SCRIPT)
    result = run_cli("send", "--json", "--file", str(script), env=stack_env)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["reader"] == reader_names[0]
    assert document["error"] is None
    steps = document["steps"]
    assert [(s["kind"], s["line"]) for s in steps] == [
        ("apdu", 2),
        ("apdu", 3),
        ("reset", 5),
        ("apdu", 6),
    ]
    assert steps[1]["data"] == "68656C6C6F" and steps[1]["sw"] == "9000"
    assert steps[2]["atr"] == virtual_card.atr.hex().upper()
    assert steps[3]["sw"] == "6D00"
    assert steps[3]["meaning"] == "Instruction code not supported or invalid"
    # 'exit' stopped the script: the last line was never sent.
    assert virtual_card.apdus[-1] == bytes.fromhex("807F0000")


def test_script_from_standard_input(stack_env, virtual_card) -> None:  # noqa: ANN001
    result = run_cli("send", "--json", env=stack_env, input=f"{SELECT}\n{ECHO_HELLO}\n")
    assert result.returncode == 0, result.stderr
    assert [s["sw"] for s in json.loads(result.stdout)["steps"]] == ["9000", "9000"]


def test_a_bad_line_stops_the_script_before_anything_is_sent(
    stack_env,
    virtual_card,
    tmp_path,  # noqa: ANN001
) -> None:
    script = tmp_path / "bad.apdu"
    script.write_text(f"{SELECT}\n80 10 00 00 0\n")
    result = run_cli("send", "-f", str(script), env=stack_env)
    assert_one_line_error(result, 2, "line 2", "odd number of hex digits")
    assert virtual_card.apdus == []


@pytest.mark.parametrize(
    "apdu, fragment",
    [("00A4040", "odd number"), ("00A4G400", "'G' at digit 5"), ("00A4", "at least 4")],
)
def test_bad_apdu_arguments(stack_env, virtual_card, apdu, fragment) -> None:  # noqa: ANN001
    assert_one_line_error(run_cli("send", apdu, env=stack_env), 2, fragment)


def test_missing_file_is_a_usage_error(stack_env) -> None:  # noqa: ANN001
    assert_one_line_error(run_cli("send", "-f", "/nonexistent.apdu", env=stack_env), 2)


def test_get_response_and_wrong_le_are_followed_on_request(stack_env, virtual_card_factory) -> None:  # noqa: ANN001
    card = virtual_card_factory(t0_get_response=True, t0_wrong_le=True)
    get_bytes = "80 20 00 10"  # 16 bytes, Le absent: a T=0 card answers 61 10
    raw = run_cli("send", "--json", get_bytes, env=stack_env)
    assert json.loads(raw.stdout)["steps"][0]["sw"] == "6110"
    followed = run_cli("send", "--json", "--get-response", get_bytes, env=stack_env)
    step = json.loads(followed.stdout)["steps"][0]
    assert step["sw"] == "9000"
    assert step["data"] == bytes(range(16)).hex().upper()
    assert [e["command"] for e in step["exchanges"]] == ["80200010", "00C0000010"]
    text = run_cli("send", "-g", get_bytes, env=stack_env).stdout
    assert "(automatic: > 00 C0 00 00 10" in text
    assert card.apdus[-1] == bytes.fromhex("00C0000010")


def test_exclusive_mode_keeps_others_out(stack_env, virtual_card_factory) -> None:  # noqa: ANN001
    """While our exclusive connection is held, a second connection is refused."""
    release = threading.Event()
    entered = threading.Event()
    applet = DemoApplet()

    def slow(apdu: bytes) -> bytes:
        if apdu[:2] == b"\x80\x30":
            entered.set()
            release.wait(10)
        return applet(apdu)

    virtual_card_factory(handler=slow)
    outcome = {}

    def exclusive_send() -> None:
        outcome["result"] = run_cli("send", "--exclusive", "80309000", env=stack_env)

    worker = threading.Thread(target=exclusive_send)
    worker.start()
    try:
        assert entered.wait(15), "the exclusive send never reached the card"
        other = run_cli("send", "80309000", env=stack_env)
        assert_one_line_error(other, 1, "SCARD_E_SHARING_VIOLATION")
    finally:
        release.set()
        worker.join(30)
    assert outcome["result"].returncode == 0, outcome["result"].stderr


def test_transaction_around_the_script(stack_env, virtual_card) -> None:  # noqa: ANN001
    result = run_cli("send", "--json", "--transaction", SELECT, "reset", ECHO_HELLO, env=stack_env)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["transaction"] is True
    assert [s["kind"] for s in document["steps"]] == ["apdu", "reset", "apdu"]


def test_no_card_in_the_chosen_reader(stack_env, reader_names) -> None:  # noqa: ANN001
    result = run_cli("send", "--reader", reader_names[1], SELECT, env=stack_env)
    assert_one_line_error(result, 1, f"no card in {reader_names[1]!r}")


def test_no_card_anywhere(stack_env) -> None:  # noqa: ANN001
    assert_one_line_error(run_cli("send", SELECT, env=stack_env), 1, "no card in any reader")


def test_card_removed_mid_script(stack_env, virtual_card_factory) -> None:  # noqa: ANN001
    applet = DemoApplet()
    holder = {}

    def vanishing(apdu: bytes) -> bytes:
        if apdu[:2] == b"\x80\xee":
            holder["card"].remove()  # pulled out while answering this APDU
        return applet(apdu)

    holder["card"] = virtual_card_factory(handler=vanishing)
    result = run_cli("send", SELECT, "80EE0000", ECHO_HELLO, env=stack_env)
    assert_one_line_error(result, 1, "argument")
    assert "< 90 00" in result.stdout  # the first APDU's answer was shown before the failure


def test_daemon_down(own_pcscd) -> None:  # noqa: ANN001
    env = dict(own_pcscd.env)
    own_pcscd.stop()
    assert_one_line_error(run_cli("send", SELECT, env=env), 1, "SCARD_E_NO_SERVICE")
