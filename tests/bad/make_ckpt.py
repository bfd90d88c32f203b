#!/usr/bin/python3
"""Writes the bad checkpoints of the catalogue's resume_* cases (outputs/ckpt.h) into DIR.

A checkpoint is "GRIDCKPT", a u64 length n, n bytes of header text and the text's SHA-256,
then records. Each file here breaks one rule of the header; the records' rules are checked by
tests/check_resume.py on real checkpoints and by the fuzzer (tests/fuzz/fuzz_ckpt.c).
Usage: /usr/bin/python3 tests/bad/make_ckpt.py DIR
"""
import hashlib
import os
import struct
import sys

FOREIGN = (b"format=gridrisk checkpoint 4\nbyte_order=little\nbuild=gridrisk 0.0 (an old build)\n"
           b"inputs_sha256=00\nseed=1\ntrials=10\nkernel=fast\ncopper_plate=0\n")
# a checkpoint of format 2 (every word written): refused at its first line
FORMAT2 = FOREIGN.replace(b"checkpoint 4", b"checkpoint 2")
# a checkpoint of format 3 (each record the run's loss-of-load totals, not its block's counts):
# refused at its first line, not read as counts
FORMAT3 = FOREIGN.replace(b"checkpoint 4", b"checkpoint 3")


def header(text, digest=None, length=None):
    n = len(text) if length is None else length
    return (b"GRIDCKPT" + struct.pack("=Q", n) + text
            + (hashlib.sha256(text).digest() if digest is None else digest))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    files = {
        "ckpt_empty.bin": b"",
        "ckpt_text.bin": b"name: this is a scenario, not a checkpoint\n",
        "ckpt_header_cut.bin": header(FOREIGN)[:40],
        "ckpt_header_huge.bin": header(FOREIGN, length=1 << 40),
        "ckpt_header_zero.bin": header(b"", length=0),
        "ckpt_header_digest.bin": header(FOREIGN, digest=b"\0" * 32),
        "ckpt_foreign.bin": header(FOREIGN),
        "ckpt_format2.bin": header(FORMAT2),
        "ckpt_format3.bin": header(FORMAT3),
    }
    for name, data in files.items():
        with open(os.path.join(out, name), "wb") as fh:
            fh.write(data)


if __name__ == "__main__":
    main()
