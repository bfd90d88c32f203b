#!/usr/bin/env bash
# rts.sh - the RTS-GMLC figures quoted in the README: gridrisk on PRAS's rts.pras with
# transfer limits and copper plate (same seed: the generators see the same draws), the
# exact copper-plate reference without storage (tests/pras_copt.py), and the speed.
#
#   examples/rts.sh [TRIALS] [BIN]      (defaults: 100000, bin/gridrisk)
set -eu
trials=${1:-100000}
bin=${2:-bin/gridrisk}
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gridrisk-rts-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for mode in network copper_plate; do
    flag=
    [ $mode = copper_plate ] && flag=--copper-plate
    "$bin" run "$here/inputs/pras/rts.pras" -o "$tmp/$mode.h5" -n "$trials" -s 2020 $flag \
        2> "$tmp/$mode.err" > /dev/null
    echo "== $mode: $(grep 'trials/s' "$tmp/$mode.err")"
    "$bin" summary "$tmp/$mode.h5" | tail -n +5
done
echo "== exact copper plate without storage (capacity outage table):"
/usr/bin/python3 "$here/tests/pras_copt.py" "$here/inputs/pras/rts.pras" | grep -E '^(LOLE|EUE)'
