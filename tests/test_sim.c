/* test_sim.c - the Monte Carlo driver on RBTS and the IEEE RTS-79: exact and
 * published reference values, reproducibility across threads and schedules,
 * kernel agreement. */
#include "testutil.h"

#include "../inputs/scenario.h"
#include "../model/sim.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

static scenario_t *rbts, *rts79;

static int setup(void **st)
{
    (void)st;
    gr_err_t err = {0, {0}};
    return scenario_load("inputs/rbts/rbts.yaml", &rbts, &err) ||
           scenario_load("inputs/rts79/rts79.yaml", &rts79, &err);
}

static int teardown(void **st)
{
    (void)st;
    scenario_free(rbts);
    scenario_free(rts79);
    return 0;
}

static results_t *run_on(const scenario_t *sc, uint64_t trials, uint32_t seed, int threads,
                         sim_kernel_t k)
{
    const sim_opts_t o = {.seed = seed, .trials = trials, .threads = threads, .kernel = k};
    results_t *r = NULL;
    gr_err_t err = {0, {0}};
    assert_int_equal(sim_run(sc, &o, &r, &err), GR_OK);
    return r;
}

static results_t *run(uint64_t trials, uint32_t seed, int threads, sim_kernel_t k)
{
    return run_on(rbts, trials, seed, threads, k);
}

static void mean_se(const double *x, size_t n, double *m, double *se)
{
    double s = 0, s2 = 0;
    for (size_t i = 0; i < n; ++i)
        s += x[i];
    *m = s / (double)n;
    for (size_t i = 0; i < n; ++i)
        s2 += (x[i] - *m) * (x[i] - *m);
    *se = sqrt(s2 / (double)(n - 1) / (double)n);
}

/* RBTS: LOLE 1.09156 h/yr and EENS 9.8614 MWh/yr (exact, capacity outage
 * probability table; Billinton et al. 1990 publish 1.0919 and 9.8613),
 * within 4 standard errors; 200,000 trial-years give se ~1% of the mean. */
static void test_rbts_reference(void **st)
{
    (void)st;
    const uint64_t T = tu_scaled(200000);
    results_t *r = run(T, 20250525, 0, SIM_KERNEL_FAST);
    double m, se;
    mean_se(results_at(r, 0, SIM_M_SHED_HOURS, 0), T, &m, &se);
    TU_WITHIN_SE(m, 1.09156, se, 4.0);
    assert_true(tu_quick() || se < 0.03 * m);
    mean_se(results_at(r, 0, SIM_M_UNSERVED_MWH, 0), T, &m, &se);
    TU_WITHIN_SE(m, 9.8614, se, 4.0);
    assert_true(tu_quick() || se < 0.03 * m);
    /* LOLP profile: its sum over hours is the LOLE estimate itself */
    double lolp = 0, lole = 0;
    for (size_t h = 0; h < r->hours; ++h)
        lolp += (double)r->lol_count[h];
    for (size_t t = 0; t < T; ++t)
        lole += results_at(r, 0, SIM_M_SHED_HOURS, t)[0];
    assert_true(lolp == lole);
    results_free(r);
}

/* Several years per trial: each year is stationary, so the per-year LOLE is
 * the same 1.09156 within 4 standard errors. */
static void test_rbts_multi_year(void **st)
{
    (void)st;
    rbts->horizon_years = 3;
    const uint64_t T = tu_scaled(60000);
    results_t *r = run(T, 99, 0, SIM_KERNEL_FAST);
    rbts->horizon_years = 1;
    double *all = malloc(T * sizeof *all);
    for (size_t y = 0; y < 3; ++y) {
        for (size_t t = 0; t < T; ++t)
            all[t] = results_at(r, 0, SIM_M_SHED_HOURS, t)[y];
        double m, se;
        mean_se(all, T, &m, &se);
        TU_WITHIN_SE(m, 1.09156, se, 4.0);
    }
    free(all);
    results_free(r);
}

static void assert_same(const results_t *a, const results_t *b)
{
    assert_int_equal(a->trials, b->trials);
    const size_t n = a->n_scen * a->n_metrics * a->trials * a->years;
    assert_memory_equal(a->values, b->values, n * sizeof *a->values);
    assert_memory_equal(a->lol_count, b->lol_count,
                        a->n_scen * a->years * a->hours * sizeof *a->lol_count);
}

/* Identical datasets for 1 and 2 threads, and for static, dynamic and
 * guided schedules with odd chunk sizes. */
