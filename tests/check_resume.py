#!/usr/bin/python3
"""Checkpoint and resume (outputs/ckpt.h), and precision on demand (model/precision.h), end to
end.

For the economic model (the Pakistan default over two years), the adequacy model (RBTS) and the network
model (RTS-GMLC from its PRAS file):
1. A run stopped by SIGTERM once its checkpoint holds two blocks exits 75, leaves no output
   (nor a temporary) and keeps OUT.h5.partial; `--resume` (with another thread count) ends
   with a file whose every dataset and attribute equals an uninterrupted run's, bit for bit,
   but the wall time and the creation stamps, and removes the checkpoint.
2. A run killed by SIGKILL, its checkpoint then cut inside its last record (a write the
   process did not finish), resumes the same way, saying it dropped the unfinished record.
3. What a resume must refuse, with exit status 2 and a message naming the cause: another
   seed (the differing header line), a record corrupted before the last one (its CRC-32),
   a file that is not a checkpoint, --resume without a checkpoint, and a run without
   --resume over an existing checkpoint (which is left as it was).
Prints one line per check and `resume: N passed, M failed`; exit 1 on any failure.
Usage: /usr/bin/python3 tests/check_resume.py BIN [--quick]
(--quick: the economic model's checks, the refusals and the precision; what mutation testing
runs, tests/mutations.tsv)
"""
import fcntl
import os
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
PAKISTAN = os.path.join(REPO, "inputs", "pakistan", "pakistan.yaml")


def short_pakistan(tmp):
    """The Pakistan default over two years instead of five, in tmp (its CSVs linked beside it):
    the same model, scenarios and draws, at two fifths of the cost per trial, so that a test can
    afford the several blocks of 64 trials (16 scheduling chunks) a checkpoint needs; two
    years, so that every per-trial array keeps a year stride to get wrong."""
    d = os.path.join(tmp, "pakistan1y")
    if not os.path.isdir(d):
        os.mkdir(d)
        src = os.path.dirname(PAKISTAN)
        for f in os.listdir(src):
            if f.endswith(".csv"):
                os.symlink(os.path.join(src, f), os.path.join(d, f))
        with open(PAKISTAN) as fh:
            text = fh.read()
        assert text.count("\nhorizon_years: 5") == 1, "pakistan.yaml: horizon_years moved"
        with open(os.path.join(d, "pakistan.yaml"), "w") as fh:
            fh.write(text.replace("\nhorizon_years: 5", "\nhorizon_years: 2"))
    return os.path.join(d, "pakistan.yaml")


MODELS = [  # name, input, trials: a run of a few seconds on one core, at least 5 blocks
    ("economic", short_pakistan, 320),
    ("adequacy", os.path.join(REPO, "inputs", "rbts", "rbts.yaml"), 300000),
    ("network", os.path.join(REPO, "inputs", "pras", "rts.pras"), 1280),
]


def models(tmp, which=None):
    """MODELS with each input a path (the short Pakistan model made in tmp)."""
    return [(n, i(tmp) if callable(i) else i, t) for n, i, t in (which or MODELS)]
# Attributes that say when, where and how fast a run went, not what it found (history is
# compared without its time stamp).
TIMING = {"wall_time_s", "creation_time", "history", "sobol_wall_s", "threads", "ranks"}
REFS = {"DIMENSION_LIST", "REFERENCE_LIST"}  # HDF5 object references: compared as structure

passed = failed = 0


def check(ok, what):
    global passed, failed
    print(("ok   " if ok else "FAIL ") + what)
    if ok:
        passed += 1
    else:
        failed += 1
    return ok


def records(path):
    """(complete records, [(byte offset of its start, its last trial + 1)]) of a checkpoint."""
    with open(path, "rb") as fh:
        data = fh.read()
    if len(data) < 16 or data[:8] != b"GRIDCKPT":  # not yet (the header is being written)
        return 0, []
    (n,) = struct.unpack_from("=Q", data, 8)
    at, starts = 16 + n + 32, []
    while at + 32 <= len(data) and data[at:at + 8] == b"GRIDBLK3":
        (to, size) = struct.unpack_from("=QQ", data, at + 16)
        if at + 32 + size + 4 > len(data):  # the record's CRC-32
            break
        starts.append((at, to))
        at += 32 + size + 4
    return len(starts), starts


