#!/usr/bin/python3
"""Writes every figure of README.md's "What the default run finds" from runs of gridrisk.

    readme_figures.py BIN [--write | --check] [--trials N] [--attr-trials M] [--sweep-trials K]

Each table sits in README.md between `<!-- figures:NAME -->` and `<!-- /figures -->`:
  headline     the default run (inputs/pakistan/pakistan.yaml, N trials, default 10,000):
               the allocation's paired effects, mean and P5-P95;
  path         baseline and extra shedding by year;
  money        the allocation's money by year and as a horizon mean: the cash view (net
               fiscal cost), the IMF view (imf_subsidy_pkr), what ordinary consumers pay and
               the lost load, mean and P5-P95, and the miners' full-load days;
  reconcile    the baseline's first-year cash gap against the sourced circular-debt flow, with
               the sourced items the model leaves out (RECONCILE);
  breakeven    the break-even tariffs by year and as a horizon mean: the cash view's, the IMF
               view's (the average cost of supply) and the miners', median and P5-P95, how
               often the allocation's tariff covers the first two and reaches the third, and
               the miners' profit;
  miners       the network's first-year hashprice, and the miners' break-even, how often mining
               pays, full-load days and profit for the bundled fleet and two variants on the
               same draws (no fixed cost; 15 J/TH), M trials each;
  fiscal_years the money table by Pakistan's fiscal year (July-June) for the fiscal years the
               horizon holds whole, from the default run's accounts by month (/by_month);
  fca          the cash view and what ordinary consumers pay with their fuel-cost adjustment
               computed on their own supply (bundled) or on every unit sold (fca_basis: all),
               M trials each;
  attribution  how much of the baseline and of the extra shedding each supply mechanism
               explains: the full model minus a run with that mechanism relaxed
               (economics.relax, same seed, so the same draws), for every mechanism, and
               the interaction remainder = (full - all relaxed) - the sum of the single
               effects (M trials per run, default 2,000);
  hinges       Spearman rank correlations, across trials, of the extra shedding with each
               sampled input (the default run): what the answer hinges on;
  regions      the default run by region: system and consumer-equivalent hours, national,
               north and south, and what the south-north corridor's limit explains;
  policies     inputs/pakistan/policies.yaml (six scenarios on the same draws, M trials): the
               mean paired effect of each against its baseline;
  sites        inputs/pakistan/sites.yaml (the allocation at the named sites, all north, all
               south, on the same draws, M trials): the mean paired effects by region, and the
               national effect again with the south's demand share on the all-of-K-Electric
               basis (24-29% instead of 21-25%);
  sweep        inputs/pakistan/sweep.yaml (K trials, default 300): each variant's extra consumer
               hours and IMF view over MW, and its break-even tariffs at 2,000 MW;
  frontier     gridrisk frontier inputs/pakistan/frontier.yaml (K trials): each variant's
               frontier bracket, its evaluations and the limit its first miss broke;
  calibration  tests/check_calibration.py --markdown (the FY2024-25 replay, 1,000 trials).
  performance  bench/table.py over the committed runs of make bench (PERF_CSVS; no run).
--write rewrites the blocks in place; --check (the default) exits 1 if any block differs
from what the runs give (the runs are pure functions of scenario, seed and trials, so the
text is reproducible to the last digit). Exit 2 on usage or a failed run.
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
README = os.path.join(ROOT, "README.md")
SCEN = os.path.join(ROOT, "inputs", "pakistan", "pakistan.yaml")
MECHS = [("hydro", "hydro capability (peak output, run-of-river)"),
         ("fuel", "gas and RLNG supply (monthly fuel budgets)"),
         ("derating", "temperature derating of thermal plants"),
         ("old_plants", "old plants and ended contracts out all year"),
         ("refuelling", "nuclear refuelling outages"),
         ("corridor", "the south-north corridor's transfer limit")]


# Runs already made, by (scenario, trials, relax): the default scenario at M trials serves the
# attribution's full model, the miners' bundled fleet and the bundled FCA basis (one run, not three).
DONE = {}


def run(binary, scen, out, trials, relax=None, tmp=None, extra=()):
    key = (scen, trials, relax, tuple(extra))
    if key in DONE:
        return h5py.File(DONE[key], "r")
    DONE[key] = out
    path = scen
    if relax is not None:
        path = os.path.join(tmp, f"relax_{relax.replace(',', '_') or 'none'}.yaml")
        with open(path, "w") as f:
            f.write(f"name: relax\nbase: {scen}\neconomics:\n  relax: \"{relax}\"\n")
    r = subprocess.run([binary, "run", path, "-o", out, "-n", str(trials), *extra],
                       capture_output=True, text=True)
    if r.returncode:
        sys.stderr.write(r.stdout + r.stderr)
        sys.exit(2)
    return h5py.File(out, "r")


def share(mask):
    """How often mask holds, in whole percent, but never 100% or 0% unless always or never:
    13 futures in 10,000 are not none (">99%")."""
    p = 100 * np.mean(mask)
    if 99.5 <= p < 100:
        return ">99%"
    if 0 < p < 0.5:
        return "<1%"
    return f"{p:.0f}%"


def pct(x, q):
    return float(np.percentile(x, q))


def f0(x):
    return f"{x:,.0f}"


def f1(x):
    return f"{x:,.1f}"


def sgn(x, fmt=f1):
    return ("+" if x >= 0 else "-") + fmt(abs(x))


def yearly(f, name):
    """(scenario, trial) means over the horizon's years."""
    return f[name][:].mean(axis=2)


def yearly_per_kwh(f, name):
    """(scenario, trial) horizon values of a per-kWh break-even of the allocation: weighted by its
    energy in each year (a year without allocated energy has none to break even on; NaN where the
    whole horizon has none)."""
    e = f["alloc_energy_mwh"][:]
    tot = e.sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(tot > 0, (f[name][:] * e).sum(axis=2) / np.where(tot > 0, tot, 1), np.nan)


