/* test_harness.c - the one trial loop, driven by a toy model whose every
 * trial is known: trial t adds t + 1 to its row, counts loss of load
 * in hour t % H, and tallies itself in its workspace. Checks that each trial
 * runs exactly once whatever the thread count, that loss-of-load counts are
 * summed, that every workspace is merged and freed, and that a failing
 * workspace or trial fails the run. Then the blocks and the checkpoint
 * interface, through a checkpoint kept in memory: the blocks come in order,
 * each with the rows and exact totals of the trials before its end; a stop
 * drops the block in flight; a resumed run runs only the trials after the
 * checkpoint's and ends with the totals of an uninterrupted one. */
#include "testutil.h"

#include "../model/harness.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

enum { TOY_H = 24, TOY_Y = 1 };

typedef struct {
    uint64_t fail_trial; /* trial that fails; UINT64_MAX: none */
    int fail_init;       /* ws_init fails */
    atomic_int *live;    /* workspaces initialised and not yet freed */
    uint64_t stop_trial; /* trial that sets *stop (a signal arriving then); UINT64_MAX: none */
    atomic_int *stop;
} toy_model_t;

typedef struct {
    int64_t lol[2 * TOY_H * TOY_Y]; /* room for two scenarios; the toy counts in the first */
    uint64_t trials;
    atomic_int *live;
} toy_ws_t;

static int toy_init(void *ws, const void *model)
{
    const toy_model_t *m = model;
    toy_ws_t *w = ws;
    w->live = m->live;
    atomic_fetch_add(w->live, 1);
    return m->fail_init ? -1 : 0;
}

static void toy_free(void *ws) { atomic_fetch_sub(((toy_ws_t *)ws)->live, 1); }

static int toy_trial(const void *model, void *ws, results_t *r, uint64_t t)
{
    const toy_model_t *m = model;
    toy_ws_t *w = ws;
    if (t == m->fail_trial)
        return -1;
    if (t == m->stop_trial)
        atomic_store(m->stop, 1);
    results_at(r, 0, 0, t)[0] += (double)t + 1.0; /* += : a second run would show */
    ++w->lol[t % TOY_H];
    ++w->trials;
    return 0;
}

static int64_t *toy_lol(void *ws) { return ((toy_ws_t *)ws)->lol; }

static void toy_merge(void *sum, void *ws)
{
    *(uint64_t *)sum += ((toy_ws_t *)ws)->trials;
    ((toy_ws_t *)ws)->trials = 0;
}

static const harness_model_t toy = {
    .ws_size = sizeof(toy_ws_t),
    .chunk = 1, /* blocks of 16 at 1,001 trials (a 64th) */
    .ws_init = toy_init,
    .ws_free = toy_free,
    .trial = toy_trial,
    .lol = toy_lol,
    .ws_merge = toy_merge,
};

/* The toy with its total (trials run) kept by a checkpoint. */
static size_t toy_sum_bytes(const void *model)
{
    (void)model;
    return sizeof(uint64_t);
}

static void toy_sum_save(const void *sum, const void *model, unsigned char *buf)
{
    (void)model;
    memcpy(buf, sum, sizeof(uint64_t));
}

static void toy_sum_load(void *sum, const void *model, const unsigned char *buf)
{
    (void)model;
    memcpy(sum, buf, sizeof(uint64_t));
}

/* The toy, its total kept by a checkpoint. */
static harness_model_t toy_kept(void)
{
    harness_model_t m = toy;
    m.sum_bytes = toy_sum_bytes;
    m.sum_save = toy_sum_save;
    m.sum_load = toy_sum_load;
    return m;
}

static const metric_info_t toy_metric[1] = {{"x", "1", "toy"}};

static results_t *toy_results(uint64_t trials)
{
    const char *const names[] = {"baseline"};
    results_t *r = results_new(trials, TOY_Y, TOY_H, 1, names, 1, toy_metric, 0, NULL);
    assert_non_null(r);
    r->seed = 0;
    return r;
}

