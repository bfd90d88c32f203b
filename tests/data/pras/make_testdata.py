#!/usr/bin/python3
"""Rebuilds PRAS's published test systems as .pras files, and the table of their published results.

Source: PRASCore.jl/src/Systems/TestData.jl of NREL/PRAS at commit fbde94e ("Increment PRASCore
version to v0.8.1"; a copy is /work/notes/pras/TestData.jl), MIT licence, Copyright (c) 2020
Alliance for Sustainable Energy, LLC (see README.md here). The systems below are transcribed
from that file in its own layout, then written as the file spec asks.

The layout trap: TestData.jl writes every time-varying property as a Julia matrix
[entities x timesteps] (column-major thinking: one row per unit). PRAS's writer
(PRASFiles.jl/src/Systems/write.jl, `generators["capacity"] = sys.generators.capacity`) hands
that matrix to HDF5.jl, which reverses the dimensions, so the file holds [timesteps][entities]
in C/HDF5 row-major order (SystemModel_HDF5_spec.md: "the number of rows ... should match the
number of timesteps"). Here each Julia matrix is kept as [entities][timesteps] lists exactly as
printed in TestData.jl and transposed once, in write_matrix().

What is written follows SystemModel_HDF5_spec.md v0.8.0 (not every habit of the Julia writer,
which writes int64 and 64-byte strings, as rts.pras shows):
  - root attributes timestep_count, timestep_length (int64 scalars, as PRAS writes them),
    timestep_unit, power_unit, energy_unit, start_timestamp, pras_dataversion (fixed-length
    null-terminated UTF-8 strings of their exact length, as PRAS writes them);
  - per group a `_core` 1-D compound of 128-byte null-terminated ASCII strings, fields and
    order as the spec lists them;
  - integer matrices as unsigned 32-bit, float matrices as float64, [timesteps][entities];
  - groups in the writer's order (regions, generators, storages, generatorstorages, lines,
    interfaces); a group with no entities is left out; lines and interfaces only together,
    only for systems with more than one region (write.jl: `length(sys.regions) > 1`);
  - region of each unit from TestData's index ranges (e.g. threenode [1:2, 3:5, 6:8]);
    lines' regions from their interface, as process_lines_interfaces! does.
Contiguous storage, no compression, no timestamps (track_times=False) and the oldest file
format, so a second run reproduces every byte: `make_testdata.py --check` rebuilds into a
temporary directory and compares with the committed files.

It also writes expected.tsv: every published LOLE/EUE of these systems, one row each (see
README.md for the columns). The values are transcribed from TestData.jl; two come from
PRAS's runtests.jl (PRASCore.jl/test/Simulations/runtests.jl): region C of threenode has
LOLP 0.1 at its 2nd and 3rd steps, and the 5-minute system's EUEs are the hourly ones / 12.

Usage: make_testdata.py [--out DIR] [--check]      (DIR defaults to this script's directory)
"""
import argparse
import filecmp
import os
import sys
import tempfile

import h5py
import numpy as np

PRAS_COMMIT = "fbde94e"
DATAVERSION = "v0.8.0"
STRLEN = 128  # spec: "128-byte ASCII string"


def fill(value, rows, cols):
    """Julia's fill(value, rows, cols), as a list of rows."""
    return [[value] * cols for _ in range(rows)]


def rep(row, rows):
    """A matrix whose every row is `row` (Julia's fill of a vector)."""
    return [list(row) for _ in range(rows)]


def stack(*blocks):
    """Julia's vertical concatenation [a; b; ...] of row lists."""
    out = []
    for b in blocks:
        out.extend([list(r) for r in b])
    return out


def ranges_to_regions(ranges):
    """TestData's per-region unit index ranges, 1-based inclusive, e.g. [(1, 2), (3, 5)] for
    Julia's [1:2, 3:5]; an empty range is (1, 0). Returns the region index of each unit."""
    homes = []
    for r, (lo, hi) in enumerate(ranges):
        assert lo == len(homes) + 1 or hi < lo, "ranges must be consecutive"
        homes.extend([r] * max(0, hi - lo + 1))
    return homes


