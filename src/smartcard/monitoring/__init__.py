# SPDX-License-Identifier: LGPL-2.1-or-later
"""Card and reader event monitoring: one engine thread per process.

Most applications use the pyscard classes built on it:
:class:`smartcard.CardMonitoring.CardMonitor`,
:class:`smartcard.ReaderMonitoring.ReaderMonitor` and
:class:`smartcard.CardRequest.CardRequest`. Code that wants the raw events
(an asyncio adapter, say) subscribes to the engine directly::

    from smartcard.monitoring import get_engine

    def on_events(events):          # runs on the engine thread: be quick
        queue.put(events)

    subscription = get_engine().subscribe(on_events)
    print(subscription.snapshot)    # readers and cards present right now
    ...
    subscription.unsubscribe()
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from smartcard.monitoring.engine import (
        PNP_NOTIFICATION,
        MonitorEngine,
        Subscription,
        get_engine,
    )
    from smartcard.monitoring.events import EventKind, MonitorEvent, Snapshot

__all__ = [
    "EventKind",
    "MonitorEngine",
    "MonitorEvent",
    "PNP_NOTIFICATION",
    "Snapshot",
    "Subscription",
    "get_engine",
]

# The names above are imported on first access: CardMonitoring imports this
# package's observable module at application start-up, and the engine (its
# thread machinery, logging, enum...) is only needed once a monitor starts.
_LAZY_EXPORTS = {
    "EventKind": "smartcard.monitoring.events",
    "MonitorEvent": "smartcard.monitoring.events",
    "Snapshot": "smartcard.monitoring.events",
    "MonitorEngine": "smartcard.monitoring.engine",
    "PNP_NOTIFICATION": "smartcard.monitoring.engine",
    "Subscription": "smartcard.monitoring.engine",
    "get_engine": "smartcard.monitoring.engine",
}


def __getattr__(name: str) -> object:
    module_name = _LAZY_EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(__import__(module_name, fromlist=[name]), name)
    globals()[name] = value  # later accesses skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY_EXPORTS))
