#!/usr/bin/python3
"""Writes a MOCK gridrisk result file in layout v2, exactly as docs/LAYOUT.md describes it.

For developing and testing the readers (tests/check_layout.py, examples/) before the C writer
exists, and for the checkers' own tests: the values are plausible draws, not model output, but
every invariant the layout promises holds (summary statistics over trials of each trial's
horizon average, paired deltas, LOLP summing to the mean shed hours, ...).

The tables here are written by hand from docs/LAYOUT.md (and the metric list of
model/pakistan.c), deliberately independent of check_layout.py, which parses the doc: the
checker validating the mock is then a cross-check of two readings of the doc.

Usage:
  mock_layout.py OUT.h5 [--scenarios N] [--trials T] [--years Y] [--model pakistan|adequacy]
                 [--seed S] [--start-year YEAR]
  mock_layout.py OUT.h5 --model network [--trials T] [--regions R] [--steps N]
                 [--step-hours H] [--copper-plate]   a PRAS system's run (one period)
  mock_layout.py --summary FILE    print the summary table as `gridrisk summary` prints it
                                   (used by tests/check_examples.sh when the binary cannot
                                   read layout v2 yet)
"""
import argparse
import datetime
import hashlib
import math
import os
import sys

import h5py
import numpy as np

FORMAT_VERSION = 2

# Root metrics: (name, units, long_name). The first three are common to both models;
# pakistan has 29 (model/pakistan.c, pk_metrics: 19 yearly totals or averages, 4 yearly
# extremes, 6 regional totals), with "share" written as "1" (docs/LAYOUT.md: `1` for ratios
# and shares).
ADEQUACY_METRICS = [
    ("shed_hours", "h/yr", "hours with available capacity strictly below load (LOLE)"),
    ("unserved_mwh", "MWh/yr", "energy not served (EUE/EENS)"),
    ("shed_events", "1/yr", "entries into shortfall (LOLF, hour-start sampling)"),
]
PAKISTAN_METRICS = [
    ("shed_hours", "h/yr", "hours in which base consumers lose load (supply shortfall or blackout)"),
    ("shed_consumer_hours", "h/yr", "consumer-equivalent hours of load-shedding: the share of "
     "base demand shed, summed over hours"),
    ("unserved_mwh", "MWh/yr", "base consumers' unserved energy"),
    ("shed_events", "1/yr", "entries into base-consumer load-shedding"),
    ("demand_mwh", "MWh/yr", "base consumers' demand"),
    ("served_mwh", "MWh/yr", "all load served, allocated blocks included"),
    ("alloc_energy_mwh", "MWh/yr", "energy served to allocated blocks"),
    ("miner_energy_mwh", "MWh/yr", "energy served to flexible (mining) blocks"),
    ("miner_uptime", "1", "mining energy / (flexible MW x hours in year)"),
    ("miner_curtailed_mwh", "MWh/yr", "mining demand shed in shortfall hours"),
    ("thermal_mwh", "MWh/yr", "thermal generation"),
    ("hydro_mwh", "MWh/yr", "hydro generation"),
    ("gen_cost_pkr", "PKR/yr", "variable generation cost (fuel + VOM) at the sampled PKR/USD"),
    ("capacity_payments_pkr", "PKR/yr", "capacity payments, USD-indexed share at the sampled rate"),
    ("base_revenue_pkr", "PKR/yr", "base consumers: served x (1 - T&D losses) x tariff x recovery"),
    ("alloc_revenue_pkr", "PKR/yr", "allocated blocks: served x tariff x recovery"),
    ("net_fiscal_cost_pkr", "PKR/yr",
     "gen cost + capacity payments - revenues (circular-debt flow), in nominal PKR (each year's, not discounted)"),
    ("net_fiscal_cost_usd", "USD/yr",
     "net fiscal cost at the year's average PKR/USD (each trial-year at its own rate, and a weak rupee comes with high PKR costs: the mean over trials is not the PKR mean converted and may differ in sign)"),
    ("unserved_cost_usd", "USD/yr", "economic cost: base unserved energy x value of lost load"),
    ("shed_max_mw", "MW", "the year's largest supply shortfall shed from base consumers in one "
     "hour (blackouts aside)"),
    ("hydro_peak_hour_mw", "MW", "hydro output in the hour of the year's highest base demand"),
    ("hydro_max_mw", "MW", "the year's largest hourly hydro output"),
    ("hydro_spill_share", "1", "the largest share of a month's hydro energy left unused "
     "(spilled) in the year"),
    ("shed_hours_north", "h/yr", "hours in which base consumers in the north lose load"),
    ("shed_hours_south", "h/yr", "hours in which base consumers in the south lose load"),
    ("shed_consumer_hours_north", "h/yr", "consumer-equivalent hours in the north"),
    ("shed_consumer_hours_south", "h/yr", "consumer-equivalent hours in the south"),
    ("corridor_unserved_mwh", "MWh/yr", "base energy shed because of the corridor limit"),
    ("corridor_limit_hours", "h/yr", "hours in which the south-north corridor is at its limit"),
    ("imf_subsidy_pkr", "PKR/yr", "the IMF view: the allocation's implicit subsidy at the average cost of supply"),
    ("breakeven_tariff_cash_pkr_per_kwh", "PKR/kWh", "the tariff leaving the state's cash unchanged"),
    ("breakeven_tariff_imf_pkr_per_kwh", "PKR/kWh", "the tariff at which the IMF view's subsidy is 0"),
    ("miner_profit_usd", "USD/yr", "the mining fleet's profit"),
    ("mining_breakeven_tariff_pkr_per_kwh", "PKR/kWh", "the flat tariff at which the fleet breaks even"),
    ("mining_breakeven_btc_usd", "USD/BTC", "the Bitcoin price at which the fleet breaks even"),
    ("interruptible_curtailed_mwh", "MWh/yr", "interruptible blocks' energy curtailed"),
    ("backup_cost_usd", "USD/yr", "what their backup power cost while curtailed"),
]
# /parameters (pakistan): (name, units, long_name), model/pakistan.c pk_drivers.
DRIVERS = [
    ("brent_usd_per_bbl", "USD/bbl", "annual mean Brent"),
    ("coal_usd_per_t", "USD/t", "annual mean imported coal"),
    ("rlng_usd_per_mmbtu", "USD/MMBtu", "annual mean delivered RLNG"),
    ("rfo_usd_per_t", "USD/t", "annual mean residual fuel oil"),
    ("pkr_per_usd", "PKR/USD", "annual mean exchange rate"),
    ("btc_usd", "USD/BTC", "annual mean Bitcoin price"),
    ("hashrate_ehs", "EH/s", "annual mean network hashrate"),
    ("hashprice_usd_per_ph_day", "USD/(PH/s)/day", "annual mean hashprice"),
    ("mining_revenue_usd_per_mwh", "USD/MWh", "annual mean mining revenue per MWh consumed"),
    ("hydro_factor", "1", "annual hydro inflow factor"),
    ("demand_level", "1", "demand level relative to the load profile's year (the year before the first)"),
    ("blackout_hours", "h/yr", "hours under a grid-wide blackout"),
    ("hydro_peak_mw", "MW", "hydro output the reservoirs sustain in any hour (0: no limit)"),
    ("hydro_ror_share", "1", "share of each month's hydro energy that is run-of-river"),
    ("old_plants_mw", "MW", "capacity out all year (old plants, ended contracts)"),
    ("gas_mmcfd", "MMCFD", "gas supplied to plants with a fuel budget, this year"),
    ("heat_derate_max", "1", "the year's largest share of thermal and must-run capacity lost to "
     "heat on one day"),
    ("corridor_mw", "MW", "south-to-north transfer limit this year, as drawn"),
    ("south_demand_share", "1", "share of base demand in the south"),
    ("gas_peak_ratio", "1", "drawn fuel_peak_ratio, weighted by each budgeted technology's gas"),
    ("network_cost_usd_per_ph_day", "USD/(PH/s)/day", "the network's marginal cost, annual mean"),
]
STATS = ["mean", "se", "sd", "p5", "p50", "p95", "p99", "var95", "cvar95", "min", "max",
         "p_positive"]
