#!/usr/bin/python3
"""The layout checker's own test: tests/check_layout.py must pass a mock written per
docs/LAYOUT.md (tests/mock_layout.py) and must FAIL, saying what differs, on copies of it with
one planted defect each. Usage: test_check_layout.py [WORKDIR]   exit 0 ok, 1 on a failure."""
import os
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check_layout  # noqa: E402

PY = sys.executable
STR = h5py.string_dtype("utf-8")


def mock(path, *args):
    subprocess.run([PY, os.path.join(HERE, "mock_layout.py"), path, *args], check=True)


def rewrite(f, name, data=None, chunks=None):
    """Replaces dataset `name` with `data` (default: its own), keeping attributes and scales."""
    old = f[name]
    g = old.parent
    data = old[()] if data is None else data
    attrs = {k: v for k, v in old.attrs.items() if k not in ("DIMENSION_LIST", "REFERENCE_LIST")}
    scales = [[sc.name for sc in old.dims[i].values()] for i in range(old.ndim)]
    for i, names in enumerate(scales):
        for n in names:
            old.dims[i].detach_scale(f[n])
    del g[name.rsplit("/", 1)[-1]]
    kw = {"chunks": chunks, "compression": "gzip", "compression_opts": 4,
          "shuffle": True} if chunks else {}
    new = g.create_dataset(name.rsplit("/", 1)[-1], data=data, **kw)
    for k, v in attrs.items():
        new.attrs[k] = v
    for i, names in enumerate(scales):
        for n in names:
            new.dims[i].attach_scale(f[n])


def detach(f, var, axis):
    ds = f[var]
    for sc in list(ds.dims[axis].values()):
        ds.dims[axis].detach_scale(sc)


def swap_scales(f, var):
    ds = f[var]
    detach(f, var, 1)
    detach(f, var, 2)
    ds.dims[1].attach_scale(f["year"])
    ds.dims[2].attach_scale(f["trial"])


def bump(f, var, index, factor):
    x = f[var][()]
    x[index] *= factor
    f[var][...] = x


def edit(f, name, fn):
    """Replaces dataset `name`'s values by fn(values)."""
    f[name][...] = fn(f[name][()])


def set_str(f, name, index, value):
    x = f[name][()].astype(object)
    x[index] = value
    f[name][...] = x


def set_attr(obj, name, value):
    if isinstance(value, str):
        obj.attrs.create(name, value, dtype=STR)
    else:
        obj.attrs[name] = value


def region_max_minus_one(f):
    reg = f["by_region/shed_steps"][()]
    root = f["shed_steps"][()]
    hi = reg.max(axis=3)
    root[hi > 0] = hi[hi > 0] - 1
    f["shed_steps"][...] = root


def lolp_step_plus_one_trial(f):
    """One more trial short in a step, for the system only: still a share of trials."""
    x = f["by_step/lolp"][()]
    T = f.attrs["trials"]
    k = int(np.argmax(x[0, :, -1] < 1))
    x[0, k, -1] += 1.0 / T
    f["by_step/lolp"][...] = x


NET = ["--model", "network"]
NET_BIG = ["--model", "network", "--regions", "1", "--steps", "8784", "--step-hours", "1",
           "--trials", "100"]

