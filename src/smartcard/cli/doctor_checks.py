# SPDX-License-Identifier: LGPL-2.1-or-later
"""The checks of ``pyscard doctor``, in the order a PC/SC call needs things to work.

library -> socket -> service -> readers -> cards: each check says what it
found, and when something is wrong, the likely cause and the fix. The
meaning of PC/SC result codes comes from :mod:`smartcard.pcsc.errors`.
"""

from __future__ import annotations

import errno
import os
import socket
import stat
from dataclasses import dataclass, field
from typing import Any

from smartcard.cli import doctor_system as system

OK, INFO, WARN, FAIL, SKIPPED = "ok", "info", "warn", "fail", "skipped"


@dataclass
class Check:
    """One finding: a status, a one-line summary, supporting details and the fix."""

    name: str
    status: str
    summary: str
    details: list[str] = field(default_factory=list)
    fix: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "summary": self.summary,
            "details": self.details,
            "fix": self.fix,
            "data": self.data,
        }


@dataclass
class Findings:
    """What earlier checks learnt that later ones need."""

    context: int | None = None
    establish_result: int | None = None
    socket_accepts: bool | None = None
    reader_names: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- library


def check_library(found: Findings) -> Check:
    """Load the PC/SC client library (by establishing a context) and say which file it is."""
    try:
        from smartcard._pcsc import backend
        from smartcard._pcsc import extension as scard
    except ImportError as exc:
        return Check(
            "library",
            FAIL,
            f"pyscard's PC/SC extension cannot be imported: {exc}",
            fix="reinstall pyscard (pip install --force-reinstall pyscard); from a source "
            "tree, build it with 'pip install -e .'",
        )
    try:
        found.establish_result, context = backend.current().SCardEstablishContext(
            scard.SCARD_SCOPE_USER
        )
    except scard.PCSCLibraryError as exc:
        return Check(
            "library",
            FAIL,
            "the PC/SC client library cannot be loaded",
            details=[str(exc)],
            fix="install pcsc-lite's client library (Debian/Ubuntu: 'apt-get install "
            f"libpcsclite1'; Fedora: 'dnf install pcsc-lite-libs'), or point {system.ENV_LIBRARY} "
            "at the library file",
        )
    if found.establish_result == scard.SCARD_S_SUCCESS:
        found.context = context
    details = []
    data: dict[str, Any] = {}
    override = os.environ.get(system.ENV_LIBRARY)
    if override:
        details.append(f"{system.ENV_LIBRARY}={override}")
        data["override"] = override
    paths = system.loaded_libraries() if system.is_linux() else []
    summary = "loaded"
    if paths:
        package = system.package_of(paths[0])
        data.update(path=paths[0], real_path=os.path.realpath(paths[0]), package=package)
        summary = f"loaded {paths[0]}" + (f" ({package})" if package else "")
    copies = system.library_copies() if system.is_linux() else []
    data["copies"] = copies
    status = OK
    fix = None
    if len(copies) > 1:
        details.append("copies of libpcsclite on this system: " + ", ".join(copies))
        if any(path.startswith(("/usr/local/", "/opt/")) for path in copies):
            status = WARN
            fix = (
                "more than one pcsc-lite is installed; if clients and pcscd disagree "
                "(SCARD_E_SERVICE_STOPPED), remove the hand-built one under /usr/local or /opt"
            )
    return Check("library", status, summary, details, fix, data)


# ---------------------------------------------------------------- socket


def check_socket(found: Findings) -> Check:
    """Where clients look for pcscd, and whether something answers there."""
    path, origin = system.socket_path()
    data: dict[str, Any] = {"path": path, "origin": origin}
    label = f"{path} ({origin})"
    try:
        info = os.stat(path)
    except FileNotFoundError:
        found.socket_accepts = False
        return _missing_socket(path, origin, data)
    except PermissionError:
        found.socket_accepts = False
        return Check(
            "socket",
            FAIL,
            f"{label}: a directory on the way is not readable by this user",
            fix=f"check the permissions of {os.path.dirname(path)}",
            data=data,
        )
    data["mode"] = stat.filemode(info.st_mode)
    data["owner_uid"] = info.st_uid
    if not stat.S_ISSOCK(info.st_mode):
        found.socket_accepts = False
        return Check(
            "socket",
            FAIL,
            f"{label} exists but is not a socket ({data['mode']})",
            fix="remove it and restart pcscd",
            data=data,
        )
    error = _connect_error(path)
    found.socket_accepts = error is None
    if error is None:
        return Check("socket", OK, f"{label} accepts connections ({data['mode']})", data=data)
    if error == errno.EACCES:
        return Check(
            "socket",
            FAIL,
            f"{label}: permission denied ({data['mode']})",
            fix="the socket must be writable by every user (srw-rw-rw-); restart pcscd, and "
            "check that nothing changes the socket's permissions",
            data=data,
        )
    if error == errno.ECONNREFUSED:
        return Check(
            "socket",
            FAIL,
            f"{label} exists but nobody listens: pcscd died and left it behind",
            fix="restart pcscd: 'sudo systemctl restart pcscd.socket pcscd.service' "
            "(or remove the stale socket and start pcscd)",
            data=data,
        )
    return Check("socket", FAIL, f"{label}: cannot connect ({os.strerror(error)})", data=data)


