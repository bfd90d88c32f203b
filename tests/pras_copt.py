#!/usr/bin/python3
"""Exact copper-plate LOLE and EUE of a .pras system without storage, by capacity outage table.

The reference for gridrisk's Monte Carlo on rts.pras (/work/shared/data/pras/rts.pras, see
its README.md), written apart from gridrisk's reader: it reads the file with h5py on its own
terms and makes the simplest model of it that PRAS's simulation reduces to when
  - every region is merged into one (copper plate: transfer limits and lines ignored),
  - storages and generator-storages are left out (tests/data/pras/make_rts_nostorage.py
    writes the matching file for the Monte Carlo run),
  - each generator is a two-state Markov chain with constant failure/repair probabilities
    (asserted), started in its steady state mu/(lambda+mu) as PRAS starts it
    (PRASCore.jl/src/Simulations/utils.jl initialize_availability!); with constant
    probabilities the chain stays in its steady state, so each hour's available capacity is a
    sum of independent two-state units and the hours need no joint treatment.
Per hour t, with X_t the available generation and L_t the (summed) load,
    LOLP_t = P(X_t < L_t),   EUE_t = E[(L_t - X_t)+] x step length,
and LOLE = sum of LOLP_t (shortfall steps per period, PRAS's LOLE), EUE = sum of EUE_t (MWh).

X_t = D_t + T + H_t: D_t the units that are always up (mu/(lambda+mu) = 1; the wind and solar
of rts.pras), T the units that can fail and have one capacity all year (the thermal fleet: one
capacity outage probability table, built once by convolution), H_t the units that can fail
and whose capacity varies (hydro: their table is convolved once per distinct capacity vector,
3,939 in rts.pras). With C0(j) = P(T <= j) and C1(j) = E[T; T <= j] tabulated, for m = L_t - D_t
    LOLP_t = sum_h P(H_t = h) C0(m - h - 1)
    EUE_t  = sum_h P(H_t = h) [(m - h) C0(m - h - 1) - C1(m - h - 1)].
Capacities are integers (MW), so the tables are indexed by MW.

Usage: pras_copt.py [FILE.pras] [--json OUT.json|-]      (FILE defaults to rts.pras)
       pras_copt.py --self-test    against PRAS's published copper-plate values of the small
                                   test systems, and a direct convolution of sample hours
"""
import argparse
import json
import sys
import time

import h5py
import numpy as np

RTS = "/work/shared/data/pras/rts.pras"
STEP_HOURS = {"sec": 1 / 3600, "min": 1 / 60, "h": 1.0, "d": 24.0}


def _text(v):
    return v.decode("ascii") if isinstance(v, bytes) else str(v)


def convolve_unit(dist, cap, p_up):
    """Distribution of (X + unit) from that of X: the unit adds `cap` MW with probability
    p_up."""
    out = np.zeros(dist.size + cap)
    out[:dist.size] += (1.0 - p_up) * dist
    out[cap:] += p_up * dist
    return out


