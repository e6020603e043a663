# SPDX-License-Identifier: LGPL-2.1-or-later
"""Logical channels: MANAGE CHANNEL, and the channel number carried in CLA.

ISO 7816-4 codes the channel in CLA in two ways:

* first interindustry class (``000x xxxx``): channels 0 to 3 in bits 2-1,
  secure messaging in bits 4-3, command chaining in bit 5;
* further interindustry class (``01xx xxxx``): channels 4 to 19 as
  ``channel - 4`` in bits 4-1, secure messaging in bit 6, chaining in bit 5.

Proprietary classes that mirror this layout with bit 8 set (GlobalPlatform's
``80``-``9F`` and ``C0``-``FE``) are rewritten the same way, keeping bit 8.
Other classes (``20``-``3F`` reserved, ``A0``-``BF`` such as GSM's ``A0``,
and the invalid ``FF``) carry no channel and are refused.
"""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Type

from smartcard._log import LazyLogger
from smartcard.iso7816._checks import BytesLike, as_bytes, check_byte, check_int
from smartcard.iso7816.response import Response

__all__ = [
    "MAX_CHANNEL",
    "INS_MANAGE_CHANNEL",
    "channel_of",
    "cla_for_channel",
    "manage_channel_open",
    "manage_channel_close",
    "LogicalChannel",
    "open_channel",
]

_log = LazyLogger("smartcard")

MAX_CHANNEL = 19
INS_MANAGE_CHANNEL = 0x70

_PROPRIETARY = 0x80
_FURTHER = 0x40
_CHAINING = 0x10
_FURTHER_SM = 0x20
# First-class SM indications (CLA bits 4-3) that the further class's single
# SM bit can express: "SM, command header not processed" in ISO's classes,
# GlobalPlatform's secure messaging (01) in its proprietary ones.
_FIRST_SM_UNAUTHENTICATED = 0b10
_FIRST_SM_PROPRIETARY = 0b01


def _check_channel_class(cla: int) -> None:
    check_byte("cla", cla)
    if cla == 0xFF or (cla & 0x60) == 0x20:
        raise ValueError(f"cla {cla:02X} is not an interindustry-style class: it has no channel")


def channel_of(cla: int) -> int:
    """The logical channel number (0 to 19) that ``cla`` addresses."""
    _check_channel_class(cla)
    if cla & _FURTHER:
        return 4 + (cla & 0x0F)
    return cla & 0x03


def cla_for_channel(cla: int, channel: int) -> int:
    """``cla`` rewritten to address ``channel`` (0 to 19), keeping chaining and secure messaging.

    Raises ValueError when ``cla`` has no channel coding, or when its secure
    messaging indication cannot be written in the class that ``channel``
    needs: the further class has one SM bit, which stands for "SM, header
    not processed" (``08``) in ISO's classes and for GlobalPlatform's
    ``84`` in the proprietary ones.
    """
    _check_channel_class(cla)
    check_int("channel", channel, 0, MAX_CHANNEL)
    flags = cla & (_PROPRIETARY | _CHAINING)
    # The one first-class SM coding that the further class's SM bit stands for:
    # ISO's "SM, header not processed", or GlobalPlatform's 01 in its classes.
    mappable_sm = _FIRST_SM_PROPRIETARY if cla & _PROPRIETARY else _FIRST_SM_UNAUTHENTICATED
    if cla & _FURTHER:
        sm = mappable_sm if cla & _FURTHER_SM else 0
    else:
        sm = (cla >> 2) & 0x03
    if channel <= 3:
        return flags | sm << 2 | channel
    if sm not in (0, mappable_sm):
        raise ValueError(
            f"cla {cla:02X}: its secure messaging indication cannot be coded for channel "
            f"{channel} (further interindustry class)"
        )
    return flags | _FURTHER | (_FURTHER_SM if sm else 0) | (channel - 4)


def manage_channel_open(channel: int | None = None, *, from_channel: int = 0) -> bytes:
    """MANAGE CHANNEL open: the card picks the channel (answered in one data byte),
    or ``channel`` (1 to 19) is opened."""
    cla = cla_for_channel(0x00, from_channel)
    if channel is None:
        return bytes((cla, INS_MANAGE_CHANNEL, 0x00, 0x00, 0x01))
    check_int("channel", channel, 1, MAX_CHANNEL)
    return bytes((cla, INS_MANAGE_CHANNEL, 0x00, channel))


def manage_channel_close(channel: int, *, from_channel: int = 0) -> bytes:
    """MANAGE CHANNEL close for ``channel`` (1 to 19)."""
    check_int("channel", channel, 1, MAX_CHANNEL)
    return bytes((cla_for_channel(0x00, from_channel), INS_MANAGE_CHANNEL, 0x80, channel))


class _Transmitter(Protocol):
    def transmit(self, apdu: BytesLike) -> Response: ...


class LogicalChannel:
    """A logical channel on a card: its commands get their CLA rewritten.

    Obtained from :func:`open_channel` (or ``PCSCCard.open_channel()``);
    :meth:`close` (or leaving a ``with`` block) sends MANAGE CHANNEL close.
    The GET RESPONSE commands the transport sends keep the channel too.
    """

    def __init__(self, card: _Transmitter, number: int) -> None:
        self._card = card
        self.number = check_int("number", number, 0, MAX_CHANNEL)
        self.closed = False

    def cla(self, cla: int = 0x00) -> int:
        """``cla`` rewritten for this channel."""
        return cla_for_channel(cla, self.number)

    def transmit(self, apdu: BytesLike) -> Response:
        """Send ``apdu`` on this channel: its CLA is rewritten, the rest sent as is."""
        if self.closed:
            raise ValueError(f"logical channel {self.number} is closed")
        raw = as_bytes("apdu", apdu)
        if len(raw) < 4:
            raise ValueError(f"apdu must have at least 4 bytes (CLA INS P1 P2), not {len(raw)}")
        return self._card.transmit(bytes((cla_for_channel(raw[0], self.number),)) + raw[1:])

    def close(self) -> Response:
        """Close the channel (MANAGE CHANNEL close); closing twice does nothing.

        The basic channel (0) cannot be closed: closing it only marks this
        object closed.
        """
        if self.closed:
            return Response(b"", 0x9000)
        self.closed = True
        if self.number == 0:
            return Response(b"", 0x9000)
        return self._card.transmit(manage_channel_close(self.number)).check()

    def __enter__(self) -> LogicalChannel:
        return self

    def __exit__(
        self,
        exc_type: Type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc is None:
            self.close()
            return
        # Keep the block's exception: a failed close (card gone...) is only logged.
        try:
            self.close()
        except Exception:
            _log.debug("closing logical channel %d failed", self.number, exc_info=True)

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<LogicalChannel {self.number} ({state})>"


def open_channel(card: _Transmitter, channel: int | None = None) -> LogicalChannel:
    """Open a logical channel with MANAGE CHANNEL and return it.

    With ``channel=None`` the card chooses the number; otherwise that channel
    (1 to 19) is opened. Raises a StatusWordError when the card refuses
    (typically 6881, "Logical channel not supported").
    """
    response = card.transmit(manage_channel_open(channel)).check()
    if channel is not None:
        return LogicalChannel(card, channel)
    if len(response.data) != 1:
        raise ValueError(
            f"MANAGE CHANNEL open answered {len(response.data)} data bytes, expected 1 "
            "(the channel number)"
        )
    return LogicalChannel(card, response.data[0])