# ---------------------------------------------------------------------------------------------
# The systems, transcribed from TestData.jl. Each matrix is [entities][timesteps] as in Julia.
# Field names follow the Julia constructors' argument order; write_system maps them to the
# spec's dataset names.

def _gens(names, cats, cap, lam, mu, homes):
    return dict(names=names, categories=cats, capacity=cap, failure=lam, repair=mu, homes=homes)


def _stors(names, cats, charge, discharge, energy, ceff, deff, coeff, lam, mu, homes):
    return dict(names=names, categories=cats, chargecapacity=charge, dischargecapacity=discharge,
                energycapacity=energy, chargeefficiency=ceff, dischargeefficiency=deff,
                carryoverefficiency=coeff, failure=lam, repair=mu, homes=homes)


def _genstors(names, cats, charge, discharge, energy, ceff, deff, coeff, inflow, withdraw,
              inject, lam, mu, homes):
    # GeneratorStorages{...}(names, categories, charge, discharge, energy, chargeeff,
    # dischargeeff, carryovereff, inflow, gridwithdrawal, gridinjection, λ, μ) (assets.jl)
    d = _stors(names, cats, charge, discharge, energy, ceff, deff, coeff, lam, mu, homes)
    d.update(inflow=inflow, gridwithdrawalcapacity=withdraw, gridinjectioncapacity=inject)
    return d


