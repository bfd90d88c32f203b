#!/usr/bin/python3
"""A one-page picture of a gridrisk run (layout v2, docs/LAYOUT.md).

  dashboard.py OUT.h5 [-o run.png] [--dpi 110]

Economic (pakistan) runs: the distributions of net fiscal cost and of consumer-equivalent shed
hours (what an average consumer loses; the headline box adds the system hours) per scenario,
the exceedance curves of the paired differences scenario - baseline, loss-of-load probability
by month and hour of day (baseline, the main alternative and their difference), the change in
fiscal cost against the Bitcoin price, and a box with the headline numbers. Adequacy runs
(units and load only, e.g. RBTS): the distributions of shedding hours and unserved energy,
the LOLP heatmap and the headline numbers.

Statistics are over trials of each trial's average year over the horizon, as `gridrisk summary`
and examples/analysis.ipynb compute them. Needs python3-xarray, python3-h5netcdf and
python3-matplotlib; draws with the Agg backend (no display). Exit 0 ok, 1 runtime, 2 usage.
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
# metric -> (label, unit shown, factor from the stored unit)
SHOWN = {"net_fiscal_cost_pkr": ("net fiscal cost", "PKR bn/yr", 1e-9),
         "shed_consumer_hours": ("consumer-equivalent shed hours", "h/yr", 1.0),
         "shed_hours": ("system hours of shedding", "h/yr", 1.0),
         "unserved_mwh": ("unserved energy", "MWh/yr", 1.0)}
MANY = 3  # more scenarios than this: box plots instead of overlaid histograms


def load(path):
    ds = xr.open_dataset(path, engine="h5netcdf")
    run = {"ds": ds, "profiles": xr.open_dataset(path, group="profiles", engine="h5netcdf"),
           "economic": ds.attrs.get("model") == "pakistan", "path": path}
    run["params"] = (xr.open_dataset(path, group="parameters", engine="h5netcdf")
                     if run["economic"] else None)
    run["avg"] = ds.mean("year")  # (scenario, trial): each trial's average year
    scen = [str(s) for s in ds.scenario.values]
    run["scenarios"] = scen
    run["alternatives"] = [s for s in scen if s != "baseline"]
    # the alternative the single-scenario panels show: "allocation" when the run has it
    alts = run["alternatives"]
    run["main"] = "allocation" if "allocation" in alts else (alts[0] if alts else None)
    return run


def delta(run, m, s):
    a = run["avg"][m]
    return (a.sel(scenario=s) - a.sel(scenario="baseline")).values


def distribution(ax, run, m):
    label, unit, k = SHOWN[m]
    data = [run["avg"][m].sel(scenario=s).values * k for s in run["scenarios"]]
    if len(data) > MANY:
        ax.boxplot(data, vert=False, whis=(5, 95), showmeans=True, showfliers=False,
                   labels=run["scenarios"], meanprops={"marker": "D", "markersize": 4})
        ax.set_xlabel(f"{label} [{unit}], trial's average year\n"
                      "box P25-P75, line median, whiskers P5-P95, diamond mean")
    else:
        lo = min(x.min() for x in data)
        hi = max(x.max() for x in data)
        integral = all(np.array_equal(x, np.round(x)) for x in data) and hi - lo < 60
        bins = np.arange(lo - 0.5, hi + 1.5) if integral else np.linspace(lo, hi, 41)
        for s, x in zip(run["scenarios"], data):
            ax.hist(x, bins=bins, histtype="step", lw=1.6, label=s)
        if max(np.mean(x == np.median(x)) for x in data) > 0.5:  # a spike (e.g. RBTS's zeros)
            ax.set_yscale("log")
            ax.set_ylabel("trials (log scale)")
        else:
            ax.set_ylabel("trials")
            ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        ax.set_xlabel(f"{label} [{unit}], trial's average year")
        if len(data) > 1:
            ax.legend(title="scenario", fontsize=8)
    ax.set_title(f"{label}: distribution over trials")


def exceedance(ax, run, m):
    label, unit, k = SHOWN[m]
    for s in run["alternatives"]:
        x = np.sort(delta(run, m, s) * k)
        ax.step(x, 1.0 - np.arange(1, len(x) + 1) / len(x), where="post", label=f"{s} - baseline")
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(f"x: change in {label} [{unit}], same trial")
    ax.set_ylabel("P(change > x)")
    ax.set_title(f"change in {label}: exceedance")
    ax.legend(fontsize=8)


def lolp_grid(run, s):
    """LOLP in % of trials, month x hour of day, averaged over years and days."""
    lolp = run["profiles"].lolp.sel(scenario=s).mean("year")
    df = lolp.to_dataframe()
    return df.pivot_table(index="month", columns="hour_of_day", values="lolp",
                          aggfunc="mean").reindex(index=range(1, 13), columns=range(24)) * 100


def heatmap(fig, ax, grid, title, vmin, vmax, cmap, cbar_label):
    im = ax.imshow(grid.values, origin="lower", aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax,
                   extent=(-0.5, 23.5, 0.5, 12.5))
    ax.set_xticks(range(0, 24, 3))
    ax.set_yticks(range(1, 13))
    ax.set_yticklabels(MONTHS)
    ax.set_xlabel("hour of day")
    ax.set_title(title)
    fig.colorbar(im, ax=ax, label=cbar_label, fraction=0.05, pad=0.02)


def btc_scatter(ax, run):
    s = run["main"]
    btc = run["params"].btc_usd.mean("year").values / 1e3
    ax.scatter(btc, delta(run, "net_fiscal_cost_pkr", s) * 1e-9, s=7, alpha=0.5)
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.set_xlabel("Bitcoin price [thousand USD, log scale], trial's average")
    ax.set_ylabel("change in net fiscal cost [PKR bn/yr]")
    ax.set_title(f"{s} - baseline: fiscal change vs Bitcoin price")


def stats_line(x):
    p5, p50, p95 = np.quantile(x, [0.05, 0.5, 0.95])
    return x.mean(), p5, p50, p95, 100 * np.mean(x > 0)


def headline_text(run):
    """The numbers a reader quotes, as a fixed-width table: per metric, each alternative's
    paired change (mean, P5, P95, share of trials where it is positive), then the levels
    (for up to MANY scenarios)."""
    metrics = ([m for m in ("net_fiscal_cost_pkr", "shed_consumer_hours", "shed_hours")
                if m in run["ds"]] if run["economic"] else ["shed_hours", "unserved_mwh"])
    w = max(len(s) for s in run["scenarios"]) + 2
    lines = []
    if run["alternatives"]:
        lines += ["CHANGE vs baseline, same trials", f"{'':{w}}{'mean':>8}  {'[P5, P95]':<17} P(>0)"]
        for m in metrics:
            label, unit, k = SHOWN[m]
            lines.append(f"{label}, {unit}")
            for s in run["alternatives"]:
                mean, p5, _, p95, pp = stats_line(delta(run, m, s) * k)
                lines.append(f"  {s:<{w - 2}}{mean:+8.1f}  {f'[{p5:+.1f}, {p95:+.1f}]':<17}{pp:4.0f}%")
        lines.append("")
    # levels only while they fit; the distribution panels show them in any case
    if len(run["scenarios"]) > MANY:
        metrics = []
    else:
        lines += ["LEVELS", f"{'':{w}}{'mean':>8}  [P5, P95]"]
    for m in metrics:
        label, unit, k = SHOWN[m]
        lines.append(f"{label}, {unit}")
        for s in run["scenarios"]:
            mean, p5, _, p95, _ = stats_line(run["avg"][m].sel(scenario=s).values * k)
            lines.append(f"  {s:<{w - 2}}{mean:8.1f}  [{p5:.1f}, {p95:.1f}]")
    if not run["economic"]:
        x = run["avg"]["shed_hours"].values.ravel()
        se = x.std(ddof=1) / np.sqrt(len(x))
        lines += ["", f"LOLE {x.mean():.3f} +/- {se:.3f} h/yr (1 s.e.)"]
    lines += ["", "statistics over trials of each trial's", "average year"]
    return "\n".join(lines)


def text_box(ax, text):
    """Monospace text filling the panel: the font shrinks with the number of lines."""
    ax.axis("off")
    lines = text.split("\n")
    h_in = ax.get_position().height * ax.figure.get_figheight()
    w_in = ax.get_position().width * ax.figure.get_figwidth()
    size = min(12.0, 0.85 * h_in * 72 / (1.3 * len(lines)),
               0.95 * w_in * 72 / (0.62 * max(len(x) for x in lines)))
    ax.text(0.0, 1.0, text, va="top", ha="left", family="monospace", fontsize=size,
            transform=ax.transAxes,
            bbox={"boxstyle": "round", "facecolor": "#f4f4f4", "edgecolor": "#bbbbbb"})
    ax.set_title("headline numbers", loc="left")


def title(run):
    a = run["ds"].attrs
    years = run["ds"].year.values
    span = f"{len(years)} year ({years[0]})" if len(years) == 1 else \
        f"{len(years)} years ({years[0]}-{years[-1]})"
    return (f"gridrisk run '{a.get('scenario_name')}' ({a.get('model')} model): "
            f"{run['ds'].sizes['trial']} trials x {span}, seed {a.get('seed')}, "
            f"scenarios: {', '.join(run['scenarios'])}\n{os.path.basename(run['path'])}, "
            f"{a.get('creation_time')}, {a.get('source')}")


def draw(run, out, dpi):
    if run["economic"]:
        # the shedding a reader should quote: what an average consumer loses (a system hour
        # counts if anyone is shed, however few); files of earlier releases lack it
        shed = "shed_consumer_hours" if "shed_consumer_hours" in run["ds"] else "shed_hours"
        fig, ax = plt.subplots(3, 3, figsize=(18, 14.5))
        distribution(ax[0, 0], run, "net_fiscal_cost_pkr")
        distribution(ax[0, 1], run, shed)
        text_box(ax[0, 2], headline_text(run))
        if run["alternatives"]:
            exceedance(ax[1, 0], run, "net_fiscal_cost_pkr")
            exceedance(ax[1, 1], run, shed)
            btc_scatter(ax[1, 2], run)
        else:
            for a in ax[1]:
                a.axis("off")
        shown = ["baseline"] + ([run["main"]] if run["main"] else [])
        grids = {s: lolp_grid(run, s) for s in shown}
        vmax = max(float(np.nanmax(g.values)) for g in grids.values()) or 1.0
        for a, s in zip(ax[2], shown):
            heatmap(fig, a, grids[s], f"loss-of-load probability: {s}", 0, vmax, "magma_r",
                    "LOLP [% of trials]")
        if run["main"]:
            d = grids[run["main"]] - grids["baseline"]
            lim = float(np.nanmax(np.abs(d.values))) or 1.0
            heatmap(fig, ax[2, 2], d, f"LOLP change: {run['main']} - baseline", -lim, lim,
                    "RdBu_r", "change [percentage points]")
        else:
            ax[2, 1].axis("off")
            ax[2, 2].axis("off")
    else:
        fig, ax = plt.subplots(2, 2, figsize=(14, 10))
        distribution(ax[0, 0], run, "shed_hours")
        distribution(ax[0, 1], run, "unserved_mwh")
        grid = lolp_grid(run, run["scenarios"][0])
        heatmap(fig, ax[1, 0], grid, f"loss-of-load probability: {run['scenarios'][0]}", 0,
                float(np.nanmax(grid.values)) or 1.0, "magma_r", "LOLP [% of trials]")
        text_box(ax[1, 1], headline_text(run))
    fig.suptitle(title(run), fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    fig.savefig(out, dpi=dpi)
    plt.close(fig)


def main(argv):
    p = argparse.ArgumentParser(description="One-page picture of a gridrisk result (layout v2).")
    p.add_argument("result", help="result file (HDF5, layout v2)")
    p.add_argument("-o", "--output", default="run.png", help="PNG to write (default run.png)")
    p.add_argument("--dpi", type=int, default=110)
    a = p.parse_args(argv)
    try:
        run = load(a.result)
    except (OSError, ValueError, KeyError) as e:
        print(f"dashboard: {a.result}: cannot read as a layout v2 result: {e}", file=sys.stderr)
        return 1
    draw(run, a.output, a.dpi)
    print(f"dashboard: wrote {a.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
