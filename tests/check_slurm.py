#!/usr/bin/python3
"""The Slurm job scripts (examples/slurm/), run as Slurm would run them, with a stand-in
`scontrol` that records what it is asked.

1. node.sbatch: the SIGTERM Slurm sends before the time limit (--signal=B:TERM) reaches the
   script, which passes it on; gridrisk exits 75 with its trials in OUT.h5.partial and the
   script requeues its job (scontrol requeue JOBID); started again (as the requeued job is), it
   resumes and ends with the file of an uninterrupted run, the checkpoint gone.
2. array.sbatch: task i runs line i of its list through node.sbatch; a task whose result is
   complete is skipped when the array is submitted again.
3. hybrid.sbatch: as node.sbatch, with gridrisk run by srun (stood in by a script that records
   its arguments, runs the program as one task and, as Slurm's srun does, kills it on SIGTERM),
   stopped by SIGTERM to the task (--signal=TERM), requeued, resumed to the same file.
Prints one line per check and `slurm: N passed, M failed`; exit 1 on any failure.
Usage: /usr/bin/python3 tests/check_slurm.py BIN
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check_resume  # noqa: E402
from check_resume import check, records, same_files  # noqa: E402

REPO = os.path.dirname(HERE)
SLURM = os.path.join(REPO, "examples", "slurm")
RBTS = os.path.join(REPO, "inputs", "rbts", "rbts.yaml")
TRIALS = "1000000"  # a few seconds on one core: long enough to be stopped mid-way


def stand_ins(tmp):
    """A bin directory with scontrol and srun that log their arguments. srun runs the program
    as one task, a child whose pid it leaves in srun.task, and answers SIGTERM as Slurm's srun
    does: by killing its task (SIGKILL)."""
    bindir = os.path.join(tmp, "fakebin")
    os.makedirs(bindir)
    srun = ('while [ "${1#-}" != "$1" ]; do shift; done\n'
            '"$@" &\nchild=$!\n'
            f'echo "$child" > "{tmp}/srun.task"\n'
            "trap 'kill -KILL \"$child\"' TERM\n"
            'wait "$child"\nrc=$?\n'
            'while kill -0 "$child" 2>/dev/null; do wait "$child"; rc=$?; done\n'
            'exit "$rc"\n')
    for name in ("scontrol", "srun"):
        path = os.path.join(bindir, name)
        with open(path, "w") as fh:
            fh.write(f'#!/bin/bash\necho "$@" >> "{tmp}/{name}.log"\n'
                     + (srun if name == "srun" else ""))
        os.chmod(path, 0o755)
    return bindir


def log(tmp, name):
    path = os.path.join(tmp, f"{name}.log")
    return open(path).read() if os.path.exists(path) else ""


def requeued(tmp, script, env, ref, to_task=False):
    """script, stopped by the SIGTERM Slurm sends the batch shell (--signal=B:TERM) or, with
    to_task, each task of its job steps (--signal=TERM: srun's child), exits 75 with the trials
    kept and requeues its job; run again, it resumes to ref's file."""
    out, partial = env["OUT"], env["OUT"] + ".partial"
    if os.path.exists(os.path.join(tmp, "scontrol.log")):
        os.remove(os.path.join(tmp, "scontrol.log"))
    p = subprocess.Popen(["bash", os.path.join(SLURM, script)], env=env, cwd=REPO,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while p.poll() is None and time.time() < deadline:
        if os.path.exists(partial) and records(partial)[0] >= 2:
            if to_task:
                with open(os.path.join(tmp, "srun.task")) as fh:
                    os.kill(int(fh.read()), signal.SIGTERM)
            else:
                p.send_signal(signal.SIGTERM)  # to the batch shell, as --signal=B:TERM does
            break
        time.sleep(0.005)
    so, se = p.communicate(timeout=120)
    check(p.returncode == 75 and os.path.exists(partial) and not os.path.exists(out),
          f"{script}: SIGTERM to the script stops gridrisk, exit 75, trials kept "
          f"(exit {p.returncode}: {se.strip()[-160:]})")
    check(log(tmp, "scontrol").strip() == "requeue 4242",
          f"{script}: requeues its job ('{log(tmp, 'scontrol').strip()}')")
    r = subprocess.run(["bash", os.path.join(SLURM, script)], env=env, cwd=REPO,
                       capture_output=True, text=True)
    diff = same_files(ref, out) if r.returncode == 0 else "no output"
    check(r.returncode == 0 and diff is None and not os.path.exists(partial),
          f"{script}: the requeued job resumes to the uninterrupted file ({diff}; "
          f"{r.stderr.strip()[-160:]})")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, PATH=stand_ins(tmp) + ":" + os.environ["PATH"], GRIDRISK=binary,
                   SLURM_JOB_ID="4242", SLURM_CPUS_PER_TASK="1", SCEN=RBTS, TRIALS=TRIALS,
                   OUT=os.path.join(tmp, "node.h5"), SLURM_SUBMIT_DIR=REPO)
        ref = os.path.join(tmp, "ref.h5")
        subprocess.run([binary, "run", RBTS, "-o", ref, "-n", TRIALS, "-q", "-t", "2"], check=True)
        requeued(tmp, "node.sbatch", env, ref)
        # the array: line 2 of a list
        lst = os.path.join(tmp, "runs.txt")
        with open(lst, "w") as fh:
            fh.write(f"{os.path.join(REPO, 'inputs', 'pakistan', 'pakistan.yaml')}\n{RBTS}\n")
        aenv = dict(env, SLURM_ARRAY_TASK_ID="2", TRIALS="20000")
        del aenv["OUT"]
        os.makedirs(os.path.join(tmp, "work", "results"))
        work = os.path.join(tmp, "work")
        r = subprocess.run(["bash", os.path.join(SLURM, "array.sbatch"), lst], env=aenv, cwd=work,
                           capture_output=True, text=True)
        done = os.path.join(work, "results", "rbts.h5")
        check(r.returncode == 0 and os.path.exists(done),
              f"array.sbatch: task 2 runs line 2 into results/rbts.h5 ({r.stderr.strip()[-160:]})")
        r = subprocess.run(["bash", os.path.join(SLURM, "array.sbatch"), lst], env=aenv, cwd=work,
                           capture_output=True, text=True)
        check(r.returncode == 0 and "nothing to do" in r.stdout,
              f"array.sbatch: a complete task is skipped ({r.stdout.strip()[-120:]})")
        henv = dict(env, OUT=os.path.join(tmp, "hybrid.h5"))
        with open(os.path.join(SLURM, "hybrid.sbatch")) as fh:
            directives = fh.read()
        # srun kills its tasks on SIGTERM: Slurm must signal the tasks, not the batch shell
        check("#SBATCH --signal=TERM@" in directives,
              "hybrid.sbatch: Slurm signals the ranks themselves (--signal=TERM, not B:TERM)")
        requeued(tmp, "hybrid.sbatch", henv, ref, to_task=True)
        check(binary in log(tmp, "srun") and "--cpus-per-task=1 --cpu-bind=cores" in
              log(tmp, "srun"), f"hybrid.sbatch: srun runs gridrisk, a thread per core "
              f"({log(tmp, 'srun').strip()[:120]})")
    print(f"slurm: {check_resume.passed} passed, {check_resume.failed} failed")
    return 1 if check_resume.failed else 0


if __name__ == "__main__":
    sys.exit(main())
