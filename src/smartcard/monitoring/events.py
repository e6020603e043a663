# SPDX-License-Identifier: LGPL-2.1-or-later
"""What the monitoring engine reports: events, and the state they apply to.

These are plain immutable values, so they can be handed from the engine
thread to any other thread (an observer dispatcher, an asyncio loop) without
copying or locking.
"""

from __future__ import annotations

import enum
from types import MappingProxyType

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable, Mapping, Tuple

__all__ = ["EventKind", "MonitorEvent", "Snapshot"]


class EventKind(enum.Enum):
    """The kinds of change the engine reports."""

    READER_ADDED = "reader added"
    READER_REMOVED = "reader removed"
    CARD_INSERTED = "card inserted"
    CARD_REMOVED = "card removed"
    #: The PC/SC service became unreachable; the removals of every card and
    #: reader it was managing follow in the same batch.
    SERVICE_LOST = "service lost"
    #: The PC/SC service answers again; the readers and cards it manages
    #: arrive as additions right after.
    SERVICE_RESTORED = "service restored"


class _Frozen:
    """Immutable value base: attributes are set once, in ``__init__``."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _fields(self) -> tuple[object, ...]:
        names: tuple[str, ...] = type(self).__slots__
        return tuple(getattr(self, name) for name in names)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())


class MonitorEvent(_Frozen):
    """One change. ``reader`` is empty for service events, ``atr`` for reader events."""

    # Plain slots rather than a dataclass: importing dataclasses costs more
    # than this whole package, and CardMonitoring is imported at start-up.
    __slots__ = ("kind", "reader", "atr")
    kind: EventKind
    reader: str
    atr: bytes

    def __init__(self, kind: EventKind, reader: str = "", atr: bytes = b"") -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "reader", reader)
        object.__setattr__(self, "atr", bytes(atr))

    @property
    def is_card_event(self) -> bool:
        return self.kind in (EventKind.CARD_INSERTED, EventKind.CARD_REMOVED)

    @property
    def is_reader_event(self) -> bool:
        return self.kind in (EventKind.READER_ADDED, EventKind.READER_REMOVED)

    @property
    def is_service_event(self) -> bool:
        return self.kind in (EventKind.SERVICE_LOST, EventKind.SERVICE_RESTORED)

    def __repr__(self) -> str:
        parts = [self.kind.name]
        if self.reader:
            parts.append(repr(self.reader))
        if self.atr:
            parts.append(self.atr.hex().upper())
        return f"<MonitorEvent {' '.join(parts)}>"


class Snapshot(_Frozen):
    """The state a subscriber starts from; the events it then receives apply to it.

    ``readers`` is in PC/SC listing order. ``cards`` maps the name of every
    reader holding a card to the card's ATR (empty for a mute card).
    ``service_available`` is None until the engine has first tried to reach
    the PC/SC service.
    """

    __slots__ = ("readers", "cards", "service_available")
    readers: Tuple[str, ...]
    cards: Mapping[str, bytes]
    service_available: bool | None

    def __init__(
        self,
        readers: Iterable[str] = (),
        cards: Mapping[str, bytes] | None = None,
        service_available: bool | None = None,
    ) -> None:
        object.__setattr__(self, "readers", tuple(readers))
        # A private copy behind a read-only view: a snapshot never changes.
        object.__setattr__(self, "cards", MappingProxyType(dict(cards or {})))
        object.__setattr__(self, "service_available", service_available)

    def _fields(self) -> tuple[object, ...]:
        return (self.readers, dict(self.cards), self.service_available)

    def __hash__(self) -> int:
        return hash((self.readers, tuple(self.cards.items()), self.service_available))

    def __repr__(self) -> str:
        return (
            f"Snapshot(readers={self.readers!r}, cards={dict(self.cards)!r}, "
            f"service_available={self.service_available!r})"
        )
