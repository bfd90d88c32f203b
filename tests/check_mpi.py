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
peak resident set by /usr/bin/time). Every streamed run across ranks writes one file from
every rank (parallel HDF5, collective writes: outputs/h5out.h). Then the checkpoint across
ranks (rank 0's, which takes every block in order): for the economic and network models, a
2-rank run stopped by SIGTERM on every rank (as srun passes a scheduler's signal on) exits 75
and resumes on 3 ranks x 2 threads, and one killed by SIGKILL on one rank resumes with the
serial build; both end with the serial run's file. Then that a write that fails (a file size
limit on every rank, at a quarter and at half of the file; and, by a test hook, on rank 1 and
on rank 0) ends the job with exit 1, the failing rank's message, no output and no temporary,
rather than hanging, and the hook's runs resume to the serial run's file. Then what MPI
refuses or reports once: an input error (exit 2, one message, not one per rank), `--resume`
with `--sobol` and `--target-rse` across ranks, and `gridrisk frontier` across ranks.
Prints one line per check and `mpi: N passed, M failed`; exit 1 on any failure.
Usage: /usr/bin/python3 tests/check_mpi.py SERIAL_BIN MPI_BIN
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import h5py

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check_resume  # noqa: E402 (the one comparison of result files, the one tally)
import check_slurm  # noqa: E402 (the job scripts, run as Slurm would)
from check_resume import check, records, same_files  # noqa: E402

REPO = os.path.dirname(HERE)
MODELS = [  # name, input, trials (at least 3 blocks: every rank of -np 3 runs one), options
    # with a Sobol design the rows are kept whole and combined at the end ...
    ("economic", check_resume.short_pakistan, 192, ["--sobol", "16"]),
    # ... without, every model is streamed into one file every rank writes: drivers, splits,
    # sensitivity
    ("economic streamed", check_resume.short_pakistan, 192, []),
    ("adequacy", os.path.join(REPO, "inputs", "rbts", "rbts.yaml"), 50000, []),
    ("network", os.path.join(REPO, "inputs", "pras", "rts.pras"), 768, []),
    # one block: ranks 1 and 2 of -np 3 have no trials at all
    ("adequacy, one block", os.path.join(REPO, "inputs", "rbts", "rbts.yaml"), 50, []),
]
LAYOUTS = [(2, 1), (3, 2)]  # ranks, threads per rank

CKPT_MODELS = [  # name, input, trials: 15 blocks or more, so that a signal lands mid-way
    ("economic", check_resume.short_pakistan, 960),
    # the network model's integer totals travel with its blocks (harness_model_t.sum_add): a
    # system that sheds in every block (LOLE 1.4 h a trial), so that losing them shows. 489
    # blocks of 4,096, about 1.7 s on 2 ranks: with 400,000 (0.35 s once the model had got
    # faster) the ranks had once finished every trial before the signal reached them, as this
    # script finds them in /proc (stop 48's CI: exit 143, a signal after the last trial ends
    # the process), a flake of the test, not of the program
    ("network", os.path.join(REPO, "tests", "data", "pras", "threenode.pras"), 2000000),
]


# RBTS trials of the job-script run: about 5 s on 2 ranks of the development machine. mpirun
# passes a SIGTERM on to its ranks a second or two after it gets it (measured): a run of
# 1,000,000 (2 s then) sometimes finished first, and the job, complete, was not requeued; so
# did every run of 4,000,000 once the adequacy model ran twice as fast (1.2 s).
HYBRID_TRIALS = "16000000"


def mpirun(np_):
    cmd = [shutil.which("mpirun") or "mpirun", "-np", str(np_), "--oversubscribe"]
    if os.geteuid() == 0:
        cmd.append("--allow-run-as-root")
    return cmd


def run(cmd):
    env = dict(os.environ, OMPI_MCA_rmaps_base_oversubscribe="1")
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)


