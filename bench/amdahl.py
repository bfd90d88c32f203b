#!/usr/bin/python3
"""How far a run across MPI ranks scales while rank 0 writes alone: README.md's "Across nodes".

    bench/amdahl.py BIN [--quick]

Runs BIN on one thread (one rank) on the Pakistan default (1,000 trials) and RBTS (2,000,000
trials) and reads, from the run's speed line, the trial loop's time and the part of it spent
writing the trials' blocks (the checkpoint and the file). Per trial: t_c of computing on one
core, t_w of writing. Each block is written by one thread (across ranks, rank 0's master, which
also receives the other ranks' blocks) while the other threads and ranks run the next block
(model/harness.c), so on n cores a run goes at most min(n / t_c, 1 / t_w) trials a second: the
writer is the ceiling, and a run reaches it at t_c / t_w cores. Prints the markdown table:
measured t_c and t_w, then that bound (an estimate, not a measurement: it leaves out the MPI
transfers and the compute share the writer gives up) for one node of 32 cores and for 64 such
nodes. Takes about 30 s on this machine; --quick runs 10x fewer trials (noisier).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

SPEED = re.compile(r"(\d+) trials x .* in ([0-9.]+) s \(.*\), ([0-9.]+) s of it writing")
CORES_PER_NODE, NODES = 32, 64


def loop_and_write(binary, scen, trials, tmp):
    """(trial loop s, of it writing s) of a one-thread run."""
    out = os.path.join(tmp, "a.h5")
    cmd = [binary, "run", scen, "-n", str(trials), "-t", "1", "-o", out]
    r = subprocess.run(cmd, capture_output=True, text=True)
    m = SPEED.search(r.stdout + r.stderr)
    if r.returncode != 0 or not m:
        sys.exit(f"amdahl: {' '.join(cmd)} failed or printed no speed line: "
                 f"{(r.stdout + r.stderr).strip()[-400:]}")
    os.remove(out)
    return float(m.group(2)), float(m.group(3))


def rate(t_c, t_w, n):
    """Trials a second on n cores, at most: the compute, or the one writer."""
    return min(n / t_c, 1.0 / t_w)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary")
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    div = 10 if a.quick else 1
    cases = [("Pakistan default", "inputs/pakistan/pakistan.yaml", 1_000 // div),
             ("RBTS", "inputs/rbts/rbts.yaml", 2_000_000 // div)]
    node, cluster = CORES_PER_NODE, CORES_PER_NODE * NODES
    print(f"| model | t_c, compute per trial and core | t_w, write per trial | ceiling 1/t_w | "
          f"{node} cores (1 node), estimate | {cluster} cores ({NODES} nodes), estimate | "
          f"{NODES} nodes / 1 node |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, scen, n in cases:
            loop, write = loop_and_write(os.path.abspath(a.binary), scen, n, tmp)
            t_w, t_c = write / n, (loop - write) / n
            one, many = rate(t_c, t_w, node), rate(t_c, t_w, cluster)
            print(f"| {name} ({n:,} trials, 1 thread) | {t_c * 1e6:,.1f} us | {t_w * 1e6:,.2f} us "
                  f"| {1 / t_w:,.0f} trials/s ({t_c / t_w:,.0f} cores' worth) | "
                  f"{one:,.0f} trials/s | {many:,.0f} trials/s | {many / one:.2f}x |")

if __name__ == "__main__":
    main()
