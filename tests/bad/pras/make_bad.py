#!/usr/bin/python3
"""make_bad.py - the .pras files of the bad-input catalogue (tests/bad/cases.tsv).

    /usr/bin/python3 tests/bad/pras/make_bad.py OUTDIR

tests/bad/run.sh calls this into its scratch directory at every run, so no binary
file is kept in git. Each file is a small valid PRAS system (three regions, two
interfaces, three lines, hourly steps; written as PRAS writes them: fixed-length
strings in compound `_core` tables, int64 powers, float64 probabilities) with one
thing changed. Needs h5py and numpy (Debian: python3-h5py).
"""
import os
import sys

import h5py
import numpy as np

T = 4  # timesteps


def core(group, fields, rows, width=16):
    """A `_core` table of fixed-length string fields."""
    dt = np.dtype([(name, f"S{width}") for name in fields])
    arr = np.array([tuple(r) for r in rows], dtype=dt)
    if "_core" in group:
        del group["_core"]
    group.create_dataset("_core", data=arr)


def series(group, name, columns, dtype=np.int64):
    """A [T][n] dataset whose column j is constant columns[j]."""
    if name in group:
        del group[name]
    group.create_dataset(name, data=np.tile(np.array(columns, dtype=dtype), (T, 1)))


def valid(f):
    """The small system (the same as tests/pras_small.h, strings fixed-length)."""
    a = f.attrs
    a["pras_dataversion"] = np.bytes_("v0.8.0")
    a["start_timestamp"] = np.bytes_("2024-01-01T00:00:00+05:00")
    a["timestep_count"] = np.int64(T)
    a["timestep_length"] = np.int64(1)
    a["timestep_unit"] = np.bytes_("h")
    a["power_unit"] = np.bytes_("MW")
    a["energy_unit"] = np.bytes_("MWh")
    g = f.create_group("regions")
    core(g, ["name"], [["north"], ["south"], ["east"]])
    series(g, "load", [100, 200, 300])
    g = f.create_group("generators")
    core(g, ["name", "category", "region"],
         [["g1", "coal", "north"], ["g2", "gas", "south"], ["g3", "wind", "east"]])
    series(g, "capacity", [150, 250, 60])
    series(g, "failureprobability", [0.01, 0.02, 0.0], np.float64)
    series(g, "repairprobability", [0.1, 0.2, 1.0], np.float64)
    g = f.create_group("storages")
    core(g, ["name", "category", "region"], [["s1", "battery", "south"]])
    for name, v in [("chargecapacity", 20), ("dischargecapacity", 25), ("energycapacity", 100)]:
        series(g, name, [v])
    for name, v in [("chargeefficiency", 0.9), ("dischargeefficiency", 0.95),
                    ("carryoverefficiency", 1.0), ("failureprobability", 0.001),
                    ("repairprobability", 0.5)]:
        series(g, name, [v], np.float64)
    g = f.create_group("generatorstorages")
    core(g, ["name", "category", "region"], [["h1", "hydro", "east"]])
    for name, v in [("inflow", 10), ("gridwithdrawalcapacity", 0), ("gridinjectioncapacity", 40),
                    ("chargecapacity", 5), ("dischargecapacity", 40), ("energycapacity", 500)]:
        series(g, name, [v])
    for name, v in [("chargeefficiency", 1.0), ("dischargeefficiency", 1.0),
                    ("carryoverefficiency", 0.99), ("failureprobability", 0.002),
                    ("repairprobability", 0.25)]:
        series(g, name, [v], np.float64)
    g = f.create_group("interfaces")
    core(g, ["region_from", "region_to"], [["north", "south"], ["east", "south"]])
    series(g, "forwardcapacity", [100, 70])
    series(g, "backwardcapacity", [90, 60])
    g = f.create_group("lines")
    core(g, ["name", "category", "region_from", "region_to"],
         [["l1", "ac", "north", "south"], ["l2", "ac", "south", "north"],
          ["l3", "dc", "east", "south"]])
    series(g, "forwardcapacity", [60, 45, 70])
    series(g, "backwardcapacity", [50, 40, 60])
    series(g, "failureprobability", [0.005] * 3, np.float64)
    series(g, "repairprobability", [0.5] * 3, np.float64)


def set_value(f, path, row, col, value):
    d = f[path]
    v = d[()]
    v[row, col] = value
    del f[path]
    f.create_dataset(path, data=v)


def vlen_strings(f):
    """Variable-length strings everywhere, unsigned 32-bit capacities, as the spec says."""
    for g in ["regions", "generators", "storages", "generatorstorages", "interfaces", "lines"]:
        old = f[g]["_core"][()]
        dt = np.dtype([(n, h5py.string_dtype()) for n in old.dtype.names])
        new = np.array([tuple(x.decode() for x in row) for row in old], dtype=dt)
        del f[g]["_core"]
        f[g].create_dataset("_core", data=new)
    v = f["generators/capacity"][()].astype(np.uint32)
    del f["generators/capacity"]
    f.create_dataset("generators/capacity", data=v)
    f.attrs["pras_dataversion"] = "v0.7.0"  # h5py: variable-length UTF-8
    f.attrs["timestep_count"] = np.uint16(T)


def rename_region(f, old, new):
    """Region old called new in every _core table that names it: a valid system otherwise."""
    for g in ["regions", "generators", "storages", "generatorstorages", "interfaces", "lines"]:
        table = f[g]["_core"][()]
        rows = [[new if x.decode() == old else x.decode() for x in row] for row in table]
        core(f[g], list(table.dtype.names), rows)


