# SPDX-License-Identifier: LGPL-2.1-or-later
"""What a private pcscd needs from this machine: the binaries, the vpcd driver, free ports."""

from __future__ import annotations

import functools
import glob
import os
import random
import re
import shutil
import socket
import subprocess
from typing import Dict, Tuple


class PCSCDUnavailable(RuntimeError):
    """A private pcscd cannot be started here; the message says why."""


# Non-root PATHs often lack the sbin directories where pcscd lives.
_EXTRA_PATH = ("/usr/sbin", "/sbin", "/usr/local/sbin")


def find_program(name: str) -> str:
    """Return the path of ``name`` from PATH or an sbin directory."""
    path = os.pathsep.join([os.environ.get("PATH", os.defpath), *_EXTRA_PATH])
    found = shutil.which(name, path=path)
    if found is None:
        raise PCSCDUnavailable(f"{name!r} not found in PATH or {', '.join(_EXTRA_PATH)}")
    return found


@functools.cache
def pcscd_features(pcscd: str) -> Dict[str, str]:
    """The ``key=value`` build settings pcscd prints with --version (ipcdir, usbdropdir...)."""
    try:
        out = subprocess.run(
            [pcscd, "--version"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise PCSCDUnavailable(f"cannot run {pcscd} --version: {exc}") from exc
    return dict(re.findall(r"\b(\w+)=(\S+)", out))


def find_vpcd_driver(pcscd: str) -> str:
    """Locate vpcd's reader driver (libifdvpcd.so), preferring pcscd's own driver folder."""
    dropdir = pcscd_features(pcscd).get("usbdropdir")
    patterns = [os.path.join(dropdir, "serial", "libifdvpcd.so*")] if dropdir else []
    patterns += [
        "/usr/lib/pcsc/drivers/serial/libifdvpcd.so*",
        "/usr/lib64/pcsc/drivers/serial/libifdvpcd.so*",
        "/usr/local/lib/pcsc/drivers/serial/libifdvpcd.so*",
        "/usr/lib/*/pcsc/drivers/serial/libifdvpcd.so*",
    ]
    for pattern in patterns:
        matches = sorted(glob.glob(pattern), key=len)
        if matches:
            return matches[0]
    raise PCSCDUnavailable(
        "vpcd reader driver libifdvpcd.so not found (install vsmartcard-vpcd); looked in "
        + ", ".join(patterns)
    )


def pcscd_ipc_dir(pcscd: str) -> str:
    """The directory pcscd puts its socket in (compiled in; 1.9.x ignores the environment)."""
    return pcscd_features(pcscd).get("ipcdir", "/run/pcscd")


def _ephemeral_range() -> Tuple[int, int]:
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low, high = (int(x) for x in f.read().split())
            return low, high
    except (OSError, ValueError):
        return 32768, 60999


def _bindable(port: int) -> bool:
    # vpcd binds INADDR_ANY, so probe the same address (catches 127.0.0.1 users too).
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


def free_port_pair(rng: random.Random | None = None) -> int:
    """Pick P such that P and P+1 are free now, outside the ephemeral port range.

    Outside that range, no outgoing connection can take the port between the
    probe and pcscd binding it.
    """
    rng = rng or random.Random()
    eph_low, eph_high = _ephemeral_range()
    spans = [(lo, hi) for lo, hi in ((10000, eph_low - 2), (eph_high + 1, 65533)) if hi > lo]
    if not spans:
        spans = [(1024, 65533)]
    for _ in range(200):
        lo, hi = rng.choice(spans)
        port = rng.randint(lo, hi)
        if _bindable(port) and _bindable(port + 1):
            return port
    raise PCSCDUnavailable("no free pair of TCP ports found for the vpcd readers")