SCENARIO_NAMES = ["baseline", "allocation", "pro_rata", "firm_allocation", "mining_only",
                  "ai_only"]
DAYS_PER_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
SMALL_BYTES = 64 * 1024  # docs/LAYOUT.md, Storage: smaller datasets are contiguous
CHUNK_BYTES = 256 * 1024
STR = h5py.string_dtype("utf-8")
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def stats_of(x):
    """The 12 statistics of docs/LAYOUT.md /summary over trials, as kernels/stats.c computes
    them (quantiles: NumPy's default = GSL = R type 7; CVaR95: mean of the worst ceil(5%))."""
    n = len(x)
    s = np.sort(x)
    sd = float(np.std(x, ddof=1)) if n > 1 else 0.0
    tail = s[n - math.ceil(0.05 * n):]
    q = lambda p: float(np.quantile(x, p))
    return {"mean": float(np.mean(x)), "se": sd / math.sqrt(n), "sd": sd, "p5": q(0.05),
            "p50": q(0.5), "p95": q(0.95), "p99": q(0.99), "var95": q(0.95),
            "cvar95": float(tail.mean()), "min": float(s[0]), "max": float(s[-1]),
            "p_positive": float(np.mean(x > 0))}


def month_of_hour(hours):
    """Calendar month (1..12) of each hour of a 365-day year starting 1 January 00:00."""
    ends = np.cumsum(DAYS_PER_MONTH) * 24
    return (np.searchsorted(ends, hours, side="right") + 1).astype(np.int32)


# --- plausible values ------------------------------------------------------------------------

