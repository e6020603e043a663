# SPDX-License-Identifier: LGPL-2.1-or-later
"""A tiny ctypes PC/SC client over libpcsclite, for testing the test kit itself.

It lets the kit be checked end to end before the ``smartcard.scard`` extension
is built. Linux pcsc-lite only: there DWORD and LONG are C ``unsigned long``
and ``long`` (8 bytes on 64-bit).
"""

from __future__ import annotations

import ctypes
import ctypes.util
from typing import List, Tuple

SCARD_S_SUCCESS = 0
SCARD_E_TIMEOUT = 0x8010000A
SCARD_E_NO_SMARTCARD = 0x8010000C
SCARD_E_NO_SERVICE = 0x8010001D
SCARD_W_REMOVED_CARD = 0x80100069
SCARD_E_NO_READERS_AVAILABLE = 0x8010002E

SCARD_SCOPE_SYSTEM = 2
SCARD_SHARE_SHARED = 2
SCARD_PROTOCOL_T0 = 1
SCARD_PROTOCOL_T1 = 2
SCARD_LEAVE_CARD = 0
SCARD_RESET_CARD = 1
SCARD_UNPOWER_CARD = 2

SCARD_STATE_UNAWARE = 0x0000
SCARD_STATE_CHANGED = 0x0002
SCARD_STATE_EMPTY = 0x0010
SCARD_STATE_PRESENT = 0x0020

DWORD = ctypes.c_ulong
LONG = ctypes.c_long
HANDLE = ctypes.c_long  # SCARDCONTEXT / SCARDHANDLE are LONG in pcsc-lite


class SCARD_IO_REQUEST(ctypes.Structure):
    _fields_ = [("dwProtocol", DWORD), ("cbPciLength", DWORD)]


class SCARD_READERSTATE(ctypes.Structure):
    _fields_ = [
        ("szReader", ctypes.c_char_p),
        ("pvUserData", ctypes.c_void_p),
        ("dwCurrentState", DWORD),
        ("dwEventState", DWORD),
        ("cbAtr", DWORD),
        ("rgbAtr", ctypes.c_ubyte * 33),
    ]


class PCSCError(Exception):
    def __init__(self, function: str, code: int) -> None:
        super().__init__(f"{function} failed: 0x{code:08X}")
        self.code = code


_lib: ctypes.CDLL | None = None


def lib() -> ctypes.CDLL:
    global _lib
    if _lib is None:
        _lib = ctypes.CDLL(ctypes.util.find_library("pcsclite") or "libpcsclite.so.1")
        for name in (
            "SCardEstablishContext",
            "SCardReleaseContext",
            "SCardListReaders",
            "SCardConnect",
            "SCardDisconnect",
            "SCardTransmit",
            "SCardStatus",
            "SCardGetStatusChange",
        ):
            getattr(_lib, name).restype = LONG
    return _lib


def _check(function: str, rv: int) -> None:
    code = rv & 0xFFFFFFFF
    if code != SCARD_S_SUCCESS:
        raise PCSCError(function, code)


def establish_context() -> int:
    ctx = HANDLE()
    _check(
        "SCardEstablishContext",
        lib().SCardEstablishContext(DWORD(SCARD_SCOPE_SYSTEM), None, None, ctypes.byref(ctx)),
    )
    return ctx.value


def release_context(ctx: int) -> None:
    _check("SCardReleaseContext", lib().SCardReleaseContext(HANDLE(ctx)))


def list_readers(ctx: int) -> List[str]:
    size = DWORD()
    rv = lib().SCardListReaders(HANDLE(ctx), None, None, ctypes.byref(size))
    if rv & 0xFFFFFFFF == SCARD_E_NO_READERS_AVAILABLE:
        return []
    _check("SCardListReaders", rv)
    buf = ctypes.create_string_buffer(size.value)
    _check("SCardListReaders", lib().SCardListReaders(HANDLE(ctx), None, buf, ctypes.byref(size)))
    return [name.decode() for name in buf.raw[: size.value].split(b"\0") if name]


def connect(
    ctx: int, reader: str, protocols: int = SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1
) -> Tuple[int, int]:
    handle = HANDLE()
    active = DWORD()
    _check(
        "SCardConnect",
        lib().SCardConnect(
            HANDLE(ctx),
            reader.encode(),
            DWORD(SCARD_SHARE_SHARED),
            DWORD(protocols),
            ctypes.byref(handle),
            ctypes.byref(active),
        ),
    )
    return handle.value, active.value


def disconnect(handle: int, disposition: int = SCARD_LEAVE_CARD) -> None:
    _check("SCardDisconnect", lib().SCardDisconnect(HANDLE(handle), DWORD(disposition)))


def transmit(handle: int, protocol: int, apdu: bytes) -> bytes:
    pci_name = "g_rgSCardT0Pci" if protocol == SCARD_PROTOCOL_T0 else "g_rgSCardT1Pci"
    pci = SCARD_IO_REQUEST.in_dll(lib(), pci_name)
    send = (ctypes.c_ubyte * len(apdu)).from_buffer_copy(apdu)
    recv = (ctypes.c_ubyte * 65538)()
    recv_len = DWORD(len(recv))
    _check(
        "SCardTransmit",
        lib().SCardTransmit(
            HANDLE(handle),
            ctypes.byref(pci),
            send,
            DWORD(len(apdu)),
            None,
            recv,
            ctypes.byref(recv_len),
        ),
    )
    return bytes(recv[: recv_len.value])


def status(handle: int) -> Tuple[str, int, int, bytes]:
    """Return (reader name, state, protocol, ATR)."""
    name = ctypes.create_string_buffer(256)
    name_len = DWORD(len(name))
    state, protocol = DWORD(), DWORD()
    atr = (ctypes.c_ubyte * 33)()
    atr_len = DWORD(len(atr))
    _check(
        "SCardStatus",
        lib().SCardStatus(
            HANDLE(handle),
            name,
            ctypes.byref(name_len),
            ctypes.byref(state),
            ctypes.byref(protocol),
            atr,
            ctypes.byref(atr_len),
        ),
    )
    return name.value.decode(), state.value, protocol.value, bytes(atr[: atr_len.value])


def get_status_change(
    ctx: int, reader: str, current_state: int, timeout_ms: int
) -> Tuple[int, bytes]:
    """Wait for the state of ``reader`` to differ from ``current_state``; return (state, ATR)."""
    rs = SCARD_READERSTATE()
    rs.szReader = reader.encode()
    rs.dwCurrentState = current_state
    _check(
        "SCardGetStatusChange",
        lib().SCardGetStatusChange(HANDLE(ctx), DWORD(timeout_ms), ctypes.byref(rs), DWORD(1)),
    )
    return rs.dwEventState, bytes(rs.rgbAtr[: rs.cbAtr])
