# shellcheck shell=sh
# shellcheck disable=SC2154 # root, tmp, trials, me: set by the sourcing script or scratch
# bench/common.sh: what bench/experiments/run.sh and bench/layouts.sh share
# (sourced, not run). Before sourcing: me (the script's name, for
# messages); before scratch: root (the repository); before rate: trials.

# counts_ok RUNS TRIALS: both whole numbers from 1, or exit 2 saying so.
counts_ok() {
    case $1$2 in
    *[!0-9]* | '') echo "$me: RUNS and TRIALS are whole numbers: $1 $2" >&2; exit 2 ;;
    esac
    if [ "$1" -lt 1 ] || [ "$2" -lt 1 ]; then
        echo "$me: RUNS and TRIALS are at least 1: $1 $2" >&2
        exit 2
    fi
}

# scratch: a new scratch directory, tmp, and the traps that remove it and
# every git worktree in it when the script ends.
scratch() {
    tmp=$(mktemp -d)
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

cleanup() {
    for d in "$tmp"/*; do
        if [ -d "$d" ]; then git -C "$root" worktree remove --force "$d" >/dev/null 2>&1 || true; fi
    done
    rm -rf "$tmp"
    # after the removal: a worktree git could not remove is gone now too
    git -C "$root" worktree prune >/dev/null 2>&1 || true
}

# worktree DIR REV: a copy of revision REV at DIR (git's message and exit 1
# if it cannot be made).
worktree() {
    git -C "$root" worktree add --detach "$1" "$2" >"$tmp/git.log" 2>&1 || {
        cat "$tmp/git.log" >&2
        exit 1
    }
}

# build DIR [MAKE ARGUMENTS...]: DIR's bin/gridrisk (make's output and exit
# 1 if it fails).
build() {
    d=$1
    shift
    make -C "$d" -j2 "$@" bin/gridrisk >"$tmp/make.log" 2>&1 || {
        cat "$tmp/make.log" >&2
        exit 1
    }
}

# rate BIN DIR: one run's trial-years/s, from its speed line (stderr), on
# DIR's inputs/pakistan/pakistan.yaml (DIR: the revision's own tree). In a
# command substitution its exit 1 leaves only the substitution: assign it on
# a line of its own (r=$(rate ...)), where set -e sees the failure.
rate() {
    r=$(cd "$2" && "$1" run inputs/pakistan/pakistan.yaml -o "$tmp/out.h5" -n "$trials" -t 1 \
        2>&1 >/dev/null | sed -n 's/.*(\([0-9.]*\) trial-years\/s).*/\1/p' | head -n 1)
    rm -f "$tmp/out.h5"
    if [ -z "$r" ]; then
        echo "$me: $1 gave no speed line (did it fail?)" >&2
        exit 1
    fi
    echo "$r"
}
