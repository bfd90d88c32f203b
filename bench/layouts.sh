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
if [ $# -lt 2 ] || [ $# -gt 4 ]; then
    echo "usage: bench/layouts.sh OLD NEW [RUNS [TRIALS]]" >&2
    exit 2
fi
old=$1
new=$2
runs=${3:-5}
trials=${4:-400}
case $runs$trials in
*[!0-9]*) echo "layouts.sh: RUNS and TRIALS are whole numbers: $runs $trials" >&2; exit 2 ;;
esac
if [ "$runs" -lt 1 ] || [ "$trials" -lt 1 ]; then
    echo "layouts.sh: RUNS and TRIALS are at least 1: $runs $trials" >&2
    exit 2
fi
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel)
for r in "$old" "$new"; do
    git -C "$root" rev-parse --verify -q "$r^{commit}" >/dev/null ||
        { echo "layouts.sh: no revision $r" >&2; exit 2; }
done
tmp=$(mktemp -d)
me=layouts.sh
# shellcheck source=bench/common.sh
. "$here/common.sh"

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
    git -C "$root" worktree add --detach "$tmp/$side" "$rev" >"$tmp/git.log" 2>&1 || {
        cat "$tmp/git.log" >&2
        exit 1
    }
    k=0
    while [ "$k" -lt "$nl" ]; do
        # -B: every object again, as the flags are not a prerequisite
        make -B -C "$tmp/$side" -j2 bin/gridrisk CFLAGS="-g $(layout "$k")" >"$tmp/make.log" 2>&1 || {
            cat "$tmp/make.log" >&2
            exit 1
        }
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

python3 - "$tmp/rates" "$old" "$new" <<'EOF'
import statistics as st
import sys

rates = {}
for line in open(sys.argv[1]):
    i, k, side, r = line.split()
    rates[(int(i), int(k), side)] = float(r)
rounds = sorted({i for i, _, _ in rates})
layouts = sorted({k for _, k, _ in rates})
flags = ["(own)", "-falign-functions=32", "-falign-functions=128", "-falign-loops=32",
         "-falign-jumps=32"]
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
