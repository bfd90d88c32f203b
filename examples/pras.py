#!/usr/bin/python3
"""A PRAS system's result in xarray: LOLE, EUE and NEUE per region, and LOLP over time.

  pras.py OUT.h5 [-o lolp.png]     OUT.h5 from `gridrisk run SYSTEM.pras -o OUT.h5 [--copper-plate]`

A network run (docs/LAYOUT.md, "Network runs") simulates one period of the system's time steps,
not years, and reports as PRAS does: LOLE is the expected number of steps with unserved load in
the period, EUE the expected unserved energy in MWh, NEUE = EUE / demand x 10^6 (ppm), each with
its Monte Carlo standard error (standard deviation over trials / sqrt(trials)). The per-trial
values are in the root (system) and /by_region; /by_step has the probability of shortfall and
the expected unserved energy of every step, whose sums over steps are LOLE and EUE again.

Prints `reliability | area | LOLE | se | EUE | se | NEUE | se` lines (the numbers `gridrisk
summary` prints, to its precision) and a `peak | area | lolp | time` line for the system's
riskiest step; examples/analysis.R prints the same lines from R, and tests/check_examples.sh
checks that the three agree. With -o, draws the per-step LOLP of each area against time.
Needs python3-xarray and python3-h5netcdf (python3-matplotlib for -o). Exit 0 ok, 1 runtime,
2 usage.
"""
import argparse
import sys

import numpy as np
import xarray as xr


def reliability(path):
    """(table, by_step): per area, LOLE, EUE, NEUE and their standard errors, from the
    per-trial values; by_step with `step` decoded to datetimes."""
    ds = xr.open_dataset(path)                            # system: (scenario, trial, year)
    if ds.attrs.get("model") != "network":
        raise SystemExit(f"{path}: model {ds.attrs.get('model')!r}, not a network (PRAS) run: "
                         "read it with examples/analysis.ipynb or analysis.R")
    regions = xr.open_dataset(path, group="by_region")    # (scenario, trial, year, region)
    by_step = xr.open_dataset(path, group="by_step")      # (scenario, step, area); step: times
    # one scenario ("network" or "copper_plate") and one period: drop both axes, and put the
    # system next to the regions on an `area` axis, as /by_step has it
    one = dict(scenario=0, year=0)
    system = ds[["shed_steps", "unserved_mwh"]].isel(one).expand_dims(area=["system"])
    per_trial = xr.concat([regions[["shed_steps", "unserved_mwh"]].isel(one)
                           .rename(region="area"), system], dim="area")  # (trial, area)
    n = per_trial.sizes["trial"]
    mean = per_trial.mean("trial")
    se = per_trial.std("trial", ddof=1) / np.sqrt(n)
    demand = by_step.demand_mwh
    table = xr.Dataset({"lole": mean.shed_steps, "lole_se": se.shed_steps,
                        "eue_mwh": mean.unserved_mwh, "eue_mwh_se": se.unserved_mwh,
                        "neue_ppm": 1e6 * mean.unserved_mwh / demand,
                        "neue_ppm_se": 1e6 * se.unserved_mwh / demand})
    # the same LOLE and EUE from the per-step results: probabilities and expected energies
    # summed over the steps of the period
    steps = by_step.isel(scenario=0)
    for mine, per_step in (("lole", "lolp"), ("eue_mwh", "eue_mwh")):
        total = steps[per_step].sum("step")
        assert np.allclose(total, table[mine], rtol=1e-9, atol=1e-12), (mine, total, table[mine])
    return ds, table, steps


def plot(steps, step_h, title, out):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # each step's value held to the next step's start, the last one to the period's end
    t = steps.step.values
    dt = t[1] - t[0] if len(t) > 1 else np.timedelta64(int(3600e9 * step_h), "ns")
    edges = np.append(t, t[-1] + dt)
    held = lambda x: 100 * np.append(x, x[-1])  # noqa: E731  (in %)
    fig, ax = plt.subplots(figsize=(10, 4))
    for area in steps.area.values:
        lolp = steps.lolp.sel(area=area).values
        ax.step(edges, held(lolp), where="post", lw=2.0 if area == "system" else 1.0,
                label=str(area))
        if area == "system":  # +- one standard error
            se = steps.lolp_se.sel(area=area).values
            ax.fill_between(edges, held(lolp - se), held(lolp + se), step="post", alpha=0.2)
    ax.set_xlabel("time (each step from its start)")
    ax.set_ylabel("LOLP [% of trials]")
    ax.set_title(title)
    ax.legend(title="area", fontsize="small")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(out, dpi=100)


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("file")
    p.add_argument("-o", "--output", help="draw the per-step LOLP into this PNG")
    a = p.parse_args(argv)
    ds, table, steps = reliability(a.file)
    step_h = float(ds.attrs["step_hours"])
    print(f"{a.file}: {ds.attrs['title']}")
    print(f"{ds.sizes['trial']} trials of one period: {ds.attrs['steps']} steps of {step_h:g} h "
          f"from {np.datetime_as_string(steps.step.values[0], unit='m')} "
          f"(scenario {ds.scenario.values[0]}); not annualised")
    print(f"reliability | {'area':<20} | {'LOLE, steps':>10} | {'se':>10} | {'EUE, MWh':>12} | "
          f"{'se':>10} | {'NEUE, ppm':>12} | {'se':>10}")
    for area in table.area.values:
        t = table.sel(area=area)
        print(f"reliability | {str(area)[:20]:<20} | {float(t.lole):10.4f} | "
              f"{float(t.lole_se):10.4f} | {float(t.eue_mwh):12.2f} | "
              f"{float(t.eue_mwh_se):10.2f} | {float(t.neue_ppm):12.3f} | "
              f"{float(t.neue_ppm_se):10.3f}")
    lolp = steps.lolp.sel(area="system")
    k = int(lolp.argmax("step"))  # the first of equally risky steps
    print(f"peak | system | {float(lolp[k]):.6f} | "
          f"{np.datetime_as_string(steps.step.values[k], unit='m')}")
    if a.output:
        plot(steps, step_h, f"{ds.attrs['scenario_name']} ({ds.scenario.values[0]}): "
                    "probability of unserved load by step", a.output)
        print(f"wrote {a.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