def same_files(a, b):
    """The first difference between two result files, or None."""
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        def attrs(name, x, y):
            keys = (set(x.attrs) | set(y.attrs)) - TIMING - REFS
            for k in sorted(keys):
                if k not in x.attrs or k not in y.attrs:
                    return f"{name}: attribute {k} in one file only"
                va, vb = np.asarray(x.attrs[k]), np.asarray(y.attrs[k])
                if va.dtype != vb.dtype or va.shape != vb.shape or (
                        va.tolist() != vb.tolist() if va.dtype.kind == "O"
                        else va.tobytes() != vb.tobytes()):
                    return f"{name}: attribute {k} differs"
            return None

        names_a, names_b = [], []
        fa.visit(names_a.append)
        fb.visit(names_b.append)
        if sorted(names_a) != sorted(names_b):
            return "the files hold different objects"
        diff = attrs("/", fa, fb)
        ha, hb = (str(f.attrs.get("history", "")).split(" ", 1)[-1] for f in (fa, fb))
        if ha != hb:
            diff = f"history differs: '{ha}' against '{hb}'"
        for name in names_a:
            if diff:
                return diff
            x, y = fa[name], fb[name]
            diff = attrs(name, x, y)
            if isinstance(x, h5py.Dataset) and not diff:
                if x.dtype != y.dtype or x.shape != y.shape:
                    diff = f"{name}: type or shape differs"
                elif x.dtype.kind not in "O" and x[()].tobytes() != y[()].tobytes():
                    diff = f"{name}: values differ"
                elif x.dtype.kind == "O" and list(x[()].ravel()) != list(y[()].ravel()):
                    diff = f"{name}: values differ"
        return diff


def run(binary, inp, out, trials, *extra, threads=1, quiet=True):
    return subprocess.run([binary, "run", inp, "-o", out, "-n", str(trials), "-t", str(threads),
                           *(["-q"] if quiet else []), *extra], capture_output=True, text=True)