def headline(f, trials):
    s = yearly(f, "shed_hours")
    c = yearly(f, "shed_consumer_hours")
    u = yearly(f, "unserved_mwh") / 1e3
    v = yearly(f, "unserved_cost_usd") / 1e6
    n = yearly(f, "net_fiscal_cost_pkr") / 1e9
    nu = yearly(f, "net_fiscal_cost_usd") / 1e6
    rev = yearly(f, "alloc_revenue_pkr")[1] / 1e9
    imf = yearly(f, "imf_subsidy_pkr")[1] / 1e9
    paid = yearly(f, "base_revenue_pkr") / 1e9
    up = 100 * yearly(f, "miner_uptime")[1]
    be_cash, be_imf, be_mine, paid_t = breakevens(f)
    # over the horizon: the state's break-evens weighted by the allocation's energy in each year
    be_cash = yearly_per_kwh(f, "breakeven_tariff_cash_pkr_per_kwh")[1]
    be_imf = yearly_per_kwh(f, "breakeven_tariff_imf_pkr_per_kwh")[1]
    be_mine = be_mine.mean(axis=1)
    tariff = float(np.median(paid_t))
    d = lambda a: a[1] - a[0]  # noqa: E731
    rows = [
        ("net fiscal cost of the power sector", f"**{sgn(d(n).mean())} PKR bn/yr** ({sgn(d(nu).mean(), f0)} USD m)",
         f"{sgn(pct(d(n), 5))} to {sgn(pct(d(n), 95))} PKR bn", f"cost rises in {share(d(n) > 0)} of futures"),
        ("the IMF view: the allocation's implicit subsidy (its energy at the average cost of supply, capacity included, less what it pays)",
         f"**{sgn(imf.mean())} PKR bn/yr**", f"{sgn(pct(imf, 5))} to {sgn(pct(imf, 95))} PKR bn",
         f"a subsidy in {share(imf > 0)} of futures"),
        ("what ordinary consumers pay, as collected (after losses and unpaid bills; their money, not the state's)", f"{sgn(d(paid).mean())} PKR bn/yr",
         f"{sgn(pct(d(paid), 5))} to {sgn(pct(d(paid), 95))} PKR bn", ""),
        ("hours in which any ordinary consumer is shed (system hours)",
         f"**{sgn(d(s).mean(), f0)} h/yr** ({f0(s[0].mean())} -> {f0(s[1].mean())})",
         f"{sgn(pct(d(s), 5), f0)} to {sgn(pct(d(s), 95), f0)} h", f"more shedding in {share(d(s) > 0)}"),
        ("what the average ordinary consumer loses (consumer-equivalent hours)",
         f"**{sgn(d(c).mean())} h/yr** ({f1(c[0].mean())} -> {f1(c[1].mean())})",
         f"{sgn(pct(d(c), 5))} to {sgn(pct(d(c), 95))} h", ""),
        ("energy not served to ordinary consumers", f"{sgn(d(u).mean(), f0)} GWh/yr",
         f"{sgn(pct(d(u), 5), f0)} to {sgn(pct(d(u), 95), f0)} GWh", f"more in {share(d(u) > 0)}"),
        ("economic cost of that lost load (1.5 USD/kWh)", f"{sgn(d(v).mean(), f0)} USD m/yr",
         f"{sgn(pct(d(v), 5), f0)} to {sgn(pct(d(v), 95), f0)} USD m", ""),
        ("tariff revenue from the allocation", f"{f0(rev.mean())} PKR bn/yr",
         f"{f0(pct(rev, 5))} to {f0(pct(rev, 95))} PKR bn", ""),
        ("Bitcoin miners' uptime (full-load days a year)", f"{f1(up.mean())}% ({f0(3.65 * up.mean())} days; median {f0(3.65 * pct(up, 50))})",
         f"{f0(pct(up, 5))}% to {f0(pct(up, 95))}%", ""),
        (f"break-even tariff, cash view: the tariff on the allocation's energy that leaves the state's cash unchanged (it pays {f2(tariff)} PKR/kWh)",
         f"**{f2(pct(be_cash, 50))} PKR/kWh** (median)", f"{f2(pct(be_cash, 5))} to {f2(pct(be_cash, 95))}",
         f"its tariff covers it in {share(be_cash <= paid_t.mean(axis=1))}"),
        ("break-even tariff, IMF view: the average cost of supply, capacity included",
         f"**{f2(pct(be_imf, 50))} PKR/kWh** (median)", f"{f2(pct(be_imf, 5))} to {f2(pct(be_imf, 95))}",
         f"its tariff covers it in {share(be_imf <= paid_t.mean(axis=1))}"),
        ("break-even tariff for the miners: the flat tariff at which a year of mining pays, machines' fixed cost included",
         f"{f2(pct(be_mine, 50))} PKR/kWh (median)", f"{f2(pct(be_mine, 5))} to {f2(pct(be_mine, 95))}",
         f"mining pays at its tariff in {share(be_mine >= paid_t.mean(axis=1))}"),
    ]
    usd = "here has the other sign" if np.sign(d(n).mean()) != np.sign(d(nu).mean()) else "can have the other sign"
    out = [f"{trials:,} trials; per year, averaged over the horizon; money in nominal PKR (each year's, not "
           f"discounted); P5 - P95: the range 90% of futures fall in. The USD figure converts each trial-year at "
           f"its own sampled rate, and a weak rupee comes with high costs in rupees, so the dollar mean is not "
           f"the rupee mean converted and {usd}.", "",
           "| effect of the allocation (allocation - baseline) | mean | P5 - P95 | probability |",
           "|---|---|---|---|"]
    out += [f"| {a} | {b} | {c_} | {d_} |" for a, b, c_, d_ in rows]
    return "\n".join(out)


def path(f):
    years = f["year"][:]
    s = f["shed_hours"][:]
    c = f["shed_consumer_hours"][:]
    lvl = f["parameters/demand_level"][:]
    out = ["| year | demand vs 2025 | baseline system h | extra system h | baseline consumer h | extra consumer h |",
           "|---|---|---|---|---|---|"]
    for i, y in enumerate(years):
        out.append(f"| {int(y)} | {lvl[:, i].mean():.3f} | {f0(s[0, :, i].mean())} | {sgn((s[1, :, i] - s[0, :, i]).mean(), f0)} | "
                   f"{f1(c[0, :, i].mean())} | {sgn((c[1, :, i] - c[0, :, i]).mean())} |")
    return "\n".join(out)


def f2(x):
    return f"{x:.2f}"


def npct_cell(x):
    """median (P5 to P95) of the trials with a value, and the share without one."""
    ok = x[~np.isnan(x)]
    none = f"; none in {100 * (1 - ok.size / x.size):.0f}%" if ok.size < x.size else ""
    return f"{f2(pct(ok, 50))} ({f2(pct(ok, 5))} to {f2(pct(ok, 95))}{none})"


