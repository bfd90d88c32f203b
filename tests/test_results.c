/* test_results.c - the results arrays: size checks, the memory estimate
 * (checked against sums done by hand), the non-finite scan, and reading the
 * memory the machine has. */
#include "testutil.h"

#include "../model/pakistan.h"
#include "../model/results.h"
#include "../model/runmem.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static const metric_info_t M[] = {{"a", "u", "first"}, {"b", "u", "second"}, {"c", "u", "third"}};
static const metric_info_t D[] = {{"drv", "u", "driver"}};

/*
 * T = 1000 trials, Y = 2 years, H = 24 hours, 2 scenarios, 3 metrics,
 * 1 driver, 2 threads of 1000 bytes each:
 *   results = 2*3*1000*2*8 + 1*1000*2*8 + 2*2*24*8 = 96000 + 16000 + 768
 *             + /sensitivity (a driver): 3*2*3*1*8 kept + scratch of
 *               1000*(3*8 + 16 + 4*1) + 1*8*(1000/10) = 144 + 44000 + 800
 *               = 44944
 *   writer  = (32896 + 2*24 + 3*2*2*24 + 2*12 + ceil((2 + 3*24) / 2)) * 8
 *           = (32896 + 48 + 288 + 24 + 37) * 8 = 33293 * 8 (the buffers for runs
 *             of trials do not grow with T)
 *             + HDF5's chunk caches: 3 metrics x (2 + 1/2) chunks of 64 kB
 *             and 1 + 1/2 for the driver and for each group's trial axis
 *             (root, /parameters) = 3 * 163840 + 3 * 98304
 */
#define BY_HAND_CACHE (3 * 163840 + 3 * 98304)
static void test_estimate_by_hand(void **st)
{
    (void)st;
    const results_shape_t sh = {1000, 2, 24, 2, 3, 1, 0, 0};
    results_mem_t m;
    results_estimate(&sh, 2, 1000, &m);
    assert_int_equal(m.results_bytes, 112768 + 44944);
    assert_int_equal(m.threads_bytes, 2000);
    assert_int_equal(m.writer_bytes, 33293 * 8 + BY_HAND_CACHE);
    assert_int_equal(m.total_bytes,
                     112768 + 44944 + 2000 + 33293 * 8 + BY_HAND_CACHE + RESULTS_BASE_BYTES);
    /* streamed in blocks of 256 trials: the rows of 256 trials, the
     * sensitivity's still of every trial */
    results_shape_t win = sh;
    win.window = 256;
    results_estimate(&win, 2, 1000, &m);
    assert_int_equal(m.results_bytes, 2 * 3 * 256 * 2 * 8 + 256 * 2 * 8 + 768 + 44944);
    /* one scenario: a summary row less, caches of 1 + 1/2 chunks (3 metrics
     * and the root's trial axis) */
    const results_shape_t one = {1000, 2, 24, 1, 3, 0, 0, 0};
    results_estimate(&one, 1, 0, &m);
    assert_int_equal(m.writer_bytes, (32896 + 48 + 3 * 48 + 12 + 37) * 8 + 4 * 98304);
    /* 10 technologies: generation and cost per scenario, trial, year and
     * technology, 2 x 2 x 1000 x 2 x 10 doubles more */
    const results_shape_t tech = {1000, 2, 24, 2, 3, 1, 10, 0};
    results_estimate(&tech, 2, 1000, &m);
    assert_int_equal(m.results_bytes, 112768 + 44944 + 2 * 2 * 1000 * 2 * 10 * 8);
    /* 8 flows by month: 8 x 2 x 1000 x 2 x 12 doubles more */
    const results_shape_t month = {1000, 2, 24, 2, 3, 1, 0, 8};
    results_estimate(&month, 2, 1000, &m);
    assert_int_equal(m.results_bytes, 112768 + 44944 + 8 * 2 * 1000 * 2 * 12 * 8);
}

/* The months of a simulated year are named from its first: a year from
 * July runs jul..jun; start_month 0 (unset) is January. */
static void test_month_names(void **st)
{
    (void)st;
    const char *names[] = {"baseline"};
    results_t *r = results_new(2, 1, 24, 1, names, 3, M, 0, NULL);
    assert_non_null(r);
    assert_int_equal(results_add_months(r, 7, 2, M), 0);
    assert_int_equal(r->month.n, 12);
    assert_string_equal(r->month.names[0], "jul");
    assert_string_equal(r->month.names[5], "dec");
    assert_string_equal(r->month.names[6], "jan");
    assert_string_equal(r->month.names[11], "jun");
    results_month_at(r, 1, 0, 1)[11] = 5.0; /* the last flow, trial and month */
    assert_true(r->month.v[2 * 1 * 2 * 12 - 1] == 5.0);
    results_free(r);
    r = results_new(2, 1, 24, 1, names, 3, M, 0, NULL);
    assert_non_null(r);
    assert_int_equal(results_add_months(r, 0, 1, M), 0);
    assert_string_equal(r->month.names[0], "jan");
    assert_string_equal(r->month.names[11], "dec");
    results_free(r);
}

