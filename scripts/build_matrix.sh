#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Build the two extensions with every SWIG and C compiler at hand, with the
# errors that GCC 14 and Clang 16+ turn on by default, and prove each build
# initialises:
#
#   SWIG:      the system swig (Debian 12: 4.1) and the newest swig from PyPI,
#              installed into a throwaway venv (build/matrix/swig-venv);
#   compilers: gcc, clang (Debian's default clang) and the newest clang-NN on
#              PATH (Debian 12: clang-19), each where installed;
#   flags:     the generated scard_wrap.c gets -Wall plus GCC 14's default
#              errors (-Werror=int-conversion, incompatible-pointer-types,
#              implicit-function-declaration, implicit-int, return-mismatch,
#              declaration-missing-parameter-type: each only when the compiler
#              knows it, probed first); our hand-written C (pcsc_*.c,
#              _speedups.c) gets that set plus -Wall -Wextra -Werror.
#
# For each build, in a fresh interpreter with only that build on the path:
#   import   imports smartcard.scard and smartcard.util._speedups, calls
#            SCARD_CTL_CODE(1), SCardEstablishContext (a result code, with or
#            without a pcscd) and _speedups.hex_spaced;
#   badinit  a second build of scard_wrap.c in which scard_convert_init (called
#            from the module's %init) fails with RuntimeError("pyscard-matrix
#            injected init failure"): the import must raise that RuntimeError.
#            A SystemError ("raised unreported exception") means the init code
#            returned success with an exception set: the failure was hidden.
#
# When the wrapper does not compile with the error set, the cell is FAIL and
# the wrapper is compiled again without it (column "wrap" says FAIL; import
# and badinit are then marked with '*': measured on that fallback build).
# The same holds for our C files and -Werror.
#
# Nothing here touches .venv or the source tree: every file goes to
# build/matrix/ (MATRIX_DIR overrides), logs per cell in build/matrix/*/*.log.
# Exits 0 only when every cell is OK.
#
# Usage: scripts/build_matrix.sh [--no-pypi-swig]
#   SWIGS="/path/to/swig ..." and COMPILERS="gcc clang ..." override the lists.
#   PYTHON=/path/to/python3 picks the interpreter (default: python3).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
python=${PYTHON:-python3}
work=${MATRIX_DIR:-$root/build/matrix}
scard_src=$root/src/smartcard/scard
speedups_src=$root/src/smartcard/util/_speedups.c
start=$SECONDS

say() { printf '== build_matrix: %s\n' "$*"; }

mkdir -p "$work"

# ---- SWIG versions -------------------------------------------------------
if [ -n "${SWIGS:-}" ]; then
    read -r -a swigs <<<"$SWIGS"
else
    swigs=()
    [ -x /usr/bin/swig ] && swigs+=(/usr/bin/swig)
    if [ "${1:-}" != "--no-pypi-swig" ]; then
        say "newest swig from PyPI into $work/swig-venv"
        [ -x "$work/swig-venv/bin/python" ] || "$python" -m venv "$work/swig-venv"
        if "$work/swig-venv/bin/python" -m pip install -q --upgrade swig >"$work/swig-venv.log" 2>&1; then
            swigs+=("$work/swig-venv/bin/swig")
        else
            cat "$work/swig-venv.log" >&2
            say "could not install swig from PyPI: that column is missing"
        fi
    fi
fi
[ "${#swigs[@]}" -gt 0 ] || { echo "build_matrix: no swig found" >&2; exit 1; }

# ---- compilers -----------------------------------------------------------
if [ -n "${COMPILERS:-}" ]; then
    read -r -a compilers <<<"$COMPILERS"
else
    compilers=()
    command -v gcc >/dev/null && compilers+=(gcc)
    command -v clang >/dev/null && compilers+=(clang)
    newest_clang=$(compgen -c clang- | grep -E '^clang-[0-9]+$' | sort -t- -k2 -n -u | tail -1)
    if [ -n "$newest_clang" ] && [ "$(readlink -f "$(command -v "$newest_clang")")" != \
        "$(readlink -f "$(command -v clang 2>/dev/null || echo none)")" ]; then
        compilers+=("$newest_clang")
    fi
fi
[ "${#compilers[@]}" -gt 0 ] || { echo "build_matrix: no C compiler found" >&2; exit 1; }