def draw_pakistan(rng, S, T, Y):
    """Drivers (T, Y) and metrics {name: (S, T, Y)} with the model's accounting identities."""
    yrs = np.arange(Y)
    walk = lambda sigma: np.cumsum(rng.normal(0, sigma, (T, Y)), axis=1)
    d = {}
    d["brent_usd_per_bbl"] = 65 * np.exp(walk(0.3) - 0.045 * (yrs + 1))
    d["coal_usd_per_t"] = 105 * np.exp(walk(0.35) - 0.06 * (yrs + 1))
    d["rlng_usd_per_mmbtu"] = 0.13 * d["brent_usd_per_bbl"] + rng.normal(1.5, 0.3, (T, Y))
    d["rfo_usd_per_t"] = 6.2 * d["brent_usd_per_bbl"] + rng.normal(0, 20, (T, Y))
    d["pkr_per_usd"] = 281.4 * np.exp(0.08 * (yrs + 1) + walk(0.08))
    d["btc_usd"] = 90000 * np.exp(walk(0.6) - 0.18 * (yrs + 1))
    d["hashrate_ehs"] = 1100 * np.exp(0.25 * (yrs + 1) + walk(0.1))
    d["hashprice_usd_per_ph_day"] = 3.125 / 0.99 * 144 * d["btc_usd"] / (d["hashrate_ehs"] * 1e6) * 1e3
    d["mining_revenue_usd_per_mwh"] = d["hashprice_usd_per_ph_day"] * 1e3 / 17.5 / 24
    d["hydro_factor"] = np.clip(rng.normal(1.0, 0.15, (T, Y)), 0.5, 1.6)
    d["demand_level"] = np.exp(0.03 * yrs + walk(0.02))
    d["blackout_hours"] = rng.gamma(0.3, 20, (T, Y))
    # supply draws: once per trial (the same every year), gas declining, heat per year
    once = lambda lo, hi: np.repeat(rng.uniform(lo, hi, (T, 1)), Y, axis=1)
    d["hydro_peak_mw"] = once(8500, 9500)
    d["hydro_ror_share"] = once(0.3, 0.5)
    d["old_plants_mw"] = once(2000, 4000)
    d["gas_mmcfd"] = once(600, 800) * 0.95 ** yrs
    d["heat_derate_max"] = rng.uniform(0.05, 0.12, (T, Y))
    d["corridor_mw"] = once(5000, 6500)
    d["south_demand_share"] = once(0.22, 0.26)
    d["gas_peak_ratio"] = once(1.0, 1.25)
    d["network_cost_usd_per_ph_day"] = once(26, 43) * 0.88 ** (yrs + 0.5)

    m = {name: np.zeros((S, T, Y)) for name, _, _ in PAKISTAN_METRICS}
    shed0 = np.clip(rng.normal(300, 85, (T, Y)) * d["demand_level"] / d["hydro_factor"] ** 0.5,
                    0, 8760)
    net0 = rng.normal(-130e9, 300e9, (T, Y))
    # miners run when mining pays more than the tariff: uptime rises with BTC
    uptime = np.clip((d["mining_revenue_usd_per_mwh"] - 75) / 120, 0, 1)
    for s in range(S):
        on = s > 0
        flex_mw, firm_mw = (1500.0, 500.0) if on else (0.0, 0.0)
        if s >= 4:  # mining_only / ai_only halves of the allocation
            flex_mw, firm_mw = (1500.0, 0.0) if s == 4 else (0.0, 500.0)
        extra_shed = (0.02 * flex_mw * uptime + 0.085 * firm_mw) * rng.normal(1, 0.08, (T, Y))
        shed = np.clip(np.round(shed0 + extra_shed * on), 0, 8760)
        m["shed_hours"][s] = shed
        m["shed_events"][s] = np.round(shed / rng.uniform(3.5, 5.0, (T, Y)))
        m["unserved_mwh"][s] = shed * rng.normal(2250, 200, (T, Y)).clip(500)
        m["demand_mwh"][s] = 140e6 * d["demand_level"]
        miner = flex_mw * 8760 * uptime
        m["miner_energy_mwh"][s] = miner
        m["miner_uptime"][s] = uptime if flex_mw > 0 else 0.0
        m["miner_curtailed_mwh"][s] = flex_mw * shed * 0.6
        m["alloc_energy_mwh"][s] = miner + firm_mw * 8760 * 0.8
        m["served_mwh"][s] = m["demand_mwh"][s] - m["unserved_mwh"][s] + m["alloc_energy_mwh"][s]
        m["hydro_mwh"][s] = 38e6 * d["hydro_factor"]
        m["thermal_mwh"][s] = 0.62 * m["served_mwh"][s] - 0.3 * m["hydro_mwh"][s]
        fx = d["pkr_per_usd"]
        m["gen_cost_pkr"][s] = m["thermal_mwh"][s] * (0.55 * d["brent_usd_per_bbl"] + 40) * fx
        m["capacity_payments_pkr"][s] = 2.1e12 * (0.3 + 0.7 * fx / 281.4)
        m["alloc_revenue_pkr"][s] = m["alloc_energy_mwh"][s] * 1000 * 22.5
        # the allocation lowers the net cost most when miners run (high BTC)
        net = net0 + on * (-20e9 - 1.2e9 * (flex_mw + firm_mw) / 100 * uptime
                           + rng.normal(0, 6e9, (T, Y)))
        m["net_fiscal_cost_pkr"][s] = net
        m["base_revenue_pkr"][s] = (m["gen_cost_pkr"][s] + m["capacity_payments_pkr"][s]
                                    - m["alloc_revenue_pkr"][s] - net)
        m["net_fiscal_cost_usd"][s] = net / fx
        m["unserved_cost_usd"][s] = m["unserved_mwh"][s] * 1500
        m["shed_max_mw"][s] = np.where(shed > 0, rng.uniform(500, 6000, (T, Y)), 0.0)
        m["hydro_max_mw"][s] = np.minimum(d["hydro_peak_mw"], 7000 + 3000 * d["hydro_factor"])
        m["hydro_peak_hour_mw"][s] = m["hydro_max_mw"][s] * rng.uniform(0.8, 1.0, (T, Y))
        m["hydro_spill_share"][s] = rng.uniform(0.0, 0.2, (T, Y))
        # by region: most shed hours in the north; the corridor binds in some of them
        m["shed_hours_north"][s] = np.round(shed * rng.uniform(0.8, 1.0, (T, Y)))
        m["shed_hours_south"][s] = np.round(shed * rng.uniform(0.0, 0.4, (T, Y)))
        m["shed_consumer_hours_north"][s] = m["shed_hours_north"][s] * rng.uniform(0.05, 0.2, (T, Y))
        m["shed_consumer_hours_south"][s] = m["shed_hours_south"][s] * rng.uniform(0.05, 0.2, (T, Y))
        m["corridor_unserved_mwh"][s] = m["unserved_mwh"][s] * rng.uniform(0.0, 0.3, (T, Y))
        m["corridor_limit_hours"][s] = np.round(rng.uniform(50, 800, (T, Y)))
        avg = (m["gen_cost_pkr"][s] + m["capacity_payments_pkr"][s]) / m["served_mwh"][s]
        m["imf_subsidy_pkr"][s] = m["alloc_energy_mwh"][s] * avg - m["alloc_revenue_pkr"][s]
        m["breakeven_tariff_imf_pkr_per_kwh"][s] = avg / 1000
        if s:
            e = np.maximum(m["alloc_energy_mwh"][s], 1.0)
            m["breakeven_tariff_cash_pkr_per_kwh"][s] = (
                m["alloc_revenue_pkr"][s] + net - m["net_fiscal_cost_pkr"][0]) / (e * 1000)
            m["miner_profit_usd"][s] = rng.normal(-50e6, 80e6, (T, Y))
            m["mining_breakeven_tariff_pkr_per_kwh"][s] = rng.normal(12, 4, (T, Y))
            m["mining_breakeven_btc_usd"][s] = rng.lognormal(np.log(110000), 0.3, (T, Y))
            m["interruptible_curtailed_mwh"][s] = rng.uniform(0, 1e5, (T, Y))
            m["backup_cost_usd"][s] = m["interruptible_curtailed_mwh"][s] * 300.0
    return d, m


