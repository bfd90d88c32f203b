#!/usr/bin/python3
"""Checks gridrisk's PRAS runs against PRAS's published results (tests/data/pras/expected.tsv).

For each test system in tests/data/pras/ it runs
    BIN run SYSTEM.pras -o OUT.h5 -n N -s SEED [--copper-plate] -q
and reads OUT.h5 in the layout of a PRAS run (/work/notes/preamble.md):
    /shed_steps, /unserved_mwh                 (scenario, trial, year)
    /by_region/shed_steps, /by_region/unserved_mwh   (scenario, trial, year, region), /region
    /by_step/lolp, lolp_se, eue_mwh, eue_mwh_se      (scenario, step, area), /area
    /scenario = ["network"] or ["copper_plate"]
A period value (step "all") is the mean over trials x years of shed_steps (LOLE, in steps) or
unserved_mwh (EUE, MWh), with standard error sd/sqrt(n); a step value (1-based in
expected.tsv) is by_step's estimate and its own standard error.

Every row passes iff the estimate is within 4 standard errors of the published value AND the
standard error is below 1% of it (so a 5% error cannot pass: it is more than 5 standard
errors); a published 0 must be estimated as exactly 0. Each run also gets one consistency line:
the mean of shed_steps (unserved_mwh) must equal the sum over steps of by_step's system lolp
(eue_mwh), which holds whenever both come from the same trials and the step axis is whole.
singlenode_stor has no published values (TestData.jl: "#TODO: Storage tests"): it is run as a
smoke test (exit status, shapes, consistency).

Trials: TRIALS below, per system. Each is at least 1.25 times what the exact variance of its
worst row needs for a 1% standard error (tests/pras_exact.py --trials; the self-test asserts
it), e.g. singlenode_a: EUE of step 4 (0.178 MWh, sd 0.86) needs 377,578 trials, run 500,000.

  check_pras.py BIN [--data DIR] [--seed S] [--scale X] [--keep DIR]
  check_pras.py --self-test
The self-test points the checker at a fake BIN that writes the output from the exact
enumeration (tests/pras_exact.py), once faithful (every row must pass) and once per planted
bug (each must fail: steps reversed, regions swapped, EUE not scaled by the step length,
LOLE in hours, 5% bias, a tenth of the trials). Exit 0 ok, 1 on a failure, 2 usage.
"""
import argparse
import math
import os
import pickle
import subprocess
import sys
import tempfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data", "pras")
sys.path.insert(0, HERE)
import pras_exact  # noqa: E402

N_SE = 4.0     # estimates must be within this many standard errors
MAX_REL_SE = 0.01  # and the standard error below this share of the value
TRIALS = {  # trials per system; see the docstring (need = pras_exact.py --trials)
    "singlenode_a": 500_000,       # need 377,578 (EUE step 4)
    "singlenode_a_5min": 500_000,  # need 377,578 (EUE step 4)
    "singlenode_b": 150_000,       # need 118,028 (EUE step 4)
    "threenode": 120_000,          # need 90,000 (LOLP Region C step 2)
    "test1": 200_000,              # need 158,006 (EUE Region B)
    "test2": 120_000,              # need 91,390 (EUE step 2)
    "test3": 180_000,              # need 143,044 (EUE Region B step 2)
    "singlenode_stor": 20_000,     # smoke test only
}
SMOKE = ["singlenode_stor"]


def _names(ds):
    return [x.decode() if isinstance(x, bytes) else str(x) for x in ds[()]]


def _coord(f, name, group):
    """A coordinate at the root as documented, or beside its variables."""
    for path in (name, f"{group}/{name}"):
        if path in f:
            return _names(f[path])
    raise KeyError(f"no /{name} coordinate")


def _mean_se(x):
    x = np.asarray(x, dtype=np.float64).ravel()
    n = x.size
    return float(x.mean()), (float(x.std(ddof=1)) / math.sqrt(n) if n > 1 else math.inf)


