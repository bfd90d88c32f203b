#!/usr/bin/python3
"""How far a run across MPI ranks scales with its writes: README.md's "Across nodes".

    bench/amdahl.py BIN MPI_BIN [--quick]

Runs BIN (the serial build) on one thread on the Pakistan default (1,000 trials) and RBTS
(2,000,000 trials), and MPI_BIN (make MPI=1) on 2 ranks of one thread each, and reads the runs'
speed lines. Per trial, from the serial run: t_c of computing on one core, t_w of writing (the
checkpoint and the file: every block written by one thread while the others run the next,
model/harness.c). Across ranks every rank writes its own blocks into the shared file, and rank
0 alone receives every block and keeps the checkpoint and the trials' averages: from the 2-rank
run, t_0, rank 0's part alone per trial of the run. The rest of the writing is spread over the
ranks with the trials, so on n cores a run goes at most min(n / (t_c + t_w - t_0), 1 / t_0)
trials a second. Prints the markdown table: measured t_c, t_w and t_0, then that bound (an
estimate, not a measurement: it leaves out the MPI transfers' wait and the rounds' agreement)
for one node of 32 cores and for 64 such nodes. Takes about a minute on this machine; --quick
runs 10x fewer trials (noisier).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

SPEED = re.compile(r"(\d+) trials x .* in ([0-9.]+) s \(.*\), ([0-9.]+) s of it writing")
SHARED = re.compile(r"across ranks ([0-9.]+) s of that in the writes")
CORES_PER_NODE, NODES = 32, 64


def speed_line(cmd, out):
    """The run's (trial loop s, of it writing s, of that shared s)."""
    r = subprocess.run(cmd, capture_output=True, text=True)
    m, sh = SPEED.search(r.stdout + r.stderr), SHARED.search(r.stdout + r.stderr)
    if r.returncode != 0 or not m:
        sys.exit(f"amdahl: {' '.join(cmd)} failed or printed no speed line: "
                 f"{(r.stdout + r.stderr).strip()[-400:]}")
    os.remove(out)
    return float(m.group(2)), float(m.group(3)), float(sh.group(1)) if sh else 0.0


def mpirun(n):
    cmd = [shutil.which("mpirun") or "mpirun", "-np", str(n), "--oversubscribe"]
    return cmd + (["--allow-run-as-root"] if os.geteuid() == 0 else [])


def rate(t_c, t_w, t_0, n):
    """Trials a second on n cores, at most: the compute and each rank's own writes, or rank 0's
    part alone."""
    return min(n / (t_c + t_w - t_0), 1.0 / t_0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary")
    ap.add_argument("mpi_binary")
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    div = 10 if a.quick else 1
    cases = [("Pakistan default", "inputs/pakistan/pakistan.yaml", 1_000 // div),
             ("RBTS", "inputs/rbts/rbts.yaml", 2_000_000 // div)]
    node, cluster = CORES_PER_NODE, CORES_PER_NODE * NODES
    print(f"| model | t_c, compute per trial and core | t_w, write per trial | t_0, rank 0's part "
          f"alone | ceiling 1/t_0 | {node} cores (1 node), estimate | {cluster} cores ({NODES} "
          f"nodes), estimate | {NODES} nodes / 1 node |")
    print("|---|---|---|---|---|---|---|---|")
    os.environ["OMPI_MCA_rmaps_base_oversubscribe"] = "1"  # 2 ranks on any machine
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "a.h5")
        for name, scen, n in cases:
            run = ["run", scen, "-n", str(n), "-t", "1", "-o", out]
            loop, write, _ = speed_line([os.path.abspath(a.binary)] + run, out)
            _, write2, shared2 = speed_line(mpirun(2) + [os.path.abspath(a.mpi_binary)] + run, out)
            t_w, t_c, t_0 = write / n, (loop - write) / n, (write2 - shared2) / n
            one, many = rate(t_c, t_w, t_0, node), rate(t_c, t_w, t_0, cluster)
            print(f"| {name} ({n:,} trials, 1 thread) | {t_c * 1e6:,.1f} us | {t_w * 1e6:,.2f} us "
                  f"| {t_0 * 1e6:,.2f} us | {1 / t_0:,.0f} trials/s ({t_c / t_0:,.0f} cores' "
                  f"worth) | {one:,.0f} trials/s | {many:,.0f} trials/s | {many / one:.2f}x |")


if __name__ == "__main__":
    main()
