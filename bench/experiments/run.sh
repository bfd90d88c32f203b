#!/bin/sh
# bench/experiments/run.sh [RUNS [TRIALS [PATCH...]]]: what-if timings of the
# Pakistan default (README, "How the Pakistan default got faster").
#
# Each patch here (all of them, or those named: a name here, with or without
# .patch, or a path) is applied to a copy of the checked-out revision, built,
# and run on inputs/pakistan/pakistan.yaml on one thread, RUNS times (default
# 7) of TRIALS trials (default 400), alternating with the unpatched build's
# runs; the figure is each run's own speed line (trial-years/s). It prints,
# per patch, the medians and the ratio of the patched build's time to the
# unpatched one's (below 1: faster).
#
# Some patches are not models but bounds: full_path_free and split_free skip
# work, so their results are wrong and only their time means something (what
# that work costs); gas_by_month changes the model (a month's gas budget
# instead of a day's); rows_in_lanes and settle_in_chunks give the same
# results and were no faster. Earlier what-ifs that gave the same results
# and were no faster (changes_as_list, shares_mixed_only, day_table) and
# year_by_year (a year at a time, landed in c8c06fd) are kept in git at
# 9e57f9d, where they apply: git show 9e57f9d:bench/experiments/NAME.patch;
# changes_by_hour (the same results, no faster; it sorts the changes the
# outage sampler now leaves by unit) at fb4266b. tests/check_bench.py checks
# that every patch here applies.
# A patch that no longer applies stops the script with git's message.
#
# Needs git and the build's dependencies; about 2 minutes per patch on 2
# cores (each copy is built from scratch). Run it alone on the machine.
set -eu
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
me=run.sh
# shellcheck source=bench/common.sh
. "$here/../common.sh"
runs=${1:-7}
trials=${2:-400}
counts_ok "$runs" "$trials"
if [ $# -ge 2 ]; then shift 2; else shift $#; fi
root=$(git -C "$here" rev-parse --show-toplevel)
scratch

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

worktree "$tmp/base" HEAD
build "$tmp/base"
if [ $# -eq 0 ]; then set -- "$here"/*.patch; fi
printf '%-22s %12s %12s %8s\n' patch 'base ty/s' 'patched ty/s' 'time'
for p in "$@"; do
    [ -f "$p" ] || p=$here/${p%.patch}.patch
    [ -f "$p" ] || { echo "run.sh: no patch $p" >&2; exit 2; }
    case $p in /*) ;; *) p=$(pwd)/$p ;; esac
    worktree "$tmp/x" HEAD
    git -C "$tmp/x" apply "$p"
    build "$tmp/x"
    : >"$tmp/a"
    : >"$tmp/b"
    i=0
    while [ "$i" -lt "$runs" ]; do
        rate "$tmp/base/bin/gridrisk" "$tmp/base" >>"$tmp/a"
        rate "$tmp/x/bin/gridrisk" "$tmp/x" >>"$tmp/b"
        i=$((i + 1))
    done
    a=$(median <"$tmp/a")
    b=$(median <"$tmp/b")
    printf '%-22s %12s %12s %8.3f\n' "$(basename "$p" .patch)" "$a" "$b" "$(echo "$a $b" | awk '{print $1 / $2}')"
    git -C "$root" worktree remove --force "$tmp/x" >/dev/null 2>&1
done
