# SPDX-License-Identifier: LGPL-2.1-or-later
"""_speedups.final_answer: complete_response's first branch in C, and nothing more."""

from __future__ import annotations

import os
import sys
import time
from typing import Any, NamedTuple

import pytest

from smartcard.iso7816.response import Response
from smartcard.iso7816.transport import FOLLOW_UP_SW1, complete_response
from smartcard.util._speedups import final_answer


class Pair(NamedTuple):
    data: bytes
    sw: int


class WithDict(tuple):  # type: ignore[type-arg]
    pass


@pytest.mark.parametrize(
    "raw", [b"\x90\x00", b"\x01\x02\x90\x00", b"\x6a\x82", bytes(range(256)) + b"\x63\xc1"]
)
def test_final_answers_match_complete_response(raw: bytes) -> None:
    def no_exchange(apdu: bytes) -> bytes:
        raise AssertionError("a final answer needs no follow-up")

    fast = final_answer(raw, FOLLOW_UP_SW1, Response)
    assert type(fast) is Response
    assert fast == complete_response(no_exchange, b"\x00\xb0\x00\x00", raw)


@pytest.mark.parametrize(
    "raw", [b"", b"\x90", b"\x61\x10", b"\x01\x6c\x08", bytearray(b"\x90\x00")]
)
def test_follow_ups_short_answers_and_other_types_are_left_to_python(raw: Any) -> None:
    assert final_answer(raw, FOLLOW_UP_SW1, Response) is None


def test_any_plain_tuple_subclass_is_built_the_same() -> None:
    for kind in (Pair, WithDict, tuple, Response, Pair):  # the cached type changes
        answer = final_answer(b"\x07\x90\x00", FOLLOW_UP_SW1, kind)
        assert type(answer) is kind and tuple(answer) == (b"\x07", 0x9000)


@pytest.mark.parametrize("kind", [time.struct_time, os.stat_result, type(sys.flags)])
def test_struct_sequences_are_refused(kind: type) -> None:
    with pytest.raises(TypeError):
        final_answer(b"\x90\x00", FOLLOW_UP_SW1, kind)


@pytest.mark.parametrize("kind", [int, list, "Response", None])
def test_non_tuple_types_get_none(kind: Any) -> None:
    assert final_answer(b"\x90\x00", FOLLOW_UP_SW1, kind) is None


@pytest.mark.parametrize("args", [(), (b"\x90\x00",), (b"\x90\x00", b"", Response, 1)])
def test_wrong_argument_counts_raise(args: tuple[Any, ...]) -> None:
    with pytest.raises(TypeError, match="takes 3 arguments"):
        final_answer(*args)
