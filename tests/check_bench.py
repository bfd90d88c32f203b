#!/usr/bin/python3
"""The kernel benchmark suite (bench/bench.c) end to end, in its quick mode.

Runs BIN's sibling gridrisk-bench with -q --csv and checks what `make bench` promises:
1. it exits 0 and writes a CSV whose columns are exactly those bench/README.md's column table
   lists, in its order;
2. every kernel of the suite is there once, each with its machine facts, and exactly the
   documented variants name a reference;
3. every such variant reproduces its reference, read from the CSV (not the program's verdict):
   the same checksum, but for hydro, whose solvers agree to a tolerance the program checks;
   the end-to-end runs report 1 and 2 threads as labelled; the event-segment adequacy kernel is
   faster than the hour-by-hour one (it is tens of times: a "fast" variant that ran the
   reference would tie);
4. checksums are not trivial: no two kernels share one unless one is the other's reference,
   none is the checksum of nothing;
5. the figures are consistent: work > 0, min <= median <= max, the rate recomputed from work
   and median in its unit, its spread around it, and a bound (where stated) that is a lower
   bound (distance at most 1.25, timing noise allowed) consistent with the rate;
6. the what-if patches of bench/experiments apply to the checkout (`git apply --check`: a
   patch the model's code has moved away from would stop bench/experiments/run.sh, and the
   README's bounds from it could not be measured again), and the comparison scripts
   (bench/experiments/run.sh, bench/layouts.sh) refuse bad arguments with exit 2 before
   building anything.
Prints one line per check and `bench: N passed, M failed`; exit 1 on any failure.
Usage: /usr/bin/python3 tests/check_bench.py BIN
"""
import csv
import math
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
KERNELS = {("rng", "philox_word"), ("rng", "exponential"), ("rng", "exponential_batch"),
           ("rng", "exponential_libm"), ("rng", "philox_many_portable"), ("rng", "philox_many"),
           ("rng", "exponential_many_portable"), ("rng", "exponential_many"),
           ("outage", "fleet"), ("outage", "rts79_fleet"), ("pass", "in_cache"),
           ("pass", "from_memory"), ("copy", "memcpy"), ("outage", "sample"),
           ("outage", "walk_libm"), ("outage", "rts79"), ("outage", "rts79_walk_libm"),
           ("events", "build_sort"), ("sort", "merge"), ("sort", "radix"), ("events", "pass"), ("adequacy", "ref"), ("adequacy", "fast"),
           ("adequacy", "diff"), ("rbts", "events_1_thread"), ("rts79", "events_1_thread"),
           ("pakistan", "events_1_thread"),
           ("rts79", "1_thread"), ("rts79", "2_threads"),
           ("hydro", "ref"), ("hydro", "fast"), ("dispatch", "merit"), ("dispatch", "two_region"),
           ("mcf", "solve"), ("mining", "paths"), ("summary", "sort"), ("summary", "radix"),
           ("deflate", "libdeflate"), ("deflate", "zrun"),
           ("hdf5", "write"), ("rbts", "1_thread"), ("rbts", "2_threads"),
           ("pakistan", "1_thread"), ("pakistan", "2_threads"), ("rts_gmlc", "1_thread"),
           ("rts_gmlc", "2_threads")}
REFERENCES = {("deflate", "zrun", "libdeflate"),
              ("rng", "exponential_batch", "exponential"), ("outage", "sample", "walk_libm"),
              ("rng", "philox_many_portable", "philox_word"), ("rng", "philox_many", "philox_word"),
              ("rng", "exponential_many_portable", "exponential"),
              ("rng", "exponential_many", "exponential"), ("outage", "fleet", "walk_libm"),
              ("outage", "rts79_fleet", "rts79_walk_libm"),
              ("outage", "rts79", "rts79_walk_libm"), ("sort", "radix", "merge"),
              ("adequacy", "fast", "ref"), ("adequacy", "diff", "ref"), ("hydro", "fast", "ref"),
              ("summary", "radix", "sort"), ("rbts", "1_thread", "events_1_thread"),
              ("rbts", "2_threads", "1_thread"), ("rts79", "1_thread", "events_1_thread"),
              ("rts79", "2_threads", "1_thread"), ("pakistan", "2_threads", "1_thread"),
              ("pakistan", "1_thread", "events_1_thread"),
              ("rts_gmlc", "2_threads", "1_thread")}
BY_TOLERANCE = {"hydro"}  # the solvers agree to 1e-6 of a month's budget, not to the bit
FNV_OF_NOTHING = "cbf29ce484222325"


