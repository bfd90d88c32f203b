#!/usr/bin/python3
"""Walks gridrisk result files against docs/LAYOUT.md (result layout, format_version 2).

The doc is the source of truth: the attribute table, the coordinates, the variable lists, the
statistics, every metric with its units and the storage rules are parsed from docs/LAYOUT.md
itself. Only what the doc delegates elsewhere is kept here: the units of /parameters ("units as
attributes"; they mirror model/pakistan.c pk_drivers).

Checked, per file (every difference is reported, then exit 1):
  h5py:   groups; variables; dims and their order; dtypes; coordinate values (trial = 0..T-1,
          year = start_year.., hour, month, hour_of_day, stat names); root attributes and their
          types and values; `units` and `long_name` on every data variable; a dimension scale
          attached on every axis, with classic object references (HDF5 1.10, netCDF-C 4.7);
          the storage rules; /summary equal to the statistics over trials of each trial's
          horizon average computed from `/` (1e-9 relative), `_delta` from paired
          differences; LOLP a share of trials that sums over hours to the mean shed hours.
          Groups and attributes marked with models in the doc only in those models' files.
  network runs (PRAS systems; docs/LAYOUT.md "Network runs", /by_region, /by_step): the
          attributes' values (steps, step_hours, no scenario text, the one system file),
          the scenario name (`--copper-plate` in history); step counts whole, hours = steps x
          step_hours; regions' unserved energy summing to the system's, the system's
          shed_steps between the largest region's and their sum, trial by trial; the area
          axis the regions then `system`; the step axis i x step_hours with CF time units
          starting in start_year; per-step LOLP a share of trials with its standard error,
          EUE positive exactly where LOLP is; both summing over steps to the mean over trials
          of shed_steps and unserved_mwh per area (1e-9 relative); demand adding up.
  xarray: the root and every group open with the h5netcdf AND netCDF4 engines with the
          documented dims and coordinates, no `phony_dim`; the root's to_dataframe() has the
          index (scenario, trial, year) and a column per metric, /by_technology's and
          /by_region's the doc's index; paired differences by ds.sel(scenario=...) have dims
          (trial, year); /by_step's step axis decodes (decode_times) to the period's start +
          i x step_hours, and to the hours with decode_times=False.
  ncdump: `ncdump -h FILE` works, invents no `phony_dim`, and shows every documented
          variable with its named dimensions in its group.
Usage: check_layout.py [--doc docs/LAYOUT.md] FILE...   exit 0 ok, 1 on a difference, 2 usage
"""
import argparse
import datetime
import math
import os
import re
import shutil
import subprocess
import sys

try:
    import h5py
    import numpy as np
    import pandas as pd
    import xarray as xr
    import h5netcdf  # noqa: F401  (the engines xarray needs)
    import netCDF4  # noqa: F401
except ImportError as e:  # the caller (check_examples.sh) says which package to install
    print(f"check_layout: cannot run: {e} (Debian: python3-h5py python3-xarray "
          "python3-h5netcdf python3-netcdf4)", file=sys.stderr)
    sys.exit(2)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(REPO, "docs", "LAYOUT.md")

# The doc's root table lists the metrics with their units (pakistan: 37, model/pakistan.c
# pk_metrics, with "share" as "1": docs/LAYOUT.md: `1` for ratios and shares).
# /parameters: the doc lists the names and says "units as attributes"; model/pakistan.c
# pk_drivers gives them (then the supply draws of docs/MODEL.md s.5b and the network's, s.2b).
PARAMETER_UNITS = {
    "brent_usd_per_bbl": "USD/bbl", "coal_usd_per_t": "USD/t", "rlng_usd_per_mmbtu": "USD/MMBtu",
    "rfo_usd_per_t": "USD/t", "pkr_per_usd": "PKR/USD", "btc_usd": "USD/BTC", "hashrate_ehs": "EH/s",
    "hashprice_usd_per_ph_day": "USD/(PH/s)/day", "mining_revenue_usd_per_mwh": "USD/MWh",
    "hydro_factor": "1", "demand_level": "1", "blackout_hours": "h/yr",
    "hydro_peak_mw": "MW", "hydro_ror_share": "1", "old_plants_mw": "MW", "gas_mmcfd": "MMCFD",
    "heat_derate_max": "1", "corridor_mw": "MW", "south_demand_share": "1",
    "gas_peak_ratio": "1", "network_cost_usd_per_ph_day": "USD/(PH/s)/day",
}
# Attributes HDF5 and netCDF-C keep for themselves (dimension scales, netCDF bookkeeping).
BOOKKEEPING = {"DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME", "_Netcdf4Dimid",
               "_Netcdf4Coordinates", "_NCProperties", "_nc3_strict", "_FillValue"}
# CF attributes a writer may add to a variable beyond the required ones.
OPTIONAL_VAR_ATTRS = {"coordinates", "standard_name", "description", "comment"}
DAYS_PER_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
RTOL = 1e-9


class DocError(Exception):
    pass


# --- the contract, parsed from docs/LAYOUT.md --------------------------------------------------

def sections(text):
    """{heading: body} for the '## ' sections."""
    out = {}
    for part in re.split(r"^## ", text, flags=re.M)[1:]:
        head, _, body = part.partition("\n")
        out[head.strip()] = body
    return out


def find(pattern, text, what, flags=re.S):
    m = re.search(pattern, text, flags)
    if not m:
        raise DocError(f"cannot find {what} (has the doc changed? update check_layout.py)")
    return m


def ticks(text):
    return re.findall(r"`([^`]+)`", text)


def table(body, header):
    """Rows (lists of cells) of the markdown table whose header row starts with `header`."""
    lines = body.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("|") and re.match(r"\|\s*" + re.escape(header) + r"\s*\|", line):
            rows = []
            for row in lines[i + 2:]:
                if not row.startswith("|"):
                    break
                rows.append([c.strip() for c in row.strip().strip("|").split("|")])
            return rows
    raise DocError(f"no table with header '{header}' (has the doc changed?)")


def section(secs, key):
    for head, body in secs.items():
        if head.startswith(key):
            return body
    raise DocError(f"no section '## {key}' (has the doc changed?)")


def dims_of(text):
    return tuple(d.strip() for d in text.split(","))


def models_marker(text, models):
    """The models a heading or table cell ends with, "(pakistan)" or "(adequacy, pakistan)";
    every model when it names none (docs/LAYOUT.md: a marked group or attribute is in those
    models' files only)."""
    m = re.search(r"\((\w+(?:, \w+)*)\)\s*$", text)
    named = m.group(1).split(", ") if m else []
    return named if named and all(n in models for n in named) else list(models)