static void test_every_trial_once(void **st)
{
    (void)st;
    const uint64_t T = 1001;
    for (int threads = 1; threads <= 3; ++threads) {
        atomic_int live = 0;
        const toy_model_t m = {.fail_trial = UINT64_MAX, .live = &live, .stop_trial = UINT64_MAX};
        const sim_opts_t o = {.seed = 5, .trials = T, .threads = threads};
        results_t *r = toy_results(T);
        uint64_t merged = 0;
        gr_err_t err = {0, {0}};
        assert_int_equal(harness_run(&toy, &m, &merged, &o, r, &err), GR_OK);
        for (uint64_t t = 0; t < T; ++t)
            assert_true(results_at(r, 0, 0, t)[0] == (double)t + 1.0);
        for (size_t h = 0; h < TOY_H; ++h)
            assert_int_equal(r->lol_count[h], (int64_t)((T - h + TOY_H - 1) / TOY_H));
        assert_int_equal(merged, T);
        assert_int_equal(atomic_load(&live), 0);
        assert_int_equal(r->seed, 5);
        assert_int_equal(r->threads, threads);
        assert_int_equal(r->ranks, 1);
        assert_true(r->wall_s >= 0.0);
        results_free(r);
    }
}

static void test_failures(void **st)
{
    (void)st;
    const uint64_t T = 100;
    for (int which = 0; which < 2; ++which) {
        atomic_int live = 0;
        const toy_model_t m = {.fail_trial = which ? 57 : UINT64_MAX,
                               .fail_init = !which,
                               .live = &live,
                               .stop_trial = UINT64_MAX};
        const sim_opts_t o = {.seed = 1, .trials = T, .threads = 2};
        results_t *r = toy_results(T);
        uint64_t merged = 0;
        gr_err_t err = {0, {0}};
        assert_int_equal(harness_run(&toy, &m, &merged, &o, r, &err), GR_ERUNTIME);
        assert_non_null(strstr(err.msg, "worker thread"));
        assert_int_equal(atomic_load(&live), 0); /* freed even when init failed */
        results_free(r);
    }
}

static void test_block_size(void **st)
{
    (void)st;
    assert_int_equal(harness_block(1, 1001), 16); /* a 64th, rounded up */
    assert_int_equal(harness_block(1, 1025), 17);
    assert_int_equal(harness_block(3, 1001), 48); /* at least 16 chunks */
    assert_int_equal(harness_block(4, 120), 64);
    assert_int_equal(harness_block(64, 10000000), 16384); /* at most 256 chunks */
    assert_int_equal(harness_block(64, 1), 1024);
    assert_int_equal(harness_block(0, 10), 16);
    /* a streamed window: two blocks, or the run when it has fewer trials */
    assert_int_equal(harness_window(1, 1001), 32);
    assert_int_equal(harness_window(1, 34), 32);
    assert_int_equal(harness_window(1, 33), 33);
    assert_int_equal(harness_window(1, 20), 20);
    assert_int_equal(harness_window(64, 10000000), 32768);
    /* the scheduling chunk: the model's, or 16 a thread in a block */
    assert_int_equal(harness_chunk(16, 400, 2), 8);       /* blocks of 256 */
    assert_int_equal(harness_chunk(16, 400, 1), 16);      /* 256 / 16 */
    assert_int_equal(harness_chunk(16, 1000000, 2), 16);  /* blocks of 4,096 */
    assert_int_equal(harness_chunk(4, 400, 2), 2);        /* blocks of 64 */
    assert_int_equal(harness_chunk(4, 400, 64), 1);       /* never 0 */
    assert_int_equal(harness_chunk(64, 10000000, 2), 64); /* blocks of 16,384 */
    assert_int_equal(harness_chunk(64, 10000000, 32), 32);
    assert_int_equal(harness_chunk(0, 10, 0), 1);
}

/* A checkpoint in memory: what begin hands back, and every flush checked
 * against the toy's known trials. */
typedef struct {
    uint64_t resume_at; /* begin says trials [0, resume_at) are done */
    uint64_t block, flushes, last_to;
    uint64_t fail_flush; /* the flush (1-based) that fails, as a full disk would; 0: none */
    int streamed;        /* the run holds a window of its trials, not all of them */
    int bad;             /* a flush that broke a rule */
} mem_ckpt_t;

static int toy_lol_at(uint64_t to, size_t h)
{
    return (int)((to - h + TOY_H - 1) / TOY_H * (to > h)); /* trials t < to with t % H == h */
}

