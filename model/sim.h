/*
 * sim.h - the Monte Carlo driver: trials in parallel, results in arrays.
 *
 * sim_run simulates trials [0, trials) of a scenario with OpenMP over trials
 * (the loop is harness.h's): the adequacy model, or the economic model
 * (pakistan.h) when the scenario has an economics section.
 * Each thread owns its scratch buffers and its loss-of-load counters (summed
 * in integer arithmetic at the end), each trial writes only its own rows of
 * the result arrays, and every random number is addressed by (seed, stream,
 * trial, draw): the results are bit-identical for any thread count and any
 * OMP_SCHEDULE.
 */
#ifndef GR_SIM_H
#define GR_SIM_H

#include "../inputs/scenario.h"
#include "err.h"
#include "results.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* The same choice for every model: ref uses the reference variant of every
 * kernel that has one (adequacy: the hour-by-hour scan; economic: the
 * bisection hydro solver, every hour by the full path). All give the same
 * results bit for bit, but the economic model's ref: its hydro solver lands
 * within the fast one's tolerance (1e-9 of a month's budget). */
typedef enum {
    SIM_KERNEL_FAST = 0,  /* adequacy: difference array, block skips (no sort);
                             hydro solver by Newton steps */
    SIM_KERNEL_REF = 1,   /* plain baselines: hour by hour, bisection */
    SIM_KERNEL_EVENTS = 2 /* adequacy: sorted events, segment scan (fast
                             before 2026-11); economic: every hour by the
                             hourly loop's full path (none settled a month
                             at a time); other models as fast */
} sim_kernel_t;

/* "fast", "ref" or "events"; sim_kernel_parse: 0 and *k, or -1. */
const char *sim_kernel_name(sim_kernel_t k);
int sim_kernel_parse(const char *name, sim_kernel_t *k);

/* Where a streamed run's finished trials go (outputs/h5out.h implements it):
 * the results hold two blocks of trials at a time (results_stream), and the
 * harness hands each finished block to write, in order, from one thread
 * while the others run the next block (a resumed run's blocks from the
 * checkpoint first). */
typedef struct {
    void *ctx;
    /* Before the first trial (and before a resumed run's blocks): r's shape. */
    int (*open)(void *ctx, const results_t *r, gr_err_t *err);
    /* Trials [from, to), held in r. */
    int (*write)(void *ctx, const results_t *r, uint64_t from, uint64_t to, gr_err_t *err);
    /* Across MPI ranks, a file every rank writes (else NULL): open is called
     * on every rank, write on rank 0 for every block (in order, rank 0 holds
     * the rows of all: the checkpoint needs them), and write_own on every
     * rank for its own block of each round (collective; from == to when it
     * has none), rank 0 between its own block's write and the next's; and
     * for each block a resumed run reads back (rank 0's rows, the others
     * none). */
    int (*write_own)(void *ctx, const results_t *r, uint64_t from, uint64_t to, gr_err_t *err);
} sim_sink_t;

/* Where the trial loop keeps its finished trials (outputs/ckpt.h implements
 * it): the harness runs the trials in blocks, in order, and after each block
 * hands the rows of the finished trials and the totals so far to flush, from
 * one thread while the others wait. */
typedef struct {
    void *ctx;
    /* Before the first trial. A fresh run sets *done = 0 (and may write a
     * header: the run's identity and r's shape, block and blob_len); a resumed
     * run checks the stored header against them, reads the rows of trials
     * [0, *done) into r (a streamed run's a block at a time, each handed to
     * sink), the loss-of-load counts so far into r->lol_count and the
     * model's totals into blob[blob_len]. */
    int (*begin)(void *ctx, results_t *r, uint64_t block, size_t blob_len, uint64_t *done,
                 unsigned char *blob, const sim_sink_t *sink, gr_err_t *err);
    /* After a block: keeps the rows of trials [from, to), r->lol_count and
     * blob (both totals over trials [0, to)); sync: make it durable now. */
    int (*flush)(void *ctx, const results_t *r, uint64_t from, uint64_t to,
                 const unsigned char *blob, size_t blob_len, int sync, gr_err_t *err);
} sim_ckpt_t;

typedef struct {
    uint32_t seed;
    uint64_t trials;
    int threads; /* 0: OpenMP's default */
    sim_kernel_t kernel;
    /* Sobol base points N of the economic model's sensitivity design
     * (model/sens.h): 0 none; else at least SENS_MIN_BASE and trials / 2. */
    uint64_t sobol_base;
    /* 1: no rank correlations or tornado either (callers that read the
     * results themselves and never write them, e.g. the frontier) */
    int skip_sensitivity;
    /* Called from one thread now and then, never concurrently; may be NULL. */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *progress_ctx;
    /* NULL: every trial stays in the results until the run ends. Else the
     * run is streamed: the model makes its results a window of two blocks
     * (harness_window) and the finished blocks go here (across MPI ranks,
     * every rank's own blocks into one file, and every block to rank 0 for
     * the rest, model/par.h). Not with a precision
     * target or a Sobol design, which read the whole run. */
    const sim_sink_t *sink;
    /* NULL: no checkpoint (the frontier and the Sobol design never keep one). */
    const sim_ckpt_t *ckpt;
    /* Set (by a signal handler) to stop: the trials in flight finish, the
     * block they belong to is dropped, and the run returns GR_ESTOPPED after
     * the checkpoint's last flush. May be NULL. */
    const atomic_int *stop;
    /* Optional (the precision target, model/precision.h): asked after each
     * block but the last, with trials [0, done) finished; nonzero ends the
     * run there, its results a run of `done` trials (results_shrink). */
    int (*enough)(void *ctx, const results_t *r, uint64_t done);
    void *enough_ctx;
} sim_opts_t;

/* Adequacy metrics, in results order. */
enum { SIM_M_SHED_HOURS, SIM_M_UNSERVED_MWH, SIM_M_SHED_EVENTS, SIM_N_ADEQUACY };

/* Trials per scheduling chunk (harness_model_t.chunk) of the adequacy and
 * economic models: cheap trials (RBTS: a few microseconds) in chunks of 64
 * keep scheduling and the progress counter off the profile; costly ones
 * (tens of ms) in chunks of 4 balance the threads. A streamed run's window
 * is harness_window of it (two blocks). */
enum { SIM_CHUNK_ADEQUACY = 64, SIM_CHUNK_ECONOMIC = 4 };
extern const metric_info_t sim_adequacy_metrics[SIM_N_ADEQUACY];

int sim_run(const scenario_t *sc, const sim_opts_t *opts, results_t **out, gr_err_t *err);

/* Expected outage spans over the horizon: their sum over units and the
 * largest unit's. The adequacy scratch is sized from them (and the memory
 * estimate in runmem.c counts that scratch). */
void sim_expected_spans(const scenario_t *sc, double *total, double *max);

#endif
