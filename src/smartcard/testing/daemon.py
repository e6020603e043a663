# SPDX-License-Identifier: LGPL-2.1-or-later
"""A private pcscd with two vpcd virtual readers, for tests.

pcscd 1.9 always binds its socket in a compiled-in directory (``/run/pcscd``),
while clients look for it wherever ``PCSCLITE_CSOCK_NAME`` says. So pcscd is
started in its own mount namespace (``unshare``) in which a private temporary
directory is bind-mounted over ``/run/pcscd``; clients are pointed at the
socket in that directory. The system's pcscd, if any, is never touched.

vpcd listens for cards on TCP ports of all interfaces (0.0.0.0). So pcscd also
gets a network namespace of its own, where the only interface is a loopback:
its readers can't be reached from other hosts, nor from this one. Cards get in
through a small connector process in that namespace
(:mod:`smartcard.testing._connector`), which hands out sockets connected there
over a Unix socket in the private directory (see :meth:`PrivatePCSCD.connect_reader`).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from typing import Dict, List, Tuple

from smartcard.testing import _host
from smartcard.testing._connector import connect_through
from smartcard.testing._host import PCSCDUnavailable
from smartcard.testing.card import VirtualCard

__all__ = ["ENV_SOCKET", "PrivatePCSCD", "connect_through"]

#: Environment variable pcsc-lite clients read the daemon socket path from.
ENV_SOCKET = "PCSCLITE_CSOCK_NAME"

# Run as "sh -c _MOUNT_AND_EXEC name DIR IPCDIR PYTHON CONNECTOR pcscd ...": make
# the mount point exist (on a read-only or foreign /run, a tmpfs over /run in the
# namespace only), bind DIR over it, start the connector (it outlives the shell
# as pcscd's child and dies with it), then become pcscd so its PID is ours.
_MOUNT_AND_EXEC = """set -e
dir=$1 ipc=$2 python=$3 connector=$4
shift 4
if [ ! -d "$ipc" ] && ! mkdir -p "$ipc" 2>/dev/null; then
  mount -t tmpfs -o mode=0755 pyscard "$(dirname "$ipc")"
  mkdir -p "$ipc"
fi
mount --bind "$dir" "$ipc"
"$python" -I -S "$connector" "$dir/vpcd.sock" $$ &
exec "$@"
"""
_CONNECTOR_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_connector.py")

# pcscd logs "Card Removed From X" just *before* it stores the new state, so
# give it a moment after the line appears (the gap is microseconds).
_REMOVAL_SETTLE = 0.02
_POLL = 0.01
# What pcscd 1.9 and vpcd log when a reader can't open its port (e.g. taken).
_READER_FAILURE = re.compile(
    r".*(?:Open Port .* Failed|Could not initialize connection|Address already in use).*"
)
_CONNECTOR_FAILURE = re.compile(r".*pyscard connector failed.*")
_MAX_SOCKET_PATH = 107  # sizeof(sockaddr_un.sun_path) - 1 on Linux


class _Resources:
    """What must be released even if the owner is garbage-collected unclosed."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self.directory: str | None = None

    def kill(self, timeout: float = 5.0) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout)

    def release(self) -> None:
        self.kill()
        directory, self.directory = self.directory, None
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)


