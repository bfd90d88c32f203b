/* test_frontier.c - the safe-allocation frontier (model/frontier.c): the
 * quantile's confidence interval by hand and by its coverage, and the
 * bisection on a system whose margin is known. */
#include "testutil.h"

#include "../inputs/scenario.h"
#include "../model/frontier.h"
#include "bitcoin_yaml.h"
#include "hand_system.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1..100 in any order: P95 (type 7) is x at 0.95 x 99 = 94.05 of the
 * sorted sample, 95.05; at z = 1.96 the interval's ranks are 95 -+ 1.96
 * sqrt(100 x 0.95 x 0.05) = 95 -+ 4.27, rounded outwards: 90 and 100. */
static void test_quantile_ci_by_hand(void **st)
{
    (void)st;
    double x[100];
    for (int i = 0; i < 100; ++i)
        x[i] = (double)((i * 37) % 100 + 1);
    frontier_limit_eval_t e;
    frontier_quantile_ci(x, 100, 0.95, 1.96, &e);
    assert_true(fabs(e.q - 95.05) < 1e-12);
    assert_true(e.lo == 90.0 && e.hi == 100.0);
    /* 20 values: the upper rank, ceil(19 + 1.96 sqrt(0.95)) = 21, lies
     * beyond the sample, so the interval is unbounded above: no limit can
     * be met at 95% from 20 trials; the lower rank is floor(17.09) = 17 */
    frontier_quantile_ci(x, 20, 0.95, 1.96, &e);
    assert_true(isinf(e.hi) && e.hi > 0);
    assert_true(e.lo == x[16]);
    /* one value: unbounded on both sides */
    double one = 3.0;
    frontier_quantile_ci(&one, 1, 0.95, 1.96, &e);
    assert_true(e.q == 3.0 && isinf(e.lo) && e.lo < 0 && isinf(e.hi) && e.hi > 0);
}

/* The interval covers the true quantile as often as it claims: 2,000
 * samples of 200 uniforms, the P95's 95% interval; its coverage is a
 * binomial share with sd sqrt(0.95 x 0.05 / 2000) = 0.005, and rounding the
 * ranks outwards makes it conservative: between 0.93 and 0.99. */
static void test_quantile_ci_coverage(void **st)
{
    (void)st;
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 12345);
    double x[200];
    int covered = 0;
    const int reps = 2000;
    for (int k = 0; k < reps; ++k) {
        for (int i = 0; i < 200; ++i)
            x[i] = gsl_rng_uniform(g);
        frontier_limit_eval_t e;
        frontier_quantile_ci(x, 200, 0.95, 1.959964, &e);
        covered += e.lo <= 0.95 && 0.95 <= e.hi;
    }
    gsl_rng_free(g);
    const double share = (double)covered / reps;
    if (share < 0.93 || share > 0.99)
        fail_msg("coverage %.4f: want 0.93..0.99", share);
}

/* A system with a known margin: 1,400 MW that never fails against a flat
 * 1,000 MW load. A firm block of X MW is served in full up to X = 400; past
 * it, 1,000 + X - 1,400 MW is shed pro rata every hour, base consumers
 * losing the share (X - 400) / (1,000 + X) of their demand, 8,760 x that
 * consumer-equivalent hours a year. At most 1 h/yr: X - 400 <= (1,000 + X)
 * / 8,760, so X <= 400.16 MW. Every trial is the same future (nothing is
 * random that matters), so with 100 trials (enough to bound a P95 on both
 * sides) every evaluation is decided, and the bisection from [0, 1,000]
 * with gap_mw 10 stops at [398.4375, 406.25]. */