def breakevens(f):
    """Per (trial, year): the allocation's cash and IMF break-even tariffs and the miners' (PKR/kWh),
    and the tariff it pays (its revenue over its energy: the blocks' tariffs, rebased, at recovery 1)."""
    e = f["alloc_energy_mwh"][1]
    paid = f["alloc_revenue_pkr"][1] / np.maximum(e, 1e-300) / 1e3
    # the tariff the miners' break-even is compared with is the mining blocks' own: here it is the
    # average over all blocks, which is the same only while every block pays one tariff in full
    if not np.allclose(paid, paid.flat[0], rtol=1e-9):
        sys.exit("readme_figures: the allocation's blocks pay different tariffs; compare the miners' "
                 "break-even with the mining blocks' own tariff")
    return (f["breakeven_tariff_cash_pkr_per_kwh"][1], f["breakeven_tariff_imf_pkr_per_kwh"][1],
            f["mining_breakeven_tariff_pkr_per_kwh"][1], paid)


def breakeven(f):
    """The break-even tariffs by year and over the horizon: median, P5 to P95, and how often the
    allocation's tariff covers the state's break-evens / reaches the miners'."""
    years = f["year"][:]
    cash, imf, mine, paid = breakevens(f)
    profit = f["miner_profit_usd"][1] / 1e6
    out = ["| year | it pays, PKR/kWh | cash break-even (its tariff covers it in) | IMF break-even: average cost of supply (covered in) | miners' break-even (mining pays in) | miners' profit, USD m |",
           "|---|---|---|---|---|---|"]

    def cell(x, ok):
        return f"{f2(pct(x, 50))} ({f2(pct(x, 5))} to {f2(pct(x, 95))}; {share(ok)})"

    e = f["alloc_energy_mwh"][1]

    def row(label, sl):
        m, p, pr = (a[:, sl].mean(axis=1) for a in (mine, paid, profit))
        # the state's break-evens: the years weighted by the allocation's energy
        c, i = ((a[:, sl] * e[:, sl]).sum(axis=1) / e[:, sl].sum(axis=1) for a in (cash, imf))
        return (f"| {label} | {f2(np.median(p))} | {cell(c, c <= p)} | {cell(i, i <= p)} | {cell(m, m >= p)} | "
                f"{sgn(pr.mean(), f0)} ({sgn(pct(pr, 5), f0)} to {sgn(pct(pr, 95), f0)}) |")
    for k, y in enumerate(years):
        out.append(row(str(int(y)), slice(k, k + 1)))
    out.append(row(f"{int(years[0])}-{int(years[-1])} (the state's: each year weighted by the allocation's energy; "
                   "the miners': the years' mean)", slice(0, len(years))))
    return "\n".join(out)


def miners(binary, trials, tmp, hp, year0):
    """The network's hashprice of the first year (hp: the default run's, per trial), and the
    miners' books for the bundled fleet and two variants (an overlay of economics.bitcoin), each
    a run of `trials` trials on the same draws."""
    out = [f"The network's hashprice in {year0}: median {f0(pct(hp, 50))} USD per PH/s a day "
           f"(P5-P95 {f0(pct(hp, 5))}-{f0(pct(hp, 95))}). The fleet's books, {trials:,} trials a row on the "
           "same draws, per year over the horizon:", "",
           "| fleet | miners' break-even, PKR/kWh (P5 to P95) | mining pays at its tariff in | full-load days | miners' profit, USD m/yr |",
           "|---|---|---|---|---|"]
    return "\n".join(out + miners_rows(binary, trials, tmp))


def miners_rows(binary, trials, tmp):
    out = []
    variants = [("bundled: 20 J/TH, fixed cost 400 USD per MW a day", None),
                ("no fixed cost (the tariff above which no day pays)", "idle_cost_usd_per_mw_day: 0"),
                ("a newer fleet: 15 J/TH, fixed cost 533 (a third more TH per MW)",
                 "efficiency_j_per_th: 15, idle_cost_usd_per_mw_day: 533")]
    for label, over in variants:
        path = SCEN
        if over:
            path = os.path.join(tmp, f"miners_{over.split(':')[0]}.yaml")
            with open(path, "w") as fh:
                fh.write(f"name: miners\nbase: {SCEN}\neconomics:\n  bitcoin: {{{over}}}\n")
        with run(binary, path, os.path.join(tmp, f"miners_{len(out)}.h5"), trials) as g:
            m = g["mining_breakeven_tariff_pkr_per_kwh"][1].mean(axis=1)
            e = g["alloc_energy_mwh"][1]
            paid = (g["alloc_revenue_pkr"][1] / np.maximum(e, 1e-300) / 1e3).mean(axis=1)
            days = 365.0 * g["miner_uptime"][1].mean(axis=1)
            pr = g["miner_profit_usd"][1].mean(axis=1) / 1e6
        out.append(f"| {label} | {f2(pct(m, 50))} ({f2(pct(m, 5))} to {f2(pct(m, 95))}) | {share(m >= paid)} | "
                   f"{f0(days.mean())} | {sgn(pr.mean(), f0)} |")
    return out


def fca(binary, trials, tmp):
    """The cash view and what ordinary consumers pay under each fiscal.fca_basis (the bundled
    scenario and an overlay, `trials` trials each on the same draws)."""
    out = [f"{trials:,} trials a row on the same draws; mean paired effect per year (P5 to P95).", "",
           "| base consumers' fuel-cost adjustment computed on | net fiscal cost, PKR bn/yr | what ordinary consumers pay (collected), PKR bn/yr | IMF view, PKR bn/yr |",
           "|---|---|---|---|"]
    for basis, label in (("baseline", "their own supply, without the allocation (`fca_basis: baseline`, bundled)"),
                         ("all", "every unit sold, the allocation's included, as NEPRA computes it (`fca_basis: all`)")):
        path = SCEN  # bundled: baseline
        if basis != "baseline":
            path = os.path.join(tmp, f"fca_{basis}.yaml")
            with open(path, "w") as fh:
                fh.write(f"name: fca_{basis}\nbase: {SCEN}\neconomics:\n  fiscal: {{fca_basis: {basis}}}\n")
        with run(binary, path, os.path.join(tmp, f"fca_{basis}.h5"), trials) as g:
            n, paid = yearly(g, "net_fiscal_cost_pkr") / 1e9, yearly(g, "base_revenue_pkr") / 1e9
            imf = yearly(g, "imf_subsidy_pkr")[1] / 1e9
        dn, dp = n[1] - n[0], paid[1] - paid[0]
        out.append(f"| {label} | {sgn(dn.mean())} ({sgn(pct(dn, 5))} to {sgn(pct(dn, 95))}) | "
                   f"{sgn(dp.mean())} ({sgn(pct(dp, 5))} to {sgn(pct(dp, 95))}) | {sgn(imf.mean())} |")
    return "\n".join(out)