def start(binary, inp, out, trials, *extra):
    return subprocess.Popen([binary, "run", inp, "-o", out, "-n", str(trials), "-q", "-t", "1",
                             *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stop_after(proc, partial, blocks, sig):
    """Sends sig once the checkpoint holds `blocks` records; False if the run ended first."""
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if os.path.exists(partial) and records(partial)[0] >= blocks:
            proc.send_signal(sig)
            proc.err = proc.communicate()[1]
            return True
        time.sleep(0.005)
    proc.err = proc.communicate()[1]
    return False


def leftovers(tmp, keep):
    return sorted(f for f in os.listdir(tmp)
                  if f not in keep and not f.endswith("_ref.h5") and f != "pakistan1y")


def model_checks(binary, name, inp, trials, tmp):
    ref = os.path.join(tmp, f"{name}_ref.h5")
    r = run(binary, inp, ref, trials, threads=2)
    if not check(r.returncode == 0, f"{name}: the uninterrupted run ({r.stderr.strip()[:200]})"):
        return
    # 1. SIGTERM, then resume on another thread count
    out = os.path.join(tmp, f"{name}.h5")
    partial = out + ".partial"
    p = start(binary, inp, out, trials)
    if not check(stop_after(p, partial, 2, signal.SIGTERM),
                 f"{name}: SIGTERM reached the run mid-way"):
        return
    k, _ = records(partial)
    check(p.returncode == 75 and "--resume" in p.err,
          f"{name}: SIGTERM exits 75 and says how to resume (exit {p.returncode}: "
          f"{p.err.strip()[:160]})")
    check(not os.path.exists(out) and leftovers(tmp, {os.path.basename(partial)}) == [],
          f"{name}: nothing under the output's name, no temporary ({leftovers(tmp, set())})")
    check(k >= 2, f"{name}: the checkpoint holds {k} blocks")
    r = run(binary, inp, out, trials, "--resume", threads=2)
    check(r.returncode == 0, f"{name}: --resume completes ({r.stderr.strip()[:200]})")
    diff = same_files(ref, out) if r.returncode == 0 else "no output"
    check(diff is None, f"{name}: resumed after SIGTERM == uninterrupted ({diff})")
    check(not os.path.exists(partial), f"{name}: the checkpoint is removed once complete")
    os.remove(out)
    # 2. SIGKILL, the last record cut short
    p = start(binary, inp, out, trials)
    if not check(stop_after(p, partial, 3, signal.SIGKILL),
                 f"{name}: SIGKILL reached the run mid-way"):
        return
    k, starts = records(partial)
    with open(partial, "r+b") as fh:
        fh.truncate(starts[-1][0] + 40)  # into the last record's payload
    # the killed run's temporary (streamed: written from the start) stays ...
    killed = [f for f in os.listdir(tmp) if f.startswith(name + ".h5.tmp.")]
    check(len(killed) == 1 and os.path.getsize(os.path.join(tmp, killed[0])) > 0,
          f"{name}: SIGKILL leaves the run's temporary ({killed})")
    r = run(binary, inp, out, trials, "--resume", quiet=False)
    check(r.returncode == 0 and f"resumed: {starts[-2][1]} of {trials} trials" in r.stderr
          and "is cut short" in r.stderr,
          f"{name}: --resume after SIGKILL drops the torn record ({r.stderr.strip()[:200]})")
    diff = same_files(ref, out) if r.returncode == 0 else "no output"
    check(diff is None, f"{name}: resumed after SIGKILL == uninterrupted ({diff})")
    # ... until --resume, holding the checkpoint's lock, removes it
    check(leftovers(tmp, {os.path.basename(out)}) == [],
          f"{name}: --resume removes the killed run's temporary ({leftovers(tmp, set())})")
    for f in os.listdir(tmp):
        if f.startswith(name + ".h5"):
            os.remove(os.path.join(tmp, f))


def other_signals(binary, tmp):
    """The signals a scheduler may send ahead of its kill stop the run as SIGTERM does: exit 75,
    the checkpoint kept, no temporary (SIGUSR1 and SIGUSR2, which Slurm's --signal=USR1@120 and
    many sites use, and SIGXCPU, a CPU-time limit's warning, had ended the process at once,
    losing the block in flight and leaving OUT.h5.tmp.PID)."""
    name, inp, trials = models(tmp)[0]
    out = os.path.join(tmp, "signals.h5")
    partial = out + ".partial"
    # not SIGHUP: under nohup (as CI runs) it is ignored, and a run keeps an ignored signal
    # ignored by design (model/main.c, arm_signal_cleanup)
    for sig in (signal.SIGUSR1, signal.SIGUSR2, signal.SIGXCPU):
        p = start(binary, inp, out, trials)
        if not check(stop_after(p, partial, 2, sig), f"signals: {sig.name} reached the run mid-way"):
            continue
        check(p.returncode == 75 and os.path.exists(partial) and
              leftovers(tmp, {os.path.basename(partial)}) == [],
              f"signals: {sig.name} stops the run, exit 75, the checkpoint kept, no temporary "
              f"(exit {p.returncode}, {leftovers(tmp, set())})")
        for f in (partial, out):  # what a failed check left, so the next starts clean
            if os.path.exists(f):
                os.remove(f)


def refusals(binary, tmp):
    name, inp, trials = models(tmp)[0]
    out = os.path.join(tmp, "refuse.h5")
    partial = out + ".partial"
    p = start(binary, inp, out, trials)
    if not check(stop_after(p, partial, 3, signal.SIGTERM), "refusals: a stopped run to refuse"):
        return
    with open(partial, "rb") as fh:
        good = fh.read()

    def refused(args, what, needle):
        r = run(binary, inp, out, trials, *args)
        ok = r.returncode == 2 and needle in r.stderr and not os.path.exists(out)
        check(ok, f"refused: {what} (exit {r.returncode}: {r.stderr.strip()[:220]})")

    refused(["--resume", "-s", "7"], "another seed, naming the line", "seed=7")
    refused(["--resume", "--kernel", "ref"], "another kernel", "kernel=ref")
    refused([], "a run over an existing checkpoint without --resume", "--resume continues")
    with open(partial, "rb") as fh:
        check(fh.read() == good, "refused: the checkpoint is left as it was")
    _, starts = records(partial)
    bad = bytearray(good)
    bad[starts[1][0] + 32 + 8] ^= 0x01  # a bit of the second record's payload
    with open(partial, "wb") as fh:
        fh.write(bad)
    r = run(binary, inp, out, trials, "--resume", quiet=False)
    ref = os.path.join(os.path.dirname(out), f"{name}_ref.h5")
    diff = same_files(ref, out) if r.returncode == 0 else "no output"
    check(r.returncode == 0 and f"resumed: {starts[0][1]} of" in r.stderr
          and "record 1 fails its CRC-32" in r.stderr and diff is None,
          f"a damaged record: it and the records after it are dropped, their trials run again, "
          f"the file is the uninterrupted one's ({diff}; {r.stderr.strip()[-200:]})")
    os.remove(out)
    # a record whose CRC-32 holds but whose coding does not: 8 bytes more than
    # its words take, the head's size and the CRC-32 made to match
    at = starts[0][0]
    (frm, to, size) = struct.unpack_from("=QQQ", good, at + 8)
    head = struct.pack("=QQQ", frm, to, size + 8)
    payload = good[at + 32:at + 32 + size] + b"\0" * 8
    forged = (good[:at] + good[at:at + 8] + head + payload
              + struct.pack("=I", zlib.crc32(head + payload)) + good[at + 32 + size + 4:])
    with open(partial, "wb") as fh:
        fh.write(forged)
    refused(["--resume"], "a record whose CRC-32 holds but not its coding",
            "not coded as gridrisk codes them")
    with open(partial, "rb") as fh:
        check(fh.read() == forged, "refused: the forged checkpoint is left as it was")
    with open(partial, "wb") as fh:
        fh.write(good[:starts[0][0]] + b"\0" * 4096)  # the header, then a power cut's zeros
    r = run(binary, inp, out, trials, "--resume", quiet=False)
    diff = same_files(ref, out) if r.returncode == 0 else "no output"
    check(r.returncode == 0 and "record 0 is not a record" in r.stderr and diff is None,
          f"zeros after the header: dropped, every trial run ({diff}; {r.stderr.strip()[-160:]})")
    os.remove(out)
    with open(partial, "wb") as fh:
        fh.write(good)
    with open(partial, "wb") as fh:
        fh.write(b"name: not a checkpoint\n")
    refused(["--resume"], "a file that is not a checkpoint", "not a gridrisk checkpoint")
    with open(partial, "rb") as held:  # as a run still in its grace period holds it
        fcntl.flock(held, fcntl.LOCK_EX)
        refused(["--resume"], "a checkpoint another run holds (flock)", "in use by another")
    os.remove(partial)
    refused(["--resume"], "--resume without a checkpoint", "no checkpoint")


def rse(f, n):
    """The largest sd / sqrt(n) / |mean| of LOLE and EUE over the first n trials."""
    worst = 0.0
    for name in ("shed_hours", "unserved_mwh"):
        x = f[name][0, :n, :].mean(axis=1)
        sd = x.std(ddof=1)
        worst = max(worst, 0.0 if sd == 0 else sd / np.sqrt(n) / abs(x.mean()))
    return worst


def harness_block(chunk, trials):
    """model/harness.c's block: a 64th of the run, at least 16 chunks, at most 256."""
    return min(max(-(-trials // 64), 16 * chunk), 256 * chunk)


def precision(binary, tmp):
    name, inp, cap = models(tmp)[1]
    cap, target = 200000, 0.05
    block = harness_block(64, cap)  # RBTS: chunks of 64 trials (model/sim.c)
    out = os.path.join(tmp, "precise.h5")
    r = run(binary, inp, out, cap, "--target-rse", str(target), quiet=False)
    if not check(r.returncode == 0 and "precision:" in r.stderr,
                 f"precision: RBTS with --target-rse {target} ({r.stderr.strip()[:200]})"):
        return
    with h5py.File(out, "r") as f:
        n = int(f.attrs["trials"])
        now, before = rse(f, n), rse(f, n - block) if n > block else float("inf")
    check(n < cap and n % block == 0,
          f"precision: stopped at {n} trials, {n // block} whole blocks of {block}")
    check(now < target <= before,
          f"precision: the first block meeting the target: RSE {now:.4f} at {n}, {before:.4f} at "
          f"{n - block}")
    fixed = os.path.join(tmp, "fixed.h5")
    r = run(binary, inp, fixed, n)
    diff = same_files(out, fixed) if r.returncode == 0 else "no fixed run"
    check(diff is None, f"precision: equals the fixed run of {n} trials ({diff})")
    name, inp, cap = models(tmp)[0]
    out = os.path.join(tmp, "capped.h5")
    r = run(binary, inp, out, cap, "--target-rse", "0.001", quiet=False)
    check(r.returncode == 0 and "not reached" in r.stderr,
          f"precision: a target the economic model cannot reach runs to the cap "
          f"({r.stderr.strip()[-160:]})")
    ref = os.path.join(tmp, f"{name}_ref.h5")
    diff = same_files(ref, out) if r.returncode == 0 else "no output"
    check(diff is None, f"precision: ... and equals the fixed run of the cap ({diff})")
    # a system without loss of load in its first blocks: a mean of 0 is not a precise 0
    toy = os.path.join(REPO, "inputs", "pras", "toymodel.pras")
    out = os.path.join(tmp, "toy.h5")
    r = run(binary, toy, out, 640, "--target-rse", "0.5", quiet=False)
    first = harness_block(16, 640)  # the network model: chunks of 16 trials (model/netsim.c)
    with h5py.File(out, "r") as f:
        n = int(f.attrs["trials"]) if r.returncode == 0 else 0
        lole = f["shed_hours"][0, :, :].mean() if n else -1
        premise = n >= first and f["shed_hours"][0, :first, :].sum() == 0
    check(r.returncode == 0 and premise and (n == 640 or lole > 0),
          f"precision: no stop on a mean of 0 (toymodel: no loss of load in the first block of "
          f"{first}: {premise}; {n} trials, LOLE {lole})")


def main():
    if len(sys.argv) not in (2, 3) or sys.argv[2:] not in ([], ["--quick"]):
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        for name, inp, trials in models(tmp, MODELS[:1] if sys.argv[2:] else MODELS):
            model_checks(binary, name, inp, trials, tmp)
        refusals(binary, tmp)
        other_signals(binary, tmp)
        precision(binary, tmp)
    print(f"resume: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