def build_systems():
    S = {}

    # ## Single-Region System A (and its 5-minute twin, same numbers)
    gens1_cap = stack(fill(10, 3, 4), [[5, 6, 7, 8]])
    gens1_lam = stack(fill(0.1, 3, 4), fill(0.0, 1, 4))
    gens1_mu = stack(fill(0.9, 3, 4), fill(1.0, 1, 4))
    for key, length, unit in (("singlenode_a", 1, "h"), ("singlenode_a_5min", 5, "min")):
        S[key] = dict(
            start="2010-01-01T00:00:00+00:00", steps=4, step_length=length, step_unit=unit,
            regions=["Region"], load=[[25, 28, 27, 24]],
            gens=_gens(["Gen1", "Gen2", "Gen3", "VG"], ["Gens", "Gens", "Gens", "VG"],
                       gens1_cap, gens1_lam, gens1_mu, [0] * 4))

    # ## Single-Region System B
    gens2 = _gens(["Gen1", "Gen2", "VG"], ["Gens", "Gens", "VG"],
                  [[10, 10, 10, 15, 15, 15], [20, 20, 20, 25, 25, 25], [7, 8, 9, 9, 8, 7]],
                  stack(fill(0.1, 2, 6), fill(0.0, 1, 6)),
                  stack(fill(0.9, 2, 6), fill(1.0, 1, 6)), [0] * 3)
    S["singlenode_b"] = dict(
        start="2015-06-01T00:00:00+00:00", steps=6, step_length=1, step_unit="h",
        regions=["Region"], load=[[28, 29, 30, 31, 32, 33]], gens=gens2)

    # # Single-Region System B, with storage (TestData: "#TODO: Storage tests": no results)
    stors2 = _stors(["Stor1", "Stor2"], ["Storage", "Storage"],
                    rep([1] * 6, 1) + rep([0] * 6, 1),  # repeat([1,0], 1, 6)
                    rep([1] * 6, 1) + rep([0] * 6, 1),
                    fill(4, 2, 6), fill(1.0, 2, 6), fill(1.0, 2, 6), fill(.99, 2, 6),
                    fill(0.0, 2, 6), fill(1.0, 2, 6), [0, 0])
    genstors2 = _genstors(["Genstor1", "Genstor2"], ["Genstorage", "Genstorage"],
                          fill(0, 2, 6), fill(0, 2, 6), fill(4, 2, 6),
                          fill(1.0, 2, 6), fill(1.0, 2, 6), fill(.99, 2, 6),
                          fill(0, 2, 6), fill(0, 2, 6), fill(0, 2, 6),
                          fill(0.0, 2, 6), fill(1.0, 2, 6), [0, 0])
    S["singlenode_stor"] = dict(
        start="2015-06-01T00:00:00+00:00", steps=6, step_length=1, step_unit="h",
        regions=["Region"], load=[[28, 29, 30, 31, 32, 33]],
        gens=gens2, stors=stors2, genstors=genstors2)

    # ## Multi-Region System
    S["threenode"] = dict(
        start="2018-10-30T00:00:00+00:00", steps=4, step_length=1, step_unit="h",
        regions=["Region A", "Region B", "Region C"],
        load=[[19, 20, 21, 20], [20, 21, 21, 22], [22, 21, 23, 22]],
        gens=_gens(["Gen1", "VG A", "Gen 2", "Gen 3", "VG B", "Gen 4", "Gen 5", "VG C"],
                   ["Gens", "VG", "Gens", "Gens", "VG", "Gens", "Gens", "VG"],
                   [[10, 10, 10, 10], [4, 3, 2, 3],                          # A
                    [10, 10, 10, 10], [10, 10, 10, 10], [6, 5, 3, 4],        # B
                    [10, 10, 15, 10], [20, 20, 25, 20], [2, 1, 2, 1]],       # C
                   stack(fill(0.1, 1, 4), fill(0.0, 1, 4),
                         fill(0.1, 2, 4), fill(0.0, 1, 4),
                         fill(0.1, 2, 4), fill(0.0, 1, 4)),
                   stack(fill(0.9, 1, 4), fill(1.0, 1, 4),
                         fill(0.9, 2, 4), fill(1.0, 1, 4),
                         fill(0.9, 2, 4), fill(1.0, 1, 4)),
                   ranges_to_regions([(1, 2), (3, 5), (6, 8)])),
        # Interfaces{4,MW}([1,1,2], [2,3,3], fill(100, 3, 4), fill(100, 3, 4))
        ifaces=dict(frm=[0, 0, 1], to=[1, 2, 2], forward=fill(100, 3, 4),
                    backward=fill(100, 3, 4)),
        lines=dict(names=["L1", "L2", "L3"], categories=["Lines"] * 3,
                   forward=fill(8, 3, 4), backward=fill(8, 3, 4),
                   failure=fill(0., 3, 4), repair=fill(1., 3, 4),
                   homes=ranges_to_regions([(1, 1), (2, 2), (3, 3)])))

    # # Test System 1 (2 Gens, 2 Regions)
    S["test1"] = dict(
        start="2020-01-01T00:00:00+00:00", steps=1, step_length=1, step_unit="h",
        regions=["Region A", "Region B"], load=[[8], [9]],  # reshape([8, 9], 2, 1)
        gens=_gens(["Gen 1", "Gen 2"], ["Generators", "Generators"],
                   fill(15, 2, 1), fill(0.1, 2, 1), fill(0.9, 2, 1),
                   ranges_to_regions([(1, 1), (2, 2)])),
        ifaces=dict(frm=[0], to=[1], forward=fill(8, 1, 1), backward=fill(8, 1, 1)),
        lines=dict(names=["Line 1"], categories=["Lines"],
                   forward=fill(8, 1, 1), backward=fill(8, 1, 1),
                   failure=fill(0.1, 1, 1), repair=fill(0.9, 1, 1), homes=[0]))

    # # Test System 2 (Gen + Stor, 1 Region)
    stor = _stors(["Stor 1"], ["Storages"],
                  fill(10, 1, 2), fill(10, 1, 2), fill(10, 1, 2),
                  fill(1., 1, 2), fill(1., 1, 2), fill(1., 1, 2), fill(0.1, 1, 2),
                  fill(0.9, 1, 2), [0])
    S["test2"] = dict(
        start="2020-01-01T00:00:00+00:00", steps=2, step_length=1, step_unit="h",
        regions=["Region"], load=[[8, 9]],
        gens=_gens(["Gen 1"], ["Generators"], fill(10, 1, 2), fill(0.1, 1, 2),
                   fill(0.9, 1, 2), [0]),
        stors=stor)

    # # Test System 3 (Gen + Stor, 2 Regions): the generator in A ([1:1, 2:1]), the storage
    # (test2's `stor`) in B ([1:0, 1:1]).
    stor3 = dict(stor, homes=ranges_to_regions([(1, 0), (1, 1)]))
    S["test3"] = dict(
        start="2020-01-01T00:00:00+00:00", steps=2, step_length=1, step_unit="h",
        regions=["Region A", "Region B"], load=[[8, 9], [6, 7]],
        gens=_gens(["Gen 1"], ["Generators"], fill(25, 1, 2), fill(0.1, 1, 2),
                   fill(0.9, 1, 2), ranges_to_regions([(1, 1), (2, 1)])),
        stors=stor3,
        ifaces=dict(frm=[0], to=[1], forward=fill(15, 1, 2), backward=fill(15, 1, 2)),
        lines=dict(names=["Line 1"], categories=["Lines"],
                   forward=fill(15, 1, 2), backward=fill(15, 1, 2),
                   failure=fill(0.1, 1, 2), repair=fill(0.9, 1, 2), homes=[0]))
    return S


