#!/usr/bin/python3
"""The share of a run that its output takes: README.md's "The output under 5% of the run".

    bench/output_share.py BIN [BIN ...] [-n RUNS] [--trials N] [--threads T] [--scenario PATH]

Runs each BIN on the scenario (default RBTS, 2,000,000 trials, one thread) RUNS times (default 9),
the builds in turn (A B A B ...: a machine that slows or speeds up over the minutes moves them
alike), and reads each run's speed line: the trial loop's seconds (which include the blocks'
writes on one thread), the checkpoint's and the file's block writes, and the finish (the
summary, the sensitivity, closing the file, removing the checkpoint). All of the output is the
block writes plus the finish; its share is that over the loop plus the finish. Prints, per
build, the medians of each part and the median share with its range over the runs. A build
that prints its times to 0.01 s only (before 0cbd3d1) is read as printed.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINE = re.compile(r"in ([0-9.]+) s \(.*?\), ([0-9.]+) s of it writing blocks \(checkpoint ([0-9.]+) s, "
                  r"file ([0-9.]+) s;.*?then ([0-9.]+) s finishing")


def one_run(binary, args, out):
    r = subprocess.run([binary, "run", args.scenario, "-o", out, "-n", str(args.trials), "-t",
                        str(args.threads)], cwd=ROOT, capture_output=True, text=True)
    m = LINE.search(r.stderr)
    if r.returncode or not m:
        sys.exit(f"output_share: {binary} failed or printed no speed line with block writes "
                 f"(a run short enough to be written whole has none): {r.stderr[-300:]}")
    loop, blocks, ckpt, file_s, finish = map(float, m.groups())
    return {"loop": loop, "ckpt": ckpt, "file": file_s, "finish": finish,
            "output": blocks + finish, "share": (blocks + finish) / (loop + finish)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bins", nargs="+")
    ap.add_argument("-n", "--runs", type=int, default=9)
    ap.add_argument("--trials", type=int, default=2000000)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--scenario", default="inputs/rbts/rbts.yaml")
    args = ap.parse_args()
    rows = {b: [] for b in args.bins}
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.h5")
        for _ in range(args.runs):
            for b in args.bins:
                rows[b].append(one_run(b, args, out))
    for b in args.bins:
        med = {k: statistics.median(r[k] for r in rows[b]) for k in rows[b][0]}
        shares = [100 * r["share"] for r in rows[b]]
        print(f"{b}: trial loop {med['loop']:.3f} s, checkpoint {med['ckpt']:.3f} s, file "
              f"{med['file']:.3f} s, finish {med['finish']:.3f} s: output {med['output']:.3f} s, "
              f"{100 * med['share']:.2f}% of the run (median; {min(shares):.2f}-{max(shares):.2f}% "
              f"over {args.runs} runs)")


if __name__ == "__main__":
    main()
