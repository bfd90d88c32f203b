#!/usr/bin/env bash
# mutate.sh - mutation testing: does the suite notice a one-line change to the supply,
# dispatch and fiscal code? (The first release's review found seven one-line changes to the
# fiscal code that passed every test; issue #15.)
#
#   tests/mutate.sh [--quick] [-n N] [--only ID|GLOB...] [--list] [--keep]
#
# Mutants (tests/mutants.py writes them):
#   - hand-written, tests/mutations.tsv: a fixed string that occurs once in a file, its
#     replacement, the test commands that must catch it and why it matters;
#   - generated: one operator swapped (< <=, > >=, + -, * /, && ||, == !=, += -=, *= /=) on a
#     line of a hot function listed in HOT below, at most N per function (-n; default
#     $MUTATE_PER_FUNCTION, else 6; CI runs 1; 0 = all), a fixed sample (the N smallest
#     ids, which hash the line's text: the sample moves only where the code does).
# The runner copies the tree (git's tracked and untracked-not-ignored files, working changes
# included, and build/rel and build/asan to start from) into a scratch directory, builds it
# and runs every test command once unmutated, alone (all must pass; their times set the
# timeouts). This tree is never written. Then the mutants run in MUTATE_JOBS workers at once
# (default 2, one per core; 1: one after another), each in its own copy of the built scratch
# tree. A worker takes the next file no worker has taken (with several workers, the files
# with most mutants first) and, for each of its mutants: puts the mutated file in place, runs
# its commands in order, each built just before it runs (only the mutated object recompiles;
# make -j1 when two workers share 2 cores) and under a timeout, until one fails; puts the
# file back. A mutant is
#   killed    a command exits nonzero, crashes or times out
#   invalid   a build fails (it does not compile): not counted; for a hand mutant an error
#   survived  every command passes; allowed only if tests/mutations_equivalent.tsv (id, tab,
#             the argument that no test can tell it from the original) lists it. A listed
#             mutant runs its first command only, to notice an entry that is no longer true
#             (killed: reported, so that the entry can go).
# The commands of a hot function end with its suite built with AddressSanitizer and UBSan
# (build/asan/...): a survivor of the plain suites that reads or writes out of bounds is
# killed there.
# One line per mutant, as its worker finishes it (the workers' lines interleave), then over
# all workers
#   mutate: K killed, S survived, I invalid (of N); E survivors argued equivalent, U unexplained
# Exit 0; 1 if a survivor is unexplained or a hand mutant does not compile; 2 on usage, a
# broken table (a hand mutant's string not found exactly once, a hot function not found) or
# a failing baseline.
# --quick: hand mutants only. --list: print the mutants and exit. --keep: keep the scratch
# directory (its path is printed; logs/wK/ holds the build and test output of each mutant
# worker K ran, logs/ the baseline's).
#
# Adding mutants (new supply code, say model/supply.c):
#   - a hot function: add its name to its file's row of HOT below, or a row for a new file
#     ("file | commands, fastest first, ' ; ' between | function names"). Then
#     `tests/mutate.sh -n 0 --only 'g-supply-*'` runs every swap there (--list shows them):
#     make a test kill each survivor, or argue it in tests/mutations_equivalent.tsv (an
#     argument of a kind its header lists; "no test reaches it" is not one). A new suite
#     (say test_supply) goes into the commands of the functions it covers.
#   - a hand mutant: a row of tests/mutations.tsv (its header gives the columns). Pick a
#     change a plausible bug would make (a dropped term, a flipped sign, a unit slip), with
#     a string long enough to occur once, and run it alone: `tests/mutate.sh --only ID`.
#   CI runs every hand mutant and 1 swap per hot function (.ci/run sets
#   MUTATE_PER_FUNCTION=1): 285 mutants at 2f3047b (--list counts them), in the default two
#   workers. Two workers run the mutants in about two thirds of their time alone
#   (samples of 12-16 mutants on a shared machine; the baseline does not shrink). Each mutant
#   is about 3 s of work; each hot function adds up to 6 at the default -n.
#   A hand mutant's string must occur exactly once on every run: when an edit changes or
#   duplicates it, mutate.sh stops (exit 2) naming the mutant's id and line, so a refactor
#   cannot drop it silently; update the string together with the code. A renamed hot
#   function stops it the same way. Generated ids change with their line's text: an
#   equivalence entry whose id no longer exists is reported, to be re-argued or removed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
ROOT=$PWD
PY=/usr/bin/python3
HAND=tests/mutations.tsv
EQUIV=tests/mutations_equivalent.tsv
PER_FUNCTION=${MUTATE_PER_FUNCTION:-6}
# make's jobs for a build that has the machine (CI: 2 cores) to itself: the baseline's; each
# of W workers builds with JOBS / W (at least 1)
JOBS=2
# mutants run in this many workers at once, each in its own scratch tree (at most one per
# mutated file)
WORKERS=${MUTATE_JOBS:-2}
# Two mutants' suites run at once, each with OpenMP's threads: with libgomp's default (active)
# waiting, threads spin at every barrier on cores the other suite needs. Passive waiting makes
# two concurrent test_pakistan + test_supply runs 3.9 and 7.7 s instead of 7.4 and 11.2 s.
export OMP_WAIT_POLICY=passive
# A mutant is killed by the first failing assertion: cmocka aborts there instead of running the
# rest of the suite (the suites list their slow statistical tests last).
export CMOCKA_TEST_ABORT=1
# A test command's timeout: this many times its unmutated time, and at least MIN_TIMEOUT_S
# (the machine is shared: a loaded run must not turn a slow pass into a kill). The unmutated
# time is measured alone, before the workers start; with W workers at once each suite has
# about a W-th of the cores, so the factor is multiplied by W (the floor is not: a command
# under MIN_TIMEOUT_S / TIMEOUT_FACTOR alone still has room at W = 2).
TIMEOUT_FACTOR=5
MIN_TIMEOUT_S=10
BIN=build/rel/bin/gridrisk

