#!/usr/bin/python3
"""Exact LOLE/EUE of PRAS's small test systems by enumerating unit states, from the .pras files.

The reference tests/check_pras.py trusts, and the cross-check of tests/data/pras/expected.tsv
(PRAS's published values, transcribed from PRASCore.jl/src/Systems/TestData.jl at PRAS commit
fbde94e): read each .pras file here, enumerate, and compare. Agreement checks the published
values, the transcription and the files' layout ([timesteps][entities]) at once.

The model is PRAS's sequential Monte Carlo (PRASCore.jl/src/Simulations): every generator,
storage, generator-storage and line is a two-state Markov chain, started in its steady state
(up with probability mu/(lambda+mu), Simulations/utils.jl initialize_availability!) and moved
into step t with step t's failure/repair probabilities. Each step is dispatched as PRAS's
min-cost flow does (Simulations/DispatchProblem.jl): unserved energy costs a penalty far above
everything else, each MW over an interface costs 1 (the "hurdle rate" that keeps shortfall
where it arises), storage discharge costs (max_dischargecost - time_to_discharge) and charging
earns (min_chargecost + time_to_discharge). The min-cost dispatch is found here by brute force
over every integer flow, charge and discharge (the systems are tiny); where several dispatches
tie, the per-region split is reported as a range (PRAS's solver would pick one of them).

Two engines:
  - no storage: each step's marginal is the steady state (the probabilities are constant per
    unit; asserted), so each step's states are enumerated on their own; the variance of period
    totals uses the exact two-step joint laws pi_a (P^k)_ab of each chain;
  - storage: every path of every unit over all steps is enumerated (tests 2 and 3 have two
    steps and three units), carrying the state of charge as PRAS does (integer energy, ceil on
    charge/discharge, round on carryover).
Output per (scenario, metric, area, step): mean, per-trial variance, and [lo, hi] if ambiguous.
LOLE counts shortfall steps (PRAS's "event-steps"), EUE is in MWh (power x step length).

Usage:
  pras_exact.py FILE.pras [--copper-plate]      print the exact values
  pras_exact.py --verify [--data DIR]           compare expected.tsv with the enumeration;
                                                exit 1 if a value disagrees beyond its rounding
  pras_exact.py --trials [--data DIR]           trials per system for a 1% standard error
"""
import argparse
import itertools
import math
import os
import sys

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data", "pras")
STEP_HOURS = {"sec": 1 / 3600, "min": 1 / 60, "h": 1.0, "d": 24.0}
BRUTE_MAX = 20_000_000  # dispatch combinations one step may try


# --------------------------------------------------------------------------------------------
# Reading (read.jl's reading of the spec, in Python)

def _str(x):
    return x.decode("ascii") if isinstance(x, bytes) else str(x)


