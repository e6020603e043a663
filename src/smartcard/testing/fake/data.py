# SPDX-License-Identifier: LGPL-2.1-or-later
"""Building a fake PC/SC service from data (a dict, as read from JSON or YAML).

::

    {
      "pnp": true,
      "readers": [
        {"name": "Reader 0",
         "card": {"atr": "3B 80 80 01 01", "protocols": ["T1"],
                  "apdus": [["00 A4 04 00 00", "90 00"],
                            ["00 B0 00 00 02", "SCARD_F_COMM_ERROR"]]}},
        {"name": "Reader 1", "controls": {"1107299656": ""}}
      ],
      "script": {"SCardEstablishContext": ["SCARD_E_SERVICE_STOPPED"]}
    }

``apdus`` is a list of ``[command, response]`` pairs played in order, or a
``{command: response}`` mapping; see :mod:`smartcard.testing.fake.card`.
``script`` queues answers per call, as :meth:`FakeBackend.script` does.
Keys of ``attributes`` and ``controls`` may be ints or decimal/hex text.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping

from smartcard._pcsc import extension as pcsc
from smartcard.testing.fake.backend import FakeBackend
from smartcard.testing.fake.card import FakeCard, hex_bytes

__all__ = ["from_data", "card_from_data"]

_PROTOCOLS = {"T0": pcsc.SCARD_PROTOCOL_T0, "T1": pcsc.SCARD_PROTOCOL_T1}
_READER_KEYS = {"name", "card", "attributes", "controls"}
_CARD_KEYS = {"atr", "apdus", "protocols", "mute"}


def _check_keys(what: str, data: Mapping[str, Any], allowed: set[str]) -> None:
    # A misspelt key would silently give a default: say so instead.
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"unknown {what} keys: {sorted(unknown)}")


def _int_keys(table: Mapping[Any, Any] | None) -> Dict[int, bytes]:
    items = (table or {}).items()
    return {int(k, 0) if isinstance(k, str) else int(k): hex_bytes(v) for k, v in items}


def card_from_data(data: Mapping[str, Any]) -> FakeCard:
    """A :class:`FakeCard` from ``{"atr", "apdus", "protocols", "mute"}``."""
    _check_keys("card", data, _CARD_KEYS)
    protocols = None
    if "protocols" in data:
        protocols = 0
        for name in data["protocols"]:
            protocols |= _PROTOCOLS[name]
    apdus = data.get("apdus")
    if isinstance(apdus, list):
        apdus = [tuple(step) for step in apdus]
    return FakeCard(data.get("atr", "3B 80 80 01 01"), apdus, protocols, bool(data.get("mute")))


def from_data(data: Mapping[str, Any]) -> FakeBackend:
    """A :class:`FakeBackend` with the readers, cards and scripted answers ``data`` describes."""
    _check_keys("fake", data, {"pnp", "readers", "script"})
    fake = FakeBackend(pnp=bool(data.get("pnp", True)))
    for reader in data.get("readers", []):
        _check_keys("reader", reader, _READER_KEYS)
        card = reader.get("card")
        fake.add_reader(
            reader["name"],
            card_from_data(card) if card is not None else None,
            attributes=_int_keys(reader.get("attributes")),
            controls=_int_keys(reader.get("controls")),
        )
    for call, results in data.get("script", {}).items():
        fake.script(call, *results)
    return fake
