#!/usr/bin/env bash
# run.sh - the bad-input catalogue: runs every case of cases.tsv against a
# gridrisk binary and checks its exit status, its message and its output.
#
#   tests/bad/run.sh BIN [-v] [ID...]     (-v: a line for every case)
#
# cases.tsv has one case a line, tab-separated:
#   id  command  args  exit  fragment  flags  about
# `-` stands for an empty field (bash's read would merge empty tab fields).
# args are split on blanks and run from this directory, so paths in them
# and in the case files are relative to tests/bad; @SCRATCH@ names this
# run's scratch directory. fragment must occur in stderr (a fixed string).
# flags, comma-separated:
#   xfail      the binary is known to get this case wrong (listed in the
#              manifest with the right expectation); it is reported as
#              XFAIL, and an XPASS fails the run so the mark gets removed
#   keep       a `run` case whose -o file exists beforehand and must be left
#              byte-identical
#   keep=F     the same with the -o file a copy of F (a path, @SCRATCH@ allowed):
#              a file of the user's that looks like a result, e.g. a PRAS system
#   noout      a `run` case that gets no -o
#   timeout=N  seconds before the case counts as a hang (default 20)
#   partial=F  a `run` case that finds F (a path, @SCRATCH@ allowed) as its checkpoint
#              (OUT.h5.partial): copied there, or linked if F is not a regular file; it
#              must be left as it was. Without it, a failing case must leave no checkpoint.
#
# For `run` and `frontier` cases the runner adds `-o SCRATCH/ID/out.h5`; a failing case
# must leave no output file and no *.tmp.* beside it, a passing one must
# leave the file. Each case runs under timeout(1), so a hang is reported as
# a failure instead of stalling the suite.
#
# Setup: *.in files are copied to the scratch directory with @BAD@ (this
# directory) and @SCRATCH@ filled in, FIFOs are made at SCRATCH/fifo.csv and
# SCRATCH/fifo.pras, deeply nested YAML, YAML with 100,000 anchors or aliases
# and CSV headers of 300,000 columns are generated there (too large to keep in
# git), and pras/make_bad.py writes the .pras cases to SCRATCH/pras/
# (binary files, so not kept in git either).
#
# A failure is printed as FAIL[kind], kind being one of: hang (timed out),
# crash (killed by a signal), accepted (exit 0 where an error was expected),
# exit (another exit status), message (fragment not in stderr), output (an
# output or temporary file left, or a kept file changed). The last line is
# `catalogue: N passed, M failed`; the exit status is 1 if M > 0.
set -u

if [ $# -lt 1 ]; then
    echo "usage: $0 BIN [-v] [ID...]" >&2
    exit 2
fi
bin=$1
shift
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
if [ ! -x "$bin" ]; then
    echo "$0: $bin is not an executable" >&2
    exit 2
fi
verbose=0
if [ "${1-}" = -v ]; then
    verbose=1
    shift
fi
only=" $* "

here=$(cd "$(dirname "$0")" && pwd)
cd "$here" || exit 2
scratch=$(mktemp -d "${TMPDIR:-/tmp}/gridrisk-bad-XXXXXX") || exit 2
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT TERM

for f in *.in; do
    [ -e "$f" ] || continue
    sed -e "s#@BAD@#$here#g" -e "s#@SCRATCH@#$scratch#g" "$f" >"$scratch/${f%.in}"
done
mkfifo "$scratch/fifo.csv" "$scratch/fifo.pras"
if ! /usr/bin/python3 pras/make_bad.py "$scratch/pras" >"$scratch/make_bad.log" 2>&1; then
    echo "setup: pras/make_bad.py failed (the pras_* cases will fail):"
    tail -n 5 "$scratch/make_bad.log"
fi
if ! /usr/bin/python3 make_ckpt.py "$scratch/ckpt" >"$scratch/make_ckpt.log" 2>&1; then
    echo "setup: make_ckpt.py failed (the resume_* cases will fail):"
    tail -n 5 "$scratch/make_ckpt.log"
fi
# Flow collections nested 100,000 deep (libyaml's scanner is quadratic in
# the nesting depth) and a 1,000,000-deep sequence.
nest() { head -c "$1" /dev/zero | tr '\0' "$2"; }
{ printf 'name: deep\ndescription: '; nest 100000 '{' | sed 's/{/{a: /g'; printf 1; nest 100000 '}'; echo; } >"$scratch/deep_flow_map.yaml"
{ printf 'name: deep\ndescription: '; nest 1000000 '['; nest 1000000 ']'; echo; } >"$scratch/deep_flow_seq.yaml"
# 100,000 anchors, and 100,000 aliases of one (libyaml's loader checks each anchor against
# every earlier one and looks each alias up among them all), and CSV headers of 300,000 names, distinct and with the last repeating the
# first (the duplicate check compared every pair once): all under 3 MB.
{ printf 'name: anchors\njunk: ['; seq 0 99999 | sed 's/.*/\&a& 1,/' | tr -d '\n'; echo '1]'; } >"$scratch/anchors_many.yaml"
{ printf 'name: aliases\njunk: [&a 1'; nest 100000 , | sed 's/,/, *a/g'; echo ']'; } >"$scratch/aliases_many.yaml"
wide() { seq 0 299998 | sed 's/^/c/'; echo "$1"; }
{ wide c299999 | paste -sd, -; yes 1 | head -n 300000 | paste -sd, -; } >"$scratch/wide.csv"
{ wide c0 | paste -sd, -; yes 1 | head -n 300000 | paste -sd, -; } >"$scratch/wide_dup.csv"

# A run's result and a frontier's CSV, which the other command must not replace, and an
# output path that is a symbolic link (the final rename would replace the link).
if ! "$bin" run ../../inputs/rbts/rbts.yaml -n 5 -q -o "$scratch/result.h5" >/dev/null 2>&1; then
    echo "setup: the RBTS run for result.h5 failed (the *_result cases will fail)"
fi
printf 'variant,mw,verdict\nv,0,met\n' >"$scratch/frontier.csv"
ln -s "$scratch/nowhere.h5" "$scratch/link_out.h5"

has() { case ",$flags," in *,"$1",*) return 0 ;; esac; return 1; }