# (name, mock args, defect(f), text the report must contain)
CASES = [
    ("scale detached", [], lambda f: detach(f, "shed_hours", 1),
     "axis 1 (trial) has 0 dimension scales"),
    ("no scales (h5netcdf)", [], lambda f: detach(f, "parameters/btc_usd", 0)
     or detach(f, "parameters/btc_usd", 1), "no dimension scale associated with axis 0"),
    # netCDF-C gives an unlabelled axis a dimension of the same length if its group has one,
    # so a phony_dim needs a group with no such dimension
    ("phony dim (netCDF4)", [], lambda f: f.create_group("by_fiscal_year").create_dataset(
        "x", data=np.zeros((3, 7))), "group=by_fiscal_year: invented dimension names ['phony_dim"),
    ("phony dim (ncdump)", [], lambda f: f.create_group("by_fiscal_year").create_dataset(
        "x", data=np.zeros((3, 7))), "ncdump -h: invents phony_dim names"),
    ("axes swapped", [], lambda f: swap_scales(f, "unserved_mwh"),
     "/unserved_mwh: axis 1 has scale /year, want /trial"),
    ("year off by one", [], lambda f: f["year"].__setitem__(slice(None), f["year"][()] + 1),
     "/year: values"),
    ("trial order", [], lambda f: f["parameters/trial"].__setitem__(slice(0, 2), [1, 0]),
     "/parameters/trial: values"),
    ("summary mean", [], lambda f: bump(f, "summary/shed_hours", (0, 0), 1 + 1e-7),
     "/summary/shed_hours: [baseline, mean]"),
    ("delta p95", [], lambda f: bump(f, "summary/net_fiscal_cost_pkr_delta", (1, 5), 1.001),
     "/summary/net_fiscal_cost_pkr_delta: [allocation, p95]"),
    ("delta baseline row", [], lambda f: bump(f, "summary/unserved_mwh_delta", (0, slice(None)), 0)
     or f["summary/unserved_mwh_delta"].__setitem__((0, 0), 1.0),
     "/summary/unserved_mwh_delta: the baseline row must be zero"),
    ("p_positive", [], lambda f: f["summary/shed_hours_delta"].__setitem__((1, 11), 0.5),
     "[allocation, p_positive]"),
    ("units missing", [], lambda f: f["parameters/btc_usd"].attrs.__delitem__("units"),
     "/parameters/btc_usd: no `units`"),
    ("units wrong", [], lambda f: f["miner_uptime"].attrs.create("units", "share", dtype=STR),
     "units 'share', docs/LAYOUT.md says '1'"),
    ("long_name fixed-length", [], lambda f: f["shed_hours"].attrs.create("long_name", b"x"),
     "`long_name` must be a variable-length UTF-8 string"),
    ("trials int64", [], lambda f: f.attrs.create("trials", 200, dtype=np.int64),
     "/ attribute trials: type int64"),
    ("seed uint32", [], lambda f: f.attrs.create("seed", 20250525, dtype=np.uint32),
     "/ attribute seed: type uint32"),
    ("attribute extra", [], lambda f: f.attrs.create("scenarios", "baseline,allocation"),
     "not in docs/LAYOUT.md: ['scenarios']"),
    ("attribute missing", [], lambda f: f.attrs.__delitem__("git_revision"),
     "missing ['git_revision']"),
    ("format_version", [], lambda f: f.attrs.create("format_version", 1, dtype=np.int32),
     "format_version: 1: want 2"),
    ("variable float32", [], lambda f: rewrite(f, "shed_events",
                                               f["shed_events"][()].astype(np.float32)),
     "/shed_events: dtype float32"),
    ("lolp sum", [], lambda f: bump(f, "profiles/lolp", (0, 0, slice(0, 4000)), 0),
     "differs from the mean shed_hours"),
    ("month", [], lambda f: f["profiles/month"].__setitem__(0, 2), "not the calendar month"),
    # a year from July (the replay) whose hours are labelled from January
    ("month not from start_month", [], lambda f: f.attrs.create("start_month", 7, dtype=np.int32),
     "first of month 7 (start_month)"),
    ("start_month missing", [], lambda f: f.attrs.__delitem__("start_month"),
     "/ attributes: missing ['start_month']"),
    ("month not a coordinate", [], lambda f: f["profiles/lolp"].attrs.__delitem__("coordinates"),
     "coordinates ['hour', 'scenario', 'year']: want"),
    ("unknown group", [], lambda f: f.create_group("by_regoin"),
     "groups not in docs/LAYOUT.md: ['by_regoin']"),
    ("parameters in adequacy", ["--model", "adequacy", "--trials", "50"],
     lambda f: f.create_group("parameters"), "(/parameters is for pakistan runs only)"),
    ("non-finite", [], lambda f: bump(f, "hydro_mwh", (0, 3, 1), np.nan), "NaN or an infinity"),
    ("large contiguous", ["--trials", "2000"], lambda f: rewrite(f, "served_mwh"),
     "must be chunked"),
    ("small chunked", [], lambda f: rewrite(f, "thermal_mwh", chunks=(1, 100, 5)),
     "must be contiguous"),
    ("chunk shape", ["--trials", "2000"],
     lambda f: rewrite(f, "demand_mwh", chunks=(2, 1000, 5)), "one scenario at a time"),
    # network (PRAS) runs: docs/LAYOUT.md, Network runs, /by_region, /by_step
    ("network: region sum", NET, lambda f: edit(f, "by_region/unserved_mwh", lambda x: x + 1.0),
     "/by_region/unserved_mwh: sum over regions differs from /unserved_mwh"),
    ("network: system above regions' sum", NET,
     lambda f: edit(f, "shed_steps", lambda x: f["by_region/shed_steps"][()].sum(axis=3) + 1),
     "/shed_steps: above the sum of the regions' shed_steps"),
    ("network: system below a region", NET, region_max_minus_one,
     "/shed_steps: below a region's shed_steps"),
    ("network: lolp sum over steps", NET, lolp_step_plus_one_trial,
     "/by_step/lolp: [system] sums over steps to"),
    ("network: eue sum over steps", NET,
     lambda f: edit(f, "by_step/eue_mwh", lambda x: x * np.array([1, 1, 1, 1.001])),
     "/by_step/eue_mwh: [system] sums over steps to"),
    ("network: lolp_se", NET, lambda f: edit(f, "by_step/lolp_se", lambda x: x * 1.01),
     "differs from sqrt(lolp (1 - lolp) / (trials - 1))"),
    ("network: demand sum", NET,
     lambda f: edit(f, "by_step/demand_mwh", lambda x: x * np.array([1, 1, 1.1, 1])),
     "/by_step/demand_mwh: sum over regions differs from 'system'"),
    ("network: step units not a time", NET,
     lambda f: set_attr(f["by_step/step"], "units", "h"), "step does not decode to times"),
    ("network: step units' year", NET,
     lambda f: set_attr(f["by_step/step"], "units", "hours since 2031-07-01 00:00:00"),
     "the period starts in another year than start_year"),
    ("network: step values", NET, lambda f: edit(f, "by_step/step", lambda x: x * 2),
     "want the steps' starts"),
    ("network: step decoding", NET, lambda f: edit(f, "by_step/step", lambda x: x * 2),
     "step decodes to"),
    ("network: hours_per_year", NET, lambda f: f.attrs.create("hours_per_year", 96, dtype=np.int32),
     "not in docs/LAYOUT.md: ['hours_per_year'] (hours_per_year is for adequacy, pakistan "
     "runs only)"),
    ("network: no steps", NET, lambda f: f.attrs.__delitem__("steps"), "missing ['steps']"),
    ("network: step_hours", NET, lambda f: set_attr(f, "step_hours", 0.5),
     "/shed_hours: differs from shed_steps x step_hours"),
    ("network: scenario_yaml", NET, lambda f: set_attr(f, "scenario_yaml", "name: x\n"),
     "a network run has no scenario file"),
    ("network: scenario name", NET, lambda f: set_str(f, "scenario", 0, "baseline"),
     "/scenario: ['baseline']: want ['network']"),
    ("network: copper-plate scenario", NET,
     lambda f: set_attr(f, "history", f.attrs["history"] + " --copper-plate"),
     "want ['copper_plate']"),
    ("network: copper-plate region", ["--model", "network", "--copper-plate"],
     lambda f: set_str(f, "by_region/region", 0, "Region A"),
     "a copper-plate run has the one region 'all_regions'"),
    ("network: area", NET, lambda f: set_str(f, "by_step/area", -1, "total"),
     "then 'system'"),
    ("network: profiles", NET, lambda f: f.create_group("profiles"),
     "(/profiles is for adequacy, pakistan runs only)"),
    ("network: by_step missing", NET, lambda f: f.__delitem__("by_step"),
     "missing groups ['by_step']"),
    ("network: units", NET, lambda f: set_attr(f["by_step/eue_mwh"], "units", "MWh/yr"),
     "units 'MWh/yr', docs/LAYOUT.md says 'MWh'"),
    ("network: step scale", NET, lambda f: detach(f, "by_step/lolp", 1),
     "axis 1 (step) has 0 dimension scales"),
    ("network: demand dims", NET, lambda f: detach(f, "by_step/demand_mwh", 0),
     "/by_step/demand_mwh: axis 0 (area) has 0 dimension scales"),
    ("network: summary se", NET, lambda f: bump(f, "summary/shed_steps", (0, 1), 1.01),
     "/summary/shed_steps: [network, se]"),
    ("network: summary delta", NET,
     lambda f: f["summary/unserved_mwh_delta"].__setitem__((0, 0), 1.0),
     "/summary/unserved_mwh_delta: the baseline row must be zero"),
    ("network: by_step contiguous", NET_BIG, lambda f: rewrite(f, "by_step/lolp"),
     "must be chunked"),
]


