# SPDX-License-Identifier: LGPL-2.1-or-later
"""Exceptions of the PC/SC layer (contexts, reader listing, reader groups).

The first half are pyscard's classes with their constructor signatures.  The
second half are the classes this library actually raises when a context cannot
be established or readers cannot be listed.  pyscard raised different,
unrelated classes for the same failure depending on *where* it happened
(``EstablishContextException``, two unrelated ``ListReadersException``,
``CardServiceNotFoundException``...), so an application's ``except`` clause
caught some occurrences and missed others.  Each class below inherits from
every class an application could reasonably catch for that failure, so all of
those clauses keep working and now also catch the cases they used to miss.
"""

from __future__ import annotations

from smartcard._pcsc import exceptions as _framework
from smartcard._pcsc.errors import NO_HRESULT, normalize_hresult
from smartcard._pcsc.exceptions import (
    CardConnectionException,
    CardServiceNotFoundException,
    CardServiceStoppedException,
    SmartcardException,
    _attach_explanation,
    _code_text,
    _rebuild,
)
from smartcard._pcsc.extension import PCSCLibraryError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "BaseSCardException",
    "AddReaderToGroupException",
    "EstablishContextException",
    "ListReadersException",
    "IntroduceReaderException",
    "ReleaseContextException",
    "RemoveReaderFromGroupException",
    "ReaderListingError",
    "PCSCServiceNotFoundError",
    "PCSCServiceStoppedError",
    "PCSCLibraryNotFoundError",
    "ConnectionContextError",
    "ConnectionServiceNotFoundError",
    "ConnectionServiceStoppedError",
    "ConnectionLibraryNotFoundError",
    "readers_error",
    "connection_context_error",
]

_NO_SERVICE = 0x8010001D
_SERVICE_STOPPED = 0x8010001E


class BaseSCardException(Exception):
    """Base class of PC/SC layer exceptions; ``hresult`` is the PC/SC code or -1.

    ``explanation`` says what ``hresult`` means, its likely cause and fix
    (None without a PC/SC code); it is also the exception's note.
    """

    explanation: str | None = None

    def __init__(self, *args: Any, hresult: int = NO_HRESULT, message: str = "") -> None:
        if not message:
            message = "scard exception"
        if hresult == NO_HRESULT and args:
            hresult, args = args[0], args[1:]
        # Explicit Exception.__init__ (not super()): see the combined classes below.
        Exception.__init__(self, message, *args)
        self.message = message
        self.hresult = hresult
        _attach_explanation(self, hresult)

    def __str__(self) -> str:
        # Unlike SmartcardException, always "text: <platform text> (0x...)".
        text = Exception.__str__(self)
        if self.hresult == NO_HRESULT:
            return text
        return f"{text}: {_code_text(self.hresult)}"

    def __reduce__(self) -> Any:
        return (_rebuild, (type(self), self.args, self.__dict__))


class AddReaderToGroupException(BaseSCardException):
    """A reader could not be added to a reader group."""

    def __init__(self, hresult: int, readername: str = "", groupname: str = "") -> None:
        BaseSCardException.__init__(
            self,
            message=f"Failed to add reader: {readername} to group: {groupname}",
            hresult=hresult,
        )
        self.readername = readername
        self.groupname = groupname


class EstablishContextException(BaseSCardException):
    """No PC/SC context could be established."""

    def __init__(self, hresult: int) -> None:
        BaseSCardException.__init__(self, message="Failed to establish context", hresult=hresult)


class ListReadersException(BaseSCardException):
    """The PC/SC readers (or reader groups) could not be listed."""

    def __init__(self, hresult: int) -> None:
        BaseSCardException.__init__(self, message="Failed to list readers", hresult=hresult)


class IntroduceReaderException(BaseSCardException):
    """A reader could not be introduced to the PC/SC service."""

    def __init__(self, hresult: int, readername: str = "") -> None:
        BaseSCardException.__init__(
            self, message=f"Failed to introduce a new reader: {readername}", hresult=hresult
        )
        self.readername = readername


class ReleaseContextException(BaseSCardException):
    """A PC/SC context could not be released."""

    def __init__(self, hresult: int) -> None:
        BaseSCardException.__init__(self, message="Failed to release context", hresult=hresult)


