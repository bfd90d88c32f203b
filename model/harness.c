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

double harness_now_s(void)
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

void harness_touch(void *p, size_t bytes)
{
    enum { PAGE = 4096 };          /* pages are at least this large */
    volatile unsigned char *b = p; /* a plain zero store to calloc's zeros could be elided */
    for (size_t i = 0; i < bytes; i += PAGE)
        b[i] = 0;
    if (bytes) /* the last page, when p is not at a page's start */
        b[bytes - 1] = 0;
}

int harness_chunk(int chunk, uint64_t trials, int threads)
{
    const uint64_t c = chunk > 0 ? (uint64_t)chunk : 1;
    const uint64_t per =
        harness_block(chunk, trials) / (16 * (uint64_t)(threads > 1 ? threads : 1));
    return (int)(per < 1 ? 1 : per < c ? per : c);
}

uint64_t harness_window(int chunk, uint64_t trials)
{
    const uint64_t B = harness_block(chunk, trials);
    return B < trials / 2 ? 2 * B : trials;
}

uint64_t harness_rows(int chunk, const sim_opts_t *opts)
{
    return opts->sink ? harness_window(chunk, opts->trials) : opts->trials;
}

int harness_agree(int rc, gr_err_t *err) { return par_agree_err(rc, err); }

void harness_stream(results_t *r, const sim_opts_t *opts)
{
    if (opts->sink)
        results_stream(r, opts->trials);
}

static int stop_requested(const sim_opts_t *o)
{
    return o->stop && atomic_load_explicit(o->stop, memory_order_relaxed);
}

/* A run's fixed facts and what its blocks' ends share. The block ends and
 * the writes run on each rank's master thread alone, and the model's sum and
 * everything below but the workspaces are touched by no other thread. r's
 * totals (lol_count) are also added to by every thread in merge_lol, between
 * the barrier that ends a block and its own: the master's write of the block
 * before (which reads them, and across ranks adds or zeroes them) ends
 * before it joins that block's trials, so before that first barrier. */
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
    void **ws; /* [threads] each thread's workspace, NULL if it has none */
    /* The block (round) finished and not yet written: written by the master
     * while the other threads run the next block into the other half of a
     * streamed run's window (rows [half B, half B + B)). */
    int pending;
    uint64_t pj, pb0, pb1, phalf;
    double last_sync;
    gr_err_t err; /* the checkpoint's or the sink's error */
    /* across ranks, a file every rank writes (sim_sink_t.write_own) */
    int shared;
    sim_sink_t replay; /* rank 0's sink for a resumed run's blocks (replay_write) */
} run_t;

/* r seen with trial b0 at row half * B: the pending block's rows, while r
 * itself already points its next block at the other half. */
static results_t view_at(const run_t *u, uint64_t b0, uint64_t half)
{
    results_t v = *u->r;
    if (u->sk) /* a run kept whole holds every trial where it ran */
        v.t0 = b0 - half * u->B;
    return v;
}

/* The checkpoint keeps trials [b0, b1), held in v, with the totals over
 * [0, b1): r->lol_count and the model's sum. Durable now when the run ends
 * or stops here, or the last sync is old. */
static int keep_block(run_t *u, const results_t *v, uint64_t b0, uint64_t b1, int stopping)
{
    if (u->blob_len)
        u->m->sum_save(u->sum, u->model, u->blob);
    const double t0 = harness_now_s();
    const int sync = b1 == u->T || stopping || t0 - u->last_sync >= HARNESS_SYNC_EVERY_S;
    const int rc = u->ck->flush(u->ck->ctx, v, b0, b1, u->blob, u->blob_len, sync, &u->err);
    const double t1 = harness_now_s();
    if (sync)
        u->last_sync = t1;
    u->r->ckpt_s += t1 - t0;
    return rc;
}

/* Rank k's block goes to rank 0: its rows, and in a checkpointed run the
 * counts and totals it added, which the sender then zeroes (its totals are
 * only ever its blocks since the last send, so rank 0's are the run's). */
