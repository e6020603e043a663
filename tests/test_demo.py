# SPDX-License-Identifier: LGPL-2.1-or-later
"""``python -m smartcard.testing.demo`` sends nothing to a card it did not create, unless asked.

The "system" PC/SC service of the demo is the session's private pcscd
(``PCSCLITE_CSOCK_NAME``), holding a card that records what it receives.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import List

from smartcard.testing import DemoApplet

TIMEOUT = 120.0


def _demo(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "smartcard.testing.demo", *args],
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,  # not a terminal: no prompt
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def test_a_real_card_gets_no_apdu_without_the_flag(pcscd, virtual_card_factory) -> None:  # noqa: ANN001
    received: List[bytes] = []
    applet = DemoApplet()

    def recording(apdu: bytes) -> bytes:
        received.append(apdu)
        return applet(apdu)

    card = virtual_card_factory(handler=recording)
    result = _demo(pcscd.env)
    assert result.returncode == 0, result.stderr
    atr = card.atr.hex(" ").upper()
    first = result.stdout.splitlines()[0]
    assert first == (
        f"A real card was found on the system's PC/SC service: {pcscd.reader_names[0]!r}, "
        f"ATR {atr}."
    )
    assert "It is sent nothing" in result.stdout
    assert received == []  # not one APDU reached the user's card
    # The demonstration itself ran, with the virtual card of a private daemon.
    assert "(ECHO 'hello')" in result.stdout

    result = _demo(pcscd.env, "--real-card")
    assert result.returncode == 0, result.stderr
    assert "Using the system's PC/SC service and that card." in result.stdout
    assert [apdu[:2] for apdu in received] == [b"\x00\xa4", b"\x80\xca"]
