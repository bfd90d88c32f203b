#!/usr/bin/env python3
"""Reads a gridrisk result file with h5py and NumPy only, as a notebook would.

Checks: the documented layout; /delta == allocation - baseline exactly, per trial and year;
the summary statistics equal NumPy's (mean, ddof=1 sd, se, default-method quantiles, CVaR as
the mean of the worst ceil(5%)); LOLP in [0, 1]; drivers present with units.
Usage: check_h5py.py OUT.h5   (exit 0 ok, 1 on the first failure)
"""
import math
import sys

import h5py
import numpy as np


def fail(msg):
    print(f"h5py check FAILED: {msg}")
    sys.exit(1)


def main(path):
    f = h5py.File(path, "r")
    scen = f.attrs["scenarios"].split(",")
    metrics = f.attrs["metrics"].split(",")
    stats = f.attrs["stats"].split(",")
    trials, years = int(f.attrs["trials"]), int(f.attrs["years"])
    if len(scen) != 2:
        fail(f"expected baseline + one alternative, got {scen}")
    for m in metrics:
        base, alt, delta = f[f"{scen[0]}/{m}"][:], f[f"{scen[1]}/{m}"][:], f[f"delta/{m}"][:]
        if base.shape != (trials, years):
            fail(f"{m}: shape {base.shape}")
        if not np.array_equal(delta, alt - base):
            fail(f"delta/{m} differs from {scen[1]} - {scen[0]}")
        for group, data in ((scen[0], base), ("delta", delta)):
            x = data.mean(axis=1)
            got = dict(zip(stats, f[f"{group}/summary/{m}"][:]))
            tail = np.sort(x)[len(x) - math.ceil(0.05 * len(x)):]
            want = {"mean": x.mean(), "sd": x.std(ddof=1), "se": x.std(ddof=1) / math.sqrt(len(x)),
                    "p5": np.quantile(x, 0.05), "p50": np.quantile(x, 0.5),
                    "p95": np.quantile(x, 0.95), "p99": np.quantile(x, 0.99),
                    "cvar95": tail.mean(), "min": x.min(), "max": x.max()}
            for k, v in want.items():
                if not math.isclose(got[k], v, rel_tol=1e-9, abs_tol=1e-9 * (1 + abs(v))):
                    fail(f"{group}/summary/{m} {k}: file {got[k]!r}, numpy {v!r}")
    lolp = f[f"{scen[0]}/lolp_hourly"][:]
    if lolp.shape != (years, int(f.attrs["hours_per_year"])) or lolp.min() < 0 or lolp.max() > 1:
        fail("lolp_hourly shape or range")
    for d in f.attrs["drivers"].split(","):
        if f[f"drivers/{d}"].shape != (trials, years) or not f[f"drivers/{d}"].attrs["units"]:
            fail(f"drivers/{d}")
    print(f"h5py check: {path}: {len(metrics)} metrics x {len(scen)} scenarios, delta exact, "
          f"summaries equal NumPy's, {len(f['drivers'])} drivers: ok")


if __name__ == "__main__":
    main(sys.argv[1])
