/* test_extremes.c - every economic input at the edge of its accepted range
 * (tests/data/extremes_{hi,lo}.yaml): the scenario loads, the run ends, and
 * every metric and driver of every trial is finite. Together with the
 * loader's bounds and its compounding envelope this is what "no accepted
 * input gives NaN or inf" rests on; the bound that stops the first file
 * from overflowing is checked to fire one step beyond it. */
#include "testutil.h"

#include "../inputs/scenario.h"
#include "../model/sim.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void run_all_finite(const char *path)
{
    scenario_t *sc = NULL;
    gr_err_t err = {0, {0}};
    if (scenario_load(path, &sc, &err))
        fail_msg("%s does not load: %s", path, err.msg);
    const sim_opts_t o = {.seed = 7, .trials = 2, .threads = 1};
    results_t *r = NULL;
    if (sim_run(sc, &o, &r, &err))
        fail_msg("%s: run failed: %s", path, err.msg);
    const size_t n = r->n_scen * r->n_metrics * r->trials * r->years;
    for (size_t i = 0; i < n; ++i)
        if (!isfinite(r->values[i]))
            fail_msg("%s: metric %s is %g", path,
                     r->metrics[(i / (r->trials * r->years)) % r->n_metrics].name, r->values[i]);
    for (size_t i = 0; i < r->n_drivers * r->trials * r->years; ++i)
        if (!isfinite(r->drivers_v[i]))
            fail_msg("%s: driver %s is %g", path, r->drivers[i / (r->trials * r->years)].name,
                     r->drivers_v[i]);
    results_free(r);
    scenario_free(sc);
}

static void test_upper_edges_finite(void **st)
{
    (void)st;
    run_all_finite("tests/data/extremes_hi.yaml");
}

static void test_lower_edges_finite(void **st)
{
    (void)st;
    run_all_finite("tests/data/extremes_lo.yaml");
}

/* One more jump a year than extremes_hi allows over its 10 years crosses
 * the envelope: the loader must refuse it before the run. */
static void test_growth_envelope_refuses(void **st)
{
    (void)st;
    char cwd[512], text[1024], path[600];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(text, sizeof text,
             "name: g\nbase: %s/tests/data/extremes_hi.yaml\n"
             "economics: {bitcoin: {jump_mean: 0.2}}\n",
             cwd);
    tu_write(tu_dir(), "g.yaml", text, path, sizeof path);
    scenario_t *sc = NULL;
    gr_err_t err = {0, {0}};
    assert_int_equal(scenario_load(path, &sc, &err), GR_EINPUT);
    assert_non_null(strstr(err.msg, "economics.bitcoin (drift, vol, jumps)"));
    assert_non_null(strstr(err.msg, "at most e^230"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_upper_edges_finite),
        cmocka_unit_test(test_lower_edges_finite),
        cmocka_unit_test(test_growth_envelope_refuses),
    };
    return cmocka_run_group_tests_name("extremes", tests, tu_setup_dir, tu_teardown_dir);
}
