#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Run the test suite against extensions built with AddressSanitizer and
# UndefinedBehaviorSanitizer, then look for leaks in our C code.
#
#   1. Copy the source tree (tracked and untracked, not ignored files) to
#      build/sanitize/tree and install it, not editable, into .venv-asan,
#      both extensions (smartcard.scard._scard, smartcard.util._speedups)
#      compiled by gcc with
#        -fsanitize=address,undefined -fno-sanitize-recover=undefined
#        -fno-omit-frame-pointer -g -O1
#      .venv and the source tree are not touched.
#   2. ASan+UBSan pass: the test suite (default: all of tests/) with
#      LD_PRELOAD=libasan (CPython itself is not instrumented, so the ASan
#      runtime must be loaded first), PYTHONMALLOC=malloc (so ASan sees every
#      Python object allocation), ASAN_OPTIONS=detect_leaks=0, and reports
#      written with log_path to build/sanitize/logs-asan/ -- so reports from
#      child processes (CLI tests, differential tests, pcscd) are caught too.
#      Any ASan or UBSan report fails the script, as does a failing test.
#   3. LeakSanitizer pass (known SWIG-runtime leaks: scripts/lsan.supp): the low-level tests (tests/scard, tests/unit/
#      test_util*.py, tests/properties when present) with detect_leaks=1 and
#      the slow (exact) unwinder; a leak is counted only when a frame of its
#      allocation stack is in our code (_scard*.so, _speedups*.so, or one of
#      our .c files): CPython, pcscd and the reference pyscard leak at exit
#      by design.
#
# Prints a summary (tests run/passed, ASan/UBSan reports, LSan reports in our
# code) and exits non-zero when a test failed or a report was found.
#
# Usage: scripts/sanitize.sh [--no-build] [--asan-only|--lsan-only] [PYTEST ARGS...]
#   PYTEST ARGS replace the test selection of the ASan pass (default: tests).
#   PYTHON=/path/to/python3 picks the interpreter of .venv-asan (default python3).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
python=${PYTHON:-python3}
work=${SANITIZE_DIR:-$root/build/sanitize}
venv=$root/.venv-asan
start=$SECONDS

build=1 asan_pass=1 lsan_pass=1
while [ $# -gt 0 ]; do
    case $1 in
    --no-build) build=0 ;;
    --asan-only) lsan_pass=0 ;;
    --lsan-only) asan_pass=0 ;;
    *) break ;;
    esac
    shift
done
asan_tests=("$@")
[ "${#asan_tests[@]}" -gt 0 ] || asan_tests=(tests)
# Measures the growth of the peak RSS, which ASan's quarantine of freed memory
# (256 MiB) inflates; the LSan pass checks leaks instead.
deselect=(--deselect tests/scard/test_bad_input.py::test_no_leak_on_success_or_failure)
lsan_tests=(tests/scard tests/unit/test_util.py tests/unit/test_util_speedups.py)
[ -d tests/properties ] && lsan_tests+=(tests/properties)

say() { printf '== sanitize: %s\n' "$*"; }
fail() {
    printf 'sanitize: FAIL: %s\n' "$*" >&2
    exit 1
}

# The tracked and untracked (not ignored) files, and nothing built from them.
copy_tree() {
    rm -rf "$work/tree"
    mkdir -p "$work/tree"
    git ls-files -z --cached --others --exclude-standard |
        tar --null -T - -cf - 2>/dev/null | tar -xf - -C "$work/tree" ||
        fail "copying the source tree"
}

export CC=${CC:-gcc}
libasan=$(readlink -f "$("$CC" -print-file-name=libasan.so)")
[ -f "$libasan" ] || fail "no libasan for $CC (Debian: apt-get install gcc, libasan8)"
sanitize_flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
mkdir -p "$work"

