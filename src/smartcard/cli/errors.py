# SPDX-License-Identifier: LGPL-2.1-or-later
"""The CLI's failures, each carrying its exit status, and the translation of library errors.

Every failure reaches the user as one line on standard error; the exit
status tells scripts what kind of failure it was.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILURE = 1  # the PC/SC stack, a reader or a card failed
EXIT_USAGE = 2  # the command line or its input was wrong
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl-C


class CLIError(Exception):
    """A failure to report as one line, with an exit status."""

    exit_code = EXIT_FAILURE

    def __init__(self, message: str) -> None:
        # Library messages may span lines; the CLI promises one.
        super().__init__(" ".join(str(message).split()))


class UsageError(CLIError):
    """Bad command line or bad input (hex, file, reader name): exit status 2."""

    exit_code = EXIT_USAGE


class PCSCFailure(CLIError):
    """The PC/SC service, a reader or a card failed: exit status 1."""

    exit_code = EXIT_FAILURE


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

    The line gives the exception's text and its explanation (meaning, PC/SC
    code, likely fix); ``doing`` says what the CLI was trying at the time.
    """
    text = describe(exc)
    return PCSCFailure(f"{doing}: {text}" if doing else text)


def library_errors() -> tuple[type[BaseException], ...]:
    """Exception classes meaning "PC/SC failed", imported only when an error is handled."""
    from smartcard._pcsc.context_errors import BaseSCardException
    from smartcard._pcsc.exceptions import SmartcardException
    from smartcard.scard import PCSCLibraryError

    return (SmartcardException, BaseSCardException, PCSCLibraryError)
