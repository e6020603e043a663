# SPDX-License-Identifier: LGPL-2.1-or-later
"""The fake backend's calls on a connected card: status, APDUs, control, attributes, transactions.

Also the reader-group management calls, which pcsc-lite does not support.
"""

from __future__ import annotations

import struct
from typing import Any, Tuple

from smartcard._pcsc import extension as pcsc
from smartcard._pcsc.buffers import buffer_bytes
from smartcard.testing.fake.card import FakeCard
from smartcard.testing.fake.model import Handle
from smartcard.testing.fake.service import FakeService

__all__ = ["Exchanges"]

_PCIS = (pcsc.SCARD_PCI_T0, pcsc.SCARD_PCI_T1, pcsc.SCARD_PCI_RAW)
# What SCardStatus reports for a connected card, as pcsc-lite typically does.
_CARD_STATUS = pcsc.SCARD_PRESENT | pcsc.SCARD_POWERED | pcsc.SCARD_NEGOTIABLE
_DISPOSITIONS = (
    pcsc.SCARD_LEAVE_CARD,
    pcsc.SCARD_RESET_CARD,
    pcsc.SCARD_UNPOWER_CARD,
    pcsc.SCARD_EJECT_CARD,
)


class Exchanges(FakeService):
    """Card calls; see :class:`~smartcard.testing.fake.FakeBackend`."""

    def SCardStatus(self, hcard: int, /) -> Any:
        def model() -> Any:
            with self._cond:
                handle = self._handle(hcard)
                if isinstance(handle, int):
                    return [handle, "", 0, 0, []]
                card = handle.card
                if card is None:  # a direct connection to an empty reader
                    return [pcsc.SCARD_S_SUCCESS, handle.reader, pcsc.SCARD_ABSENT, 0, []]
                return [
                    pcsc.SCARD_S_SUCCESS, handle.reader, _CARD_STATUS, handle.protocol,
                    list(card.atr),
                ]  # fmt: skip

        return self._call("SCardStatus", (hcard,), model)

    def SCardTransmit(self, hcard: int, pci: int, apdu: Any, /) -> Any:
        command = buffer_bytes("SCardTransmit", "apdu", apdu)

        def model() -> Any:
            # Checked by the extension before it calls the library.
            if pci not in _PCIS or not command:
                return [pcsc.SCARD_E_INVALID_PARAMETER, []]
            with self._cond:
                handle = self._handle(hcard, reset=True, sharing=True)
                if isinstance(handle, int):
                    return [handle, []]
                card = handle.card
                if card is None:
                    return [pcsc.SCARD_E_NO_SMARTCARD, []]
                if pci != handle.protocol and pci != pcsc.SCARD_PCI_RAW:
                    return [pcsc.SCARD_E_PROTO_MISMATCH, []]
            # Outside the lock: the card's handler may block or be slow, and the
            # test must still be able to remove the card meanwhile.
            answer = card.transmit(command)
            if isinstance(answer, int):
                return [answer, []]
            return [pcsc.SCARD_S_SUCCESS, list(answer)]

        return self._call("SCardTransmit", (hcard, pci, command), model)

    def SCardTransmitBytes(self, hcard: int, pci: int, apdu: Any, /) -> Tuple[int, bytes]:
        # The extension's bytes-first SCardTransmit: the same call, logged as
        # SCardTransmit (scripts and recordings need not tell them apart).
        hresult, response = self.SCardTransmit(hcard, pci, apdu)
        return hresult, bytes(response) if not hresult else b""

    def SCardControl(self, hcard: int, code: int, data: Any, /) -> Any:
        command = buffer_bytes("SCardControl", "inbuffer", data)

        def model() -> Any:
            with self._cond:
                handle = self._handle(hcard, sharing=True)
                if isinstance(handle, int):
                    return [handle, []]
                answer = self._readers[handle.reader].controls.get(code)
                if answer is None:
                    return [pcsc.SCARD_E_UNSUPPORTED_FEATURE, []]
                return [pcsc.SCARD_S_SUCCESS, list(answer)]

        return self._call("SCardControl", (hcard, code, list(command)), model)

    def SCardGetAttrib(self, hcard: int, attribute: int, /) -> Any:
        def model() -> Any:
            with self._cond:
                handle = self._handle(hcard)
                if isinstance(handle, int):
                    return [handle, []]
                value = self._readers[handle.reader].attributes.get(attribute)
                if value is None:
                    value = _derived_attribute(handle, attribute)
                if value is None:
                    return [pcsc.SCARD_E_UNSUPPORTED_FEATURE, []]
                return [pcsc.SCARD_S_SUCCESS, list(value)]

        return self._call("SCardGetAttrib", (hcard, attribute), model)

    def SCardSetAttrib(self, hcard: int, attribute: int, value: Any, /) -> int:
        attrib = buffer_bytes("SCardSetAttrib", "attrib", value)

        def model() -> int:
            with self._cond:
                handle = self._handle(hcard, sharing=True)
                if isinstance(handle, int):
                    return handle
                self._readers[handle.reader].attributes[attribute] = attrib
                return pcsc.SCARD_S_SUCCESS

        result: int = self._call("SCardSetAttrib", (hcard, attribute, list(attrib)), model)
        return result

    # -- transactions -------------------------------------------------------

    def SCardBeginTransaction(self, hcard: int, /) -> int:
        def model() -> int:
            with self._cond:

                def ready() -> int | None:
                    handle = self._handle(hcard, reset=True)
                    if isinstance(handle, int):
                        return handle
                    reader = self._readers[handle.reader]
                    if reader.transaction not in (None, hcard):
                        return None  # pcsc-lite's client waits for the other to end
                    reader.transaction = hcard
                    return pcsc.SCARD_S_SUCCESS

                outcome = self._wait_until(ready, None)
                assert outcome is not None  # no deadline
                return outcome

        result: int = self._call("SCardBeginTransaction", (hcard,), model)
        return result

    def SCardEndTransaction(self, hcard: int, disposition: int, /) -> int:
        def model() -> int:
            with self._cond:
                handle = self._handle(hcard)
                if isinstance(handle, int):
                    return handle
                if disposition not in _DISPOSITIONS:
                    return pcsc.SCARD_E_INVALID_VALUE
                reader = self._readers[handle.reader]
                if reader.transaction != hcard:
                    return pcsc.SCARD_E_NOT_TRANSACTED
                reader.transaction = None
                self._apply_disposition(handle, disposition)
                self._cond.notify_all()
                return pcsc.SCARD_S_SUCCESS

        result: int = self._call("SCardEndTransaction", (hcard, disposition), model)
        return result

    # -- reader groups: Windows only, as the extension says elsewhere -------

    def _unsupported(self, name: str, *args: Any) -> int:
        result: int = self._call(name, args, lambda: pcsc.SCARD_E_UNSUPPORTED_FEATURE)
        return result

    def SCardIntroduceReaderGroup(self, hcontext: int, group: str, /) -> int:
        return self._unsupported("SCardIntroduceReaderGroup", hcontext, group)

    def SCardForgetReaderGroup(self, hcontext: int, group: str, /) -> int:
        return self._unsupported("SCardForgetReaderGroup", hcontext, group)

    def SCardIntroduceReader(self, hcontext: int, reader: str, device: str, /) -> int:
        return self._unsupported("SCardIntroduceReader", hcontext, reader, device)

    def SCardForgetReader(self, hcontext: int, reader: str, /) -> int:
        return self._unsupported("SCardForgetReader", hcontext, reader)

    def SCardAddReaderToGroup(self, hcontext: int, reader: str, group: str, /) -> int:
        return self._unsupported("SCardAddReaderToGroup", hcontext, reader, group)

    def SCardRemoveReaderFromGroup(self, hcontext: int, reader: str, group: str, /) -> int:
        return self._unsupported("SCardRemoveReaderFromGroup", hcontext, reader, group)


def _derived_attribute(handle: Handle, attribute: int) -> bytes | None:
    """The attributes a reader driver derives from the card and the connection."""
    card: FakeCard | None = handle.card
    if attribute == pcsc.SCARD_ATTR_ATR_STRING:
        return card.atr if card is not None else None
    if attribute in (pcsc.SCARD_ATTR_DEVICE_FRIENDLY_NAME, pcsc.SCARD_ATTR_DEVICE_FRIENDLY_NAME_A):
        return handle.reader.encode() + b"\0"
    if attribute == pcsc.SCARD_ATTR_CURRENT_PROTOCOL_TYPE:
        return struct.pack("<I", handle.protocol)
    return None
