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

uint64_t harness_rows(int chunk, const sim_opts_t *opts)
{
    const uint64_t T = opts->trials, B = harness_block(chunk, T);
    return opts->sink && B < T ? B : T;
}

int harness_agree(int rc, gr_err_t *err)
{
    if (par_size() < 2)
        return rc;
    const int all = par_max_int(rc);
    return all && !rc ? gr_err_set(err, all, "another MPI rank failed before its trials") : all;
}

void harness_stream(results_t *r, const sim_opts_t *opts)
{
    if (opts->sink)
        results_stream(r, opts->trials);
}

/* One round of a streamed run across P ranks (from trial 0: a run across
 * ranks never resumes): rank k's block of the round (j P + k, empty past the
 * last trial) goes to rank 0, which writes the
 * round's blocks in order, its own first, receiving each other one into its
 * window. Collective, on each rank's master thread; every rank learns
 * whether the writes succeeded, so that none waits alone in the next round. */
static int stream_round(const sim_sink_t *sk, results_t *r, uint64_t j, uint64_t P, uint64_t B,
                        uint64_t T, gr_err_t *err)
{
    const uint64_t rank = (uint64_t)par_rank();
    int rc = GR_OK;
    for (uint64_t k = 0; k < P; ++k) {
        const uint64_t b0 = (j * P + k) * B, b1 = T - b0 > B ? b0 + B : T;
        if (b0 >= T)
            break;
        if (rank == 0) {
            /* after a failure the others' blocks are still taken: they send anyway */
            if (k > 0) {
                results_window(r, b0);
                if (par_recv_rows(r, (int)k, b0, b1) && !rc)
                    rc = gr_err_set(err, GR_ERUNTIME, "MPI: receiving rank %llu's trials failed",
                                    (unsigned long long)k);
            }
            if (!rc)
                rc = sk->write(sk->ctx, r, b0, b1, err);
        } else if (k == rank && par_send_rows(r, 0, b0, b1))
            rc = gr_err_set(err, GR_ERUNTIME, "MPI: sending the trials to rank 0 failed");
    }
    const int all = par_max_int(rc);
    return all && !rc ? gr_err_set(err, all, "rank 0 could not write the trials") : all;
}

/* What the threads share between blocks. */
typedef struct {
    atomic_int failed;  /* a thread ran out of memory */
    atomic_int dropped; /* a trial of this block was skipped for a stop */
    int flush_rc;       /* the checkpoint's or the sink's error, if any */
    /* Whether every thread leaves after this block: written only in the
     * omp master section after a block, read by all after the barrier that
     * follows it; the next write comes after the next block's barrier, when
     * all have read it. */
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
    const uint64_t P = (uint64_t)par_size(), rank = (uint64_t)par_rank(), first = rank * B;
    const size_t n_lol = r->n_scen * r->years * r->hours;
    const sim_ckpt_t *ck = opts->ckpt;
    const sim_sink_t *sk = opts->sink;
    if (sk && (opts->enough || r->cap < (B < T ? B : T) || (P > 1 && ck)))
        return gr_err_set(err, GR_ERUNTIME,
                          "internal: a streamed run needs no precision target, a window of a "
                          "block, and no checkpoint across ranks (stream_round starts at 0)");
    /* the file is rank 0's; every rank learns whether it opened */
    const int open_rc = sk && rank == 0 ? sk->open(sk->ctx, r, err) : 0;
    if (P > 1 && sk && par_max_int(open_rc) && !open_rc)
        return gr_err_set(err, GR_ERUNTIME, "rank 0 could not open the output");
    if (open_rc)
        return err->code;
    const size_t blob_len = ck && m->sum_bytes ? m->sum_bytes(model) : 0;
    unsigned char *blob = blob_len ? malloc(blob_len) : NULL;
    if (blob_len && !blob)
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    uint64_t start = 0;
    if (ck) {
        const int rc = ck->begin(ck->ctx, r, B, blob_len, &start, blob, sk, err);
        if (rc) {
            free(blob);
            return rc;
        }
        if (start > 0 && blob_len)
            m->sum_load(sum, model, blob);
    }
    if (sk)
        results_window(r, start + first);
    /* the rounds of P blocks: rank k runs the k-th of each (an empty block
     * when it has none), so that every rank takes part in each round's
     * exchange (stream_round) */
    const uint64_t n_blocks = T > start ? (T - start + B - 1) / B : 0;
    const uint64_t rounds = (n_blocks + P - 1) / P;
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
        for (uint64_t j = 0; j < rounds && !reached; ++j) {
            const uint64_t b0 = start + (j * P + rank) * B;
            const uint64_t b1 = b0 >= T ? b0 : T - b0 > B ? b0 + B : T;
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
                /* the master thread: under MPI only it talks to MPI (FUNNELED),
                 * and HDF5's error handler is the thread's that opened the file */
#pragma omp master
            {
                int bad = atomic_load(&sh.dropped) || atomic_load(&sh.failed);
                if (P > 1 && sk) /* the ranks' exchange is collective: all go on or none */
                    bad = par_max_int(bad);
                if (bad) {
                    sh.leave = 1;
                    stopped = !atomic_load(&sh.failed) && atomic_load(&sh.dropped);
                } else {
                    finished = b1 > b0 ? b1 : finished;
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
                    if (sk && !sh.flush_rc) {
                        const double w0 = now_s();
                        const int rc = P > 1     ? stream_round(sk, r, j, P, B, T, &flush_err)
                                       : b1 > b0 ? sk->write(sk->ctx, r, b0, b1, &flush_err)
                                                 : GR_OK;
                        r->sink_s += now_s() - w0;
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
                    if (sk && !sh.leave)
                        results_window(r, b0 + P * B);
                }
            }
#pragma omp barrier /* every thread sees the same leave */
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
    /* a streamed run's rows are in the file: only the counts are combined */
    if (P > 1 && ((sk ? par_sum_i64(r->lol_count, n_lol) : par_combine(r)) ||
                  (m->sum_reduce && m->sum_reduce(sum, model))))
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