# The hot functions, whose operators are swapped: file | the commands that must catch a swap
# there (fastest first) | the functions.
NETSIM_T="build/rel/tests/test_netsim ; $PY tests/check_pras.py $BIN ; $PY tests/check_rts.py $BIN ; build/asan/tests/test_netsim"
DISPATCH_T="build/rel/tests/test_dispatch ; build/rel/tests/test_pakistan ; build/asan/tests/test_dispatch ; build/asan/tests/test_pakistan"
PAKISTAN_T="build/rel/tests/test_pakistan ; build/asan/tests/test_pakistan"
SUPPLY_T="build/rel/tests/test_supply ; build/rel/tests/test_pakistan ; $PY tests/check_calibration.py $BIN -n 100 ; build/asan/tests/test_supply ; build/asan/tests/test_pakistan"
ZRUN_T="build/rel/tests/test_zrun ; build/rel/tests/test_h5out ; build/asan/tests/test_zrun"
HOT=(
    "kernels/mcf.c | $NETSIM_T | shortest_paths mcf_solve"
    "model/netsim.c | $NETSIM_T | dispatch device_limits carry_over schedule record"
    "kernels/dispatch.c | $DISPATCH_T | dispatch_merit dispatch_shed dispatch_sort_order dispatch_hydro_isa dispatch_max"
    "model/pakistan.c | $PAKISTAN_T | simulate_scenario region_dispatch must_run_part weather_part hydro_part hydro_output tech_month led_hour fixed_by_class gen_by_hour lane_sum_body mining_margin day_costs mining_breakeven mining_breakeven_btc settle_balance settle_merit settle_column settle_day settle_south settle_madd settle_flow settle_demand settle_add settle_mul settle_south_supply settle_verdict settle_addmul settle_fixed_cost settle_thermal settle_unused settle_month_body"
    "model/fiscal.c | $PAKISTAN_T | fiscal_tariff_factor fiscal_fuel_pkr_per_kwh fiscal_base_tariff_pkr_per_kwh fiscal_base_revenue_pkr fiscal_capacity_pkr fiscal_net_cost_pkr fiscal_avg_cost_pkr_per_mwh fiscal_imf_subsidy_pkr fiscal_breakeven_cash_pkr_per_kwh fiscal_lost_load_usd"
    "kernels/dispatch.c | $DISPATCH_T | dispatch_two_region dispatch_shed_two"
    "model/pakistan.c | $SUPPLY_T | dispatch_energy prepare_months prepare_year day_demand avail_row sample_availability"
    "kernels/dispatch.c | $SUPPLY_T | dispatch_limited"
    "model/supply.c | $SUPPLY_T | supply_draw share_left supply_refuel_spans supply_union_spans"
    "model/sens.c | build/rel/tests/test_sens ; build/asan/tests/test_sens | sens_ranks sens_pearson sens_tornado sobol_point sens_sobol"
    "kernels/zrun.c | $ZRUN_T | tokens sort_keys huff_lengths huff_codes clen_rle put zrun_zlib"
    "kernels/stats.c | build/rel/tests/test_stats ; build/asan/tests/test_stats | pass1 pass2 select_keys finish_wide start_wide keep_nonzero each_run gather_key radix_pass tail_pass stats_summarize_src"
    "kernels/wpack.c | build/rel/tests/test_wpack ; build/asan/tests/test_wpack | group_bits wpack_encode wpack_kept wpack_decode"
    "outputs/h5out.c | build/rel/tests/test_h5out ; build/asan/tests/test_h5out | pio_all page_len page_read page_load page_store col_read col_kept col_write"
    "model/results.c | build/rel/tests/test_results ; build/rel/tests/test_h5out ; build/asan/tests/test_results | results_find_nonfinite"
    "outputs/ckpt.c | build/rel/tests/test_ckpt ; /usr/bin/python3 tests/check_resume.py build/rel/bin/gridrisk --quick ; build/asan/tests/test_ckpt | coded_size coded_bytes write_seg rd_fill rd_bytes read_seg"
)