pass=0 failn=0 xfail=0
xfail_ids=
while IFS=$'\t' read -r id cmd args want frag flags about; do
    case $id in '' | '#'*) continue ;; esac
    if [ "$only" != "  " ] && [ "${only#* "$id" }" = "$only" ]; then continue; fi
    [ "$args" = - ] && args=
    [ "$frag" = - ] && frag=
    [ "$flags" = - ] && flags=
    limit=20
    case ",$flags," in *,timeout=*) limit=${flags#*timeout=}; limit=${limit%%,*} ;; esac

    dir=$scratch/case/$id
    mkdir -p "$dir"
    out=$dir/out.h5
    # shellcheck disable=SC2086 # args are meant to split on blanks
    set -- ${args//@SCRATCH@/$scratch}
    prog=$bin
    if [ "$cmd" = - ]; then
        set -- "$@"
    else
        set -- "$cmd" "$@"
        if { [ "$cmd" = run ] || [ "$cmd" = frontier ]; } && ! has noout; then
            set -- "$@" -o "$out"
        fi
    fi
    keep=
    case ",$flags," in *,keep=*) keep=${flags#*keep=}; keep=${keep%%,*} ;; esac
    keep=${keep//@SCRATCH@/$scratch}
    if has keep; then
        printf 'an earlier result of case %s\n' "$id" >"$out"
    elif [ -n "$keep" ]; then
        cp "$keep" "$out"
    fi
    [ -f "$out" ] && cp "$out" "$dir/kept"
    partial=
    case ",$flags," in *,partial=*) partial=${flags#*partial=}; partial=${partial%%,*} ;; esac
    partial=${partial//@SCRATCH@/$scratch}
    if [ -n "$partial" ]; then
        if [ -f "$partial" ]; then
            cp "$partial" "$out.partial"
            cp "$partial" "$dir/partial.kept"
        else
            ln -s "$partial" "$out.partial"
        fi
    fi
    # grouped, so that bash's "Segmentation fault" notice goes nowhere
    { timeout -k 5 "$limit" "$prog" "$@" </dev/null >"$dir/stdout" 2>"$dir/stderr"; } 2>/dev/null
    rc=$?

    kind=
    if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
        kind=hang
    elif [ $rc -ge 128 ]; then
        kind=crash
    elif [ "$rc" != "$want" ]; then
        if [ $rc -eq 0 ]; then kind=accepted; else kind=exit; fi
    elif [ -n "$frag" ] && ! grep -qF -- "$frag" "$dir/stderr"; then
        kind=message
    elif { [ "$cmd" = run ] || [ "$cmd" = frontier ]; } && ! has noout; then
        if [ -f "$dir/kept" ]; then
            cmp -s "$out" "$dir/kept" || kind=output
        elif [ "$want" = 0 ]; then
            [ -f "$out" ] || kind=output
        elif [ -e "$out" ]; then
            kind=output
        fi
        if [ -n "$(find "$dir" -name '*.tmp.*' -print -quit)" ]; then kind=output; fi
        if [ -f "$dir/partial.kept" ]; then
            cmp -s "$out.partial" "$dir/partial.kept" || kind=output
        elif [ -z "$partial" ] && [ -e "$out.partial" ]; then
            kind=output
        fi
    fi

    msg=$(head -c 300 "$dir/stderr" | tr '\n' ' ')
    if [ -z "$kind" ]; then
        if has xfail; then
            failn=$((failn + 1))
            echo "XPASS $id: passes now; remove its xfail mark in cases.tsv"
        else
            pass=$((pass + 1))
            [ $verbose = 1 ] && echo "ok    $id"
        fi
    elif has xfail; then
        xfail=$((xfail + 1))
        xfail_ids="$xfail_ids $id"
        [ $verbose = 1 ] && echo "XFAIL[$kind] $id: exit $rc (want $want): $msg"
    else
        failn=$((failn + 1))
        echo "FAIL[$kind] $id: exit $rc (want $want, '$frag'): $msg"
        echo "      $about"
    fi
done <cases.tsv

if [ $xfail -gt 0 ]; then
    echo "catalogue: $xfail known defects (xfail):$xfail_ids"
fi
echo "catalogue: $pass passed, $failn failed"
[ $failn -eq 0 ]
