#!/usr/bin/python3
"""README.md's Performance table, from one or more runs of make bench.

    bench/table.py CSV [CSV ...]

Each rate is the median, across the files, of the file's own rate (itself the median of its
repeats); the end-to-end rows add the 1 -> 2 thread speed-ups of every file, lowest to highest,
since a speed-up read from one run moves with the machine's load. Files from different machines
must not be mixed: the script refuses rows whose cpu or git revision differ (a table is one
build on one machine), a file without one of the table's rows, and a row whose checksum
differs from its reference's.
"""
import csv
import statistics
import sys

# (label, [(kernel, variant), ...], how the rates are joined, distance column: which rows)
ROWS = [
    ("Philox, one 32-bit word / one exponential (one at a time, the project's `log`)",
     [("rng", "philox_word"), ("rng", "exponential")], "{} ns / {} ns", [("rng", "exponential")],
     "exponential: {} of 2 words"),
    ("exponentials in batches / one at a time with libm's `log`",
     [("rng", "exponential_batch"), ("rng", "exponential_libm")], "{} ns / {} ns",
     [("rng", "exponential_batch"), ("rng", "exponential_libm")], "{} / {} of 2 words"),
    ("Philox word / exponential for many streams at once (a fleet's first draws, the widest "
     "vectors the processor has: AVX-512 here)",
     [("rng", "philox_many"), ("rng", "exponential_many")], "{} ns / {} ns",
     [("rng", "exponential_many")], "exponential: {} of 2 words"),
    ("outage sampling, the fleet's first draws at once / batched per unit / draw by draw with "
     "libm's `log`: RBTS; RTS-79, per draw",
     [("outage", "fleet"), ("outage", "sample"), ("outage", "walk_libm"), ("outage", "rts79_fleet"),
      ("outage", "rts79"), ("outage", "rts79_walk_libm")], "{} / {} / {} ns; {} / {} / {} ns",
     [("outage", "fleet"), ("outage", "sample"), ("outage", "walk_libm"), ("outage", "rts79_fleet"),
      ("outage", "rts79"), ("outage", "rts79_walk_libm")], "{} / {} / {}; {} / {} / {}"),
    ("capacity-on-outage events, built and sorted", [("events", "build_sort")], "{} ns per event",
     [("events", "build_sort")], "{}"),
    ("the sort alone (RBTS's events of each trial): radix / the merge sort it replaced",
     [("sort", "radix"), ("sort", "merge")], "{} / {} ns per event",
     [("sort", "radix"), ("sort", "merge")], "{} / {} of two copies"),
    ("adequacy on RBTS's events: hour by hour / sorted segments / difference array (same checksum)",
     [("adequacy", "ref"), ("adequacy", "fast"), ("adequacy", "diff")],
     "{} / {} / {} trial-years/s", [("adequacy", "ref"), ("adequacy", "fast"), ("adequacy", "diff")],
     "{} / {} / {}"),
    ("hydro, bisection / Newton (every hour within 3e-12 of the budget)",
     [("hydro", "ref"), ("hydro", "fast")], "{} / {} months/s", [("hydro", "fast")], "- / {}"),
    ("hourly merit dispatch, 12 classes / two-region shedding",
     [("dispatch", "merit"), ("dispatch", "two_region")], "{} / {} ns per hour",
     [("dispatch", "merit")], "{} / -"),
    ("network step, min-cost flow of 5 regions in a ring", [("mcf", "solve")], "{} ns per step",
     [], "-"),
    ("mining paths (price, reward, hashrate)", [("mining", "paths")], "{} ns per day", [], "-"),
    ("summary of 2^20 values, sort / radix select from a 16-bit histogram (the same order statistics)",
     [("summary", "sort"), ("summary", "radix")], "{} / {} ns per value", [("summary", "radix")],
     "- / {}"),
    ("deflate of an RBTS-like table's chunks, libdeflate after the shuffle / zrun (the same table back)",
     [("deflate", "libdeflate"), ("deflate", "zrun")], "{} / {} MB/s", [("deflate", "zrun")],
     "zrun: {} of a copy"),
    ("HDF5 write (deflate, checks and summaries)", [("hdf5", "write")], "{} MB/s",
     [("hdf5", "write")], "{} of a copy"),
]
# (label, kernel, what its events_1_thread row is (None: it has none), whether it has a bound)
E2E = [("RBTS", "rbts", "sorted events", True), ("IEEE RTS-79", "rts79", "sorted events", True),
       ("Pakistan default", "pakistan", "every hour by the full path", False),
       ("RTS-GMLC (PRAS file)", "rts_gmlc", None, False)]


def fmt(x):
    """Three significant figures; thousands separated."""
    r = float(f"{x:.3g}")  # round first, so 999.7 is 1,000 and 99.96 is 100
    if r >= 1000:
        return f"{r:,.0f}"
    if r >= 100:
        return f"{r:.0f}"
    if r >= 10:
        return f"{r:.1f}"
    if r >= 1:
        return f"{r:.2f}"
    return f"{r:.3g}"


def main(paths):
    runs = []
    for p in paths:
        with open(p, newline="") as f:
            rows = list(csv.DictReader(f))
        keys = [(r["kernel"], r["variant"]) for r in rows]
        if not rows or len(set(keys)) != len(keys):
            sys.exit(f"table.py: {p}: no rows, or a kernel/variant twice")
        bad = [f"{k}/{v}" for (k, v), r in zip(keys, rows) if r["verified"] == "0"]
        if bad:
            sys.exit(f"table.py: {p}: checksums differ from their references: {', '.join(bad)}")
        runs.append({k: r for k, r in zip(keys, rows)})
    for key in ("cpu", "git_revision"):
        seen = {r[key] for rows in runs for r in rows.values()}
        if len(seen) != 1:
            sys.exit(f"table.py: the rows differ in {key}: {sorted(seen)}")

    def rates(kv, col="rate"):
        """The value of every file, in file order; every file must have it."""
        out = []
        for p, rows in zip(paths, runs):
            if kv not in rows or rows[kv][col] == "":
                sys.exit(f"table.py: {p}: no {col} for {kv[0]}/{kv[1]}")
            out.append(float(rows[kv][col]))
        return out

    med = lambda kv, col="rate": statistics.median(rates(kv, col))
    print("| kernel | rate | distance from its bound |")
    print("|---|---|---|")
    for label, kvs, how, dkvs, dhow in ROWS:
        rate = how.format(*(fmt(med(kv)) for kv in kvs))
        dist = dhow.format(*(f"{med(kv, 'distance'):.2g}" for kv in dkvs))
        print(f"| {label} | {rate} | {dist} |")
    for label, k, events, bounded in E2E:
        one, two = rates((k, "1_thread")), rates((k, "2_threads"))
        ups = sorted(b / a for a, b in zip(one, two))
        span = f"{ups[0]:.2f}x" if len(ups) == 1 else f"{ups[0]:.2f}-{ups[-1]:.2f}x"
        parts = ([fmt(med((k, "events_1_thread")))] if events else []) + [
            fmt(statistics.median(one)), fmt(statistics.median(two))]
        names = (f"{events}, 1 thread / default, 1 thread / 2 threads" if events
                 else "1 / 2 threads")
        dist = f"{med((k, '1_thread'), 'distance'):.2g}" if bounded else "-"
        print(f"| {label} end to end, {names} | {' / '.join(parts)} trial-years/s "
              f"(1 -> 2 threads {span}) | {dist} |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
