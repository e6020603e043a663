# SPDX-License-Identifier: LGPL-2.1-or-later
"""Status word checking set-ups shared by make_sw_fixture.py and test_sw.py.

Works with whichever ``smartcard`` package is importable: pyscard 2.3.1
when making the fixture, this project when testing.
"""

from __future__ import annotations

from typing import Any, Callable

_CODES = {
    "WarningProcessingException": "W",
    "ExecutionErrorException": "E",
    "SecurityRelatedException": "S",
    "CheckingErrorException": "C",
}


def outcome(check: Callable[[Any, int, int], Any], sw1: int, sw2: int) -> str:
    """Return the one-letter code of what ``check([], sw1, sw2)`` raises."""
    try:
        check([], sw1, sw2)
    except Exception as exc:  # noqa: BLE001 - anything unexpected must show
        return _CODES.get(type(exc).__name__, "?")
    return "."


def table_of(check: Callable[[Any, int, int], Any]) -> dict[str, str]:
    """Return ``{"62": "W.W...", ...}`` for the SW1 rows that raise."""
    rows = {}
    for sw1 in range(256):
        row = "".join(outcome(check, sw1, sw2) for sw2 in range(256))
        if row.strip("."):
            rows[f"{sw1:02X}"] = row
    return rows


def scenarios() -> dict[str, Callable[[Any, int, int], Any]]:
    """Return the checkers and checker chains to compare, by name."""
    from smartcard.sw import SWExceptions
    from smartcard.sw.ErrorChecker import ErrorChecker
    from smartcard.sw.ErrorCheckingChain import ErrorCheckingChain
    from smartcard.sw.ISO7816_4_SW1ErrorChecker import ISO7816_4_SW1ErrorChecker
    from smartcard.sw.ISO7816_4ErrorChecker import ISO7816_4ErrorChecker
    from smartcard.sw.ISO7816_8ErrorChecker import ISO7816_8ErrorChecker
    from smartcard.sw.ISO7816_9ErrorChecker import ISO7816_9ErrorChecker
    from smartcard.sw.op21_ErrorChecker import op21_ErrorChecker

    result: dict[str, Callable[[Any, int, int], Any]] = {
        "ErrorChecker": ErrorChecker(),
        "ISO7816_4ErrorChecker": ISO7816_4ErrorChecker(),
        "ISO7816_4_SW1ErrorChecker": ISO7816_4_SW1ErrorChecker(),
        "ISO7816_8ErrorChecker": ISO7816_8ErrorChecker(),
        "ISO7816_9ErrorChecker": ISO7816_9ErrorChecker(),
        "op21_ErrorChecker": op21_ErrorChecker(),
    }

    # The usual chain: specific checkers first, the SW1 catch-all last.
    chain: list[Any] = []
    for checker in (
        ISO7816_9ErrorChecker(),
        ISO7816_8ErrorChecker(),
        ISO7816_4ErrorChecker(),
        ISO7816_4_SW1ErrorChecker(),
    ):
        ErrorCheckingChain(chain, checker)
    result["chain_9_8_4_sw1"] = chain[0]

    # A filter swallows its exact class and stops the rest of the chain.
    chain = []
    for checker in (ISO7816_4ErrorChecker(), ISO7816_4_SW1ErrorChecker()):
        ErrorCheckingChain(chain, checker)
    chain[0].addFilterException(SWExceptions.WarningProcessingException)
    result["chain_4_sw1_no_warnings"] = chain[0]

    # A filter added to a later link does not apply to earlier links.
    chain = []
    for checker in (op21_ErrorChecker(), ISO7816_4_SW1ErrorChecker()):
        ErrorCheckingChain(chain, checker)
    chain[1].addFilterException(SWExceptions.CheckingErrorException)
    result["chain_op21_sw1_filter_on_second"] = chain[0]

    # Filtering the base class filters nothing: matching is by exact class.
    chain = []
    ErrorCheckingChain(chain, ISO7816_4_SW1ErrorChecker())
    chain[0].addFilterException(SWExceptions.SWException)
    result["chain_sw1_filter_base_class"] = chain[0]
    return result
