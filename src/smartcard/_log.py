# SPDX-License-Identifier: LGPL-2.1-or-later
"""Loggers that import :mod:`logging` only when something is logged.

``import logging`` costs several milliseconds (it pulls in traceback,
tokenize, string...), more than the rest of the framework's start-up, yet
the framework only logs on error paths and in the monitoring thread. A
module keeps ``_log = LazyLogger("smartcard.x")`` and calls ``_log.debug(...)``
as usual; the real :class:`logging.Logger` is looked up by name on first use,
so configuration done by the application (levels, handlers, ``caplog``)
applies exactly as if the logger had been created at import.

As Python's logging guide asks of libraries, the ``smartcard`` logger gets a
:class:`logging.NullHandler` (when logging is first used): records still
reach the application's handlers, but an application that configured none
does not get the library's warnings printed on its stderr by logging's
last-resort handler.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import logging
    from typing import Any

__all__ = ["LazyLogger"]

_ROOT = "smartcard"
_quieted = False


def _quiet_library_root(logging: Any) -> None:
    global _quieted
    if not _quieted:
        _quieted = True
        logging.getLogger(_ROOT).addHandler(logging.NullHandler())


class LazyLogger:
    """Stands for ``logging.getLogger(name)``; attribute access resolves it."""

    __slots__ = ("name", "_logger")

    def __init__(self, name: str) -> None:
        self.name = name
        self._logger: logging.Logger | None = None

    def logger(self) -> logging.Logger:
        """The real logger (imports :mod:`logging` on the first call)."""
        logger = self._logger
        if logger is None:
            import logging

            _quiet_library_root(logging)
            logger = self._logger = logging.getLogger(self.name)
        return logger

    def __getattr__(self, attribute: str) -> Any:
        # Only reached for what the proxy lacks (debug, info, exception,
        # isEnabledFor...). Returning the logger's own bound method keeps the
        # caller's frame as the record's origin (funcName, lineno).
        return getattr(self.logger(), attribute)