def draw_adequacy(rng, S, T, Y):
    """RBTS-like: rare shortfall events (LOLE about 1 h/yr)."""
    m = {}
    events = rng.poisson(0.21, (S, T, Y)).astype(float)
    hours = np.zeros_like(events)
    for idx in zip(*np.nonzero(events)):
        hours[idx] = rng.geometric(0.2, int(events[idx])).sum()
    m["shed_hours"] = hours
    m["shed_events"] = events
    m["unserved_mwh"] = hours * rng.gamma(2.0, 4.8, hours.shape)
    return {}, m


def lolp_profile(rng, shed, H, T):
    """lolp(scenario, year, hour): a share of trials, summing over hours to the mean shed
    hours (each shed hour is one trial's loss of load in one hour)."""
    S, _, Y = shed.shape
    h = np.arange(H)
    hod = h % 24
    month = month_of_hour(h)
    # summer evenings and winter mornings carry the risk
    w = (1 + 2.5 * np.exp(-0.5 * ((month - 6.5) / 1.6) ** 2)) * \
        (0.3 + np.exp(-0.5 * ((hod - 20) / 2.5) ** 2) + 0.4 * np.exp(-0.5 * ((hod - 8) / 2) ** 2))
    lolp = np.zeros((S, Y, H))
    for s in range(S):
        for y in range(Y):
            total = int(round(shed[s, :, y].sum()))  # trial-hours with loss of load
            counts = np.zeros(H, dtype=np.int64)
            left = total
            while left > 0:  # spread them, at most T trials per hour
                add = np.bincount(rng.choice(H, size=left, p=w / w.sum()), minlength=H)
                counts = counts + add
                over = np.clip(counts - T, 0, None)
                counts -= over
                left = int(over.sum())
            lolp[s, y] = counts / T
    return lolp


# --- writing ---------------------------------------------------------------------------------

