# SPDX-License-Identifier: LGPL-2.1-or-later
"""Listing readers and querying their state: the one place each is written."""

from __future__ import annotations

from smartcard._pcsc import backend
from smartcard._pcsc.context_errors import readers_error
from smartcard._pcsc.extension import (
    SCARD_E_NO_READERS_AVAILABLE,
    SCARD_E_TIMEOUT,
    SCARD_STATE_MUTE,
    SCARD_STATE_PRESENT,
    SCARD_STATE_UNAWARE,
)
from smartcard._pcsc.failures import card_failure

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, Sequence, Tuple, Union

    from smartcard._pcsc.backend import Backend

    GroupsArg = Union[None, str, List[str], Tuple[str, ...]]
    #: One reader's state: its name, SCARD_STATE_* flags (with the event
    #: counter in the high 16 bits) and the card's ATR (empty without a card).
    ReaderStatus = Tuple[str, int, bytes]

__all__ = ["list_reader_names", "reader_states", "readers_with_card"]


def _group_list(groups: GroupsArg) -> list[str]:
    if groups is None:
        return []
    if isinstance(groups, str):
        return [groups]
    if not isinstance(groups, (list, tuple)) or not all(isinstance(g, str) for g in groups):
        raise TypeError("groups must be a list of reader group names (str)")
    return list(groups)


def list_reader_names(
    hcontext: int, groups: GroupsArg = None, api: Backend | None = None
) -> list[str]:
    """Names of the readers in ``groups`` (all readers when empty) using ``hcontext``.

    No reader attached is not an error: it gives ``[]``.
    """
    if api is None:
        api = backend.current()
    hresult, names = api.SCardListReaders(hcontext, _group_list(groups))
    if not hresult:
        return list(names)
    if hresult == SCARD_E_NO_READERS_AVAILABLE:
        return []
    raise readers_error(hresult, establishing=False)


def reader_states(
    hcontext: int, names: Sequence[str], api: Backend | None = None
) -> list[ReaderStatus]:
    """The current state of each named reader, in the same order, without waiting.

    Raises ``CardConnectionException`` (explained) when PC/SC cannot tell.
    """
    if not names:
        return []
    if api is None:
        api = backend.current()
    query = [(name, SCARD_STATE_UNAWARE) for name in names]
    hresult, found = api.SCardGetStatusChange(hcontext, 0, query)
    # A zero timeout may answer "timed out" with the states filled in.
    if hresult and hresult != SCARD_E_TIMEOUT:
        raise card_failure("read the reader states", hresult)
    return [(name, state, bytes(atr)) for name, state, atr in found]


def readers_with_card(hcontext: int, api: Backend | None = None) -> list[str]:
    """Names of the readers that hold a responsive card, in PC/SC's listing order."""
    states = reader_states(hcontext, list_reader_names(hcontext, api=api), api)
    return [
        name
        for name, state, _atr in states
        if state & SCARD_STATE_PRESENT and not state & SCARD_STATE_MUTE
    ]