def parse_doc(path):
    text = open(path, encoding="utf-8").read()
    secs = sections(text)
    spec = {}
    spec["format_version"] = int(find(r"format_version (\d+)", text.splitlines()[0], "title").group(1))

    root = section(secs, "`/` (root)")
    rows = table(root, "attribute")
    for cells in rows:
        if cells[0] == "`model`":
            spec["models"] = [t for t in ticks(cells[2])]
    if len(spec.get("models", [])) < 2:
        raise DocError("no `model` row naming the models")
    models = spec["models"]
    attrs, attr_models = {}, {}
    for cells in rows:
        for name in ticks(cells[0]):
            attrs[name] = cells[1]
            attr_models[name] = models_marker(cells[2], models)
        if cells[0] == "`format_version`":
            spec["format_version_value"] = int(cells[2])
        if cells[0] == "`Conventions`":
            spec["conventions"] = ticks(cells[2])[0]
    if not {"format_version", "trials", "seed", "model"} <= set(attrs):
        raise DocError("root attribute table incomplete")
    spec["root_attrs"] = attrs
    spec["attr_models"] = attr_models

    coords = find(r"Coordinates: (.*?)\n\n", root, "root coordinates").group(1)
    spec["coord_types"] = dict(re.findall(r"`(\w+)` \((string|int32|float64)", coords))
    spec["root_coords"] = tuple(re.findall(r"`(\w+)` \(", coords))
    sw = find(r"Sweep coordinates (.*?)\n\n", root, "sweep coordinates").group(1)
    spec["sweep_coords"] = dict(re.findall(r"`(sweep_\w+)`\s+\((string|float64)", sw))
    if set(spec["sweep_coords"]) != {"sweep_variant", "sweep_mw", "sweep_tariff_pkr_per_kwh"}:
        raise DocError(f"sweep coordinates: {spec['sweep_coords']}")
    spec["root_dims"] = dims_of(find(r"Data variables, each `\(([^)]*)\)`", root,
                                     "root data variable dims").group(1))
    spec["metrics"] = {}
    for cells in table(root, "variable"):
        name, units, named = ticks(cells[0])[0], cells[1], cells[2].split(", ")
        if not set(named) <= set(models):
            raise DocError(f"root variable {name}: models '{cells[2]}' are not among {models}")
        for m in named:
            spec["metrics"].setdefault(m, {})[name] = units
    if len(spec["metrics"]) < 2:
        raise DocError("root data variable table incomplete")
    spec["groups"] = {}  # group -> the models whose files have it

    par = section(secs, "`/parameters`")
    m = find(r"Coordinates (.*?); variables `\(([^)]*)\)`:(.*?)\(", par, "parameters")
    spec["parameters"] = {"coords": tuple(ticks(m.group(1))), "dims": dims_of(m.group(2)),
                          "vars": ticks(m.group(3)),
                          "models": models_marker(section_head(secs, "`/parameters`"), models)}
    if sorted(spec["parameters"]["vars"]) != sorted(PARAMETER_UNITS):
        raise DocError("the doc's /parameters differ from check_layout.py's PARAMETER_UNITS")

    prof = section(secs, "`/profiles`")
    m = find(r"Coordinates (.*?), and on the\s+`(\w+)` axis (.*?)\.\s+Variable\s+`(\w+)\(([^)]*)\)`",
             prof, "profiles coordinates")
    aux = re.findall(r"`(\w+)` \((int32|float64|string)", m.group(3))
    spec["profiles"] = {"coords": tuple(ticks(m.group(1))), "aux_axis": m.group(2),
                        "aux": dict(aux), "var": m.group(4), "dims": dims_of(m.group(5)),
                        "coord_types": dict(re.findall(r"`(\w+)` \((string|int32|float64)",
                                                       m.group(1))),
                        "models": models_marker(section_head(secs, "`/profiles`"), models)}
    if set(spec["profiles"]["aux"]) != {"month", "hour_of_day"}:
        raise DocError("profiles: expected month and hour_of_day on the hour axis")

    for g in ("by_technology", "by_month"):
        bt = section(secs, f"`/{g}`")
        m = find(r"Coordinates (.*?)\(string:", bt, f"{g} coordinates")
        bdims = find(r"Variables `\(([^)]*)\)`", bt, f"{g} dims").group(1)
        spec[g] = {"coords": tuple(ticks(m.group(1))), "dims": dims_of(" ".join(bdims.split())),
                   "vars": {ticks(c[0])[0]: c[1] for c in table(bt, "variable")},
                   "models": models_marker(section_head(secs, f"`/{g}`"), models)}

    summ = section(secs, "`/summary`")
    m = find(r"Coordinates (`\w+`), (`\w+`) \(string: (.*?)\)\.", summ, "summary coordinates")
    spec["summary"] = {"coords": (ticks(m.group(1))[0], ticks(m.group(2))[0]),
                       "stats": ticks(m.group(3))}
    spec["summary"]["dims"] = dims_of(find(r"`m\(([^)]*)\)`", summ, "summary dims").group(1))
    spec["summary"]["delta_suffix"] = find(r"`m(_\w+)\(", summ, "summary delta").group(1)

    sen = section(secs, "`/sensitivity`")
    m = find(r"Coordinates (.*?)\(string: the root's", sen, "sensitivity coordinates")
    gm = find(r"`group` \(string: (.*?);", sen, "sensitivity groups")
    spec["sensitivity"] = {"coords": tuple(ticks(m.group(1))) + ("metric", "driver"),
                           "groups": ticks(gm.group(1)),
                           "vars": {ticks(c[0])[0]: c[1] for c in table(sen, "variable")},
                           "sobol": ["sobol_" + k + e for k in ("first", "total")
                                     for e in ("", "_lo", "_hi")],
                           "attrs": [t for t in ticks(find(r"Group attributes: (.*?)\.\n", sen,
                                                           "sensitivity attributes").group(1))],
                           "models": models_marker(section_head(secs, "`/sensitivity`"), models)}
    parse_network(spec, secs, models)
    for g in ("parameters", "profiles", "by_technology", "by_month", "by_region", "by_step",
              "sensitivity"):
        spec["groups"][g] = spec[g]["models"]
    spec["groups"]["summary"] = models_marker(section_head(secs, "`/summary`"), models)

    res = section(secs, "Reserved")
    spec["reserved"] = [t.strip("/") for t in ticks(res) if t.startswith("/")]

    sto = section(secs, "Storage")
    spec["small_bytes"] = int(find(r"under (\d+) KiB are contiguous", sto, "storage").group(1)) * 1024
    spec["chunk_kib"] = int(find(r"about (\d+) KiB a chunk", sto, "chunk size").group(1))
    spec["deflate"] = int(find(r"deflate\s+level (\d+)", sto, "deflate level").group(1))
    spec["shuffle"] = "shuffle" in sto
    return spec


def parse_network(spec, secs, models):
    """Network runs (PRAS systems): root variables, scenario names, /by_region, /by_step."""
    net = section(secs, "Network runs")
    for cells in table(net, "attribute"):
        for name in ticks(cells[0]):
            if name not in spec["root_attrs"]:
                raise DocError(f"Network runs: attribute {name} is not in the root's table")
    m = find(r"`scenario` has one value, `(\w+)`, or `(\w+)` with `(--[\w-]+)`", net,
             "network scenario names")
    spec["network"] = {"scenarios": {m.group(1): False, m.group(2): True}, "option": m.group(3)}
    if dims_of(find(r"Data variables, each `\(([^)]*)\)`", net, "network dims").group(1)) \
            != spec["root_dims"]:
        raise DocError("Network runs: root variables' dims differ from the root's")
    model = "network"
    if model not in models:
        raise DocError("no `network` model in the `model` row")
    spec["metrics"][model] = {ticks(c[0])[0]: c[1] for c in table(net, "variable")}

    br = section(secs, "`/by_region`")
    m = find(r"Coordinates (.*?)\(string:", br, "by_region coordinates")
    copper = find(r"one, `(\w+)`, with `--copper-plate`", br, "copper-plate region").group(1)
    v = find(r"Variables `\(([^)]*)\)`:(.*?) of each region", br, "by_region variables")
    names = ticks(v.group(2))
    if not set(names) <= set(spec["metrics"][model]):
        raise DocError("/by_region: variables not among the network root's")
    spec["by_region"] = {"coords": tuple(ticks(m.group(1))),
                         "dims": dims_of(" ".join(v.group(1).split())),
                         "vars": {n: spec["metrics"][model][n] for n in names},
                         "copper_region": copper,
                         "models": models_marker(section_head(secs, "`/by_region`"), models)}

    bs = section(secs, "`/by_step`")
    c = find(r"Coordinates (.*?)\. Variables:", bs, "by_step coordinates").group(1)
    coords = re.findall(r"`(\w+)`(?= \((?:string|int32|float64)|,)", c)
    types = dict(re.findall(r"`(\w+)` \((string|int32|float64)", c))
    time = find(r"`(\w+)` \(float64:.*?CF time units `(\w+) since", c, "by_step time axis")
    rows = table(bs, "variable")
    spec["by_step"] = {"coords": tuple(coords), "coord_types": types, "time_axis": time.group(1),
                       "time_unit": time.group(2),
                       "vars": {ticks(r[0])[0]: r[2] for r in rows},
                       "var_dims": {ticks(r[0])[0]: dims_of(r[1]) for r in rows},
                       "system": find(r"then\s+`(\w+)`\)", c, "by_step system area").group(1),
                       "models": models_marker(section_head(secs, "`/by_step`"), models)}
    if not coords or set(d for r in rows for d in dims_of(r[1])) - set(coords):
        raise DocError("/by_step: variables' dimensions are not its coordinates")


