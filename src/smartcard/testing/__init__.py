# SPDX-License-Identifier: LGPL-2.1-or-later
"""A test kit with a real PC/SC stack: a private pcscd, vpcd virtual readers, emulated cards.

Typical use, outside pytest::

    with PrivatePCSCD() as daemon:
        os.environ.update(daemon.env)       # before the process's first PC/SC call
        daemon.insert_card(0, VirtualCard())
        ...                                 # talk to daemon.reader_names[0]

Without a daemon, :class:`~smartcard.testing.fake.FakeBackend` scripts PC/SC
answers instead (``fake_pcsc`` fixture): fast, and able to fail any call on
demand.

Under pytest the ``pcscd``, ``reader_names``, ``virtual_card`` and
``virtual_card_factory`` fixtures (module :mod:`smartcard.testing.pytest_plugin`)
do this for you. Only the fake imports the PC/SC extension (for its constants),
and only when first used.

vpcd's readers listen for cards on TCP ports of all interfaces, so the private
pcscd runs in a network namespace of its own: no other host can present a card
to it. Cards get in through ``PrivatePCSCD.connect_reader`` (``insert_card``
does that).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from smartcard.testing._host import PCSCDUnavailable
    from smartcard.testing.applet import DEFAULT_AID, DemoApplet
    from smartcard.testing.card import ATR_T0, ATR_T1, VirtualCard
    from smartcard.testing.daemon import ENV_SOCKET, PrivatePCSCD
    from smartcard.testing.fake import FakeBackend, FakeCard
    from smartcard.testing.t0 import T0Emulation

# Names are loaded on first use: pytest imports the plugin submodule (and so
# this package) in every project that has pyscard installed.
_EXPORTS = {
    "ATR_T0": "card",
    "ATR_T1": "card",
    "DEFAULT_AID": "applet",
    "DemoApplet": "applet",
    "ENV_SOCKET": "daemon",
    "FakeBackend": "fake",
    "FakeCard": "fake",
    "PCSCDUnavailable": "_host",
    "PrivatePCSCD": "daemon",
    "T0Emulation": "t0",
    "VirtualCard": "card",
}

__all__ = [
    "ATR_T0",
    "ATR_T1",
    "DEFAULT_AID",
    "DemoApplet",
    "ENV_SOCKET",
    "FakeBackend",
    "FakeCard",
    "PCSCDUnavailable",
    "PrivatePCSCD",
    "T0Emulation",
    "VirtualCard",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
