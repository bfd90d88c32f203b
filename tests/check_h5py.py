#!/usr/bin/env python3
"""Reads a gridrisk result file with h5py and NumPy only, as a notebook would.

Checks (layout v2, docs/LAYOUT.md): every root metric is (scenario, trial, year); the summary
statistics of each scenario and of each paired difference (scenario - baseline, computed here
from the per-trial values) equal NumPy's (mean, ddof=1 sd, se, default-method quantiles, CVaR
as the mean of the worst ceil(5%), share > 0); LOLP in [0, 1]; parameters present with units.
Usage: check_h5py.py OUT.h5   (exit 0 ok, 1 on the first failure)
"""
import math
import sys

import h5py
import numpy as np

COORDS = {"scenario", "trial", "year"}


def fail(msg):
    print(f"h5py check FAILED: {msg}")
    sys.exit(1)


def main(path):
    f = h5py.File(path, "r")
    if int(f.attrs["format_version"]) != 2:
        fail("format_version")
    scen = [s.decode() if isinstance(s, bytes) else s for s in f["scenario"][:]]
    metrics = [k for k in f.keys() if isinstance(f[k], h5py.Dataset) and k not in COORDS]
    stats = [s.decode() if isinstance(s, bytes) else s for s in f["summary/stat"][:]]
    trials, years = int(f.attrs["trials"]), int(f.attrs["years"])
    if len(scen) < 2:
        fail(f"expected a baseline and alternatives, got {scen}")
    for m in metrics:
        data = f[m][:]
        if data.shape != (len(scen), trials, years):
            fail(f"{m}: shape {data.shape}")
        for name, vals in ((m, data), (m + "_delta", data - data[0])):
            table = f[f"summary/{name}"][:]
            for s in range(len(scen)):
                x = vals[s].mean(axis=1)
                got = dict(zip(stats, table[s]))
                tail = np.sort(x)[len(x) - math.ceil(0.05 * len(x)):]
                want = {"mean": x.mean(), "sd": x.std(ddof=1),
                        "se": x.std(ddof=1) / math.sqrt(len(x)),
                        "p5": np.quantile(x, 0.05), "p50": np.quantile(x, 0.5),
                        "p95": np.quantile(x, 0.95), "p99": np.quantile(x, 0.99),
                        "cvar95": tail.mean(), "min": x.min(), "max": x.max(),
                        "p_positive": (x > 0).mean()}
                for k, v in want.items():
                    if not math.isclose(got[k], v, rel_tol=1e-9, abs_tol=1e-9 * (1 + abs(v))):
                        fail(f"summary/{name}[{scen[s]}] {k}: file {got[k]!r}, numpy {v!r}")
    lolp = f["profiles/lolp"][:]
    if lolp.shape != (len(scen), years, int(f.attrs["hours_per_year"])) or lolp.min() < 0 \
            or lolp.max() > 1:
        fail("profiles/lolp shape or range")
    for d in f["parameters"]:
        if d in ("trial", "year"):
            continue
        if f[f"parameters/{d}"].shape != (trials, years) or not f[f"parameters/{d}"].attrs["units"]:
            fail(f"parameters/{d}")
    print(f"h5py check: {path}: {len(metrics)} metrics x {len(scen)} scenarios, paired "
          f"differences and summaries equal NumPy's, {len(f['parameters']) - 2} parameters: ok")


if __name__ == "__main__":
    main(sys.argv[1])