/* Absurd sizes saturate instead of wrapping to a small number. */
static void test_estimate_saturates(void **st)
{
    (void)st;
    const results_shape_t sh = {1ULL << 62, 100, 8784, 16, 18, 12, 64, 8};
    results_mem_t m;
    results_estimate(&sh, 4096, UINT64_MAX / 2, &m);
    assert_true(m.results_bytes == UINT64_MAX);
    assert_true(m.total_bytes == UINT64_MAX);
}

/* A count whose byte size wraps size_t is refused, not allocated short. */
static void test_results_new_refuses_wrapping_sizes(void **st)
{
    (void)st;
    const char *names[] = {"baseline"};
    /* 4 metrics x 2^62 trials = 2^64: wraps to 0 elements */
    assert_null(results_new(1ULL << 62, 1, 24, 1, names, 4, M, 0, NULL));
    assert_null(results_new(1ULL << 61, 1, 24, 1, names, 1, M, 0, NULL));
    results_t *r = results_new(10, 2, 24, 1, names, 3, M, 1, D);
    assert_non_null(r);
    results_free(r);
}

static void test_find_nonfinite(void **st)
{
    (void)st;
    const char *names[] = {"baseline", "alloc"};
    results_t *r = results_new(5, 3, 4, 2, names, 3, M, 1, D);
    assert_non_null(r);
    const metric_info_t *what = NULL;
    size_t s = 99, y = 99;
    uint64_t t = 99;
    assert_int_equal(results_find_nonfinite(r, 0, r->trials, &what, &s, &t, &y), 0);
    results_at(r, 1, 2, 4)[1] = INFINITY; /* later in scan order */
    results_at(r, 1, 1, 3)[2] = NAN;
    assert_int_equal(results_find_nonfinite(r, 0, r->trials, &what, &s, &t, &y), 1);
    assert_string_equal(what->name, "b");
    assert_int_equal(s, 1);
    assert_int_equal(t, 3);
    assert_int_equal(y, 2);
    results_at(r, 1, 1, 3)[2] = 0.0;
    results_at(r, 1, 2, 4)[1] = 0.0;
    results_driver_at(r, 0, 2)[0] = -INFINITY;
    assert_int_equal(results_find_nonfinite(r, 0, r->trials, &what, &s, &t, &y), 1);
    assert_string_equal(what->name, "drv");
    assert_true(s == SIZE_MAX);
    assert_int_equal(t, 2);
    assert_int_equal(y, 0);
    results_free(r);

    /* 1,500 trials of 2 years: a metric's values span three of the scan's
     * pieces of 1,024; the largest finite values (both signs) and the
     * smallest subnormal are finite; a non-finite value (either infinity,
     * NaN of either sign, a NaN with payload) is found at each piece's
     * first and last place and between, and in a later piece only when
     * the earlier ones have none */
    r = results_new(1500, 2, 4, 2, names, 3, M, 1, D);
    assert_non_null(r);
    double *v = results_at(r, 0, 1, 0);
    v[7] = DBL_MAX;
    v[1024] = -DBL_MAX;
    v[2047] = 5e-324;
    assert_int_equal(results_find_nonfinite(r, 0, r->trials, &what, &s, &t, &y), 0);
    uint64_t payload = 0x7ff8000000abcdefULL;
    double pnan;
    memcpy(&pnan, &payload, sizeof pnan);
    const double bad[] = {INFINITY, -INFINITY, NAN, -NAN, pnan};
    const size_t at[] = {0, 1023, 1024, 1500, 2047, 2048, 2999};
    for (size_t b = 0; b < sizeof bad / sizeof *bad; ++b)
        for (size_t k = 0; k < sizeof at / sizeof *at; ++k) {
            const double keep = v[at[k]];
            v[at[k]] = bad[b];
            if (k + 1 < sizeof at / sizeof *at)
                v[at[k + 1]] = bad[(b + 1) % 5]; /* a later one, not reported */
            assert_int_equal(results_find_nonfinite(r, 0, r->trials, &what, &s, &t, &y), 1);
            assert_string_equal(what->name, "b");
            assert_int_equal(s, 0);
            assert_int_equal(t, at[k] / 2);
            assert_int_equal(y, at[k] % 2);
            v[at[k]] = keep;
            if (k + 1 < sizeof at / sizeof *at)
                v[at[k + 1]] = 0.0;
        }
    v[7] = v[1024] = v[2047] = 0.0;
    assert_int_equal(results_find_nonfinite(r, 0, r->trials, &what, &s, &t, &y), 0);
    results_free(r);
}

