# SPDX-License-Identifier: LGPL-2.1-or-later
"""Running a blocking PC/SC call off the event loop (``asyncio.to_thread`` for Python 3.9)."""

from __future__ import annotations

import asyncio
import contextvars
import functools
from typing import Any, Callable, TypeVar

__all__ = ["run_blocking"]

_T = TypeVar("_T")


async def run_blocking(function: Callable[..., _T], *args: Any) -> _T:
    """Run ``function(*args)`` in the loop's default executor and await its result.

    Context variables are copied into the worker thread, as ``asyncio.to_thread``
    does. Cancelling the awaiting task does not stop the call: it cannot be
    interrupted once it runs (callers that hold resources handle that).
    """
    loop = asyncio.get_running_loop()
    call = functools.partial(contextvars.copy_context().run, function, *args)
    return await loop.run_in_executor(None, call)
