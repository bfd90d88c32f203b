#!/bin/sh
# bench/layouts.sh OLD NEW [RUNS [TRIALS]]: how much faster revision NEW runs
# the Pakistan default than revision OLD, over several code layouts of each
# (README, "How the Pakistan default got faster").
#
# Why: where the compiler puts a hot loop against the processor's fetch
# boundaries moves a run's time by a few percent, and any edit moves it
# (Mytkowicz et al., "Producing wrong data without doing anything
# obviously wrong!", ASPLOS 2009). One build of each revision measures one
# layout of each: a change kept because it measured faster may owe part of
# that to its layout, and the next edit takes it back. So each revision is
# built five times: with its own flags, then with each of four alignment
# flags appended to CFLAGS (the same four for both; the last flag given
# wins, so -falign-functions=32 replaces a Makefile's =64; none changes a
# result: -ffp-contract=off, no fast-math), and the builds are compared
# layout by layout, each on its own revision's default scenario.
#
# Each round runs every build once, on one thread, TRIALS trials (default
# 400), OLD's and NEW's of a layout one after the other (which first
# alternates by round); RUNS rounds (default 5). The figure is each run's
# own speed line (trial-years/s). It prints, per layout, the median rates
# and the median of the rounds' paired ratios NEW/OLD (above 1: NEW is
# faster), then the median and range of those ratios over the layouts, and
# each revision's spread over its layouts (its fastest layout's median rate
# over its slowest's).
#
# Needs git, python3 and the build's dependencies; builds take about 10 s
# each, the runs RUNS x 10 x (a run's time). Run it alone on the machine.
set -eu
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
me=layouts.sh
# shellcheck source=bench/common.sh
. "$here/common.sh"
if [ $# -lt 2 ] || [ $# -gt 4 ]; then
    echo "usage: bench/layouts.sh OLD NEW [RUNS [TRIALS]]" >&2
    exit 2
fi
old=$1
new=$2
runs=${3:-5}
trials=${4:-400}
counts_ok "$runs" "$trials"
root=$(git -C "$here" rev-parse --show-toplevel)
for r in "$old" "$new"; do
    git -C "$root" rev-parse --verify -q "$r^{commit}" >/dev/null ||
        { echo "$me: no revision $r" >&2; exit 2; }
done
scratch

# The layouts: each revision's own flags, then four alignments appended.
nl=5
layout() {
    case $1 in
    0) echo "" ;;
    1) echo "-falign-functions=32" ;;
    2) echo "-falign-functions=128" ;;
    3) echo "-falign-loops=32" ;;
    4) echo "-falign-jumps=32" ;;
    esac
}

for side in old new; do
    if [ "$side" = old ]; then rev=$old; else rev=$new; fi
    worktree "$tmp/$side" "$rev"
    k=0
    while [ "$k" -lt "$nl" ]; do
        # -B: every object again, as the flags are not a prerequisite
        build "$tmp/$side" -B CFLAGS="-g $(layout "$k")"
        cp "$tmp/$side/bin/gridrisk" "$tmp/$side-$k"
        k=$((k + 1))
    done
done

: >"$tmp/rates"
i=0
while [ "$i" -lt "$runs" ]; do
    k=0
    while [ "$k" -lt "$nl" ]; do
        if [ $((i % 2)) -eq 0 ]; then order="old new"; else order="new old"; fi
        for side in $order; do
            r=$(rate "$tmp/$side-$k" "$tmp/$side")
            echo "$i $k $side $r" >>"$tmp/rates"
        done
        k=$((k + 1))
    done
    i=$((i + 1))
done

labels=""
k=0
while [ "$k" -lt "$nl" ]; do
    labels="$labels ${k}:$(layout "$k")"
    k=$((k + 1))
done
# shellcheck disable=SC2086 # labels: one word a layout (no flag has a space)
python3 - "$tmp/rates" "$old" "$new" $labels <<'EOF'
import statistics as st
import sys

rates = {}
for line in open(sys.argv[1]):
    i, k, side, r = line.split()
    rates[(int(i), int(k), side)] = float(r)
rounds = sorted({i for i, _, _ in rates})
layouts = sorted({k for _, k, _ in rates})
# layout k's flags, from the script's list ("k:FLAGS"; none: the revision's own)
flags = [a.split(":", 1)[1] or "(own)" for a in sys.argv[4:]]
print(f"OLD {sys.argv[2]}, NEW {sys.argv[3]}: trial-years/s, one thread, {len(rounds)} rounds")
print(f"{'layout':24s} {'OLD':>9s} {'NEW':>9s} {'NEW/OLD':>8s}")
ratios, med = [], {"old": [], "new": []}
for k in layouts:
    o = st.median(rates[(i, k, "old")] for i in rounds)
    n = st.median(rates[(i, k, "new")] for i in rounds)
    q = st.median(rates[(i, k, "new")] / rates[(i, k, "old")] for i in rounds)
    med["old"].append(o)
    med["new"].append(n)
    ratios.append(q)
    print(f"{flags[k]:24s} {o:9.1f} {n:9.1f} {q:8.3f}")
print(f"NEW/OLD over the layouts: median {st.median(ratios):.3f}, "
      f"range {min(ratios):.3f}-{max(ratios):.3f}")
for side in ("old", "new"):
    print(f"{side.upper()}'s spread over its layouts: {max(med[side]) / min(med[side]):.3f}")
EOF