# The items the model's cash view leaves out, PKR bn a year, with their sources (issue 16; the
# data README's fiscal rows and a sourcing helper's search of stored news, Nov 2026). sign: what
# adding the item does to the model's gap (+ makes it larger).
RECONCILE = [
    ("distribution margins and prior-year adjustments in the tariff (CY26 revenue requirement: "
     "PKR 3,379 bn, of which 2,923 power purchase)", +456,
     "Dawn, 2026-01-08 (NEPRA CY26 rebasing)",
     "the model bills the whole tariff but counts only the power purchase cost"),
    ("tariff differential subsidy between DISCOs, FY26 budget (the model bills 31.59 PKR/kWh, the "
     "tariff after it)", -249,
     "Business Recorder, 2025-06-11 (FY26 budget: PKR 249.136 bn of a PKR 1,036 bn power subsidy)",
     "revenue from the budget the model does not count; unreleased subsidy added PKR 28 bn to the "
     "FY25 flow"),
    ("interest on Power Holding's loans and on dues to IPPs, FY25", +58,
     "Power Division via Arif Habib / Mettis, 2025-09-22", "not in the model"),
]


def reconcile(f):
    """The baseline's cash gap in the first year against the circular-debt flow: the model's
    figure, the items it leaves out (RECONCILE) and their sum."""
    y0 = int(f["year"][0])
    n = f["net_fiscal_cost_pkr"][0][:, 0] / 1e9
    out = ["| item | PKR bn a year | source | in the model |", "|---|---|---|---|",
           f"| the model's baseline net fiscal cost, {y0} (mean; P5 to P95) | **{sgn(n.mean(), f0)}** "
           f"({sgn(pct(n, 5), f0)} to {sgn(pct(n, 95), f0)}) | this run | (revenue at the tariff after T&D losses "
           "of 18% and recovery of 92%: DISCO losses above target and under-recovery, PKR 397 bn in "
           "FY25 (NEPRA State of Industry 2025), are in it) |"]
    total = n.mean()
    for item, bn, src, how in RECONCILE:
        total += bn
        out.append(f"| {item} | {sgn(bn, f0)} | {src} | {how} |")
    out.append(f"| **the model's gap with these items** | **{sgn(total, f0)}** | | |")
    out.append("| circular-debt flow, FY25, before the government's PKR 825 bn of payments (stock "
               "2,393 -> 1,614) | +45 | Power Division via Arif Habib / Mettis, 2025-09-22; Business "
               "Recorder, 2025-07-31 | |")
    out.append("| circular-debt flow, FY26: Q1 +79, July-December under +80 | about +160 at that pace | "
               "PID press release 30896; APP, 2026-01-26 | |")
    return "\n".join(out)


def money(f):
    """The allocation's money by year and over the horizon: the cash view, the IMF view, what
    ordinary consumers pay and the lost load, each paired (allocation - baseline)."""
    return money_table([str(int(y)) for y in f["year"][:]], "year",
                       f["net_fiscal_cost_pkr"][:] / 1e9, f["imf_subsidy_pkr"][:] / 1e9,
                       f["base_revenue_pkr"][:] / 1e9, f["unserved_cost_usd"][:] / 1e6,
                       365.0 * f["miner_uptime"][:])


def money_table(labels, first, n, imf, paid, v, days_all):
    """The money table's rows from arrays (scenario, trial, period): a row per period and the
    mean over them."""
    out = [f"| {first} | net fiscal cost, PKR bn | IMF view: implicit subsidy, PKR bn | ordinary consumers pay (collected), PKR bn | lost load, USD m | mining, full-load days |",
           "|---|---|---|---|---|---|"]

    def row(label, sl):
        dn = (n[1] - n[0])[:, sl].mean(axis=1)
        im = imf[1][:, sl].mean(axis=1)
        dp = (paid[1] - paid[0])[:, sl].mean(axis=1)
        dv = (v[1] - v[0])[:, sl].mean(axis=1)
        days = days_all[1][:, sl].mean(axis=1)
        return (f"| {label} | {sgn(dn.mean())} ({sgn(pct(dn, 5))} to {sgn(pct(dn, 95))}; a cost in {share(dn > 0)}) | "
                f"{sgn(im.mean())} ({sgn(pct(im, 5))} to {sgn(pct(im, 95))}; a subsidy in {share(im > 0)}) | "
                f"{sgn(dp.mean())} ({sgn(pct(dp, 5))} to {sgn(pct(dp, 95))}; less in {share(dp < 0)}) | "
                f"{sgn(dv.mean(), f0)} ({sgn(pct(dv, 5), f0)} to {sgn(pct(dv, 95), f0)}; a cost in {share(dv > 0)}) | "
                f"{f0(days.mean())} (median {f0(pct(days, 50))}) |")
    for i, lab in enumerate(labels):
        out.append(row(lab, slice(i, i + 1)))
    k = len(labels)
    out.append(row(f"{k}-{first.replace(' ', '-')} mean", slice(0, k)))
    return "\n".join(out)


