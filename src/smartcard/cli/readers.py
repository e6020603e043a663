# SPDX-License-Identifier: LGPL-2.1-or-later
"""``pyscard readers``: every reader, its state and the ATR of the card in it."""

from __future__ import annotations

import argparse
import sys

from smartcard.cli.errors import EXIT_FAILURE, EXIT_OK

SUMMARY = "list the readers, their state and the ATR of present cards"
EPILOG = """\
states: empty, present, in use (shared by a program), exclusive (held by a
program), mute (the card does not answer), unavailable.

examples:
  pyscard readers
  pyscard readers --reader "ACS ACR122"
  pyscard readers --json

exit status: 0 readers listed, 1 no reader or PC/SC failure, 2 usage error.
"""

_STATE_TEXT = {
    "empty": "no card",
    "present": "card present",
    "in use": "card in use by another program",
    "exclusive": "card held exclusively by another program",
    "mute": "card present but mute (it does not answer)",
    "unavailable": "reader unavailable",
    "unknown": "state unknown",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--reader", "-r", metavar="NAME", help="only this reader (exact name or unique substring)"
    )


def run(args: argparse.Namespace) -> int:
    from smartcard.cli.output import Style, hex_compact, hex_spaced, print_json
    from smartcard.cli.reader_choice import select_readers
    from smartcard.cli.reader_state import read_states

    states = read_states(select_readers(args.reader))
    if args.json:
        print_json(
            {
                "readers": [
                    {
                        "name": state.name,
                        "state": state.state,
                        "flags": state.flags,
                        "atr": hex_compact(state.atr),
                    }
                    for state in states
                ]
            }
        )
    else:
        style = Style.for_stream()
        for index, state in enumerate(states):
            print(f"{index}: {style.label(state.name)}")
            text = _STATE_TEXT.get(state.state, state.state)
            colour = style.ok if state.has_card and state.state != "mute" else style.warn
            line = f"   {colour(text)}"
            if state.atr:
                line += f", ATR {style.value(hex_spaced(state.atr))}"
            print(line)
    if not states:
        sys.stderr.write("pyscard: error: no smart card reader found (run 'pyscard doctor')\n")
        return EXIT_FAILURE
    return EXIT_OK
