#!/usr/bin/python3
"""Writes rts.pras as the system tests/pras_copt.py computes exactly: copper plate, no storage.

The Monte Carlo run of this file (gridrisk run OUT.pras ...) must agree with the capacity
outage table of tests/pras_copt.py on rts.pras, within its standard errors. Made at test time,
not committed (rts.pras is 0.9 MB; its licence note is /work/shared/data/pras/README.md: MIT,
Copyright (c) 2020 Alliance for Sustainable Energy, LLC).

From a byte copy of the input:
  - the `storages`, `generatorstorages` (and `demandresponses`, if any) groups are deleted;
  - the `interfaces` and `lines` groups are deleted, AND the regions are merged into one
    region "copperplate" whose load is the sum of the regions' loads, every generator's
    `region` rewritten to it. Deleting the interfaces alone would not make a copper plate: to
    PRAS, regions without interfaces are islands that cannot share power. With one region the
    file is a copper plate whatever the reader does with --copper-plate.
Everything else is left as the original has it: the root attributes, the generators' data
(int64 capacities, float64 probabilities, deflate-compressed chunks), the 64-byte strings,
and the load's dtype (int64). The space of the deleted objects is not reclaimed (the file stays
the size of the original).

With --load-scale X the merged load is multiplied by X and rounded to integers: rts.pras as it
is has a copper-plate LOLE of about 0.002 h/year, so a Monte Carlo run of practical size sees
almost no shortfall; a scaled load gives a sharper comparison (pras_copt.py on OUT.pras
computes the matching exact values).

Usage: make_rts_nostorage.py OUT.pras [--from rts.pras] [--load-scale X]
"""
import argparse
import shutil
import sys

import h5py
import numpy as np

RTS = "/work/shared/data/pras/rts.pras"
MERGED = "copperplate"
DROP = ("storages", "generatorstorages", "demandresponses", "interfaces", "lines")


def _rewrite(group, name, data, ftype, dcpl=None):
    """Replaces group/name with `data`, keeping the file's HDF5 type `ftype`."""
    del group[name]
    space = h5py.h5s.create_simple(data.shape)
    ds = h5py.h5d.create(group.id, name.encode(), ftype, space, dcpl=dcpl)
    ds.write(h5py.h5s.ALL, h5py.h5s.ALL, data, mtype=ftype)


def make(src, out, load_scale=1.0):
    shutil.copyfile(src, out)
    with h5py.File(out, "r+") as f:
        for g in DROP:
            if g in f:
                del f[g]
        # one region: its name in the regions' own string type, the summed load
        rcore = f["regions/_core"]
        rtype = rcore.id.get_type()
        one = np.zeros(1, dtype=rcore.dtype)
        one["name"][0] = MERGED.encode()
        load = f["regions/load"]
        ltype = load.id.get_type()
        total = load[()].sum(axis=1, keepdims=True)
        if load_scale != 1.0:  # round half to even, as numpy does; integers either way
            total = np.rint(total * load_scale)
        total = total.astype(load.dtype)
        _rewrite(f["regions"], "_core", one, rtype)
        _rewrite(f["regions"], "load", np.ascontiguousarray(total), ltype)
        # every generator in it
        gcore = f["generators/_core"]
        gtype = gcore.id.get_type()
        rows = gcore[()]
        rows["region"] = MERGED.encode()
        _rewrite(f["generators"], "_core", rows, gtype)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--from", dest="src", default=RTS)
    ap.add_argument("--load-scale", type=float, default=1.0,
                    help="multiply the merged load (rounded to integers): rts.pras as it is "
                         "is so reliable that a Monte Carlo run barely sees a shortfall")
    a = ap.parse_args(argv)
    make(a.src, a.out, a.load_scale)
    print(a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