static int send_block(run_t *u, const results_t *v, uint64_t b0, uint64_t b1)
{
    if (par_send_rows(v, 0, b0, b1))
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

/* Rank 0 takes rank src's block into v's rows (the pending half), and its
 * counts and totals into the run's. */
static int recv_block(run_t *u, results_t *v, int src, uint64_t b0, uint64_t b1)
{
    if (par_recv_rows(v, src, b0, b1))
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

/* Trials [from, to) of v into a file every rank writes (sim_sink_t.write_own:
 * collective, so every rank calls it whatever its status rc so far). rc if
 * set (its message kept), else the write's status. */
static int own_call(run_t *u, const results_t *v, uint64_t from, uint64_t to, int rc)
{
    gr_err_t ignored;
    const int e = u->sk->write_own(u->sk->ctx, v, from, to, rc ? &ignored : &u->err);
    return rc ? rc : e;
}

/* Every rank's own block of round j, held in the pending half, into a file
 * every rank writes: rank 0's after its own block's write and before the
 * other ranks' rows come into that half. */
static int own_write(run_t *u, uint64_t j, uint64_t half, int rc)
{
    const uint64_t b0 = u->start + (j * u->P + u->rank) * u->B;
    uint64_t from = 0, to = 0; /* none */
    results_t v = *u->r;
    if (b0 < u->T) {
        from = b0;
        to = u->T - b0 > u->B ? b0 + u->B : u->T;
        v = view_at(u, b0, half);
    }
    const double t0 = harness_now_s();
    rc = own_call(u, &v, from, to, rc);
    u->r->shared_s += harness_now_s() - t0;
    return rc;
}

/* One round j of a streamed run across P ranks: rank k's block of the round
 * (start + (j P + k) B, empty past the last trial) goes to rank 0, which
 * takes the round's blocks in order, its own first, each into the pending
 * half of its window, the checkpoint and the sink, as a run on one rank
 * does. Collective, on each rank's master thread; every rank learns whether
 * the writes succeeded, so that none waits alone in the next round.
 * stopping: the run stops after this round (its last flush is made
 * durable). */
static int stream_round(run_t *u, uint64_t j, uint64_t half, int stopping)
{
    int rc = GR_OK;
    for (uint64_t k = 0; k < u->P; ++k) {
        const uint64_t b0 = u->start + (j * u->P + k) * u->B;
        if (b0 >= u->T)
            break;
        const uint64_t b1 = u->T - b0 > u->B ? b0 + u->B : u->T;
        results_t v = view_at(u, b0, half);
        if (u->rank == 0) {
            /* after a failure the others' blocks are still taken: they send anyway */
            if (k > 0 && recv_block(u, &v, (int)k, b0, b1) && !rc)
                rc = gr_err_set(&u->err, GR_ERUNTIME, "MPI: receiving rank %llu's trials failed",
                                (unsigned long long)k);
            if (!rc && u->ck)
                rc = keep_block(u, &v, b0, b1, stopping && (k + 1 == u->P || b1 == u->T));
            if (!rc)
                rc = u->sk->write(u->sk->ctx, &v, b0, b1, &u->err);
        } else if (k == u->rank && send_block(u, &v, b0, b1))
            rc = gr_err_set(&u->err, GR_ERUNTIME, "MPI: sending the trials to rank 0 failed");
        if (u->shared && k == 0) /* (a round's first block is never empty) */
            rc = own_write(u, j, half, rc);
    }
    /* only rank 0 speaks: a failure it did not have is another rank's */
    return par_agree_err(rc, &u->err);
}

/* Writes the pending block, if any (master thread): across ranks the round
 * through rank 0, on one rank the checkpoint then the sink. Nonzero on
 * failure (u->err says why). */
static int write_pending(run_t *u, int stopping)
{
    if (!u->pending)
        return 0;
    u->pending = 0;
    const double w0 = harness_now_s();
    int rc = 0;
    if (u->P > 1 && u->sk)
        rc = stream_round(u, u->pj, u->phalf, stopping);
    else {
        const results_t v = view_at(u, u->pb0, u->phalf);
        if (u->ck)
            rc = keep_block(u, &v, u->pb0, u->pb1, stopping);
        if (!rc && u->sk && u->pb1 > u->pb0)
            rc = u->sk->write(u->sk->ctx, &v, u->pb0, u->pb1, &u->err);
    }
    if (u->sk)
        u->r->sink_s += harness_now_s() - w0;
    return rc;
}

/* Zeroes rows [row0, row0 + n) of r's window (a block's half, before the
 * block runs into it: a trial may add to its rows). */
static void zero_rows(results_t *r, uint64_t row0, uint64_t n)
{
    results_rows_t a[RESULTS_MAX_ROW_ARRAYS];
    const size_t k = results_row_arrays(r, a);
    for (size_t i = 0; i < k; ++i)
        for (size_t b = 0; b < a[i].blocks; ++b)
            memset(a[i].v + (b * r->cap + row0) * a[i].row, 0, n * a[i].row * sizeof(double));
}

/* Adds every thread's loss-of-load counts into r (all threads, each a share
 * of the counts: the integer sums are the same in any order). The counts are
 * zeroed by their threads after the model's totals are merged (ws_merge
 * may count them too). */
static void merge_lol(run_t *u, int n_ws)
{
    enum { PIECE = 4096 };
    const size_t n = u->n_lol, pieces = (n + PIECE - 1) / PIECE;
#pragma omp for schedule(static)
    for (size_t c = 0; c < pieces; ++c) {
        const size_t i0 = c * PIECE, i1 = n - i0 > PIECE ? i0 + PIECE : n;
        for (int t = 0; t < n_ws; ++t) {
            if (!u->ws[t])
                continue;
            const int64_t *l = u->m->lol(u->ws[t]);
            for (size_t i = i0; i < i1; ++i)
                u->r->lol_count[i] += l[i];
        }
    }
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
    int stopped,
        reached;       /* why it left: a stop; the target (another rank's failure: par_max_int) */
    uint64_t finished; /* trials [0, finished) are done and totalled */
} shared_t;

/* A block's end (round j, this rank's block [b0, b1)), on the master thread
 * while the others wait: the model's totals merged, then whether to go on
 * (agreed across ranks), the block made pending, and the window moved on to
 * the next block's half. */
static void block_end(run_t *u, shared_t *sh, int n_ws, uint64_t j, uint64_t b0, uint64_t b1)
{
    const uint64_t P = u->P, B = u->B, T = u->T;
    const sim_opts_t *opts = u->opts;
    for (int t = 0; t < n_ws && u->m->ws_merge; ++t)
        if (u->ws[t])
            u->m->ws_merge(u->sum, u->ws[t]);
    /* a failed write: every rank has the same status (stream_round) */
    if (sh->flush_rc) {
        sh->leave = 1;
        return;
    }
    const int mine_failed = atomic_load(&sh->failed);
    /* 3 failed, 2 a trial dropped for a stop, 1 a stop asked (across ranks) */
    int code = mine_failed ? 3 : atomic_load(&sh->dropped) ? 2 : stop_requested(opts) && P > 1;
    if (P > 1 && u->sk) /* the ranks' exchange is collective: all go on or none */
        code = par_max_int(code);
    /* the round's end: across ranks, the end of its last block */
    const uint64_t end = P > 1 ? u->start + (j + 1) * P * B : b1;
    const uint64_t e = end < T ? end : T;
    if (code >= 2) {
        sh->leave = 1;
        sh->stopped = code == 2 && !mine_failed;
        return;
    }
    const uint64_t half = u->sk ? j & 1 : 0;
    u->pending = 1;
    u->pj = j;
    u->pb0 = b0;
    u->pb1 = b1;
    u->phalf = half;
    sh->finished = e; /* on one rank, b1 */
    /* the target first: a run that has met it is complete (its rows are
     * still where they ran: a run with a target is not streamed) */
    if (opts->enough && b1 < T && opts->enough(opts->enough_ctx, u->r, b1))
        sh->leave = sh->reached = 1;
    /* across ranks only what they agreed on: a rank that saw its signal
     * after the agreement must not leave the others alone */
    else if ((P > 1 ? code == 1 : stop_requested(opts)) && e < T)
        sh->leave = sh->stopped = 1;
    if (u->sk && !sh->leave && b0 + P * B < T) {
        /* the next block into the other half: trial b0 + P B at row (1 - half) B */
        const uint64_t next = 1 - half, rows = u->r->cap - next * B < B ? u->r->cap - next * B : B;
        u->r->t0 = b0 + P * B - next * B;
        zero_rows(u->r, next * B, rows);
    }
}

/* The buffers of a run: the model's totals saved, each thread's workspace,
 * and across ranks with a checkpoint a block's counts and totals (rank 0:
 * as received; the others: zeros). 0 or -1. */
static int run_buffers(run_t *u, int nthreads)
{
    const int across = u->keep && u->P > 1;
    u->blob_len = u->keep && u->m->sum_bytes ? u->m->sum_bytes(u->model) : 0;
    u->blob = u->blob_len ? malloc(u->blob_len) : NULL;
    u->blob_in = across && u->blob_len ? calloc(1, u->blob_len) : NULL;
    u->lol_in = across && u->rank == 0 ? malloc(u->n_lol * sizeof *u->lol_in + 1) : NULL;
    u->ws = calloc((size_t)nthreads, sizeof *u->ws);
    return (u->blob_len && !u->blob) || (across && u->blob_len && !u->blob_in) ||
                   (across && u->rank == 0 && !u->lol_in) || !u->ws
               ? -1
               : 0;
}

static void run_free(run_t *u)
{
    free(u->blob);
    free(u->blob_in);
    free(u->lol_in);
    free(u->ws);
}

/* A resumed run's block from the checkpoint, across ranks into a file every
 * rank writes: rank 0 writes it as any block (sim_sink_t.write) and tells
 * the others that one comes (replay_follow), then all write it, rank 0 its
 * rows and the others none. */
static int replay_write(void *ctx, const results_t *r, uint64_t from, uint64_t to, gr_err_t *err)
{
    run_t *u = ctx; /* err is &u->err: the checkpoint's begin passes it on */
    const int rc = u->sk->write(u->sk->ctx, r, from, to, err);
    uint64_t more = 1;
    if (par_bcast_u64(&more))
        return rc ? rc : gr_err_set(err, GR_ERUNTIME, "MPI: broadcasting a resumed block failed");
    return own_call(u, r, from, to, rc);
}

/* The other ranks' part in rank 0's replay: a write of nothing for each
 * block it announces, until it announces none. */
static int replay_follow(run_t *u)
{
    int rc = GR_OK;
    for (;;) {
        uint64_t more = 0;
        if (par_bcast_u64(&more))
            return gr_err_set(&u->err, GR_ERUNTIME, "MPI: broadcasting a resumed block failed");
        if (!more)
            return rc;
        rc = own_call(u, u->r, 0, 0, rc);
    }
}

/* Opens the sink (rank 0's, or every rank's for a file they all write) and,
 * resuming, reads the checkpoint (rank 0's) back: sets u->start, the
 * trials already done, on every rank. */
static int run_begin(run_t *u)
{
    const int across = u->P > 1;
    int rc = u->sk && (u->rank == 0 || u->shared) ? u->sk->open(u->sk->ctx, u->r, &u->err) : 0;
    /* a shared file's open is collective: every rank has its status */
    const int replay = u->shared && u->keep && !rc;
    u->replay = (sim_sink_t){.ctx = u, .write = replay_write};
    if (!rc && u->ck) {
        rc = u->ck->begin(u->ck->ctx, u->r, u->B, u->blob_len, &u->start, u->blob,
                          replay ? &u->replay : u->sk, &u->err);
        if (!rc && u->start > 0 && u->blob_len)
            u->m->sum_load(u->sum, u->model, u->blob);
    }
    if (replay && u->rank == 0) {
        uint64_t none = 0;
        if (par_bcast_u64(&none) && !rc)
            rc = gr_err_set(&u->err, GR_ERUNTIME, "MPI: broadcasting a resumed block failed");
    } else if (replay)
        rc = replay_follow(u);
    if (!across)
        return rc;
    const int all = par_agree_err(rc, &u->err); /* rank 0 speaks for all */
    if (all)
        return all;
    return par_bcast_u64(&u->start)
               ? gr_err_set(&u->err, GR_ERUNTIME, "MPI: broadcasting the first trial failed")
               : GR_OK;
}

int harness_run(const harness_model_t *m, const void *model, void *sum, const sim_opts_t *opts,
                results_t *r, gr_err_t *err)
{
    const double t0 = harness_now_s();
    const int nthreads = opts->threads > 0 ? opts->threads : omp_get_max_threads();
    const uint64_t T = opts->trials;
    if (!getenv("OMP_SCHEDULE"))
        omp_set_schedule(omp_sched_dynamic, harness_chunk(m->chunk, T, nthreads));
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
               .last_sync = harness_now_s()};
    const uint64_t B = u.B, first = rank * B;
    u.keep = P > 1 ? par_max_int(u.ck != NULL) : u.ck != NULL;
    u.shared = P > 1 && u.sk && u.sk->write_own;
    /* a broken promise (a programming error) on any rank: every rank learns
     * of it in harness_agree, so none waits alone in run_begin's exchange */
    if ((u.sk && (opts->enough || r->cap < harness_window(m->chunk, T))) ||
        (P > 1 && (opts->enough || (u.keep && !u.sk) || (u.ck && rank != 0) ||
                   (u.keep && m->sum_bytes && !m->sum_add))))
        return harness_agree(gr_err_set(err, GR_ERUNTIME,
                                        "internal: a streamed run needs no precision target and "
                                        "a window of two blocks; across ranks, no precision "
                                        "target, a checkpoint only on rank 0 of a streamed run, "
                                        "and a model that keeps totals adds them (sum_add)"),
                             err);
    /* results_new's zeros, before a resumed run's counts go in: merge_lol adds into them */
    harness_touch(r->lol_count, u.n_lol * sizeof *r->lol_count);
    if (run_buffers(&u, nthreads)) {
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
    atomic_uint_fast64_t done = start;
    shared_t sh = {.flush_rc = 0, .finished = start};
    atomic_init(&sh.failed, 0);
    atomic_init(&sh.dropped, 0);
    /* a resumed run whose checkpoint ends where its target was met (a stop
     * or a kill between that block's flush and the end) ends there too */
    if (start > 0 && start < T && opts->enough && opts->enough(opts->enough_ctx, r, start))
        sh.reached = 1;
    int failed = 0, used_threads = 1;

#pragma omp parallel num_threads(nthreads) reduction(| : failed)
    {
        void *ws = calloc(1, m->ws_size);
        int ok = ws && m->ws_init(ws, model) == 0;
        if (ok) /* merge_lol reads them, then the thread zeroes them */
            harness_touch(m->lol(ws), u.n_lol * sizeof(int64_t));
        u.ws[omp_get_thread_num()] = ok ? ws : NULL;
#pragma omp single
        used_threads = omp_get_num_threads(); /* its barrier: every u.ws is set */
        double last = harness_now_s();
        uint64_t mine = 0;
        for (uint64_t j = 0; j < rounds && !sh.reached; ++j) {
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
                    if (opts->progress && omp_get_thread_num() == 0 &&
                        harness_now_s() - last > 0.2) {
                        opts->progress(opts->progress_ctx, d, T);
                        last = harness_now_s();
                    }
                }
            }
            if (!ok)
                atomic_store(&sh.failed, 1);
            merge_lol(&u, used_threads);
            /* the master thread: under MPI only it talks to MPI (FUNNELED),
             * and HDF5's error handler is the thread's that opened the file */
#pragma omp master
            block_end(&u, &sh, used_threads, j, b0, b1);
#pragma omp barrier /* every thread sees the same leave */
            if (ok) /* after ws_merge, which may count them too */
                memset(m->lol(ws), 0, u.n_lol * sizeof(int64_t));
            if (sh.leave)
                break;
                /* the block just ended is written while the others run the next
                 * one: the master joins them when it is done */
#pragma omp master
            if (write_pending(&u, 0))
                sh.flush_rc = u.err.code ? u.err.code : GR_ERUNTIME;
        }
        failed |= !ok;
        if (ws)
            m->ws_free(ws);
        free(ws);
    }
    /* the last block (the run's, a stop's or the target's), on the thread
     * that ran the master's part */
    if (!failed && !sh.flush_rc && write_pending(&u, sh.stopped))
        sh.flush_rc = u.err.code ? u.err.code : GR_ERUNTIME;
    run_free(&u);
    /* one verdict for every rank, before any rank waits in par_combine */
    const int mine = failed ? 3 : sh.flush_rc ? 2 : sh.stopped ? 1 : 0;
    const int all = P > 1 ? par_max_int(mine) : mine;
    if (failed)
        return gr_err_set(err, GR_ERUNTIME, "out of memory in a worker thread");
    if (sh.flush_rc) {
        *err = u.err;
        return err->code ? err->code : GR_ERUNTIME;
    }
    if (sh.stopped)
        return gr_err_set(err, GR_ESTOPPED, "stopped by a signal after %llu of %llu trials",
                          (unsigned long long)sh.finished, (unsigned long long)T);
    if (all)
        return gr_err_set(err, all == 1 ? GR_ESTOPPED : GR_ERUNTIME, "another MPI rank %s",
                          all == 1 ? "was stopped" : "failed");
    /* a streamed run's rows are in the file: only the counts are combined */
    if (P > 1 && ((u.sk ? par_sum_i64(r->lol_count, u.n_lol) : par_combine(r)) ||
                  (m->sum_reduce && m->sum_reduce(sum, model))))
        return gr_err_set(err, GR_ERUNTIME, "MPI: combining the ranks' results failed");
    if (sh.reached)
        results_shrink(r, sh.finished);
    if (opts->progress)
        opts->progress(opts->progress_ctx, sh.finished, sh.finished);
    r->seed = opts->seed;
    r->threads = used_threads;
    r->ranks = (int)P;
    r->wall_s = harness_now_s() - t0;
    return GR_OK;
}
