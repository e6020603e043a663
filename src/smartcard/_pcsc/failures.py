# SPDX-License-Identifier: LGPL-2.1-or-later
"""What a failed PC/SC call means for the caller, decided in one place.

:func:`classify` sorts a result code into :class:`Failure`: the card is
not there, the handle or context is stale (it died with a pcscd restart or
with its reader), the service is gone, or something else. Card connections,
the new card API, the monitor engine and the CLI all ask this module, so
they agree on when to connect anew and when to report "no card".
"""

from __future__ import annotations

import enum

from smartcard._pcsc.exceptions import CardConnectionException, CardNotPresentException

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn

__all__ = ["Failure", "classify", "needs_new_context", "card_failure", "raise_for"]


class Failure(enum.Enum):
    """The kinds of failed PC/SC calls that callers treat differently."""

    #: No card in the reader, or it was removed: report it as such.
    NO_CARD = "no card"
    #: The handle (or its context) is dead, typically after pcscd restarted
    #: or the reader was unplugged: a new context and handle may work.
    STALE = "stale"
    #: The PC/SC service stopped, went away or cancelled everything.
    SERVICE_GONE = "service gone"
    #: Anything else: report it.
    OTHER = "other"


# Values as pcsc-lite, macOS and Windows define them (unsigned 32-bit).
_CLASSES = {
    0x80100069: Failure.NO_CARD,  # SCARD_W_REMOVED_CARD
    0x8010000C: Failure.NO_CARD,  # SCARD_E_NO_SMARTCARD
    0x80100003: Failure.STALE,  # SCARD_E_INVALID_HANDLE
    0x80100017: Failure.STALE,  # SCARD_E_READER_UNAVAILABLE
    0x8010001D: Failure.SERVICE_GONE,  # SCARD_E_NO_SERVICE
    0x8010001E: Failure.SERVICE_GONE,  # SCARD_E_SERVICE_STOPPED
    0x80100013: Failure.SERVICE_GONE,  # SCARD_F_COMM_ERROR
    0x80100012: Failure.SERVICE_GONE,  # SCARD_E_SYSTEM_CANCELLED (Windows)
}


def classify(hresult: int) -> Failure:
    """The kind of failure ``hresult`` (non-zero, either sign form) reports."""
    return _CLASSES.get(hresult & 0xFFFFFFFF, Failure.OTHER)


def needs_new_context(hresult: int) -> bool:
    """True when only a new context (and handle) can get past ``hresult``."""
    return _CLASSES.get(hresult & 0xFFFFFFFF) in (Failure.STALE, Failure.SERVICE_GONE)


def card_failure(action: str, hresult: int, detail: str = "") -> CardConnectionException:
    """The exception for a failed card call, its message explaining ``hresult``.

    No card: ``CardNotPresentException("Unable to <action>")``, as pyscard
    words it; otherwise ``CardConnectionException("Failed to <action><detail>")``.
    """
    if classify(hresult) is Failure.NO_CARD:
        return CardNotPresentException(f"Unable to {action}", hresult)
    return CardConnectionException(f"Failed to {action}{detail}", hresult=hresult)


def raise_for(action: str, hresult: int, detail: str = "") -> NoReturn:
    """Raise :func:`card_failure`'s exception for ``hresult``."""
    raise card_failure(action, hresult, detail)
