# SPDX-License-Identifier: LGPL-2.1-or-later
"""Facts about the machine's PC/SC installation, gathered for ``pyscard doctor``.

Everything here is best effort and read-only: a fact that cannot be
established is reported as unknown, never as an error of its own. The
PC/SC API says nothing about files, packages or processes, so these come
from the file system, ``/proc`` and the package manager.
"""

from __future__ import annotations

import glob
import os
import plistlib
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field

ENV_SOCKET = "PCSCLITE_CSOCK_NAME"
ENV_LIBRARY = "PYSCARD_PCSC_LIBRARY"
# pcsc-lite's compiled-in socket (ipcdir /run/pcscd); older builds used /var/run/pcscd.
DEFAULT_SOCKET = "/run/pcscd/pcscd.comm"
_COMMAND_TIMEOUT = 5.0

# Where distributions and hand builds put pcsc-lite's pieces.
_LIBRARY_GLOBS = (
    "/usr/lib/libpcsclite.so*",
    "/usr/lib64/libpcsclite.so*",
    "/usr/lib/*-linux-gnu*/libpcsclite.so*",
    "/lib/*-linux-gnu*/libpcsclite.so*",
    "/usr/local/lib/libpcsclite.so*",
    "/usr/local/lib64/libpcsclite.so*",
    "/usr/local/lib/*-linux-gnu*/libpcsclite.so*",
    "/opt/*/lib/libpcsclite.so*",
)
_DAEMON_PATHS = ("/usr/sbin/pcscd", "/usr/local/sbin/pcscd", "/sbin/pcscd", "/usr/bin/pcscd")
_DRIVER_DIRS = ("/usr/lib/pcsc/drivers", "/usr/local/lib/pcsc/drivers", "/usr/lib64/pcsc/drivers")
_READER_CONF_DIRS = ("/etc/reader.conf.d", "/usr/local/etc/reader.conf.d")


def _run(command: list[str]) -> str | None:
    """Standard output of ``command``, or None if it is missing, fails or hangs."""
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=_COMMAND_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


# ------------------------------------------------------------ client library


def loaded_libraries(fragment: str = "libpcsclite") -> list[str]:
    """Files of this process's memory map whose name contains ``fragment`` (Linux only)."""
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            paths = {line.split(None, 5)[5].strip() for line in maps if fragment in line}
    except (OSError, IndexError):
        return []
    return sorted(path for path in paths if path.startswith("/"))


def package_of(path: str) -> str | None:
    """The "package version" owning ``path`` according to dpkg or rpm, if either knows it."""
    candidates = [path, os.path.realpath(path)]
    # usrmerge: dpkg may record /lib/... for a file loaded as /usr/lib/... or the reverse.
    candidates += [p[4:] if p.startswith("/usr/") else "/usr" + p for p in list(candidates)]
    if shutil.which("dpkg-query"):
        for candidate in candidates:
            owner = _run(["dpkg-query", "-S", candidate])
            if owner:
                # "libpcsclite1:amd64: /usr/lib/.../libpcsclite.so.1.0.0"
                package = owner.split(": ", 1)[0]
                version = _run(["dpkg-query", "-W", "-f", "${Version}", package])
                return f"{package} {version}" if version else package
    if shutil.which("rpm"):
        for candidate in candidates:
            owner = _run(["rpm", "-qf", "--qf", "%{NAME} %{VERSION}-%{RELEASE}", candidate])
            if owner:
                return owner.strip()
    return None


def library_copies() -> list[str]:
    """Distinct real files of libpcsclite found in the usual places."""
    real = set()
    for pattern in _LIBRARY_GLOBS:
        for path in glob.glob(pattern):
            if os.path.isfile(path):
                real.add(os.path.realpath(path))
    return sorted(real)


# -------------------------------------------------------------------- daemon


@dataclass
class DaemonBinary:
    """A pcscd executable and what its ``--version`` says."""

    path: str
    version: str | None
    features: list[str] = field(default_factory=list)

    @property
    def ipcdir(self) -> str | None:
        for feature in self.features:
            if feature.startswith("ipcdir="):
                return feature.split("=", 1)[1]
        return None

    @property
    def polkit(self) -> bool:
        return "polkit" in self.features


def daemon_binaries() -> list[DaemonBinary]:
    """Every distinct pcscd executable on PATH or in the usual places."""
    paths: list[str] = []
    on_path = shutil.which("pcscd")
    for path in ([on_path] if on_path else []) + list(_DAEMON_PATHS):
        if os.path.isfile(path) and os.path.realpath(path) not in map(os.path.realpath, paths):
            paths.append(path)
    return [_describe_daemon(path) for path in paths]