def section_head(secs, key):
    for head in secs:
        if head.startswith(key):
            return head
    return ""


# --- checking ----------------------------------------------------------------------------------

class Report:
    def __init__(self, path):
        self.path, self.errors, self.checks = path, [], 0

    def expect(self, ok, where, msg):
        self.checks += 1
        if not ok:
            self.errors.append(f"{where}: {msg}")
        return ok


def s(x):
    return x.decode("utf-8") if isinstance(x, bytes) else x


def attr_kind(obj, name):
    """'int32', 'float64', 'string', 'string[]' or a description of another type."""
    aid = obj.attrs.get_id(name)
    dt, shape = aid.dtype, aid.shape
    info = h5py.check_string_dtype(dt)
    if info is not None:
        if info.length is not None or info.encoding != "utf-8":
            return f"fixed-length or ASCII string ({dt})"
        return "string" if shape == () else "string[]" if len(shape) == 1 else f"string{shape}"
    if shape != ():
        return f"{dt} array {shape}"
    return str(dt)


def is_utf8_vlen(dt):
    info = h5py.check_string_dtype(dt)
    return info is not None and info.length is None and info.encoding == "utf-8"


def close(a, b, scale):
    return abs(a - b) <= RTOL * max(abs(a), abs(b)) + RTOL * scale


def stats_of(x, names):
    """The statistics of docs/LAYOUT.md /summary over trials (kernels/stats.h: quantiles as
    NumPy's default, sd with n - 1, CVaR95 the mean of the worst ceil(5%))."""
    n = len(x)
    srt = np.sort(x)
    sd = float(np.std(x, ddof=1)) if n > 1 else 0.0
    q = lambda p: float(np.quantile(x, p))
    known = {"mean": float(np.mean(x)), "se": sd / math.sqrt(n), "sd": sd, "p5": q(0.05),
             "p50": q(0.5), "p95": q(0.95), "p99": q(0.99), "var95": q(0.95),
             "cvar95": float(srt[n - math.ceil(0.05 * n):].mean()), "min": float(srt[0]),
             "max": float(srt[-1]), "p_positive": float(np.mean(x > 0))}
    return {k: known.get(k) for k in names}


def check_storage(r, spec, where, ds, dims):
    if h5py.check_string_dtype(ds.dtype) is not None:
        return  # a few names: too small to chunk
    layout = ds.id.get_create_plist().get_layout()
    if ds.nbytes < spec["small_bytes"]:
        r.expect(layout == h5py.h5d.CONTIGUOUS, where,
                 f"{ds.nbytes} bytes (< {spec['small_bytes'] // 1024} KiB) must be contiguous, "
                 f"layout is {ds.chunks and 'chunked ' + str(ds.chunks) or layout}")
        return
    if not r.expect(layout == h5py.h5d.CHUNKED, where,
                    f"{ds.nbytes} bytes must be chunked (docs/LAYOUT.md Storage)"):
        return
    c = ds.chunks
    r.expect(ds.compression == "gzip" and ds.compression_opts == spec["deflate"], where,
             f"deflate level {spec['deflate']} expected, got {ds.compression} "
             f"{ds.compression_opts}")
    r.expect(ds.shuffle == spec["shuffle"], where, f"shuffle expected {spec['shuffle']}")
    lead = 1 if dims[0] == "scenario" else 0
    r.expect(lead == 0 or c[0] == 1, where, f"chunk {c}: one scenario at a time expected")
    r.expect(tuple(c[lead + 1:]) == tuple(ds.shape[lead + 1:]), where,
             f"chunk {c}: a block of {dims[lead]} with every {', '.join(dims[lead + 1:])} "
             f"expected (shape {ds.shape})")
    cb = int(np.prod(c)) * ds.dtype.itemsize
    whole = c[lead] == ds.shape[lead]
    r.expect(cb <= 4 * spec["chunk_kib"] * 1024 and (whole or cb >= spec["chunk_kib"] * 256),
             where, f"chunk {c} is {cb // 1024} KiB, about {spec['chunk_kib']} KiB expected")


def check_scales(r, where, ds, grp, dims):
    for i, dim in enumerate(dims):
        scales = list(ds.dims[i].values()) if i < ds.ndim else []
        if not r.expect(len(scales) == 1, where,
                        f"axis {i} ({dim}) has {len(scales)} dimension scales attached, want 1"):
            continue
        r.expect(scales[0].name == grp[dim].name if dim in grp else False, where,
                 f"axis {i} has scale {scales[0].name}, want {grp.name.rstrip('/')}/{dim}")
    if "DIMENSION_LIST" in ds.attrs:
        ref = ds.attrs.get_id("DIMENSION_LIST").get_type().get_super()
        r.expect(ref.equal(h5py.h5t.STD_REF_OBJ), where,
                 "DIMENSION_LIST holds new-style (HDF5 1.12) references: HDF5 1.10 and "
                 "netCDF-C 4.7 cannot read them")


def check_var_attrs(r, where, ds, units):
    for a in ("units", "long_name"):
        if not r.expect(a in ds.attrs, where, f"no `{a}` attribute"):
            continue
        r.expect(attr_kind(ds, a) == "string", where,
                 f"`{a}` must be a variable-length UTF-8 string, is {attr_kind(ds, a)}")
        r.expect(bool(s(ds.attrs[a]).strip()), where, f"`{a}` is empty")
    if units is not None and "units" in ds.attrs:
        r.expect(s(ds.attrs["units"]) == units, where,
                 f"units {s(ds.attrs['units'])!r}, docs/LAYOUT.md says {units!r}")
    extra = set(ds.attrs) - {"units", "long_name"} - BOOKKEEPING - OPTIONAL_VAR_ATTRS
    r.expect(not extra, where, f"attributes not in docs/LAYOUT.md: {sorted(extra)}")


def check_group(r, spec, f, gname, coords, coord_types, variables, dims, aux=None, aux_axis=None,
                values=None, var_dims=None):
    """Inventory, coordinates, variables: the h5py walk of one group. Every variable has `dims`
    unless `var_dims` gives its own."""
    g = f[gname] if gname != "/" else f
    where0 = gname
    names = set(g.keys())
    want = set(coords) | set(variables) | set(aux or {})
    subgroups = {n for n in names if isinstance(g[n], h5py.Group)}
    if gname != "/":
        r.expect(not subgroups, where0, f"unexpected subgroups {sorted(subgroups)}")
    missing = sorted(want - names)
    r.expect(not missing, where0, f"missing {missing}")
    extra = sorted(names - want - subgroups)
    r.expect(not extra, where0, f"not in docs/LAYOUT.md: {extra}")
    out = {}
    for c in coords:
        if c not in g:
            continue
        ds, where = g[c], f"{gname.rstrip('/')}/{c}"
        r.expect(ds.ndim == 1, where, f"a coordinate must be 1-D, has shape {ds.shape}")
        r.expect(h5py.h5ds.is_scale(ds.id), where, "not a dimension scale (H5DSset_scale)")
        t = coord_types.get(c)
        if t == "string":
            r.expect(is_utf8_vlen(ds.dtype), where, f"dtype {ds.dtype}: want variable-length UTF-8")
            out[c] = [s(x) for x in ds[()]]
        else:
            r.expect(ds.dtype == np.dtype(t), where, f"dtype {ds.dtype}: want {t}")
            out[c] = ds[()]
        check_storage(r, spec, where, ds, (c,))
        if values and c in values:
            ok = len(out[c]) == len(values[c]) and all(a == b for a, b in zip(out[c], values[c]))
            r.expect(ok, where, f"values {short(out[c])}: want {short(values[c])}")
    for a, t in (aux or {}).items():
        if a not in g:
            continue
        ds, where = g[a], f"{gname.rstrip('/')}/{a}"
        if t == "string":
            r.expect(is_utf8_vlen(ds.dtype), where, f"dtype {ds.dtype}: want variable-length UTF-8")
        else:
            r.expect(ds.dtype == np.dtype(t), where, f"dtype {ds.dtype}: want {t}")
        r.expect(ds.ndim == 1 and aux_axis in g and ds.shape == g[aux_axis].shape, where,
                 f"shape {ds.shape}: want ({aux_axis},)")
        check_scales(r, where, ds, g, (aux_axis,))
        check_storage(r, spec, where, ds, (aux_axis,))
        out[a] = ds[()]
    for v in variables:
        if v not in g:
            continue
        vdims = (var_dims or {}).get(v, dims)
        shape = tuple(len(out[d]) if d in out else -1 for d in vdims)
        ds, where = g[v], f"{gname.rstrip('/')}/{v}"
        r.expect(ds.dtype == np.float64, where, f"dtype {ds.dtype}: want float64")
        r.expect(ds.shape == shape, where, f"shape {ds.shape}: want {shape} = {vdims}")
        check_scales(r, where, ds, g, vdims)
        check_var_attrs(r, where, ds, variables[v])
        check_storage(r, spec, where, ds, vdims)
        if ds.shape == shape:
            x = ds[()]
            r.expect(np.all(np.isfinite(x)), where, "holds a NaN or an infinity")
            out[v] = x
    return out


