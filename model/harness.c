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

static int stop_requested(const sim_opts_t *o)
{
    return o->stop && atomic_load_explicit(o->stop, memory_order_relaxed);
}

/* A run's fixed facts and what its blocks' ends share (read and written on
 * one thread at a time: each rank's master, between barriers). */
typedef struct {
    const harness_model_t *m;
    const void *model;
    void *sum;
    const sim_opts_t *opts;
    results_t *r;
    const sim_ckpt_t *ck; /* this rank's checkpoint: across ranks, rank 0's alone */
    const sim_sink_t *sk;
    uint64_t T, B, P, rank, start;
    int keep; /* the run keeps a checkpoint (on some rank) */
    size_t n_lol, blob_len;
    unsigned char *blob; /* the model's totals, saved (blob_len bytes) */
    /* across ranks with a checkpoint, rank 0: a block's counts and totals
     * as received; the other ranks: zeros, to clear their totals once sent */
    int64_t *lol_in;
    unsigned char *blob_in;
    double last_sync;
    gr_err_t err; /* the checkpoint's or the sink's error */
} run_t;

/* The checkpoint keeps trials [b0, b1), held in r, with the totals over
 * [0, b1): r->lol_count and the model's sum. Durable now when the run ends
 * or stops here, or the last sync is old. */
static int keep_block(run_t *u, uint64_t b0, uint64_t b1, int stopping)
{
    if (u->blob_len)
        u->m->sum_save(u->sum, u->model, u->blob);
    const int sync = b1 == u->T || stopping || now_s() - u->last_sync >= HARNESS_SYNC_EVERY_S;
    const int rc = u->ck->flush(u->ck->ctx, u->r, b0, b1, u->blob, u->blob_len, sync, &u->err);
    if (sync)
        u->last_sync = now_s();
    return rc;
}

/* Rank k's block goes to rank 0: its rows, and in a checkpointed run the
 * counts and totals it added, which the sender then zeroes (its totals are
 * only ever its blocks since the last send, so rank 0's are the run's). */
static int send_block(run_t *u, uint64_t b0, uint64_t b1)
{
    if (par_send_rows(u->r, 0, b0, b1))
        return -1;
    if (!u->keep)
        return 0;
    if (par_send_bytes(u->r->lol_count, u->n_lol * sizeof(int64_t), 0))
        return -1;
    memset(u->r->lol_count, 0, u->n_lol * sizeof(int64_t));
    if (!u->blob_len)
        return 0;
    u->m->sum_save(u->sum, u->model, u->blob);
    if (par_send_bytes(u->blob, u->blob_len, 0))
        return -1;
    u->m->sum_load(u->sum, u->model, u->blob_in);
    return 0;
}

/* Rank 0 takes rank src's block into its window, and its counts and totals
 * into the run's. */
static int recv_block(run_t *u, int src, uint64_t b0, uint64_t b1)
{
    results_window(u->r, b0);
    if (par_recv_rows(u->r, src, b0, b1))
        return -1;
    if (!u->keep)
        return 0;
    if (par_recv_bytes(u->lol_in, u->n_lol * sizeof(int64_t), src))
        return -1;
    for (size_t i = 0; i < u->n_lol; ++i)
        u->r->lol_count[i] += u->lol_in[i];
    if (!u->blob_len)
        return 0;
    if (par_recv_bytes(u->blob_in, u->blob_len, src))
        return -1;
    u->m->sum_add(u->sum, u->model, u->blob_in);
    return 0;
}

/* One round j of a streamed run across P ranks: rank k's block of the round
 * (start + (j P + k) B, empty past the last trial) goes to rank 0, which
 * takes the round's blocks in order, its own first, each into its window,
 * the checkpoint and the sink, as a run on one rank does. Collective, on
 * each rank's master thread; every rank learns whether the writes
 * succeeded, so that none waits alone in the next round. stopping: the run
 * stops after this round (its last flush is made durable). */
