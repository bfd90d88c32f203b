/*
 * harness.c - see harness.h.
 */
#include "harness.h"

#include "par.h"

#include <omp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A checkpoint is made durable (fdatasync) at most this often: a write
 * already survives the process being killed; the sync is for the machine. */
#define HARNESS_SYNC_EVERY_S 10.0

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

uint64_t harness_block(int chunk, uint64_t trials)
{
    const uint64_t c = chunk > 0 ? (uint64_t)chunk : 1;
    const uint64_t b = trials / 64 + (trials % 64 != 0);
    return b < 16 * c ? 16 * c : b > 256 * c ? 256 * c : b;
}

/* What the threads share between blocks. */
typedef struct {
    atomic_int failed;  /* a thread ran out of memory */
    atomic_int dropped; /* a trial of this block was skipped for a stop */
    int flush_rc;       /* the checkpoint's error, if any */
    /* Whether every thread leaves after this block: written only in the
     * omp single after a block, read by all after its barrier; the next
     * write comes after the next block's barrier, when all have read it. */
    int leave;
} shared_t;

static int stop_requested(const sim_opts_t *o)
{
    return o->stop && atomic_load_explicit(o->stop, memory_order_relaxed);
}

int harness_run(const harness_model_t *m, const void *model, void *sum, const sim_opts_t *opts,
                results_t *r, gr_err_t *err)
{
    const double t0 = now_s();
    if (!getenv("OMP_SCHEDULE"))
        omp_set_schedule(omp_sched_dynamic, m->chunk);
    const int nthreads = opts->threads > 0 ? opts->threads : omp_get_max_threads();
    const uint64_t T = opts->trials;
    const uint64_t batch = m->chunk > 0 ? (uint64_t)m->chunk : 1;
    const uint64_t B = harness_block(m->chunk, T);
    /* MPI: this rank's blocks are every P-th from its own (no checkpoint, no
     * precision target: main allows them on one rank only) */
    const uint64_t P = (uint64_t)par_size(), first = (uint64_t)par_rank() * B;
    const size_t n_lol = r->n_scen * r->years * r->hours;
    const sim_ckpt_t *ck = opts->ckpt;
    const size_t blob_len = ck && m->sum_bytes ? m->sum_bytes(model) : 0;
    unsigned char *blob = blob_len ? malloc(blob_len) : NULL;
    if (blob_len && !blob)
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    uint64_t start = 0;
    if (ck) {
        const int rc = ck->begin(ck->ctx, r, B, blob_len, &start, blob, err);
        if (rc) {
            free(blob);
            return rc;
        }
        if (start > 0 && blob_len)
            m->sum_load(sum, model, blob);
    }
    int reached = 0; /* opts->enough ended the run at finished */
    /* a resumed run whose checkpoint ends where its target was met (a stop
     * or a kill between that block's flush and the end) ends there too */
    if (start > 0 && start < T && opts->enough && opts->enough(opts->enough_ctx, r, start))
        reached = 1;
    atomic_uint_fast64_t done = start;
    shared_t sh;
    atomic_init(&sh.failed, 0);
    atomic_init(&sh.dropped, 0);
    sh.flush_rc = 0;
    sh.leave = 0;
    gr_err_t flush_err = {0, {0}};
    uint64_t finished = start; /* trials [0, finished) are in r and the totals */
    int stopped = 0;           /* a stop ended the run at finished */
    double last_sync = now_s();
    int failed = 0, used_threads = 1;

#pragma omp parallel num_threads(nthreads) reduction(| : failed)
    {
        void *ws = calloc(1, m->ws_size);
        int ok = ws && m->ws_init(ws, model) == 0;
#pragma omp single
        used_threads = omp_get_num_threads();
        double last = now_s();
        uint64_t mine = 0;
        for (uint64_t b0 = start + first; b0 < T && !reached; b0 += P * B) {
            const uint64_t b1 = T - b0 > B ? b0 + B : T;
#pragma omp for schedule(runtime)
            for (uint64_t t = b0; t < b1; ++t) {
                if (!ok)
                    continue;
                if (stop_requested(opts)) {
                    atomic_store_explicit(&sh.dropped, 1, memory_order_relaxed);
                    continue;
                }
                if (m->trial(model, ws, r, t)) {
                    ok = 0;
                    continue;
                }
                /* progress: one shared add per chunk of trials, not per
                 * trial, so the counter's cache line does not bounce */
                if (++mine == batch) {
                    const uint64_t d =
                        atomic_fetch_add_explicit(&done, mine, memory_order_relaxed) + mine;
                    mine = 0;
                    if (opts->progress && omp_get_thread_num() == 0 && now_s() - last > 0.2) {
                        opts->progress(opts->progress_ctx, d, T);
                        last = now_s();
                    }
                }
            }
            /* Integer sums: the total is the same in any order. */
#pragma omp critical(gr_harness_sum)
            if (ok) {
                int64_t *lol = m->lol(ws);
                for (size_t i = 0; i < n_lol; ++i)
                    r->lol_count[i] += lol[i];
                if (m->ws_merge) /* before the zeroing: lol may be part of its totals */
                    m->ws_merge(sum, ws);
                memset(lol, 0, n_lol * sizeof *lol);
            } else
                atomic_store(&sh.failed, 1);
#pragma omp barrier
#pragma omp single
            {
                if (atomic_load(&sh.dropped) || atomic_load(&sh.failed)) {
                    sh.leave = 1;
                    stopped = !atomic_load(&sh.failed);
                } else {
                    finished = b1;
                    if (ck) {
                        if (blob_len)
                            m->sum_save(sum, model, blob);
                        const int stopping = stop_requested(opts);
                        const int sync =
                            b1 == T || stopping || now_s() - last_sync >= HARNESS_SYNC_EVERY_S;
                        const int rc =
                            ck->flush(ck->ctx, r, b0, b1, blob, blob_len, sync, &flush_err);
                        if (sync)
                            last_sync = now_s();
                        if (rc) {
                            sh.flush_rc = rc;
                            sh.leave = 1;
                        }
                    }
                    /* the target first: a run that has met it is complete */
                    if (opts->enough && b1 < T && opts->enough(opts->enough_ctx, r, b1))
                        sh.leave = reached = 1;
                    else if (stop_requested(opts) && b1 < T)
                        sh.leave = stopped = 1;
                }
            } /* the single's barrier: every thread sees the same leave */
            if (sh.leave)
                break;
        }
        failed |= !ok;
        if (ws)
            m->ws_free(ws);
        free(ws);
    }
    free(blob);
    /* one verdict for every rank, before any rank waits in par_combine */
    const int mine = failed ? 3 : sh.flush_rc ? 2 : stopped ? 1 : 0;
    const int all = P > 1 ? par_max_int(mine) : mine;
    if (failed)
        return gr_err_set(err, GR_ERUNTIME, "out of memory in a worker thread");
    if (sh.flush_rc) {
        *err = flush_err;
        return err->code ? err->code : GR_ERUNTIME;
    }
    if (stopped)
        return gr_err_set(err, GR_ESTOPPED, "stopped by a signal after %llu of %llu trials",
                          (unsigned long long)finished, (unsigned long long)T);
    if (all)
        return gr_err_set(err, all == 1 ? GR_ESTOPPED : GR_ERUNTIME, "another MPI rank %s",
                          all == 1 ? "was stopped" : "failed");
    if (P > 1 && (par_combine(r) || (m->sum_reduce && m->sum_reduce(sum, model))))
        return gr_err_set(err, GR_ERUNTIME, "MPI: combining the ranks' results failed");
    if (reached)
        results_shrink(r, finished);
    if (opts->progress)
        opts->progress(opts->progress_ctx, finished, finished);
    r->seed = opts->seed;
    r->threads = used_threads;
    r->ranks = (int)P;
    r->wall_s = now_s() - t0;
    return GR_OK;
}