# ---- Python and PC/SC build settings -----------------------------------
py_include=$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
ext_suffix=$("$python" -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
py_version=$("$python" -c 'import platform; print(platform.python_version())')
pcsc_include=$(pkg-config --cflags-only-I libpcsclite 2>/dev/null || echo -I/usr/include/PCSC)
[ -f "$py_include/Python.h" ] || { echo "build_matrix: no Python.h in $py_include" >&2; exit 1; }

# The package's Python files, without any built or generated file, to which
# each cell adds its own extensions and scard.py.
rm -rf "$work/pkg-base"
mkdir -p "$work/pkg-base"
(cd "$root/src" && tar --exclude='__pycache__' --exclude='*.so' --exclude='*.c' \
    --exclude='*.h' --exclude='*.i' --exclude='scard/scard.py' -cf - smartcard) |
    tar -xf - -C "$work/pkg-base"

# The failing init: replaces scard_convert_init in scard_wrap.c only.
cat >"$work/inject_init_failure.c" <<'C'
/* Linked into the "badinit" build only: the first helper that scard.i's %init
 * calls fails, as an out-of-memory would. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
int pyscard_matrix_failing_init(void);
int pyscard_matrix_failing_init(void)
{
    PyErr_SetString(PyExc_RuntimeError, "pyscard-matrix injected init failure");
    return -1;
}
C

gcc14_errors=(int-conversion incompatible-pointer-types implicit-function-declaration
    implicit-int return-mismatch declaration-missing-parameter-type)

# Flags a compiler accepts, from a list of warning names, as -Werror=NAME.
probe_errors() {
    local cc=$1 name
    shift
    for name in "$@"; do
        if echo 'int main(void) { return 0; }' |
            "$cc" -Werror "-Werror=$name" -x c -c - -o /dev/null >/dev/null 2>&1; then
            printf ' -Werror=%s' "$name"
        fi
    done
}

smoke_code='
import os, sys
import smartcard.scard as s
import smartcard.util._speedups as sp
for m in (s._scard, sp):
    assert m.__file__.startswith(os.environ["CELL_PKG"]), ("not this build", m.__file__)
assert s.SCARD_CTL_CODE(1) == 0x42000001, hex(s.SCARD_CTL_CODE(1))
hresult, context = s.SCardEstablishContext(s.SCARD_SCOPE_USER)
assert isinstance(hresult, int), hresult
if hresult == s.SCARD_S_SUCCESS:
    s.SCardReleaseContext(context)
assert sp.hex_spaced([0x3B, 0x87]) == "3B 87"
print("SCardEstablishContext ->", s.SCardGetErrorMessage(hresult))
'
badinit_code='
import os
try:
    import smartcard.scard._scard as m
except RuntimeError as error:
    if "pyscard-matrix injected init failure" not in str(error):
        raise
    print("reported:", type(error).__name__, error)
except SystemError as error:
    print("HIDDEN: the init returned success with an exception set:", error)
    raise SystemExit(1)
else:
    print("HIDDEN: the import succeeded", m.__file__)
    raise SystemExit(1)
'

declare -A result
cells=()

for swig in "${swigs[@]}"; do
    swig_version=$("$swig" -version | sed -n 's/^SWIG Version //p')
    gen=$work/swig-$swig_version
    rm -rf "$gen"
    mkdir -p "$gen"
    say "SWIG $swig_version ($swig): generating scard_wrap.c"
    if ! "$swig" -python -builtin -I"$scard_src" -o "$gen/scard_wrap.c" -outdir "$gen" \
        "$scard_src/scard.i" >"$gen/swig.log" 2>&1; then
        cat "$gen/swig.log" >&2
        for cc in "${compilers[@]}"; do
            cells+=("$swig_version|$cc")
            result["$swig_version|$cc"]="FAIL|-|-|-|-|swig failed"
        done
        continue
    fi
    for cc in "${compilers[@]}"; do
        cell=$gen/$cc
        log=$cell/build.log
        rm -rf "$cell"
        mkdir -p "$cell/obj" "$cell/pkg"
        cp -r "$work/pkg-base/smartcard" "$cell/pkg/"
        cp "$gen/scard.py" "$cell/pkg/smartcard/scard/scard.py"
        cc_version=$("$cc" --version | head -1)
        errors=$(probe_errors "$cc" "${gcc14_errors[@]}")
        # -fno-strict-overflow etc. as CPython builds extensions (sysconfig CFLAGS).
        base=(-fPIC -O2 -g -fwrapv -DNDEBUG -I"$py_include" -I"$scard_src" $pcsc_include)
        {
            echo "compiler: $cc_version"
            echo "error set:$errors"
        } >"$log"
        cells+=("$swig_version|$cc")
        say "SWIG $swig_version x $cc_version"

        # The generated wrapper: the GCC-14 error set, -Wall (warnings only).
        wrap=OK note=""
        # shellcheck disable=SC2086
        if ! "$cc" "${base[@]}" -Wall $errors -c "$gen/scard_wrap.c" \
            -o "$cell/obj/scard_wrap.o" >>"$log" 2>&1; then
            wrap=FAIL
            note="scard_wrap.c: $(grep -m1 -E 'error:' "$log" | sed "s|$gen/||")"
            "$cc" "${base[@]}" -w -Wno-error -Wno-int-conversion -Wno-incompatible-pointer-types \
                -c "$gen/scard_wrap.c" -o "$cell/obj/scard_wrap.o" >>"$log" 2>&1 || wrap=FAIL!
        fi
        wrap_warnings=$(grep -c 'warning:' "$log")

        # Our hand-written C: -Wall -Wextra -Werror and the error set.
        ours=OK
        objects=()
        for source in pcsc_loader.c pcsc_convert.c pcsc_calls.c pcsc_fast.c; do
            objects+=("$cell/obj/${source%.c}.o")
            # shellcheck disable=SC2086
            if ! "$cc" "${base[@]}" -Wall -Wextra -Werror $errors -c "$scard_src/$source" \
                -o "$cell/obj/${source%.c}.o" >>"$log" 2>&1; then
                ours=FAIL
                note="${note:+$note; }$source: $(grep -E 'error:' "$log" | tail -1 | sed "s|$root/||")"
                "$cc" "${base[@]}" -c "$scard_src/$source" -o "$cell/obj/${source%.c}.o" >>"$log" 2>&1
            fi
        done
        # shellcheck disable=SC2086
        if ! "$cc" "${base[@]}" -Wall -Wextra -Werror $errors -c "$speedups_src" \
            -o "$cell/obj/_speedups.o" >>"$log" 2>&1; then
            ours=FAIL
            note="${note:+$note; }_speedups.c: $(grep -E 'error:' "$log" | tail -1 | sed "s|$root/||")"
            "$cc" "${base[@]}" -c "$speedups_src" -o "$cell/obj/_speedups.o" >>"$log" 2>&1
        fi

        # Link; import and call in a fresh interpreter.
        mark=""
        [ "$wrap" = OK ] && [ "$ours" = OK ] || mark="*"
        import=FAIL
        if [ "$wrap" != FAIL! ] &&
            "$cc" -shared -o "$cell/pkg/smartcard/scard/_scard$ext_suffix" \
                "$cell/obj/scard_wrap.o" "${objects[@]}" -ldl >>"$log" 2>&1 &&
            "$cc" -shared -o "$cell/pkg/smartcard/util/_speedups$ext_suffix" \
                "$cell/obj/_speedups.o" >>"$log" 2>&1; then
            if (cd "$cell" && env -u PYTHONPATH CELL_PKG="$cell/pkg" PYTHONPATH="$cell/pkg" \
                "$python" -c "$smoke_code") >>"$log" 2>&1; then
                import=OK
            else
                note="${note:+$note; }import: $(tail -1 "$log")"
            fi
        fi
        import+=$mark

        # The failing-init build.
        badinit=FAIL
        mkdir -p "$cell/bad/smartcard"
        cp -r "$cell/pkg/smartcard" "$cell/bad/"
        rm -f "$cell/bad/smartcard/scard/_scard$ext_suffix"
        echo "-- badinit build" >>"$log"
        if "$cc" "${base[@]}" -O0 -w -Wno-error -Wno-int-conversion \
            -Dscard_convert_init=pyscard_matrix_failing_init \
            -c "$gen/scard_wrap.c" -o "$cell/obj/scard_wrap_bad.o" >>"$log" 2>&1 &&
            "$cc" "${base[@]}" -c "$work/inject_init_failure.c" -o "$cell/obj/inject.o" >>"$log" 2>&1 &&
            "$cc" -shared -o "$cell/bad/smartcard/scard/_scard$ext_suffix" \
                "$cell/obj/scard_wrap_bad.o" "$cell/obj/inject.o" "${objects[@]}" -ldl >>"$log" 2>&1; then
            if (cd "$cell" && env -u PYTHONPATH PYTHONPATH="$cell/bad" \
                "$python" -c "$badinit_code") >>"$log" 2>&1; then
                badinit=OK
            else
                note="${note:+$note; }badinit: $(tail -1 "$log")"
            fi
        fi
        badinit+=$mark

        verdict=OK
        for column in "$wrap" "$ours" "$import" "$badinit"; do
            [ "$column" = OK ] || verdict=FAIL
        done
        result["$swig_version|$cc"]="$verdict|$wrap ($wrap_warnings warnings)|$ours|$import|$badinit|$note"
    done
done

status=0
for key in "${cells[@]}"; do
    [ "${result[$key]%%|*}" = OK ] || status=1
done

# ---- the table ------------------------------------------------------------
{
echo
echo "Build matrix (Python $py_version, $(uname -m)); logs: $work/SWIG/CC/build.log"
printf '%-8s %-10s %-7s %-24s %-6s %-7s %-8s %s\n' \
    SWIG compiler result "wrap (-Wall + GCC14 set)" ours import badinit notes
for key in "${cells[@]}"; do
    IFS='|' read -r verdict wrap ours import badinit note <<<"${result[$key]}"
    printf '%-8s %-10s %-7s %-24s %-6s %-7s %-8s %s\n' \
        "${key%%|*}" "${key#*|}" "$verdict" "$wrap" "$ours" "$import" "$badinit" "$note"
done
echo "(ours: pcsc_*.c and _speedups.c with -Wall -Wextra -Werror; * = measured on a build"
echo " made without the failing flags; badinit OK = an init failure raises ImportError-path"
echo " RuntimeError, not SystemError)"
echo "wrapper warnings (-Wall): $(cat "$work"/swig-*/*/build.log | grep 'warning:' | grep -o '\[-W[a-z-]*\]' | sort | uniq -c | tr -s ' ' | tr '\n' ',')"
} | tee "$work/table.txt"
say "done in $((SECONDS - start)) s"
exit $status
