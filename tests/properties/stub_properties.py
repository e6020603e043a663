# SPDX-License-Identifier: LGPL-2.1-or-later
"""Property tests of smartcard.scard's conversions, against the fuzz stub library.

Run by test_stub_properties.py in a process of its own whose
PYSCARD_PCSC_LIBRARY names fuzz/stub/pcsc_fuzz_stub.c built as a shared
library: the PC/SC library is opened once per process, and the rest of the
suite talks to a real pcscd. The stub echoes (SCardTransmit: the APDU and
90 00; SCardControl: the command; SCardGetAttrib: what SCardSetAttrib
stored; SCardStatus: the name given to SCardConnect; SCardListReaders: the
groups; SCardGetStatusChange: the ATRs), so every conversion is checked
both ways.

The property: any input converts exactly as documented, or raises
TypeError/ValueError/OverflowError whose message names the argument.
Inputs that crash the process today (fuzz/README.md) are not generated here:
the fuzz corpus keeps them.
"""

from __future__ import annotations

import os
from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from smartcard import scard

if "fuzz_stub" not in os.environ.get("PYSCARD_PCSC_LIBRARY", ""):
    pytest.skip(
        "needs the fuzz stub library (run by test_stub_properties.py)", allow_module_level=True
    )

settings.register_profile(
    "stub", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("stub")

MAX_BUFFER = 65548  # PCSC_MAX_BUFFER: the longest buffer PC/SC carries
ERRORS = (TypeError, ValueError, OverflowError)
_, CONTEXT = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
_, CARD, _ = scard.SCardConnect(CONTEXT, "pyscard fuzz stub 00 00", 2, 3)

# Known defects (fuzz/README.md), expected to fail until fixed.


def raises_naming(call: Callable[[], Any], name: str) -> BaseException:
    """Call; it must raise one of ERRORS whose message names ``name``."""
    with pytest.raises(ERRORS) as info:
        call()
    assert name in str(info.value), f"{info.value!r} does not name {name!r}"
    return info.value


# ---- byte buffers ----------------------------------------------------------

BUFFER_TYPES: dict[str, Callable[[bytes], Any]] = {
    "list": list,
    "tuple": tuple,
    "bytes": bytes,
    "bytearray": bytearray,
    "memoryview": memoryview,
}
buffer_type = st.sampled_from(sorted(BUFFER_TYPES))


@given(data=st.binary(min_size=1, max_size=600), kind=buffer_type)
def test_transmit_round_trip(data: bytes, kind: str) -> None:
    apdu = BUFFER_TYPES[kind](data)
    assert scard.SCardTransmit(CARD, scard.SCARD_PCI_T1, apdu) == [0, [*data, 0x90, 0x00]]


@given(kind=buffer_type)
def test_transmit_refuses_empty_apdu(kind: str) -> None:
    # pyscard's answer: a result code, and nothing sent to the reader.
    assert scard.SCardTransmit(CARD, 2, BUFFER_TYPES[kind](b"")) == [
        scard.SCARD_E_INVALID_PARAMETER,
        [],
    ]


@given(
    data=st.lists(st.integers(0, 255), min_size=1, max_size=40),
    index=st.integers(0, 39),
    bad=st.one_of(st.integers(max_value=-1), st.integers(min_value=256)),
    as_tuple=st.booleans(),
)
def test_out_of_range_items(data: list[int], index: int, bad: int, as_tuple: bool) -> None:
    items: list[Any] = list(data)
    items[index % len(items)] = bad
    apdu = tuple(items) if as_tuple else items
    error = raises_naming(lambda: scard.SCardTransmit(CARD, 2, apdu), "apdu")
    assert isinstance(error, ValueError) and f"item {index % len(items)}" in str(error)


@given(
    data=st.lists(st.integers(0, 255), min_size=1, max_size=40),
    index=st.integers(0, 39),
    bad=st.one_of(st.floats(), st.text(max_size=2), st.none(), st.binary(max_size=2)),
)
def test_wrong_item_types(data: list[Any], index: int, bad: Any) -> None:
    data[index % len(data)] = bad
    error = raises_naming(lambda: scard.SCardControl(CARD, 1, data), "inbuffer")
    assert isinstance(error, TypeError)


@given(
    value=st.one_of(
        st.text(max_size=5),
        st.integers(),
        st.floats(),
        st.none(),
        st.dictionaries(st.integers(), st.integers()),
    )
)
def test_wrong_buffer_types(value: Any) -> None:
    error = raises_naming(lambda: scard.SCardSetAttrib(CARD, 1, value), "attrib")
    assert isinstance(error, TypeError)


@settings(max_examples=40)
@given(length=st.integers(MAX_BUFFER - 8, MAX_BUFFER + 8), kind=buffer_type)
def test_lengths_around_the_limit(length: int, kind: str) -> None:
    data = bytes(range(256)) * (length // 256) + bytes(length % 256)
    if length <= MAX_BUFFER:
        assert scard.SCardControl(CARD, 1, BUFFER_TYPES[kind](data)) == [0, list(data)]
        # The echo (APDU + 90 00) no longer fits: a result code, not a crash.
        code, answer = scard.SCardTransmit(CARD, 2, BUFFER_TYPES[kind](data))
        if length + 2 <= MAX_BUFFER:
            assert (code, answer) == (0, [*data, 0x90, 0])
        else:
            assert code == scard.SCARD_E_INSUFFICIENT_BUFFER and answer == []
    else:
        error = raises_naming(
            lambda: scard.SCardControl(CARD, 1, BUFFER_TYPES[kind](data)), "inbuffer"
        )
        assert isinstance(error, ValueError)


@given(data=st.binary(max_size=300), kind=buffer_type)
def test_attribute_round_trip(data: bytes, kind: str) -> None:
    assert scard.SCardSetAttrib(CARD, 0x90303, BUFFER_TYPES[kind](data)) == 0
    assert scard.SCardGetAttrib(CARD, 0x90303) == [0, list(data)]


@given(data=st.binary(min_size=4, max_size=40), step=st.integers(2, 4))
def test_non_contiguous_memoryview(data: bytes, step: int) -> None:
    view = memoryview(data)[::step]
    try:
        result = scard.SCardControl(CARD, 1, view)
    except ERRORS as exc:
        assert "inbuffer" in str(exc)
    else:
        assert result == [0, list(view.tobytes())]


# ---- DWORDs and handles ------------------------------------------------------


@given(value=st.integers(-(2**31), 2**32 - 1))
def test_dword_round_trip(value: int) -> None:
    # The stub answers dwPreferredProtocols as the active protocol.
    assert scard.SCardReconnect(CARD, 2, value, 0) == [0, value & 0xFFFFFFFF]


@given(value=st.one_of(st.integers(max_value=-(2**31) - 1), st.integers(min_value=2**32)))
def test_dword_overflow(value: int) -> None:
    error = raises_naming(lambda: scard.SCardReconnect(CARD, 2, value, 0), "dwPreferredProtocols")
    assert isinstance(error, OverflowError)


@given(value=st.one_of(st.text(max_size=3), st.floats(), st.none(), st.binary(max_size=3)))
def test_dword_wrong_type(value: Any) -> None:
    error = raises_naming(lambda: scard.SCardReconnect(CARD, 2, 3, value), "dwInitialization")
    assert isinstance(error, TypeError)


@given(handle=st.integers(-(2**63), 2**63 - 1))
def test_handles_in_range(handle: int) -> None:
    assert scard.SCardIsValidContext(handle) == 0
    assert scard.SCardBeginTransaction(handle) == 0


@given(handle=st.one_of(st.integers(max_value=-(2**63) - 1), st.integers(min_value=2**63)))
def test_handles_out_of_range(handle: int) -> None:
    raises_naming(lambda: scard.SCardIsValidContext(handle), "hcontext")
    raises_naming(lambda: scard.SCardStatus(handle), "hcard")
    raises_naming(lambda: scard.SCardTransmit(handle, 2, [0, 0, 0, 0]), "hcard")


@given(value=st.integers(0, 0xFFFFFFFF - 0x42000000))
def test_ctl_code(value: int) -> None:
    assert scard.SCARD_CTL_CODE(value) == 0x42000000 + value


@given(value=st.integers(0xFFFFFFFF - 0x42000000 + 1, 2**70))
def test_ctl_code_beyond_32_bits_is_refused(value: int) -> None:
    # The control code is a 32-bit DWORD, as SCardControl takes it.
    raises_naming(lambda: scard.SCARD_CTL_CODE(value), "SCARD_CTL_CODE")


@given(value=st.integers(2**64 - 0x42000000, 2**64 - 1))
@example(2**64 - 1)
def test_ctl_code_never_wraps(value: int) -> None:
    try:
        result = scard.SCARD_CTL_CODE(value)
    except OverflowError:
        return
    assert result == 0x42000000 + value


@given(code=st.integers(-(2**31), 2**32 - 1))
def test_error_message(code: int) -> None:
    assert isinstance(scard.SCardGetErrorMessage(code), str)


# ---- strings and multistrings ----------------------------------------------

names = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"), min_size=1, max_size=300
)


@given(name=names)
def test_reader_name_round_trip(name: str) -> None:
    code, hcard, _ = scard.SCardConnect(CONTEXT, name, 2, 3)
    assert code == 0
    assert scard.SCardStatus(hcard)[:2] == [0, name]


@given(name=names, cut=st.integers(0, 300))
def test_reader_name_with_nul(name: str, cut: int) -> None:
    bad = name[: cut % (len(name) + 1)] + "\0" + name[cut % (len(name) + 1) :]
    raises_naming(lambda: scard.SCardConnect(CONTEXT, bad, 2, 3), "readername")


SURROGATE_CALLS: dict[str, tuple[Callable[[str], Any], str]] = {
    "SCardConnect": (lambda name: scard.SCardConnect(CONTEXT, name, 2, 3), "readername"),
    "SCardListReaders": (lambda name: scard.SCardListReaders(CONTEXT, [name]), "readergroups"),
    "SCardGetStatusChange": (
        lambda name: scard.SCardGetStatusChange(CONTEXT, 0, [(name, 0)]),
        "readerstatelist",
    ),
}


@pytest.mark.parametrize("call", sorted(SURROGATE_CALLS))
@given(name=names, surrogate=st.characters(whitelist_categories=("Cs",)))
def test_names_with_surrogates(call: str, name: str, surrogate: str) -> None:
    function, argument = SURROGATE_CALLS[call]
    raises_naming(lambda: function(name + surrogate), argument)


@given(
    value=st.one_of(
        st.binary(max_size=5), st.integers(), st.none(), st.lists(st.text(), max_size=2)
    )
)
def test_reader_name_wrong_type(value: Any) -> None:
    error = raises_naming(lambda: scard.SCardConnect(CONTEXT, value, 2, 3), "readername")
    assert isinstance(error, TypeError)


@given(groups=st.lists(names, min_size=1, max_size=6), as_tuple=st.booleans())
def test_multistring_round_trip(groups: list[str], as_tuple: bool) -> None:
    # The stub lists the groups it was given as the readers.
    given_groups = tuple(groups) if as_tuple else groups
    assert scard.SCardListReaders(CONTEXT, given_groups) == [0, groups]


@given(
    groups=st.lists(names, max_size=4), index=st.integers(0, 4), bad=st.sampled_from(["", "a\0b"])
)
def test_multistring_bad_items(groups: list[str], index: int, bad: str) -> None:
    groups.insert(index % (len(groups) + 1), bad)
    error = raises_naming(lambda: scard.SCardListReaders(CONTEXT, groups), "readergroups")
    assert isinstance(error, ValueError)


@given(
    groups=st.lists(names, max_size=4),
    index=st.integers(0, 4),
    bad=st.sampled_from([1, b"x", None]),
)
def test_multistring_wrong_item_types(groups: list[Any], index: int, bad: Any) -> None:
    groups.insert(index % (len(groups) + 1), bad)
    error = raises_naming(lambda: scard.SCardListReaders(CONTEXT, groups), "readergroups")
    assert isinstance(error, TypeError)


# ---- reader-state lists ----------------------------------------------------

states = st.tuples(names, st.integers(0, 0xFFFF), st.one_of(st.none(), st.binary(max_size=33)))


@given(entries=st.lists(states, max_size=16), kind=buffer_type)
def test_reader_states_round_trip(entries: list[tuple[str, int, bytes | None]], kind: str) -> None:
    given_states = [
        (name, state) if atr is None else (name, state, BUFFER_TYPES[kind](atr))
        for name, state, atr in entries
    ]
    code, out = scard.SCardGetStatusChange(CONTEXT, 0, given_states)
    assert code == 0
    assert out == [
        (name, (state & 0xFFFF) | scard.SCARD_STATE_CHANGED, list(atr or b""))
        for name, state, atr in entries
    ]


@given(name=names, atr=st.binary(min_size=34, max_size=80))
def test_reader_state_atr_too_long(name: str, atr: bytes) -> None:
    error = raises_naming(
        lambda: scard.SCardGetStatusChange(CONTEXT, 0, [(name, 0, atr)]), "readerstatelist"
    )
    assert isinstance(error, ValueError)


@given(
    entry=st.one_of(
        st.tuples(st.integers(), st.integers()),
        st.tuples(names, st.text(max_size=2)),
        st.tuples(names),
        st.tuples(names, st.integers(0, 5), st.binary(max_size=3), st.integers()),
        st.text(max_size=3),
        st.integers(),
    )
)
def test_reader_state_bad_entries(entry: Any) -> None:
    raises_naming(lambda: scard.SCardGetStatusChange(CONTEXT, 0, [entry]), "readerstatelist")


@given(count=st.integers(4097, 4200))
@settings(max_examples=5)
def test_reader_state_list_too_long(count: int) -> None:
    error = raises_naming(
        lambda: scard.SCardGetStatusChange(CONTEXT, 0, [("r", 0)] * count), "readerstatelist"
    )
    assert isinstance(error, ValueError)