def load_system(path):
    with h5py.File(path, "r") as f:
        a = f.attrs
        steps = int(a["timestep_count"])
        step_h = int(a["timestep_length"]) * STEP_HOURS[_str(a["timestep_unit"])]
        assert _str(a["power_unit"]) == "MW" and _str(a["energy_unit"]) == "MWh"
        regions = [_str(x) for x in f["regions/_core"]["name"]]
        rix = {n: i for i, n in enumerate(regions)}
        s = dict(steps=steps, step_h=step_h, regions=regions,
                 load=np.asarray(f["regions/load"][()], dtype=np.int64))
        assert s["load"].shape == (steps, len(regions))

        def assets(name, mats):
            if name not in f:
                return None
            g = f[name]
            d = {"names": [_str(x) for x in g["_core"]["name"]],
                 "home": np.array([rix[_str(x)] for x in g["_core"]["region"]], dtype=int)}
            for m in mats + ["failureprobability", "repairprobability"]:
                d[m] = np.asarray(g[m][()])
                assert d[m].shape == (steps, len(d["names"])), (name, m)
            return d

        stor_mats = ["chargecapacity", "dischargecapacity", "energycapacity",
                     "chargeefficiency", "dischargeefficiency", "carryoverefficiency"]
        s["gens"] = assets("generators", ["capacity"])
        s["stors"] = assets("storages", stor_mats)
        s["genstors"] = assets("generatorstorages", stor_mats + [
            "inflow", "gridwithdrawalcapacity", "gridinjectioncapacity"])
        assert ("interfaces" in f) == ("lines" in f)
        s["ifaces"] = s["lines"] = None
        if "interfaces" in f:
            ic = f["interfaces/_core"][()]
            frm = [rix[_str(x)] for x in ic["region_from"]]
            to = [rix[_str(x)] for x in ic["region_to"]]
            fwd = np.asarray(f["interfaces/forwardcapacity"][()], dtype=np.int64)
            bwd = np.asarray(f["interfaces/backwardcapacity"][()], dtype=np.int64)
            lc = f["lines/_core"][()]
            lf = [rix[_str(x)] for x in lc["region_from"]]
            lt = [rix[_str(x)] for x in lc["region_to"]]
            lfwd = np.asarray(f["lines/forwardcapacity"][()], dtype=np.int64)
            lbwd = np.asarray(f["lines/backwardcapacity"][()], dtype=np.int64)
            home = []
            for i, (x, y) in enumerate(zip(lf, lt)):
                if (x, y) in zip(frm, to):
                    home.append(list(zip(frm, to)).index((x, y)))
                else:  # a line drawn the other way round: swap its directions
                    home.append(list(zip(frm, to)).index((y, x)))
                    lfwd[:, i], lbwd[:, i] = lbwd[:, i].copy(), lfwd[:, i].copy()
            s["ifaces"] = dict(frm=frm, to=to, fwd=fwd, bwd=bwd)
            s["lines"] = dict(names=[_str(x) for x in lc["name"]], home=np.array(home),
                              fwd=lfwd, bwd=lbwd,
                              failureprobability=f["lines/failureprobability"][()],
                              repairprobability=f["lines/repairprobability"][()])
    return s


def copper_plate(s):
    """All regions merged, interfaces and lines dropped."""
    c = dict(s)
    c["regions"] = ["(merged)"]
    c["load"] = s["load"].sum(axis=1, keepdims=True)
    for k in ("gens", "stors", "genstors"):
        if s[k] is not None:
            c[k] = dict(s[k], home=np.zeros_like(s[k]["home"]))
    c["ifaces"] = c["lines"] = None
    return c


# --------------------------------------------------------------------------------------------
# PRAS's dispatch costs (DispatchProblem.jl; Simulations/utils.jl maxtimetocharge_discharge)

def _duration_max(group, cap, steps):
    if group is None or len(group["names"]) == 0:
        return 0
    c = group[cap]
    if np.any(c == 0):
        return steps + 1
    return int(math.ceil(np.max(group["energycapacity"] / c)))


def dispatch_costs(s):
    n = s["steps"]
    maxcharge = max(_duration_max(s["stors"], "chargecapacity", n),
                    _duration_max(s["genstors"], "chargecapacity", n))
    maxdischarge = max(_duration_max(s["stors"], "dischargecapacity", n),
                       _duration_max(s["genstors"], "dischargecapacity", n))
    min_chargecost = -maxcharge - 1
    max_dischargecost = -min_chargecost + maxdischarge + 1
    min_paybackcost_dr = -max_dischargecost - 0 - 1 - 75  # no demand response here
    max_borrowcost_dr = -min_paybackcost_dr + 0 + 1
    nifaces = len(s["ifaces"]["frm"]) if s["ifaces"] else 0
    return dict(penalty=10 * (nifaces + max_borrowcost_dr), min_chargecost=min_chargecost,
                max_dischargecost=max_dischargecost)


