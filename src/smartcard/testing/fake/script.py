# SPDX-License-Identifier: LGPL-2.1-or-later
"""The fake backend's call log and its queues of scripted results.

Both are plain data (names, ints, strings, lists), so a session can be
written to a file and played back, and a test can compare what the library
did with what it expected.
"""

from __future__ import annotations

import collections
from typing import Any, Deque, Dict, List, NamedTuple, Sequence, Tuple, Union

from smartcard.testing.fake.card import code_of

__all__ = ["Call", "CALLS", "Script", "failure", "plain"]

#: A scripted result: a PC/SC code (int or name), or the call's whole answer.
Result = Union[int, str, Sequence[Any]]


class Call(NamedTuple):
    """One call the library made: winscard name, arguments and what it got back."""

    name: str
    args: Tuple[Any, ...]
    result: Any


# What each call answers on failure besides the code: the extension's shapes
# (outputs zeroed or empty), so a scripted failure unpacks like a real one.
_FAILURE_OUTPUTS: Dict[str, List[Any]] = {
    "SCardEstablishContext": [0],
    "SCardReleaseContext": [],
    "SCardIsValidContext": [],
    "SCardListReaders": [[]],
    "SCardListReaderGroups": [[]],
    "SCardGetStatusChange": [[]],  # replaced by the query echoed back, see failure()
    "SCardCancel": [],
    "SCardConnect": [0, 0],
    "SCardReconnect": [0],
    "SCardDisconnect": [],
    "SCardStatus": ["", 0, 0, []],
    "SCardTransmit": [[]],
    "SCardControl": [[]],
    "SCardGetAttrib": [[]],
    "SCardSetAttrib": [],
    "SCardBeginTransaction": [],
    "SCardEndTransaction": [],
    "SCardIntroduceReaderGroup": [],
    "SCardForgetReaderGroup": [],
    "SCardIntroduceReader": [],
    "SCardForgetReader": [],
    "SCardAddReaderToGroup": [],
    "SCardRemoveReaderFromGroup": [],
}

#: Every call of ``smartcard._pcsc.backend.Backend``, by winscard name.
CALLS = frozenset(_FAILURE_OUTPUTS)


def plain(value: Any) -> Any:
    """``value`` with byte buffers as lists of ints and tuples as lists: loggable data."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return list(bytes(value))
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def failure(name: str, code: int, states: Sequence[Any] = ()) -> Any:
    """What call ``name`` returns when it fails with ``code``.

    ``SCardGetStatusChange`` echoes the reader states it was given (event
    state 0), as the extension does when pcsc-lite fills nothing in.
    """
    outputs = _FAILURE_OUTPUTS[name]
    if name == "SCardGetStatusChange":
        return [code, [(s[0], 0, plain(s[2]) if len(s) > 2 else []) for s in states]]
    if not outputs:
        return code
    return [code, *(list(o) if isinstance(o, list) else o for o in outputs)]


class Script:
    """Queues of answers that replace the model's, per call name; the caller holds the lock."""

    def __init__(self) -> None:
        self._queues: Dict[str, Deque[Result]] = collections.defaultdict(collections.deque)

    def add(self, name: str, results: Sequence[Result]) -> None:
        if name not in CALLS:
            raise ValueError(f"not a PC/SC call of the backend: {name!r}")
        for result in results:
            if isinstance(result, (int, str)):
                code_of(result)  # a bad name fails here, not in the middle of the test
            self._queues[name].append(result)

    def pending(self, name: str) -> int:
        return len(self._queues.get(name, ()))

    def clear(self) -> None:
        self._queues.clear()

    def take(self, name: str, states: Sequence[Any] = ()) -> Any | None:
        """The next scripted answer to ``name`` in the call's shape, or None to ask the model."""
        queue = self._queues.get(name)
        if not queue:
            return None
        result = queue.popleft()
        if isinstance(result, (int, str)):
            return failure(name, code_of(result), states)
        return list(result)