def create(g, name, data, dtype, scenario_first=False):
    """A dataset stored as docs/LAYOUT.md says: contiguous under 64 KiB, else chunked one
    scenario (first axis, if it is the scenario axis) and a block of the next axis at a time,
    about 256 KiB a chunk, with shuffle and deflate level 2."""
    data = np.asarray(data, dtype=dtype) if dtype is not STR else np.asarray(data, dtype=object)
    nbytes = data.size * (8 if dtype is STR else data.dtype.itemsize)
    if dtype is STR or nbytes < SMALL_BYTES or data.ndim == 0:
        return g.create_dataset(name, data=data, dtype=dtype)
    shape = data.shape
    chunk = list(shape)
    lead = 1 if scenario_first else 0
    if lead:
        chunk[0] = 1
    row = int(np.prod(shape[lead + 1:])) * data.dtype.itemsize
    chunk[lead] = max(1, min(shape[lead], CHUNK_BYTES // row))
    return g.create_dataset(name, data=data, chunks=tuple(chunk), shuffle=True,
                            compression="gzip", compression_opts=2)


def coord(g, name, values, dtype):
    ds = create(g, name, values, dtype)
    ds.make_scale(name)
    return ds


def variable(g, name, data, dims, units, long_name, **attrs):
    ds = create(g, name, data, np.float64, scenario_first=dims[0] == "scenario")
    for i, dim in enumerate(dims):
        ds.dims[i].attach_scale(g[dim])
    ds.attrs.create("units", units, dtype=STR)
    ds.attrs.create("long_name", long_name, dtype=STR)
    for k, v in attrs.items():
        ds.attrs.create(k, v, dtype=STR)
    return ds


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def root_attrs(f, a, S, T, Y, H):
    scen_file = {"pakistan": "inputs/pakistan/pakistan.yaml", "adequacy": "inputs/rbts/rbts.yaml"}
    scen_path = os.path.join(REPO, scen_file[a.model])
    yaml = open(scen_path).read() if os.path.exists(scen_path) else f"name: {a.model}\n"
    inputs = [scen_path] if os.path.exists(scen_path) else []
    name = "pakistan" if a.model == "pakistan" else "rbts"
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    created = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    strings = {
        "Conventions": "CF-1.8",
        "title": f"{name}: MOCK result written by tests/mock_layout.py",
        "source": "gridrisk 0.0-mock",
        "history": f"{created} gridrisk run {scen_file[a.model]} -n {T} -s {a.seed}",
        "git_revision": "unknown",
        "creation_time": created,
        "model": a.model,
        "scenario_name": name,
        "scenario_yaml": yaml,
        "seed": str(a.seed),
    }
    f.attrs.create("format_version", FORMAT_VERSION, dtype=np.int32)
    for k, v in strings.items():
        f.attrs.create(k, v, dtype=STR)
    f.attrs.create("input_files", inputs, dtype=STR, shape=(len(inputs),))
    f.attrs.create("input_sha256", [sha256(p) for p in inputs], dtype=STR, shape=(len(inputs),))
    for k, v in (("trials", T), ("years", Y), ("hours_per_year", H), ("start_year", a.start_year),
                 ("start_month", 1), ("threads", 2), ("ranks", 1)):
        f.attrs.create(k, v, dtype=np.int32)
    f.attrs.create("wall_time_s", 1.25, dtype=np.float64)


def avg_ranks(x):
    order = np.lexsort((np.arange(len(x)), x))
    r = np.empty(len(x))
    r[order] = np.arange(1, len(x) + 1, dtype=float)
    _, inv, counts = np.unique(x, return_inverse=True, return_counts=True)
    return (np.bincount(inv, weights=r) / counts)[inv]


def sensitivity(f, names, table, metrics, drivers, T):
    """/sensitivity as docs/LAYOUT.md says (no Sobol design): each trial's horizon mean, the
    paired difference for every scenario but the baseline, against each driver's."""
    S, M, D = len(names), len(table), len(DRIVERS)
    g = f.create_group("sensitivity", track_order=True)
    coord(g, "scenario", names, STR)
    coord(g, "metric", [m for m, _, _ in table], STR)
    coord(g, "driver", [d for d, _, _ in DRIVERS], STR)

    def hmean(v, base=None):
        acc = np.zeros(v.shape[0])
        for y in range(v.shape[1]):
            acc += v[:, y] - (base[:, y] if base is not None else 0.0)
        return acc / v.shape[1]

    x = np.stack([hmean(drivers[d]) for d, _, _ in DRIVERS])
    xc = np.stack([avg_ranks(xi) for xi in x])
    xc -= xc.mean(axis=1, keepdims=True)
    const = ~(np.ptp(x, axis=1) > 1e-9 * np.mean(np.abs(x), axis=1))
    order = np.stack([np.lexsort((np.arange(T), xi)) for xi in x])
    k = T // 10
    rc, lo, hi = (np.full((S, M, D), np.nan) for _ in range(3))
    for si in range(S):
        for mi, (m, _, _) in enumerate(table):
            q = hmean(metrics[m][si], metrics[m][0] if si else None)
            scale = np.mean(np.abs(hmean(metrics[m][si]))) + (
                np.mean(np.abs(hmean(metrics[m][0]))) if si else 0)
            if np.ptp(q) > 1e-9 * scale:
                fc = avg_ranks(q)
                fc -= fc.mean()
                rc[si, mi] = (xc @ fc) / np.sqrt((xc * xc).sum(axis=1) * (fc @ fc))
            if k:
                lo[si, mi] = q[order[:, :k]].mean(axis=1)
                hi[si, mi] = q[order[:, ::-1][:, :k]].mean(axis=1)
            rc[si, mi, const] = lo[si, mi, const] = hi[si, mi, const] = np.nan
    dims = ("scenario", "metric", "driver")
    variable(g, "rank_corr", rc, dims, "1", "Spearman's rank correlation")
    for name, v in (("tornado_low", lo), ("tornado_high", hi)):
        ds = create(g, name, v, np.float64, scenario_first=True)
        for i, dim in enumerate(dims):
            ds.dims[i].attach_scale(g[dim])
        ds.attrs.create("long_name", name, dtype=STR)


def write(a):
    S, T, Y = a.scenarios, a.trials, a.years
    H = 8760 if a.model == "pakistan" else 8736
    rng = np.random.default_rng(a.seed)
    names = [SCENARIO_NAMES[i] if i < len(SCENARIO_NAMES) else f"scenario_{i}" for i in range(S)]
    table = PAKISTAN_METRICS if a.model == "pakistan" else ADEQUACY_METRICS
    drivers, metrics = (draw_pakistan if a.model == "pakistan" else draw_adequacy)(rng, S, T, Y)
    years = a.start_year + np.arange(Y)
    # libver=("v110", "v110"): HDF5 1.10 format bounds, as the doc promises; track_order: the
    # dimensions in the order written (xarray orders to_dataframe()'s index by them), as the C
    # writer does
    with h5py.File(a.out, "w", libver=("v110", "v110"), track_order=True) as f:
        root_attrs(f, a, S, T, Y, H)
        coord(f, "scenario", names, STR)
        coord(f, "trial", np.arange(T), np.int32)
        coord(f, "year", years, np.int32)
        for name, units, long_name in table:
            variable(f, name, metrics[name], ("scenario", "trial", "year"), units, long_name)

        if a.model == "pakistan":
            g = f.create_group("parameters", track_order=True)
            coord(g, "trial", np.arange(T), np.int32)
            coord(g, "year", years, np.int32)
            for name, units, long_name in DRIVERS:
                variable(g, name, drivers[name], ("trial", "year"), units, long_name)

        if a.model == "pakistan":
            # by technology: shares of served energy and of the variable cost
            techs = ["nuclear", "hydro", "coal", "rlng_ccgt"]
            share = np.array([0.2, 0.3, 0.2, 0.3])
            cshare = np.array([0.1, 0.0, 0.4, 0.5])
            g = f.create_group("by_technology", track_order=True)
            coord(g, "scenario", names, STR)
            coord(g, "trial", np.arange(T), np.int32)
            coord(g, "year", years, np.int32)
            coord(g, "technology", techs, STR)
            dims = ("scenario", "trial", "year", "technology")
            variable(g, "generation_mwh", metrics["served_mwh"][..., None] * share, dims,
                     "MWh/yr", "generation by technology")
            variable(g, "variable_cost_pkr", metrics["gen_cost_pkr"][..., None] * cshare, dims,
                     "PKR/yr", "variable generation cost by technology")
            # by month: each flow spread over the year's months by their days
            days = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]) / 365.0
            g = f.create_group("by_month", track_order=True)
            coord(g, "scenario", names, STR)
            coord(g, "trial", np.arange(T), np.int32)
            coord(g, "year", years, np.int32)
            coord(g, "month", ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
                               "oct", "nov", "dec"], STR)
            dims = ("scenario", "trial", "year", "month")
            for name, units in (("gen_cost_pkr", "PKR/month"), ("capacity_payments_pkr", "PKR/month"),
                                ("base_revenue_pkr", "PKR/month"), ("alloc_revenue_pkr", "PKR/month"),
                                ("served_mwh", "MWh/month"), ("alloc_energy_mwh", "MWh/month"),
                                ("miner_energy_mwh", "MWh/month"), ("unserved_mwh", "MWh/month")):
                variable(g, name, metrics[name][..., None] * days, dims, units, f"{name} by month")

        if a.model == "pakistan":
            sensitivity(f, names, table, metrics, drivers, T)

        g = f.create_group("profiles", track_order=True)
        coord(g, "scenario", names, STR)
        coord(g, "year", years, np.int32)
        coord(g, "hour", np.arange(H), np.int32)
        for name, values, long_name in (("month", month_of_hour(np.arange(H)), "calendar month"),
                                        ("hour_of_day", np.arange(H) % 24, "hour of the day")):
            ds = create(g, name, values, np.int32)
            ds.dims[0].attach_scale(g["hour"])
            ds.attrs.create("long_name", long_name, dtype=STR)
        variable(g, "lolp", lolp_profile(rng, metrics["shed_hours"], H, T),
                 ("scenario", "year", "hour"), "1", "loss-of-load probability: share of trials "
                 "with loss of load in the hour", coordinates="month hour_of_day")

        g = f.create_group("summary", track_order=True)
        coord(g, "scenario", names, STR)
        coord(g, "stat", STATS, STR)
        for name, units, long_name in table:
            avg = metrics[name].mean(axis=2)  # (S, T): each trial's horizon average
            for suffix, x, ln in (("", avg, long_name),
                                  ("_delta", avg - avg[0], f"change vs baseline: {long_name}")):
                st = np.array([[stats_of(x[s])[k] for k in STATS] for s in range(S)])
                variable(g, name + suffix, st, ("scenario", "stat"), units, ln)


