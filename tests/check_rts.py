#!/usr/bin/python3
"""RTS-GMLC (inputs/pras/rts.pras) through gridrisk, against a reference that shares nothing
with the .pras reader or the simulation.

1. The exact reference: the copper-plate system without storage (tests/data/pras/
   make_rts_nostorage.py, loads scaled by LOAD_SCALE so that shortfalls are frequent enough
   for a sharp test), whose hourly LOLP and EUE follow from a capacity outage probability
   table (tests/pras_copt.py). The Monte Carlo LOLE (hours) and EUE of `gridrisk run` on the
   same file must be within 4 standard errors of the table's, with standard errors below 5%.
2. The real system end to end (regions, transfer limits, storage): runs, and the region and
   system results agree (system unserved = sum over regions per trial; system shortfall steps
   between the largest region's and the regions' sum; network never sheds less than copper
   plate on the same draws).
Prints one line per check and `rts: N passed, M failed`; exit 1 on any failure.
Usage: check_rts.py BIN [TRIALS]
"""
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
RTS = os.path.join(REPO, "inputs", "pras", "rts.pras")
LOAD_SCALE = "1.2"
results = []


def check(ok, what):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + what)


def run(binary, path, out, trials, *extra):
    subprocess.run([binary, "run", path, "-o", out, "-n", str(trials), "-s", "14", "-q", *extra],
                   check=True)
    return h5py.File(out, "r")


def mean_se(x):
    x = np.asarray(x, dtype=float)
    return x.mean(), x.std(ddof=1) / np.sqrt(len(x))


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])
    trials = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    with tempfile.TemporaryDirectory() as tmp:
        plain = os.path.join(tmp, "rts_copper_nostorage.pras")
        subprocess.run([sys.executable, os.path.join(HERE, "data", "pras", "make_rts_nostorage.py"),
                        "--load-scale", LOAD_SCALE, plain], check=True)
        ref_json = os.path.join(tmp, "copt.json")
        subprocess.run([sys.executable, os.path.join(HERE, "pras_copt.py"), plain, "--json",
                        ref_json], check=True, stdout=subprocess.DEVNULL)
        with open(ref_json, encoding="utf-8") as fh:
            ref = json.load(fh)
        with run(binary, plain, os.path.join(tmp, "mc.h5"), trials) as f:
            for name, key in (("shed_hours", "lole_hours"), ("unserved_mwh", "eue_mwh")):
                m, se = mean_se(f[name][0, :, 0])
                want = ref[key]
                check(abs(m - want) <= 4 * se and se < 0.05 * want,
                      f"copper plate, no storage, loads x{LOAD_SCALE}: {name} {m:.4f} +- {se:.4f} "
                      f"vs exact COPT {want:.4f} ({(m - want) / se:+.1f} se)")
        with run(binary, RTS, os.path.join(tmp, "net.h5"), trials // 3) as f, \
                run(binary, RTS, os.path.join(tmp, "cu.h5"), trials // 3, "--copper-plate") as c:
            sys_u = f["unserved_mwh"][0, :, 0]
            reg_u = f["by_region/unserved_mwh"][0, :, 0, :]
            check(np.allclose(reg_u.sum(axis=1), sys_u, rtol=1e-12, atol=1e-9),
                  "rts network: system unserved energy = sum over its 3 regions, every trial")
            steps = f["shed_steps"][0, :, 0]
            reg_s = f["by_region/shed_steps"][0, :, 0, :]
            check(bool(np.all(steps >= reg_s.max(axis=1)) and np.all(steps <= reg_s.sum(axis=1))),
                  "rts network: system shortfall steps between the largest region's and their sum")
            # Pooling regions can only help when storage is lossless: with losses, integer
            # rounding of small discharges can waste energy differently in the two runs.
            with h5py.File(RTS, "r") as sysf:
                lossless = all(np.all(sysf[f"{g}/{e}efficiency"][()] == 1.0)
                               for g in ("storages", "generatorstorages")
                               for e in ("charge", "discharge", "carryover"))
            check(lossless and bool(np.all(c["unserved_mwh"][0, :, 0] <= sys_u + 1e-9)),
                  "rts (lossless storage): copper plate never leaves more unserved than the "
                  "network on the same draws")
            lole, lse = mean_se(steps)
            eue, ese = mean_se(sys_u)
            print(f"     rts network: LOLE {lole:.4f} +- {lse:.4f} h, EUE {eue:.2f} +- {ese:.2f} MWh "
                  f"({len(steps)} trials)")
    failed = results.count(False)
    print(f"rts: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