static int mem_begin(void *ctx, results_t *r, uint64_t block, size_t blob_len, uint64_t *done,
                     unsigned char *blob, const sim_sink_t *sink, gr_err_t *err)
{
    mem_ckpt_t *c = ctx;
    c->block = block;
    *done = c->resume_at;
    /* the kept blocks: into r, or through a streamed run's window to its sink */
    for (uint64_t b0 = 0; b0 < c->resume_at; b0 += block) {
        const uint64_t b1 = c->resume_at - b0 < block ? c->resume_at : b0 + block;
        if (sink)
            results_window(r, b0);
        for (uint64_t t = b0; t < b1; ++t)
            results_at(r, 0, 0, t)[0] = (double)t + 1.0;
        if (sink && sink->write(sink->ctx, r, b0, b1, err))
            return err->code;
    }
    for (size_t h = 0; h < TOY_H; ++h)
        r->lol_count[h] = toy_lol_at(c->resume_at, h);
    if (blob_len != sizeof(uint64_t))
        c->bad = 1;
    else
        memcpy(blob, &c->resume_at, sizeof c->resume_at);
    c->last_to = c->resume_at;
    return GR_OK;
}

static int mem_flush(void *ctx, const results_t *r, uint64_t from, uint64_t to,
                     const unsigned char *blob, size_t blob_len, int sync, gr_err_t *err)
{
    (void)sync;
    mem_ckpt_t *c = ctx;
    c->bad |= c->fail_flush && c->flushes >= c->fail_flush; /* none after a failure */
    if (++c->flushes == c->fail_flush)
        return gr_err_set(err, GR_ERUNTIME, "injected: the checkpoint cannot be written");
    uint64_t merged;
    memcpy(&merged, blob, sizeof merged);
    c->bad |= from != c->last_to || to <= from || (to - from != c->block && to != r->trials) ||
              blob_len != sizeof merged || merged != to; /* the totals are over [0, to) */
    /* the rows held: every trial's so far, or a streamed run's block (in
     * either half of its window of two) */
    for (uint64_t t = c->streamed ? from : 0; t < to; ++t)
        c->bad |= results_at(r, 0, 0, t)[0] != (double)t + 1.0;
    c->bad |= c->streamed && (from < r->t0 || to > r->t0 + r->cap);
    for (size_t h = 0; h < TOY_H; ++h)
        c->bad |= r->lol_count[h] != toy_lol_at(to, h);
    c->last_to = to;
    return GR_OK;
}

/* A streamed run's sink in memory: each block's rows copied into rows[],
 * the blocks checked to come in order, each once, from the window. */
typedef struct {
    double *rows; /* [trials] */
    uint64_t next, writes;
    int opened, bad;
} mem_sink_t;

static int mem_sink_open(void *ctx, const results_t *r, gr_err_t *err)
{
    (void)err;
    mem_sink_t *s = ctx;
    /* two blocks of 16 (harness_window), or the run when shorter than 34 */
    s->bad |= s->opened++ || s->next || r->cap > (r->trials < 34 ? r->trials : 32);
    return GR_OK;
}

static int mem_sink_write(void *ctx, const results_t *r, uint64_t from, uint64_t to, gr_err_t *err)
{
    (void)err;
    mem_sink_t *s = ctx;
    s->bad |= !s->opened || from != s->next || to <= from || from < r->t0 || to > r->t0 + r->cap;
    for (uint64_t t = from; t < to && !s->bad; ++t)
        s->rows[t] = results_at(r, 0, 0, t)[0];
    s->next = to;
    ++s->writes;
    return GR_OK;
}

/* One streamed run of the toy (blocks of 16) of T trials on `threads`, resumed
 * from resume_at, stopped by a signal at trial stop_at (UINT64_MAX: none),
 * its checkpoint failing at flush fail_flush (0: none); checks the sink and
 * checkpoint saw every block in order, each trial once (the toy's += would
 * show a window not cleared). */