def _describe_daemon(path: str) -> DaemonBinary:
    text = _run([path, "--version"]) or ""
    version = re.search(r"pcsc-lite version ([\w.~+-]+?)\.?$", text, re.MULTILINE)
    features = re.search(r"^Enabled features:(.*)$", text, re.MULTILINE)
    return DaemonBinary(
        path=path,
        version=version.group(1) if version else None,
        features=features.group(1).split() if features else [],
    )


@dataclass
class DaemonProcess:
    """A running pcscd: its pid, executable (if visible) and command line."""

    pid: int
    executable: str | None
    command_line: str


def running_daemons() -> list[DaemonProcess]:
    """pcscd processes visible in /proc (Linux only)."""
    found = []
    for entry in glob.glob("/proc/[0-9]*/comm"):
        try:
            with open(entry, encoding="utf-8", errors="replace") as comm:
                if comm.read().strip() != "pcscd":
                    continue
            directory = os.path.dirname(entry)
            with open(os.path.join(directory, "cmdline"), "rb") as cmdline:
                command_line = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # the process ended meanwhile
        try:
            executable: str | None = os.readlink(os.path.join(directory, "exe"))
        except OSError:
            executable = None  # another user's process
        found.append(
            DaemonProcess(int(os.path.basename(directory)), executable, command_line.strip())
        )
    return sorted(found, key=lambda process: process.pid)


# ------------------------------------------------------------------- socket


def socket_path() -> tuple[str, str]:
    """(path clients use, where that path comes from)."""
    configured = os.environ.get(ENV_SOCKET)
    if configured:
        return configured, f"from {ENV_SOCKET}"
    return DEFAULT_SOCKET, "pcsc-lite's default"


# ------------------------------------------------------------------ sandbox


def sandbox() -> str | None:
    """The kind of sandbox this process runs in, if it can tell."""
    if os.environ.get("FLATPAK_ID") or os.path.exists("/.flatpak-info"):
        return "flatpak"
    if os.environ.get("SNAP"):
        return "snap"
    if os.path.exists("/.dockerenv"):
        return "docker container"
    if os.path.exists("/run/.containerenv"):
        return "podman container"
    return None


# ------------------------------------------------------------------ drivers


@dataclass
class Driver:
    """A reader driver: its library and the reader names it serves."""

    name: str
    library: str
    version: str | None
    reader_names: list[str] = field(default_factory=list)


def installed_drivers() -> list[Driver]:
    """USB driver bundles (Info.plist) and serial readers configured in reader.conf.d."""
    drivers = []
    for directory in _DRIVER_DIRS:
        bundles = glob.glob(os.path.join(directory, "*.bundle/Contents/Info.plist"))
        for plist_path in sorted(bundles):
            driver = _bundle_driver(plist_path)
            if driver is not None:
                drivers.append(driver)
    for directory in _READER_CONF_DIRS:
        for conf in sorted(glob.glob(os.path.join(directory, "*"))):
            driver = _reader_conf_driver(conf)
            if driver is not None:
                drivers.append(driver)
    return drivers


def _bundle_driver(plist_path: str) -> Driver | None:
    try:
        with open(plist_path, "rb") as plist:
            info = plistlib.load(plist)
    except (OSError, plistlib.InvalidFileException, ValueError):
        return None
    bundle = plist_path.split(os.sep)[-3]
    names = info.get("ifdFriendlyName", [])
    return Driver(
        name=bundle,
        library=str(info.get("CFBundleExecutable", "?")),
        version=info.get("CFBundleShortVersionString"),
        reader_names=[names] if isinstance(names, str) else [str(n) for n in names],
    )


def _reader_conf_driver(path: str) -> Driver | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as conf:
            text = conf.read()
    except OSError:
        return None
    name = re.search(r'^\s*FRIENDLYNAME\s+"?([^"\n]+)"?', text, re.MULTILINE)
    library = re.search(r"^\s*LIBPATH\s+(\S+)", text, re.MULTILINE)
    if not library:
        return None
    return Driver(
        name=os.path.basename(path),
        library=library.group(1),
        version=None,
        reader_names=[name.group(1).strip()] if name else [],
    )


def driver_for(reader: str, drivers: list[Driver]) -> Driver | None:
    """The driver whose reader names start ``reader`` (the longest match wins)."""
    best: tuple[int, Driver] | None = None
    for driver in drivers:
        for name in driver.reader_names:
            if name and reader.startswith(name) and (best is None or len(name) > best[0]):
                best = (len(name), driver)
    return best[1] if best else None


def is_linux() -> bool:
    return sys.platform.startswith("linux")
