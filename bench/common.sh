# shellcheck shell=sh
# shellcheck disable=SC2154 # root, tmp, trials, me: set by the sourcing script
# bench/common.sh: what bench/experiments/run.sh and bench/layouts.sh share
# (sourced, not run). Before sourcing: root (the repository), tmp (a new
# scratch directory), trials and me (the script's name, for messages).
# Sourcing installs the traps that remove tmp and every git worktree in it.

cleanup() {
    for d in "$tmp"/*; do
        if [ -d "$d" ]; then git -C "$root" worktree remove --force "$d" >/dev/null 2>&1 || true; fi
    done
    rm -rf "$tmp"
    # after the removal: a worktree git could not remove is gone now too
    git -C "$root" worktree prune >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

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
