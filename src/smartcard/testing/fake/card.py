# SPDX-License-Identifier: LGPL-2.1-or-later
"""A scripted card for :class:`~smartcard.testing.fake.FakeBackend`: an ATR and APDU answers.

The answers are given as code or as data, so that a recorded session can
drive the same card:

* a callable ``bytes -> bytes`` (or ``-> int``: a PC/SC code the transmit fails with);
* a mapping ``command -> response``: a command not in it answers ``6D 00``
  (instruction not supported), as a card would;
* a sequence of ``(command, response)`` pairs, played in order: a command
  other than the expected one, or one past the end, answers ``6F 00`` and is
  recorded in :attr:`FakeCard.unexpected`, so the test can assert there was none;
* ``None``: every command answers ``90 00``.

Commands and responses are bytes or hex text (``"00 A4 04 00"``); a response
may also be a PC/SC code, as an int or a name (``"SCARD_F_COMM_ERROR"``).
"""

from __future__ import annotations

import threading
from typing import Callable, List, Mapping, Sequence, Tuple, Union

from smartcard._pcsc import extension as pcsc

#: What a card answers one APDU with: a response APDU or a PC/SC failure code.
Answer = Union[bytes, int]
ApduHandler = Callable[[bytes], Answer]
#: Bytes, hex text, or (for responses) a PC/SC code or its name.
Scripted = Union[bytes, bytearray, str, int]
Apdus = Union[
    ApduHandler,
    Mapping[Scripted, Scripted],
    Sequence[Tuple[Scripted, Scripted]],
    None,
]

__all__ = ["FakeCard", "code_of", "hex_bytes"]

_NOT_SUPPORTED = b"\x6d\x00"
_NO_DIAGNOSIS = b"\x6f\x00"
_OK = b"\x90\x00"


def hex_bytes(value: Scripted) -> bytes:
    """``value`` as bytes: bytes as they are, text as hex (spaces and colons allowed)."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str):
        return bytes.fromhex(value.replace(":", " "))
    raise TypeError(f"expected bytes or hex text, not {type(value).__name__}")


def code_of(value: int | str) -> int:
    """A PC/SC result code given as an int or by its name (``"SCARD_E_TIMEOUT"``)."""
    if isinstance(value, str):
        code = getattr(pcsc, value, None)
        if not value.startswith("SCARD_") or not isinstance(code, int):
            raise ValueError(f"not a PC/SC result code name: {value!r}")
        return code
    return int(value)


def _answer(value: Scripted) -> Answer:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.startswith("SCARD_"):
        return code_of(value)
    return hex_bytes(value)


def _protocols_of(atr: bytes) -> int:
    """The protocols the ATR offers (ISO 7816-3 TDi bytes); T=0 when it names none."""
    protocols = 0
    index, y = 1, atr[1] >> 4 if len(atr) > 1 else 0
    while y:
        # TAi, TBi, TCi come before TDi, each present when its bit in Y is.
        index += bin(y & 0x7).count("1")
        if not y & 0x8 or index + 1 >= len(atr):
            break
        index += 1
        td = atr[index]
        protocols |= 1 << (td & 0x0F)
        y = td >> 4
    t0_t1 = protocols & (pcsc.SCARD_PROTOCOL_T0 | pcsc.SCARD_PROTOCOL_T1)
    return t0_t1 or pcsc.SCARD_PROTOCOL_T0


class FakeCard:
    """A card with ``atr`` that answers APDUs as ``apdus`` says (see the module docstring).

    ``protocols`` (a ``SCARD_PROTOCOL_*`` mask) defaults to what the ATR
    offers. A ``mute`` card is seen in the reader but cannot be connected to.
    :attr:`apdus` lists the commands received, :attr:`resets` counts resets.
    """

    def __init__(
        self,
        atr: Scripted = "3B 80 80 01 01",
        apdus: Apdus = None,
        protocols: int | None = None,
        mute: bool = False,
    ) -> None:
        self.atr = hex_bytes(atr)
        self.protocols = _protocols_of(self.atr) if protocols is None else protocols
        self.mute = mute
        self.resets = 0
        self.apdus: List[bytes] = []
        self.unexpected: List[bytes] = []
        self._lock = threading.Lock()
        self._handler = self._make_handler(apdus)

    def _make_handler(self, apdus: Apdus) -> ApduHandler:
        if apdus is None:
            return lambda _command: _OK
        if callable(apdus):
            return apdus
        if isinstance(apdus, Mapping):
            table = {hex_bytes(c): _answer(r) for c, r in apdus.items()}
            return lambda command: table.get(command, _NOT_SUPPORTED)
        steps = [(hex_bytes(c), _answer(r)) for c, r in apdus]
        position = [0]

        def play(command: bytes) -> Answer:
            with self._lock:
                index = position[0]
                if index < len(steps) and steps[index][0] == command:
                    position[0] = index + 1
                    return steps[index][1]
                self.unexpected.append(command)
                return _NO_DIAGNOSIS

        return play

    def transmit(self, command: bytes) -> Answer:
        """The card's answer to ``command`` (also recorded in :attr:`apdus`)."""
        with self._lock:
            self.apdus.append(command)
        return self._handler(command)

    def __repr__(self) -> str:
        return f"FakeCard(atr={self.atr.hex(' ').upper()!r})"
