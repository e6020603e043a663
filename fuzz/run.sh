#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Coverage-guided fuzzing of every entry point that parses Python objects
# in C (smartcard.scard, smartcard.util._speedups) and of the Python
# parsers fed untrusted bytes, with atheris, against the fuzz stub PC/SC
# library (fuzz/stub/pcsc_fuzz_stub.c), under AddressSanitizer + UBSan.
#
# The extension is built in a separate tree (fuzz/_build/, gitignored) with
# clang -fsanitize=address,undefined,fuzzer-no-link, so libFuzzer (inside
# atheris' asan_with_fuzzer.so, LD_PRELOADed) sees its C branches as well
# as the Python ones. PYTHONMALLOC=malloc hands every Python allocation to
# ASan, so a use-after-free of a Python object is reported too.
#
# Usage: fuzz/run.sh [--time SECONDS] [--adversarial] [--regress-only]
#                    [--keep-going] [--skip-known[=A,B]] [--from-seeds]
#                    [--replay FILE] [TARGET...]
#   --time S         fuzz each target S seconds (default 20)
#   --adversarial    the stub lies about lengths (PYSCARD_STUB_ADVERSARIAL=1)
#   --regress-only   only replay each target's committed corpus
#   --keep-going     run every target even after one crashed
#   --skip-known[=A,B] steer clear of the known defects (all, or those named;
#                    see fuzz/README.md) to look for others
#   --from-seeds     start from the seed-* inputs only, not the crash inputs
#                    kept in the corpus (to time how long finding one takes)
#   --replay FILE    run the one TARGET on the input FILE (a crash to check)
# TARGET: names of fuzz/fuzz_*.py without the prefix (default: all).
# Exit status: 0 if no target crashed, 1 otherwise. Crash inputs are left
# in fuzz/_out/TARGET/ (copy them into fuzz/corpus/TARGET/ to keep them).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

seconds=20
adversarial=0
regress_only=0
keep_going=0
skip_known=0
from_seeds=0
replay=
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
    --time) seconds=$2; shift 2 ;;
    --adversarial) adversarial=1; shift ;;
    --regress-only) regress_only=1; shift ;;
    --keep-going) keep_going=1; shift ;;
    --skip-known) skip_known=1; shift ;;
    --skip-known=*) skip_known=${1#--skip-known=}; shift ;;
    --from-seeds) from_seeds=1; shift ;;
    --replay) replay=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -e/p' "$0" | sed 's/^# \{0,1\}//;/^set -e/d'; exit 0 ;;
    *) targets+=("$1"); shift ;;
    esac
done
if [ "${#targets[@]}" -eq 0 ]; then
    for file in fuzz/fuzz_*.py; do
        name=$(basename "$file" .py)
        targets+=("${name#fuzz_}")
    done
fi

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# clang 14 (Debian 12) for the instrumentation; the runtime that matters is
# atheris' own (ASan version check v8 matches clang 14's instrumentation).
need=()
command -v clang >/dev/null || need+=(clang)
[ -f /usr/include/PCSC/winscard.h ] || need+=(libpcsclite-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
if [ "${#need[@]}" -gt 0 ]; then
    echo "fuzz: installing ${need[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# atheris has wheels for CPython 3.12 and 3.13 in its latest release (3.1.0;
# 3.0.0 for 3.11, 2.3.0 for 3.9/3.10). 3.12+ also has __buffer__, which one
# known defect needs. Prefer a 3.12 interpreter, else what python3 is.
python=${FUZZ_PYTHON:-}
if [ -z "$python" ]; then
    # (pyenv's shims exist for every version but fail outside their own: run each.)
    for candidate in "$HOME"/.pyenv/versions/3.12.*/bin/python3.12 python3.12 \
        "$HOME"/.pyenv/versions/3.13.*/bin/python3.13 python3.13 python3; do
        if "$candidate" -c 'import venv' >/dev/null 2>&1; then python=$candidate; break; fi
    done
fi
venv=.venv-fuzz
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import atheris' 2>/dev/null; then
    # A wheel only: building atheris from source needs its own LLVM.
    "$venv/bin/python" -m pip install -q --upgrade pip 'setuptools>=77' 'swig>=4.0'
    "$venv/bin/python" -m pip install -q --only-binary atheris atheris
fi
pyver=$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
atheris_dir=$("$venv/bin/python" -c 'import atheris; print(atheris.path())')
asan_runtime=$atheris_dir/asan_with_fuzzer.so

# The sanitized build: a copy of the sources (so the work tree's own build
# is untouched), rebuilt when any C/SWIG/Python source changed.
build=fuzz/_build
stamp_now=$(cd src && find . -type f \( -name '*.c' -o -name '*.h' -o -name '*.i' -o -name '*.py' \) \
    ! -name scard.py ! -name scard_wrap.c -newer "$root/$build/stamp" 2>/dev/null | head -1 || true)
if [ ! -f "$build/stamp" ] || [ -n "$stamp_now" ] || [ fuzz/stub/pcsc_fuzz_stub.c -nt "$build/stamp" ] \
    || [ "$(cat "$build/pyver" 2>/dev/null)" != "$pyver" ]; then
    echo "fuzz: building the sanitized extension for Python $pyver in $build/"
    rm -rf "$build"
    mkdir -p "$build/tree" "$build/lib"
    cp -r setup.py pyproject.toml README.md LICENSE MANIFEST.in "$build/tree/"
    cp -r src "$build/tree/"
    find "$build/tree/src" \( -name '*.so' -o -name scard.py -o -name scard_wrap.c \
        -o -name __pycache__ -o -name '*.egg-info' \) -prune -exec rm -rf {} +
    sanitize="-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=undefined"
    (
        cd "$build/tree"
        PATH="$root/$venv/bin:$PATH" CC=clang LDSHARED="clang -shared" \
            CFLAGS="$sanitize -g -O1 -fno-omit-frame-pointer" LDFLAGS="$sanitize" \
            "$root/$venv/bin/python" setup.py -q build --build-base "$root/$build/setuptools" \
            >"$root/$build/build.log" 2>&1 || { cat "$root/$build/build.log"; exit 1; }
    )
    cp -r "$build"/setuptools/lib.*/smartcard "$build/lib/"
    # The stub is sanitized too: its memcpy into the extension's buffers is
    # checked against their real sizes.
    clang -shared -fPIC -g -O1 -fsanitize=address $(pkg-config --cflags libpcsclite) \
        -o "$build/libpcsc_fuzz_stub.so" fuzz/stub/pcsc_fuzz_stub.c
    echo "$pyver" >"$build/pyver"
    touch "$build/stamp"
fi

export PYTHONPATH=$root/$build/lib:$root/fuzz
export PYSCARD_PCSC_LIBRARY=$root/$build/libpcsc_fuzz_stub.so
export PYSCARD_STUB_ADVERSARIAL=$adversarial
export FUZZ_SKIP_KNOWN=$skip_known
export PYTHONMALLOC=malloc
# Python frees little at exit: leaks are scripts/rss_check.py's business.
export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1:abort_on_error=0:${ASAN_OPTIONS:-}
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}