static void test_threads_and_schedules_identical(void **st)
{
    (void)st;
    const uint64_t T = tu_scaled(20000);
    results_t *one = run(T, 7, 1, SIM_KERNEL_FAST);
    results_t *two = run(T, 7, 2, SIM_KERNEL_FAST);
    assert_same(one, two);
    const char *scheds[] = {"static,1", "dynamic,7", "guided,3", "static"};
    for (size_t i = 0; i < 4; ++i) {
        setenv("OMP_SCHEDULE", scheds[i], 1);
        omp_sched_t kind = omp_sched_static;
        int chunk = 1;
        if (!strncmp(scheds[i], "dynamic", 7))
            kind = omp_sched_dynamic, chunk = 7;
        else if (!strncmp(scheds[i], "guided", 6))
            kind = omp_sched_guided, chunk = 3;
        else if (!strcmp(scheds[i], "static"))
            chunk = 0;
        omp_set_schedule(kind, chunk);
        results_t *x = run(T, 7, 3, SIM_KERNEL_FAST);
        assert_same(one, x);
        results_free(x);
    }
    unsetenv("OMP_SCHEDULE");
    results_free(one);
    results_free(two);
}

/* The fast kernel, the event-segment kernel and the hour-by-hour reference
 * agree bit for bit over whole simulations: the RTS-79 over two years (the
 * difference array, spans straight into it: hundreds of changes a year;
 * blocks of each year, a carried state), RBTS (73 changes a year: straight
 * into the array too), the RTS-79 with a unit of 12.1 MW, whose sums are not
 * exact (the fast kernel then sorts; the reference adds in the same order),
 * and RBTS with its units failing 1.6 times less often (about 45 changes a
 * year, under the direct threshold: each trial sorts its events, or puts
 * them into the array when it has more than 50). */
static void test_fast_equals_ref(void **st)
{
    (void)st;
    const uint64_t T = tu_scaled(3000);
    double mttf0[64];
    assert_true(rbts->n_units <= 64);
    for (int c = 0; c < 4; ++c) {
        scenario_t *sc = c % 2 ? rbts : rts79;
        const double cap0 = sc->units[0].capacity_mw, total0 = sc->capacity_mw;
        sc->horizon_years = c == 0 ? 2 : 1;
        if (c == 2) {
            sc->units[0].capacity_mw += 0.1;
            sc->capacity_mw += 0.1;
        }
        double changes = 0.0;
        for (size_t u = 0; u < sc->n_units; ++u) {
            mttf0[u] = sc->units[u].mttf_h;
            sc->units[u].mttf_h *= c == 3 ? 1.6 : 1.0;
            changes += 2.0 * (double)sc->hours / (sc->units[u].mttf_h + sc->units[u].mttr_h);
        }
        assert_true(c == 3 ? changes > 35.0 && changes < 50.0 : changes > 50.0);
        results_t *f = run_on(sc, T, 11, 0, SIM_KERNEL_FAST);
        results_t *e = run_on(sc, T, 11, 0, SIM_KERNEL_EVENTS);
        results_t *r = run_on(sc, T, 11, 0, SIM_KERNEL_REF);
        sc->horizon_years = 1;
        sc->units[0].capacity_mw = cap0;
        sc->capacity_mw = total0;
        for (size_t u = 0; u < sc->n_units; ++u)
            sc->units[u].mttf_h = mttf0[u];
        assert_same(f, r);
        assert_same(e, r);
        double shed = 0.0; /* not a vacuous agreement: loss of load happened */
        for (uint64_t t = 0; t < T; ++t)
            shed += results_at(r, 0, SIM_M_SHED_HOURS, t)[0];
        assert_true(shed > 0.0);
        results_free(f);
        results_free(e);
        results_free(r);
    }
}

/* The RTS-79's exact indices by its capacity outage probability table:
 * every unit's whole-MW outage convolved in, then each hour's probability of
 * an outage above the margin (available < load) and its expected shortfall. */
static void rts79_exact(const scenario_t *sc, double *lole_h, double *eens_mwh)
{
    const size_t C = (size_t)sc->capacity_mw;
    double *p = calloc(C + 1, sizeof *p);
    assert_non_null(p);
    p[0] = 1.0;
    size_t top = 0;
    for (size_t u = 0; u < sc->n_units; ++u) {
        const scen_unit_t *x = &sc->units[u];
        const size_t c = (size_t)x->capacity_mw;
        const double q = x->mttr_h / (x->mttf_h + x->mttr_h); /* FOR */
        for (size_t k = top + c + 1; k-- > 0;)
            p[k] = (1.0 - q) * p[k] + (k >= c ? q * p[k - c] : 0.0);
        top += c;
    }
    *lole_h = *eens_mwh = 0.0;
    for (size_t h = 0; h < sc->hours; ++h)
        for (size_t k = 0; k <= C; ++k) {
            const double short_mw = sc->load_mw[h] - (sc->capacity_mw - (double)k);
            if (short_mw > 0.0) {
                *lole_h += p[k];
                *eens_mwh += p[k] * short_mw;
            }
        }
    free(p);
}

