# SPDX-License-Identifier: LGPL-2.1-or-later
"""The default behaviour of a :class:`~smartcard.testing.VirtualCard`: a small test applet."""

from __future__ import annotations

from smartcard.testing._apdu import parse_command, status

#: AID the demo applet answers SELECT for unless told otherwise.
DEFAULT_AID = bytes.fromhex("F0707973636172640001")  # F0 + "pyscard" + 00 01 (proprietary RID)

CLA_ISO = 0x00
CLA_PROPRIETARY = 0x80
INS_SELECT = 0xA4
INS_GET_RESPONSE = 0xC0
INS_ECHO = 0x10
INS_GET_BYTES = 0x20
INS_STATUS = 0x30

#: Largest data field a response can carry through vpcd (16-bit frame length, minus SW1 SW2).
MAX_RESPONSE_DATA = 65533


class DemoApplet:
    """A stateless applet that gives tests predictable answers.

    =============================  ===========================================================
    command                        response
    =============================  ===========================================================
    ``00 A4 04 xx Lc AID [Le]``    ``90 00`` if AID is the configured one, else ``6A 82``
    ``00 A4 P1 ...`` (P1 != 04)    ``6A 86`` (only selection by AID is supported)
    ``80 10 00 00 Lc data [Le]``   echo: ``data 90 00``
    ``80 20 NH NL [Le]``           N = NH*256 + NL bytes ``00 01 02 .. FF 00 ..`` then ``90 00``
                                   (N up to 65533, else ``6A 86``)
    ``80 30 S1 S2 [Le]``           just the status word ``S1 S2``
    ``00 C0 ...`` GET RESPONSE     ``69 85``: nothing is pending (see :class:`T0Emulation`)
    other INS                      ``6D 00``
    other CLA                      ``6E 00``
    malformed APDU                 ``67 00``
    =============================  ===========================================================
    """

    def __init__(self, aid: bytes = DEFAULT_AID) -> None:
        self.aid = bytes(aid)

    def __call__(self, apdu: bytes) -> bytes:
        """Answer one command APDU with a response APDU (data followed by SW1 SW2)."""
        try:
            cmd = parse_command(apdu)
        except ValueError:
            return status(0x6700)
        if cmd.cla == CLA_ISO:
            if cmd.ins == INS_SELECT:
                if cmd.p1 != 0x04:
                    return status(0x6A86)
                return status(0x9000 if cmd.data == self.aid else 0x6A82)
            if cmd.ins == INS_GET_RESPONSE:
                return status(0x6985)
            return status(0x6D00)
        if cmd.cla == CLA_PROPRIETARY:
            if cmd.ins == INS_ECHO:
                return cmd.data + status(0x9000)
            if cmd.ins == INS_GET_BYTES:
                count = (cmd.p1 << 8) | cmd.p2
                if count > MAX_RESPONSE_DATA:
                    return status(0x6A86)
                return pattern(count) + status(0x9000)
            if cmd.ins == INS_STATUS:
                return bytes((cmd.p1, cmd.p2))
            return status(0x6D00)
        return status(0x6E00)


def pattern(count: int) -> bytes:
    """The data ``80 20`` returns: bytes counting up from 00 and wrapping after FF."""
    return (bytes(range(256)) * (count // 256 + 1))[:count]
