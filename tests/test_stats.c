/* test_stats.c - summary statistics against values computed by hand
 * (and by NumPy's default quantile, which uses the same definition). */
#include "testutil.h"

#include "../kernels/stats.h"

#include <math.h>

static void test_quantiles_1_to_10(void **st)
{
    (void)st;
    const double x[] = {7, 3, 10, 1, 5, 9, 2, 8, 4, 6};
    double scratch[10], out[STATS_N];
    stats_summarize(x, 10, scratch, out);
    assert_true(out[STATS_MEAN] == 5.5);
    assert_true(fabs(out[STATS_SD] - 3.0276503540974917) < 1e-12);
    assert_true(fabs(out[STATS_SE] - 3.0276503540974917 / sqrt(10.0)) < 1e-12);
    /* numpy.quantile(range(1,11), [.05,.5,.95,.99]) = 1.45, 5.5, 9.55, 9.91 */
    assert_true(fabs(out[STATS_P5] - 1.45) < 1e-12);
    assert_true(fabs(out[STATS_P50] - 5.5) < 1e-12);
    assert_true(fabs(out[STATS_P95] - 9.55) < 1e-12);
    assert_true(fabs(out[STATS_P99] - 9.91) < 1e-12);
    assert_true(out[STATS_VAR95] == out[STATS_P95]);
    /* worst ceil(0.5) = 1 value */
    assert_true(out[STATS_CVAR95] == 10.0);
    assert_true(out[STATS_MIN] == 1.0 && out[STATS_MAX] == 10.0);
}

static void test_cvar_tail_mean(void **st)
{
    (void)st;
    double x[100], scratch[100], out[STATS_N];
    for (int i = 0; i < 100; ++i)
        x[i] = (double)(99 - i); /* 0..99 reversed */
    stats_summarize(x, 100, scratch, out);
    /* worst 5: 95..99, mean 97 */
    assert_true(out[STATS_CVAR95] == 97.0);
    assert_true(out[STATS_CVAR95] >= out[STATS_VAR95]);
}

static void test_single_value(void **st)
{
    (void)st;
    const double x[] = {4.25};
    double scratch[1], out[STATS_N];
    stats_summarize(x, 1, scratch, out);
    assert_true(out[STATS_MEAN] == 4.25 && out[STATS_SD] == 0.0 && out[STATS_P99] == 4.25);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quantiles_1_to_10),
        cmocka_unit_test(test_cvar_tail_mean),
        cmocka_unit_test(test_single_value),
    };
    return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