class PrivatePCSCD:
    """A pcscd of our own with two vpcd readers, reachable through :attr:`socket_path`.

    Use it as a context manager, or call :meth:`start` and :meth:`close`.
    :meth:`stop` and :meth:`start` may be repeated: the daemon comes back on the
    same socket path, reader names and TCP ports, which matters because
    libpcsclite remembers the socket path for the life of a process.

    PC/SC clients must have ``PCSCLITE_CSOCK_NAME`` set to :attr:`socket_path`
    (see :attr:`env`) before their first PC/SC call.

    pcscd runs in its own network namespace: its readers' TCP ports
    (:attr:`ports`) can't be reached from the network nor from this process,
    only through :meth:`connect_reader`, which :meth:`insert_card` uses.

    ``reader_name`` is the FRIENDLYNAME of the vpcd readers (pcscd appends
    ``" 00 00"`` and ``" 00 01"``). ``debug`` logs at debug level instead of
    info, ``apdu_log`` makes pcscd log every APDU; the log is :attr:`log_path`.
    Needs Linux, pcscd, vsmartcard-vpcd and either root or unprivileged user
    namespaces (for mount and network namespaces); otherwise :meth:`start`
    raises :class:`PCSCDUnavailable`.
    """

    def __init__(
        self,
        reader_name: str = "pyscard virtual",
        *,
        port: int | None = None,
        debug: bool = False,
        apdu_log: bool = False,
        pcscd: str | None = None,
        driver: str | None = None,
        start_timeout: float = 10.0,
    ) -> None:
        if not re.fullmatch(r"[\w .,:()+-]{1,100}", reader_name, re.ASCII):
            raise ValueError(f"unsupported reader name {reader_name!r}")
        self.reader_name = reader_name
        self.start_timeout = start_timeout
        self._fixed_port = port
        self._port = port
        self._debug = debug
        self._apdu_log = apdu_log
        self._pcscd = pcscd
        self._driver = driver
        self._res = _Resources()
        self._finalizer = weakref.finalize(self, _Resources.release, self._res)
        self._names: Tuple[str, str] = (f"{reader_name} 00 00", f"{reader_name} 00 01")
        self._strategy: List[str] | None = None
        self._cards: Dict[int, VirtualCard] = {}
        # Reader index -> pcscd log offset just before its card's insertion was logged.
        self._inserted_at: Dict[int, int] = {}
        self._lock = threading.RLock()

    # -------------------------------------------------------------- properties

    @property
    def directory(self) -> str:
        """The private directory holding the socket, config and log (made on first start)."""
        if self._res.directory is None:
            raise RuntimeError("the daemon has not been started yet")
        return self._res.directory

    @property
    def socket_path(self) -> str:
        """Path of pcscd's socket: the value for ``PCSCLITE_CSOCK_NAME``."""
        return os.path.join(self.directory, "pcscd.comm")

    @property
    def env(self) -> Dict[str, str]:
        """Environment entries that point PC/SC clients at this daemon."""
        return {ENV_SOCKET: self.socket_path}

    @property
    def log_path(self) -> str:
        """pcscd's log (stdout and stderr), kept across restarts."""
        return os.path.join(self.directory, "pcscd.log")

    @property
    def reader_names(self) -> Tuple[str, str]:
        """The two reader names, as pcscd lists them, in slot order."""
        return self._names

    @property
    def ports(self) -> Tuple[int, int]:
        """TCP ports where the two readers wait for a card, in pcscd's own network namespace.

        vpcd listens on all interfaces there, and that namespace has only its
        own loopback: these ports can't be reached from other hosts, nor from
        this process. A card gets in with :meth:`connect_reader` (which
        :meth:`insert_card` uses), or :func:`connect_through` from another process.
        """
        if self._port is None:
            raise RuntimeError("the daemon has not been started yet")
        return (self._port, self._port + 1)

    def port(self, index: int) -> int:
        """TCP port of reader ``index`` (0 or 1), in pcscd's network namespace (:attr:`ports`)."""
        return self.ports[index]

    @property
    def connector_path(self) -> str:
        """Unix socket through which cards reach the readers (mode 0600: its owner only).

        From another process: ``card.insert(port, connect=lambda p, t:
        connect_through(path, p, t))``, with :func:`connect_through` from this module.
        """
        return os.path.join(self.directory, "vpcd.sock")

    def connect_reader(self, port: int, timeout: float = 5.0) -> socket.socket:
        """A TCP socket connected to vpcd's ``port`` inside pcscd's network namespace.

        Usable as ``VirtualCard.insert(port, connect=daemon.connect_reader)``.
        Raises ConnectionError while pcscd is not running.
        """
        return connect_through(self.connector_path, port, timeout)

    @property
    def pid(self) -> int | None:
        """pcscd's process id while it runs, else None."""
        proc = self._res.proc
        return proc.pid if proc is not None and proc.poll() is None else None

    @property
    def is_running(self) -> bool:
        """True while pcscd is running."""
        return self.pid is not None

    @property
    def cards(self) -> Dict[int, VirtualCard]:
        """Cards put in with :meth:`insert_card`, by reader index."""
        with self._lock:
            return dict(self._cards)

    def log_tail(self, lines: int = 40) -> str:
        """The last ``lines`` lines of the pcscd log, for error messages."""
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
        except (OSError, RuntimeError):
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    # --------------------------------------------------------------- lifecycle

    def __enter__(self) -> PrivatePCSCD:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def start(self) -> PrivatePCSCD:
        """Start pcscd (again) and wait until its readers are listed; return self.

        Cards put in with :meth:`insert_card` before a :meth:`stop` are put back,
        as a card stays in a physical reader while pcscd restarts.
        """
        with self._lock:
            if not self._finalizer.alive:
                raise RuntimeError("the daemon has been closed")
            if self.is_running:
                return self
            if sys.platform != "linux":
                raise PCSCDUnavailable("a private pcscd needs Linux mount namespaces")
            pcscd = self._pcscd or _host.find_program("pcscd")
            self._pcscd = pcscd
            driver = self._driver or _host.find_vpcd_driver(pcscd)
            self._driver = driver
            self._make_directory()
            first_start = self._port is None
            try:
                offset = self._launch_with_readers(pcscd, driver, pick_ports=first_start)
            except BaseException:
                if first_start:
                    self._port = self._fixed_port
                raise
            self._names = self._parse_reader_names(offset) or self._names
            for index, card in sorted(self._cards.items()):
                self._put_in(index, card, 5.0)
            return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop pcscd: SIGTERM, then SIGKILL after ``timeout`` seconds; wait for it."""
        with self._lock:
            self._res.kill(timeout)
            # pcscd is gone, so the cards' connections end at once.
            for card in self._cards.values():
                card.remove(timeout)

    def restart(self) -> None:
        """:meth:`stop` then :meth:`start`."""
        self.stop()
        self.start()

    def close(self) -> None:
        """Stop pcscd and delete the private directory. The object can't be restarted."""
        with self._lock:
            self._res.kill()  # first, so that the cards see their connection end at once
            for card in self._cards.values():
                try:
                    card.remove(1.0)
                except TimeoutError:
                    pass
            self._cards.clear()
            self._inserted_at.clear()
            self._finalizer()

    # ------------------------------------------------------------------- cards

    def insert_card(self, index: int, card: VirtualCard, timeout: float = 5.0) -> VirtualCard:
        """Put ``card`` in reader ``index`` and wait until pcscd reports it present."""
        with self._lock:
            if index in self._cards:
                raise RuntimeError(f"reader {index} already holds {self._cards[index]!r}")
            self._put_in(index, card, timeout)
            self._cards[index] = card
            return card

    def remove_card(self, index: int, timeout: float = 5.0) -> VirtualCard | None:
        """Take the card out of reader ``index``, wait until pcscd reports it gone, return it."""
        with self._lock:
            card = self._cards.pop(index, None)
            inserted_at = self._inserted_at.pop(index, None)
            if card is None:
                return None
            running = self.is_running
            card.remove(timeout)
            # Searched from the insertion on: a card that left by itself (in
            # the middle of an APDU, say) may be logged gone already, or not
            # yet, and the next test must not find it still present.
            if running and inserted_at is not None:
                self.wait_for_log(f"Card Removed From {self._names[index]}", inserted_at, timeout)
                time.sleep(_REMOVAL_SETTLE)
            return card

    def wait_for_log(
        self, line_end: str | Tuple[str, ...], offset: int = 0, timeout: float = 5.0
    ) -> str:
        """Wait for a pcscd log line written after byte ``offset`` that ends with ``line_end``.

        ``line_end`` may be a tuple of alternatives. Returns the line; raises
        TimeoutError (with the log tail) if none comes in ``timeout`` seconds.
        """
        ends = (line_end,) if isinstance(line_end, str) else line_end
        needle = tuple(end.encode() for end in ends)
        deadline = time.monotonic() + timeout
        while True:
            for line in self._read_log(offset).splitlines():
                if line.rstrip().endswith(needle):
                    return line.decode("utf-8", "replace")
            if time.monotonic() > deadline:
                state = "running" if self.is_running else "NOT running"
                raise TimeoutError(
                    f"pcscd ({state}) did not log {line_end!r} within {timeout} s; "
                    f"log tail:\n{self.log_tail()}"
                )
            time.sleep(_POLL)

    # ---------------------------------------------------------------- internals

    def _put_in(self, index: int, card: VirtualCard, timeout: float) -> None:
        # After a card vanished in the middle of an APDU, vpcd sometimes
        # misses the next insertion altogether (pcscd never polls it in);
        # taking the card out and putting it back in clears that. pcscd logs
        # a normal insertion within about 0.5 s, so 2 s means a missed one.
        deadline = time.monotonic() + timeout
        first_try = min(timeout, 2.0)
        try:
            self._insert_and_wait(index, card, first_try)
        except TimeoutError:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise
            self._insert_and_wait(index, card, remaining)

    def _insert_and_wait(self, index: int, card: VirtualCard, timeout: float) -> None:
        offset = self._log_size()
        card.insert(self.port(index), wait=True, timeout=timeout, connect=self.connect_reader)
        # A card already there when a reader's event thread starts (as just
        # after start()) is logged with its ATR only, not "Card inserted into".
        # Both lines are written after pcscd has stored the new state.
        atr_line = "Card ATR: " + " ".join(f"{b:02X}" for b in card.atr)
        try:
            self.wait_for_log(
                (f"Card inserted into {self._names[index]}", atr_line), offset, timeout
            )
        except TimeoutError:
            card.remove(1.0)  # don't leave a half-inserted card behind
            raise
        self._inserted_at[index] = offset

    def _make_directory(self) -> None:
        if self._res.directory is not None:
            return
        base = tempfile.gettempdir()
        if len(os.path.join(base, "pyscard-pcscd-XXXXXXXX", "pcscd.comm")) > _MAX_SOCKET_PATH:
            base = "/tmp"  # a socket path must fit in sockaddr_un
        self._res.directory = tempfile.mkdtemp(prefix="pyscard-pcscd-", dir=base)
        os.mkdir(os.path.join(self._res.directory, "reader.conf.d"))

    def _write_config(self, driver: str) -> None:
        # vpcd reads the port from DEVICENAME; one file gives two readers (port, port+1).
        config = (
            f'FRIENDLYNAME "{self.reader_name}"\n'
            f"DEVICENAME /dev/null:0x{self._port:04X}\n"
            f"LIBPATH {driver}\n"
            f"CHANNELID 0x{self._port:04X}\n"
        )
        with open(os.path.join(self.directory, "reader.conf.d", "vpcd"), "w") as f:
            f.write(config)

    def _launch_with_readers(self, pcscd: str, driver: str, pick_ports: bool) -> int:
        """Launch pcscd until both vpcd readers come up; return the log offset of the run."""
        # In pcscd's new network namespace every port is free; the pair is
        # picked free here too, so that a probe of these ports from this
        # namespace (as the tests make) can't meet another program's listener.
        # A failure to bind is still checked, and retried with new ports.
        attempts = 3 if pick_ports and self._fixed_port is None else 1
        for attempt in range(attempts):
            if pick_ports and self._fixed_port is None:
                self._port = _host.free_port_pair()
            self._write_config(driver)
            offset = self._launch(pcscd)
            failure = self._reader_failure(offset)
            if failure is None:
                return offset
            self._res.kill()
            if attempt == attempts - 1:
                raise PCSCDUnavailable(
                    f"pcscd could not create the vpcd readers on ports {self.ports} "
                    f"({failure}); pcscd log:\n{self.log_tail()}"
                )
        raise AssertionError("unreachable")

    def _command(self, pcscd: str) -> List[str]:
        args = [pcscd, "--foreground", "--debug" if self._debug else "--info"]
        if self._apdu_log:
            args.append("--apdu")
        args += ["--config", os.path.join(self.directory, "reader.conf.d")]
        setpriv = shutil.which("setpriv")
        if setpriv and threading.current_thread() is threading.main_thread():
            # pcscd dies with us even if we are killed. The signal follows the
            # thread that started it, hence only when that is the main thread.
            args = [setpriv, "--pdeathsig", "TERM", *args]
        return [
            "sh",
            "-c",
            _MOUNT_AND_EXEC,
            "pyscard-pcscd",
            self.directory,
            _host.pcscd_ipc_dir(pcscd),
            sys.executable or _host.find_program("python3"),
            _CONNECTOR_SCRIPT,
            *args,
        ]

    def _strategies(self) -> List[List[str]]:
        unshare = _host.find_program("unshare")
        # --net: vpcd's ports must not be reachable from the network (see ports).
        plain = [unshare, "--mount", "--net", "--propagation", "private"]
        userns = [unshare, "--map-root-user", "--mount", "--net", "--propagation", "private"]
        if self._strategy is not None:
            return [self._strategy]
        return [plain, userns] if os.geteuid() == 0 else [userns]

    def _launch(self, pcscd: str) -> int:
        """Start pcscd with the first namespace strategy that works; return the log offset."""
        for stale in ("pcscd.comm", "pcscd.pid", "vpcd.sock"):
            try:
                os.unlink(os.path.join(self.directory, stale))
            except FileNotFoundError:
                pass
        reasons = []
        for prefix in self._strategies():
            offset = self._log_size()
            with open(self.log_path, "ab") as log:
                proc = subprocess.Popen(
                    [*prefix, *self._command(pcscd)],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    close_fds=True,
                    start_new_session=True,  # a Ctrl-C in the terminal is ours to handle
                )
            self._res.proc = proc
            failure = self._wait_ready(proc, offset)
            if failure is None:
                self._strategy = prefix
                return offset
            self._res.kill()
            reasons.append(f"{' '.join(prefix[:2])}...: {failure}")
        raise PCSCDUnavailable(
            "cannot start a private pcscd (needs root, or unprivileged user namespaces, "
            "to bind-mount a private socket directory and to make a private network):\n"
            + "\n".join(reasons)
        )

    def _wait_ready(self, proc: subprocess.Popen[bytes], offset: int) -> str | None:
        # pcscd binds its socket only after creating the readers, so a socket
        # that accepts connections means the readers are listed; cards need
        # the connector's socket as well.
        deadline = time.monotonic() + self.start_timeout
        while True:
            if proc.poll() is not None:
                out = self._read_log(offset).decode("utf-8", "replace").strip()
                return f"exited with status {proc.returncode}: {out[-2000:] or '(no output)'}"
            if _accepts(self.socket_path) and _accepts(self.connector_path):
                return None
            failed = _CONNECTOR_FAILURE.search(self._read_log(offset).decode("utf-8", "replace"))
            if failed:
                return failed.group(0).strip()
            if time.monotonic() > deadline:
                out = self._read_log(offset).decode("utf-8", "replace").strip()
                return f"no socket after {self.start_timeout} s: {out[-2000:]}"
            time.sleep(_POLL)

    def _reader_failure(self, offset: int) -> str | None:
        match = _READER_FAILURE.search(self._read_log(offset).decode("utf-8", "replace"))
        return match.group(0).strip() if match else None

    def _parse_reader_names(self, offset: int) -> Tuple[str, str] | None:
        text = self._read_log(offset).decode("utf-8", "replace")
        names = re.findall(r"Attempting startup of (.+?) using ", text)
        return (names[0], names[1]) if len(names) == 2 else None

    def _log_size(self) -> int:
        try:
            return os.path.getsize(self.log_path)
        except OSError:
            return 0

    def _read_log(self, offset: int) -> bytes:
        try:
            with open(self.log_path, "rb") as f:
                f.seek(offset)
                return f.read()
        except OSError:
            return b""


def _accepts(path: str) -> bool:
    if not os.path.exists(path):
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(path)
        except OSError:
            return False
    return True