def fiscal_years(f):
    """The money by Pakistan's fiscal year (July-June, named by the year it ends), from the
    default run's accounts by month (/by_month; the recipe of docs/LAYOUT.md), for the fiscal
    years the horizon holds whole: the same futures as the calendar-year table."""
    sm = int(f.attrs.get("start_month", 1))
    pos = sm - 1 + np.arange(12)
    years = f["year"][:]
    fy = (years[:, None] + pos // 12 + (pos % 12 + 1 >= 7)).ravel()
    whole = [k for k, c in zip(*np.unique(fy, return_counts=True)) if c == 12]

    def flow(name):  # (scenario, trial, fiscal year)
        x = f["by_month/" + name][:]
        x = x.reshape(x.shape[0], x.shape[1], -1)
        return np.stack([x[:, :, fy == k].sum(axis=2) for k in whole], axis=2)
    gen, cap, base, alloc = (flow(q) for q in ("gen_cost_pkr", "capacity_payments_pkr",
                                                "base_revenue_pkr", "alloc_revenue_pkr"))
    served, alloc_mwh, miner, unserved = (flow(q) for q in ("served_mwh", "alloc_energy_mwh",
                                                            "miner_energy_mwh", "unserved_mwh"))
    net = gen + cap - base - alloc
    imf = alloc_mwh * (gen + cap) / served - alloc
    # the value of lost load and the fleet's MW, from the root's annual ratios
    um, uc = f["unserved_mwh"][:], f["unserved_cost_usd"][:]
    voll_usd_per_mwh = uc[um > 0].sum() / um[um > 0].sum() if (um > 0).any() else 0.0
    mm, up = f["miner_energy_mwh"][1], f["miner_uptime"][1]
    hours = float(f.attrs["hours_per_year"])
    flex_mw = (mm[up > 0] / (up[up > 0] * hours)).mean() if (up > 0).any() else 1.0
    days = miner / (flex_mw * 24.0)
    labels = [f"FY{k} (Jul {k - 1} - Jun {k})" for k in whole]
    return (f"The default run's futures, {len(whole)} whole fiscal years of the horizon.\n\n" +
            money_table(labels, "fiscal year", net / 1e9, imf / 1e9, base / 1e9,
                        unserved * voll_usd_per_mwh / 1e6, days))


def attribution(binary, trials, tmp):
    def stats(relax):
        with run(binary, SCEN, os.path.join(tmp, f"a_{relax or 'full'}.h5"), trials, relax, tmp) as f:
            s, c = yearly(f, "shed_hours"), yearly(f, "shed_consumer_hours")
            return np.array([s[0].mean(), s[1].mean() - s[0].mean(), c[0].mean(), c[1].mean() - c[0].mean()])
    full = stats("")
    none = stats("all")
    single = {m: full - stats(m) for m, _ in MECHS}
    total = full - none
    rem = total - sum(single.values())
    hdr = ["| | baseline system h | extra system h | baseline consumer h | extra consumer h |",
           "|---|---|---|---|---|",
           f"| full model | {f0(full[0])} | {sgn(full[1], f0)} | {f1(full[2])} | {sgn(full[3])} |"]
    for m, label in MECHS:
        e = single[m]
        hdr.append(f"| explained by {label} (`relax: {m}`) | {sgn(e[0], f0)} | {sgn(e[1], f0)} | {sgn(e[2])} | {sgn(e[3])} |")
    hdr.append(f"| interaction remainder (total - sum of the above) | {sgn(rem[0], f0)} | {sgn(rem[1], f0)} | {sgn(rem[2])} | {sgn(rem[3])} |")
    hdr.append(f"| all mechanisms relaxed (blackouts only) | {f0(none[0])} | {sgn(none[1], f0)} | {f1(none[2])} | {sgn(none[3])} |")
    return f"{trials:,} trials per run, the same draws in every run.\n\n" + "\n".join(hdr)


def regions(f):
    d = lambda a: a[1] - a[0]  # noqa: E731
    out = ["| region | baseline system h | extra system h | baseline consumer h | extra consumer h (P5 - P95) | more consumer h in |",
           "|---|---|---|---|---|---|"]
    for label, suf in (("national", ""), ("north (Punjab, KP, Islamabad)", "_north"), ("south (Sindh, Balochistan, Karachi)", "_south")):
        s, c = yearly(f, "shed_hours" + suf), yearly(f, "shed_consumer_hours" + suf)
        out.append(f"| {label} | {f0(s[0].mean())} | {sgn(d(s).mean(), f0)} | {f1(c[0].mean())} | "
                   f"**{sgn(d(c).mean())}** ({sgn(pct(d(c), 5))} to {sgn(pct(d(c), 95))}) | {share(d(c) > 0)} |")
    lim, cu = yearly(f, "corridor_limit_hours"), yearly(f, "corridor_unserved_mwh") / 1e3
    u = yearly(f, "unserved_mwh") / 1e3
    out += ["", f"The corridor is at its limit {f0(lim[0].mean())} h/yr in the baseline and {f0(lim[1].mean())} h/yr "
            f"with the allocation; it explains {f0(cu[0].mean())} of the baseline's {f0(u[0].mean())} GWh/yr "
            f"of energy not served ({100 * cu[0].mean() / u[0].mean():.1f}%) and {sgn(d(cu).mean(), f0)} of the "
            f"allocation's {sgn(d(u).mean(), f0)} GWh/yr."]
    return "\n".join(out)


def sites(binary, trials, tmp):
    scen = os.path.join(ROOT, "inputs", "pakistan", "sites.yaml")
    # the south's demand share on the all-of-K-Electric basis (SOURCE.md, "network"): K-Electric's
    # own plants are in the fleet, so the load they serve belongs with them
    ke = os.path.join(tmp, "sites_ke.yaml")
    with open(ke, "w") as fh:
        fh.write(f"name: sites_ke\nbase: {scen}\neconomics:\n  network:\n    south_demand_share: [0.24, 0.29]\n")
    with run(binary, ke, os.path.join(tmp, "sites_ke.h5"), trials) as f:
        c = yearly(f, "shed_consumer_hours")
        ke_extra = [(c[i] - c[0]).mean() for i in range(c.shape[0])]
    with run(binary, scen, os.path.join(tmp, "sites.h5"), trials) as f:
        names = [x.decode() if isinstance(x, bytes) else x for x in f["scenario"][:]]
        c, cn, cs = (yearly(f, "shed_consumer_hours" + k) for k in ("", "_north", "_south"))
        s, u = yearly(f, "shed_hours"), yearly(f, "unserved_mwh") / 1e3
        n, up = yearly(f, "net_fiscal_cost_pkr") / 1e9, 100 * yearly(f, "miner_uptime")
        lim = yearly(f, "corridor_limit_hours")
        out = [f"{trials:,} trials, all scenarios on the same draws; mean paired effect per year against `{names[0]}`.", "",
               "| sites | extra consumer h, national | north | south | extra system h | extra unserved energy | "
               "net fiscal cost | miner uptime | corridor at limit | national, south's share 24-29% |",
               "|---|---|---|---|---|---|---|---|---|---|"]
        for i in range(1, len(names)):
            out.append(f"| `{names[i]}` | **{sgn((c[i] - c[0]).mean())} h** | {sgn((cn[i] - cn[0]).mean())} h | "
                       f"{sgn((cs[i] - cs[0]).mean())} h | {sgn((s[i] - s[0]).mean(), f0)} h | "
                       f"{sgn((u[i] - u[0]).mean(), f0)} GWh | {sgn((n[i] - n[0]).mean())} PKR bn | {f1(up[i].mean())}% | "
                       f"{f0(lim[i].mean())} h (baseline {f0(lim[0].mean())}) | {sgn(ke_extra[i])} h |")
    return "\n".join(out)


def ranks(x):
    """Average ranks (ties share the mean of their positions), as Spearman's rho needs."""
    x = np.asarray(x)
    order = np.argsort(x, kind="stable")
    r = np.empty(len(x))
    r[order] = np.arange(len(x), dtype=float)
    _, inv, counts = np.unique(x, return_inverse=True, return_counts=True)
    sums = np.bincount(inv, weights=r)
    return (sums / counts)[inv]


LABELS = {"demand_level": "demand growth (level vs 2025)", "gas_mmcfd": "gas to budgeted plants",
          "old_plants_mw": "capacity out all year", "hydro_peak_mw": "hydro peak capability",
          "hydro_factor": "river inflow", "heat_derate_max": "heat derating on the hottest day",
          "hydro_ror_share": "run-of-river share", "btc_usd": "Bitcoin price",
          "corridor_mw": "south-north corridor limit", "south_demand_share": "south's share of demand",
          "blackout_hours": "blackout hours", "pkr_per_usd": "rupee per dollar",
          "brent_usd_per_bbl": "Brent", "coal_usd_per_t": "coal price",
          "rlng_usd_per_mmbtu": "RLNG price", "rfo_usd_per_t": "furnace oil price",
          "hashrate_ehs": "network hashrate", "hashprice_usd_per_ph_day": "hashprice",
          "mining_revenue_usd_per_mwh": "mining revenue per MWh",
          "gas_peak_ratio": "hourly gas limit", "network_cost_usd_per_ph_day": "network's running cost"}


def tornado_chart(z, s, m, mean, unit, width=44, n=8, scale=1.0):
    """A text tornado: per input, the paired effect averaged over the tenth of futures where the
    input is lowest (L) and highest (H), as a bar around the mean over all futures (|)."""
    drv = [x.decode() for x in z["driver"][()]]
    lo, hi = z["tornado_low"][s, m] * scale, z["tornado_high"][s, m] * scale
    swing = np.nan_to_num(np.abs(hi - lo), nan=-1.0)
    rows = [i for i in np.argsort(-swing, kind="stable")[:n] if swing[i] > 0]
    left = min(mean, *(min(lo[i], hi[i]) for i in rows))
    right = max(mean, *(max(lo[i], hi[i]) for i in rows))
    col = (lambda v: int(round((v - left) / (right - left) * (width - 1)))) if right > left else (lambda v: 0)
    out = [f"{'':<30}{'':>8}  {'L: its lowest tenth of futures, H: its highest, |: all futures':<{width}}"]
    for i in rows:
        bar = [" "] * width
        a, b = sorted((col(lo[i]), col(hi[i])))
        for k in range(a, b + 1):
            bar[k] = "="
        bar[col(mean)] = "|"
        bar[col(lo[i])], bar[col(hi[i])] = "L", "H"
        out.append(f"{drv[i]:<30}{sgn(lo[i]):>8}  {''.join(bar)}  {sgn(hi[i])} {unit}")
    return out


def hinges(f):
    """What drives the 2,000 MW answer, from the run's /sensitivity group (gridrisk run --sobol)."""
    z = f["sensitivity"]
    scen = [x.decode() for x in z["scenario"][()]]
    met = [x.decode() for x in z["metric"][()]]
    drv = [x.decode() for x in z["driver"][()]]
    s, mc, mf = scen.index("allocation"), met.index("shed_consumer_hours"), met.index("net_fiscal_cost_pkr")
    ext = yearly(f, "shed_consumer_hours")
    mean_c = float((ext[s] - ext[0]).mean())
    n, wall = int(z.attrs["sobol_base_points"]), float(z.attrs["sobol_wall_s"])
    out = [f"{f.attrs['trials']:,} trials; the Sobol design adds {8 * n:,} ({n:,} base points x 8 groups), "
           "on the same streams.", "",
           f"Tornado: extra consumer-equivalent shed hours a year (`allocation` - `baseline`, mean {sgn(mean_c)} h):",
           "", "```"] + tornado_chart(z, s, mc, mean_c, "h") + ["```", ""]
    net = yearly(f, "net_fiscal_cost_pkr")
    mean_f = float((net[s] - net[0]).mean()) * 1e-9
    out += [f"Tornado: extra net fiscal cost a year, PKR bn (mean {sgn(mean_f)} bn):", "", "```"] + \
        tornado_chart(z, s, mf, mean_f, "bn", scale=1e-9) + ["```", ""]
    g = [x.decode() for x in z["group"][()]]
    out += ["Share of the variance over futures that each group of inputs explains (Sobol indices, "
            "95% bootstrap intervals; *first order*: alone, *total*: with its interactions):", "",
            "| group of inputs | extra consumer h: first order | total | extra net fiscal cost: first order | total |",
            "|---|---|---|---|---|"]

    def ci(name, k, m):
        e, lo_, hi_ = (z[name + x][s, m, k] for x in ("", "_lo", "_hi"))
        return f"{e:.2f} ({lo_:.2f} to {hi_:.2f})"
    order = np.argsort(-np.nan_to_num(z["sobol_total"][s, mc], nan=-1.0), kind="stable")
    for k in order:
        out.append(f"| `{g[k]}` | {ci('sobol_first', k, mc)} | {ci('sobol_total', k, mc)} | "
                   f"{ci('sobol_first', k, mf)} | {ci('sobol_total', k, mf)} |")
    out += ["", "Rank correlation of each sampled input (its mean over the years of a trial) with the "
            "baseline's consumer hours and with the allocation's extra (Spearman; +1: more of the input, "
            "more shedding):", "",
            "| sampled input | with baseline consumer h | with extra consumer h | with extra net fiscal cost |",
            "|---|---|---|---|"]
    rc = z["rank_corr"]
    rows = []
    for d, name in enumerate(drv):
        rb, re_, rf = rc[0, mc, d], rc[s, mc, d], rc[s, mf, d]
        if np.isnan(re_):
            continue
        rows.append((-abs(re_), f"| {LABELS.get(name, name)} (`{name}`) | {rb:+.2f} | {re_:+.2f} | {rf:+.2f} |"))
    rows.sort(key=lambda r: r[0])
    return "\n".join(out + [r for _, r in rows])


def policies(binary, trials, tmp):
    scen = os.path.join(ROOT, "inputs", "pakistan", "policies.yaml")
    with run(binary, scen, os.path.join(tmp, "policies.h5"), trials) as f:
        names = [x.decode() if isinstance(x, bytes) else x for x in f["scenario"][:]]
        s, c = yearly(f, "shed_hours"), yearly(f, "shed_consumer_hours")
        u, n = yearly(f, "unserved_mwh") / 1e3, yearly(f, "net_fiscal_cost_pkr") / 1e9
        rev, up = yearly(f, "alloc_revenue_pkr") / 1e9, 100 * yearly(f, "miner_uptime")
        # break-evens per trial over the horizon (each scenario's blocks as a whole: with one kind
        # of block, that kind's)
        be_c = yearly_per_kwh(f, "breakeven_tariff_cash_pkr_per_kwh")
        be_i = yearly_per_kwh(f, "breakeven_tariff_imf_pkr_per_kwh")
        out = [f"{trials:,} trials, all scenarios on the same draws; mean paired effect per year against `{names[0]}`; "
               "break-even tariffs: median (P5 to P95) over trials of the horizon's value (the years weighted by the "
               "allocation's energy), PKR/kWh.", "",
               "| scenario | extra system h | extra consumer h | extra unserved energy | net fiscal cost | allocation revenue | miner uptime | cash break-even | IMF break-even |",
               "|---|---|---|---|---|---|---|---|---|"]
        for i in range(1, len(names)):
            upm = up[i].mean()
            out.append(f"| `{names[i]}` | {sgn((s[i] - s[0]).mean(), f0)} h | {sgn((c[i] - c[0]).mean())} h | "
                       f"{sgn((u[i] - u[0]).mean(), f0)} GWh | {sgn((n[i] - n[0]).mean())} PKR bn | {f1(rev[i].mean())} PKR bn | "
                       f"{f1(upm) + '%' if upm > 0 else '-'} | {npct_cell(be_c[i])} | {npct_cell(be_i[i])} |")
    return "\n".join(out)


def sweep(binary, trials, tmp):
    """inputs/pakistan/sweep.yaml (`trials` trials): each variant's curve over MW on the same
    draws, paired against the baseline: extra consumer-equivalent hours (mean, and P95 of the
    worst year), the IMF view (mean, and P95 of the worst year), and at the plan's 2,000 MW the
    cash and IMF break-even tariffs."""
    scen = os.path.join(ROOT, "inputs", "pakistan", "sweep.yaml")
    with run(binary, scen, os.path.join(tmp, "sweep.h5"), trials) as f:
        var = [x.decode() if isinstance(x, bytes) else x for x in f["sweep_variant"][:]]
        mw = f["sweep_mw"][:]
        c, imf = f["shed_consumer_hours"][:], f["imf_subsidy_pkr"][:] / 1e9
        be_c = yearly_per_kwh(f, "breakeven_tariff_cash_pkr_per_kwh")
        be_i = yearly_per_kwh(f, "breakeven_tariff_imf_pkr_per_kwh")
        variants = list(dict.fromkeys(v for v in var if v))
        grid = sorted(set(float(m) for m in mw if not np.isnan(m)))
        out = [f"{trials:,} trials, every point on the same draws; each cell: mean over trials of the "
               "horizon's mean year / P95 over trials of the worst year, both paired against the "
               "baseline.", "",
               "| MW | " + " | ".join(f"`{v}`: extra consumer h; IMF view, PKR bn" for v in variants) + " |",
               "|---|" + "---|" * len(variants)]
        for m in grid:
            cells = []
            for v in variants:
                i = next(k for k in range(len(var)) if var[k] == v and mw[k] == m)
                dc, di = c[i] - c[0], imf[i]
                cells.append(f"{sgn(dc.mean(axis=1).mean())} / {sgn(pct(dc.max(axis=1), 95))} h; "
                             f"{sgn(di.mean(axis=1).mean())} / {sgn(pct(di.max(axis=1), 95))}")
            out.append(f"| {f0(m)} | " + " | ".join(cells) + " |")
        btc = f["mining_breakeven_btc_usd"][:].mean(axis=2)  # (scenario, trial): horizon mean
        price = f["parameters/btc_usd"][:].mean(axis=1)      # (trial)
        out += ["", "Break-even tariffs at 2,000 MW (PKR/kWh; median, P5 to P95 over trials, the years "
                "weighted by the allocation's energy), and the Bitcoin price at which the mining pays "
                "at its 22.5 PKR/kWh (USD; median and P5 to P95 over trials of the horizon's mean year, "
                "the network's hashrate as it was; in how many futures the price was at least that):",
                "", "| variant | cash view | IMF view | Bitcoin price at which mining pays |",
                "|---|---|---|---|"]
        for v in variants:
            i = next(k for k in range(len(var)) if var[k] == v and mw[k] == 2000)
            b = btc[i]
            cell = "- (no mining)" if not np.any(b) else (
                f"{f0(pct(b, 50))} ({f0(pct(b, 5))} to {f0(pct(b, 95))}; {share(price >= b)})")
            out.append(f"| `{v}` | {npct_cell(be_c[i])} | {npct_cell(be_i[i])} | {cell} |")
        cur, bk = f["interruptible_curtailed_mwh"][:].mean(axis=2), f["backup_cost_usd"][:].mean(axis=2)
        served = f["alloc_energy_mwh"][:].mean(axis=2)
        for v in variants:
            i = next(k for k in range(len(var)) if var[k] == v and mw[k] == 2000)
            if not np.any(cur[i]):
                continue
            cut = cur[i] / (cur[i] + served[i])
            out += ["", f"`{v}` at 2,000 MW is curtailed for {f1(100 * cut.mean())}% of the energy it "
                    f"would draw (P5 to P95 over trials {f1(100 * pct(cut, 5))}% to {f1(100 * pct(cut, 95))}%), "
                    f"{f0(cur[i].mean() / 1e3)} GWh a year, which its backup power makes at a cost of USD "
                    f"{f0(bk[i].mean() / 1e6)} m a year (P95 {f0(pct(bk[i], 95) / 1e6)} m), the block's own."]
    return "\n".join(out)


def frontier(binary, trials, tmp):
    """gridrisk frontier inputs/pakistan/frontier.yaml (`trials` trials): each variant's
    bracket, its evaluations and the limit its first miss broke."""
    scen = os.path.join(ROOT, "inputs", "pakistan", "frontier.yaml")
    csv = os.path.join(tmp, "frontier.csv")
    r = subprocess.run([binary, "frontier", scen, "-o", csv, "-n", str(trials), "-q"],
                       capture_output=True, text=True)
    if r.returncode:
        sys.stderr.write(r.stdout + r.stderr)
        sys.exit(2)
    with open(csv) as fh:
        head, *rows = [line.split(",") for line in fh.read().splitlines()]
    limits = [h[:-len("_verdict")] for h in head if h.endswith("_verdict")]
    out = [f"{trials:,} trials; every evaluation on the same draws; the frontier lies between the "
           "largest MW that met every limit and the smallest that missed one.", "",
           "| variant | frontier, MW | evaluations | limits missed at the smallest MW that missed |",
           "|---|---|---|---|"]

    def mw(x):
        return f"{x:,.1f}".rstrip("0").rstrip(".")
    for v in dict.fromkeys(row[0] for row in rows):
        ev = [row for row in rows if row[0] == v]
        met = [float(row[1]) for row in ev if row[2] == "met"]
        miss = [row for row in ev if row[2] == "missed"]
        und = [row for row in ev if row[2] == "undecided"]
        lo = max(met) if met else 0.0
        first = min(miss, key=lambda row: float(row[1])) if miss else None
        hi = float(first[1]) if first else None
        broke = ", ".join(f"`{limits[k]}`" for k in range(len(limits))
                          if first and first[head.index(limits[k] + "_verdict")] == "missed")
        span = f"{mw(lo)} - {mw(hi)}" if hi is not None else f"at least {mw(lo)}"
        note = "; stopped where a limit could not be told from its estimate" if und else ""
        out.append(f"| `{v}` | {span}{note} | {len(ev)} | {broke or '-'} |")
    return "\n".join(out)


def calibration(binary):
    r = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "check_calibration.py"), binary,
                        "-n", "1000", "--markdown"], capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.stderr.write(r.stdout + r.stderr)
        sys.exit(2)
    return r.stdout.strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bin")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--write", action="store_true")
    g.add_argument("--check", action="store_true")
    ap.add_argument("--trials", type=int, default=10000)
    ap.add_argument("--attr-trials", type=int, default=2000)
    ap.add_argument("--sweep-trials", type=int, default=300)
    ap.add_argument("--sobol-base", type=int, default=512)
    ap.add_argument("--only", default="", help="with --write: regenerate only these blocks "
                    "(comma-separated names), leaving the others as they are")
    ap.add_argument("--skip", default="", help="with --check: leave these blocks (comma-separated "
                    "names) unchecked; CI skips the costliest to stay under 30 minutes, and "
                    "`make readme-check` checks every block")
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    only = set(filter(None, a.only.split(",")))
    skip = set(filter(None, a.skip.split(",")))
    if only and not a.write:
        ap.error("--only needs --write (--check always checks every block but --skip's)")
    if skip and not a.check:
        ap.error("--skip needs --check")
    if skip:
        only = (DEFAULT_BLOCKS | REST_BLOCKS) - skip
        print(f"readme_figures: not checking {', '.join(sorted(skip))} (make readme-check checks them)")
    with tempfile.TemporaryDirectory() as tmp:
        blocks = regenerate(binary, a, tmp, only)
    return replace_blocks(blocks, a.write)