usage() { sed -n '6p' "$0" | sed 's/^# *//' >&2; exit 2; }
QUICK='' LIST='' KEEP='' ONLY=()
while [ $# -gt 0 ]; do
    case $1 in
    --quick) QUICK=--quick ;;
    --list) LIST=1 ;;
    --keep) KEEP=1 ;;
    -n) [ $# -ge 2 ] || usage; PER_FUNCTION=$2; shift ;;
    --only)
        shift
        while [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; do ONLY+=("$1"); shift; done
        [ ${#ONLY[@]} -gt 0 ] || usage
        continue ;;
    -h | --help) usage ;;
    *) echo "mutate: unknown argument '$1'" >&2; usage ;;
    esac
    shift
done
case $PER_FUNCTION in '' | *[!0-9]*) echo "mutate: -n wants a whole number" >&2; exit 2 ;; esac
case $WORKERS in '' | *[!0-9]* | 0*) echo "mutate: MUTATE_JOBS wants a whole number from 1" >&2; exit 2 ;; esac
# the runner's own make must not join a calling make's jobserver
unset MAKEFLAGS MFLAGS MAKELEVEL

T0=$(date +%s)
S=$(mktemp -d "${TMPDIR:-/tmp}/gridrisk-mutate.XXXXXX") || exit 2
if [ -n "$KEEP" ]; then echo "mutate: scratch directory $S"; else trap 'rm -rf "$S"' EXIT; fi
mkdir -p "$S/tree" "$S/orig" "$S/logs"

printf '%s\n' "${HOT[@]}" | sed 's/ | /\t/g' > "$S/hot.tsv"
"$PY" tests/mutants.py prepare "$ROOT" "$S/mutants" --hand "$HAND" --hot "$S/hot.tsv" \
    --per-function "$PER_FUNCTION" $QUICK || exit 2