def main(work):
    os.makedirs(work, exist_ok=True)
    spec = check_layout.parse_doc(check_layout.DOC)
    failed = 0
    bases = {}
    for args in {tuple(c[1]) for c in CASES} | {(), ("--model", "adequacy", "--trials", "2000"),
                                                 ("--scenarios", "6", "--years", "3")}:
        path = os.path.join(work, "base" + "".join(args).replace("-", "_") + ".h5")
        mock(path, *args)
        bases[args] = path
        r, _ = check_layout.check_file(spec, path)
        ok = not r.errors
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} intact mock {' '.join(args) or '(default)'}: "
              f"{r.checks} checks" + ("" if ok else f": {r.errors[:3]}"))
    for i, (name, args, defect, want) in enumerate(CASES):
        # a file per case: xarray keeps a file open after a failed open_dataset
        path = os.path.join(work, f"case{i}.h5")
        shutil.copy(bases[tuple(args)], path)
        with h5py.File(path, "r+") as f:
            defect(f)
        # the h5py walk first, the clients (xarray, ncdump: the slow part) when it misses
        r, _ = check_layout.check_file(spec, path, clients=False)
        if not any(want in e for e in r.errors):
            r, _ = check_layout.check_file(spec, path)
        ok = any(want in e for e in r.errors)
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} planted {name}: "
              + (f"reported ({len(r.errors)} differences)" if ok else
                 f"want '{want}' in {r.errors[:4]}"))
    # the doc is the source of truth: a changed doc changes the verdict
    doc = open(check_layout.DOC).read()
    for name, old, new, want, base in (
            ("doc adds a stat", "`max`, `p_positive`", "`max`, `p_positive`, `p999`",
             "/summary/stat: values", ()),
            ("doc renames a unit", "| `shed_hours` | h/yr |", "| `shed_hours` | h |",
             "units 'h/yr', docs/LAYOUT.md says 'h'", ()),
            ("doc renames a network unit", "| `eue_mwh` | scenario, step, area | MWh |",
             "| `eue_mwh` | scenario, step, area | MWh/yr |",
             "units 'MWh', docs/LAYOUT.md says 'MWh/yr'", tuple(NET)),
            ("doc renames the system area", "then\n`system`)", "then\n`total`)",
             "then 'total'", tuple(NET))):
        assert old in doc, f"test needs the doc to contain {old!r}"
        alt = os.path.join(work, "LAYOUT.md")
        open(alt, "w").write(doc.replace(old, new))
        r, _ = check_layout.check_file(check_layout.parse_doc(alt), bases[base])
        ok = any(want in e for e in r.errors)
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}: " + ("reported" if ok else f"{r.errors[:4]}"))
    total = len(bases) + len(CASES) + 4
    print(f"test_check_layout: {total - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="layout")))
