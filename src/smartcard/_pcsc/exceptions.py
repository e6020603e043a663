# SPDX-License-Identifier: LGPL-2.1-or-later
"""Exceptions raised by the smartcard framework.

Every class carries ``hresult``: the PC/SC result code that caused it, or -1
when the failure did not come from PC/SC.  ``str()`` is pyscard's text: the
message, then the platform's text for the code (``SCardGetErrorMessage``)
and the code in its ``0x8010001D`` form.  The plain-language explanation
from :mod:`smartcard._pcsc.errors` (meaning, likely cause and fix) is the
``explanation`` attribute and a note on the exception (PEP 678), which
tracebacks show under the message.
"""

from __future__ import annotations

from smartcard._pcsc.errors import NO_HRESULT, explain, platform_message

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "SmartcardException",
    "CardConnectionException",
    "CardRequestException",
    "CardRequestTimeoutException",
    "CardServiceException",
    "CardServiceStoppedException",
    "CardServiceNotFoundException",
    "InvalidATRMaskLengthException",
    "InvalidReaderException",
    "ListReadersException",
    "NoCardException",
    "NoReadersException",
    "CardNotPresentException",
]


def _rebuild(
    cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]
) -> BaseException:
    # Subclasses have incompatible __init__ signatures, so unpickling must
    # bypass __init__ and restore the instance as it was.
    exc = cls.__new__(cls)
    exc.args = args
    exc.__dict__.update(state)
    return exc


def _code_text(hresult: int) -> str:
    """The platform's text for ``hresult`` and the code, as pyscard shows them."""
    code = hresult + 0x100000000 if hresult < 0 else hresult
    return f"{platform_message(hresult)} (0x{code:08X})"


def _with_code(text: str, hresult: int) -> str:
    # SmartcardException's form: "text: <platform text> (0x8010001D)", no
    # separator when there is no text.
    if hresult == NO_HRESULT:
        return text
    return f"{text}: {_code_text(hresult)}" if text else _code_text(hresult)


def _attach_explanation(exc: BaseException, hresult: int) -> None:
    """Set ``exc.explanation`` and add it as a note (PEP 678), replacing an earlier one."""
    previous = getattr(exc, "explanation", None)
    explanation = None if hresult == NO_HRESULT else explain(hresult)
    exc.explanation = explanation  # type: ignore[attr-defined]
    notes = getattr(exc, "__notes__", None)
    if notes is None:
        notes = []
        exc.__notes__ = notes  # type: ignore[attr-defined]  # what add_note does on 3.11+
    if previous is not None and previous in notes:
        notes.remove(previous)
    if explanation is not None:
        notes.append(explanation)


class SmartcardException(Exception):
    """Base class of the framework's exceptions.

    Accepted forms, as in pyscard: ``SmartcardException("msg")``,
    ``SmartcardException("msg", hresult)`` and the keyword forms
    ``message=...``/``hresult=...``.

    ``explanation`` says what ``hresult`` means, its likely cause and fix
    (None without a PC/SC code); it is also the exception's note.
    """

    explanation: str | None = None

    def __init__(self, *args: Any, message: str = "", hresult: int = NO_HRESULT) -> None:
        if not message and args:
            message, args = args[0], args[1:]
        if hresult == NO_HRESULT and args:
            hresult, args = args[0], args[1:]
        # Explicit base calls (not super()) throughout: the PC/SC layer builds
        # classes that inherit from this hierarchy and from PCSCExceptions at
        # once, and their constructors have incompatible signatures.
        Exception.__init__(self, message, *args)
        self.hresult = int(hresult)
        _attach_explanation(self, self.hresult)

    def __str__(self) -> str:
        return _with_code(Exception.__str__(self), self.hresult)

    def __reduce__(self) -> Any:
        return (_rebuild, (type(self), self.args, self.__dict__))


class CardConnectionException(SmartcardException):
    """A card connection operation (connect, transmit, control...) failed."""


class CardRequestException(SmartcardException):
    """Waiting for a card failed."""


class CardRequestTimeoutException(SmartcardException):
    """No matching card showed up before the card request's timeout."""

    def __init__(self, *args: Any, hresult: int = NO_HRESULT) -> None:
        if hresult == NO_HRESULT and args:
            hresult, args = args[0], args[1:]
        SmartcardException.__init__(self, "Time-out during card request", *args, hresult=hresult)


class CardServiceException(SmartcardException):
    """A card service operation failed."""


class CardServiceStoppedException(SmartcardException):
    """The PC/SC service stopped (or client and service versions disagree)."""


class CardServiceNotFoundException(SmartcardException):
    """The PC/SC service is not running or not reachable."""


class InvalidATRMaskLengthException(SmartcardException):
    """An ATR mask's length differs from the ATR's length."""

    def __init__(self, mask: Any) -> None:
        SmartcardException.__init__(self, f"Invalid ATR mask length: {mask}")


class InvalidReaderException(SmartcardException):
    """The named reader does not exist."""

    def __init__(self, readername: Any) -> None:
        SmartcardException.__init__(self, f"Invalid reader: {readername}")


class ListReadersException(SmartcardException):
    """The readers could not be listed."""

    def __init__(self, hresult: int) -> None:
        SmartcardException.__init__(self, "Failed to list readers", hresult=hresult)


class NoCardException(SmartcardException):
    """There is no card in the reader (or it was removed)."""

    def __init__(self, message: str, hresult: int) -> None:
        SmartcardException.__init__(self, message, hresult=hresult)


class NoReadersException(SmartcardException):
    """No smart card reader is attached."""

    def __init__(self, *args: Any) -> None:
        SmartcardException.__init__(self, "No reader found", *args)


class CardNotPresentException(NoCardException, CardConnectionException):
    """The card is absent or was removed while a connection was using it.

    Raised by connections for SCARD_E_NO_SMARTCARD and SCARD_W_REMOVED_CARD.
    pyscard raised ``NoCardException`` for this at connect time and
    ``CardConnectionException`` during exchanges; this class is both, so an
    ``except`` clause written for either catches every occurrence.
    """

    def __init__(self, message: str, hresult: int) -> None:
        SmartcardException.__init__(self, message, hresult=hresult)


# Applications import these classes from smartcard.Exceptions (pyscard's module):
# they say so, for pickling, repr and except clauses written by module name.
for _value in list(globals().values()):
    if isinstance(_value, type) and _value.__module__ == __name__:
        _value.__module__ = "smartcard.Exceptions"
