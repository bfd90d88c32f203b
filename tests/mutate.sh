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
#     line of a hot function listed below, at most N per function (-n, default
#     $MUTATE_PER_FUNCTION or 8; 0 = all), a fixed sample.
# The runner copies the tree (git's tracked and untracked-not-ignored files, working changes
# included) into a scratch directory once, builds it and runs every test command once
# unmutated (all must pass; their times set the timeouts). Then, file by file, for each
# mutant: put the mutated file in place, `make -j2` the test binaries it names (the build
# directory is reused: only the mutated object recompiles and the binaries relink), run its
# commands in order with a timeout until one fails, put the file back. A mutant is
#   killed    a command exits nonzero or times out
#   invalid   it does not compile (reported, not counted)
#   survived  every command passes; allowed only if tests/mutations_equivalent.tsv (id, tab,
#             the argument that no test can tell it from the original) lists it. A listed
#             mutant runs its first command only, to notice an entry that is no longer true
#             (killed: reported, so that the entry can go).
# One line per mutant, then
#   mutate: K killed, S survived, I invalid (of N); E survivors argued equivalent, U unexplained
# Exit 0; 1 if a survivor is unexplained; 2 on usage, a broken table or a failing baseline.
# --quick: hand mutants only. --list: print the mutants and exit. --keep: keep the scratch
# directory (its path is printed; logs/ holds each mutant's build and test output).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=/usr/bin/python3
HAND=tests/mutations.tsv
EQUIV=tests/mutations_equivalent.tsv
PER_FUNCTION=${MUTATE_PER_FUNCTION:-8}
JOBS=2
# A test command's timeout: this many times its unmutated time, and at least MIN_TIMEOUT_S.
TIMEOUT_FACTOR=5
MIN_TIMEOUT_S=10
BIN=build/rel/bin/gridrisk

# The hot functions, whose operators are swapped: file | the commands that must catch a swap
# there (fastest first) | the functions.
NETSIM_T="build/rel/tests/test_netsim ; $PY tests/check_pras.py $BIN ; $PY tests/check_rts.py $BIN"
DISPATCH_T="build/rel/tests/test_dispatch ; build/rel/tests/test_pakistan"
HOT=(
    "kernels/mcf.c | $NETSIM_T | shortest_paths mcf_solve"
    "model/netsim.c | $NETSIM_T | dispatch device_limits carry_over schedule record"
    "kernels/dispatch.c | $DISPATCH_T | dispatch_merit dispatch_shed dispatch_sort_order dispatch_hydro_counted"
    "model/pakistan.c | build/rel/tests/test_pakistan | simulate_scenario"
)

usage() { sed -n '6,7p' "$0" | sed 's/^# *//' >&2; exit 2; }
QUICK= LIST= KEEP= ONLY=()
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
    mkdir -p "$S/orig/$(dirname "$f")" && cp "$S/tree/$f" "$S/orig/$f"
done

# make targets of commands (';' between): their words under build/ or bin/, and the CLI for
# the suites that run it
targets() {
    { tr ' ;' '\n\n' <<< "$1" | grep -E '^(build|bin)/'
      grep -qE 'test_(cli|report)' <<< "$1" && echo "$BIN"; } | sort -u
}
build() { (cd "$S/tree" && make -j"$JOBS" --no-print-directory $(targets "$1")) >> "$2" 2>&1; }

# run_cmds "CMDS" LOG -> 0 all passed; else prints the failing command's summary. Each
# command's binaries are linked just before it runs: a mutant the first command kills costs
# no other link.
declare -A LIMIT
run_cmds() {
    local cmds=$1 log=$2 c rc t0
    local IFS=';'
    for c in $cmds; do
        IFS=' '
        c=$(echo $c)
        build "$c" "$log" || { printf 'build of %s failed' "$c"; return 1; }
        t0=$(date +%s.%N)
        (cd "$S/tree" && GRIDRISK_BIN=$BIN timeout -k 5 "${LIMIT[$c]:-600}" $c) >> "$log" 2>&1
        rc=$?
        if [ $rc != 0 ]; then
            [ $rc = 124 ] || [ $rc = 137 ] && rc="timeout ${LIMIT[$c]:-600}s"
            set -- $c
            case $1 in *python*) shift ;; esac
            # the failing cmocka tests, or the checker's first failed check
            local what
            what=$(sed -n 's/^\[  FAILED  \] \(test_[A-Za-z0-9_]*\).*/\1/p; s/^FAIL *//p' "$log" |
                sort -u | head -3 | tr '\n' ' ')
            printf '%s (%s, %.1fs) %s' "${1##*/}" "$rc" "$(echo "$(date +%s.%N) - $t0" | bc)" \
                "${what% }"
            return 1
        fi
    done
    return 0
}