def short(v):
    v = list(v)
    return str(v) if len(v) <= 6 else f"[{v[0]}, {v[1]}, ..., {v[-1]}] ({len(v)})"


def check_sweep_coords(r, f, metrics):
    """A sweep's coordinates (docs/LAYOUT.md, root): named in every root and /summary
    variable's `coordinates`; a declared scenario has no variant and NaN MW, a point a variant
    and a finite MW."""
    want = "sweep_variant sweep_mw sweep_tariff_pkr_per_kwh"
    for g in (f, f["summary"] if "summary" in f else None):
        if g is None:
            continue
        for v in g:
            ds = g[v]
            if isinstance(ds, h5py.Dataset) and ds.ndim >= 2:
                got = s(ds.attrs.get("coordinates", ""))
                r.expect(got == want, f"{g.name.rstrip('/')}/{v}",
                         f"coordinates attribute {got!r}: want {want!r}")
    var = [s(x) for x in f["sweep_variant"][()]]
    mw, tariff = f["sweep_mw"][()], f["sweep_tariff_pkr_per_kwh"][()]
    for i, (v, m, t) in enumerate(zip(var, mw, tariff)):
        r.expect((v == "") == bool(np.isnan(m)) and (not v or m >= 0), f"/sweep_mw[{i}]",
                 f"variant {v!r} with MW {m}: a point has both (MW >= 0), a declared scenario neither")
        r.expect(np.isnan(t) or (v != "" and t >= 0), f"/sweep_tariff_pkr_per_kwh[{i}]",
                 f"{t} for {v!r}: NaN, or a point's tariff >= 0")
    r.expect(var and var[0] == "", "/sweep_variant", "the first scenario (the baseline) is not a point")
    if "summary" in f:  # the same coordinates, the same values, in /summary
        for c in ("sweep_variant", "sweep_mw", "sweep_tariff_pkr_per_kwh"):
            a_, b_ = f[c][()], f["summary/" + c][()] if c in f["summary"] else None
            same = b_ is not None and len(a_) == len(b_) and all(
                (x == y) or (isinstance(x, float) and np.isnan(x) and np.isnan(y))
                for x, y in zip(a_.tolist(), b_.tolist()))
            r.expect(same, f"/summary/{c}", "differs from the root's")


def rank_avg(x):
    """Average ranks (1-based), ties sharing the mean of their positions (model/sens.c)."""
    order = np.lexsort((np.arange(len(x)), x))
    r = np.empty(len(x))
    r[order] = np.arange(1, len(x) + 1, dtype=float)
    _, inv, counts = np.unique(x, return_inverse=True, return_counts=True)
    return (np.bincount(inv, weights=r) / counts)[inv]


def check_sensitivity(r, spec, f, root, scen, metrics, T):
    """/sensitivity (docs/LAYOUT.md): its axes, and every rank correlation and tornado bar
    recomputed here from the root's metrics and /parameters; the Sobol intervals around their
    estimates."""
    sp, g, where = spec["sensitivity"], f["sensitivity"], "/sensitivity"
    labels = {k: [s(v) for v in g[k][()]] for k in ("scenario", "metric", "driver") if k in g}
    params = [k for k in f["parameters"] if k not in ("trial", "year")]
    for k, want in (("scenario", list(scen)), ("metric", list(metrics)), ("driver", params)):
        r.expect(labels.get(k) == want, f"{where}/{k}", f"{labels.get(k)}: want {want}")
    S, M, D = len(scen), len(metrics), len(params)
    for v in sp["vars"]:
        r.expect(v in g and g[v].shape == (S, M, D), f"{where}/{v}",
                 f"missing or not (scenario, metric, driver) = {(S, M, D)}")
    if not all(v in g and g[v].shape == (S, M, D) for v in sp["vars"]) or T < 2:
        return
    def hmean(v, base=None):
        """Each trial's horizon mean summed year by year in order, as the C code sums it (a
        different rounding would split ties the ranks must keep)."""
        acc = np.zeros(v.shape[0])
        for y in range(v.shape[1]):
            acc += v[:, y] - (base[:, y] if base is not None else 0.0)
        return acc / v.shape[1]

    x = np.stack([hmean(f["parameters/" + p][()]) for p in params])  # (D, T)
    # vectorised over drivers: centred ranks, each driver's lowest and highest tenth
    xr_ = np.stack([rank_avg(xi) for xi in x])
    xc = xr_ - xr_.mean(axis=1, keepdims=True)
    xss = (xc * xc).sum(axis=1)
    order = np.stack([np.lexsort((np.arange(T), xi)) for xi in x])
    k = T // 10
    const = ~(np.ptp(x, axis=1) > 1e-9 * np.mean(np.abs(x), axis=1))
    low_i, high_i = order[:, :k], order[:, ::-1][:, :k]
    rc, lo, hi = (g[v][()] for v in ("rank_corr", "tornado_low", "tornado_high"))
    bad = []
    for si in range(S):
        for mi, m in enumerate(metrics):
            q = hmean(root[m][si], root[m][0] if si else None)
            # model/sens.h: a spread below 1e-9 of the scale is rounding, not an effect
            scale = np.mean(np.abs(hmean(root[m][si]))) + (np.mean(np.abs(hmean(root[m][0]))) if si else 0)
            want = np.full(D, np.nan)
            if np.all(np.isfinite(q)) and np.ptp(q) > 1e-9 * scale:
                fc = rank_avg(q)
                fc = fc - fc.mean()
                with np.errstate(invalid="ignore", divide="ignore"):
                    want = (xc @ fc) / np.sqrt(xss * (fc @ fc))
                want[const] = np.nan
            wl = np.where(const, np.nan, q[low_i].mean(axis=1)) if k else np.full(D, np.nan)
            wh = np.where(const, np.nan, q[high_i].mean(axis=1)) if k else np.full(D, np.nan)
            for name, got, w in (("rank_corr", rc, want), ("tornado_low", lo, wl),
                                 ("tornado_high", hi, wh)):
                gv = got[si, mi]
                ok = (np.isnan(gv) & np.isnan(w)) | np.isclose(gv, w, rtol=1e-9, atol=1e-9)
                bad += [f"{name}[{scen[si]}, {m}, {params[di]}] = {gv[di]}, want {w[di]}"
                        for di in np.flatnonzero(~ok)]
    r.expect(not bad, where, f"{len(bad)} values differ from the trials: {bad[:3]}")
    if "group" not in g:
        return
    r.expect([s(v) for v in g["group"][()]] == sp["groups"], f"{where}/group",
             f"want {sp['groups']}")
    G = len(sp["groups"])
    for a in sp["attrs"]:
        r.expect(a in g.attrs, f"{where} attribute {a}", "missing")
    n = int(g.attrs.get("sobol_base_points", 0))
    r.expect(16 <= n <= T // 2, f"{where} attribute sobol_base_points",
             f"{n}: want 16..trials / 2 (A and B are the run's first 2N trials)")
    for v in sp["sobol"]:
        r.expect(v in g and g[v].shape == (S, M, G), f"{where}/{v}", f"missing or not {(S, M, G)}")
    if all(v in g and g[v].shape == (S, M, G) for v in sp["sobol"]):
        for k_ in ("first", "total"):
            e, l_, h = (g[f"sobol_{k_}{x}"][()] for x in ("", "_lo", "_hi"))
            ok = np.isnan(e) | ((l_ <= e) & (e <= h))
            r.expect(ok.all(), f"{where}/sobol_{k_}", "an estimate outside its interval")