# --- a network (PRAS) run: one period of steps, by region and by step ---------------------------

# Root and /by_region metrics of a network run: totals over the simulated period, not per year.
NETWORK_METRICS = [
    ("shed_steps", "1", "time steps with unserved load in the simulated period (PRAS's LOLE)"),
    ("shed_hours", "h", "hours with unserved load in the simulated period"),
    ("unserved_mwh", "MWh", "unserved energy in the simulated period (PRAS's EUE)"),
]
NETWORK_START = "2030-07-01 00:00:00+00:00"  # the mock period starts mid-year, not on 1 January
NETWORK_SYSTEM = os.path.join(REPO, "tests", "data", "pras", "test3.pras")


def draw_network(rng, T, R, N, step_h):
    """Unserved power (T, N, R) in MW: most steps served, a shortfall now and then that is
    more likely in the evening steps; a copper plate (R = 1) is short less often."""
    risk = 0.04 + 0.10 * np.exp(-0.5 * ((np.arange(N) * step_h % 24 - 19) / 2.0) ** 2)
    short = rng.random((T, N, R)) < risk[None, :, None] * (1.0 + np.arange(R))[None, None, :] / R
    return np.where(short, np.round(rng.gamma(2.0, 15.0, (T, N, R)), 1) + 0.1, 0.0)


