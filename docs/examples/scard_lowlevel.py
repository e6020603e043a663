# SPDX-License-Identifier: LGPL-2.1-or-later
"""The PC/SC API itself, through smartcard.scard: every call returns its result code."""

import smartcard.scard as scard


def check(hresult, call):
    if hresult != scard.SCARD_S_SUCCESS:
        raise SystemExit(f"{call} failed: {scard.SCardGetErrorMessage(hresult)}")


hresult, hcontext = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
check(hresult, "SCardEstablishContext")
try:
    hresult, reader_names = scard.SCardListReaders(hcontext, [])
    check(hresult, "SCardListReaders")
    print("readers:", reader_names)

    hresult, hcard, protocol = scard.SCardConnect(
        hcontext,
        reader_names[0],
        scard.SCARD_SHARE_SHARED,
        scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
    )
    check(hresult, "SCardConnect")
    try:
        # ECHO "hello" (80 10 00 00 05 ...), a command of the demo applet.
        apdu = [0x80, 0x10, 0x00, 0x00, 0x05, *b"hello"]
        hresult, response = scard.SCardTransmit(hcard, protocol, apdu)
        check(hresult, "SCardTransmit")
        print("response:", bytes(response[:-2]), f"SW {response[-2]:02X} {response[-1]:02X}")
    finally:
        scard.SCardDisconnect(hcard, scard.SCARD_LEAVE_CARD)
finally:
    scard.SCardReleaseContext(hcontext)