def dispatch(netgen, ifaces, stors, penalty):
    """Min-cost dispatch of one step by brute force over integers.

    netgen[r]: available generation minus load; ifaces: (from, to, fwd_cap, bwd_cap);
    stors: (region, discharge_cap, discharge_cost, charge_cap, charge_cost).
    Returns the list of distinct optimal (unserved per region, discharge, charge) tuples."""
    axes = [np.arange(-b, f + 1) for (_, _, f, b) in ifaces]
    axes += [np.arange(0, dc + 1) for (_, dc, _, _, _) in stors]
    axes += [np.arange(0, cc + 1) for (_, _, _, cc, _) in stors]
    total = 1
    for ax in axes:
        total *= len(ax)
    assert total <= BRUTE_MAX, "system too large to dispatch by brute force"
    grids = [g.ravel() for g in np.meshgrid(*axes, indexing="ij")] if axes else []
    nf, ns = len(ifaces), len(stors)
    flows, dis, chg = grids[:nf], grids[nf:nf + ns], grids[nf + ns:]
    size = len(grids[0]) if grids else 1
    cost = np.zeros(size, dtype=np.int64)
    bal = [np.full(size, int(x), dtype=np.int64) for x in netgen]
    for (fr, to, _, _), fl in zip(ifaces, flows):
        bal[fr] = bal[fr] - fl
        bal[to] = bal[to] + fl
        cost += np.abs(fl)
    for (r, _, dcost, _, ccost), d, c in zip(stors, dis, chg):
        bal[r] = bal[r] + d - c
        cost += dcost * d + ccost * c
    unserved = np.stack([np.maximum(0, -b) for b in bal], axis=1)
    cost += penalty * unserved.sum(axis=1)
    best = np.flatnonzero(cost == cost.min())
    out = set()
    for k in best:
        out.add((tuple(int(x) for x in unserved[k]), tuple(int(d[k]) for d in dis),
                 tuple(int(c[k]) for c in chg)))
    return sorted(out)


# --------------------------------------------------------------------------------------------
# Units as two-state chains

def _units(s):
    """Every resource with its failure/repair matrices, tagged with its kind and index."""
    out = []
    for kind in ("gens", "stors", "genstors", "lines"):
        g = s[kind]
        if g is None:
            continue
        for i in range(len(g["names"])):
            out.append((kind, i, g["failureprobability"][:, i], g["repairprobability"][:, i]))
    return out


def _avail(lam, mu):
    assert lam + mu > 0, "a unit that never changes state needs lambda + mu > 0 here"
    return mu / (lam + mu)


def _step_inputs(s, t, up, energy, costs):
    """The arguments of dispatch() for step t, given availability `up` {(kind, i): bool} and
    the storages' energies (DispatchProblem.jl update_problem!)."""
    R = len(s["regions"])
    netgen = [-int(x) for x in s["load"][t]]
    g = s["gens"]
    if g is not None:
        for i in range(len(g["names"])):
            if up[("gens", i)]:
                netgen[g["home"][i]] += int(g["capacity"][t, i])
    ifaces = []
    if s["ifaces"] is not None:
        I, L = s["ifaces"], s["lines"]
        for j in range(len(I["frm"])):
            fw = sum(int(L["fwd"][t, i]) for i in range(len(L["names"]))
                     if L["home"][i] == j and up[("lines", i)])
            bw = sum(int(L["bwd"][t, i]) for i in range(len(L["names"]))
                     if L["home"][i] == j and up[("lines", i)])
            ifaces.append((I["frm"][j], I["to"][j], min(fw, int(I["fwd"][t, j])),
                           min(bw, int(I["bwd"][t, j]))))
    stors = []
    st = s["stors"]
    if st is not None:
        p2e = s["step_h"]
        for i in range(len(st["names"])):
            online = up[("stors", i)]
            maxdis = int(st["dischargecapacity"][t, i]) * online
            dischargeable = energy[i] * st["dischargeefficiency"][t, i]
            ttd = s["steps"] + 1 if maxdis == 0 else int(round(dischargeable / maxdis))
            dcap = min(maxdis, math.floor(dischargeable / p2e))
            maxchg = int(st["chargecapacity"][t, i]) * online
            chargeable = ((int(st["energycapacity"][t, i]) - energy[i])
                          / st["chargeefficiency"][t, i])
            ccap = min(maxchg, math.floor(chargeable / p2e))
            stors.append((int(st["home"][i]), dcap, costs["max_dischargecost"] - ttd, ccap,
                          costs["min_chargecost"] + ttd))
    assert len(netgen) == R
    return netgen, ifaces, stors


