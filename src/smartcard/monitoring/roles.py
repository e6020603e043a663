# SPDX-License-Identifier: LGPL-2.1-or-later
"""Threads whose job can change: the engine loop and the observer worker trade places.

pcscd wakes the thread blocked in SCardGetStatusChange. Handing the news to
another thread for the observers costs that thread's wake-up (tens of
microseconds, more in a virtual machine), which pyscard, calling its
observers from its monitoring thread, does not pay. Calling observers on the
engine thread would let a slow observer stall monitoring. So when the
observer worker is idle, the two threads swap jobs: the woken thread runs
the observers at once, and the idle worker carries on with the engine loop.

A job is a *role*: a callable run by a thread that returns the role the
thread takes on next, or None when the thread should end.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Optional

    Role = Callable[[], Optional["Role"]]

__all__ = ["run_roles"]


def run_roles(first: Role) -> None:
    """Thread target: run ``first``, then each role the previous one returned."""
    role: Role | None = first
    while role is not None:
        role = role()