static void streamed_case(uint64_t T, int threads, uint64_t resume_at, uint64_t stop_at,
                          uint64_t fail_flush)
{
    atomic_int live = 0, stop = 0;
    const toy_model_t m = {
        .fail_trial = UINT64_MAX, .live = &live, .stop_trial = stop_at, .stop = &stop};
    mem_ckpt_t mc = {.resume_at = resume_at, .streamed = 1, .fail_flush = fail_flush};
    const sim_ckpt_t ck = {.ctx = &mc, .begin = mem_begin, .flush = mem_flush};
    double *rows = calloc(T, sizeof *rows);
    assert_non_null(rows);
    mem_sink_t ms = {.rows = rows};
    const sim_sink_t sink = {&ms, mem_sink_open, mem_sink_write, NULL};
    const sim_opts_t o = {
        .seed = 5, .trials = T, .threads = threads, .ckpt = &ck, .stop = &stop, .sink = &sink};
    const harness_model_t kept = toy_kept();
    assert_int_equal(harness_rows(kept.chunk, &o), T > 33 ? 32 : T); /* two blocks */
    results_t *r = toy_results(harness_rows(kept.chunk, &o));
    harness_stream(r, &o);
    assert_int_equal(r->trials, T);
    uint64_t merged = 0;
    gr_err_t err = {0, {0}};
    const int rc = harness_run(&kept, &m, &merged, &o, r, &err);
    /* a stop drops its block; a failed flush ends the run after the block
     * running meanwhile, whose rows are kept nowhere */
    int stopped = stop_at < T && resume_at <= stop_at;
    uint64_t end = fail_flush ? resume_at + (fail_flush - 1) * 16 : stopped ? stop_at / 16 * 16 : T;
    /* on several threads the others may have run the stop's block's later
     * trials before its trial set the flag: then no trial was dropped and
     * the block is kept (one thread always drops the next trial). The run
     * then stops after it, or is complete if it was the last; the checks
     * below hold the run to whichever it did */
    const uint64_t kept_to = end + 16 < T ? end + 16 : T;
    if (stopped && threads > 1 && ms.next == kept_to) {
        end = kept_to;
        stopped = end < T;
    }
    assert_int_equal(rc, fail_flush ? GR_ERUNTIME : stopped ? GR_ESTOPPED : GR_OK);
    assert_int_equal(mc.bad, 0);
    assert_int_equal(ms.bad, 0);
    assert_int_equal(ms.next, end);
    assert_int_equal(mc.last_to, end);
    assert_int_equal(mc.flushes, fail_flush ? fail_flush : (end - resume_at + 15) / 16);
    assert_int_equal(ms.writes, (end + 15) / 16);
    for (uint64_t t = 0; t < T; ++t)
        assert_true(rows[t] == (t < end ? (double)t + 1.0 : 0.0));
    for (size_t h = 0; end == T && h < TOY_H; ++h)
        assert_int_equal(r->lol_count[h], toy_lol_at(T, h));
    assert_int_equal(atomic_load(&live), 0);
    free(rows);
    results_free(r);
}

/* A streamed run holds two blocks (16 trials each: one running while the
 * one before it is written) and hands each finished block to its sink, in
 * order, each trial once, on any thread count; a resumed run's kept blocks
 * reach the sink first, through the window; a stop leaves the block in
 * flight out of both. Also a run of fewer than three blocks, whose window is
 * the run (20 trials: the second block in the window's upper rows; 33: a
 * third of one trial back in the lower). */
static void test_streamed(void **st)
{
    (void)st;
    static const uint64_t runs[] = {1001, 20, 33};
    for (size_t i = 0; i < sizeof runs / sizeof *runs; ++i) {
        const uint64_t T = runs[i], last = 16 * ((T - 1) / 16 < 3 ? (T - 1) / 16 : 3);
        for (int threads = 1; threads <= 3; ++threads)
            for (uint64_t resume_at = 0; resume_at <= last; resume_at += last)
                for (int stop = 0; stop < 2; ++stop)
                    streamed_case(T, threads, resume_at,
                                  !stop     ? UINT64_MAX
                                  : T > 100 ? 100
                                            : 17,
                                  0);
    }
}

/* A flush that fails (a full disk) is found while the next block runs: the
 * run ends with its error after that block, which is kept nowhere, and
 * nothing is written after the failure. */
static void test_write_fails_a_block_later(void **st)
{
    (void)st;
    for (int threads = 1; threads <= 3; ++threads)
        for (uint64_t at = 1; at <= 3; ++at)
            streamed_case(1001, threads, 0, UINT64_MAX, at);
}

