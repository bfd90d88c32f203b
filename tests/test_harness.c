/* test_harness.c - the one trial loop, driven by a toy model whose every
 * trial is known: trial t adds t + 1 to its row, counts loss of load
 * in hour t % H, and tallies itself in its workspace. Checks that each trial
 * runs exactly once whatever the thread count, that loss-of-load counts are
 * summed, that every workspace is merged and freed, and that a failing
 * workspace or trial fails the run. */
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
} toy_model_t;

typedef struct {
    int64_t lol[TOY_H * TOY_Y];
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
    results_at(r, 0, 0, t)[0] += (double)t + 1.0; /* += : a second run would show */
    ++w->lol[t % TOY_H];
    ++w->trials;
    return 0;
}

static const int64_t *toy_lol(const void *ws) { return ((const toy_ws_t *)ws)->lol; }

static void toy_merge(void *sum, const void *ws)
{
    *(uint64_t *)sum += ((const toy_ws_t *)ws)->trials;
}

static const harness_model_t toy = {
    .ws_size = sizeof(toy_ws_t),
    .chunk = 3,
    .ws_init = toy_init,
    .ws_free = toy_free,
    .trial = toy_trial,
    .lol = toy_lol,
    .ws_merge = toy_merge,
};

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
        const toy_model_t m = {.fail_trial = UINT64_MAX, .live = &live};
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
        const toy_model_t m = {
            .fail_trial = which ? 57 : UINT64_MAX, .fail_init = !which, .live = &live};
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_trial_once),
        cmocka_unit_test(test_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