def _check_genstors_inert(s):
    g = s["genstors"]
    if g is None:
        return
    for m in ("chargecapacity", "dischargecapacity", "inflow", "gridinjectioncapacity"):
        assert not np.any(g[m]), "generator-storages that do anything are not enumerated here"


# --------------------------------------------------------------------------------------------
# Engine 1: no storage, independent steps with exact two-step laws for the variances

def _constant(u):
    kind, i, lam, mu = u
    assert np.all(lam == lam[0]) and np.all(mu == mu[0]), \
        f"{kind} {i}: probabilities vary over time; the steady-state engine needs them constant"
    return float(lam[0]), float(mu[0])


def exact_nostorage(s):
    _check_genstors_inert(s)
    units = _units(s)
    costs = dispatch_costs(s)
    fixed, rand = {}, []
    for u in units:
        lam, mu = _constant(u)
        p = _avail(lam, mu)
        if p in (0.0, 1.0):
            fixed[(u[0], u[1])] = p == 1.0
        else:
            rand.append(((u[0], u[1]), lam, mu, p))
    m = len(rand)
    assert m <= 16, f"{m} units can fail: too many to enumerate (pras_copt.py does big systems)"
    S = 1 << m
    bits = (np.arange(S)[:, None] >> np.arange(m)[None, :]) & 1  # [state][unit], 1 = up
    pi = np.ones(S)
    for k, (_, _, _, p) in enumerate(rand):
        pi *= np.where(bits[:, k] == 1, p, 1 - p)
    N = s["steps"]
    areas = s["regions"] + ["system"]
    # f[metric][variant][t] = array [state][area]
    vals = {(mtr, var): np.zeros((N, S, len(areas))) for mtr in ("lole", "eue")
            for var in ("lo", "hi")}
    for t in range(N):
        for st in range(S):
            up = dict(fixed)
            for k, (key, _, _, _) in enumerate(rand):
                up[key] = bool(bits[st, k])
            netgen, ifaces, stors = _step_inputs(s, t, up, None, costs)
            opts = dispatch(netgen, ifaces, stors, costs["penalty"])
            us = np.array([o[0] for o in opts])  # [option][region]
            tot = us.sum(axis=1)
            assert np.all(tot == tot[0])  # total unserved is unique at the optimum
            for var, pick in (("lo", us.min(axis=0)), ("hi", us.max(axis=0))):
                row = np.append(pick, tot[0]).astype(float)
                vals[("lole", var)][t, st] = row > 0
                vals[("eue", var)][t, st] = row * s["step_h"]
    # two-step joint laws J_k[a, b] = P(state a at s, state b at s + k)
    def joint(k):
        J = np.ones((S, S))
        for u, (_, lam, mu, p) in enumerate(rand):
            P = np.array([[1 - mu, mu], [lam, 1 - lam]])  # rows: from down, from up
            Pk = np.linalg.matrix_power(P, k)
            piu = np.array([1 - p, p])
            a, b = bits[:, u][:, None], bits[:, u][None, :]
            J *= piu[a] * Pk[a, b]
        return J
    Js = [joint(k) for k in range(N)]
    res = {}
    for (mtr, var), f in vals.items():
        for ai, area in enumerate(areas):
            x = f[:, :, ai]  # [t][state]
            tot_mean = tot_sq = 0.0
            for t in range(N):
                mean = float(pi @ x[t])
                sq = float(pi @ (x[t] ** 2))
                _put(res, mtr, area, t + 1, var, mean, sq - mean * mean)
                tot_mean += mean
            for t1 in range(N):
                for t2 in range(N):
                    k = abs(t2 - t1)
                    a, b = (x[t1], x[t2]) if t1 <= t2 else (x[t2], x[t1])
                    tot_sq += float(a @ Js[k] @ b)
            _put(res, mtr, area, "all", var, tot_mean, tot_sq - tot_mean ** 2)
    return res, False


def _put(res, mtr, area, step, var, mean, variance):
    key = (mtr, area, step)
    e = res.setdefault(key, {})
    e[var] = mean
    if var == "lo":
        e["var"] = max(0.0, variance)