static void test_blocks_and_resume(void **st)
{
    (void)st;
    const uint64_t T = 1001;
    for (int threads = 1; threads <= 3; ++threads)
        for (uint64_t resume_at = 0; resume_at <= 48; resume_at += 48) {
            atomic_int live = 0;
            const toy_model_t m = {
                .fail_trial = UINT64_MAX, .live = &live, .stop_trial = UINT64_MAX};
            mem_ckpt_t mc = {.resume_at = resume_at};
            const sim_ckpt_t ck = {.ctx = &mc, .begin = mem_begin, .flush = mem_flush};
            const sim_opts_t o = {.seed = 5, .trials = T, .threads = threads, .ckpt = &ck};
            const harness_model_t kept = toy_kept();
            results_t *r = toy_results(T);
            uint64_t merged = 0;
            gr_err_t err = {0, {0}};
            assert_int_equal(harness_run(&kept, &m, &merged, &o, r, &err), GR_OK);
            assert_int_equal(mc.bad, 0);
            assert_int_equal(mc.last_to, T);
            assert_int_equal(mc.flushes, (T - resume_at + 15) / 16); /* blocks of 16 */
            for (uint64_t t = 0; t < T; ++t) /* each trial once: += would show a second run */
                assert_true(results_at(r, 0, 0, t)[0] == (double)t + 1.0);
            for (size_t h = 0; h < TOY_H; ++h)
                assert_int_equal(r->lol_count[h], toy_lol_at(T, h));
            assert_int_equal(merged, T); /* the checkpoint's total, then the rest */
            assert_int_equal(atomic_load(&live), 0);
            results_free(r);
        }
}

static void test_stop_drops_the_block_in_flight(void **st)
{
    (void)st;
    const uint64_t T = 1001, at = 100; /* in block [96, 112) */
    for (int threads = 1; threads <= 3; ++threads) {
        atomic_int live = 0, stop = 0;
        const toy_model_t m = {
            .fail_trial = UINT64_MAX, .live = &live, .stop_trial = at, .stop = &stop};
        mem_ckpt_t mc = {0};
        const sim_ckpt_t ck = {.ctx = &mc, .begin = mem_begin, .flush = mem_flush};
        const sim_opts_t o = {
            .seed = 5, .trials = T, .threads = threads, .ckpt = &ck, .stop = &stop};
        const harness_model_t kept = toy_kept();
        results_t *r = toy_results(T);
        uint64_t merged = 0;
        gr_err_t err = {0, {0}};
        assert_int_equal(harness_run(&kept, &m, &merged, &o, r, &err), GR_ESTOPPED);
        assert_non_null(strstr(err.msg, "after 96 of 1001 trials"));
        assert_int_equal(mc.bad, 0);
        assert_int_equal(mc.last_to, 96);  /* the blocks before the stop, all of them */
        for (uint64_t t = 112; t < T; ++t) /* no block after it started */
            assert_true(results_at(r, 0, 0, t)[0] == 0.0);
        assert_int_equal(atomic_load(&live), 0);
        results_free(r);
    }
    /* a stop with no checkpoint ends the run the same way */
    atomic_int live = 0, stop = 0;
    const toy_model_t m = {.fail_trial = UINT64_MAX, .live = &live, .stop_trial = 5, .stop = &stop};
    const sim_opts_t o = {.seed = 5, .trials = T, .threads = 2, .stop = &stop};
    results_t *r = toy_results(T);
    uint64_t merged = 0;
    gr_err_t err = {0, {0}};
    assert_int_equal(harness_run(&toy, &m, &merged, &o, r, &err), GR_ESTOPPED);
    results_free(r);
}

static int enough_at_40(void *ctx, const results_t *r, uint64_t done)
{
    (void)r;
    ++*(int *)ctx;
    return done >= 40;
}

/* A precision target met after a block ends the run there, as a run of the
 * trials done: the rows laid out for that many trials, the totals theirs. */
static void test_enough_ends_at_a_block(void **st)
{
    (void)st;
    const uint64_t T = 1001; /* blocks of 16: the first end at or after 40 is 48 */
    for (int threads = 1; threads <= 3; ++threads) {
        atomic_int live = 0;
        const toy_model_t m = {.fail_trial = UINT64_MAX, .live = &live, .stop_trial = UINT64_MAX};
        int asked = 0;
        const sim_opts_t o = {.seed = 5,
                              .trials = T,
                              .threads = threads,
                              .enough = enough_at_40,
                              .enough_ctx = &asked};
        const char *const names[] = {"baseline", "other"};
        results_t *r = results_new(T, TOY_Y, TOY_H, 2, names, 1, toy_metric, 0, NULL);
        assert_non_null(r);
        uint64_t merged = 0;
        gr_err_t err = {0, {0}};
        assert_int_equal(harness_run(&toy, &m, &merged, &o, r, &err), GR_OK);
        assert_int_equal(asked, 3);
        assert_int_equal(r->trials, 48);
        assert_int_equal(merged, 48);
        for (uint64_t t = 0; t < 48; ++t) /* scenario 1's rows moved to a 48-trial stride */
            assert_true(results_at(r, 0, 0, t)[0] == (double)t + 1.0 &&
                        results_at(r, 1, 0, t)[0] == 0.0);
        for (size_t h = 0; h < TOY_H; ++h)
            assert_int_equal(r->lol_count[h], toy_lol_at(48, h));
        for (size_t h = TOY_H; h < 2 * TOY_H; ++h)
            assert_int_equal(r->lol_count[h], 0);
        results_free(r);
    }
}