def copt(path):
    t0 = time.perf_counter()
    with h5py.File(path, "r") as f:
        a = f.attrs
        steps = int(a["timestep_count"])
        step_h = int(a["timestep_length"]) * STEP_HOURS[_text(a["timestep_unit"])]
        assert _text(a["power_unit"]) == "MW" and _text(a["energy_unit"]) == "MWh", \
            "MW/MWh expected"
        load = np.asarray(f["regions/load"][()], dtype=np.int64)
        cap = np.asarray(f["generators/capacity"][()], dtype=np.int64)
        lam = np.asarray(f["generators/failureprobability"][()], dtype=np.float64)
        mu = np.asarray(f["generators/repairprobability"][()], dtype=np.float64)
        left_out = [g for g in ("storages", "generatorstorages", "demandresponses",
                                "interfaces", "lines") if g in f]
    n_regions = load.shape[1]
    assert load.shape == (steps, n_regions) and cap.shape[0] == steps, "[timesteps][entities]"
    assert np.all(load >= 0) and np.all(cap >= 0)
    # constant probabilities per unit: the steady state is then every hour's marginal
    assert np.all(lam == lam[0]) and np.all(mu == mu[0]), \
        "failure/repair probabilities vary over time: the per-hour marginal is not steady"
    lam0, mu0 = lam[0], mu[0]
    assert np.all(lam0 + mu0 > 0), "a unit with lambda = mu = 0 has no steady state"
    p_up = mu0 / (lam0 + mu0)
    demand = load.sum(axis=1)  # copper plate

    always = p_up == 1.0
    never = p_up == 0.0
    random = ~always & ~never
    fixed_cap = np.all(cap == cap[0], axis=0)
    thermal = np.flatnonzero(random & fixed_cap)
    varying = np.flatnonzero(random & ~fixed_cap)

    # T: one table for the units with one capacity
    dist_t = np.ones(1)
    for i in thermal:
        dist_t = convolve_unit(dist_t, int(cap[0, i]), float(p_up[i]))
    k = np.arange(dist_t.size, dtype=np.float64)
    c0 = np.cumsum(dist_t)
    c1 = np.cumsum(dist_t * k)
    c0[-1], mean_t = 1.0, float(c1[-1])

    def tail(j):
        """C0(j), C1(j) for integer arrays j (0 below the table, the totals above it)."""
        jj = np.clip(j, 0, dist_t.size - 1)
        below = j < 0
        return np.where(below, 0.0, c0[jj]), np.where(below, 0.0, c1[jj])

    # D_t and m = L_t - D_t
    m = demand - cap[:, always].sum(axis=1)

    lolp = np.empty(steps)
    eue = np.empty(steps)
    # H_t: group hours by their capacity vector of the varying random units
    vcap = cap[:, varying]
    keys, inverse = np.unique(vcap, axis=0, return_inverse=True)
    inverse = np.asarray(inverse).ravel()
    for g in range(keys.shape[0]):
        hours = np.flatnonzero(inverse == g)
        dist_h = np.ones(1)
        for col, i in enumerate(varying):
            dist_h = convolve_unit(dist_h, int(keys[g, col]), float(p_up[i]))
        h = np.flatnonzero(dist_h > 0)
        q = dist_h[h]
        j = m[hours][:, None] - h[None, :] - 1  # [hour][h]
        C0, C1 = tail(j)
        lolp[hours] = C0 @ q
        eue[hours] = ((j + 1) * C0 - C1) @ q * step_h
    return dict(
        file=path, steps=steps, step_hours=step_h, regions_merged=n_regions,
        generators=int(cap.shape[1]), always_up=int(always.sum()), never_up=int(never.sum()),
        fixed_capacity_random=int(thermal.size), varying_capacity_random=int(varying.size),
        varying_capacity_vectors=int(keys.shape[0]), left_out=left_out,
        thermal_table_mw=int(dist_t.size - 1), thermal_mean_mw=mean_t,
        lole_steps=float(lolp.sum()), lole_hours=float(lolp.sum()) * step_h,
        eue_mwh=float(eue.sum()),
        peak_lolp=float(lolp.max()), seconds=round(time.perf_counter() - t0, 2),
        lolp=lolp, eue_by_step=eue)


def direct_hour(path, t):
    """LOLP and EUE of step t by convolving every unit that can fail into one table, no
    grouping and no tail formulas: the slow way, for the self-test."""
    with h5py.File(path, "r") as f:
        demand = int(np.asarray(f["regions/load"][t], dtype=np.int64).sum())
        cap = np.asarray(f["generators/capacity"][t], dtype=np.int64)
        lam = np.asarray(f["generators/failureprobability"][t], dtype=np.float64)
        mu = np.asarray(f["generators/repairprobability"][t], dtype=np.float64)
        step_h = int(f.attrs["timestep_length"]) * STEP_HOURS[_text(f.attrs["timestep_unit"])]
    dist = np.ones(1)
    for c, p in zip(cap, mu / (lam + mu)):
        dist = convolve_unit(dist, int(c), float(p))
    x = np.arange(dist.size)
    short = x < demand
    return float(dist[short].sum()), float((dist[short] * (demand - x[short])).sum()) * step_h


