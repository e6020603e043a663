# SPDX-License-Identifier: LGPL-2.1-or-later
"""How the engine thread sleeps between attempts to reach a missing PC/SC service.

A plain timed wait would notice pcscd's return only at the next retry (up to
a second later). On Linux the sleep also watches, with inotify, the
directory of pcscd's socket: pcscd creates the socket when it is ready, so
the engine retries at once instead. Anywhere inotify is unavailable (other
systems, a socket directory that does not exist yet) it is a timed wait.
Either way :meth:`Sleeper.wake` ends the sleep at once, for a prompt stop.
"""

from __future__ import annotations

import errno
import os
import select
import sys
import threading

from smartcard._log import LazyLogger

__all__ = ["Sleeper", "socket_directory"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    import ctypes

_log = LazyLogger("smartcard.monitoring")

# From <sys/inotify.h>.
_IN_ATTRIB = 0x004
_IN_MOVED_TO = 0x080
_IN_CREATE = 0x100
_IN_NONBLOCK = os.O_NONBLOCK
_IN_CLOEXEC = 0o2000000
# pcscd binds, listens, then chmods its socket: the chmod says it is ready.
_WATCHED = _IN_CREATE | _IN_ATTRIB | _IN_MOVED_TO

_DEFAULT_SOCKET = "/run/pcscd/pcscd.comm"


def socket_directory() -> str:
    """Where pcsc-lite clients look for pcscd's socket."""
    return os.path.dirname(os.environ.get("PCSCLITE_CSOCK_NAME") or _DEFAULT_SOCKET)


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    # Imported here, not at module level: ctypes.util brings subprocess,
    # shutil and tempfile along, and only an engine that lost the PC/SC
    # service ever gets this far.
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.inotify_init1.argtypes = [ctypes.c_int]
        libc.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        return libc
    except (OSError, AttributeError):
        return None


class Sleeper:
    """Timed sleeps that :meth:`wake` interrupts, optionally cut short by pcscd's socket."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._pipe: tuple[int, int] | None = None
        self._inotify: int | None = None
        self._lock = threading.Lock()
        self._closed = False

    def wake(self) -> None:
        """End the current (or next) sleep now. Callable from any thread."""
        self._event.set()
        with self._lock:
            if self._pipe is not None:
                try:
                    os.write(self._pipe[1], b"!")
                except OSError:  # pipe full: a wake-up is pending anyway
                    pass

    def sleep(self, delay: float, watch_service: bool = False) -> None:
        """Sleep up to ``delay`` seconds; with ``watch_service``, stop early if pcscd appears."""
        if delay <= 0:
            return
        if watch_service and self._start_watch():
            self._poll(delay)
        elif self._event.wait(delay):
            self._event.clear()

    def stop_watching(self) -> None:
        """Release the inotify instance (the service is back)."""
        with self._lock:
            inotify, self._inotify = self._inotify, None
        if inotify is not None:
            os.close(inotify)

    def close(self) -> None:
        """Release every file descriptor; later sleeps are plain timed waits."""
        self.stop_watching()
        with self._lock:
            self._closed = True
            pipe, self._pipe = self._pipe, None
        if pipe is not None:
            os.close(pipe[0])
            os.close(pipe[1])

    # ------------------------------------------------------------ internals

    def _start_watch(self) -> bool:
        with self._lock:
            if self._closed:
                return False
            if self._inotify is not None:
                return True
            libc = _libc()
            if libc is None:
                return False
            import ctypes  # loaded by _libc() already

            directory = socket_directory()
            fd = libc.inotify_init1(_IN_NONBLOCK | _IN_CLOEXEC)
            if fd < 0:
                _log.debug("inotify_init1: %s", os.strerror(ctypes.get_errno()))
                return False
            if libc.inotify_add_watch(fd, os.fsencode(directory), _WATCHED) < 0:
                # Typically the directory does not exist (pcscd never ran).
                _log.debug("cannot watch %s: %s", directory, os.strerror(ctypes.get_errno()))
                os.close(fd)
                return False
            if self._pipe is None:
                self._pipe = os.pipe()
                os.set_blocking(self._pipe[0], False)
                os.set_blocking(self._pipe[1], False)
            self._inotify = fd
            return True

    def _poll(self, delay: float) -> None:
        with self._lock:
            inotify, pipe = self._inotify, self._pipe
        if inotify is None or pipe is None:
            return
        if self._event.is_set():  # woken before we got here
            self._event.clear()
            return
        poller = select.poll()
        poller.register(inotify, select.POLLIN)
        poller.register(pipe[0], select.POLLIN)
        try:
            ready = poller.poll(delay * 1000)
        except InterruptedError:
            ready = []
        for fd, _ in ready:
            _drain(fd)
        self._event.clear()


def _drain(fd: int) -> None:
    while True:
        try:
            if not os.read(fd, 4096):
                return
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EWOULDBLOCK):
                _log.debug("reading fd %d: %s", fd, exc)
            return
