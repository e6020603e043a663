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

from smartcard.monitoring.engine import PNP_NOTIFICATION, MonitorEngine, Subscription, get_engine
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