SYSTEM_ORDER = ["singlenode_a", "singlenode_a_5min", "singlenode_b", "singlenode_stor",
                "threenode", "test1", "test2", "test3"]


# ---------------------------------------------------------------------------------------------
# Published results. Rows: (system, scenario, metric, area, step, value, source); step is
# 1-based (PRAS's timestep index) or "all"; area is a region name or "system".

def published_rows():
    """The published values as rows (system, scenario, metric, area, step, value, source,
    rounding): value and rounding (half a unit in the last printed digit, what the value may
    be off by) come from the literal as TestData.jl prints it, divided where noted."""
    rows = []

    def add(system, scenario, metric, area, step, text, source, divisor=1):
        frac = text.split(".")[1] if "." in text else ""
        rounding = 0.5 * 10.0 ** -len(frac) / divisor
        rows.append((system, scenario, metric, area, step, float(text) / divisor, source,
                     rounding))

    def period_and_steps(system, metric, total, per_step, src_total, src_steps, areas,
                         scenario="network", divisor=1):
        for area in areas:
            add(system, scenario, metric, area, "all", total, src_total, divisor)
            for k, v in enumerate(per_step.split(), start=1):
                add(system, scenario, metric, area, k, v, src_steps, divisor)

    # Single-region systems: runtests.jl checks the region "Region" against the same numbers
    # as the system, so both areas get rows.
    one = ["system", "Region"]
    period_and_steps("singlenode_a", "lole", "0.355", "0.028 0.271 0.028 0.028",
                     "singlenode_a_lole", "singlenode_a_lolps", one)
    period_and_steps("singlenode_a", "eue", "1.59", "0.29 0.832 0.29 0.178",
                     "singlenode_a_eue", "singlenode_a_eues", one)
    # 5-minute twin: same LOLPs (counted in steps); each step's energy is 1/12 of the hour's
    # (runtests.jl: TestData.singlenode_a_eue/12, singlenode_a_eues ./ 12).
    period_and_steps("singlenode_a_5min", "lole", "0.355", "0.028 0.271 0.028 0.028",
                     "singlenode_a_lole", "singlenode_a_lolps", one)
    period_and_steps("singlenode_a_5min", "eue", "1.59", "0.29 0.832 0.29 0.178",
                     "singlenode_a_eue/12", "singlenode_a_eues/12", one, divisor=12)
    period_and_steps("singlenode_b", "lole", "0.96", "0.19 0.19 0.19 0.1 0.1 0.19",
                     "singlenode_b_lole", "singlenode_b_lolps", one)
    period_and_steps("singlenode_b", "eue", "7.11", "1.29 1.29 1.29 0.85 1.05 1.34",
                     "singlenode_b_eue", "singlenode_b_eues", one)

    # Three regions: system values, network and copper plate.
    period_and_steps("threenode", "lole", "1.3756", "0.14707 0.40951 0.40951 0.40951",
                     "threenode_lole", "threenode_lolps", ["system"])
    period_and_steps("threenode", "eue", "12.12885", "1.75783 3.13343 2.87563 4.36196",
                     "threenode_eue", "threenode_eues", ["system"])
    # runtests.jl: LOLE(shortfall_3, "Region C", 2018-10-30T01 and T02) ≈ 0.1
    add("threenode", "network", "lole", "Region C", 2, "0.1", "runtests.jl:Region C")
    add("threenode", "network", "lole", "Region C", 3, "0.1", "runtests.jl:Region C")
    period_and_steps("threenode", "lole", "1.17877", ".14707 .40951 .21268 .40951",
                     "threenode_lole_copperplate", "threenode_lolps_copperplate", ["system"],
                     scenario="copper_plate")
    period_and_steps("threenode", "eue", "11.73276", "1.75783 3.13343 2.47954 4.36196",
                     "threenode_eue_copperplate", "threenode_eues_copperplate", ["system"],
                     scenario="copper_plate")

    # Test system 1: one step, so the period value is also the step value (runtests.jl checks
    # LOLE(shortfall, dt) and LOLE.(shortfall, regions, dt) against the same numbers).
    for metric, total, per_region, st, sr in (
            ("lole", ".19", ".1 .1", "test1_lole", "test1_loles"),
            ("eue", ".647", ".314 .333", "test1_eue", "test1_eues")):
        add("test1", "network", metric, "system", "all", total, st)
        add("test1", "network", metric, "system", 1, total, st)
        for name, v in zip(["Region A", "Region B"], per_region.split()):
            add("test1", "network", metric, name, "all", v, sr)
            add("test1", "network", metric, name, 1, v, sr)

    # Test system 2: one region, checked as system and as region (runtests.jl).
    period_and_steps("test2", "lole", "0.2", "0.1 0.1", "test2_lole", "test2_lolps", one)
    period_and_steps("test2", "eue", "1.5542", "0.8 0.7542", "test2_eue", "test2_eues", one)

    # Test system 3: test3_*_rt are Julia [region x time] matrices, e.g.
    # test3_lole_rt = [0.1 0.1; 0.19 0.065341]: region A 0.1, 0.1; region B 0.19, 0.065341.
    regions3 = ["Region A", "Region B"]
    for metric, total, by_r, by_t, by_rt in (
            ("lole", "0.320951", "0.2 0.255341", "0.19 0.130951", "0.1 0.1; 0.19 0.065341"),
            ("eue", "3.179289", "1.581902 1.597387", "1.94 1.239289",
             "0.8 0.781902; 1.14 0.457387")):
        add("test3", "network", metric, "system", "all", total, f"test3_{metric}")
        for k, v in enumerate(by_t.split(), start=1):
            add("test3", "network", metric, "system", k, v, f"test3_{metric}_t")
        for name, v, row in zip(regions3, by_r.split(), by_rt.split(";")):
            add("test3", "network", metric, name, "all", v, f"test3_{metric}_r")
            for k, x in enumerate(row.split(), start=1):
                add("test3", "network", metric, name, k, x, f"test3_{metric}_rt")
    return rows


