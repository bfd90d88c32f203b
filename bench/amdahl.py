#!/usr/bin/python3
"""How far a run across MPI ranks scales while rank 0 writes alone: README.md's "Across nodes".

    bench/amdahl.py BIN [--quick]

Runs BIN on one thread (one rank) on the Pakistan default (1,000 trials) and RBTS (2,000,000
trials) and reads, from the run's speed line, the trial loop's time and the part of it spent
writing the trials' blocks. Across ranks every round waits while rank 0 receives and writes
each rank's block (model/harness.c), so the writes are serial work that grows with the trials:
per trial, t_w of writing against t_c of computing on one core. Amdahl's law with the serial
fraction f = t_w / (t_c + t_w) gives the speed-up on n cores, S(n) = 1 / (f + (1 - f) / n), and
no layout goes past 1 / t_w trials a second. Prints the markdown table: measured t_c, t_w and
f, then estimates (not measurements) for one node of 32 cores and for 64 such nodes. Takes
about 30 s on this machine; --quick runs 10x fewer trials (noisier).
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


def speedup(f, n):
    return 1.0 / (f + (1.0 - f) / n)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary")
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    div = 10 if a.quick else 1
    cases = [("Pakistan default", "inputs/pakistan/pakistan.yaml", 1_000 // div),
             ("RBTS", "inputs/rbts/rbts.yaml", 2_000_000 // div)]
    node, cluster = CORES_PER_NODE, CORES_PER_NODE * NODES
    print(f"| model | t_c, compute per trial and core | t_w, rank 0's write per trial | "
          f"serial fraction f | ceiling 1/t_w | S({node} cores), estimate | "
          f"S({cluster} cores = {NODES} nodes), estimate | {NODES} nodes / 1 node |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, scen, n in cases:
            loop, write = loop_and_write(os.path.abspath(a.binary), scen, n, tmp)
            t_w, t_c = write / n, (loop - write) / n
            f = t_w / (t_c + t_w)
            s1, s64 = speedup(f, node), speedup(f, cluster)
            print(f"| {name} ({n:,} trials, 1 thread) | {t_c * 1e6:,.1f} us | {t_w * 1e6:,.2f} us "
                  f"| {f:.3f} | {1 / t_w:,.0f} trials/s ({1 / t_w * t_c:,.0f} cores' worth) | "
                  f"{s1:.1f}x | {s64:.1f}x | {s64 / s1:.2f}x |")


if __name__ == "__main__":
    main()