def check_root_attrs(r, spec, f):
    model = s(f.attrs.get("model", ""))
    every = spec["root_attrs"]
    # an unknown model (reported below): the attributes every model has
    everyone = set(spec["models"])
    want = {k: t for k, t in every.items()
            if model in spec["attr_models"][k] or set(spec["attr_models"][k]) == everyone}
    have = set(f.attrs)
    r.expect(not (set(want) - have), "/ attributes", f"missing {sorted(set(want) - have)}")
    extra = have - set(want) - BOOKKEEPING
    r.expect(not extra, "/ attributes", f"not in docs/LAYOUT.md: {sorted(extra)}" + "".join(
        f" ({k} is for {', '.join(spec['attr_models'][k])} runs only)" for k in sorted(extra)
        if k in every))
    for name, t in want.items():
        if name in have:
            k = attr_kind(f, name)
            r.expect(k == t, f"/ attribute {name}", f"type {k}: docs/LAYOUT.md says {t}")
    a = {k: (s(v) if not isinstance(v, np.ndarray) or v.dtype != object else [s(x) for x in v])
         for k, v in f.attrs.items()}
    get = lambda k, d=None: a.get(k, d)
    r.expect(get("format_version") == spec["format_version_value"], "/ attribute format_version",
             f"{get('format_version')}: want {spec['format_version_value']}")
    r.expect(get("Conventions") == spec["conventions"], "/ attribute Conventions",
             f"{get('Conventions')!r}: want {spec['conventions']!r}")
    r.expect(get("model") in spec["models"], "/ attribute model",
             f"{get('model')!r}: want one of {spec['models']}")
    r.expect(str(get("source", "")).startswith("gridrisk "), "/ attribute source",
             f"{get('source')!r}: want 'gridrisk <version>'")
    ct = str(get("creation_time", ""))
    try:
        t = datetime.datetime.fromisoformat(ct.replace("Z", "+00:00"))
        r.expect(t.utcoffset() == datetime.timedelta(0), "/ attribute creation_time",
                 f"{ct!r} is not UTC")
    except ValueError:
        r.expect(False, "/ attribute creation_time", f"{ct!r} is not ISO 8601")
    hist = str(get("history", ""))
    r.expect(hist.startswith(ct) and " gridrisk run " in hist and " -n " in hist
             and " -s " in hist, "/ attribute history",
             f"{hist!r}: want '<creation time> gridrisk run <scenario> -n <trials> -s <seed>'")
    if model == "network":
        check_network_attrs(r, spec, get, hist)
    n = re.search(r" -n (\d+)", hist)
    r.expect(n is not None and int(n.group(1)) == get("trials"), "/ attribute history",
             f"-n {n and n.group(1)} differs from trials = {get('trials')}")
    seed = str(get("seed", ""))
    r.expect(seed.isdigit() and int(seed) < 2 ** 32, "/ attribute seed",
             f"{seed!r}: want an unsigned 32-bit integer as a string")
    r.expect(f" -s {seed}" in hist, "/ attribute history", f"does not name the seed {seed}")
    files, sums = get("input_files", []), get("input_sha256", [])
    r.expect(len(files) >= 1 and len(files) == len(sums), "/ attributes input_files",
             f"{len(files)} files, {len(sums)} digests: want the same number, at least 1")
    r.expect(all(re.fullmatch(r"[0-9a-f]{64}", str(x)) for x in sums), "/ attribute input_sha256",
             "each digest must be 64 lower-case hex digits")
    for k in ("threads", "ranks"):
        r.expect(isinstance(get(k), (int, np.integer)) and get(k) >= 1, f"/ attribute {k}",
                 f"{get(k)!r}: want >= 1")
    w = get("wall_time_s")
    r.expect(w is not None and np.isfinite(w) and w >= 0, "/ attribute wall_time_s",
             f"{w!r}: want a time >= 0")
    return a


def check_network_attrs(r, spec, get, hist):
    """docs/LAYOUT.md, Network runs: the root attributes' values in a network run."""
    r.expect(get("scenario_yaml") == "", "/ attribute scenario_yaml",
             f"{str(get('scenario_yaml'))[:40]!r}: a network run has no scenario file (want '')")
    files = get("input_files", [])
    r.expect(len(files) == 1, "/ attribute input_files", f"{files}: want the one system file")
    if len(files) == 1:
        base = os.path.basename(str(files[0]))
        r.expect(get("scenario_name") == base.split(".")[0], "/ attribute scenario_name",
                 f"{get('scenario_name')!r}: want the system file's name up to its first '.' "
                 f"({base.split('.')[0]!r})")
        r.expect(f" gridrisk run {files[0]} -n " in hist, "/ attribute history",
                 f"{hist!r} does not run the system file {files[0]}")
    r.expect(get("years") == 1, "/ attribute years", f"{get('years')!r}: want 1 (one period)")
    n, h = get("steps"), get("step_hours")
    r.expect(isinstance(n, (int, np.integer)) and n >= 1, "/ attribute steps",
             f"{n!r}: want >= 1")
    r.expect(h is not None and np.isfinite(h) and h > 0, "/ attribute step_hours",
             f"{h!r}: want a length > 0 in hours")


