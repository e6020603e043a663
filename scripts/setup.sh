#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# One command from a fresh Debian/Ubuntu machine to a working checkout:
# system packages (PC/SC daemon, headers, swig, the vpcd virtual reader
# driver; the readers that driver's package adds to the system pcscd are
# disabled, see below), a virtual environment in .venv with this package installed
# editable plus the test and lint tools, then a demonstration: list the
# readers and exchange APDUs with a card (a real one if attached, else
# the virtual reader and card of smartcard.testing).
#
# Usage: scripts/setup.sh [--no-demo] [--checks]
#   --checks also installs what the CI checks beyond the test suite need
#   (scripts/build_matrix.sh): Debian's clang and the newest clang-NN that
#   apt offers. (scripts/sanitize.sh needs only gcc: libasan and libubsan
#   come with it.)
set -euo pipefail
cd "$(dirname "$0")/.."

demo=1 checks=0
for arg in "$@"; do
    case $arg in
    --no-demo) demo=0 ;;
    --checks) checks=1 ;;
    *) echo "usage: scripts/setup.sh [--no-demo] [--checks]" >&2; exit 2 ;;
    esac
done

# System changes need root: directly, or through sudo. With neither (a
# sudo-less container, a minimal image), say what to run as root and stop.
require_root() {
    if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
        echo "setup: this step needs root, and sudo is not installed; as root, run:" >&2
        echo "    $1" >&2
        echo "then run scripts/setup.sh again." >&2
        exit 1
    fi
}
as_root() {
    require_root "$*"
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

packages=(pcscd libpcsclite-dev swig vsmartcard-vpcd pkg-config gcc)
# smartcard.wx and its tests (tests/wxgui, in .venv-wx below): wxPython for
# the system Python (PyPI has no Linux wheel), its venv and headers, and Xvfb.
packages+=(python3-wxgtk4.0 python3-venv python3-dev xvfb)
# Debian splits venv and the C headers out of python3: add them only when
# the python3 on PATH lacks them (a pyenv or deadsnakes Python has both).
python3 -c 'import venv, ensurepip' 2>/dev/null || packages+=(python3-venv)
python3 - <<'PY' 2>/dev/null || packages+=(python3-dev)
import os, sysconfig, sys
sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")) else 1)
PY

# The newest clang-NN that apt can install (Debian 12: clang-22 from
# bookworm-security, clang-19), whose defaults (int-conversion etc. as
# errors) are those of current compilers.
newest_clang() {
    local name
    for name in $(apt-cache pkgnames clang- 2>/dev/null | grep -E '^clang-[0-9]+$' | sort -t- -k2 -nr); do
        if apt-cache policy "$name" | grep -q 'Candidate: [0-9]'; then
            echo "$name"
            return
        fi
    done
}
if [ "$checks" = 1 ]; then
    packages+=(clang)
    clang_package=$(newest_clang)
    if [ -z "$clang_package" ]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        clang_package=$(newest_clang)
    fi
    if [ -n "$clang_package" ]; then packages+=("$clang_package"); fi
fi

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    require_root "apt-get update && apt-get install -y ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Debian's vsmartcard-vpcd ships /etc/reader.conf.d/vpcd, with which the
# *system* pcscd opens two "Virtual PCD" readers whose card ports listen on
# 0.0.0.0: anyone on the network could present a card to this machine's
# applications. The tests bring their own pcscd and config, so move the file,
# as a dpkg diversion (upgrades then put the package's copy there too), to a
# hidden name: pcsc-lite 1.9.9 skips reader.conf.d names starting with ".".
# A system pcscd already running keeps the readers until it restarts.
disable_system_vpcd() {
    local conf=/etc/reader.conf.d/vpcd
    local hidden=/etc/reader.conf.d/.vpcd.disabled-by-pyscard
    command -v dpkg-divert >/dev/null || return 0
    dpkg-query -W -f='${Status}' vsmartcard-vpcd 2>/dev/null | grep -q "install ok installed" \
        || return 0
    local current
    current=$(dpkg-divert --truename "$conf")
    if [ "$current" = "$conf" ]; then
        as_root dpkg-divert --quiet --local --rename --divert "$hidden" --add "$conf" || {
            echo "setup: WARNING: could not divert $conf; the system pcscd's vpcd readers" \
                "accept cards from the network"
            return 0
        }
    elif [ "$current" != "$hidden" ]; then
        echo "setup: $conf is diverted to $current already (not by us); left as is"
        return 0
    fi
    echo "setup: system pcscd: vpcd readers disabled (they take cards from the network):" \
        "$conf diverted to $hidden; undo: sudo dpkg-divert --local --rename --remove $conf"
    if [ -e "$conf" ]; then
        echo "setup: WARNING: $conf exists again (not from the package); pcscd reads it"
    fi
    local port
    port=$(sed -n 's/^DEVICENAME[^:]*:0x\([0-9A-Fa-f]\{1,4\}\).*/\1/p' "$hidden" 2>/dev/null | head -n 1)
    if [ -n "$port" ] && command -v ss >/dev/null \
        && ss -Hltn "sport = :$((16#$port))" 2>/dev/null | grep -q .; then
        echo "setup: something (a running system pcscd?) still listens on port $((16#$port));" \
            "restart pcscd to close it"
    fi
}
disable_system_vpcd

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip setuptools swig
.venv/bin/python -m pip install -q --no-build-isolation -e '.[dev,docs]'
# python-fido2 (pure Python; it brings cryptography), without its "pcsc"
# extra, which would install pyscard from PyPI over this checkout: the
# round-trip tests (tests/recording) record and replay its PC/SC code path.
.venv/bin/python -m pip install -q fido2

# pyscard 2.3.1, the behavioural reference: the differential tests run
# the same calls through it and through ours against the same daemon.
if [ ! -x .venv-ref/bin/python ]; then
    python3 -m venv .venv-ref
    .venv-ref/bin/python -m pip install -q 'pyscard==2.3.1' \
        || { rm -rf .venv-ref; echo "setup: could not install pyscard 2.3.1 (reference)"; exit 1; }
fi

# .venv-wx: the system Python with Debian's wxPython (--system-site-packages)
# and this package editable, for smartcard.wx's tests under Xvfb.
if [ ! -x .venv-wx/bin/python ]; then
    /usr/bin/python3 -m venv --system-site-packages .venv-wx
fi
.venv-wx/bin/python -m pip install -q --upgrade pip setuptools swig
.venv-wx/bin/python -m pip install -q --no-build-isolation -e '.[test]'

if [ "$demo" = 1 ]; then
    .venv/bin/python -m smartcard.testing.demo
fi