if [ "$build" = 1 ]; then
    build_start=$SECONDS
    say "copy the source tree to $work/tree"
    copy_tree
    say "$venv: build with $CC $sanitize_flags"
    [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install -q --upgrade pip setuptools swig >"$work/pip.log" 2>&1 ||
        { cat "$work/pip.log" >&2; fail "pip install setuptools swig"; }
    extras=()
    grep -rqsE '^\s*(import|from) hypothesis' tests/properties && extras+=(hypothesis)
    # The round trips through python-fido2's PC/SC path (tests/recording).
    grep -rqsE '^\s*(import|from) fido2' tests/recording && extras+=(fido2)
    "$venv/bin/python" -m pip install -q pytest "${extras[@]}" >>"$work/pip.log" 2>&1 ||
        { cat "$work/pip.log" >&2; fail "pip install pytest"; }
    # The test dependencies first, from a plain install: pip 26 rebuilds and
    # reinstalls a local directory on every install, so the sanitized build
    # must be the last install of the tree.
    "$venv/bin/python" -m pip install -q "$work/tree[test]" --no-build-isolation >>"$work/pip.log" 2>&1 ||
        { cat "$work/pip.log" >&2; fail "installing the test dependencies"; }
    # A clean copy again, or setuptools would reuse that install's objects.
    copy_tree
    # The venv's swig (the newest from PyPI, as 'pip install .' would use), not
    # whichever swig comes first on PATH (Debian's /usr/bin/swig is 4.1).
    PATH="$venv/bin:$PATH" CFLAGS="$sanitize_flags -g -O1" LDFLAGS="-fsanitize=address,undefined" \
        "$venv/bin/python" -m pip install -v --no-build-isolation --no-deps --force-reinstall \
        "$work/tree" >"$work/build.log" 2>&1 ||
        { tail -40 "$work/build.log" >&2; fail "building the sanitized extensions (log: $work/build.log)"; }
    say "built in $((SECONDS - build_start)) s with $(grep -m1 -o 'Version [0-9.]*' "$work/tree/src/smartcard/scard/scard_wrap.c" | sed 's/^/SWIG /')"
fi

# The extensions of .venv-asan, and only those, must be imported.
check=$(cd "$work" && LD_PRELOAD=$libasan ASAN_OPTIONS=detect_leaks=0 "$venv/bin/python" -c '
import smartcard.scard._scard as a, smartcard.util._speedups as b
print(a.__file__); print(b.__file__)') || fail "the sanitized build does not import"
for module in $check; do
    case $module in "$venv"/*) ;; *) fail "imported $module, not the .venv-asan build" ;; esac
    # Not 'ldd | grep -q': under pipefail, grep leaving early can fail ldd.
    libraries=$(ldd "$module")
    case $libraries in *libasan*) ;; *) fail "$module is not built with ASan (ldd: $libraries)" ;; esac
done

# pytest's summary line and the junit counts: "run N, passed P, failed F, ...".
test_counts() {
    "$python" - "$1" <<'PY'
import sys
import xml.etree.ElementTree as ET

try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError) as error:
    print(f"no junit report ({error})")
    raise SystemExit(0)
suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
total = {k: sum(int(s.get(k, 0)) for s in suites) for k in ("tests", "failures", "errors", "skipped")}
passed = total["tests"] - total["failures"] - total["errors"] - total["skipped"]
print(f"run {total['tests']}, passed {passed}, failed {total['failures']}, "
      f"errors {total['errors']}, skipped {total['skipped']}")
PY
}

# Sanitizer reports in a log directory: one block per report, with the
# process and the frames that matter.
report_summary() {
    "$python" - "$1" "$2" <<'PY'
import os
import re
import sys

folder, mode = sys.argv[1], sys.argv[2]
ours = re.compile(r"(_scard|_speedups)\.cpython|scard_wrap\.c|pcsc_[a-z]+\.[ch]|_speedups\.c")
error_start = re.compile(r"ERROR: AddressSanitizer|runtime error:")
errors, leaks_ours, leaks_other = [], [], 0
seen = set()
for name in sorted(os.listdir(folder)):
    with open(os.path.join(folder, name), errors="replace") as log:
        text = log.read()
    process = name
    if mode == "asan":
        for match in error_start.finditer(text):
            rest = text[match.start():]
            end = rest.find("SUMMARY:")
            end = rest.find("\n", end) if end >= 0 else -1
            errors.append((process, rest[:end if end >= 0 else 4000].strip()))
    # leak blocks: "Direct leak of N byte(s) in M object(s) allocated from:" + frames
    for block in re.split(r"\n(?=(?:Direct|Indirect) leak of)", text):
        if not re.match(r"(Direct|Indirect) leak of", block):
            continue
        frames = block.split("\n\n", 1)[0]
        if ours.search(frames):
            key = re.sub(r"0x[0-9a-f]+|\d+ byte\(s\) in \d+ object\(s\)", "", frames)
            if key not in seen:
                seen.add(key)
                leaks_ours.append((process, frames.strip()))
        else:
            leaks_other += 1
if mode == "asan":
    print(f"ASan/UBSan reports: {len(errors)}")
    for process, block in errors:
        print(f"--- {process}\n{block}\n")
    raise SystemExit(1 if errors else 0)
print(f"LSan reports in our code: {len(leaks_ours)} distinct stacks "
      f"({leaks_other} leak reports elsewhere: CPython/pcscd/reference at exit, ignored)")
for process, block in leaks_ours:
    print(f"--- {process}\n{block}\n")
raise SystemExit(1 if leaks_ours else 0)
PY
}

status=0
summary=()
# CI=true: a PC/SC stack that cannot start fails the tests instead of skipping them.
sanitized=(env CI="${CI:-true}" PYTHONMALLOC=malloc LD_PRELOAD="$libasan")

if [ "$asan_pass" = 1 ]; then
    logs=$work/logs-asan
    rm -rf "$logs" && mkdir -p "$logs"
    say "ASan+UBSan pass: pytest ${asan_tests[*]}"
    pass_start=$SECONDS
    "${sanitized[@]}" ASAN_OPTIONS="detect_leaks=0:log_path=$logs/asan:detect_stack_use_after_return=1:check_initialization_order=1" \
        UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$logs/ubsan" \
        "$venv/bin/python" -m pytest -q -p no:cacheprovider --junitxml="$work/asan-junit.xml" \
        "${deselect[@]}" "${asan_tests[@]}" 2>&1 | tee "$work/asan-pytest.log" | tail -25
    pytest_status=${PIPESTATUS[0]}
    counts=$(test_counts "$work/asan-junit.xml")
    reports=$(report_summary "$logs" asan)
    report_status=$?
    echo "$reports"
    summary+=("ASan+UBSan pass ($((SECONDS - pass_start)) s, ${asan_tests[*]}): tests $counts; pytest exit $pytest_status; ${reports%%$'\n'*}")
    [ "$pytest_status" = 0 ] && [ "$report_status" = 0 ] || status=1
fi

if [ "$lsan_pass" = 1 ]; then
    logs=$work/logs-lsan
    rm -rf "$logs" && mkdir -p "$logs"
    say "LeakSanitizer pass: pytest ${lsan_tests[*]}"
    pass_start=$SECONDS
    # exitcode=0: leaks elsewhere must not change exit codes the tests check;
    # the logs are what counts here.
    "${sanitized[@]}" ASAN_OPTIONS="detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=40:exitcode=0:log_path=$logs/asan" \
        LSAN_OPTIONS="suppressions=$root/scripts/lsan.supp:print_suppressions=1" \
        UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$logs/ubsan" \
        "$venv/bin/python" -m pytest -q -p no:cacheprovider --junitxml="$work/lsan-junit.xml" \
        "${deselect[@]}" "${lsan_tests[@]}" 2>&1 | tee "$work/lsan-pytest.log" | tail -15
    pytest_status=${PIPESTATUS[0]}
    counts=$(test_counts "$work/lsan-junit.xml")
    errors=$(report_summary "$logs" asan)
    error_status=$?
    leaks=$(report_summary "$logs" lsan)
    leak_status=$?
    [ "$error_status" = 0 ] || echo "$errors"
    echo "$leaks"
    summary+=("LSan pass ($((SECONDS - pass_start)) s, ${lsan_tests[*]}): tests $counts; pytest exit $pytest_status; ${errors%%$'\n'*}; ${leaks%%$'\n'*}")
    [ "$pytest_status" = 0 ] && [ "$error_status" = 0 ] && [ "$leak_status" = 0 ] || status=1
fi

echo
say "summary (logs in $work)"
for line in "${summary[@]}"; do echo "  $line"; done
if [ "$status" = 0 ]; then say "OK in $((SECONDS - start)) s"; else say "FAIL in $((SECONDS - start)) s"; fi
exit $status