def _connect_error(path: str) -> int | None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(2.0)
        try:
            probe.connect(path)
        except OSError as exc:
            return exc.errno or errno.EIO
    return None


def _missing_socket(path: str, origin: str, data: dict[str, Any]) -> Check:
    details = []
    daemons = system.running_daemons() if system.is_linux() else []
    data["running_daemons"] = [d.pid for d in daemons]
    if os.environ.get(system.ENV_SOCKET):
        fix = (
            f"{system.ENV_SOCKET} points to {path}, which does not exist: unset it to use "
            f"the default {system.DEFAULT_SOCKET}, or set it to the socket of a running pcscd"
        )
    elif daemons:
        fix = (
            "pcscd runs but its socket is not where clients look: it may run in another "
            "mount namespace or container, or be built with another ipcdir "
            "(compare 'pcscd --version' of the daemon and the library's pcsc-lite)"
        )
    else:
        fix = (
            "start pcscd: 'sudo systemctl enable --now pcscd.socket' (socket activation), "
            "or install it first (Debian/Ubuntu: 'apt-get install pcscd')"
        )
    for daemon in daemons:
        details.append(f"pcscd running: pid {daemon.pid}: {daemon.command_line}")
    if not daemons and system.is_linux():
        details.append("no pcscd process is running")
    return Check("socket", FAIL, f"{path} ({origin}) does not exist", details, fix, data)


# ---------------------------------------------------------------- service


def check_service(found: Findings) -> Check:
    """The result of establishing a context: can this process use PC/SC at all?"""
    from smartcard._pcsc import extension as scard
    from smartcard._pcsc.errors import error_name, explain

    result = found.establish_result
    if result is None:
        return Check("service", SKIPPED, "not checked: the PC/SC library did not load")
    if result == scard.SCARD_S_SUCCESS:
        return Check("service", OK, "a PC/SC context was established")
    data: dict[str, Any] = {"hresult": f"0x{result & 0xFFFFFFFF:08X}", "name": error_name(result)}
    details = [explain(result, with_hint=False)]
    if result == scard.SCARD_E_SERVICE_STOPPED:
        return _service_stopped(details, data)
    if result == scard.SCARD_W_SECURITY_VIOLATION or (
        result == scard.SCARD_E_NO_SERVICE and found.socket_accepts
    ):
        return Check(
            "service",
            FAIL,
            "pcscd refused this client (polkit)",
            details,
            "pcscd asks polkit whether this user may use PC/SC; allow it with a polkit rule "
            "for org.debian.pcsc-lite.access_pcsc (and access_card), or run from a local "
            "desktop session (remote SSH sessions are refused by default)",
            data,
        )
    if result == scard.SCARD_E_NO_SERVICE:
        return Check(
            "service",
            FAIL,
            "the PC/SC service (pcscd) is not reachable",
            details,
            _hint(result) + " (see the socket check above)",
            data,
        )
    summary = f"establishing a context failed: {error_name(result)}"
    return Check("service", FAIL, summary, details, _hint(result) or None, data)


def _hint(result: int) -> str:
    """The error table's advice for ``result``."""
    from smartcard._pcsc.errors import lookup

    info = lookup(result)
    return info.hint if info is not None and info.hint else ""


def _service_stopped(details: list[str], data: dict[str, Any]) -> Check:
    """SCARD_E_SERVICE_STOPPED: nearly always client and daemon from different pcsc-lite."""
    libraries = system.loaded_libraries() if system.is_linux() else []
    daemons = system.daemon_binaries() if system.is_linux() else []
    for path in libraries:
        details.append(f"client library: {path} ({system.package_of(path) or 'package unknown'})")
    for daemon in daemons:
        details.append(f"daemon binary: {daemon.path} (pcsc-lite {daemon.version or '?'})")
    for process in system.running_daemons() if system.is_linux() else []:
        details.append(f"running pcscd: pid {process.pid}, {process.executable or '?'}")
    kind = system.sandbox()
    if kind:
        details.append(f"this process runs in a {kind}, which may bundle its own libpcsclite")
    data["sandbox"] = kind
    data["daemon_versions"] = {d.path: d.version for d in daemons}
    return Check(
        "service",
        FAIL,
        "pcscd answered, but speaks another protocol version than the client library",
        details,
        "use one pcsc-lite: the client library and pcscd must come from the same release "
        "(remove a hand-built copy under /usr/local or /opt, or update both packages together; "
        "in a flatpak/snap use the host's pcscd version the sandbox was built for); "
        "if pcscd was just restarted, simply run again",
        data,
    )