/* The IEEE RTS-79 (32 units, 3405 MW, peak 2850 MW): the table gives LOLE
 * 9.3943 h/yr and EENS 1176.3 MWh/yr, as published (9.3942 h/yr, 1176
 * MWh/yr: SOURCE.md beside the scenario); the simulation is within 4
 * standard errors of them. */
static void test_rts79_reference(void **st)
{
    (void)st;
    double lole, eens;
    rts79_exact(rts79, &lole, &eens);
    print_message("# RTS-79 exact: LOLE %.4f h/yr, EENS %.1f MWh/yr\n", lole, eens);
    assert_true(fabs(lole - 9.3942) < 0.0005 && fabs(eens - 1176.0) < 1.0);
    const uint64_t T = tu_scaled(100000);
    results_t *r = run_on(rts79, T, 20250525, 0, SIM_KERNEL_FAST);
    double m, se;
    mean_se(results_at(r, 0, SIM_M_SHED_HOURS, 0), T, &m, &se);
    print_message("# RTS-79 simulated: LOLE %.4f +- %.4f h/yr", m, se);
    TU_WITHIN_SE(m, lole, se, 4.0);
    assert_true(tu_quick() || se < 0.01 * m);
    mean_se(results_at(r, 0, SIM_M_UNSERVED_MWH, 0), T, &m, &se);
    print_message(", EENS %.1f +- %.1f MWh/yr\n", m, se);
    TU_WITHIN_SE(m, eens, se, 4.0);
    results_free(r);
}

/* A different seed gives different histories; trial t's results do not
 * depend on how many trials run (prefix property). */
static void test_seed_and_prefix(void **st)
{
    (void)st;
    results_t *a = run(5000, 1, 0, SIM_KERNEL_FAST);
    results_t *b = run(5000, 2, 0, SIM_KERNEL_FAST);
    results_t *c = run(1000, 1, 0, SIM_KERNEL_FAST);
    assert_memory_not_equal(a->values, b->values, 5000 * sizeof(double));
    assert_memory_equal(results_at(a, 0, SIM_M_UNSERVED_MWH, 0),
                        results_at(c, 0, SIM_M_UNSERVED_MWH, 0), 1000 * sizeof(double));
    results_free(a);
    results_free(b);
    results_free(c);
}

/* Invariants per trial-year: events <= shed hours, unserved > 0 iff shed
 * hours > 0, and shed hours <= hours in the year. */
static void test_metric_invariants(void **st)
{
    (void)st;
    const uint64_t T = tu_scaled(20000);
    results_t *r = run(T, 3, 0, SIM_KERNEL_FAST);
    for (size_t t = 0; t < T; ++t) {
        const double sh = results_at(r, 0, SIM_M_SHED_HOURS, t)[0];
        const double ue = results_at(r, 0, SIM_M_UNSERVED_MWH, t)[0];
        const double ev = results_at(r, 0, SIM_M_SHED_EVENTS, t)[0];
        assert_true(ev <= sh && sh <= (double)r->hours);
        assert_true((ue > 0) == (sh > 0));
        assert_true(ue <= sh * 185.0 + 1e-9);
    }
    results_free(r);
}

static void test_zero_trials_rejected(void **st)
{
    (void)st;
    const sim_opts_t o = {.seed = 1, .trials = 0};
    results_t *r = (results_t *)1;
    gr_err_t err = {0, {0}};
    assert_int_equal(sim_run(rbts, &o, &r, &err), GR_EINPUT);
    assert_null(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rbts_reference),
        cmocka_unit_test(test_rbts_multi_year),
        cmocka_unit_test(test_threads_and_schedules_identical),
        cmocka_unit_test(test_fast_equals_ref),
        cmocka_unit_test(test_rts79_reference),
        cmocka_unit_test(test_seed_and_prefix),
        cmocka_unit_test(test_metric_invariants),
        cmocka_unit_test(test_zero_trials_rejected),
    };
    return cmocka_run_group_tests_name("sim", tests, setup, teardown);
}