# the selection, grouped by file (each file's mutants in listing order)
selected() {
    local id rest pat
    while IFS=$'\t' read -r id rest; do
        if [ ${#ONLY[@]} -gt 0 ]; then
            for pat in "${ONLY[@]}"; do
                # shellcheck disable=SC2053
                [[ $id == $pat ]] && { printf '%s\t%s\n' "$id" "$rest"; break; }
            done
        else
            printf '%s\t%s\n' "$id" "$rest"
        fi
    done < "$S/mutants/list.tsv" | sort -t$'\t' -k2,2 -s
}
selected > "$S/selected.tsv"
N=$(wc -l < "$S/selected.tsv")
if [ "$N" = 0 ]; then echo "mutate: no mutant selected" >&2; exit 2; fi
if [ -n "$LIST" ]; then
    awk -F'\t' '{ printf "%-34s %s:%s\n    tests: %s\n    %s\n", $1, $2, $3, $4, $5 }' \
        "$S/selected.tsv"
    echo "mutate: $N mutants"
    exit 0
fi

# the workers: no more than the files mutated
NF=$(cut -f2 "$S/selected.tsv" | sort -u | wc -l)
W=$((WORKERS < NF ? WORKERS : NF))

# equivalent mutants: id -> reason
declare -A EQ
while IFS=$'\t' read -r id reason; do
    case $id in '' | '#'*) continue ;; esac
    EQ[$id]=$reason
done < "$EQUIV"

# --- the scratch tree ----------------------------------------------------------------
if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
    git ls-files -z --cached --others --exclude-standard --deduplicate |
        while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
        tar --null -T - -cf - | tar -xf - -C "$S/tree" || exit 2
else
    tar --exclude=./build --exclude=./bin --exclude=./results -cf - . | tar -xf - -C "$S/tree" ||
        exit 2
fi
cut -f2 "$S/selected.tsv" | sort -u | while read -r f; do
    mkdir -p "$S/orig/$(dirname "$f")" && cp -p "$S/tree/$f" "$S/orig/$f"
done
# This tree's builds seed the scratch tree's: the copies keep their times, as the sources
# do, so make rebuilds only what is out of date (CI has just built both).
for v in rel asan; do
    if [ -d "build/$v" ]; then
        mkdir -p "$S/tree/build" && cp -a "build/$v" "$S/tree/build/" || exit 2
    fi
done

# a command with its words single-spaced (the key of its timeout)
norm() {
    local -a w
    read -ra w <<< "$1"
    echo "${w[*]}"
}

# make targets of commands (' ; ' between), one a line: their words under build/ or bin/,
# and the CLI for the suites that run it
targets() {
    { tr ' ;' '\n' <<< "$1" | grep -E '^(build|bin)/'
      grep -qE 'test_(cli|report)' <<< "$1" && echo "$BIN"; } | sort -u
}

# the scratch tree builds and commands run in: the baseline's, then each worker's own
TREE=$S/tree

# build "CMDS" LOG: makes what the commands run, each build/VARIANT/... with its VARIANT
build() {
    local t v
    local -A by=()
    while read -r t; do
        [ -n "$t" ] || continue
        v=rel
        case $t in build/*/*) v=${t#build/} && v=${v%%/*} ;; esac
        by[$v]+=" $t"
    done <<< "$(targets "$1")"
    for v in "${!by[@]}"; do
        # shellcheck disable=SC2086
        # a mutant's object at -O1 without debug information: half the compile time of
        # -O3 -g, and the same bits (-ffp-contract=off, no fast-math: the optimisation level
        # does not change a result, as the ASan build at -O1 shows every run)
        (cd "$TREE" && make -j"$JOBS" --no-print-directory VARIANT="$v" CFLAGS= \
            OPT_rel="-O1 -DNDEBUG" ${by[$v]}) >> "$2" 2>&1 || return 1
    done
}

# run_cmds "CMDS" LOG: builds and runs each command in turn, until one fails. Returns 0 if
# all pass; 1 if one fails, crashes or times out (printing which, and its failed tests); 2
# if a build fails (the mutant is invalid: a build error must not pass for a kill).
declare -A LIMIT
run_cmds() {
    local c rc t0 what pre
    local -a cmds
    IFS=';' read -ra cmds <<< "$1"
    for c in "${cmds[@]}"; do
        c=$(norm "$c")
        build "$c" "$2" || { printf 'build for %s failed' "$c"; return 2; }
        t0=$(date +%s.%N)
        # in a session of its own, whose stragglers are killed after it: a checker's gridrisk
        # child takes timeout's SIGTERM as a request to stop at its block's end, which a
        # mutant stuck in a trial never reaches, and timeout exits once the checker dies
        # (two such runs went on for minutes, taking the cores from the workers)
        # shellcheck disable=SC2086
        (cd "$TREE" && GRIDRISK_BIN=$BIN exec setsid timeout -k 5 "${LIMIT[$c]:-600}" $c) \
            >> "$2" 2>&1 &
        local sid=$!
        wait "$sid"
        rc=$?
        pkill -KILL -s "$sid" 2> /dev/null
        if [ $rc != 0 ]; then
            case $rc in 124 | 137) rc="timeout ${LIMIT[$c]:-600}s" ;; esac
            # the failing cmocka tests, the checker's first failed checks, a sanitizer's kind
            what=$(sed -n 's/^\[  FAILED  \] \(test_[A-Za-z0-9_]*\).*/\1/p; s/^FAIL *//p
                          s/.*ERROR: AddressSanitizer: \([a-z-]*\).*/\1/p
                          s/.*\(runtime error: .*\)/\1/p' "$2" | sort -u | head -3 | tr '\n' ' ')
            # shellcheck disable=SC2086
            set -- $c
            case $1 in *python*) shift ;; esac
            pre=
            case $1 in build/asan/*) pre='asan ' ;; esac
            printf '%s%s (%s, %.1fs) %s' "$pre" "${1##*/}" "$rc" \
                "$(echo "$(date +%s.%N) - $t0" | bc)" "${what% }"
            return 1
        fi
    done
    return 0
}

