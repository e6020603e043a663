#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Build the extensions and run the low-level tests on the oldest and the
# newest CPython at hand, each in its own venv (.venv-pyXY), while the whole
# suite runs on the default Python (.venv, scripts/setup.sh).
#
# For each interpreter:
#   1. it must have its C headers (Python.h) and venv;
#   2. the source tree (tracked and untracked, not ignored files) is copied to
#      build/pythons/tree-pyXY and installed, not editable, into .venv-pyXY
#      with the newest setuptools and swig from PyPI (that swig, not the one
#      first on PATH), so neither .venv nor
#      the generated files in src/ are touched;
#   3. pytest runs tests/scard, tests/unit/test_util*.py, the replay of
#      recordings (tests/recording/test_replay.py) and tests/properties (when
#      present) against the private pcscd, after checking that the extensions
#      imported are this venv's.
#
# Interpreters: PYTHONS="/path/to/python3.9 /path/to/python3.13 ..." or, by
# default, the oldest supported (requires-python: 3.9) and the newest
# CPython found among pyenv's (~/.pyenv/versions/3.*, free-threaded builds
# excluded) and python3.N on PATH. Exits non-zero if one is missing, cannot
# build, or a test fails.
#
# Usage: scripts/test_pythons.sh [PYTEST ARGS...]  (replace the test selection)
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=${PYTHONS_DIR:-$root/build/pythons}
start=$SECONDS

say() { printf '== test_pythons: %s\n' "$*"; }

tests=("$@")
if [ "${#tests[@]}" -eq 0 ]; then
    tests=(tests/scard tests/unit/test_util.py tests/unit/test_util_speedups.py
        tests/recording/test_replay.py)
    [ -d tests/properties ] && tests+=(tests/properties)
fi

# "3.9" from requires-python = ">=3.9".
oldest=$(sed -n 's/^requires-python = ">=\([0-9.]*\)".*/\1/p' pyproject.toml)

# Every CPython 3.N interpreter found, as "MINOR PATH" lines (highest patch per minor).
candidates() {
    local path version
    for path in "$HOME"/.pyenv/versions/3.*/bin/python3 $(compgen -c python3. | sort -u); do
        path=$(command -v "$path" 2>/dev/null) || continue
        case $path in */.pyenv/shims/*) continue ;; esac
        version=$("$path" -c 'import sys, sysconfig
free = sysconfig.get_config_var("Py_GIL_DISABLED")
print("" if free else "%d.%d.%d" % sys.version_info[:3])' 2>/dev/null) || continue
        [ -n "$version" ] && echo "$version $path"
    done | sort -t. -k1,1n -k2,2n -k3,3n | awk '{split($1, v, "."); best[v[2]] = $0}
        END {for (m in best) print best[m]}' | sort -t. -k2,2n
}

if [ -n "${PYTHONS:-}" ]; then
    read -r -a pythons <<<"$PYTHONS"
else
    found=$(candidates)
    oldest_line=$(echo "$found" | awk -v want="$oldest" '{split($1, v, "."); if (v[1] "." v[2] == want) print}')
    newest_line=$(echo "$found" | tail -1)
    [ -n "$oldest_line" ] || {
        echo "test_pythons: no CPython $oldest found (pyenv install $oldest, or PYTHONS=...)" >&2
        exit 1
    }
    pythons=("${oldest_line#* }")
    [ "${newest_line#* }" != "${oldest_line#* }" ] && pythons+=("${newest_line#* }")
fi

status=0
summary=()
for python in "${pythons[@]}"; do
    step_start=$SECONDS
    tag=$("$python" -c 'import sys; print("py%d%d" % sys.version_info[:2])') || {
        summary+=("$python: FAIL (does not run)")
        status=1
        continue
    }
    version=$("$python" -c 'import platform; print(platform.python_version())')
    venv=$root/.venv-$tag
    tree=$work/tree-$tag
    log=$work/$tag.log
    mkdir -p "$work"
    : >"$log"
    say "Python $version ($python) -> .venv-$tag"

    include=$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
    if [ ! -f "$include/Python.h" ]; then
        summary+=("Python $version: FAIL (no Python.h in $include: install the python3.N-dev package)")
        status=1
        continue
    fi

    rm -rf "$tree" && mkdir -p "$tree"
    git ls-files -z --cached --others --exclude-standard |
        tar --null -T - -cf - 2>/dev/null | tar -xf - -C "$tree"
    [ -x "$venv/bin/python" ] || "$python" -m venv "$venv" >>"$log" 2>&1
    extras=()
    grep -rqsE '^\s*(import|from) hypothesis' tests/properties && extras+=(hypothesis)
    if ! { "$venv/bin/python" -m pip install -q --upgrade pip setuptools swig pytest "${extras[@]}" &&
        # pip 26 rebuilds a local directory on every install: the test
        # dependencies first, the build whose SWIG we report last.
        PATH="$venv/bin:$PATH" \
            "$venv/bin/python" -m pip install -q --no-build-isolation "$tree[test]" &&
        PATH="$venv/bin:$PATH" \
            "$venv/bin/python" -m pip install -v --no-build-isolation --force-reinstall --no-deps "$tree"; } >>"$log" 2>&1; then
        tail -30 "$log" >&2
        summary+=("Python $version: FAIL (build; log: $log)")
        status=1
        continue
    fi
    build_time=$((SECONDS - step_start))
    swig_used=$(grep -m1 -o 'Version [0-9.]*' "$tree/src/smartcard/scard/scard_wrap.c")
    # shellcheck disable=SC2016
    if ! files=$(cd "$work" && "$venv/bin/python" -c '
import sys, smartcard.scard._scard as a, smartcard.util._speedups as b
for m in (a, b):
    assert m.__file__.startswith(sys.prefix), ("not this venv build", m.__file__)
    print(m.__file__)'); then
        summary+=("Python $version: FAIL (the built extensions do not import)")
        status=1
        continue
    fi
    echo "$files" | sed 's/^/  /'
    test_start=$SECONDS
    CI=${CI:-true} "$venv/bin/python" -m pytest -q -p no:cacheprovider "${tests[@]}" 2>&1 |
        tee -a "$log" | tail -5
    if [ "${PIPESTATUS[0]}" = 0 ]; then result=OK; else result=FAIL status=1; fi
    line=$(grep -E '^[0-9]+ (passed|failed)|^=+ .*(passed|failed)' "$log" | tail -1 | tr -d '=')
    summary+=("Python $version: $result (SWIG ${swig_used#Version }, build ${build_time} s, tests $((SECONDS - test_start)) s: ${line# })")
done

echo
say "summary (tests: ${tests[*]})"
for line in "${summary[@]}"; do echo "  $line"; done
say "done in $((SECONDS - start)) s"
exit $status