def write_network(a):
    T, R, N, h = a.trials, 1 if a.copper_plate else a.regions, a.steps, a.step_hours
    rng = np.random.default_rng(a.seed)
    mw = draw_network(rng, T, R, N, h)  # (T, N, R)
    short = mw > 0
    sys_short = short.any(axis=2)  # the system is short when any region is
    regions = ["all_regions"] if a.copper_plate else [f"Region {chr(65 + i)}" for i in range(R)]
    areas = regions + ["system"]
    scen = ["copper_plate" if a.copper_plate else "network"]
    # per trial: (S=1, T, Y=1) and (1, T, 1, R)
    reg = {"shed_steps": short.sum(axis=1), "unserved_mwh": (mw * h).sum(axis=1)}
    reg["shed_hours"] = reg["shed_steps"] * h
    root = {"shed_steps": sys_short.sum(axis=1), "unserved_mwh": reg["unserved_mwh"].sum(axis=1)}
    root["shed_hours"] = root["shed_steps"] * h
    # per step and area: (1, N, A)
    area_short = np.concatenate([short, sys_short[..., None]], axis=2)
    area_mwh = np.concatenate([mw * h, (mw * h).sum(axis=2, keepdims=True)], axis=2)
    lolp = area_short.mean(axis=0)
    lolp_se = np.sqrt(lolp * (1 - lolp) / (T - 1))
    eue = area_mwh.mean(axis=0)
    eue_se = area_mwh.std(axis=0, ddof=1) / math.sqrt(T)
    demand = np.round(rng.uniform(80, 120, R) * N * h, 3)
    demand = np.append(demand, demand.sum())

    path = NETWORK_SYSTEM if os.path.exists(NETWORK_SYSTEM) else a.out
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    created = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    rel = os.path.relpath(path, REPO)
    strings = {
        "Conventions": "CF-1.8",
        "title": f"PRAS system test3 (MOCK, tests/mock_layout.py): {R} regions, {N} steps",
        "source": "gridrisk 0.0-mock",
        "history": f"{created} gridrisk run {rel} -n {T} -s {a.seed}"
                   + (" --copper-plate" if a.copper_plate else ""),
        "git_revision": "unknown",
        "creation_time": created,
        "model": "network",
        "scenario_name": os.path.basename(rel).split(".")[0],
        "scenario_yaml": "",
        "seed": str(a.seed),
    }
    with h5py.File(a.out, "w", libver=("v110", "v110"), track_order=True) as f:
        f.attrs.create("format_version", FORMAT_VERSION, dtype=np.int32)
        for k, v in strings.items():
            f.attrs.create(k, v, dtype=STR)
        f.attrs.create("input_files", [rel], dtype=STR, shape=(1,))
        f.attrs.create("input_sha256", [sha256(path)], dtype=STR, shape=(1,))
        for k, v in (("trials", T), ("years", 1), ("steps", N),
                     ("start_year", int(NETWORK_START[:4])), ("threads", 2), ("ranks", 1)):
            f.attrs.create(k, v, dtype=np.int32)
        f.attrs.create("step_hours", h, dtype=np.float64)
        f.attrs.create("wall_time_s", 0.5, dtype=np.float64)

        def axes(g, more=()):
            coord(g, "scenario", scen, STR)
            coord(g, "trial", np.arange(T), np.int32)
            coord(g, "year", [int(NETWORK_START[:4])], np.int32)
            for name, values in more:
                coord(g, name, values, STR)

        axes(f)
        for name, units, long_name in NETWORK_METRICS:
            variable(f, name, root[name][None, :, None].astype(float),
                     ("scenario", "trial", "year"), units, long_name)
        g = f.create_group("by_region", track_order=True)
        axes(g, [("region", regions)])
        for name, units, long_name in NETWORK_METRICS:
            variable(g, name, reg[name][None, :, None, :].astype(float),
                     ("scenario", "trial", "year", "region"), units, long_name + ", by region")
        g = f.create_group("by_step", track_order=True)
        coord(g, "scenario", scen, STR)
        ds = coord(g, "step", np.arange(N) * h, np.float64)
        ds.attrs.create("units", "hours since " + NETWORK_START, dtype=STR)
        ds.attrs.create("long_name", "start of the time step", dtype=STR)
        coord(g, "area", areas, STR)
        dims = ("scenario", "step", "area")
        for name, x, units, long_name in (
                ("lolp", lolp, "1", "loss-of-load probability in the step"),
                ("lolp_se", lolp_se, "1", "standard error of lolp"),
                ("eue_mwh", eue, "MWh", "expected unserved energy in the step"),
                ("eue_mwh_se", eue_se, "MWh", "standard error of eue_mwh")):
            variable(g, name, x[None], dims, units, long_name)
        variable(g, "demand_mwh", demand, ("area",), "MWh", "demand over the period")
        g = f.create_group("summary", track_order=True)
        coord(g, "scenario", scen, STR)
        coord(g, "stat", STATS, STR)
        for name, units, long_name in NETWORK_METRICS:
            x = root[name].astype(float)
            st = np.array([[stats_of(x)[k] for k in STATS]])
            variable(g, name, st, ("scenario", "stat"), units, long_name)
            variable(g, name + "_delta", np.zeros_like(st), ("scenario", "stat"), units,
                     f"change vs the first scenario: {long_name}")