def estimate(f, scenario, row):
    """(estimate, standard error) of one expected.tsv row from an open output file."""
    sc = _coord(f, "scenario", "")
    if scenario not in sc:
        raise KeyError(f"scenario {scenario!r} not in /scenario {sc}")
    s = sc.index(scenario)
    metric, area, step = row["metric"], row["area"], row["step"]
    if step == "all":
        var = "shed_steps" if metric == "lole" else "unserved_mwh"
        if area == "system":
            return _mean_se(f[var][s])
        regions = _coord(f, "region", "by_region")
        return _mean_se(f[f"by_region/{var}"][s, ..., regions.index(area)])
    areas = _coord(f, "area", "by_step")
    a = areas.index(area)
    var = "lolp" if metric == "lole" else "eue_mwh"
    nsteps = f[f"by_step/{var}"].shape[1]
    if not 1 <= step <= nsteps:
        raise KeyError(f"step {step} outside 1..{nsteps}")
    return (float(f[f"by_step/{var}"][s, step - 1, a]),
            float(f[f"by_step/{var}_se"][s, step - 1, a]))


def judge(value, est, se):
    """(ok, why) for one row."""
    if not (math.isfinite(est) and math.isfinite(se)):
        return False, "not finite"
    if value == 0.0:
        return est == 0.0, "expected exactly 0"
    off = abs(est - value)
    if se >= MAX_REL_SE * abs(value):
        return False, f"standard error {se / abs(value):.2%} of the value, not below 1%"
    if off > N_SE * se:
        return False, f"{off / se:.1f} standard errors off" if se > 0 else "off, se 0"
    return True, f"{off / se:.1f} se" if se > 0 else "exact"


def consistency(f, scenario):
    """Mean period totals equal the sums of the per-step system values."""
    s = _coord(f, "scenario", "").index(scenario)
    a = _coord(f, "area", "by_step").index("system")
    out = []
    for var, step_var in (("shed_steps", "lolp"), ("unserved_mwh", "eue_mwh")):
        total = float(np.mean(f[var][s]))
        steps = float(np.sum(f[f"by_step/{step_var}"][s, :, a]))
        ok = abs(total - steps) <= 1e-9 * max(1.0, abs(total))
        out.append((ok, f"mean {var} {total:.10g} vs sum of by_step/{step_var} {steps:.10g}"))
    return out


def run_one(binary, pras, out, n, seed, copper):
    cmd = [binary, "run", pras, "-o", out, "-n", str(n), "-s", str(seed)]
    if copper:
        cmd.append("--copper-plate")
    cmd.append("-q")
    p = subprocess.run(cmd, capture_output=True, text=True)
    return p, " ".join(cmd)


def check(binary, datadir, workdir, seed=1, scale=1.0, stream=sys.stdout):
    rows = pras_exact.read_expected(os.path.join(datadir, "expected.tsv"))
    runs = []
    for r in rows:
        if (r["system"], r["scenario"]) not in runs:
            runs.append((r["system"], r["scenario"]))
    runs += [(sm, "network") for sm in SMOKE]
    passed = failed = 0

    def line(ok, text):
        nonlocal passed, failed
        passed += ok
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {text}", file=stream)

    for system, scenario in runs:
        n = max(2, int(TRIALS[system] * scale))
        out = os.path.join(workdir, f"{system}.{scenario}.h5")
        p, cmd = run_one(binary, os.path.join(datadir, system + ".pras"), out, n, seed,
                         scenario == "copper_plate")
        mine = [r for r in rows if (r["system"], r["scenario"]) == (system, scenario)]
        if p.returncode != 0 or not os.path.exists(out):
            why = (p.stderr.strip().splitlines() or ["no message"])[-1]
            for r in mine or [None]:
                line(False, f"{system} {scenario}: `{cmd}` exited {p.returncode}: {why}")
            continue
        try:
            with h5py.File(out, "r") as f:
                for r in mine:
                    label = (f"{system} {scenario} {r['metric']} {r['area']} step {r['step']}")
                    try:
                        est, se = estimate(f, scenario, r)
                    except (KeyError, ValueError, IndexError) as e:
                        line(False, f"{label}: cannot read: {e}")
                        continue
                    ok, why = judge(r["value"], est, se)
                    rel = f"{se / r['value']:.2%}" if r["value"] else "-"
                    line(ok, f"{label}: {est:.6g} (se {se:.3g}, {rel}) expected "
                             f"{r['value']:.6g} [{r['source']}]: {why}")
                for ok, text in consistency(f, scenario):
                    line(ok, f"{system} {scenario} consistency: {text}")
        except (OSError, KeyError, ValueError, IndexError) as e:
            line(False, f"{system} {scenario}: cannot read {out}: {e}")
    print(f"pras: {passed} passed, {failed} failed", file=stream)
    return passed, failed