TSV_HEADER = ("system", "scenario", "metric", "area", "step", "value", "source")


def write_expected(path):
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write("\t".join(TSV_HEADER) + "\n")
        for r in published_rows():
            # 12 significant digits: exact for the published literals, and the /12 ones
            # (e.g. 0.832/12 = 0.0693333333333) well below any Monte Carlo error
            f.write("\t".join([r[0], r[1], r[2], r[3], str(r[4]), "%.12g" % r[5], r[6]])
                    + "\n")


# ---------------------------------------------------------------------------------------------
# HDF5 writing, low-level where h5py's defaults differ from PRAS's files.

def _fixed_str_type(n, cset):
    t = h5py.h5t.C_S1.copy()
    t.set_size(n)
    t.set_strpad(h5py.h5t.STR_NULLTERM)
    t.set_cset(cset)
    return t


def write_str_attr(obj, name, value):
    """A scalar fixed-length null-terminated UTF-8 string of the value's own length, as
    HDF5.jl writes PRAS's root attributes (see `h5dump -A rts.pras`)."""
    raw = value.encode("ascii")
    t = _fixed_str_type(len(raw), h5py.h5t.CSET_UTF8)
    attr = h5py.h5a.create(obj.id, name.encode(), t, h5py.h5s.create(h5py.h5s.SCALAR))
    attr.write(np.array(raw, dtype=f"S{len(raw)}"), mtype=t)