def check_network(r, spec, f, a, root, values, types):
    """A network run's /by_region and /by_step (docs/LAYOUT.md, Network runs, /by_region,
    /by_step): the h5py walk, then the identities the doc promises between them and the root."""
    T, N = int(a.get("trials", 0)), int(a.get("steps", 0))
    step_h = float(a.get("step_hours") or 0.0)
    b = spec["by_region"]
    br = check_group(r, spec, f, "/by_region", b["coords"], {**types, "region": "string"},
                     b["vars"], b["dims"], values=values)
    st = spec["by_step"]
    bs = check_group(r, spec, f, "/by_step", st["coords"], {**types, **st["coord_types"]},
                     st["vars"], None, values=values, var_dims=st["var_dims"])
    regions = br.get("region", [])
    R = len(regions)
    r.expect(R >= 1 and len(set(regions)) == R and all(regions), "/by_region/region",
             f"{regions}: want unique, non-empty region names")
    if spec["network"]["option"] in str(a.get("history", "")):
        r.expect(regions == [b["copper_region"]], "/by_region/region",
                 f"{regions}: a copper-plate run has the one region {b['copper_region']!r}")
    area = bs.get("area")
    r.expect(area == regions + [st["system"]], "/by_step/area",
             f"{area}: want the regions of /by_region, then {st['system']!r}")
    tx = st["time_axis"]
    if tx in f["by_step"]:
        ds = f["by_step"][tx]
        units = s(ds.attrs.get("units", ""))
        m = re.fullmatch(st["time_unit"] + r" since (\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d)"
                         r"(:\d\d(\.\d*)?)?( ?(Z|UTC|[+-]\d\d?(:?\d\d)?))?", units)
        r.expect(m is not None, f"/by_step/{tx}", f"units {units!r}: want CF time units "
                 f"'{st['time_unit']} since YYYY-MM-DD hh:mm:ss[+hh:mm]'")
        r.expect(m is None or int(m.group(1)) == a.get("start_year"), f"/by_step/{tx}",
                 f"units {units!r}: the period starts in another year than start_year "
                 f"{a.get('start_year')}")
        r.expect("long_name" in ds.attrs, f"/by_step/{tx}", "no `long_name`")
        hours = bs.get(tx)
        if hours is not None:
            r.expect(len(hours) == N and np.allclose(hours, np.arange(N) * step_h, rtol=RTOL,
                                                     atol=RTOL * step_h), f"/by_step/{tx}",
                     f"{short(hours)}: want the steps' starts, i x step_hours = i x {step_h} "
                     f"for i < steps = {N}")

    def near(x, y, scale):
        return np.allclose(x, y, rtol=RTOL, atol=RTOL * max(scale, 1e-300))

    # the period's totals: integer step counts, hours = steps x step_hours
    for g, d in (("", root), ("/by_region", br)):
        ns, nh, mw = (d.get(k) for k in ("shed_steps", "shed_hours", "unserved_mwh"))
        if ns is not None:
            r.expect(np.all(ns == np.round(ns)) and ns.min() >= 0 and ns.max() <= N,
                     f"{g}/shed_steps", f"not a count of steps in 0..{N}")
            if nh is not None:
                r.expect(near(nh, ns * step_h, N * step_h), f"{g}/shed_hours",
                         f"differs from shed_steps x step_hours ({step_h})")
        if mw is not None:
            r.expect(mw.min() >= 0, f"{g}/unserved_mwh", "negative")
            if ns is not None:
                r.expect(np.array_equal(mw > 0, ns > 0), f"{g}/unserved_mwh",
                         "a trial with unserved energy has no shortfall step, or the reverse")
    # system and regions (trial by trial)
    if R and all(k in br and k in root for k in ("shed_steps", "unserved_mwh")):
        sys_mw, reg_mw = root["unserved_mwh"], br["unserved_mwh"]
        r.expect(near(reg_mw.sum(axis=3), sys_mw, float(sys_mw.max(initial=0))),
                 "/by_region/unserved_mwh", "sum over regions differs from /unserved_mwh")
        sys_n, reg_n = root["shed_steps"], br["shed_steps"]
        r.expect(np.all(sys_n >= reg_n.max(axis=3)), "/shed_steps",
                 "below a region's shed_steps (the system is short whenever a region is)")
        r.expect(np.all(sys_n <= reg_n.sum(axis=3)), "/shed_steps",
                 "above the sum of the regions' shed_steps (a system step is some region's)")
    # per step: shares of trials, their standard errors, and sums over steps
    lolp, se, eue, eue_se = (bs.get(k) for k in ("lolp", "lolp_se", "eue_mwh", "eue_mwh_se"))
    if lolp is None or len(area or []) != R + 1:
        return
    r.expect(lolp.min() >= 0 and lolp.max() <= 1, "/by_step/lolp", "outside [0, 1]")
    k = lolp * T
    r.expect(np.allclose(k, np.round(k), rtol=0, atol=1e-6), "/by_step/lolp",
             "not a share of trials (lolp x trials is not an integer)")
    if se is not None and T > 1:
        want = np.sqrt(lolp * (1 - lolp) / (T - 1))
        r.expect(near(se, want, 1.0), "/by_step/lolp_se",
                 "differs from sqrt(lolp (1 - lolp) / (trials - 1))")
    if eue is not None:
        r.expect(eue.min() >= 0, "/by_step/eue_mwh", "negative")
        r.expect(np.array_equal(eue > 0, lolp > 0), "/by_step/eue_mwh",
                 "positive where lolp is 0, or 0 where lolp is positive")
        if eue_se is not None:
            r.expect(eue_se.min() >= 0 and np.all(eue_se[lolp == 0] == 0), "/by_step/eue_mwh_se",
                     "negative, or positive in a step no trial was short")
        big = float(eue.max(initial=0))
        r.expect(near(eue[..., :R].sum(axis=2), eue[..., R], big), "/by_step/eue_mwh",
                 f"sum over regions differs from {st['system']!r}")
    r.expect(np.all(lolp[..., R] >= lolp[..., :R].max(axis=2) - 1e-12)
             and np.all(lolp[..., R] <= lolp[..., :R].sum(axis=2) + 1e-12), "/by_step/lolp",
             f"{st['system']!r} outside [largest region, sum of regions]")
    dem = bs.get("demand_mwh")
    if dem is not None:
        r.expect(dem.min() > 0, "/by_step/demand_mwh", "not positive")
        r.expect(near(dem[:R].sum(), dem[R], float(dem[R])), "/by_step/demand_mwh",
                 f"sum over regions differs from {st['system']!r}")
    # over steps: LOLE and EUE of each area, as /by_region and the root hold them per trial
    for var, step_var in (("shed_steps", "lolp"), ("unserved_mwh", "eue_mwh")):
        x = bs.get(step_var)
        if x is None or var not in root or var not in br:
            continue
        per_trial = np.concatenate([br[var], root[var][..., None]], axis=3)  # (S, T, Y, A)
        want = per_trial.mean(axis=1)[:, 0, :]  # (S, A): one period
        got = x.sum(axis=1)
        for i, name in enumerate(area):
            src = f"/by_region/{var}" if i < R else f"/{var}"
            r.expect(all(close(g, w, float(np.max(x[..., i], initial=0)))
                         for g, w in zip(got[:, i], want[:, i])),
                     f"/by_step/{step_var}", f"[{name}] sums over steps to {short(got[:, i])}; "
                     f"the mean over trials of {src} is {short(want[:, i])}")


def calendar_month(hours, start_month=1):
    """Calendar month (1..12) of each hour of a 365-day year whose first hour is in
    start_month; a profile longer than 365 days stays in its twelfth month."""
    days = [DAYS_PER_MONTH[(start_month - 1 + k) % 12] for k in range(12)]
    k = np.minimum(np.searchsorted(np.cumsum(days) * 24, hours, side="right"), 11)
    return (start_month - 1 + k) % 12 + 1