# --------------------------------------------------------------------------------------------
# The mock run: what a faithful gridrisk would write, from the exact enumeration

BUGS = ("steps_reversed", "regions_swapped", "eue_per_power", "lole_hours", "bias5",
        "tenth_trials")


def _standard(rng, n):
    """n normal draws scaled to mean 0 and sample sd 1 exactly."""
    z = rng.standard_normal(n)
    return (z - z.mean()) / z.std(ddof=1)


def _samples(z, mean, var):
    """Draws with exactly this mean and sample variance (the checker sees the exact answer
    with its true standard error); one z serves every variable of a mock run."""
    if z.size < 2 or var <= 0:
        return np.full(z.size, mean)
    return mean + math.sqrt(var) * z


def _exact_cached(path, copper):
    """pras_exact.exact, cached across the self-test's mock runs (CHECK_PRAS_CACHE)."""
    cache = os.environ.get("CHECK_PRAS_CACHE")
    if not cache:
        return pras_exact.exact(path, copper)[0]
    key = os.path.join(cache, f"{os.path.basename(path)}.{int(copper)}.pickle")
    if os.path.exists(key):
        with open(key, "rb") as fh:
            return pickle.load(fh)
    res = pras_exact.exact(path, copper)[0]
    with open(key + ".tmp", "wb") as fh:
        pickle.dump(res, fh)
    os.replace(key + ".tmp", key)
    return res


def mock_run(argv):
    ap = argparse.ArgumentParser(prog="gridrisk (mock)")
    ap.add_argument("cmd", choices=["run"])
    ap.add_argument("file")
    ap.add_argument("-o", required=True)
    ap.add_argument("-n", type=int, required=True)
    ap.add_argument("-s", type=int, required=True)
    ap.add_argument("--copper-plate", action="store_true")
    ap.add_argument("-q", action="store_true")
    ap.add_argument("--bug", choices=BUGS)
    a = ap.parse_args(argv)
    n = a.n // 10 if a.bug == "tenth_trials" else a.n
    res = _exact_cached(a.file, a.copper_plate)
    s = pras_exact.load_system(a.file)
    regions, steps, step_h = s["regions"], s["steps"], s["step_h"]
    areas = regions + ["system"]
    z = _standard(np.random.default_rng(a.s), n)

    def val(metric, area, step):
        e = res.get((metric, area, step))
        if e is None:  # copper plate: regions are merged away
            return math.nan, math.nan
        m, v = e["lo"], e["var"]
        if metric == "eue" and a.bug == "eue_per_power":
            m, v = m / step_h, v / step_h ** 2
        if metric == "lole" and a.bug == "lole_hours":
            m, v = m * step_h, v * step_h ** 2
        if a.bug == "bias5":
            m, v = m * 1.05, v * 1.05 ** 2
        return m, v

    scen = "copper_plate" if a.copper_plate else "network"
    with h5py.File(a.o, "w") as f:
        f["scenario"] = np.array([scen.encode()])
        f["region"] = np.array([r.encode() for r in regions])
        f["area"] = np.array([x.encode() for x in areas])
        for var, metric in (("shed_steps", "lole"), ("unserved_mwh", "eue")):
            m, v = val(metric, "system", "all")
            f[var] = _samples(z, m, v).reshape(1, n, 1)
            if var == "shed_steps":
                f["shed_hours"] = f[var][()] * step_h
            byr = np.zeros((1, n, 1, len(regions)))
            for i, r in enumerate(regions):
                m, v = val(metric, r, "all")
                byr[0, :, 0, i] = _samples(z, m, v)
            if a.bug == "regions_swapped":
                byr = byr[..., ::-1]
            f[f"by_region/{var}"] = byr
        for var, metric in (("lolp", "lole"), ("eue_mwh", "eue")):
            est = np.zeros((1, steps, len(areas)))
            se = np.zeros_like(est)
            for t in range(steps):
                for i, ar in enumerate(areas):
                    m, v = val(metric, ar, t + 1)
                    est[0, t, i], se[0, t, i] = m, math.sqrt(v / n)
            if a.bug == "steps_reversed":
                est, se = est[:, ::-1], se[:, ::-1]
            if a.bug == "regions_swapped":
                perm = list(range(len(regions)))[::-1] + [len(regions)]
                est, se = est[..., perm], se[..., perm]
            f[f"by_step/{var}"] = est
            f[f"by_step/{var}_se"] = se
        # the period means equal the step sums, as in a real run
        for var, step_var in (("shed_steps", "lolp"), ("unserved_mwh", "eue_mwh")):
            x = f[var][()]
            target = float(np.sum(f[f"by_step/{step_var}"][0, :, -1]))
            f[var][...] = x - x.mean() + target
    return 0