# ---------------------------------------------------------------- readers


def check_readers(found: Findings) -> Check:
    """The readers pcscd knows, and the driver serving each."""
    from smartcard._pcsc import backend
    from smartcard._pcsc import extension as scard
    from smartcard._pcsc.errors import explain

    if found.context is None:
        return Check("readers", SKIPPED, "not checked: no PC/SC context")
    result, names = backend.current().SCardListReaders(found.context, [])
    drivers = system.installed_drivers()
    driver_names = [
        f"{d.name} ({d.library}{' ' + d.version if d.version else ''})" for d in drivers
    ]
    if result == scard.SCARD_E_NO_READERS_AVAILABLE or (result == 0 and not names):
        details = ["installed drivers: " + (", ".join(driver_names) or "none")]
        return Check(
            "readers",
            FAIL,
            "no reader found",
            details,
            "plug the reader in (check 'lsusb' lists it); most USB readers need the CCID "
            "driver (Debian/Ubuntu: 'apt-get install libccid'); the pcscd log says why a "
            "reader was not taken ('journalctl -u pcscd')",
            {"readers": [], "drivers": driver_names},
        )
    if result != scard.SCARD_S_SUCCESS:
        return Check("readers", FAIL, "the readers cannot be listed", [explain(result)])
    found.reader_names = list(names)
    details = []
    readers = []
    for name in names:
        driver = system.driver_for(name, drivers)
        label = f"{driver.name}: {driver.library}" if driver else "driver not identified"
        if driver and driver.version:
            label += f" {driver.version}"
        details.append(f"{name}  [{label}]")
        readers.append({"name": name, "driver": driver.library if driver else None})
    count = f"{len(names)} reader{'s' if len(names) != 1 else ''}"
    return Check("readers", OK, count, details, data={"readers": readers, "drivers": driver_names})


# ---------------------------------------------------------------- cards


def check_cards(found: Findings) -> list[Check]:
    """Each present card: does it answer a connection?"""
    if found.context is None or not found.reader_names:
        return [Check("card", SKIPPED, "not checked: no reader")]
    from smartcard._pcsc.exceptions import SmartcardException
    from smartcard._pcsc.readers import reader_states
    from smartcard.cli.reader_state import state_from_flags

    try:
        states = reader_states(found.context, found.reader_names)
    except SmartcardException as exc:
        from smartcard._pcsc.errors import explain

        return [Check("card", FAIL, "the reader states cannot be read", [explain(exc.hresult)])]
    checks = []
    for name, event, atr in states:
        state = state_from_flags(name, event, atr)
        if not state.has_card:
            continue
        checks.append(_check_card(found.context, state))
    if not checks:
        return [Check("card", INFO, "no card inserted: insert one to check that it answers")]
    return checks


def _check_card(context: int, state: Any) -> Check:
    from smartcard._pcsc import extension as scard
    from smartcard._pcsc.errors import error_name, explain
    from smartcard._pcsc.exceptions import CardConnectionException
    from smartcard._pcsc.handle import CardHandle

    atr = state.atr.hex(" ").upper() if state.atr else ""
    data = {"reader": state.name, "atr": state.atr.hex().upper() if state.atr else None}
    if state.state == "mute":
        return Check(
            "card",
            FAIL,
            f"{state.name}: the card does not answer (mute)",
            fix="reinsert it the right way round and clean its contacts; the reader may not "
            "support this card type (e.g. a memory card, or a contactless card out of range)",
            data=data,
        )
    # The checks' shared context is lent to the handle, never released by it.
    handle = CardHandle(state.name, hcontext=context)
    try:
        protocol = handle.connect(
            scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1
        )
        result = 0
    except CardConnectionException as exc:
        result = exc.hresult
    handle.drop()
    if result == 0:
        name = {scard.SCARD_PROTOCOL_T0: "T=0", scard.SCARD_PROTOCOL_T1: "T=1"}.get(protocol, "?")
        data["protocol"] = name
        return Check("card", OK, f"{state.name}: card answers ({name}), ATR {atr}", data=data)
    data["error"] = error_name(result)
    if result == scard.SCARD_E_SHARING_VIOLATION:
        return Check(
            "card",
            WARN,
            f"{state.name}: card held exclusively by another program",
            [explain(result, with_hint=False)],
            "close the program holding it (often gpg-agent's scdaemon: 'gpgconf --kill "
            "scdaemon'), then retry",
            data,
        )
    return Check(
        "card", FAIL, f"{state.name}: connecting to the card failed", [explain(result)], data=data
    )


def release(found: Findings) -> None:
    """Release the context the checks shared."""
    if found.context is not None:
        from smartcard._pcsc.context import release_context

        release_context(found.context)
        found.context = None
