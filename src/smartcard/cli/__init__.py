# SPDX-License-Identifier: LGPL-2.1-or-later
"""``pyscard`` / ``python -m smartcard``: readers, scan, ATRs, APDUs, a doctor, recording.

Each command lives in its own module (``smartcard.cli.<command>``) with
``SUMMARY``, ``EPILOG``, ``add_arguments(parser)`` and ``run(args) -> int``.
Only the chosen command's module is imported, and command modules import
the PC/SC layer inside ``run``, so ``pyscard atr`` or ``--help`` never load
the native extension.

Exit statuses: 0 success, 1 PC/SC failure (service, reader or card),
2 usage error (command line or input), 130 interrupted by Ctrl-C.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Any, NoReturn, Sequence

from smartcard.cli.errors import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    CLIError,
    UsageError,
    library_errors,
    pcsc_failure,
)

__all__ = ["main", "COMMANDS"]

PROG = "pyscard"

#: Command name -> one-line summary (kept here so the top-level help imports nothing).
COMMANDS = {
    "readers": "list the readers, their state and the ATR of present cards",
    "scan": "watch readers and cards come and go, like pcsc_scan",
    "atr": "decode an ATR (given in hex, or read from a card) and name the card",
    "send": "send APDUs given as arguments, or a scriptor-style script",
    "doctor": "check the PC/SC setup and say what is wrong and how to fix it",
    "record": "run a program and record its PC/SC calls to a file, to replay in tests",
}

# Commands that name cards from smartcard_list.txt, and so take --update-list.
_NAMING_COMMANDS = ("atr", "scan")

_TOP_EPILOG = """\
examples:
  pyscard readers
  pyscard scan
  pyscard atr 3B DA 18 FF 81 B1 FE 75 1F 03 00 31 C5 73 C0 01 40 00 90 00 0C
  pyscard send --reader "ACS" 00A4040000
  pyscard doctor
  pyscard record -o session.jsonl -- python app.py

Every command takes --json (one documented JSON shape per command; a
failure is {{"error": {{...}}}}), --color auto|always|never and --help.
Colour (auto) is used on a terminal only: NO_COLOR turns it off, FORCE_COLOR
on, TERM=dumb off. Exit status: 0 success, 1 PC/SC failure, 2 usage error,
130 interrupted. When PC/SC does not work: pyscard doctor.
Documentation: {docs}
"""


class _ParseError(UsageError):
    """A command line argparse rejected; reported under the (sub)command's name."""

    def __init__(self, prog: str, message: str) -> None:
        super().__init__(f"{message} (see '{prog} --help')")
        self.prog = prog


class _Parser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line and exit with status 2."""

    def error(self, message: str) -> NoReturn:
        # Raised, not printed: main() also writes it as JSON when --json was asked.
        raise _ParseError(self.prog, message)


class _Invocation:
    """What main() must know to report a failure: whether the user asked for JSON."""

    def __init__(self, argv: Sequence[str]) -> None:
        # Before parsing succeeds only the raw words tell (argparse accepts prefixes).
        words = argv[: list(argv).index("--")] if "--" in argv else argv
        self.json = any(len(w) >= 3 and "--json".startswith(w) for w in words)


def _command_module(name: str) -> Any:
    return importlib.import_module(f"smartcard.cli.{name}")


def _chosen_command(argv: Sequence[str]) -> str | None:
    """The command named on the command line (options come after it)."""
    for arg in argv:
        if arg in COMMANDS:
            return arg
        if not arg.startswith("-"):
            return None
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; only ``command``'s arguments are defined (all commands' if None)."""
    from smartcard import __version__
    from smartcard.cli.links import DOCS_URL, docs_page
    from smartcard.cli.output import COLOUR_CHOICES

    parser = _Parser(
        prog=PROG,
        description="Smart card tools over PC/SC, from the pyscard library.",
        epilog=_TOP_EPILOG.format(docs=DOCS_URL),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, summary in COMMANDS.items():
        if command is not None and name != command:
            subparsers.add_parser(name, help=summary, add_help=False)
            continue
        module = _command_module(name)
        sub = subparsers.add_parser(
            name,
            help=summary,
            description=getattr(module, "DESCRIPTION", summary),
            # Wheels hold no docs/ folder: point to the hosted pages (not wrapped).
            epilog=f"{module.EPILOG}\ndocumentation: {docs_page('cli', name)}\n",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.add_argument(
            "--json",
            action="store_true",
            help="machine-readable output (the shapes: see the documentation below)",
        )
        sub.add_argument(
            "--color",
            "--colour",
            dest="color",
            choices=COLOUR_CHOICES,
            default="auto",
            help="colour the text output: auto (default: on a terminal, unless NO_COLOR "
            "is set or TERM=dumb; FORCE_COLOR forces it), always or never",
        )
        if name in _NAMING_COMMANDS:
            sub.add_argument(
                "--update-list",
                action="store_true",
                help="first download the current card list from pcsc-tools into "
                "~/.cache/smartcard_list.txt (the only time pyscard uses the network)",
            )
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def _run(argv: Sequence[str], invocation: _Invocation) -> int:
    parser = build_parser(_chosen_command(argv))
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    invocation.json = bool(args.json)
    from smartcard.cli.output import set_colour_choice

    set_colour_choice(args.color)
    if getattr(args, "update_list", False):
        from smartcard.cli.card_list_update import update_list

        path, count = update_list()
        # On stderr: stdout carries the command's own result (maybe JSON).
        sys.stderr.write(f"{PROG}: card list updated: {count} cards in {path}\n")
    try:
        return int(args.run(args))
    except CLIError:
        raise
    except library_errors() as exc:
        # A library error no command anticipated: still one line, still exit 1.
        raise pcsc_failure(exc) from exc


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    if argv is None:
        argv = sys.argv[1:]
    invocation = _Invocation(list(argv))
    try:
        return _run(list(argv), invocation)
    except CLIError as exc:
        _report(exc, invocation.json)
        return exc.exit_code
    except KeyboardInterrupt:
        # Ctrl-C is how people stop 'scan': leave quietly, as shells expect.
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of our output went away (e.g. '| head'): nothing to say.
        _silence_stdout()
        return 0
    except Exception as exc:  # noqa: BLE001 - the CLI promises one line, never a traceback
        if os.environ.get("PYSCARD_DEBUG"):
            raise
        error = CLIError(
            f"internal error: {type(exc).__name__}: {exc} "
            "(set PYSCARD_DEBUG=1 to see the traceback, and please report it)",
            code="internal",
        )
        _report(error, invocation.json)
        return EXIT_FAILURE


def _report(error: CLIError, as_json: bool) -> None:
    """One line on stderr; with --json also the error object on stdout, unless a
    command already wrote its document there (send's carries the error inside)."""
    from smartcard.cli.output import json_written, print_json

    try:
        if as_json and not json_written():
            print_json(error.to_json(), lines=True)
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        pass
    prog = getattr(error, "prog", PROG)
    sys.stderr.write(f"{prog}: error: {error}\n")


def _silence_stdout() -> None:
    # Python flushes stdout again at exit; point it at /dev/null so that
    # flush cannot raise a second BrokenPipeError.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
