# SPDX-License-Identifier: LGPL-2.1-or-later
"""``pyscard atr``: decode an ATR byte by byte and name the card."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from smartcard.cli.errors import EXIT_OK

if TYPE_CHECKING:
    from smartcard.cli.card_names import CardNames
    from smartcard.cli.output import Style
    from smartcard.iso7816.atr import ATRInterpretation
    from smartcard.iso7816.atr_bytes import Speed
    from smartcard.iso7816.historical import HistoricalBytes

SUMMARY = "decode an ATR (given in hex, or read from a card) and name the card"
DESCRIPTION = """\
Decode an Answer To Reset: TS, T0, every TA/TB/TC/TD byte, the protocols,
Fi/Di and the resulting speed, the historical bytes (compact-TLV objects
decoded) and the checksum; reserved (RFU) bits are flagged. The card is
named from pcsc-tools' smartcard_list.txt: the first non-empty one of
~/.cache/smartcard_list.txt, ~/.smartcard_list.txt, /usr/share/pcsc/,
/usr/local/share/pcsc/, /opt/homebrew/share/pcsc/, /opt/local/share/pcsc/;
or from --list PATH; --update-list downloads the current list.
Without HEX, the ATR of the card in the reader is decoded."""
EPILOG = """\
examples:
  pyscard atr 3B DA 18 FF 81 B1 FE 75 1F 03 00 31 C5 73 C0 01 40 00 90 00 0C
  pyscard atr 3BDA18FF81B1FE751F030031C573C001400090000C --json
  pyscard atr --reader Yubico          (the card in that reader)
  pyscard atr 3B8F8001804F0CA000000306030001000000006A --list ./my_cards.txt

exit status: 0 decoded, 1 PC/SC failure or no card, 2 not hex or not an ATR.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "hex",
        nargs="*",
        metavar="HEX",
        help="the ATR in hex; blanks are allowed, so it may span several arguments",
    )
    parser.add_argument(
        "--reader",
        "-r",
        metavar="NAME",
        help="without HEX: read the ATR from the card in this reader "
        "(exact name or unique substring; default: the first reader with a card)",
    )
    parser.add_argument(
        "--list", metavar="PATH", help="card list in smartcard_list.txt format to name the card"
    )


def atr_from_reader(pattern: str | None) -> tuple[str, bytes]:
    """(reader name, ATR) of the card in the reader ``pattern`` names, or the first card found."""
    from smartcard.cli.errors import PCSCFailure
    from smartcard.cli.reader_choice import select_readers
    from smartcard.cli.reader_state import read_states

    names = select_readers(pattern)
    if not names:
        raise PCSCFailure("no smart card reader found (run 'pyscard doctor')")
    for state in read_states(names):
        if state.atr:
            return state.name, state.atr
    where = repr(names[0]) if pattern is not None else "any reader"
    raise PCSCFailure(f"no card in {where}")


def analyse(atr: bytes) -> ATRInterpretation:
    """The library's interpretation of ``atr``; :class:`UsageError` when it is no ATR."""
    from smartcard.cli.errors import UsageError
    from smartcard.iso7816.atr import ATRFormatError, interpret_atr

    try:
        return interpret_atr(atr)
    except ATRFormatError as exc:
        raise UsageError(f"not an ATR: {exc}") from None


def run(args: argparse.Namespace) -> int:
    from smartcard.cli.card_names import lookup_with
    from smartcard.cli.hexinput import parse_hex
    from smartcard.cli.output import Style, print_json

    reader = None
    if args.hex:
        if args.reader is not None:
            from smartcard.cli.errors import UsageError

            raise UsageError("give either an ATR in hex or --reader, not both")
        atr = parse_hex(" ".join(args.hex), "ATR")
    else:
        reader, atr = atr_from_reader(args.reader)
    details = analyse(atr)
    names = lookup_with(atr, args.list)
    if args.json:
        print_json(to_json(details, names, reader))
    else:
        print(render(details, names, reader, Style.for_stream()))
    return EXIT_OK