# --------------------------------------------------------------------------------------------
# Engine 2: every path, with storage energy carried along

def exact_paths(s):
    _check_genstors_inert(s)
    units = _units(s)
    costs = dispatch_costs(s)
    N = s["steps"]
    st = s["stors"]
    nst = 0 if st is None else len(st["names"])
    areas = s["regions"] + ["system"]
    acc = {}  # (metric, area, step) -> [E x, E x^2]
    ambiguous = [False]

    def add(key, p, x):
        a = acc.setdefault(key, [0.0, 0.0])
        a[0] += p * x
        a[1] += p * x * x

    def step(t, prev_up, energy, prob, totals):
        # availability: steady state at t = 0, else one transition with step t's probabilities
        choices = []
        for kind, i, lam, mu in units:
            if t == 0:
                p_up = _avail(lam[0], mu[0])
            else:
                p_up = (1 - lam[t]) if prev_up[(kind, i)] else mu[t]
            choices.append([(True, p_up), (False, 1 - p_up)])
        for combo in itertools.product(*choices):
            p = prob
            up = {}
            for (kind, i, _, _), (b, pb) in zip(units, combo):
                p *= pb
                up[(kind, i)] = b
            if p == 0.0:
                continue
            e = list(energy)
            for i in range(nst):  # update_energy!: carryover, rounded, capped
                e[i] = min(int(round(e[i] * st["carryoverefficiency"][t, i])),
                           int(st["energycapacity"][t, i]))
            netgen, ifaces, stors = _step_inputs(s, t, up, e, costs)
            opts = dispatch(netgen, ifaces, stors, costs["penalty"])
            # A tie matters if the optimal dispatches shed differently, or leave different
            # charge for a later step (test3's last step ties on topping up 1 MWh: harmless).
            if len({o[0] for o in opts}) > 1 or (t + 1 < N and len(opts) > 1):
                ambiguous[0] = True
            uns, dis, chg = opts[0]
            for i in range(nst):  # update_state!
                drop = math.ceil(dis[i] * s["step_h"] / st["dischargeefficiency"][t, i])
                e[i] = max(0, e[i] - drop)
                e[i] += math.ceil(chg[i] * s["step_h"] * st["chargeefficiency"][t, i])
            row = list(uns) + [sum(uns)]
            new_totals = list(totals)
            for ai, area in enumerate(areas):
                lole, eue = float(row[ai] > 0), row[ai] * s["step_h"]
                add(("lole", area, t + 1), p, lole)
                add(("eue", area, t + 1), p, eue)
                new_totals[2 * ai] += lole
                new_totals[2 * ai + 1] += eue
            if t + 1 < N:
                step(t + 1, up, e, p, new_totals)
            else:
                for ai, area in enumerate(areas):
                    add(("lole", area, "all"), p, new_totals[2 * ai])
                    add(("eue", area, "all"), p, new_totals[2 * ai + 1])

    step(0, None, [0] * nst, 1.0, [0.0] * (2 * len(areas)))
    res = {}
    for key, (m1, m2) in acc.items():
        res[key] = {"lo": m1, "hi": m1, "var": max(0.0, m2 - m1 * m1)}
    return res, ambiguous[0]


def exact(path, copper=False):
    """{(metric, area, step): {"lo", "hi", "var"}} for the system in `path`, and whether any
    step's optimal dispatch was not unique (storage engine)."""
    s = load_system(path)
    if copper:
        s = copper_plate(s)
    has_storage = s["stors"] is not None and len(s["stors"]["names"]) > 0
    return exact_paths(s) if has_storage else exact_nostorage(s)


# --------------------------------------------------------------------------------------------

def read_expected(path):
    rows = []
    with open(path, encoding="ascii") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            if not line.strip():
                continue
            r = dict(zip(header, line.rstrip("\n").split("\t")))
            r["value"] = float(r["value"])
            r["step"] = r["step"] if r["step"] == "all" else int(r["step"])
            rows.append(r)
    return rows