static int stream_round(run_t *u, uint64_t j, int stopping)
{
    int rc = GR_OK;
    for (uint64_t k = 0; k < u->P; ++k) {
        const uint64_t b0 = u->start + (j * u->P + k) * u->B;
        if (b0 >= u->T)
            break;
        const uint64_t b1 = u->T - b0 > u->B ? b0 + u->B : u->T;
        if (u->rank == 0) {
            /* after a failure the others' blocks are still taken: they send anyway */
            if (k > 0 && recv_block(u, (int)k, b0, b1) && !rc)
                rc = gr_err_set(&u->err, GR_ERUNTIME, "MPI: receiving rank %llu's trials failed",
                                (unsigned long long)k);
            if (!rc && u->ck)
                rc = keep_block(u, b0, b1, stopping && (k + 1 == u->P || b1 == u->T));
            if (!rc)
                rc = u->sk->write(u->sk->ctx, u->r, b0, b1, &u->err);
        } else if (k == u->rank && send_block(u, b0, b1))
            rc = gr_err_set(&u->err, GR_ERUNTIME, "MPI: sending the trials to rank 0 failed");
    }
    const int all = par_max_int(rc);
    return all && !rc ? gr_err_set(&u->err, all, "rank 0 could not write the trials") : all;
}

/* A block's end on one rank (the master thread): the checkpoint, then the
 * sink; nonzero on failure (u->err says why). */