def self_test():
    """The table against PRAS's published copper-plate values of the no-storage test systems
    (TestData.jl at fbde94e, as in tests/data/pras/expected.tsv), and against the direct
    convolution on the 20 riskiest hours of rts.pras plus 20 others."""
    import os
    data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "pras")
    bad = 0
    # (system, LOLE, EUE, rounding of each): single-region systems are their own copper plate
    for name, lole, eue, tl, te in (
            ("singlenode_a", 0.355, 1.59, 5e-4, 5e-3),
            ("singlenode_a_5min", 0.355, 1.59 / 12, 5e-4, 5e-3 / 12),
            ("singlenode_b", 0.96, 7.11, 5e-3, 5e-3),
            ("threenode", 1.17877, 11.73276, 5e-6, 5e-6)):  # threenode_*_copperplate
        r = copt(os.path.join(data, name + ".pras"))
        ok = abs(r["lole_steps"] - lole) <= tl + 1e-12 and abs(r["eue_mwh"] - eue) <= te + 1e-12
        print(f"{'ok  ' if ok else 'FAIL'} {name}: LOLE {r['lole_steps']:.8g} (published "
              f"{lole:g}), EUE {r['eue_mwh']:.8g} (published {eue:.8g})")
        bad += not ok
    if os.path.exists(RTS):
        r = copt(RTS)
        hours = list(np.argsort(r["lolp"])[-20:]) + list(range(0, r["steps"], r["steps"] // 20))
        worst = 0.0
        for t in hours:
            lp, ee = direct_hour(RTS, int(t))
            for x, y in ((lp, r["lolp"][t]), (ee, r["eue_by_step"][t])):
                worst = max(worst, abs(x - y) / max(abs(x), 1e-300))
        ok = worst < 1e-9
        print(f"{'ok  ' if ok else 'FAIL'} rts.pras: {len(hours)} hours by direct convolution, "
              f"worst relative difference {worst:.2g}")
        bad += not ok
    print(f"pras_copt self-test: {'ok' if not bad else f'{bad} failed'}")
    return 1 if bad else 0


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", nargs="?", default=RTS)
    ap.add_argument("--json", help="write the results as JSON here ('-' for stdout)")
    ap.add_argument("--self-test", action="store_true",
                    help="compare with PRAS's published test values and a direct convolution")
    a = ap.parse_args(argv)
    if a.self_test:
        return self_test()
    r = copt(a.file)
    summary = {k: v for k, v in r.items() if k not in ("lolp", "eue_by_step")}
    out = sys.stderr if a.json == "-" else sys.stdout  # keep stdout pure JSON with --json -
    print(f"{a.file}: copper plate, {r['regions_merged']} regions merged, "
          f"{r['generators']} generators ({r['always_up']} always up, "
          f"{r['fixed_capacity_random']} random with one capacity, "
          f"{r['varying_capacity_random']} random with hourly capacities in "
          f"{r['varying_capacity_vectors']} distinct vectors); left out: "
          f"{', '.join(r['left_out']) or 'nothing'}", file=out)
    print(f"LOLE {r['lole_steps']:.12g} event-steps/period = {r['lole_hours']:.12g} h "
          f"({r['steps']} steps of {r['step_hours']:g} h)", file=out)
    print(f"EUE  {r['eue_mwh']:.12g} MWh/period", file=out)
    print(f"({r['seconds']} s)", file=out)
    if a.json:
        text = json.dumps(summary, indent=2, sort_keys=True) + "\n"
        if a.json == "-":
            sys.stdout.write(text)
        else:
            with open(a.json, "w") as fh:
                fh.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
