# SPDX-License-Identifier: LGPL-2.1-or-later
"""Smoke test of an installed wheel, run by cibuildwheel after each build.

There is no PC/SC service where wheels are tested (a manylinux container,
a CI runner), so this checks what needs none: the extension loads, the
constants have their PC/SC values, the framework imports, and one call
through the run-time loaded PC/SC library returns a result code (or, where
no library is installed, raises PCSCLibraryError) instead of crashing.
Must be run from outside the source tree, so that the wheel is imported.
"""

from __future__ import annotations

import os
import sys

import smartcard
import smartcard.scard as scard

source_tree = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
module_file = os.path.abspath(scard._scard.__file__)  # type: ignore[attr-defined]
assert not module_file.startswith(os.path.join(source_tree, "src", "")), (
    f"imported the source tree, not the wheel: {module_file}"
)
print("smartcard.scard extension:", module_file)

# Values fixed by the PC/SC specification on every platform. Result codes are
# 32-bit: positive with pcsc-lite, negative where LONG is 32 bits (Windows,
# macOS), so they are compared modulo 2**32.
expected = {
    "SCARD_S_SUCCESS": 0,
    "SCARD_SCOPE_USER": 0,
    "SCARD_SCOPE_SYSTEM": 2,
    "SCARD_SHARE_EXCLUSIVE": 1,
    "SCARD_SHARE_SHARED": 2,
    "SCARD_SHARE_DIRECT": 3,
    "SCARD_PROTOCOL_T0": 1,
    "SCARD_PROTOCOL_T1": 2,
    "SCARD_LEAVE_CARD": 0,
    "SCARD_RESET_CARD": 1,
    "SCARD_UNPOWER_CARD": 2,
    "SCARD_STATE_UNAWARE": 0,
    "SCARD_STATE_PRESENT": 0x20,
    "SCARD_E_NO_SERVICE": 0x8010001D,
    "SCARD_E_NO_SMARTCARD": 0x8010000C,
    "SCARD_W_REMOVED_CARD": 0x80100069,
    "SCARD_E_SERVICE_STOPPED": 0x8010001E,
}
wrong = {
    name: getattr(scard, name, None)
    for name, value in expected.items()
    if not isinstance(getattr(scard, name, None), int) or getattr(scard, name) & 0xFFFFFFFF != value
}
assert not wrong, f"constants with unexpected values: {wrong}"
assert issubclass(scard.PCSCLibraryError, OSError)
assert isinstance(scard.SCardGetErrorMessage(scard.SCARD_E_NO_SERVICE), str)

# The framework modules import without touching PC/SC.
import smartcard.ATR  # noqa: E402,F401
import smartcard.util  # noqa: E402

assert smartcard.util.toHexString([0x3B, 0x00]) == "3B 00"

try:
    result = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
except scard.PCSCLibraryError as exc:
    print("no PC/SC library here (expected on a bare test machine):", exc)
else:
    hresult, hcontext = result
    assert isinstance(hresult, int) and isinstance(hcontext, int), result
    print(
        f"SCardEstablishContext: 0x{hresult & 0xFFFFFFFF:08X} "
        f"({scard.SCardGetErrorMessage(hresult)})"
    )
    if hresult == scard.SCARD_S_SUCCESS:
        assert scard.SCardReleaseContext(hcontext) == scard.SCARD_S_SUCCESS

print(f"wheel smoke test passed on Python {sys.version.split()[0]} ({sys.platform})")