def self_test(datadir):
    """The checker on mock runs: faithful must pass, every planted bug must fail."""
    bad = 0
    # 1. the trial counts give a 1% standard error with a margin
    for system, (need, r) in pras_exact.trials_needed(datadir).items():
        ok = TRIALS[system] >= 1.25 * need
        print(f"{'ok  ' if ok else 'FAIL'} trials {system}: {TRIALS[system]} >= 1.25 x "
              f"{math.ceil(need)} needed (worst: {r['metric']} {r['area']} step {r['step']})")
        bad += not ok
    # 2. faithful mock and planted bugs
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CHECK_PRAS_CACHE"] = tmp
        for bug in (None,) + BUGS:
            fake = os.path.join(tmp, f"gridrisk-{bug or 'faithful'}")
            extra = f" --bug {bug}" if bug else ""
            with open(fake, "w") as fh:
                fh.write(f'#!/bin/sh\nexec /usr/bin/python3 "{os.path.abspath(__file__)}" '
                         f'--mock-run "$@"{extra}\n')
            os.chmod(fake, 0o755)
            work = os.path.join(tmp, bug or "faithful")
            os.mkdir(work)
            log = open(os.path.join(tmp, f"{bug}.log"), "w")
            # the mock needs no big trial counts for the bug runs except where SEs matter
            passed, failed = check(fake, datadir, work, stream=log)
            log.close()
            if bug is None:
                ok = failed == 0 and passed > 0
                what = "faithful mock: every row passes"
            elif bug == "bias5":
                nrows = len(pras_exact.read_expected(os.path.join(datadir, "expected.tsv")))
                ok = failed >= nrows  # every published row must catch a 5% error
                what = f"planted bug {bug}: all {nrows} published rows fail"
            else:
                ok = failed > 0
                what = f"planted bug {bug}: caught"
            print(f"{'ok  ' if ok else 'FAIL'} {what} ({passed} passed, {failed} failed)")
            if not ok:
                with open(os.path.join(tmp, f"{bug}.log")) as fh:
                    sys.stdout.write("".join(l for l in fh if l.startswith("FAIL"))[:4000])
            bad += not ok
    print(f"self-test: {'ok' if not bad else f'{bad} failed'}")
    return 1 if bad else 0


def main(argv):
    if argv[:1] == ["--mock-run"]:
        return mock_run(argv[1:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("binary", nargs="?")
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("--data", default=DATA)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0,
                    help="multiply every trial count (below 1 the 1%% rule will fail)")
    ap.add_argument("--keep", help="write the run outputs here instead of a temporary dir")
    a = ap.parse_args(argv)
    if a.self_test:
        return self_test(a.data)
    if not a.binary:
        ap.print_usage(sys.stderr)
        return 2
    if not os.access(a.binary, os.X_OK):
        print(f"check_pras: {a.binary} is not an executable", file=sys.stderr)
        return 2
    if a.keep:
        os.makedirs(a.keep, exist_ok=True)
        _, failed = check(a.binary, a.data, a.keep, a.seed, a.scale)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            _, failed = check(a.binary, a.data, tmp, a.seed, a.scale)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
