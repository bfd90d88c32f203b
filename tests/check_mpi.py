#!/usr/bin/python3
"""The MPI build (make MPI=1, model/par.h) against the serial build, bit for bit.

For the economic model (the Pakistan default, with a Sobol design, so that the design's rows
are dealt out too), the adequacy model (RBTS) and the network model (RTS-GMLC, whose per-step
128-bit sums are combined by a user MPI operation), each run under
`mpirun -np 2` with 1 thread per rank and `-np 3` with 2 threads per rank (oversubscribed on a
2-core machine), and once without mpirun (a singleton rank): every dataset and attribute of the
file equals the serial build's run, but the wall time, thread and rank counts and creation
stamps, and the `ranks` attribute says how many ranks ran. Then that a streamed run's memory
does not grow with the trials, serial and on 2 ranks (RBTS, 10,000 against 2,000,000 trials,
peak resident set by /usr/bin/time). Then what MPI refuses or reports
once: an input error (exit 2, one message, not one per rank), `--resume` and `--target-rse`
across ranks, and `gridrisk frontier` across ranks.
Prints one line per check and `mpi: N passed, M failed`; exit 1 on any failure.
Usage: /usr/bin/python3 tests/check_mpi.py SERIAL_BIN MPI_BIN
"""
import os
import shutil
import subprocess
import sys
import tempfile

import h5py

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check_resume  # noqa: E402 (the one comparison of result files, the one tally)
from check_resume import check, same_files  # noqa: E402

REPO = os.path.dirname(HERE)
MODELS = [  # name, input, trials (at least 3 blocks: every rank of -np 3 runs one), options
    # with a Sobol design the rows are kept whole and combined at the end ...
    ("economic", check_resume.short_pakistan, 192, ["--sobol", "16"]),
    # ... without, every model is streamed through rank 0: drivers, splits, sensitivity
    ("economic streamed", check_resume.short_pakistan, 192, []),
    ("adequacy", os.path.join(REPO, "inputs", "rbts", "rbts.yaml"), 50000, []),
    ("network", os.path.join(REPO, "inputs", "pras", "rts.pras"), 768, []),
    # one block: ranks 1 and 2 of -np 3 have no trials at all
    ("adequacy, one block", os.path.join(REPO, "inputs", "rbts", "rbts.yaml"), 50, []),
]
LAYOUTS = [(2, 1), (3, 2)]  # ranks, threads per rank

def mpirun(np_):
    cmd = [shutil.which("mpirun") or "mpirun", "-np", str(np_), "--oversubscribe"]
    if os.geteuid() == 0:
        cmd.append("--allow-run-as-root")
    return cmd


def run(cmd):
    env = dict(os.environ, OMPI_MCA_rmaps_base_oversubscribe="1")
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    serial, mpi = (os.path.abspath(p) for p in sys.argv[1:])
    with tempfile.TemporaryDirectory() as tmp:
        for name, inp, trials, extra in MODELS:
            inp = inp(tmp) if callable(inp) else inp
            tag = name.replace(" ", "_").replace(",", "")
            ref = os.path.join(tmp, f"{tag}_serial.h5")
            r = run([serial, "run", inp, "-o", ref, "-n", str(trials), "-q", "-t", "2", *extra])
            if not check(r.returncode == 0, f"{name}: the serial run ({r.stderr.strip()[:200]})"):
                continue
            for ranks, threads in [(1, 2)] + LAYOUTS:
                out = os.path.join(tmp, f"{tag}_{ranks}x{threads}.h5")
                cmd = [mpi, "run", inp, "-o", out, "-n", str(trials), "-q", "-t", str(threads),
                       *extra]
                r = run(cmd if ranks == 1 else mpirun(ranks) + cmd)
                how = f"{ranks} rank(s) x {threads} thread(s)" + (" without mpirun" if ranks == 1
                                                                  else "")
                if not check(r.returncode == 0, f"{name}: {how} ({r.stderr.strip()[:200]})"):
                    continue
                diff = same_files(ref, out)
                check(diff is None, f"{name}: {how} == serial ({diff})")
                with h5py.File(out, "r") as f:
                    check(int(f.attrs["ranks"]) == ranks,
                          f"{name}: {how}: ranks attribute {int(f.attrs['ranks'])}")
        inp = os.path.join(REPO, "inputs", "rbts", "rbts.yaml")
        # streamed: a rank holds a block of trials, whatever their number (rows kept whole
        # would add 24 bytes a trial: 48 MB at 2,000,000)
        # (each rank under its own /usr/bin/time: the largest rank's peak)
        for how, pre, binary in [("serial", [], serial), ("2 ranks", mpirun(2), mpi)]:
            peak = []
            for n in (10_000, 2_000_000):
                out = os.path.join(tmp, "mem.h5")
                r = run(pre + ["/usr/bin/time", "-f", "peak %M",
                               binary, "run", inp, "-o", out, "-n", str(n), "-q", "-t", "1"])
                kib = [int(line.split()[1]) for line in r.stderr.splitlines()
                       if line.startswith("peak ")]
                want = 2 if pre else 1
                peak.append(max(kib) / 1024 if r.returncode == 0 and len(kib) == want
                            else float("inf"))
            check(peak[1] - peak[0] < 16, f"memory, {how}: RBTS at 2,000,000 trials "
                  f"{peak[1]:.0f} MiB, at 10,000 {peak[0]:.0f} MiB (at most 16 more)")
        out = os.path.join(tmp, "refused.h5")

        def refused(args, what, needle):
            r = run(mpirun(2) + [mpi, *args])
            ok = (r.returncode == 2 and r.stderr.count(needle) == 1 and not os.path.exists(out))
            check(ok, f"refused once: {what} (exit {r.returncode}: {r.stderr.strip()[:200]})")

        refused(["run", inp, "-o", out, "-n", "0"], "an input error", "--trials: '0'")
        refused(["run", inp, "-o", out, "-n", "50", "--resume"], "--resume across ranks",
                "one MPI rank only")
        refused(["run", inp, "-o", out, "-n", "50", "--target-rse", "0.1"],
                "--target-rse across ranks", "one MPI rank only")
        refused(["frontier", os.path.join(REPO, "inputs", "pakistan", "frontier.yaml"), "-o",
                 out, "-n", "2"], "a frontier across ranks", "runs on one MPI rank")
    print(f"mpi: {check_resume.passed} passed, {check_resume.failed} failed")
    return 1 if check_resume.failed else 0


if __name__ == "__main__":
    sys.exit(main())
