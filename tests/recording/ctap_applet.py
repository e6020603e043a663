# SPDX-License-Identifier: LGPL-2.1-or-later
"""A FIDO authenticator over ISO 7816, just enough for python-fido2's PC/SC code path.

What ``fido2.pcsc.CtapPcscDevice`` and ``Ctap2``/``Ctap1`` send (fido2 2.x):

* SELECT of the FIDO AID; the answer ``U2F_V2`` says CTAP1 is spoken too;
* NFCCTAP_MSG (``80 10 80 00 Lc cbor 00``): the CTAP2 command, here only
  authenticatorGetInfo (``04``); the answer is a CTAP status byte then CBOR;
* NFCCTAP_GETRESPONSE (``80 11 00 00 00``) while the card answers ``91 00``
  with a keep-alive status (the card is "processing");
* GET RESPONSE (``00 C0 00 00 Le``) while the card answers ``61 xx``;
* the U2F VERSION command (``00 03 00 00 00``).

Answers are cut into :data:`CHUNK`-byte pieces and the first GetInfo of a
selection is answered ``91 00`` once, so that both of fido2's loops run.
"""

from __future__ import annotations

from fido2 import cbor

from smartcard.testing._apdu import parse_command, status

AID_FIDO = bytes.fromhex("A0000006472F0001")
AAGUID = bytes.fromhex("7079736361726420726f756e64747269")  # "pyscard roundtri"
U2F_VERSION = b"U2F_V2"
#: Largest data field per response: smaller than GetInfo's answer, so 61xx chaining is used.
CHUNK = 48

CTAP2_GET_INFO = 0x04
CTAP2_OK = 0x00
CTAP1_ERR_INVALID_COMMAND = 0x01
STATUS_PROCESSING = 0x01

GET_INFO = {
    1: ["U2F_V2", "FIDO_2_0", "FIDO_2_1"],  # versions
    2: ["credProtect", "hmac-secret"],  # extensions
    3: AAGUID,
    4: {"rk": True, "up": True, "plat": False, "clientPin": False},  # options
    5: 1200,  # maxMsgSize
    6: [2, 1],  # pinUvAuthProtocols
    9: ["nfc"],  # transports
}


class CtapApplet:
    """``handler(apdu) -> response`` for :class:`~smartcard.testing.VirtualCard`."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Power-on and reset: nothing selected, nothing pending."""
        self._selected = False
        self._pending = b""  # what GET RESPONSE still has to return
        self._waiting: bytes | None = None  # a CTAP2 answer held back behind a keep-alive
        self._kept_alive = False

    def __call__(self, apdu: bytes) -> bytes:
        try:
            cmd = parse_command(apdu)
        except ValueError:
            return status(0x6700)
        if (cmd.cla, cmd.ins, cmd.p1) == (0x00, 0xA4, 0x04):
            self._selected = cmd.data == AID_FIDO
            self._pending = b""
            return self._chunked(U2F_VERSION) if self._selected else status(0x6A82)
        if not self._selected:
            return status(0x6985)
        if (cmd.cla, cmd.ins) == (0x00, 0xC0):
            return self._chunked(self._pending) if self._pending else status(0x6985)
        if (cmd.cla, cmd.ins) == (0x80, 0x10):
            return self._ctap2(cmd.data)
        if (cmd.cla, cmd.ins) == (0x80, 0x11):
            if self._waiting is None:
                return status(0x6985)
            answer, self._waiting = self._waiting, None
            return self._chunked(answer)
        if (cmd.cla, cmd.ins) == (0x00, 0x03):
            return self._chunked(U2F_VERSION)
        return status(0x6D00 if cmd.cla in (0x00, 0x80) else 0x6E00)

    def _ctap2(self, message: bytes) -> bytes:
        if message[:1] != bytes((CTAP2_GET_INFO,)):
            return self._chunked(bytes((CTAP1_ERR_INVALID_COMMAND,)))
        answer = bytes((CTAP2_OK,)) + cbor.encode(GET_INFO)
        if not self._kept_alive:
            # Once per selection: a real authenticator may need time, fido2 then polls.
            self._kept_alive = True
            self._waiting = answer
            return bytes((STATUS_PROCESSING,)) + status(0x9100)
        return self._chunked(answer)

    def _chunked(self, data: bytes) -> bytes:
        head, self._pending = data[:CHUNK], data[CHUNK:]
        if self._pending:
            return head + bytes((0x61, min(len(self._pending), 0xFF)))
        return head + status(0x9000)
