# SPDX-License-Identifier: LGPL-2.1-or-later
"""``pyscard doctor``: check the PC/SC setup, say what is wrong and how to fix it."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from smartcard.cli.errors import EXIT_FAILURE, EXIT_OK

if TYPE_CHECKING:
    from smartcard.cli.doctor_checks import Check
    from smartcard.cli.output import Style

SUMMARY = "check the PC/SC setup and say what is wrong and how to fix it"
DESCRIPTION = """\
Check, in order: the PC/SC client library (which file, which package), the
pcscd socket (path, PCSCLITE_CSOCK_NAME, permissions), the service
(establishing a context; SCARD_E_SERVICE_STOPPED and polkit refusals
explained), the readers and their drivers, and whether inserted cards
answer. Each problem comes with its likely cause and fix."""
EPILOG = """\
examples:
  pyscard doctor
  pyscard doctor --json
  PCSCLITE_CSOCK_NAME=/run/pcscd/pcscd.comm pyscard doctor

exit status: 0 when nothing failed (warnings allowed), 1 when a check failed.
"""

#: The names of the checks, in order; stable whatever a check finds (the JSON's "name").
#: "card" appears once per inserted card, or once when there is none to check.
CHECK_NAMES = ("library", "socket", "service", "readers", "card")

_MARKS = {"ok": " ok ", "info": "info", "warn": "warn", "fail": "FAIL", "skipped": "skip"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """doctor has no options besides --json."""


def run_checks() -> list[Check]:
    """Every check, in dependency order."""
    from smartcard.cli import doctor_checks as checks

    found = checks.Findings()
    try:
        results = [checks.check_library(found)]
        if sys.platform not in ("win32", "darwin"):  # pcsc-lite's unix socket
            results.append(checks.check_socket(found))
        results.append(checks.check_service(found))
        results.append(checks.check_readers(found))
        results.extend(checks.check_cards(found))
    finally:
        checks.release(found)
    return results


def run(args: argparse.Namespace) -> int:
    from smartcard.cli.output import Style, print_json

    results = run_checks()
    healthy = all(check.status != "fail" for check in results)
    if args.json:
        print_json({"ok": healthy, "checks": [check.to_json() for check in results]})
    else:
        style = Style.for_stream()
        for check in results:
            print(_render(check, style))
        verdict = "PC/SC works." if healthy else "PC/SC has a problem: see FAIL above."
        print(style.ok(verdict) if healthy else style.bad(verdict))
    return EXIT_OK if healthy else EXIT_FAILURE


def _render(check: Check, style: Style) -> str:
    colour = {"ok": style.ok, "warn": style.warn, "fail": style.bad}.get(check.status, str)
    lines = [f"[{colour(_MARKS.get(check.status, check.status))}] {check.name}: {check.summary}"]
    lines.extend(f"       {detail}" for detail in check.details)
    if check.fix:
        lines.append(f"       {style.label('fix')}: {check.fix}")
    return "\n".join(lines)
