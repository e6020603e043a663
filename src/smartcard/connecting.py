# SPDX-License-Identifier: LGPL-2.1-or-later
"""``connect()``: open a :class:`~smartcard.pcsc_card.PCSCCard` by reader object, name, or
to the first reader holding a card."""

from __future__ import annotations

from typing import TYPE_CHECKING, List, Union

from smartcard._log import LazyLogger
from smartcard._pcsc import backend
from smartcard._pcsc import readers as _readers
from smartcard._pcsc.context import establish_context
from smartcard._pcsc.exceptions import NoCardException, NoReadersException
from smartcard._pcsc.extension import SCARD_E_NO_SMARTCARD
from smartcard._pcsc.handle import CardHandle
from smartcard.iso7816.capabilities import card_capabilities
from smartcard.iso7816.transport import DEFAULT_OPTIONS, TransportOptions, optional_options
from smartcard.pcsc_card import PCSCCard
from smartcard.pcsc_enums import Disposition, Protocol, ShareMode, enum_argument

__all__ = ["connect", "readers_with_card"]

_log = LazyLogger("smartcard")

if TYPE_CHECKING:
    from smartcard.reader.Reader import Reader

ReaderArg = Union[None, str, "Reader"]


def _reader_name(reader: object) -> str | None:
    if reader is None or isinstance(reader, str):
        return reader
    name = getattr(reader, "name", None)
    if isinstance(name, str):
        return name
    raise TypeError(
        f"reader must be a reader name (str), a Reader or None, not {type(reader).__name__}"
    )


def readers_with_card(hcontext: int) -> List[str]:
    """Names of the readers that hold a responsive card, in PC/SC's listing order."""
    return _readers.readers_with_card(hcontext)


def connect(
    reader: ReaderArg = None,
    *,
    share: ShareMode = ShareMode.SHARED,
    protocols: Protocol = Protocol.ANY,
    disposition: Disposition = Disposition.UNPOWER,
    transport: TransportOptions | None = None,
) -> PCSCCard:
    """Connect to a card and return it; use it as a context manager to disconnect on exit.

    ``reader``: a reader name, a reader object (``smartcard.System.readers()``)
    or None for the first reader holding a card (the first reader at all for
    ``ShareMode.DIRECT``). ``protocols``: those acceptable (ignored, and
    none negotiated, for DIRECT). ``disposition``: what closing does to the
    card. ``transport``: the ISO 7816 transport rules; by default all are
    on, with extended length used only if the card's ATR announces it
    (command chaining otherwise).

    Raises NoReadersException without readers, NoCardException
    (``CardNotPresentException`` when the named reader is empty) without a
    card, and CardConnectionException with the PC/SC explanation otherwise.
    """
    name = _reader_name(reader)
    share = enum_argument(ShareMode, "share", share)
    protocols = enum_argument(Protocol, "protocols", protocols)
    disposition = enum_argument(Disposition, "disposition", disposition)
    options = optional_options("transport", transport)
    if share == ShareMode.DIRECT:
        protocols = Protocol.UNDEFINED
    elif not protocols:
        raise ValueError("protocols must name at least one protocol (e.g. Protocol.ANY)")
    api = backend.current()
    handle = CardHandle(name or "", api, establish_context(True, api))
    try:
        if name is None:
            handle.reader = _pick_reader(handle.hcontext or 0, share)
        handle.connect(share, protocols)
    except BaseException:
        handle.release_context()
        raise
    card = PCSCCard(handle, share, disposition, options)
    if transport is None and card.atr:
        extended = card_capabilities(card.atr).extended_length
        if extended != DEFAULT_OPTIONS.extended_length:
            card.options = TransportOptions(extended_length=extended)
    _log.debug("connected to %r (%s)", card.reader, card.protocol.name)
    return card


def _pick_reader(hcontext: int, share: ShareMode) -> str:
    names = _readers.list_reader_names(hcontext)
    if not names:
        raise NoReadersException()
    if share == ShareMode.DIRECT:
        return names[0]
    holding = _readers.readers_with_card(hcontext)
    if not holding:
        raise NoCardException(
            f"no reader holds a card (readers: {', '.join(names)})", SCARD_E_NO_SMARTCARD
        )
    return holding[0]
