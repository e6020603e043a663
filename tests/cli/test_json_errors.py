# SPDX-License-Identifier: LGPL-2.1-or-later
"""Failures under --json: one JSON object on stdout, the same exit status, one line on stderr."""

from __future__ import annotations

import json
import subprocess
from typing import Any, Dict

from smartcard.testing import DemoApplet

from .conftest import assert_one_line_error, run_cli
from .test_send import SELECT

NO_SERVICE = {"PCSCLITE_CSOCK_NAME": "/nonexistent/pcscd.comm"}


def _error(result: subprocess.CompletedProcess) -> Dict[str, Any]:
    """The error object, checking that stdout holds exactly one JSON document."""
    document = json.loads(result.stdout)
    assert set(document) == {"error"}, document
    assert set(document["error"]) == {"code", "hresult", "message", "hint"}
    # The message on stdout is the line on stderr.
    assert result.stderr.strip().endswith(document["error"]["message"])
    return document["error"]


def test_service_down_under_json_names_the_pcsc_code() -> None:
    for command in (["readers"], ["send", "00A4040000"], ["atr"], ["scan", "--once"]):
        result = run_cli(*command, "--json", env=NO_SERVICE)
        assert_one_line_error(result, 1, "SCARD_E_NO_SERVICE")
        error = _error(result)
        assert error["code"] == "SCARD_E_NO_SERVICE", command
        assert error["hresult"] == "0x8010001D"
        assert error["hint"]  # the table's fix, for scripts that show it


def test_without_json_stdout_stays_empty() -> None:
    result = run_cli("readers", env=NO_SERVICE)
    assert_one_line_error(result, 1, "SCARD_E_NO_SERVICE")
    assert result.stdout == ""


def test_service_down_is_one_sentence_pointing_to_doctor() -> None:
    result = run_cli("readers", env=NO_SERVICE)
    line = result.stderr.strip()
    assert line.endswith("(SCARD_E_NO_SERVICE); run 'pyscard doctor'"), line
    assert "systemctl" not in line  # wrong on macOS and Windows, and doctor knows better
    assert "PCSCLITE_CSOCK_NAME=/nonexistent/pcscd.comm" in line  # the setting that sent it there
    assert len(line) < 200, len(line)


def test_usage_errors_under_json() -> None:
    bad_hex = run_cli("atr", "--json", "3B", "8")
    assert_one_line_error(bad_hex, 2, "odd number of hex digits")
    assert _error(bad_hex)["code"] == "usage"
    assert _error(bad_hex)["hresult"] is None
    # Rejected by argparse, and with the option abbreviated as argparse allows.
    bad_option = run_cli("readers", "--js", "--no-such-option")
    assert_one_line_error(bad_option, 2, "--no-such-option")
    assert _error(bad_option)["code"] == "usage"


def test_send_keeps_one_document_with_the_error_inside(stack_env, virtual_card_factory) -> None:  # noqa: ANN001
    """A failure midway: send's own document carries the error object; nothing is added."""
    applet = DemoApplet()
    holder = {}

    def vanishing(apdu: bytes) -> bytes:
        if apdu[:2] == b"\x80\xee":
            holder["card"].remove()  # pulled out while answering this APDU
        return applet(apdu)

    holder["card"] = virtual_card_factory(handler=vanishing)
    result = run_cli("send", "--json", SELECT, "80EE0000", env=stack_env)
    assert_one_line_error(result, 1, "argument 2")
    document = json.loads(result.stdout)  # one document: a second would not parse
    assert [step["sw"] for step in document["steps"]] == ["9000"]
    assert set(document["error"]) == {"code", "hresult", "message", "hint"}
    assert result.stderr.strip().endswith(document["error"]["message"])