# --- baseline: the unmutated tree builds and passes every command used ----------------
ALL_CMDS=$(cut -f4 "$S/selected.tsv" | tr ';' '\n' | while read -r c; do norm "$c"; done |
    grep . | sort -u)
t0=$(date +%s)
if ! build "$(tr '\n' ';' <<< "$ALL_CMDS")" "$S/logs/baseline.build"; then
    tail -20 "$S/logs/baseline.build"
    echo "mutate: the unmutated tree does not build" >&2
    exit 2
fi
echo "baseline build $(($(date +%s) - t0)) s"
while read -r c; do
    # CI has just passed the ASan suites on this very tree (make asan): MUTATE_TRUST_ASAN=1
    # spares their minutes here; they only run for a mutant the plain suites miss
    if [ "${MUTATE_TRUST_ASAN:-0}" = 1 ] && [[ $c == build/asan/* ]]; then
        LIMIT[$c]=600
        printf 'baseline %-60s trusted (MUTATE_TRUST_ASAN; timeout 600s)\n' "$c"
        continue
    fi
    t0=$(date +%s.%N)
    # shellcheck disable=SC2086
    if ! (cd "$S/tree" && GRIDRISK_BIN=$BIN $c) > "$S/logs/baseline.test" 2>&1; then
        tail -20 "$S/logs/baseline.test"
        echo "mutate: the unmutated tree fails: $c" >&2
        exit 2
    fi
    s=$(echo "$(date +%s.%N) - $t0" | bc)
    LIMIT[$c]=$(echo "l = $s * $TIMEOUT_FACTOR * $W; if (l < $MIN_TIMEOUT_S) l = $MIN_TIMEOUT_S; scale=0; l/1 + 1" | bc)
    printf 'baseline %-60s %5.1fs (timeout %ss)\n' "${c#"$PY "}" "$s" "${LIMIT[$c]}"
done <<< "$ALL_CMDS"

# --- the mutants -----------------------------------------------------------------------
# The queue of files: $S/queue/I.tsv, the I-th file's mutants in listing order; with several
# workers the files with most mutants first (ties in listing order), so that the last ones
# taken are short.
mkdir "$S/queue" "$S/claimed" || exit 2
awk -F'\t' -v W="$W" -v Q="$S/queue" '
    { if (!($2 in n)) f[++nf] = $2; n[$2]++; row[NR] = $0; file[NR] = $2 }
    END {
        for (i = 2; i <= nf && W > 1; i++)
            for (j = i; j > 1 && n[f[j]] > n[f[j - 1]]; j--) { t = f[j]; f[j] = f[j - 1]; f[j - 1] = t }
        for (i = 1; i <= nf; i++) at[f[i]] = i
        for (r = 1; r <= NR; r++) print row[r] > (Q "/" at[file[r]] ".tsv")
    }' "$S/selected.tsv" || exit 2
# Each worker its own copy of the built scratch tree (cp -a keeps the times: nothing rebuilds)
TREES=("$S/tree")
t0=$(date +%s)
for ((k = 2; k <= W; k++)); do
    cp -a "$S/tree" "$S/tree$k" || { echo "mutate: cannot copy the scratch tree" >&2; exit 2; }
    TREES+=("$S/tree$k")
done
[ "$W" = 1 ] || echo "workers: $W, each in its own scratch tree (copied in $(($(date +%s) - t0)) s)"
JOBS=$((JOBS / W > 0 ? JOBS / W : 1))

# run_mutant K ID FILE LINE CMDS DESC: one mutant in worker K's tree; its line on stdout, its
# id and verdict in $S/wK.verdicts
run_mutant() {
    local k=$1 id=$2 file=$3 line=$4 commands=$5 desc=$6 log why v
    log="$S/logs/w$k/$id.log"
    cp "$S/mutants/$id" "$TREE/$file"
    # an argued equivalent passes on its argument; its first command only checks that the
    # entry is not stale
    [ -n "${EQ[$id]+x}" ] && commands=${commands%%;*}
    why=$(run_cmds "$commands" "$log")
    case $? in
    0)
        if [ -n "${EQ[$id]+x}" ]; then
            v=equiv
            printf '%-9s %-34s %s:%s %s\n' equiv "$id" "$file" "$line" "${EQ[$id]}"
        else
            v=SURVIVED
            printf '%-9s %-34s %s:%s %s\n' SURVIVED "$id" "$file" "$line" "$desc"
        fi ;;
    1)
        v=killed
        printf '%-9s %-34s %s:%s by %s\n' killed "$id" "$file" "$line" "$why"
        [ -n "${EQ[$id]+x}" ] && echo "    note: $id is listed in $EQUIV but was killed; remove it" ;;
    *)
        v=invalid
        printf '%-9s %-34s %s:%s %s\n' invalid "$id" "$file" "$line" "$why" ;;
    esac
    printf '%s\t%s\n' "$id" "$v" >> "$S/w$k.verdicts"
    # back to the original (a new mtime: the next build recompiles it)
    cp "$S/orig/$file" "$TREE/$file"
}

# worker K: in its own tree, takes the next file of the queue that no worker has claimed
# (mkdir is atomic: exactly one worker claims each) and runs its mutants, until none is left
worker() {
    local k=$1 q id file line commands desc
    TREE=${TREES[k - 1]}
    mkdir -p "$S/logs/w$k" || return 2
    for ((q = 1; q <= NF; q++)); do
        mkdir "$S/claimed/$q" 2> /dev/null || continue
        while IFS=$'\t' read -r id file line commands desc; do
            run_mutant "$k" "$id" "$file" "$line" "$commands" "$desc"
        done < "$S/queue/$q.tsv"
    done
}
for ((k = 1; k <= W; k++)); do : > "$S/w$k.verdicts"; done
if [ "$W" = 1 ]; then
    worker 1
else
    # The workers run in the background (without job control they ignore SIGINT): an
    # interrupted or terminated run stops them before the scratch directory goes.
    PIDS=()
    trap 'kill "${PIDS[@]}" 2> /dev/null; exit 130' INT
    trap 'kill "${PIDS[@]}" 2> /dev/null; exit 143' TERM
    for ((k = 1; k <= W; k++)); do
        worker "$k" &
        PIDS+=($!)
    done
    for p in "${PIDS[@]}"; do wait "$p"; done
    trap - INT TERM
fi

# the count over all workers, in listing order
declare -A VERDICT
for ((k = 1; k <= W; k++)); do
    while IFS=$'\t' read -r id v; do VERDICT[$id]=$v; done < "$S/w$k.verdicts"
done
K=0 SV=0 I=0 E=0 U=0
UNEXPLAINED=() HAND_INVALID=()
while IFS=$'\t' read -r id _; do
    case ${VERDICT[$id]:-} in
    equiv) SV=$((SV + 1)) E=$((E + 1)) ;;
    SURVIVED) SV=$((SV + 1)) U=$((U + 1)); UNEXPLAINED+=("$id") ;;
    killed) K=$((K + 1)) ;;
    invalid)
        I=$((I + 1))
        case $id in g-*) ;; *) HAND_INVALID+=("$id") ;; esac ;;
    *) echo "mutate: $id has no verdict (its worker stopped early)" >&2; exit 2 ;;
    esac
done < "$S/selected.tsv"

# every mutated file is back as it was in every tree (the next run's baseline relies on the
# runner, not luck)
for t in "${TREES[@]}"; do
    cut -f2 "$S/selected.tsv" | sort -u | while read -r f; do
        cmp -s "$S/orig/$f" "$t/$f" || { echo "mutate: $f was not restored (${t#"$S"/})" >&2; exit 2; }
    done || exit 2
done
for id in "${!EQ[@]}"; do
    grep -qFx "$id" "$S/mutants/ids.txt" ||
        echo "mutate: note: $EQUIV lists $id, which is not a mutant any more"
done
[ $U = 0 ] || echo "mutate: unexplained survivors (strengthen a test, or argue equivalence in $EQUIV): ${UNEXPLAINED[*]}"
[ ${#HAND_INVALID[@]} = 0 ] || echo "mutate: hand mutants that do not build (fix $HAND): ${HAND_INVALID[*]}"
echo "mutate: $K killed, $SV survived, $I invalid (of $N); $E survivors argued equivalent, $U unexplained; $(($(date +%s) - T0)) s"
[ $U = 0 ] && [ ${#HAND_INVALID[@]} = 0 ]
