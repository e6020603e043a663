# SPDX-License-Identifier: LGPL-2.1-or-later
"""ISO/IEC 7816-3/-4: APDUs, responses, transport rules, logical channels, ATR decoding.

========================  ==============================================
module                    what it holds
========================  ==============================================
``apdu``                  command APDU encoding (cases 1-4, short/extended)
``response``              :class:`Response` (data, sw, ``check()``)
``errors``                :class:`StatusWordError` family, TransportError
``transport``             GET RESPONSE, 6Cxx and chaining rules
``channels``              MANAGE CHANNEL and CLA rewriting (channels 0-19)
``capabilities``          card capabilities announced in the ATR
``atr``                   the interpretation of an ATR (``pyscard atr`` renders it)
``atr_bytes``             meaning of each interface byte; speed, guard time
``atr_structure``         the ATR layout walk and rate tables (``smartcard.ATR``)
``historical``            historical bytes: categories, objects, status indicator
``historical_fields``     bit fields of card service data, capabilities, LCS
``compact_tlv``           the COMPACT-TLV parser
``rfu``                   how reserved (RFU) bits and values are flagged
``decorator``             :class:`ISO7816TransportDecorator` for pyscard connections
========================  ==============================================

Nothing here imports the PC/SC extension except ``decorator`` (through
pyscard's connection classes). The package's own names (CommandAPDU, Response,
...) are imported on first use.
"""

from __future__ import annotations

from smartcard._reexports import from_module as _from_module
from smartcard._reexports import lazy_names as _lazy_names

TYPE_CHECKING = False
if TYPE_CHECKING:
    from smartcard.iso7816.apdu import CommandAPDU, build_command, encode_apdu, parse_apdu
    from smartcard.iso7816.channels import LogicalChannel, channel_of, cla_for_channel
    from smartcard.iso7816.errors import (
        CheckingStatusError,
        ExecutionStatusError,
        SecurityStatusError,
        StatusWordError,
        TransportError,
        WarningStatusError,
    )
    from smartcard.iso7816.response import Response
    from smartcard.iso7816.transport import TransportOptions

__all__ = [
    "CheckingStatusError",
    "CommandAPDU",
    "ExecutionStatusError",
    "LogicalChannel",
    "Response",
    "SecurityStatusError",
    "StatusWordError",
    "TransportError",
    "TransportOptions",
    "WarningStatusError",
    "build_command",
    "channel_of",
    "cla_for_channel",
    "encode_apdu",
    "parse_apdu",
]

_EAGER_BEFORE = ("_checks", "apdu", "channels", "errors", "response", "transport")

# Imported on first use: smartcard.ATR needs only atr_structure, and the
# names below would load typing, dataclasses and re into every program that
# parses an ATR.
__getattr__ = _lazy_names(
    __name__,
    {
        **_from_module("smartcard.iso7816.apdu", "CommandAPDU", "build_command", "encode_apdu"),
        **_from_module("smartcard.iso7816.apdu", "parse_apdu"),
        **_from_module(
            "smartcard.iso7816.channels", "LogicalChannel", "channel_of", "cla_for_channel"
        ),
        **_from_module(
            "smartcard.iso7816.errors",
            "CheckingStatusError",
            "ExecutionStatusError",
            "SecurityStatusError",
            "StatusWordError",
            "TransportError",
            "WarningStatusError",
        ),
        **_from_module("smartcard.iso7816.response", "Response"),
        **_from_module("smartcard.iso7816.transport", "TransportOptions"),
        # The submodules the package used to import eagerly, for code that
        # reached them as attributes of the package.
        **{name: f"smartcard.iso7816.{name}" for name in _EAGER_BEFORE},
    },
)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
