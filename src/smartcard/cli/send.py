# SPDX-License-Identifier: LGPL-2.1-or-later
"""``pyscard send``: send APDUs and show each response with its status word's meaning."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, Iterable

from smartcard.cli.errors import EXIT_OK, CLIError

if TYPE_CHECKING:
    from smartcard.cli.apdu_script import Step
    from smartcard.cli.card_session import CardSession, Exchange
    from smartcard.cli.output import Style

SUMMARY = "send APDUs given as arguments, or a scriptor-style script"
DESCRIPTION = """\
Send command APDUs to a card and print each response with the meaning of
its status word. APDUs come from the arguments (one APDU, or 'reset', per
argument), from a file (--file), or from standard input, in the format of
pcsc-tools' scriptor: one APDU a line, '#' comments, 'reset' to reset the
card, 'exit' to stop, a trailing '\\' continues a line. A script from a
file or a pipe is checked completely before anything is sent."""
EPILOG = """\
examples:
  pyscard send 00A4040000
  pyscard send --reader Yubico "00 A4 04 00 08 A0 00 00 03 08 00 00 10" 00CB3FFF055C035FC107
  pyscard send --file select.apdu --transaction --exclusive
  echo "00 84 00 00 08" | pyscard send --get-response --json

exit status: 0 every APDU was exchanged (whatever the status words), 1 PC/SC
failure (no card, card removed, service down), 2 bad APDU, script or option.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("apdus", nargs="*", metavar="APDU", help="command APDU in hex, or 'reset'")
    parser.add_argument(
        "--file", "-f", metavar="PATH", help="read a script from PATH ('-' for standard input)"
    )
    parser.add_argument(
        "--reader",
        "-r",
        metavar="NAME",
        help="exact name or unique substring (default: the first reader with a card)",
    )
    parser.add_argument("--exclusive", "-x", action="store_true", help="connect in exclusive mode")
    parser.add_argument(
        "--transaction",
        "-t",
        action="store_true",
        help="hold a PC/SC transaction around the whole script",
    )
    parser.add_argument(
        "--get-response",
        "-g",
        action="store_true",
        help="fetch 61xx data with GET RESPONSE and resend on 6Cxx (ISO 7816 transport)",
    )
    parser.add_argument(
        "--protocol",
        choices=("T0", "T1", "any"),
        default="any",
        help="protocol to connect with (default: any)",
    )


