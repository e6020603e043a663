# SPDX-License-Identifier: LGPL-2.1-or-later
"""``pyscard doctor``: a working stack, a stopped daemon, a wrong socket path."""

from __future__ import annotations

import json
import pathlib

from smartcard.cli.doctor import CHECK_NAMES

from .conftest import REPO, run_cli


def _checks(result) -> dict:  # noqa: ANN001
    document = json.loads(result.stdout)
    return {check["name"]: check for check in document["checks"]}, document


def test_everything_working(stack_env, virtual_card, reader_names) -> None:  # noqa: ANN001
    result = run_cli("doctor", "--json", env=stack_env)
    assert result.returncode == 0, result.stdout + result.stderr
    checks, document = _checks(result)
    assert document["ok"] is True
    assert list(checks) == ["library", "socket", "service", "readers", "card"]
    assert all(check["status"] == "ok" for check in checks.values()), checks
    assert "libpcsclite" in checks["library"]["data"]["path"]
    assert checks["socket"]["data"]["path"] == stack_env["PCSCLITE_CSOCK_NAME"]
    assert checks["socket"]["data"]["origin"] == "from PCSCLITE_CSOCK_NAME"
    assert [r["name"] for r in checks["readers"]["data"]["readers"]] == list(reader_names)
    assert checks["card"]["data"]["atr"] == virtual_card.atr.hex().upper()
    assert checks["card"]["data"]["protocol"] == "T=1"


def test_text_report(stack_env, reader_names) -> None:  # noqa: ANN001
    result = run_cli("doctor", env=stack_env)
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].startswith("[ ok ] library: loaded ")
    assert any(line.startswith("[ ok ] readers: 2 readers") for line in lines)
    assert any(line.strip().startswith(reader_names[1]) for line in lines)
    assert "[info] card: no card inserted" in result.stdout
    assert lines[-1] == "PC/SC works."


def test_wrong_socket_path(pcscd) -> None:  # noqa: ANN001
    result = run_cli("doctor", "--json", env={"PCSCLITE_CSOCK_NAME": "/nonexistent"})
    assert result.returncode == 1
    checks, document = _checks(result)
    assert document["ok"] is False
    assert checks["library"]["status"] == "ok"
    socket = checks["socket"]
    assert socket["status"] == "fail"
    assert socket["summary"] == "/nonexistent (from PCSCLITE_CSOCK_NAME) does not exist"
    assert "PCSCLITE_CSOCK_NAME points to /nonexistent" in socket["fix"]
    assert checks["service"]["status"] == "fail"
    assert checks["service"]["data"]["name"] == "SCARD_E_NO_SERVICE"
    assert checks["readers"]["status"] == "skipped"
    # The names do not depend on the outcome: the skipped card check is "card" too.
    assert [check["name"] for check in document["checks"]] == list(CHECK_NAMES)
    assert checks["card"]["status"] == "skipped"


def test_the_page_documents_every_check_name() -> None:
    page = (REPO / "docs" / "cli.rst").read_text()
    section = page[page.index("``pyscard doctor`` checks") :]
    # The definition list: a term alone on its line, as ``name``.
    documented = [
        line.strip("`")
        for line in section.splitlines()
        if line.startswith("``") and line.endswith("``") and " " not in line
    ]
    assert documented[: len(CHECK_NAMES)] == list(CHECK_NAMES)


def test_daemon_stopped(own_pcscd) -> None:  # noqa: ANN001
    env = dict(own_pcscd.env)
    own_pcscd.stop()
    result = run_cli("doctor", env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    text = result.stdout
    assert (
        f"[FAIL] socket: {env['PCSCLITE_CSOCK_NAME']} (from PCSCLITE_CSOCK_NAME) does not exist"
        in text
    )
    assert "[FAIL] service: the PC/SC service (pcscd) is not reachable" in text
    assert "fix:" in text
    assert text.splitlines()[-1] == "PC/SC has a problem: see FAIL above."


def test_stale_socket_left_by_a_killed_daemon(tmp_path) -> None:  # noqa: ANN001
    """A socket file nobody listens on: what a crashed pcscd leaves behind."""
    import socket

    path = tmp_path / "pcscd.comm"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.close()  # the file stays, nobody accepts
    result = run_cli("doctor", "--json", env={"PCSCLITE_CSOCK_NAME": str(path)})
    assert result.returncode == 1
    checks, _ = _checks(result)
    assert "nobody listens" in checks["socket"]["summary"]
    assert "restart pcscd" in checks["socket"]["fix"]


def test_card_in_exclusive_use_is_a_warning_not_a_failure(
    stack_env, virtual_card, reader_names
) -> None:  # noqa: ANN001
    from smartcard import scard

    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    assert hresult == 0
    hresult, hcard, _ = scard.SCardConnect(
        context, reader_names[0], scard.SCARD_SHARE_EXCLUSIVE, scard.SCARD_PROTOCOL_T1
    )
    assert hresult == 0, scard.SCardGetErrorMessage(hresult)
    try:
        result = run_cli("doctor", "--json", env=stack_env)
    finally:
        scard.SCardDisconnect(hcard, scard.SCARD_LEAVE_CARD)
        scard.SCardReleaseContext(context)
    checks, document = _checks(result)
    assert checks["card"]["status"] == "warn"
    assert "exclusively" in checks["card"]["summary"]
    assert document["ok"] is True and result.returncode == 0


def test_every_check_uses_a_documented_name() -> None:
    import re

    from smartcard.cli import doctor_checks

    source = pathlib.Path(doctor_checks.__file__).read_text()
    used = set(re.findall(r'Check\(\s*"(\w+)"', source))
    assert used == set(CHECK_NAMES)