/* An adequacy scenario of one unit, 24 hours, one year, by hand: events
 * 2 x (8 x 0 + 128) x 16 bytes, spans (4 x 0 + 64) x 8, lol 24 x 8. */
static void test_runmem_adequacy_by_hand(void **st)
{
    (void)st;
    scen_unit_t unit = {.mttf_h = INFINITY, .mttr_h = 10.0, .capacity_mw = 1.0};
    scenario_t sc = {.horizon_years = 1, .hours = 24, .n_units = 1, .units = &unit};
    results_mem_t m;
    runmem_estimate(&sc, 1000, 2, 0, &m);
    /* per thread: 128 events and their sort buffer, 64 spans, 24 hours of
     * counts, the difference array (8.75 bytes an hour and 64) and the
     * fleet's draws (16 bytes for 9 per unit and 32 of padding) */
    assert_int_equal(m.threads_bytes, 2 * (4096 + 512 + 192 + (24 * 35 / 4 + 64) + 16 * (9 + 32)));
    assert_int_equal(m.results_bytes, 3 * 1000 * 8 + 24 * 8);
    /* absurd outage rates (an infinite expected count) saturate */
    unit.mttf_h = 1e-300;
    unit.mttr_h = 1e-300;
    runmem_estimate(&sc, 1000, 2, 0, &m);
    assert_true(m.threads_bytes == UINT64_MAX);
    assert_true(m.total_bytes == UINT64_MAX);
}

/* An economic run of 2 scenarios, 1 year of 24 hours, 3 technologies,
 * 1,000 trials: the metrics and drivers per trial, the loss-of-load counts,
 * generation and cost by technology, and the accounts' flows by month. */
static void test_runmem_economic_by_hand(void **st)
{
    (void)st;
    econ_tech_t techs[3] = {{0}};
    econ_t e = {.technologies_count = 3, .technologies = techs};
    scenario_t sc = {.horizon_years = 1, .hours = 24, .econ = &e, .n_scen = 2};
    results_mem_t m;
    runmem_estimate(&sc, 1000, 1, 0, &m);
    assert_int_equal(m.results_bytes, 2 * PK_N_METRICS * 1000 * 8 + PK_N_DRIVERS * 1000 * 8 +
                                          2 * 24 * 8 + 2 * 2 * 1000 * 3 * 8 +
                                          8 * 2 * 1000 * 12 * 8 +
                                          /* /sensitivity: 3 [S][M][D] arrays, the rank
                                           * pass's scratch */
                                          3 * 2 * PK_N_METRICS * PK_N_DRIVERS * 8 +
                                          1000 * (40 + 4 * PK_N_DRIVERS) + PK_N_DRIVERS * 8 * 100);
    assert_int_equal(PK_N_MONTH_Q, 8);
}

static void test_available_from_files(void **st)
{
    (void)st;
    char meminfo[512], cg[512], dummy[512];
    tu_write(tu_dir(), "meminfo",
             "MemTotal:       32000000 kB\nMemFree:         1000 kB\n"
             "MemAvailable:    2000000 kB\nBuffers:          100 kB\n",
             meminfo, sizeof meminfo);
    uint64_t b = 0;
    assert_int_equal(runmem_available(meminfo, NULL, &b), 0);
    assert_int_equal(b, 2000000ULL * 1024);
    /* a cgroup limit with less headroom wins */
    snprintf(cg, sizeof cg, "%s/cg", tu_dir());
    assert_int_equal(mkdir(cg, 0755), 0);
    tu_write(cg, "memory.max", "1073741824\n", dummy, sizeof dummy);
    tu_write(cg, "memory.current", "73741824\n", dummy, sizeof dummy);
    assert_int_equal(runmem_available(meminfo, cg, &b), 0);
    assert_int_equal(b, 1000000000ULL);
    /* "max" is no limit */
    tu_write(cg, "memory.max", "max\n", dummy, sizeof dummy);
    assert_int_equal(runmem_available(meminfo, cg, &b), 0);
    assert_int_equal(b, 2000000ULL * 1024);
    assert_int_equal(runmem_available("/no/such/meminfo", "/no/such/cg", &b), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_estimate_by_hand),
        cmocka_unit_test(test_estimate_saturates),
        cmocka_unit_test(test_month_names),
        cmocka_unit_test(test_results_new_refuses_wrapping_sizes),
        cmocka_unit_test(test_find_nonfinite),
        cmocka_unit_test(test_runmem_adequacy_by_hand),
        cmocka_unit_test(test_runmem_economic_by_hand),
        cmocka_unit_test(test_available_from_files),
    };
    return cmocka_run_group_tests_name("results", tests, tu_setup_dir, tu_teardown_dir);
}