static int serial_end(run_t *u, uint64_t b0, uint64_t b1)
{
    if (u->ck && keep_block(u, b0, b1, stop_requested(u->opts)))
        return -1;
    if (!u->sk || b1 <= b0)
        return 0;
    const double w0 = now_s();
    const int rc = u->sk->write(u->sk->ctx, u->r, b0, b1, &u->err);
    u->r->sink_s += now_s() - w0;
    return rc;
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

/* The buffers of a run: the model's totals saved, and across ranks with a
 * checkpoint a block's counts and totals (rank 0: as received; the others:
 * zeros). 0 or -1. */
static int run_buffers(run_t *u)
{
    const int across = u->keep && u->P > 1;
    u->blob_len = u->keep && u->m->sum_bytes ? u->m->sum_bytes(u->model) : 0;
    u->blob = u->blob_len ? malloc(u->blob_len) : NULL;
    u->blob_in = across && u->blob_len ? calloc(1, u->blob_len) : NULL;
    u->lol_in = across && u->rank == 0 ? malloc(u->n_lol * sizeof *u->lol_in + 1) : NULL;
    return (u->blob_len && !u->blob) || (across && u->blob_len && !u->blob_in) ||
                   (across && u->rank == 0 && !u->lol_in)
               ? -1
               : 0;
}

static void run_free(run_t *u)
{
    free(u->blob);
    free(u->blob_in);
    free(u->lol_in);
}

/* Opens the sink (rank 0's) and, resuming, reads the checkpoint (rank 0's)
 * back: sets u->start, the trials already done, on every rank. */
static int run_begin(run_t *u)
{
    const int across = u->P > 1;
    int rc = u->sk && u->rank == 0 ? u->sk->open(u->sk->ctx, u->r, &u->err) : 0;
    if (!rc && u->ck) {
        rc = u->ck->begin(u->ck->ctx, u->r, u->B, u->blob_len, &u->start, u->blob, u->sk, &u->err);
        if (!rc && u->start > 0 && u->blob_len)
            u->m->sum_load(u->sum, u->model, u->blob);
    }
    if (!across)
        return rc;
    const int all = par_max_int(rc);
    if (all && !rc)
        return gr_err_set(&u->err, all, "rank 0 could not open the output or its checkpoint");
    if (all)
        return all;
    return par_bcast_u64(&u->start)
               ? gr_err_set(&u->err, GR_ERUNTIME, "MPI: broadcasting the first trial failed")
               : GR_OK;
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
    /* MPI: this rank's blocks are every P-th from its own; a checkpoint is
     * rank 0's, which takes every block in order (stream_round) */
    const uint64_t P = (uint64_t)par_size(), rank = (uint64_t)par_rank();
    run_t u = {.m = m,
               .model = model,
               .sum = sum,
               .opts = opts,
               .r = r,
               .ck = opts->ckpt,
               .sk = opts->sink,
               .T = T,
               .B = harness_block(m->chunk, T),
               .P = P,
               .rank = rank,
               .n_lol = r->n_scen * r->years * r->hours,
               .last_sync = now_s()};
    const uint64_t B = u.B, first = rank * B;
    u.keep = P > 1 ? par_max_int(u.ck != NULL) : u.ck != NULL;
    if ((u.sk && (opts->enough || r->cap < (B < T ? B : T))) ||
        (P > 1 && (opts->enough || (u.keep && !u.sk) || (u.ck && rank != 0))))
        return gr_err_set(err, GR_ERUNTIME,
                          "internal: a streamed run needs no precision target and a window of a "
                          "block; across ranks, no precision target, and a checkpoint only on "
                          "rank 0 of a streamed run");
    if (run_buffers(&u)) {
        run_free(&u);
        return harness_agree(gr_err_set(err, GR_ERUNTIME, "out of memory"), err);
    }
    if (run_begin(&u)) {
        run_free(&u);
        *err = u.err;
        return err->code;
    }
    const uint64_t start = u.start;
    if (u.sk)
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
    uint64_t finished = start; /* trials [0, finished) are in r and the totals */
    int stopped = 0;           /* a stop ended the run at finished */
    int failed = 0, used_threads = 1, others = 0;

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
                for (size_t i = 0; i < u.n_lol; ++i)
                    r->lol_count[i] += lol[i];
                if (m->ws_merge) /* before the zeroing: lol may be part of its totals */
                    m->ws_merge(sum, ws);
                memset(lol, 0, u.n_lol * sizeof *lol);
            } else
                atomic_store(&sh.failed, 1);
#pragma omp barrier
                /* the master thread: under MPI only it talks to MPI (FUNNELED),
                 * and HDF5's error handler is the thread's that opened the file */
#pragma omp master
            {
                /* 3 failed, 2 a trial dropped for a stop, 1 a stop asked */
                int code = atomic_load(&sh.failed)    ? 3
                           : atomic_load(&sh.dropped) ? 2
                                                      : stop_requested(opts) && P > 1;
                if (P > 1 && u.sk) /* the ranks' exchange is collective: all go on or none */
                    code = par_max_int(code);
                /* the round's end: across ranks, the end of its last block */
                const uint64_t end = P > 1 ? start + (j + 1) * P * B : b1;
                const uint64_t e = end < T ? end : T;
                if (code >= 2) {
                    sh.leave = 1;
                    stopped = code == 2 && !atomic_load(&sh.failed);
                    others = code == 3 && !atomic_load(&sh.failed);
                } else {
                    finished = P > 1 ? e : b1 > b0 ? b1 : finished;
                    int rc;
                    if (P > 1 && u.sk) {
                        const double w0 = now_s();
                        rc = stream_round(&u, j, code == 1 && e < T);
                        r->sink_s += now_s() - w0;
                    } else
                        rc = serial_end(&u, b0, b1);
                    if (rc) {
                        sh.flush_rc = u.err.code ? u.err.code : GR_ERUNTIME;
                        sh.leave = 1;
                    }
                    /* the target first: a run that has met it is complete */
                    else if (opts->enough && b1 < T && opts->enough(opts->enough_ctx, r, b1))
                        sh.leave = reached = 1;
                    /* across ranks only what they agreed on: a rank that saw its
                     * signal after the agreement must not leave the others alone */
                    else if ((P > 1 ? code == 1 : stop_requested(opts)) && e < T)
                        sh.leave = stopped = 1;
                    if (u.sk && !sh.leave)
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
    run_free(&u);
    /* one verdict for every rank, before any rank waits in par_combine */
    const int mine = failed ? 3 : sh.flush_rc ? 2 : stopped ? 1 : 0;
    const int all = P > 1 ? par_max_int(mine) : mine;
    if (failed)
        return gr_err_set(err, GR_ERUNTIME, "out of memory in a worker thread");
    if (sh.flush_rc) {
        *err = u.err;
        return err->code ? err->code : GR_ERUNTIME;
    }
    if (stopped)
        return gr_err_set(err, GR_ESTOPPED, "stopped by a signal after %llu of %llu trials",
                          (unsigned long long)finished, (unsigned long long)T);
    if (all || others)
        return gr_err_set(err, all == 1 ? GR_ESTOPPED : GR_ERUNTIME, "another MPI rank %s",
                          all == 1 ? "was stopped" : "failed");
    /* a streamed run's rows are in the file: only the counts are combined */
    if (P > 1 && ((u.sk ? par_sum_i64(r->lol_count, u.n_lol) : par_combine(r)) ||
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
