# SPDX-License-Identifier: LGPL-2.1-or-later
"""Be told of card insertions and removals, here until the first insertion."""

import threading

from smartcard.CardMonitoring import CardMonitor, CardObserver
from smartcard.util import toHexString


class PrintObserver(CardObserver):
    def __init__(self):
        self.inserted = threading.Event()

    def update(self, observable, actions):
        added_cards, removed_cards = actions
        for card in added_cards:
            print("inserted:", toHexString(card.atr))
        for card in removed_cards:
            print("removed:", toHexString(card.atr))
        if added_cards:
            self.inserted.set()


monitor = CardMonitor()
observer = PrintObserver()
monitor.addObserver(observer)  # cards already present are reported at once
try:
    if not observer.inserted.wait(timeout=10):
        raise SystemExit("no card inserted within 10 s")
finally:
    monitor.deleteObserver(observer)