def documented_columns():
    """The backticked names of bench/README.md's column table, in order."""
    with open(os.path.join(REPO, "bench", "README.md")) as f:
        text = f.read()
    table = text.split("## CSV columns", 1)[1]
    cols = []
    for line in table.splitlines():
        if line.startswith("| `"):
            cols += re.findall(r"`([a-z_]+)`", line.split("|")[1])
    return cols


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
    cols = documented_columns()
    check(header == cols, f"the CSV's columns are bench/README.md's ({header} vs {cols})")
    have = [(x["kernel"], x["variant"]) for x in rows]
    check(sorted(have) == sorted(KERNELS), f"every kernel of the suite, once (missing "
          f"{sorted(KERNELS - set(have))}, unexpected {sorted(set(have) - KERNELS)})")
    check(all(x["host"] and x["cpu"] and x["compiler"] and x["flags"] and x["git_revision"]
              and int(x["cores"]) >= 1 for x in rows), "each row names its machine and build")
    by = {(x["kernel"], x["variant"]): x for x in rows}
    refs = {(x["kernel"], x["variant"], x["reference"]) for x in rows if x["reference"]}
    check(refs == REFERENCES, f"the variants with a reference are the documented ones ({refs})")
    linked = set()
    for k, v, rname in sorted(refs):
        x, ref = by[(k, v)], by.get((k, rname))
        same = ref is not None and x["checksum"] == ref["checksum"]
        ok = ref is not None and x["verified"] == "1" and (same or k in BY_TOLERANCE)
        check(ok, f"{k}/{v} reproduces {rname}: checksum {x['checksum']} vs "
                  f"{ref['checksum'] if ref else '(none)'}, verified {x['verified']}")
        if same:
            linked.add(x["checksum"])
    for k in ("rbts", "rts79", "pakistan", "rts_gmlc"):
        check(by[(k, "1_thread")]["threads"] == "1" and by[(k, "2_threads")]["threads"] == "2",
              f"{k}: the runs report 1 and 2 threads")
    ref = by[("adequacy", "ref")]
    for v in ("fast", "diff"):
        fast = by[("adequacy", v)]
        check(float(fast["median_s"]) * 3 < float(ref["median_s"]),
              f"adequacy: {v} {fast['median_s']} s against ref {ref['median_s']} s")
    counts = {}
    for x in rows:
        counts[x["checksum"]] = counts.get(x["checksum"], 0) + 1
    shared = sorted(c for c, n in counts.items() if n > 1 and c not in linked)
    check(not shared and FNV_OF_NOTHING not in counts,
          f"checksums are the kernels' own (shared without a reference: {shared})")
    for x in rows:
        work, lo, med, hi = (float(x[c]) for c in ("work", "min_s", "median_s", "max_s"))
        rate, rlo, rhi = float(x["rate"]), float(x["rate_min"]), float(x["rate_max"])
        per_item = x["unit"].startswith("ns/")
        want = med * 1e9 / work if per_item else work / med if med > 0 else math.inf
        ok = (work > 0 and 0 < lo <= med <= hi and math.isfinite(rate) and rate > 0
              and abs(rate - want) <= 1e-6 * want and rlo <= rate <= rhi and x["repeats"] == "2")
        if x["bound_rate"]:
            b, d = float(x["bound_rate"]), float(x["distance"])
            implied = b / rate if per_item else rate / b
            ok = ok and b > 0 and 0 < d <= 1.25 and abs(d - implied) <= 1e-3 * implied + 1e-4 \
                and x["bound_from"]
        check(ok, f"{x['kernel']}/{x['variant']}: {rate:.4g} {x['unit']} "
                  f"(min {lo:.3g} s, median {med:.3g} s, max {hi:.3g} s, bound "
                  f"{x['bound_rate'] or '-'}, distance {x['distance'] or '-'})")
    check_scripts()
    print(f"bench: {passed} passed, {failed} failed")
    return 1 if failed else 0


def check_scripts():
    """Item 6: the what-if patches apply; the scripts refuse bad arguments."""
    exp = os.path.join(REPO, "bench", "experiments")
    git = subprocess.run(["git", "-C", REPO, "rev-parse", "--is-inside-work-tree"],
                         capture_output=True, text=True)
    patches = sorted(f for f in os.listdir(exp) if f.endswith(".patch"))
    check(patches, f"bench/experiments has its what-if patches ({patches})")
    if git.returncode != 0:
        print("note: not a git checkout: the patches' `git apply --check` is skipped")
    for f in patches if git.returncode == 0 else []:
        r = subprocess.run(["git", "-C", REPO, "apply", "--check", os.path.join(exp, f)],
                           capture_output=True, text=True)
        check(r.returncode == 0, f"bench/experiments/{f} applies ({r.stderr.strip()[:200]})")
    layouts, run = os.path.join(REPO, "bench", "layouts.sh"), os.path.join(exp, "run.sh")
    bad = [[layouts], [layouts, "HEAD"], [layouts, "HEAD", "no-such-revision-x"],
           [layouts, "HEAD", "HEAD", "x"], [layouts, "HEAD", "HEAD", "0"],
           [layouts, "HEAD", "HEAD", "1", "1", "extra"], [run, "x"], [run, "0"],
           [run, "1", "1e3"]]
    for args in bad if git.returncode == 0 else bad[:2]:
        r = subprocess.run(["sh"] + args, cwd=REPO, capture_output=True, text=True, timeout=60)
        check(r.returncode == 2 and r.stderr.strip(),
              f"{' '.join(os.path.relpath(a, REPO) if a.startswith('/') else a for a in args)}"
              f": exit {r.returncode} ({r.stderr.strip()[:120]})")


if __name__ == "__main__":
    sys.exit(main())
