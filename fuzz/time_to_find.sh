#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# How long each target takes to find each known defect from its seed inputs
# alone: one run per defect, every other known defect skipped. Prints one
# line per defect: target, mode, executions and seconds until the crash
# (or "not found" within the limit), then replays the crash input in a
# normal run (no defect skipped) to check it still shows that defect.
# With --save, each such input is kept as fuzz/corpus/TARGET/crash-DEFECT.
# Usage: fuzz/time_to_find.sh [--save] [SECONDS]
set -uo pipefail
cd "$(dirname "$0")/.."
save=0
if [ "${1:-}" = --save ]; then save=1; shift; fi
limit=${1:-120}
all=listreaders_free,buffer_mutation,ctl_code_wrap,empty_apdu,buffer_error,null_error_text,size_query_alloc,status_name_overflow,follow_up_short_apdu
# defect target mode
plan="ctl_code_wrap scard_calls -
listreaders_free scard_calls -
empty_apdu transmit -
buffer_error transmit -
buffer_mutation status_change -
null_error_text scard_calls --adversarial
size_query_alloc status --adversarial
status_name_overflow status --adversarial
follow_up_short_apdu apdu -"
while read -r defect target mode; do
    others=$(echo "$all" | tr , '\n' | grep -vx "$defect" | paste -sd,)
    args=(--time "$limit" --from-seeds --skip-known="$others")
    [ "$mode" = - ] || args+=("$mode")
    start=$(date +%s%N)
    fuzz/run.sh "${args[@]}" "$target" >/dev/null 2>&1
    status=$?
    tenths=$((($(date +%s%N) - start) / 100000000))
    seconds=$((tenths / 10)).$((tenths % 10))
    label=well-behaved
    [ "$mode" = - ] || label=adversarial
    log=fuzz/_out/$target/log.txt
    runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$')
    if [ "$status" -ne 0 ]; then
        what=$(grep -m1 -oE 'ERROR: AddressSanitizer: .{0,50}|AddressSanitizer: SEGV|runtime error: .{0,60}|out-of-memory \(.{0,30}|^[A-Za-z]+Error: .{0,70}' "$log")
        printf '%-22s %-14s %-13s found after %8s executions, %5s s (with start-up): %s\n' \
            "$defect" "$target" "$label" "${runs:-?}" "$seconds" "$what"
        input=$(ls -t fuzz/_out/"$target"/crash-* fuzz/_out/"$target"/oom-* 2>/dev/null | head -1)
        replay=(--replay "$input")
        [ "$mode" = - ] || replay+=("$mode")
        if fuzz/run.sh "${replay[@]}" "$target" >/dev/null 2>&1; then
            echo "    $input: no crash when replayed alone"
        else
            echo "    $input: crashes when replayed alone"
            [ "$save" -eq 0 ] || cp "$input" fuzz/corpus/"$target"/crash-"$defect"
        fi
    else
        printf '%-22s %-14s %-13s not found in %s s (%s executions)\n' \
            "$defect" "$target" "$label" "$limit" "${runs:-?}"
    fi
done <<<"$plan"