static void test_frontier_known_margin(void **st)
{
    (void)st;
    char path[512];
    hand_system_files(tu_dir());
    tu_write(tu_dir(), "fr.yaml",
             "name: margin\nhorizon_years: 1\nload: {profile_csv: hand_load.csv, peak_mw: 1000}\n"
             "units: {csv: hand_units.csv}\nrun: {trials: 100}\n"
             "economics:\n  renewables_csv: hand_ren.csv\n" HAND_TECHS_YAML TEST_BITCOIN_YAML
                 HAND_STILL_YAML HAND_FISCAL_YAML
             "scenarios:\n  - {name: baseline, priority: pro_rata}\n"
             "sweep:\n  mw: [0, 1000, 500]\n  variants:\n"
             "    - name: dc\n      priority: pro_rata\n"
             "      blocks: [{name: d, kind: firm, mw: 1, tariff_pkr_per_kwh: 20, recovery: 1}]\n"
             "frontier:\n  mw_max: 1000\n  gap_mw: 10\n"
             "  limits: [{metric: shed_consumer_hours, quantile: 0.95, max: 1}]\n",
             path, sizeof path);
    scenario_t *sc = NULL;
    gr_err_t err = {0, {0}};
    if (scenario_load(path, &sc, &err))
        fail_msg("%s", err.msg);
    const sim_opts_t o = {.seed = 7, .trials = 100, .threads = 0};
    double lo, hi;
    char *buf = NULL;
    size_t len = 0;
    FILE *csv = open_memstream(&buf, &len);
    assert_non_null(csv);
    char *rep = NULL;
    size_t rep_len = 0;
    FILE *report = open_memstream(&rep, &rep_len);
    assert_non_null(report);
    if (frontier_run(sc, &o, report, csv, &lo, &hi, &err))
        fail_msg("%s", err.msg);
    fclose(csv);
    fclose(report);
    /* the bracket as evaluated (it had printed "between 398 and 406") */
    if (!strstr(rep, "between 398.4375 and 406.25 MW"))
        fail_msg("no bracket 'between 398.4375 and 406.25 MW' in\n%s", rep);
    free(rep);
    if (!(lo <= 400.16 && 400.16 <= hi && hi - lo <= 10.0))
        fail_msg("frontier [%g, %g]: want 400.16 MW inside, at most 10 MW wide", lo, hi);
    assert_true(lo == 398.4375 && hi == 406.25);
    /* every evaluation is a row: 1,000, 500, 250, 375, 437.5, 406.25,
     * 390.625, 398.4375 */
    static const char *const rows[] = {"dc,1000,missed", "dc,500,missed",   "dc,250,met",
                                       "dc,375,met",     "dc,437.5,missed", "dc,406.25,missed",
                                       "dc,390.625,met", "dc,398.4375,met"};
    size_t n_lines = 0;
    for (const char *p = buf; *p; ++p)
        n_lines += *p == '\n';
    assert_int_equal(n_lines, 1 + 8);
    for (size_t i = 0; i < 8; ++i)
        if (!strstr(buf, rows[i]))
            fail_msg("no row '%s' in\n%s", rows[i], buf);
    free(buf);
    /* a limit every allocation meets: mw_max itself is met, the frontier
     * is at least mw_max, after that one evaluation */
    sc->frontier->limits[0].max = 1e9;
    csv = open_memstream(&buf, &len);
    assert_non_null(csv);
    if (frontier_run(sc, &o, NULL, csv, &lo, &hi, &err))
        fail_msg("%s", err.msg);
    fclose(csv);
    assert_true(lo == 1000.0 && isinf(hi));
    assert_non_null(strstr(buf, "dc,1000,met"));
    n_lines = 0;
    for (const char *p = buf; *p; ++p)
        n_lines += *p == '\n';
    assert_int_equal(n_lines, 1 + 1);
    free(buf);
    /* 20 trials cannot bound a P95 from above (its interval's upper rank
     * lies beyond the sample): a miss can still be shown (1,000 and 500 MW
     * shed far more than 1 h), but no MW can be shown to meet the limit, so
     * 250 MW, which sheds nothing, is undecided and the bracket stops at
     * [0, 500] */
    sc->frontier->limits[0].max = 1;
    const sim_opts_t o20 = {.seed = 7, .trials = 20, .threads = 0};
    if (frontier_run(sc, &o20, NULL, NULL, &lo, &hi, &err))
        fail_msg("%s", err.msg);
    assert_true(lo == 0.0 && hi == 500.0);
    scenario_free(sc);
    /* the worst year decides: two years, demand falling 10% a year from
     * the first (900 MW, then 810), so the first is the worst and the block
     * may take X <= 500 + (900 + X) / 8,760 = 500.16 MW (the last year's
     * margin would allow 590): [500, 507.8125] */
    tu_write(tu_dir(), "fr2.yaml",
             "name: margin2\nbase: fr.yaml\nhorizon_years: 2\neconomics:\n"
             "  demand: {growth_mean: -0.1, growth_sd: 0, weather_ar1: 0, weather_sd: 0}\n",
             path, sizeof path);
    if (scenario_load(path, &sc, &err))
        fail_msg("%s", err.msg);
    if (frontier_run(sc, &o, NULL, NULL, &lo, &hi, &err))
        fail_msg("%s", err.msg);
    if (!(lo == 500.0 && hi == 507.8125))
        fail_msg("frontier [%g, %g]: want [500, 507.8125]", lo, hi);
    scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quantile_ci_by_hand),
        cmocka_unit_test(test_quantile_ci_coverage),
        cmocka_unit_test(test_frontier_known_margin),
    };
    return cmocka_run_group_tests_name("frontier", tests, tu_setup_dir, tu_teardown_dir);
}