DEFAULT_BLOCKS = {"headline", "path", "hinges", "regions", "money", "fiscal_years", "breakeven",
                  "reconcile", "miners"}
REST_BLOCKS = {"fca", "attribution", "policies", "sites", "sweep", "frontier", "calibration",
               "performance"}
# The runs of make bench behind the Performance table (one revision on one machine).
PERF_CSVS = "bench/results/vm-2026-11-29-cdb8e07-*.csv"


def performance():
    """The Performance table: bench/table.py over PERF_CSVS (no run: make bench writes them)."""
    paths = sorted(glob.glob(os.path.join(ROOT, PERF_CSVS)))
    r = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "table.py"), *paths],
                       capture_output=True, text=True) if paths else None
    if not r or r.returncode:  # exit 2, as a failed run does
        print(f"readme_figures: bench/table.py over {PERF_CSVS} failed: "
              f"{r.stderr.strip() if r else 'no such files'}", file=sys.stderr)
        sys.exit(2)
    return r.stdout.strip()


def regenerate(binary, a, tmp, only):
    """The README's blocks by name, from fresh runs (only those named in `only`, if any)."""
    default_blocks, rest_names = DEFAULT_BLOCKS, REST_BLOCKS
    if only - default_blocks - rest_names:
        sys.exit(f"readme_figures: no block {sorted(only - default_blocks - rest_names)}")
    want = (lambda name: not only or name in only)
    blocks = {}
    if not only or only & default_blocks:
        # the Sobol design (4,096 more trials at N = 512) serves the hinges block only; the
        # run's own trials are the same without it (test_sens), so the other blocks need not wait
        sobol = ("--sobol", str(a.sobol_base)) if want("hinges") else ()
        with run(binary, SCEN, os.path.join(tmp, "default.h5"), a.trials, extra=sobol) as f:
            blocks = {"headline": headline(f, a.trials), "path": path(f),
                      "hinges": hinges(f) if sobol else None,
                      "regions": regions(f), "money": money(f), "fiscal_years": fiscal_years(f),
                      "breakeven": breakeven(f), "reconcile": reconcile(f)}
            hp, year0 = f["parameters/hashprice_usd_per_ph_day"][:, 0], int(f["year"][0])
        if want("miners"):
            blocks["miners"] = miners(binary, a.attr_trials, tmp, hp, year0)
    rest = {"fca": lambda: fca(binary, a.attr_trials, tmp),
            "attribution": lambda: attribution(binary, a.attr_trials, tmp),
            "policies": lambda: policies(binary, a.attr_trials, tmp),
            "sites": lambda: sites(binary, a.attr_trials, tmp),
            "sweep": lambda: sweep(binary, a.sweep_trials, tmp),
            "frontier": lambda: frontier(binary, a.sweep_trials, tmp),
            "calibration": lambda: calibration(binary),
            "performance": performance}
    for name, make in rest.items():
        if want(name):
            blocks[name] = make()
    return {k: v for k, v in blocks.items() if want(k)}


def replace_blocks(blocks, write):
    """Puts each block into the README (write) or says where the README differs (check)."""
    with open(README) as fh:
        text = fh.read()
    new = text
    for name, body in blocks.items():
        pat = re.compile(rf"(<!-- figures:{name} -->\n)(?:.*?\n)??(<!-- /figures -->)", re.S)
        if not pat.search(new):
            print(f"README.md: no block <!-- figures:{name} -->", file=sys.stderr)
            return 2
        new = pat.sub(lambda m: m.group(1) + body + "\n" + m.group(2), new)
    if write:
        with open(README, "w") as fh:
            fh.write(new)
        print("README.md figures written")
        return 0
    if new != text:
        import difflib  # noqa: PLC0415
        sys.stdout.writelines(difflib.unified_diff(text.splitlines(True), new.splitlines(True), "README.md", "regenerated"))
        print("README.md figures differ from the runs: tests/scripts/readme_figures.py BIN --write")
        return 1
    print("README.md figures match the runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
