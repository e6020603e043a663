# SPDX-License-Identifier: LGPL-2.1-or-later
"""``pyscard scan``: a live view of readers and cards, like pcsc-tools' ``pcsc_scan``."""

from __future__ import annotations

import argparse
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from smartcard.cli.errors import EXIT_OK

if TYPE_CHECKING:
    from smartcard.cli.output import Style
    from smartcard.cli.scan_events import Event

SUMMARY = "watch readers and cards come and go, like pcsc_scan"
DESCRIPTION = """\
Report readers plugged in and unplugged, cards inserted (with the ATR
decoded and the card named from smartcard_list.txt when it is installed)
and removed. The current readers and cards are reported first. Runs until
Ctrl-C, --timeout or, with --once, right after that first report. If
pcscd stops or restarts, scan says so and carries on when it is back."""
EPILOG = """\
examples:
  pyscard scan
  pyscard scan --once
  pyscard scan --reader ACR122 --brief
  pyscard scan --json --timeout 60 > events.jsonl

events (--json, one JSON object per line): reader_added, reader_removed,
card_inserted, card_removed, card_mute, service_lost, service_restored.

exit status: 0 after --once or --timeout, 130 after Ctrl-C, 1 when the
PC/SC service cannot be reached at start.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--reader",
        "-r",
        metavar="NAME",
        help="only readers whose name is NAME or contains it (any case)",
    )
    parser.add_argument(
        "--once", action="store_true", help="report the current readers and cards, then exit"
    )
    parser.add_argument(
        "--timeout", type=float, metavar="SECONDS", help="stop after SECONDS (exit status 0)"
    )
    parser.add_argument(
        "--brief", action="store_true", help="ATR on one line, without the decoding"
    )
    parser.add_argument(
        "--list", metavar="PATH", help="card list in smartcard_list.txt format to name cards"
    )


def run(args: argparse.Namespace) -> int:
    from smartcard.cli.errors import UsageError
    from smartcard.cli.output import Style
    from smartcard.cli.reader_choice import list_reader_names
    from smartcard.cli.scan_events import ScanFeed

    if args.timeout is not None and args.timeout < 0:
        raise UsageError("--timeout must be 0 or more seconds")
    if args.list is not None:
        from smartcard.cli.card_names import lookup_with

        lookup_with(b"", args.list)  # a missing --list file is a usage error, said now
    deadline = None if args.timeout is None else time.monotonic() + args.timeout
    printer = _Printer(args, Style.for_stream())
    # The engine would wait for the service silently; a scan started without
    # it says so at once (one line, exit status 1), as pcsc_scan does.
    list_reader_names()
    feed = ScanFeed()
    try:
        initial = feed.start()
        for event in initial:
            printer.show(event)
        if not initial and not args.json:
            printer.note("no reader yet: waiting for one (Ctrl-C to stop)")
        if args.once:
            return EXIT_OK
        for event in feed.events(deadline):
            printer.show(event)
    finally:
        feed.close()
    return EXIT_OK


class _Printer:
    """Writes events as text lines (with the ATR decoded) or as JSON Lines."""

    def __init__(self, args: argparse.Namespace, style: Style) -> None:
        self.args = args
        self.style = style
        wanted = args.reader.casefold() if args.reader else None
        self.wanted = wanted

    def _selected(self, reader: str | None) -> bool:
        return reader is None or self.wanted is None or self.wanted in reader.casefold()

    def note(self, text: str) -> None:
        print(self.style(text, "dim"), flush=True)

    def show(self, event: Event) -> None:
        if not self._selected(event.reader):
            return
        names: list[str] = []
        if event.atr and event.kind == "card_inserted":
            from smartcard.cli.card_names import lookup_with

            names = lookup_with(event.atr, self.args.list).names
        if self.args.json:
            from smartcard.cli.output import print_json

            print_json(_event_json(event, names), lines=True)
            return
        print(self._text(event, names), flush=True)

    def _text(self, event: Event, names: list[str]) -> str:
        from smartcard.cli.output import hex_spaced

        style = self.style
        stamp = style(datetime.now().strftime("%H:%M:%S"), "dim")
        reader = style.label(event.reader or "")
        if event.kind == "reader_added":
            return f"{stamp} reader added: {reader}"
        if event.kind == "reader_removed":
            return f"{stamp} reader removed: {reader}"
        if event.kind == "card_removed":
            return f"{stamp} {reader}: {style.warn('card removed')}"
        if event.kind == "card_mute":
            return f"{stamp} {reader}: {style.bad('card inserted but mute (it does not answer)')}"
        if event.kind == "service_lost":
            return (
                f"{stamp} {style.bad('PC/SC service lost')} ({event.message}): "
                "waiting for it to come back..."
            )
        if event.kind == "service_restored":
            return f"{stamp} {style.ok('PC/SC service restored')}"
        atr = hex_spaced(event.atr or b"")
        lines = [f"{stamp} {reader}: {style.ok('card inserted')}, ATR {style.value(atr)}"]
        if not self.args.brief:
            lines.extend("    " + line for line in _decoded(event.atr or b"", style))
        lines.extend(f"    card: {style.ok(name)}" for name in names)
        return "\n".join(lines)


def _decoded(atr: bytes, style: Style) -> list[str]:
    """The ATR decoding of ``pyscard atr``, without its header and card-name lines."""
    from smartcard.cli.atr import analyse, render
    from smartcard.cli.card_names import CardNames
    from smartcard.cli.errors import UsageError

    try:
        details = analyse(atr)
    except UsageError as exc:
        return [f"(cannot decode: {exc})"]
    text = render(details, CardNames(), None, style).splitlines()
    return [line for line in text[1:] if not line.startswith("Card")]


def _event_json(event: Event, names: list[str]) -> dict[str, Any]:
    from smartcard.cli.output import hex_compact

    return {
        "time": datetime.now().astimezone().isoformat(timespec="milliseconds"),
        "event": event.kind,
        "reader": event.reader,
        "atr": hex_compact(event.atr),
        "card_names": names,
        "message": event.message,
    }
