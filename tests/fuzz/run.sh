#!/bin/sh
# run.sh - runs libFuzzer harnesses (make fuzz, make fuzz-regress).
#
#   tests/fuzz/run.sh fuzz    BUILD SECONDS HARNESS...   fuzz each for SECONDS
#   tests/fuzz/run.sh regress BUILD HARNESS...           each input once, no fuzzing
#
# Harness build/fuzz/bin/fuzz_NAME takes its seeds from tests/fuzz/corpus/fuzz_NAME/
# and, in regress mode, also the crash reproducers in tests/fuzz/regress/fuzz_NAME/.
# Fuzzing works on a copy of the seeds under BUILD/corpus/, so the repository is never
# written. Any crash, hang (-timeout), leak, memory blow-up (-rss_limit_mb) or
# sanitizer report fails the run; its input is kept under BUILD/artifacts/.
set -u
mode=$1
build=$2
shift 2
secs=0
if [ "$mode" = fuzz ]; then
    secs=$1
    shift
fi
# Sanitizer reports are fatal; leaks are checked (at exit, and by libFuzzer
# after any input that allocated more than it freed).
export ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"
# Harnesses write scratch files under TMPDIR: keep them in the build tree.
TMPDIR=$build/tmp
export TMPDIR
mkdir -p "$TMPDIR" "$build/logs"
COMMON="-timeout=10 -rss_limit_mb=2048 -detect_leaks=1"
SANITIZER_RE='ERROR: (Address|Leak|Memory|Thread)Sanitizer|runtime error:|SUMMARY: UndefinedBehaviorSanitizer'

fail=0
for h in "$@"; do
    name=$(basename "$h")
    seeds=tests/fuzz/corpus/$name
    log=$build/logs/$name.$mode.log
    art=$build/artifacts/$name/
    mkdir -p "$art"
    if [ "$mode" = fuzz ]; then
        work=$build/corpus/$name
        rm -rf "$work"
        mkdir -p "$work"
        [ -d "$seeds" ] && cp -R "$seeds/." "$work/"
        t0=$(date +%s.%N)
        # shellcheck disable=SC2086
        "$h" $COMMON -max_total_time="$secs" -print_final_stats=1 \
            -artifact_prefix="$art" "$work" >"$log" 2>&1
        rc=$?
        t1=$(date +%s.%N)
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
        units=$(find "$work" -type f | wc -l)
        awk -v n="$name" -v e="${execs:-0}" -v a="$t0" -v b="$t1" -v u="$units" 'BEGIN {
            s = b - a; r = (s > 0) ? e / s : 0
            printf "%-16s %10d execs in %6.1f s (%.0f execs/s), corpus %d inputs\n", n, e, s, r, u }'
    else
        files=$(find "$seeds" "tests/fuzz/regress/$name" -type f 2>/dev/null | sort)
        if [ -z "$files" ]; then
            echo "$name: no seed or regression inputs"
            fail=1
            continue
        fi
        # Files, not directories: libFuzzer runs each once and writes nothing.
        # shellcheck disable=SC2086
        "$h" $COMMON -artifact_prefix="$art" $files >"$log" 2>&1
        rc=$?
        echo "$name: $(echo "$files" | wc -l) inputs run once"
    fi
    if [ $rc -ne 0 ] || grep -aEq "$SANITIZER_RE" "$log"; then
        echo "FUZZ FAILURE: $name (exit $rc); log $log, inputs in $art:"
        grep -aE "$SANITIZER_RE|^==[0-9]+==|^(a valid file|error message|report_print)|Test unit written|ALARM|out-of-memory|deadly signal" "$log" | head -n 20
        fail=1
    fi
done
[ $fail = 0 ] && echo "fuzz $mode: all harnesses clean"
exit $fail
