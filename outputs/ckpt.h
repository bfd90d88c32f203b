/*
 * ckpt.h - a run's checkpoint: its finished trials, kept beside the output
 * as they finish, so that a run stopped by its scheduler (SIGTERM), killed
 * or crashed can be continued with `gridrisk run ... --resume`.
 *
 * The file (OUT.h5.partial, CKPT_SUFFIX) is an append-only log, not HDF5: a
 * process killed in the middle of an HDF5 write can leave the whole file
 * unreadable, while a log killed mid-append loses only the record it was
 * writing. It holds, in the machine's byte order:
 *   header  "GRIDCKPT", u64 n, n bytes of text, SHA-256 of the text;
 *   record  "GRIDBLK3", u64 from, u64 to, u64 n, n bytes of payload,
 *           u32 CRC-32 (zlib's) of the 24 bytes of from, to, n and of the
 *           payload (format 1 had a SHA-256 there: 0.035 s of a 2.1 s RBTS
 *           run, for a check against torn writes and damaged sectors, not
 *           against an adversary, whose header text would not match).
 * The payload's 8-byte words (the rows' doubles, the loss-of-load counts)
 * are coded in groups of 64: a u64 mask whose bit i says the group's word i
 * is not all zero bits, then those words (format 2 wrote every word: 56 MB
 * for 2 million RBTS trials, 12 MB now); the model's totals follow as they
 * are. Groups start again at each contiguous run of words: each per-trial
 * array's rows of the block (in results_row_arrays' order, a run per
 * leading index), then the loss-of-load table; a run's last group is short,
 * its mask's bits past its end zero.
 * The header's text ("key=value" lines) is the run's identity: the format,
 * the byte order, the build, the inputs' SHA-256, the seed, the trials, the
 * kernel, and the shape of the results. A resumed run must have the same
 * text, line for line, or it is refused naming the first line that differs.
 * A record is one block of trials (harness.h), [from, to), in order: the
 * block's rows of every per-trial array of the results, then the block's
 * own loss-of-load counts (format 3 wrote the run's totals over [0, to),
 * whose tables grow dense as a run goes on: 27% of an RBTS block's hours
 * have a count, 67% of the run's) and the model's totals over [0, to).
 *
 * Reading it back treats the file as untrusted input: every length is
 * checked against what the header implies (a record's n against the most
 * its block can take) before anything is read, a
 * record must continue where the last one ended, and its digest must match.
 * The first record cut short, out of place or failing its digest ends the
 * log: it and all after it are dropped (a write the process did not finish,
 * zeros after a power cut), the file is truncated there and those trials
 * run again (a record whose n exceeds the most its block can take is out
 * of place: dropped before its digest is read). A block's loss-of-load
 * counts outside [0, its trials], or words not coded as gridrisk codes them (a mask
 * bit past a group's end, a payload longer or shorter than its words), in
 * a record whose digest holds are refused: the file was not written by
 * gridrisk (a mask bit for a word of zero bits, which gridrisk never
 * writes, reads as that zero). The reader never reads past a record's n
 * bytes. A file is used by one run at a time (flock).
 */
#ifndef GR_CKPT_H
#define GR_CKPT_H

#include "../model/err.h"
#include "../model/results.h"
#include "../model/sim.h"

#include <stddef.h>
#include <stdint.h>

#define CKPT_SUFFIX ".partial"

typedef struct ckpt ckpt_t;

/* The checkpoint's path for the output path out; -1 if it does not fit. */
int ckpt_path(char *buf, size_t n, const char *out);

/* Opens the checkpoint at path for a run whose identity is ident
 * ("key=value\n" lines: the build, the inputs, the options that decide the
 * results). resume: continue the file there (it must exist); else create it
 * (it must not exist: a stopped run's trials are never overwritten
 * silently). */
int ckpt_open(ckpt_t **out, const char *path, const char *ident, int resume, gr_err_t *err);

/* The interface the harness uses (sim_opts_t.ckpt); valid until ckpt_close. */
const sim_ckpt_t *ckpt_iface(const ckpt_t *c);

/* The checkpoint's path. */
const char *ckpt_file(const ckpt_t *c);

/* Trials read back by a resumed run (0 before begin or for a fresh one), the
 * bytes of the damaged or unfinished tail it dropped, and why ("" if none). */
uint64_t ckpt_resumed_trials(const ckpt_t *c);
uint64_t ckpt_dropped_bytes(const ckpt_t *c);
const char *ckpt_dropped_why(const ckpt_t *c);

/* Whether the file stays when the run ends unfinished (ckpt_close): it was
 * given to --resume, or it holds a finished block. */
int ckpt_kept(const ckpt_t *c);

/* Whether this run holds the file's lock (flock succeeded): no other
 * gridrisk run with this checkpoint runs meanwhile. 0 where the file system
 * has no locks. */
int ckpt_locked(const ckpt_t *c);

/* Closes it. complete: the run's output is written, and the file goes.
 * Else it is made durable and kept, unless this run created it and put no
 * trial in it (a file given to --resume is never removed unless complete).
 * NULL is a no-op. */
int ckpt_close(ckpt_t *c, int complete, gr_err_t *err);

#endif