def to_json(details: ATRInterpretation, names: CardNames, reader: str | None) -> dict[str, Any]:
    """The documented JSON shape of ``pyscard atr --json``."""
    checksum = details.checksum
    return {
        "atr": details.atr.hex().upper(),
        "reader": reader,
        "bytes": [
            {"name": item.name, "value": f"{item.value:02X}", "meaning": item.meaning}
            for item in details.bytes
        ],
        "protocols": [f"T={t}" for t in details.protocols],
        "default_protocol": f"T={details.default_protocol}",
        "speed": _speed_json(details.speed),
        "historical_bytes": _historical_json(details.historical),
        "checksum": {
            "value": None if checksum.value is None else f"{checksum.value:02X}",
            "expected": None if checksum.expected is None else f"{checksum.expected:02X}",
            "required": checksum.required,
            "verdict": checksum.verdict,
        },
        "problems": details.problems + details.historical.problems,
        "card_names": names.names,
        "card_lists": names.lists,
    }


def _speed_json(speed: Speed) -> dict[str, Any]:
    from smartcard.iso7816.atr_bytes import TYPICAL_CLOCK_MHZ

    return {
        "fi": speed.fi,
        "di": speed.di,
        "f_max_mhz": speed.f_max_mhz,
        "from_ta1": speed.from_ta1,
        "cycles_per_etu": speed.cycles_per_etu,
        "bits_per_second_at_4_mhz": speed.bits_per_second(TYPICAL_CLOCK_MHZ),
        "bits_per_second_at_f_max": speed.bits_per_second(speed.f_max_mhz),
    }


def _historical_json(historical: HistoricalBytes) -> dict[str, Any]:
    return {
        "hex": historical.raw.hex().upper(),
        "text": historical.text,
        "category": None if historical.category is None else f"{historical.category:02X}",
        "category_meaning": historical.category_meaning,
        "objects": [
            {
                "tag": None if item.tag is None else f"{item.tag:X}",
                "name": item.name,
                "value": item.value.hex().upper(),
                "details": item.details,
            }
            for item in historical.objects
        ],
        "problems": historical.problems,
    }


def render(details: ATRInterpretation, names: CardNames, reader: str | None, style: Style) -> str:
    """The text form: one line per byte, then historical bytes, checksum and card name."""
    from smartcard.cli.output import hex_spaced

    lines = []
    if reader is not None:
        lines.append(f"Reader: {reader}")
    lines.append(f"ATR: {style.value(hex_spaced(details.atr))}")
    for item in details.bytes:
        meaning = item.meaning
        if item.name == "TCK" and details.checksum.verdict != "correct":
            meaning = style.bad(meaning)
        lines.append(f"  {style.label(f'{item.name:<4}')}{item.value:02X}  {meaning}")
    protocols = ", ".join(f"T={t}" for t in details.protocols)
    lines.append(f"Protocols: {protocols} (default T={details.default_protocol})")
    speed = details.speed
    source = "TA1" if speed.from_ta1 else "default, no TA1"
    lines.append(f"Speed ({source}): {speed.describe()}")
    lines.extend(_historical_lines(details, style))
    if details.checksum.value is None:
        colour = style.bad if details.checksum.verdict == "missing" else str
        lines.append(f"TCK: {colour(details.checksum.describe())}")
    for problem in details.problems + details.historical.problems:
        lines.append(style.bad(f"Problem: {problem}"))
    lines.extend(_name_lines(names, style))
    return "\n".join(lines)


def _historical_lines(details: ATRInterpretation, style: Style) -> list[str]:
    from smartcard.cli.output import hex_spaced

    historical = details.historical
    if not historical.raw:
        return ["Historical bytes: none"]
    lines = [f"Historical bytes ({len(historical.raw)}): {hex_spaced(historical.raw)}"]
    if historical.text:
        lines.append(f"  as text: {historical.text!r}")
    lines.append(f"  category {historical.category:02X}: {historical.category_meaning}")
    for item in historical.objects:
        tag = "" if item.tag is None else f"tag {item.tag:X}, "
        value = hex_spaced(item.value) if item.value else "(empty)"
        lines.append(f"  {tag}{item.name}: {style.value(value)}")
        for detail in item.details:
            lines.append(f"    - {style.bad(detail) if detail.startswith('RFU:') else detail}")
    return lines


def _name_lines(names: CardNames, style: Style) -> list[str]:
    if not names.lists:
        return ["Card: unknown (no smartcard_list.txt found; install pcsc-tools or use --list)"]
    if not names.names:
        return [f"Card: not in {names.lists[0]}"]
    lines = [f"Card (from {names.lists[0]}):"]
    lines.extend(f"  {style.ok(name)}" for name in names.names)
    return lines