def _steps_and_source(args: argparse.Namespace) -> tuple[Iterable[Step], bool]:
    """The steps to run, and whether they are read interactively (as typed)."""
    from smartcard.cli.apdu_script import iter_script, parse_arguments, parse_script
    from smartcard.cli.errors import UsageError

    if args.apdus and args.file:
        raise UsageError("give APDUs as arguments or --file, not both")
    if args.apdus:
        return parse_arguments(args.apdus), False
    if args.file and args.file != "-":
        try:
            with open(args.file, encoding="utf-8") as script:
                return parse_script(script, args.file), False
        except OSError as exc:
            raise UsageError(f"cannot read {args.file!r}: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise UsageError(f"{args.file!r} is not a text file: {exc.reason}") from exc
    if sys.stdin.isatty() and not args.json:
        sys.stderr.write("Type APDUs in hex, 'reset' or 'exit' (Ctrl-D ends).\n")
        return iter_script(sys.stdin, "stdin"), True
    return parse_script(sys.stdin, "stdin"), False


def _pick_reader(pattern: str | None) -> str:
    from smartcard.cli.errors import PCSCFailure
    from smartcard.cli.reader_choice import list_reader_names, match_reader
    from smartcard.cli.reader_state import read_states

    names = list_reader_names()
    if pattern is not None:
        return match_reader(pattern, names)
    if not names:
        raise PCSCFailure("no smart card reader found (run 'pyscard doctor')")
    for state in read_states(names):
        if state.has_card:
            return state.name
    raise PCSCFailure("no card in any reader; insert one, or choose a reader with --reader")


def run(args: argparse.Namespace) -> int:
    from smartcard.cli.card_session import CardSession
    from smartcard.cli.output import Style

    steps, interactive = _steps_and_source(args)
    reader = _pick_reader(args.reader)
    report = _Report(args.json, Style.for_stream())
    with CardSession(
        reader, exclusive=args.exclusive, protocol=args.protocol, get_response=args.get_response
    ) as session:
        report.start(session, args.transaction)
        try:
            with session.transaction(args.transaction):
                for step in steps:
                    _run_step(session, step, report, interactive)
        except CLIError as exc:
            report.fail(exc)
            raise
        finally:
            report.finish()
    return EXIT_OK


def _run_step(session: CardSession, step: Step, report: _Report, interactive: bool) -> None:
    from smartcard.cli.errors import library_errors, pcsc_failure

    try:
        if step.is_reset:
            report.reset(step, session.reset())
        else:
            assert step.apdu is not None
            report.exchange(step, session.transmit(step.apdu))
    except library_errors() as exc:
        doing = "resetting the card" if step.is_reset else "sending the APDU"
        failure = pcsc_failure(exc, f"{step.where()}: {doing}")
        if not interactive:
            raise failure from exc
        sys.stderr.write(f"pyscard: error: {failure}\n")


class _Report:
    """Prints steps as they happen (text), or collects them into one JSON document."""

    def __init__(self, json_output: bool, style: Style) -> None:
        self.json_output = json_output
        self.style = style
        self.document: dict[str, Any] = {}

    def start(self, session: CardSession, transaction: bool) -> None:
        from smartcard.cli.output import hex_compact, hex_spaced

        self.document = {
            "reader": session.reader,
            "atr": hex_compact(session.atr),
            "protocol": session.protocol,
            "exclusive": session.exclusive,
            "transaction": transaction,
            "get_response": session.get_response,
            "steps": [],
            "error": None,
        }
        if not self.json_output:
            print(f"Reader: {self.style.label(session.reader)}")
            print(f"ATR: {hex_spaced(session.atr)} ({session.protocol})")

    def exchange(self, step: Step, result: Exchange) -> None:
        from smartcard.cli.output import hex_compact, hex_spaced
        from smartcard.sw import describe_sw

        meaning = describe_sw(result.sw1, result.sw2)
        sw = f"{result.sw1:02X}{result.sw2:02X}"
        self.document["steps"].append(
            {
                "kind": "apdu",
                "line": step.line,
                "command": hex_compact(result.command),
                "data": hex_compact(result.data),
                "sw": sw,
                "meaning": meaning,
                "exchanges": [
                    {"command": hex_compact(c), "response": hex_compact(r)} for c, r in result.trace
                ],
            }
        )
        if self.json_output:
            return
        style = self.style
        print(f"> {hex_spaced(result.command)}")
        for command, response in result.trace[1:]:
            note = f"  (automatic: > {hex_spaced(command)}  < {hex_spaced(response)})"
            print(style(note, "dim"))
        sw_text = f"{result.sw1:02X} {result.sw2:02X}"
        colour = style.ok if result.sw1 in (0x90, 0x61) else style.warn
        data = hex_spaced(result.data) + " " if result.data else ""
        print(f"< {data}{colour(sw_text)} : {meaning}")

    def reset(self, step: Step, atr: bytes) -> None:
        from smartcard.cli.output import hex_compact, hex_spaced

        self.document["steps"].append({"kind": "reset", "line": step.line, "atr": hex_compact(atr)})
        if not self.json_output:
            print(f"reset: ATR {hex_spaced(atr)}")

    def fail(self, error: CLIError) -> None:
        # The same object as every --json failure, inside the document (main adds none).
        self.document["error"] = error.to_json()["error"]

    def finish(self) -> None:
        if self.json_output and self.document:
            from smartcard.cli.output import print_json

            print_json(self.document)
