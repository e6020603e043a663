# SPDX-License-Identifier: LGPL-2.1-or-later
"""The CLI's failures, each carrying its exit status, and the translation of library errors.

Every failure reaches the user as one line on standard error; the exit
status tells scripts what kind of failure it was. With ``--json`` the same
failure is also one JSON object on standard output (:meth:`CLIError.to_json`),
so a script that parses stdout never meets an empty document.
"""

from __future__ import annotations

import os
from typing import Any

EXIT_OK = 0
EXIT_FAILURE = 1  # the PC/SC stack, a reader or a card failed
EXIT_USAGE = 2  # the command line or its input was wrong
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl-C

# Codes whose cause lies in the set-up (daemon, socket, library, readers), which
# 'pyscard doctor' diagnoses for this platform: the one-line message sends the
# user there rather than guessing a fix (a systemctl hint is wrong on macOS).
_SETUP_CODES = frozenset(
    {
        "SCARD_E_NO_SERVICE",
        "SCARD_E_SERVICE_STOPPED",
        "SCARD_E_NO_READERS_AVAILABLE",
        "SCARD_F_COMM_ERROR",
    }
)
RUN_DOCTOR = "run 'pyscard doctor'"


class CLIError(Exception):
    """A failure to report as one line, with an exit status.

    ``code`` names the failure for scripts: the PC/SC name (``SCARD_E_...``)
    when the library reported one, else a word such as ``usage``;
    ``hresult`` is the PC/SC code as ``0x8010001D`` text, or None; ``hint``
    is what to check or do, or None.
    """

    exit_code = EXIT_FAILURE
    default_code = "failure"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        hresult: str | None = None,
        hint: str | None = None,
    ) -> None:
        # Library messages may span lines; the CLI promises one.
        super().__init__(" ".join(str(message).split()))
        self.code = code or self.default_code
        self.hresult = hresult
        self.hint = hint

    def to_json(self) -> dict[str, Any]:
        """``{"error": {"code", "hresult", "message", "hint"}}``: every --json failure."""
        return {
            "error": {
                "code": self.code,
                "hresult": self.hresult,
                "message": str(self),
                "hint": self.hint,
            }
        }


class UsageError(CLIError):
    """Bad command line or bad input (hex, file, reader name): exit status 2."""

    exit_code = EXIT_USAGE
    default_code = "usage"


class PCSCFailure(CLIError):
    """The PC/SC service, a reader or a card failed: exit status 1."""

    exit_code = EXIT_FAILURE
    default_code = "pcsc"


def describe(exc: BaseException) -> str:
    """The exception's text followed by its explanation, when it has one.

    The library's exceptions keep pyscard's text in ``str()`` and carry what
    the PC/SC code means, its likely cause and fix in ``explanation`` (also
    their PEP 678 note); the CLI shows both.
    """
    text = str(exc) or type(exc).__name__
    explanation = getattr(exc, "explanation", None)
    return f"{text} - {explanation}" if explanation else text


def pcsc_failure(exc: BaseException, doing: str = "") -> PCSCFailure:
    """Turn an exception from the library into a one-line :class:`PCSCFailure`.

    With a known PC/SC code the line is the code's meaning and name, then
    either "run 'pyscard doctor'" (set-up problems) or the likely fix;
    ``doing`` says what the CLI was trying at the time.
    """
    from smartcard._pcsc.errors import format_hresult, lookup

    hresult = getattr(exc, "hresult", None)
    info = lookup(hresult) if isinstance(hresult, int) and hresult >= 0 else None
    if info is None:
        text = describe(exc)
        return PCSCFailure(f"{doing}: {text}" if doing else text, code=_code_of(exc))
    assert isinstance(hresult, int)
    meaning = info.meaning.rstrip(".")
    meaning = meaning[:1].lower() + meaning[1:]
    if info.name == "SCARD_E_NO_SERVICE" and os.environ.get("PCSCLITE_CSOCK_NAME"):
        # The one setting that sends the client elsewhere than the system's socket.
        meaning += f" at PCSCLITE_CSOCK_NAME={os.environ['PCSCLITE_CSOCK_NAME']}"
    text = f"{meaning} ({info.name})"
    if info.name in _SETUP_CODES:
        text += f"; {RUN_DOCTOR}"
    elif info.hint:
        text += f". {info.hint}"
    return PCSCFailure(
        f"{doing}: {text}" if doing else text,
        code=info.name,
        hresult=format_hresult(hresult),
        hint=info.hint or None,
    )


def _code_of(exc: BaseException) -> str:
    from smartcard._pcsc.extension import PCSCLibraryError

    return "library" if isinstance(exc, PCSCLibraryError) else PCSCFailure.default_code


def library_errors() -> tuple[type[BaseException], ...]:
    """Exception classes meaning "PC/SC failed", imported only when an error is handled."""
    from smartcard._pcsc.context_errors import BaseSCardException
    from smartcard._pcsc.exceptions import SmartcardException
    from smartcard._pcsc.extension import PCSCLibraryError

    return (SmartcardException, BaseSCardException, PCSCLibraryError)