class RemoveReaderFromGroupException(BaseSCardException):
    """A reader could not be removed from a reader group."""

    def __init__(self, hresult: int, readername: str = "", groupname: str = "") -> None:
        BaseSCardException.__init__(
            self,
            message=f"Failed to remove reader: {readername} from group: {groupname}",
            hresult=hresult,
        )
        self.readername = readername
        self.groupname = groupname


# --------------------------------------------------------------------------
# Classes raised by this library: one failure, every reasonable base class.
# --------------------------------------------------------------------------


def _init_both(exc: BaseSCardException, message: str, hresult: int) -> None:
    # Satisfies both parent families: BaseSCardException's ``message`` and
    # the ``hresult`` both of them expose.
    Exception.__init__(exc, message)
    exc.message = message
    exc.hresult = int(hresult)
    _attach_explanation(exc, exc.hresult)


class ReaderListingError(ListReadersException, _framework.ListReadersException):
    """``readers()`` failed: catchable as either ``ListReadersException``."""

    def __init__(self, hresult: int, message: str = "Failed to list readers") -> None:
        _init_both(self, message, hresult)


class ReaderListingContextError(ReaderListingError, EstablishContextException):
    """``readers()`` failed because no usable PC/SC context could be had."""


class PCSCServiceNotFoundError(ReaderListingContextError, CardServiceNotFoundException):
    """The PC/SC service is not running or not reachable (SCARD_E_NO_SERVICE)."""


class PCSCServiceStoppedError(ReaderListingContextError, CardServiceStoppedException):
    """The PC/SC service stopped or speaks another protocol version (SCARD_E_SERVICE_STOPPED)."""


class PCSCLibraryNotFoundError(PCSCServiceNotFoundError, PCSCLibraryError):
    """The PC/SC client library itself could not be loaded; the message says what to install."""

    def __init__(self, cause: BaseException, message: str = "Failed to establish context") -> None:
        _init_both(self, f"{message}: {cause}", NO_HRESULT)


class ConnectionContextError(CardConnectionException, EstablishContextException):
    """A card connection could not get its PC/SC context."""

    def __init__(self, hresult: int, message: str = "Failed to establish context") -> None:
        _init_both(self, message, hresult)

    __str__ = SmartcardException.__str__


class ConnectionServiceNotFoundError(ConnectionContextError, CardServiceNotFoundException):
    """A card connection could not reach the PC/SC service (SCARD_E_NO_SERVICE)."""


class ConnectionServiceStoppedError(ConnectionContextError, CardServiceStoppedException):
    """A card connection found the PC/SC service stopped (SCARD_E_SERVICE_STOPPED)."""


class ConnectionLibraryNotFoundError(ConnectionServiceNotFoundError, PCSCLibraryError):
    """A card connection could not load the PC/SC client library."""

    def __init__(self, cause: BaseException, message: str = "Failed to establish context") -> None:
        _init_both(self, f"{message}: {cause}", NO_HRESULT)


def readers_error(hresult: int, establishing: bool) -> ReaderListingError:
    """Build the exception for a failed reader listing.

    ``establishing`` says whether the failure came from establishing the
    context (rather than from the listing call itself).
    """
    code = normalize_hresult(hresult)
    message = "Failed to establish context" if establishing else "Failed to list readers"
    if code == _NO_SERVICE:
        return PCSCServiceNotFoundError(hresult, message)
    if code == _SERVICE_STOPPED:
        return PCSCServiceStoppedError(hresult, message)
    if establishing:
        return ReaderListingContextError(hresult, message)
    return ReaderListingError(hresult, message)


def connection_context_error(hresult: int) -> ConnectionContextError:
    """Build the exception for a card connection whose context could not be established."""
    code = normalize_hresult(hresult)
    if code == _NO_SERVICE:
        return ConnectionServiceNotFoundError(hresult)
    if code == _SERVICE_STOPPED:
        return ConnectionServiceStoppedError(hresult)
    return ConnectionContextError(hresult)


# Applications import these classes from smartcard.pcsc.PCSCExceptions (pyscard's module):
# they say so, for pickling, repr and except clauses written by module name.
for _value in list(globals().values()):
    if isinstance(_value, type) and _value.__module__ == __name__:
        _value.__module__ = "smartcard.pcsc.PCSCExceptions"