# --- the summary as `gridrisk summary` prints it (check_examples.sh's fallback) ---------------

# Rows: (metric, label, scale to the printed unit); the same as outputs/report.c.
SUMMARY_ROWS = [
    ("net_fiscal_cost_pkr", "net fiscal cost, PKR bn/yr", 1e-9),
    ("net_fiscal_cost_usd", "  in USD at each year's rate, USD m/yr", 1e-6),
    ("shed_consumer_hours", "consumer-equivalent shed hours, h/yr", 1.0),
    ("shed_hours", "system hours (any consumer shed), h/yr", 1.0),
    ("unserved_mwh", "unserved energy, MWh/yr", 1.0),
    ("shed_events", "shedding events, 1/yr", 1.0),
]


def print_summary(path):
    """Prints FILE's /summary in the row format tests/check_examples.sh parses: per metric,
    a row per scenario and per delta with mean, P5, P50, P95 and P(>0)."""
    with h5py.File(path, "r") as f:
        g = f["summary"]
        scen = [s.decode() if isinstance(s, bytes) else s for s in g["scenario"][:]]
        stat = [s.decode() if isinstance(s, bytes) else s for s in g["stat"][:]]
        col = [stat.index(k) for k in ("mean", "p5", "p50", "p95", "p_positive")]
        print(f"{path}: {f.attrs['trials']} trials x {f.attrs['years']} years (mock summary)")
        print(f"{'':38} {'':18} {'mean':>10} {'P5':>10} {'P50':>10} {'P95':>10} {'P(>0)':>7}")
        for metric, label, k in SUMMARY_ROWS:
            if metric not in g:
                continue
            rows = [(s, g[metric][i]) for i, s in enumerate(scen)]
            rows += [(f"delta {s}", g[metric + "_delta"][i]) for i, s in enumerate(scen) if i]
            for j, (lab, st) in enumerate(rows):
                v = st[col]
                print(f"{label if j == 0 else '':38} {lab:18} {v[0] * k:10.1f} {v[1] * k:10.1f} "
                      f"{v[2] * k:10.1f} {v[3] * k:10.1f} {100 * v[4]:6.1f}%")


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("out", help="file to write (or to read, with --summary)")
    p.add_argument("--scenarios", type=int, default=None, help="2 (pakistan) or 1 (adequacy)")
    p.add_argument("--trials", type=int, default=200)
    p.add_argument("--years", type=int, default=None, help="5 (pakistan) or 1 (adequacy)")
    p.add_argument("--model", choices=("pakistan", "adequacy", "network"), default="pakistan")
    p.add_argument("--regions", type=int, default=3, help="network: regions (default 3)")
    p.add_argument("--steps", type=int, default=96, help="network: time steps (default 96)")
    p.add_argument("--step-hours", type=float, default=0.25, help="network: step length, h")
    p.add_argument("--copper-plate", action="store_true", help="network: one merged region")
    p.add_argument("--seed", type=int, default=20250525)
    p.add_argument("--start-year", type=int, default=2026)
    p.add_argument("--summary", action="store_true", help="print FILE's summary, write nothing")
    a = p.parse_args(argv)
    if a.summary:
        print_summary(a.out)
        return 0
    if a.model == "network":
        if a.trials < 2 or a.regions < 1 or a.steps < 1 or not a.step_hours > 0:
            p.error("need at least 2 trials, 1 region, 1 step, and step hours > 0")
        write_network(a)
        return 0
    pk = a.model == "pakistan"
    a.scenarios = a.scenarios or (2 if pk else 1)
    a.years = a.years or (5 if pk else 1)
    if a.scenarios < 1 or a.trials < 2 or a.years < 1:
        p.error("need at least 1 scenario, 2 trials and 1 year")
    write(a)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
