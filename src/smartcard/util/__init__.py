# SPDX-License-Identifier: LGPL-2.1-or-later
"""Conversions between byte lists, hex strings and character strings.

The public functions keep the names, signatures, outputs and exceptions of
pyscard's ``smartcard.util`` so existing applications work unchanged.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable
# Upper-case names here are the toHexString() format flags, which code may
# list with dir(); the type-checking flag must not pass for one.
del TYPE_CHECKING

_hex_spaced: Callable[[object], str | None] | None
_list_from_hex: Callable[[object], list[int] | None] | None
try:  # C fast paths for well-formed input; the code below defines behaviour
    from smartcard.util._speedups import hex_spaced as _hex_spaced
    from smartcard.util._speedups import list_from_hex as _list_from_hex
except ImportError:  # pragma: no cover - a build without the C helpers
    _hex_spaced = _list_from_hex = None

__all__ = [
    "COMMA",
    "HEX",
    "PACK",
    "UPPERCASE",
    "BinStringToHexList",
    "HexListToBinString",
    "bs2hl",
    "hl2bs",
    "padd",
    "toASCIIBytes",
    "toASCIIString",
    "toBytes",
    "toGSM3_38Bytes",
    "toHexString",
]

# Output format flags of toHexString(); combine them with ``|``.
PACK = 1  # no blank between bytes
HEX = 2  # prefix each byte with 0x
UPPERCASE = 4  # with HEX: prefix with 0X instead of 0x
COMMA = 8  # put a comma between bytes

_fromhex = bytes.fromhex


def _masked(data: list[int]) -> bytearray:
    """Return the items of ``data`` modulo 256 as a bytearray.

    The slow path, for lists that bytearray() refused: out-of-range values
    are reduced like pyscard does, and for items that are not integers
    ``&`` raises the same TypeError as pyscard.
    """
    return bytearray([item & 0xFF for item in data])


def _as_bytes(data: list[int]) -> bytearray:
    """Return the items of ``data`` modulo 256 as a bytearray."""
    # bytearray() is much faster than bytes() on a list, and validates the
    # items as a side effect.
    try:
        return bytearray(data)
    except (TypeError, ValueError):
        return _masked(data)


def toHexString(data: list[int] | None = None, output_format: int = 0) -> str:
    """Return ``data`` as a string of two-digit uppercase hex numbers.

    Values are taken modulo 256. ``output_format`` is an OR of PACK, HEX,
    UPPERCASE and COMMA; by default bytes are separated by one blank.
    Raises TypeError if ``data`` is neither None nor a list.
    """
    if data.__class__ is not list:
        if data is None:
            return ""
        if not isinstance(data, list):
            raise TypeError("not a list of bytes")
    if not data:
        return ""
    if output_format.__class__ is int and not output_format:
        if _hex_spaced is not None:
            text = _hex_spaced(data)
            if text is not None:
                return text
        # Default layout, the hot path: hex() does the digit work in C and
        # its separator argument yields "3B 65 ..." in the same pass.
        # (_as_bytes inlined: a call costs 4% of a 256-byte conversion.)
        try:
            raw = bytearray(data)
        except (TypeError, ValueError):
            raw = _masked(data)
        return raw.hex(" ").upper()
    # Flags are read before the items, so that with both a bad format and
    # bad items the error is about the format, as in pyscard.
    separator = "," if COMMA & output_format else ""
    if not PACK & output_format:
        separator += " "
    prefix = ("0X" if UPPERCASE & output_format else "0x") if HEX & output_format else ""
    text = _as_bytes(data).hex(" ").upper()
    if prefix:
        return prefix + text.replace(" ", separator + prefix)
    if separator == " ":
        return text
    return text.replace(" ", separator)


def toBytes(bytestring: str) -> list[int]:
    """Return the list of byte values written in hex in ``bytestring``.

    Whitespace between digits is ignored. Raises TypeError if the string
    is not an even number of hex digits.
    """
    if _list_from_hex is not None:
        values = _list_from_hex(bytestring)
        if values is not None:
            return values
    try:
        return [*_fromhex(bytestring)]
    except ValueError as exc:
        raise TypeError("not a string representing a list of bytes") from exc


def toASCIIBytes(stringtoconvert: str) -> list[int]:
    """Return the UTF-8 encoding of ``stringtoconvert`` as a list of ints."""
    return [*stringtoconvert.encode("utf-8")]


# Maps every byte value to itself when it is printable ASCII (32..127, DEL
# included as pyscard does) and to "." otherwise.
_PRINTABLE = bytes(code if 32 <= code <= 127 else 0x2E for code in range(256))
_BYTES_LIKE = (list, tuple, bytes, bytearray)


def toASCIIString(bytelist: list[int]) -> str:
    """Return ``bytelist`` as text, showing non-printable values as ".".

    Values 32 to 127 become the ASCII character of that code; any other
    integer (including negative or larger than 255) becomes a period.
    """
    if isinstance(bytelist, _BYTES_LIKE):
        try:
            return bytearray(bytelist).translate(_PRINTABLE).decode("ascii")
        except (TypeError, ValueError):
            pass  # out-of-range or odd items: let the loop below judge them
    return "".join([chr(code) if 32 <= code <= 127 else "." for code in bytelist])


def padd(bytelist: list[int], length: int, padding: str = "FF") -> list[int]:
    """Return ``bytelist`` extended to ``length`` items with ``padding``.

    ``padding`` is one byte written in hex. A list already long enough is
    returned as a copy, never truncated.
    """
    fill = int(padding, 16)
    return bytelist + [fill] * (length - len(bytelist))


# GSM 03.38 (3GPP TS 23.038) default alphabet: the character at index i is
# encoded as septet i. Index 0x1B is the escape to the extension table and
# is not a character, so it is left out of the lookup below.
_GSM_DEFAULT_ALPHABET = (
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)
_GSM_CODES = {char: code for code, char in enumerate(_GSM_DEFAULT_ALPHABET) if code != 0x1B}


def toGSM3_38Bytes(stringtoconvert: str | bytes) -> list[int]:
    """Encode text with the GSM 03.38 default alphabet, one septet per int.

    Bytes are read as ISO 8859-1. A character missing from the alphabet
    raises KeyError with that character.
    """
    if isinstance(stringtoconvert, bytes):
        stringtoconvert = stringtoconvert.decode("iso8859-1")
    codes = _GSM_CODES
    return [codes[char] for char in stringtoconvert]


def HexListToBinString(hexlist: list[int]) -> str:
    """Deprecated: decode a list of byte values as UTF-8 text."""
    import warnings  # here: only these deprecated helpers need it

    warnings.warn(
        'Use `bytes(hexlist).decode("utf-8")` or similar.',
        DeprecationWarning,
        stacklevel=2,
    )
    return bytes(hexlist).decode("utf-8")


def BinStringToHexList(binstring: str) -> list[int]:
    """Deprecated: encode text as UTF-8 and return the byte values."""
    import warnings  # here: only these deprecated helpers need it

    warnings.warn(
        'Use `list(binstring.encode("utf-8"))` or similar.',
        DeprecationWarning,
        stacklevel=2,
    )
    return list(binstring.encode("utf-8"))


# Short aliases kept from early pyscard releases.
hl2bs = HexListToBinString
bs2hl = BinStringToHexList
