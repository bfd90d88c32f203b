#!/usr/bin/python3
"""The kernel benchmark suite (bench/bench.c) end to end, in its quick mode.

Runs BIN's sibling gridrisk-bench with -q --csv and checks what `make bench` promises:
1. it exits 0 and writes a CSV whose columns are exactly those bench/README.md documents;
2. every kernel of the suite is there, each with its machine facts (host, cpu, compiler, flags,
   revision);
3. every variant that names a reference has the reference's checksum, read from the CSV (not
   from the program's own verdict), and says so (verified 1);
4. the figures are consistent: min <= median <= max, a positive rate in its unit, the rate's
   spread around it, and a bound (where one is stated) that is a rate of the same unit.
Prints one line per check and `bench: N passed, M failed`; exit 1 on any failure.
Usage: /usr/bin/python3 tests/check_bench.py BIN
"""
import csv
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
COLUMNS = ["host", "date", "cpu", "cores", "compiler", "flags", "git_revision", "kernel",
           "variant", "reference", "threads", "unit", "work", "repeats", "median_s", "min_s",
           "max_s", "rate", "rate_min", "rate_max", "checksum", "verified", "bound_rate",
           "distance", "bound_from"]
KERNELS = {("rng", "philox_word"), ("rng", "exponential"), ("pass", "in_cache"),
           ("pass", "from_memory"), ("copy", "memcpy"), ("outage", "sample"),
           ("events", "build_sort"), ("events", "pass"), ("adequacy", "ref"), ("adequacy", "fast"),
           ("hydro", "ref"), ("hydro", "fast"), ("summary", "sort"), ("summary", "radix"),
           ("hdf5", "write"), ("rbts", "1_thread"), ("rbts", "2_threads"),
           ("pakistan", "1_thread"), ("pakistan", "2_threads"), ("rts_gmlc", "1_thread"),
           ("rts_gmlc", "2_threads")}

passed = failed = 0


def check(ok, what):
    global passed, failed
    print(("ok   " if ok else "FAIL ") + what)
    passed, failed = passed + bool(ok), failed + (not ok)
    return ok


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    bench = os.path.join(os.path.dirname(os.path.abspath(sys.argv[1])), "gridrisk-bench")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "bench.csv")
        r = subprocess.run([bench, "-q", "--csv", out], cwd=REPO, capture_output=True, text=True,
                           timeout=600, env=dict(os.environ, TMPDIR=tmp))
        if not check(r.returncode == 0 and os.path.exists(out),
                     f"gridrisk-bench -q exits 0 and writes its CSV ({r.stdout[-300:]} "
                     f"{r.stderr[-300:]})"):
            return 1
        with open(out, newline="") as f:
            rd = csv.reader(f)
            header = next(rd)
            rows = [dict(zip(header, row)) for row in rd]
    check(header == COLUMNS, f"the CSV's columns are the documented ones ({header})")
    have = {(x["kernel"], x["variant"]) for x in rows}
    check(have == KERNELS, f"every kernel of the suite, once (missing {sorted(KERNELS - have)}, "
                           f"unexpected {sorted(have - KERNELS)})")
    check(all(x["host"] and x["cpu"] and x["compiler"] and x["flags"] and x["git_revision"]
              and int(x["cores"]) >= 1 for x in rows), "each row names its machine and build")
    by = {(x["kernel"], x["variant"]): x for x in rows}
    refs = [x for x in rows if x["reference"]]
    check(len(refs) >= 6, f"{len(refs)} variants are checked against a reference")
    for x in refs:
        ref = by.get((x["kernel"], x["reference"]))
        check(ref is not None and x["checksum"] == ref["checksum"] and x["verified"] == "1",
              f"{x['kernel']}/{x['variant']}: checksum {x['checksum']} equals "
              f"{x['reference']}'s {ref['checksum'] if ref else '(none)'}")
    for x in rows:
        lo, med, hi = float(x["min_s"]), float(x["median_s"]), float(x["max_s"])
        rate, rlo, rhi = float(x["rate"]), float(x["rate_min"]), float(x["rate_max"])
        ok = 0 < lo <= med <= hi and rate > 0 and rlo <= rate <= rhi and x["repeats"] == "2"
        if x["bound_rate"]:
            ok = ok and float(x["bound_rate"]) > 0 and float(x["distance"]) > 0 and x["bound_from"]
        check(ok, f"{x['kernel']}/{x['variant']}: {rate:.4g} {x['unit']} "
                  f"(min {lo:.3g} s, median {med:.3g} s, max {hi:.3g} s, bound "
                  f"{x['bound_rate'] or '-'})")
    print(f"bench: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