def write_int_attr(obj, name, value):
    attr = h5py.h5a.create(obj.id, name.encode(), h5py.h5t.STD_I64LE,
                           h5py.h5s.create(h5py.h5s.SCALAR))
    attr.write(np.array(value, dtype="<i8"))


def _dcpl():
    p = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    p.set_obj_track_times(False)
    return p


def write_core(group, fields, columns):
    """The `_core` table: a 1-D array of a compound of 128-byte null-terminated ASCII strings
    (spec: "128-byte ASCII string"), fields in the spec's order."""
    n = len(columns[0])
    assert all(len(c) == n for c in columns)
    st = _fixed_str_type(STRLEN, h5py.h5t.CSET_ASCII)
    ct = h5py.h5t.create(h5py.h5t.COMPOUND, STRLEN * len(fields))
    for i, name in enumerate(fields):
        ct.insert(name.encode(), i * STRLEN, st)
    arr = np.zeros(n, dtype=[(f, f"S{STRLEN}") for f in fields])
    for f, col in zip(fields, columns):
        for i, s in enumerate(col):
            b = s.encode("ascii")
            assert len(b) < STRLEN and b"\0" not in b
            arr[f][i] = b
    space = h5py.h5s.create_simple((n,))
    ds = h5py.h5d.create(group.id, b"_core", ct, space, dcpl=_dcpl())
    ds.write(h5py.h5s.ALL, h5py.h5s.ALL, arr, mtype=ct)


def write_matrix(group, name, julia_rows, kind, steps):
    """Writes a TestData [entities][timesteps] matrix as [timesteps][entities]."""
    m = np.array(julia_rows, dtype=np.float64)
    assert m.ndim == 2 and m.shape[1] == steps, (name, m.shape)
    m = m.T  # the one transposition: file rows are timesteps
    if kind == "u32":
        assert np.all(m >= 0) and np.all(m == np.round(m)) and np.all(m <= 4294967295)
        data, ftype = np.ascontiguousarray(m, dtype="<u4"), h5py.h5t.STD_U32LE
    else:
        assert np.all((m >= 0) & (m <= 1)), name
        data, ftype = np.ascontiguousarray(m, dtype="<f8"), h5py.h5t.IEEE_F64LE
    space = h5py.h5s.create_simple(data.shape)
    ds = h5py.h5d.create(group.id, name.encode(), ftype, space, dcpl=_dcpl())
    ds.write(h5py.h5s.ALL, h5py.h5s.ALL, data)


def _group(f, name):
    gcpl = h5py.h5p.create(h5py.h5p.GROUP_CREATE)
    gcpl.set_obj_track_times(False)
    return h5py.Group(h5py.h5g.create(f.id, name.encode(), gcpl=gcpl))


STOR_MATS = [("chargecapacity", "u32"), ("dischargecapacity", "u32"),
             ("energycapacity", "u32"), ("chargeefficiency", "f64"),
             ("dischargeefficiency", "f64"), ("carryoverefficiency", "f64")]