# One libFuzzer run of TARGET's script with ARGS; log in $out/LOG.
# Prints the summary lines; returns libFuzzer's exit status.
run_target() {
    local script=$1 log=$2 status=0
    shift 2
    LD_PRELOAD=$asan_runtime "$venv/bin/python" "$script" -timeout=10 -rss_limit_mb=3072 \
        -artifact_prefix="$out/" -print_final_stats=1 "$@" >"$log" 2>&1 || status=$?
    grep -E '^#[0-9]+[[:space:]]+(DONE|INITED)|stat::number_of_executed_units|stat::peak_rss' "$log" | tail -3
    if [ "$status" -ne 0 ]; then
        echo "fuzz: crash (exit $status); log: $log"
        grep -E 'ERROR: AddressSanitizer|runtime error|Uncaught Python exception|Error:|out-of-memory|Test unit written|SUMMARY' \
            "$log" | awk '!seen[$0]++' | head -6
    fi
    return "$status"
}

failed=()
for target in "${targets[@]}"; do
    script=fuzz/fuzz_$target.py
    corpus=fuzz/corpus/$target
    out=fuzz/_out/$target
    [ -f "$script" ] || { echo "fuzz: no target $script"; exit 2; }
    rm -rf "$out/new"
    mkdir -p "$corpus" "$out/new"
    if [ "$from_seeds" -eq 1 ]; then
        rm -rf "$out/seeds" && mkdir -p "$out/seeds" && cp "$corpus"/seed-* "$out/seeds/"
        corpus=$out/seeds
    fi
    crashed=0
    if [ -n "$replay" ]; then
        echo "== fuzz $target (replaying $replay, adversarial=$adversarial)"
        run_target "$script" "$out/log.txt" "$replay" || crashed=1
    elif [ "$regress_only" -eq 1 ]; then
        # Each kept crash input in a process of its own, so every defect
        # still there is reported, not only the first; the rest together.
        echo "== fuzz $target (replaying $corpus, adversarial=$adversarial)"
        others=()
        for input in "$corpus"/*; do
            case $(basename "$input") in
            crash-* | oom-* | timeout-*)
                echo "-- $input"
                run_target "$script" "$out/log-$(basename "$input").txt" "$input" || crashed=1 ;;
            *) others+=("$input") ;;
            esac
        done
        if [ "${#others[@]}" -gt 0 ]; then
            echo "-- the other ${#others[@]} inputs"
            run_target "$script" "$out/log.txt" "${others[@]}" || crashed=1
        fi
    else
        # New inputs go to $out/new; the committed corpus is read only.
        echo "== fuzz $target ($seconds s, adversarial=$adversarial)"
        run_target "$script" "$out/log.txt" -max_total_time="$seconds" "$out/new" "$corpus" || crashed=1
    fi
    if [ "$crashed" -ne 0 ]; then
        failed+=("$target")
        [ "$keep_going" -eq 1 ] || break
    fi
done
if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz: crashed: ${failed[*]}"
    exit 1
fi
echo "fuzz: no crash"
