# SPDX-License-Identifier: LGPL-2.1-or-later
"""The one table of PC/SC result codes: name, plain meaning, likely cause and fix.

Every exception message in the library is built from this table, so the
explanation a user reads is the same wherever an error surfaces.  Program
logic must compare the numeric ``hresult``, never the text.

PC/SC result codes are 32-bit values such as ``0x8010001D``.  Depending on the
platform and binding they show up as positive numbers (pcsc-lite, macOS) or as
negative signed 32-bit numbers (Windows ``LONG``).  :func:`normalize_hresult`
folds both forms onto the unsigned value; :func:`same_hresult` compares two
codes regardless of the sign convention.

This module deliberately avoids importing the native ``smartcard.scard``
extension at import time: it must work even when the PC/SC library is missing,
which is exactly when a good explanation matters most.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "NO_HRESULT",
    "ErrorInfo",
    "ERRORS",
    "BY_NAME",
    "normalize_hresult",
    "same_hresult",
    "format_hresult",
    "lookup",
    "error_name",
    "explain",
    "platform_message",
]

#: Sentinel used by the exception classes for "no PC/SC code attached".
NO_HRESULT = -1

_MASK_32 = 0xFFFFFFFF


class ErrorInfo(tuple[int, str, str, str]):
    """What we know about one PC/SC result code: ``(code, name, meaning, hint)``.

    A named tuple written out by hand: ``typing.NamedTuple`` would import
    :mod:`typing` (several milliseconds) into every program that lists
    readers, since the framework's exceptions are built on this module.
    """

    __slots__ = ()
    _fields = ("code", "name", "meaning", "hint")

    def __new__(cls, code: int, name: str, meaning: str, hint: str) -> ErrorInfo:
        return tuple.__new__(cls, (code, name, meaning, hint))

    def __getnewargs__(self) -> tuple[int, str, str, str]:
        # Pickle and copy call __new__ with these, one argument per field.
        return (self[0], self[1], self[2], self[3])

    @property
    def code(self) -> int:
        """Unsigned 32-bit value, e.g. ``0x8010001D``."""
        return self[0]

    @property
    def name(self) -> str:
        """Symbolic constant name, e.g. ``SCARD_E_NO_SERVICE``."""
        return self[1]

    @property
    def meaning(self) -> str:
        """What happened, in plain words."""
        return self[2]

    @property
    def hint(self) -> str:
        """Likely cause and what to check or do; empty when there is nothing useful to add."""
        return self[3]

    def _asdict(self) -> dict[str, Any]:
        return dict(zip(self._fields, self))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self))
        return f"ErrorInfo({fields})"


def normalize_hresult(hresult: int) -> int:
    """Return ``hresult`` as an unsigned 32-bit value.

    ``-2146435043`` (Windows' signed view) and ``2148532253`` both become
    ``0x8010001D``.  The "no code" sentinel ``-1`` is kept as ``-1`` so callers
    can still tell "no code" apart from a real one.
    """
    if isinstance(hresult, bool) or not isinstance(hresult, int):
        raise TypeError(f"hresult must be an int, not {type(hresult).__name__}")
    if hresult == NO_HRESULT:
        return NO_HRESULT
    return hresult & _MASK_32


def same_hresult(first: int, second: int) -> bool:
    """True when two result codes denote the same PC/SC error, whatever their sign form."""
    return normalize_hresult(first) == normalize_hresult(second)


def format_hresult(hresult: int) -> str:
    """Render a result code the way the PC/SC documentation does: ``0x8010001D``."""
    return f"0x{normalize_hresult(hresult):08X}"


# (code, name, meaning, hint).  Codes are the values defined by the PC/SC
# specification and shared by pcsc-lite, macOS and Windows.
_TABLE: tuple[tuple[int, str, str, str], ...] = (
    (0x00000000, "SCARD_S_SUCCESS", "The operation succeeded.", ""),
    (
        0x80100001,
        "SCARD_F_INTERNAL_ERROR",
        "The PC/SC service hit an internal consistency error.",
        "Look at the pcscd log (run 'pcscd --foreground --debug'); restarting pcscd "
        "usually clears it. A reader driver bug is the usual cause.",
    ),
    (
        0x80100002,
        "SCARD_E_CANCELLED",
        "The wait was cancelled by SCardCancel().",
        "Expected when another thread stops a blocking wait, for example when a "
        "card or reader monitor is shut down.",
    ),
    (
        0x80100003,
        "SCARD_E_INVALID_HANDLE",
        "The context or card handle is not (or no longer) valid.",
        "The handle was already released or disconnected, or belongs to a pcscd "
        "instance that has since restarted: establish a new context and reconnect.",
    ),
    (
        0x80100004,
        "SCARD_E_INVALID_PARAMETER",
        "A parameter passed to PC/SC could not be interpreted.",
        "Check the protocol, share mode and disposition values and the buffer "
        "lengths given to the call.",
    ),
    (
        0x80100005,
        "SCARD_E_INVALID_TARGET",
        "The registry startup information is missing or invalid.",
        "A Windows smart card service configuration problem; reinstalling the "
        "reader driver usually fixes it.",
    ),
    (
        0x80100006,
        "SCARD_E_NO_MEMORY",
        "Not enough memory to complete the command.",
        "",
    ),
    (
        0x80100007,
        "SCARD_F_WAITED_TOO_LONG",
        "An internal consistency timer expired.",
        "The reader or its driver stopped answering; unplug and replug the reader.",
    ),
    (
        0x80100008,
        "SCARD_E_INSUFFICIENT_BUFFER",
        "The receive buffer was too small for the returned data.",
        "The card or reader returned more bytes than expected; for extended APDUs "
        "make sure the reader driver supports extended length.",
    ),
    (
        0x80100009,
        "SCARD_E_UNKNOWN_READER",
        "The reader name is not known to the PC/SC service.",
        "The reader was unplugged or renamed; list the readers again and use a "
        "current name (names can change when readers are replugged).",
    ),
    (
        0x8010000A,
        "SCARD_E_TIMEOUT",
        "The user-specified timeout expired.",
        "No card or reader event happened within the timeout given to the wait; "
        "this is normal for polling loops.",
    ),
    (
        0x8010000B,
        "SCARD_E_SHARING_VIOLATION",
        "The card is in use by another connection that does not allow sharing.",
        "Another program or connection holds the card in exclusive mode or inside "
        "a transaction (often gpg-agent/scdaemon, pcscd-using browsers or another "
        "instance of this application): close it, or retry later.",
    ),
    (
        0x8010000C,
        "SCARD_E_NO_SMARTCARD",
        "The operation needs a card, but there is no card in the reader.",
        "Insert a card (or check it is seated properly) and try again.",
    ),
    (
        0x8010000D,
        "SCARD_E_UNKNOWN_CARD",
        "The specified card name is not recognized.",
        "",
    ),
    (
        0x8010000E,
        "SCARD_E_CANT_DISPOSE",
        "The system could not dispose of the card as requested.",
        "Check the disposition value (leave, reset, unpower or eject); some readers cannot eject.",
    ),
    (
        0x8010000F,
        "SCARD_E_PROTO_MISMATCH",
        "The requested protocols are incompatible with the protocol in use by the card.",
        "Ask for the protocol the card supports (usually T=0 or T=1, or both), or "
        "reconnect with a reset so the protocol can be negotiated again.",
    ),
    (
        0x80100010,
        "SCARD_E_NOT_READY",
        "The reader or card is not ready to accept commands.",
        "Wait until the card is fully powered, then retry.",
    ),
    (
        0x80100011,
        "SCARD_E_INVALID_VALUE",
        "One or more of the supplied values could not be interpreted.",
        "Check the arguments, e.g. an attribute or control code the reader does "
        "not know, or a context that was already released.",
    ),
    (
        0x80100012,
        "SCARD_E_SYSTEM_CANCELLED",
        "The action was cancelled by the system, presumably to log off or shut down.",
        "",
    ),
    (
        0x80100013,
        "SCARD_F_COMM_ERROR",
        "An internal communications error was detected.",
        "The connection to pcscd broke, typically because pcscd was restarted or "
        "exited: establish a new context.",
    ),
    (
        0x80100014,
        "SCARD_F_UNKNOWN_ERROR",
        "An internal error was detected, but the source is unknown.",
        "Look at the pcscd log for details.",
    ),
    (
        0x80100015,
        "SCARD_E_INVALID_ATR",
        "An ATR obtained from the registry is not a valid ATR string.",
        "",
    ),
    (
        0x80100016,
        "SCARD_E_NOT_TRANSACTED",
        "An attempt was made to end a transaction that does not exist.",
        "The transaction was already ended, or the card was reset or removed "
        "meanwhile, which ends it implicitly.",
    ),
    (
        0x80100017,
        "SCARD_E_READER_UNAVAILABLE",
        "The reader is not currently available for use.",
        "The reader was unplugged or its driver failed; replug the reader and check the pcscd log.",
    ),
    (
        0x80100018,
        "SCARD_P_SHUTDOWN",
        "The operation was aborted so an application could exit.",
        "",
    ),
    (
        0x80100019,
        "SCARD_E_PCI_TOO_SMALL",
        "The PCI receive buffer was too small.",
        "",
    ),
    (
        0x8010001A,
        "SCARD_E_READER_UNSUPPORTED",
        "The reader driver does not meet minimal requirements for support.",
        "Install or update the reader driver (e.g. the CCID driver).",
    ),
    (
        0x8010001B,
        "SCARD_E_DUPLICATE_READER",
        "The reader driver did not produce a unique reader name.",
        "",
    ),
    (
        0x8010001C,
        "SCARD_E_CARD_UNSUPPORTED",
        "The card cannot be accessed because of other connections outstanding.",
        "",
    ),
    (
        0x8010001D,
        "SCARD_E_NO_SERVICE",
        "The PC/SC service (pcscd) is not running or cannot be reached.",
        "Start pcscd, or its socket-activation unit: 'systemctl start pcscd.socket'. "
        "Inside a sandbox (flatpak, snap, container) the pcscd socket may not be "
        "visible: expose it. Check PCSCLITE_CSOCK_NAME if a non-default socket "
        "path is used.",
    ),
    (
        0x8010001E,
        "SCARD_E_SERVICE_STOPPED",
        "The PC/SC service stopped or speaks a different protocol version.",
        "Usually the client library and pcscd come from two different pcsc-lite "
        "installs (e.g. one in /usr/local and one in /usr) or a sandbox bundles its "
        "own libpcsclite: use a single pcsc-lite. If pcscd was just restarted, "
        "establish a new context.",
    ),
    (
        0x8010001F,
        # pcsc-lite defines SCARD_E_UNSUPPORTED_FEATURE with this value too,
        # and there it is what the code nearly always means.
        "SCARD_E_UNEXPECTED" if sys.platform == "win32" else "SCARD_E_UNSUPPORTED_FEATURE",
        "The reader or its driver does not support the requested operation "
        "(or, on Windows, an unexpected card error occurred).",
        "Typical for control codes, attributes or features the reader driver does "
        "not implement; on pcsc-lite SCARD_E_UNEXPECTED and SCARD_E_UNSUPPORTED_FEATURE "
        "share this value.",
    ),
    (
        0x80100020,
        "SCARD_E_ICC_INSTALLATION",
        "No primary provider can be found for the card.",
        "",
    ),
    (
        0x80100021,
        "SCARD_E_ICC_CREATEORDER",
        "The requested order of object creation is not supported.",
        "",
    ),
    (
        0x80100022,
        "SCARD_E_UNSUPPORTED_FEATURE",
        "This smart card does not support the requested feature.",
        "The reader or driver does not implement the requested operation.",
    ),
    (
        0x80100023,
        "SCARD_E_DIR_NOT_FOUND",
        "The specified directory does not exist on the card.",
        "",
    ),
    (
        0x80100024,
        "SCARD_E_FILE_NOT_FOUND",
        "The specified file does not exist on the card.",
        "",
    ),
    (
        0x80100025,
        "SCARD_E_NO_DIR",
        "The supplied path does not represent a card directory.",
        "",
    ),
    (
        0x80100026,
        "SCARD_E_NO_FILE",
        "The supplied path does not represent a card file.",
        "",
    ),
    (
        0x80100027,
        "SCARD_E_NO_ACCESS",
        "Access to this card file is denied.",
        "",
    ),
    (
        0x80100028,
        "SCARD_E_WRITE_TOO_MANY",
        "The card cannot be written: it is full.",
        "",
    ),
    (
        0x80100029,
        "SCARD_E_BAD_SEEK",
        "An error occurred while setting the card file pointer.",
        "",
    ),
    (
        0x8010002A,
        "SCARD_E_INVALID_CHV",
        "The supplied PIN is incorrect.",
        "",
    ),
    (
        0x8010002B,
        "SCARD_E_UNKNOWN_RES_MNG",
        "An unrecognized error code was returned from a layered component.",
        "",
    ),
    (
        0x8010002C,
        "SCARD_E_NO_SUCH_CERTIFICATE",
        "The requested certificate does not exist.",
        "",
    ),
    (
        0x8010002D,
        "SCARD_E_CERTIFICATE_UNAVAILABLE",
        "The requested certificate could not be obtained.",
        "",
    ),
    (
        0x8010002E,
        "SCARD_E_NO_READERS_AVAILABLE",
        "No smart card reader is attached.",
        "Plug in a reader; if one is plugged in, check that its driver is "
        "installed (e.g. libccid) and look at the pcscd log.",
    ),
    (
        0x8010002F,
        "SCARD_E_COMM_DATA_LOST",
        "A communications error with the card was detected.",
        "Retry the command; if it persists, clean the card contacts or try another reader.",
    ),
    (
        0x80100030,
        "SCARD_E_NO_KEY_CONTAINER",
        "The requested key container does not exist on the card.",
        "",
    ),
    (
        0x80100031,
        "SCARD_E_SERVER_TOO_BUSY",
        "The smart card resource manager is too busy to complete this operation.",
        "Retry later.",
    ),
    (
        0x80100065,
        "SCARD_W_UNSUPPORTED_CARD",
        "The reader cannot communicate with the card because of ATR configuration conflicts.",
        "The card's ATR is not usable by this reader or driver.",
    ),
    (
        0x80100066,
        "SCARD_W_UNRESPONSIVE_CARD",
        "The card is not responding to a reset.",
        "The card may be inserted the wrong way round, damaged, or not a "
        "contact/contactless card the reader supports; reinsert it.",
    ),
    (
        0x80100067,
        "SCARD_W_UNPOWERED_CARD",
        "Power has been removed from the card, so further communication is not possible.",
        "Reconnect (which powers the card up again).",
    ),
    (
        0x80100068,
        "SCARD_W_RESET_CARD",
        "The card has been reset, so any shared state information is invalid.",
        "Another connection reset the card; reconnect and select the application "
        "again (any PIN verification was lost).",
    ),
    (
        0x80100069,
        "SCARD_W_REMOVED_CARD",
        "The card has been removed, so further communication is not possible.",
        "Reinsert the card, then connect again.",
    ),
    (
        0x8010006A,
        "SCARD_W_SECURITY_VIOLATION",
        "Access was denied because of a security violation.",
        "With polkit-enabled pcscd the user may lack permission to use readers or "
        "cards: check the polkit rules for org.debian.pcsc-lite.",
    ),
    (
        0x8010006B,
        "SCARD_W_WRONG_CHV",
        "The card cannot be accessed because the wrong PIN was presented.",
        "",
    ),
    (
        0x8010006C,
        "SCARD_W_CHV_BLOCKED",
        "The card cannot be accessed because the maximum number of PIN attempts was reached.",
        "",
    ),
    (
        0x8010006D,
        "SCARD_W_EOF",
        "The end of the card file has been reached.",
        "",
    ),
    (
        0x8010006E,
        "SCARD_W_CANCELLED_BY_USER",
        "The action was cancelled by the user.",
        "",
    ),
    (
        0x8010006F,
        "SCARD_W_CARD_NOT_AUTHENTICATED",
        "No PIN was presented to the card.",
        "",
    ),
    (
        0x00000006,
        "ERROR_INVALID_HANDLE",
        "The handle is invalid (Windows system error).",
        "The handle was already closed; establish a new context and reconnect.",
    ),
    (
        0x00000057,
        "ERROR_INVALID_PARAMETER",
        "A parameter is incorrect (Windows system error).",
        "",
    ),
)

if TYPE_CHECKING:
    #: Every known code, keyed by its unsigned 32-bit value.
    ERRORS: dict[int, ErrorInfo]
    #: The same entries keyed by symbolic name.
    BY_NAME: dict[str, ErrorInfo]

# ERRORS and BY_NAME are built on first use (lookup() or attribute access):
# this module is imported with the exceptions, by every program that lists
# readers, and most never need an explanation.
_tables: tuple[dict[int, ErrorInfo], dict[str, ErrorInfo]] | None = None


def _build_tables() -> tuple[dict[int, ErrorInfo], dict[str, ErrorInfo]]:
    global _tables
    if _tables is None:
        errors = {row[0]: ErrorInfo(*row) for row in _TABLE}
        by_name = {info.name: info for info in errors.values()}
        # Names map to this platform's value: pcsc-lite and macOS give
        # SCARD_E_UNSUPPORTED_FEATURE the value of SCARD_E_UNEXPECTED
        # (0x8010001F); Windows has a distinct 0x80100022.
        by_name.setdefault("SCARD_E_UNEXPECTED", errors[0x8010001F])
        if sys.platform != "win32":
            by_name["SCARD_E_UNSUPPORTED_FEATURE"] = errors[0x8010001F]
        # Assigned once complete, so a concurrent first use never sees half
        # a table; two threads may both build it, harmlessly.
        _tables = (errors, by_name)
    return _tables


def __getattr__(name: str) -> object:
    if name == "ERRORS":
        return _build_tables()[0]
    if name == "BY_NAME":
        return _build_tables()[1]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def lookup(hresult: int) -> ErrorInfo | None:
    """Return the table entry for ``hresult`` (either sign form), or None if unknown."""
    return _build_tables()[0].get(normalize_hresult(hresult))


def error_name(hresult: int) -> str:
    """Symbolic name of ``hresult``, or its hexadecimal form when it is not a PC/SC code."""
    info = lookup(hresult)
    return info.name if info is not None else format_hresult(hresult)


def _platform_message(hresult: int) -> str:
    # Only for codes outside our table: ask the platform, but never let a
    # missing PC/SC library turn an explanation into a second error.
    try:
        from smartcard._pcsc.extension import SCardGetErrorMessage

        return str(SCardGetErrorMessage(hresult))
    except Exception:  # noqa: BLE001 - explanation is best-effort
        return "Unknown PC/SC error."


def platform_message(hresult: int) -> str:
    """The platform's own text for ``hresult``: ``SCardGetErrorMessage``, as pyscard shows.

    pcsc-lite says "Service not available." for ``0x8010001D``; Windows gives
    its system message. Without a loadable PC/SC library, the meaning from
    the table (or "Unknown error: 0x...", pcsc-lite's form) stands in.
    """
    try:
        from smartcard._pcsc.extension import SCardGetErrorMessage

        return str(SCardGetErrorMessage(hresult))
    except Exception:  # noqa: BLE001 - no PC/SC library: still say something
        info = lookup(hresult)
        return info.meaning if info is not None else f"Unknown error: {format_hresult(hresult)}"


def explain(hresult: int, with_hint: bool = True) -> str:
    """Human explanation of ``hresult``: meaning, name, code, and (optionally) what to check.

    Example: ``"The card has been removed, so further communication is not
    possible. [SCARD_W_REMOVED_CARD 0x80100069] Reinsert the card, then connect
    again."``
    """
    info = lookup(hresult)
    code = format_hresult(hresult)
    if info is None:
        return f"{_platform_message(hresult)} [{code}]"
    text = f"{info.meaning} [{info.name} {code}]"
    if with_hint and info.hint:
        text += " " + info.hint
    return text
