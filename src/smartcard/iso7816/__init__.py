# SPDX-License-Identifier: LGPL-2.1-or-later
"""ISO/IEC 7816-4 for the new API: APDUs, responses, transport rules, logical channels.

========================  ==============================================
module                    what it holds
========================  ==============================================
``apdu``                  command APDU encoding (cases 1-4, short/extended)
``response``              :class:`Response` (data, sw, ``check()``)
``errors``                :class:`StatusWordError` family, TransportError
``transport``             GET RESPONSE, 6Cxx and chaining rules
``channels``              MANAGE CHANNEL and CLA rewriting (channels 0-19)
``capabilities``          card capabilities announced in the ATR
``decorator``             :class:`ISO7816TransportDecorator` for pyscard connections
========================  ==============================================

Nothing here imports the PC/SC extension except ``decorator`` (through
pyscard's connection classes).
"""

from __future__ import annotations

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
