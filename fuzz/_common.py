# SPDX-License-Identifier: LGPL-2.1-or-later
"""What every fuzz target shares: the stub's controls, the invariant, input makers.

The invariant of every target: a call either converts as documented or
raises one of ``ALLOWED`` (the errors bad input is documented to raise).
Anything else escapes the target, and atheris reports it as a crash with
the input that caused it; SystemError, a segfault or an ASan report are
crashes of their own.
"""

from __future__ import annotations

import ctypes
import os
import sys
from typing import Any, Callable

import atheris

# The errors bad input may raise (the invariant).
ALLOWED: tuple[type[BaseException], ...] = (TypeError, ValueError, OverflowError, MemoryError)
# The defects found so far (fuzz/README.md), by name. fuzz/run.sh
# --skip-known (FUZZ_SKIP_KNOWN=1, or a comma-separated list of names)
# makes the targets steer clear of them, to look for others while they are
# being fixed, or to time how long a target takes to find one of them.
# Skipping replaces a value after it was decoded, never changes what is
# decoded: a crash input means the same thing with or without skipping.
KNOWN_DEFECTS = (
    "listreaders_free",  # SCardListReaders frees an uninitialised pointer
    "buffer_mutation",  # reader-state ATR __buffer__ mutating the list
    "ctl_code_wrap",  # SCARD_CTL_CODE(2**64 - 1) wraps
    "empty_apdu",  # SCardTransmit sends an empty APDU
    "buffer_error",  # non-contiguous memoryview: BufferError
    "null_error_text",  # adversarial: pcsc_stringify_error returns NULL
    "size_query_alloc",  # adversarial: a 4 GiB size answer is allocated
    "status_name_overflow",  # adversarial: reader-name length past the buffer
    "follow_up_short_apdu",  # iso7816 follow_up: IndexError for an empty APDU
)
_skipped = os.environ.get("FUZZ_SKIP_KNOWN", "")
SKIPPED = set(KNOWN_DEFECTS) if _skipped == "1" else set(filter(None, _skipped.split(",")))


def skip(defect: str) -> bool:
    """Whether to steer clear of the known defect ``defect``."""
    assert defect in KNOWN_DEFECTS, defect
    return defect in SKIPPED


if skip("buffer_error"):
    ALLOWED += (BufferError,)


class Planted(Exception):
    """Raised by the fuzz objects' own hooks (__buffer__, __index__...): not a finding."""


# Length lies of fuzz/stub/pcsc_fuzz_stub.c (honoured with --adversarial).
LIE_FLAGS = 0xFF
COUNT_EMPTY_TRANSMITS = 1


class Stub:
    """The fuzz stub library's controls, through ctypes.

    dlopen of the same path returns the library the extension already
    opened, so its answers and counters are shared.
    """

    def __init__(self) -> None:
        path = os.environ.get("PYSCARD_PCSC_LIBRARY", "")
        if "fuzz_stub" not in path:
            sys.exit("fuzz: PYSCARD_PCSC_LIBRARY must name the fuzz stub (run fuzz/run.sh)")
        self.lib = ctypes.CDLL(path)
        self.lib.pcsc_stub_program.argtypes = [
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_long,
        ]
        self.lib.pcsc_stub_counter.restype = ctypes.c_long
        self.adversarial = bool(self.lib.pcsc_stub_is_adversarial())

    def program(self, payload: bytes, lies: int, rv: int) -> None:
        self.lib.pcsc_stub_program(payload, len(payload), lies & LIE_FLAGS, rv)

    def reset(self) -> None:
        self.lib.pcsc_stub_reset()

    def counter(self, which: int) -> int:
        return int(self.lib.pcsc_stub_counter(which))


# Result codes the stub may be told to return: success, "buffer too small"
# (drives the extension's retry loops) and an ordinary failure.
RESULT_CODES = (0, 0, 0, 0x80100008, 0x80100009, -1)


LIE_LENGTH_HUGE = 0x02
LIE_LENGTH_PLUS_ONE = 0x04
LIE_SIZE_QUERY_HUGE = 0x20
LIE_NULL_TEXT = 0x40


def program_stub(stub: Stub, fdp: atheris.FuzzedDataProvider, status: bool = False) -> None:
    """Let the input choose the library's next answers, or keep the echo.

    Lies that trigger known defects are left out when those are skipped
    (``status``: the name-length lies, for SCardStatus).
    """
    if fdp.ConsumeBool():
        stub.reset()
        return
    lies = fdp.ConsumeIntInRange(0, LIE_FLAGS) if fdp.ConsumeBool() else 0
    if skip("null_error_text"):
        lies &= ~LIE_NULL_TEXT
    if skip("size_query_alloc"):
        lies &= ~LIE_SIZE_QUERY_HUGE
    if status and skip("status_name_overflow"):
        lies &= ~(LIE_LENGTH_HUGE | LIE_LENGTH_PLUS_ONE)
    rv = RESULT_CODES[fdp.ConsumeIntInRange(0, len(RESULT_CODES) - 1)]
    size = fdp.ConsumeIntInRange(0, 70000) if fdp.ConsumeProbability() < 0.05 else None
    payload = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 300)) if size is None else bytes(size)
    stub.program(payload, lies, rv)


def check(call: Callable[..., Any], *args: Any) -> Any:
    """Call, let documented errors pass (returning None), let anything else escape."""
    try:
        return call(*args)
    except ALLOWED:
        return None
    except Planted:
        return None


class IntSub(int):
    """An int subclass: conversions must take its value, not call Python code."""


