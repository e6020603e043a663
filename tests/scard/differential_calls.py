# SPDX-License-Identifier: LGPL-2.1-or-later
"""A fixed sequence of low-level calls whose results are printed as JSON.

Run by test_differential.py under our package and under pyscard 2.3.1
against the same daemon and card; handles are replaced by their role so
the two transcripts can be compared.
"""

import json
import sys

import smartcard.scard as s

reader0, reader1 = sys.argv[1], sys.argv[2]
log = []


def record(name, result, handles=()):
    if isinstance(result, list):
        result = [("<handle>" if i in handles else v) for i, v in enumerate(result)]
    log.append([name, result])
    return result


hresult, ctx = s.SCardEstablishContext(s.SCARD_SCOPE_USER)
record("establish", [hresult, ctx], handles=(1,))
record("valid", s.SCardIsValidContext(ctx))
record("readers", s.SCardListReaders(ctx, []))
record("groups", s.SCardListReaderGroups(ctx))
record("readers-in-group", s.SCardListReaders(ctx, ["SCard$DefaultReaders"]))
record("connect-empty", s.SCardConnect(ctx, reader1, s.SCARD_SHARE_SHARED, 3))
record("connect-unknown", s.SCardConnect(ctx, "nobody", s.SCARD_SHARE_SHARED, 3)[:1])
hresult, card, protocol = s.SCardConnect(ctx, reader0, s.SCARD_SHARE_SHARED, 3)
record("connect", [hresult, card, protocol], handles=(1,))
status = s.SCardStatus(card)
status[2] &= 0xFFFF  # the high half counts events: it differs between runs
record("status", status)
for apdu in (
    [0x00, 0xA4, 0x04, 0x00, 0x0A, 0xF0, 0x70, 0x79, 0x73, 0x63, 0x61, 0x72, 0x64, 0x00, 0x01],
    [0x80, 0x10, 0x00, 0x00, 0x03, 1, 2, 3],
    [0x80, 0x20, 0x01, 0x00, 0x00],
    [0x80, 0x20, 0xFF, 0xFD, 0x00, 0x00, 0x00],
    [0x80, 0x30, 0x63, 0xC2],
    [0x00, 0x00, 0x00, 0x00],
):
    record("transmit", s.SCardTransmit(card, s.SCARD_PCI_T1, apdu))
record("transmit-t0-pci", s.SCardTransmit(card, s.SCARD_PCI_T0, [0x80, 0x10, 0, 0, 0]))
for attribute in (s.SCARD_ATTR_ATR_STRING, s.SCARD_ATTR_VENDOR_NAME, s.SCARD_ATTR_MAXINPUT):
    record("attrib", s.SCardGetAttrib(card, attribute))
record("control", s.SCardControl(card, s.SCARD_CTL_CODE(3400), []))
record("begin", s.SCardBeginTransaction(card))
record("end", s.SCardEndTransaction(card, s.SCARD_LEAVE_CARD))
record("end-again", s.SCardEndTransaction(card, s.SCARD_LEAVE_CARD))
record("reconnect", s.SCardReconnect(card, s.SCARD_SHARE_SHARED, 3, s.SCARD_RESET_CARD))
hresult, states = s.SCardGetStatusChange(ctx, 0, [(reader0, 0), (reader1, 0)])
record("status-change", [hresult, [(n, e & 0xFFFF, a) for n, e, a in states]])
record("status-change-unknown", s.SCardGetStatusChange(ctx, 0, [("nobody", 0)]))
record("cancel", s.SCardCancel(ctx))
record("disconnect", s.SCardDisconnect(card, s.SCARD_UNPOWER_CARD))
record("disconnect-again", s.SCardDisconnect(card, s.SCARD_UNPOWER_CARD))
record("transmit-stale", s.SCardTransmit(card, s.SCARD_PCI_T1, [0, 0, 0, 0]))
record("status-stale", s.SCardStatus(card))
record("release", s.SCardReleaseContext(ctx))
record("release-again", s.SCardReleaseContext(ctx))
record("message", s.SCardGetErrorMessage(s.SCARD_E_NO_SMARTCARD))
print(json.dumps(log))