def check_h5(r, spec, path):
    f = h5py.File(path, "r")
    a = check_root_attrs(r, spec, f)
    model = a.get("model")
    if model not in spec["metrics"]:  # reported above; walk the rest as the data suggest
        model = "pakistan" if "net_fiscal_cost_pkr" in f else \
            "network" if "shed_steps" in f else "adequacy"
    T, Y = (int(a.get(k, 0)) for k in ("trials", "years"))
    H = int(a.get("steps" if model == "network" else "hours_per_year", 0))
    start = int(a.get("start_year", 0))
    metrics = spec["metrics"][model]
    values = {"trial": np.arange(T), "year": start + np.arange(Y), "hour": np.arange(H),
              "stat": spec["summary"]["stats"]}
    types = spec["coord_types"]
    sweep = spec["sweep_coords"] if "sweep_variant" in f else None
    # a run of a file with a sweep must carry its coordinates (their absence is not "no sweep")
    text = s(f.attrs.get("scenario_yaml", ""))
    r.expect(sweep is not None or not re.search(r"^sweep:", text, re.M), "/sweep_variant",
             "the scenario has a sweep: but the file has no sweep coordinates")
    root = check_group(r, spec, f, "/", spec["root_coords"], types, metrics, spec["root_dims"],
                       values=values, aux=sweep, aux_axis="scenario")
    if sweep:
        check_sweep_coords(r, f, metrics)
    scen = root.get("scenario", [])
    values["scenario"] = scen
    r.expect(len(scen) >= 1 and len(set(scen)) == len(scen) and all(scen), "/scenario",
             f"{scen}: want unique, non-empty names")
    if model == "network":
        nets = spec["network"]["scenarios"]
        copper = spec["network"]["option"] in str(a.get("history", ""))
        named = [k for k, v in nets.items() if v == copper]
        r.expect(scen == named, "/scenario",
                 f"{scen}: want {named} (a network run{' with ' if copper else ' without '}"
                 f"{spec['network']['option']})")
    else:
        r.expect("baseline" in scen, "/scenario", f"{scen}: no 'baseline' to pair deltas with")

    groups = {n for n in f if isinstance(f[n], h5py.Group)}
    want = {g for g, models in spec["groups"].items() if model in models}
    r.expect(not (want - groups), "/", f"missing groups {sorted(want - groups)}")
    unknown = groups - want - set(spec["reserved"])
    r.expect(not unknown, "/", f"groups not in docs/LAYOUT.md: {sorted(unknown)}" + "".join(
        f" (/{g} is for {', '.join(spec['groups'][g])} runs only)" for g in sorted(unknown)
        if g in spec["groups"]))

    if "parameters" in groups and "parameters" in want:
        p = spec["parameters"]
        check_group(r, spec, f, "/parameters", p["coords"], types,
                    {v: PARAMETER_UNITS[v] for v in p["vars"]}, p["dims"], values=values)
    if "by_technology" in groups and "by_technology" in want:
        b = spec["by_technology"]
        bt = check_group(r, spec, f, "/by_technology", b["coords"], {**types, "technology": "string"},
                         b["vars"], b["dims"], values=values)
        names = bt.get("technology", [])
        r.expect(len(names) >= 1 and len(set(names)) == len(names), "/by_technology/technology",
                 f"{names}: want unique technology names")
        # the doc's identities: sums over technologies equal the root's totals
        for var, total in (("generation_mwh", "served_mwh"), ("variable_cost_pkr", "gen_cost_pkr")):
            if var in bt and total in root:
                got, want_v = bt[var].sum(axis=3), root[total]
                r.expect(np.allclose(got, want_v, rtol=1e-9, atol=1e-6), f"/by_technology/{var}",
                         f"sum over technologies differs from /{total}")
    if "by_month" in groups and "by_month" in want:
        b = spec["by_month"]
        bm = check_group(r, spec, f, "/by_month", b["coords"], {**types, "month": "string"},
                         b["vars"], b["dims"], values=values)
        cal = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        sm = int(a.get("start_month", 1))
        want_m = [cal[(sm - 1 + k) % 12] for k in range(12)]
        r.expect(list(bm.get("month", [])) == want_m, "/by_month/month",
                 f"{list(bm.get('month', []))}: want {want_m} (from start_month {sm})")
        # the doc's identity: each flow sums over a year's months to the root's variable
        for var in b["vars"]:
            if var in bm and var in root:
                r.expect(np.allclose(bm[var].sum(axis=3), root[var], rtol=1e-9, atol=1e-6),
                         f"/by_month/{var}", f"sum over months differs from /{var}")
    if "sensitivity" in groups and "sensitivity" in want and "parameters" in groups:
        check_sensitivity(r, spec, f, root, scen, metrics, T)
    if {"by_region", "by_step"} <= want & groups:
        check_network(r, spec, f, a, root, values, types)
    prof = {}
    if "profiles" in groups and "profiles" in want:
        p = spec["profiles"]
        ptypes = {**types, **p["coord_types"], "hour": "int32"}
        prof = check_group(r, spec, f, "/profiles", p["coords"], ptypes, {p["var"]: "1"},
                           p["dims"], aux=p["aux"], aux_axis=p["aux_axis"], values=values)
        hours = np.arange(H)
        if "month" in prof:
            sm = int(a.get("start_month", 1))
            r.expect(1 <= sm <= 12, "/ attribute start_month", f"{sm}: want 1..12")
            r.expect(np.array_equal(prof["month"], calendar_month(hours, sm if 1 <= sm <= 12
                                                                  else 1)), "/profiles/month",
                     f"not the calendar month (1..12) of each hour of a 365-day year from the "
                     f"first of month {sm} (start_month)")
        if "hour_of_day" in prof:
            r.expect(np.array_equal(prof["hour_of_day"], hours % 24), "/profiles/hour_of_day",
                     "not hour % 24")
        lolp = prof.get(p["var"])
        if lolp is not None and "shed_hours" in root:
            r.expect(lolp.min() >= 0 and lolp.max() <= 1, "/profiles/lolp", "outside [0, 1]")
            k = lolp * T
            r.expect(np.allclose(k, np.round(k), rtol=0, atol=1e-6), "/profiles/lolp",
                     "not a share of trials (lolp x trials is not an integer)")
            want_sum = root["shed_hours"].mean(axis=1)  # (S, Y)
            got_sum = lolp.sum(axis=2)
            r.expect(np.allclose(got_sum, want_sum, rtol=RTOL, atol=RTOL * H), "/profiles/lolp",
                     f"sum over hours {short(got_sum.ravel())} differs from the mean shed_hours "
                     f"over trials {short(want_sum.ravel())} (each shed hour is a trial's loss "
                     "of load in that hour)")

    if "summary" in groups:
        sp = spec["summary"]
        sv = {}
        for m, u in metrics.items():
            sv[m] = u
            sv[m + sp["delta_suffix"]] = u
        summ = check_group(r, spec, f, "/summary", sp["coords"], {**types, "stat": "string"}, sv,
                           sp["dims"], values=values, aux=sweep, aux_axis="scenario")
        check_summary(r, sp, root, summ, metrics, scen, list(summ.get("stat", [])),
                      0 if model == "network" else None)
    f.close()
    return {"model": model, "S": len(scen), "T": T, "Y": Y, "H": H, "metrics": list(metrics),
            "sweep": sorted(sweep or []),
            "scenarios": scen, "groups": sorted(groups), "steps": H,
            "ncdump_vars": ncdump_vars(spec, model, want & groups),
            "step_hours": float(a.get("step_hours") or 0.0)}


def ncdump_vars(spec, model, groups):
    """(group, variable, dims) of the documented float64 variables of a model's file."""
    out = [("", v, spec["root_dims"]) for v in spec["metrics"][model]]
    for g in ("by_technology", "by_month", "by_region"):
        if g in groups:
            out += [(g, v, spec[g]["dims"]) for v in spec[g]["vars"]]
    if "by_step" in groups:
        out += [("by_step", v, d) for v, d in spec["by_step"]["var_dims"].items()]
    if "profiles" in groups:
        out.append(("profiles", spec["profiles"]["var"], spec["profiles"]["dims"]))
    if "summary" in groups:
        out += [("summary", v + sfx, spec["summary"]["dims"]) for v in spec["metrics"][model]
                for sfx in ("", spec["summary"]["delta_suffix"])]
    return out


def check_summary(r, sp, root, summ, metrics, scen, file_stats, b=None):
    """Each statistic the doc lists and the file holds (a missing one is reported with the
    stat coordinate), recomputed from the root's data. Deltas are against scenario b (a network
    run's one scenario), else against the baseline."""
    stats = [st for st in sp["stats"] if st in file_stats]
    if not scen or (b is None and "baseline" not in scen):
        return
    b = scen.index("baseline") if b is None else b
    for m in metrics:
        if m not in root:
            continue
        avg = root[m].mean(axis=2)  # (S, T): each trial's horizon average
        # the paired difference per trial and year, then its horizon average: a
        # scenario that changes nothing gives exact zeros (avg - avg[b] would
        # leave rounding noise, and p_positive counts values above zero)
        davg = (root[m] - root[m][b]).mean(axis=2)
        for suffix, x in (("", avg), (sp["delta_suffix"], davg)):
            name = m + suffix
            if name not in summ:
                continue
            scale = float(np.max(np.abs(avg))) or 1.0
            for i, sc in enumerate(scen):
                want = stats_of(x[i], stats)
                for st in stats:
                    got = float(summ[name][i, file_stats.index(st)])
                    r.expect(close(got, want[st], 1.0 if st == "p_positive" else scale),
                             f"/summary/{name}",
                             f"[{sc}, {st}] = {got!r}; from / it is {want[st]!r}")
            if suffix:
                r.expect(np.all(summ[name][b] == 0), f"/summary/{name}",
                         "the baseline row must be zero")