class StrSub(str):
    """A str subclass."""


def make_int(fdp: atheris.FuzzedDataProvider) -> Any:
    """An int near the edges that matter (bytes, DWORD, handles, 64 bits)."""
    kind = fdp.ConsumeIntInRange(0, 9)
    edges = (0, 1, 255, 256, -1, 2**31 - 1, -(2**31), -(2**31) - 1, 2**32 - 1, 2**32)
    if kind == 0:
        return edges[fdp.ConsumeIntInRange(0, len(edges) - 1)]
    if kind == 1:
        return fdp.ConsumeIntInRange(0, 255)
    if kind == 2:
        return fdp.ConsumeIntInRange(-(2**31), 2**32 - 1)
    if kind == 3:
        return fdp.ConsumeIntInRange(-(2**63), 2**64 - 1)
    if kind == 4:
        return fdp.ConsumeInt(fdp.ConsumeIntInRange(1, 24))  # up to 192 bits
    if kind == 5:
        return IntSub(fdp.ConsumeIntInRange(-(2**33), 2**33))
    if kind == 6:
        return fdp.ConsumeBool()
    if kind == 7:
        return 2**64 - fdp.ConsumeIntInRange(0, 3)
    if kind == 8:
        return -(2**63) - fdp.ConsumeIntInRange(0, 3)
    return make_other(fdp)


def make_text(fdp: atheris.FuzzedDataProvider) -> Any:
    """A str (NUL, lone surrogates, non-BMP...), sometimes a str subclass or not a str."""
    kind = fdp.ConsumeIntInRange(0, 5)
    if kind == 0:
        return fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 64))
    if kind == 1:
        return fdp.ConsumeUnicode(fdp.ConsumeIntInRange(0, 64))  # may hold surrogates
    if kind == 2:
        return "pyscard fuzz stub 00 00"
    if kind == 3:
        return StrSub(fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 16)))
    if kind == 4:
        return "x" * fdp.ConsumeIntInRange(0, 5000)
    return make_other(fdp)


def make_other(fdp: atheris.FuzzedDataProvider) -> Any:
    """Something of the wrong type."""
    choices = (None, 1.5, b"ab", [], (), {}, object(), "1", 3j, bytearray(b"x"), [1, "2"])
    return choices[fdp.ConsumeIntInRange(0, len(choices) - 1)]


def make_multistring(fdp: atheris.FuzzedDataProvider) -> Any:
    """A list or tuple of group names, or something else."""
    kind = fdp.ConsumeIntInRange(0, 3)
    if kind == 3:
        return make_other(fdp) if fdp.ConsumeBool() else make_text(fdp)
    names = [make_text(fdp) for _ in range(fdp.ConsumeIntInRange(0, 5))]
    return tuple(names) if kind == 1 else names


class Buffer:
    """A __buffer__ object (Python 3.12+): runs fuzz-chosen code while converted."""

    def __init__(self, data: bytes, action: Callable[[], None] | None) -> None:
        self.data = data
        self.action = action

    def __buffer__(self, flags: int) -> memoryview:
        if self.action is not None:
            self.action()
        return memoryview(self.data)

    def __release_buffer__(self, view: memoryview) -> None:
        view.release()


def make_bytes(fdp: atheris.FuzzedDataProvider, limit: int = 300) -> Any:
    """A byte buffer as every accepted type (and some rejected ones).

    Rarely, one around PC/SC's 65548-byte limit (when ``limit`` allows long
    buffers at all: such lists are slow to build).
    """
    import array

    kind = fdp.ConsumeIntInRange(0, 12)
    if kind == 12 and (limit < 256 or fdp.ConsumeIntInRange(0, 7) != 0):
        kind = 0
    if kind == 12:
        size = (65548, 65549, 65544, 70000)[fdp.ConsumeIntInRange(0, 3)]
        big = bytes(size)
        return (big, list(big), bytearray(big))[fdp.ConsumeIntInRange(0, 2)]
    data = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, limit))
    if kind == 0:
        return data
    if kind == 1:
        return list(data)
    if kind == 2:
        return tuple(data)
    if kind == 3:
        return bytearray(data)
    if kind == 4:
        return memoryview(data)
    if kind == 5:
        return memoryview(data)[:: fdp.ConsumeIntInRange(1, 3)]  # maybe not contiguous
    if kind == 6:
        return array.array("H", data[: len(data) // 2 * 2])
    if kind == 7:  # items out of range or of the wrong type
        items: list[Any] = list(data)
        if items:
            items[fdp.ConsumeIntInRange(0, len(items) - 1)] = make_int(fdp)
        return items
    if kind == 8:
        return [IntSub(b) for b in data]
    if kind == 9:
        return Buffer(data, None) if sys.version_info >= (3, 12) else data
    if kind == 10:
        return make_text(fdp)
    return make_other(fdp)


def arguments(
    fdp: atheris.FuzzedDataProvider, makers: list[Callable[[], Any]], counts: bool = True
) -> list[Any]:
    """Arguments from ``makers``, sometimes one too few or too many (wrong counts)."""
    values = [maker() for maker in makers]
    # Skipping a defect must not change how an input is decoded, or a
    # crash input found that way would mean something else in a normal run.
    shift = fdp.ConsumeIntInRange(0, 9)
    if not counts:
        shift = 9
    if shift == 0 and values:
        values.pop()
    elif shift == 1:
        values.append(make_int(fdp))
    elif shift == 2:
        values = []
    return values