static double tech_value(size_t q, size_t s, uint64_t t, size_t y, size_t k)
{
    return (double)(q * 1000000 + s * 10000 + t * 100 + y * 10 + k);
}

/* A resumed run whose checkpoint ends at the block that met the target ends
 * there, without another block: as the uninterrupted run did. */
static void test_enough_when_resumed(void **st)
{
    (void)st;
    const uint64_t T = 1001;
    atomic_int live = 0;
    const toy_model_t m = {.fail_trial = UINT64_MAX, .live = &live, .stop_trial = UINT64_MAX};
    mem_ckpt_t mc = {.resume_at = 48};
    const sim_ckpt_t ck = {.ctx = &mc, .begin = mem_begin, .flush = mem_flush};
    int asked = 0;
    const sim_opts_t o = {.seed = 5,
                          .trials = T,
                          .threads = 2,
                          .ckpt = &ck,
                          .enough = enough_at_40,
                          .enough_ctx = &asked};
    const harness_model_t kept = toy_kept();
    results_t *r = toy_results(T);
    uint64_t merged = 0;
    gr_err_t err = {0, {0}};
    assert_int_equal(harness_run(&kept, &m, &merged, &o, r, &err), GR_OK);
    assert_int_equal(asked, 1);
    assert_int_equal(mc.flushes, 0);
    assert_int_equal(r->trials, 48);
    assert_int_equal(merged, 48);
    for (uint64_t t = 0; t < 48; ++t)
        assert_true(results_at(r, 0, 0, t)[0] == (double)t + 1.0);
    results_free(r);
}

/* results_shrink on every per-trial array: each row keeps its values. */
static void test_shrink(void **st)
{
    (void)st;
    const uint64_t T = 7, n = 3;
    const char *const names[] = {"a", "b"}, *const tech[] = {"x", "y", "z"};
    results_t *r = results_new(T, 2, 4, 2, names, 1, toy_metric, 1, toy_metric);
    assert_non_null(r);
    assert_int_equal(results_add_tech(r, 3, tech), 0);
    for (size_t s = 0; s < 2; ++s)
        for (uint64_t t = 0; t < T; ++t)
            for (size_t y = 0; y < 2; ++y) {
                results_at(r, s, 0, t)[y] = (double)(100 * s + 10 * t + y);
                results_driver_at(r, 0, t)[y] = (double)(t + 1000 * y);
                for (size_t q = 0; q < RESULTS_N_TECH_Q; ++q)
                    for (size_t k = 0; k < 3; ++k)
                        results_tech_at(r, q, s, t)[y * 3 + k] = tech_value(q, s, t, y, k);
            }
    results_shrink(r, n);
    assert_int_equal(r->trials, n);
    for (size_t s = 0; s < 2; ++s)
        for (uint64_t t = 0; t < n; ++t)
            for (size_t y = 0; y < 2; ++y) {
                assert_true(results_at(r, s, 0, t)[y] == (double)(100 * s + 10 * t + y));
                assert_true(results_driver_at(r, 0, t)[y] == (double)(t + 1000 * y));
                for (size_t q = 0; q < RESULTS_N_TECH_Q; ++q)
                    for (size_t k = 0; k < 3; ++k)
                        assert_true(results_tech_at(r, q, s, t)[y * 3 + k] ==
                                    tech_value(q, s, t, y, k));
            }
    results_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_trial_once),
        cmocka_unit_test(test_failures),
        cmocka_unit_test(test_block_size),
        cmocka_unit_test(test_streamed),
        cmocka_unit_test(test_write_fails_a_block_later),
        cmocka_unit_test(test_blocks_and_resume),
        cmocka_unit_test(test_stop_drops_the_block_in_flight),
        cmocka_unit_test(test_enough_ends_at_a_block),
        cmocka_unit_test(test_enough_when_resumed),
        cmocka_unit_test(test_shrink),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