def reshape(f, path, shape):
    v = np.zeros(shape, dtype=f[path].dtype)
    del f[path]
    f.create_dataset(path, data=v)


def retype(f, path, dtype):
    v = f[path][()].astype(dtype)
    del f[path]
    f.create_dataset(path, data=v)


def demand_response(f, rows):
    g = f.create_group("demandresponses")
    core(g, ["name", "category", "region"], rows)


CASES = {
    "valid": lambda f: None,
    "valid_vlen": vlen_strings,
    "demandresponses_empty": lambda f: demand_response(f, []),
    "no_regions": lambda f: f.__delitem__("regions"),
    "no_generation": lambda f: (f.__delitem__("generators"), f.__delitem__("generatorstorages")),
    "interfaces_without_lines": lambda f: f.__delitem__("lines"),
    "lines_without_interfaces": lambda f: f.__delitem__("interfaces"),
    "shape_capacity": lambda f: reshape(f, "generators/capacity", (T, 2)),
    "transposed_load": lambda f: reshape(f, "regions/load", (3, T)),
    "negative_capacity": lambda f: set_value(f, "generators/capacity", 2, 1, -5),
    "huge_capacity": lambda f: set_value(f, "storages/energycapacity", 0, 0, 2**32),
    "prob_above_1": lambda f: set_value(f, "generators/failureprobability", 1, 0, 1.5),
    "prob_negative": lambda f: set_value(f, "lines/repairprobability", 3, 2, -0.5),
    "nan_probability": lambda f: set_value(f, "generators/repairprobability", 0, 1, np.nan),
    "inf_efficiency": lambda f: set_value(f, "storages/chargeefficiency", 3, 0, np.inf),
    "zero_efficiency": lambda f: set_value(f, "storages/dischargeefficiency", 1, 0, 0.0),
    "float_capacity": lambda f: retype(f, "generators/capacity", np.float64),
    "int_probability": lambda f: retype(f, "generators/failureprobability", np.int64),
    "unit_unknown": lambda f: f.attrs.__setitem__("timestep_unit", np.bytes_("hours")),
    "power_unit_unknown": lambda f: f.attrs.__setitem__("power_unit", np.bytes_("MVA")),
    "version_090": lambda f: f.attrs.__setitem__("pras_dataversion", np.bytes_("v0.9.0")),
    "version_040": lambda f: f.attrs.__setitem__("pras_dataversion", np.bytes_("v0.4.0")),
    "version_form": lambda f: f.attrs.__setitem__("pras_dataversion", np.bytes_("0.8.0")),
    "no_version": lambda f: f.attrs.__delitem__("pras_dataversion"),
    "no_timestep_count": lambda f: f.attrs.__delitem__("timestep_count"),
    "timestep_count_mismatch": lambda f: f.attrs.__setitem__("timestep_count", np.int64(T + 1)),
    "timestep_count_float": lambda f: f.attrs.__setitem__("timestep_count", np.float64(T)),
    "bad_timestamp": lambda f: f.attrs.__setitem__("start_timestamp",
                                                   np.bytes_("2024-13-01T00:00:00+05:00")),
    "dup_generator": lambda f: core(f["generators"], ["name", "category", "region"],
                                    [["g1", "coal", "north"], ["g2", "gas", "south"],
                                     ["g1", "wind", "east"]]),
    "dup_region": lambda f: core(f["regions"], ["name"], [["north"], ["south"], ["south"]]),
    "region_slash": lambda f: core(f["regions"], ["name"], [["north"], ["south/east"], ["east"]]),
    "region_system": lambda f: rename_region(f, "east", "system"),
    "unknown_region": lambda f: core(f["generators"], ["name", "category", "region"],
                                     [["g1", "coal", "north"], ["g2", "gas", "west"],
                                      ["g3", "wind", "east"]]),
    "missing_field": lambda f: core(f["storages"], ["name", "region"], [["s1", "south"]]),
    "interface_self": lambda f: core(f["interfaces"], ["region_from", "region_to"],
                                     [["north", "south"], ["east", "east"]]),
    "interface_twice": lambda f: core(f["interfaces"], ["region_from", "region_to"],
                                      [["north", "south"], ["south", "north"]]),
    "line_no_interface": lambda f: core(f["lines"], ["name", "category", "region_from",
                                                     "region_to"],
                                        [["l1", "ac", "north", "south"],
                                         ["l2", "ac", "south", "north"],
                                         ["l3", "dc", "east", "north"]]),
    "demandresponses": lambda f: demand_response(f, [["dr1", "dr", "north"]]),
    "steady_state": lambda f: (set_value(f, "generators/repairprobability", 0, 2, 0.0)),
}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_bad.py OUTDIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, change in CASES.items():
        with h5py.File(os.path.join(out, name + ".pras"), "w") as f:
            valid(f)
            change(f)
    # not HDF5 at all, or not all of it
    open(os.path.join(out, "empty.pras"), "wb").close()
    with open(os.path.join(out, "text.pras"), "w") as f:
        f.write("pras_dataversion = v0.8.0\n")
    with open(os.path.join(out, "valid.pras"), "rb") as f:
        whole = f.read()
    with open(os.path.join(out, "truncated.pras"), "wb") as f:
        f.write(whole[: len(whole) // 2])


if __name__ == "__main__":
    main()
