# SPDX-License-Identifier: LGPL-2.1-or-later
"""The status word tables: meanings, categories and what each checker flags.

Everything the checkers of smartcard.sw know about status words lives in
this module, so describe_sw() and the checkers can never disagree.

Checker tables keep pyscard's shape, ``{sw1: (exception class, {sw2:
message})}``, because applications may read or patch the module-level dicts
(``iso7816_4SW`` and friends). Which SW each checker flags, and with which
exception class, is pinned to pyscard 2.3.1 by the differential tests; the
message texts are this project's own.
"""

from __future__ import annotations

from smartcard.sw.SWExceptions import (
    CheckingErrorException,
    ExecutionErrorException,
    SecurityRelatedException,
    SWException,
    WarningProcessingException,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["checker_table", "describe_sw", "raise_listed", "sw1_table"]

_WARN = WarningProcessingException
_EXEC = ExecutionErrorException
_SECU = SecurityRelatedException
_CHCK = CheckingErrorException

# ISO 7816-4 interindustry SW1 values that report a problem: the exception
# class for the group and the meaning shared by every SW2 in it.
_SW1_GROUPS: dict[int, tuple[type[SWException], str]] = {
    0x62: (_WARN, "Warning, non-volatile memory left unchanged"),
    0x63: (_WARN, "Warning, non-volatile memory may have changed"),
    0x64: (_EXEC, "Execution error, non-volatile memory left unchanged"),
    0x65: (_EXEC, "Execution error, non-volatile memory may have changed"),
    0x66: (_SECU, "Security-related issue"),
    0x67: (_CHCK, "Wrong length"),
    0x68: (_CHCK, "Function requested in CLA not supported"),
    0x69: (_CHCK, "Command not allowed"),
    0x6A: (_CHCK, "Wrong parameters P1-P2"),
    0x6B: (_CHCK, "Wrong parameters P1-P2"),
    0x6C: (_CHCK, "Wrong Le field"),
    0x6D: (_CHCK, "Instruction code not supported or invalid"),
    0x6E: (_CHCK, "Class not supported"),
    0x6F: (_CHCK, "No precise diagnosis"),
}

# ISO 7816-4 meanings of individual status words (SW1 << 8 | SW2). Status
# words whose SW2 is a parameter (61XX, 6CXX, 63CX) are handled in code.
_ISO7816_4: dict[int, str] = {
    0x9000: "Success, normal processing",
    0x6200: "Warning, no information given (non-volatile memory unchanged)",
    0x6281: "Part of the data returned may be corrupted",
    0x6282: "End of file or record reached before Ne bytes could be read",
    0x6283: "The selected file is deactivated",
    0x6284: "File control information is not formatted as ISO 7816-4 requires",
    0x6285: "The selected file is in termination state",
    0x6286: "No input data available from a sensor of the card",
    0x6287: "At least one referenced record is deactivated",
    0x6300: "Warning, no information given (non-volatile memory changed)",
    0x6340: "Comparison unsuccessful",
    0x6381: "The last write filled the file up",
    0x6400: "Execution error, no information given (memory unchanged)",
    0x6401: "The card requires an immediate response",
    0x6500: "Execution error, no information given (memory changed)",
    0x6581: "Memory failure",
    0x6700: "Wrong length, no further indication",
    0x6800: "Function requested in CLA not supported, no further information",
    0x6881: "Logical channel not supported",
    0x6882: "Secure messaging not supported",
    0x6883: "The last command of the chain was expected",
    0x6884: "Command chaining not supported",
    0x6900: "Command not allowed, no further information",
    0x6981: "The command does not fit the file structure",
    0x6982: "Security status not satisfied",
    0x6983: "Authentication method blocked",
    0x6984: "Reference data not usable",
    0x6985: "Conditions of use not satisfied",
    0x6986: "Command not allowed: no current elementary file",
    0x6987: "Secure messaging data objects expected but missing",
    0x6988: "Secure messaging data objects incorrect",
    0x6A00: "Wrong parameters P1-P2, no further information",
    0x6A80: "Wrong parameters in the command data field",
    0x6A81: "Function not supported",
    0x6A82: "File or application not found",
    0x6A83: "Record not found",
    0x6A84: "Not enough memory space in the file",
    0x6A85: "Nc does not match the TLV structure",
    0x6A86: "Wrong parameters P1-P2",
    0x6A87: "Nc does not match parameters P1-P2",
    0x6A88: "Referenced data or reference data not found",
    0x6A89: "File already exists",
    0x6A8A: "DF name already exists",
    0x6B00: "Wrong parameters P1-P2",
    0x6D00: "Instruction code not supported or invalid",
    0x6E00: "Class not supported",
    0x6F00: "No precise diagnosis",
}

# Where another specification gives a status word a different or narrower
# meaning, the checker for that specification reports this text instead.
_SPECIFIC_MEANINGS: dict[str, dict[int, str]] = {
    "iso7816_8": {
        0x6600: "The security environment cannot be set or modified",
        0x6687: "Expected secure messaging data objects missing",
        0x6688: "Secure messaging data objects incorrect",
    },
    "op21": {
        0x6283: "Card life cycle state is CARD_LOCKED",
        0x6300: "Authentication failed",
        0x6A80: "Wrong values in the command data",
        0x6A82: "Application not found",
        0x9484: "Algorithm not supported",
        0x9485: "Invalid key check value",
    },
}

# The SW2 values each table-driven checker reports, per SW1. Ranges are
# written "C0-CF". The exception class is that of the SW1 group, except
# for the proprietary SW1 values listed in _EXTRA_GROUPS.
_CHECKED_SW2: dict[str, dict[int, str]] = {
    "iso7816_4": {
        0x62: "00 81 82 83 84 FF",
        0x63: "00 81 C0-CF",
        0x64: "00",
        0x67: "00",
        0x68: "81 82",
        0x69: "81-88",
        0x6A: "80-88",
        0x6B: "00",
        0x6D: "00",
        0x6E: "00",
        0x6F: "00",
    },
    "iso7816_8": {
        0x63: "00 C0-CF",
        0x65: "81",
        0x66: "00 87 88",
        0x67: "00",
        0x68: "83 84",
        0x69: "82 83 84 85",
        0x6A: "81 82 86 88",
    },
    "iso7816_9": {
        0x62: "82",
        0x64: "00",
        0x69: "82",
        0x6A: "80 84 89 8A",
    },
    "op21": {
        0x62: "83",
        0x63: "00",
        0x64: "00",
        0x65: "81",
        0x67: "00",
        0x69: "82 85",
        0x6A: "80 81 82 84 86 88",
        0x6D: "00",
        0x6E: "00",
        0x94: "84 85",
    },
}

# GlobalPlatform (Open Platform 2.1) reports key and algorithm problems
# with SW1 = 94; pyscard treats them as checking errors.
_EXTRA_GROUPS: dict[str, dict[int, type[SWException]]] = {"op21": {0x94: _CHCK}}


def describe_sw(sw1: int, sw2: int) -> str:
    """Return the ISO 7816-4 meaning of the status word ``sw1 sw2``.

    Status words that ISO 7816-4 leaves to applications (9XXX other than
    9000) or does not define get a description saying so. Raises
    ValueError if either byte is outside 0..255.
    """
    if not (0 <= sw1 <= 0xFF and 0 <= sw2 <= 0xFF):
        raise ValueError(f"status word bytes must be in 0..255, got {sw1!r}, {sw2!r}")
    meaning = _ISO7816_4.get(sw1 << 8 | sw2)
    if meaning is not None:
        return meaning
    if sw1 == 0x61:
        # SW2 = 00 stands for 256 bytes or more.
        available = sw2 or "256 or more"
        return f"Success, {available} more response bytes available (GET RESPONSE)"
    if sw1 == 0x6C:
        return f"Wrong Le field, {sw2 or 256} data bytes available (resend with Le={sw2:02X})"
    if sw1 == 0x63 and sw2 & 0xF0 == 0xC0:
        count = sw2 & 0x0F
        return f"Counter value {count} (tries left for VERIFY: {count})"
    if sw1 in (0x62, 0x64) and 0x02 <= sw2 <= 0x80:
        return _SW1_GROUPS[sw1][1] + ", triggered by the card"
    group = _SW1_GROUPS.get(sw1)
    if group is not None:
        return f"{group[1]} (SW2 {sw2:02X} not defined by ISO 7816-4)"
    if sw1 & 0xF0 == 0x90:
        return "Proprietary status word (not defined by ISO 7816-4)"
    return "Not a valid ISO 7816-4 status word"


def _parse_codes(codes: str) -> list[int]:
    """Expand a "00 81 C0-CF" list into the SW2 values it names."""
    values: list[int] = []
    for item in codes.split():
        first, _, last = item.partition("-")
        values.extend(range(int(first, 16), int(last or first, 16) + 1))
    return values


def checker_table(name: str) -> dict[int, tuple[type[SWException], dict[int, str]]]:
    """Build a new pyscard-shaped table for the checker called ``name``.

    ``name`` is one of "iso7816_4", "iso7816_8", "iso7816_9" and "op21".
    """
    specific = _SPECIFIC_MEANINGS.get(name, {})
    extra = _EXTRA_GROUPS.get(name, {})
    table = {}
    for sw1, codes in _CHECKED_SW2[name].items():
        exception = extra[sw1] if sw1 in extra else _SW1_GROUPS[sw1][0]
        messages = {}
        for sw2 in _parse_codes(codes):
            sw = sw1 << 8 | sw2
            messages[sw2] = specific.get(sw) or describe_sw(sw1, sw2)
        table[sw1] = (exception, messages)
    return table


def sw1_table() -> dict[int, type[SWException]]:
    """Build a new table of the exception class for each ISO 7816-4 SW1."""
    return {sw1: group[0] for sw1, group in _SW1_GROUPS.items()}


def raise_listed(
    entry: tuple[type[SWException], dict[int, str]], data: Any, sw1: int, sw2: int
) -> None:
    """Raise the exception of a checker table ``entry`` if it lists ``sw2``.

    ``entry`` is the ``(exception class, {sw2: message})`` value found for
    ``sw1``; checkers look it up themselves so that the common case, an SW1
    without entry such as 90, costs a single dict look-up.
    """
    exception, messages = entry
    # Tables may have been patched by applications: tolerate what pyscard
    # tolerates (an SW1 entry without an SW2 dict, missing SW2 keys).
    if isinstance(messages, dict) and sw2 in messages:
        raise exception(data, sw1, sw2, messages[sw2])