def all_exact(datadir, errors=None):
    """Exact results for every (system, scenario) that expected.tsv mentions. With a dict
    `errors`, a system that cannot be enumerated is recorded there instead of raising."""
    out = {}
    for r in read_expected(os.path.join(datadir, "expected.tsv")):
        key = (r["system"], r["scenario"])
        if key in out or (errors is not None and key in errors):
            continue
        try:
            out[key] = exact(os.path.join(datadir, r["system"] + ".pras"),
                             copper=r["scenario"] == "copper_plate")
        except (AssertionError, KeyError, OSError) as e:
            if errors is None:
                raise
            errors[key] = f"{type(e).__name__}: {e}"
    return out


def lookup(results, row):
    res, _ = results[(row["system"], row["scenario"])]
    return res[(row["metric"], row["area"], row["step"])]


def verify(datadir):
    sys.path.insert(0, datadir)
    import make_testdata  # noqa: E402  (the literals, for each value's rounding)
    rounding = {(r[0], r[1], r[2], r[3], r[4]): r[7] for r in make_testdata.published_rows()}
    errors = {}
    results = all_exact(datadir, errors)
    bad = 0
    for key, (_, amb) in results.items():
        if amb:
            print(f"note: {key[0]} ({key[1]}): optimal dispatches tie in a way that matters")
    for r in read_expected(os.path.join(datadir, "expected.tsv")):
        key = (r["system"], r["scenario"])
        if key in errors:
            print(f"CANNOT    {r['system']:17s} {r['scenario']:12s} {r['metric']:4s} "
                  f"{r['area']:8s} {str(r['step']):3s}: {errors[key]}")
            bad += 1
            continue
        e = lookup(results, r)
        tol = rounding[(r["system"], r["scenario"], r["metric"], r["area"], r["step"])]
        lo, hi = e["lo"], e["hi"]
        ok = lo - tol - 1e-12 <= r["value"] <= hi + tol + 1e-12
        exact_txt = f"{lo:.8g}" if lo == hi else f"[{lo:.8g}, {hi:.8g}] (tie)"
        print(f"{'agrees   ' if ok else 'DISAGREES'} {r['system']:17s} {r['scenario']:12s} "
              f"{r['metric']:4s} {r['area']:8s} {str(r['step']):3s} published {r['value']:<12.8g}"
              f" exact {exact_txt} (rounding {tol:.1g})")
        bad += not ok
    print(f"verify: {len(read_expected(os.path.join(datadir, 'expected.tsv'))) - bad} agree, "
          f"{bad} disagree or cannot be enumerated")
    return 1 if bad else 0


REL_SE = 0.01  # check_pras.py wants the standard error below 1% of every value


def trials_needed(datadir):
    """Per system: the trials that bring every tested value's standard error to 1% of it."""
    results = all_exact(datadir)
    need = {}
    for r in read_expected(os.path.join(datadir, "expected.tsv")):
        e = lookup(results, r)
        if e["lo"] > 0:
            n = e["var"] / (REL_SE * e["lo"]) ** 2
            if n > need.get(r["system"], (0,))[0]:
                need[r["system"]] = (n, r)
    return need


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", nargs="?")
    ap.add_argument("--copper-plate", action="store_true")
    ap.add_argument("--verify", action="store_true")
    ap.add_argument("--trials", action="store_true")
    ap.add_argument("--data", default=DATA)
    a = ap.parse_args(argv)
    if a.verify:
        return verify(a.data)
    if a.trials:
        for system, (n, r) in trials_needed(a.data).items():
            print(f"{system:17s} {math.ceil(n):>9d} trials  (worst: {r['metric']} {r['area']} "
                  f"step {r['step']})")
        return 0
    if not a.file:
        ap.error("give a .pras file, --verify or --trials")
    res, amb = exact(a.file, a.copper_plate)
    for (m, area, step), e in sorted(res.items(), key=lambda kv: (kv[0][0], kv[0][1],
                                                                   str(kv[0][2]))):
        rng = "" if e["lo"] == e["hi"] else f"  hi {e['hi']:.10g} (tie)"
        print(f"{m}\t{area}\t{step}\t{e['lo']:.10g}\tsd {math.sqrt(e['var']):.6g}{rng}")
    if amb:
        print("note: optimal dispatches tie in a way that matters")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
