#!/usr/bin/python3
"""Peak memory of streamed runs: the table of README.md's "Memory does not grow with the trials".

    bench/memory.py BIN [--quick]

Runs BIN on RBTS (10,000 and 10,000,000 trials) and the Pakistan default (1,000 and 100,000
trials), each on 2 threads under /usr/bin/time -f %M (the peak resident set), and prints the
markdown table with the difference that issue 18 bounds (RBTS: 32 MB; Pakistan: 64 MB, taken as
MiB). The
whole takes about 20 minutes on 2 cores, nearly all of it the 100,000 Pakistan trials;
--quick runs 10x fewer of the large ones (2 minutes; the bound is the full run's).
"""
import argparse
import os
import subprocess
import sys
import tempfile


def peak_mb(binary, scen, trials, tmp):
    """The run's peak resident memory in MiB and its wall time in s."""
    out = os.path.join(tmp, "m.h5")
    cmd = ["/usr/bin/time", "-f", "%M %e", binary, "run", scen, "-n", str(trials), "-t", "2",
           "-q", "-o", out]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"memory: {' '.join(cmd)} failed: {r.stderr.strip()[-400:]}")
    kb, wall = r.stderr.strip().splitlines()[-1].split()
    os.remove(out)
    return int(kb) / 1024, float(wall)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary")
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    div = 10 if a.quick else 1
    cases = [("RBTS", "inputs/rbts/rbts.yaml", 10_000, 10_000_000 // div, 32),
             ("Pakistan default", "inputs/pakistan/pakistan.yaml", 1_000, 100_000 // div, 64)]
    print("| run | trials | peak memory | wall time |")
    print("|---|---|---|---|")
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for name, scen, small, large, bound in cases:
            m0, w0 = peak_mb(a.binary, scen, small, tmp)
            m1, w1 = peak_mb(a.binary, scen, large, tmp)
            print(f"| {name} | {small:,} | {m0:.0f} MiB | {w0:.1f} s |")
            print(f"| {name} | {large:,} | {m1:.0f} MiB (+{m1 - m0:.0f}; bound +{bound}) "
                  f"| {w1:.1f} s |")
            worst = max(worst, (m1 - m0) / bound)
    return 0 if worst <= 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
