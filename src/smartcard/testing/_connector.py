# SPDX-License-Identifier: LGPL-2.1-or-later
"""Connections to the vpcd readers of a private pcscd, made inside its network namespace.

vpcd listens on all interfaces (0.0.0.0), so the private pcscd runs in a
network namespace of its own, whose only interface is its loopback: nothing on
this host's network, not even this process, can reach the readers' ports. This
module, run as a script inside that namespace next to pcscd, is the way in: it
brings up the namespace's loopback, listens on a Unix socket in the daemon's
private directory (mode 0700, so only its owner gets through) and, for each
request, connects to ``127.0.0.1:PORT`` and sends the connected socket back
over the Unix socket (``SCM_RIGHTS``). A socket keeps working whichever
namespace its holder is in, so the card then talks to vpcd directly, as fast as
over any local TCP connection. :func:`connect_through` is the client side.

Run as ``python -I -S _connector.py SOCKET_PATH PARENT_PID``: it uses the
standard library only, and dies with its parent (pcscd).
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import signal
import socket
import struct
import sys
import threading
from typing import List

_SIOCGIFFLAGS = 0x8913
_SIOCSIFFLAGS = 0x8914
_IFF_UP = 0x1
_IFREQ = "16sh22x"  # struct ifreq: the name, then ifr_flags in a 24-byte union
_PR_SET_PDEATHSIG = 1
_CONNECT_TIMEOUT = 10.0
_OK = b"K"
_FAILED = b"E"


def connect_through(path: str, port: int, timeout: float = 5.0) -> socket.socket:
    """A blocking TCP socket connected to ``127.0.0.1:port`` in the daemon's namespace.

    ``path`` is the connector's Unix socket (``PrivatePCSCD.connector_path``).
    Raises ConnectionError when the connector or the port can't be reached.
    """
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as link:
        link.settimeout(timeout)
        try:
            link.connect(path)
            link.sendall(struct.pack(">H", port))
            message, fds, _flags, _addr = socket.recv_fds(link, 1024, 1)
        except OSError as exc:
            raise ConnectionError(f"no connector at {path}: {exc}") from exc
    if message[:1] == _OK and len(fds) == 1:
        sock = socket.socket(fileno=fds[0])
        # The connector's connect() left O_NONBLOCK on the shared file description.
        sock.setblocking(True)
        return sock
    for fd in fds:
        os.close(fd)
    reason = message[1:].decode("utf-8", "replace") or "connector closed the connection"
    raise ConnectionError(f"port {port} in pcscd's namespace: {reason}")


def bring_up_loopback() -> None:
    """Set ``lo`` up: a new network namespace starts with it down, and no ``ip`` is assumed."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack(_IFREQ, b"lo", 0)
        flags = struct.unpack(_IFREQ, fcntl.ioctl(sock, _SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, _SIOCSIFFLAGS, struct.pack(_IFREQ, b"lo", flags | _IFF_UP))


def _die_with_parent(parent: int) -> None:
    # The parent is pcscd (the shell that started us exec'd into it): when it
    # exits, so do we, which also lets the network namespace go.
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG)")
    if os.getppid() != parent:  # it died before prctl took effect
        sys.exit(0)


def _recv_exact(conn: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _serve_one(conn: socket.socket) -> None:
    with conn:
        try:
            conn.settimeout(_CONNECT_TIMEOUT)
            request = _recv_exact(conn, 2)
            if request is None:
                return  # a readiness probe
            (port,) = struct.unpack(">H", request)
            try:
                tcp = socket.create_connection(("127.0.0.1", port), timeout=_CONNECT_TIMEOUT)
            except OSError as exc:
                conn.sendall(_FAILED + str(exc).encode()[:1000])
                return
            with tcp:
                tcp.setblocking(True)
                socket.send_fds(conn, [_OK], [tcp.fileno()])
        except OSError:
            pass  # the client gave up; nothing to clean but our ends


def serve(path: str, parent: int) -> None:
    """Bring up ``lo``, then hand out connections on the Unix socket ``path`` forever."""
    _die_with_parent(parent)
    bring_up_loopback()
    try:
        os.unlink(path)  # left over by a connector that was killed
    except FileNotFoundError:
        pass
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o177)
    try:
        server.bind(path)
    finally:
        os.umask(old_umask)
    server.listen(16)
    while True:
        conn, _ = server.accept()
        # One thread per request: a connect() that waits must not hold up the others.
        threading.Thread(target=_serve_one, args=(conn,), daemon=True).start()


def main(argv: List[str]) -> int:
    if len(argv) != 3:
        print(f"usage: {argv[0]} SOCKET_PATH PARENT_PID", file=sys.stderr)
        return 2
    try:
        serve(argv[1], int(argv[2]))
    except Exception as exc:  # the daemon looks for this line in its log
        print(f"pyscard connector failed: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
