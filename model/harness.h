/*
 * harness.h - the one trial loop every model runs in (as XSBench keeps one
 * driver loop for all its kernels).
 *
 * The harness owns what is the same for every model: the OpenMP team and
 * its schedule (dynamic unless OMP_SCHEDULE says otherwise), one scratch
 * workspace per thread allocated before the loop and freed after it (the
 * loop itself never allocates), the progress counter, the failure flag, the
 * integer sum of the threads' loss-of-load counters and the run facts
 * (threads, wall time). A model plugs in its trial body through a
 * harness_model_t.
 *
 * The trials run in blocks, in order (harness_block trials each, the same for
 * any thread count; under MPI, model/par.h, rank k of P runs blocks k, k + P,
 * ..., each rank writes its own block of each round into a file every rank writes
 * (sim_sink_t.write_own), each round's blocks go to rank 0 in order, and a checkpoint is
 * rank 0's). After each
 * block the threads add their counters into the totals and zero them, and a streamed run
 * (sim_opts_t.sink) points its window of two blocks' rows at the next block's half; then one
 * thread (the master) hands the block to the checkpoint, if any (sim_opts_t.ckpt: the block's
 * rows and the totals so far), and the sink, while the others run the next block, which it joins
 * when done. A stop request ends the run at the end of the block in flight, whose trials are
 * dropped.
 *
 * Invariants the model must keep for the results to be bit-identical for
 * any thread count and schedule: trial t writes only its own rows of the
 * results, draws every random number from streams keyed by (seed, trial),
 * and counts loss of load only in its workspace's lol array.
 */
#ifndef GR_HARNESS_H
#define GR_HARNESS_H

#include "err.h"
#include "results.h"
#include "sim.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    size_t ws_size; /* bytes of one thread's workspace */
    /* Trials per scheduling chunk (and per shared progress update) when
     * OMP_SCHEDULE is not set: large for cheap trials, small for costly ones. */
    int chunk;
    /* Fills a zeroed workspace; 0 or -1 (out of memory). ws_free is called
     * after it either way, so it must leave ws freeable. */
    int (*ws_init)(void *ws, const void *model);
    void (*ws_free)(void *ws);
    /* Simulates trial t into r's rows of trial t; 0 or -1 (out of memory). */
    int (*trial)(const void *model, void *ws, results_t *r, uint64_t t);
    /* The workspace's loss-of-load counters, laid out as r->lol_count (the
     * harness adds them into r and zeroes them after each block). */
    int64_t *(*lol)(void *ws);
    /* Optional: adds a workspace's own totals into sum and zeroes them, one
     * thread at a time. */
    void (*ws_merge)(void *sum, void *ws);
    /* Optional, when sum holds results (integer sums that end up in r, not
     * timings): its size in bytes, and its copy to and from a checkpoint. */
    size_t (*sum_bytes)(const void *model);
    void (*sum_save)(const void *sum, const void *model, unsigned char *buf);
    void (*sum_load)(void *sum, const void *model, const unsigned char *buf);
    /* Optional, likewise: sums sum over the MPI ranks, on every rank (par.h); 0 or -1. */
    int (*sum_reduce)(void *sum, const void *model);
    /* Required with sum_bytes: adds a saved sum (sum_save's bytes) into sum
     * (rank 0 of a checkpointed run across ranks adds each block's). */
    void (*sum_add)(void *sum, const void *model, const unsigned char *buf);
} harness_model_t;

/* Seconds on the monotonic clock (the runs' timings). */
double harness_now_s(void);

/* Trials per block: a 64th of the run, at least 16 scheduling chunks and
 * at most 256 (a checkpoint's record is a block). Each block ends in a
 * barrier, where the threads wait for the block's last trial: with blocks of
 * a chunk or two, that wait cost a small Pakistan run on 2 threads a fifth of
 * its time; at 16 chunks it is a few per cent on 2 threads. The block cannot
 * depend on the thread count (a resumed run may use another), so on 16 or
 * more threads a small run's blocks are a chunk per thread and the wait
 * returns: give such runs trials enough for blocks of 256 chunks. */
uint64_t harness_block(int chunk, uint64_t trials);

/* Trials per scheduling chunk on `threads` threads: the model's chunk, or
 * less in a small run, so that a block holds at least 16 chunks a thread
 * (a run shorter than a block, fewer: the chunk is the block's).
 * A block ends in a barrier, where the threads wait for its last chunk: on
 * 400 RTS-GMLC trials (blocks of 256 and 144) chunks of 8 rather than 16
 * took 0.96 of the time on 2 threads (medians of 8 runs in one process,
 * 0.085 s against 0.089 s). Results do not depend on it (a trial's rows are
 * its own). */
int harness_chunk(int chunk, uint64_t trials, int threads);

/* Writes a zero into every page of [p, p + bytes), memory that must be all
 * zero already (calloc's, nothing added yet), before any thread reads it: for memory that is read
 * and then written, such as totals a model adds into (ws_merge) or counts
 * merged and then zeroed. A fresh page that is read first maps the shared
 * zero page; the write that follows replaces it and must flush the TLB of
 * every processor running the process, an interrupt to each of the other
 * threads (costly in a virtual machine). A page written first gets a page
 * of its own, no flush. Merging the RTS-GMLC's step totals (1.4 MB a
 * thread) the first way took 8 ms of block_end on 2 threads against 1 ms on
 * 1, a tenth of a 400-trial run. */
void harness_touch(void *p, size_t bytes);

/* Rows of a streamed run's window: two blocks (one running, the one before it
 * being written meanwhile), or every trial when the run is shorter. */
uint64_t harness_window(int chunk, uint64_t trials);
/* Rows of the results a run of opts needs: all its trials, or for a streamed
 * run (opts->sink) harness_window; results_new(harness_rows(...)), the
 * splits added, then harness_stream. */
uint64_t harness_rows(int chunk, const sim_opts_t *opts);
void harness_stream(results_t *r, const sim_opts_t *opts);

/* Every MPI rank's status of its setup before harness_run (collective; each
 * rank calls it once, on its error path or just before harness_run): a rank
 * that could not allocate its results must not leave the others waiting in
 * the run's first exchange. Returns rc, or GR_ERUNTIME when another rank
 * failed; without MPI, rc. */
int harness_agree(int rc, gr_err_t *err);

/* Runs trials [0, opts->trials) of model through m into r (allocated by the
 * caller for harness_rows rows, lol_count zero; a streamed run's rows are
 * in its sink, and its window holds nothing at the end) and sets r's run facts (seed, threads,
 * ranks, wall_s: the time of the trial loop). sum is passed to m->ws_merge. GR_ESTOPPED when
 * opts->stop was set before the last block finished. */
int harness_run(const harness_model_t *m, const void *model, void *sum, const sim_opts_t *opts,
                results_t *r, gr_err_t *err);

#endif