def check_xarray(r, spec, path, info):
    groups = [None] + [g for g in info["groups"]]
    p, sp = spec["profiles"], spec["summary"]
    want = {None: (spec["root_dims"], set(spec["root_coords"])),
            "parameters": (spec["parameters"]["dims"], set(spec["parameters"]["coords"])),
            "profiles": (p["dims"], set(p["coords"]) | set(p["aux"])),
            "summary": (sp["dims"], set(sp["coords"])),
            "by_technology": (spec["by_technology"]["dims"], set(spec["by_technology"]["coords"])),
            "by_month": (spec["by_month"]["dims"], set(spec["by_month"]["coords"])),
            "by_region": (spec["by_region"]["dims"], set(spec["by_region"]["coords"])),
            "by_step": (spec["by_step"]["var_dims"], set(spec["by_step"]["coords"]))}
    for g in (None, "summary"):  # a sweep's coordinates on the scenario axis
        want[g] = (want[g][0], want[g][1] | set(info["sweep"]))
    for engine in ("h5netcdf", "netcdf4"):
        for g in groups:
            where = f"xarray engine={engine} group={g or '/'}"
            try:
                ds = xr.open_dataset(path, group=g, engine=engine)
            except Exception as e:  # noqa: BLE001 - any failure to open is the finding
                r.expect(False, where, f"cannot open: {type(e).__name__}: {e}")
                continue
            with ds:
                phony = [d for d in ds.dims if str(d).startswith("phony_dim")]
                r.expect(not phony, where, f"invented dimension names {phony}")
                if g in want:
                    dims, coords = want[g]
                    vd = dims if isinstance(dims, dict) else {v: dims for v in ds.data_vars}
                    bad = {v: ds[v].dims for v in ds.data_vars if ds[v].dims != vd.get(v)}
                    r.expect(not bad, where, f"variables with dims other than {dims}: {bad}")
                    r.expect(set(ds.coords) == coords, where,
                             f"coordinates {sorted(ds.coords)}: want {sorted(coords)}")
                else:  # reserved groups: each its own coordinates
                    r.expect(all(d in ds.coords for d in ds.dims), where,
                             f"dims without coordinates: {[d for d in ds.dims if d not in ds.coords]}")
                if g is None:
                    try:
                        check_root_xarray(r, where, ds, info)
                    except Exception as e:  # noqa: BLE001 - a broken file: report, go on
                        r.expect(False, where, f"tidy table: {type(e).__name__}: {e}")
                if g == "summary":
                    r.expect([str(x) for x in ds["stat"].values] == sp["stats"], where,
                             f"stat decodes as {list(ds['stat'].values)}")
                if g in ("by_region", "by_technology", "by_month"):  # the doc's tidy tables
                    idx, dims = list(ds.to_dataframe().index.names), list(spec[g]["dims"])
                    r.expect(idx == dims, where, f"to_dataframe() index {idx}: want {dims}")
                if g == "by_step":
                    check_time_axis(r, where, spec, path, engine, ds, info)


def check_time_axis(r, where, spec, path, engine, ds, info):
    """/by_step's time axis decodes (decode_times, the default) to the period's start plus
    i x step_hours, and decode_times=False gives back the hours."""
    tx, unit = spec["by_step"]["time_axis"], spec["by_step"]["time_unit"]
    if tx not in ds.coords:
        return
    t = ds[tx]
    units = str(t.encoding.get("units", ""))
    if not r.expect(np.issubdtype(t.dtype, np.datetime64), where,
                    f"{tx} does not decode to times (dtype {t.dtype}, units {units!r})"):
        return
    m = re.match(unit + r" since (.*)$", units)
    if not r.expect(m is not None, where, f"{tx} units {units!r}"):
        return
    start = pd.Timestamp(m.group(1))
    start = start.tz_convert("UTC").tz_localize(None) if start.tzinfo else start
    n, h = info["steps"], info["step_hours"]
    want = start + pd.to_timedelta(np.arange(n) * h, unit="h")
    got = pd.DatetimeIndex(t.values)
    r.expect(len(got) == n and np.all(np.abs((got - want).total_seconds()) < 1e-3), where,
             f"{tx} decodes to {short(got.astype(str))}: want {short(want.astype(str))}")
    with xr.open_dataset(path, group="by_step", engine=engine, decode_times=False) as raw:
        x = raw[tx].values
        r.expect(len(x) == n and np.allclose(x, np.arange(n) * h, rtol=RTOL, atol=RTOL * h),
                 where, f"{tx} with decode_times=False is {short(x)}: want hours")


def check_root_xarray(r, where, ds, info):
    scen = [str(x) for x in ds["scenario"].values]
    r.expect(scen == info["scenarios"], where, f"scenario decodes as {scen}")
    r.expect(sorted(ds.data_vars) == sorted(info["metrics"]), where,
             f"data variables {sorted(ds.data_vars)}")
    df = ds.to_dataframe()
    r.expect(list(df.index.names) == ["scenario", "trial", "year"], where,
             f"to_dataframe() index {list(df.index.names)}: want ['scenario', 'trial', 'year']")
    r.expect(len(df) == info["S"] * info["T"] * info["Y"] and
             sorted(df.columns) == sorted(info["metrics"] + info["sweep"]), where,
             f"to_dataframe() is {df.shape}: want {info['S'] * info['T'] * info['Y']} rows x "
             f"{len(info['metrics'])} metric columns")
    if "baseline" in scen:
        other = scen[-1]
        d = ds["shed_hours"].sel(scenario=other) - ds["shed_hours"].sel(scenario="baseline")
        r.expect(d.dims == ("trial", "year") and d.shape == (info["T"], info["Y"]), where,
                 f"paired difference has dims {d.dims} {d.shape}: want (trial, year)")


def check_ncdump(r, path, info):
    exe = shutil.which("ncdump")
    if not r.expect(exe is not None, "ncdump", "not installed (Debian: netcdf-bin)"):
        return
    p = subprocess.run([exe, "-h", path], capture_output=True, text=True)
    r.expect(p.returncode == 0, "ncdump -h", f"exit {p.returncode}: {p.stderr.strip()[:300]}")
    r.expect("phony_dim" not in p.stdout, "ncdump -h", "invents phony_dim names")
    for g in info["groups"]:
        r.expect(f"group: {g} " in p.stdout, "ncdump -h", f"does not show group {g}")
    # each documented float64 variable with its named dimensions, in its own group
    blocks = {"": p.stdout.split("\ngroup: ")[0]}
    for part in p.stdout.split("\ngroup: ")[1:]:
        blocks[part.split(" ", 1)[0]] = part
    for g, v, dims in info["ncdump_vars"]:
        line = f"double {v}({', '.join(dims)}) ;"
        r.expect(line in blocks.get(g, ""), "ncdump -h",
                 f"does not show `{line}` in {'group ' + g if g else 'the root'}")


def check_file(spec, path, clients=True):
    """Every check; with clients=False the h5py walk only (no xarray, no ncdump)."""
    r = Report(path)
    try:
        info = check_h5(r, spec, path)
    except OSError as e:
        r.expect(False, path, f"cannot open with h5py: {e}")
        info = None
    if info is not None and clients:
        check_xarray(r, spec, path, info)
        check_ncdump(r, path, info)
    return r, info


def main(argv):
    ap = argparse.ArgumentParser(description="Check result files against docs/LAYOUT.md.")
    ap.add_argument("--doc", default=DOC)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args(argv)
    try:
        spec = parse_doc(a.doc)
    except (OSError, DocError) as e:
        print(f"check_layout: {a.doc}: {e}", file=sys.stderr)
        return 2
    bad = 0
    for path in a.files:
        r, info = check_file(spec, path)
        if r.errors:
            bad += 1
            print(f"check_layout: {path}: {len(r.errors)} differences from docs/LAYOUT.md:")
            for e in r.errors[:60]:
                print(f"  {e}")
            if len(r.errors) > 60:
                print(f"  ... and {len(r.errors) - 60} more")
        else:
            print(f"check_layout: {path}: ok ({info['model']}: {info['S']} scenarios x "
                  f"{info['T']} trials x {info['Y']} years, {len(info['metrics'])} metrics, "
                  f"groups {', '.join(info['groups'])}; {r.checks} checks)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