# --- baseline: the unmutated tree builds and passes every command used ----------------
ALL_CMDS=$(cut -f4 "$S/selected.tsv" | tr ';' '\n' | sed 's/^ *//; s/ *$//' | sort -u)
if ! build "$(tr '\n' ';' <<< "$ALL_CMDS")" "$S/logs/baseline.build"; then
    tail -20 "$S/logs/baseline.build"
    echo "mutate: the unmutated tree does not build" >&2
    exit 2
fi
while read -r c; do
    t0=$(date +%s.%N)
    if ! (cd "$S/tree" && GRIDRISK_BIN=$BIN $c) > "$S/logs/baseline.test" 2>&1; then
        tail -20 "$S/logs/baseline.test"
        echo "mutate: the unmutated tree fails: $c" >&2
        exit 2
    fi
    s=$(echo "$(date +%s.%N) - $t0" | bc)
    LIMIT[$c]=$(echo "l = $s * $TIMEOUT_FACTOR; if (l < $MIN_TIMEOUT_S) l = $MIN_TIMEOUT_S; scale=0; l/1 + 1" | bc)
    printf 'baseline %-60s %5.1fs (timeout %ss)\n' "${c#"$PY "}" "$s" "${LIMIT[$c]}"
done <<< "$ALL_CMDS"

# --- the mutants -----------------------------------------------------------------------
K=0 SV=0 I=0 E=0 U=0
UNEXPLAINED=()
while IFS=$'\t' read -r id file line cmds desc; do
    log="$S/logs/$id.log"
    cp "$S/mutants/$id" "$S/tree/$file"
    # an argued equivalent passes on its argument; its first command only checks that the
    # entry is not stale
    [ -n "${EQ[$id]+x}" ] && cmds=${cmds%%;*}
    if ! build "${cmds%%;*}" "$log"; then
        I=$((I + 1))
        printf '%-9s %-34s %s:%s does not compile\n' invalid "$id" "$file" "$line"
    elif why=$(run_cmds "$cmds" "$log"); then
        SV=$((SV + 1))
        if [ -n "${EQ[$id]+x}" ]; then
            E=$((E + 1))
            printf '%-9s %-34s %s:%s %s\n' equiv "$id" "$file" "$line" "${EQ[$id]}"
        else
            U=$((U + 1))
            UNEXPLAINED+=("$id")
            printf '%-9s %-34s %s:%s %s\n' SURVIVED "$id" "$file" "$line" "$desc"
        fi
    else
        K=$((K + 1))
        printf '%-9s %-34s %s:%s by %s\n' killed "$id" "$file" "$line" "$why"
        [ -n "${EQ[$id]+x}" ] && echo "    note: $id is listed in $EQUIV but was killed; remove it"
    fi
    # back to the original (a new mtime: the next build recompiles it)
    cp "$S/orig/$file" "$S/tree/$file"
done < "$S/selected.tsv"

for id in "${!EQ[@]}"; do
    grep -qFx "$id" "$S/mutants/ids.txt" ||
        echo "mutate: note: $EQUIV lists $id, which is not a mutant any more"
done
[ $U = 0 ] || echo "mutate: unexplained survivors (strengthen a test, or argue equivalence in $EQUIV): ${UNEXPLAINED[*]}"
echo "mutate: $K killed, $SV survived, $I invalid (of $N); $E survivors argued equivalent, $U unexplained; $(($(date +%s) - T0)) s"
[ $U = 0 ]