GENSTOR_MATS = ([("inflow", "u32"), ("gridwithdrawalcapacity", "u32"),
                 ("gridinjectioncapacity", "u32")] + STOR_MATS)  # write.jl's order


def write_system(path, s):
    n = s["steps"]
    regions = s["regions"]
    # libver earliest: the oldest object headers, readable by any HDF5 1.8+ and free of
    # version-dependent layout choices.
    with h5py.File(path, "w", libver="earliest", track_order=False) as f:
        # process_metadata!'s order
        write_int_attr(f, "timestep_count", n)
        write_int_attr(f, "timestep_length", s["step_length"])
        write_str_attr(f, "timestep_unit", s["step_unit"])
        write_str_attr(f, "power_unit", "MW")
        write_str_attr(f, "energy_unit", "MWh")
        write_str_attr(f, "start_timestamp", s["start"])
        write_str_attr(f, "pras_dataversion", DATAVERSION)

        g = _group(f, "regions")
        write_core(g, ["name"], [regions])
        write_matrix(g, "load", s["load"], "u32", n)

        def assets(gname, d, mats):
            if not d or not d["names"]:
                return  # empty groups are omitted, as write.jl does
            grp = _group(f, gname)
            write_core(grp, ["name", "category", "region"],
                       [d["names"], d["categories"], [regions[h] for h in d["homes"]]])
            for mname, kind in mats:
                write_matrix(grp, mname, d[mname], kind, n)
            write_matrix(grp, "failureprobability", d["failure"], "f64", n)
            write_matrix(grp, "repairprobability", d["repair"], "f64", n)

        assets("generators", s.get("gens"), [("capacity", "u32")])
        assets("storages", s.get("stors"), STOR_MATS)
        assets("generatorstorages", s.get("genstors"), GENSTOR_MATS)

        if len(regions) > 1:
            ifs, ln = s["ifaces"], s["lines"]
            grp = _group(f, "lines")
            write_core(grp, ["name", "category", "region_from", "region_to"],
                       [ln["names"], ln["categories"],
                        [regions[ifs["frm"][h]] for h in ln["homes"]],
                        [regions[ifs["to"][h]] for h in ln["homes"]]])
            write_matrix(grp, "forwardcapacity", ln["forward"], "u32", n)
            write_matrix(grp, "backwardcapacity", ln["backward"], "u32", n)
            write_matrix(grp, "failureprobability", ln["failure"], "f64", n)
            write_matrix(grp, "repairprobability", ln["repair"], "f64", n)
            grp = _group(f, "interfaces")
            write_core(grp, ["region_from", "region_to"],
                       [[regions[i] for i in ifs["frm"]], [regions[i] for i in ifs["to"]]])
            write_matrix(grp, "forwardcapacity", ifs["forward"], "u32", n)
            write_matrix(grp, "backwardcapacity", ifs["backward"], "u32", n)


def build_all(outdir):
    systems = build_systems()
    names = []
    for key in SYSTEM_ORDER:
        write_system(os.path.join(outdir, key + ".pras"), systems[key])
        names.append(key + ".pras")
    write_expected(os.path.join(outdir, "expected.tsv"))
    names.append("expected.tsv")
    return names


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=here, help="directory to write into (default: here)")
    ap.add_argument("--check", action="store_true",
                    help="rebuild into a temporary directory and compare byte for byte with "
                         "the files in --out; exit 1 on a difference")
    a = ap.parse_args(argv)
    if not a.check:
        for name in build_all(a.out):
            print(os.path.join(a.out, name))
        return 0
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in build_all(tmp):
            mine, theirs = os.path.join(tmp, name), os.path.join(a.out, name)
            same = os.path.exists(theirs) and filecmp.cmp(mine, theirs, shallow=False)
            print(("same     " if same else "DIFFERS  ") + theirs)
            bad += not same
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