def named(tmp, prefix):
    """The files in tmp whose names start with prefix."""
    return [f for f in os.listdir(tmp) if f.startswith(prefix)]


def remove_named(tmp, prefix):
    for f in named(tmp, prefix):
        os.remove(os.path.join(tmp, f))


def ranks_of(proc):
    """The pids of mpirun's children: its ranks, on one node."""
    kids = []
    for d in os.listdir("/proc"):
        try:
            with open(f"/proc/{d}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == proc.pid:
            kids.append(int(d))
    return kids


def stop_ranks(proc, partial, blocks, sig, which):
    """Sends sig to the ranks `which` picks from mpirun's children once the checkpoint holds
    `blocks` records (as srun passes a scheduler's signal to every task); False if the run
    ended first."""
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if os.path.exists(partial) and records(partial)[0] >= blocks:
            for pid in which(sorted(ranks_of(proc))):
                os.kill(pid, sig)
            proc.err = proc.communicate(timeout=120)[1]
            return True
        time.sleep(0.005)
    proc.err = proc.communicate()[1]
    return False


def ckpt_checks(serial, mpi, name, inp, trials, tmp):
    """A run across ranks keeps its checkpoint on rank 0, which takes every block in order:
    stopped by SIGTERM on every rank, it resumes on 3 ranks x 2 threads; killed by SIGKILL on
    one rank, it resumes with the serial build; both end with the serial run's file."""
    ref = os.path.join(tmp, f"ckpt_{name}_ref.h5")
    out = os.path.join(tmp, f"ckpt_{name}.h5")
    partial = out + ".partial"
    r = run([serial, "run", inp, "-o", ref, "-n", str(trials), "-q", "-t", "2"])
    if not check(r.returncode == 0, f"checkpoint, {name}: the serial run"):
        return
    cmd = [mpi, "run", inp, "-o", out, "-n", str(trials), "-q", "-t", "1"]
    env = dict(os.environ, OMPI_MCA_rmaps_base_oversubscribe="1")
    p = subprocess.Popen(mpirun(2) + cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env=env)
    if not check(stop_ranks(p, partial, 2, signal.SIGTERM, lambda pids: pids),
                 f"checkpoint, {name}: SIGTERM reached 2 ranks mid-way"):
        return
    k = records(partial)[0]
    check(p.returncode == 75 and "--resume" in p.err and k >= 2 and not os.path.exists(out)
          and not named(tmp, f"ckpt_{name}.h5.tmp"),
          f"checkpoint, {name}: SIGTERM on 2 ranks exits 75 with {k} blocks kept, no output, no "
          f"temporary (exit {p.returncode}: {p.err.strip()[:160]})")
    r = run(mpirun(3) + cmd[:-1] + ["2", "--resume"])
    diff = same_files(ref, out) if r.returncode == 0 else "no output"
    check(diff is None and not os.path.exists(partial),
          f"checkpoint, {name}: resumed on 3 ranks x 2 threads == serial ({diff}; "
          f"{r.stderr.strip()[:160]})")
    os.remove(out)
    p = subprocess.Popen(mpirun(2) + cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env=env)
    if not check(stop_ranks(p, partial, 3, signal.SIGKILL, lambda pids: pids[-1:]),
                 f"checkpoint, {name}: SIGKILL reached rank 1 mid-way"):
        return
    k, starts = records(partial)
    r = run([serial, "run", inp, "-o", out, "-n", str(trials), "-t", "2", "--resume"])
    diff = same_files(ref, out) if r.returncode == 0 else "no output"
    left = named(tmp, f"ckpt_{name}.h5.")
    check(diff is None and f"resumed: {starts[-1][1]} of {trials}" in r.stderr and not left,
          f"checkpoint, {name}: killed on 2 ranks ({k} blocks kept), resumed by the serial build "
          f"== serial, no checkpoint or temporary left ({diff}; {left}; {r.stderr.strip()[:160]})")
    remove_named(tmp, f"ckpt_{name}")


def ends(cmd, env):
    """(exit status, stderr) of an mpirun command, or (None, ...) when it has not ended within
    120 s (its ranks and mpirun are then killed)."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        err = p.communicate(timeout=120)[1]
        return p.returncode, err
    except subprocess.TimeoutExpired:
        for pid in ranks_of(p):
            os.kill(pid, signal.SIGKILL)
        p.kill()
        return None, "hung: killed after 120 s " + p.communicate()[1]


def failed_writes(serial, mpi, tmp):
    """A write into the file every rank writes that fails ends the job: exit 1 with the failing
    rank's message (rank 0 speaks for it), no output and no temporary; the checkpoint of the
    finished blocks stays, and resumes to the serial run's file. No hang: after a failed
    parallel write HDF5 can wait forever closing the file (outputs/h5out.c, share_close), so
    the ranks leave through MPI_Abort. First on a chosen rank (the test hook
    GRIDRISK_TEST_FAIL_SHARED_WRITE), then for real: a file size limit on every rank (as a
    full disk) of a quarter and of half of the file (whichever write reaches it first fails:
    the file's, the checkpoint's or the averages')."""
    inp = check_resume.short_pakistan(tmp)
    ref, out = os.path.join(tmp, "limit_ref.h5"), os.path.join(tmp, "limit.h5")
    r = run([serial, "run", inp, "-o", ref, "-n", "960", "-q", "-t", "2"])
    if not check(r.returncode == 0, "failed writes: the serial run"):
        return
    cmd = [mpi, "run", inp, "-o", out, "-n", "960", "-q", "-t", "1"]
    # TCP between the ranks: a file size limit would also refuse Open MPI's shared memory files
    env = dict(os.environ, OMPI_MCA_rmaps_base_oversubscribe="1", OMPI_MCA_btl="self,tcp")

    def leftovers():
        return [f for f in named(tmp, "limit.h5") if not f.endswith(".partial")]

    for bad in (1, 0):
        code, err = ends(mpirun(2) + cmd, dict(env, GRIDRISK_TEST_FAIL_SHARED_WRITE=str(bad)))
        said = f"test hook GRIDRISK_TEST_FAIL_SHARED_WRITE on MPI rank {bad}"
        check(code == 1 and f"gridrisk: {out}: HDF5 write failed: {said}" in err and
              not leftovers() and os.path.exists(out + ".partial"),
              f"a write failing on rank {bad} of 2: exit 1, its message, no output or temporary, "
              f"the checkpoint kept (exit {code}, {leftovers()}: "
              f"{[ln for ln in err.splitlines() if 'gridrisk' in ln or 'hung' in ln][:2]})")
        r = run(mpirun(2) + cmd + ["--resume"])
        diff = same_files(ref, out) if r.returncode == 0 else "no output"
        check(diff is None and not os.path.exists(out + ".partial"),
              f"a write failing on rank {bad} of 2: resumed == serial ({diff}; "
              f"{r.stderr.strip()[:160]})")
        remove_named(tmp, "limit.h5")
    for frac in (0.25, 0.5):
        kib = int(os.path.getsize(ref) * frac / 1024)
        # SIGXFSZ ignored: writes past the limit fail with EFBIG, as they would with ENOSPC
        lim = ["bash", "-c", f"trap '' XFSZ; ulimit -f {kib}; exec \"$@\"", "limit"]
        code, err = ends(mpirun(2) + lim + cmd, env)
        check(code == 1 and f"gridrisk: {out}" in err and not leftovers(),
              f"file size limit of {kib} KiB on 2 ranks: exit 1, the message, no output or "
              f"temporary (exit {code}, {leftovers()}: "
              f"{[ln for ln in err.splitlines() if 'gridrisk' in ln or 'hung' in ln][:2]})")
        remove_named(tmp, "limit.h5")


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
        # streamed: a rank holds two blocks of trials, whatever their number (rows kept whole
        # would add 24 bytes a trial: 48 MB at 2,000,000)
        # (each rank under its own /usr/bin/time, appending a line to one file: through
        # mpirun the ranks' stderr interleave; the largest rank's peak)
        for how, pre, binary in [("serial", [], serial), ("2 ranks", mpirun(2), mpi)]:
            peak = []
            for n in (10_000, 2_000_000):
                out, log = os.path.join(tmp, "mem.h5"), os.path.join(tmp, "peak.txt")
                if os.path.exists(log):
                    os.remove(log)
                r = run(pre + ["/usr/bin/time", "-a", "-o", log, "-f", "peak %M",
                               binary, "run", inp, "-o", out, "-n", str(n), "-q", "-t", "1"])
                with open(log) as fh:
                    kib = [int(line.split()[1]) for line in fh if line.startswith("peak ")]
                want = 2 if pre else 1
                peak.append(max(kib) / 1024 if r.returncode == 0 and len(kib) == want
                            else float("inf"))
            check(peak[1] - peak[0] < 16, f"memory, {how}: RBTS at 2,000,000 trials "
                  f"{peak[1]:.0f} MiB, at 10,000 {peak[0]:.0f} MiB (at most 16 more)")
        for name, model, trials in CKPT_MODELS:
            ckpt_checks(serial, mpi, name, model(tmp) if callable(model) else model, trials, tmp)
        failed_writes(serial, mpi, tmp)
        # the hybrid job script with Open MPI's launcher: Slurm's SIGTERM to the batch shell
        # reaches every rank through mpirun, the job requeues, and resumes
        env = dict(os.environ, PATH=check_slurm.stand_ins(tmp) + ":" + os.environ["PATH"],
                   GRIDRISK=mpi, LAUNCHER=" ".join(mpirun(2)), SLURM_JOB_ID="4242",
                   SLURM_CPUS_PER_TASK="1", SCEN=inp, TRIALS=HYBRID_TRIALS,
                   OUT=os.path.join(tmp, "hybrid.h5"), SLURM_SUBMIT_DIR=REPO,
                   OMPI_MCA_rmaps_base_oversubscribe="1",
                   # mpirun waits this long after passing SIGTERM on (the script's 30 s: a
                   # Pakistan round's margin; RBTS rounds take milliseconds)
                   OMPI_MCA_odls_base_sigkill_timeout="3")
        ref = os.path.join(tmp, "hybrid_ref.h5")
        r = run([serial, "run", inp, "-o", ref, "-n", HYBRID_TRIALS, "-q", "-t", "2"])
        if check(r.returncode == 0, "hybrid.sbatch: the serial run"):
            check_slurm.requeued(tmp, "hybrid.sbatch", env, ref)
        out = os.path.join(tmp, "refused.h5")

        def refused(args, what, needle):
            r = run(mpirun(2) + [mpi, *args])
            ok = (r.returncode == 2 and r.stderr.count(needle) == 1 and not os.path.exists(out))
            check(ok, f"refused once: {what} (exit {r.returncode}: {r.stderr.strip()[:200]})")

        refused(["run", inp, "-o", out, "-n", "0"], "an input error", "--trials: '0'")
        refused(["run", check_resume.short_pakistan(tmp), "-o", out, "-n", "50", "--resume",
                 "--sobol", "16"],
                "--resume across ranks with --sobol (kept whole: no checkpoint)",
                "keeps no checkpoint")
        refused(["run", inp, "-o", out, "-n", "50", "--target-rse", "0.1"],
                "--target-rse across ranks", "one MPI rank only")
        refused(["frontier", os.path.join(REPO, "inputs", "pakistan", "frontier.yaml"), "-o",
                 out, "-n", "2"], "a frontier across ranks", "runs on one MPI rank")
    print(f"mpi: {check_resume.passed} passed, {check_resume.failed} failed")
    return 1 if check_resume.failed else 0


if __name__ == "__main__":
    sys.exit(main())
